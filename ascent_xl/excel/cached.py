"""Cached values beside a saved book's formulas, so it reads right without being calculated.

openpyxl writes a formula with an empty value (``<f>SUM(...)</f><v></v>``) and marks the book
``fullCalcOnLoad``: anything that reads the file without calculating it (pandas or openpyxl with
``data_only=True``, a file previewer, Excel on the web or on macOS, where the ``ASCENT_*`` UDFs
do not exist) sees blanks or ``#NAME?``. :func:`cache_formula_values` calculates every formula of
a saved book in Python (pycel, with the ``ASCENT_*`` functions being the engine's own, see
:mod:`ascent_xl.excel.evaluate`) and writes each result into the sheet XML as the formula's
cached value. When every formula got one, ``fullCalcOnLoad`` is dropped: the book opens with the
engine's numbers and Excel recalculates them as usual when an input changes. A formula pycel
cannot calculate keeps an empty value, the book keeps ``fullCalcOnLoad`` and the report names it.

Only files this package has just saved with openpyxl are rewritten (their XML layout is
openpyxl's); the rewrite goes through a temporary file like every other write.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ascent_xl.excel import _package as pkg

ERROR_CODES = frozenset({"#NAME?", "#DIV/0!", "#REF!", "#NUM!", "#N/A", "#VALUE!", "#NULL!"})
"""Excel's error values: a result equal to one is written as an error (``t="e"``)."""

# A formula cell as openpyxl writes it: <c r="B8" s="18"><f>SUM(X)</f><v></v></c> (through lxml;
# <v /> through et_xmlfile; or <v>...</v>).
_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"([^>]*)>(<f(?:\s[^>]*)?>.*?</f>|<f[^>]*/>)'
                   rb"(?:<v\s*/>|<v>[^<]*</v>)?</c>", re.S)
_TYPE = re.compile(rb'\st="[^"]*"')
_CALC_PR = re.compile(rb"<calcPr\b[^>]*/>")
_FULL_CALC = re.compile(rb'\sfullCalcOnLoad="[^"]*"')


@dataclass
class CacheReport:
    """What :func:`cache_formula_values` did: the cells given a value (``"Sheet!B8"`` -> value)
    and those left empty, each with pycel's reason."""

    values: dict[str, Any] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing


def save_with_values(workbook: Any, path: str | os.PathLike[str], *,
                     known: Mapping[str, Any] | None = None) -> CacheReport:
    """Save the openpyxl ``workbook`` to ``path`` and cache its formulas' values there
    (``known``: see :func:`cache_formula_values`). The formulas are calculated on ``workbook``
    itself, as saved, not on the file read back (see :func:`cache_formula_values`). openpyxl
    writes the file: its save is about 10 us a cell (0.5 s of CPU for a 1,000-event book), and
    a faster writer of its own was tried and dropped (a patch of openpyxl's private worksheet
    writer, see the log of bf93ccd)."""
    workbook.save(path)
    return cache_formula_values(path, known=known, workbook=workbook)


def cache_formula_values(path: str | os.PathLike[str], *, known: Mapping[str, Any] | None = None,
                         workbook: Any = None) -> CacheReport:
    """Calculate every formula of the book at ``path`` (just saved by openpyxl) and store the
    results as the formulas' cached values; drop ``fullCalcOnLoad`` if every formula has one.
    ``known`` (``"Sheet!A5"`` -> value) gives the values of formulas already calculated by the
    caller with the same functions on the same cells (the refresh's array formulas, see
    :attr:`ascent_xl.excel.book.OpenpyxlBook.array_results`): they are stored as given, not
    calculated again; pycel still calculates a formula that reads them.

    ``workbook``: the openpyxl workbook just saved to ``path``, unchanged since. pycel then
    reads its cells where they are instead of loading the file again (what the file would give:
    dates as Excel serial numbers, an array formula's cells as their values), unless it holds an
    array formula whose value is not in ``known`` (then the file is read, as without it)."""
    report = CacheReport()
    with zipfile.ZipFile(path) as zf:
        sheets = [(s, zf.read(s.part)) for s in pkg.sheets(zf, path)]
        wb_part = pkg.workbook_part(zf)
        wb_xml = zf.read(wb_part)
    formulas = [f"{s.title}!{m.group(1).decode()}" for s, xml in sheets for m in _CELL.finditer(xml)]
    given = {ref: known[ref] for ref in formulas if known and ref in known}
    todo = [ref for ref in formulas if ref not in given]
    shaped: dict[str, Any] = {}
    if todo and workbook is not None:
        shaped = _TableFormulas(workbook, known or {}).values(todo)
        todo = [ref for ref in todo if ref not in shaped]
    if todo:
        report = _calculate(path, todo, workbook=workbook, known=known or {})
    report.values.update(shaped)
    if given:
        from openpyxl.utils.datetime import to_excel
    for ref, raw in given.items():
        value = _plain(to_excel(raw) if isinstance(raw, dt.date) else raw)
        if value is None:
            report.missing[ref] = "no single value (a blank or an array result)"
        else:
            report.values[ref] = value
    parts: dict[str, bytes] = {}
    for sheet, xml in sheets:
        new = _CELL.sub(lambda m, title=sheet.title: _with_value(m, title, report.values), xml)  # type: ignore[misc]
        if new != xml:
            parts[sheet.part] = new
    if report.complete:
        parts[wb_part] = _CALC_PR.sub(lambda m: _FULL_CALC.sub(b"", m.group(0)), wb_xml)
    if parts:
        pkg.rewrite_zip(path, parts)
    return report


