"""Ciudad Nezahualcóyotl: the chapter's charts, in the order the chapter shows them (``CHARTS``).

Party colours are the book's (:data:`enclaves.charts.theme.PARTY_COLORS`, one per party family) under the
chapter's labels (:data:`.case.FAMILY_LABELS`).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ... import charts
from ...charts.theme import CASE_COLORS, NATIONAL_NAME, NEUTRAL, STATE_COLORS, party_scale
from ...data import load
from . import series
from .case import (
    BREAK_YEAR,
    CDMX,
    CDMX_NAME,
    CODE,
    CRIME_LABELS,
    ENVIPE_LABELS,
    FAMILY_LABELS,
    GOVERNOR_LABELS,
    GROUP_LABELS,
    METHOD_BREAKS,
    NAME,
    NEW_INSTRUMENT_YEAR,
    PEAK_WINDOW,
    RATIO_LABELS,
    STATE,
    STATE_NAME,
    WINDOW_MONTHS,
)


def _area_scale(names) -> alt.Scale:
    return charts.area_scale(list(dict.fromkeys(names)))


def _rate_tips(*extra) -> list:
    """Tooltips of the charts of areas' rates: area, year, rate, deaths, ``extra`` and how years are counted."""
    return charts.rate_tips(*extra, charts.tip("year_basis", "Counted by year of"), deaths_format=",")


def chart_timeline() -> alt.LayerChart:
    d = series.comparison_rates()
    s = d[d["area"] == NAME][["year", "homicide_rate", "homicides"]]
    events = pd.DataFrame([
        (1996.6, "PRD wins (1996)"),
        (2000.0, "Occurrence basis from 2000"),
        (2009.5, "PRI returns (2009)"),
        (2013.0, "Reform era (2013)"),
        (2018.0, "NYT article (Jan 2018)"),
        (2018.5, "Coalition re-elects mayor (2018)"),
        (2021.5, "MORENA-led win (2021)"),
    ], columns=["date", "event"])
    s = s.assign(area=NAME)
    return charts.timeline(
        s, events, y="homicide_rate", color="area", color_scale=_area_scale([NAME]),
        y_title="Homicides per 100,000 inhabitants",
        title="Ciudad Nezahualcóyotl: homicide rate and political events, 1990–2021",
        description=("Line chart of Nezahualcóyotl's homicide rate per 100,000 from 1990 to 2021 with dashed "
                     "vertical rules for events: the PRD's first win in 1996, the change to counting deaths by "
                     "year of occurrence in 2000, the PRI's return in 2009, the police-reform era from 2013, the "
                     "New York Times article of January 2018, the 2018 coalition and the 2021 change of party. "
                     f"{_timeline_summary(s)}"))


def _timeline_summary(s: pd.DataFrame) -> str:
    """Words for the timeline's description, computed from Neza's plotted annual rates."""
    r = s.set_index(s["year"].astype(int))["homicide_rate"].astype(float)
    first, last = int(r.index.min()), int(r.index.max())
    low = int(r.loc[:BREAK_YEAR - 1].idxmin())
    peak = r.loc[PEAK_WINDOW[0]:PEAK_WINDOW[1]]
    drop = BREAK_YEAR + 1
    return (f"The rate falls from {r[first]:.0f} in {first} to a low of {r[low]:.0f} in {low}, rises to between "
            f"{peak.min():.0f} and {peak.max():.0f} in {PEAK_WINDOW[0]}-{PEAK_WINDOW[1]}, drops to {r[drop]:.0f} in "
            f"{drop} and ends at {r[last]:.0f} in {last}.")


def chart_before() -> alt.LayerChart:
    areas = [NAME, STATE_NAME, NATIONAL_NAME]
    d = series.comparison_rates()
    d = d[d["area"].isin(areas)]
    return charts.rate_with_interval(
        d, color="area", color_title="Area", color_scale=_area_scale(areas),
        y_title="Homicides per 100,000 inhabitants",
        title="Nezahualcóyotl against its state and the nation",
        subtitle="Bands: exact 95% Poisson intervals. Click a legend entry to highlight it",
        description=("Line chart with confidence bands of homicide rates per 100,000 for Nezahualcóyotl, "
                     "Estado de México and Mexico, 1990 to 2021. Neza stays below its state in the 1990s and "
                     "2000s, rises above the nation around 2010-2013 when the national rate is also high, and "
                     "falls below both from 2014."),
        breaks=METHOD_BREAKS,
        tooltip=_rate_tips(*charts.interval_tips()))


