"""Cross-case analysis: the chapter's charts and tables, in the order the chapter shows them.

The chapter opens with the three cases side by side (:func:`enclaves.cases.compare.chart_relative`), then
the states, the governors, the comparisons across states, the within-state models, the municipalities and
the question of cause or symptom. ``CHARTS`` lists the charts in that order.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...charts import NEUTRAL, interval_tips, reference_rule, tip
from ...charts.builders import breaks_layer
from ...charts.theme import party_scale
from ...data import load
from ...series import state_names
from ..compare import chart_relative
from .capacity import chart_capacity
from .case import (
    BETWEEN,
    BETWEEN_LABELS,
    ENVIPE,
    ENVIPE_USUAL,
    EVENT_K,
    FAMILY_NAMES,
    FORWARD,
    LAST_YEAR,
    LATER_YEARS,
    MEASURE_COLORS,
    MEASURES,
    MUN_SPECS,
    PAIR_COLORS,
    SCALE_LABELS,
    SPECS,
    SURVEY_YEARS,
    TOWN_HALL,
)
from .rd_charts import chart_rd_checks, chart_rd_estimates, chart_rd_plot
from .series import (
    between_correlations,
    between_states,
    election_models,
    event_study,
    governor_years,
    municipal_models,
    state_models,
    state_panel,
    wjp_associations,
)


def _title(title: str, subtitle: str | None = None):
    return alt.Title(title, subtitle=subtitle) if subtitle else title


#: The axis of the charts of standardised coefficients.
STD_TITLE = "Standardised coefficient (within-state SDs per within-state SD)"


def _coef_chart(d: pd.DataFrame, *, x: str, lo: str, hi: str, y: str, color: str | None, title: str,
                subtitle: str, x_title: str, y_title: str, description: str, y_sort=None,
                tooltip: list | None = None, color_title: str | None = None, height: int | None = None,
                color_scale: alt.Scale | None = None):
    """Point-and-interval chart of coefficients with a zero line; legend selection when coloured."""
    base = alt.Chart(d)
    enc_y = alt.Y(f"{y}:N", title=y_title, sort=y_sort, axis=alt.Axis(labelLimit=320, titlePadding=14))
    tips = tooltip or [tip(y, y_title), tip(f"{x}:Q", "Estimate", ".2f"), *interval_tips(f"{lo}:Q", f"{hi}:Q", ".2f")]
    enc = {"y": enc_y, "tooltip": tips}
    sel = None
    if color:
        sel = alt.selection_point(fields=[color], bind="legend")
        enc["color"] = alt.Color(f"{color}:N", title=color_title or color, legend=alt.Legend(labelLimit=320),
                                 scale=color_scale if color_scale is not None else alt.Scale(range=PAIR_COLORS))
        enc["yOffset"] = alt.YOffset(f"{color}:N")
        enc["opacity"] = alt.condition(sel, alt.value(1.0), alt.value(0.15))
    plain = {} if color else {"color": NEUTRAL["national"]}
    bars = base.mark_rule(strokeWidth=2, **plain).encode(x=alt.X(f"{lo}:Q", title=x_title), x2=f"{hi}:Q", **enc)
    pts = base.mark_point(size=60, filled=True, **plain).encode(x=f"{x}:Q", **enc)
    if sel is not None:
        pts = pts.add_params(sel)
    zero = reference_rule(0.0, axis="x", field="zero", color=NEUTRAL["state"], strokeDash=[2, 2])
    props = {"title": _title(title, subtitle), "description": description}
    n_rows = d[y].nunique() * (d[color].nunique() if color else 1)
    props["height"] = height or max(200, 34 * n_rows)
    return alt.layer(zero, bars, pts).properties(**props)


def _std_chart(d: pd.DataFrame, *, y: str, y_label: str, color: str, color_title: str, nobs_label: str, **kw):
    """:func:`_coef_chart` of standardised coefficients (``std`` and its interval), one colour per ``color``;
    tooltips: the row (``y_label``), the colour, the estimate and interval, and the observations."""
    tips = [tip(y, y_label), tip(color, color_title), tip("std:Q", "Estimate", ".2f"),
            *interval_tips("std_low:Q", "std_high:Q", ".2f"), tip("nobs:Q", nobs_label, "d")]
    return _coef_chart(d, x="std", lo="std_low", hi="std_high", y=y, color=color, color_title=color_title,
                       x_title=STD_TITLE, tooltip=tips, **kw)


def chart_state_rates() -> alt.LayerChart:
    """Heat map: homicide rate by state and year, 2000-2022, states ordered by their mean rate."""
    d = state_panel()[["state_name", "year", "homicide_rate", "homicides"]].copy()
    order = d.groupby("state_name")["homicide_rate"].mean().sort_values(ascending=False).index.tolist()
    heat = alt.Chart(d).mark_rect().encode(
        x=alt.X("year:O", title="Year (deaths by year of occurrence)", axis=alt.Axis(labelAngle=0, values=list(
            range(2000, LAST_YEAR + 1, 2)))),
        y=alt.Y("state_name:N", title="State (highest mean rate at the top)", sort=order),
        color=alt.Color("homicide_rate:Q", title="Homicides per 100,000", scale=alt.Scale(
            type="sqrt", scheme="orangered")),
        tooltip=[tip("state_name", "State"), tip("year:Q", "Year", "d"),
                 tip("homicide_rate:Q", "Homicides per 100,000", ".1f"), tip("homicides:Q", "Homicides", ",.0f")])
    br = pd.DataFrame({"year": [2010, 2015], "label": ["Population base 2010", "Population base 2015"]})
    rules = alt.Chart(br).mark_rule(strokeDash=[4, 3], strokeWidth=1.5, color=NEUTRAL["national"]).encode(
        x=alt.X("year:O", bandPosition=0), tooltip=[tip("label", "Note")])
    n_states, first, last = d["state_name"].nunique(), int(d["year"].min()), int(d["year"].max())
    return alt.layer(heat, rules).properties(
        height=560, title=_title(f"Homicide rates in the {n_states} states, {first}-{last}",
                                 "Deaths per 100,000 inhabitants; dashed lines: CONAPO population base changes"),
        description=(f"Heat map of the homicide rate per 100,000 inhabitants in each of Mexico's {n_states} states "
                     f"(rows, most violent on average at the top) for every year from {first} to {last} (columns). "
                     "Most states darken sharply after 2008; a few stay pale throughout."))


def chart_envipe_state(default: str = "Nuevo León") -> alt.LayerChart:
    """ENVIPE's three measures for one state picked from a dropdown, against the nation."""
    e = load("envipe_state")
    e = e[e.indicator.isin(ENVIPE)].copy()
    names = state_names()
    e["area"] = e["state_code"].astype(str).map(names)
    e["measure"] = e["indicator"].map({k: MEASURES[k]["short"] for k in ENVIPE})
    e["who"] = np.where(e["state_code"] == "00", "Nation", "Chosen state")
    e = e[["area", "measure", "who", "year", "value"]].astype({"year": int, "value": float})
    options = sorted(a for a in e["area"].unique() if a != names["00"])
    pick = alt.param(name="pick_state", value=default,
                     bind=alt.binding_select(options=options, name="State "))
    base = alt.Chart(e).transform_filter(f"datum.area == pick_state || datum.area == '{names['00']}'")
    enc = {"x": alt.X("year:Q", title="ENVIPE year (crime year; fieldwork year for 'Feels unsafe')",
                      axis=alt.Axis(format="d")),
           "y": alt.Y("value:Q", title="Percent", scale=alt.Scale(domain=[30, 100])),
           "color": alt.Color("measure:N", title="Measure", scale=alt.Scale(
               domain=[MEASURES[k]["short"] for k in ENVIPE], range=[MEASURE_COLORS[MEASURES[k]["short"]]
                                                                      for k in ENVIPE])),
           "strokeDash": alt.StrokeDash("who:N", title="Line", scale=alt.Scale(
               domain=["Chosen state", "Nation"], range=[[1, 0], [4, 3]])),
           "tooltip": [tip("area", "Area"), tip("measure", "Measure"), tip("year:Q", "Year", "d"),
                       tip("value:Q", "Percent", ".1f")]}
    lines = base.mark_line().encode(**enc).add_params(pick)
    pts = base.mark_point().encode(**{k: v for k, v in enc.items() if k != "strokeDash"})
    brk = breaks_layer([(2011.5, "Non-reporting causes redefined after 2011")])
    return alt.layer(lines, pts, brk).properties(
        title=_title("What victims tell the ENVIPE survey, by state",
                     "Pick a state; dashed lines are the nation"),
        description=(f"Line chart of three ENVIPE survey measures from {e['year'].min()} to {e['year'].max()} "
                     "for a state chosen from a dropdown and for the nation: the dark figure of crime, the share "
                     "of unreported crimes blamed on the authorities and the share of adults who feel their state "
                     f"is unsafe. {_envipe_usual(e)}"))