def _calculate(path: str | os.PathLike[str], cells: list[str], *, workbook: Any = None,
               known: Mapping[str, Any]) -> CacheReport:
    from ascent_xl.excel.evaluate import compiler

    def fresh() -> Any:
        if workbook is not None and _arrays_known(workbook, known):
            return _memory_compiler(workbook, path, known)
        return compiler(path, no_values=True)

    report = CacheReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on extensions it does not read
        xl = fresh()
        try:
            # One dependency graph for every cell: pycel counts the graph's edges after each
            # build (O(edges)), so cell by cell the build is quadratic (a 1,000-event book's
            # 3,600 formulas took 60 s of counting).
            xl._gen_graph(tuple(cells))
        except Exception:  # noqa: BLE001 - built again cell by cell, each failure on its own cell
            xl = fresh()
        for ref in cells:
            try:
                value = _plain(xl.evaluate(ref))
            except Exception as exc:  # noqa: BLE001 - pycel raises many kinds; the cell stays empty
                report.missing[ref] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1:]}"
                continue
            if value is None:
                report.missing[ref] = "no single value (a blank or an array result)"
            else:
                report.values[ref] = value
    return report


class _Unshaped(Exception):
    """A formula, or a value it reads, outside :class:`_TableFormulas`' shapes: pycel calculates it."""


_COL = r"(\w+)\[([^\[\]]+)\]"  # Table[Column]
_NAME = r"([A-Za-z_][\w.]*)"
_TEXT = r'"([^"*?~<>=]*)"'  # a criterion or text without wildcards or operators
@functools.cache
def _shapes() -> dict[str, re.Pattern[str]]:
    """The formula shapes of the template's Summary and Checks (:data:`ascent_xl.excel.layout.SUMMARY_VALUES`,
    :data:`~ascent_xl.excel.layout.CHECK_ROWS`, the master check and its name), matched whole
    (compiled on first use: a refresh with nothing to write needs none)."""
    return {
        "sum": re.compile(rf"SUM\({_COL}\)"),
        "last": re.compile(rf"INDEX\({_COL},ROWS\(\1\[\2\]\)\)"),
        "sumifs": re.compile(rf"SUMIFS\({_COL},{_COL},{_TEXT}\)"),
        "no_false": re.compile(rf"COUNTIF\({_COL},FALSE\)=0"),
        "no_text": re.compile(rf'COUNTIF\({_COL},"\*([^"*?~<>=]+)\*"\)=0'),
        "maxifs_le": re.compile(rf"_xlfn\.MAXIFS\({_COL},{_COL},{_TEXT}\)<={_NAME}\+([0-9]+(?:\.[0-9]*)?E-[0-9]+)"),
        "conserved": re.compile(rf"ROUND\(SUM\({_COL}\)-SUM\({_COL}\)-SUM\({_COL}\)-INDEX\({_COL},ROWS\(\7\[\8\]\)\),2\)=0"),
        "repaid_at": re.compile(rf"IF\(AND\(ISNUMBER\({_NAME}\),MAX\({_COL}\)>=\1\),INDEX\({_COL},ROWS\(\4\[\5\]\)\)=0,TRUE\)"),
        "equals": re.compile(rf"{_NAME}={_TEXT}"),
        "and": re.compile(r"AND\(([A-Z]{1,3}[0-9]+:[A-Z]{1,3}[0-9]+)\)"),
        "name": re.compile(_NAME),
    }


