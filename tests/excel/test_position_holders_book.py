"""The Position sheet's Holders table: ASCENT_HOLDERS on the sheet's As-of cell, placed by refresh
one blank row below the position's rows, its values stored in the book. End to end: a book made
by `ascent-xl new` from the sample files with the Private note held by InvestorB (its cap cut to
4%) and Investor giving notice of a 9.99% cap, refreshed as of 2023-02-01, read as a viewer reads
it (openpyxl ``data_only=True``). Figures by hand in tests/ledger/test_position_holders.py."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ascent_xl.cli import _register, cli
from ascent_xl.excel import layout as L
from ascent_xl.excel.book import parse_ref
from ascent_xl.excel.workbook_io import refresh_file
from ascent_xl.ledger.position import HOLDER_COLUMNS, POSITION_COLUMNS
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
_register()


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("holders")
    terms = folder / "t.toml"
    terms.write_text('base = "ASTI_2022"\n[notes.Private]\nholder = "InvestorB"\n')
    events = folder / "e.csv"
    events.write_text(data_path(SAMPLE_EVENTS).read_text() + "2023-01-11,Amendment,InvestorB,,ownership_cap = 0.04\n"
                      "2023-01-13,Amendment,Investor,,ownership_cap = 0.0999\n")
    path = folder / "holders.xlsx"
    r = CliRunner().invoke(cli, ["new", str(path), "--terms", str(terms), "--vwaps", str(data_path(SAMPLE_VWAPS)),
                                 "--events", str(events)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    wb = load_workbook(path)
    wb[L.POSITION][L.POSITION_AS_OF[1]] = dt.date(2023, 2, 1)
    wb.save(path)
    assert refresh_file(path).ok
    return path


def _column(ws, top: int, col: int) -> list:
    return [ws.cell(row=r, column=col).value for r in range(top, parse_ref(L.POSITION_AREA)[2] + 1)]


def test_the_holders_rows_sit_below_the_position_with_the_hand_figures(book):
    ws = load_workbook(book, data_only=True)[L.POSITION]
    r1, c1, _, _ = parse_ref(L.POSITION_AREA)
    notes = _column(ws, r1, c1)
    assert notes[0] == POSITION_COLUMNS[0]
    total = r1 + notes.index("Total")  # Registered and Private issued by 2023-02-01, then the total
    assert notes[1:notes.index("Total")] == ["Registered", "Private"]
    top = total + 2  # one blank row
    assert ws.cell(row=total + 1, column=c1).value is None
    first = L.column_index(L.HOLDERS_FIRST_COLUMN)
    rows = [[ws.cell(row=r, column=first + j).value for j in range(len(HOLDER_COLUMNS))] for r in range(top, top + 4)]
    assert rows[0] == list(HOLDER_COLUMNS)
    inv, b = (dict(zip(HOLDER_COLUMNS, r, strict=True)) for r in rows[1:3])
    assert rows[3] == [None] * len(HOLDER_COLUMNS)  # two holders, nothing below
    # 34,235,981 shares outstanding: Investor holds 55,169 under 4.99%, raised to 9.99% from
    # 2023-01-13 + 61 days = 2023-03-15: floor((4.99% x 34,235,981 - 55,169) / 95.01%) = 1,740,034
    assert (inv["Holder"], inv["Shares Held"]) == ("Investor", 55_169)
    assert inv["Ownership"] == pytest.approx(55_169 / 34_235_981, rel=1e-12)
    assert (inv["Ownership Cap"], inv["Cap Raised To"]) == (0.0499, 0.0999)
    assert inv["Raise From"] == dt.datetime(2023, 3, 15)
    assert inv["Cap Headroom (shares)"] == math.floor((0.0499 * 34_235_981 - 55_169) / 0.9501) == 1_740_034
    # InvestorB holds none under 4%: floor(4% x 34,235,981 / 96%) = 1,426,499; no raise
    assert (b["Holder"], b["Shares Held"], b["Ownership"], b["Ownership Cap"]) == ("InvestorB", 0, 0, 0.04)
    assert b["Cap Raised To"] is None and b["Raise From"] is None
    assert b["Cap Headroom (shares)"] == math.floor(0.04 * 34_235_981 / 0.96) == 1_426_499


def test_the_holders_are_an_array_formula_on_the_as_of_cell_with_the_books_formats(book):
    ws = load_workbook(book)[L.POSITION]
    r1, c1, _, _ = parse_ref(L.POSITION_AREA)
    total = r1 + _column(ws, r1, c1).index("Total")
    first = L.column_index(L.HOLDERS_FIRST_COLUMN)
    corner = ws.cell(row=total + 2, column=first)
    assert corner.value.text == L.HOLDERS_FORMULA and L.POSITION_AS_OF_NAME in L.HOLDERS_FORMULA
    assert L.HOLDERS_FORMULA.replace("ASCENT_HOLDERS", "ASCENT_POSITION") == L.POSITION_FORMULA
    last = L.column_letter(first + len(HOLDER_COLUMNS) - 1)
    assert corner.value.ref == f"{L.HOLDERS_FIRST_COLUMN}{total + 2}:{last}{total + 4}"  # header and two holders
    formats = [ws.cell(row=total + 3, column=first + j).number_format for j in range(len(HOLDER_COLUMNS))]
    shares, percent = formats[1], formats[2]
    assert shares.startswith("#,##0") and formats[6] == shares
    assert percent == "0.00%" and formats[3] == formats[4] == percent
    assert formats[5] == ws[L.POSITION_AS_OF[1]].number_format == "yyyy-mm-dd"  # the book's dates
    # every header reads on one line, in bold, in its column
    from ascent_xl.excel.formats import line_room, text_width

    for j, name in enumerate(HOLDER_COLUMNS):
        width = ws.column_dimensions[L.column_letter(first + j)].width
        assert text_width(name) * 1.05 <= line_room(width), name


def test_a_bad_as_of_date_is_refused_in_both_tables_with_one_message(book, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(book.read_bytes())
    wb = load_workbook(path)
    wb[L.POSITION][L.POSITION_AS_OF[1]] = "2023-13-01"
    wb.save(path)
    refresh_file(path)
    ws = load_workbook(path, data_only=True)[L.POSITION]
    r1, c1, _, _ = parse_ref(L.POSITION_AREA)
    message = ws.cell(row=r1, column=c1).value
    assert isinstance(message, str) and "as_of" in message and "2023-13-01" in message
    # the position's one cell, a blank row, the holders' one cell: the same words
    assert ws.cell(row=r1 + 2, column=L.column_index(L.HOLDERS_FIRST_COLUMN)).value == message
