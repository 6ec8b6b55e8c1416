"""Tancítaro's charts, in the order the chapter shows them (``CHARTS``).

Every chart has a title and a description; descriptions that state figures compute them from the data
the chart draws (the ``_*_summary`` helpers).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ... import charts
from ...charts.theme import CASE_COLORS, NEUTRAL, STATE_COLORS
from ...geo import NATIONAL_NAME, mun_names
from .. import generic
from .case import (
    APATZINGAN,
    BELT,
    BREAK_YEAR,
    CODE,
    LAST_MUNICIPAL_YEAR,
    NAME,
    POP_BREAKS,
    REPORT_X,
    REST_OF_STATE,
    SELF_DEFENCE,
    SINCE_FIRST,
    SINCE_LAST,
    SLUG,
    STATE_NAME,
    T1_THRESHOLD_USD_PER_DAY,
    T5_ELECTION_YEAR,
    UPRISING_X,
    WEST_LABEL,
)
from .series import (
    avocado_belt_production,
    codes,
    comparison_rates,
    counterfactual,
    export_estimates,
    exports_monthly,
    margins_by_election,
    monthly,
    municipal_rates,
    placebo_gaps,
    since_then_rates,
    state_sources,
    suicide_compare,
)

#: The comparison groups' colours (the case's and the state's come from the book's theme).
GROUP_COLORS = {BELT: "#c17d11", SELF_DEFENCE: "#5e3c99"}


def _scale(names_: list[str]) -> alt.Scale:
    fixed = {NAME: CASE_COLORS[NAME], STATE_NAME: STATE_COLORS[STATE_NAME], NATIONAL_NAME: NEUTRAL["national"],
             **GROUP_COLORS}
    dom = list(dict.fromkeys(names_))
    greys = ["#9e9e9e", "#7a7a7a", "#5c5c5c"]
    return alt.Scale(domain=dom, range=[fixed.get(n, greys[i % 3]) for i, n in enumerate(dom)])


def _rates(areas: list[str]) -> pd.DataFrame:
    """The annual rates (with intervals) of some of the comparison areas."""
    d = comparison_rates()
    return d[d["area"].isin(areas)]


def _rates_chart(d: pd.DataFrame, areas: list[str], **kw) -> alt.LayerChart:
    """The annual homicide rates of ``areas`` (their rows ``d``, from :func:`_rates`) with exact intervals,
    one colour each; ``kw``: the titles, the description and the breaks."""
    return charts.rate_with_interval(d, color="area", color_title="Area", color_scale=_scale(areas),
                                     y_title="Homicides per 100,000 inhabitants",
                                     tooltip=charts.rate_tips(*charts.interval_tips()), **kw)


def timeline_events() -> pd.DataFrame:
    """The case's dated events (``data/mappings/timeline_tancitaro.csv``, each from a cited source) as positions
    on a year axis with short labels."""
    t = generic.timeline(SLUG)
    return pd.DataFrame({"date": t["x"], "event": t["label"]})


def timeline_table() -> str:
    """The dated events as the chapter lists them (a MyST table: date, what happened, the source)."""
    return generic.timeline_markdown(SLUG)


def chart_timeline():
    t = comparison_rates()
    t = t[t["area"].isin([NAME, STATE_NAME]) & (t["year"] <= LAST_MUNICIPAL_YEAR)]
    return charts.timeline(
        t, timeline_events(), y="homicide_rate", color="area", color_scale=_scale([NAME, STATE_NAME]),
        y_title="Homicides per 100,000 inhabitants",
        title="Tancítaro's homicide rate and the events around it, 2000-2021",
        description=("Line chart of homicides per 100,000 inhabitants per year, 2000 to 2021, for Tancítaro and "
                     "Michoacán, with dashed vertical rules for the dated events of the case ("
                     + "; ".join(f"{e.event}, {d}" for e, d in zip(timeline_events().itertuples(),
                                                                   generic.timeline(SLUG)["date"], strict=True))
                     + "). Tancítaro's rate is jagged and mostly above the state's until 2013, then falls below "
                     "it while the state's rate climbs after 2015."))


def chart_case_rates():
    areas = [NAME, STATE_NAME, NATIONAL_NAME]
    d = _rates(areas)
    return _rates_chart(
        d, areas, title="Tancítaro against Michoacán and Mexico, 2000-2021",
        subtitle="Bands: exact Poisson 95% intervals. Click a legend entry to highlight it",
        description=("Line chart with shaded 95% intervals of annual homicide rates per 100,000 for Tancítaro, "
                     f"Michoacán and Mexico, {d['year'].min()}-{d['year'].max()}. Tancítaro's band is very wide "
                     f"because its counts are small; {_case_rates_summary(d)}"),
        breaks=[POP_BREAKS[0], (UPRISING_X, "Uprising"), POP_BREAKS[1]])


def _case_rates_summary(d: pd.DataFrame) -> str:
    """Words for the case-rates chart's description, computed from Tancítaro's plotted rates."""
    r = d[d["area"] == NAME].set_index("year")["homicide_rate"].astype(float)
    before, after = r[r.index < BREAK_YEAR], r[r.index >= BREAK_YEAR]
    return (f"its rate swings between {before.min():.0f} and {before.max():.0f} before {BREAK_YEAR} and never "
            f"exceeds {after.max():.0f} afterwards, while Michoacán's and Mexico's rates rise after 2015.")


def chart_avocado():
    a = avocado_belt_production()
    order = [NAME] + [n for n in a.groupby("area")["tonnes"].sum().sort_values(ascending=False).index if n != NAME]
    scale = alt.Scale(domain=order, range=[CASE_COLORS[NAME], "#c17d11", "#5e3c99", "#1b9e77", "#9e9e9e",
                                           "#7a7a7a", "#bdbdbd", "#5c5c5c"])
    return charts.line_with_breaks(
        a, x="year", y="thousand_tonnes", color="area", color_title="Municipality", color_scale=scale,
        y_title="Avocado production (thousand tonnes)",
        title="Avocado production in Tancítaro and its neighbours, 2003-2023",
        subtitle="SIAP year-end estimates. Click a legend entry to highlight a municipality",
        description=(f"Line chart of annual avocado production in thousand tonnes, {a['year'].min()}-"
                     f"{a['year'].max()}, for Tancítaro and seven avocado-belt municipalities. {_avocado_summary(a)}"),
        breaks=[(UPRISING_X, "Uprising (Nov 2013)")],
        tooltip=[charts.tip("area", "Municipality"), charts.tip("year", "Year", "d"),
                 charts.tip("thousand_tonnes", "Thousand tonnes", ",.1f"),
                 charts.tip("planted_ha", "Planted hectares", ",.0f"),
                 charts.tip("share_pct", "Share of national output (%)", ".1f")])


def _avocado_summary(a: pd.DataFrame) -> str:
    """Words for the avocado chart's description, computed from the plotted production."""
    med = a.groupby("area")["thousand_tonnes"].median()
    first, second = a.groupby("area")["thousand_tonnes"].sum().sort_values(ascending=False).index[:2]
    t = a[a["area"] == NAME].set_index("year")["thousand_tonnes"].astype(float)
    low, last = int(t.idxmin()), int(t.index.max())
    return (f"Over the period {first} produces the most, a median of {med[first]:.0f} thousand tonnes a year, "
            f"followed by {second} with {med[second]:.0f}. Tancítaro's output dips to {t[low]:.0f} thousand "
            f"tonnes in {low} and rises from {t[last - 1]:.0f} to {t[last]:.0f} in {last}.")


