"""Published findings beside the book's own estimates on the same window, unit and definition where the data
allow: the published numbers come from ``data/mappings/published_figures_cross_case.csv`` (each with its source
and locator), the book's from the chapter's code."""

from __future__ import annotations

from functools import cache

import pandas as pd

from ... import stats
from ...data import load
from ...models import rd
from .. import generic

SLUG = "cross_case"


@cache
def published() -> pd.Series:
    """The published figures by key (value)."""
    return generic.published_figures(SLUG).set_index("key")["value"]


def _national() -> pd.DataFrame:
    h = load("homicides_state_annual")
    h = h[(h.state_code == "00") & (h.year_basis == "occurrence")].copy()
    h["year"] = h["year"].astype(int)
    return h.set_index("year")


def _rd(design: str, spec: str = rd.PRIMARY) -> pd.Series:
    t = rd.results()
    return t[(t.design == design) & (t.spec == spec)].iloc[0]


@cache
def left_ruled_ratio(years: tuple[int, int] = (2006, 2012)) -> stats.RateRatio:
    """Homicide rate in municipality-years ruled by the PRD (the Left) against all other municipality-years with
    a known ruling party, pooled over ``years`` (INEGI deaths; Trejo and Ley's window)."""
    from .series import municipal_panel

    d = municipal_panel()
    d = d[d.year.between(*years) & d.family.notna()]
    left, other = d[d.family == "prd"], d[d.family != "prd"]
    return stats.rate_ratio(left.homicides.sum(), left.population.sum(), other.homicides.sum(),
                            other.population.sum())


@cache
def alternation_1995_2006(years: tuple[int, int] = (1995, 2006)):
    """Trejo and Ley's window: the state homicide rate (INEGI, by year of registration, the basis that covers
    the 1990s) in the years after a state's first governor from another party family, with state and year
    effects and errors clustered by state."""
    from ...models import panel
    from .series import governor_years

    h = load("homicides_state_annual")
    h = h[(h.year_basis == "registration") & (h.state_code != "00") & h.year.between(*years)].copy()
    h["year"] = h["year"].astype(int)
    g = governor_years(*years)[["state_code", "year", "gov_ever_alternated"]]
    d = h.merge(g, on=["state_code", "year"], how="left")
    return panel.twfe(d, "homicide_rate", "gov_ever_alternated", unit="state_code", time="year",
                      cluster="state_code")


def sesnsp_victims(state_code: str, year: int) -> int:
    """Victims of intentional homicide and femicide in the prosecutors' files (SESNSP, new instrument), one
    state (or '00', the nation) and a full year: the count the Mexico Peace Index uses."""
    from ...series import state_homicide_sources

    s = state_homicide_sources([state_code])
    s = s[(s["series"] == "sesnsp_new_victims") & (s["year"] == year)]
    if len(s) != 1:
        raise KeyError(f"no full-year SESNSP victim count for {state_code} {year}")
    return int(s["value"].iloc[0])


def conapo_population(state_code: str, year: int) -> float:
    """CONAPO's mid-year population of a state (or the nation): from the homicide table to 2022, and from the
    suicide table (the same projections) for 2024, the one later year the book carries."""
    h = load("homicides_state_annual")
    h = h[(h["state_code"] == state_code) & (h["year"] == year)]
    if h.empty:
        h = load("suicides_state")
        h = h[(h["state_code"] == state_code) & (h["year"] == year)]
    if h.empty:
        raise KeyError(f"no CONAPO population for {state_code} {year}")
    return float(h["population"].iloc[0])


def victim_rate(state_code: str, year: int) -> float:
    """SESNSP homicide and femicide victims per 100,000 (CONAPO population), as the Mexico Peace Index counts."""
    return stats.per_100k(sesnsp_victims(state_code, year), conapo_population(state_code, year))


