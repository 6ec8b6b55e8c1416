"""Raw upstream files → processed tables. One module (or subpackage) per source family; importing
this package registers every table contract and step."""

from . import avocado, covariates, crime, elections, mortality, suicides, surveys  # noqa: F401
from .core import STEPS, TABLES, Column, Table, compute, conform, run, step, table

__all__ = ["STEPS", "TABLES", "Column", "Table", "compute", "conform", "run", "step", "table"]
