"""Run the chapters again when the code or the data they import change.

MyST-NB's execution cache is keyed on a notebook's own code cells. A chapter's cells are short calls
into ``enclaves``, so after a change to the package (a chart builder, a case module) or to the
processed tables, the cache would go on serving outputs made by the old code from the old data — in
``make book``, ``make preview`` and a local ``make test`` alike. This hook hashes what the chapters
import (:data:`INPUTS`, under the book's root) when the builder starts; when the hash differs from the
last successful build's, it clears the execution cache and has every notebook read (and so run) again.
Prose-only edits keep the cache. A change to the build's own hooks (``src/enclaves/sphinx``: page
templates, scripts, styles) has every page written again, from the cache: Sphinx would otherwise
skip a build in which no page changed, and leave the old scripts in the site.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: What the chapters import, relative to the book's root; the build's own hooks (``enclaves.sphinx``)
#: change the site, not what a chapter computes, and are left out.
INPUTS = ("src/enclaves", "data/processed")
EXCLUDE = ("src/enclaves/sphinx/",)
STAMP = "chapter-inputs.sha256"


def _digest(root: Path, bases: tuple[str, ...], exclude: tuple[str, ...] = ()) -> str:
    h = hashlib.sha256()
    for base in bases:
        for p in sorted((root / base).rglob("*")):
            rel = p.relative_to(root).as_posix()
            skip = "__pycache__" in p.parts or p.suffix == ".pyc" or (exclude and rel.startswith(exclude))
            if not p.is_file() or skip:
                continue
            h.update(rel.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def inputs_digest(root: Path) -> str:
    """sha256 over every file of :data:`INPUTS` (path and bytes), skipping byte-code and :data:`EXCLUDE`."""
    return _digest(root, INPUTS, EXCLUDE)


def hooks_digest(root: Path) -> str:
    """sha256 over the build's own hooks (:data:`EXCLUDE`)."""
    return _digest(root, tuple(e.rstrip("/") for e in EXCLUDE))


def _cache_dir(app: Sphinx) -> Path:
    configured = getattr(app.config, "nb_execution_cache_path", "") or ""
    return Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"


def _stamp(app: Sphinx) -> Path:
    return Path(app.doctreedir).parent / ".enclaves-cache" / STAMP


def on_builder_inited(app: Sphinx) -> None:
    root = Path(app.srcdir)
    digest, hooks = inputs_digest(root), hooks_digest(root)
    stamp = _stamp(app)
    old = stamp.read_text(encoding="utf-8").split() if stamp.is_file() else []
    old_digest, old_hooks = (old + [None, None])[:2]
    app._enclaves_inputs = f"{digest}\n{hooks}"  # type: ignore[attr-defined]
    app._enclaves_rerun = old_digest != digest  # type: ignore[attr-defined]
    app._enclaves_rewrite = old_hooks != hooks  # type: ignore[attr-defined]
    if old_digest != digest:
        cache = _cache_dir(app)
        if cache.exists():
            logger.info("[enclaves] src/enclaves or data/processed changed: clearing the execution cache %s", cache)
            shutil.rmtree(cache)


def on_env_get_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Every notebook, when the inputs changed: they must run again even if their text did not; every
    page, when the hooks changed."""
    if getattr(app, "_enclaves_rewrite", False):
        return sorted(d for d in env.found_docs if d not in added)
    if not getattr(app, "_enclaves_rerun", False):
        return []
    from .notebooks import is_notebook_page  # the pages the build also exports as notebooks

    return sorted(d for d in env.found_docs if d not in added and is_notebook_page(app, d))


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Record the inputs the chapters ran with, once the build has succeeded."""
    if exception is None and getattr(app, "_enclaves_inputs", None):
        stamp = _stamp(app)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(app._enclaves_inputs + "\n", encoding="utf-8")  # type: ignore[attr-defined]


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", on_builder_inited, priority=400)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("build-finished", on_build_finished)