def chart_parties() -> alt.LayerChart:
    e = series.elections()
    g = series.governors()
    g = g[g["start_year"] + 0 < 2024]
    rows = pd.concat([
        e[["area", "mun_code", "year", "next_year", "family", "label", "winner", "mayor", "margin"]],
        g.rename(columns={"start_year": "year", "governor": "mayor", "nominating_parties": "winner"})
         .assign(label=g["party"].str.upper(), margin=np.nan, mun_code="gov" + g["state_code"])
         [["area", "mun_code", "year", "next_year", "family", "label", "winner", "mayor", "margin"]],
    ], ignore_index=True)
    rows["end"] = rows["next_year"].clip(upper=2024)
    rows["margin_pts"] = rows["margin"] * 100
    order = [GOVERNOR_LABELS[STATE], NAME] + [series.names()[c] for c in series.members("east_ring")] + \
            [series.names()[c] for c in series.members("cdmx_boroughs")] + [GOVERNOR_LABELS[CDMX]]
    winners = {f: lab for f, lab in FAMILY_LABELS.items() if f != "none"}  # every office here has a winner
    yenc = alt.Y("area:N", title=None, sort=order)
    tips = [charts.tip("area", "Office"), charts.tip("year", "Elected", "d"), charts.tip("winner", "Winning ticket"),
            charts.tip("family", "Party family"), charts.tip("mayor", "Winner (as spelled in source)"),
            charts.tip("margin_pts", "Margin (points)", ".1f")]
    bars = alt.Chart(rows).mark_bar(stroke="white", strokeWidth=1, height=16).encode(
        x=alt.X("year:Q", title="Year of election (bar runs to the next election)", axis=alt.Axis(format="d"),
                scale=alt.Scale(domain=[1987, 2024])),
        x2="end:Q", y=yenc,
        color=alt.Color("family:N", title="Party family of the winner", scale=party_scale(winners)),
        tooltip=tips)
    short = rows.assign(short=rows["family"].map({"PRI": "PRI", "PAN": "PAN", "PRD": "PRD", "MORENA": "MOR",
                                                  "Other party": "oth"}))
    dark_bg = "datum.family == 'PRI' || datum.family == 'PAN' || datum.family == 'MORENA'"
    text = alt.Chart(short).mark_text(align="left", dx=3, fontSize=9).encode(
        x="year:Q", y=yenc, text="short:N", tooltip=tips,
        color=alt.condition(dark_bg, alt.value("#ffffff"), alt.value("#111111")))
    return alt.layer(bars, text).properties(
        height=alt.Step(22),
        title=alt.Title("Who governed Neza, its neighbours and their states, 1987–2024",
                        subtitle="Party family of each election's winner; coalitions by their leading party"),
        description=("Chart of horizontal bars, one row per office: the governor of Estado de México, "
                     "Nezahualcóyotl, seven eastern-ring municipalities, four adjoining Mexico City boroughs and "
                     "Mexico City's head of government. Each bar is a term coloured by the winning party family. "
                     "The governor is PRI until 2023; Neza is PRD from 1996 to 2009 and again from 2012, with a "
                     "PRI term from 2009 and a MORENA-led coalition from 2021; most eastern-ring municipalities "
                     "are PRI for most terms; the Mexico City boroughs are PRD from 2000 and MORENA from 2018."))


def chart_monthly_break() -> alt.LayerChart:
    d = series.monthly_neza()
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%Y", tickCount="year"))
    bars = alt.Chart(d).mark_bar(color="#d9a3ab", opacity=0.8).encode(
        x=x, y=alt.Y("homicides:Q", title="Homicides per month (deaths)"),
        tooltip=[charts.tip("date", "Month", "%b %Y"), charts.tip("homicides", "Homicides"),
                 charts.tip("mean12", f"Centred {WINDOW_MONTHS}-month mean", ".1f")])
    line = alt.Chart(d).mark_line(color=CASE_COLORS[NAME], strokeWidth=2.5).encode(
        x=x, y="mean12:Q", tooltip=[charts.tip("date", "Month", "%b %Y"),
                                     charts.tip("mean12", f"Centred {WINDOW_MONTHS}-month mean", ".1f")])
    rule_d = pd.DataFrame({"date": [pd.Timestamp(year=BREAK_YEAR, month=1, day=1)],
                           "label": ["New government and police reform era"]})
    rule = alt.Chart(rule_d).mark_rule(strokeDash=[4, 3]).encode(x="date:T", tooltip=[charts.tip("label", "Event")])
    text = charts.event_labels(rule_d, x="date", label="label", x_type="T")
    return alt.layer(bars, line, rule, text).properties(
        title=alt.Title("Neza's monthly homicides around the start of the reform era, 2010–2016",
                        subtitle=("Bars: deaths per month by month of occurrence. Line: centred "
                                  f"{WINDOW_MONTHS}-month mean")),
        description=(f"Bar chart of monthly homicide counts in Nezahualcóyotl from {d['date'].min():%B %Y} to "
                     f"{d['date'].max():%B %Y}, with a line for the centred {WINDOW_MONTHS}-month mean and a rule at "
                     f"January {BREAK_YEAR}. {_monthly_break_summary(d)}"))


