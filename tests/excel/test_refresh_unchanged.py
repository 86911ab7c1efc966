"""A headless refresh of a book that already holds the results of its inputs leaves the file as
it is (issue 15: write only what changed); anything else (a changed input, an edited result, a
formula without a value, no python-calamine) is a full refresh."""

from __future__ import annotations

import hashlib
import re
import sys
import zipfile

import pytest

from ascent_xl.excel import _package as pkg
from ascent_xl.excel import layout as L
from ascent_xl.excel.fastread import CalamineBook, current_results, same
from ascent_xl.excel.template import build_template
from ascent_xl.excel.workbook_io import refresh_file
from ascent_xl.fileio import backup_path
from tests.helpers.books import copy_book, load

pytest.importorskip("python_calamine")
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("template"), xlsm=False)[0]


@pytest.fixture()
def book(template, tmp_path):
    path = copy_book(template, tmp_path)
    assert refresh_file(path).ok  # as a refresh leaves it
    backup_path(path).unlink(missing_ok=True)
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _patch_sheet(path, sheet, edit):
    """Edit one sheet's XML in place (no openpyxl save, which would drop every formula's value)."""
    with zipfile.ZipFile(path) as zf:
        part = next(s.part for s in pkg.sheets(zf, path) if s.title == sheet)
        xml = zf.read(part)
    new = edit(xml)
    assert new != xml
    pkg.rewrite_zip(path, {part: new})


def test_an_unchanged_book_is_left_as_it_is(book):
    before = _digest(book)
    result = refresh_file(book)
    assert result.ok and not result.written
    assert "the book was not changed" in result.status
    assert _digest(book) == before
    assert not backup_path(book).exists()
    # the totals it reports are the ledger's on the same inputs, as a full refresh reports them
    full = refresh_file(book, book.with_name("copy.xlsx"))
    assert full.written
    assert result.schedule.rows == full.schedule.rows


def test_an_edited_result_is_written_again(book):
    table = CalamineBook(book).read_table(L.SCHEDULE, L.SCHEDULE_TABLE)
    column = "Principal After"
    i = next(k for k, row in enumerate(table.rows) if row[table.header.index(column)] == 2_500_000)
    cell = table.address(i, column).split("!")[1]  # the private note's $2,500,000 after its issue
    _patch_sheet(book, L.SCHEDULE, lambda xml: re.sub(rb'(<c r="' + cell.encode() + rb'"[^>]*><v>)[^<]*(</v>)',
                                                      rb"\g<1>2500001\g<2>", xml, count=1))
    assert CalamineBook(book).read_cell(L.SCHEDULE, cell) == 2_500_001
    assert current_results(book) is None
    result = refresh_file(book)
    assert result.ok and result.written
    assert CalamineBook(book).read_cell(L.SCHEDULE, cell) == 2_500_000
    assert CalamineBook(book).read_table(L.SCHEDULE, L.SCHEDULE_TABLE).rows == table.rows


def test_a_changed_input_is_a_full_refresh(book):
    wb = load(book)
    ws = wb[L.INPUTS]
    term = next(c for row in ws.iter_rows() for c in row if c.value == "conversion.floor_price")
    ws.cell(row=term.row, column=term.column + 1).value = 0.20  # its Value, beside the Term
    wb.save(book)  # openpyxl: the formulas lose their values too
    result = refresh_file(book)
    assert result.ok and result.written
    assert current_results(book) is not None  # and now it is current again


def test_a_formula_without_a_value_is_a_full_refresh(book):
    with zipfile.ZipFile(book) as zf:
        part = pkg.workbook_part(zf)
        xml = zf.read(part)
    pkg.rewrite_zip(book, {part: re.sub(rb"<calcPr\b", b'<calcPr fullCalcOnLoad="1"', xml, count=1)})
    assert current_results(book) is None
    assert refresh_file(book).written


def test_without_python_calamine_it_is_a_full_refresh(book, monkeypatch):
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    assert current_results(book) is None
    assert refresh_file(book).written


def test_same_reads_back_what_openpyxl_stores():
    import datetime as dt

    assert same(1.9883491666666668, 1.988349166666667)  # 16 significant digits in the file
    assert not same(1.98834916, 1.98834917)
    assert same(dt.date(2023, 1, 3), dt.datetime(2023, 1, 3))
    assert same(None, "") and not same(0, None) and not same(True, 1) and not same("1", 1)
