"""The cross-case chapter's close-election charts: the RD plot of each design, the designs' primary estimates
with their robust intervals, and the checks (bandwidths and placebo cutoffs). Results come from the published
``rd_designs`` table (rdrobust and rddensity run in the pipeline); the plots' bins and lines from the designs'
frame (:mod:`enclaves.models.rd`)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...charts import NEUTRAL, interval_tips, tip
from ...models import rd

SIDE_COLORS = {"lost": "#b2182b", "won": "#2166ac"}


def primary() -> pd.DataFrame:
    """The primary estimate of every design (``rd_designs``, spec 'primary'), in :data:`rd.DESIGNS` order."""
    t = rd.results()
    p = t[t["spec"] == rd.PRIMARY].set_index("design").loc[list(rd.DESIGNS)].reset_index()
    return p


def plot_data(span: float = 0.25, width: float = 0.01) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bins and fit lines of every design (labelled), for the RD plot with a design menu."""
    p = primary().set_index("design")
    bins, lines = [], []
    for d, label in rd.DESIGNS.items():
        bins.append(rd.binned(d, span=span, width=width).assign(design=label))
        lines.append(rd.local_fit(d, float(p.loc[d, "h_left"])).assign(design=label))
    b = pd.concat(bins, ignore_index=True)
    b["mean"] = b["mean"].round(2)
    b["mid"] = b["mid"].round(3)
    f = pd.concat(lines, ignore_index=True).round({"x": 4, "fit": 2})
    return b, f


def chart_rd_plot() -> alt.LayerChart:
    """Binned homicide rates against the signed margin for a design chosen from a menu, with the local linear
    fits inside the primary bandwidth on each side."""
    b, f = plot_data()
    opts = list(rd.DESIGNS.values())
    pick = alt.param(name="rd_design", value=opts[0], bind=alt.binding_select(options=opts, name="Design "))
    scale = alt.Scale(domain=list(SIDE_COLORS), range=list(SIDE_COLORS.values()))
    color = alt.Color("side:N", title="The party or status", scale=scale, legend=alt.Legend(orient="bottom"))
    x = alt.X("mid:Q", title="Signed margin (share of the valid vote; right of zero: won)",
              axis=alt.Axis(format="+.0%"))
    pts = alt.Chart(b).transform_filter("datum.design == rd_design").mark_circle(opacity=0.75).encode(
        x=x, y=alt.Y("mean:Q", title="Homicides per 100,000 a year, three years after"),
        size=alt.Size("size:Q", title="Elections in the bin", legend=None, scale=alt.Scale(range=[8, 120])),
        color=color,
        tooltip=[tip("design", "Design"), tip("mid:Q", "Margin (bin centre)", "+.1%"),
                 tip("mean:Q", "Mean homicide rate", ".1f"), tip("size:Q", "Elections", "d")]).add_params(pick)
    fit = alt.Chart(f).transform_filter("datum.design == rd_design").mark_line(strokeWidth=2.5).encode(
        x="x:Q", y="fit:Q", color=alt.Color("side:N", scale=scale, legend=None), detail="side:N")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 3], color=NEUTRAL["state"]).encode(
        x="x:Q")
    n = int(b["size"].sum() / len(opts))
    return alt.layer(zero, pts, fit).properties(
        height=320, title=alt.Title("Close elections: homicide after a narrow win or a narrow loss",
                                    subtitle="Dots: mean rate in bins of one point of margin; lines: local linear "
                                             "fits within the primary bandwidth"),
        description=(f"Regression discontinuity plot for a design chosen from a menu ({', '.join(opts)}): dots "
                     "give the mean homicide rate of the three years after the election for elections in bins "
                     "of one percentage point of signed margin, sized by the number of elections (about "
                     f"{n:,} elections per design within a quarter of the vote of the cutoff), and lines the "
                     "local linear fits on each side within the design's bandwidth. A causal effect would show "
                     "as a jump between the two lines at zero."))


def estimates_table() -> pd.DataFrame:
    """The designs' rows for the coefficient chart: the five primary estimates and Dell's window and
    specification."""
    t = rd.results()
    keep = t[(t["spec"] == rd.PRIMARY) | t["spec"].isin([rd.DELL_SPEC, rd.DELL_SPEC_OWN])].copy()
    keep["row"] = np.where(keep["spec"] == rd.PRIMARY, keep["label"],
                           keep["label"] + ": " + keep["spec"].str.replace("Dell's ", "", regex=False))
    order = {d: i for i, d in enumerate(rd.DESIGNS)}
    keep["o"] = keep["design"].map(order) * 10 + (keep["spec"] != rd.PRIMARY) + (keep["spec"] == rd.DELL_SPEC_OWN)
    return keep.sort_values("o").drop(columns="o").reset_index(drop=True)