def _monthly_break_summary(d: pd.DataFrame) -> str:
    """Words for the monthly chart's description: mean monthly counts before and after the reform's start."""
    y0, y1 = PEAK_WINDOW
    after = d[d["year"] > BREAK_YEAR]
    return (f"Counts average {d.loc[d['year'].between(y0, y1), 'homicides'].mean():.0f} a month in {y0}-{y1} "
            f"and {after['homicides'].mean():.0f} a month in {BREAK_YEAR + 1}-{after['year'].max()}.")


def chart_neighbours() -> alt.LayerChart:
    d = series.comparison_rates()
    names = [NAME, GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"], STATE_NAME, NATIONAL_NAME]
    d = d[d["area"].isin(names)]
    rng = [CASE_COLORS[NAME], "#c17d11", "#5e3c99", STATE_COLORS[STATE_NAME], NEUTRAL["national"]]
    return charts.line_with_breaks(
        d, x="year", y="homicide_rate", color="area", color_title="Area",
        color_scale=alt.Scale(domain=names, range=rng),
        y_title="Homicides per 100,000 inhabitants",
        title="Nezahualcóyotl and its neighbours, 1990–2021",
        subtitle="Groups pooled: their homicides over their population. Click a legend entry to highlight it",
        description=("Line chart of homicide rates per 100,000 from 1990 to 2021 for Nezahualcóyotl, the seven "
                     "eastern-ring municipalities of Estado de México pooled, the four adjoining Mexico City "
                     "boroughs pooled, Estado de México and Mexico. Neza is below the eastern ring in almost every "
                     "year and close to the Mexico City boroughs; all series rise around 2010-2012."),
        breaks=METHOD_BREAKS,
        tooltip=_rate_tips())


def chart_monthly_dropdown() -> alt.LayerChart:
    """Neza against one neighbour picked from a dropdown: rolling 12-month rates, quarterly."""
    d = series.monthly_rolling()
    opts = [series.names()[c] for c in series.neighbours()]
    first = "Ecatepec"
    pick = alt.param(name="pick_neighbour", value=first,
                     bind=alt.binding_select(options=opts, name="Compare Neza with "))
    shown = alt.Chart(d).transform_filter(f"datum.area == pick_neighbour || datum.area == '{NAME}'")
    x = alt.X("t:Q", title=f"Year (end of {WINDOW_MONTHS}-month window)", axis=alt.Axis(format="d"))
    y = alt.Y("rate12:Q", title=f"Homicides per 100,000 (past {WINDOW_MONTHS} months)")
    color = alt.Color("area:N", title="Area", legend=None,
                      scale=alt.Scale(domain=[NAME, *opts],
                                      range=[CASE_COLORS[NAME]] + ["#5c5c5c"] * len(opts)))
    tips = [charts.tip("area", "Area"), charts.tip("period", "Window"),
            charts.tip("rate12", "Rate per 100,000", ".1f"), charts.tip("roll12", "Homicides in window", ",")]
    lines = shown.mark_line().encode(x=x, y=y, color=color, strokeDash=alt.StrokeDash(
        "area:N", legend=None, scale=alt.Scale(domain=[NAME, *opts], range=[[1, 0]] + [[5, 3]] * len(opts))),
        tooltip=tips).add_params(pick)
    pts = shown.mark_point(size=18).encode(x=x, y=y, color=color, tooltip=tips)
    rule = charts.breaks_layer([(BREAK_YEAR, "Reform era begins (2013)")], x="t")
    w = d.pivot(index="t", columns="area", values="rate12")[[NAME, first]].dropna()
    above = int((w[first] > w[NAME]).sum())
    return alt.layer(lines, pts, rule).properties(
        title=alt.Title("Neza against one neighbour at a time, 2000–2021",
                        subtitle=(f"Rolling {WINDOW_MONTHS}-month homicide rate at the end of each quarter. Solid "
                                  "red: Neza; dashed grey: the neighbour picked below")),
        description=(f"Line chart of the rolling {WINDOW_MONTHS}-month homicide rate per 100,000 for "
                     "Nezahualcóyotl (solid) and one neighbouring municipality or borough chosen from a dropdown "
                     f"(dashed), sampled every quarter from 2000 to 2021, with a rule at {BREAK_YEAR}. {first} is "
                     f"shown first: its rate is above Neza's in {above} of the {len(w)} quarters."))


def chart_sesnsp() -> alt.LayerChart:
    d = series.sesnsp_rates()
    crimes = list(CRIME_LABELS.values())
    pick = alt.param(name="pick_crime", value=CRIME_LABELS["homicidio_doloso"],
                     bind=alt.binding_select(options=crimes, name="Crime "))
    sel = alt.selection_point(fields=["area"], bind="legend")
    order = [NAME] + [series.names()[c] for c in series.neighbours() if series.names()[c] in set(d["area"])]
    palette = [CASE_COLORS[NAME], "#c17d11", "#1b9e77", "#7570b3", "#5c5c5c", "#e7298a", "#66a61e"]
    color = alt.Color("area:N", title="Municipality", scale=alt.Scale(domain=order, range=palette[:len(order)]))
    base = alt.Chart(d).transform_filter("datum.crime_label == pick_crime")
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(domain=[2011, 2015]))
    y = alt.Y("rate:Q", title="Incidents recorded per 100,000 inhabitants")
    tips = [charts.tip("area", "Municipality"), charts.tip("crime_label", "Crime"), charts.tip("year", "Year", "d"),
            charts.tip("rate", "Per 100,000", ".1f"), charts.tip("incidents", "Incidents", ","),
            *charts.interval_tips()]
    op = alt.condition(sel, alt.value(1.0), alt.value(0.15))
    lines = base.mark_line().encode(x=x, y=y, color=color, opacity=op, tooltip=tips).add_params(pick, sel)
    pts = base.mark_point().encode(x=x, y=y, color=color, opacity=op, tooltip=tips)
    bars = base.mark_rule().encode(x=x, y="rate_low:Q", y2="rate_high:Q", color=color, opacity=op)
    y0 = NEW_INSTRUMENT_YEAR
    nd = pd.DataFrame({"year": [y0], "label": [f"New SESNSP instrument ({y0})"],
                       "note": [f"SESNSP's new instrument starts in {y0}; this series keeps the old one"]})
    note = alt.layer(
        alt.Chart(nd).mark_rule(strokeDash=[4, 3]).encode(x="year:Q", tooltip=[charts.tip("note", "Note")]),
        charts.event_labels(nd, x="year", label="label"))
    return alt.layer(lines, pts, bars, note).properties(
        title=alt.Title("Crimes recorded by prosecutors: Neza and neighbours, 2011–2015",
                        subtitle="SESNSP, old instrument, full years only. Pick a crime; click a legend entry"),
        description=("Line chart of crimes recorded by prosecutors per 100,000 inhabitants, 2011 to 2015, for "
                     "Nezahualcóyotl and the neighbouring municipalities and boroughs in SESNSP's "
                     f"{load('crime_municipal_monthly')['mun_code'].nunique()}-city series "
                     f"({charts.and_list(order[1:])}), with 95% intervals. A dropdown picks the crime: intentional "
                     "homicide, kidnapping, extortion, or vehicle theft with or without violence. "
                     f"{_sesnsp_summary(d)}"))


