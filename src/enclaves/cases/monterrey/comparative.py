"""A comparative monthly design for the change of governor (October 2015): Monterrey's monthly homicide deaths
against large municipalities of the other states whose months the book holds, before and after the break, in
one Poisson regression with an effect for each municipality and for each month (so that what all of them went
through cancels) and the variance scaled by the counts' overdispersion (quasi-Poisson). Inference by placebo in
space: the same regression run as if each comparison city had had the break."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sstats

from ... import geo
from ...data import load
from .case import CODE, GOVERNOR_BREAK
from .series import clean_donor_codes

#: The window: the interrupted time series' start to the last month before the pandemic.
CMP_START, CMP_END = (2014, 1), (2019, 12)
#: States whose governor also changed in October 2015 (Michoacán): their cities leave the comparison.
SAME_BREAK_STATES = ("16",)


@lru_cache(maxsize=1)
def comparison_codes() -> list[str]:
    """The synthetic control's donors without police takeovers that have monthly deaths in the book (the
    focus states' municipalities), outside states whose governor changed at the same time."""
    monthly = set(load("homicides_municipal_monthly")["mun_code"])
    return sorted(c for c in clean_donor_codes() if c in monthly and c[:2] not in SAME_BREAK_STATES)


@lru_cache(maxsize=1)
def panel() -> pd.DataFrame:
    """Monthly homicide deaths and exposure (the year's population / 12) of Monterrey and the comparison
    cities over the window, one row per city and month."""
    m = load("homicides_municipal_monthly")
    codes = [CODE, *comparison_codes()]
    ym = m["year"] * 100 + m["month"]
    m = m[m["mun_code"].isin(codes) & ym.between(CMP_START[0] * 100 + CMP_START[1], CMP_END[0] * 100 + CMP_END[1])]
    h = load("homicides_municipal_annual")
    h = h[(h["year_basis"] == "occurrence") & h["mun_code"].isin(codes)][["mun_code", "year", "population"]]
    d = m.merge(h, on=["mun_code", "year"], how="left")
    if d["population"].isna().any():
        raise ValueError("comparative panel: a city-year lacks its population")
    d = d.assign(homicides=d["homicides"].astype(float), exposure=d["population"].astype(float) / 12,
                 period=(d["year"] * 100 + d["month"]).astype(int))
    return d[["mun_code", "year", "month", "period", "homicides", "exposure"]].reset_index(drop=True)


def did(treated: str = CODE, at: str = GOVERNOR_BREAK, data: pd.DataFrame | None = None) -> dict:
    """Rate ratio of ``treated`` after the break relative to before, against the change in the other cities:
    exp(β) of treated × after in a Poisson regression with city and month effects and log exposure as offset,
    with a quasi-Poisson 95% interval (Pearson dispersion, floored at one) and its p-value."""
    d = panel() if data is None else data
    cut = int(at[:4]) * 100 + int(at[5:7])
    d = d.assign(x=((d["mun_code"] == treated) & (d["period"] >= cut)).astype(float))
    X = pd.concat([pd.Series(1.0, index=d.index, name="const"), d["x"],
                   pd.get_dummies(d["mun_code"], prefix="u", drop_first=True, dtype=float),
                   pd.get_dummies(d["period"], prefix="t", drop_first=True, dtype=float)], axis=1)
    fit = sm.GLM(d["homicides"], X, family=sm.families.Poisson(), offset=np.log(d["exposure"])).fit()
    phi = max(1.0, float(fit.pearson_chi2 / fit.df_resid))
    b, se = float(fit.params["x"]), float(fit.bse["x"]) * np.sqrt(phi)
    return {"rr": float(np.exp(b)), "low": float(np.exp(b - 1.96 * se)), "high": float(np.exp(b + 1.96 * se)),
            "p": float(2 * sstats.norm.sf(abs(b) / se)), "beta": b, "dispersion": phi}


@lru_cache(maxsize=1)
def placebos() -> pd.DataFrame:
    """The same regression with each comparison city in Monterrey's place (Monterrey left out)."""
    d = panel()
    others = d[d["mun_code"] != CODE]
    names = geo.mun_names()
    rows = [{"mun_code": c, "name": names.get(c, c), **did(c, data=others)} for c in comparison_codes()]
    return pd.DataFrame(rows)


def result() -> dict:
    """The primary estimate and its placebo p-value: the share of cities (Monterrey included) whose estimated
    change is at least as far from none as Monterrey's."""
    main = did()
    pl = placebos()
    n_as_large = int((pl["beta"].abs() >= abs(main["beta"])).sum())
    p_space = float((n_as_large + 1) / (len(pl) + 1))
    return {**main, "p_space": p_space, "n_as_large": n_as_large, "n_cities": len(pl),
            "placebo_min": float(pl["rr"].min()),
            "placebo_max": float(pl["rr"].max())}


def table_markdown() -> str:
    """Monterrey and each comparison city as if it had had the break: the rate ratio and its interval, largest
    change first."""
    main = did()
    pl = placebos()
    rows = [("**Monterrey**", main["rr"], main["low"], main["high"])]
    rows += [(r.name, r.rr, r.low, r.high) for r in pl.itertuples()]
    rows.sort(key=lambda r: -abs(np.log(r[1])))
    lines = ["| City | Change after October 2015 against the others (rate ratio) | 95% interval |", "|:--|--:|--:|"]
    lines += [f"| {n} | {rr:.2f} | {lo:.2f}–{hi:.2f} |" for n, rr, lo, hi in rows]
    return "\n".join(lines)