def chart_rd_estimates() -> alt.LayerChart:
    """Point-and-interval chart: each design's jump at zero with its robust 95% interval."""
    d = estimates_table()
    y = alt.Y("row:N", title=None, sort=list(d["row"]), axis=alt.Axis(labelLimit=360))
    tips = [tip("row", "Design"), tip("estimate:Q", "Jump", ".2f"), *interval_tips("ci_low:Q", "ci_high:Q", ".2f"),
            tip("p_value:Q", "Robust p-value", ".3f"), tip("p_holm:Q", "Holm-adjusted p-value", ".3f"),
            tip("h_left:Q", "Bandwidth", ".3f"), tip("n_left:Q", "Elections left", "d"),
            tip("n_right:Q", "Elections right", "d"), tip("density_p:Q", "Density test p-value", ".3f")]
    base = alt.Chart(d)
    bars = base.mark_rule(strokeWidth=2, color=NEUTRAL["national"]).encode(
        x=alt.X("ci_low:Q", title="Jump in homicides per 100,000 a year at a margin of zero"), x2="ci_high:Q",
        y=y, tooltip=tips)
    pts = base.mark_point(size=60, filled=True, color=NEUTRAL["national"]).encode(x="estimate:Q", y=y,
                                                                                   tooltip=tips)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[2, 2], color=NEUTRAL["state"]).encode(
        x="x:Q")
    n_clear = int(((d["ci_low"] > 0) | (d["ci_high"] < 0)).sum())
    return alt.layer(zero, bars, pts).properties(
        height=34 * len(d), title=alt.Title("Five close-election designs, one answer",
                                            subtitle="Jump at zero with its robust bias-corrected 95% interval "
                                                     "(rdrobust; errors clustered by municipality)"),
        description=(f"Point-and-interval chart of {len(d)} regression discontinuity estimates: the five designs' "
                     "primary estimates and, for the PAN design, Dell's window and his specification. "
                     f"{n_clear} of the {len(d)} intervals exclude zero."))


def checks_table() -> pd.DataFrame:
    """Bandwidth and placebo-cutoff checks of every design, with the primary estimate as the reference."""
    t = rd.results()
    k = t[t["spec"].str.startswith(("bandwidth", "placebo")) | (t["spec"] == rd.PRIMARY)].copy()
    k["check"] = np.where(k["spec"].str.startswith("placebo"), "Placebo cutoffs", "Bandwidths")
    prim = k[k["spec"] == rd.PRIMARY].assign(check="Placebo cutoffs")
    k = pd.concat([k, prim], ignore_index=True)
    k["at"] = np.where(k["check"] == "Bandwidths", k["h_left"], k["cutoff"])
    k["kind"] = np.where(k["spec"] == rd.PRIMARY, "Primary", "Check")
    return k[["design", "label", "spec", "check", "at", "kind", "estimate", "ci_low", "ci_high", "p_value"]]


def chart_rd_checks() -> alt.FacetChart:
    """For a design chosen from a menu: the estimate across bandwidths, and at placebo cutoffs where no jump
    should be."""
    d = checks_table()
    opts = list(rd.DESIGNS.values())
    pick = alt.param(name="rd_check_design", value=opts[0],
                     bind=alt.binding_select(options=opts, name="Design "))
    tips = [tip("label", "Design"), tip("spec", "Estimate"), tip("estimate:Q", "Jump", ".2f"),
            *interval_tips("ci_low:Q", "ci_high:Q", ".2f"), tip("p_value:Q", "Robust p-value", ".3f")]
    kind = alt.Color("kind:N", title=None, scale=alt.Scale(domain=["Primary", "Check"],
                                                           range=[NEUTRAL["national"], "#8c96c6"]),
                     legend=alt.Legend(orient="bottom"))
    base = alt.Chart(d).transform_filter("datum.label == rd_check_design")
    x = alt.X("at:Q", title="Bandwidth, or cutoff (share of the valid vote)", scale=alt.Scale(zero=False))
    bars = base.mark_rule(strokeWidth=2).encode(x=x, y=alt.Y("ci_low:Q", title="Jump, homicides per 100,000"),
                                                y2="ci_high:Q", color=kind, tooltip=tips)
    pts = base.mark_point(filled=True, size=50).encode(x="at:Q", y="estimate:Q", color=kind, tooltip=tips)
    zero = base.mark_rule(strokeDash=[2, 2], color=NEUTRAL["state"], aria=False).encode(y=alt.datum(0))
    return alt.layer(zero, bars, pts).properties(width=260, height=220).facet(
        column=alt.Column("check:N", title=None, sort=["Bandwidths", "Placebo cutoffs"]),
    ).resolve_scale(x="independent").add_params(pick).properties(
        title=alt.Title("Do the estimates hold?", subtitle="Left: the bandwidth halved to doubled; right: "
                                                          "cutoffs where nothing should happen"),
        description=("Two panels for a design chosen from a menu: the estimated jump with its robust interval at "
                     "bandwidths from half to twice the primary one, and at placebo cutoffs of five and ten "
                     "points either side of zero (each estimated on one side only), beside the primary estimate. "
                     + _checks_summary(d)))


def _checks_summary(d: pd.DataFrame) -> str:
    pl = d[d["spec"].str.startswith("placebo")]
    clear = int(((pl["ci_low"] > 0) | (pl["ci_high"] < 0)).sum())
    return (f"Across the designs, {clear} of the {len(pl)} placebo estimates have intervals that exclude zero, "
            f"against about {0.05 * len(pl):.0f} expected by chance at the 95% level.")


def rd_table() -> pd.DataFrame:
    """Every design's primary estimate as the chapter tables it: estimate, robust interval, bandwidth, elections
    on each side within it, the density test and the raw and Holm-adjusted p-values."""
    p = estimates_table()
    return pd.DataFrame({
        "Design": p["row"],
        "Jump (95% robust interval)": [f"{a:+.2f} ({b:.2f} to {c:.2f})" for a, b, c in
                                       zip(p["estimate"], p["ci_low"], p["ci_high"], strict=True)],
        "Bandwidth": p["h_left"].map(lambda h: f"{h:.3f}"),
        "Elections (lost / won)": [f"{a:,} / {b:,}" for a, b in zip(p["n_left"], p["n_right"], strict=True)],
        "Density test p": p["density_p"].map(lambda x: "—" if pd.isna(x) else f"{x:.3f}"),
        "p (Holm)": [f"{a:.3f}" + ("" if pd.isna(b) else f" ({b:.2f})") for a, b in
                     zip(p["p_value"], p["p_holm"], strict=True)],
    })
