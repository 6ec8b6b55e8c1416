"""Designs: results of the close-election regression discontinuity designs (:mod:`enclaves.models.rd`),
computed from the pipeline's own tables with ``rdrobust`` and ``rddensity`` and published as a table, so that
the chapters (and students' light install) need neither library. Deterministic: the same tables give the same
bytes."""

from __future__ import annotations

import contextlib
import io
import time
import warnings
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..models import rd
from ..models.rd import (
    BALANCE,
    BW_MULTIPLES,
    DELL_BAND,
    DELL_SPEC,
    DELL_SPEC_OWN,
    DELL_YEARS,
    DESIGNS,
    ELECTION_YEARS,
    PLACEBO_CUTOFFS,
    PRIMARY,
    SPEC_COUNT,
    SPEC_LOG,
    holm,
    sample,
)
from . import covariates, elections, geography, mortality  # noqa: F401  (the input tables' contracts)
from .core import TABLES, Column, step, table

FAMILY = "designs"
R = "homicides per 100,000 a year"

table("rd_designs", title="Close-election regression discontinuity designs: estimates and checks",
      description=("For each close-election design (the PAN wins; the incumbent party loses; the mayor is of the "
                   "governor's, the president's or most neighbours' party) the jump at a signed margin of zero in "
                   "the homicide rate of the three years after the election, by local linear regression "
                   "(rdrobust: triangular kernel, MSE-optimal bandwidth, robust bias-corrected 95% interval, "
                   "errors clustered by municipality), with the density test (rddensity), and each robustness "
                   "check: counts, log rates, covariate balance, bandwidths, placebo cutoffs and Dell's window. "
                   "Computed from vote_returns_municipal, homicides_municipal_annual, marginalization_municipal, "
                   "party_control_municipal and municipal_neighbours; see enclaves.models.rd."),
      columns=[Column("design", "string", "The design's short name (label gives it in words)", enum=tuple(rd.DESIGNS)),
               Column("label", "string", "Design, in words"),
               Column("spec", "string", "The primary estimate ('primary') or the check"),
               Column("outcome", "string", "Outcome: rate_after (homicides per 100,000 a year over the three years "
                      "after the election year), homicides_after (their count), log_rate_after (log of 1 + the "
                      "rate), or a pre-election covariate for balance checks"),
               Column("cutoff", "number", "Cutoff of the signed margin (0; placebo cutoffs elsewhere)",
                      unit="share of the valid vote", minimum=-1, maximum=1),
               Column("estimate", "number", "Jump at the cutoff (conventional local linear estimate)"),
               Column("ci_low", "number", "Robust bias-corrected 95% interval, lower end"),
               Column("ci_high", "number", "Robust bias-corrected 95% interval, upper end"),
               Column("p_value", "number", "Robust p-value", minimum=0, maximum=1),
               Column("p_holm", "number", "Primary estimates: Holm-adjusted p-value across the designs",
                      required=False, minimum=0, maximum=1),
               Column("h_left", "number", "Bandwidth left of the cutoff", unit="share of the valid vote",
                      minimum=0),
               Column("h_right", "number", "Bandwidth right of the cutoff", unit="share of the valid vote",
                      minimum=0),
               Column("n_left", "integer", "Elections within the bandwidth, left", minimum=0),
               Column("n_right", "integer", "Elections within the bandwidth, right", minimum=0),
               Column("n_total", "integer", "Elections in the design's sample", minimum=0),
               Column("density_p", "number", "rddensity's p-value for a jump in the density at the cutoff",
                      required=False, minimum=0, maximum=1)],
      primary_key=["design", "spec"],
      sources=tuple(dict.fromkeys(s for t in rd.INPUTS for s in TABLES[t].sources)),
      family=FAMILY, chapters=["cross_case"], derived=False,
      caveats=["Results, not data: they change if the method or the input tables change; the pipeline recomputes "
               "them on every run.",
               "Every estimate is local to close elections; none says what a party does where it wins easily."])


@dataclass(frozen=True)
class RDResult:
    design: str
    spec: str
    outcome: str
    cutoff: float
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    h_left: float
    h_right: float
    n_left: int
    n_right: int
    n_total: int
    density_p: float
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


