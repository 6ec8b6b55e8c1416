"""Cherán (Michoacán, INEGI 16024): the case record, dates, windows, comparison rules and the thresholds
behind every verdict. Constants only, each documented where it is defined.

Conventions
-----------
* Homicides are counted by year of occurrence from 2000 (``OCCURRENCE_FROM``); the municipal series ends
  in 2021.
* The uprising began on 15 April 2011 and the council chosen by custom took office early in 2012, so 2012
  is the first full year after the break (``BREAK_YEAR``, the registry's ``break_year``); 2011 stays in the
  period before it, as the violent end of the old order.
* Rates are per 100,000 inhabitants; pooled rates divide summed deaths by summed mid-year population.
"""

from __future__ import annotations

from ...series import OCCURRENCE_FROM as _OCCURRENCE_FROM
from .. import registry

SLUG = "cheran"
#: The case record of ``data/mappings/cases.csv``.
CASE = registry.get(SLUG)
CODE = CASE.mun_code              # "16024"
NAME = CASE.name                  # "Cherán"
STATE = CASE.state_code           # "16"
STATE_NAME = CASE.state_name      # "Michoacán"

# --- dates and windows --------------------------------------------------------------------------

OCCURRENCE_FROM = _OCCURRENCE_FROM
#: First full year after the break (= ``CASE.break_year``).
BREAK_YEAR = CASE.break_year
#: Last year of the municipal homicide series.
LAST_MUNICIPAL_YEAR = 2021
#: Where the dated events of the case sit on a yearly axis (year + day of year / 365), from the sources
#: cited in the chapter: the uprising of 15 April 2011, the tribunal's ruling of 2 November 2011, the
#: consultation of 18 December 2011, the council's election on 22 January 2012, the ambush of
#: 18 April 2012, Tancítaro's uprising late in 2013, the second council's taking office in September 2015,
#: and the killing of Guadalupe Campanur, found on 16 January 2018.
EVENTS = [
    (2008.0, "Logging and extortion grow"),
    (2011.29, "Uprising (15 April)"),
    (2011.84, "Tribunal ruling (2 November)"),
    (2011.96, "Consultation (18 December)"),
    (2012.06, "First council elected (22 January)"),
    (2012.30, "Loggers' ambush (18 April)"),
    (2013.85, "Tancítaro uprising"),
    (2015.67, "Second council"),
    (2018.04, "Guadalupe Campanur killed"),
]
#: The chapter's pooled periods: before the logging and the drug war, the logging years up to the uprising
#: (2011 included), the first five years of self-government, and the five after them.
PERIODS = [(2000, 2005), (2006, 2011), (2012, 2016), (2017, 2021)]
BEFORE, AFTER = (2006, 2011), (2012, LAST_MUNICIPAL_YEAR)

# --- comparison sets (data/mappings/comparison_cheran.csv) ----------------------------------------

#: Groups of the comparison file and their labels.
MESETA, SIMILAR, TANCITARO, MILITIA = "meseta", "similar", "tancitaro", "militia"
GROUP_LABELS = {MESETA: "Meseta neighbours", SIMILAR: "Similar towns", TANCITARO: "Tancítaro",
                MILITIA: "Self-defence towns"}
#: The municipalities of the Meseta Purépecha that the chapter compares with Cherán: the four that share a
#: boundary with it (the processed table ``municipal_neighbours``, from INEGI's boundaries) and Charapan,
#: a Meseta municipality that does not.
MESETA_EXTRA = ["16021"]
#: "Similar towns": Michoacán municipalities whose 2010 population lies within this factor of Cherán's and
#: whose CONAPO marginalisation degree in 2010 is Cherán's, outside the Meseta group, Tancítaro and the
#: self-defence towns. (The data hold no indigenous share by municipality, so size and marginalisation stand
#: in for it; see the chapter.)
SIMILAR_FACTOR = 1.5
SIMILAR_YEAR = 2010
#: Tancítaro's comparison group of Tierra Caliente self-defence towns: treated places, kept out of every pool
#: (and shown in the with/without check of the counterfactual).
MILITIA_SOURCE = ("tancitaro", "self_defence")
#: Label of Michoacán without Cherán.
REST_OF_STATE = f"{STATE_NAME} without {NAME}"

# --- since then ---------------------------------------------------------------------------------

#: The new instrument's municipal files run from January 2024 to June 2025 (``incidents_municipal_monthly``).
SINCE_FIRST, SINCE_LAST = "January 2024", "June 2025"

# --- the synthetic control ----------------------------------------------------------------------

#: Pre-period of the synthetic control (2000-2011) and its first treated year (``BREAK_YEAR``).
PRE_START = 2000
#: A fake break for the placebo in time: "post" 2008-2011, pre 2000-2007.
PLACEBO_TIME_START = 2008
#: How many of the heaviest donors the leave-one-out check drops, one at a time.
LOO_TOP = 5
#: The wider pool of the sensitivity check: every Michoacán municipality within this size factor, any
#: marginalisation degree (still without the treated towns).
WIDE_FACTOR = 2.0

# --- chart rules --------------------------------------------------------------------------------

#: Methodology breaks drawn on homicide charts from 2000 on: population bases.
POP_BREAKS = [(2010, "Population base 2010"), (2015, "Population base 2015")]

# --- claims -------------------------------------------------------------------------------------

#: C1 ("one of the safest municipalities in Michoacán"): judged over the years after the break. Supported if
#: Cherán's pooled rate is among the lowest ``C1_SAFEST_SHARE`` of Michoacán's municipalities AND its exact
#: 95% rate ratio to the rest of the state lies wholly below 1; partly supported if only one holds.
C1_WINDOW = AFTER
C1_SAFEST_SHARE = 0.20
#: Other shares shown to say how the verdict moves with the threshold.
C1_SHARES = (0.05, 0.10, 0.20, 0.33)
#: C2 ("homicides fell in the five years after the uprising"): the years up to the uprising against the five
#: years after it. Supported if the exact rate ratio after/before lies wholly below 1; partly supported if
#: only its point estimate does; otherwise not supported.
C2_BEFORE, C2_AFTER = BEFORE, (2012, 2016)
#: C3 ("no party elections since the break"): the state's ordinary municipal elections after the break. An
#: election cycle counts if at least this share of Michoacán's other municipalities has a party result for it
#: (an annulled election re-run the next year counts for its cycle).
C3_CYCLES = (2011, 2015, 2018)
C3_MIN_COVERAGE = 0.95
#: C4 ("no commercial avocado orchards; orchards all around"): supported if SIAP records no avocado area in
#: Cherán after the break, at least ``C4_MIN_SHARE`` of its bordering neighbours record orchards, and their
#: planted area grew by at least ``C4_MIN_GROWTH`` (a fraction) from the year before the break to the last
#: year; partly supported if Cherán records none but a neighbour condition fails; not supported if it
#: records orchards.
C4_MIN_SHARE = 0.5
C4_MIN_GROWTH = 0.5
C4_SHARES = (0.25, 0.5, 0.75)
#: C5 (forest destroyed before the uprising): testable only with a forest-cover table; the evaluator looks
#: for a processed table whose name holds one of these words.
C5_TABLE_WORDS = ("forest", "bosque", "land_cover", "deforest")