def _sesnsp_summary(d: pd.DataFrame) -> str:
    """Words for the SESNSP chart's description, computed from Neza's plotted rates."""
    v = d[(d["area"] == NAME) & (d["crime"] == "robo_vehiculo_con_violencia")]
    v = v.set_index(v["year"].astype(int))["rate"].astype(float)
    last = int(v.index.max())
    return (f"Neza's violent vehicle theft falls steeply after {BREAK_YEAR}, from {v[BREAK_YEAR]:.0f} per "
            f"100,000 that year to {v[last]:.0f} in {last}.")


def chart_envipe() -> alt.FacetChart:
    d = series.envipe()
    domain = [STATE_NAME, CDMX_NAME, NATIONAL_NAME]
    sel = alt.selection_point(fields=["area"], bind="legend")
    color = alt.Color("area:N", title="Area", scale=alt.Scale(domain=domain, range=[STATE_COLORS[STATE_NAME],
                                                                                  "#5e3c99", NEUTRAL["national"]]))
    tips = [charts.tip("area", "Area"), charts.tip("indicator_label", "Indicator"), charts.tip("year", "Year", "d"),
            charts.tip("year_meaning", "Year is the"), charts.tip("edition", "ENVIPE edition", "d"),
            charts.tip("value", "Percent", ".1f")]
    base = alt.Chart(d).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickCount=5)),
        y=alt.Y("value:Q", title="Percent", scale=alt.Scale(zero=False)), color=color,
        opacity=alt.condition(sel, alt.value(1.0), alt.value(0.15)), tooltip=tips)
    layer = alt.layer(base.mark_line().add_params(sel), base.mark_point()).properties(width=185, height=220)
    return layer.facet(column=alt.Column("indicator_label:N", title=None,
                                         sort=list(ENVIPE_LABELS.values()),
                                         header=alt.Header(labelFontSize=10, labelLimit=240))).resolve_scale(
        y="independent").properties(
        title=alt.Title("Trust and reporting: Estado de México against Mexico City and the nation",
                        subtitle="ENVIPE survey estimates, state level (no municipal figures). Click a legend entry"),
        description=("Three small line charts from INEGI's ENVIPE survey for Estado de México, Mexico City and "
                     "Mexico: the share of adults who feel their state is unsafe (2011-2025), the share of crimes "
                     "not reported or not investigated (2011-2024), and the share of unreported crimes not "
                     "reported for reasons that blame the authorities (2011-2024). Estado de México's perceived "
                     "insecurity is above the national level in every year."))


