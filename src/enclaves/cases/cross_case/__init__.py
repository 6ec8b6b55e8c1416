"""Cross-case analysis: is violence in Mexico rooted in the weakness of the state (claim X1)? And the cases
side by side (:mod:`enclaves.cases.compare`).

Not a case, but the same shape as one (see :mod:`enclaves.cases.base`), without a case record or a
counterfactual: ``case.py`` (windows, measures, specifications, labels, the X1 thresholds), ``series.py`` (the
state and municipal panels, their models, the between-state correlations and the evidence on X1), ``charts.py``
(the chapter's charts and tables, in order), ``claims.py`` (the verdict rule and the X1 evaluator) and
``numbers.py`` (the glued values). The chapter reads ``from enclaves.cases import cross_case as cc`` then
``cc.numbers()``, ``cc.chart_state_rates()``, and its exercises use the panels and models below.
"""

from . import claims  # noqa: F401  (registers the evaluator of X1)
from .capacity import capacity_panel, chart_capacity, later_test, relations, state_means
from .case import (
    ELECTION_YEARS,
    ENVIPE,
    EVENT_K,
    FIRST_YEAR,
    LAST_YEAR,
    MAIN_SCALE,
    MEASURES,
    MUN_LAST_YEAR,
    MUN_SPECS,
    N_MOST_VIOLENT,
    SLUG,
    SPECS,
    WEAKNESS,
)
from .charts import (
    CHARTS,
    MAP_MEASURES,
    between_long,
    chart_between,
    chart_directions,
    chart_envipe_state,
    chart_event_study,
    chart_evidence,
    chart_governors,
    chart_main_coefficients,
    chart_municipal,
    chart_rd_checks,
    chart_rd_estimates,
    chart_rd_plot,
    chart_relative,
    chart_robustness,
    chart_state_map,
    chart_state_rates,
    chart_wjp,
    governor_terms,
    state_map_values,
    table_between,
    table_evidence,
    table_municipal,
    table_state_main,
    wjp_rows,
)
from .claims import evaluate_x1
from .evidence import counts, evidence_table, later_correlations, signal_test, verdict_from
from .numbers import numbers, tables
from .rd_charts import rd_table
from .research import table as literature_table
from .series import (
    between_correlations,
    between_states,
    election_models,
    election_windows,
    envipe_wide,
    event_study,
    governor_years,
    model_row,
    most_violent_states,
    municipal_models,
    municipal_panel,
    municipal_terms,
    state_models,
    state_panel,
    within_signal,
    wjp_associations,
    wjp_change,
    wjp_level,
)
