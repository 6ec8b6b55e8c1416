"""Elections: source ids, the columns and codes of Magar's files, and the table contracts (see the package
docstring)."""

from __future__ import annotations

from ..core import MUN_CODE, STATE_CODE, Column, table

FAMILY = "elections"
RDATA = "magar_mun_reelection_rdata"
GOV = "magar_goed1985_incumbents"
AY21 = "magar_aymu1989_incumbents_2021_rows"

FAMILIES = ("pan", "pri", "prd", "morena", "other", "none")
MAJORS = ("pan", "pri", "prd", "morena")
OUTCOMES = ("elected", "council", "annulled", "in_litigation")
KINDS = ("national_party", "local_party", "independent", "aggregate", "family_label", "outcome")
WINNER_KINDS = ("national_party", "local_party", "independent")
MONTHS = {"ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8,
          "sep": 9, "oct": 10, "nov": 11, "dic": 12}
INC_YEARS = (1986, 2019)
GOV_YEARS = (1985, 2023)
MG_TOLERANCE = 0.0002
#: vot rows whose margin differs from inc's by more than the tolerance (checked, not silently
#: accepted): Juárez, Chihuahua, 2018 (cua-17.037), where vot's v01 < v02 gives a negative margin.
MG_KNOWN_DIFFERENCES = {"cua-17.037"}
#: vot rows filed under another year than in inc, whose returns are therefore not attached: Nahuatzen
#: (mic-10.056) is an ordinary 1998 election in inc but a 1999 extraordinary one in vot.
YEAR_KNOWN_DIFFERENCES = {"mic-10.056"}

INC_COLS = ["emm", "mun", "yr", "mo", "dextra", "edon", "munn", "ife", "inegi", "incumbent", "mg",
            "pty2nd", "win.long"]
VOT_COLS = ["emm", "yr", "edon", "munn", "inegi", "ncand", "win", "v01", "mg", "efec", "lisnom",
            "pan", "pri", "prd"]
AY21_COLS = ["ord", "emm", "mun", "yr", "dextra", "edon", "ife", "inegi", "part", "dmujer", "incumbent",
             "race.after", "runnerup", "part2nd", "mg", "ddied", "drepe", "drepg", "dlegacy", "who",
             "prior.inc.part", "inc.part.after", "notes", "source"]
GOV_COLS = ["ord", "emm", "edo", "yr", "edon", "date.el", "date.in", "part.orig", "part.elec", "incumbent",
            "observaciones"]

PARTY_MAP = "elections_party_families.csv"
STATE_MAP = "elections_magar_states.csv"
CODE_MAP = "elections_inegi_codes.csv"
GOV_FIX = "elections_governor_corrections.csv"

FAMILY_DOC = ("pan, pri, prd, morena; other = any other party, a local party or an independent candidate; "
              "none = no elected winner")

M_YEAR = Column("year", "integer", "Year of the election", minimum=INC_YEARS[0], maximum=2021)
M_EXTRA = Column("extraordinary", "boolean",
                 "True for an extraordinary election (held after an annulled or void ordinary one)")
M_WINNER = Column("winner", "string",
                  ("Winning party or coalition as Magar codes it, parties joined by '-' (e.g. "
                   "'pan-pri-prd-pna-ph-pes'); empty when no winner was elected"), required=False)
M_FAMILY = Column("winner_family", "string",
                  (f"Party family of the winning candidacy ({FAMILY_DOC}); for a coalition, its leading "
                   "party: Magar's vot$win for 1997-2019, else the first of pan, pri, prd, morena named"),
                  enum=FAMILIES)
M_MARGIN = Column("margin", "number", "Winner's vote share minus the runner-up's (share of the valid vote)",
                  unit="share (0-1)", required=False, minimum=0, maximum=1, decimals=4)
M_CAVEATS = ["Oaxaca's usos-y-costumbres municipalities (about 417 of 570) elect by custom, without parties, "
             "and are absent.",
             "vote_share and n_candidacies exist only for 1997-2019, margin from 1989; the 2021 rows (seven case "
             "and neighbour municipalities only) have the margin but no vote share.",
             "For coalitions before 1997 and in 2021, winner_family is the first major party named; Magar's "
             "own attribution (used 1997-2019) credits some PAN-PRD alliances to the PRD.",
             "Monterrey 2018: only the extraordinary rerun of December 2018 exists (the ordinary election "
             "was annulled).",
             "Term dates are not coded: a winner takes office some months after the election."]