def chart_terms() -> alt.LayerChart:
    t = series.neza_terms()
    t = t[t["has_data"]].copy()
    colors = party_scale(FAMILY_LABELS, present=t["family"])
    fam = colors.domain
    shapes = {"PRI": "triangle-up", "PAN": "diamond", "PRD": "square", "MORENA": "circle", "Other party": "cross"}
    yscale = alt.Scale(type="log", domain=[0.4, 1.6], nice=False)
    x = alt.X("term:N", title="Neza's term (calendar years counted)", sort=list(t["term"]),
              axis=alt.Axis(labelAngle=0))
    y = alt.Y("rr:Q", title="Neza's rate ÷ eastern ring's rate (ratio, log scale)", scale=yscale,
              axis=alt.Axis(values=[0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6]))
    color = alt.Color("family:N", title="Party family in Neza", scale=colors)
    shape = alt.Shape("family:N", title="Party family in Neza",
                      scale=alt.Scale(domain=fam, range=[shapes[f] for f in fam]))
    tips = [charts.tip("term", "Term"), charts.tip("election", "Elected", "d"), charts.tip("winner", "Winning ticket"),
            charts.tip("mayor", "Mayor (as spelled in source)"),
            charts.tip("neza_rate", "Neza rate per 100,000", ".1f"),
            charts.tip("ring_rate", "Eastern ring rate per 100,000", ".1f"), charts.tip("rr", "Ratio", ".2f"),
            *charts.interval_tips("rr_low", "rr_high", ".2f"), charts.tip("governor", "Governor's party")]
    base = alt.Chart(t)
    err = base.mark_rule(strokeWidth=2).encode(x=x, y=alt.Y("rr_low:Q", scale=yscale), y2="rr_high:Q",
                                                color=color, tooltip=tips)
    pts = base.mark_point(size=120, filled=True, stroke="#222222", strokeWidth=0.8, opacity=1).encode(
        x=x, y=y, color=color, shape=shape, tooltip=tips)
    one = alt.Chart(pd.DataFrame({"y": [1.0], "label": ["Same rate as the eastern ring"]})).mark_rule(
        color="#555555").encode(y=alt.Y("y:Q", scale=yscale), tooltip=[charts.tip("label", "Reference")])
    return alt.layer(err, pts, one).properties(
        width=620,
        title=alt.Title("Party and safety: Neza relative to the eastern ring, term by term",
                        subtitle="Points: rate ratio over the term's three calendar years; bars: exact 95% intervals"),
        description=("Dot chart of Nezahualcóyotl's homicide rate divided by the pooled eastern-ring rate for each "
                     f"municipal term from {t['term'].iloc[0]} to {t['term'].iloc[-1]}, coloured and shaped by the "
                     "party family that won Neza, with 95% intervals and a reference line at one (equal rates). "
                     f"{_terms_summary(t)} The PRI terms of 1991-96 and 2010-12 sit among the PRD terms rather "
                     "than apart from them."))


