"""A refresh calculates its formulas' cached values on the workbook it has just saved, in memory,
not on the file loaded again (ascent_xl.excel.cached): the values are those the file gives
(dates as Excel serial numbers), those LibreOffice calculates, and the workbook is not changed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from ascent_xl.excel import layout as L
from ascent_xl.excel.cached import cache_formula_values, save_with_values
from ascent_xl.excel.workbook_io import refresh_file
from tests.helpers.books import copy_book
from tests.helpers.recalc import read_values, recalculate
from tests.helpers.soffice import require_soffice

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks" / "ascent_advance_notes.xlsx"


def _dated_book() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Calc"
    ws["A1"], ws["A5"] = dt.date(2023, 1, 10), dt.date(2023, 2, 1)
    ws["A2"], ws["A3"], ws["A4"] = "=A1+1", "=A1>44935", "=MAX(A1,A5)"
    ws["B1"] = ArrayFormula("B1:B2", "=NOT_A_FUNCTION(A1)")  # its value is the caller's
    ws["B2"] = 8  # the array's second value, as a refresh writes it
    ws["B3"] = "=B1+B2"
    ws["C1"] = "=HYPERLINK(x)"  # text, not a formula
    ws["C1"].data_type = "s"
    return wb


def test_dates_read_as_excel_serial_numbers_as_from_the_file(tmp_path):
    wb = _dated_book()
    path = tmp_path / "dated.xlsx"
    report = save_with_values(wb, path, known={"Calc!B1": 7})
    # 2023-01-10 is Excel's day 44,936 (2023-01-01 is 44,927); 2023-02-01 is 44,927 + 31 = 44,958
    assert report.complete
    assert report.values == {"Calc!A2": 44937.0, "Calc!A3": True, "Calc!A4": 44958.0, "Calc!B1": 7.0,
                             "Calc!B3": 15.0}
    got = load_workbook(path, data_only=True)["Calc"]
    assert (got["A2"].value, got["A3"].value, got["A4"].value, got["B3"].value) == (44937, True, 44958, 15)
    assert got["C1"].value == "=HYPERLINK(x)"
    # the workbook is as it was: the array formula kept (pycel's own reading rewrites it)
    ws = wb["Calc"]
    assert isinstance(ws["B1"].value, ArrayFormula) and ws["B1"].value.text == "=NOT_A_FUNCTION(A1)"
    assert ws["A1"].value == dt.date(2023, 1, 10) and ws["B2"].value == 8


def test_an_array_formula_without_a_known_value_is_calculated_from_the_file(tmp_path):
    wb = _dated_book()
    path, plain = tmp_path / "dated.xlsx", tmp_path / "plain.xlsx"
    wb.save(plain)
    report = save_with_values(wb, path)  # B1 not known: pycel calculates it (and cannot)
    assert "Calc!B1" in report.missing and not report.complete
    assert report == cache_formula_values(plain)  # as from the file (no workbook given)
    assert isinstance(wb["Calc"]["B1"].value, ArrayFormula)


def test_a_refreshed_book_holds_the_values_of_the_file_and_of_libreoffice(tmp_path):
    require_soffice()
    book = copy_book(SHIPPED, tmp_path)
    wb = load_workbook(book)
    ws = wb[L.EVENTS]
    c1, first, c2, last = range_boundaries(ws.tables[L.EVENTS_TABLE].ref)
    header = [ws.cell(row=first, column=c).value for c in range(c1, c2 + 1)]
    amount = c1 + header.index("Amount")
    for row in range(first + 1, last + 1):
        value = ws.cell(row=row, column=amount).value
        if isinstance(value, int | float) and value > 1:
            ws.cell(row=row, column=amount).value = value - 1  # a changed event, as the bench's
            break
    wb.save(book)
    assert refresh_file(book).ok
    cells = []
    formulas = load_workbook(book)
    for title in (L.SUMMARY, L.CHECKS):
        for row in formulas[title].iter_rows():
            cells += [f"{title}!{c.coordinate}" for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(cells) >= 18  # the Summary totals and the Checks, none an ASCENT_* function
    cached = {ref: load_workbook(book, data_only=True)[ref.split("!")[0]][ref.split("!")[1]].value for ref in cells}
    # the same file's formulas calculated from the file loaded again (the former way)
    again = tmp_path / "again.xlsx"
    formulas.save(again)
    from_file = cache_formula_values(again).values
    for ref in cells:
        assert cached[ref] == pytest.approx(from_file[ref], abs=1e-9) if isinstance(cached[ref], float) \
            else cached[ref] == from_file[ref], ref
    out = tmp_path / "lo"
    out.mkdir()
    recalculated = recalculate(shutil.copy(book, out / "book.xlsx"), out)
    lo = read_values(recalculated, cells)
    for ref in cells:
        if isinstance(cached[ref], bool) or isinstance(lo[ref], bool):
            assert cached[ref] is bool(lo[ref]), ref
        else:
            assert cached[ref] == pytest.approx(lo[ref], abs=0.005), ref
