"""Tancítaro (Michoacán, INEGI 16083): the case record, dates, windows, labels, comparison rules and the
thresholds behind every verdict. Constants only, each documented where it is defined.

Conventions
-----------
* Homicides are counted by year (and month) of occurrence from 2000 (``OCCURRENCE_FROM``).
* The uprising came in late 2013, so 2014 is the first post-break year of every annual model
  (``BREAK_YEAR``); 2013 itself stays in the pre-period.
* Rates are per 100,000 inhabitants; pooled rates over several years divide summed deaths by
  summed mid-year population (person-years).
"""

from __future__ import annotations

from ...series import OCCURRENCE_FROM as _OCCURRENCE_FROM
from .. import registry

SLUG = "tancitaro"
#: The case record of ``data/mappings/cases.csv``.
CASE = registry.get(SLUG)
CODE = CASE.mun_code              # "16083"
NAME = CASE.name                  # "Tancítaro"
STATE = CASE.state_code           # "16"
STATE_NAME = CASE.state_name      # "Michoacán"

# --- dates and windows --------------------------------------------------------------------------

#: First year counted by year of occurrence (the book's convention); municipal data end in 2021.
OCCURRENCE_FROM = _OCCURRENCE_FROM
#: The uprising happened on 16 November 2013 (data/mappings/timeline_tancitaro.csv): 2014 is the first full year
#: after it (= ``CASE.break_year``).
BREAK_YEAR = CASE.break_year
#: Where the uprising sits on a yearly axis (16 November 2013), for event markers.
UPRISING_X = 2013.87
#: Where the report (The New York Times, January 2018) sits on a yearly axis.
REPORT_X = 2018.04
#: Last year of the municipal homicide series.
LAST_MUNICIPAL_YEAR = 2021
#: The fixed periods of the chapter's pooled rates: before the drug war, the drug war up to the uprising,
#: the years up to the report, and the years after it.
PERIODS = [(2000, 2007), (2008, 2013), (2014, 2017), (2018, 2021)]

# --- comparison sets ----------------------------------------------------------------------------

#: The avocado-belt towns west of Tancítaro (Peribán, Nuevo Parangaricutiro, Los Reyes).
WEST_NEIGHBOURS = ["16068", "16058", "16075"]
#: The avocado-belt towns east of Tancítaro (Ario, Tacámbaro, Salvador Escalante), pooled for the chapter's
#: contrast with the city of Uruapan.
EAST_NEIGHBOURS = ["16009", "16082", "16079"]
#: Uruapan, the belt's city, and Apatzingán, the largest self-defence town (both named in the chapter).
URUAPAN = "16102"
APATZINGAN = "16006"
#: Group labels used in charts and tables.
BELT = "Avocado-belt neighbours"
SELF_DEFENCE = "Self-defence towns"
GROUP_LABELS = {"avocado_belt": BELT, "self_defence": SELF_DEFENCE, "donor": "Donor pool"}
#: Label of Michoacán without Tancítaro.
REST_OF_STATE = f"{STATE_NAME} without {NAME}"
#: Label of the western avocado towns (``WEST_NEIGHBOURS``) pooled.
WEST_LABEL = "Western avocado towns"

# --- since then ---------------------------------------------------------------------------------

#: The new instrument's municipal files run from January 2024 to June 2025 (``incidents_municipal_monthly``).
SINCE_FIRST, SINCE_LAST = "January 2024", "June 2025"

# --- the synthetic control ----------------------------------------------------------------------

#: Pre-period of the synthetic control.
PRE_START = 2000
#: Donor pool: Michoacán municipalities whose 2010 population is within this factor of Tancítaro's.
DONOR_FACTOR = 1.5
DONOR_POP_YEAR = 2010
#: A donor must have a complete series of this many years (2000-2021: 22).
DONOR_YEARS = LAST_MUNICIPAL_YEAR - PRE_START + 1
#: The wider size band of the donor-pool sensitivity check.
WIDE_FACTOR = 3.0
#: A fake break, before the real one, for the placebo in time (pre 2000-2008, "post" 2009-2013).
PLACEBO_TIME_START = 2009
#: How many of the heaviest donors the leave-one-out check drops, one at a time.
LOO_TOP = 5

# --- chart rules --------------------------------------------------------------------------------

#: Methodology breaks drawn on homicide charts from 2000 on: population bases.
POP_BREAKS = [(2010, "Population base 2010"), (2015, "Population base 2015")]

# --- claims -------------------------------------------------------------------------------------

#: Claim T1's threshold: US$ 1 million of avocados a day.
T1_THRESHOLD_USD_PER_DAY = 1_000_000
#: The year T1 is judged in: the last full year before the report (published January 2018).
T1_REFERENCE_YEAR = 2017

#: Claim T2 is judged in the years up to the report ("about four years on" from the uprising), beside the
#: years before the uprising and those after the report.
T2_WINDOW, T2_BEFORE, T2_LATER = (2014, 2017), (2008, 2013), (2018, 2021)

#: Suicide "soaring" is a claim about change: it needs counts for Tancítaro in at least two years,
#: one up to the report (2017) and one after it. Then: supported if the later rate's exact ratio to
#: the earlier has a lower bound above 1; partly supported if the point ratio is above 1; else not.
T3_MIN_YEARS = 2
T3_REPORT_YEAR = 2017

#: Claim T4 windows: before the movement, just after the uprisings, the years up to the report, and after it.
T4_BEFORE, T4_AFTER, T4_RELAPSE, T4_LATER = (2010, 2012), (2014, 2015), (2016, 2017), (2018, 2021)

#: A party is "major" if its own candidates governed at least this share of the 32 states on the day
#: of the election (from the governors table): in June 2015 that is PRI, PAN and PRD.
MAJOR_PARTY_MIN_SHARE_OF_GOVERNORS = 0.10
#: The election claim T5 is about.
T5_ELECTION_YEAR = 2015
#: The last year with returns for every Michoacán municipality (2021 rows exist only for a few).
LAST_FULL_ELECTION = 2019