def chart_monthly():
    m = monthly()
    zero_share = float((m["homicides"] == 0).mean() * 100)
    peak = m.loc[m["rolling_12"].idxmax()]
    late13 = float(m.loc[(m["year"] == 2013) & (m["month"] == 12), "rolling_12"].iloc[0])
    after = float(m.loc[m["year"] >= 2015, "rolling_12"].max())
    base = alt.Chart(m)
    x = alt.X("date:T", title="Month of occurrence", axis=alt.Axis(format="%Y"))
    bars = base.mark_bar(color=NEUTRAL["light"], width=2).encode(
        x=x, y=alt.Y("homicides:Q", title="Homicides (deaths)"),
        tooltip=[charts.tip("date:T", "Month"), charts.tip("homicides:Q", "Homicides that month", ".0f")])
    line = base.mark_line(color=CASE_COLORS[NAME]).encode(
        x=x, y="rolling_12:Q",
        tooltip=[charts.tip("date:T", "Month"), charts.tip("rolling_12:Q", "Homicides in the last 12 months", ".0f")])
    rule = alt.Chart(pd.DataFrame({"date": [pd.Timestamp("2013-11-01")], "label": ["Uprising (late 2013)"]}))
    rules = rule.mark_rule(strokeDash=[4, 3]).encode(x="date:T", tooltip=[charts.tip("label:N", "Event")])
    text = charts.event_labels(rule.data, x="date", label="label", x_type="T")
    return alt.layer(bars, line, rules, text).properties(
        title=alt.Title("Tancítaro's homicides month by month, 2000-2021",
                        subtitle="Grey bars: deaths in the month; green line: deaths in the trailing twelve months"),
        description=("Bar chart of monthly homicide counts in Tancítaro from January 2000 to December 2021 "
                     f"(no deaths in {zero_share:.0f}% of months), with a line for the trailing twelve-month "
                     f"total. The twelve-month total peaks at {peak['rolling_12']:.0f} in "
                     f"{peak['date']:%B %Y}, stands near {late13:.0f} at the end of 2013, and never exceeds "
                     f"{after:.0f} from 2015 on."))