def _terms_summary(t: pd.DataFrame) -> str:
    """Which terms' rate ratios are below one, computed from the plotted terms."""
    above = t[t["rr"] >= 1]
    if above.empty:
        return f"All {len(t)} terms are below one."
    which = charts.and_list(f"{r.term}, {r.family}" for r in above.itertuples())
    if len(above) == 1:
        return f"All terms but one ({which}) are below one."
    return f"{len(t) - len(above)} of the {len(t)} terms are below one; the exceptions are {which}."


def chart_synth() -> alt.LayerChart:
    r = series.counterfactual().main
    f = r.frame()
    f["gap"] = f["year"].map(r.gap)
    return charts.synthetic_control(
        f, actual=NAME, synthetic="Synthetic Neza", colors=[CASE_COLORS[NAME], "#5c5c5c"],
        title="Neza and its synthetic control, 2000–2021",
        subtitle="Weights fitted on 2000–2012 only. Click a legend entry to highlight it",
        description=("Line chart of Nezahualcóyotl's homicide rate per 100,000 and of its synthetic control, a "
                     "weighted average of Estado de México and Mexico City donor municipalities fitted on "
                     "2000-2012, through 2021. The two lines track each other closely to 2012; from 2014 Neza is "
                     "below its synthetic control in every year."),
        breaks=[(2010, "Pop. base 2010"), (BREAK_YEAR, "Reform era (2013)"), (2015, "Pop. base 2015")],
        tooltip=[charts.tip("gap", "Neza minus synthetic", ".1f")])


def chart_placebo() -> alt.LayerChart:
    r = series.counterfactual().main
    p = r.placebo.assign(treated=False)
    p = pd.concat([pd.DataFrame([{"unit": CODE, "pre_rmspe": r.pre_rmspe, "post_rmspe": r.post_rmspe,
                                  "ratio": r.ratio, "treated": True}]), p], ignore_index=True)
    p["area"] = p["unit"].map(series.names())
    p["role"] = np.where(p["treated"], "Nezahualcóyotl (real reform)", "Donor treated as if reformed (placebo)")
    order = list(p.sort_values("ratio", ascending=False)["area"])
    tips = [charts.tip("area", "Municipality"), charts.tip("ratio", "Post/pre RMSPE ratio", ".2f"),
            charts.tip("pre_rmspe", "Pre-period RMSPE (per 100,000)", ".2f"),
            charts.tip("post_rmspe", "Post-period RMSPE (per 100,000)", ".2f"), charts.tip("role", "Role")]
    bars = alt.Chart(p).mark_bar().encode(
        y=alt.Y("area:N", sort=order, title=None), x=alt.X("ratio:Q", title="Post-2013 error ÷ pre-2013 error (ratio)"),
        color=alt.Color("role:N", title=None, legend=alt.Legend(labelLimit=400),
                        scale=alt.Scale(domain=["Nezahualcóyotl (real reform)",
                                                                      "Donor treated as if reformed (placebo)"],
                                                              range=[CASE_COLORS[NAME], "#a6a6a6"])),
        tooltip=tips)
    return bars.properties(
        height=alt.Step(14),
        title=alt.Title("Placebo test: is Neza's post-2013 departure unusual?",
                        subtitle="Each donor refitted as if it had reformed in 2013; larger ratio = bigger departure"),
        description=("Horizontal bar chart of the ratio of post-2013 to pre-2013 root mean squared prediction "
                     "error for Nezahualcóyotl and for every donor municipality refitted as a placebo. Neza's bar "
                     "is coloured; several donors have larger ratios than Neza, so its departure from its "
                     "synthetic control is not unusual in this pool."))


