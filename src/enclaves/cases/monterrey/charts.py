"""The Monterrey chapter's charts, in the order the chapter shows them (:data:`CHARTS`).

Every figure a chart's description gives is computed from the data it draws, never typed.
"""

from __future__ import annotations

import itertools

import altair as alt
import pandas as pd

from ... import charts, geo
from ...charts.theme import CASE_COLORS, NEUTRAL, STATE_COLORS
from .case import (
    BREAK_POP,
    BREAK_YEAR,
    CODE,
    EVENTS,
    GRADIENT_RHO,
    M3_BASE,
    M3_POST,
    METRO_LABEL,
    NAME,
    NATIONAL_NAME,
    NEIGHBOUR_STATES,
    OTHER_METRO_LABEL,
    REST_LABEL,
    SC_START,
    SCAN_ALPHA,
    SLUG,
    STATE_NAME,
)
from .series import (
    area_rates,
    city_crime_codes,
    city_crimes,
    counterfactual,
    insecurity,
    its_fitted,
    its_scan,
    marginalisation_rho,
    metro_annual,
    metro_change,
    metro_codes,
    monthly_homicides,
    nl_monthly_kidnapping,
    short_name,
    since_then,
    state_crime_rates,
    state_since,
)


def _areas_scale(names) -> alt.Scale:
    """Colours of the areas: the case, its state and the nation keep theirs; other areas take the next of
    a few distinct colours in turn."""
    fixed = {NAME: CASE_COLORS[NAME], STATE_NAME: STATE_COLORS[STATE_NAME],
             NATIONAL_NAME: NEUTRAL["national"], METRO_LABEL: "#c17d11", REST_LABEL: NEUTRAL["national"]}
    others = itertools.cycle(["#c17d11", "#5e3c99", "#1b9e77", "#9e9e9e", "#7a7a7a"])
    dom = list(dict.fromkeys(names))
    return alt.Scale(domain=dom, range=[fixed[n] if n in fixed else next(others) for n in dom])


def _month(row: pd.Series) -> str:
    """'August 2011' for a row with ``year`` and ``month``."""
    return pd.Timestamp(year=int(row["year"]), month=int(row["month"]), day=1).strftime("%B %Y")


def timeline_table() -> str:
    """The case's dated events with their sources (``data/mappings/timeline_monterrey.csv``), a MyST table."""
    from .. import generic

    return generic.timeline_markdown(SLUG)


def chart_timeline() -> alt.LayerChart:
    """Annual homicide rates of Monterrey, Nuevo León and the nation with the events of the case."""
    d = area_rates(2000)
    last = int(d.loc[d["area"] == NAME, "year"].max())
    d = d[d["area"].isin([NAME, STATE_NAME, NATIONAL_NAME]) & (d["year"] <= last)]
    d = d[["year", "area", "homicide_rate", "homicides"]]
    return charts.timeline(
        d, pd.DataFrame(EVENTS, columns=["date", "event"]), color="area",
        color_scale=_areas_scale([NAME, STATE_NAME, NATIONAL_NAME]),
        title="Monterrey's homicide rate and the events of the case",
        y_title="Homicides per 100,000 inhabitants",
        description=("Timeline chart: annual homicide rates per 100,000 inhabitants for Monterrey, Nuevo León "
                     f"and Mexico from {d['year'].min()} to {last}, with dashed vertical rules for key events: the "
                     "federal offensive of December 2006, Rodrigo Medina taking office in 2009, the creation of "
                     "Fuerza Civil in 2011, the Casino Royale attack of August 2011, Jaime Rodríguez taking office "
                     "in October 2015, the Monterrey mayoral rerun of December 2018 and Samuel García taking office "
                     f"in 2021. {_timeline_summary(d)}"))


def _timeline_summary(d: pd.DataFrame) -> str:
    """Words for the timeline's description, computed from Monterrey's plotted annual rates."""
    r = d[d["area"] == NAME].set_index("year")["homicide_rate"].astype(float)
    peak_year = int(r.idxmax())
    low_year = int(r.loc[peak_year:].idxmin())
    back_from = 2018  # the year of the mayoral rerun
    back = r.loc[back_from:]
    return (f"Monterrey's rate is low until 2009, jumps to {r[peak_year]:.0f} per 100,000 in {peak_year}, falls "
            f"to {r[low_year]:.0f} in {low_year} and is back between {back.min():.0f} and {back.max():.0f} from "
            f"{back_from} to {int(back.index.max())}.")


