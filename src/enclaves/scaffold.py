"""``python -m enclaves new-case <slug> --mun-code <code>``: start a new case chapter.

Writes, for a municipality known to the processed data:

* ``book/cases/<slug>.md`` from the standard outline (``templates/case_chapter.md``), whose first
  sections already load the data and draw the homicide series; everything left for the author is a
  box marked :data:`TODO_MARKER`;
* ``book/cases/<slug>.bib`` (empty) and its line in ``_config.yml`` ``bibtex_bibfiles``;
* the chapter's entry in the cases part of ``_toc.yml``;
* one template claim record in ``data/claims/claims.yml`` (pending: no evaluator yet, so the ledger
  shows it as *not yet tested*);
* ``data/mappings/comparison_<slug>.csv``, derived from the data
  (:func:`enclaves.cases.generic.comparison_set`, which keeps other cases and their treated towns out);
* ``data/mappings/published_figures_<slug>.csv``, the header of the records file for figures quoted from the
  literature (:func:`enclaves.cases.generic.published_figures` reads and checks it);
* the case's row in ``data/mappings/cases.csv``, the one table every part of the book reads the cases
  from (claims ledger, data appendix, cross-case comparison, geography; :mod:`enclaves.cases.registry`);
* the case's package ``src/enclaves/cases/<slug>/`` from ``templates/case_package`` (the same modules as
  every case: ``case``, ``series``, ``charts``, ``claims``, ``numbers``), starting from the generic helpers.

Everything acts on the checkout given as ``root`` (the command line passes the checkout containing the
current directory, not the one the package was installed from).

Everything is validated and rendered before anything is written; files are never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

import yaml

from . import paths

#: The one marker of unfinished text in a scaffolded chapter. Guards use it: a chapter that still
#: contains it is a draft (see :func:`is_draft`).
TODO_MARKER = "TODO(author)"
SLUG = re.compile(r"[a-z][a-z0-9_]{1,39}")
CODE = re.compile(r"\d{5}")
#: Names that are not case slugs.
RESERVED = {"cross_case", "generic", "compare", "index", "references"}


class ScaffoldError(ValueError):
    """The request cannot be fulfilled; nothing was written."""


def is_draft(text: str) -> bool:
    """True if a chapter's source still holds an author prompt."""
    return TODO_MARKER in text


@dataclass(frozen=True)
class Plan:
    """What ``new_case`` will write: new files and the full new text of edited files."""

    slug: str
    code: str
    name: str
    state_name: str
    claim_id: str
    new_files: dict[Path, str]
    edited_files: dict[Path, str]

    @property
    def paths(self) -> list[Path]:
        return sorted([*self.new_files, *self.edited_files])


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def check_slug(slug: str, root: Path) -> None:
    if not SLUG.fullmatch(slug or ""):
        raise ScaffoldError(f"slug {slug!r}: use 2-40 lowercase ASCII letters, digits or '_', starting with a "
                            "letter (it becomes a file name, a label prefix and a Python module name)")
    if slug in RESERVED:
        raise ScaffoldError(f"slug {slug!r} is reserved")
    taken = [p for p in (root / "book" / "cases" / f"{slug}.md", root / "book" / "cases" / f"{slug}.bib",
                         root / "data" / "mappings" / f"comparison_{slug}.csv",
                         root / "data" / "mappings" / f"published_figures_{slug}.csv",
                         root / "src" / "enclaves" / "cases" / f"{slug}.py",
                         root / "src" / "enclaves" / "cases" / slug) if p.exists()]
    if taken:
        raise ScaffoldError(f"case {slug!r} already exists: {', '.join(str(p.relative_to(root)) for p in taken)}")
    if f"book/cases/{slug}" in _toc_files(root):
        raise ScaffoldError(f"case {slug!r} is already in _toc.yml")
    if any(r.get("case") == slug for r in _claims(root)):
        raise ScaffoldError(f"case {slug!r} already has claims in data/claims/claims.yml")
    if any(r["slug"] == slug for r in _case_rows(root)):
        raise ScaffoldError(f"case {slug!r} is already in data/mappings/cases.csv")


def check_code(code: str):
    """The municipality for ``code`` (5 digits, in the processed homicide table)."""
    from .cases import generic

    if not CODE.fullmatch(code or ""):
        raise ScaffoldError(f"--mun-code {code!r}: an INEGI municipality code is 5 digits (state + municipality, "
                            "e.g. 16024)")
    if code not in generic.homicide_codes():
        raise ScaffoldError(f"--mun-code {code}: no such municipality in the processed table "
                            "'homicides_municipal_annual'")
    return generic.municipality(code)


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def template() -> Template:
    return Template((resources.files("enclaves") / "templates" / "case_chapter.md").read_text(encoding="utf-8"))


def render_chapter(slug: str, m, *, accessed: str) -> str:
    return template().substitute(slug=slug, name=m.name, state_name=m.state_name, code=m.code,
                                 todo=TODO_MARKER, accessed=accessed)


