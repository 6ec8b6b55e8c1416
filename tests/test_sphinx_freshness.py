"""enclaves.sphinx.freshness: a change to the package or the processed tables clears the execution cache and
re-reads every notebook; a change elsewhere (or none) keeps both."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from enclaves.sphinx import freshness

NOTEBOOK = "---\njupytext:\n  text_representation: {format_name: myst}\nkernelspec:\n  name: python3\n---\n# A\n"


def project(tmp_path: Path) -> SimpleNamespace:
    root = tmp_path / "book"
    for rel, text in {"src/enclaves/charts.py": "X = 1\n", "src/enclaves/sphinx/hooks.py": "Y = 1\n",
                      "data/processed/t.csv": "a\n1\n", "book/ch.md": NOTEBOOK, "book/about.md": "# About\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    build = root / "_build"
    (build / ".jupyter_cache").mkdir(parents=True)
    # the metadata of the previous build (front matter): only book/ch is a notebook
    env = SimpleNamespace(found_docs={"book/ch", "book/about"}, metadata={"book/ch": {"kernelspec": {}},
                                                                           "book/about": {}})
    return SimpleNamespace(srcdir=str(root), outdir=str(build / "html"), doctreedir=str(build / ".doctrees"),
                           config=SimpleNamespace(), env=env)


def build(app) -> list[str]:
    """One build as Sphinx runs the hooks: returns the documents forced to be read again."""
    freshness.on_builder_inited(app)
    outdated = freshness.on_env_get_outdated(app, app.env, set(), set(), set())
    freshness.on_build_finished(app, None)
    (Path(app.outdir).parent / ".jupyter_cache").mkdir(exist_ok=True)  # the build executed and cached again
    return outdated


def test_package_or_data_change_reruns_notebooks(tmp_path):
    app = project(tmp_path)
    root, cache = Path(app.srcdir), Path(app.outdir).parent / ".jupyter_cache"
    (cache / "marker").write_text("old outputs")
    assert build(app) == ["book/about", "book/ch"] and not (cache / "marker").exists()  # first build: no record
    (cache / "marker").write_text("outputs")
    assert build(app) == [] and (cache / "marker").exists()  # nothing changed: cache kept
    (root / "book/about.md").write_text("# About us\n")  # prose: Sphinx sees it changed; nothing more to do
    assert build(app) == [] and (cache / "marker").exists()
    (root / "src/enclaves/sphinx/hooks.py").write_text("Y = 2\n")  # the build's own hooks: every page written
    assert build(app) == ["book/about", "book/ch"] and (cache / "marker").exists()  # ... from the cache
    assert build(app) == []
    (root / "src/enclaves/charts.py").write_text("X = 2\n")
    assert build(app) == ["book/ch"] and not (cache / "marker").exists()
    (cache / "marker").write_text("outputs")
    (root / "data/processed/t.csv").write_text("a\n2\n")
    assert build(app) == ["book/ch"] and not (cache / "marker").exists()


def test_failed_build_keeps_the_old_record(tmp_path):
    app = project(tmp_path)
    build(app)
    (Path(app.srcdir) / "src/enclaves/charts.py").write_text("X = 3\n")
    freshness.on_builder_inited(app)
    freshness.on_build_finished(app, RuntimeError("a chapter failed"))
    assert build(app) == ["book/ch"]  # the next build still knows the chapters must run again


def test_digest_ignores_bytecode(tmp_path):
    app = project(tmp_path)
    root = Path(app.srcdir)
    before = freshness.inputs_digest(root)
    (root / "src/enclaves/__pycache__").mkdir()
    (root / "src/enclaves/__pycache__/charts.cpython-311.pyc").write_bytes(b"\0")
    assert freshness.inputs_digest(root) == before