def chart_escalation() -> alt.LayerChart:
    """Monthly homicides 2005–2013: Monterrey and the other eight metro municipalities."""
    a = monthly_homicides([CODE], (2005, 1), (2013, 12)).assign(area=NAME)
    b = monthly_homicides(metro_codes(include_case=False), (2005, 1), (2013, 12)).assign(
        area=OTHER_METRO_LABEL)
    d = pd.concat([a, b], ignore_index=True)[["t", "year", "month", "homicides", "area"]]
    return charts.line_with_breaks(
        d, x="t", y="homicides", color="area", color_title="Area",
        color_scale=_areas_scale([NAME, OTHER_METRO_LABEL]),
        y_title="Homicides per month (deaths)", x_title="Year (monthly)",
        title="The war arrives: monthly homicides in metropolitan Monterrey, 2005–2013",
        subtitle="Click a legend entry to highlight it",
        description=("Line chart of monthly homicide counts from January 2005 to December 2013 for Monterrey "
                     "and for the other eight municipalities of the metropolitan area combined. "
                     f"{_escalation_summary(d)} Dashed rules mark early 2010 and 2011."),
        breaks=[(2010.1, "Gulf–Zetas split (early 2010)"), (2011.0, "Fuerza Civil (2011)")],
        tooltip=[charts.tip("area", "Area"), charts.tip("year", "Year", "d"), charts.tip("month", "Month", "d"),
                 charts.tip("homicides", "Homicides", ",")], y_format=",d")


def _escalation_summary(d: pd.DataFrame) -> str:
    """Words for the escalation chart's description, computed from the plotted monthly counts."""
    calm_until = 2009
    before = int(d.loc[d["year"] < calm_until, "homicides"].max())
    peaks = {a: g.loc[g["homicides"].astype(int).idxmax()] for a, g in d.groupby("area")}
    mty, rest = peaks.pop(NAME), next(iter(peaks.values()))
    return (f"Neither has more than {before} homicides in any month before {calm_until}; both climb "
            f"through 2010 and peak in 2011, Monterrey at {int(mty['homicides'])} in {_month(mty)} and the other "
            f"eight combined at {int(rest['homicides'])} in {_month(rest)}, then fall through 2012 and 2013.")


def chart_kidnapping_monthly() -> alt.LayerChart:
    """Nuevo León's monthly kidnapping counts, the four SESNSP series kept apart."""
    full = nl_monthly_kidnapping()
    d = full[["t", "year", "month", "series_label", "value"]]
    return charts.line_with_breaks(
        d, x="t", y="value", color="series_label", color_title="SESNSP series",
        y_title="Kidnappings per month (cases)", x_title="Year (monthly)",
        title="Kidnapping in Nuevo León, month by month, 1997–2025",
        subtitle="Four SESNSP series kept apart; click a legend entry to highlight one",
        description=("Line chart of monthly kidnapping counts reported in Nuevo León from January 1997, in four "
                     "separate SESNSP series: old-instrument incidents (1997–2014), old-instrument victims "
                     "(2015–March 2016), new-instrument incidents (2015–May 2022) and new-instrument victims "
                     f"(2015–2025). {_kidnapping_monthly_summary(full)} Dashed rules mark the 2011 reforms and the "
                     "2015 change of instrument."),
        breaks=[(2011.0, "Reforms (2011)"), (2015.0, "SESNSP new instrument (2015)")],
        tooltip=[charts.tip("series_label", "Series"), charts.tip("year", "Year", "d"),
                 charts.tip("month", "Month", "d"), charts.tip("value", "Kidnappings", ",")], y_format=",d")


def _kidnapping_monthly_summary(d: pd.DataFrame) -> str:
    """Words for the monthly kidnapping chart's description, computed from the plotted counts."""
    v = d["value"].astype(int)
    usual = int(v.quantile(0.9))
    y0, y1 = 2011, 2013
    burst = int(v[d["year"].between(y0, y1)].max())
    top = d.loc[v.idxmax()]
    series = f"{'old' if top['series'] == 'sesnsp_old' else 'new'}-instrument {top['unit']}"
    return (f"Counts are small: {(v <= usual).mean():.0%} of the monthly counts are {usual} or fewer. They reach "
            f"{burst} a month in {y0}–{y1}; the highest month is {_month(top)}, with {int(top['value'])} "
            f"{series}.")