def render_package(slug: str, m, claim_id: str) -> dict[str, str]:
    """``{module file name: text}`` of the case's package, from ``templates/case_package``."""
    folder = resources.files("enclaves") / "templates" / "case_package"
    out = {}
    for f in sorted(folder.iterdir(), key=lambda x: x.name):
        if f.name.endswith(".py.txt"):
            out[f.name.removesuffix(".txt")] = Template(f.read_text(encoding="utf-8")).substitute(
                slug=slug, name=m.name, state_name=m.state_name, code=m.code, claim_id=claim_id)
    return out


#: What the new row of data/mappings/cases.csv says until the author describes the case.
UNDESCRIBED = "not yet described"


def case_row(slug: str, m, break_year: int | None, origin: str) -> dict[str, str]:
    from .cases import registry

    if origin not in registry.ORIGINS:
        raise ScaffoldError(f"--origin {origin!r}: one of {', '.join(registry.ORIGINS)}")
    if break_year is not None and not 1990 <= int(break_year) <= 2100:
        raise ScaffoldError(f"--break-year {break_year}: a year, the first full year after the break")
    return {"slug": slug, "name": m.name, "mun_code": m.code, "state_code": m.state_code, "state_name": m.state_name,
            "instrument": UNDESCRIBED, "who_holds_power": UNDESCRIBED, "institutions": UNDESCRIBED,
            "break_year": "" if break_year is None else str(int(break_year)),
            "break_label": "" if break_year is None else f"Break ({int(break_year) - 1}–{int(break_year)})",
            "origin": origin}


def cases_text(text: str, row: dict[str, str]) -> str:
    """The registry table with ``row`` appended (quoted as the csv module quotes)."""
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(list(row.values()))
    return text.rstrip("\n") + "\n" + buf.getvalue()


def published_text() -> str:
    """The header of a case's published-figures file (one row per figure quoted from the literature)."""
    from .cases.generic import PUBLISHED_COLUMNS

    return ",".join(PUBLISHED_COLUMNS) + "\n"


def bib_text(slug: str) -> str:
    return (f"% Works cited only in the {slug} chapter (keys must not repeat those in book/references.bib).\n"
            "% Scaffolded empty by `python -m enclaves new-case`.\n")


def claim_id(slug: str, records: list[dict]) -> str:
    """``<prefix>1`` with a prefix no other case uses: the slug's first letter, else its first two."""
    used = {re.match(r"[A-Z]+", r["id"]).group(0) for r in records if re.match(r"[A-Z]+", str(r["id"]))}
    for prefix in (slug[0].upper(), slug[:2].upper(), slug.upper()):
        if prefix not in used:
            return f"{prefix}1"
    raise ScaffoldError(f"no free claim-id prefix for {slug!r}")


def claim_record(slug: str, m, cid: str) -> dict:
    return {"id": cid, "case": slug,
            "claim": f"{m.name} is safer than the rest of {m.state_name} since it broke away.",
            "data": f"INEGI homicides by municipality, {m.name} against the rest of {m.state_name} and its "
                    "comparison municipalities",
            "section": f"case-{slug}-claims"}


def claims_text(text: str, slug: str, record: dict) -> str:
    block = yaml.safe_dump([record], allow_unicode=True, sort_keys=False, width=1000)
    note = (f"# {slug}: template claim written by `python -m enclaves new-case`; replace it with the claims "
            "of the reporting.\n")
    return text.rstrip("\n") + "\n" + note + block


def toc_text(text: str, slug: str) -> str:
    """Insert the chapter after the last ``book/cases/...`` entry of ``_toc.yml``."""
    lines = text.splitlines(keepends=True)
    hits = [i for i, ln in enumerate(lines) if re.match(r"\s*- file: book/cases/\S+\s*$", ln)]
    if not hits:
        raise ScaffoldError("_toc.yml has no book/cases/ chapter to put the new case after")
    last = lines[hits[-1]]
    indent = last[: len(last) - len(last.lstrip())]
    lines.insert(hits[-1] + 1, f"{indent}- file: book/cases/{slug}\n")
    return "".join(lines)


