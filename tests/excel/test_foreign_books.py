"""Books from other spreadsheets: a formula typed in an input cell reads as its value on both
paths (headless and the Excel button); a book saved by LibreOffice refreshes with its Summary
chart kept; a chart that cannot be read is refused, never dropped."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import layout as L
from ascent_xl.excel.book import OpenpyxlBook, XlwingsBook
from ascent_xl.excel.cached import cache_formula_values
from ascent_xl.excel.refresh import read_terms
from ascent_xl.excel.workbook_io import refresh_file
from tests.helpers.books import copy_book
from tests.helpers.fake_xlwings import FakeBook
from tests.helpers.soffice import require_soffice

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks" / "ascent_advance_notes.xlsx"


TERM, VALUE = L.TERMS_COLUMNS.index("Term") + 1, L.TERMS_COLUMNS.index("Value") + 1


def _row(ws, term: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=TERM).value == term)


def test_a_formula_in_an_input_cell_reads_as_its_value_on_both_paths(tmp_path):
    book = copy_book(SHIPPED, tmp_path)
    wb = load_workbook(book)
    r = _row(wb[L.INPUTS], "conversion.floor_price")
    wb[L.INPUTS].cell(row=r, column=VALUE).value = "=0.2+0.09"  # the user's formula, saved without a value
    wb.save(book)
    result = refresh_file(book)
    assert not result.ok
    assert f"Inputs!C{r}: holds the formula =0.2+0.09 with no saved value" in result.status
    cache_formula_values(book)  # what Excel or LibreOffice does when it saves: the value beside it
    headless = read_terms(OpenpyxlBook(load_workbook(book), values=lambda: load_workbook(book, data_only=True)))
    button = read_terms(XlwingsBook(FakeBook(load_workbook(book, data_only=True))))  # Excel reads values
    assert headless.conversion.floor_price == button.conversion.floor_price == pytest.approx(0.29)
    assert refresh_file(book).ok
    assert load_workbook(book)[L.INPUTS].cell(row=r, column=VALUE).value == "=0.2+0.09"  # the formula stays


def test_an_unreadable_chart_is_refused_not_dropped(tmp_path):
    book = copy_book(SHIPPED, tmp_path)
    wb = load_workbook(book)
    ws = wb[L.VALUATION]
    extra = BarChart()
    extra.add_data(Reference(ws, min_col=2, min_row=5, max_row=8))
    ws.add_chart(extra, "M20")
    wb.save(book)
    with zipfile.ZipFile(book) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    charts = sorted(n for n in parts if n.startswith("xl/charts/chart"))
    assert len(charts) == 2
    bar = next(n for n in charts if b"barChart" in parts[n])
    parts[bar] = parts[bar].replace(b'<gapWidth val="150"', b'<gapWidth val="wide"', 1)  # not a number
    with zipfile.ZipFile(book, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    before = book.read_bytes()
    with pytest.raises(WorkbookError, match=r"1 chart\(s\) in it cannot be read here"):
        refresh_file(book)
    assert book.read_bytes() == before


@pytest.mark.libreoffice
def test_a_book_saved_by_libreoffice_refreshes_with_its_chart(tmp_path):
    require_soffice()
    from ascent_xl.excel.render import converted

    with converted(SHIPPED, "xlsx", timeout=180) as made:
        book = copy_book(made, tmp_path, "from_libreoffice.xlsx")
    saved = load_workbook(book)
    booleans = [c.value for row in saved[L.INPUTS].iter_rows(min_col=VALUE, max_col=VALUE) for c in row
                if c.value in ("=TRUE()", "=FALSE()")]
    assert booleans  # LibreOffice writes TRUE/FALSE inputs as formulas
    result = refresh_file(book)
    assert result.ok, result.status
    assert len(load_workbook(book)[L.SUMMARY]._charts) == 1
    values = load_workbook(book, data_only=True)
    shipped = load_workbook(SHIPPED, data_only=True)
    for i in range(len(L.SUMMARY_VALUES)):
        cell = f"B{L.SUMMARY_FIRST_ROW + i}"
        assert values[L.SUMMARY][cell].value == shipped[L.SUMMARY][cell].value, cell
    assert values[L.CHECKS]["B3"].value is True


def test_a_long_formula_without_a_saved_value_is_named_by_its_cell_start_and_length(tmp_path):
    """A formula of thousands of characters (a user's nested IFs) saved without a value: the
    refusal names the cell, the formula's first 40 characters and its length, not the whole
    formula (the status cell and the terminal line stay readable)."""
    book = copy_book(SHIPPED, tmp_path)
    wb = load_workbook(book)
    r = _row(wb[L.INPUTS], "conversion.floor_price")
    formula = "=" + "+".join(["0.0001"] * 600)  # 1 + 600 x 6 + 599 = 4,200 characters
    assert len(formula) == 4_200
    wb[L.INPUTS].cell(row=r, column=VALUE).value = formula
    wb.save(book)
    result = refresh_file(book)
    assert not result.ok
    start = "=0.0001+0.0001+0.0001+0.0001+0.0001+0.00"  # the first 40 characters
    assert (f"Inputs!C{r}: holds a formula of 4,200 characters, starting {start}... with no saved value; "
            "open and save the book in Excel (or type the value) and refresh") in result.status
    assert len(result.status) < 250


def test_a_short_formula_without_a_saved_value_is_shown_whole():
    from openpyxl import Workbook

    from ascent_xl.excel.book import formula_excerpt

    assert formula_excerpt("=0.2+0.09") == "the formula =0.2+0.09"
    sixty = "=" + "1+" * 29 + "1"  # 60 characters: whole
    assert len(sixty) == 60 and formula_excerpt(sixty) == f"the formula {sixty}"
    assert formula_excerpt(sixty + "+1") == f"a formula of 62 characters, starting {sixty[:40]}..."
    wb = Workbook()
    ws = wb.active
    ws.title = "Events"
    ws["D7"] = "=IF(A1>0,\n  1,\n  2)"  # typed over lines: shown on one line
    with pytest.raises(WorkbookError, match=r"^Events!D7: holds the formula =IF\(A1>0, 1, 2\) with no saved value"):
        OpenpyxlBook(wb).read_cell("Events", "D7")
