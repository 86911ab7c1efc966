"""``ascent-xl schedule --out FILE.xlsx`` and ``price --notices ... --out FILE.xlsx``: columns as
wide as their values (the note ``Registered-PIK1``, the schedule's long Flags and Detail wrapped
on rows tall enough), and printed landscape, fit to as many pages across as the widths need,
the header row repeated on every page."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from ascent_xl.events import events_from_csv
from ascent_xl.excel.export import export_rows_xlsx, export_schedule_xlsx
from ascent_xl.excel.formats import wrapped_lines
from ascent_xl.ledger import run_ledger
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    market = MarketData.from_csv(data_path(SAMPLE_VWAPS), calendar=ASTI_2022.calendar)
    schedule = run_ledger(ASTI_2022, events_from_csv(data_path(SAMPLE_EVENTS)), market)
    path = tmp_path_factory.mktemp("export") / "sched.xlsx"
    export_schedule_xlsx(schedule, path)
    return load_workbook(path)


def column(ws, name):
    from openpyxl.utils import get_column_letter

    j = next(c.column for c in ws[1] if c.value == name)
    return get_column_letter(j)


def test_the_note_column_fits_registered_pik1(book):
    ws = book["Schedule"]
    assert ws.column_dimensions[column(ws, "Note")].width >= len("Registered-PIK1") + 2
    ws = book["Summary"]
    assert ws.column_dimensions[column(ws, "Note")].width >= len("Registered-PIK1") + 2


def test_long_text_wraps_on_a_row_tall_enough(book):
    ws = book["Schedule"]
    detail = column(ws, "Detail")
    assert ws.column_dimensions[detail].width == 150  # as the book's Schedule: most details on one line
    rows = [c for c in ws[detail][1:] if c.value]
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in rows)
    dilutive = next(c for c in rows if c.value.startswith("10,000,000 shares at $0.1500"))
    # its detail is 213 characters: 2 lines of the 150-wide column in Calibri 11 (about 1.15
    # characters of prose a width unit: 172 a line), 15 points each
    assert len(dilutive.value) == 213
    assert ws.row_dimensions[dilutive.row].height == 2 * 15
    # no other row wraps: every other detail is under 150 digits, one line; rows not stated
    # taller (a tall row is as tall on every page across)
    assert [r for r, d in ws.row_dimensions.items() if d.height and r != dilutive.row] == []
    check = column(ws, "Check")
    assert ws[f"{check}2"].value is True and ws[f"{check}2"].alignment.horizontal == "center"


def test_wrapped_lines_keeps_words_whole():
    assert wrapped_lines("a" * 10, 60) == 1
    assert wrapped_lines(" ".join(["word"] * 20), 20) == 5  # 22 characters a line: 4 words (19) each
    assert wrapped_lines(None, 60) == 1
    assert wrapped_lines("x" * 200, 60) == 3  # a word wider than the column: cut at its edge


def test_wrapped_lines_measures_calibri_not_characters():
    """Widths by hand from Calibri's advances (units of 2,048 an em; a digit is 1,038, the
    unit of a column width): ``i`` is 470, ``W`` 1,822. 120 i's are 54.3 digits, one line of a
    column 60 wide (120 characters: two lines at a flat 1.1 a width unit); 34 W's are 59.7
    digits, more than the 58.5 a 60-wide column holds inside its margins (98% less 0.3, as
    LibreOffice draws Carlito): two lines."""
    assert wrapped_lines("i" * 120, 60) == 1
    assert wrapped_lines("W" * 33, 60) == 1  # 57.9 digits
    assert wrapped_lines("W" * 34, 60) == 2
    # the Schedule's row of 2023-03-15, as LibreOffice draws it in Carlito: one line
    assert wrapped_lines("election pik: interest paid in kind from 2023-03-15 (Registered, Private)", 60) == 1
    # and a row it wraps after "(unfloored": two
    assert wrapped_lines("alternate $0.25379, fixed $3.93042, floor $0.29000; floor binds (unfloored $0.25379): "
                         "floor payment in cash", 60) == 2


def test_every_sheet_prints_landscape_with_its_header_across_the_pages_its_width_needs(book, tmp_path):
    for ws in book:
        total = sum(d.width for d in ws.column_dimensions.values())
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToHeight == 0  # as many pages down as the rows need
        assert ws.page_setup.fitToWidth == -(-int(total) // 210)  # 210 characters a page across
        assert ws.print_title_rows.replace("$", "") == "1:1"
    assert book["Schedule"].page_setup.fitToWidth == 4 and book["Schedule"].print_title_cols.replace("$", "") == "A:C"
    path = export_rows_xlsx([{"Note": "Registered-PIK1", "Amount": 1250.5}], ("Note", "Amount"), {"Amount": "money"},
                            tmp_path / "q.xlsx", sheet="Conversions")
    ws = load_workbook(path)["Conversions"]
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows.replace("$", "") == "1:1"
    assert ws.column_dimensions["A"].width == len("Registered-PIK1") + 2
