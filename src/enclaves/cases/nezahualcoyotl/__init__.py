"""Ciudad Nezahualcóyotl (INEGI 15058): secession by the ballot.

Everything the chapter ``book/cases/nezahualcoyotl.md`` computes lives in this package, in the shape every
case shares (:mod:`enclaves.cases.base`): :mod:`.case` (the case record, windows, labels, thresholds),
:mod:`.series` (comparison groups, pooled rates and rate ratios, the SESNSP series, party control, Neza's
terms, the synthetic control of the reform era from 2013 as :func:`counterfactual`, ENVIPE),
:mod:`.charts` (the chapter's charts, ``CHARTS``), :mod:`.claims` (claims N1 and N2) and :mod:`.numbers`
(every value the chapter glues). The chapter reads
``from enclaves.cases import nezahualcoyotl as neza`` and then ``neza.numbers()``, ``neza.chart_timeline()`` …
"""

from . import claims  # noqa: F401  (registers the evaluators of N1 and N2)
from .case import (
    ARTICLE_WINDOW,
    BREAK_YEAR,
    CASE,
    CODE,
    DONOR_FACTOR,
    FAR_SAFER_RR,
    GROUP_LABELS,
    NAME,
    PEAK_WINDOW,
    SLUG,
    STATE_NAME,
)
from .charts import (
    CHARTS,
    chart_before,
    chart_envipe,
    chart_locator,
    chart_monthly_break,
    chart_monthly_dropdown,
    chart_neighbours,
    chart_parties,
    chart_placebo,
    chart_ratio,
    chart_sesnsp,
    chart_since_then,
    chart_since_then_state,
    chart_synth,
    chart_terms,
    chart_timeline,
)
from .claims import n1_table
from .numbers import numbers
from .research import dating_markdown, timeline_markdown
from .series import (
    annual_ratios,
    comparison,
    comparison_rates,
    counterfactual,
    donor_pool,
    elections,
    files_and_deaths,
    governor_family,
    mask_reason,
    members,
    monthly_rolling,
    municipal_rates,
    neighbours,
    neza_terms,
    party_permutation_test,
    pooled_rates,
    sesnsp_rates,
    since_rate,
    since_ratio,
    since_then,
    state_since,
    synth_panel,
    window_rate,
    window_ratio,
)