def chart_groups():
    order = [NAME, BELT, SELF_DEFENCE, STATE_NAME]
    return _rates_chart(
        _rates(order), order,
        title="Tancítaro, its avocado neighbours and the Tierra Caliente self-defence towns",
        subtitle="Pooled rates of each group with exact 95% intervals. Click a legend entry to highlight it",
        description=("Line chart with 95% interval bands of annual homicide rates per 100,000, 2000-2021, for "
                     "Tancítaro, the seven avocado-belt neighbours pooled, the five Tierra Caliente self-defence "
                     "municipalities pooled and Michoacán. The self-defence towns are the most violent group "
                     "and peak in 2013 and again in 2016-2018; the avocado neighbours rise sharply after 2016; "
                     "Tancítaro falls after 2013."),
        breaks=[(UPRISING_X, "Uprising (Nov 2013)")])


def chart_dropdown():
    comp = codes("avocado_belt") + codes("self_defence")
    d = municipal_rates([CODE, *comp])
    nm = mun_names()
    options = [nm[c] for c in comp]
    return charts.with_dropdown(
        d, field="area", options=options, default=nm[APATZINGAN], label="Compare Tancítaro with",
        x="year", y="homicide_rate", fixed=NAME, fixed_label="Municipality",
        y_title="Homicides per 100,000 inhabitants",
        title="Tancítaro against one comparison municipality at a time, 2000-2021",
        description=("Line chart of annual homicide rates per 100,000 for Tancítaro and one municipality chosen "
                     "from a dropdown menu listing the seven avocado-belt neighbours and the five Tierra Caliente "
                     "self-defence municipalities; Apatzingán is shown first. Most comparison municipalities "
                     "are more violent than Tancítaro after 2015."),
        breaks=[(UPRISING_X, "Uprising (Nov 2013)")])


