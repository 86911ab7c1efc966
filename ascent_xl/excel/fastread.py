"""A refresh that finds nothing to do, told quickly: a deal book read with python-calamine (a
compiled reader, ten times faster than openpyxl), and the check that every result in it is what
a refresh would write now.

:func:`current_results` is the refresh's first step on a book file. When the last refresh
succeeded with the same inputs and version of ascent-xl, and every output area (Schedule,
Summary values, the price history, the checks) holds exactly what this refresh would write, and
every formula holds a calculated value, the book is left as it is: its results are current.
Anything else (a changed input, an edited output, a formula without a value, python-calamine
missing, a file it cannot read) answers None, and the full refresh runs.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ascent_xl.errors import AscentError
from ascent_xl.excel import _package as pkg
from ascent_xl.excel import layout as L
from ascent_xl.excel.book import TableRead, cell_value, parse_ref
from ascent_xl.excel.cached import ERROR_CODES
from ascent_xl.excel.layout import column_letter

_FULL_CALC = re.compile(rb"<calcPr\b[^>]*\sfullCalcOnLoad=\"(?:1|true)\"")


class CalamineBook:
    """The read side of :class:`~ascent_xl.excel.book.BookIO` over python-calamine (formulas
    read as their last calculated values, as the Refresh button reads them). Read only."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        from python_calamine import CalamineWorkbook

        self.wb = CalamineWorkbook.from_path(os.fspath(path), load_tables=True)
        self._sheets: dict[str, list[list[Any]]] = {}
        self._tables = set(self.wb.table_names or ())

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheet_names)

    def values(self, sheet: str) -> list[list[Any]]:
        """Every cell of ``sheet`` from A1, blanks as None."""
        if sheet not in self._sheets:
            if sheet not in self.wb.sheet_names:
                raise AscentError(f"no sheet named {sheet!r}")
            rows = self.wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            self._sheets[sheet] = [[_plain(v) for v in row] for row in rows]
        return self._sheets[sheet]

    def read_table(self, sheet: str, table: str) -> TableRead:
        if table not in self._tables:
            raise AscentError(f"{sheet}: no table named {table!r}")
        t = self.wb.get_table_by_name(table)
        if t.sheet != sheet or t.start is None:
            raise AscentError(f"{sheet}: no table named {table!r}")
        header_row, first_col = t.start[0], t.start[1] + 1  # start: the body's top left, 0-based
        rows = [[_plain(v) for v in row] for row in t.to_python()]
        return TableRead(sheet, table, [str(h).strip() for h in t.columns], rows, header_row, first_col)

    def read_cell(self, sheet: str, address: str) -> Any:
        r, c, _, _ = parse_ref(address)
        rows = self.values(sheet)
        if r > len(rows) or c > len(rows[r - 1]):
            return None
        return rows[r - 1][c - 1]

    def read_area(self, sheet: str, area: str) -> list[list[Any]]:
        r1, c1, r2, c2 = parse_ref(area)
        rows = self.values(sheet)
        return [[rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else None
                 for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    def write_table(self, sheet: str, table: str, rows: list[list[Any]], formats: dict[str, str],
                    header: Sequence[str] | None = None) -> None:
        raise AscentError("a CalamineBook is read only")

    def write_area(self, sheet: str, area: str, rows: list[list[Any]], formats: list[list[str | None]],
                   aligns: list[list[str | None]] | None = None, page_breaks: list[int] | None = None) -> None:
        raise AscentError("a CalamineBook is read only")

    def write_cell(self, sheet: str, address: str, value: Any, number_format: str | None = None) -> None:
        raise AscentError("a CalamineBook is read only")

    def write_array(self, sheet: str, area: str, formula: str, rows: list[list[Any]],
                    formats: list[list[str | None]]) -> None:
        raise AscentError("a CalamineBook is read only")


def _plain(value: Any) -> Any:
    """A cell as openpyxl reads it: blank as None, a whole number as int (calamine gives
    every number as float; the file stores ``165000000``, which openpyxl reads as an int)."""
    if value == "" and isinstance(value, str):
        return None
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


class _Differs(Exception):
    """An output area does not hold what the refresh would write."""


class _Compare:
    """A :class:`BookIO` that checks the writes of a refresh against what ``book`` holds: each
    table at once (its size and every cell), the other cells once every write is known
    (:meth:`check`: an area written is its rows from the top left and blanks elsewhere)."""

    SKIP = {L.CELLS[L.STAMP], L.CELLS[L.STATUS], L.CELLS[L.INPUT_HASH]}  # checked before

    def __init__(self, book: CalamineBook) -> None:
        self.book = book
        self.expected: dict[tuple[str, int, int], Any] = {}

    def write_table(self, sheet: str, table: str, rows: list[list[Any]], formats: dict[str, str],
                    header: Sequence[str] | None = None) -> None:
        read = self.book.read_table(sheet, table)
        if header is not None and read.header != list(header):
            raise _Differs(f"{sheet}!{table}: columns {read.header}, {list(header)} to write")
        held = read.rows
        while held and all(v is None for v in held[-1]) and len(held) > len(rows):
            held = held[:-1]  # a table keeps one blank body row when emptied
        if len(held) != len(rows):
            raise _Differs(f"{sheet}!{table}: {len(held)} rows, {len(rows)} to write")
        for i, (a, b) in enumerate(zip(rows, held, strict=True)):
            if len(b) < len(a) or not all(same(x, y) for x, y in zip(a, b, strict=False)):
                raise _Differs(f"{sheet}!{table} row {i + 1}")

    def write_cell(self, sheet: str, address: str, value: Any, number_format: str | None = None) -> None:
        if (sheet, address) not in self.SKIP:
            r, c, _, _ = parse_ref(address)
            self.expected[(sheet, r, c)] = value

    def write_area(self, sheet: str, area: str, rows: list[list[Any]], formats: list[list[str | None]],
                   aligns: list[list[str | None]] | None = None, page_breaks: list[int] | None = None) -> None:
        r1, c1, r2, c2 = parse_ref(area)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                i, j = r - r1, c - c1
                self.expected[(sheet, r, c)] = rows[i][j] if i < len(rows) and j < len(rows[i]) else None

    def write_array(self, sheet: str, area: str, formula: str, rows: list[list[Any]],
                    formats: list[list[str | None]]) -> None:
        self.write_area(sheet, area, rows, formats)  # the formula's cells hold its result

    def check(self) -> None:
        for (sheet, r, c), value in self.expected.items():
            rows = self.book.values(sheet)
            held = rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else None
            if not same(value, held):
                raise _Differs(f"{sheet}!{column_letter(c)}{r}")


def same(written: Any, held: Any) -> bool:
    """Whether a cell holding ``held`` (as read back) holds the value ``written``."""
    w = cell_value(written)
    w = None if isinstance(w, str) and not w else w
    h = None if held == "" else held
    if w is None or h is None:
        return w is None and h is None
    if isinstance(w, bool) or isinstance(h, bool):
        return type(w) is type(h) and w == h
    if isinstance(w, (int, float)):
        # openpyxl stores a float with 16 significant digits: equal to that precision
        return isinstance(h, (int, float)) and math.isclose(float(w), float(h), rel_tol=1e-15, abs_tol=0)
    if isinstance(w, dt.date):
        return isinstance(h, dt.date) and (h.date() if isinstance(h, dt.datetime) else h) == w
    return isinstance(h, str) and h == str(w)


def current_results(path: str | os.PathLike[str]) -> Any:
    """A :class:`~ascent_xl.excel.refresh.RefreshResult` when the book at ``path`` (already
    checked by :func:`ascent_xl.excel.safety.check_workbook_file`) holds the results of its
    inputs (see the module's doc), else None."""
    from ascent_xl.excel.refresh import (
        RefreshResult,
        compute,
        not_valued_reason,
        plan_outputs,
        read_inputs,
        stamp_matches,
        valuation_is_current,
    )

    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return None
    p = Path(path)
    try:
        with zipfile.ZipFile(p) as zf:
            if _FULL_CALC.search(zf.read(pkg.workbook_part(zf))):
                return None  # formulas without values: the refresh calculates them
        book = CalamineBook(p)
        status, stored, stamp = (book.read_cell(*L.CELLS[k]) for k in (L.STATUS, L.INPUT_HASH, L.STAMP))
        if status != "OK" or not isinstance(stored, str) or not stamp_matches(stamp, stored):
            return None
        inputs = read_inputs(book)
        if inputs.fingerprint != stored:
            return None
        if inputs.valuation is not None and not valuation_is_current(book, inputs):
            return None
        for sheet in book.sheet_names():
            if any(isinstance(v, str) and v in ERROR_CODES for row in book.values(sheet) for v in row):
                return None  # an error value somewhere (#NAME? where the functions were missing)
        schedule = compute(inputs)
        writes, _ = plan_outputs(inputs, schedule, keep_valuation=True)
        check = _Compare(book)
        for write in writes:
            write(check)  # type: ignore[arg-type]
        check.check()
    except (_Differs, AscentError, OSError, zipfile.BadZipFile, ValueError, KeyError, IndexError, TypeError,
            AttributeError):
        return None
    except Exception as exc:  # noqa: BLE001 - python-calamine's own errors: the full refresh reads it
        if type(exc).__module__.startswith("python_calamine"):
            return None
        raise
    moment = stamp[len("Refreshed "):stamp.index(" by ")]
    status_text = (f"Unchanged since the last refresh ({moment}): every result is current; "
                   "the book was not changed")
    return RefreshResult(True, [], schedule, inputs, status_text,
                         not_valued=not_valued_reason(book) if inputs.valuation else None)
