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


def canoo_book(folder: Any, *, start: str = "2024-06-03", end: str = "2024-09-03", sessions: int = 80,
               price: Any = lambda i: 2.00) -> Any:
    """A book of the shipped Canoo June 2024 deal built and refreshed by ``ascent-xl new`` in
    ``folder``: VWAPs ``price(i)`` on the ``i``-th session from ``start`` (of the ``sessions``
    before ``end``), one conversion of $1,000,000 of the Advance on 2024-08-28. Its path."""
    from click.testing import CliRunner

    from ascent_xl.cli import _register, cli
    from tests.helpers.markets import sessions_before

    _register()
    days = [d for d in sessions_before(end, sessions) if d >= start]
    csv = folder / "v.csv"
    csv.write_text("Date,VWAP\n" + "".join(f"{d},{price(i):.2f}\n" for i, d in enumerate(days)))
    events = folder / "e.csv"
    events.write_text("Date,Event,Note,Amount,Value\n2024-08-28,Conversion,Advance,1000000,\n")
    book = folder / "canoo.xlsx"
    r = CliRunner().invoke(cli, ["new", str(book), "--terms", "canoo_2024_06_prepaid_advance",
                                 "--vwaps", str(csv), "--events", str(events)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return book
