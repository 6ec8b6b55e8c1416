"""``python -m enclaves <command>``.

data      acquire raw files (mirror or download), run the pipeline, write data/processed
sources   list origin records and whether their raw files are present and verified
new-case  scaffold a new case chapter for a municipality (see enclaves.scaffold)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import sources
from .errors import DataError


def cmd_data(args) -> int:
    from . import pipeline

    t0 = time.time()
    mirror = Path(args.mirror) if args.mirror else sources.mirror_dir()
    try:
        made = pipeline.run(args.tables or None, mirror=mirror)
    except DataError as e:
        print(f"pipeline stopped: {e}", file=sys.stderr)
        print("nothing was written; data/processed is unchanged", file=sys.stderr)
        return 1
    from .appendix import write_pages

    pages = write_pages()
    for name, df in sorted(made.items()):
        if name in pipeline.ASSETS:
            print(f"{name:34s} {len(df.encode()):>8,d} bytes ({pipeline.ASSETS[name].path})")
        elif pipeline.TABLES[name].publish:
            print(f"{name:34s} {len(df):>8,d} rows")
    print(f"appendix: {len(pages)} pages in book/appendix")
    print(f"done in {time.time() - t0:.1f} s")
    return 0


def cmd_appendix(args) -> int:
    from .appendix import write_pages

    for p in write_pages():
        print(p)
    return 0


def cmd_sources(args) -> int:
    for sid, s in sorted(sources.load_sources().items()):
        try:
            sources.verify(s, s.raw_path)
            state = "ok"
        except DataError:
            state = "missing" if not s.raw_path.exists() else "BAD"
        print(f"{state:8s} {sid}")
    return 0


def cmd_new_case(args) -> int:
    from . import paths, scaffold

    root = paths.checkout_of(Path.cwd())
    if root is None:
        print(f"new-case: {Path.cwd()} is not inside a checkout of the book (no folder above it holds "
              "pyproject.toml and data/sources); cd into the checkout to add the case to", file=sys.stderr)
        return 2
    paths.use_root(root)  # read the processed data and write the files of this checkout, whichever is installed
    print(f"new-case: working in the checkout {root}")
    try:
        plan = scaffold.new_case(args.slug, args.mun_code, name=args.name, state=args.state,
                                 break_year=args.break_year, origin=args.origin, root=root)
    except scaffold.ScaffoldError as e:
        print(f"new-case: {e}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 2
    print(f"new case {plan.slug!r}: {plan.name}, {plan.state_name} (INEGI {plan.code}); claim {plan.claim_id}")
    for path in plan.paths:
        print(f"  {'wrote ' if path in plan.new_files else 'edited'} {path.relative_to(root)}")
    print(f"next: edit book/cases/{plan.slug}.md (search for {scaffold.TODO_MARKER}) and build the book")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="enclaves")
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data", help="acquire raw files and rebuild data/processed")
    d.add_argument("tables", nargs="*", help="only these tables (and what they need)")
    d.add_argument("--mirror", help="copy raw files from this directory instead of downloading "
                                     f"(default: ${sources.MIRROR_ENV})")
    d.set_defaults(func=cmd_data)
    a = sub.add_parser("appendix", help="regenerate the data appendix pages from datapackage.json")
    a.set_defaults(func=cmd_appendix)
    s = sub.add_parser("sources", help="list origin records and raw-file status")
    s.set_defaults(func=cmd_sources)
    n = sub.add_parser("new-case", help="scaffold a new case chapter, its toc entry, claims and comparison set")
    n.add_argument("slug", help="short lowercase name, e.g. cheran (file name, label prefix, module name)")
    n.add_argument("--mun-code", required=True, help="INEGI municipality code, 5 digits, e.g. 16024")
    n.add_argument("--name", help="display name (default: the municipality's name in the processed data)")
    n.add_argument("--state", help="display name of the state (default: from the processed data; must be "
                                   "the municipality's state)")
    n.add_argument("--break-year", type=int, help="first full year after the break (data/mappings/cases.csv "
                                                  "break_year; the cross-case comparison needs it)")
    n.add_argument("--origin", help="whether the source reporting describes the case (default: "
                                    "'beyond the source reporting')")
    n.set_defaults(func=cmd_new_case)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