def chart_ratio() -> alt.LayerChart:
    d = series.annual_ratios()
    names = list(dict.fromkeys(d["comparison"]))
    c = charts.rate_with_interval(
        d, y="rr", low="rr_low", high="rr_high", color="comparison", color_title="Comparison",
        color_scale=alt.Scale(domain=names, range=["#c17d11", "#5e3c99"]),
        y_title="Neza's homicide rate ÷ neighbours' rate (ratio)",
        title="How much safer than the neighbours? Rate ratios, 1990–2021",
        subtitle="Below one: Neza safer. Bands: exact 95% intervals. Click a legend entry to highlight it",
        description=("Line chart with bands of Nezahualcóyotl's homicide rate divided by the pooled rate of the "
                     "eastern ring and, separately, of the four adjoining Mexico City boroughs, "
                     f"{d['year'].min()} to {d['year'].max()}, with a reference line at one (equal rates). "
                     f"{_ratio_summary(d)}"),
        breaks=[(2000, "Registration → occurrence basis"), (BREAK_YEAR, "Reform era (2013)"),
                (2019, "Coalition term (2019)")],
        tooltip=[charts.tip("comparison", "Comparison"), charts.tip("year", "Year", "d"),
                 charts.tip("rr", "Rate ratio", ".2f"), *charts.interval_tips("rr_low", "rr_high", ".2f")])
    one = alt.Chart(pd.DataFrame({"y": [1.0], "label": ["Equal rates"]})).mark_rule(color="#555555").encode(
        y="y:Q", tooltip=[charts.tip("label", "Reference")])
    return alt.layer(c, one).properties(title=c.title, description=c.description)


def _ratio_summary(d: pd.DataFrame) -> str:
    """The years in which each plotted rate ratio is at or above one, in words."""
    out = []
    words = {RATIO_LABELS["east_ring"]: "eastern ring", RATIO_LABELS["cdmx_boroughs"]: "Mexico City boroughs"}
    for comparison, g in d.dropna(subset=["rr"]).groupby("comparison", sort=False):
        above = g.loc[g["rr"] >= 1, "year"].astype(int)
        whom = words.get(comparison, comparison)
        if above.empty:
            out.append(f"The ratio to the {whom} is below one in every year.")
        else:
            out.append(f"The ratio to the {whom} is below one in {len(g) - len(above)} of {len(g)} years; it is "
                       f"one or above in {charts.year_spans(above)}.")
    return " ".join(out)


def chart_since_then() -> alt.LayerChart:
    """Since then: homicide investigation files per 100,000 a year, 2024 and January–June 2025 and the two
    pooled, for Neza, its neighbours (pooled and one by one), the two states and the nation, with exact
    intervals (files, not deaths)."""
    d = series.since_then()
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
    tips = [charts.tip("area", "Area"), charts.tip("group", "Group"), charts.tip("period", "Period"),
            charts.tip("count", "Investigation files", ","), charts.tip("months", "Months", "d"),
            charts.tip("population", "Population (2020 census)", ","),
            charts.tip("rate", "Files per 100,000 a year", ".1f"), *charts.interval_tips()]
    base = alt.Chart(d)
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("rate_low:Q", title="Homicide investigation files per 100,000 a year"), x2="rate_high:Q",
        y=y, yOffset=yoff, color=color, opacity=op, tooltip=tips)
    pts = base.mark_point(filled=True, size=55).encode(x="rate:Q", y=y, yOffset=yoff, color=color, opacity=op,
                                                        tooltip=tips).add_params(sel)
    return alt.layer(bars, pts).properties(
        height=alt.Step(10),
        title=alt.Title("Since then: homicide investigation files in Neza and its neighbours, 2024 – June 2025",
                        subtitle=("SESNSP files (not deaths) per 100,000 a year, with exact 95% intervals; "
                                  "click a legend entry to highlight a period")),
        description=_since_then_description(d))