def config_text(text: str, slug: str) -> str:
    """Add ``book/cases/<slug>.bib`` to ``bibtex_bibfiles`` in ``_config.yml`` (after the other cases')."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, ln in enumerate(lines) if ln.startswith("bibtex_bibfiles:"))
    except StopIteration:
        raise ScaffoldError("_config.yml has no bibtex_bibfiles list") from None
    end = start + 1
    while end < len(lines) and re.match(r"\s+- ", lines[end]):
        end += 1
    items = range(start + 1, end)
    cases = [i for i in items if "book/cases/" in lines[i]]
    at = (cases[-1] if cases else end - 1) + 1
    ref = lines[at - 1] if at - 1 > start else "  - x\n"
    indent = ref[: len(ref) - len(ref.lstrip())]
    lines.insert(at, f"{indent}- book/cases/{slug}.bib\n")
    return "".join(lines)


def _toc_files(root: Path) -> set[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    out: set[str] = set()

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                out.add(str(e["file"]))
            walk(e.get("sections"))
            walk(e.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return out


def _case_rows(root: Path) -> list[dict]:
    import csv

    with (root / "data" / "mappings" / "cases.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _claims(root: Path) -> list[dict]:
    return yaml.safe_load((root / "data" / "claims" / "claims.yml").read_text(encoding="utf-8")) or []


def plan(slug: str, mun_code: str, *, name: str | None = None, state: str | None = None,
         break_year: int | None = None, origin: str | None = None, root: Path | None = None) -> Plan:
    """Validate the request and render every file; write nothing."""
    from . import geo
    from .cases import generic

    root = Path(root) if root is not None else paths.root()
    check_slug(slug, root)
    m = check_code(mun_code)
    if state is not None:
        try:
            sc = geo.state_code(state)
        except Exception:  # noqa: BLE001 - DataError: unknown name
            raise ScaffoldError(f"--state {state!r}: not a state name known to data/mappings/state_names.csv") from None
        if sc != m.state_code:
            raise ScaffoldError(f"--state {state!r} is state {sc}, but municipality {m.code} is in {m.state_name} "
                                f"({m.state_code})")
    m = generic.municipality(m.code, name=name, state_name=state)
    records = _claims(root)
    cid = claim_id(slug, records)
    rec = claim_record(slug, m, cid)
    comp = generic.comparison_set(m)
    from .cases import registry

    row = case_row(slug, m, break_year, origin or registry.BEYOND)

    cases_dir = root / "book" / "cases"
    chapter = render_chapter(slug, m, accessed=generic.accessed())
    package = root / "src" / "enclaves" / "cases" / slug
    new_files = {
        cases_dir / f"{slug}.md": chapter,
        cases_dir / f"{slug}.bib": bib_text(slug),
        root / "data" / "mappings" / f"comparison_{slug}.csv": comp.to_csv(index=False, lineterminator="\n"),
        root / "data" / "mappings" / f"published_figures_{slug}.csv": published_text(),
        **{package / fname: text for fname, text in render_package(slug, m, cid).items()},
    }
    claims_path = root / "data" / "claims" / "claims.yml"
    cases_path = root / "data" / "mappings" / "cases.csv"
    edited = {
        cases_path: cases_text(cases_path.read_text(encoding="utf-8"), row),
        root / "_toc.yml": toc_text((root / "_toc.yml").read_text(encoding="utf-8"), slug),
        root / "_config.yml": config_text((root / "_config.yml").read_text(encoding="utf-8"), slug),
        claims_path: claims_text(claims_path.read_text(encoding="utf-8"), slug, rec),
    }
    _check_edits(slug, rec, edited, root)
    return Plan(slug=slug, code=m.code, name=m.name, state_name=m.state_name, claim_id=cid,
                new_files=new_files, edited_files=edited)


def _check_edits(slug: str, rec: dict, edited: dict[Path, str], root: Path) -> None:
    """The edited YAML files still parse and hold exactly what was added."""
    toc = yaml.safe_load(edited[root / "_toc.yml"])
    part = next((p for p in toc.get("parts", []) if any(str(c.get("file", "")).startswith("book/cases/")
                                                         for c in p.get("chapters", []))), None)
    if part is None or {"file": f"book/cases/{slug}"} not in part["chapters"]:
        raise ScaffoldError("could not add the chapter to the cases part of _toc.yml")
    cfg = yaml.safe_load(edited[root / "_config.yml"])
    if f"book/cases/{slug}.bib" not in cfg.get("bibtex_bibfiles", []):
        raise ScaffoldError("could not add the .bib file to _config.yml")
    claims = yaml.safe_load(edited[root / "data" / "claims" / "claims.yml"])
    if claims[-1] != rec or len({c["id"] for c in claims}) != len(claims):
        raise ScaffoldError("could not add the claim record to data/claims/claims.yml")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(edited[root / "data" / "mappings" / "cases.csv"])))
    if rows[-1]["slug"] != slug or len({r["slug"] for r in rows}) != len(rows):
        raise ScaffoldError("could not add the case to data/mappings/cases.csv")


def write(p: Plan) -> list[Path]:
    """Write a plan: new files first (refusing to overwrite), then the edited ones."""
    for path in p.new_files:
        if path.exists():
            raise ScaffoldError(f"{path} exists")
    for path, text in p.new_files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    for path, text in p.edited_files.items():
        path.write_text(text, encoding="utf-8")
    return p.paths


def new_case(slug: str, mun_code: str, *, name: str | None = None, state: str | None = None,
             break_year: int | None = None, origin: str | None = None, root: Path | None = None) -> Plan:
    p = plan(slug, mun_code, name=name, state=state, break_year=break_year, origin=origin, root=root)
    write(p)
    from .cases import registry

    registry.clear()
    return p
