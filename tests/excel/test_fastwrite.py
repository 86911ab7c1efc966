"""openpyxl's save within fastwrite.quick_save writes the same files, part for part, as openpyxl's
own writer (issue 15: the rows of a 1,000-event book took most of a refresh's save): the shipped
books and a sheet of every kind of cell openpyxl writes; it steps aside where it does not apply."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet import _writer as ww
from openpyxl.worksheet.formula import ArrayFormula

from ascent_xl.excel import fastwrite
from ascent_xl.excel.fastwrite import quick_save

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

BOOKS = Path(__file__).resolve().parents[2] / "workbooks"


def _parts(make, *, quick: bool) -> dict[str, bytes]:
    """The parts of the file openpyxl saves for the workbook ``make()`` builds (the save time in
    docProps/core.xml left out: it is the clock's)."""
    wb = make()
    buf = io.BytesIO()
    if quick:
        with quick_save():
            wb.save(buf)
    else:
        wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


def _same_both_ways(make) -> dict[str, bytes]:
    stock, quick = _parts(make, quick=False), _parts(make, quick=True)
    assert stock.keys() == quick.keys()
    for name in stock:
        assert quick[name] == stock[name], name
    return stock


@pytest.mark.parametrize("name", ["ascent_advance_notes.xlsm", "ascent_advance_notes.xlsx"])
def test_the_shipped_books_are_written_the_same(name, monkeypatch):
    path = BOOKS / name
    left: list[str] = []  # cells left to openpyxl's own writer
    stock = fastwrite.etree_write_cell
    monkeypatch.setattr(fastwrite, "etree_write_cell", lambda xf, ws, cell, s: left.append(cell.coordinate) or stock(xf, ws, cell, s))
    parts = _same_both_ways(lambda: load_workbook(path, keep_vba=name.endswith(".xlsm")))
    cells = sum(p.count(b"<c ") for n, p in parts.items() if n.startswith("xl/worksheets/"))
    assert cells > 2_000
    assert len(left) < cells / 20  # the array formulas' first cells, booleans: the rest written here


def _every_kind(*, iso_dates: bool = False) -> Workbook:
    wb = Workbook(iso_dates=iso_dates)
    ws = wb.active
    ws.title = "Kinds"
    values = [
        1, -7, 0, 2**53 + 1, 10**20, 0.1, -1e-300, 1.5e308, 1 / 3, float("nan"), float("inf"),
        True, False, None, "", " ", "  two  ", " lead", "trail ", "a\nb", "tab\there", "<&>\"'", "é€😀",
        "=SUM(A1:A3)", '=IF(A1<2,"a&b",">")', "=A1&\" x \"", "#N/A", "#DIV/0!",
        dt.date(2023, 1, 10), dt.datetime(2023, 1, 10, 12, 30, 15, 500), dt.time(9, 15), dt.timedelta(days=1.5),
        Decimal("1.25"), np.float64(2.5), np.int64(3),
    ]
    for i, v in enumerate(values, start=1):
        ws.cell(row=i, column=1, value=v)
        styled = ws.cell(row=i, column=2, value=v)
        styled.font = Font(bold=True)
        if i % 3 == 0:
            styled.fill = PatternFill("solid", fgColor="FFFF00")
    ws["C1"] = ArrayFormula("C1:C2", "=A1:A2*2")
    ws["C3"] = CellRichText("plain ", TextBlock(InlineFont(b=True), "bold"))
    ws["C4"] = "linked"
    ws["C4"].hyperlink = "https://example.com/?a=1&b=2"
    ws["C5"] = "noted"
    ws["C5"].comment = Comment("a note", "me")
    ws["C6"].comment = Comment("on a blank", "me")
    ws["C7"].font = Font(italic=True)  # styled, no value
    ws["D1"] = "#REF!"
    ws["D1"].data_type = "e"
    ws["D2"] = "text kept as is"
    ws["D2"].data_type = "str"
    ws["E1"] = "merged across"
    ws["E1"].border = Border(*(Side(style="thin"),) * 4)
    ws.merge_cells("E1:G2")  # MergedCells, styled with the merge's border
    ws["E4"] = "merged plain"
    ws.merge_cells("E4:F4")
    ws.row_dimensions[3].height = 30
    ws.row_dimensions[4].hidden = True
    ws.row_dimensions[60].height = 12  # a styled row with no cells
    ws.row_dimensions[5].outlineLevel = 1
    other = wb.create_sheet("Second")
    other.append(["Date", "Amount"])
    for k in range(50):
        other.append([dt.date(2023, 1, 1) + dt.timedelta(days=k), k * 1.1])
    return wb


def test_every_kind_of_cell_is_written_the_same():
    parts = _same_both_ways(_every_kind)
    sheet = parts["xl/worksheets/sheet1.xml"]
    for markup in (b' xml:space="preserve">  two  </t>', b"&lt;&amp;&gt;", b't="e"', b't="b"', b'<row r="60"',
                   b'<c r="F1" s=', b'<mergeCell ref="E1:G2"'):
        assert markup in sheet  # the kinds above are in the file


def test_iso_dates_are_written_the_same():
    parts = _same_both_ways(lambda: _every_kind(iso_dates=True))
    assert b't="d"><v>2023-01-10' in parts["xl/worksheets/sheet1.xml"]


def test_the_stock_writer_is_back_after_the_block_and_after_an_error():
    stock = ww.WorksheetWriter.write_row
    with quick_save():
        assert ww.WorksheetWriter.write_row is fastwrite._write_row
    assert ww.WorksheetWriter.write_row is stock
    with pytest.raises(RuntimeError), quick_save():
        raise RuntimeError
    assert ww.WorksheetWriter.write_row is stock


def test_it_steps_aside_where_openpyxl_writes_otherwise(monkeypatch):
    stock = ww.WorksheetWriter.write_row
    monkeypatch.setattr(ww, "write_cell", lambda *a, **k: None)  # as with lxml: another cell writer
    with quick_save():
        assert ww.WorksheetWriter.write_row is stock
    monkeypatch.undo()
    monkeypatch.setattr("openpyxl.__version__", "3.2.0")
    with quick_save():
        assert ww.WorksheetWriter.write_row is stock
