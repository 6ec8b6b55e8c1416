"""Suicides: INEGI death records registered in 2024 with underlying cause ICD-10 X60-X84.

One file, one year. MoschataAnalytics selected from INEGI's open mortality microdata (EDR 2024)
the 9,051 deaths *registered* in 2024 whose underlying cause is intentional self-harm (X60-X84).
The subset does not keep the year of occurrence, so ``year`` is 2024 with ``year_basis`` =
"registration": a few of these deaths occurred earlier and cannot be told apart.

Each death is counted twice, once in the municipality where it occurred (``basis`` =
"occurrence": ``Cve_mun_ocurr``) and once in the municipality of residence (``basis`` =
"residence": ``Cve_mun_resid``). Records with an unknown state (99), a state abroad (33-35) or
an unknown municipality (xx999) are left out of the municipal counts; those with a known state
but unknown municipality still count for their state (``suicides_mun_unknown``). The national
row ("00") is the sum of the 32 states, like the homicide tables.

The municipal table covers every municipality of the four focus states (Ciudad de México,
Estado de México, Michoacán, Nuevo León: 305 municipalities, the cases' donor pools), with an
explicit zero where no record names it. Other municipalities are not published: one year of
suicides elsewhere is not used by the book, and publishing only municipalities with a record
would select on the outcome. States and the nation are in ``suicides_state``.

Rates are per 100,000 with CONAPO's 2024 projection (2018 edition, from the mortality family's
``_population_municipal``) and an exact Poisson 95% interval (Garwood, via the chi-square
distribution), because most municipal counts are tiny: Tancítaro's 7 deaths give 20.9 per 100,000
with an interval from 8.4 to 43.1.
"""

from __future__ import annotations

import pandas as pd
from scipy.stats import chi2

from .. import geo
from ..errors import DataError
from . import readers
from .core import MUN_CODE, STATE_CODE, Column, step, table
from .mortality import POP_2018

FAMILY = "mortality"
EDR = "inegi_edr2024_suicide_records"
YEAR_REG = 2024
N_RECORDS = 9_051
#: ICD-10 intentional self-harm, three or four characters (X60-X84, X600-X849)
CAUSE_PATTERN = r"X(?:6\d|7\d|8[0-4])\d?"
#: INEGI EDR state codes: 01-32, 33 USA, 34 other Latin American countries, 35 other countries, 99 unknown
STATE_CODES = {*range(1, 33), 33, 34, 35, 99}
BASES = {"occurrence": ("ent_ocurr", "mun_ocurr", "Cve_mun_ocurr"),
         "residence": ("ent_resid", "mun_resid", "Cve_mun_resid")}
COLUMNS = ["causa_def", "mes_ocurr", "ent_ocurr", "mun_ocurr", "ent_resid", "mun_resid",
           "Cve_mun_ocurr", "Cve_mun_resid"]

YEAR = Column("year", "integer", "Year in which the deaths were registered", minimum=2024, maximum=2024)
BASIS = Column("basis", "string", "Which place a death is counted in: where it occurred, or where the "
                                  "deceased lived", enum=("occurrence", "residence"))
YEAR_BASIS = Column("year_basis", "string", "Deaths are counted by year of registration (a few occurred "
                                            "earlier)", enum=("registration",))
SUICIDES = Column("suicides", "integer",
                  "Deaths with underlying cause ICD-10 X60-X84 (intentional self-harm)",
                  unit="deaths", minimum=0)
POPULATION = Column("population", "integer", "Mid-year population 2024 (CONAPO projections, 2018 edition)",
                    unit="persons", minimum=0)
RATE = Column("suicide_rate", "number", "Suicides per 100,000 inhabitants", unit="per 100,000",
              minimum=0, decimals=3)
LOW = Column("rate_low", "number", "Lower end of the exact Poisson 95% interval of the rate",
             unit="per 100,000", minimum=0, decimals=3)
HIGH = Column("rate_high", "number", "Upper end of the exact Poisson 95% interval of the rate",
              unit="per 100,000", minimum=0, decimals=3)

CAVEATS = ["One registration year only (2024): no trend can be read from this table, and the subset "
           "has no year of occurrence, so deaths registered late from earlier years are included.",
           "Counts are small: in a municipality of 30,000 people one death moves the rate by 3.3 per "
           "100,000; use the Poisson interval.",
           "Population is CONAPO's 2018-edition projection for 2024 (2015 intercensal base), not a count.",
           "Suicide is under-registered in Mexico (some appear as accidents or undetermined intent, "
           "Y10-Y34), which this table cannot correct."]

