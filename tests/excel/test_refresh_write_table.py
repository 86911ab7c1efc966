"""The refresh's table writes set each column's number format and alignment on every row it
writes, also on cells never styled before (a table that grows), as openpyxl's own setters do."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.table import Table

from ascent_xl.excel.book import OpenpyxlBook


def test_formats_and_alignment_on_every_row_written_new_cells_too():
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws.append(["Amount", "Note", "Price"])
    ws.append([1, "a", 0.5])  # the only body row, styled: Note wraps
    ws["B2"].alignment = Alignment(wrap_text=True)
    ws.add_table(Table(displayName="T", ref="A1:C2"))
    rows = [[1000.0 + i, f"note {i}", 0.25 * i] for i in range(5)]  # rows 3-6: cells never styled
    OpenpyxlBook(wb).write_table("S", "T", rows, {"Amount": "#,##0.00", "Price": "0.0000"})
    assert ws.tables["T"].ref == "A1:C6"
    for r in range(2, 7):
        assert ws.cell(row=r, column=1).number_format == "#,##0.00", r
        assert ws.cell(row=r, column=3).number_format == "0.0000", r
        assert ws.cell(row=r, column=2).alignment.wrap_text, r
        assert ws.cell(row=r, column=2).number_format == "General", r
    assert [ws.cell(row=6, column=c).value for c in (1, 2, 3)] == [1004.0, "note 4", 1.0]
