"""Every chapter as a notebook (a Sphinx extension: ``sphinx.extra_extensions: [enclaves.sphinx.notebooks]``).

* Each MyST-notebook page (jupytext/kernelspec front matter) is converted with jupytext to
  ``<site>/_notebooks/<docname>.ipynb``, without outputs, after a hidden first cell that installs
  the book's package when it is missing (Colab, a downloaded notebook). In a checkout or on Binder
  the cell finds the package and does nothing.
* That cell installs the package from a wheel published with the site,
  ``<site>/_notebooks/enclaves-<version>-py3-none-any.whl``, built from this checkout at book-build
  time (so a notebook runs the code its page was built with; cached by content hash). The wheel
  carries ``data/mappings`` and ``data/claims`` (small hand-kept tables) as ``enclaves/_data`` and
  no processed table: outside a checkout ``enclaves.data.load`` reads ``<site>/data/<table>.csv``.
* Launch links, configured by ``launch_buttons`` in ``_config.yml``: sphinx-book-theme makes the
  Binder link (the chapter's ``.md``, opened as a notebook by jupytext: see ``binder/``); its Colab
  link points at the ``.md``, which Colab cannot open, so it is redirected to the generated notebook
  on the ``gh-pages`` branch (the workflow commits the built site there). The theme's ".ipynb"
  download points at the generated notebook, and each chapter gets a visible line of plain links
  under its title. No icons: the links cause no request when the page loads.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .. import paths

logger = logging.getLogger(__name__)

#: Where the notebooks and the wheel go, inside the site (and on the gh-pages branch).
NOTEBOOK_DIR = "_notebooks"
#: The branch the workflow commits the built site to (Colab opens notebooks from GitHub).
PAGES_BRANCH = "gh-pages"
SETUP_CELL_ID = "enclaves-setup"
#: Folders of data/ the wheel carries (read by enclaves.geo, enclaves.cases, enclaves.claims).
PACKAGED_FOLDERS = ("mappings", "claims")


# ----------------------------------------------------------------------------- the wheel


def _wheel_inputs(root: Path) -> list[tuple[Path, str]]:
    """(file, name in the staged project) for everything the wheel is built from."""
    out = [(root / "pyproject.toml", "pyproject.toml"), (root / "README.md", "README.md")]
    pkg = root / "src" / "enclaves"
    for f in sorted(pkg.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".pyc", ".pyo"):
            out.append((f, f"src/enclaves/{f.relative_to(pkg).as_posix()}"))
    for folder in PACKAGED_FOLDERS:
        for f in sorted((root / "data" / folder).rglob("*")):
            if f.is_file():
                out.append((f, f"src/enclaves/_data/{folder}/{f.relative_to(root / 'data' / folder).as_posix()}"))
    return out


def _offline_build_possible() -> bool:
    """setuptools new enough for ``pyproject.toml`` (an SPDX licence expression needs 77) in this
    environment, so the wheel builds without a download."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return major >= 77


def build_wheel(root: Path, dest: Path, cache: Path | None = None) -> Path:
    """Build the package's wheel from ``root`` (a checkout) into ``dest``; return its path.

    The project is staged in a temporary folder (nothing is written into the checkout) with
    ``data/mappings`` and ``data/claims`` copied to ``enclaves/_data``. With ``cache``, a wheel built
    from the same inputs is reused."""
    inputs = _wheel_inputs(root)
    digest = hashlib.sha256()
    for f, name in inputs:
        digest.update(name.encode() + b"\0" + f.read_bytes() + b"\0")
    key = digest.hexdigest()[:16]
    dest.mkdir(parents=True, exist_ok=True)
    cached = cache / f"wheel-{key}" if cache is not None else None
    if cached is not None and cached.is_dir():
        found = sorted(cached.glob("enclaves-*.whl"))
        if len(found) == 1:
            shutil.copyfile(found[0], dest / found[0].name)
            return dest / found[0].name
    with tempfile.TemporaryDirectory(prefix="enclaves-wheel-") as tmp:
        stage, out = Path(tmp) / "project", Path(tmp) / "dist"
        for f, name in inputs:
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, stage / name)
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out)]
        if _offline_build_possible():
            cmd.append("--no-build-isolation")
        proc = subprocess.run([*cmd, str(stage)], capture_output=True, text=True, timeout=600)
        wheels = sorted(out.glob("enclaves-*.whl"))
        if proc.returncode != 0 or len(wheels) != 1:
            raise ExtensionError(f"could not build the enclaves wheel ({' '.join(cmd)}):\n{proc.stderr[-3000:]}")
        if cached is not None:
            if cached.parent.is_dir():
                for old in cached.parent.glob("wheel-*"):
                    shutil.rmtree(old, ignore_errors=True)
            cached.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(wheels[0], cached / wheels[0].name)
        for old in dest.glob("enclaves-*.whl"):
            old.unlink()
        shutil.copyfile(wheels[0], dest / wheels[0].name)
        return dest / wheels[0].name


# ----------------------------------------------------------------------------- the notebooks