def chart_kidnapping_states() -> alt.LayerChart:
    """Annual kidnapping and extortion rates: Nuevo León, neighbours, rest of Mexico; dropdown for the
    crime, legend selection for the area, line dash for the instrument/unit."""
    d = state_crime_rates(("secuestro", "extorsion"))
    d = d[(d["year"] >= 2000) & (d["unit"] == "incidents")].copy()
    d["series_label"] = d["series"].map({"sesnsp_old": "Old instrument", "sesnsp_new": "New instrument (2015–)"})
    d = d[["area", "year", "crime_label", "series_label", "value", "rate", "states_partial"]]
    pick = alt.param(name="pick_crime", value="Kidnapping",
                     bind=alt.binding_select(options=["Kidnapping", "Extortion"], name="Crime "))
    sel = alt.selection_point(fields=["area"], bind="legend")
    areas = [STATE_NAME, *NEIGHBOUR_STATES.values(), REST_LABEL]
    scale = alt.Scale(domain=areas, range=[STATE_COLORS[STATE_NAME], "#c17d11", "#5e3c99", "#1b9e77",
                                           NEUTRAL["national"]])
    base = alt.Chart(d).transform_filter("datum.crime_label == pick_crime")
    enc = {"x": alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
           "y": alt.Y("rate:Q", title="Reported cases per 100,000 inhabitants"),
           "color": alt.Color("area:N", title="Area", scale=scale,
                              legend=alt.Legend(orient="right", direction="vertical")),
           "strokeDash": alt.StrokeDash("series_label:N", title="SESNSP series",
                                        legend=alt.Legend(orient="right", direction="vertical")),
           "detail": "series_label:N",
           "opacity": alt.condition(sel, alt.value(1.0), alt.value(0.15)),
           "tooltip": [charts.tip("area", "Area"), charts.tip("crime_label", "Crime"),
                       charts.tip("series_label", "Series"), charts.tip("year", "Year", "d"),
                       charts.tip("value", "Cases", ","), charts.tip("rate", "Per 100,000", ".2f")]}
    lines = base.mark_line().encode(**enc).add_params(pick, sel)
    pts = base.mark_point(size=18).encode(**{k: v for k, v in enc.items() if k != "strokeDash"})
    brk = charts.breaks_layer([(2011, "Reforms (2011)"), (2015, "SESNSP new instrument (2015)")])
    return alt.layer(lines, pts, brk).properties(
        width=400,
        title=alt.Title("Kidnapping and extortion reported to prosecutors",
                        subtitle="Pick the crime in the menu; click a legend entry to highlight an area"),
        description=("Line chart of reported kidnappings (or, chosen from a menu, extortions) per 100,000 "
                     "inhabitants by year, 2000 onwards, for Nuevo León, Coahuila, Tamaulipas, San Luis Potosí "
                     "and the rest of Mexico, counting files opened (incidents). One line style is the old SESNSP "
                     "instrument (to 2014), the other the new instrument from 2015; they are not joined. "
                     f"{_kidnapping_states_summary(d)}"))


def _kidnapping_states_summary(d: pd.DataFrame) -> str:
    """Words for the state kidnapping chart's description, computed from the plotted rates."""
    def rates(area: str, crime: str) -> pd.Series:
        x = d[(d["area"] == area) & (d["crime_label"] == crime)]
        return x.set_index(x["year"].astype(int))["rate"].astype(float)

    kid, ext = rates(STATE_NAME, "Kidnapping"), rates(STATE_NAME, "Extortion")
    tam = rates(NEIGHBOUR_STATES["28"], "Kidnapping")
    y0, y1 = 2011, 2014  # the reforms, and the old instrument's last year
    return (f"Nuevo León's kidnapping rate rises from near zero to {kid.max():.1f} per 100,000 in "
            f"{int(kid.idxmax())} and falls after; {NEIGHBOUR_STATES['28']} is far higher, up to {tam.max():.1f} "
            f"in {int(tam.idxmax())}. Nuevo León's extortion rate climbs steeply, from {ext[y0]:.1f} in {y0} to "
            f"{ext[y1]:.1f} in {y1}.")


def chart_city_crimes() -> alt.LayerChart:
    """SESNSP crimes 2011–2015 in the metro municipalities of the 69-city file, index 2011 = 100,
    with a dropdown for the municipality."""
    d = city_crimes()[["area", "year", "crime_label", "value", "index_2011"]]
    opts = [short_name(c) for c in city_crime_codes()]
    pick = alt.param(name="pick_mun", value=NAME, bind=alt.binding_select(options=opts, name="Municipality "))
    base = alt.Chart(d).transform_filter("datum.area == pick_mun")
    enc = {"x": alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1)),
           "y": alt.Y("index_2011:Q", title="Cases reported (2011 = 100, log scale)",
                      scale=alt.Scale(type="log")),
           "color": alt.Color("crime_label:N", title="Crime",
                              legend=alt.Legend(orient="right", direction="vertical")),
           "tooltip": [charts.tip("area", "Municipality"), charts.tip("crime_label", "Crime"),
                       charts.tip("year", "Year", "d"), charts.tip("value", "Cases", ","),
                       charts.tip("index_2011", "Index (2011 = 100)", ".0f")]}
    lines = base.mark_line().encode(**enc).add_params(pick)
    pts = base.mark_point().encode(**enc)
    return alt.layer(charts.reference_rule(100, color=NEUTRAL["light"]), lines, pts).properties(
        width=400,
        title=alt.Title("Four crimes in Monterrey and two suburbs, 2011–2015",
                        subtitle="SESNSP files opened (old instrument), 2011 = 100; pick a municipality"),
        description=("Line chart on a log scale of SESNSP cases reported each year from 2011 to 2015, indexed "
                     "to 2011 = 100, for intentional homicide, kidnapping, extortion and vehicle theft, in "
                     "Monterrey (default) or, from a menu, Apodaca or Guadalupe. In Monterrey homicide, "
                     "kidnapping and vehicle theft fall to between a tenth and a fifth of their 2011 level by "
                     "2015, while extortion rises to about eight times its 2011 level."))


