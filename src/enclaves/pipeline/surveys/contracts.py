"""Surveys: source ids, indicators and the table contracts (see the package docstring)."""

from __future__ import annotations

from ..core import STATE_CODE, Column, table
from ..mortality import G_STATE, POP_2012, POP_2018, POP_OLD

FAMILY = "surveys"
ME = "envipe_state_2011_2014_mexicoevalua"
API = "envipe_insecurity_state_api_2011_2025"
DENUNCIA_EDITIONS = range(2012, 2026)
DENUNCIA = {e: f"envipe_{e}_denuncia_delito" for e in DENUNCIA_EDITIONS}
ME_EDITIONS = range(2011, 2015)
API_EDITIONS = (2011, 2025)
WJP = {"wjp_iedmx_2019_state_overall": (2019, "2019-2020"),
       "wjp_iedmx_2023_state_overall": (2023, "2022-2023")}
AREAS = {"00", *(f"{i:02d}" for i in range(1, 33))}

#: indicator → (unit, year = edition - lag)
INDICATORS: dict[str, tuple[str, int]] = {
    "victimization_prevalence_per_100k": ("victims per 100,000 aged 18+", 1),
    "crime_incidence_per_100k": ("crimes per 100,000 aged 18+", 1),
    "insecurity_pct": ("percent of people aged 18+", 0),
    "insecurity_api": ("percent of people aged 18+", 0),
    "cifra_negra_pct": ("percent of crimes", 1),
    "authority_causes_pct": ("percent of crimes without a declared report", 1),
    "crimes_total": ("crimes", 1),
}

table("envipe_state", title="ENVIPE by state: victimisation, insecurity, cifra negra, non-reporting",
      description=("INEGI's national victimisation survey (ENVIPE), editions 2011-2025, for the nation "
                   "(state_code '00') and the 32 states, one row per state, indicator and edition. "
                   "Victimisation prevalence, crime incidence and press-release insecurity come from México "
                   "Evalúa's compilation of the 2011-2014 editions; insecurity_api from INEGI indicator "
                   "6204327085 (2011-2025); cifra negra, the share of unreported crimes not reported because "
                   "of the authority, and the number of crimes from INEGI's tabulados básicos, section III "
                   "(editions 2012-2025)."),
      columns=[STATE_CODE,
               Column("year", "integer",
                      ("Reference year. For victimisation, incidence, cifra negra, causes of non-reporting "
                       "and crimes_total: the year the crimes happened (edition - 1). For insecurity_pct and "
                       "insecurity_api: the fieldwork year, March-April of the edition year (= edition)."),
                      minimum=2010, maximum=2025),
               Column("indicator", "string",
                      ("victimization_prevalence_per_100k: victims per 100,000 aged 18+; "
                       "crime_incidence_per_100k: crimes per 100,000 aged 18+; "
                       "insecurity_pct: % aged 18+ who feel their state is unsafe (press figures, editions "
                       "2011-2014); insecurity_api: the same question from INEGI indicator 6204327085 "
                       "(valor/1000), editions 2011-2025, 2-3 points above the press figures; "
                       "cifra_negra_pct: % of crimes not reported or without an investigation file (or not "
                       "specified); authority_causes_pct: % of unreported crimes whose stated cause is "
                       "attributable to the authority (fear of extortion, waste of time, long procedures, "
                       "distrust, hostile attitude); crimes_total: estimated crimes occurred"),
                      enum=tuple(INDICATORS)),
               Column("value", "number", "Estimate, as printed by INEGI (see unit)", minimum=0, decimals=3),
               Column("unit", "string", "Unit of value",
                      enum=tuple(sorted({u for u, _ in INDICATORS.values()}))),
               Column("edition", "integer", "ENVIPE edition (survey year)", minimum=2011, maximum=2025),
               Column("source", "string", "Source id of the raw file the row comes from")],
      primary_key=["state_code", "indicator", "year"],
      sources=(ME, API, *DENUNCIA.values()), family=FAMILY,
      chapters=["cross_case", "tancitaro", "monterrey", "nezahualcoyotl"],
      caveats=["All values are survey estimates with sampling error; INEGI flags precision only by cell "
               "colour, which is not carried here. Some state estimates have moderate or low precision.",
               "insecurity_api runs 2-3 points above insecurity_pct for the same editions (e.g. 76.27 vs "
               "73.3 nationally in 2014): use it for trends and do not splice the two.",
               "The national figures include crimes whose state was not specified, so states do not sum to "
               "the nation.",
               "Until about the 2016 edition a reported crime counts as investigated when an 'averiguación "
               "previa' was opened, later a 'carpeta de investigación'.",
               "authority_causes_pct is a share of all crimes without a declared report (INEGI's printed "
               "percentage). In the 2012 edition 'no sabe / no responde' answers are counted inside the "
               "causes; from 2013 they are excluded from the causes (but stay in the base), so reference "
               "year 2011 is not strictly comparable with later years.",
               "Cifra negra and causes start with the 2012 edition (reference year 2011); the 2011 edition "
               "has no state cifra-negra table.",
               "Rates and percentages from México Evalúa (editions 2011-2014) are rounded as INEGI prints "
               "them (whole numbers per 100,000; one decimal for percentages)."])