table("suicides_municipal", title="Suicides by municipality, registered 2024 (focus states)",
      description=("Deaths registered in 2024 with underlying cause X60-X84, by municipality of occurrence "
                   "and of residence, for every municipality of Ciudad de México, Estado de México, "
                   "Michoacán and Nuevo León (explicit zeros), with CONAPO population, the rate per "
                   "100,000 and its exact Poisson 95% interval."),
      columns=[MUN_CODE, YEAR, BASIS, YEAR_BASIS, SUICIDES, POPULATION, RATE, LOW, HIGH],
      primary_key=["mun_code", "year", "basis"], sources=[EDR, POP_2018], family=FAMILY,
      chapters=["tancitaro", "cross_case"],
      caveats=[*CAVEATS, "Records with unknown municipality (8 by occurrence, 209 by residence, including "
                         "206 with residence abroad or unknown) are in no municipality."])

table("suicides_state", title="Suicides by state and nationally, registered 2024",
      description=("Deaths registered in 2024 with underlying cause X60-X84 by state (and the nation, "
                   "state_code '00') of occurrence and of residence, with CONAPO population, the rate per "
                   "100,000 and its exact Poisson 95% interval."),
      columns=[STATE_CODE, YEAR, BASIS, YEAR_BASIS, SUICIDES,
               Column("suicides_mun_unknown", "integer",
                      "Of which the municipality is unknown (xx999); they are in no municipal row",
                      unit="deaths", minimum=0),
               POPULATION, RATE, LOW, HIGH],
      primary_key=["state_code", "year", "basis"], sources=[EDR, POP_2018], family=FAMILY,
      chapters=["tancitaro", "cross_case"],
      caveats=[*CAVEATS, "The national row is the sum of the 32 states: 7 records with unknown state of "
                         "occurrence, and 206 with residence abroad (14) or unknown (192), are left out."])


def poisson_rate(count: pd.Series, population: pd.Series) -> pd.DataFrame:
    """Rate per 100,000 with the exact (Garwood) Poisson 95% interval."""
    k = count.astype(float)
    pop = population.astype(float)
    low = pd.Series(chi2.ppf(0.025, 2 * k) / 2, index=k.index).where(k > 0, 0.0)
    high = pd.Series(chi2.ppf(0.975, 2 * k + 2) / 2, index=k.index)
    f = 100_000 / pop.where(pop > 0)
    return pd.DataFrame({"suicide_rate": k * f, "rate_low": low * f, "rate_high": high * f})


def read_records(path, known: set[str]) -> pd.DataFrame:
    """The records as ``basis`` columns of codes: state (2 chars), municipality (5 chars or None)."""
    f = EDR
    df = readers.read_table(path, columns=COLUMNS, strict_columns=False)
    readers.expect_equal(len(df), N_RECORDS, f, "number of records")
    cause = df["causa_def"].str.strip()
    bad = ~cause.str.fullmatch(CAUSE_PATTERN)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f, "underlying cause outside ICD-10 X60-X84 (not a suicide)", row=i + 2,
                        detail=repr(df["causa_def"].iloc[i]))
    month = readers.to_number(df, "mes_ocurr", f)
    bad = ~(month.between(1, 12) | month.eq(99))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f, "mes_ocurr must be 1-12 or 99 (unknown)", row=i + 2,
                        detail=repr(df["mes_ocurr"].iloc[i]))
    out = pd.DataFrame(index=df.index)
    for basis, (ent_col, mun_col, key_col) in BASES.items():
        ent = readers.to_number(df, ent_col, f)
        bad = ~ent.isin(STATE_CODES)
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise DataError(f, f"unknown state code in {ent_col} (allowed 1-32, 33-35 abroad, 99 unknown)",
                            row=i + 2, detail=repr(df[ent_col].iloc[i]))
        mun = readers.to_number(df, mun_col, f)
        bad = ~mun.between(1, 999)
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise DataError(f, f"{mun_col} must be 1-999", row=i + 2, detail=repr(df[mun_col].iloc[i]))
        key = df[key_col].str.strip()
        expect = ent.map("{:02d}".format) + mun.map("{:03d}".format)
        bad = key != expect
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise DataError(f, f"{key_col} disagrees with {ent_col} and {mun_col}", row=i + 2,
                            detail=f"{df[key_col].iloc[i]!r} vs {expect.iloc[i]!r}")
        in_mexico = ent.between(1, 32)
        mun_known = in_mexico & mun.ne(999)
        bad = mun_known & ~key.isin(known)
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise DataError(f, f"unknown municipality code in {key_col} (not in the INEGI catalog)",
                            row=i + 2, detail=repr(df[key_col].iloc[i]))
        out[f"{basis}_state"] = key.str[:2].where(in_mexico)
        out[f"{basis}_mun"] = key.where(mun_known)
    return out


