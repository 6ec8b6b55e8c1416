"""The book's numbers and charts as one JSON snapshot: what every chapter glues, the SHA-256 of every
chart specification it draws (in order), and the claims ledger.

A refactor that must change no number, verdict or chart is checked against ``tests/fixtures/book_snapshot.json``
(``tests/test_snapshot.py``). The snapshot is read from executed notebooks: the book build's own
(``_build/jupyter_execute``), or a chapter run here on its own with nbclient, which is what an author uses
while refactoring one case:

    python tests/snapshot.py check book/cases/tancitaro.md --no-ledger  # run one chapter, compare
    python tests/snapshot.py check --built                     # compare the last book build
    python tests/snapshot.py write --built                     # (re)write the fixture from the last build
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "book_snapshot.json"
EXECUTED = ROOT / "_build" / "jupyter_execute"
#: Chapters whose numbers and charts are snapshotted (every page that runs code).
CHAPTERS = ("book/index.md", "book/introduction.md", "book/cases/tancitaro.md", "book/cases/monterrey.md",
            "book/cases/nezahualcoyotl.md", "book/cases/cheran.md", "book/analysis/cross_case.md",
            "book/analysis/claims_ledger.md", "book/analysis/conclusion.md")
_SPEC = re.compile(r'<script type="application/json" class="enclaves-chart-spec">(.*?)</script>', re.S)
_PREFIX = "application/papermill.record/"


def from_notebook(nb: dict) -> dict:
    """``{"glue": {key: text}, "charts": [sha256 of each chart's spec]}`` of one executed notebook."""
    glue: dict[str, str] = {}
    charts: list[str] = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            data = out.get("data", {})
            if meta:
                text = data.get(_PREFIX + "text/plain", data.get("text/plain"))
                if text is None:  # glued with only a rich representation: keep its MIME types
                    glue[meta["name"]] = " ".join(sorted(k.removeprefix(_PREFIX) for k in data))
                else:
                    glue[meta["name"]] = "".join(text) if isinstance(text, list) else text
                html = data.get(_PREFIX + "text/html")
            else:
                html = data.get("text/html")
            if html:
                html = "".join(html) if isinstance(html, list) else html
                for spec in _SPEC.findall(html):
                    charts.append(hashlib.sha256(spec.encode()).hexdigest()[:16])
    return {"glue": dict(sorted(glue.items())), "charts": charts}


def _from_cache(chapter: str) -> dict | None:
    """The executed notebook the build's execution cache holds for ``chapter`` (MyST-NB writes the notebook to
    ``_build/jupyter_execute`` without its outputs when it restores a chapter from the cache)."""
    cache_dir = ROOT / "_build" / ".jupyter_cache"
    if not cache_dir.is_dir():
        return None
    import jupytext
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    try:
        record = cache.match_cache_notebook(jupytext.read(ROOT / chapter))
    except KeyError:
        return None
    return json.loads(nbformat.writes(cache.get_cache_bundle(record.pk).nb))


def built(chapter: str) -> dict:
    """The snapshot of a chapter as the last book build executed it (MyST-NB keeps the glued outputs
    beside the notebook, in ``<chapter>.glue.json``; a chapter restored from the execution cache is read from
    the cache, whose notebook keeps every output)."""
    path = EXECUTED / Path(chapter).with_suffix(".ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    if not any(cell.get("outputs") for cell in nb.get("cells", [])):
        nb = _from_cache(chapter) or nb
    glued = path.with_suffix(".glue.json")
    if glued.is_file():
        outputs = list(json.loads(glued.read_text(encoding="utf-8")).values())
        nb = {"cells": [*nb.get("cells", []), {"outputs": outputs}]}
    return from_notebook(nb)


def run(chapter: str, timeout: int = 600) -> dict:
    """Execute one chapter in a fresh kernel (in its own folder, as the build does)."""
    import jupytext
    from nbclient import NotebookClient

    path = ROOT / chapter
    nb = jupytext.read(path)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return from_notebook(json.loads(jupytext.writes(nb, fmt="ipynb")))


def ledger() -> list[dict]:
    from enclaves import claims

    t = claims.ledger()
    cols = ["id", "case", "verdict", "key_number", "key_label", "evidence"]
    rows = []
    for r in t[cols].to_dict("records"):
        k = r["key_number"]
        r["key_number"] = None if k is None or k != k else repr(float(k))
        rows.append(r)
    return rows


def snapshot(chapters=CHAPTERS, use_built: bool = True) -> dict:
    return {"chapters": {c: (built(c) if use_built else run(c)) for c in chapters}, "ledger": ledger()}


def diff(expected: dict, got: dict) -> list[str]:
    """Human-readable differences of two chapter snapshots (missing, extra and changed glue keys; charts)."""
    out = []
    eg, gg = expected["glue"], got["glue"]
    out += [f"missing glue key {k} (was {eg[k]!r})" for k in sorted(set(eg) - set(gg))]
    out += [f"new glue key {k} = {gg[k]!r}" for k in sorted(set(gg) - set(eg))]
    out += [f"{k}: {eg[k]!r} → {gg[k]!r}" for k in sorted(set(eg) & set(gg)) if eg[k] != gg[k]]
    if expected["charts"] != got["charts"]:
        out.append(f"charts differ: {expected['charts']} → {got['charts']}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=["write", "check"])
    ap.add_argument("chapters", nargs="*", help="chapter paths (default: all)")
    ap.add_argument("--built", action="store_true", help="read _build/jupyter_execute instead of running")
    ap.add_argument("--no-ledger", action="store_true", help="check: do not compare the claims ledger")
    a = ap.parse_args(argv)
    chapters = a.chapters or list(CHAPTERS)
    got = {c: (built(c) if a.built else run(c)) for c in chapters}
    if a.action == "write":
        old = json.loads(FIXTURE.read_text(encoding="utf-8")) if FIXTURE.is_file() else {"chapters": {}}
        old["chapters"].update(got)
        old["ledger"] = ledger()
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text(json.dumps(old, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {FIXTURE.relative_to(ROOT)}: {sum(len(v['glue']) for v in got.values())} glued values, "
              f"{sum(len(v['charts']) for v in got.values())} charts")
        return 0
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    bad = 0
    for c, snap in got.items():
        d = diff(fixture["chapters"][c], snap)
        print(f"{c}: {'same' if not d else f'{len(d)} differences'} ({len(snap['glue'])} values, "
              f"{len(snap['charts'])} charts)")
        for line in d:
            print("   ", line)
        bad += bool(d)
    if a.no_ledger:
        return 1 if bad else 0
    led = ledger()
    if led != fixture["ledger"]:
        bad += 1
        for a_, b_ in zip(fixture["ledger"], led, strict=False):
            if a_ != b_:
                print("  ledger:", a_, "→", b_)
    else:
        print("ledger: same")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