table("wjp_state", title="WJP rule-of-law index by state (overall score)",
      description=("World Justice Project's Índice de Estado de Derecho en México, overall score and rank of "
                   "the 32 states, editions 2019-2020 and 2022-2023, as republished by the Sinaloa state "
                   "statistics portal."),
      columns=[STATE_CODE,
               Column("edition", "integer", "Edition as labelled by the portal (2019, 2023)",
                      enum=tuple(e for e, _ in WJP.values())),
               Column("edition_label", "string", "WJP's name of the edition",
                      enum=tuple(lab for _, lab in WJP.values())),
               Column("score", "number", "Overall score, 0-1 (1 = strongest rule of law)", unit="score",
                      minimum=0, maximum=1, decimals=2),
               Column("rank", "integer", "Rank among the 32 states (1 = best)", minimum=1, maximum=32),
               Column("rank_change", "integer",
                      "Change in rank since WJP's previous edition as printed (positive = moved up)")],
      primary_key=["state_code", "edition"], sources=tuple(WJP), family=FAMILY, publish=False,
      caveats=["Transcribed from a state government web page, not from WJP's own files.",
               "The '2019' label presumably is the 2019-2020 edition; rank_change refers to WJP's previous "
               "edition (2018 and 2021-2022), which are not available here, so it cannot be checked.",
               "Overall score only: factor scores (e.g. absence of corruption, order and security) and the "
               "2018, 2020-2021 and 2021-2022 editions are not available.",
               "Scores are printed with two decimals; ties in score are ranked on WJP's unrounded scores."])


R = "correlation"
table("wjp_state_associations", title="WJP rule-of-law index by state: correlations with homicide (derived)",
      description=("Statistics derived from the World Justice Project's state scores (Índice de Estado de "
                   "Derecho en México, editions 2019-2020 and 2022-2023): their correlation across the 32 "
                   "states with the homicide rate (INEGI deaths by year of occurrence, Gargiulo et al.), on "
                   "three scales, with 95% intervals and leave-one-state-out ranges, and the change in score "
                   "between editions against the change in homicide rate. WJP's terms give no right to "
                   "republish the scores, so only these statistics are published; no row carries a score."),
      columns=[Column("analysis", "string", "level: score against the mean homicide rate of the window; change: "
                      "change in score between editions against the change in homicide rate",
                      enum=("level", "change")),
               Column("edition", "integer", "WJP edition (2019 = 2019-2020, 2023 = 2022-2023); for the change, "
                      "the later edition", enum=(2019, 2023)),
               Column("homicide_years", "string", "Years of homicide: averaged (level) or differenced (change)"),
               Column("scale", "string", "log: log of the mean rate (main); rate: the mean rate; rank: "
                      "Spearman's rank correlation; difference: changes in both",
                      enum=("log", "rate", "rank", "difference")),
               Column("r", "number", "Correlation across the states", unit=R, minimum=-1, maximum=1),
               Column("r_low", "number", "Lower end of its 95% interval (Fisher's z)", unit=R, minimum=-1,
                      maximum=1),
               Column("r_high", "number", "Upper end of its 95% interval (Fisher's z)", unit=R, minimum=-1,
                      maximum=1),
               Column("n", "integer", "Number of states", minimum=4, maximum=32),
               Column("loo_r_min", "number", "Smallest r when any one state is left out", unit=R, minimum=-1,
                      maximum=1),
               Column("loo_r_max", "number", "Largest r when any one state is left out", unit=R, minimum=-1,
                      maximum=1),
               Column("loo_state_code", "string", "The state whose removal moves r furthest",
                      pattern=r"^\d{2}$"),
               Column("mean_score_change", "number", "Change analysis: mean change in score between editions",
                      unit="score", required=False, decimals=4),
               Column("n_unchanged", "integer", "Change analysis: states whose printed score did not change",
                      required=False, minimum=0, maximum=32)],
      primary_key=["analysis", "edition", "scale"], sources=(*WJP, G_STATE, POP_OLD, POP_2012, POP_2018),
      family=FAMILY, chapters=["cross_case"], derived=True,
      caveats=["Derived statistics only: the state scores are not licensed for redistribution.",
               "The state homicide series ends in 2022, so the 2022-2023 edition is compared with the same "
               "window as the 2019-2020 one: for it the association is contemporaneous, not later.",
               "Scores are printed with two decimals, so small changes between editions are rounded away."])


# ------------------------------------------------------------------ parsed rows of each source (not published)


def _private(name: str, title: str, sources: tuple[str, ...]) -> None:
    table(name, title=title, description=f"{title}: parsed rows before assembly into envipe_state.",
          columns=[STATE_CODE, Column("indicator", "string", "Indicator", enum=tuple(INDICATORS)),
                   Column("edition", "integer", "ENVIPE edition", minimum=2011, maximum=2025),
                   Column("value", "number", "Estimate as printed", minimum=0, decimals=3),
                   Column("source", "string", "Source id")],
          primary_key=["state_code", "indicator", "edition"], sources=sources, family=FAMILY, publish=False)


_private("_envipe_mexicoevalua", "ENVIPE 2011-2014 state tabulations (México Evalúa)", (ME,))
_private("_envipe_api", "ENVIPE perceived insecurity, INEGI indicator 6204327085", (API,))
_private("_envipe_denuncia", "ENVIPE tabulados básicos III, cifra negra and causes by state",
         tuple(DENUNCIA.values()))