@step(sources=[EDR], needs=["_population_municipal", "municipalities"],
      outputs=["suicides_municipal", "suicides_state"], family=FAMILY)
def suicides(inp):
    cat = inp.table("municipalities")
    rec = read_records(inp.raw(EDR), set(cat["mun_code"]))

    pop = inp.table("_population_municipal")
    pop = pop[pop.year == YEAR_REG][["mun_code", "population"]]
    readers.expect_equal(len(pop), 2457, "_population_municipal", "municipalities with a 2024 population")
    pop["state_code"] = pop["mun_code"].str[:2]
    state_pop = pop.groupby("state_code")["population"].sum()
    state_pop["00"] = pop["population"].sum()

    focus = cat.loc[cat["state_code"].isin(geo.FOCUS_STATES), "mun_code"]
    readers.expect_equal(len(focus), 305, "municipalities", "municipalities of the focus states")
    mun_rows, state_rows = [], []
    for basis in BASES:
        m = rec[f"{basis}_mun"].dropna().value_counts()
        s = rec[f"{basis}_state"].dropna().value_counts()
        unknown_mun = rec[f"{basis}_state"].notna() & rec[f"{basis}_mun"].isna()
        u = rec.loc[unknown_mun, f"{basis}_state"].value_counts()
        mun_rows.append(pd.DataFrame({"mun_code": focus.to_numpy(), "basis": basis,
                                      "suicides": m.reindex(focus).fillna(0).astype(int).to_numpy()}))
        st = pd.DataFrame({"state_code": sorted(state_pop.index)})
        st["suicides"] = st["state_code"].map(s).fillna(0).astype(int)
        st["suicides_mun_unknown"] = st["state_code"].map(u).fillna(0).astype(int)
        nat = st["state_code"] == "00"
        st.loc[nat, "suicides"] = int(s.sum())
        st.loc[nat, "suicides_mun_unknown"] = int(u.sum())
        state_rows.append(st.assign(basis=basis))

        # README 1.10 spot values: records with state 01-32 and municipality != 999
        readers.expect_equal(int(m.sum()), {"occurrence": 9_043, "residence": 8_842}[basis], EDR,
                             f"records with a known municipality, by {basis}")
        for code, (occ, res) in {"15": (1_234, 1_239), "16": (320, 312), "19": (432, 406)}.items():
            got = int(m[m.index.str[:2] == code].sum())
            readers.expect_equal(got, occ if basis == "occurrence" else res, EDR, f"state {code} by {basis}")
        for code, (occ, res) in {"16083": (7, 7), "19039": (103, 80), "15058": (58, 65)}.items():
            readers.expect_equal(int(m.get(code, 0)), occ if basis == "occurrence" else res, EDR,
                                 f"municipality {code} by {basis}")

    mun = pd.concat(mun_rows, ignore_index=True)
    mun = mun.merge(pop[["mun_code", "population"]], on="mun_code", how="left")
    if mun["population"].isna().any():
        r = mun[mun["population"].isna()].iloc[0]
        raise DataError("_population_municipal", "no 2024 population for a focus municipality",
                        row=f"mun_code={r['mun_code']}")
    mun = pd.concat([mun, poisson_rate(mun["suicides"], mun["population"])], axis=1)
    mun = mun.assign(year=YEAR_REG, year_basis="registration")
    mun = mun[["mun_code", "year", "basis", "year_basis", "suicides", "population", "suicide_rate",
               "rate_low", "rate_high"]]

    state = pd.concat(state_rows, ignore_index=True)
    state["population"] = state["state_code"].map(state_pop)
    readers.expect_equal(state["state_code"].nunique(), 33, EDR, "32 states and the nation")
    state = pd.concat([state, poisson_rate(state["suicides"], state["population"])], axis=1)
    state = state.assign(year=YEAR_REG, year_basis="registration")
    state = state[["state_code", "year", "basis", "year_basis", "suicides", "suicides_mun_unknown",
                   "population", "suicide_rate", "rate_low", "rate_high"]]
    return {"suicides_municipal": mun, "suicides_state": state}
