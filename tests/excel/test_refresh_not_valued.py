"""A book whose deal state on the valuation date the Monte Carlo does not model (a default
outstanding, notes of two holders) refreshes its schedule and every other output; the Valuation
sheet says "Not valued" and why, and so does `ascent-xl refresh`. (The whole refresh used to be
refused, the book unchanged.)"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.excel import layout as L

_register()


def _book(tmp_path, valuation_date):
    book = tmp_path / "book.xlsx"
    shutil.copy("workbooks/ascent_advance_notes.xlsx", book)
    wb = openpyxl.load_workbook(book)
    ws = wb[L.VALUATION]
    row = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "valuation_date")
    ws.cell(row=row, column=2).value = valuation_date
    wb.save(book)
    return book


def test_a_default_outstanding_on_the_valuation_date_is_not_valued_and_the_rest_refreshes(tmp_path):
    book = _book(tmp_path, dt.date(2023, 3, 15))  # the sample deal is in default 2023-03-10 to 03-29
    r = CliRunner().invoke(cli, ["refresh", str(book)], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "refreshed" in out and "64 schedule rows" in out
    assert ("Not valued (the Valuation sheet says why): valuation date 2023-03-15: note Registered is in default "
            "(since 2023-03-10, not waived)") in out
    wb = openpyxl.load_workbook(book)
    ws = wb[L.VALUATION]
    # under the settings (printed with them); the results area is left blank
    assert ws["A16"].value == "Not valued" and ws["A17"].value.startswith("valuation date 2023-03-15: note Registered")
    assert ws["F5"].value is None
    assert wb[L.SUMMARY][L.CELLS[L.STATUS][1]].value == "OK"
    # refreshed again, unchanged: it still says why
    again = CliRunner().invoke(cli, ["refresh", str(book)], env={"COLUMNS": "80"})
    assert again.exit_code == 0 and "Unchanged since the last refresh" in again.output
    assert "Not valued (the Valuation sheet says why): valuation date 2023-03-15" in " ".join(again.output.split())


def test_a_valued_book_says_nothing_of_it(tmp_path):
    r = CliRunner().invoke(cli, ["refresh", "--full", str(_book(tmp_path, dt.date(2023, 3, 30)))])
    assert r.exit_code == 0, r.output
    assert "Not valued" not in r.output and "; valuation " in " ".join(r.output.split())


def test_valued_again_the_reason_is_cleared_and_the_results_written(tmp_path):
    book = _book(tmp_path, dt.date(2023, 3, 15))  # in default: not valued
    assert CliRunner().invoke(cli, ["refresh", str(book)]).exit_code == 0
    # a --full refresh reads the reason it wrote under the settings as its own (not refused)
    again = CliRunner().invoke(cli, ["refresh", "--full", str(book)])
    assert again.exit_code == 0 and "Not valued (the Valuation sheet says why)" in " ".join(again.output.split())
    wb = openpyxl.load_workbook(book)
    ws = wb[L.VALUATION]
    row = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "valuation_date")
    ws.cell(row=row, column=2).value = dt.date(2023, 3, 30)  # waived on 03-29: valued
    wb.save(book)
    r = CliRunner().invoke(cli, ["refresh", str(book)])
    assert r.exit_code == 0 and "Not valued" not in r.output
    ws = openpyxl.load_workbook(book)[L.VALUATION]
    assert ws["F5"].value == "Inputs"
    assert all(ws.cell(row=r, column=c).value is None for r in range(16, 31) for c in range(1, 5))


def test_what_someone_typed_under_the_settings_is_not_written_over(tmp_path):
    # e.g. a book made before the reason was written there, with a note of the user's in A:D
    for cell in ("A20", "B16"):
        book = _book(tmp_path, dt.date(2023, 3, 15))
        wb = openpyxl.load_workbook(book)
        wb[L.VALUATION][cell] = "my own note: vol from the 2023 board pack"
        wb.save(book)
        r = CliRunner().invoke(cli, ["refresh", str(book)], env={"COLUMNS": "80"})
        assert r.exit_code != 0
        out = " ".join(r.output.split())
        assert (f"Valuation!{cell}: holds 'my own note: vol from the 2023 board pac', where the refresh writes "
                "why a deal is not valued (A16:D30, under the settings); move it elsewhere and refresh (the book was not changed)") in out
        assert openpyxl.load_workbook(book)[L.VALUATION][cell].value == "my own note: vol from the 2023 board pack"


def test_the_area_is_read_at_once_in_excel(tmp_path):
    # through xlwings (its stand-in over the same book), the check of A16:D30 and the reason read
    # the area in one call each, not cell by cell (60 round trips to Excel)
    from ascent_xl.excel import macros
    from ascent_xl.excel.book import XlwingsBook
    from tests.helpers.books import load
    from tests.helpers.fake_xlwings import FakeBook

    wb = load(_book(tmp_path, dt.date(2023, 3, 15)))
    fake = FakeBook(wb)
    result = macros.refresh(fake)
    assert result.ok and result.not_valued.startswith("valuation date 2023-03-15: note Registered is in default")
    note_reads = [r for r in fake.reads if r[0] == L.VALUATION and r[1] >= 16 and r[3] <= 30 and r[4] <= 4]
    assert (L.VALUATION, 16, 1, 30, 4) in note_reads  # the check: A16:D30 at once
    assert (L.VALUATION, 16, 1, 30, 1) in note_reads  # the title and the reason: A16:A30 at once
    # besides those two, only the title A16 is read alone (whether the area is the refresh's):
    # 4 reads in all, where the cell-by-cell check and reason made 60 + 15
    assert set(note_reads) == {(L.VALUATION, 16, 1, 30, 4), (L.VALUATION, 16, 1, 30, 1), (L.VALUATION, 16, 1, 16, 1)}
    assert len(note_reads) <= 4
    # the reads' shapes as xlwings gives them (a row, a column, a cell: flat or single)
    book = XlwingsBook(fake)
    assert book.read_area(L.VALUATION, "A16:B16") == [["Not valued", None]]
    assert book.read_area(L.VALUATION, "A16:A17")[0] == ["Not valued"]
    assert book.read_area(L.VALUATION, "A16") == [["Not valued"]]
    assert len(book.read_area(L.VALUATION, "A16:D30")) == 15 and {len(r) for r in book.read_area(L.VALUATION, "A16:D30")} == {4}


def test_every_reader_reads_an_area_alike(tmp_path):
    # openpyxl, python-calamine and xlwings (its stand-in) give the same rows for A16:D18 of a
    # "Not valued" book, and None past the sheet's used range
    from ascent_xl.excel.book import OpenpyxlBook, XlwingsBook
    from ascent_xl.excel.fastread import CalamineBook
    from tests.helpers.books import load
    from tests.helpers.fake_xlwings import FakeBook

    book = _book(tmp_path, dt.date(2023, 3, 15))
    assert CliRunner().invoke(cli, ["refresh", str(book)]).exit_code == 0
    readers = [OpenpyxlBook(load(book)), CalamineBook(book), XlwingsBook(FakeBook(load(book)))]
    areas = [reader.read_area(L.VALUATION, "A16:D18") for reader in readers]
    assert areas[0][0] == ["Not valued", None, None, None]
    assert areas[0][1][0].startswith("valuation date 2023-03-15: note Registered is in default")
    assert areas[0] == areas[1] == areas[2]
    assert all(reader.read_area(L.VALUATION, "AA900:AB900") == [[None, None]] for reader in readers)