def _since_then_description(d: pd.DataFrame) -> str:
    """The since-then chart's description, computed from the plotted rates (no typed figures)."""
    both = d[d["year"] == 0].set_index("area")
    one = d[(d["group"] == "One neighbour") & (d["year"] == 0)].sort_values("rate")
    nz = d[d["area"] == NAME].set_index("year")["rate"]
    ring, cdmx = GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"]
    lower = one[one["rate"] < nz[0]]["area"].tolist()
    below = (f"{len(one) - len(lower)} of the {len(one)} neighbours have a higher rate than Neza"
             + (f"; only {charts.and_list(lower)} has a lower one" if len(lower) == 1 else "")
             + (f"; {charts.and_list(lower)} have lower ones" if len(lower) > 1 else ""))
    return ("Dot-and-interval chart of homicide investigation files (homicidio doloso and feminicidio, SESNSP's "
            "new instrument) per 100,000 inhabitants a year, in 2024, in January–June 2025 and in the two "
            "pooled, for Nezahualcóyotl, the eastern ring and the adjoining Mexico City boroughs pooled, each "
            f"of their members, {STATE_NAME}, {CDMX_NAME} and Mexico. Over the eighteen months Neza has "
            f"{nz[0]:.1f} ({nz[2024]:.1f} in 2024, {nz[2025]:.1f} in the first half of 2025), against "
            f"{both.loc[ring, 'rate']:.1f} in the eastern ring and {both.loc[cdmx, 'rate']:.1f} in the boroughs; "
            f"{below}. Rates use the 2020 census population.")


def chart_since_then_state() -> alt.LayerChart:
    """Estado de México's and Mexico City's homicides counted by each instrument from 2015, full years, as
    separate lines."""
    d = series.state_since(full_years=True)
    short = {"inegi_deaths": "deaths (INEGI)", "sesnsp_new_incidents": "files (SESNSP)",
             "sesnsp_new_victims": "victims (SESNSP)"}
    d = d.assign(line=d["area"] + ", " + d["series"].map(short))[["year", "value", "area", "label", "unit",
                                                                   "series", "line"]]
    lines = [f"{a}, {v}" for a in (STATE_NAME, CDMX_NAME) for v in short.values()]
    scale = alt.Scale(domain=lines, range=["#222222", STATE_COLORS[STATE_NAME], "#f08c3c",
                                           "#7a7a7a", "#5e3c99", "#9e9ac8"])
    return charts.line_with_breaks(
        d, x="year", y="value", color="line", color_title="State and count", color_scale=scale,
        y_title="Homicides counted in the year",
        title="Estado de México and Mexico City: homicides in three counts, 2015–2024",
        subtitle="Separate instruments, never joined; click a legend entry to highlight one",
        description=_since_then_state_description(d),
        tooltip=[charts.tip("area", "State"), charts.tip("label", "Count"), charts.tip("year", "Year", "d"),
                 charts.tip("value", "Number", ","), charts.tip("unit", "Unit")], y_format=",d"
    ).configure_legend(columns=3, labelLimit=300)


def _since_then_state_description(d: pd.DataFrame) -> str:
    """The state chart's description, computed from the plotted counts."""
    out = []
    for area in (STATE_NAME, CDMX_NAME):
        w = d[d["area"] == area].pivot(index="year", columns="series", values="value")
        deaths, files = w["inegi_deaths"].dropna(), w["sesnsp_new_incidents"].dropna()
        per = (files[deaths.index] / deaths)
        out.append(f"In {area} deaths run from {int(deaths.iloc[0]):,} in {int(deaths.index[0])} to "
                   f"{int(deaths.iloc[-1]):,} in {int(deaths.index[-1])}, with between {per.min():.2f} and "
                   f"{per.max():.2f} files per death; files peak at {int(files.max()):,} in {int(files.idxmax())} "
                   f"and stand at {int(files.iloc[-1]):,} in {int(files.index[-1])}.")
    return (f"Line chart of homicides by year from {int(d['year'].min())} in {STATE_NAME} and {CDMX_NAME}, each in "
            "three separate series: INEGI death records by year of occurrence and SESNSP's new-instrument "
            "investigation files and victims. " + " ".join(out))


#: The chapter's charts in the order it shows them.

def chart_locator() -> alt.LayerChart:
    """Where Nezahualcóyotl lies: the city, the eastern ring of Estado de México and the adjoining boroughs
    of Mexico City."""
    from ..generic import locator_map
    from .case import CODE, NAME, SLUG

    return locator_map(SLUG, {"east_ring": "Eastern ring", "cdmx_boroughs": "Adjoining Mexico City boroughs"},
                       name=NAME, code=CODE, states=["09", "15"],
                       title=f"{NAME} between Mexico City and the eastern ring",
                       description="Nezahualcóyotl lies on the boundary between the two states.")



CHARTS = (chart_locator,
          chart_timeline, chart_before, chart_parties, chart_monthly_break, chart_neighbours, chart_monthly_dropdown,
          chart_sesnsp, chart_envipe, chart_terms, chart_synth, chart_placebo, chart_ratio, chart_since_then,
          chart_since_then_state)
