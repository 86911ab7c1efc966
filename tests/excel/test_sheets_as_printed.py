"""What the printed books show (issue 15): the Valuation results' texts read from the left and
fit the print width (K), the "Not valued" reason wraps within the settings' (D), the Summary chart has no
Floor Price point for a deal without a floor and prints whole."""

from __future__ import annotations

import openpyxl
import pytest

from ascent_xl.cli import _register
from ascent_xl.excel import layout as L
from ascent_xl.excel.book import parse_ref
from ascent_xl.excel.formats import text_width
from ascent_xl.excel.refresh import _value_alignments
from ascent_xl.excel.template import summary_print_width_cm
from tests.helpers.books import canoo_book, table_records

_register()

SHIPPED = "workbooks/ascent_advance_notes.xlsx"


@pytest.fixture(scope="module")
def shipped():
    return openpyxl.load_workbook(SHIPPED)


@pytest.fixture(scope="module")
def canoo(tmp_path_factory):
    """A book of the Canoo June 2024 deal (no floor: floor_mode none, floor 0), VWAPs from 2.50
    falling 0.01 a day (to 1.46 over the 105 sessions), so the chart has prices below $2."""
    book = canoo_book(tmp_path_factory.mktemp("canoo"), end="2024-10-31", sessions=130,
                      price=lambda i: 2.50 - 0.01 * i)
    return openpyxl.load_workbook(book)