def _envipe_usual(e: pd.DataFrame) -> str:
    """Words for the ENVIPE chart's description: each measure's usual range over the states' plotted values."""
    q = e[e["who"] == "Chosen state"].groupby("measure")["value"].quantile(list(ENVIPE_USUAL)).unstack()
    lo, hi = ENVIPE_USUAL
    what = {"cifra_negra_pct": "the dark figure", "authority_causes_pct": "the share blaming the authorities",
            "insecurity_api": "the share feeling unsafe"}
    ranges = [f"between {q.loc[MEASURES[k]['short'], lo]:.0f} and {q.loc[MEASURES[k]['short'], hi]:.0f} "
              f"percent for {what[k]}" for k in ENVIPE]
    return (f"Across the states and years, the middle {hi - lo:.0%} of values lie {', '.join(ranges[:-1])}, "
            f"and {ranges[-1]}.")


def governor_terms(first: int = 1990, last: int = LAST_YEAR) -> pd.DataFrame:
    """One row per governor and state: the span of full calendar years in office within
    ``first``-``last`` (first-full-year rule), party family and whether it was an alternation."""
    g = governor_years(first, last)
    g = g[g.gov_family.notna()].copy()
    g["state_code"] = g["state_code"].astype(str)
    keys = ["state_code", "gov_start_year", "governor"]
    t = g.groupby(keys, as_index=False).agg(
        year_from=("year", "min"), year_to=("year", "max"), family=("gov_family", "first"),
        parties=("gov_parties", "first"), alternation=("gov_alternation", "first"))
    t["year_end"] = t["year_to"] + 1
    t["state_name"] = t["state_code"].map(state_names())
    t["family"] = t["family"].astype(object).map(FAMILY_NAMES)
    t["new_alternation"] = (t["alternation"] == 1) & (t["year_from"] == t["gov_start_year"] + 1)
    return t


