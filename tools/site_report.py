"""Measure a built site as readers receive it: every page's weight and its Lighthouse scores.

    python tools/site_report.py measure <site dir> <out.json> [--root <checkout>]
    python tools/site_report.py table <before.json> <after.json>

``measure`` serves the site as GitHub Pages does (tests/sitecheck.py), weighs every page of the
checkout's ``_toc.yml`` plus search and 404 with every chart drawn, runs Lighthouse (mobile: all four
scores) on every page and Lighthouse desktop (performance) on the chapter pages. ``table`` prints a
Markdown table comparing two measurements (for example the site before and after a change), one row per
page. The thresholds the tests enforce are in tests/test_site_speed.py; this tool only reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import sitecheck  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def measure(site_dir: Path, root: Path, lighthouse: bool = True) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    pages = [p for p in sitecheck.toc_pages(root) + ["search.html", "404.html"] if (site_dir / p).is_file()]
    chapters = [p for p in pages if p.startswith(sitecheck.CHAPTER_PREFIXES)]
    out: dict[str, dict] = {p: {} for p in pages}
    with sitecheck.Server(site_dir, pages=True) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=sitecheck.chromium_path(), args=sitecheck.CHROMIUM_ARGS)
        for p in pages:  # a new browser context per page: an empty cache, as a reader arriving from a search
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            out[p]["bytes"], _ = sitecheck.page_weight(ctx, f"{server.url}/{p}")
            ctx.close()
            print(f"weight {p} {out[p]['bytes']:,}", file=sys.stderr)
        browser.close()
        if not lighthouse:
            return out
        with tempfile.TemporaryDirectory() as tmp:
            for r in sitecheck.run_lighthouse("mobile", pages, server.url, Path(tmp) / "m.json"):
                out[r["page"]]["mobile"] = r["scores"]
            for r in sitecheck.run_lighthouse("desktop", chapters, server.url, Path(tmp) / "d.json"):
                out[r["page"]]["desktop"] = r["scores"]["performance"]
    return out


def _fmt_scores(m: dict | None) -> str:
    if not m or not m.get("mobile"):
        return "—"
    return " / ".join(f"{m['mobile'][c]:.2f}" if m["mobile"][c] is not None else "?" for c in CATEGORIES)


def table(before: dict, after: dict) -> str:
    rows = ["| Page | KB before | KB after | Mobile P / A11y / BP / SEO before | after | "
            "Desktop P before | after |", "|---|---:|---:|---|---|---:|---:|"]
    for page in list(after) + [p for p in before if p not in after]:
        b, a = before.get(page), after.get(page)
        kb = [f"{m['bytes'] / 1024:,.0f}" if m else "—" for m in (b, a)]
        desk = [f"{m['desktop']:.2f}" if m and m.get("desktop") is not None else "—" for m in (b, a)]
        rows.append(f"| {page} | {kb[0]} | {kb[1]} | {_fmt_scores(b)} | {_fmt_scores(a)} | {desk[0]} | {desk[1]} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    m.add_argument("site", type=Path)
    m.add_argument("out", type=Path)
    m.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    m.add_argument("--weight-only", action="store_true", help="update only the weights in an existing <out.json>")
    t = sub.add_parser("table")
    t.add_argument("before", type=Path)
    t.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "measure" and args.weight_only:
        old = json.loads(args.out.read_text())
        for page, m in measure(args.site, args.root, lighthouse=False).items():
            old.setdefault(page, {}).update(m)
        args.out.write_text(json.dumps(old, indent=1))
    elif args.cmd == "measure":
        args.out.write_text(json.dumps(measure(args.site, args.root), indent=1))
    else:
        print(table(json.loads(args.before.read_text()), json.loads(args.after.read_text())))


if __name__ == "__main__":
    main()