def chart_metro_rates() -> alt.LayerChart:
    """Annual homicide rates with exact intervals for the nine metro municipalities, most to least
    marginalised."""
    d = metro_annual(2005)
    d = d[["area", "year", "homicides", "population", "homicide_rate", "rate_low", "rate_high", "metro_rank"]]
    order = d.drop_duplicates("area").sort_values("metro_rank")["area"].tolist()
    palette = ["#8c2d04", "#d94801", "#f08c3c", "#a6761d", "#7a7a7a", CASE_COLORS[NAME], "#9e9ac8", "#6a51a3",
               "#3f007d"]
    scale = alt.Scale(domain=order, range=palette[:len(order)])
    return charts.rate_with_interval(
        d, color="area", color_scale=scale, color_title="Municipality",
        title="Homicide rates in the nine municipalities of metropolitan Monterrey",
        subtitle="Most to least marginalised; bands: exact 95% intervals; click the legend",
        y_title="Homicides per 100,000 inhabitants",
        description=("Line chart with interval bands of annual homicide rates per 100,000 from 2005 to 2021 for "
                     "the nine municipalities of metropolitan Monterrey, coloured from the most marginalised "
                     "(Juárez, oranges) to the least (San Pedro Garza García, purples). All peak in 2010–2012, "
                     "fall to lows in 2014–2015 and rise again after 2016; Monterrey stays the highest after "
                     "2016. San Pedro's band is wide because its counts are small. Dashed rules mark the "
                     "population-base changes of 2010 and 2015 and the change of governor."),
        breaks=[*BREAK_POP, (2015.75, "New governor (Oct 2015)")],
        tooltip=[charts.tip("area", "Municipality"), charts.tip("year", "Year", "d"),
                 charts.tip("homicides", "Homicides", ","), charts.tip("homicide_rate", "Rate per 100,000", ".1f"),
                 *charts.interval_tips(),
                 charts.tip("metro_rank", "Marginalisation rank in metro", "d")]).configure_legend(columns=5)


def chart_insecurity() -> alt.LayerChart:
    """ENVIPE: share of adults who feel their state is unsafe, Nuevo León against the nation."""
    d = insecurity()
    return charts.line_with_breaks(
        d, x="year", y="value", color="area", color_title="Area",
        color_scale=_areas_scale([STATE_NAME, NATIONAL_NAME]),
        y_title="Adults who feel their state is unsafe (%)",
        title="Feeling unsafe: Nuevo León against the nation (ENVIPE)",
        subtitle="Survey fieldwork each March–April; click a legend entry to highlight it",
        description=("Line chart of the percentage of adults who say their state is unsafe, from INEGI's ENVIPE "
                     f"survey, {d['year'].min()} to {d['year'].max()}, for Nuevo León and Mexico. "
                     f"{_insecurity_summary(d)}"),
        breaks=[(2015.75, "New governor (Oct 2015)")],
        tooltip=[charts.tip("area", "Area"), charts.tip("year", "Survey year", "d"),
                 charts.tip("value", "Feel unsafe (%)", ".1f")])


def _insecurity_summary(d: pd.DataFrame) -> str:
    """Words for the insecurity chart's description, computed from the plotted survey values."""
    w = d.pivot(index="year", columns="area", values="value")
    nl, nat = w[STATE_NAME], w[NATIONAL_NAME]
    y0 = int(w.index.min())

    def vs(y: int) -> str:
        return f"{nl[y]:.0f} percent against {nat[y]:.0f}"

    return (f"Nuevo León starts far above the nation ({vs(y0)} in {y0}, {vs(y0 + 1)} in {y0 + 1}), falls to the "
            f"national level by 2015 ({vs(2015)}), and climbs back above it in 2019 ({vs(2019)}) before falling "
            f"to {nl[2021]:.0f} percent in 2021.")



