"""The cross-case analysis: its windows, measures, specifications, labels and the X1 verdict thresholds.

Constants only, each documented where it is defined. The cross-case chapter is not a case: it has no record
in data/mappings/cases.csv, no break and no counterfactual (the three cases' counterfactuals are compared in
:mod:`enclaves.cases.compare`).
"""

from __future__ import annotations

SLUG = "cross_case"
#: Confidence level of every interval in the chapter (glued as a percentage).
LEVEL = 0.95

# ------------------------------------------------------------------------------------- windows
#: State homicides by year of occurrence: the state panel's years.
FIRST_YEAR, LAST_YEAR = 2000, 2022
#: Municipal homicides by year of occurrence end here.
MUN_LAST_YEAR = 2021
#: ENVIPE reference years averaged across states (crimes of those years).
SURVEY_YEARS = (2011, 2021)
#: Homicide years averaged across states: one year after the survey years.
LATER_YEARS = (2012, 2022)
#: Homicides after the 2019-2020 WJP edition.
WJP_LATER_YEARS = (2020, 2022)
#: Years over which the most violent states are ranked (mean homicide rate).
VIOLENT_YEARS = (2012, LAST_YEAR)
#: Municipal elections with three years of homicides after and five before.
ELECTION_YEARS = (2005, 2018)
#: Event time: years relative to the election year (0 = election year).
EVENT_K = (-5, 3)
#: A municipal term is assigned to the years after its election up to this many years after it (terms are
#: three years in most states, four in a few transitional ones); later years stay unassigned.
MAX_TERM_YEARS = 4
#: Municipalities governed by custom (usos y costumbres) instead of party elections, with the first year so
#: governed: from that year they have no ruling party, so every party measure (ruling family, alternation, a
#: town hall of another party than the governor's) is missing by rule, not carried forward from the last party
#: winner. Cherán (16024): the federal electoral tribunal's ruling SUP-JDC-9167/2011 of 2 November 2011 and the
#: first council chosen by the neighbourhood assemblies in January 2012 (see the Cherán chapter).
GOVERNED_BY_CUSTOM = {"16024": 2012}

# ------------------------------------------------------------------------------------ measures
#: Measures of the state in the state panel: column → labels, unit and the sign X1 predicts for
#: "more of this goes with more violence later" (None: the thesis gives no sign).
MEASURES: dict[str, dict] = {
    "cifra_negra_pct": {"label": "Dark figure (crimes not reported or not investigated)",
                        "short": "Dark figure", "unit": "% of crimes", "sign": 1},
    "authority_causes_pct": {"label": "Crimes left unreported because of the authorities",
                             "short": "Blames the authorities", "unit": "% of unreported crimes", "sign": 1},
    "insecurity_api": {"label": "Adults who feel their state is unsafe",
                       "short": "Feels unsafe", "unit": "% of adults", "sign": 1},
    "gov_alternation": {"label": "Governor from a different party family than the predecessor",
                        "short": "Governor alternation", "unit": "0 or 1", "sign": None},
}
#: Measures entered together in the joint specification (the two alternation codings overlap).
JOINT = ("cifra_negra_pct", "authority_causes_pct", "insecurity_api", "gov_alternation")
#: The measures of state weakness the verdict on X1 rests on (survey-based, yearly, all states).
WEAKNESS = ("cifra_negra_pct", "authority_causes_pct")
#: The ENVIPE indicators of the state panel.
ENVIPE = ("cifra_negra_pct", "authority_causes_pct", "insecurity_api")
#: The quantiles of all state-years between which the ENVIPE chart's description puts each measure's usual range.
ENVIPE_USUAL = (0.1, 0.9)
#: How many of the most violent states the robustness specification leaves out.
N_MOST_VIOLENT = 5
#: Major parties: two winning candidacies alternate (strictly) when they share none of these.
MAJOR = {"pan", "pri", "prd", "morena"}
#: Between-state comparisons: measure column → (homicide column, the sign X1 predicts, counted in the verdict).
BETWEEN = {
    "cifra_negra_pct": ("rate_later", 1, True),
    "authority_causes_pct": ("rate_later", 1, True),
    "wjp_2019": (None, -1, True),  # r from the pipeline's derived table (scores not republishable)
    "insecurity_api": ("rate_later", 1, False),
}
#: Labels of the between-state measures.
BETWEEN_LABELS = {"cifra_negra_pct": "Dark figure", "authority_causes_pct": "Blames the authorities",
                  "wjp_2019": "WJP rule of law 2019-20", "insecurity_api": "Feels unsafe",
                  "wjp_2023": "WJP rule of law 2022-23"}
#: The scales of the between-state correlations and their labels: the log of the mean rate (main: rates differ
#: by factors), the mean rate itself, and ranks (Spearman).
SCALE_LABELS = {"log": "Log rate (main)", "rate": "Rate", "rank": "Ranks (Spearman)"}
SCALES = tuple(SCALE_LABELS)

# ------------------------------------------------------------------------------ specifications
#: The two directions of the state-panel regressions.
FORWARD = "weakness → later violence"
REVERSE = "violence → later measure"
#: The state-panel specifications, in chapter order (the first is the main one).
SPECS = ("Main: lag 1, state and year effects", "Lag 2", f"Without the {N_MOST_VIOLENT} most violent states",
         "Log homicide rate", "First differences", "Weighted by population", "All four measures together")
#: The municipality-year specifications, in chapter order (the second is the main one).
MUN_SPECS = ("Year effects", "State-by-year effects (main)", "State-by-year, population weights",
             "State-by-year, clustered by state", "Strict alternation")
#: The election-level outcomes: column → design label (weighted variants add ", weighted").
ELECTION_OUTCOMES = {"later_change": "Later change", "earlier_change": "Earlier change (placebo)"}
#: The two town-hall variables and their labels.
TOWN_HALL = {"alternation": "Change of ruling party", "opp_governor": "Party other than the governor's"}

# -------------------------------------------------------------------------------------- labels
#: Colours for measures and other non-case categories (the case colours stay reserved for the cases).
MEASURE_COLORS = {"Dark figure": "#5e3c99", "Blames the authorities": "#c17d11", "Feels unsafe": "#1b9e77",
                  "Governor alternation": "#444444"}
#: Colours of a two-category coefficient chart.
PAIR_COLORS = ["#c17d11", "#5e3c99"]
#: Names of the party families in the governors' chart (colours: enclaves.charts.theme.PARTY_COLORS).
FAMILY_NAMES = {"pri": "PRI", "pan": "PAN", "prd": "PRD", "morena": "Morena", "other": "Other or independent"}

# ---------------------------------------------------------------------------- verdict on X1
#: The smallest correlation across states that a "root cause" should produce: a medium
#: correlation in Cohen's (1988) conventions.
MEDIUM_R = 0.3
#: Within states, the smallest standardised effect that would matter: 0.2 within-state standard
#: deviations of the homicide rate per within-state standard deviation of the measure.
SMALL_STD = 0.2
#: The between-state comparison on which the verdict rests: log rates (states' rates differ by
#: factors of ten, and a log scale stops a few very violent states from deciding the answer).
MAIN_SCALE = "log"