def chart_exports():
    m = exports_monthly()
    lo03, hi03 = (float(v) for v in m.loc[m["year"] == 2003, "usd_million"].agg(["min", "max"]))
    lo_late, hi_late = (float(v) for v in m.loc[m["year"] >= 2017, "usd_million"].agg(["min", "max"]))
    base = alt.Chart(m)
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%Y"))
    line = base.mark_line(color=CASE_COLORS[NAME], strokeWidth=1.5).encode(
        x=x, y=alt.Y("usd_million:Q", title="Avocado exports (US$ million per month)"),
        tooltip=[charts.tip("date:T", "Month"), charts.tip("usd_million:Q", "US$ million", ",.1f")])
    return line.properties(
        title=alt.Title("Mexico's avocado exports by month, 2003-2024",
                        subtitle="Banxico, all destinations, current US dollars, not seasonally adjusted"),
        description=("Line chart of Mexico's monthly avocado export value in millions of current US dollars "
                     f"from January 2003 to {m['date'].max():%B %Y}. Exports rise from "
                     f"{lo03:.0f}-{hi03:.0f} million a month in 2003 to between {lo_late:.0f} and {hi_late:.0f} "
                     "million a month from 2017 on, with a dip in the summer months."))


def chart_synth():
    return charts.synthetic_control(
        counterfactual().main.frame(), actual=NAME, synthetic=f"Synthetic {NAME}",
        colors=[CASE_COLORS[NAME], NEUTRAL["state"]], y="homicide_rate",
        title="Tancítaro and its synthetic control, 2000-2021",
        subtitle="Synthetic: weighted average of similar-sized Michoacán municipalities fitted on 2000-2013",
        breaks=[(UPRISING_X, "Uprising (Nov 2013)")],
        description=("Line chart comparing Tancítaro's annual homicide rate per 100,000 with a synthetic "
                     "Tancítaro, a weighted average of Michoacán municipalities of similar size, 2000-2021. "
                     "Before 2014 the synthetic line is smoother than Tancítaro's jagged series; after 2013 "
                     "Tancítaro stays mostly below the synthetic, most clearly in 2016-2019."))


def chart_placebo():
    g = placebo_gaps()
    sel = alt.selection_point(fields=["unit"], on="pointerover", clear="pointerout", nearest=False)
    base = alt.Chart(g)
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    donors = base.transform_filter(alt.datum.kind != NAME).mark_line(strokeWidth=1).encode(
        x=x, y=alt.Y("gap:Q", title="Actual minus synthetic rate (per 100,000)"), detail="unit:N",
        color=alt.value(NEUTRAL["comparison"]),
        opacity=alt.condition(sel, alt.value(0.95), alt.value(0.35)),
        tooltip=[charts.tip("unit:N", "Municipality"), charts.tip("year:Q", "Year", "d"),
                 charts.tip("gap:Q", "Gap per 100,000", ".1f")]).add_params(sel)
    case = base.transform_filter(alt.datum.kind == NAME).mark_line(strokeWidth=3, color=CASE_COLORS[NAME]).encode(
        x=x, y="gap:Q", tooltip=[charts.tip("unit:N", "Municipality"), charts.tip("year:Q", "Year", "d"),
                                 charts.tip("gap:Q", "Gap per 100,000", ".1f")])
    zero = charts.reference_rule(0, color="#888888")
    brk = charts.breaks_layer([(UPRISING_X, "Uprising (Nov 2013)")])
    return alt.layer(donors, zero, case, brk).properties(
        title=alt.Title("Placebo test: Tancítaro's gap against every donor's",
                        subtitle="Green: Tancítaro; grey: each donor refitted as if it had the break. Hover a line"),
        description=("Line chart of the gap between actual and synthetic homicide rates per 100,000, 2000-2021, "
                     "for Tancítaro (thick green line) and for each donor municipality treated as a placebo "
                     "(thin grey lines). Tancítaro's pre-2014 gaps are among the widest, and its post-2013 "
                     f"negative gap lies within the spread of the placebo gaps. {_placebo_summary(g)}"))