table("elections_municipal", title="Municipal election winners in the focus states, 1986-2021",
      description=("One row per municipal (ayuntamiento) election in Ciudad de México (from 2000), Estado de "
                   "México, Michoacán and Nuevo León: the winning party or coalition, the elected mayor, the "
                   "runner-up party, the margin and, for 1997-2019, the winner's vote share and the number of "
                   "candidacies. 1986-2019 for every municipality; 2021 for seven case and neighbour municipalities "
                   "(Naucalpan, Nezahualcóyotl, Tacámbaro, Tancítaro, Tingambato, Monterrey, San Nicolás de los "
                   "Garza). All states, with fewer columns: party_control_municipal."),
      columns=[MUN_CODE, M_YEAR,
               Column("month", "integer", "Month of the election (1-12); empty where unknown",
                      required=False, minimum=1, maximum=12),
               M_EXTRA,
               Column("outcome", "string",
                      ("elected = a winner was elected; council = a municipal council was appointed instead; "
                       "annulled = the election was annulled; in_litigation = the result was in litigation"),
                      enum=OUTCOMES),
               M_WINNER,
               Column("n_parties", "integer", "Number of parties that nominated the winner",
                      required=False, minimum=1),
               Column("coalition", "boolean", "True when more than one party nominated the winner",
                      required=False),
               M_FAMILY,
               Column("vote_share", "number", "Winner's share of the valid vote (vot$v01; 1997-2019 only)",
                      unit="share (0-1)", required=False, minimum=0, maximum=1, decimals=4),
               M_MARGIN,
               Column("n_candidacies", "integer",
                      "Number of candidacies on the ballot (a coalition counts once; vot$ncand, 1997-2019 only)",
                      required=False, minimum=1),
               Column("runner_up", "string", "Runner-up party or coalition, parties joined by '-'",
                      required=False),
               Column("mayor", "string",
                      ("Elected mayor (presidente municipal) as spelled upstream; for an appointed council, the "
                       "council's head where given; empty where unknown"), required=False),
               Column("source", "string", "Source id of the row", enum=(RDATA, AY21))],
      primary_key=["mun_code", "year", "extraordinary"], sources=[RDATA, AY21], family=FAMILY,
      chapters=["tancitaro", "nezahualcoyotl", "cross_case", "cheran"],
      caveats=[*M_CAVEATS[1:],
               "Mayors' names are spelled as upstream and vary (ARTURO OLIVERA vs OLVERA GUTIERREZ)."])

SHARE = "share of the valid vote"
table("vote_returns_municipal", title="Municipal election returns, top three candidacies, all states, 1997-2019",
      description=("For every municipal election with returns in Magar's data (object vot), all 32 states: the "
                   "three leading candidacies (a party or a coalition, parties joined by '-') and their shares of "
                   "the valid vote, the number of candidacies, valid votes and registered voters, and the party of "
                   "the state governor at the time of the election. The basis for close-election designs: the "
                   "signed margin of any party is its share minus the best other candidacy's."),
      columns=[MUN_CODE, M_YEAR, M_EXTRA,
               Column("first", "string", "Leading candidacy (party or coalition, as upstream)"),
               Column("first_share", "number", "Its share of the valid vote", unit=SHARE, minimum=0, maximum=1,
                      decimals=4),
               Column("second", "string", "Runner-up candidacy", required=False),
               Column("second_share", "number", "Its share of the valid vote", unit=SHARE, minimum=0, maximum=1,
                      required=False, decimals=4),
               Column("third", "string", "Third candidacy", required=False),
               Column("third_share", "number", "Its share of the valid vote", unit=SHARE, minimum=0, maximum=1,
                      required=False, decimals=4),
               Column("n_candidacies", "integer", "Number of candidacies", required=False, minimum=1),
               Column("valid_votes", "integer", "Valid votes (efec)", required=False, minimum=0),
               Column("registered", "integer", "Registered voters (lisnom)", required=False, minimum=0),
               Column("governor_party", "string", "Party of the state governor at the election (govpty.lag)",
                      required=False)],
      primary_key=["mun_code", "year", "extraordinary"], sources=[RDATA], family=FAMILY,
      chapters=["cross_case"],
      caveats=["Returns exist for 1997-2019 only; elections without returns upstream are absent.",
               "Coalitions are one candidacy; a party's own share inside a coalition is not known.",
               "Rows without candidacies upstream (councils appointed instead of elected, elections not held) "
               "are left out.",
               "Juárez (Chihuahua) 2018 lists the runner-up first upstream (a negative margin); its two leading "
               "candidacies are put in order of their shares here."])

