"""Chapters as notebooks: the generated .ipynb files, their launch links, the set-up cell, and the
data fallback that lets a notebook run outside the repository (enclaves.sphinx.notebooks, enclaves.data).

The ``book`` tests use the built site in _build/html (built here when absent or older than its sources);
the slowest run every chapter's notebook in a fresh virtual environment outside the checkout, with the
package installed from the site's wheel, nothing importable that the wheel does not declare, and the tables
served over HTTP from the site.
"""

from __future__ import annotations

import functools
import http.server
import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig
import threading
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlparse

import depsets
import jupytext
import nbformat
import pandas as pd
import pytest
import sitecheck
import yaml
from bs4 import BeautifulSoup

from enclaves import data, paths
from enclaves.sphinx import notebooks

ROOT = paths.root()
HTML = ROOT / "_build" / "html"
NB_DIR = HTML / notebooks.NOTEBOOK_DIR
JB = Path(sys.executable).parent / "jupyter-book"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
ORG, REPO = re.match(r"https://github\.com/([^/]+)/([^/]+?)/?$", CONFIG["repository"]["url"]).groups()
BRANCH = CONFIG["repository"]["branch"]


def _is_notebook_source(md: Path) -> bool:
    text = md.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec:" in text.split("---", 2)[1]


PAGES = [p[: -len(".html")] for p in sitecheck.toc_pages(ROOT)]
CHAPTERS = [p for p in PAGES if _is_notebook_source(ROOT / f"{p}.md")]


# ------------------------------------------------------------------------------------------ helpers


class _Recorder(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.requests.append(urlparse(self.path).path)
        super().do_GET()


@pytest.fixture
def serve():
    """``serve(folder)`` → (base URL, list of request paths); the server stops after the test."""
    servers = []

    def start(folder: Path):
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                              functools.partial(_Recorder, directory=str(folder)))
        srv.requests = []
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}", srv.requests

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def _clear_caches():
    data.package.cache_clear()
    data._fetch.cache_clear()


@pytest.fixture
def no_checkout(monkeypatch, tmp_path):
    """enclaves as a wheel sees it: no repository root, no packaged data folder."""
    _clear_caches()
    monkeypatch.setattr(paths, "ROOT", None)
    monkeypatch.setattr(paths, "PACKAGED_DATA", tmp_path / "no-packaged-data")
    monkeypatch.delenv("ENCLAVES_PROCESSED", raising=False)
    monkeypatch.delenv(data.URL_ENV, raising=False)
    yield
    _clear_caches()


# ------------------------------------------------------------------- load(): the fallback (fast)

TABLES = ["homicides_state_annual", "municipalities", "governors", "avocado_exports"]


def test_load_reads_the_published_tables_over_http_with_the_same_types(serve, no_checkout, monkeypatch):
    monkeypatch.setattr(paths, "ROOT", ROOT)
    local = {t: data.load(t) for t in TABLES}
    assert data.source() == str(ROOT / "data" / "processed")
    monkeypatch.setattr(paths, "ROOT", None)
    _clear_caches()
    url, requests = serve(ROOT / "data" / "processed")  # the files <site>/data/ publishes
    monkeypatch.setenv(data.URL_ENV, url + "/")
    assert data.source() == url
    for t in TABLES:
        remote = data.load(t)
        pd.testing.assert_frame_equal(remote, local[t])  # values and dtypes (string codes, Int64)
    # types come from the published datapackage.json, not from guessing: codes keep their zeros
    assert data.load("municipalities")["mun_code"].iloc[0] == "01001"  # a second load: from memory
    assert requests.count("/datapackage.json") == 1 and requests.count("/municipalities.csv") == 1
    assert sorted(r for r in requests if r.endswith(".csv")) == sorted(f"/{t}.csv" for t in TABLES)


def test_default_source_is_the_published_site(no_checkout):
    assert data.source() == paths.DATA_URL == f"{paths.SITE_URL}/data"
    # the one constant agrees with the repository in _config.yml (GitHub Pages of org/repo)
    assert paths.SITE_URL == f"https://{ORG}.github.io/{REPO}"