def numbers() -> dict:
    """The book's side of the table, as glue values (keys ``xc_lit_*``), and the published figures (``pub_*``)."""
    n = _national()
    p = published()
    nb = _rd("neighbours")
    base = rd.left_mean("neighbours", float(nb.h_left))
    lr = left_ruled_ratio()
    alt_fit = alternation_1995_2006()
    tl_est, tl_low, tl_high = alt_fit.coef("gov_ever_alternated")
    return {
        **{k: float(v) for k, v in p.items()},
        "xc_lit_nb_pct": 100 * nb.estimate / base, "xc_lit_nb_pct_low": 100 * nb.ci_low / base,
        "xc_lit_nb_pct_high": 100 * nb.ci_high / base,
        "xc_lit_left_rr": lr.rr, "xc_lit_left_rr_low": lr.low, "xc_lit_left_rr_high": lr.high,
        "xc_lit_inegi_2001_2006": int(n.loc[2001:2006, "homicides"].sum()),
        "xc_lit_inegi_2007_2010": int(n.loc[2007:2010, "homicides"].sum()),
        "xc_lit_rate_2007": float(n.loc[2007, "homicide_rate"]),
        "xc_lit_rate_2008": float(n.loc[2008, "homicide_rate"]),
        "xc_lit_rate_2011": float(n.loc[2011, "homicide_rate"]),
        "xc_lit_deaths_2017": int(n.loc[2017, "homicides"]),
        "xc_lit_rate_2018": float(n.loc[2018, "homicide_rate"]),
        "xc_lit_rise_2006_2009": int(n.loc[2009, "homicides"] - n.loc[2006, "homicides"]),
        "xc_lit_tl_alt": float(tl_est), "xc_lit_tl_alt_low": float(tl_low), "xc_lit_tl_alt_high": float(tl_high),
        "xc_lit_tl_alt_n": int(alt_fit.nobs),
        "xc_lit_victims_2020": sesnsp_victims("00", 2020), "xc_lit_victim_rate_2020": victim_rate("00", 2020),
        "xc_lit_victims_2023": sesnsp_victims("00", 2023),
        "xc_lit_sinaloa_rate_2024": victim_rate("25", 2024), "xc_lit_zacatecas_rate_2024": victim_rate("32", 2024),
    }


