"""SESNSP municipality names → INEGI codes, for the municipal files that carry names only (README 2.7, 2.8).

A (state, name) pair takes the code of the first rule that gives exactly one:

1. ``mapping``: a row of ``data/mappings/crime_sesnsp_municipal_names.csv`` for this source, state and
   name, with its reason: names that no catalogue below has, and the rows that are not municipalities
   ('No especificado', 'Otros municipios'), kept under SESNSP's codes xx998 / xx999;
2. ``inegi``: INEGI's catalogue (the table ``municipalities``);
3. ``inegi_older``: INEGI's older names in mxmortalitydb's ``geo.codes`` (README 1.9): SESNSP kept names
   that INEGI has since lengthened ('Silao' → 'Silao de la Victoria'), abbreviations ('Gral. Escobedo')
   and the district suffixes that tell two Oaxacan namesakes apart ('San Juan Mixtepec -Dto. 08 -');
4. ``sesnsp``: SESNSP's name list compiled by Valle-Jones (``municipio_names.csv``).

Names are compared without accents, case or repeated blanks, within the state. A catalogue gives a
code only when the name is unique in the state there and the code is in INEGI's catalogue. Catalogues
that give a code for the same name must agree. A mapping row must be needed (no catalogue gives its
code) and used (its name occurs in the file); two names of one file may not share a code. A pair that
no rule matches stops the pipeline with the file, its first row and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ... import geo, paths
from ...errors import DataError
from .. import readers
from ..elections.rdata import read_rdata

MAPFILE = "crime_sesnsp_municipal_names.csv"
MAP_COLS = ("source", "state_code", "name", "mun_code", "reason")
#: SESNSP's codes for rows that are not municipalities (municipio_names.csv: NO ESPECIFICADO, OTROS MUNICIPIOS)
NOT_MUNICIPALITY = {"998": "No especificado", "999": "Otros municipios"}
RULES = ("mapping", "inegi", "inegi_older", "sesnsp")


@dataclass(frozen=True)
class Catalogues:
    """Each catalogue as {(state_code, normalized name): {codes}}, and the INEGI codes."""
    inegi: dict[tuple[str, str], set[str]]
    inegi_older: dict[tuple[str, str], set[str]]
    sesnsp: dict[tuple[str, str], set[str]]
    known: frozenset[str]


def _index(codes, names) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for code, name in zip(codes, names, strict=True):
        out.setdefault((code[:2], geo.normalize(name)), set()).add(code)
    return out


def catalogues(municipalities: pd.DataFrame, geo_codes_path, names_path) -> Catalogues:
    """The three catalogues: the ``municipalities`` table, mxmortalitydb geo.codes, SESNSP's name list."""
    known = frozenset(municipalities["mun_code"])
    fg = geo_codes_path.name
    g = read_rdata(geo_codes_path, ["geo.codes"])["geo.codes"]
    miss = [c for c in ("state_code", "mun_code", "name") if c not in g.columns]
    if miss:
        raise DataError(fg, "required column missing (renamed upstream?)", row="header", detail=f"missing {miss}")
    g = g.assign(code=[geo.mun_code(s, m) for s, m in zip(g["state_code"], g["mun_code"], strict=True)])
    g = g[g["code"].isin(known)]  # drops state rows (000), unspecified (999) and codes abroad
    fn = names_path.name
    mn = readers.read_table(names_path, encoding="latin-1", columns=["state_code", "mun_code", "MUNICIPIO"])
    codes = [geo.mun_code(s, m) for s, m in zip(readers.to_number(mn, "state_code", fn),
                                                 readers.to_number(mn, "mun_code", fn), strict=True)]
    mn = mn.assign(code=codes)
    sesnsp = _index(mn["code"], mn["MUNICIPIO"])
    for code, label in NOT_MUNICIPALITY.items():  # what the mapping's pseudo-codes stand for
        got = {c for (st, n), cs in sesnsp.items() if n == geo.normalize(label) for c in cs}
        if got != {f"{s:02d}{code}" for s in range(1, 33)}:
            raise DataError(fn, f"expected '{label}' under code xx{code} in all 32 states", detail=str(sorted(got)))
    mn = mn[mn["code"].isin(known)]
    return Catalogues(_index(municipalities["mun_code"], municipalities["mun_name"]),
                      _index(g["code"], g["name"]), _index(mn["code"], mn["MUNICIPIO"]), known)


