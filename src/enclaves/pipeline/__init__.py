"""Raw upstream files → processed tables. One module (or subpackage) per source family; importing
this package registers every table contract and step."""

from . import (  # noqa: F401
    avocado,
    covariates,
    crime,
    designs,
    elections,
    geography,
    mortality,
    suicides,
    surveys,
    transfers,
)
from .core import ASSETS, STEPS, TABLES, Asset, Column, Table, asset, compute, conform, run, step, table

__all__ = ["ASSETS", "STEPS", "TABLES", "Asset", "Column", "Table", "asset", "compute", "conform", "run", "step",
           "table"]