def chart_governors() -> alt.LayerChart:
    t = governor_terms()
    first_non_pri = t[t.family != "PRI"].groupby("state_name")["year_from"].min()
    order = sorted(t.state_name.unique(), key=lambda s: (first_non_pri.get(s, 9999), s))
    t = t[["state_name", "year_from", "year_to", "year_end", "family", "governor", "parties", "gov_start_year",
           "new_alternation"]]
    base = alt.Chart(t)
    tips = [tip("state_name", "State"), tip("governor", "Governor"), tip("family", "Party family"),
            tip("parties", "Nominated by"), tip("gov_start_year:Q", "Elected (start_year)", "d"),
            tip("year_from:Q", "First full year", "d"), tip("year_to:Q", "Last year shown", "d")]
    y = alt.Y("state_name:N", title="State (earliest non-PRI governor at the top)", sort=order)
    bars = base.mark_bar(stroke="white", strokeWidth=0.6).encode(
        x=alt.X("year_from:Q", title="Year (first full year in office onwards)", axis=alt.Axis(
            format="d", values=list(range(1990, LAST_YEAR + 1, 4))),
                scale=alt.Scale(domain=[1990, LAST_YEAR + 1], nice=False)),
        x2="year_end:Q", y=y,
        color=alt.Color("family:N", title="Governor's party family", scale=party_scale(FAMILY_NAMES)),
        tooltip=tips)
    dots = base.transform_filter("datum.new_alternation").transform_calculate(mid="datum.year_from + 0.5").mark_point(
        shape="circle", size=28, filled=True, color="white", stroke="#111111", strokeWidth=0.8).encode(
        x="mid:Q", y=y, tooltip=tips)
    return alt.layer(bars, dots).properties(
        height=560, title=_title("Who governed each state, 1990-2022",
                                 "Party family of the governor; white dots: first full year after an alternation"),
        description=("Chart of horizontal bars, one row per state, showing the party family of the governor in "
                     "office in each year from 1990 to 2022 (PRI red, PAN blue, PRD yellow, Morena maroon, "
                     "other grey), with white dots marking the first full year of a governor from a different "
                     "family than the predecessor. PRI rule covers nearly every row in the early 1990s and "
                     "shrinks in waves, the last around 2018-2021."))