def read_mapping(source: str, cats: Catalogues) -> pd.DataFrame:
    """This source's rows of the mapping, each checked: codes, state, reason, and not-a-municipality rows."""
    df = readers.read_table(paths.mappings_dir() / MAPFILE, columns=MAP_COLS)
    readers.check_unique(df, ["source", "state_code", "name"], MAPFILE)
    for i, (st, name, code, reason) in enumerate(zip(df["state_code"], df["name"], df["mun_code"], df["reason"],
                                                     strict=True), start=2):
        row = f"{i} ({name!r})"
        if not (len(st) == 2 and st.isdigit() and len(code) == 5 and code.isdigit() and code[:2] == st):
            raise DataError(MAPFILE, "state_code must be 2 digits and mun_code 5 digits in that state", row=row,
                            detail=f"{st}, {code}")
        pseudo = code[2:] in NOT_MUNICIPALITY
        if not reason.strip():
            raise DataError(MAPFILE, "every row needs a reason", row=row)
        if pseudo != reason.startswith("not a municipality"):
            raise DataError(MAPFILE, "codes xx998/xx999, and only they, are for rows that are not a municipality "
                            "(reason starting 'not a municipality')", row=row, detail=code)
        if pseudo and geo.normalize(name) != geo.normalize(NOT_MUNICIPALITY[code[2:]]):
            raise DataError(MAPFILE, f"code xx{code[2:]} is SESNSP's '{NOT_MUNICIPALITY[code[2:]]}'", row=row,
                            detail=code)
        if not pseudo and code not in cats.known:
            raise DataError(MAPFILE, "unknown municipality code (not in the INEGI catalog)", row=row, detail=code)
    out = df[df["source"] == source].copy()
    out["line"] = out.index + 2
    return out


def match_names(pairs: pd.DataFrame, source: str, file: str, cats: Catalogues) -> pd.DataFrame:
    """``pairs`` (columns state_code, name, row: the first file row of the pair) → the same rows with
    ``mun_code`` and ``rule`` (see the module docstring)."""
    mapping = read_mapping(source, cats)
    explicit = {(s, n): (c, line) for s, n, c, line in zip(mapping["state_code"], mapping["name"],
                                                            mapping["mun_code"], mapping["line"], strict=True)}
    used: set[tuple[str, str]] = set()
    codes, rules, unmatched = [], [], []
    for st, name, row in zip(pairs["state_code"], pairs["name"], pairs["row"], strict=True):
        key = (st, geo.normalize(name))
        found = {}
        for rule in RULES[1:]:
            cs = getattr(cats, rule).get(key, set())
            if len(cs) == 1:
                found[rule] = next(iter(cs))
        if (st, name) in explicit:
            code, line = explicit[(st, name)]
            used.add((st, name))
            if code in found.values():
                rule = next(r for r, c in found.items() if c == code)
                raise DataError(MAPFILE, f"mapping row not needed: the {rule} catalogue gives the same code",
                                row=line, detail=f"{name!r} → {code}")
            codes.append(code)
            rules.append("mapping")
            continue
        if len(set(found.values())) > 1:
            raise DataError(file, "catalogues disagree on the municipality's code (settle it with a row in "
                            f"data/mappings/{MAPFILE})", row=row, detail=f"{name!r}: {found}")
        if not found:
            unmatched.append((row, st, name))
            codes.append(None)
            rules.append(None)
            continue
        rule = next(iter(found))
        codes.append(found[rule])
        rules.append(rule)
    if unmatched:
        row, st, name = unmatched[0]
        others = "; ".join(f"{s} {n!r}" for _, s, n in unmatched[:12])
        raise DataError(file, "municipality name matches no catalogue (INEGI, INEGI's older names, SESNSP's list) "
                        f"and has no row in data/mappings/{MAPFILE}", row=row,
                        detail=f"state {st}, {name!r}; {len(unmatched)} unmatched: {others}")
    stale = [(s, n) for (s, n) in explicit if (s, n) not in used]
    if stale:
        s, n = stale[0]
        raise DataError(MAPFILE, f"mapping row for {source} names no municipality in {file} (stale row)",
                        row=explicit[(s, n)][1], detail=f"state {s}, {n!r}")
    out = pairs.assign(mun_code=codes, rule=rules)
    dup = out.duplicated("mun_code", keep=False)
    if dup.any():
        d = out[dup].sort_values(["mun_code", "row"])
        raise DataError(file, "two names map to one municipality code", row=int(d["row"].iloc[1]),
                        detail=f"{d['mun_code'].iloc[0]}: {list(d['name'])}")
    return out
