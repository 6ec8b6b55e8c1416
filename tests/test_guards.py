"""Guard rails for authors (enclaves.checks): each passes on the real book and fails on a planted violation
with a finding that names the file, the line and the rule."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from enclaves import checks, paths

ROOT = paths.root()
PAGES = checks.book_pages()
HEADER = "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n"


def plant(tmp_path: Path, text: str, name: str = "chapter.md") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + textwrap.dedent(text), encoding="utf-8")
    return p


def line_of(path: Path, needle: str) -> int:
    return next(i for i, t in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in t)


def only(findings: list[checks.Finding], rule: str) -> checks.Finding:
    assert len(findings) == 1, findings
    f = findings[0]
    assert f.rule == rule and str(f).startswith(f"{f.file}:{f.line}: [{rule}]")
    return f


# ------------------------------------------------------------------------------- the real book


@pytest.mark.parametrize("rule", [r for r in checks.RULES if r != "ruff"])
def test_the_book_passes(rule):
    notes: list[str] = []
    found = checks.run(rules=[rule], notes=notes)
    assert found == [], "\n".join(map(str, found[:20]))


def test_ruff_clean():
    found = checks.check_ruff()
    assert found == [], "\n".join(map(str, found[:20]))


def test_known_chart_number_debts_are_still_there():
    """The list of numbers typed in chart descriptions (debts to pay) holds nothing that is already paid."""
    for module, functions in checks.KNOWN_CHART_NUMBERS.items():
        found: dict[str, set[str]] = {}
        for fn, f in checks.chart_module_numbers(ROOT / module):
            found.setdefault(fn, set()).add(f.message.split("'")[1])
        for fn, tokens in functions.items():
            stale = tokens - found.get(fn, set())
            assert not stale, f"{module}: {fn} no longer types {sorted(stale)}; remove them from KNOWN_CHART_NUMBERS"


@pytest.mark.parametrize("path", [p for p in PAGES if checks.glue_uses(checks.read_chapter(p))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_glue_keys_resolve_in_the_executed_chapter(path):
    """With the book built, every displayed glue key is among those the executed chapter glued."""
    ch = checks.read_chapter(path)
    keys = checks.executed_glue_keys(ch)
    if keys is None:
        pytest.skip("no executed notebook of this chapter's current code in _build; build the book first")
    assert checks.check_glue_keys(ch) == []
    assert {k for _, k in checks.glue_uses(ch)} <= keys


def test_guards_read_the_real_chapters():
    """The parser sees what the chapters hold: figures, citations, glue uses, prose."""
    ch = checks.read_chapter(ROOT / "book" / "cases" / "tancitaro.md")
    assert len(checks.figure_captions(ch)) >= 5
    assert len(checks.glue_uses(ch)) >= 100
    assert len(checks.CITE.findall(ch.text)) >= 8
    assert sum(len(t.split()) for t in ch.prose_lines) >= 3000
    assert all("code-cell" not in t for t in ch.prose_lines)
    assert ROOT / "CONTRIBUTING.md" in PAGES  # the authoring guide includes it, so it is checked as a page


def test_the_reader_follows_myst(tmp_path):
    """The chapter reader sees blocks as MyST does: a code cell shown inside a literal block is no cell,
    a directive's body is prose, and a role that runs over a line break keeps the line it starts on."""
    p = plant(tmp_path, """\
        # T

        ````md
        ```{code-cell} ipython3
        T.chart_x()
        ```
        ````

        ```{note} A {glue:text}`title_key` title
        Body text with {cite:p}`Key1,
        Key2` and {glue:text}`body_key`.
        ```
        """)
    ch = checks.read_chapter(p)
    assert ch.cells == [] and all("chart_x" not in t for t in ch.prose_lines)
    assert "Body text" in ch.prose_lines[line_of(p, "Body text") - 1]
    assert [(r.line, r.name, r.content) for r in ch.roles] == [
        (line_of(p, "title_key"), "glue:text", "title_key"), (line_of(p, "Body text"), "cite:p", "Key1, Key2"),
        (line_of(p, "body_key"), "glue:text", "body_key")]


def test_chart_modules_include_case_packages(tmp_path):
    cases = tmp_path / "src" / "enclaves" / "cases"
    for name in ("__init__.py", "old.py", "x/__init__.py", "x/charts.py", "x/numbers.py"):
        (cases / name).parent.mkdir(parents=True, exist_ok=True)
        (cases / name).write_text("", encoding="utf-8")
    assert [str(m.relative_to(cases)) for m in checks.chart_modules(tmp_path)] == ["old.py", "x/charts.py",
                                                                                   "x/numbers.py"]


# ------------------------------------------------------------------------------- planted violations