def _placebo_summary(g: pd.DataFrame) -> str:
    """How far the placebo gaps swing after 2015, computed from the plotted gaps."""
    late = g[(g["kind"] != NAME) & (g["year"] > 2015)]
    swing = late.groupby("unit")["gap"].apply(lambda x: float(x.abs().max()))
    return (f"After 2015, half of the {len(swing)} donors' gaps reach {swing.median():.0f} per 100,000 or more, "
            f"in either direction, in at least one year; the widest reaches {swing.max():.0f}.")


def chart_t1():
    e = export_estimates()
    long = e.melt(id_vars="year", value_vars=["national_share", "state_share", "ceiling", "farm_gate"],
                  var_name="method", value_name="usd_per_day")
    labels = {"national_share": "National-share estimate", "state_share": "Michoacán-share estimate",
              "ceiling": "Whole crop exported", "farm_gate": "Farm-gate value"}
    over = e.loc[e["state_share"] >= T1_THRESHOLD_USD_PER_DAY, "year"].astype(int).tolist()
    low_max = e.loc[e["national_share"].idxmax()]
    long["method"] = long["method"].map(labels)
    long["usd_million_per_day"] = long["usd_per_day"] / 1e6
    order = list(labels.values())
    scale = alt.Scale(domain=order, range=[CASE_COLORS[NAME], "#c17d11", "#9e9e9e", "#5e3c99"])
    chart = charts.line_with_breaks(
        long, x="year", y="usd_million_per_day", color="method", color_title="Estimate", color_scale=scale,
        y_title="US$ million per day (current dollars)",
        title="How many dollars of avocados does Tancítaro export a day?",
        subtitle=("Estimates from SIAP production and INEGI exports; dotted line: the claimed "
                  f"US${T1_THRESHOLD_USD_PER_DAY / 1e6:.0f} million"),
        description=("Line chart of four estimates, in millions of current US dollars per day, 2003-2023: "
                     "Tancítaro's exports estimated from its share of national output, from its share of "
                     "Michoacán's output, a ceiling that assumes its whole crop is exported, and the farm-gate "
                     "value of its whole crop. A horizontal line marks one million dollars a day: the "
                     f"Michoacán-share estimate is above it in {', '.join(map(str, over))}; the national-share "
                     f"estimate never reaches it (its highest value is {low_max['national_share'] / 1e6:.2f} "
                     f"million in {int(low_max['year'])})."),
        breaks=[(REPORT_X, "Report (Jan 2018)")],
        tooltip=[charts.tip("method", "Estimate"), charts.tip("year", "Year", "d"),
                 charts.tip("usd_million_per_day", "US$ million per day", ".2f")])
    line = alt.Chart(pd.DataFrame({"y": [T1_THRESHOLD_USD_PER_DAY / 1e6],
                                   "label": [f"US${T1_THRESHOLD_USD_PER_DAY / 1e6:.0f} million a day"]}))
    thr = line.mark_rule(strokeDash=[2, 2], color="#333333").encode(
        y="y:Q", tooltip=[charts.tip("label:N", "Threshold")])
    return alt.layer(chart, thr).properties(title=chart.title, description=chart.description)


def chart_suicide():
    s = suicide_compare()
    order = s["area"].tolist()
    cscale = alt.Scale(domain=[NAME, BELT, SELF_DEFENCE, "State and nation"],
                       range=[CASE_COLORS[NAME], GROUP_COLORS[BELT], GROUP_COLORS[SELF_DEFENCE],
                              NEUTRAL["national"]])
    base = alt.Chart(s)
    y = alt.Y("area:N", sort=order, title=None)
    tips = [charts.tip("area:N", "Area"), charts.tip("suicides:Q", "Suicides registered 2024", ",.0f"),
            charts.tip("suicide_rate:Q", "Rate per 100,000", ".1f"), *charts.interval_tips("rate_low:Q", "rate_high:Q")]
    bars = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("rate_low:Q", title="Suicides per 100,000 inhabitants (2024 registrations)"), x2="rate_high:Q",
        color=alt.Color("group_label:N", title="Group", scale=cscale), tooltip=tips)
    pts = base.mark_point(filled=True, size=60).encode(
        y=y, x="suicide_rate:Q", color=alt.Color("group_label:N", scale=cscale), tooltip=tips)
    return alt.layer(bars, pts).properties(
        height=340,
        title=alt.Title("Suicide in 2024: one year, small numbers",
                        subtitle="Deaths registered in 2024 by place of occurrence, with exact 95% intervals"),
        description=("Dot-and-interval chart of suicide rates per 100,000 for deaths registered in 2024, by "
                     "municipality of occurrence, for Tancítaro, its seven avocado-belt neighbours, the five "
                     f"Tierra Caliente self-defence municipalities, Michoacán and Mexico. {_suicide_summary(s)}"))


