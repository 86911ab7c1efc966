"""One small interface over a workbook, with two implementations: openpyxl (headless refresh on
Linux, CI, servers) and xlwings (the Refresh button in Excel). The refresh code talks only to
:class:`BookIO`, so both paths read and write exactly the same cells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any, Protocol

from ascent_xl.errors import WorkbookError
from ascent_xl.excel.layout import column_index, column_letter

_REF = re.compile(r"^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


@dataclass(frozen=True)
class TableRead:
    """A table's header and body values, and where its header row sits (1-based row, column)."""

    sheet: str
    name: str
    header: list[str]
    rows: list[list[Any]]
    header_row: int
    first_col: int

    def address(self, body_index: int, column: str) -> str:
        """``Sheet!B14``: the cell of ``column`` in body row ``body_index`` (0-based)."""
        j = self.header.index(column)
        return f"{self.sheet}!{column_letter(self.first_col + j)}{self.header_row + 1 + body_index}"


class BookIO(Protocol):
    """What the refresh needs from a workbook."""

    def sheet_names(self) -> list[str]:
        """Titles of the sheets."""
        ...

    def read_table(self, sheet: str, table: str) -> TableRead:
        """Header and body values of a table (ListObject)."""
        ...

    def write_table(self, sheet: str, table: str, rows: list[list[Any]], formats: dict[str, str],
                    header: Sequence[str] | None = None) -> None:
        """Replace a table's body by ``rows`` (resizing it), with number formats by column name.
        The header stays, unless ``header`` names the columns (as many as the table has): a
        column named otherwise is renamed first (an output table whose names follow the terms,
        such as the Summary's VWAP or Close)."""
        ...

    def read_cell(self, sheet: str, address: str) -> Any:
        """One cell's value."""
        ...

    def read_area(self, sheet: str, area: str) -> list[list[Any]]:
        """The values of ``area`` (``A16:D30``), a list of its rows, in one read."""
        ...

    def write_area(self, sheet: str, area: str, rows: list[list[Any]], formats: list[list[str | None]],
                   aligns: list[list[str | None]] | None = None, page_breaks: list[int] | None = None) -> None:
        """Clear ``area`` (``F5:K120``) and write ``rows`` from its top-left cell, with a number
        format per cell and, where ``aligns`` gives one, a horizontal alignment (``"left"`` or
        ``"right"``, each with a one-character indent; None leaves the cell's). ``page_breaks``
        (not None): the printed pages within the area begin before those of its rows (indices
        of ``rows``) and nowhere else by hand."""
        ...

    def write_cell(self, sheet: str, address: str, value: Any, number_format: str | None = None) -> None:
        """Write one cell."""
        ...

    def write_array(self, sheet: str, area: str, formula: str, rows: list[list[Any]],
                    formats: list[list[str | None]]) -> None:
        """Clear ``area`` and enter ``formula`` as one array formula over the block of ``area``'s
        top-left cell the size of ``rows``, its calculated result (with a number format per
        cell). Excel calculates it; a book written without Excel stores ``rows`` as the cells'
        values (the first cell's comes from :mod:`ascent_xl.excel.cached`)."""
        ...


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """``A5:E30`` -> (first row, first column, last row, last column), 1-based."""
    m = _REF.match(ref.replace("$", "").upper())
    if not m:
        raise WorkbookError(f"cannot read the range {ref!r}")
    c1, r1, c2, r2 = m.group(1), int(m.group(2)), m.group(3) or m.group(1), int(m.group(4) or m.group(2))
    return r1, column_index(c1), r2, column_index(c2)


FORMULA_SHOWN = 60
"""Characters of a formula a message shows whole; a longer one shows its start and its length."""
FORMULA_START = 40
"""Characters of a longer formula's start a message shows."""


def formula_excerpt(formula: Any) -> str:
    """A formula as a message names it: ``the formula =0.2+0.09`` whole when it is short, else
    its start and length (``a formula of 4,213 characters, starting =IF(AND(...``), so that a
    status cell or a terminal line stays readable. An array formula is named by its text."""
    typed = str(getattr(formula, "text", formula))
    text = " ".join(typed.split())  # a formula typed over lines (Alt+Enter), on one line
    if len(text) <= FORMULA_SHOWN:
        return f"the formula {text}"
    return f"a formula of {len(typed):,} characters, starting {text[:FORMULA_START]}..."


