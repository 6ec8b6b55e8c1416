"""New instrument, 2015-2025: IDEFC_NM (README 2.4), the victims file IDVFC_NM (2.5, streamed) and the
municipal IDM_NM summed to states (2.6)."""

from __future__ import annotations

import bz2
import re

import pandas as pd

from ... import geo
from ...errors import DataError
from .. import readers
from .catalog import crime_of_labels, new_catalog
from .contracts import (
    EDADES,
    GENEROS,
    IDEFC_LABELS,
    IDEFC_LAST,
    IDEFC_MONTHS,
    IDM_COLS,
    NEW_LABELS,
    STATES,
    VICTIM_COLS,
    VICTIM_LAST,
    months_in,
)


def parse_idefc(path, file: str) -> pd.DataFrame:
    df = readers.read_table(path, encoding="latin-1", columns=["Año", "Clave_Ent", "Entidad", *IDEFC_LABELS,
                                                               *IDEFC_MONTHS])
    df["year"] = readers.to_number(df, "Año", file)
    readers.check_years(df["year"], 2015, IDEFC_LAST[0], file)
    ent = readers.to_number(df, "Clave_Ent", file)
    bad = ~ent.between(1, 32)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "Clave_Ent must be 1-32", row=i + 2, detail=repr(df["Clave_Ent"].iloc[i]))
    df["state_code"] = ent.map(lambda v: f"{int(v):02d}")
    _check_state_names(df, "Entidad", "state_code", file)
    df["crime"], df["label"] = crime_of_labels(df[list(IDEFC_LABELS)], new_catalog(), file,
                                               "crime_sesnsp_new_catalog.csv")
    readers.check_unique(df, ["year", "state_code", "label"], file)
    n_years = IDEFC_LAST[0] - 2015 + 1
    n_labels = len(new_catalog())
    if len(df) != 32 * n_years * n_labels:
        raise DataError(file, f"expected {32 * n_years * n_labels} rows (32 states x {n_years} years x "
                        f"{n_labels} crime labels)", detail=f"{len(df)} rows")
    parts = []
    for m, name in enumerate(IDEFC_MONTHS, start=1):
        v = readers.to_number(df, name, file, allow_empty=True)
        late = (df["year"] * 100 + m) > IDEFC_LAST[0] * 100 + IDEFC_LAST[1]
        filled = late & v.notna()
        if filled.any():
            i = int(filled.to_numpy().argmax())
            raise DataError(file, f"a month after the release ({IDEFC_LAST[0]}-{IDEFC_LAST[1]:02d}) holds a value",
                            row=i + 2, detail=f"{name}: {df[name].iloc[i]!r}")
        parts.append(pd.DataFrame({"state_code": df["state_code"], "year": df["year"], "month": m,
                                   "crime": df["crime"], "value": v})[~late])
    cells = pd.concat(parts, ignore_index=True)
    return cells[cells["crime"] != ""]


def _check_state_names(df: pd.DataFrame, name_col: str, code_col: str, file: str) -> None:
    pairs = df[[name_col, code_col]].drop_duplicates()
    for i, (name, code) in pairs.iterrows():
        got = geo.state_code(name, file, int(i) + 2)
        if got != code:
            raise DataError(file, f"{name_col} does not match the state code", row=int(i) + 2,
                            detail=f"{name!r} is {got}, code says {code}")


def parse_victims(path, file: str) -> pd.DataFrame:
    """Stream the 133 MB victims file in chunks, keeping the allow-listed crimes summed over sex and age.

    Text columns are read as categoricals, so every check runs on the few distinct values of a chunk.
    """
    catalog = new_catalog()
    out = []
    months_seen: set[tuple[int, int]] = set()
    label_ids: dict[tuple, int] = {}
    start = 0
    # text labels as categoricals; codes and counts as plain objects (a categorical would turn '01' into 1)
    kinds = {c: "category" for c in (*NEW_LABELS, "nombre_estado", "genero", "rango_de_edad")}
    kinds |= {c: object for c in ("date_year_month", "n_year", "n_month", "cve_ent", "n_victimas")}
    try:
        with bz2.open(path, "rt", encoding="utf-8", newline="") as fh:
            chunks = pd.read_csv(fh, dtype=kinds, keep_default_na=False, na_values=[],
                                 chunksize=300_000)
            for ch in chunks:
                ch.index = pd.RangeIndex(start + 2, start + 2 + len(ch))
                if start == 0:
                    header = [c.strip().lstrip("\ufeff") for c in ch.columns]
                    if tuple(header) != VICTIM_COLS:
                        missing = [c for c in VICTIM_COLS if c not in header]
                        extra = [c for c in header if c not in VICTIM_COLS]
                        raise DataError(file, "header differs from the expected columns (renamed upstream?)",
                                        row="header", detail=f"missing {missing}, unexpected {extra}")
                out.append(_victim_chunk(ch, file, catalog, months_seen, label_ids))
                start += len(ch)
    except UnicodeDecodeError as e:
        raise DataError(file, "text is not valid utf-8", row=f"after line {start + 1}", detail=str(e)) from None
    except pd.errors.ParserError as e:
        raise DataError(file, "file cannot be parsed as delimited text", row=f"after line {start + 1}",
                        detail=str(e)) from None
    except (OSError, EOFError) as e:
        raise DataError(file, "file is not a complete compressed stream (truncated?)",
                        detail=str(e)) from None
    if start == 0:
        raise DataError(file, "file has a header but no data rows")
    df = pd.concat(out, ignore_index=True)
    dup = df.duplicated(["year", "month", "state_code", "label", "genero", "rango_de_edad"])
    if dup.any():
        raise DataError(file, "duplicated key [date, state, crime labels, genero, rango_de_edad]",
                        row=int(df["line"][dup].iloc[0]))
    want = months_in(((2015, 1), VICTIM_LAST))
    if sorted(months_seen) != want:
        raise DataError(file, f"months must run without gaps from 2015-01 to {VICTIM_LAST[0]}-"
                        f"{VICTIM_LAST[1]:02d}", detail=f"{len(months_seen)} months found")
    cells = df.groupby(["state_code", "year", "month", "crime"], as_index=False)["value"].sum()
    per = cells.groupby("crime").size()
    n = 32 * len(want)
    if (per != n).any() or set(per.index) != {"homicidio_doloso", "feminicidio", "secuestro", "extorsion"}:
        raise DataError(file, f"every crime must have {n} state-months", detail=repr(per.to_dict()))
    return cells