def chart_synth() -> alt.LayerChart:
    """Monterrey's homicide rate against its synthetic control, 2000–2015."""
    m = counterfactual().main
    last = int(m.gap.index.max())
    return charts.synthetic_control(
        m.frame(), actual="Monterrey (actual)", synthetic="Synthetic Monterrey",
        colors=[CASE_COLORS[NAME], "#9e9e9e"],
        title="Monterrey against its synthetic control, 2000–2015",
        subtitle="Weights fitted on 2000–2011; 2012 is the first treated year",
        description=("Line chart comparing Monterrey's annual homicide rate per 100,000 with a weighted average "
                     "of large municipalities elsewhere in Mexico (the synthetic control), 2000 to 2015. The "
                     "synthetic line follows Monterrey loosely before 2010 and rises with its surge, but peaks "
                     f"in {int(m.synthetic.idxmax())} at {m.synthetic.max():.0f}, against Monterrey's peak of "
                     f"{m.actual.max():.0f} in {int(m.actual.idxmax())}; both then fall, and in {last} they are "
                     f"{abs(float(m.gap.loc[last])):.0f} apart."),
        breaks=[(SC_START, "First treated year (2012)"), (BREAK_YEAR, "Fuerza Civil (2011)")])


def chart_placebos() -> alt.LayerChart:
    """Gaps (actual − synthetic) for Monterrey and every placebo, plus the RMSPE ratio in tooltips."""
    main = counterfactual().main
    rows = []
    for y, g in main.gap.items():
        rows.append({"unit": NAME, "role": NAME, "year": int(y), "gap": float(g), "ratio": main.ratio})
    ratios = main.placebo.set_index("unit")["ratio"]
    pre, post = main.gap[main.gap.index < SC_START], main.gap[main.gap.index >= SC_START]
    for dnr, gap in main.placebo_gaps.items():
        for y, g in gap.items():
            rows.append({"unit": geo.mun_names()[dnr], "role": "Placebo donor",
                         "year": int(y), "gap": float(g), "ratio": float(ratios[dnr])})
    d = pd.DataFrame(rows)
    sel = alt.selection_point(fields=["role"], bind="legend")
    scale = alt.Scale(domain=[NAME, "Placebo donor"], range=[CASE_COLORS[NAME], "#c8c8c8"])
    enc = {"x": alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
           "y": alt.Y("gap:Q", title="Actual minus synthetic (homicides per 100,000)"),
           "color": alt.Color("role:N", title="Unit", scale=scale), "detail": "unit:N",
           "opacity": alt.condition(sel, alt.value(1.0), alt.value(0.1)),
           "tooltip": [charts.tip("unit", "Municipality"), charts.tip("year", "Year", "d"),
                       charts.tip("gap", "Gap per 100,000", ".1f"), charts.tip("ratio", "Post/pre RMSPE ratio", ".2f")]}
    placebo = alt.Chart(d[d["role"] != NAME]).mark_line(strokeWidth=1).encode(**enc).add_params(sel)
    treated = alt.Chart(d[d["role"] == NAME]).mark_line(strokeWidth=3).encode(**enc)
    brk = charts.breaks_layer([(SC_START, "First treated year (2012)")])
    return alt.layer(charts.reference_rule(0, color="#666666"), placebo, treated, brk).properties(
        title=alt.Title("Placebo test: is Monterrey's gap unusual?",
                        subtitle="Each grey line is a donor given the same treatment date; click the legend"),
        description=("Line chart of the gap between actual and synthetic homicide rates, 2000 to 2015, for "
                     "Monterrey (thick blue) and for each donor municipality treated as if it had reformed in "
                     f"2012 (thin grey). Monterrey's gap stays within {pre.abs().max():.0f} per 100,000 of zero "
                     f"before 2012 and is negative after it, most of all in {int(post.idxmin())} "
                     f"({post.min():.0f}); {int((ratios >= main.ratio).sum())} of the {len(ratios)} placebo "
                     "cities have a post/pre ratio at least as large, so Monterrey's post-2012 path is not "
                     f"unusual (permutation p-value {main.p_value:.2f})."))


