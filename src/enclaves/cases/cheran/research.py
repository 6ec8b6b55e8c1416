"""What the research and the press on Cherán report, as figures the chapter quotes: the published figures come
from ``data/mappings/published_figures_cheran.csv`` (each with its source and locator), and what follows from
them is computed here."""

from __future__ import annotations

from .. import generic
from .case import SLUG


def numbers() -> dict:
    """Figures quoted from the literature (data/mappings/published_figures_cheran.csv), and what follows."""
    p = generic.published_figures(SLUG).set_index("key")["value"]
    out = {"pub_consultation_for": p["pub_consultation_for"], "pub_consultation_against": p["pub_consultation_against"],
           "pub_council_members": p["pub_council_members"], "pub_forest_destroyed_pct": p["pub_forest_destroyed_pct"],
           "pub_forest_total_ha": p["pub_forest_total_ha"], "pub_forest_lost_ha": p["pub_forest_lost_ha"],
           "pub_avocado_plants_max": p["pub_avocado_plants_max"], "pub_backings_2021": p["pub_backings_2021"],
           "pub_attendance_2012": p["pub_attendance_2012"], "pub_ronda_killed_2025": p["pub_ronda_killed_2025"],
           "pub_ambush_comuneros": p["pub_ambush_comuneros"], "pub_ambush_other_dead": p["pub_ambush_other_dead"]}
    out["pub_ambush_total"] = out["pub_ambush_comuneros"] + out["pub_ambush_other_dead"]
    out["pub_forest_lost_pct"] = 100 * out["pub_forest_lost_ha"] / out["pub_forest_total_ha"]
    out["pub_consultation_for_pct"] = 100 * out["pub_consultation_for"] / (out["pub_consultation_for"]
                                                                          + out["pub_consultation_against"])
    return out
