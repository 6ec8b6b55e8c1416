"""Monterrey (INEGI 19039, Nuevo León): secession by the Rolodex.

The Monterrey chapter's analysis: the case's constants (:mod:`.case`), comparison sets, derived series and
the two counterfactual runs — a synthetic control for the 2011 police reform (:func:`counterfactual`) and an
interrupted time series for the change of governor in October 2015 (:mod:`.series`) —, the chapter's charts
(:mod:`.charts`), the evaluators of claims M1, M2 and M3 (:mod:`.claims`) and the values the chapter glues
(:func:`numbers`). A chapter reads ``from enclaves.cases import monterrey as M``.
"""

from . import claims  # noqa: F401  (registers the evaluators of M1, M2 and M3)
from .case import (
    CASE,
    CODE,
    FALL_RATIO,
    GRADIENT_RHO,
    M3_BASE,
    M3_POST,
    METRO_LABEL,
    NAME,
    NEIGHBOUR_STATES,
    REST_LABEL,
    RISE_RATIO,
    SC_START,
    SLUG,
)
from .charts import (
    CHARTS,
    chart_city_crimes,
    chart_escalation,
    chart_insecurity,
    chart_its,
    chart_its_scan,
    chart_kidnapping_monthly,
    chart_kidnapping_states,
    chart_locator,
    chart_m3,
    chart_metro_rates,
    chart_placebos,
    chart_since_then,
    chart_since_then_state,
    chart_synth,
    chart_timeline,
    timeline_table,
)
from .claims import m1_numbers, m2_measures, m3_numbers
from .numbers import numbers
from .series import (
    area_rates,
    city_crimes,
    classify_change,
    clean_donor_codes,
    comparative_table,
    counterfactual,
    donor_codes,
    donor_rule_codes,
    governors_table,
    its_fitted,
    its_run,
    its_scan,
    its_table,
    mayors_table,
    metro_codes,
    metro_marginalisation,
    monthly_homicides,
    period_counts,
    rate_ratio,
    short_name,
    since_rate,
    since_ratio,
    since_then,
    state_crime_rates,
    state_since,
    synth_panel,
    takeover_donors,
)
