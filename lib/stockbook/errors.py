"""The library's own error type: every failure a user can cause names where it happened."""

from __future__ import annotations

from pathlib import Path


class StockbookError(Exception):
    """Base class of every error stockbook raises on purpose."""


class InputError(StockbookError):
    """An input file cannot be used. Says which file, line and column, and what was expected.

    >>> str(InputError("ledger.txt", "missing column", line=1, column="MSKU", expected="a header row"))
    'ledger.txt, line 1, column MSKU: missing column (expected a header row)'
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.expected = expected
        self.message = message
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if column:
            where.append(f"column {column}")
        text = ", ".join(where) + f": {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)