def _area(ws):
    r1, c1, r2, c2 = parse_ref(L.VALUATION_OUTPUT[1])
    return [[ws.cell(row=r, column=c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]


def test_the_run_table_texts_read_from_the_left_its_numbers_from_the_right(shipped):
    rows = _area(shipped[L.VALUATION])
    (top,) = [i for i, r in enumerate(rows) if r[0].value == "Run"]
    header, body = rows[top + 1], rows[top + 2:]
    assert [header[0].value, header[1].value] == ["Item", "Value"] and header[1].alignment.horizontal == "right"
    by_item = {r[0].value: r[1] for r in body if r[0].value}
    deal = by_item["Deal"]
    assert deal.value == "Ascent Solar advance notes, December 2022"
    # right-aligned, this text ran left over "Deal" and was cut ("olar advance notes, ...")
    assert (deal.alignment.horizontal, deal.alignment.indent) == ("left", 1)
    assumptions = [r[1] for r in body if r[0].value == "Assumption"]
    assert len(assumptions) == 6 and all(c.alignment.horizontal == "left" for c in assumptions)
    assert assumptions[0].value.startswith("GBM share price; VWAP = price x mean-one lognormal noise")
    assert (by_item["Paths"].value, by_item["Paths"].alignment.horizontal) == (20_000, "right")
    assert by_item["Valuation date"].alignment.horizontal == "right"


def test_every_valuation_text_ends_within_the_print_width(shipped, canoo):
    """A text with nothing right of it runs on over the empty cells to K, the last printed
    column: each fits that room (less the indent of a value)."""
    widths = L.VALUATION_OUTPUT_WIDTHS
    for wb in (shipped, canoo):
        for row in _area(wb[L.VALUATION]):
            filled = [j for j, c in enumerate(row) if c.value is not None]
            if filled and isinstance(row[filled[-1]].value, str):
                j = filled[-1]
                room = sum(widths[j:]) - (1 if j == 1 else 0)
                assert text_width(row[j].value) <= room, row[j].coordinate


def test_a_long_text_is_broken_into_lines_on_the_rows_below():
    """30 words "word" (4,334 font units: 4.175 digits; a space 0.446) as the Value of G, with
    G:K 99 digits wide less the indent: 98 x 0.98 - 0.3 = 95.74 digits a line; 20 words take
    20 x 4.175 + 19 x 0.446 = 91.97, 21 take 96.6: 20 on the row, 10 on the row below."""
    text = " ".join(["word"] * 30)
    rows, formats, aligns = _value_alignments(
        [["Run"], ["Item", "Value"], ["Assumption", text], ["Paths", 20_000]],
        [[None], [None, None], [None, None], [None, "#,##0"]])
    assert rows == [["Run"], ["Item", "Value"], ["Assumption", " ".join(["word"] * 20)],
                    [None, " ".join(["word"] * 10)], ["Paths", 20_000]]
    assert aligns == [[None], [None, "right"], [None, "left"], [None, "left"], [None, "right"]]
    assert formats[-1] == [None, "#,##0"]


def test_the_not_valued_reason_wraps_within_the_print_width(canoo):
    # under the settings, within their columns A:D (printed with them on the first page); the
    # results area F:K is blank
    ws = canoo[L.VALUATION]
    assert all(c.value is None for r in _area(ws) for c in r)
    r1, c1, r2, c2 = parse_ref(L.VALUATION_NOTE[1])
    rows = [[ws.cell(row=r, column=c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
    assert rows[0][0].value == "Not valued" and rows[0][0].font.b
    lines = []
    for r in rows[1:]:
        if r[0].value is None:
            break
        assert all(c.value is None for c in r[1:])  # one cell a line, nothing beside it
        lines.append(r[0].value)
    reason = " ".join(lines)
    assert reason.startswith("conversion.alternate_price_applies: the Monte Carlo valuation does not model")
    assert reason.endswith("or set the term back to the Ascent deal's shape to value an approximation")
    # about 250 characters: one line ran 200 digits past K; lines of 120 digits, within A:D
    settings = sum(ws.column_dimensions[c].width for c in "ABCD")
    assert L.VALUATION_NOTE_WIDTH <= settings == 125
    assert len(lines) == 2 and text_width(reason) > L.VALUATION_NOTE_WIDTH
    assert all(text_width(line) <= 0.98 * L.VALUATION_NOTE_WIDTH for line in lines)


def test_a_deal_without_a_floor_has_no_floor_point_on_the_chart(canoo, shipped):
    rows = table_records(canoo, L.SUMMARY, L.CHART_TABLE)
    assert len(rows) > 80
    # a floor of 0 on a log axis: LibreOffice dropped the axis to $1.00 and cut the VWAPs below
    assert all(r["Floor Price"] is None for r in rows)
    assert rows[0]["VWAP"] == pytest.approx(2.40)  # the 11th session: 2.50 - 10 x 0.01
    assert all(r["VWAP"] > 0 and r["Conversion Price"] > 0 for r in rows)
    # a deal with a floor keeps it: the sample's $0.29 (restated x200 for the 1:200 split: $58),
    # amended to $0.20 ($40)
    floors = {round(r["Floor Price"], 6) for r in table_records(shipped, L.SUMMARY, L.CHART_TABLE)}
    assert floors == {58.0, 40.0}


def test_the_summary_chart_prints_whole():
    """Summary prints A:E (30 + 44 + 10 + 14 + 14 = 112 digits, 7 pixels each at 96 a inch:
    784 px, 20.74 cm); the chart is 20.4 cm wide (7,344,000 EMU), not 24 cm."""
    wb = openpyxl.load_workbook(SHIPPED)
    ws = wb[L.SUMMARY]
    assert ws.print_area.replace("$", "").endswith("!A1:E50")
    assert summary_print_width_cm(ws) == pytest.approx(20.4)
    (chart,) = ws._charts
    assert chart.anchor._from.col == 0 and chart.anchor.ext.width == pytest.approx(20.4 * 360_000, abs=1)


def test_the_refresh_button_aligns_the_run_table_as_the_headless_refresh(tmp_path):
    """Through xlwings (a stand-in book over the template whose Run values were right-aligned by
    the template): the deal's name is set left, a number right."""
    from ascent_xl.excel import macros
    from ascent_xl.excel.template import build_template
    from tests.helpers.fake_xlwings import FakeBook

    wb = openpyxl.load_workbook(build_template(tmp_path, xlsm=False)[0])
    ws = wb[L.VALUATION]
    for row in _area(ws):  # as a fresh book: nothing left by the build's own refresh
        for cell in row:
            cell.value = None
        row[1].alignment = openpyxl.styles.Alignment(horizontal="right", indent=1)
    assert macros.refresh(FakeBook(wb)).ok
    by_item = {r[0].value: r[1] for r in _area(ws) if r[0].value}
    assert by_item["Deal"].value == "Ascent Solar advance notes, December 2022"
    assert by_item["Deal"].alignment.horizontal == "left" and by_item["Paths"].alignment.horizontal == "right"


def test_the_position_total_reads_on_one_line_its_cells_top_aligned(shipped):
    """The total's Status is the share basis, "after the 1:200 split of 2023-09-12": 27.5 digits
    in Calibri (bold about 5% wider), so a column 31 wide holds it on one line (22 wrapped it to
    two on a row no viewer is told to make taller); every cell of a row top-aligned, as the
    wrapped Status is."""
    ws = shipped[L.POSITION]
    r1, c1, _, c2 = parse_ref(L.POSITION_AREA)
    rows = [[ws.cell(row=r, column=c) for c in range(c1, c2 + 1)] for r in range(r1 + 1, r1 + 12)]
    total = next(r for r in rows if r[0].value == "Total")
    assert total[1].value == "after the 1:200 split of 2023-09-12"
    width = ws.column_dimensions[total[1].column_letter].width
    assert width == 31 and text_width(total[1].value) * 1.05 <= 0.98 * width - 0.3
    assert all(c.alignment.vertical == "top" for r in rows for c in r)


def test_a_refused_position_or_notice_reads_on_one_line_from_the_left(tmp_path):
    """The Position's and the Notice's formulas fill their header row too: a refusal is one
    message in the first cell and blanks after it. That cell is left-aligned and not wrapped
    (the message runs on over the blank navy cells); the other headers stay centred."""
    from ascent_xl.excel.template import build_template
    from ascent_xl.excel.workbook_io import refresh_file

    book = build_template(tmp_path, xlsm=False)[0]
    wb = openpyxl.load_workbook(book)
    wb[L.NOTICE]["B6"].value = "Nobody"  # the Notice's note: not a note of the deal
    wb.save(book)
    assert refresh_file(book).ok
    wb = openpyxl.load_workbook(book)
    for sheet, area in ((L.POSITION, L.POSITION_AREA), (L.NOTICE, L.NOTICE_AREA)):
        ws = wb[sheet]
        r1, c1, _, c2 = parse_ref(area)
        first, second = ws.cell(row=r1, column=c1), ws.cell(row=r1, column=c1 + 1)
        assert first.alignment.horizontal == "left" and not first.alignment.wrap_text, sheet
        assert (second.alignment.horizontal, second.alignment.wrap_text) == ("center", True), sheet
    assert L.NOTICE_INPUTS[2] == ("Note", "B6")
    ws = openpyxl.load_workbook(book, data_only=True)[L.NOTICE]  # the formula's saved value
    r1, c1, _, c2 = parse_ref(L.NOTICE_AREA)
    message = ws.cell(row=r1, column=c1).value
    assert isinstance(message, str) and "Nobody" in message, message
    assert all(ws.cell(row=r1, column=c).value is None for c in range(c1 + 1, c2 + 1))


def test_the_inputs_note_names_the_deal_the_book_started_from(shipped, canoo):
    """A Canoo book said "the ASTI_2022 preset to start" above Canoo's terms."""
    assert shipped[L.INPUTS]["A2"].value.startswith(
        "Blue cells are inputs (to start, the terms of Ascent Solar advance notes, December 2022).")
    assert canoo[L.INPUTS]["A2"].value.startswith(
        "Blue cells are inputs (to start, the terms of Canoo pre-paid advance (Yorkville), June 2024).")


def test_every_term_name_fits_its_column(shipped):
    """A term name is what a user types into a terms file: none cut. The longest,
    redemption.optional_prepayment_notice_trading_days, is 44.8 digits in Calibri (the column
    was 44): (44.8 + 0.3) / 0.98 + 1, rounded up, is 48."""
    ws = shipped[L.INPUTS]
    names = [r["Term"] for r in table_records(shipped, L.INPUTS, L.TERMS_TABLE)]
    col = ws.cell(row=L.TABLE_HEADER_ROW, column=2)
    assert col.value == "Term" and ws.column_dimensions[col.column_letter].width == 48
    longest = max(names, key=text_width)
    assert longest == "redemption.optional_prepayment_notice_trading_days"
    assert all(text_width(n) <= 0.98 * 48 - 0.3 for n in names)


def test_the_shares_as_issued_text_sits_under_the_numbers(canoo):
    """One share basis: the text is a count ("652,175"), right-aligned as the counts above it."""
    ws = canoo[L.SUMMARY]
    (row,) = [r for r in range(1, 40) if ws.cell(row=r, column=1).value == "Conversion shares, as issued"]
    cell = ws.cell(row=row, column=2)
    assert cell.value == "434,783" and cell.alignment.horizontal == "right"
