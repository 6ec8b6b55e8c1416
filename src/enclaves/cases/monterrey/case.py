"""Monterrey's case record and the chapter's fixed choices: codes, dates, windows, labels, comparison rules
and verdict thresholds. Constants only; every other module of the package reads them from here."""

from __future__ import annotations

from ... import geo
from ...series import SINCE_PERIODS, SINCE_POP_YEAR  # noqa: F401  (the since-then periods and census)
from .. import registry

SLUG = "monterrey"
#: The case's row of data/mappings/cases.csv.
CASE = registry.get(SLUG)
#: INEGI code of the municipality ("19039").
CODE = CASE.mun_code
#: "Monterrey".
NAME = CASE.name
#: Nuevo León: its code ("19") and name.
STATE = CASE.state_code
STATE_NAME = CASE.state_name
#: The nation's code in the state tables ("00") and its label in every table and chart.
NATION = geo.NATIONAL
NATIONAL_NAME = geo.NATIONAL_NAME

#: Neighbouring states drawn into the same Gulf–Zetas conflict (Coahuila, Tamaulipas, San Luis Potosí).
NEIGHBOUR_STATES = {"05": "Coahuila", "28": "Tamaulipas", "24": "San Luis Potosí"}
#: Municipalities the chapter names: San Pedro Garza García (the wealthy enclave) and Juárez (the most
#: marginalised of the metro).
SAN_PEDRO = "19019"
JUAREZ = "19031"
#: Short names of metro municipalities in charts and tables.
SHORT_NAMES = {"San Pedro Garza García": "San Pedro", "San Nicolás de los Garza": "San Nicolás",
               "General Escobedo": "Escobedo"}

#: The break: Fuerza Civil, the state police rebuilt with business leaders, was created in 2011
#: (``CASE.break_year``).
BREAK_YEAR = CASE.break_year
#: The synthetic control's first treated year. 2011, the break year, is also the year of the peak and of
#: the transition (a force built from scratch needs time to recruit and deploy), so the main run fits the
#: weights on 2000–2011 and treats 2012 as the first treated year; the break year itself is a sensitivity
#: check (``SC_START_ALT``).
SC_START = 2012
SC_START_ALT = BREAK_YEAR
#: The synthetic control's years: the reform regime ends with Medina's term (Oct 2015).
SC_FIRST, SC_LAST = 2000, 2015
#: Placebo in time: pretend the break came in 2009 (data to the year before SC_START).
PIT_FAKE_START = 2009
#: Jaime Rodríguez ("El Bronco") takes office: the break of the interrupted time series.
GOVERNOR_BREAK = "2015-10"
#: The ITS window: after the post-2012 fall levels off, to the end of his term.
ITS_START, ITS_END = (2014, 1), (2021, 9)
#: Placebo date for the ITS: two years into the new administration.
ITS_FAKE_BREAK = "2017-10"
#: The break-date scan of the ITS: every month from the first with twelve months before it (the series starts in
#: January 2014) to December 2020 (nine months after the last break stay in the series).
SCAN_FIRST, SCAN_LAST = "2015-01", "2020-12"
#: The conventional significance level the scan counts against.
SCAN_ALPHA = 0.05
#: Comparative monthly design: the interrupted time series' start to the last month before the pandemic, and
#: the states whose governor also changed in October 2015 (Michoacán), whose cities leave the comparison.
CMP_START, CMP_END = (2014, 1), (2019, 12)
SAME_BREAK_STATES = ("16",)

#: Donor pool rule (checked against data/mappings/comparison_monterrey.csv by the tests): outside Nuevo
#: León, at least this many inhabitants in 2010, a complete 2000–2015 series, not another case of the book.
DONOR_MIN_POP_2010 = 500_000

#: Periods for the claims.
M1_PEAK = (2011, 2012)      # reform rolled out at the peak of the war
M1_AFTER = (2013, 2014)     # reform in place; last years of the old SESNSP instrument
M1_PRE = (2008, 2010)       # before the reform
M1_NEW = (2015, 2019)       # the new SESNSP instrument's first five years (for the chapter's comparison)
M2_PEAK_YEARS = (2011, 2012)
M2_END = 2015
M3_BASE = (2014, 2015)      # the low point, before the new governor's first full year
M3_POST = (2016, 2019)      # his first four full years (before the pandemic)
M3_POST_LONG = (2016, 2021)
#: M3's groups: the most marginalised (metro rank ≤ 4), the least (rank ≥ 7), and the suburbs the
#: reporting calls working-class (Apodaca, Escobedo, Juárez, Guadalupe).
M3_POOR_MAX_RANK = 4
M3_RICH_MIN_RANK = 7
WORKING_CLASS_SUBURBS = ("19006", "19021", "19031", "19026")

#: Thresholds for verdicts (documented in the chapter).
FALL_RATIO = 0.8        # a measure "fell" if after/before ≤ 0.8 and the 95% interval lies below 1
RISE_RATIO = 1.25       # a measure "rose" if after/before ≥ 1.25 and the 95% interval lies above 1
GRADIENT_RHO = 0.5      # "especially in working-class suburbs": rank correlation ≥ 0.5 between
                        # marginalisation and the rise
MIN_COUNT = 10          # fewer events than this in a period: too few to test
#: Confidence level of every interval, as the chapter glues it (per cent).
CI_LEVEL = 95

#: Population-base changes marked on the metro chart.
BREAK_POP = [(2010, "Population base: 2010 census"), (2015, "Population base: 2015 survey")]
METRO_LABEL = "Metropolitan Monterrey (9 municipalities)"
REST_LABEL = "Rest of Mexico"
OTHER_METRO_LABEL = "Other eight metro municipalities"
#: Events on the timeline: (decimal year, label).
EVENTS = (
    (2006.95, "Federal offensive"),
    (2009.75, "Medina (PRI) governor"),
    (2011.0, "Fuerza Civil"),
    (2011.65, "Casino Royale attack"),
    (2015.75, "Rodríguez (independent)"),
    (2018.95, "Mayoral rerun"),
    (2021.75, "García (MC)"),
)

#: SESNSP crimes and series as the charts label them (instruments and units are never spliced).
CRIME_LABELS = {"secuestro": "Kidnapping", "extorsion": "Extortion", "homicidio_doloso": "Intentional homicide",
                "robo_vehiculo": "Vehicle theft"}
SERIES_LABELS = {("sesnsp_old", "incidents"): "Old, incidents",
                 ("sesnsp_old", "victims"): "Old, victims",
                 ("sesnsp_new", "incidents"): "New (2015–), incidents",
                 ("sesnsp_new", "victims"): "New (2015–), victims"}
#: The crimes of claim M2 in Monterrey's SESNSP files, in the order of the chapter's measures.
M2_CRIMES = ("homicidio_doloso", "secuestro", "extorsion", "robo_vehiculo")

#: "Since then": SESNSP's new-instrument investigation files for homicidio doloso and feminicidio
#: (``incidents_municipal_monthly``, January 2024 – June 2025; files, not deaths). Rates are per 100,000 a
#: year over the residents counted by the 2020 census (``marginalization_municipal``, 2020), the latest count
#: in the book's tables: CONAPO's projections on the 2015 base, behind the death rates, miss it by more than
#: a quarter in fast-growing García. Rates run a little high where a place has grown since 2020.
#: The state series of the section start with the new SESNSP instrument.
SINCE_STATE_FROM = 2015
DONOR_LABEL = "Donor cities (pooled)"
