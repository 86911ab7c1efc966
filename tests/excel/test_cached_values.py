"""Books carry their formulas' values: the shipped template and a refreshed book, read without
calculating (openpyxl ``data_only=True``, as pandas, previewers and Excel without the UDFs read
them), show the deal's figures (by hand below) in every formula cell of Summary, Checks, Conversions and
Position; and ascent_xl.excel.cached on small hand-made books."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ascent_xl.excel import layout as L
from ascent_xl.excel.cached import cache_formula_values, save_with_values
from ascent_xl.excel.workbook_io import refresh_file
from tests.helpers import sample_figures as F
from tests.helpers.books import copy_book, table_records

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks"
OWNED_SHEETS = (L.SUMMARY, L.CHECKS, L.CONVERSIONS, L.POSITION, L.NOTICE)


def formula_cells(path: Path) -> dict[str, object]:
    """Every formula cell of the sheets the book owns -> its cached value as stored."""
    formulas = load_workbook(path)
    values = load_workbook(path, data_only=True)
    out = {}
    for title in OWNED_SHEETS:
        if title not in formulas.sheetnames:
            continue
        for row in formulas[title].iter_rows():
            for cell in row:
                formula = getattr(cell.value, "text", cell.value)  # an array formula's text
                if isinstance(formula, str) and formula.startswith("="):
                    out[f"{title}!{cell.coordinate}"] = values[title][cell.coordinate].value
    return out


def full_calc_on_load(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return b"fullCalcOnLoad" in zf.read("xl/workbook.xml")


def check_against_hand_figures(path: Path) -> None:
    cached = formula_cells(path)
    assert len(cached) >= 30
    empty = [ref for ref, value in cached.items() if not isinstance(value, int | float | str)]
    assert not empty, f"formula cells without a value: {empty}"
    first = L.SUMMARY_FIRST_ROW
    want = {  # Summary rows in layout order (the formula rows), by hand: tests/helpers/sample_figures.py
        "Principal issued": F.PRINCIPAL_ISSUED,
        "Principal converted": F.PRINCIPAL_CONVERTED,
        "Principal repaid in cash": F.PRINCIPAL_REPAID,
        "Principal outstanding": 0,  # all converted or repaid by the end of the sample
        "Conversion shares, restated": F.SHARES_RESTATED,
        "Floor payments": F.FLOOR_PAYMENTS,
        "Shares outstanding": F.SHARES_OUTSTANDING,
        "Holder ownership": F.HOLDER_OWNERSHIP,
    }
    rows = {label: first + i for i, (label, _, _) in enumerate(L.SUMMARY_VALUES)}
    for label, value in want.items():
        assert cached[f"{L.SUMMARY}!B{rows[label]}"] == pytest.approx(value, abs=0.005), label
    for i, (label, _, _) in enumerate(L.CHECK_ROWS):
        assert cached[f"{L.CHECKS}!B{L.CHECKS_FIRST_ROW + i}"] is True, label
    for title in OWNED_SHEETS:
        if f"{title}!B3" in cached:
            assert cached[f"{title}!B3"] is True, f"{title}: master check"
    values = load_workbook(path, data_only=True)
    notices = table_records(values, L.CONVERSIONS, L.CONVERSIONS_TABLE)
    assert len(notices) >= 5
    for i in range(len(notices)):  # every quote row: a number in each price, shares and payment cell
        row = [c.value for c in values[L.CONVERSIONS][L.conversions_output(1, row=L.TABLE_HEADER_ROW + 1 + i)][0]]
        assert all(isinstance(v, int | float) for v in row), (i, row)
    # (the figures themselves, by hand: tests/excel/test_template_state_sheets.py)


@pytest.mark.parametrize("suffix", ["xlsx", "xlsm"])
def test_the_shipped_template_carries_the_deals_figures(suffix):
    book = SHIPPED / f"ascent_advance_notes.{suffix}"
    check_against_hand_figures(book)
    assert not full_calc_on_load(book)


def test_a_refreshed_book_carries_the_values_of_its_new_inputs(tmp_path):
    book = copy_book(SHIPPED / "ascent_advance_notes.xlsx", tmp_path)
    wb = load_workbook(book)
    assert wb[L.CONVERSIONS]["A6"].value.date() == dt.date(2023, 1, 10)
    wb[L.CONVERSIONS]["B6"] = 100_000  # a user's edit, saved by a tool that keeps no values
    wb.save(book)
    assert load_workbook(book, data_only=True)[L.CONVERSIONS]["E6"].value is None
    assert refresh_file(book).ok
    check_against_hand_figures(book)
    got = load_workbook(book, data_only=True)[L.CONVERSIONS]
    # 92.5% of the 3 lowest of the 10 VWAPs before 2023-01-10 (2.0982, 2.1746, 2.1759); the fixed
    # price $3.93042 is higher and the floor $0.29 lower; 100,000 / price, rounded up
    price = 0.925 * (2.0982 + 2.1746 + 2.1759) / 3
    assert got["E6"].value == pytest.approx(price, rel=1e-12)
    assert got["F6"].value == math.ceil(100_000 / price) == 50_293
    assert not full_calc_on_load(book)


def test_values_of_each_kind_are_stored_as_excel_types(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Calc"
    ws["A1"], ws["A2"], ws["A3"], ws["A4"], ws["A5"] = 2, "=A1*3.5", '="x"&"<y>"', "=A1>1", "=A1/0"
    path = tmp_path / "kinds.xlsx"
    report = save_with_values(wb, path)
    assert report.complete and report.values == {"Calc!A2": 7.0, "Calc!A3": "x<y>", "Calc!A4": True,
                                                 "Calc!A5": "#DIV/0!"}
    got = load_workbook(path, data_only=True)["Calc"]
    assert (got["A2"].value, got["A3"].value, got["A4"].value, got["A5"].value) == (7, "x<y>", True, "#DIV/0!")
    assert load_workbook(path)["Calc"]["A2"].value == "=A1*3.5"  # the formula stays
    assert not full_calc_on_load(path)


def test_a_formula_it_cannot_calculate_stays_empty_and_excel_recalculates(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 5, "=A1+1", "=NOT_A_FUNCTION(A1)"
    path = tmp_path / "unknown.xlsx"
    wb.save(path)
    report = cache_formula_values(path)
    assert report.values == {"Sheet!A2": 6.0} and list(report.missing) == ["Sheet!A3"]
    got = load_workbook(path, data_only=True)["Sheet"]
    assert got["A2"].value == 6 and got["A3"].value is None
    assert full_calc_on_load(path)  # Excel must calculate what could not be cached


def test_values_the_caller_knows_are_stored_as_given_and_not_calculated_again(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Calc"
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = 2, "=A1*3.5", "=NOT_A_FUNCTION(A1)", "=NOT_A_FUNCTION(A2)"
    path = tmp_path / "known.xlsx"
    # A3 and A4 are known (pycel could not calculate them); A1 is not a formula: ignored
    report = save_with_values(wb, path, known={"Calc!A3": 41.5, "Calc!A4": dt.date(2023, 1, 10), "Calc!A1": 9})
    # 2023-01-10 is Excel's day 44,936 (2023-01-01 is 44,927)
    assert report.complete and report.values == {"Calc!A2": 7.0, "Calc!A3": 41.5, "Calc!A4": 44936.0}
    got = load_workbook(path, data_only=True)["Calc"]
    assert (got["A1"].value, got["A2"].value, got["A3"].value) == (2, 7, 41.5)
    assert not full_calc_on_load(path)
