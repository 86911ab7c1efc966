"""The Valuation results print without a table cut across two pages: Refresh puts a page break
before a table that would run over a page's end (formats.table_page_breaks, from the rows an A4
page holds at the print scale, formats.page_rows). The shipped book, refreshed, rendered by
LibreOffice: every table's rows on one page."""

from __future__ import annotations

import shutil
import subprocess
from types import SimpleNamespace

import openpyxl
import pytest

from ascent_xl.excel import layout as L
from ascent_xl.excel.book import XL_PAGE_BREAK_MANUAL, _page_breaks
from ascent_xl.excel.formats import page_rows, table_page_breaks
from ascent_xl.excel.render import _show_only, converted
from ascent_xl.excel.workbook_io import refresh_file
from ascent_xl.valuation.results import CONVERTED_LABEL
from tests.helpers.soffice import require_pdftoppm


def test_rows_a_page_holds_by_hand():
    # portrait A4 inside 0.4" sides: 7.47" = 717 px; F:K = 7 x (34 + 30 + 18 + 19 + 16 + 16) =
    # 931 px: 77.0%; 9.69" = 697.7 pt of 15-pt rows at 77.0% = 60.4 rows, 2 spare: 58
    assert page_rows(L.VALUATION_OUTPUT_WIDTHS, portrait=True) == 58
    # landscape: 11.69 - 0.8 = 10.89" = 1,045 px, the 931 fit unscaled; 8.27 - 2 = 6.27" = 451 pt
    # = 30.1 rows, 2 spare: 28
    assert page_rows(L.VALUATION_OUTPUT_WIDTHS, portrait=False) == 28


def test_a_table_longer_than_a_page_breaks_where_it_falls():
    stack = [["A"], *([i] for i in range(8)), [], ["B"], [1]]
    # A (9 rows) runs over two pages and with its blank row fills the second: B begins the third
    assert table_page_breaks(stack, 5) == []
    assert table_page_breaks([["A"], [1], [], ["B"], *([i] for i in range(6))], 5) == []  # B never fits one page


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("breaks")
    book = folder / "book.xlsx"
    shutil.copy("workbooks/ascent_advance_notes.xlsx", book)
    refresh_file(book, full=True)
    return book


def test_the_refreshed_book_breaks_before_the_table_that_would_be_cut(refreshed):
    ws = openpyxl.load_workbook(refreshed)[L.VALUATION]
    sheet, area = L.VALUATION_OUTPUT
    titles = {ws.cell(row=r, column=6).value: r for r in range(5, 121)
              if ws.cell(row=r, column=6).value and ws.cell(row=r - 1, column=6).value is None}
    # the page begins at row 5: Inputs (rows 5-29), Fair value (31-36), Shares issued (38-47),
    # Floor payments (49-60), each with the blank row after it, fill 57 of its 58 rows; Expected
    # cash (62-71) would end on its 67th row: the next page begins before it
    assert [titles[t] for t in ("Inputs", "Fair value", "Shares issued", "Floor payments", "Expected cash")] == [
        5, 31, 38, 49, 62]
    assert [b.id + 1 for b in ws.row_breaks.brk] == [62]


def test_no_printed_table_is_cut(refreshed, tmp_path):
    require_pdftoppm()
    copy = tmp_path / "v.xlsx"
    shutil.copy(refreshed, copy)
    _show_only(copy, [L.VALUATION])
    with converted(copy, "pdf", timeout=120) as pdf:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    pages = text.split("\f")
    where = {label: [i for i, p in enumerate(pages) if label in p] for label in (
        "Expected cash", "Cash paid by the company", "Total cash", CONVERTED_LABEL,
        "Fair value", "Total", "Run", "Assumption")}
    assert where["Expected cash"] == where["Total cash"] == where[CONVERTED_LABEL]  # one page
    assert len(where["Expected cash"]) == 1
    assert where["Run"][-1] == where["Assumption"][-1]


class _Break:
    def __init__(self, row, kind, book):
        self.Location, self.Type, self._book = SimpleNamespace(Row=row), kind, book

    def Delete(self):  # noqa: N802 (Excel's object model)
        self._book.remove(self)


class _Breaks(list):
    Count = property(len)

    def Item(self, k):  # noqa: N802
        return self[k - 1]

    def Add(self, before):  # noqa: N802
        self.append(_Break(before.row, XL_PAGE_BREAK_MANUAL, self))


def test_excel_keeps_its_own_breaks_and_those_outside_the_area():
    breaks = _Breaks()
    breaks += [_Break(3, XL_PAGE_BREAK_MANUAL, breaks), _Break(40, XL_PAGE_BREAK_MANUAL, breaks),
               _Break(70, -4105, breaks)]  # -4105: xlPageBreakAutomatic
    sheet = SimpleNamespace(api=SimpleNamespace(HPageBreaks=breaks),
                            range=lambda cell: SimpleNamespace(api=SimpleNamespace(row=cell[0])))
    _page_breaks(sheet, 5, 120, [61])
    assert sorted((b.Location.Row, b.Type) for b in breaks) == [(3, XL_PAGE_BREAK_MANUAL), (61, XL_PAGE_BREAK_MANUAL),
                                                               (70, -4105)]
    _page_breaks(SimpleNamespace(api=SimpleNamespace()), 5, 120, [61])  # no HPageBreaks (macOS, Lite): nothing


def test_the_results_are_the_widest_printed_part():
    """page_rows fits F:K to the page: the settings (A:D), printed on their own page at the same
    scale, must be narrower, or the scale would be theirs."""
    ws = openpyxl.load_workbook("workbooks/ascent_advance_notes.xlsx")[L.VALUATION]
    settings = sum(ws.column_dimensions[c].width for c in "ABCD")
    assert [ws.column_dimensions[c].width for c in "FGHIJK"] == list(L.VALUATION_OUTPUT_WIDTHS)
    assert settings < sum(L.VALUATION_OUTPUT_WIDTHS)
