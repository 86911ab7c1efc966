"""Reading the user's CSV files (VWAPs, events) with line numbers kept for messages."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass

from ascent_xl.errors import AscentError


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and rows, with each row's line number in the file (1-based)."""

    name: str
    header: list[str]
    header_line: int
    rows: list[list[str]]
    lines: list[int]

    def column(self, index: int) -> list[str]:
        """The cells of one column (blank where a row is short)."""
        return [r[index] if index < len(r) else "" for r in self.rows]


def read_csv(path: str | os.PathLike[str], *, what: str, error: type[AscentError], expected: str) -> CsvTable:
    """Read ``path``: blank lines and lines starting with ``#`` are skipped, the first other
    line is the header. Errors (missing, unreadable or empty file) are ``error`` naming the file;
    ``what`` names the file's kind (``VWAP file``), ``expected`` its header (``Date,VWAP``)."""
    name = os.fspath(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            numbered = [(i + 1, line) for i, line in enumerate(fh)]
    except FileNotFoundError:
        raise error(f"{what} not found: {name}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {what} {name}: {exc}") from None
    kept = [(n, line) for n, line in numbered if line.strip() and not line.lstrip().startswith("#")]
    if not kept:
        raise error(f"{name}: empty; expected a header {expected} and one row per line")
    parsed = list(csv.reader([line for _, line in kept]))
    return CsvTable(name, parsed[0], kept[0][0], parsed[1:], [n for n, _ in kept[1:]])