def chart_its() -> alt.LayerChart:
    """Monterrey's monthly homicides with the ITS fit and the no-change projection from October 2015."""
    f = its_fitted()
    obs = f[["t", "year", "month", "homicides"]]
    lines = f.melt(id_vars=["t", "year", "month"], value_vars=["fitted", "counterfactual"], var_name="curve",
                   value_name="value")
    lines["curve"] = lines["curve"].map({"fitted": "Model fit",
                                         "counterfactual": "No-change projection"})
    lines = lines[~((lines["curve"] != "Model fit") & (lines["t"] < 2015.75))]
    x = alt.X("t:Q", title="Year (monthly)", axis=alt.Axis(format="d"),
              scale=alt.Scale(zero=False, domain=[float(f["t"].min()) - 0.1, float(f["t"].max()) + 0.1]))
    pts = alt.Chart(obs.assign(curve="Observed homicides")).mark_point(size=22, filled=True).encode(
        x=x, y=alt.Y("homicides:Q", title="Homicides per month (deaths)"),
        color=alt.Color("curve:N", title="Series",
                        scale=alt.Scale(domain=["Observed homicides", "Model fit",
                                                "No-change projection"],
                                        range=[CASE_COLORS[NAME], "#222222", "#c17d11"])),
        tooltip=[charts.tip("year", "Year", "d"), charts.tip("month", "Month", "d"),
                 charts.tip("homicides", "Homicides", ",")])
    ln = alt.Chart(lines).mark_line().encode(
        x=x, y="value:Q", color="curve:N",
        strokeDash=alt.condition("datum.curve == 'Model fit'", alt.value([1, 0]), alt.value([5, 3])),
        tooltip=[charts.tip("curve", "Series"), charts.tip("year", "Year", "d"), charts.tip("month", "Month", "d"),
                 charts.tip("value", "Expected homicides", ".1f")])
    brk = charts.breaks_layer([(2015.75, "Rodríguez takes office (Oct 2015)"), (2016.12, "Topo Chico riot (Feb 2016)")],
                              x="t")
    return alt.layer(pts, ln, brk).properties(
        title=alt.Title("Monterrey's monthly homicides around the change of governor",
                        subtitle="Negative-binomial interrupted time series with month-of-year seasonality"),
        description=("Scatter of Monterrey's monthly homicide counts from January 2014 to September 2021 with the "
                     "model's fitted values (solid line) and, from October 2015, the projection of the "
                     "pre-October-2015 trend without any change (dashed). " + _its_summary(obs)))


def chart_its_scan() -> alt.LayerChart:
    """The ITS's level change and its p-value with the break placed at every month of 2015-2020."""
    d = its_scan()
    alpha = SCAN_ALPHA
    share = float((d["p_level"] < alpha).mean())
    base = alt.Chart(d).encode(x=alt.X("t:Q", title="Month the break is placed at", axis=alt.Axis(format="d"),
                                       scale=alt.Scale(zero=False)))
    pts = base.mark_point(filled=True, size=36).encode(
        y=alt.Y("p_level:Q", title="p-value of the level change (log scale)", scale=alt.Scale(type="log")),
        color=alt.condition("datum.governor", alt.value("#c17d11"), alt.value("#3a3a3a")),
        tooltip=[charts.tip("break", "Break at"), charts.tip("level:Q", "Level change (rate ratio)", ".2f"),
                 *charts.interval_tips("level_low:Q", "level_high:Q", ".2f"),
                 charts.tip("p_level:Q", "p-value", ".4f")])
    line = alt.Chart(pd.DataFrame({"p": [alpha]})).mark_rule(strokeDash=[4, 3], color="#777777").encode(y="p:Q")
    gov = d[d["governor"]].iloc[0]
    return alt.layer(line, pts).properties(
        height=240, title=alt.Title("A break at every month",
                                    subtitle="The level change's p-value with the break at each month of "
                                             f"{d['break'].iloc[0][:4]}-{d['break'].iloc[-1][:4]}; orange: the "
                                             f"change of governor; dashed: {alpha:g}"),
        description=(f"Dot chart of the p-value of the level change in the interrupted time series of Monterrey's "
                     f"monthly homicides when the break is placed at each of {len(d)} months from "
                     f"{d['break'].iloc[0]} to {d['break'].iloc[-1]}. {share:.0%} of the months give a p-value "
                     f"below {alpha:g}; at the change of governor ({gov['break']}) it is {gov['p_level']:.2f}."))


def _its_summary(obs: pd.DataFrame) -> str:
    """Words for the ITS chart's description, computed from the plotted counts (no typed figures)."""
    peak = obs.loc[obs["homicides"].idxmax()]
    early = obs.loc[obs["year"] <= 2017, "homicides"].median()
    late = obs.loc[obs["year"] >= 2018, "homicides"].median()
    month = _month(peak)
    return (f"The median month has {early:.0f} homicides up to 2017 and {late:.0f} from 2018; "
            f"the highest month is {month}, with {int(peak['homicides'])}.")


