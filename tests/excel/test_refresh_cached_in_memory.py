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
from ascent_xl.excel.cached import _TableFormulas, cache_formula_values, save_with_values
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


def _table_book() -> Workbook:
    """A table T (Date, Event, Amount, Share, Check, Flags) and the Summary and Checks shapes."""
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.table import Table

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    rows = [
        ("Date", "Event", "Amount", "Share", "Check", "Flags"),
        (dt.date(2023, 1, 10), "Issue", 1000, 0.01, True, ""),
        (dt.date(2023, 2, 1), "conversion", 250.5, 0.049, True, "cap: near"),
        (dt.date(2023, 3, 1), "Conversion", "n/a", 0.03, True, "Reserve: short"),
        (dt.date(2023, 4, 3), "Repayment", 100, None, True, None),
    ]
    for row in rows:
        ws.append(row)
    ws.add_table(Table(displayName="T", ref="A1:F5"))
    ws["H1"], ws["H2"], ws["H3"] = 0.05, dt.date(2023, 4, 3), "ok"
    for name, cell in (("cap", "$H$1"), ("latest", "$H$2"), ("status", "$H$3"), ("master", "$B$8")):
        wb.defined_names[name] = DefinedName(name, attr_text=f"Calc!{cell}" if name == "master" else f"Data!{cell}")
    calc = wb.create_sheet("Calc")
    calc["B1"] = "=SUM(T[Amount])"
    calc["B2"] = "=INDEX(T[Amount],ROWS(T[Amount]))"
    calc["B3"] = '=SUMIFS(T[Amount],T[Event],"Conversion")'
    calc["B4"] = "=COUNTIF(T[Check],FALSE)=0"
    calc["B5"] = '=COUNTIF(T[Flags],"*reserve:*")=0'
    calc["B6"] = '=_xlfn.MAXIFS(T[Share],T[Event],"Conversion")<=cap+1E-12'
    calc["B7"] = "=ROUND(SUM(T[Amount])-SUM(T[Amount])-SUM(T[Share])-INDEX(T[Amount],ROWS(T[Amount])),2)=0"
    calc["B8"] = "=AND(B4:B6)"
    calc["B9"] = "=IF(AND(ISNUMBER(latest),MAX(T[Date])>=latest),INDEX(T[Amount],ROWS(T[Amount]))=0,TRUE)"
    calc["B10"] = '=status="OK"'
    calc["B11"] = "=master"
    calc["B12"] = "=SUM(T[Amount])*2"  # another shape: pycel's
    return wb


def test_the_summary_and_checks_shapes_by_excels_rules_without_pycel(tmp_path):
    wb = _table_book()
    path, plain = tmp_path / "table.xlsx", tmp_path / "plain.xlsx"
    wb.save(plain)
    report = save_with_values(wb, path)
    got = {ref.split("!")[1]: v for ref, v in report.values.items()}
    assert report.complete
    # by hand: text ("n/a") and blanks ignored; the criterion "Conversion" matches "conversion"
    assert got["B1"] == 1000 + 250.5 + 100 == 1350.5
    assert got["B2"] == 100  # the last row
    assert got["B3"] == 250.5  # the conversion rows: 250.5 and a text
    assert got["B4"] is True  # no FALSE in Check
    assert got["B5"] is False  # "Reserve: short" contains "reserve:", ignoring case
    assert got["B6"] is True  # max(0.049, 0.03) = 0.049 <= 0.05
    # 1350.5 - 1350.5 - (0.01 + 0.049 + 0.03) - 100 = -100.089: not 0
    assert got["B7"] is False
    assert got["B8"] is False  # B5 is FALSE
    # latest 2023-04-03 is a number (Excel's day 45,019) and the last date reaches it: the last amount, 100, is not 0
    assert got["B9"] is False
    assert got["B10"] is True  # "ok" = "OK" ignoring case
    assert got["B11"] is False  # master is Calc!B8
    assert got["B12"] == 2701.0  # pycel: 1350.5 * 2
    # pycel from the file gives each the same
    assert cache_formula_values(plain).values == report.values
    # every shape but B12's calculated without pycel
    refs = [f"Calc!B{i}" for i in range(1, 13)]
    assert sorted(_TableFormulas(wb, {}).values(refs)) == sorted(refs[:11])


def test_an_error_value_in_a_column_leaves_the_formula_to_pycel(tmp_path):
    wb = _table_book()
    wb["Data"]["C3"] = "#N/A"  # text that reads as an error: pycel's rule (the error) is kept
    wb["Data"]["C3"].data_type = "s"
    path, plain = tmp_path / "table.xlsx", tmp_path / "plain.xlsx"
    wb.save(plain)
    report = save_with_values(wb, path)
    assert report.values["Calc!B1"] == cache_formula_values(plain).values["Calc!B1"] == "#N/A"
