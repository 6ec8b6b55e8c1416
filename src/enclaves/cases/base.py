"""The one interface every case package answers.

A case lives in ``enclaves/cases/<slug>/`` with the same modules:

``case.py``
    the case record (:data:`CASE`, from :mod:`enclaves.cases.registry`), dates, windows, labels,
    comparison rules and verdict thresholds: constants only, documented where they are defined.
``series.py``
    comparison sets, derived series and the counterfactual run (:func:`counterfactual`).
``charts.py``
    the chapter's charts, in chapter order (``CHARTS`` lists them).
``claims.py``
    the claim evaluators (registered with :func:`enclaves.claims.evaluator` on import).
``research.py``
    what researchers found: the published figures of ``data/mappings/published_figures_<slug>.csv`` and the
    book's own numbers beside them (:func:`numbers` returns their glue values).
``numbers.py``
    the chapter's glued values: :func:`numbers` returns ``{key: plain value}``, every key written
    literally so that a search for a key used in the chapter finds where it is made.

and ``__init__.py`` re-exports what the chapter calls, so a chapter reads
``from enclaves.cases import tancitaro as T`` then ``T.numbers()``, ``T.counterfactual()``,
``T.chart_timeline()``. :func:`check_package` states the contract and the tests apply it to every case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from ..models.synth import SynthResult

#: The modules of every case package.
MODULES = ("case", "series", "charts", "claims", "research", "numbers")
#: What every case package's ``__init__`` exports.
INTERFACE = ("CASE", "SLUG", "counterfactual", "numbers", "CHARTS")


@dataclass(frozen=True)
class Counterfactual:
    """A case's synthetic control and its checks, the same shape for every case.

    ``main`` is the fit with placebo-in-space inference (its ``placebo`` table and ``placebo_gaps``);
    ``start`` the first treated year; ``donors`` the pool; ``placebo_time`` the fit with a pretend break
    before the real one; ``leave_one_out`` the table of refits without each top donor (``dropped``,
    ``dropped_name``, ``att`` …); ``variants`` named alternative runs (another start year, a pool
    without neighbours, a wider pool …).
    """

    main: SynthResult
    start: int
    donors: list[str]
    placebo_time: SynthResult | None = None
    leave_one_out: pd.DataFrame | None = None
    variants: dict[str, SynthResult] = field(default_factory=dict)

    def summary(self) -> dict:
        """Average post-break gap, its size against the synthetic, the pre-period fit, the placebo p."""
        r = self.main
        post = r.gap.index >= self.start
        return {"first_year": int(self.start), "last_year": int(r.gap.index.max()), "att": float(r.att),
                "att_pct": float(100 * r.gap[post].sum() / r.synthetic[post].sum()),
                "pre_rmspe": float(r.pre_rmspe), "ratio": float(r.ratio), "p_value": float(r.p_value),
                "donors": int(len(r.weights))}


def check_package(mod: ModuleType) -> list[str]:
    """What a case package lacks of the common interface (an empty list if nothing)."""
    import importlib

    problems = [f"{mod.__name__} does not export {name}" for name in INTERFACE if not hasattr(mod, name)]
    for sub in MODULES:
        try:
            importlib.import_module(f"{mod.__name__}.{sub}")
        except ModuleNotFoundError:
            problems.append(f"{mod.__name__} has no module {sub}.py")
    charts = getattr(mod, "CHARTS", ())
    problems += [f"{mod.__name__}.CHARTS: {c!r} is not callable" for c in charts if not callable(c)]
    return problems