def _suicide_summary(s: pd.DataFrame) -> str:
    """Words for the suicide chart's description, computed from the plotted rates and intervals."""
    muns = s[s["group_label"] != "State and nation"]
    t = muns[muns["area"] == NAME].iloc[0]
    rank = int((muns["suicide_rate"] > t["suicide_rate"]).sum()) + 1
    others = muns[muns["area"] != NAME]
    zero = sorted(others.loc[others["suicides"] == 0, "area"])
    reach = int((others["rate_high"] > t["suicide_rate"]).sum())
    where = "the highest" if rank == 1 else f"the {charts.ordinal(rank)} highest"
    none = (f"{charts.and_list(zero)} recorded none" if zero else "every municipality recorded at least one")
    return (f"Tancítaro's rate, {t['suicide_rate']:.1f} per 100,000 from {int(t['suicides'])} deaths, is {where} "
            f"among the municipalities, but its interval runs from {t['rate_low']:.1f} to {t['rate_high']:.1f}; "
            f"{none}, and the intervals of {reach} other municipalities reach above Tancítaro's rate.")


def chart_elections():
    e = margins_by_election()
    base = alt.Chart(e)
    x = alt.X("year:O", title="Election year")
    y = alt.Y("margin_pts:Q", title="Winner's margin over runner-up (percentage points)")
    tips = [charts.tip("mun_name:N", "Municipality"), charts.tip("year:O", "Year"),
            charts.tip("winner:N", "Winner (parties)"), charts.tip("margin_pts:Q", "Margin (points)", ".1f"),
            charts.tip("vote_share_pct:Q", "Winner's vote share (%)", ".1f")]
    others = base.transform_filter(alt.datum.area != NAME).mark_tick(color=NEUTRAL["comparison"], opacity=0.6,
                                                                     thickness=1.5).encode(x=x, y=y, tooltip=tips)
    median = base.transform_filter(alt.datum.area != NAME).mark_point(
        shape="diamond", size=70, color=NEUTRAL["national"], filled=True).encode(
        x=x, y=alt.Y("median(margin_pts):Q"),
        tooltip=[charts.tip("year:O", "Year"), alt.Tooltip("median(margin_pts):Q", title="State median margin",
                                                           format=".1f")])
    case = base.transform_filter(alt.datum.area == NAME).mark_point(
        size=110, filled=True, color=CASE_COLORS[NAME]).encode(x=x, y=y, tooltip=tips)
    return alt.layer(others, median, case).properties(
        width=620,
        title=alt.Title("How close were Tancítaro's mayoral races?",
                        subtitle="Green dot: Tancítaro; grey ticks: the other Michoacán municipalities; "
                                 "black diamond: their median"),
        description=("Strip chart of the winning margin in percentage points of every Michoacán municipal "
                     f"election from {e['year'].min()} to {e['year'].max()} ({e['year'].max()} only for Tancítaro), "
                     "one grey tick per municipality, a black diamond for the state median and a green dot for "
                     f"Tancítaro. {_elections_summary(e)}"))


