"""Cherán's charts, in the order the chapter shows them (``CHARTS``).

Every chart has a title and a description; descriptions that state figures compute them from the data the
chart draws.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ... import charts
from ...charts.theme import CASE_COLORS, NEUTRAL, PARTY_COLORS, PARTY_NAMES, STATE_COLORS
from ...geo import NATIONAL_NAME
from .case import (
    BREAK_YEAR,
    C1_SAFEST_SHARE,
    C1_WINDOW,
    CODE,
    EVENTS,
    GROUP_LABELS,
    MESETA,
    MILITIA,
    NAME,
    POP_BREAKS,
    REST_OF_STATE,
    SIMILAR,
    SINCE_FIRST,
    SINCE_LAST,
    STATE_NAME,
    TANCITARO,
)
from .series import (
    avocado_neighbours,
    codes,
    comparison_rates,
    counterfactual,
    elections_grid,
    municipal_rates,
    placebo_gaps,
    ranking,
    rates,
    since_then_rates,
)

UPRISING = (2011.29, "Uprising")
#: Colours of the comparison groups (the case's, Tancítaro's and the state's come from the book's theme).
GROUP_COLORS = {GROUP_LABELS[MESETA]: "#5e3c99", GROUP_LABELS[SIMILAR]: "#9e9e9e",
                GROUP_LABELS[TANCITARO]: CASE_COLORS["Tancítaro"], REST_OF_STATE: STATE_COLORS[STATE_NAME]}


def _color(name: str) -> str:
    return CASE_COLORS[name]


def _scale(names_: list[str]) -> alt.Scale:
    fixed = {NAME: _color(NAME), STATE_NAME: STATE_COLORS[STATE_NAME], NATIONAL_NAME: NEUTRAL["national"],
             **GROUP_COLORS}
    dom = list(dict.fromkeys(names_))
    return alt.Scale(domain=dom, range=[fixed.get(n, NEUTRAL["comparison"]) for n in dom])


def _rates_chart(d: pd.DataFrame, **kw) -> alt.LayerChart:
    areas = list(dict.fromkeys(d["area"]))
    return charts.rate_with_interval(d, color="area", color_title="Area", color_scale=_scale(areas),
                                     y_title="Homicides per 100,000 inhabitants",
                                     tooltip=charts.rate_tips(*charts.interval_tips()), **kw)


def timeline_events() -> pd.DataFrame:
    return pd.DataFrame(EVENTS, columns=["date", "event"])


def chart_timeline():
    t = rates()
    t = t[t["area"].isin([NAME, STATE_NAME])]
    c = t[t["area"] == NAME].set_index("year")
    peak = c["homicide_rate"].idxmax()
    zero = ", ".join(str(int(y)) for y in c.index[(c["homicides"] == 0) & (c.index >= BREAK_YEAR)])
    return charts.timeline(
        t, timeline_events(), y="homicide_rate", color="area", color_scale=_scale([NAME, STATE_NAME]),
        y_title="Homicides per 100,000 inhabitants",
        title=f"Cherán's homicide rate and the events around it, {int(t['year'].min())}-{int(t['year'].max())}",
        description=(f"Line chart of homicides per 100,000 inhabitants per year for Cherán and Michoacán, "
                     f"{int(t['year'].min())} to {int(t['year'].max())}, with dashed rules for the growth of illegal "
                     "logging from 2008, the uprising of April 2011, the tribunal's ruling and the consultation of "
                     "late 2011, the first council in January 2012, the loggers' ambush of April 2012, Tancítaro's "
                     "uprising in late 2013, the second council in 2015 and the killing of Guadalupe Campanur in "
                     f"January 2018. Cherán's rate peaks in {peak} at {c.loc[peak, 'homicide_rate']:.0f} and is zero "
                     f"in {zero}, while Michoacán's rate climbs after 2015."))


def chart_rates():
    d = rates()
    c = d[d["area"] == NAME]
    return _rates_chart(
        d, title=f"Cherán against Michoacán and Mexico, {int(d['year'].min())}-{int(d['year'].max())}",
        subtitle="Bands: exact Poisson 95% intervals. Click a legend entry to highlight it",
        description=(f"Line chart with shaded 95% intervals of annual homicide rates per 100,000 for Cherán, Michoacán "
                     f"and Mexico. Cherán's band is very wide because it records between {c['homicides'].min():.0f} "
                     f"and {c['homicides'].max():.0f} homicides a year; its rate never exceeds "
                     f"{c.loc[c['year'] >= BREAK_YEAR, 'homicide_rate'].max():.0f} from {BREAK_YEAR} on, while the "
                     "state's and the nation's rise after 2015."),
        breaks=[POP_BREAKS[0], UPRISING, POP_BREAKS[1]])


def chart_groups():
    d = comparison_rates()
    last = d[d["year"] == d["year"].max()].set_index("area")["homicide_rate"]
    return _rates_chart(
        d, title="Cherán, its Meseta neighbours, similar towns and Tancítaro",
        subtitle="Groups pooled (summed deaths over summed population); bands: exact Poisson 95% intervals",
        description=("Line chart with shaded 95% intervals of annual homicide rates per 100,000, "
                     f"{int(d['year'].min())}-{int(d['year'].max())}, for Cherán, the Meseta neighbours pooled, the "
                     "similar-size towns pooled, Tancítaro and the rest of Michoacán. In the last year the rates are "
                     + "; ".join(f"{a} {v:.1f}" for a, v in last.items()) + ". Click a legend entry to highlight it."),
        breaks=[UPRISING])


def chart_dropdown():
    options = [*codes(MESETA), *codes(TANCITARO), *codes(SIMILAR)]
    d = municipal_rates([CODE, *options])
    names = list(dict.fromkeys(d.loc[d["mun_code"] != CODE, "area"]))
    return charts.with_dropdown(
        d, field="area", options=names, default=names[0], label="Compare with", fixed=NAME, x="year",
        y="homicide_rate", y_title="Homicides per 100,000 inhabitants",
        title="Cherán against one comparison municipality",
        description=(f"Line chart of annual homicide rates per 100,000 for Cherán and one municipality chosen from a "
                     f"menu of {len(names)}: the Meseta neighbours, Tancítaro and the similar-size towns, "
                     f"{int(d['year'].min())}-{int(d['year'].max())}."),
        breaks=[UPRISING])


def chart_synth():
    cf = counterfactual()
    r = cf.main
    f = r.frame()
    post = r.gap[r.gap.index >= cf.start]
    return charts.synthetic_control(
        f, actual=NAME, synthetic="Synthetic Cherán", colors=[_color(NAME), NEUTRAL["state"]],
        title="Cherán and its synthetic control",
        subtitle=f"Weighted similar towns fitted on {int(f['year'].min())}-{cf.start - 1}; rule: first year after "
                 "the break",
        description=(f"Line chart of Cherán's homicide rate per 100,000 and its synthetic control, "
                     f"{int(f['year'].min())}-{int(f['year'].max())}. After {cf.start - 1} Cherán runs below the "
                     f"synthetic in {int((post < 0).sum())} of {len(post)} years, by {-r.att:.1f} per 100,000 a year "
                     f"on average; the pre-period fit has an RMSPE of {r.pre_rmspe:.1f}."),
        breaks=[(cf.start - 0.5, "Break")])


def chart_placebo():
    g = placebo_gaps()
    cf = counterfactual()
    sel = alt.selection_point(fields=["unit"], on="pointerover", clear="pointerout")
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    color = alt.Color("kind:N", title="", scale=alt.Scale(domain=[NAME, "Donor treated as a placebo"],
                                                          range=[_color(NAME), NEUTRAL["light"]]))
    lines = alt.Chart(g).mark_line().encode(
        x=x, y=alt.Y("gap:Q", title="Actual − synthetic, per 100,000"), detail="unit:N", color=color,
        strokeWidth=alt.condition(sel, alt.value(3), alt.value(1.2)),
        tooltip=[charts.tip("unit", "Municipality"), charts.tip("year", "Year", "d"), charts.tip("gap", "Gap", ".1f")],
    ).add_params(sel)
    case = alt.Chart(g[g["kind"] == NAME]).mark_line(strokeWidth=3).encode(
        x=x, y="gap:Q", color=color,
        tooltip=[charts.tip("unit", "Municipality"), charts.tip("year", "Year", "d"), charts.tip("gap", "Gap", ".1f")])
    zero = charts.reference_rule(0.0, color=NEUTRAL["state"])
    rule = alt.Chart(pd.DataFrame({"x": [cf.start - 0.5]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    n = len(cf.main.placebo)
    return alt.layer(lines, zero, rule, case).properties(
        title=alt.Title("Cherán's gap against the placebos' gaps",
                        subtitle="Each donor refitted as if it had broken away in the same year; hover to highlight"),
        description=(f"Line chart of the yearly gap between actual and synthetic homicide rates for Cherán and for "
                     f"each of its {n} donors refitted as placebos, {int(g['year'].min())}-{int(g['year'].max())}. "
                     f"The placebo p-value from the ratio of post- to pre-period errors is {cf.main.p_value:.2f}."))


def chart_elections():
    g = elections_grid()
    labels = {**PARTY_NAMES, "custom": "Council chosen by custom"}
    present = [labels[f] for f in [*PARTY_COLORS, "custom"] if f in set(g["family"])]
    g = g.assign(party=g["family"].map(labels))
    scale = alt.Scale(domain=present, range=[{**PARTY_COLORS, "custom": _color(NAME)}[k] for k, v in labels.items()
                                             if v in present])
    order = list(dict.fromkeys(g.sort_values("mun_code")["mun_name"]))
    order = [NAME] + [n for n in order if n != NAME]
    n_custom = int((g["family"] == "custom").sum())
    return alt.Chart(g).mark_rect(stroke="white").encode(
        x=alt.X("cycle:O", title="Municipal election"), y=alt.Y("mun_name:N", title=None, sort=order),
        color=alt.Color("party:N", title="Winner", scale=scale),
        tooltip=[charts.tip("mun_name", "Municipality"), charts.tip("cycle", "Election", "d"),
                 charts.tip("winner", "Winner"), charts.tip("margin_pts", "Margin (points)", ".1f")],
    ).properties(
        title=alt.Title("Who won the town hall: Cherán and the Meseta", subtitle="One cell per municipal election"),
        description=(f"Grid of municipal elections, {int(g['cycle'].min())} to {int(g['cycle'].max())}, for Cherán "
                     "and the Meseta municipalities, each cell coloured by the winning party family. Cherán's cells "
                     f"for the last {n_custom} elections have no party result: its council was chosen by custom."),
        height=28 * len(order))


def chart_avocado():
    d = avocado_neighbours()
    last = d[d["year"] == d["year"].max()].set_index("area")["planted_ha"]
    sel = alt.selection_point(fields=["area"], bind="legend")
    names = list(dict.fromkeys([NAME, *d.loc[d["mun_code"] != CODE, "area"]]))
    scale = alt.Scale(domain=names, range=[_color(NAME), "#5e3c99", "#1b9e77", "#e7298a", "#66a61e", "#e6ab02"])
    base = alt.Chart(d).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        y=alt.Y("planted_ha:Q", title="Planted avocado area (hectares)"),
        color=alt.Color("area:N", title="Municipality", scale=scale),
        opacity=alt.condition(sel, alt.value(1.0), alt.value(0.15)),
        tooltip=[charts.tip("area", "Municipality"), charts.tip("year", "Year", "d"),
                 charts.tip("planted_ha", "Planted hectares", ",.0f"), charts.tip("tonnes", "Tonnes", ",.0f")])
    return alt.layer(base.mark_line().add_params(sel), base.mark_point()).properties(
        title=alt.Title("Avocado orchards in Cherán and the Meseta",
                        subtitle="SIAP's planted area; no SIAP row counts as none. Click a legend entry to highlight"),
        description=(f"Line chart of planted avocado area in hectares, {int(d['year'].min())}-{int(d['year'].max())}, "
                     "for Cherán and the Meseta municipalities. In the last year: "
                     + "; ".join(f"{a} {v:,.0f}" for a, v in last.items()) + "."))


def chart_ranking():
    r = ranking(C1_WINDOW)
    n = len(r)
    cut = r["rate"].quantile(C1_SAFEST_SHARE)
    r = r.assign(who=r["mun_code"].map(lambda c: NAME if c == CODE else "Other Michoacán municipalities"))
    pts = alt.Chart(r).mark_point(filled=True).encode(
        x=alt.X("rank:Q", title="Rank, from the lowest rate"),
        y=alt.Y("rate:Q", title="Homicides per 100,000 a year (pooled)", scale=alt.Scale(type="symlog")),
        color=alt.Color("who:N", title="", scale=alt.Scale(domain=[NAME, "Other Michoacán municipalities"],
                                                           range=[_color(NAME), NEUTRAL["comparison"]])),
        size=alt.condition(alt.datum.who == NAME, alt.value(120), alt.value(30)),
        tooltip=[charts.tip("mun_name", "Municipality"), charts.tip("rate", "Rate", ".1f"),
                 charts.tip("rate_low", "95% low", ".1f"), charts.tip("rate_high", "95% high", ".1f"),
                 charts.tip("homicides", "Homicides", ",.0f"), charts.tip("rank", "Rank", "d")])
    rule = charts.reference_rule(float(cut), strokeDash=[4, 3], color=NEUTRAL["break"])
    me = r[r["mun_code"] == CODE].iloc[0]
    return alt.layer(pts, rule).properties(
        title=alt.Title(f"Michoacán's municipalities ranked by homicide rate, {C1_WINDOW[0]}-{C1_WINDOW[1]}",
                        subtitle=f"Dashed line: the top of the lowest {C1_SAFEST_SHARE:.0%}. Hover for a municipality"),
        description=(f"Dot chart of the pooled homicide rates of Michoacán's {n} municipalities, "
                     f"{C1_WINDOW[0]}-{C1_WINDOW[1]}, sorted from lowest to highest on a symmetric log scale. Cherán "
                     f"ranks {int(me['rank'])} of {n} at {me['rate']:.1f} per 100,000; the lowest "
                     f"{C1_SAFEST_SHARE:.0%} end at {cut:.1f}."))

def chart_locator() -> alt.LayerChart:
    """Where Cherán lies: the case, its Meseta neighbours, the self-defence towns, Tancítaro and the towns of
    similar size and indigenous share in Michoacán."""
    from ..generic import locator_map
    from .case import CODE, GROUP_LABELS, MESETA, MILITIA, NAME, SIMILAR, SLUG, STATE, TANCITARO

    return locator_map(SLUG, {g: GROUP_LABELS[g] for g in (MESETA, TANCITARO, MILITIA, SIMILAR)}, name=NAME,
                       code=CODE, states=[STATE], title=f"{NAME} and its comparison towns in Michoacán",
                       description="Cherán lies on the Meseta Purépecha, north of Uruapan.")



def chart_since_then():
    """Investigation files per 100,000 a year, January 2024 - June 2025: Cherán, its comparison groups, each
    Meseta municipality and the rest of Michoacán, with exact intervals."""
    d = since_then_rates()
    order = d.sort_values("rate", ascending=False)["area"].tolist()
    groups = list(dict.fromkeys(d["group"]))
    militia = GROUP_LABELS[MILITIA]
    cscale = alt.Scale(domain=groups, range=[{NAME: _color(NAME), militia: "#e7298a", **GROUP_COLORS}.get(
        g, NEUTRAL["comparison"]) for g in groups])
    d = d.assign(shape=d["kind"].map({"Group": "Pooled group or rest of state", "Municipality": "One municipality"}))
    base = alt.Chart(d)
    y = alt.Y("area:N", sort=order, title=None)
    tips = [charts.tip("area:N", "Area"), charts.tip("files:Q", "Files, Jan 2024-Jun 2025", ",.0f"),
            charts.tip("files_2024:Q", "Files in 2024", ",.0f"),
            charts.tip("files_2025:Q", "Files, Jan-Jun 2025", ",.0f"),
            charts.tip("rate:Q", "Files per 100,000 a year", ".1f"), *charts.interval_tips("rate_low:Q", "rate_high:Q")]
    rules = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("rate_low:Q", title="Homicide investigation files per 100,000 inhabitants a year"),
        x2="rate_high:Q", color=alt.Color("group:N", title="Group", scale=cscale), tooltip=tips)
    pts = base.mark_point(filled=True, size=60).encode(
        y=y, x="rate:Q", color=alt.Color("group:N", scale=cscale),
        shape=alt.Shape("shape:N", title="Row", scale=alt.Scale(domain=["Pooled group or rest of state",
                                                                       "One municipality"],
                                                               range=["square", "circle"])), tooltip=tips)
    r = d.set_index("area")
    me, rest = r.loc[NAME], r.loc[REST_OF_STATE]
    return alt.layer(rules, pts).properties(
        height=300,
        title=alt.Title(f"Since then: homicide investigation files, {SINCE_FIRST} to {SINCE_LAST}",
                        subtitle=("SESNSP files for homicidio doloso and feminicidio (not deaths), per 100,000 a "
                                  "year, with exact 95% intervals")),
        description=("Dot-and-interval chart of homicide investigation files (homicidio doloso and feminicidio, "
                     f"SESNSP, new instrument) per 100,000 inhabitants a year, {SINCE_FIRST} to {SINCE_LAST}, for "
                     "Cherán, the Meseta neighbours pooled and one by one, the similar towns, Tancítaro, the "
                     f"self-defence towns and the rest of Michoacán. Cherán had {int(me['files'])} files, "
                     f"{me['rate']:.1f} a year per 100,000 (interval {me['rate_low']:.1f} to {me['rate_high']:.1f}), "
                     f"against {r.loc[GROUP_LABELS[MESETA], 'rate']:.1f} in the Meseta and {rest['rate']:.1f} in the "
                     f"rest of the state; the self-defence towns are highest at {r.loc[militia, 'rate']:.1f}."))


CHARTS = (chart_locator,
          chart_timeline, chart_rates, chart_elections, chart_groups, chart_dropdown, chart_avocado, chart_synth,
          chart_placebo, chart_ranking, chart_since_then)
