"""Ciudad Nezahualcóyotl: the case record and the chapter's constants (dates, windows, labels, rules).

Constants only. The case itself (code, name, state, the first year of the reform era) comes from
``data/mappings/cases.csv`` through :mod:`enclaves.cases.registry`; everything else the chapter fixes by
design is defined and documented here.
"""

from __future__ import annotations

from ...series import SINCE_PERIODS, SINCE_POP_YEAR  # noqa: F401  (the since-then periods and census)
from ..registry import get

SLUG = "nezahualcoyotl"
#: The case record (``data/mappings/cases.csv``).
CASE = get(SLUG)
#: INEGI code of Nezahualcóyotl (15058) and its name as the book writes it.
CODE = CASE.mun_code
NAME = CASE.name
#: Estado de México: state code and name.
STATE = CASE.state_code
STATE_NAME = CASE.state_name
#: Mexico City (its boroughs are the other neighbours) and the nation, as codes of the state tables.
CDMX = "09"
CDMX_NAME = "Ciudad de México"
NATION = "00"

#: Neighbours the text names by code.
ECATEPEC = "15033"
CHALCO = "15025"
VALLE_DE_CHALCO = "15122"      # created in 1994 out of Chalco and neighbouring municipalities
TEXCOCO = "15099"
IZTAPALAPA = "09007"

#: The municipal homicide series: registration basis 1990-1999, occurrence basis 2000-2021.
FIRST_YEAR, LAST_YEAR = 1990, 2021
#: First year of the police-reform era studied here (the new government took office in January 2013).
BREAK_YEAR = CASE.break_year
#: Synthetic control: first pre-period year (the occurrence basis starts in 2000).
PRE_START = 2000
#: The three full years before the article (January 2018).
ARTICLE_WINDOW = (2015, 2017)
#: The earliest years of the series.
EARLY_WINDOW = (1990, 1992)
#: The three years before the reform era's first full effect.
PEAK_WINDOW = (2011, 2013)
#: The latest three years, under the 2018 coalition.
LATEST_WINDOW = (2019, 2021)
#: Rolling and centred windows of the monthly series (months).
WINDOW_MONTHS = 12
#: Months compared before and after the reform's start in the monthly before/after means.
MB_MONTHS = 24
#: SESNSP's new recording instrument starts (the series here keeps the old one).
NEW_INSTRUMENT_YEAR = 2015
#: The last election before the article (January 2018): the government in office when it appeared.
ARTICLE_ELECTION = 2015
#: Confidence level of every interval the chapter shows (per cent).
CI_LEVEL = 95

#: Donor pool: population in 2010 within this factor of Neza's …
DONOR_FACTOR = 3
#: … and CONAPO's marginalisation degree in 2010 as Neza's (very low) or one step above.
DONOR_DEGREES = ("very_low", "low")
#: Wider donor pools tried as a check (population factors).
POOL_FACTORS = (3, 4, 5)
#: Placebo in time: a pretend break five years early.
FAKE_START = 2008
#: Leave-one-out: refit without each of this many heaviest donors.
LOO_TOP = 5

#: "Far safer": a rate at least a quarter lower (rate ratio ≤ 0.75) whose exact 95% upper bound
#: is below 1.
FAR_SAFER_RR = 0.75
#: N2: a third party = a winning family other than the PRI and the PAN (the parties Langston calls
#: the establishment). "Supported" needs the government in office at the article to be of a third
#: party AND at least this share of all elections 1990-2015 won by third parties AND at least this
#: share of them won by a party other than the governor's.
THIRD_PARTY_SHARE = 0.5
ESTABLISHMENT = ("pri", "pan")

#: Short names the chapter uses in place of INEGI's.
SHORT = {ECATEPEC: "Ecatepec", "09005": "Gustavo A. Madero", VALLE_DE_CHALCO: "Valle de Chalco",
         "09006": "Iztacalco", IZTAPALAPA: "Iztapalapa", "09017": "Venustiano Carranza",
         "15031": "Chimalhuacán", "15070": "La Paz", CHALCO: "Chalco", "15039": "Ixtapaluca",
         TEXCOCO: "Texcoco", CODE: NAME}
#: Groups of ``data/mappings/comparison_nezahualcoyotl.csv`` and their labels in charts and tables.
GROUP_LABELS = {"east_ring": "Eastern ring (pooled)",
                "cdmx_boroughs": "Adjoining CDMX boroughs (pooled)",
                "donor_pool": "Synthetic-control donor pool"}
RATIO_LABELS = {"east_ring": "Neza ÷ eastern ring", "cdmx_boroughs": "Neza ÷ CDMX boroughs"}
#: Party families (the ``*_family`` codes of the election tables) as the chapter labels them; the colours
#: are the book's (:data:`enclaves.charts.theme.PARTY_COLORS`).
FAMILY_LABELS = {"pri": "PRI", "pan": "PAN", "prd": "PRD", "morena": "MORENA", "other": "Other party",
                 "none": "No winner"}
#: Offices drawn beside the municipalities in the chart of parties.
GOVERNOR_LABELS = {STATE: "Governor, Estado de México", CDMX: "Head of government, CDMX"}
CRIME_LABELS = {"homicidio_doloso": "Intentional homicide", "secuestro": "Kidnapping",
                "extorsion": "Extortion", "robo_vehiculo_con_violencia": "Vehicle theft with violence",
                "robo_vehiculo_sin_violencia": "Vehicle theft without violence"}
ENVIPE_LABELS = {"insecurity_api": "Adults who feel their state is unsafe",
                 "cifra_negra_pct": "Crimes never investigated (cifra negra)",
                 "authority_causes_pct": "Not reported: reasons blaming authorities"}
#: Changes of method the annual charts mark.
METHOD_BREAKS = [(2000, "Registration → occurrence basis"), (2010, "Population base 2010"),
                 (2015, "Population base 2015")]

#: "Since then": SESNSP's new-instrument investigation files for homicidio doloso and feminicidio
#: (``incidents_municipal_monthly``, January 2024 – June 2025; files, not deaths), per 100,000 a year over the
#: residents counted by the 2020 census (``marginalization_municipal``, 2020), the latest count in the book's
#: tables (CONAPO's 2018-edition projection for 2021, behind the death rates, is above the census count for Neza).
#: The state series of the section start with the new SESNSP instrument.
SINCE_STATE_FROM = 2015