def _elections_summary(e: pd.DataFrame) -> str:
    """Tancítaro's closest races and its T5 election's margin and rank, computed from the plotted margins."""
    t = e[e["area"] == NAME].set_index("year")["margin_pts"].astype(float)
    close = t.nsmallest(3).sort_index()
    y = T5_ELECTION_YEAR
    that = e[e["year"] == y]["margin_pts"].astype(float)
    rank = int((that > t[y]).sum()) + 1
    return (f"Tancítaro's three closest races, in {charts.and_list(close.index)}, were won by "
            f"{charts.and_list(f'{m:.1f}' for m in close)} points, but in {y} its margin of {t[y]:.0f} points "
            f"is the {charts.ordinal(rank)} largest of the {len(that)} margins that year.")


#: The chapter's charts, in the order it shows them.

def chart_locator() -> alt.LayerChart:
    """Where Tancítaro lies: the case, its avocado-belt neighbours and the self-defence towns in Michoacán."""
    from ..generic import locator_map
    from .case import CODE, GROUP_LABELS, NAME, SLUG, STATE

    return locator_map(SLUG, {g: GROUP_LABELS[g] for g in ("avocado_belt", "self_defence")}, name=NAME,
                       code=CODE, states=[STATE], title=f"{NAME} and its comparison towns in Michoacán",
                       description=("The avocado belt lies on the uplands around Uruapan; the self-defence towns lie "
                                    "to the south, in the Tierra Caliente."))



def chart_since_then():
    """Investigation files per 100,000 a year, January 2024 - June 2025: Tancítaro, its groups, each comparison
    municipality and the rest of Michoacán, with exact intervals."""
    d = since_then_rates()
    order = d.sort_values("rate", ascending=False)["area"].tolist()
    groups = [NAME, WEST_LABEL, BELT, SELF_DEFENCE, REST_OF_STATE]
    cscale = alt.Scale(domain=groups, range=[CASE_COLORS[NAME], "#1b9e77", GROUP_COLORS[BELT],
                                             GROUP_COLORS[SELF_DEFENCE], STATE_COLORS[STATE_NAME]])
    d = d.assign(shape=d["kind"].map({"Group": "Pooled group or rest of state", "Municipality": "One municipality"}))
    base = alt.Chart(d)
    y = alt.Y("area:N", sort=order, title=None)
    tips = [charts.tip("area:N", "Area"), charts.tip("files:Q", "Files, Jan 2024-Jun 2025", ",.0f"),
            charts.tip("files_2024:Q", "Files in 2024", ",.0f"),
            charts.tip("files_2025:Q", "Files, Jan-Jun 2025", ",.0f"),
            charts.tip("rate:Q", "Files per 100,000 a year", ".1f"), *charts.interval_tips("rate_low:Q", "rate_high:Q")]
    bars = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("rate_low:Q", title="Homicide investigation files per 100,000 inhabitants a year"),
        x2="rate_high:Q", color=alt.Color("group:N", title="Group", scale=cscale), tooltip=tips)
    pts = base.mark_point(filled=True, size=60).encode(
        y=y, x="rate:Q", color=alt.Color("group:N", scale=cscale),
        shape=alt.Shape("shape:N", title="Row", scale=alt.Scale(domain=["Pooled group or rest of state",
                                                                       "One municipality"],
                                                               range=["square", "circle"])), tooltip=tips)
    return alt.layer(bars, pts).properties(
        height=380,
        title=alt.Title(f"Since then: homicide investigation files, {SINCE_FIRST} to {SINCE_LAST}",
                        subtitle=("SESNSP files for homicidio doloso and feminicidio (not deaths), per 100,000 a "
                                  "year, with exact 95% intervals")),
        description=("Dot-and-interval chart of homicide investigation files (homicidio doloso and feminicidio, "
                     f"SESNSP, new instrument) per 100,000 inhabitants a year, {SINCE_FIRST} to {SINCE_LAST}, "
                     "for Tancítaro, the pooled western avocado towns, the avocado belt and the self-defence towns, "
                     f"each comparison municipality and the rest of Michoacán. {_since_then_summary(d)}"))