table("party_control_municipal", title="Party of the municipal election winner, all states, 1986-2021",
      description=("The winning party or coalition, its party family and the margin of every municipal election "
                   "in Magar's data, all 32 states (the columns of elections_municipal needed for party "
                   "alternation and for comparing a town's ruling party with the governor's)."),
      columns=[MUN_CODE, M_YEAR, M_EXTRA, M_WINNER, M_FAMILY, M_MARGIN],
      primary_key=["mun_code", "year", "extraordinary"], sources=[RDATA, AY21], family=FAMILY,
      chapters=["cross_case"],
      caveats=[*M_CAVEATS,
               "Six Chiapas municipalities created in 2011-2018 carry no INEGI code upstream and are coded "
               "through data/mappings/elections_inegi_codes.csv; Belisario Domínguez (Chiapas), which INEGI "
               "does not list, is dropped (3 rows).",
               "Nahuatzen (Michoacán) 1998: Magar's returns are filed as a 1999 extraordinary election and are "
               "not attached (winner_family follows the coalition rule)."])

table("governors", title="State governors elected, 1985-2023",
      description=("One row per elected state governor (and head of government of Mexico City from 1997): "
                   "name, party, nominating coalition, election date and the year the term starts."),
      columns=[STATE_CODE,
               Column("start_year", "integer",
                      "Year the governor took office where known (start_year_basis), else the election year",
                      minimum=GOV_YEARS[0], maximum=GOV_YEARS[1] + 1),
               Column("governor", "string", "Governor's name as spelled upstream"),
               Column("party", "string", "The governor's own party (part.orig)"),
               Column("party_family", "string", f"Party family of the governor's party ({FAMILY_DOC})",
                      enum=FAMILIES[:-1]),
               Column("nominating_parties", "string", "Parties that nominated the governor, joined by '-'"),
               Column("election_year", "integer", "Year of the election",
                      minimum=GOV_YEARS[0], maximum=GOV_YEARS[1]),
               Column("election_date", "string", "Election date (ISO); empty where only the month is known",
                      required=False, pattern=r"^\d{4}-\d{2}-\d{2}$"),
               Column("start_year_basis", "string",
                      ("inauguration = year of the inauguration date given upstream (Mexico City, Puebla); "
                       "election_year = no inauguration date, start_year is the election year"),
                      enum=("inauguration", "election_year")),
               Column("notes", "string", "Upstream remark (observaciones), e.g. an interim appointment",
                      required=False)],
      primary_key=["state_code", "start_year"], sources=[GOV], family=FAMILY,
      chapters=["tancitaro", "monterrey", "nezahualcoyotl", "cross_case"],
      caveats=["start_year is the election year except in Mexico City and Puebla: most governors took office "
               "a few months later, in the same year after elections held by September and usually early the "
               "next year after elections held October-December (e.g. Michoacán 1995-2011).",
               "Interim and substitute governors are not listed; Guanajuato 1991 lists the interim governor "
               "(PAN) appointed instead of the declared winner (see notes).",
               "Colima 2015 was annulled and rerun in January 2016; both rows are kept.",
               "Corrected upstream inconsistency: Baja California 2013 (date given as 2012-07-01; the raw "
               "README records the 2013 election; day unknown); see "
               "data/mappings/elections_governor_corrections.csv.",
               "Hidalgo's election filed upstream as 2021 (2021-06-06) is kept as published; no staged "
               "source confirms or corrects it."])
