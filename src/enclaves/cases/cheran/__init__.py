"""Cherán (Michoacán, INEGI 16024): secession by custom, the book's case beyond the source reporting.

The chapter ``book/cases/cheran.md`` reads ``from enclaves.cases import cheran as C`` and then ``C.numbers()``
(every glued value), ``C.counterfactual()`` (the synthetic control and its checks) and the chart functions
(``C.CHARTS``, in chapter order). The modules follow :mod:`enclaves.cases.base`:

* :mod:`.case` — the case record, dates, windows, comparison rules and verdict thresholds;
* :mod:`.series` — comparison sets, derived series, election and avocado records, the counterfactual;
* :mod:`.charts` — the charts; :mod:`.claims` — the evaluators of claims C1-C5 (registered on import);
* :mod:`.numbers` — the glued values.
"""

from . import claims  # noqa: F401  (registers the evaluators of C1-C5)
from .case import (
    BREAK_YEAR,
    C1_SAFEST_SHARE,
    C1_SHARES,
    C1_WINDOW,
    C4_SHARES,
    CASE,
    CODE,
    MESETA,
    NAME,
    SIMILAR,
    SLUG,
    STATE,
    STATE_NAME,
    WIDE_FACTOR,
)
from .charts import (
    CHARTS,
    chart_avocado,
    chart_dropdown,
    chart_elections,
    chart_groups,
    chart_locator,
    chart_placebo,
    chart_ranking,
    chart_rates,
    chart_since_then,
    chart_synth,
    chart_timeline,
)
from .numbers import claims_table, numbers
from .series import (
    aggregate,
    avocado_neighbours,
    before_after_permutation,
    case_annual,
    codes,
    comparison_rates,
    comparison_table,
    counterfactual,
    coverage,
    did_quasi_poisson,
    donor_pool,
    election_cycles,
    elections_grid,
    groups,
    michoacan_annual,
    panel,
    ranking,
    rates,
    rest_of_state,
    similar_rule,
    since_then_ranking,
    since_then_rates,
    state_sources,
)