def _victim_chunk(ch: pd.DataFrame, file: str, catalog: dict, months_seen: set, label_ids: dict) -> pd.DataFrame:
    for col, allowed in (("genero", GENEROS), ("rango_de_edad", EDADES)):
        bad = ~ch[col].isin(allowed)
        if bad.any():
            i = readers.first_row(bad)
            raise DataError(file, f"unknown {col} label", row=i, detail=repr(ch.loc[i, col]))
    dates = ch[["date_year_month", "n_year", "n_month"]].drop_duplicates()
    for i, (d, y, m) in dates.iterrows():
        if not (re.fullmatch(r"\d{4}", y) and re.fullmatch(r"\d{2}", m) and d == f"{y}-{m}-15"
                and 1 <= int(m) <= 12 and 2015 <= int(y) <= VICTIM_LAST[0]):
            raise DataError(file, "date_year_month, n_year and n_month must agree (YYYY-MM-15, 2015-2025)",
                            row=int(i), detail=f"{d!r}, {y!r}, {m!r}")
        months_seen.add((int(y), int(m)))
    ents = ch[["cve_ent", "nombre_estado"]].drop_duplicates()
    for i, (c, name) in ents.iterrows():
        if c not in STATES:
            raise DataError(file, "cve_ent must be a 2-digit state code 01-32", row=int(i), detail=repr(c))
        if geo.state_code(name, file, int(i)) != c:
            raise DataError(file, "nombre_estado does not match cve_ent", row=int(i), detail=f"{name!r} vs {c}")
    crime, label_id = crime_of_labels(ch[list(NEW_LABELS)], catalog, file, "crime_sesnsp_new_catalog.csv",
                                      rows=ch.index, ids=label_ids)
    keep = (crime != "").to_numpy()
    k = ch[keep]
    n = pd.to_numeric(k["n_victimas"], errors="coerce")
    if n.isna().any() or (n < 0).any() or (n != n.round()).any():
        readers.to_number(ch, "n_victimas", file, row_offset=int(ch.index[0]))  # names the row
        raise DataError(file, "column n_victimas must be a whole non-negative number", row=readers.first_row(n.isna()))
    return pd.DataFrame({"state_code": k["cve_ent"].astype(str), "year": k["n_year"].astype(int),
                         "month": k["n_month"].astype(int), "crime": crime[keep], "value": n.astype("int64"),
                         "label": label_id[keep], "genero": k["genero"].astype(str),
                         "rango_de_edad": k["rango_de_edad"].astype(str), "line": k.index})


def parse_idm(path, file: str) -> pd.DataFrame:
    df = readers.read_table(path, columns=IDM_COLS, compression="bz2")
    df["year"] = readers.to_number(df, "n_year", file)
    readers.check_years(df["year"], 2015, VICTIM_LAST[0], file)
    bad = ~df["cve_ent"].isin((geo.NATIONAL, *STATES))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "cve_ent must be '00' or a 2-digit state code", row=i + 2,
                        detail=repr(df["cve_ent"].iloc[i]))
    df = df.rename(columns={"cve_ent": "state_code"})
    _check_state_names(df, "nombre_estado", "state_code", file)
    df["crime"], df["label"] = crime_of_labels(df[list(NEW_LABELS)], new_catalog(), file,
                                               "crime_sesnsp_new_catalog.csv")
    df["value"] = readers.to_number(df, "n_delitos", file)
    readers.check_unique(df, ["year", "state_code", "label"], file)
    n = 33 * (VICTIM_LAST[0] - 2015 + 1) * len(new_catalog())
    if len(df) != n:
        raise DataError(file, f"expected {n} rows (33 areas x 11 years x crime labels)", detail=f"{len(df)} rows")
    # the national rows must equal the sum of the states, label by label
    keys = ["year", *NEW_LABELS]
    nat = df[df["state_code"] == geo.NATIONAL].set_index(keys)["value"]
    st = df[df["state_code"] != geo.NATIONAL].groupby(keys)["value"].sum()
    diff = (nat - st.reindex(nat.index)).fillna(1) != 0
    if diff.any():
        k = nat.index[int(diff.to_numpy().argmax())]
        raise DataError(file, "national row differs from the sum of the 32 states", row=f"{k[0]}, {k[-2]} / {k[-1]}",
                        detail=f"{nat[k]} vs {st.get(k)}")
    return df[df["crime"] != ""][["state_code", "year", "crime", "value"]]