class _TableFormulas:
    """The Summary's and Checks' formulas calculated in Python from the workbook's cells, as
    pycel (and Excel) calculates them, without pycel: its import and its graph of every cell of
    the Schedule columns they read (19,000 cells on a 1,000-event book) cost more than the rest
    of the cached values. Only the shapes of :func:`_shapes`, read whole, on plain cells: a
    formula of another shape, one that reads a cell holding a formula of another shape, an
    error value, a boolean where a number is summed or a text where a number is compared is
    left to pycel (:class:`_Unshaped`). Each shape is Excel's rule: SUM and MAX of the numbers
    (text, booleans and blanks ignored; none: 0), INDEX of the last row, SUMIFS/MAXIFS of the
    rows whose text equals the criterion ignoring case (none: 0), COUNTIF of FALSE booleans or
    of texts containing a part ignoring case, text equal ignoring case, AND of booleans."""

    def __init__(self, workbook: Any, known: Mapping[str, Any]) -> None:
        from ascent_xl.excel.evaluate import _defined_names

        self.wb = workbook
        self.known = known
        self.names = _defined_names(workbook)
        self.tables = {t.name.lower(): (ws, t) for ws in workbook.worksheets for t in ws.tables.values()}
        self.done: dict[str, Any] = {}
        self.columns: dict[tuple[str, str], list[Any]] = {}
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.utils.datetime import to_excel
        from openpyxl.worksheet.formula import ArrayFormula

        # imported once, not at each of the ~19,000 cells a 1,000-event book's columns hold
        self._at, self._to_excel, self._array = coordinate_to_tuple, to_excel, ArrayFormula

    def values(self, refs: list[str]) -> dict[str, Any]:
        out = {}
        for ref in refs:
            try:
                value = self.cell(ref)
            except _Unshaped:
                continue
            if value is not None:
                out[ref] = _plain(value)
        return out

    def cell(self, ref: str) -> Any:
        if ref in self.done:
            if self.done[ref] is _Unshaped:
                raise _Unshaped(ref)  # a cycle, or a cell found unshaped before
            return self.done[ref]
        sheet, coord = ref.split("!")
        if sheet not in self.wb.sheetnames:
            raise _Unshaped(ref)
        ws = self.wb[sheet]
        cell = ws._cells.get(self._at(coord))
        value = None if cell is None else cell.value
        self.done[ref] = _Unshaped
        if cell is not None and cell.data_type == "f" and not isinstance(value, self._array):
            if not isinstance(value, str) or not value.startswith("="):
                raise _Unshaped(ref)
            value = self.formula(sheet, value[1:])
        value = self._plain_cell(ref, value)
        self.done[ref] = value
        return value

    def _plain_cell(self, ref: str, value: Any) -> Any:
        kind = type(value)
        if value is None or kind is float or kind is int or kind is bool:
            return value  # the most common cells first (the checks below pass them as they are)
        if isinstance(value, self._array):
            if ref not in self.known:
                raise _Unshaped(ref)
            value = self.known[ref]
        if isinstance(value, dt.date | dt.time):
            return self._to_excel(value)
        if isinstance(value, str) and value in ERROR_CODES:
            raise _Unshaped(ref)
        if value is None or isinstance(value, bool | int | float | str):
            return value
        raise _Unshaped(ref)

    def name(self, name: str) -> Any:
        dests = self.names.get(name)
        if not dests or len(dests) != 1 or ":" in dests[0][0]:
            raise _Unshaped(name)
        address, sheet = dests[0]
        return self.cell(f"{sheet}!{address.replace('$', '')}")

    def column(self, table: str, header: str) -> list[Any]:
        key = (table.lower(), header)
        if key not in self.columns:
            from openpyxl.utils.cell import range_boundaries

            if key[0] not in self.tables:
                raise _Unshaped(table)
            ws, t = self.tables[key[0]]
            c1, r1, c2, r2 = range_boundaries(t.ref)
            if t.totalsRowCount or t.headerRowCount == 0:
                raise _Unshaped(table)
            names = [str(ws.cell(row=r1, column=c).value) for c in range(c1, c2 + 1)]
            if names.count(header) != 1:
                raise _Unshaped(f"{table}[{header}]")
            c = c1 + names.index(header)
            held = ws._cells  # read where they are (iter_rows makes a cell for each blank)
            found = [held.get((r, c)) for r in range(r1 + 1, r2 + 1)]
            self.columns[key] = [
                None if cell is None else
                self.cell(f"{ws.title}!{cell.coordinate}") if cell.data_type == "f" else self._plain_cell("", cell.value)
                for cell in found]
        return self.columns[key]

    def numbers(self, table: str, header: str) -> list[Any]:
        """The column's values for a sum or a maximum: numbers and blanks, text ignored."""
        values = self.column(table, header)
        if any(isinstance(v, bool) for v in values):
            raise _Unshaped(f"{table}[{header}]")  # pycel and Excel differ on booleans summed
        return values

    def formula(self, sheet: str, text: str) -> Any:
        if text.startswith(_TIERS_START):
            return self._fee_tiers(sheet, text)
        for shape, pattern in _shapes().items():
            m = pattern.fullmatch(text)
            if m:
                return getattr(self, "_" + shape)(sheet, *m.groups())
        raise _Unshaped(text)

    def _fee_tiers(self, sheet: str, text: str) -> str:
        """The Inputs' placement fee tiers as read (:func:`ascent_xl.excel.template.fee_tiers_formula`,
        the formula exactly as that function writes it for its two cells), when they hold plain
        lists: see :func:`fee_tiers_text`."""
        from ascent_xl.excel.template import fee_tiers_formula

        refs = list(dict.fromkeys(_TIERS_REF.findall(text)))
        if len(refs) != 2:
            raise _Unshaped(text)
        rates, limits = refs  # the first item read is the first rate's
        if fee_tiers_formula(limits, rates) != text:
            raise _Unshaped(text)
        return fee_tiers_text(*(_list_text(self.cell(f"{sheet}!{ref.replace('$', '')}")) for ref in (limits, rates)))

    @staticmethod
    def _total(values: list[Any]) -> float:
        return sum(v for v in values if isinstance(v, int | float))

    def _last_of(self, table: str, header: str) -> Any:
        values = self.column(table, header)
        if not values or not isinstance(values[-1], int | float) or isinstance(values[-1], bool):
            raise _Unshaped(f"{table}[{header}]")
        return values[-1]

    def _matching(self, table: str, header: str, criterion: str, n: int) -> list[bool]:
        values = self.column(table, header)
        if len(values) != n:
            raise _Unshaped(f"{table}[{header}]")
        return [isinstance(v, str) and v.lower() == criterion.lower() for v in values]

    def _sum(self, _sheet: str, table: str, header: str) -> float:
        return self._total(self.numbers(table, header))

    def _last(self, _sheet: str, table: str, header: str) -> Any:
        return self._last_of(table, header)

    def _sumifs(self, _sheet: str, t1: str, h1: str, t2: str, h2: str, criterion: str) -> float:
        values = self.numbers(t1, h1)
        hits = self._matching(t2, h2, criterion, len(values))
        return self._total([v for v, hit in zip(values, hits, strict=True) if hit])

    def _no_false(self, _sheet: str, table: str, header: str) -> bool:
        return not any(v is False for v in self.column(table, header))

    def _no_text(self, _sheet: str, table: str, header: str, part: str) -> bool:
        return not any(isinstance(v, str) and part.lower() in v.lower() for v in self.column(table, header))

    def _maxifs_le(self, _sheet: str, t1: str, h1: str, t2: str, h2: str, criterion: str, name: str,
                   margin: str) -> bool:
        values = self.numbers(t1, h1)
        hits = self._matching(t2, h2, criterion, len(values))
        found = [v for v, hit in zip(values, hits, strict=True) if hit and isinstance(v, int | float)]
        limit = self.name(name)
        if not isinstance(limit, int | float) or isinstance(limit, bool):
            raise _Unshaped(name)
        return (max(found) if found else 0) <= limit + float(margin)

    def _conserved(self, _sheet: str, *cols: str) -> bool:
        a, b, c = (self._total(self.numbers(cols[i], cols[i + 1])) for i in (0, 2, 4))
        rest = a - b - c - self._last_of(cols[6], cols[7])
        if 0.004 < abs(rest) < 0.006:
            raise _Unshaped("ROUND")  # near the rounding edge: pycel's ROUND decides
        return abs(rest) < 0.005

    def _repaid_at(self, _sheet: str, name: str, t1: str, h1: str, t2: str, h2: str) -> bool:
        when = self.name(name)
        if not isinstance(when, int | float) or isinstance(when, bool):
            return True  # ISNUMBER false: TRUE
        dates = [v for v in self.numbers(t1, h1) if isinstance(v, int | float)]
        if not (max(dates) if dates else 0) >= when:
            return True
        return bool(self._last_of(t2, h2) == 0)

    def _equals(self, _sheet: str, name: str, text: str) -> bool:
        value = self.name(name)
        return isinstance(value, str) and value.lower() == text.lower()

    def _and(self, sheet: str, area: str) -> bool:
        from openpyxl.utils.cell import get_column_letter, range_boundaries

        c1, r1, c2, r2 = range_boundaries(area)
        values = [self.cell(f"{sheet}!{get_column_letter(c)}{r}") for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
        logical = [v for v in values if isinstance(v, bool)]
        if not logical or any(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise _Unshaped(area)  # no booleans (#VALUE!) or numbers among them: pycel's
        return all(logical)

    def _name(self, _sheet: str, name: str) -> Any:
        if name.upper() in ("TRUE", "FALSE"):
            raise _Unshaped(name)
        return self.name(name)


_TIERS_START = 'IF(TRIM(MID(SUBSTITUTE(SUBSTITUTE('
_TIERS_REF = re.compile(r'SUBSTITUTE\(SUBSTITUTE\((\$?[A-Z]{1,3}\$?[0-9]+)&""')
_DIGITS = re.compile(r"[0-9]{1,15}")
_DECIMAL = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,5})?")


