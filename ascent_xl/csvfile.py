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
        raise error(f"{name}: {what} not found; check the path and the file name") from None
    except UnicodeDecodeError as exc:
        raise error(f"{name}: the {what} is not UTF-8 text ({exc.reason}); save it as CSV UTF-8") from None
    except OSError as exc:
        raise error(f"{name}: cannot read the {what} ({exc.strerror or exc}); check it is a file you may read") from None
    kept = [(n, line) for n, line in numbered if line.strip() and not line.lstrip().startswith("#")]
    if not kept:
        raise error(f"{name}: empty; expected a header {expected} and one row per line")
    parsed = list(csv.reader([line for _, line in kept]))
    header = parsed[0]
    while header and not header[-1].strip():  # trailing blank header cells (a spreadsheet's export)
        header = header[:-1]
    for (n, _), row in zip(kept[1:], parsed[1:], strict=False):  # a quoted line break joins lines
        extra = [c for c in row[len(header):] if c.strip()]
        if extra:  # never guess which cell is which: a comma in a number splits it in two
            raise error(f"{os.path.basename(name)} line {n}: {len(header) + len(extra)} values but the header "
                        f"names {len(header)} columns ({','.join(header)}); a comma splits a cell in two (4,2347 "
                        "is two cells): write 4.2347 or 42347, and put a text that holds a comma in double quotes")
    return CsvTable(name, header, kept[0][0], parsed[1:], [n for n, _ in kept[1:]])


# A CSV cell whose text starts with one of these is run as a formula by Excel and other
# spreadsheets when the file is opened (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """``value`` as it may be written to a CSV file the user opens in a spreadsheet: a text that
    a spreadsheet would read as a formula gets a leading ``'`` (shown as text, never run);
    numbers, dates and other texts are left as they are.

    Examples
    --------
    >>> csv_text('=HYPERLINK("http://x")'), csv_text("Registered"), csv_text(-5.0)
    ('\\'=HYPERLINK("http://x")', 'Registered', -5.0)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv_rows(header: list[str] | tuple[str, ...], rows: object) -> str:
    """CSV text of ``header`` and ``rows`` (iterables of cell values; None is blank), every
    text passed through :func:`csv_text`."""
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([csv_text(h) for h in header])
    for row in rows:  # type: ignore[attr-defined]
        writer.writerow(["" if v is None else csv_text(v) for v in row])
    return buf.getvalue()
