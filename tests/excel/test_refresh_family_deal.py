"""A deal book of the shipped Canoo June 2024 deal (issue 14): the Monte Carlo does not model
its rule shapes, so the book's Valuation sheet says why it holds no value, and its Schedule
shows the resets gated by the equity conditions (here not tested: no volume data)."""

from __future__ import annotations

import openpyxl

from ascent_xl.excel import layout as L
from tests.helpers.books import canoo_book


def test_a_family_deal_book_refreshes_and_says_it_is_not_valued(tmp_path):
    book = canoo_book(tmp_path)  # flat $2.00 VWAPs, $1,000,000 converted on 2024-08-28
    wb = openpyxl.load_workbook(book)
    assert wb[L.CELLS[L.STATUS][0]][L.CELLS[L.STATUS][1]].value == "OK"
    sheet, area = L.VALUATION_NOTE
    col, row = area.split(":")[0][0], int(area.split(":")[0][1:])
    cells = [wb[sheet][f"{col}{row + k}"].value for k in range(2)]
    assert cells[0] == "Not valued"
    assert cells[1].startswith("conversion.alternate_price_applies: the Monte Carlo valuation does not "
                                          "model an alternate price that applies only in default")
    # the ledger ran: the conversion of 2024-08-28 is on the Schedule. Without volume data the
    # equity conditions are not tested, so the day-60 reset (08-12) is skipped and the price
    # stays $2.30: 1,000,000 / 2.30 = 434,782.6 -> 434,783 shares
    values = [c.value for row_cells in wb[L.SCHEDULE].iter_rows() for c in row_cells]
    assert 434_783 in values
    assert ("reset 1 skipped: the equity conditions were not tested (see Flags); fixed price stays "
            "$2.30000") in values


def test_a_family_deal_books_position_notice_and_conversions_price_on_its_own_terms(tmp_path):
    # The arrays (ASCENT_POSITION, ASCENT_NOTICE, ASCENT_QUOTE) read the book's Inputs range: a
    # whole deal (it has a name row), so the Advance note is found. Before, the range changed the
    # ASTI_2022 preset and every array showed "no note named 'Advance'".
    book = canoo_book(tmp_path)  # flat $2.00 VWAPs, $1,000,000 converted on 2024-08-28
    wb = openpyxl.load_workbook(book, data_only=True)
    for sheet in (L.POSITION, L.NOTICE, L.CONVERSIONS):
        texts = [c.value for row in wb[sheet].iter_rows() for c in row if isinstance(c.value, str)]
        assert not [t for t in texts if "no note named" in t], sheet
    # Conversions: the book's notice row, $1,000,000 of the Advance on 2024-08-28 at the fixed
    # $2.30 (the day-60 reset skipped, not tested): 1,000,000 / 2.30 = 434,782.6 -> 434,783
    rows = [[c.value for c in row] for row in wb[L.CONVERSIONS].iter_rows()]
    quote = next(r for r in rows if "Advance" in r and 1_000_000 in r)
    numbers = [v for v in quote[quote.index("Advance") + 1:] if v is not None]
    assert numbers[:3] == [2.3, 434_783, 0]  # price, shares, floor payment
    # Position as of the book's date: the Advance's $15,000,000 less the $1,000,000 converted
    position = [[c.value for c in row] for row in wb[L.POSITION].iter_rows()]
    advance = next(r for r in position if r and r[0] == "Advance")
    assert advance[1] == "outstanding" and advance[2] == 14_000_000
    # interest accrues from the issue day (counted: interest_counts_issue_day), shown as the
    # issue date 2024-06-13, not the day before it that the day count starts from
    assert str(advance[4])[:10] == "2024-06-13"


def test_a_family_deals_chart_prices_each_day_by_its_rules_not_the_ascent_alternate(tmp_path):
    # Canoo June 2024: the alternate price applies only in default, and the deal is not in
    # default, so each day's conversion price is the fixed $2.30 (the resets skipped: not
    # tested) and the chart has no Alternate Price point. Before, the chart drew the Ascent rule:
    # min($2.30, 92.5% x $2.00 = $1.85) = $1.85, which no conversion of the deal gets.
    book = canoo_book(tmp_path)  # flat $2.00 VWAPs, $1,000,000 converted on 2024-08-28
    ws = openpyxl.load_workbook(book, data_only=True)[L.SUMMARY]
    col = openpyxl.utils.column_index_from_string(L.CHART_FIRST_COLUMN)
    rows = [[ws.cell(row=r, column=col + k).value for k in range(len(L.CHART_COLUMNS))]
            for r in range(1, ws.max_row + 1)]
    header = next(i for i, row in enumerate(rows) if row[0] == "Date")
    assert rows[header] == list(L.CHART_COLUMNS)
    data = [row for row in rows[header + 1:] if row[0] is not None]
    day = next(row for row in data if str(row[0])[:10] == "2024-08-28")
    assert day[1] == 2.0 and day[2] is None and day[3] == 2.3 and day[5] == 2.3
    assert {row[5] for row in data} == {2.3} and all(row[2] is None for row in data)