def _list_text(value: Any) -> str:
    """``cell&""``: a list cell as text (blank: ""), where pycel and Excel write it alike: text,
    or a number written in plain digits (``10000000``, ``0.07``); else :class:`_Unshaped`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        shown = repr(float(value))
        if _DECIMAL.fullmatch(shown):
            return shown
    raise _Unshaped(repr(value))


def fee_tiers_text(limits: str, rates: str) -> str:
    """What :func:`ascent_xl.excel.template.fee_tiers_formula` gives for list cells reading
    ``limits`` and ``rates`` (as text), by Excel's rules step by step: ``;`` and ``,`` become
    30 spaces (SUBSTITUTE), item k is the k-th 30 characters (MID) trimmed (TRIM), a limit is
    written ``$5,000,000`` (TEXT "$#,##0"), a rate times 100 ``7.5%`` or ``8%`` (TEXT "0.###"
    and the "." before "%" dropped). Only where pycel gives the same (its TRIM keeps one space
    of a run at either end, its VALUE is Python's float): every item read is blank or plain
    digits (a limit whole, up to 15 digits; a rate with up to 5 decimals, so that TEXT rounds
    nothing), ASCII text, no slot of spaces only; anything else is :class:`_Unshaped` (pycel's)."""
    from decimal import Decimal

    from ascent_xl.excel.template import _ITEM_ROOM, FEE_TIERS_SHOWN

    def items(text: str) -> list[str]:
        if not text.isascii():
            raise _Unshaped(text)
        spread = text.replace(";", ",").replace(",", " " * _ITEM_ROOM)
        out = []
        for k in range(FEE_TIERS_SHOWN + 1):
            slot = spread[k * _ITEM_ROOM:(k + 1) * _ITEM_ROOM]
            item = slot.strip(" ")
            if (slot and not item) or " " in item:
                raise _Unshaped(text)  # TRIM: pycel's and Excel's differ here
            out.append(item)
        return out

    def usd(item: str) -> str:
        if not _DIGITS.fullmatch(item):
            raise _Unshaped(item)
        return f"${int(item):,}"

    def percent(item: str) -> str:
        if not _DECIMAL.fullmatch(item):
            raise _Unshaped(item)
        shown = f"{(Decimal(item) * 100).quantize(Decimal('0.001')):f}".rstrip("0")
        return (shown + "%").replace(".%", "%")

    top, rate = items(limits), items(rates)
    parts = []
    for k in range(FEE_TIERS_SHOWN):
        if rate[k] == "":
            continue
        low = "$0" if k == 0 else usd(top[k - 1])
        if top[k] == "":
            band = "all" if k == 0 else f"above {low}"
        else:
            band = f"{low}-{usd(top[k])}"
        parts.append(("; " if k else "") + f"{band}: {percent(rate[k])}")
    if rate[FEE_TIERS_SHOWN] != "":
        parts.append("; ...")
    return "".join(parts)


def _arrays_known(workbook: Any, known: Mapping[str, Any]) -> bool:
    """Whether every array formula of ``workbook`` has its value in ``known``."""
    from openpyxl.worksheet.formula import ArrayFormula

    return all(f"{ws.title}!{cell.coordinate}" in known
               for ws in workbook.worksheets for cell in ws._cells.values() if isinstance(cell.value, ArrayFormula))


def _memory_compiler(workbook: Any, path: str | os.PathLike[str], known: Mapping[str, Any]) -> Any:
    """A pycel compiler over the openpyxl ``workbook`` in memory (just saved to ``path``), reading
    its cells as pycel reads them from the saved file (:func:`_memory_wrapper`)."""
    from pycel import ExcelCompiler

    from ascent_xl.excel.evaluate import PLUGIN

    wrapper = _memory_wrapper()(filename=os.fspath(path))
    wrapper.workbook = wrapper.workbook_dataonly = workbook
    wrapper.known = known
    return ExcelCompiler(excel=wrapper, plugins=[PLUGIN])


_MEMORY: type | None = None


def _memory_wrapper() -> type:
    """pycel's workbook wrapper (:func:`ascent_xl.excel.evaluate.compiler`'s, with openpyxl 3.1
    defined names) over a workbook in memory, giving pycel each cell as the saved file gives
    it: a date as its Excel serial number (openpyxl holds a ``date`` in memory; pycel compares
    and adds serial numbers: a date would compare wrong without an error), a formula with no
    value, an array formula's first cell as its known value (its other cells hold their values
    already). Nothing in the workbook is changed (pycel's own wrapper rewrites array formulas
    in place)."""
    global _MEMORY
    if _MEMORY is None:
        from openpyxl.cell.cell import MergedCell
        from openpyxl.utils.datetime import to_excel
        from openpyxl.worksheet.formula import ArrayFormula
        from pycel.excelutil import AddressRange, is_address
        from pycel.excelwrapper import ExcelWrapper, _OpxCell, _OpxRange

        from ascent_xl.excel.evaluate import _wrapper_class

        def cell_data(title: str, cell: Any, known: Mapping[str, Any]) -> tuple[str, Any]:
            value = cell.value
            if isinstance(value, ArrayFormula):
                value = known[f"{title}!{cell.coordinate}"]
            elif cell.data_type == "f" and not isinstance(cell, MergedCell):
                return _OpxRange.cell_to_formula(cell), None
            if isinstance(value, dt.date | dt.time):  # datetime too
                value = to_excel(value)
            return "", value

        class MemoryWrapper(_wrapper_class()):  # type: ignore[misc]
            known: Mapping[str, Any]

            def load(self) -> None:  # the workbook is given, never read from the file
                raise NotImplementedError

            def get_range(self, address: Any) -> Any:
                if not is_address(address):
                    address = AddressRange(address)
                sheet = self.workbook[address.sheet] if address.has_sheet else self.workbook.active
                if address.is_unbounded_range:
                    address = address & AddressRange((1, 1, *self.max_col_row(sheet.title)), sheet=sheet.title)
                cells = sheet[address.coordinate]
                if not isinstance(cells, tuple):
                    formula, value = cell_data(sheet.title, cells, self.known)
                    return ExcelWrapper.RangeData.__new__(_OpxCell, address, formula, value)
                data = [[cell_data(sheet.title, c, self.known) for c in row] for row in cells]
                return ExcelWrapper.RangeData.__new__(
                    _OpxRange, address, tuple(tuple(f for f, _ in row) for row in data),
                    tuple(tuple(v for _, v in row) for row in data))

        _MEMORY = MemoryWrapper
    return _MEMORY


def _plain(value: Any) -> Any:
    """pycel's result as one cell value (bool, float, str), or None."""
    while isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, tuple) or value is None:
        return None
    if isinstance(value, bool | str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number if math.isfinite(number) else "#NUM!"


def _with_value(match: re.Match[bytes], title: str, values: dict[str, Any]) -> bytes:
    ref = f"{title}!{match.group(1).decode()}"
    if ref not in values:
        return match.group(0)
    value = values[ref]
    if isinstance(value, bool):
        kind, text = "b", "1" if value else "0"
    elif isinstance(value, str):
        kind, text = ("e" if value in ERROR_CODES else "str"), pkg.xml_text(value)
    else:
        kind, text = "", repr(value)
    attrs = _TYPE.sub(b"", match.group(2)) + (f' t="{kind}"'.encode() if kind else b"")
    return (b'<c r="' + match.group(1) + b'"' + attrs + b">" + match.group(3)
            + b"<v>" + text.encode("utf-8") + b"</v></c>")