def test_packaged_lookup_tables_do_not_hide_the_fallback(no_checkout, monkeypatch, tmp_path):
    packaged = tmp_path / "_data"
    (packaged / "mappings").mkdir(parents=True)
    monkeypatch.setattr(paths, "PACKAGED_DATA", packaged)
    assert paths.mappings_dir() == packaged / "mappings"
    assert data.source() == paths.DATA_URL


def test_a_checkout_reads_its_own_files_even_with_the_url_set(monkeypatch):
    _clear_caches()
    monkeypatch.setenv(data.URL_ENV, "http://127.0.0.1:9/data")
    assert data.source() == str(paths.processed_dir())
    assert len(data.load("governors")) > 100


def test_unreachable_site_names_the_url_and_the_override(no_checkout, monkeypatch):
    monkeypatch.setenv(data.URL_ENV, "http://127.0.0.1:9/data")  # discard port: connection refused
    with pytest.raises(RuntimeError, match=r"http://127\.0\.0\.1:9/data/datapackage\.json.*ENCLAVES_DATA_URL"):
        data.load("governors")


# ------------------------------------------------------------------------ the set-up cell (fast)

WHEEL_URL = f"{paths.SITE_URL}/{notebooks.NOTEBOOK_DIR}/enclaves-0.1.0-py3-none-any.whl"


def _run_setup(monkeypatch, missing: set[str]) -> list[list[str]]:
    calls = []
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in missing else real(name, *a))
    monkeypatch.setattr(subprocess, "check_call", lambda cmd, *a, **k: calls.append(cmd) or 0)
    exec(notebooks.setup_source(WHEEL_URL, "1.4.0"), {})
    return calls


def test_setup_cell_does_nothing_where_enclaves_imports(monkeypatch):
    assert _run_setup(monkeypatch, missing=set()) == []


@pytest.mark.parametrize("missing", [{"enclaves"}, {"myst_nb"}])
def test_setup_cell_installs_the_wheel_when_a_package_is_missing(monkeypatch, missing):
    calls = _run_setup(monkeypatch, missing)
    assert calls == [[sys.executable, "-m", "pip", "install", "--quiet", WHEEL_URL, "myst-nb==1.4.0"]]


def test_setup_cell_is_hidden_and_removed_from_renderings():
    cell = notebooks.setup_cell(WHEEL_URL, "1.4.0")
    assert cell.cell_type == "code" and cell.id == notebooks.SETUP_CELL_ID
    assert cell.metadata["jupyter"]["source_hidden"] is True and cell.metadata["cellView"] == "form"
    assert "remove-cell" in cell.metadata["tags"]
    assert cell.source.startswith("#@title ")  # Colab shows only this line of a form cell


