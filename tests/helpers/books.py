"""Helpers for tests on deal books: build the template once, copy it, snapshot input cells."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from ascent_xl.excel import layout as L

INPUT_TABLES = ((L.INPUTS, L.TERMS_TABLE, ("Value",)), (L.VWAP, L.VWAP_TABLE, None),
                (L.EVENTS, L.EVENTS_TABLE, None), (L.CONVERSIONS, L.CONVERSIONS_TABLE, L.CONVERSION_INPUTS),
                (L.VALUATION, L.VALUATION_TABLE, ("Value",)))


def copy_book(src: Path, dest_dir: Path, name: str | None = None) -> Path:
    dest = dest_dir / (name or src.name)
    shutil.copy(src, dest)
    return dest


def input_cells(wb: Any) -> dict[str, Any]:
    """Every input cell of the book: address -> value (the user's cells)."""
    out = {}
    for sheet, table, columns in INPUT_TABLES:
        ws = wb[sheet]
        c1, r1, c2, r2 = range_boundaries(ws.tables[table].ref)
        header = [ws.cell(row=r1, column=c).value for c in range(c1, c2 + 1)]
        for r in range(r1, r2 + 1):
            for j, c in enumerate(range(c1, c2 + 1)):
                if columns is None or header[j] in columns or r == r1:
                    out[f"{sheet}!{ws.cell(row=r, column=c).coordinate}"] = ws.cell(row=r, column=c).value
    return out


def table_records(wb: Any, sheet: str, table: str) -> list[dict[str, Any]]:
    ws = wb[sheet]
    c1, r1, c2, r2 = range_boundaries(ws.tables[table].ref)
    rows = [[ws.cell(row=r, column=c).value for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def load(path: Path, **kw: Any) -> Any:
    return load_workbook(path, keep_vba=path.suffix == ".xlsm", **kw)