def setup_source(wheel_url: str, myst_nb_version: str) -> str:
    """The first cell of every generated notebook."""
    return "\n".join([
        "#@title Set-up: installs the book's package when it is missing (Colab, a downloaded notebook)",
        "# In a checkout of the book's repository (`make lab`) or on Binder nothing is installed.",
        "# The package is the version this page was built with; MyST-NB provides the chapters' `glue`.",
        "# Without the repository's data/processed folder, enclaves.data.load reads the tables from",
        f"# {paths.DATA_URL}/ (set ENCLAVES_DATA_URL to use another copy).",
        "import importlib",
        "import importlib.util",
        "import subprocess",
        "import sys",
        "",
        'if any(importlib.util.find_spec(m) is None for m in ("enclaves", "myst_nb")):',
        '    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",',
        f'                           "{wheel_url}",',
        f'                           "myst-nb=={myst_nb_version}"])',
        "    importlib.invalidate_caches()",
    ])


def setup_cell(wheel_url: str, myst_nb_version: str):
    import nbformat

    return nbformat.v4.new_code_cell(
        setup_source(wheel_url, myst_nb_version),
        id=SETUP_CELL_ID,
        metadata={
            "tags": ["remove-cell"],              # not part of the chapter (Jupyter Book, nbconvert)
            "jupyter": {"source_hidden": True},   # JupyterLab / Notebook 7: input collapsed
            "cellView": "form",                   # Colab: shows the #@title line only
        },
    )


def to_notebook(source: Path, wheel_url: str, myst_nb_version: str):
    """The chapter ``source`` (a MyST Markdown notebook) as an nbformat notebook with the set-up cell."""
    import jupytext
    import nbformat

    nb = jupytext.read(source)
    nb.metadata.pop("jupytext", None)
    for i, cell in enumerate(nb.cells):  # stable ids: the same chapter gives the same file
        cell["id"] = f"cell-{i}"
    nb.cells.insert(0, setup_cell(wheel_url, myst_nb_version))
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


def is_notebook_page(app: Sphinx, docname: str) -> bool:
    return "kernelspec" in app.env.metadata.get(docname, {})


def notebook_pages(app: Sphinx) -> list[str]:
    return sorted(d for d in app.env.found_docs if is_notebook_page(app, d))


def _write_notebooks(app: Sphinx) -> None:
    import nbformat

    out = Path(app.outdir) / NOTEBOOK_DIR
    cache = Path(app.doctreedir).parent / ".enclaves-cache"
    wheel = build_wheel(Path(app.srcdir), out, cache=cache)
    wheel_url = f"{paths.SITE_URL}/{NOTEBOOK_DIR}/{wheel.name}"
    myst_nb_version = importlib.metadata.version("myst-nb")
    pages = notebook_pages(app)
    for old in out.rglob("*.ipynb"):  # a chapter that left the book
        if old.relative_to(out).with_suffix("").as_posix() not in pages:
            old.unlink()
    for docname in pages:
        nb = to_notebook(Path(app.env.doc2path(docname)), wheel_url, myst_nb_version)
        dest = out / f"{docname}.ipynb"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    logger.info(f"enclaves.sphinx.notebooks: {len(pages)} notebooks and {wheel.name} in {NOTEBOOK_DIR}/")


# ----------------------------------------------------------------------------- the links


def _repo_parts(app: Sphinx) -> tuple[str, str] | None:
    url = app.config.html_theme_options.get("repository_url", "")
    m = re.match(r"https://github\.com/([^/]+)/([^/#?]+?)(?:\.git)?/?$", url)
    return (m.group(1), m.group(2)) if m else None


def colab_url(app: Sphinx, docname: str) -> str | None:
    base = app.config.html_theme_options.get("launch_buttons", {}).get("colab_url", "").rstrip("/")
    parts = _repo_parts(app)
    if not base or parts is None:
        return None
    org, repo = parts
    return f"{base}/github/{org}/{repo}/blob/{PAGES_BRANCH}/{NOTEBOOK_DIR}/{quote(docname)}.ipynb"


def _links_html(download: str, binder: str | None, colab: str | None, title: str) -> str:
    items = [f'<a href="{html.escape(download)}" download="{html.escape(title)}.ipynb">Download notebook</a> (.ipynb)']
    if binder:
        items.append(f'<a href="{html.escape(binder)}">Open in Binder</a>')
    if colab:
        items.append(f'<a href="{html.escape(colab)}">Open in Colab</a>')
    return ('<nav class="enclaves-notebook-links" aria-label="Run this chapter as a notebook">'
            f'<p>Run this chapter as a notebook: {" · ".join(items)}</p></nav>')


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html" or doctree is None or not is_notebook_page(app, pagename):
        return
    download = context["pathto"](f"{NOTEBOOK_DIR}/{pagename}.ipynb", 1)
    colab = colab_url(app, pagename)
    binder = None
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if group.get("type") == "group" else []:
            if group.get("label") == "launch-buttons" and button.get("text") in ("Binder", "Colab"):
                button["icon"] = None  # the theme's logo images would be fetched on every page
                if button["text"] == "Binder":
                    binder = button["url"]
                elif colab:
                    button["url"] = colab
            if group.get("label") == "download-buttons" and button.get("label") == "download-notebook-button":
                button["url"] = download
                button["tooltip"] = "Download this chapter as a notebook"
        if group.get("label") == "launch-buttons" and not colab:
            group["buttons"] = [b for b in group.get("buttons", []) if b.get("text") != "Colab"]
    block = _links_html(download, binder, colab, pagename.rsplit("/", 1)[-1])
    body = context.get("body", "")
    context["body"] = body.replace("</h1>", "</h1>\n" + block, 1) if "</h1>" in body else block + body


def _on_build_finished(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _write_notebooks(app)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _on_page_context, priority=700)  # after the theme's buttons (501)
    app.connect("build-finished", _on_build_finished)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