def test_placeholder(tmp_path):
    p = plant(tmp_path, """\
        # A case

        Markers such as `TODO(author)` may be named in inline code.

        TODO(author): write the overview.
        """)
    f = only(checks.check_placeholders(checks.read_chapter(p)), "placeholder")
    assert (f.file, f.line) == (str(p), line_of(p, "write the overview")) and "TODO(author)" in f.message

    p = plant(tmp_path, "# A case\n\n```{code-cell} ipython3\nx = 1  # FIXME pick the donors\n```\n", "b.md")
    f = only(checks.check_placeholders(checks.read_chapter(p)), "placeholder")
    assert f.line == line_of(p, "FIXME")


def test_typed_number_in_prose(tmp_path):
    p = plant(tmp_path, """\
        # T

        In 2013 the rate rose by 42 per cent, to {glue:text}`x:.1f` per 100,000 (code 16083),
        on 14 May 2015, in 2007–09 and in the 1990s; accessed 2026-11-26.

        ```{exercise} Try it
        Use a window of 12 months.
        ```
        """)
    f = only(checks.check_typed_numbers(checks.read_chapter(p)), "typed-number")
    assert (f.file, f.line) == (str(p), line_of(p, "rose by 42")) and "'42'" in f.message
    assert checks.stray_numbers("# T\n\nA rate of 3.5 in 2011.\n") == ["3.5"]


def test_typed_number_in_a_caption(tmp_path):
    p = plant(tmp_path, """\
        # T

        ```{code-cell} ipython3
        :tags: [remove-input]
        :mystnb:
        :  figure:
        :    name: fig-x
        :    caption: |
        :      Rates with exact Poisson 95% intervals, 2000–2021, for the 69 largest cities.
        :      Source: INEGI indicator 6204327085. Accessed 2026-11-26.

        T.chart_x()
        ```
        """)
    f = only(checks.check_typed_numbers(checks.read_chapter(p)), "typed-number")
    assert f.line == line_of(p, "69 largest") and "'69'" in f.message and "caption" in f.message


def test_typed_number_in_a_chart_description(tmp_path):
    src = textwrap.dedent('''\
        def chart_x(df):
            top = df.rate.max()
            return charts.line_with_breaks(
                df, x="year", y="rate", title="Rates, 2000-2021",
                description=(f"Line chart of rates per 100,000, 2000-2021, peaking at {top:.0f}; "
                             "it stays below 22 after 2014."))
        ''')
    mod = tmp_path / "case.py"
    mod.write_text(src, encoding="utf-8")
    found = checks.check_chart_module_numbers(mod, known={})
    f = only(found, "typed-number")
    assert (f.file, f.line) == (str(mod), 6) and "'22'" in f.message
    assert checks.check_chart_module_numbers(mod, known={str(mod): {"chart_x": {"22"}}}) == []


def test_figure_caption(tmp_path):
    p = plant(tmp_path, """\
        # T

        ```{code-cell} ipython3
        :mystnb:
        :  figure:
        :    name: fig-a
        :    caption: |
        :      Homicides by year. Sources: INEGI. Accessed 2026-11-26.

        T.chart_a()
        ```

        ```{code-cell} ipython3
        :mystnb:
        :  figure:
        :    name: fig-b
        :    caption: |
        :      Homicides by year, drawn from the records.

        T.chart_b()
        ```

        ```{code-cell} ipython3
        T.chart_c()
        ```

        ```{figure} map.png
        :name: fig-map

        A map. Source: INEGI. Accessed 2026-11-26.
        ```
        """)
    found = checks.check_figure_captions(checks.read_chapter(p), accessed={"2026-11-26"})
    assert [f.rule for f in found] == ["figure-caption"] * 3, found
    b = line_of(p, "drawn from the records")
    assert [(f.line, "source" in f.message, "access date" in f.message) for f in found[:2]] == \
        [(b, True, False), (b, False, True)]
    assert found[2].line == line_of(p, "T.chart_c()") - 1 and "not a numbered figure" in found[2].message


def test_chart_description_in_a_module(tmp_path):
    mod = tmp_path / "case.py"
    mod.write_text(textwrap.dedent('''\
        import altair as alt


        def chart_good(df):
            base = alt.Chart(df).mark_line()
            return alt.layer(base, base).properties(title="T", description="Line chart of something.")


        def chart_builder(df):
            return charts.line_with_breaks(df, x="year", y="r", title="T", description="Line chart.")


        def chart_bad(df):
            line = alt.Chart(df).mark_line().encode(x="year:Q")
            return (line + line).properties(title="No description")
        '''), encoding="utf-8")
    f = only(checks.check_chart_module(mod), "chart-description")
    assert (f.file, f.line) == (str(mod), 13) and "chart_bad()" in f.message


