"""One error type for bad input: it names the file, the row and the rule broken."""

from __future__ import annotations


class DataError(Exception):
    """Raised when an input or output breaks a rule of the pipeline.

    ``file`` is the raw file (or table) concerned, ``row`` the 1-based data row or a
    key that locates it (``None`` when the whole file is at fault), ``rule`` a short
    statement of the rule that was broken.
    """

    def __init__(self, file: str, rule: str, row: object | None = None, detail: str = ""):
        self.file = str(file)
        self.rule = rule
        self.row = row
        self.detail = detail
        where = f"{self.file}" + (f", row {row}" if row is not None else "")
        msg = f"{where}: {rule}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)