def chart_m3() -> alt.LayerChart:
    """Each metro municipality's rate ratio, 2016–2019 vs 2014–2015, with exact intervals (claim M3)."""
    d = metro_change()
    d = d[["area", "label", "metro_rank", "base_homicides", "post_homicides", "base_rate", "post_rate", "ratio",
           "ratio_low", "ratio_high", "change"]]
    order = d.sort_values("metro_rank")["label"].tolist()
    y = alt.Y("label:N", sort=order, title="Municipality (lowest rank = most marginalised)")
    tips = [charts.tip("area", "Municipality"), charts.tip("metro_rank", "Marginalisation rank", "d"),
            charts.tip("base_homicides", "Homicides 2014–2015", ","),
            charts.tip("post_homicides", "Homicides 2016–2019", ","),
            charts.tip("base_rate", "Rate 2014–2015", ".1f"), charts.tip("post_rate", "Rate 2016–2019", ".1f"),
            charts.tip("ratio", "Rate ratio", ".2f"), *charts.interval_tips("ratio_low", "ratio_high", ".2f")]
    col = alt.Color("area:N", legend=None, scale=alt.Scale(domain=[short_name(c) for c in metro_codes()],
                                                           range=[CASE_COLORS[NAME]] + ["#777777"] * 8))
    bars = alt.Chart(d).mark_rule(strokeWidth=2).encode(
        x=alt.X("ratio_low:Q", title="Rate ratio, 2016–2019 vs 2014–2015 (log scale)",
                scale=alt.Scale(type="log", domain=[0.5, 5], nice=False)), x2="ratio_high:Q", y=y, color=col,
        tooltip=tips)
    pts = alt.Chart(d).mark_point(size=80, filled=True).encode(x="ratio:Q", y=y, color=col, tooltip=tips)
    one = charts.reference_rule(1.0, axis="x", strokeDash=[4, 3], color="#444444")
    return alt.layer(one, bars, pts).properties(
        height=280,
        title=alt.Title("Where did homicide come back after 2015?",
                        subtitle="Homicide rate 2016–2019 relative to 2014–2015, with exact 95% intervals"),
        description=_m3_description(d))


def _m3_description(d: pd.DataFrame) -> str:
    """The M3 chart's description, computed from the plotted ratios (no typed figures)."""
    base, post = (f"{a}–{b}" for a, b in (M3_BASE, M3_POST))
    ranked = d.sort_values("metro_rank")
    by_ratio = d.sort_values(["ratio", "metro_rank"])
    ratios = charts.and_list(f"{a} {r:.1f}" for a, r in zip(by_ratio["area"], by_ratio["ratio"], strict=True))
    widest = d.loc[(d["ratio_high"] / d["ratio_low"]).idxmax(), "area"]
    rho = marginalisation_rho(d)
    where = ("the rise is concentrated among the most marginalised" if rho >= GRADIENT_RHO
             else "there is no rise concentrated among the most marginalised")
    return (f"Dot-and-interval chart of the ratio of each metro municipality's homicide rate in {post} to its "
            f"rate in {base}, on a log scale, with municipalities ordered from the most marginalised "
            f"({ranked['area'].iloc[0]}, top) to the least ({ranked['area'].iloc[-1]}, bottom). From lowest to "
            f"highest, the ratios are {ratios}; {widest}'s interval is the widest. The rank correlation "
            f"between marginalisation and the ratio is {rho:.2f}: {where}.")


def chart_since_then() -> alt.LayerChart:
    """Since then: homicide investigation files per 100,000 a year, 2024 and January–June 2025 and the two
    pooled, for the nine metro municipalities, the other eight and the donor cities pooled, Nuevo León and
    the nation, with exact intervals (files, not deaths)."""
    d = since_then()
    d = d[["area", "group", "order", "year", "period", "count", "months", "population", "rate", "rate_low",
           "rate_high"]]
    order = list(dict.fromkeys(d.sort_values("order")["area"]))
    periods = list(dict.fromkeys(d.sort_values("year", key=lambda y: y.replace(0, 9999))["period"]))
    sel = alt.selection_point(fields=["period"], bind="legend")
    color = alt.Color("period:N", title="Period", sort=periods,
                      scale=alt.Scale(domain=periods, range=["#9e9e9e", "#c17d11", CASE_COLORS[NAME]]))
    y = alt.Y("area:N", sort=order, title=None)
    yoff = alt.YOffset("period:N", sort=periods, scale=alt.Scale(domain=periods))
    op = alt.condition(sel, alt.value(1.0), alt.value(0.15))
    tips = [charts.tip("area", "Area"), charts.tip("period", "Period"), charts.tip("count", "Investigation files", ","),
            charts.tip("months", "Months", "d"), charts.tip("population", "Population (2020 census)", ","),
            charts.tip("rate", "Files per 100,000 a year", ".1f"), *charts.interval_tips()]
    base = alt.Chart(d)
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("rate_low:Q", title="Homicide investigation files per 100,000 a year"), x2="rate_high:Q",
        y=y, yOffset=yoff, color=color, opacity=op, tooltip=tips)
    pts = base.mark_point(filled=True, size=60).encode(x="rate:Q", y=y, yOffset=yoff, color=color, opacity=op,
                                                        tooltip=tips).add_params(sel)
    return alt.layer(bars, pts).properties(
        height=alt.Step(12),
        title=alt.Title("Since then: homicide investigation files in metropolitan Monterrey, 2024 – June 2025",
                        subtitle=("SESNSP files (not deaths) per 100,000 a year, with exact 95% intervals; "
                                  "click a legend entry to highlight a period")),
        description=_since_then_description(d))


