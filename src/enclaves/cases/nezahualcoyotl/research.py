"""What researchers and reporters found about Nezahualcóyotl's police, beside the book's own numbers on the
closest terms the data allow (published figures from ``data/mappings/published_figures_nezahualcoyotl.csv``),
and the check of the reform's date: Neza against its neighbours before and during Jorge Amador's first term as
police chief (dated from 2003 by one source) and under the PRI government that followed."""

from __future__ import annotations

import pandas as pd

from ...data import load
from .. import generic
from .case import GROUP_LABELS, NAME, NATION, SLUG
from .series import comparison_rates, window_ratio

#: México Evalúa's window and El País's two years.
ME_WINDOW, ELPAIS_YEARS = (2013, 2018), (2013, 2019)
#: Windows of the dating check: before Amador's first term, the first term (as dated), the PRI government.
DATING_WINDOWS = {"Before Amador's first term": (2000, 2002), "Amador's first term (as dated)": (2003, 2008),
                  "PRI government": (2009, 2012), "Reform era, before the article": (2015, 2017)}


def _neza() -> pd.DataFrame:
    d = comparison_rates()
    return d[d["area"] == NAME].set_index("year")


def dating_table() -> pd.DataFrame:
    """Neza's pooled rate over the eastern ring's in each window of :data:`DATING_WINDOWS` (exact 95% intervals)."""
    rows = []
    for label, w in DATING_WINDOWS.items():
        r = window_ratio(NAME, w, GROUP_LABELS["east_ring"], w)
        rows.append({"period": label, "years": f"{w[0]}–{w[1]}", "ratio": r.rr, "low": r.low, "high": r.high})
    return pd.DataFrame(rows)


def dating_markdown() -> str:
    """:func:`dating_table` as a Markdown table."""
    t = dating_table()
    lines = ["| Period | Years | Neza's homicide rate ÷ the eastern ring's | 95% interval |", "|:--|:--|--:|--:|"]
    lines += [f"| {r.period} | {r.years} | {r.ratio:.2f} | {r.low:.2f}–{r.high:.2f} |" for r in t.itertuples()]
    return "\n".join(lines)


def numbers() -> dict:
    """The published figures (``pub_*``) and the book's side (``res_*``), as glue values."""
    n = _neza()
    h = load("homicides_state_annual")
    nat = h[(h["state_code"] == NATION) & (h["year_basis"] == "occurrence")].set_index("year")["homicide_rate"]
    reg = h[(h["state_code"] == NATION) & (h["year_basis"] == "registration")].set_index("year")["homicide_rate"]
    y0, y1 = ME_WINDOW
    e0, e1 = ELPAIS_YEARS
    t = dating_table().set_index("period")
    first, before = t.loc["Amador's first term (as dated)"], t.loc["Before Amador's first term"]
    return {
        **generic.published_numbers(SLUG),
        "res_deaths_2013": int(n.loc[y0, "homicides"]), "res_deaths_2018": int(n.loc[y1, "homicides"]),
        "res_deaths_fall_pct": float(100 * (1 - n.loc[y1, "homicides"] / n.loc[y0, "homicides"])),
        "res_deaths_2013_2018": int(n.loc[y0:y1, "homicides"].sum()),
        "res_rate_2013": float(n.loc[e0, "homicide_rate"]), "res_rate_2019": float(n.loc[e1, "homicide_rate"]),
        "res_nat_2013": float(nat[e0]), "res_nat_2019": float(nat[e1]),
        "res_nat_2013_registered": float(reg[e0]),
        "res_rate_min_2014_2019": float(n.loc[y0 + 1:e1, "homicide_rate"].min()),
        "res_rate_max_2014_2019": float(n.loc[y0 + 1:e1, "homicide_rate"].max()),
        "res_first_ratio": float(first["ratio"]), "res_first_low": float(first["low"]),
        "res_first_high": float(first["high"]), "res_before_ratio": float(before["ratio"]),
        "res_before_low": float(before["low"]), "res_before_high": float(before["high"]),
    }


def timeline_markdown() -> str:
    """The dated events of ``data/mappings/timeline_nezahualcoyotl.csv`` as a table."""
    return generic.timeline_markdown(SLUG)