#: The state map's measures, in menu order: homicide first, then the survey measures of a weak state.
MAP_MEASURES = {"rate_later": "Homicides per 100,000", "cifra_negra_pct": "Dark figure (%)",
                "authority_causes_pct": "Blames the authorities (%)", "insecurity_api": "Feels unsafe (%)"}


def state_map_values() -> pd.DataFrame:
    """One row per state and measure for the state map: the mean homicide rate of the later years and each
    ENVIPE measure averaged over the survey years (the same averages as the between-state comparison)."""
    b = between_states()
    out = b.melt(id_vars="state_code", value_vars=list(MAP_MEASURES), var_name="key", value_name="value")
    out["measure"] = out["key"].map(MAP_MEASURES)
    return out[["state_code", "measure", "value"]].dropna().reset_index(drop=True)


def chart_state_map() -> alt.LayerChart:
    """The states on a map: homicide or a measure of a weak state (menu), each in fifths of the states."""
    from ...charts import maps

    return maps.choropleth(
        state_map_values(), value="value", by="measure", by_label="Measure", level="state", per_option=True,
        default=MAP_MEASURES["rate_later"], title="Violence and a weak state, state by state",
        what="value of the chosen measure", value_format=",.1f",
        subtitle=(f"Homicides averaged over {LATER_YEARS[0]}-{LATER_YEARS[1]}; survey measures over the crime "
                  f"years {SURVEY_YEARS[0]}-{SURVEY_YEARS[1]}; classes are fifths of the states"),
        description=("Compare where killing is high with where crimes go unreported or victims blame the "
                     "authorities: if weakness drove violence, the same states would be dark on both."))


def between_long() -> pd.DataFrame:
    """Long table for the between-state scatter: one row per state and measure."""
    b = between_states()
    rows = []
    for m in ("cifra_negra_pct", "authority_causes_pct", "insecurity_api"):
        ycol = BETWEEN[m][0]
        years = LATER_YEARS
        rows.append(pd.DataFrame({"state_name": b["state_name"], "measure": BETWEEN_LABELS[m],
                                  "value": b[m].astype(float), "rate": b[ycol].astype(float),
                                  "rate_years": f"{years[0]}-{years[1]}"}))
    return pd.concat(rows, ignore_index=True)


def chart_between() -> alt.LayerChart:
    """Scatter across the 32 states: a measure (picked from a dropdown) against later homicide rates."""
    d = between_long()
    opts = list(d["measure"].unique())
    pick = alt.param(name="pick_measure", value=opts[1], bind=alt.binding_select(options=opts, name="Measure "))
    base = alt.Chart(d).transform_filter("datum.measure == pick_measure")
    pts = base.mark_point(size=70, filled=True, opacity=0.8).encode(
        x=alt.X("value:Q", title="Value of the chosen measure (percent)",
                scale=alt.Scale(zero=False)),
        y=alt.Y("rate:Q", title="Homicides per 100,000 in later years (log scale)", scale=alt.Scale(type="log")),
        tooltip=[tip("state_name", "State"), tip("measure", "Measure"), tip("value:Q", "Value", ".2f"),
                 tip("rate:Q", "Homicides per 100,000", ".1f"), tip("rate_years", "Homicide years")],
    ).add_params(pick)
    fit = base.transform_calculate(log_rate="log(datum.rate)").transform_regression(
        "value", "log_rate").transform_calculate(rate="exp(datum.log_rate)").mark_line(
        color=NEUTRAL["state"], strokeDash=[6, 3]).encode(x="value:Q", y="rate:Q")
    n_states = d["state_name"].nunique()
    return alt.layer(pts, fit).properties(
        title=_title(f"Weaker state, more violence? Across the {n_states} states",
                     "Each point a state: measure averaged over the earlier years, homicides over later years"),
        description=(f"Scatter plot of the {n_states} states with a measure chosen from a dropdown on the horizontal "
                     "axis (dark figure, share blaming the authorities, or share feeling unsafe) and the later "
                     "homicide rate on a log scale on the vertical axis, with a dashed least-squares line on "
                     "the log scale."))


