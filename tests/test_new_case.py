"""``python -m enclaves new-case``: validation, the files it writes, the generic helpers the scaffolded
chapter uses, and (slow, marked ``book`` and ``browser``) a fourth case built end to end in a copy of
the book and inspected in Chromium.

The fast tests scaffold into a thin copy of the repository (text files copied, processed data and
origin records linked), never into the real book.
"""

from __future__ import annotations

import html as html_lib
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sitecheck
import yaml
from test_chapters import SECTIONS, cited_keys

from enclaves import claims, cli, data, geo, paths, scaffold
from enclaves.cases import base, registry
from enclaves.cases import generic as G
from enclaves.checks import check_loader_only, read_chapter, stray_numbers

REAL = paths.root()
SLUG, CODE = "nahuatzen", "16056"       # Nahuatzen, Michoacán (Cherán's neighbour): not a case of the book


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A thin copy of the repository that ``enclaves`` takes for its root."""
    r = tmp_path / "repo"
    for rel in ("_toc.yml", "_config.yml", "pyproject.toml", "data/claims/claims.yml", "book/references.bib"):
        (r / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REAL / rel, r / rel)
    shutil.copytree(REAL / "data" / "mappings", r / "data" / "mappings")
    shutil.copytree(REAL / "book" / "cases", r / "book" / "cases")
    for rel in ("data/processed", "data/sources"):
        (r / rel).symlink_to(REAL / rel, target_is_directory=True)
    monkeypatch.setattr(paths, "ROOT", r)
    monkeypatch.chdir(r)                     # new-case works in the checkout of the current directory
    claims.registry.cache_clear()
    registry.clear()
    yield r
    claims.registry.cache_clear()
    registry.clear()


def snapshot(r: Path) -> dict[str, bytes]:
    return {str(p.relative_to(r)): p.read_bytes() for p in sorted(r.rglob("*"))
            if p.is_file() and "processed" not in p.parts and "sources" not in p.parts}


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["Nahuatzen", "nahuátzen", "nahua-tzen", "1nahuatzen", "c", "", "cross_case",
                                  "a" * 41])
def test_bad_slug_is_refused(root, slug):
    with pytest.raises(scaffold.ScaffoldError, match="slug"):
        scaffold.plan(slug, CODE, root=root)


@pytest.mark.parametrize("slug", registry.slugs())
def test_existing_slug_is_refused(root, slug):
    with pytest.raises(scaffold.ScaffoldError, match="already"):
        scaffold.plan(slug, CODE, root=root)


def test_slug_taken_only_by_claims_is_refused(root):
    with open(root / "data" / "claims" / "claims.yml", "a", encoding="utf-8") as f:
        f.write("- {id: Z1, case: zamora, claim: x, data: y, section: case-zamora-claims}\n")
    with pytest.raises(scaffold.ScaffoldError, match="already has claims"):
        scaffold.plan("zamora", "16108", root=root)


@pytest.mark.parametrize("code", ["1602", "160240", "16a24", "", "99999", "16999"])
def test_bad_or_unknown_code_is_refused(root, code):
    with pytest.raises(scaffold.ScaffoldError, match="mun-code"):
        scaffold.plan(SLUG, code, root=root)


def test_state_override_must_be_the_municipalitys_state(root):
    with pytest.raises(scaffold.ScaffoldError, match="is state 14"):
        scaffold.plan(SLUG, CODE, state="Jalisco", root=root)
    with pytest.raises(scaffold.ScaffoldError, match="not a state name"):
        scaffold.plan(SLUG, CODE, state="Atlantis", root=root)
    p = scaffold.plan(SLUG, CODE, state="Michoacán de Ocampo", name="Nahuatzen (Naguatzen)", root=root)
    chapter = p.new_files[root / "book" / "cases" / f"{SLUG}.md"]
    assert "# Nahuatzen (Naguatzen):" in chapter and "Michoacán de Ocampo" in chapter
    row = p.edited_files[root / "data" / "mappings" / "cases.csv"].splitlines()[-1]
    assert row.startswith("nahuatzen,Nahuatzen (Naguatzen),16056,16,Michoacán de Ocampo,")   # names: the registry


def test_cli_errors_exit_nonzero_and_write_nothing(root, capsys):
    before = snapshot(root)
    assert cli.main(["new-case", "Bad-Slug", "--mun-code", CODE]) == 2
    assert cli.main(["new-case", SLUG, "--mun-code", "99999"]) == 2
    assert cli.main(["new-case", "tancitaro", "--mun-code", CODE]) == 2
    err = capsys.readouterr().err
    assert err.count("nothing was written") == 3 and "99999" in err and "already exists" in err
    assert snapshot(root) == before


# --- what it writes -----------------------------------------------------------------------------


@pytest.fixture
def made(root, capsys) -> Path:
    before = snapshot(root)
    assert cli.main(["new-case", SLUG, "--mun-code", CODE, "--break-year", "2012"]) == 0
    out = capsys.readouterr().out
    assert "Nahuatzen, Michoacán (INEGI 16056)" in out and f"working in the checkout {root}" in out
    changed = {k for k, v in snapshot(root).items() if before.get(k) != v}
    package = {f"src/enclaves/cases/{SLUG}/{m}.py" for m in ("__init__", *base.MODULES)}
    assert changed == {f"book/cases/{SLUG}.md", f"book/cases/{SLUG}.bib", f"data/mappings/comparison_{SLUG}.csv",
                       f"data/mappings/published_figures_{SLUG}.csv", "_toc.yml", "_config.yml",
                       "data/claims/claims.yml", "data/mappings/cases.csv"} | package
    claims.registry.cache_clear()
    return root


def test_the_case_is_registered_in_the_one_table(made):
    from enclaves import appendix

    c = registry.get(SLUG)
    assert (c.name, c.mun_code, c.state_code, c.break_year, c.origin) == ("Nahuatzen", CODE, "16", 2012,
                                                                           registry.BEYOND)
    assert registry.slugs()[-1] == SLUG and geo.case_codes()[SLUG] == CODE
    assert appendix.chapter_docs()[SLUG] == claims.case_doc(SLUG) == f"/book/cases/{SLUG}"
    assert registry.claim_module(SLUG) == f"enclaves.cases.{SLUG}"
    assert SLUG in {c.slug for c in registry.dated()}
    # the package is the template's, with the same modules as every case
    pkg = made / "src" / "enclaves" / "cases" / SLUG
    assert sorted(p.stem for p in pkg.glob("*.py")) == sorted(["__init__", *base.MODULES])
    text = "".join(p.read_text(encoding="utf-8") for p in pkg.glob("*.py"))
    assert "${" not in text and f'SLUG = "{SLUG}"' in text
    for p in pkg.glob("*.py"):
        compile(p.read_text(encoding="utf-8"), str(p), "exec")


def test_the_scaffolded_package_answers_the_common_interface(made, monkeypatch):
    import importlib

    monkeypatch.syspath_prepend(str(made / "src"))
    monkeypatch.setattr(importlib.import_module("enclaves.cases"), "__path__",
                        [str(made / "src" / "enclaves" / "cases"), *importlib.import_module("enclaves.cases").__path__])
    mod = importlib.import_module(f"enclaves.cases.{SLUG}")
    try:
        assert base.check_package(mod) == []
        n = mod.numbers()
        assert n["deaths"] == G.summary(G.municipality(CODE))["deaths"]
        cf = mod.counterfactual()
        assert cf.start == 2012 and set(cf.donors) == set(geo.comparison_groups(SLUG)["mun_code"])
        assert abs(sum(cf.main.weights)) == pytest.approx(1.0)
        assert set(cf.summary()) == {"first_year", "last_year", "att", "att_pct", "pre_rmspe", "ratio", "p_value",
                                     "donors"}
        assert [f.__name__ for f in mod.CHARTS] == ["chart_rates", "chart_comparison"]
    finally:
        for name in [m for m in sys.modules if m.startswith(f"enclaves.cases.{SLUG}")]:
            del sys.modules[name]


def test_cli_refuses_outside_a_checkout(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new-case", SLUG, "--mun-code", CODE]) == 2
    assert "not inside a checkout" in capsys.readouterr().err


def test_chapter_follows_the_standard_outline(made):
    text = (made / "book" / "cases" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert text.startswith("---\njupytext:")
    assert f"(case-{SLUG})=\n# Nahuatzen:" in text
    labels = re.findall(rf"^\(case-{SLUG}-([a-z]+)\)=$", text, re.M)
    assert labels == SECTIONS                                   # every section, in the standard's order
    assert "${" not in text and "$" not in text                 # no template field left unfilled
    assert scaffold.is_draft(text)
    marker_lines = [ln for ln in text.splitlines() if scaffold.TODO_MARKER in ln]
    assert len(marker_lines) >= 9                               # one prompt per unwritten section
    assert not re.search(r"\bTODO\b(?!\(author\))|FIXME|XXX", text)   # one marker only
    assert stray_numbers(text) == []                            # every number in the prose is glued
    assert check_loader_only(read_chapter(Path("chapter.md"), text)) == []
    assert f"from enclaves.cases import {SLUG} as C" in text and "C.chart_rates()" in text
    assert re.findall(r"name:\s*(fig-[a-z0-9-]+)", text) == [f"fig-{SLUG}-rates", f"fig-{SLUG}-comparison"]
    bib = (REAL / "book" / "references.bib").read_text(encoding="utf-8")
    assert cited_keys(text) and all(f"{{{k}," in bib for k in cited_keys(text))
    glued = set(re.findall(r"\{glue:text\}`([a-z_0-9]+)", text))
    m = G.municipality(CODE)
    assert glued <= set(G.summary(m)) | set(G.comparison_numbers(SLUG, m))
    assert f"Accessed {G.accessed()}." in text
    assert (made / "book" / "cases" / f"{SLUG}.bib").read_text(encoding="utf-8").startswith("%")


def test_toc_config_and_claims_entries(made):
    toc = yaml.safe_load((made / "_toc.yml").read_text(encoding="utf-8"))
    cases = next(p for p in toc["parts"] if any(str(c.get("file", "")).startswith("book/cases/")
                                                  for c in p["chapters"]))["chapters"]
    assert [c["file"] for c in cases][-2:] == [f"book/cases/{registry.slugs()[-2]}", f"book/cases/{SLUG}"]
    assert sitecheck.toc_pages(made).count(f"book/cases/{SLUG}.html") == 1
    cfg = yaml.safe_load((made / "_config.yml").read_text(encoding="utf-8"))
    assert cfg["bibtex_bibfiles"].count(f"book/cases/{SLUG}.bib") == 1
    # only the lines added differ
    for rel in ("_toc.yml", "_config.yml", "data/claims/claims.yml"):
        old = (REAL / rel).read_text(encoding="utf-8").splitlines()
        new = (made / rel).read_text(encoding="utf-8").splitlines()
        assert [ln for ln in new if ln not in old] and all(ln in new for ln in old), rel

    cid = scaffold.claim_id(SLUG, yaml.safe_load((REAL / "data" / "claims" / "claims.yml").read_text()))
    rec = claims.registry()[cid]
    assert (rec.case, rec.section) == (SLUG, f"case-{SLUG}-claims")
    assert "Nahuatzen" in rec.claim and scaffold.TODO_MARKER not in rec.claim + rec.data
    with pytest.raises(LookupError, match="no evaluator"):      # pending: its package registers none yet
        claims.evaluate(cid)
    assert claims.case_doc(SLUG) == f"/book/cases/{SLUG}"
    status = G.claims_status(SLUG)
    assert status.to_dict("records") == [{"id": cid, "claim": rec.claim, "data": rec.data,
                                          "verdict": "not yet tested", "attribution": ""}]
    assert f"| {cid} |" in G.claims_markdown(SLUG)


def test_claim_id_prefix_is_free():
    recs = [{"id": "T1"}, {"id": "M2"}, {"id": "C1"}, {"id": "X1"}, {"id": "N1"}]
    assert scaffold.claim_id("cheran", recs) == "CH1"
    assert scaffold.claim_id("nahuatzen", recs) == "NA1"
    assert scaffold.claim_id("zamora", recs) == "Z1"


def test_comparison_set_is_the_closest_same_state_municipalities(made):
    g = geo.comparison_groups(SLUG)
    assert list(g.columns) == ["group", "mun_code", "reason"] and len(g) == G.COMPARISON_SIZE
    assert g["mun_code"].str.fullmatch(r"16\d{3}").all() and not g["mun_code"].duplicated().any()
    assert not set(g["mun_code"]) & (set(geo.case_codes().values()) | G.treated_codes() | {CODE})
    names = data.load("municipalities").set_index("mun_code")["mun_name"]
    assert all(r.reason.startswith(names[r.mun_code] + ":") for r in g.itertuples())
    h = data.load("homicides_municipal_annual")
    pop = h[(h.year == G.COMPARISON_POP_YEAR) & (h.year_basis == "occurrence")].set_index("mun_code")["population"]
    dist = (pop.astype(float).map(math.log) - math.log(float(pop[CODE]))).abs()
    taken = set(g.mun_code) | set(geo.case_codes().values()) | G.treated_codes() | {CODE}
    rest = dist[dist.index.str.startswith("16") & ~dist.index.isin(taken)]
    assert dist[g.mun_code].max() <= rest.min()


def test_comparison_set_of_a_small_state_takes_what_there_is():
    m = G.municipality("02001")                                 # Baja California: few municipalities
    n_state = data.load("municipalities").query("state_code == '02'").shape[0]
    g = G.comparison_set(m)
    assert 0 < len(g) <= n_state - 1 and g["mun_code"].str.startswith("02").all()


# --- generic helpers --------------------------------------------------------------------------


def test_municipality_comes_from_the_catalog():
    m = G.municipality(CODE)
    assert (m.name, m.state_code, m.state_name) == ("Nahuatzen", "16", "Michoacán")
    with pytest.raises(ValueError, match="5 digits"):
        G.municipality("160")
    with pytest.raises(LookupError):
        G.municipality("99999")
    from enclaves.charts.theme import NATIONAL_NAME
    assert G.NATIONAL_NAME == NATIONAL_NAME == geo_national_name()


def geo_national_name() -> str:
    from enclaves import series

    return series.state_names()[geo.NATIONAL]


def test_summary_is_summed_deaths_over_summed_population():
    h = data.load("homicides_municipal_annual")
    x = h[(h.mun_code == CODE) & (h.year_basis == "occurrence")]
    s = G.summary(G.municipality(CODE))
    assert s["deaths"] == float(x.homicides.sum())
    assert s["rate"] == pytest.approx(x.homicides.sum() / x.population.sum() * 1e5)
    assert s["low"] < s["rate"] < s["high"]
    assert (s["first_year"], s["last_year"], s["n_years"]) == (2000, int(x.year.max()), len(x))
    assert s["zero_years"] == int((x.homicides == 0).sum())
    peak = x.loc[x.homicide_rate.idxmax()]
    assert (s["peak_year"], s["peak_deaths"]) == (int(peak.year), float(peak.homicides))
    sa = data.load("homicides_state_annual")
    sa = sa[(sa.state_code == "16") & (sa.year_basis == "occurrence") & sa.year.between(2000, int(x.year.max()))]
    assert s["state_rate"] == pytest.approx(sa.homicides.sum() / sa.population.sum() * 1e5)
    assert all(type(v) in (int, float) for v in s.values())     # plain numbers for glue


def test_population_breaks_are_where_the_population_series_changes():
    assert G.population_breaks(G.municipality(CODE)) == [
        (2007, "Population interpolated"), (2010, "Population base 2010"), (2015, "Population base 2015")]


@pytest.mark.parametrize("code", ["16024", "09002", "31050"])
def test_rate_chart_works_for_any_municipality(code):
    m = G.municipality(code)
    spec = G.chart_rates(m).to_dict()
    assert m.name in spec["title"]["text"] and m.state_name in spec["description"]
    s = G.summary(m)
    assert f"pooled over the period it is {s['rate']:.1f}" in spec["description"]
    d = G.rates(m)
    assert set(d.area) == {m.name, m.state_name, G.NATIONAL_NAME}
    assert (d.rate_low <= d.homicide_rate + 1e-9).all() and (d.homicide_rate <= d.rate_high + 1e-9).all()


def test_accessed_is_the_latest_source_date():
    ids = {s["id"] for t in G.HOMICIDE_TABLES for s in data.resource(t)["sources"]}
    dates = {yaml.safe_load((REAL / "data" / "sources" / f"{i}.yml").read_text())["date_accessed"] for i in ids}
    assert G.accessed() == max(str(d) for d in dates)


# --- end to end: a fourth case in a copy of the book ----------------------------------------------


def copy_book(dest: Path) -> Path:
    """The working tree's files (tracked and new, not ignored) plus the execution cache."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REAL, capture_output=True,
                         check=True).stdout.decode().split("\0")
    for rel in filter(None, out):
        src = REAL / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    for cache in (".jupyter_cache", ".enclaves-cache"):
        if (REAL / "_build" / cache).is_dir():
            shutil.copytree(REAL / "_build" / cache, dest / "_build" / cache)
    return dest