def table() -> pd.DataFrame:
    """One row per published work: its design and window, its finding, the book's estimate on the closest terms
    the data allow, and how comparable the two are."""
    v = numbers()
    pan, dell_own = _rd("pan", rd.DELL_SPEC), _rd("pan", rd.DELL_SPEC_OWN)
    rows = [
        ("Dell (2015)", "Close PAN mayoral elections, 2007-2010; drug-trade homicides (and all homicides)",
         "Drug-related violence increases substantially after close PAN victories (abstract; no number read)",
         f"All homicides, same window: {pan.estimate:+.1f} per 100,000 ({pan.ci_low:.1f} to {pan.ci_high:.1f}); "
         f"her specification: {dell_own.estimate:+.1f} ({dell_own.ci_low:.1f} to {dell_own.ci_high:.1f})",
         "Close: same design and window; her headline outcome (drug-trade homicides) is confidential"),
        ("Durante and Gutiérrez (2013)", "Close elections: mayor of the party ruling most neighbours",
         f"Homicide rate lower by {v['pub_dg_alignment_low']:.0f} to {v['pub_dg_alignment_high']:.0f}%",
         f"{v['xc_lit_nb_pct']:+.0f}% of the rate below the cutoff ({v['xc_lit_nb_pct_low']:.0f} to "
         f"{v['xc_lit_nb_pct_high']:+.0f}%), elections 1997-2018",
         "Partly: same design; their neighbours, window and outcome period may differ"),
        ("Trejo and Ley (2016)", "Municipalities by ruling party, 2006-2012; inter-cartel killings",
         f"Violence {v['pub_tl2016_left_ratio']:.0f} times greater in cities ruled by the Left",
         f"All homicides, PRD-ruled against other municipality-years 2006-2012: rate ratio "
         f"{v['xc_lit_left_rr']:.2f} ({v['xc_lit_left_rr_low']:.2f} to {v['xc_lit_left_rr_high']:.2f})",
         "Partly: same window and unit; all homicides, not inter-cartel killings"),
        ("Trejo and Ley (2018)", "States, 1990s to 2006: governor alternation and inter-cartel violence",
         "Alternation broke protection networks and set off cartel wars (abstract; no number read)",
         f"All homicides after a state's first alternation, 1995-2006, state and year effects: "
         f"{v['xc_lit_tl_alt']:+.2f} per 100,000 ({v['xc_lit_tl_alt_low']:.2f} to {v['xc_lit_tl_alt_high']:.2f})",
         "Partly: same window and unit; all homicides, not inter-cartel killings"),
        ("Ríos (2013)", "National official counts of killings linked to organised crime",
         f"{v['pub_rios_dto_killings_2006_2010']:,.0f} killings Dec 2006-Jun 2010 against "
         f"{v['pub_rios_dto_killings_2001_2006']:,.0f} in 2001-2006",
         f"INEGI homicide deaths: {v['xc_lit_inegi_2007_2010']:,} in 2007-2010 and "
         f"{v['xc_lit_inegi_2001_2006']:,} in 2001-2006",
         "No: all homicides against those officially linked to organised crime; windows differ by months"),
        ("del Villar (2019)", "National homicide rate cited by the paper",
         f"{v['pub_delvillar_rate_2007']:.1f}, {v['pub_delvillar_rate_2008']:.1f} and "
         f"{v['pub_delvillar_rate_2011']:.1f} per 100,000 in 2007, 2008 and 2011",
         f"{v['xc_lit_rate_2007']:.1f}, {v['xc_lit_rate_2008']:.1f} and {v['xc_lit_rate_2011']:.1f} "
         "(INEGI deaths by year of occurrence, CONAPO population)",
         "Yes: same definition; population bases may differ"),
        ("Institute for Economics and Peace (2018)", "Mexico Peace Index, 2017",
         f"Over {v['pub_mpi2018_homicide_victims_2017']:,.0f} people killed in 2017",
         f"{v['xc_lit_deaths_2017']:,} INEGI homicide deaths in 2017",
         "Partly: the index counts victims in prosecutors' files; INEGI counts death records"),
        ("Institute for Economics and Peace (2019)", "Mexico Peace Index, 2018",
         f"National homicide rate of {v['pub_mpi2019_homicide_rate_2018']:.0f} per 100,000 in 2018",
         f"{v['xc_lit_rate_2018']:.1f} per 100,000 (INEGI deaths by year of occurrence, CONAPO population)",
         "Close: the same quantity; the summary read does not say which homicide count the index uses"),
        ("Institute for Economics and Peace (2021)", "Mexico Peace Index, 2020",
         f"National homicide rate of {v['pub_mpi2021_homicide_rate_2020']:.1f} per 100,000 in 2020 (over "
         f"{v['pub_mpi2021_homicide_victims_2020']:,.0f} victims)",
         f"{v['xc_lit_victim_rate_2020']:.1f} per 100,000 ({v['xc_lit_victims_2020']:,} victims of homicide and "
         "femicide in the prosecutors' files, CONAPO population)",
         "Yes: the same records and definition"),
        ("Institute for Economics and Peace (2024)", "Mexico Peace Index, 2023",
         f"More than {v['pub_mpi2024_homicide_victims_2023']:,.0f} homicide victims in 2023",
         f"{v['xc_lit_victims_2023']:,} victims of homicide and femicide in the prosecutors' files",
         "Yes: the same records and definition"),
        ("Institute for Economics and Peace (2025)", "Mexico Peace Index, 2024: two states",
         f"Homicide rates of {v['pub_mpi2025_sinaloa_rate_2024']:.1f} (Sinaloa) and "
         f"{v['pub_mpi2025_zacatecas_rate_2024']:.1f} (Zacatecas) per 100,000",
         f"{v['xc_lit_sinaloa_rate_2024']:.1f} and {v['xc_lit_zacatecas_rate_2024']:.1f} (victims in the "
         "prosecutors' files, CONAPO's 2024 projection)",
         "Close: the same records; Zacatecas matches, Sinaloa does not, for a reason the book cannot check "
         "(later revisions of the files or another population base)"),
        ("Castillo, Mejía and Restrepo (2020)", "Colombian cocaine seizures as a supply shock, 2006-2009",
         f"The fall in supply explains {v['pub_cmr_share_low']:.0f}-{v['pub_cmr_share_high']:.0f}% of the rise "
         f"in violence ({v['pub_cmr_north_share']:.0f}% of the North's extra rise)",
         f"The rise it explains a share of: {v['xc_lit_rise_2006_2009']:+,} INEGI deaths from 2006 to 2009",
         "No: the book has no supply shock; it can only size the rise"),
        ("Dickenson (2014)", "Removals of cartel leaders, state-month panel, 2007-2010",
         f"{v['pub_dickenson_removal_deaths']:,.0f} additional deaths associated with leader removals",
         f"For scale: {v['xc_lit_inegi_2007_2010']:,} INEGI homicide deaths in 2007-2010",
         "No: the book has no capture dates"),
        ("Calderón et al. (2015)", "Removals of cartel leaders, municipal difference-in-differences",
         f"Drug-related violence up {v['pub_calderon_leader_6m']:.1f}% in the six months after a removal "
         "(authors' summary)", "Not estimable", "No: the book has no capture dates"),
    ]
    return pd.DataFrame(rows, columns=["Work", "Design and window", "Published finding", "The book's estimate",
                                       "Comparable?"])