def wjp_rows() -> pd.DataFrame:
    """The WJP correlations as chart rows: one per edition and scale of the level analysis, and the change."""
    w = wjp_associations()
    w = w.assign(_o=(w.analysis == "change") * 10 + w.edition.eq(2023) * 3
                 + w.scale.map({"log": 0, "rate": 1, "rank": 2, "difference": 0})).sort_values("_o")
    ed = {2019: "2019-2020 edition", 2023: "2022-2023 edition"}
    out = w.assign(
        row=np.where(w.analysis == "change", "Change in score, 2019-20 to 2022-23",
                     w.edition.map(ed) + ", " + w.scale.map({"log": "log rate (main)", "rate": "rate",
                                                               "rank": "ranks (Spearman)"})),
        what=np.where(w.analysis == "change", "Score change against homicide-rate change " + w.homicide_years,
                      "Score against mean homicide rate " + w.homicide_years))
    return out[["row", "what", "r", "r_low", "r_high", "loo_r_min", "loo_r_max", "loo_state_name", "n"]]


def chart_wjp() -> alt.LayerChart:
    """The rule-of-law index against homicide: r with its 95% interval and the leave-one-state-out range."""
    d = wjp_rows()
    order = list(d["row"])
    y = alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    tips = [tip("row", "Correlation"), tip("what", "What"), tip("r:Q", "r", ".2f"),
            *interval_tips("r_low:Q", "r_high:Q", ".2f"), tip("loo_r_min:Q", "Smallest r leaving one state out", ".2f"),
            tip("loo_r_max:Q", "Largest r leaving one state out", ".2f"),
            tip("loo_state_name", "State that moves r most"), tip("n:Q", "States", "d")]
    base = alt.Chart(d)
    ci = base.mark_rule(color=NEUTRAL["state"], strokeWidth=1.5).encode(
        x=alt.X("r_low:Q", title="Correlation across the states (r)", scale=alt.Scale(domain=[-1, 1])),
        x2="r_high:Q", y=y, tooltip=tips)
    loo = base.mark_rule(color="#111111", strokeWidth=6, opacity=0.35).encode(
        x="loo_r_min:Q", x2="loo_r_max:Q", y=y, tooltip=tips)
    pt = base.mark_point(filled=True, size=70, color="#111111").encode(x="r:Q", y=y, tooltip=tips)
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 3], color="#777777").encode(x="x:Q")
    return alt.layer(ci, loo, pt, zero).properties(
        height=26 * len(d), title=_title("The rule-of-law index and homicide across the states",
                                         "Dot: r; thin line: 95% interval; thick band: range leaving one state out"),
        description=(f"Dot-and-interval chart of the correlation across the {int(d['n'].max())} states "
                     "between the World Justice Project rule-of-law score and the homicide rate, for each "
                     "edition (2019-2020 and 2022-2023) on three scales (log rate, rate, ranks), and of the "
                     "change in score between editions against the change in homicide rate 2019-2022. "
                     + _wjp_summary(d) + " Only these statistics are shown because the scores themselves may "
                     "not be republished."))


def _wjp_summary(d: pd.DataFrame) -> str:
    """What the WJP chart shows, in words, from its rows."""
    neg, n = int((d.r < 0).sum()), len(d)
    clear = int(((d.r_low > 0) | (d.r_high < 0)).sum())
    stable = int(((d.loo_r_max < 0) | (d.loo_r_min > 0)).sum())
    return (f"{neg} of the {n} correlations are negative, the sign the thesis predicts; {clear} of the {n} "
            f"intervals exclude zero; leaving out any one state keeps the sign of {stable} of the {n}.")


def table_between() -> pd.DataFrame:
    """Between-state correlations on the three scales."""
    rows = []
    for scale, lab in SCALE_LABELS.items():
        for r in between_correlations(scale).itertuples(index=False):
            rows.append({"Measure": r.label, "Scale": lab, "Correlation": f"{r.r:.2f}",
                         "95% interval": f"{r.r_low:.2f} to {r.r_high:.2f}", "States": int(r.n),
                         "Sign X1 predicts": "+" if r.predicted_sign > 0 else "−",
                         "Counts in the verdict": "yes" if r.counted else "no (a symptom, not a cause)"})
    return pd.DataFrame(rows)