def _since_then_summary(d: pd.DataFrame) -> str:
    """Words for the since-then chart's description, computed from the plotted rates."""
    r = d.set_index("area")
    t, rest = r.loc[NAME], r.loc[REST_OF_STATE]
    top = r[r["kind"] == "Municipality"]["rate"].idxmax()
    zero = sorted(r.index[r["files"] == 0])
    none = f" {charts.and_list(zero)} recorded none." if zero else ""
    return (f"Tancítaro had {int(t['files'])} files, {t['rate']:.1f} a year per 100,000 (interval "
            f"{t['rate_low']:.1f} to {t['rate_high']:.1f}), against {rest['rate']:.1f} in the rest of the state and "
            f"{r.loc[WEST_LABEL, 'rate']:.1f} in the western avocado towns; {top} is highest at "
            f"{r.loc[top, 'rate']:.1f}.{none}")


def chart_since_then_state():
    """Michoacán's homicides by instrument, one labelled line each, 2000 to June 2025 (never joined)."""
    d = state_sources()
    full, part = d[~d["part_year"]], d[d["part_year"]]
    labels = list(dict.fromkeys(d.sort_values("series")["label"]))
    scale = alt.Scale(domain=labels, range=[STATE_COLORS[STATE_NAME], "#1f5fa8", "#6f9fd8", "#c17d11", "#e6ab02"])
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    tips = [charts.tip("label:N", "Series"), charts.tip("unit:N", "Unit"), charts.tip("year:Q", "Year", "d"),
            charts.tip("value:Q", "Count", ",.0f"), charts.tip("months:Q", "Months", "d")]
    color = alt.Color("label:N", title="Series", scale=scale, legend=alt.Legend(orient="bottom", columns=1,
                                                                                labelLimit=520))
    lines = alt.Chart(full).mark_line(point=True).encode(
        x=x, y=alt.Y("per_year:Q", title="Count a year (deaths, files or victims)"), color=color,
        detail="series:N", tooltip=tips)
    half = alt.Chart(part).mark_point(filled=False, size=90, strokeWidth=2).encode(
        x=x, y="per_year:Q", color=color,
        tooltip=[*tips, charts.tip("per_year:Q", "At an annual pace (count × 12 / months)", ",.0f")])
    peak = full[full["series"] == "sesnsp_new_incidents"].set_index("year")["value"]
    deaths = full[full["series"] == "inegi_deaths"].set_index("year")["value"]
    p = part[part["series"] == "sesnsp_new_incidents"].iloc[0]
    return alt.layer(lines, half).properties(
        title=alt.Title(f"{STATE_NAME}'s homicides by instrument, {int(d['year'].min())} to {SINCE_LAST}",
                        subtitle=("Each source its own line, never joined; hollow points: part years (2025: "
                                  "January-June) at an annual pace, scaled up by the months missing")),
        description=(f"Line chart of {STATE_NAME}'s annual homicide counts from separate instruments: INEGI death "
                     "records by year of occurrence, SESNSP's old-instrument investigation files and victims, and "
                     "its new-instrument files and victims for homicidio doloso and feminicidio. INEGI deaths run to "
                     f"{int(deaths.index.max())} and peak at {int(deaths.max()):,} in {int(deaths.idxmax())}; "
                     f"new-instrument files peak at {int(peak.max()):,} in {int(peak.idxmax())} and fall to "
                     f"{int(peak.iloc[-1]):,} in {int(peak.index.max())}; January-June {int(p['year'])} had "
                     f"{int(p['value']):,} files, {int(p['per_year']):,} at an annual pace."))


CHARTS = (chart_locator,
          chart_timeline, chart_case_rates, chart_avocado, chart_monthly, chart_groups, chart_dropdown,
          chart_exports, chart_synth, chart_placebo, chart_t1, chart_suicide, chart_elections, chart_since_then_state,
          chart_since_then)
