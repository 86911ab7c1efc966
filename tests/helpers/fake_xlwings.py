"""A stand-in for the part of xlwings' object model that ascent-xl's macros use, backed by an
openpyxl workbook: ``book.sheets[name]``, ``sheet.range(...)`` (value, clear_contents,
number_format, row, column, last_cell), ``sheet.tables[name]`` (range, header_row_range,
data_body_range, resize, name), ``book.app.alert``. Every write is logged so tests can prove
which cells a refresh touched, and every read (a round trip to Excel) so they can count them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries


class FakeRange:
    def __init__(self, sheet: FakeSheet, r1: int, c1: int, r2: int, c2: int) -> None:
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2

    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    @property
    def last_cell(self) -> FakeRange:
        return FakeRange(self.sheet, self.r2, self.c2, self.r2, self.c2)

    def _cells(self):
        ws = self.sheet.ws
        return [[ws.cell(row=r, column=c) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)]

    @property
    def value(self) -> Any:
        def conv(v: Any) -> Any:  # xlwings gives floats and datetimes
            if isinstance(v, bool) or v is None or isinstance(v, str):
                return v
            if isinstance(v, int):
                return float(v)
            if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
                return dt.datetime(v.year, v.month, v.day)
            return v

        self.sheet.book.reads.append((self.sheet.name, self.r1, self.c1, self.r2, self.c2))
        vals = [[conv(c.value) for c in row] for row in self._cells()]
        if self.r1 == self.r2 and self.c1 == self.c2:
            return vals[0][0]
        if self.r1 == self.r2 or self.c1 == self.c2:
            return [v for row in vals for v in row]
        return vals

    @value.setter
    def value(self, data: Any) -> None:
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]] if not isinstance(data, list) else [data]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.sheet.book.log.append((self.sheet.name, self.r1 + i, self.c1 + j))
                cell = self.sheet.ws.cell(row=self.r1 + i, column=self.c1 + j)
                if isinstance(v, str) and v.startswith("'"):  # Excel's text prefix: stored as text
                    cell.value = v[1:]
                    cell.data_type = "s"
                elif isinstance(v, str) and v.startswith(("=", "+", "-", "@")) and len(v) > 1:
                    cell.value = "=" + v.lstrip("=")  # Excel parses it as a formula, as if typed
                else:
                    cell.value = v

    def clear_contents(self) -> None:
        for row in self._cells():
            for c in row:
                self.sheet.book.log.append((self.sheet.name, c.row, c.column))
                c.value = None

    @property
    def number_format(self) -> str:
        return self._cells()[0][0].number_format

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        for row in self._cells():
            for c in row:
                c.number_format = fmt

    @property
    def horizontal_alignment(self) -> str | None:
        return self._cells()[0][0].alignment.horizontal

    @horizontal_alignment.setter
    def horizontal_alignment(self, side: str) -> None:  # xlwings keeps the cell's indent
        from copy import copy

        for row in self._cells():
            for c in row:
                a = copy(c.alignment)
                a.horizontal = side
                c.alignment = a


class FakeTable:
    def __init__(self, sheet: FakeSheet, table: Any) -> None:
        self.sheet, self.table = sheet, table

    @property
    def name(self) -> str:
        return self.table.displayName

    def _bounds(self):
        c1, r1, c2, r2 = range_boundaries(self.table.ref)
        return r1, c1, r2, c2

    @property
    def range(self) -> FakeRange:
        return FakeRange(self.sheet, *self._bounds())

    @property
    def header_row_range(self) -> FakeRange:
        r1, c1, _, c2 = self._bounds()
        return FakeRange(self.sheet, r1, c1, r1, c2)

    @property
    def data_body_range(self) -> FakeRange | None:
        r1, c1, r2, c2 = self._bounds()
        return None if r2 == r1 else FakeRange(self.sheet, r1 + 1, c1, r2, c2)

    def resize(self, rng: FakeRange) -> None:
        self.table.ref = f"{get_column_letter(rng.c1)}{rng.r1}:{get_column_letter(rng.c2)}{rng.r2}"


class FakeTables:
    def __init__(self, sheet: FakeSheet) -> None:
        self.sheet = sheet

    def __iter__(self):
        return iter(FakeTable(self.sheet, t) for t in self.sheet.ws.tables.values())

    def __getitem__(self, name: str) -> FakeTable:
        return FakeTable(self.sheet, self.sheet.ws.tables[name])


class FakeSheet:
    def __init__(self, book: FakeBook, ws: Any) -> None:
        self.book, self.ws = book, ws

    @property
    def name(self) -> str:
        return self.ws.title

    @property
    def tables(self) -> FakeTables:
        return FakeTables(self)

    def range(self, a: Any, b: Any = None) -> FakeRange:
        if isinstance(a, tuple):
            r1, c1 = a
            r2, c2 = b if b is not None else a
            return FakeRange(self, r1, c1, r2, c2)
        c1, r1, c2, r2 = range_boundaries(a)
        return FakeRange(self, r1, c1, r2, c2)


class FakeSheets:
    def __init__(self, book: FakeBook) -> None:
        self.book = book

    def __iter__(self):
        return iter(FakeSheet(self.book, ws) for ws in self.book.wb.worksheets)

    def __getitem__(self, name: str) -> FakeSheet:
        return FakeSheet(self.book, self.book.wb[name])


class FakeApp:
    def __init__(self) -> None:
        self.alerts: list[tuple[str, str]] = []

    def alert(self, prompt: str, title: str = "") -> None:
        self.alerts.append((title, prompt))


class FakeBook:
    """xlwings.Book stand-in over an openpyxl workbook; ``log`` records every written cell."""

    def __init__(self, workbook: Any) -> None:
        self.wb = workbook
        self.log: list[tuple[str, int, int]] = []
        self.reads: list[tuple[str, int, int, int, int]] = []  # (sheet, r1, c1, r2, c2) per range read
        self.app = FakeApp()

    @property
    def sheets(self) -> FakeSheets:
        return FakeSheets(self)
