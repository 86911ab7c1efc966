"""For tests: a workbook's formulas calculated without Excel, by LibreOffice headless
(:func:`recalculate`, then :func:`read_values`) or by pycel with the ``ASCENT_*`` functions
(:func:`evaluate`).

openpyxl writes formulas but never calculates them, so tests and checks that need the values of a
workbook's formulas run :func:`recalculate` (LibreOffice loads the file, recalculates every formula
and saves an ``.xlsx`` copy) and then :func:`read_values`. LibreOffice rewrites formulas and drops
macros on save: use its output to read values, never ship it.

LibreOffice runs through :func:`ascent_xl.excel.render.converted` (a private profile that
forces recalculation on load), so runs may run in parallel.

Measured with LibreOffice 7.4 (Debian): SUM, MIN, AVERAGE, SMALL, ROUND, IF, IFERROR,
INDEX/MATCH, VLOOKUP, SUMIFS, COUNTIF, COUNTA, SUMPRODUCT, DATE, EOMONTH, XIRR, MAXIFS, MINIFS,
IFS, SWITCH, TEXTJOIN, CONCAT, defined names and structured table references (``Sales[Amount]``)
are recalculated as Excel does; XLOOKUP, XMATCH, FILTER, UNIQUE, SORT, SEQUENCE, LET and LAMBDA
are not (see :data:`LIBREOFFICE_UNSUPPORTED`). Functions newer than Excel 2007 must be stored with
the ``_xlfn.`` prefix, as Excel stores them (``=_xlfn.MAXIFS(...)``; openpyxl writes formulas
verbatim): without it both Excel and LibreOffice show ``#NAME?``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ascent_xl.errors import WorkbookError
from ascent_xl.excel.render import converted

LIBREOFFICE_UNSUPPORTED = ("XLOOKUP", "XMATCH", "FILTER", "UNIQUE", "SORT", "SEQUENCE", "LET", "LAMBDA")
"""Excel functions LibreOffice 7.4 cannot calculate (measured: the cell gets ``#NAME?`` or
``#VALUE!``): do not rely on :func:`recalculate` for workbooks that use them. User-defined
functions (the ``ASCENT_*`` UDFs) give ``#NAME?`` too, and so does every cell that depends on them."""

_CELL = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?$")


def recalculate(path: str | os.PathLike[str], out_dir: str | os.PathLike[str] | None = None, *,
                timeout: float = 120) -> Path:
    """Recalculate every formula of the ``.xlsx``/``.xlsm`` at ``path`` with LibreOffice headless
    and save the result as ``NAME.recalc.xlsx`` in ``out_dir`` (default: beside ``path``),
    replacing any earlier one; returns that path. The input file is not touched. Raises
    :class:`WorkbookError` if LibreOffice is missing, fails or takes longer than ``timeout``
    seconds."""
    from ascent_xl.excel.safety import check_workbook_file

    src = Path(path)
    check_workbook_file(src)
    folder = Path(out_dir) if out_dir is not None else src.parent
    if not folder.is_dir():
        raise WorkbookError(f"output folder {folder} does not exist; create it or choose another")
    target = folder / f"{src.stem}.recalc.xlsx"
    with converted(src, "xlsx", timeout=timeout) as produced:
        tmp = folder / f".{target.name}.tmp"
        try:
            shutil.move(produced, tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


def read_values(path: str | os.PathLike[str], cells: Iterable[str]) -> dict[str, Any]:
    """The cached values of ``cells`` in the workbook at ``path`` (normally a file written by
    :func:`recalculate`), keyed by the request: ``"Sheet!A1"`` or ``"'My sheet'!B2"`` gives one
    value, ``"Sheet!A1:B3"`` a list of rows, a defined name (``"Total"``, or ``"Sheet!Name"`` for a
    sheet-scoped one) the value(s) of the cells it refers to. Error cells read as their error text
    (``"#N/A"``). Raises :class:`WorkbookError` naming the file and the unknown sheet or name."""
    from ascent_xl.excel.safety import open_workbook

    p = Path(path)
    wb = open_workbook(p, data_only=True)
    try:
        return {ref: _value_of(wb, p, ref) for ref in cells}
    finally:
        wb.close()


def _value_of(wb: Any, p: Path, ref: str) -> Any:
    sheet_name, sep, rest = ref.rpartition("!")
    if sep:
        sheet_name = sheet_name.strip()
        if len(sheet_name) >= 2 and sheet_name[0] == sheet_name[-1] == "'":
            sheet_name = sheet_name[1:-1].replace("''", "'")
        if sheet_name not in wb.sheetnames:
            raise WorkbookError(f"{p}: no sheet named {sheet_name!r} (asked for {ref!r}); "
                                f"sheets are {', '.join(wb.sheetnames)}")
        ws = wb[sheet_name]
        if _CELL.match(rest):
            return _cells(ws, rest)
        if rest in ws.defined_names:
            return _name_value(wb, p, ref, ws.defined_names[rest])
        raise WorkbookError(f"{p}: {ref!r} is neither a cell, a range nor a name of sheet "
                            f"{sheet_name!r}; use e.g. 'Sheet!B2'")
    if ref in wb.defined_names:
        return _name_value(wb, p, ref, wb.defined_names[ref])
    raise WorkbookError(f"{p}: no defined name {ref!r}; give a workbook name or 'Sheet!A1'")


def _name_value(wb: Any, p: Path, ref: str, defined: Any) -> Any:
    destinations = list(defined.destinations)
    if len(destinations) != 1:
        raise WorkbookError(f"{p}: defined name {ref!r} ({defined.attr_text}) does not refer to "
                            "one cell range; read its cells instead")
    sheet_name, coord = destinations[0]
    if sheet_name not in wb.sheetnames:  # openpyxl leaves quotes doubled: 'It''s'!A1
        sheet_name = sheet_name.replace("''", "'")
    if sheet_name not in wb.sheetnames:
        raise WorkbookError(f"{p}: defined name {ref!r} refers to missing sheet {sheet_name!r}")
    return _cells(wb[sheet_name], coord)


def _cells(ws: Any, coord: str) -> Any:
    coord = coord.replace("$", "")
    if ":" not in coord:
        return ws[coord].value
    return [[c.value for c in row] for row in ws[coord]]


def evaluate(path: str | os.PathLike[str], cells: Sequence[str]) -> list[Any]:
    """Values of ``cells`` (addresses such as ``"Calc!B2"``, or ranges, which give tuples of
    rows) of the workbook at ``path`` as pycel calculates them, ``ASCENT_*`` functions included
    (:func:`ascent_xl.excel.evaluate.compiler`), in order."""
    from ascent_xl.excel.evaluate import compiler

    xl = compiler(path)
    return [xl.evaluate(address) for address in cells]
