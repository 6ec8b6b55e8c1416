"""Tancítaro (Michoacán, INEGI 16083): secession by the gun.

The chapter ``book/cases/tancitaro.md`` reads ``from enclaves.cases import tancitaro as T`` and then
``T.numbers()`` (every glued value), ``T.counterfactual()`` (the synthetic control and its checks) and the
chart functions (``T.CHARTS``, in chapter order). The modules follow :mod:`enclaves.cases.base`:

* :mod:`.case` — the case record, dates, windows, comparison rules and verdict thresholds;
* :mod:`.series` — comparison sets, derived series and the counterfactual;
* :mod:`.charts` — the charts; :mod:`.claims` — the evaluators of claims T1-T5 (registered on import);
* :mod:`.numbers` — the glued values.
"""

from . import claims  # noqa: F401  (registers the evaluators of T1-T5)
from .case import (
    BREAK_YEAR,
    CASE,
    CODE,
    DONOR_FACTOR,
    DONOR_POP_YEAR,
    NAME,
    PRE_START,
    SELF_DEFENCE,
    SLUG,
    STATE,
    STATE_NAME,
    T1_REFERENCE_YEAR,
    T1_THRESHOLD_USD_PER_DAY,
    T2_WINDOW,
    T4_RELAPSE,
    T5_ELECTION_YEAR,
    WEST_NEIGHBOURS,
    WIDE_FACTOR,
)
from .charts import (
    CHARTS,
    chart_avocado,
    chart_case_rates,
    chart_dropdown,
    chart_elections,
    chart_exports,
    chart_groups,
    chart_locator,
    chart_monthly,
    chart_placebo,
    chart_since_then,
    chart_since_then_state,
    chart_suicide,
    chart_synth,
    chart_t1,
    chart_timeline,
    timeline_events,
    timeline_table,
)
from .claims import t2_table
from .numbers import numbers
from .research import inspections_table
from .series import (
    aggregate,
    avocado_case,
    case_annual,
    clean_donor_pool,
    codes,
    counterfactual,
    crime_2011_2013,
    crime_2011_2013_table,
    donor_pool,
    elections_state,
    export_estimates,
    exports_annual,
    gaps_table,
    major_parties,
    monthly,
    panel,
    placebo_gaps,
    rest_of_state,
    since_then_rates,
    state_sources,
    synth_wide_pool,
    t4_table,
    three_deaths_effect,
    treated_donors,
)