def test_chart_description_in_a_chapter(tmp_path):
    p = plant(tmp_path, """\
        # T

        ```{code-cell} ipython3
        :mystnb:
        :  figure:
        :    name: fig-a
        :    caption: |
        :      Something. Source: INEGI. Accessed 2026-11-26.

        alt.Chart(df).mark_line().properties(title="A title only")
        ```
        """)
    f = only(checks.check_chapter_charts(checks.read_chapter(p)), "chart-description")
    assert f.line == line_of(p, "A title only")


def test_cite_key(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{INEGI2024mortalidad,\n  title = {X},\n  year = {2024}\n}\n", encoding="utf-8")
    dup = tmp_path / "more.bib"
    dup.write_text("% chapter works\n@misc{INEGI2024mortalidad,\n  title = {Y},\n  year = {2024}\n}\n",
                   encoding="utf-8")
    keys, dups = checks.bib_keys([bib, dup])
    d = only(dups, "cite-key")
    assert (d.file, d.line) == (str(dup), 2)
    p = plant(tmp_path, "# T\n\nAs counted {cite:p}`INEGI2024mortalidad, Nobody2020missing`.\n")
    f = only(checks.check_cite_keys(checks.read_chapter(p), keys), "cite-key")
    assert f.line == line_of(p, "As counted") and "Nobody2020missing" in f.message


def test_glue_key_static(tmp_path):
    p = plant(tmp_path, """\
        # T

        ```{code-cell} ipython3
        glue("rate_2013", 1.0, display=False)
        for slug in ["a", "b"]:
            glue(f"cmp_{slug}_att", 2.0, display=False)
        ```

        The rate was {glue:text}`rate_2013:.1f`, the gap {glue:text}`cmp_a_att:.1f`, the peak
        {glue:text}`rate_peak:.1f`.
        """)
    f = only(checks.check_glue_keys(checks.read_chapter(p), root=tmp_path), "glue-key")
    assert f.line == line_of(p, "rate_peak") and "rate_peak" in f.message


def test_glue_key_from_the_executed_notebook(tmp_path):
    """Names the code computes (glue(name, value)) are checked against the glue outputs of the executed
    notebook that the build's cache (jupyter-cache) holds for the chapter's current code."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.read import read_myst_markdown_notebook
    from nbformat.v4 import new_output

    p = plant(tmp_path, """\
        # T

        ```{code-cell} ipython3
        for name, value in numbers().items():
            glue(name, value, display=False)
        ```

        It had {glue:text}`pop_2013:,` people, then {glue:text}`pop_2014:,` and {glue:text}`pop_2099:,` later.
        """)
    ch = checks.read_chapter(p)
    notes: list[str] = []
    assert checks.check_glue_keys(ch, root=tmp_path, notes=notes) == [] and notes  # unverifiable: a note
    cache = get_cache(tmp_path / "_build" / ".jupyter_cache")
    nb = read_myst_markdown_notebook(p.read_text(encoding="utf-8"))  # as the build reads the chapter
    [cell] = [c for c in nb.cells if c.cell_type == "code"]
    cell.outputs = [new_output("display_data", {"text/plain": "1"}, metadata={"scrapbook": {"name": key}})
                    for key in ("pop_2013", "pop_2014")]
    cache.cache_notebook_bundle(CacheBundleIn(nb, str(p)), check_validity=False)
    assert checks.executed_glue_keys(ch, tmp_path) == {"pop_2013", "pop_2014"}
    f = only(checks.check_glue_keys(ch, root=tmp_path), "glue-key")
    assert f.line == line_of(p, "pop_2099") and "pop_2099" in f.message
    # once the chapter's code changes, the cached notebook no longer counts
    edited = checks.read_chapter(p, p.read_text(encoding="utf-8").replace("numbers()", "other()"))
    assert checks.executed_glue_keys(edited, tmp_path) is None


def test_glue_key_written_in_a_case_module(tmp_path):
    """Before a build, a key the chapter's code computes counts as glued when a case module writes it."""
    p = plant(tmp_path, """\
        # T

        ```{code-cell} ipython3
        for name, value in X.numbers().items():
            glue(name, value, display=False)
        ```

        It had {glue:text}`pop_2013:,` people, then {glue:text}`pop_2099:,`.
        """)
    numbers = tmp_path / "src" / "enclaves" / "cases" / "x" / "numbers.py"
    numbers.parent.mkdir(parents=True)
    numbers.write_text('def numbers():\n    return {"pop_2013": 1, f"pop_{2099}": 2}\n', encoding="utf-8")
    notes: list[str] = []
    assert checks.check_glue_keys(checks.read_chapter(p), root=tmp_path, notes=notes) == []
    assert len(notes) == 1 and "1 glue keys" in notes[0]  # pop_2099 is not written literally


def test_loader_only(tmp_path):
    p = plant(tmp_path, "# T\n\n```{code-cell} ipython3\nimport pandas as pd\n"
                        "df = pd.read_csv('data/processed/x.csv')\n```\n")
    f = only(checks.check_loader_only(checks.read_chapter(p)), "loader-only")
    assert f.line == line_of(p, "read_csv") and "enclaves.data.load" in f.message


def _git_repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-f", *files], cwd=repo, check=True)
    return repo


def test_no_ipynb_and_no_js(tmp_path):
    repo = _git_repo(tmp_path, {"chapter.ipynb": "{}", "vega.js": "", "chapter.md": "# T\n"})
    f = only(checks.check_no_ipynb(checks.git_files("*.ipynb", repo)), "no-ipynb")
    assert (f.file, f.line) == ("chapter.ipynb", 1)
    f = only(checks.check_no_js(checks.git_files("*.js", repo)), "no-third-party-js")
    assert f.file == "vega.js"
    # no exceptions: the book's own loader is written into the site at build time (enclaves.sphinx.loader)
    found = checks.check_no_js(["src/enclaves/sphinx/static/enclaves-charts.js",
                                "src/enclaves/sphinx/static/vega-embed.min.js", "src/enclaves/sphinx/loader.py"])
    assert [x.file for x in found] == ["src/enclaves/sphinx/static/enclaves-charts.js",
                                      "src/enclaves/sphinx/static/vega-embed.min.js"]
    assert checks.check_no_js(checks.git_files("*.js")) == []  # the repository itself


def test_ruff(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""A module."""\n\nimport os\n', encoding="utf-8")
    f = only(checks.check_ruff([bad.name], root=tmp_path), "ruff")
    assert (f.file, f.line) == ("bad.py", 3) and "F401" in f.message


def test_command_line_exit_status(tmp_path):
    p = plant(tmp_path, "# T\n\nIt rose by 42 per cent.\n")
    bad = subprocess.run([sys.executable, "-m", "enclaves.checks", "--rule", "typed-number", str(p)],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1 and f":{line_of(p, 'rose by 42')}: [typed-number]" in bad.stdout
    good = subprocess.run([sys.executable, "-m", "enclaves.checks", "--rule", "typed-number",
                           "book/introduction.md"], capture_output=True, text=True, cwd=ROOT)
    assert good.returncode == 0, good.stdout


# ------------------------------------------------------------------------------- pre-commit


def _hooks() -> list[dict]:
    cfg = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [h for repo in cfg["repos"] if repo["repo"] == "local" for h in repo["hooks"]]


def test_pre_commit_config_runs_every_guard():
    hooks = _hooks()
    assert {h["id"] for h in hooks} == set(checks.RULES)
    for h in hooks:
        if h["language"] == "fail":  # refused by name: pre-commit needs no Python for these
            assert h["id"] in {"no-ipynb", "no-third-party-js"}
            continue
        assert h["language"] == "system"
        assert h["entry"].startswith(".venv/bin/")
        if h["id"] != "ruff":
            assert h["entry"].endswith(f"-m enclaves.checks --rule {h['id']}")
    for path in ("book/cases/x.md", "src/enclaves/cases/x/charts.py", "src/enclaves/cases/x.py"):
        assert any(re.search(h["files"], path) for h in hooks if h["id"] == "chart-description"), path


def test_pre_commit_refuses_notebooks_and_javascript(tmp_path):
    """The hooks of kind ``fail`` in the real config refuse a planted .ipynb and .js, and nothing else."""
    repo = _git_repo(tmp_path, {"chapter.ipynb": "{}", "vega.js": "", "chapter.md": "# T\n"})
    fail = [h for h in _hooks() if h["language"] == "fail"]
    cfg = {"repos": [{"repo": "local", "hooks": fail}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, capture_output=True,
                         text=True, env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")})
    assert run.returncode == 1, run.stdout + run.stderr
    assert {"chapter.ipynb", "vega.js"} <= set(run.stdout.split()) and "chapter.md" not in run.stdout


def test_caption_access_date_is_an_origin_records_date(tmp_path):
    p = plant(tmp_path, """\
        # T

        ```{figure} map.png
        :name: fig-map

        A map. Source: INEGI. Accessed 2025-02-30.
        ```
        """)
    ch = checks.read_chapter(p)
    f = only(checks.check_figure_captions(ch, accessed={"2026-11-26"}), "figure-caption")
    assert f.line == line_of(p, "Accessed 2025-02-30") and "2025-02-30" in f.message
    assert checks.check_figure_captions(ch, accessed={"2025-02-30"}) == []
    real = checks.access_dates()  # the real records
    assert real and all(re.fullmatch(r"20\d\d-\d\d-\d\d", d) for d in real), real