def test_binder_opens_markdown_as_notebooks():
    lines = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    nested = [ln.split(None, 1)[1] for ln in lines if ln.startswith("-r ")]
    assert nested == ["../requirements/chapters.txt"]  # pip reads it relative to binder/requirements.txt
    pins = (ROOT / "binder" / nested[0]).read_text(encoding="utf-8").splitlines()
    names = {ln.split("==")[0].lower() for ln in pins if "==" in ln}
    assert {"jupytext", "jupyterlab", "pandas", "altair", "myst-nb"} <= names
    post = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)
    assert "pip install --no-cache-dir --no-deps -e ." in post
    assert "cp tools/jupyterlab-overrides.json" in post and "lab/settings/overrides.json" in post
    viewers = json.loads((ROOT / "tools" / "jupyterlab-overrides.json").read_text())[
        "@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Jupytext Notebook"
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


# ------------------------------------------------------------------------------ the built site


def _sources() -> list[Path]:
    files = [ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "pyproject.toml"]
    files += [ROOT / f"{p}.md" for p in PAGES]
    files += list((ROOT / "src" / "enclaves").rglob("*.py"))
    return files


@pytest.fixture(scope="module")
def site() -> Path:
    """The built site; built here (incrementally, warnings as errors) if absent or older than its sources."""
    built = sorted(NB_DIR.rglob("*.ipynb")) if NB_DIR.is_dir() else []
    oldest = min((p.stat().st_mtime for p in built), default=0)
    if not built or max(f.stat().st_mtime for f in _sources()) > oldest:
        proc = subprocess.run([str(JB), "build", str(ROOT), "--builder", "html", "-W", "--keep-going"],
                              capture_output=True, text=True, cwd=ROOT, timeout=1800)
        if proc.returncode != 0:
            pytest.fail("book build failed:\n" + "\n".join((proc.stdout + proc.stderr).splitlines()[-60:]))
    return HTML


def _wheel(site: Path) -> Path:
    wheels = sorted((site / notebooks.NOTEBOOK_DIR).glob("enclaves-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.book
def test_every_chapter_has_its_notebook(site):
    assert len(CHAPTERS) >= 7
    made = sorted(p.relative_to(site / notebooks.NOTEBOOK_DIR).with_suffix("").as_posix()
                  for p in (site / notebooks.NOTEBOOK_DIR).rglob("*.ipynb"))
    assert made == sorted(CHAPTERS)  # and none for pages that are not notebooks
    wheel_url = f"{paths.SITE_URL}/{notebooks.NOTEBOOK_DIR}/{_wheel(site).name}"
    setup = notebooks.setup_source(wheel_url, importlib.metadata.version("myst-nb"))
    for chapter in CHAPTERS:
        nb = nbformat.read(site / notebooks.NOTEBOOK_DIR / f"{chapter}.ipynb", as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3"
        first, rest = nb.cells[0], nb.cells[1:]
        assert first.id == notebooks.SETUP_CELL_ID and first.source == setup, chapter
        source = jupytext.read(ROOT / f"{chapter}.md")
        assert [(c.cell_type, c.source) for c in rest] == [(c.cell_type, c.source) for c in source.cells]
        assert not any(c.get("outputs") for c in rest)


@pytest.mark.book
def test_the_published_wheel_has_no_tables_but_the_lookup_folders(site):
    with zipfile.ZipFile(_wheel(site)) as z:
        names = set(z.namelist())
        assert not [n for n in names if "processed" in n or n.endswith("datapackage.json")]
        for folder in notebooks.PACKAGED_FOLDERS:
            files = sorted(p for p in (ROOT / "data" / folder).iterdir() if p.is_file())
            assert files
            for f in files:
                assert z.read(f"enclaves/_data/{folder}/{f.name}") == f.read_bytes()
        assert "enclaves/data.py" in names and "enclaves/sphinx/notebooks.py" in names


def _links(site: Path, page: str) -> dict[str, str]:
    soup = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    nav = soup.select("nav.enclaves-notebook-links")
    if not nav:
        return {}
    assert len(nav) == 1
    return {a.get_text(strip=True): a["href"] for a in nav[0].find_all("a")}


@pytest.mark.book
def test_launch_and_download_links_point_at_files_that_exist(site):
    colab_re = re.compile(rf"^https://colab\.research\.google\.com/github/{ORG}/{REPO}/blob/"
                          rf"{notebooks.PAGES_BRANCH}/(.+)$")
    binder_re = re.compile(rf"^https://mybinder\.org/v2/gh/{ORG}/{REPO}/{BRANCH}\?urlpath=lab/tree/(.+)$")
    for chapter in CHAPTERS:
        links = _links(site, chapter)
        assert set(links) == {"Download notebook", "Open in Binder", "Open in Colab"}, chapter
        notebook = site / notebooks.NOTEBOOK_DIR / f"{chapter}.ipynb"
        page_url = f"http://site/{chapter}.html"
        download = urlparse(urljoin(page_url, links["Download notebook"])).path.lstrip("/")
        assert site / download == notebook
        colab = colab_re.match(links["Open in Colab"])  # gh-pages holds the built site
        assert colab and site / colab.group(1) == notebook
        binder = binder_re.match(links["Open in Binder"])  # Binder builds the repository itself
        assert binder and binder.group(1) == f"{chapter}.md" and (ROOT / binder.group(1)).is_file()
        html = (site / f"{chapter}.html").read_text(encoding="utf-8")
        # the theme's header menus carry the same links, and no Colab link to the .md is left
        assert set(re.findall(r'href="(https://colab[^"]+)"', html)) == {links["Open in Colab"]}
        assert set(re.findall(r'href="(https://mybinder[^"]+)"', html)) == {links["Open in Binder"]}
        assert "logo_binder" not in html and "logo_colab" not in html  # no icon requests
    for page in set(PAGES) - set(CHAPTERS):
        assert _links(site, page) == {}, page


#: What runs a notebook besides the wheel: MyST-NB (the set-up cell installs it, for `glue`), the kernel and
#: the client that executes it here.
NOTEBOOK_RUNNER = ["myst-nb", "ipykernel", "nbclient"]


@pytest.fixture(scope="module")
def wheel_venv(site, tmp_path_factory) -> Path:
    """A fresh venv outside the checkout with enclaves installed from the site's wheel. Third-party packages
    are this environment's (a path line, not a site dir: the .pth files in it, such as the editable enclaves,
    are not processed), but a sitecustomize makes every module unimportable whose distribution is outside
    the closure of the wheel's dependencies and NOTEBOOK_RUNNER: the notebooks see what a fresh environment
    with only the wheel (and MyST-NB) would have."""
    tmp = tmp_path_factory.mktemp("wheel-venv")
    assert ROOT not in tmp.parents
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    vpy = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "shared.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = _clean_env(venv)
    probe = [str(vpy), "-c", "import importlib.util; print(importlib.util.find_spec('enclaves'))"]
    assert subprocess.run(probe, capture_output=True, text=True, env=env, cwd=tmp).stdout.strip() == "None"
    wheel = _wheel(site)
    subprocess.run([str(vpy), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed",
                    str(wheel)], check=True, env=env, cwd=tmp)
    allowed = depsets.closure(depsets.wheel_requirements(wheel) + NOTEBOOK_RUNNER) | {"enclaves"}
    (purelib / "sitecustomize.py").write_text(depsets.blocker_source(depsets.modules_outside(allowed)))
    check = [str(vpy), "-c", "import enclaves, pandas\ntry:\n    import pyreadr\nexcept ImportError:\n"
             "    print('blocked')"]
    assert subprocess.run(check, capture_output=True, text=True, env=env, cwd=tmp).stdout.strip() == "blocked"
    return venv


def _clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "ENCLAVES_ROOT", "ENCLAVES_PROCESSED", data.URL_ENV, "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.book
@pytest.mark.timeout(900)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_generated_notebook_runs_with_only_the_wheel(chapter, site, wheel_venv, serve, tmp_path):
    """The chapter's notebook, in a folder outside the checkout, in the venv of ``wheel_venv``, with the site
    served on 127.0.0.1: it runs top to bottom and reads its tables over HTTP."""
    vpy = wheel_venv / "bin" / "python"
    env = _clean_env(wheel_venv)
    url, requests = serve(site)
    env[data.URL_ENV] = f"{url}/data"
    run = tmp_path / "run"
    run.mkdir()
    nb = nbformat.read(site / notebooks.NOTEBOOK_DIR / f"{chapter}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json, sys, enclaves, enclaves.data, enclaves.paths\n"
        "print(json.dumps({'file': enclaves.__file__, 'root': str(enclaves.paths.ROOT),"
        " 'source': enclaves.data.source(), 'prefix': sys.prefix}))", id="probe"))
    nbformat.write(nb, run / "chapter.ipynb")
    script = ("import sys, nbformat, nbclient\n"
              "nb = nbformat.read(sys.argv[1], as_version=4)\n"
              "nbclient.NotebookClient(nb, timeout=600, kernel_name='python3',"
              " resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
              "nbformat.write(nb, sys.argv[3])\n")
    proc = subprocess.run([str(vpy), "-c", script, "chapter.ipynb", str(run), "executed.ipynb"],
                          capture_output=True, text=True, env=env, cwd=run, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    done = nbformat.read(run / "executed.ipynb", as_version=4)
    code = [c for c in done.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    probe_out = json.loads(code[-1].outputs[0]["text"])
    assert probe_out["file"].startswith(str(wheel_venv)) and probe_out["prefix"] == str(wheel_venv)
    assert probe_out["root"] == "None" and probe_out["source"] == f"{url}/data"
    assert all(r.startswith("/data/") for r in requests)  # the tables, and nothing else of the site
    assert "/data/datapackage.json" in requests or not [r for r in requests if r.endswith(".csv")]