def chart_main_coefficients() -> alt.LayerChart:
    t = state_models()
    d = t[(t.spec == SPECS[0]) & (t.direction == FORWARD)].copy()
    d["row"] = d["measure"].map(lambda m: MEASURES[m]["short"] + (", 0 → 1" if m == "gov_alternation"
                                                                  else ", +1 SD"))
    d = d[["row", "per_step", "per_step_low", "per_step_high", "step", "nobs", "p_value"]]
    return _coef_chart(
        d, x="per_step", lo="per_step_low", hi="per_step_high", y="row", color=None,
        title="State weakness this year, homicides next year",
        subtitle=("Two-way fixed effects (state and year), errors clustered by state; 95% intervals; "
                  "SD: one within-state standard deviation"),
        x_title="Change in homicides per 100,000 the next year", y_title="Measure (a year earlier)",
        tooltip=[tip("row", "Measure"), tip("per_step:Q", "Estimate", ".2f"),
                 *interval_tips("per_step_low:Q", "per_step_high:Q", ".2f"), tip("step:Q", "Size of the step", ".2f"),
                 tip("nobs:Q", "State-years", "d"), tip("p_value:Q", "p-value", ".3f")],
        description=("Coefficient chart: for each of four measures, the estimated change in a state's homicide "
                     "rate per 100,000 one year after a typical within-state rise in the measure (or a change of "
                     "governing party family), with 95% intervals. Only perceived insecurity has an interval "
                     "that excludes zero."))


def table_state_main() -> pd.DataFrame:
    """The main state-level regressions, readable: one row per measure and direction."""
    t = state_models()
    d = t[t.spec == SPECS[0]].copy()
    out = []
    for r in d.itertuples(index=False):
        short = MEASURES[r.measure]["short"]
        if r.direction.startswith("weakness"):
            what = f"Homicide rate on {short.lower()} a year earlier ({MEASURES[r.measure]['unit']})"
        else:
            what = f"{short} ({MEASURES[r.measure]['unit']}) on homicide rate a year earlier"
        out.append({"Regression": what,
                    "Coefficient (95% interval)": f"{r.coef:.3f} ({r.ci_low:.3f} to {r.ci_high:.3f})",
                    "Per typical change (95% interval)": f"{r.per_step:.2f} ({r.per_step_low:.2f} to "
                                                         f"{r.per_step_high:.2f})",
                    "Standardised": f"{r.std:.2f}", "p-value": f"{r.p_value:.3f}", "State-years": int(r.nobs)})
    return pd.DataFrame(out)


def chart_robustness() -> alt.LayerChart:
    t = state_models()
    d = t[t.direction == FORWARD].copy()
    d["measure_label"] = d["measure"].map(lambda m: MEASURES[m]["short"])
    d = d[["spec", "measure_label", "std", "std_low", "std_high", "nobs"]]
    return _std_chart(
        d, y="spec", y_label="Specification", y_title="Specification", color="measure_label", color_title="Measure",
        nobs_label="Observations", y_sort=list(SPECS), height=460,
        color_scale=alt.Scale(domain=list(MEASURE_COLORS), range=list(MEASURE_COLORS.values())),
        title="The state-level answer under seven specifications",
        subtitle="Standardised coefficients with 95% intervals; click a legend entry to highlight a measure",
        description=("Coefficient chart of the link from each of four state measures to the next year's homicide "
                     "rate under seven specifications (main, two-year lag, without the most violent states, log "
                     "rate, first differences, population weights, all measures together). Perceived insecurity "
                     "is positive in most; the dark figure, blame of the authorities and governor alternation "
                     "straddle zero in all."))