def fit(y, x, cluster=None, c: float = 0.0, h: float | None = None, density: bool = True,
        kernel: str = "triangular", weights=None) -> dict:
    """One local-linear RD estimate with ``rdrobust`` (robust bias-corrected interval) and, with ``density``,
    ``rddensity``'s manipulation test at the cutoff."""
    from rdrobust import rdrobust

    y, x = np.asarray(y, float), np.asarray(x, float)
    ok = np.isfinite(y) & np.isfinite(x)
    kw = {"c": c, "kernel": kernel}
    if weights is not None:
        weights = np.asarray(weights, float)
        ok &= np.isfinite(weights)
        kw["weights"] = weights[ok]
    if cluster is not None:
        kw["cluster"] = pd.factorize(np.asarray(cluster)[ok])[0]
    if h is not None:
        kw["h"] = h
    f = rdrobust(y[ok], x[ok], **kw)
    out = {"estimate": float(f.coef.iloc[0, 0]), "ci_low": float(f.ci.iloc[2, 0]),
           "ci_high": float(f.ci.iloc[2, 1]), "p_value": float(f.pv.iloc[2, 0]),
           "h_left": float(f.bws.iloc[0, 0]), "h_right": float(f.bws.iloc[0, 1]),
           "n_left": int(f.N_h[0]), "n_right": int(f.N_h[1]), "n_total": int(ok.sum())}
    out["density_p"] = density_test(x[ok], c) if density else float("nan")
    return out


def density_test(x, c: float = 0.0) -> float:
    """``rddensity``'s p-value for a jump in the density of the running variable at ``c`` (jackknife)."""
    from rddensity import rddensity

    return float(rddensity(X=np.asarray(x, float), c=c).test["p_jk"])


def estimate(design: str, outcome: str = "rate_after", spec: str = "primary", years=ELECTION_YEARS,
             c: float = 0.0, h: float | None = None, density: bool = True,
             frame: pd.DataFrame | None = None, kernel: str = "triangular", weighted: bool = False) -> RDResult:
    d = sample(design, years, frame)
    t = time.perf_counter()
    r = fit(d[outcome], d[f"m_{design}"], cluster=d["mun_code"], c=c, h=h, density=density, kernel=kernel,
            weights=d["population"] if weighted else None)
    return RDResult(design=design, spec=spec, outcome=outcome, cutoff=c, seconds=time.perf_counter() - t, **r)


def design_results(designs=tuple(DESIGNS), frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every design's primary estimate and its robustness checks, one row each (``spec`` names the check)."""
    frame = rd.election_frame() if frame is None else frame
    rows = []
    for dz in designs:
        p = estimate(dz, spec=PRIMARY, frame=frame)
        rows.append(p)
        rows.append(estimate(dz, outcome="homicides_after", spec=SPEC_COUNT, frame=frame))
        rows.append(estimate(dz, outcome="log_rate_after", spec=SPEC_LOG, density=False, frame=frame))
        for cov, lab in BALANCE.items():
            rows.append(estimate(dz, outcome=cov, spec=lab, density=False, frame=frame))
        for k in BW_MULTIPLES:
            if k != 1.0:
                rows.append(estimate(dz, spec=f"bandwidth × {k:g}", h=k * p.h_left, density=False, frame=frame))
        for cc in PLACEBO_CUTOFFS:
            d = sample(dz, frame=frame)
            side = d[(d[f"m_{dz}"] < 0) if cc < 0 else (d[f"m_{dz}"] >= 0)]
            t = time.perf_counter()
            r = fit(side["rate_after"], side[f"m_{dz}"], cluster=side["mun_code"], c=cc)
            rows.append(RDResult(design=dz, spec=f"placebo cutoff {cc:+.2f}", outcome="rate_after", cutoff=cc,
                                 seconds=time.perf_counter() - t, **r))
    if "pan" in designs:
        rows.append(estimate("pan", spec=DELL_SPEC, years=DELL_YEARS, frame=frame))
        # Dell's own specification on the same window: a five-point band, uniform kernel, population weights
        rows.append(estimate("pan", spec=DELL_SPEC_OWN, years=DELL_YEARS, frame=frame, h=DELL_BAND,
                             kernel="uniform", weighted=True))
    out = pd.DataFrame([r.as_dict() for r in rows]).drop(columns="seconds")
    out.insert(1, "label", out["design"].map(DESIGNS))
    prim = out["spec"] == PRIMARY
    out["p_holm"] = np.nan
    out.loc[prim, "p_holm"] = holm(out.loc[prim, "p_value"]).to_numpy()
    return out




@step(needs=list(rd.INPUTS), outputs=["rd_designs"], family=FAMILY)
def rd_designs(inp):
    frame = rd.build_frame({t: inp.table(t) for t in rd.INPUTS})
    # rdrobust prints a notice on mass points in the running variable (margins are rounded to 4 decimals)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        out = design_results(frame=frame)
    return {"rd_designs": out[TABLES["rd_designs"].column_names]}