def _since_then_description(d: pd.DataFrame) -> str:
    """The since-then chart's description, computed from the plotted rates (no typed figures)."""
    both = d[d["year"] == 0].set_index("area")
    metro = d[(d["group"] == "Metro municipality") & (d["year"] == 0)].sort_values("rate")
    mty = d[d["area"] == NAME].set_index("year")["rate"]
    return ("Dot-and-interval chart of homicide investigation files (homicidio doloso and feminicidio, SESNSP's "
            "new instrument) per 100,000 inhabitants a year, in 2024, in January–June 2025 and in the two "
            "pooled, for the nine municipalities of metropolitan Monterrey from the most marginalised to the "
            f"least, the other eight pooled, the donor cities pooled, {STATE_NAME} and Mexico. "
            f"Over the eighteen months Monterrey has {both.loc[NAME, 'rate']:.1f} "
            f"({mty[2024]:.1f} in 2024, {mty[2025]:.1f} in the first half of 2025); among the nine, "
            f"{metro['area'].iloc[-1]} is highest at {metro['rate'].iloc[-1]:.1f} and {metro['area'].iloc[0]} "
            f"lowest at {metro['rate'].iloc[0]:.1f}; {STATE_NAME} has {both.loc[STATE_NAME, 'rate']:.1f} and the "
            f"nation {both.loc[NATIONAL_NAME, 'rate']:.1f}. Rates use the 2020 census population.")


def chart_since_then_state() -> alt.LayerChart:
    """Nuevo León's homicides counted by each instrument from 2015, full years, as separate lines."""
    d = state_since(full_years=True)
    d = d[["year", "value", "label", "unit", "series"]]
    labels = list(dict.fromkeys(d["label"]))
    scale = alt.Scale(domain=labels, range=["#222222", "#c17d11", "#5e3c99"][:len(labels)])
    return charts.line_with_breaks(
        d, x="year", y="value", color="label", color_title="Count", color_scale=scale,
        y_title="Homicides counted in the year", title="Nuevo León's homicides in three counts, 2015–2024",
        subtitle="Separate instruments, never joined; click a legend entry to highlight one",
        description=_since_then_state_description(d),
        tooltip=[charts.tip("label", "Count"), charts.tip("year", "Year", "d"), charts.tip("value", "Number", ","),
                 charts.tip("unit", "Unit")], y_format=",d")


def _since_then_state_description(d: pd.DataFrame) -> str:
    """The state chart's description, computed from the plotted counts."""
    w = d.pivot(index="year", columns="series", values="value")
    deaths, files = w["inegi_deaths"].dropna(), w["sesnsp_new_incidents"].dropna()
    same = w["sesnsp_new_victims"].dropna().equals(files)
    same_text = " Files and victims are equal in every year, so their two lines coincide." if same else ""
    return (f"Line chart of homicides in {STATE_NAME} by year from {int(w.index.min())}, in three separate series: "
            f"INEGI death records by year of occurrence (to {int(deaths.index.max())}) and SESNSP's new-instrument "
            f"investigation files and victims (to {int(files.index.max())}). Deaths rise from "
            f"{int(deaths.iloc[0]):,} in {int(deaths.index[0])} to {int(deaths.iloc[-1]):,} in "
            f"{int(deaths.index[-1])}; files peak at {int(files.max()):,} in {int(files.idxmax())}.{same_text}")


#: The chapter's charts, in the order it shows them.

def chart_locator() -> alt.LayerChart:
    """Where Monterrey lies: the city and the other municipalities of its metropolitan area in Nuevo León."""
    from ..generic import locator_map
    from .case import CODE, NAME, SLUG, STATE

    return locator_map(SLUG, {"metro": "Rest of the metropolitan area"}, name=NAME, code=CODE, states=[STATE],
                       title=f"{NAME} and its metropolitan area in Nuevo León",
                       description="The metropolitan municipalities surround the city in the centre of the state.")



CHARTS = (chart_locator,
          chart_timeline, chart_escalation, chart_kidnapping_monthly, chart_kidnapping_states, chart_city_crimes,
          chart_metro_rates, chart_insecurity, chart_synth, chart_placebos, chart_its, chart_its_scan, chart_m3,
          chart_since_then, chart_since_then_state)
