"""What researchers found about Monterrey's reform, beside the book's own numbers on the closest terms the data
allow: the published figures come from ``data/mappings/published_figures_monterrey.csv`` (each with its source
and locator), the book's from the processed tables."""

from __future__ import annotations

import pandas as pd

from ... import series
from ...data import load
from .. import generic
from .case import SLUG, STATE

#: InSight Crime's years: the peak and the end of the governor's term.
PEAK_YEAR, END_YEAR = 2011, 2015
#: The year whose federal transfers and exchange rate size the plan's cost.
COST_YEAR = 2011


def published() -> pd.Series:
    """The published figures by key."""
    return generic.published_figures(SLUG).set_index("key")["value"].astype(float)


def state_counts() -> pd.DataFrame:
    """Nuevo León's homicides in the peak and end years by instrument (INEGI deaths; SESNSP files and victims,
    old and new), one row per series, with the change between them where both years exist."""
    s = series.state_homicide_sources([STATE])
    s = s[s["year"].isin([PEAK_YEAR, END_YEAR])]
    w = s.pivot_table(index="series", columns="year", values="value", aggfunc="sum")
    w = w.reindex(columns=[PEAK_YEAR, END_YEAR])
    w["change_pct"] = 100 * (w[END_YEAR] / w[PEAK_YEAR] - 1)
    return w


def plan_cost() -> dict:
    """The plan's yearly cost in pesos (the exchange rate of ``COST_YEAR`` implied by INEGI's trade statistics:
    the value of avocado exports in pesos over their value in dollars) against Nuevo León's federal security
    transfers (FASP) that year."""
    p = published()
    e = load("avocado_exports")
    e = e[(e["destination_code"] == "ALL") & (e["year"] == COST_YEAR)].iloc[0]
    fx = float(e["value_mxn"]) / float(e["value_usd"])
    f = load("fasp_state_annual")
    fasp = float(f[(f["state_code"] == STATE) & (f["year"] == COST_YEAR)]["fasp_mxn_millions"].iloc[0])
    yearly = p["pub_jim_cost_usd_bn"] * 1e3 / p["pub_jim_cost_years"] * fx
    return {"fx": fx, "yearly_mxn_m": yearly, "fasp_mxn_m": fasp, "times_fasp": yearly / fasp}


def numbers() -> dict:
    """The published figures (``pub_*``) and the book's side (``res_*``), as glue values."""
    w = state_counts()
    c = plan_cost()
    return {
        **generic.published_numbers(SLUG),
        "res_old_files_2011": int(w.loc["sesnsp_old_incidents", PEAK_YEAR]),
        "res_new_files_2015": int(w.loc["sesnsp_new_incidents", END_YEAR]),
        "res_new_victims_2015": int(w.loc["sesnsp_new_victims", END_YEAR]),
        "res_deaths_2011": int(w.loc["inegi_deaths", PEAK_YEAR]),
        "res_deaths_2015": int(w.loc["inegi_deaths", END_YEAR]),
        "res_deaths_fall_pct": -float(w.loc["inegi_deaths", "change_pct"]),
        "res_cost_fx": c["fx"], "res_cost_yearly_mxn_m": c["yearly_mxn_m"], "res_fasp_2011": c["fasp_mxn_m"],
        "res_cost_times_fasp": c["times_fasp"],
    }