def chart_municipal() -> alt.LayerChart:
    m = municipal_models()
    e = election_models()
    d = pd.concat([m, e], ignore_index=True)
    d["variable_label"] = d["variable"].map(TOWN_HALL)
    d = d[["spec", "variable_label", "coef", "ci_low", "ci_high", "nobs", "n_clusters"]]
    order = list(MUN_SPECS) + [s for s in e["spec"].unique()]
    return _coef_chart(
        d, x="coef", lo="ci_low", hi="ci_high", y="spec", color="variable_label", color_title="Town hall",
        y_sort=order, height=420,
        title="Town-hall politics and homicide rates, all municipalities",
        subtitle="Homicides per 100,000; 95% intervals; click a legend entry to highlight",
        x_title="Difference in homicides per 100,000", y_title="Design",
        tooltip=[tip("spec", "Design"), tip("variable_label", "Town hall"), tip("coef:Q", "Estimate", ".2f"),
                 *interval_tips("ci_low:Q", "ci_high:Q", ".2f"), tip("nobs:Q", "Observations", ",d"),
                 tip("n_clusters:Q", "Clusters", ",d")],
        description=("Coefficient chart of two town-hall variables, a change of ruling party family and rule by "
                     "a party family other than the governor's, in nine designs: municipality-year regressions "
                     "with municipality and year or state-by-year effects, and election-level changes after and "
                     "before the election. Most intervals include zero; the placebo change before the election "
                     "is as large as the change after it."))


def table_municipal() -> pd.DataFrame:
    """The municipality-year and election-level estimates, readable: one row per design and town-hall variable."""
    m = pd.concat([municipal_models(), election_models()], ignore_index=True)
    return pd.DataFrame([{"Design": r.spec, "Town hall": TOWN_HALL[r.variable],
                          "Estimate (per 100,000)": f"{r.coef:.2f}",
                          "95% interval": f"{r.ci_low:.2f} to {r.ci_high:.2f}", "p-value": f"{r.p_value:.3f}",
                          "Observations": int(r.nobs), "Clusters": int(r.n_clusters)}
                         for r in m.itertuples(index=False)])


def chart_event_study() -> alt.LayerChart:
    d = event_study()
    d = d.assign(label=np.where(d.k < 0, "before", np.where(d.k > 0, "after", "reference")))
    base = alt.Chart(d)
    x = alt.X("k:Q", title="Years from the municipal election (zero = election year)", axis=alt.Axis(
        format="d", values=list(range(EVENT_K[0], EVENT_K[1] + 1))),
        scale=alt.Scale(domain=[EVENT_K[0] - 0.5, EVENT_K[1] + 0.5], nice=False))
    color = alt.Color("period:N", title="Period", legend=alt.Legend(labelLimit=320), scale=alt.Scale(
        domain=["Before (old town hall)", "Election year", "After (new town hall)"],
        range=[NEUTRAL["state"], NEUTRAL["national"], PAIR_COLORS[0]]))
    sel = alt.selection_point(fields=["period"], bind="legend")
    op = alt.condition(sel, alt.value(1.0), alt.value(0.2))
    tips = [tip("k:Q", "Years from election", "d"), tip("coef:Q", "Difference (per 100,000)", ".2f"),
            *interval_tips("ci_low:Q", "ci_high:Q", ".2f"), tip("nobs:Q", "Elections", ",d")]
    bars = base.mark_rule(strokeWidth=2).encode(x=x, y=alt.Y("ci_low:Q", title=(
        "Difference in change since election year (per 100,000)")), y2="ci_high:Q",
        color=color, opacity=op, tooltip=tips)
    pts = base.mark_point(size=60, filled=True).encode(x=x, y="coef:Q", color=color, opacity=op,
                                                       tooltip=tips).add_params(sel)
    zero = reference_rule(0.0, field="z", color=NEUTRAL["national"])
    brk = breaks_layer([(0.5, "New town hall takes office")], x="k")
    return alt.layer(zero, bars, pts, brk).properties(
        title=_title("Homicides around municipal elections that changed the ruling party",
                     "Same state and election year compared; errors clustered by municipality; 95% intervals"),
        description=("Event-study chart: for each year from five before to three after a municipal election, the "
                     "difference between towns where the ruling party family changed and towns where it did not "
                     "in the change of homicide rate since the election year, with 95% intervals. The differences "
                     "are small, positive both well before and after the election and slightly negative just "
                     "before it."))


def chart_directions() -> alt.LayerChart:
    t = state_models()
    d = t[(t.spec == SPECS[0]) & t.measure.isin(ENVIPE)].copy()
    d["measure_label"] = d["measure"].map(lambda m: MEASURES[m]["short"])
    d = d[["measure_label", "direction", "std", "std_low", "std_high", "nobs"]]
    return _std_chart(
        d, y="measure_label", y_label="Measure", y_title="Survey measure",
        color="direction", color_title="Direction", nobs_label="State-years",
        title="Which comes first? Both directions, in standard units",
        subtitle="Click a legend entry to highlight one direction",
        description=("Coefficient chart comparing, for three ENVIPE measures, the link from the measure to the "
                     "next year's homicide rate with the link from the homicide rate to the next year's measure, "
                     "both in standardised units with 95% intervals. For perceived insecurity both directions "
                     "are positive, the second more strongly; for the other two neither differs from zero."))


