"""Dependencies split by use, checked both ways.

* The chapters' code (enclaves outside ``pipeline``, ``sphinx`` and ``checks``) imports only what the wheel
  declares ([project.dependencies]), and every declared package is used by it: a reader who installs the
  published wheel (Colab, a fresh venv) gets exactly what the chapters need.
* The pipeline may also use the ``data`` extra, and uses every package of it; importing the chapters' code
  never imports the extra or anything else the wheel does not declare.
* The build's hooks (``enclaves.sphinx``) import only what requirements/book.txt pins, the authors' guard rails
  (``enclaves.checks``) only what requirements.lock pins: both run in a checkout, from the locks.
* The locks (requirements/chapters.txt ⊂ requirements/book.txt ⊂ requirements.lock) agree, carry hashes, and
  satisfy pyproject.toml; the chapters' lock (Binder) has no browser or test tool.
* The wheel's lower bounds are what Google Colab ships, so the set-up cell upgrades none of them there.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import depsets
import pytest
import sitecheck
from packaging.version import Version

SRC = depsets.ROOT / "src" / "enclaves"
#: Sub-packages outside the chapters' code path, and the dependency set each may import from.
PARTS = ("pipeline", "sphinx", "checks")


def imports(part: str | None) -> dict[str, str]:
    """{top-level module: first file importing it} for every absolute, third-party import in ``part`` of the
    package (None: the chapters' code, i.e. everything outside PARTS)."""
    out: dict[str, str] = {}
    for f in sorted(SRC.rglob("*.py")):
        rel = f.relative_to(SRC)
        if (rel.parts[0] != part) if part else (rel.parts[0] in PARTS):
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for n in names:
                top = n.split(".")[0]
                if top not in sys.stdlib_module_names and top != "enclaves":
                    out.setdefault(top, str(rel))
    return out


def undeclared(mods: dict[str, str], allowed: set[str]) -> dict[str, str]:
    return {m: where for m, where in mods.items() if not depsets.distributions_of(m) & allowed}


def used(mods: dict[str, str]) -> set[str]:
    return {d for m in mods for d in depsets.distributions_of(m)}


S = depsets.sets()
RUNTIME, DATA = set(S.runtime), set(S.data)
#: Declared but imported by a library rather than by enclaves: altair's PNG renderer (called by
#: enclaves.charts.theme) runs vl-convert; pandas' calamine engine (enclaves.pipeline.crime.xlsx) is
#: python-calamine. test_the_renderer_runs_vl_convert and test_the_workbook_reader_runs_calamine show both used.
INDIRECT = {"vl-convert-python"}
INDIRECT_DATA = {"python-calamine"}


# ------------------------------------------------------------------------------ both directions


def test_the_chapters_code_imports_only_the_wheels_dependencies():
    mods = imports(None)
    assert {"pandas", "altair", "statsmodels", "scipy", "yaml"} <= set(mods)  # the walk sees the package
    missing = undeclared(mods, RUNTIME)
    assert not missing, f"imported by the chapters' code but not in [project.dependencies]: {missing}"


def test_every_dependency_of_the_wheel_is_used_by_the_chapters_code():
    unused = RUNTIME - used(imports(None)) - INDIRECT
    assert not unused, f"in [project.dependencies] but not imported outside {PARTS}: {sorted(unused)}"


def test_the_pipeline_imports_only_the_wheel_and_its_data_extra():
    missing = undeclared(imports("pipeline"), RUNTIME | DATA)
    assert not missing, f"imported by enclaves.pipeline but in neither the dependencies nor the data extra: {missing}"


def test_every_package_of_the_data_extra_is_used_by_the_pipeline():
    unused = DATA - used(imports("pipeline")) - INDIRECT_DATA
    assert not unused, f"in the data extra but not imported by enclaves.pipeline: {sorted(unused)}"
    assert not DATA & used(imports(None)), "the chapters' code imports a package of the data extra"
    assert not DATA & RUNTIME


@pytest.mark.parametrize("part,lock", [("sphinx", "book"), ("checks", "all")])
def test_the_build_hooks_and_the_guard_rails_import_what_their_lock_pins(part, lock):
    mods = imports(part)
    assert mods
    missing = undeclared(mods, set(S.pins[lock]))
    assert not missing, f"enclaves.{part} imports packages that {depsets.LOCKS[lock].name} does not pin: {missing}"


def _import_all_chapter_modules(blocked: set[str]) -> subprocess.CompletedProcess:
    names = sorted("enclaves." + ".".join(f.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
                   for f in SRC.rglob("*.py") if f.relative_to(SRC).parts[0] not in PARTS and f.stem != "__main__")
    code = (depsets.blocker_source(blocked)
            + "import importlib\n"
            + f"for name in {names!r}:\n    importlib.import_module(name)\n"
            + "print(len(sys.modules))\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_importing_the_chapters_code_needs_nothing_the_wheel_does_not_declare():
    """Every module of the chapters' code imports in a process where every installed distribution outside
    the closure of [project.dependencies] (the data extra, the build, the tests) is unimportable."""
    allowed = depsets.closure([str(r) for r in S.runtime.values()]) | {"enclaves"}
    blocked = depsets.modules_outside(allowed)
    assert {"pyreadr", "openpyxl", "python_calamine", "frictionless", "pyfixest", "playwright"} <= blocked
    assert not {"pandas", "altair", "scipy", "statsmodels", "yaml", "vl_convert", "jsonschema"} & blocked
    proc = _import_all_chapter_modules(blocked)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_the_import_check_fails_on_a_missing_dependency():
    proc = _import_all_chapter_modules({"scipy"})
    assert proc.returncode != 0 and "No module named 'scipy'" in proc.stderr


def test_the_renderer_runs_vl_convert():
    code = ("import sys, altair as alt, pandas as pd\n"
            "from enclaves.charts import theme\n"
            "theme.setup()\n"
            "c = alt.Chart(pd.DataFrame({'x': [1, 2]})).mark_point().encode(x='x:Q')"
            ".properties(title='t', description='d')\n"
            "bundle = c._repr_mimebundle_()\n"
            "bundle = bundle[0] if isinstance(bundle, tuple) else bundle\n"
            "print('vl_convert' in sys.modules, 'image/png' in bundle)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.stdout.split() == ["True", "True"], proc.stderr[-2000:]


def test_the_workbook_reader_runs_calamine(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active.append(["AÑO", 1997])
    wb.save(tmp_path / "w.xlsx")
    code = ("import sys\nfrom enclaves.pipeline.crime.xlsx import read_xlsx_sheet\n"
            f"df = read_xlsx_sheet({str(tmp_path / 'w.xlsx')!r}, 'w.xlsx', 'S')\n"
            "print('python_calamine' in sys.modules, df.loc[1].tolist())\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip() == "True ['AÑO', 1997]", proc.stderr[-2000:]


# ------------------------------------------------------------------------------ the locks


def test_every_pin_has_hashes():
    assert S.hashed == {name: [] for name in depsets.LOCKS}


def test_the_locks_nest_and_agree():
    chapters, book, every = S.pins["chapters"], S.pins["book"], S.pins["all"]
    assert set(chapters) < set(book) < set(every)
    for small, big in ((chapters, every), (book, every)):
        differ = {d: (v, big[d]) for d, v in small.items() if not v <= big[d]}
        assert not differ, differ
    # Binder installs the chapters' lock: no browser, no test tool, no book build
    assert not {"playwright", "pytest", "jupyter-book", "pyfixest", "frictionless", "pyreadr"} & set(chapters)
    assert {"jupyterlab", "jupytext", "myst-nb", "pandas", "altair"} <= set(chapters)


@pytest.mark.parametrize("lock", ["chapters", "all"])
def test_the_locks_satisfy_pyproject(lock):
    reqs = {**S.runtime, **(S.data if lock == "all" else {})}
    for name, req in reqs.items():
        versions = S.pins[lock].get(name)
        assert versions, f"{name} is not pinned in {depsets.LOCKS[lock].name}"
        assert all(req.specifier.contains(v, prereleases=True) for v in versions), (req, versions)


def test_the_inputs_pin_what_the_locks_pin():
    """The exact versions written in the .in files are the ones locked (make lock was run after an edit)."""
    for name in depsets.INPUTS:
        pinned = {d: v for d, v in depsets.input_pins(name).items() if v}
        differ = {d: (v, S.pins[name].get(d)) for d, v in pinned.items() if {v} != S.pins[name].get(d)}
        assert not differ, f"{depsets.INPUTS[name].name} and {depsets.LOCKS[name].name} differ: {differ}"
    assert set(S.runtime) <= set(depsets.input_pins("chapters"))
    assert set(S.data) <= set(depsets.input_pins("all"))


# ------------------------------------------------------------------------------ Colab

#: What Google Colab installs (googlecolab/backend-info, pip-freeze.gpu.txt, the image of June 2026, Python
#: 3.12). vl-convert-python is not among them (installing the wheel adds it).
COLAB = {"pandas": "2.2.2", "numpy": "2.0.2", "scipy": "1.16.3", "altair": "5.5.0", "statsmodels": "0.14.6",
         "pyyaml": "6.0.3", "jsonschema": "4.26.0", "narwhals": "2.22.0"}


def test_colab_satisfies_the_wheels_lower_bounds():
    for name, req in S.runtime.items():
        if name in COLAB:
            assert req.specifier.contains(COLAB[name]), f"Colab's {name} {COLAB[name]} does not satisfy {req}"
    assert set(S.runtime) - set(COLAB) == INDIRECT


# ------------------------------------------------------------------------------ axe-core


def test_one_axe_core_for_the_browser_tests_and_lighthouse():
    """tools/lighthouse pins axe-core; Lighthouse resolves that copy (none nested under it), and the browser
    tests inject the same file (sitecheck.axe_script)."""
    pkg = json.loads((sitecheck.LIGHTHOUSE / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((sitecheck.LIGHTHOUSE / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    pin = pkg["dependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pin)
    assert lock["node_modules/axe-core"]["version"] == pin
    assert not [k for k in lock if k.endswith("/node_modules/axe-core")]
    lighthouse_wants = lock["node_modules/lighthouse"]["dependencies"]["axe-core"]
    assert lighthouse_wants.startswith("^") and Version(pin) >= Version(lighthouse_wants[1:])
    assert Version(pin).major == Version(lighthouse_wants[1:]).major
    assert sitecheck.axe_script().startswith(f"/*! axe v{pin}")