def page_text(path: Path) -> str:
    t = re.sub(r"<script.*?</script>|<style.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", t)))


@pytest.mark.book
@pytest.mark.browser
def test_new_case_builds_and_draws_in_a_copy_of_the_book(tmp_path, browser):
    t0 = time.time()
    book = copy_book(tmp_path / "book")
    env = {k: v for k, v in os.environ.items() if k not in ("ENCLAVES_ROOT", "ENCLAVES_PROCESSED", "PYTHONPATH")}
    # the environment's enclaves is the real checkout's (editable install); new-case still acts on the copy,
    # the checkout of the current directory, and says so
    run = subprocess.run([sys.executable, "-m", "enclaves", "new-case", SLUG, "--mun-code", CODE,
                          "--break-year", "2012"], cwd=book / "book", env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"working in the checkout {book}" in run.stdout and f"book/cases/{SLUG}.md" in run.stdout
    assert (book / "book" / "cases" / f"{SLUG}.md").is_file() and (book / "src" / "enclaves" / "cases" / SLUG).is_dir()
    assert not (REAL / "book" / "cases" / f"{SLUG}.md").exists()
    assert not (REAL / "src" / "enclaves" / "cases" / SLUG).exists()
    assert SLUG not in (REAL / "data" / "mappings" / "cases.csv").read_text(encoding="utf-8")
    t_scaffold = time.time() - t0
    env["PYTHONPATH"] = str(book / "src")      # the copy builds with its own package (and the new case's)

    jb = Path(sys.executable).parent / "jupyter-book"
    build = subprocess.run([str(jb), "build", str(book), "--builder", "html", "-W", "--keep-going"], cwd=book,
                           env=env, capture_output=True, text=True, timeout=1200)
    log = build.stdout + build.stderr
    assert build.returncode == 0, "\n".join(log.splitlines()[-60:])
    assert re.search(rf"cases/{SLUG}\.md: Executed notebook", log)
    t_build = time.time() - t0 - t_scaffold

    html = book / "_build" / "html" / "book" / "cases" / f"{SLUG}.html"
    text = page_text(html)
    s = G.summary(G.municipality(CODE))                           # same data, computed here
    assert f"show {s['deaths']:,.0f} homicides in Nahuatzen: a pooled rate of {s['rate']:.1f} per 100,000" in text
    assert f"against {s['state_rate']:.1f} in Michoacán and {s['nation_rate']:.1f} in Mexico" in text
    assert "not yet tested" in text and "Fig. " in text

    # the session's browser (conftest): a second Playwright cannot start inside the first one's loop
    with sitecheck.Server(book / "_build" / "html") as server:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        rep = sitecheck.inspect(ctx, f"{server.url}/book/cases/{SLUG}.html")
        ctx.close()
    assert rep.problems == [], "\n".join(rep.problems)
    assert rep.charts == rep.charts_drawn == 2
    assert rep.chart_labels[0].startswith("Line chart with shaded 95% intervals of annual homicide rates per "
                                          "100,000 for Nahuatzen, Michoacán and Mexico")
    print(f"\nnew-case end to end: scaffold {t_scaffold:.0f} s (copy included), build {t_build:.0f} s, "
          f"browser {time.time() - t0 - t_scaffold - t_build:.0f} s")


def test_code_check_reads_the_processed_homicide_table():
    h = data.load("homicides_municipal_annual")
    assert G.homicide_codes() == set(h.loc[h.year_basis == "occurrence", "mun_code"])
    assert len(G.homicide_codes()) > 2000


def test_comparison_set_leaves_out_other_cases_treated_towns():
    # Coalcomán (16015) is one of the Tancítaro chapter's self-defence towns: before the scaffold knew about
    # treated groups it landed in Cherán's default comparison set
    treated = G.treated_codes()
    assert "16015" in treated
    g = G.comparison_set(G.municipality("16024"))
    assert not set(g["mun_code"]) & treated


def test_published_figures_are_checked(root):
    p = root / "data" / "mappings" / "published_figures_x.csv"
    p.write_text(",".join(G.PUBLISHED_COLUMNS) + "\npub_a,FisherTaub2018seceding,p. 1,12,people,a count\n")
    assert G.published_figures("x").loc[0, "value"] == 12.0
    p.write_text(",".join(G.PUBLISHED_COLUMNS) + "\npub_a,NoSuchKey2099,p. 1,12,people,a count\n")
    with pytest.raises(ValueError, match="no .bib file"):
        G.published_figures("x")
    p.write_text(",".join(G.PUBLISHED_COLUMNS) + "\na,FisherTaub2018seceding,p. 1,12,people,a count\n")
    with pytest.raises(ValueError, match="pub_"):
        G.published_figures("x")
    p.write_text(",".join(G.PUBLISHED_COLUMNS) + "\npub_a,FisherTaub2018seceding,p. 1,many,people,a count\n")
    with pytest.raises(ValueError, match="not a number"):
        G.published_figures("x")


def test_scaffold_writes_an_empty_published_figures_file(made):
    text = (made / "data" / "mappings" / f"published_figures_{SLUG}.csv").read_text(encoding="utf-8")
    assert text == ",".join(G.PUBLISHED_COLUMNS) + "\n"
    assert G.published_figures(SLUG).empty