def _header_names(sheet: str, table: str, header: Sequence[str], width: int) -> list[str]:
    """``header`` as the names of a table ``width`` columns wide (refused otherwise)."""
    if len(header) != width:
        raise WorkbookError(f"{sheet}!{table}: has {width} columns where the refresh writes {len(header)} "
                            f"({', '.join(header)})")
    return list(header)


def _table_error(sheet: str, table: str, present: list[str]) -> WorkbookError:
    found = ", ".join(present) or "none"
    return WorkbookError(
        f"{sheet}: no table named {table!r} (tables there: {found}); rename it back to {table} "
        "(Table Design > Table Name) or copy the sheet from the template"
    )


def _sheet_error(sheet: str, present: list[str]) -> WorkbookError:
    return WorkbookError(
        f"no sheet named {sheet!r} (sheets: {', '.join(present)}); restore it from the template "
        "or undo the rename"
    )


class OpenpyxlBook:
    """:class:`BookIO` over an openpyxl Workbook (loaded with formulas, not cached values).

    A cell the user filled with a formula (``=0.2+0.09``, or ``=FALSE()`` as LibreOffice saves a
    boolean) reads as the value the spreadsheet last calculated, as the Refresh button in Excel
    reads it: ``values`` gives the same book loaded with ``data_only=True`` (called on the first
    formula met, so books without formulas in their inputs are loaded once). A formula without a
    saved value, or without ``values``, is refused naming its cell."""

    def __init__(self, workbook: Any, values: Any = None) -> None:
        self.wb = workbook
        self._values = values
        self._loaded: Any = None
        self.array_results: dict[str, Any] = {}  # "Sheet!A5" -> the first value of the array entered there

    def _value(self, ws: Any, cell: Any) -> Any:
        """The cell's value, a formula's as last calculated (see the class docstring)."""
        if cell.data_type != "f":
            return cell.value
        where = f"{ws.title}!{cell.coordinate}"
        if self._loaded is None and self._values is not None:
            self._loaded = self._values()
        value = None if self._loaded is None else self._loaded[ws.title][cell.coordinate].value
        if value is None:
            raise WorkbookError(f"{where}: holds {formula_excerpt(cell.value)} with no saved value; "
                                "open and save the book in Excel (or type the value) and refresh")
        return value

    def sheet_names(self) -> list[str]:
        """Titles of the sheets."""
        return list(self.wb.sheetnames)

    def _ws(self, sheet: str) -> Any:
        if sheet not in self.wb.sheetnames:
            raise _sheet_error(sheet, self.wb.sheetnames)
        return self.wb[sheet]

    def _table(self, sheet: str, table: str) -> Any:
        ws = self._ws(sheet)
        if table not in ws.tables:
            raise _table_error(sheet, table, list(ws.tables.keys()))
        return ws.tables[table]

    def read_table(self, sheet: str, table: str) -> TableRead:
        """Header and body values of a table."""
        ws = self._ws(sheet)
        r1, c1, r2, c2 = parse_ref(self._table(sheet, table).ref)
        values = [[self._value(ws, c) for c in r]
                  for r in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2)]
        header = [str(h).strip() if h is not None else "" for h in values[0]]
        return TableRead(sheet, table, header, values[1:], r1, c1)

    def write_table(self, sheet: str, table: str, rows: list[list[Any]], formats: dict[str, str],
                    header: Sequence[str] | None = None) -> None:
        """Replace the body; clear cells of old rows below; resize the table; rename the
        columns ``header`` names otherwise."""
        ws = self._ws(sheet)
        tbl = self._table(sheet, table)
        r1, c1, r2, c2 = parse_ref(tbl.ref)
        if header is not None:
            names = _header_names(sheet, table, header, c2 - c1 + 1)
            for j, name in enumerate(names):
                ws.cell(row=r1, column=c1 + j).value = name
            # a table made in this run has no columns yet: openpyxl names them from the cells
            for column, name in zip(tbl.tableColumns, names, strict=False):
                column.name = name
        header = [ws.cell(row=r1, column=c).value for c in range(c1, c2 + 1)]
        body = rows or [[None] * len(header)]
        # a column whose first body cell is aligned (the template's Schedule: Flags and Detail
        # wrap, Check is centred) is aligned so on every row written; a row of wrapped text is as
        # tall as it needs, and the other cells are top-aligned on every row, as the wrapped
        # columns are (bottom-aligned beside them, a one-line row's texts sit a few points apart)
        first = [ws.cell(row=r1 + 1, column=c1 + j) for j in range(len(header))]
        aligned = {j: copy(cell.alignment) for j, cell in enumerate(first) if cell.has_style
                   and (cell.alignment.wrap_text or cell.alignment.horizontal)}
        wraps = {j: ws.column_dimensions[column_letter(c1 + j)].width or 10 for j, a in aligned.items() if a.wrap_text}
        if wraps:
            from openpyxl.styles import Alignment

            from ascent_xl.excel.formats import LINE_HEIGHT, wrapped_lines

            top = Alignment(vertical="top")
        styles = _Styles()
        for i, row in enumerate(body):
            for j, value in enumerate(row):
                cell = put(ws.cell(row=r1 + 1 + i, column=c1 + j), value)
                fmt = formats.get(header[j])
                if fmt:
                    styles.number_format(cell, fmt)
                if j in aligned:
                    styles.alignment(cell, aligned[j], j)
            if wraps:
                lines = max(wrapped_lines(row[j], w) for j, w in wraps.items() if j < len(row))
                ws.row_dimensions[r1 + 1 + i].height = LINE_HEIGHT * lines if lines > 1 else None
                for j in range(len(row)):
                    if j not in aligned:
                        styles.alignment(ws.cell(row=r1 + 1 + i, column=c1 + j), top, "top")
        last = r1 + len(body)
        for r in range(last + 1, r2 + 1):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).value = None
            if wraps:
                ws.row_dimensions[r].height = None
        tbl.ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{last}"
        if tbl.autoFilter is not None:
            tbl.autoFilter.ref = tbl.ref
        _fit_charts(ws, r1, c1, c2, last)

    def read_cell(self, sheet: str, address: str) -> Any:
        """One cell's value (a formula's as last calculated)."""
        ws = self._ws(sheet)
        return self._value(ws, ws[address])

    def read_area(self, sheet: str, area: str) -> list[list[Any]]:
        """The values of ``area``, row by row (a formula's as last calculated)."""
        ws = self._ws(sheet)
        r1, c1, r2, c2 = parse_ref(area)
        return [[self._value(ws, ws.cell(row=r, column=c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    def write_area(self, sheet: str, area: str, rows: list[list[Any]], formats: list[list[str | None]],
                   aligns: list[list[str | None]] | None = None, page_breaks: list[int] | None = None) -> None:
        """Clear ``area`` and write ``rows`` (with number formats, alignments and page breaks,
        see :meth:`BookIO.write_area`) from its top-left cell."""
        from openpyxl.styles import Alignment
        from openpyxl.worksheet.pagebreak import Break

        ws = self._ws(sheet)
        r1, c1, r2, c2 = parse_ref(area)
        if page_breaks is not None:  # a break's id is the last row of the page before it
            ws.row_breaks.brk = [b for b in ws.row_breaks.brk if not r1 <= b.id + 1 <= r2]
            for i in page_breaks:
                ws.row_breaks.append(Break(id=r1 + i - 1))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).value = None
        aligns = aligns or []
        for i, row in enumerate(_fit(rows, r2 - r1 + 1, c2 - c1 + 1, area)):
            for j in range(max(len(row), len(aligns[i]) if i < len(aligns) else 0)):
                cell = ws.cell(row=r1 + i, column=c1 + j)
                if j < len(row):
                    put(cell, row[j])
                fmt = formats[i][j] if i < len(formats) and j < len(formats[i]) else None
                if fmt:
                    cell.number_format = fmt
                side = aligns[i][j] if i < len(aligns) and j < len(aligns[i]) else None
                if side:
                    cell.alignment = Alignment(horizontal=side, indent=1, vertical=cell.alignment.vertical)

    def write_cell(self, sheet: str, address: str, value: Any, number_format: str | None = None) -> None:
        """Write one cell."""
        cell = put(self._ws(sheet)[address], value)
        if number_format:
            cell.number_format = number_format


    def write_array(self, sheet: str, area: str, formula: str, rows: list[list[Any]],
                    formats: list[list[str | None]]) -> None:
        """Clear ``area``, enter ``formula`` over the block ``rows`` fills and store ``rows`` as
        the values of its other cells."""
        from openpyxl.worksheet.formula import ArrayFormula

        ws = self._ws(sheet)
        r1, c1, r2, c2 = parse_ref(area)
        rows = _fit(rows, r2 - r1 + 1, c2 - c1 + 1, area) or [[None]]
        width = max(len(r) for r in rows)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).value = None
        for i, row in enumerate(rows):
            for j in range(width):
                cell = ws.cell(row=r1 + i, column=c1 + j)
                if i or j:
                    value = row[j] if j < len(row) else None
                    put(cell, None if isinstance(value, str) and not value else value)
                fmt = formats[i][j] if i < len(formats) and j < len(formats[i]) else None
                if fmt:
                    cell.number_format = fmt
        ref = f"{column_letter(c1)}{r1}:{column_letter(c1 + width - 1)}{r1 + len(rows) - 1}"
        ws.cell(row=r1, column=c1).value = ArrayFormula(ref, formula)
        self.array_results[f"{sheet}!{column_letter(c1)}{r1}"] = rows[0][0] if rows[0] else None


class _Styles:
    """Number formats and alignments set on many cells, each looked up in the workbook's style
    tables once: openpyxl's setters hash the format or the alignment again for every cell (an
    alignment set on the 14,000 cells of a 1,200-row schedule cost 0.3 s). The first cell is set
    through openpyxl's setter; the others get the index it found, as that setter stores it."""

    def __init__(self) -> None:
        self.formats: dict[str, int] = {}
        self.alignments: dict[Any, int] = {}

    def number_format(self, cell: Any, fmt: str) -> None:
        index = self.formats.get(fmt)
        if index is None:
            cell.number_format = fmt
            self.formats[fmt] = cell._style.numFmtId
        else:
            _style_array(cell).numFmtId = index

    def alignment(self, cell: Any, alignment: Any, key: Any) -> None:
        """Set ``alignment`` (the same object for the same ``key``) on ``cell``."""
        index = self.alignments.get(key)
        if index is None:
            cell.alignment = alignment
            self.alignments[key] = cell._style.alignmentId
        else:
            _style_array(cell).alignmentId = index


def _style_array(cell: Any) -> Any:
    """The cell's style indices; a cell never styled gets its own (as openpyxl's setters do)."""
    if cell._style is None:
        from openpyxl.styles.cell_style import StyleArray

        cell._style = StyleArray()
    return cell._style


_CHART_REF = re.compile(r"^(.*!)\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$")


def _fit_charts(ws: Any, header_row: int, c1: int, c2: int, last: int) -> None:
    """Point chart series that read a table's body at its current rows (Excel does this by
    itself for charts on tables; openpyxl needs it done)."""
    for chart in getattr(ws, "_charts", []):
        for series in chart.series:
            for ref in (series.val.numRef if series.val else None, series.cat.numRef if series.cat else None):
                if ref is None or not ref.f:
                    continue
                m = _CHART_REF.match(ref.f)
                if m and c1 <= column_index(m.group(2)) <= c2 and int(m.group(3)) == header_row + 1:
                    ref.f = f"{m.group(1)}${m.group(2)}${header_row + 1}:${m.group(2)}${last}"


class XlwingsBook:
    """:class:`BookIO` over an xlwings Book (Excel running), or a stand-in with the same API:
    ``book.sheets[name]``, ``sheet.tables[name]`` (``range``, ``header_row_range``,
    ``data_body_range``, ``resize``), ``sheet.range(address)`` (``value``, ``clear_contents``,
    ``number_format``)."""

    def __init__(self, book: Any) -> None:
        self.book = book

    def sheet_names(self) -> list[str]:
        """Titles of the sheets."""
        return [s.name for s in self.book.sheets]

    def _sheet(self, sheet: str) -> Any:
        names = self.sheet_names()
        if sheet not in names:
            raise _sheet_error(sheet, names)
        return self.book.sheets[sheet]

    def _table(self, sheet: str, table: str) -> Any:
        sh = self._sheet(sheet)
        names = [t.name for t in sh.tables]
        if table not in names:
            raise _table_error(sheet, table, names)
        return sh.tables[table]

    def read_table(self, sheet: str, table: str) -> TableRead:
        """Header and body values of a table."""
        tbl = self._table(sheet, table)
        header_range = tbl.header_row_range
        header = [str(h).strip() if h is not None else "" for h in _as_row(header_range.value)]
        body = tbl.data_body_range
        rows = [] if body is None else _as_rows(body.value, len(header))
        return TableRead(sheet, table, header, rows, header_range.row, header_range.column)

    def write_table(self, sheet: str, table: str, rows: list[list[Any]], formats: dict[str, str],
                    header: Sequence[str] | None = None) -> None:
        """Replace the body; clear cells of old rows below; resize the table; rename the
        columns ``header`` names otherwise (Excel renames a table's column when its header
        cell is written)."""
        sh = self._sheet(sheet)
        tbl = self._table(sheet, table)
        head = tbl.header_row_range
        held = [str(h) for h in _as_row(head.value)]
        if header is not None and list(header) != held:
            held = _header_names(sheet, table, header, len(held))
            head.value = [held]
        header = held
        r1, c1, width = head.row, head.column, len(header)
        old_last = tbl.range.last_cell.row
        body = rows or [[None] * width]
        last = r1 + len(body)
        if old_last > last:
            sh.range((last + 1, c1), (old_last, c1 + width - 1)).clear_contents()
        tbl.resize(sh.range((r1, c1), (last, c1 + width - 1)))
        sh.range((r1 + 1, c1)).value = [[excel_value(v) for v in row] for row in body]
        for j, name in enumerate(header):
            fmt = formats.get(name)
            if fmt:
                sh.range((r1 + 1, c1 + j), (last, c1 + j)).number_format = fmt

    def read_cell(self, sheet: str, address: str) -> Any:
        """One cell's value."""
        return self._sheet(sheet).range(address).value

    def read_area(self, sheet: str, area: str) -> list[list[Any]]:
        """The values of ``area``, row by row, in one call to Excel (xlwings gives a single row
        or column as a flat list, one cell as its value: shaped as the table reads are)."""
        _, c1, _, c2 = parse_ref(area)
        return _as_rows(self._sheet(sheet).range(area).value, c2 - c1 + 1)

    def write_area(self, sheet: str, area: str, rows: list[list[Any]], formats: list[list[str | None]],
                   aligns: list[list[str | None]] | None = None, page_breaks: list[int] | None = None) -> None:
        """Clear ``area`` and write ``rows`` (with number formats, horizontal alignments and page
        breaks, see :meth:`BookIO.write_area`; the indent is the template's, kept by Excel) from
        its top-left cell."""
        sh = self._sheet(sheet)
        r1, c1, r2, c2 = parse_ref(area)
        sh.range((r1, c1), (r2, c2)).clear_contents()
        if page_breaks is not None:
            _page_breaks(sh, r1, r2, [r1 + i for i in page_breaks])
        rows = _fit(rows, r2 - r1 + 1, c2 - c1 + 1, area)
        width = max((len(r) for r in rows), default=0)
        if width:
            block = [[excel_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
            sh.range((r1, c1)).value = block
        for i, row in enumerate(formats[: len(rows)]):
            for j, fmt in enumerate(row):
                if fmt:
                    sh.range((r1 + i, c1 + j)).number_format = fmt
        for i, sides in enumerate((aligns or [])[: len(rows)]):
            for j, side in enumerate(sides):
                if side:
                    sh.range((r1 + i, c1 + j)).horizontal_alignment = side

    def write_cell(self, sheet: str, address: str, value: Any, number_format: str | None = None) -> None:
        """Write one cell."""
        rng = self._sheet(sheet).range(address)
        rng.value = excel_value(value)
        if number_format:
            rng.number_format = number_format


    def write_array(self, sheet: str, area: str, formula: str, rows: list[list[Any]],
                    formats: list[list[str | None]]) -> None:
        """Clear ``area`` and enter ``formula`` as an array formula over the block ``rows``
        fills; Excel calculates the values."""
        sh = self._sheet(sheet)
        r1, c1, r2, c2 = parse_ref(area)
        rows = _fit(rows, r2 - r1 + 1, c2 - c1 + 1, area) or [[None]]
        width = max(len(r) for r in rows)
        sh.range((r1, c1), (r2, c2)).clear_contents()
        for i, row in enumerate(formats[: len(rows)]):
            for j, fmt in enumerate(row[:width]):
                if fmt:
                    sh.range((r1 + i, c1 + j)).number_format = fmt
        sh.range((r1, c1), (r1 + len(rows) - 1, c1 + width - 1)).formula_array = formula


XL_PAGE_BREAK_MANUAL = -4135
"""Excel's ``xlPageBreakManual`` (an ``HPageBreak``'s ``Type``)."""


def _page_breaks(sh: Any, first: int, last: int, before: list[int]) -> None:
    """On an xlwings sheet, the manual page breaks between rows ``first`` and ``last`` made
    those before the rows ``before``, through Excel's object model (Windows: ``HPageBreaks``).
    Where the object model has no page breaks (macOS' scripting bridge, xlwings Lite) nothing
    changes: breaks only lay out the printed pages, no value depends on them."""
    try:
        breaks = sh.api.HPageBreaks
        for k in range(breaks.Count, 0, -1):
            b = breaks.Item(k)
            if b.Type == XL_PAGE_BREAK_MANUAL and first <= b.Location.Row <= last:
                b.Delete()
        for row in before:
            breaks.Add(sh.range((row, 1)).api)
    except Exception:  # noqa: BLE001 (no page breaks in this object model: print as it falls)
        return


def _fit(rows: list[list[Any]], height: int, width: int, area: str) -> list[list[Any]]:
    if len(rows) > height or any(len(r) > width for r in rows):
        raise WorkbookError(f"the results need more room than {area}; widen the area in the layout")
    return rows


def _as_row(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value[0] if value and isinstance(value[0], list) else value
    return [value]


def _as_rows(value: Any, width: int) -> list[list[Any]]:
    if not isinstance(value, list):
        return [[value]]
    if value and isinstance(value[0], list):
        return [list(r) for r in value]
    return [list(value)] if width > 1 else [[v] for v in value]


def cell_value(value: Any) -> Any:
    """A value a cell can hold: numpy scalars to Python, NaN to blank, datetime to date."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


class Formula(str):
    """A formula the project writes on purpose (``Formula("=SUM(B5:B9)")``). Every other text
    the project writes into a cell is written as text, never read as a formula."""

    __slots__ = ()


def put(cell: Any, value: Any) -> Any:
    """Write ``value`` into an openpyxl ``cell`` and return the cell. Text is stored as text
    (a string cell), whatever it starts with: a note named ``=HYPERLINK(...)`` or ``@SUM(A1)``,
    or an error code such as ``#N/A``, is never stored as a formula or an error; only a
    :class:`Formula` is. Numbers, dates and booleans as :func:`cell_value` makes them."""
    v = cell_value(value)
    if isinstance(v, Formula):
        cell.value = str(v)
        return cell
    cell.value = v
    if isinstance(v, str):
        cell.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error
    return cell


def excel_value(value: Any) -> Any:
    """``value`` as it must be handed to Excel (xlwings ``range.value``): Excel parses a string
    assigned to a cell as if typed (``=``, ``+``, ``-``, ``@`` start a formula, ``1:200`` becomes a
    time), so every text is given with Excel's text prefix ``'``, which Excel does not keep in
    the value. A :class:`Formula` stays a formula."""
    v = cell_value(value)
    if isinstance(v, str) and v and not isinstance(v, Formula):
        return "'" + v
    return v