#: Colours of the evidence chart's directions.
DIRECTION_COLORS = {"for": "#2166ac", "against": "#b2182b", "uninformative": "#999999"}


def evidence_rows(scale: str = "log") -> pd.DataFrame:
    """The evidence table's rows for the chart and the chapter's table (rounded, labelled)."""
    from .evidence import evidence_table

    e = evidence_table(scale).copy()
    e["row"] = e["test"]
    return e


def table_evidence(scale: str = "log") -> pd.DataFrame:
    """The evidence table as the chapter shows it."""
    e = evidence_rows(scale)
    return pd.DataFrame({"Family": e["family"], "Test": e["test"], "Window": e["window"], "Unit": e["measure"],
                         "Estimate (95% interval)": [f"{a:.2f} ({b:.2f} to {c:.2f})" for a, b, c in
                                                     zip(e["estimate"], e["low"], e["high"], strict=True)],
                         "X1 predicts": np.where(e["sign"] > 0, "+", "−"),
                         "p (Holm)": [f"{a:.3f} ({b:.2f})" for a, b in zip(e["p"], e["p_holm"], strict=True)],
                         "Direction": e["direction"], "Note": e["note"]})


def chart_evidence() -> alt.FacetChart:
    """Every test of X1 with its interval, coloured by the direction it points, one panel per family (each in
    its own unit)."""
    e = evidence_rows()
    e = e.assign(predicted=np.where(e["sign"] > 0, "+", "−"))
    tips = [tip("family", "Family"), tip("test", "Test"), tip("window", "Window"), tip("measure", "Unit"),
            tip("estimate:Q", "Estimate", ".2f"), *interval_tips("low:Q", "high:Q", ".2f"),
            tip("predicted", "Sign X1 predicts"), tip("p:Q", "p-value", ".3f"), tip("p_holm:Q", "Holm-adjusted", ".3f"),
            tip("direction", "Direction"), tip("note", "Note")]
    color = alt.Color("direction:N", title="Points", scale=alt.Scale(domain=list(DIRECTION_COLORS),
                                                                      range=list(DIRECTION_COLORS.values())),
                      legend=alt.Legend(orient="bottom"))
    y = alt.Y("test:N", title=None, sort=None, axis=alt.Axis(labelLimit=300))
    base = alt.Chart().encode(y=y, tooltip=tips)
    bars = base.mark_rule(strokeWidth=2).encode(x=alt.X("low:Q", title="Estimate (unit of the family)"),
                                                x2="high:Q", color=color)
    pts = base.mark_point(filled=True, size=60).encode(x="estimate:Q", color=color)
    zero = alt.Chart().mark_rule(strokeDash=[2, 2], color=NEUTRAL["state"], aria=False).encode(x=alt.datum(0))
    n = e["direction"].value_counts()
    return alt.layer(zero, bars, pts, data=e).properties(width=420).facet(
        row=alt.Row("family:N", title=None, sort=list(dict.fromkeys(e["family"])),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")),
    ).resolve_scale(x="independent", y="independent").properties(
        title=alt.Title("Every test of X1", subtitle="Correlations across states, standardised effects within "
                                                     "states, homicides per 100,000 at close elections"),
        description=(f"Point-and-interval chart of the {len(e)} tests of claim X1 in three panels (across states, "
                     "within states, close elections), each in its own unit, coloured by the direction the test "
                     f"points after the rules and Holm's correction: {int(n.get('for', 0))} for, "
                     f"{int(n.get('against', 0))} against, {int(n.get('uninformative', 0))} uninformative."))


CHARTS = (chart_relative, chart_state_rates, chart_envipe_state, chart_state_map, chart_capacity, chart_governors,
          chart_between,
          chart_wjp, chart_main_coefficients, chart_robustness, chart_municipal, chart_event_study, chart_rd_plot,
          chart_rd_estimates, chart_rd_checks, chart_directions, chart_evidence)
