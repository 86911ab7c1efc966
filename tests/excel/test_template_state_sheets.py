"""The Position, Conversions and Notice sheets: ASCENT_* array formulas over the book's own Events,
VWAP and Inputs, whose values the book stores. Read as a viewer reads them (openpyxl
``data_only=True``, no calculation) and checked against figures worked out by hand from the sample
files (VWAPs from ascent_xl/data/sample_vwaps.csv, events from sample_events.csv)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ascent_xl.excel import layout as L
from ascent_xl.excel.book import parse_ref
from ascent_xl.excel.workbook_io import refresh_file
from ascent_xl.ledger.position import POSITION_COLUMNS, QUOTE_COLUMNS
from tests.helpers.books import copy_book

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks"
SPLIT = 200  # the 1-for-200 reverse split of 2023-09-12: prices x 200 after it
# The Registered note's principal after the Q1 2023 conversions: 12,500,000 less 250,000 +
# 300,000 + 350,000 + 400,000 + 446,212 + 258,148.27 (cut by the cap) + 341,851.73 + 400,000
REGISTERED_AFTER_Q1 = 12_500_000 - 2_746_212


def _values(path: Path):
    return load_workbook(path, data_only=True)


def _position(ws) -> dict[str, dict[str, object]]:
    top = parse_ref(L.POSITION_AREA)[0]
    header = [c.value for c in ws[top]][: len(POSITION_COLUMNS)]
    assert header == list(POSITION_COLUMNS)
    out = {}
    for row in ws.iter_rows(min_row=top + 1, max_col=len(POSITION_COLUMNS), values_only=True):
        if row[0] is None:
            break
        out[row[0]] = dict(zip(POSITION_COLUMNS, row, strict=True))
    return out


def _quotes(ws) -> dict[dt.date, dict[str, object]]:
    out = {}
    first = L.column_index(L.CONVERSIONS_OUTPUT_FIRST_COLUMN)
    for r in range(L.TABLE_HEADER_ROW + 1, ws.max_row + 1):
        day = ws.cell(row=r, column=1).value
        if day is None:
            continue
        values = [ws.cell(row=r, column=first + j).value for j in range(len(QUOTE_COLUMNS))]
        out[day.date()] = dict(zip(QUOTE_COLUMNS, values, strict=True))
    return out


@pytest.mark.parametrize("suffix", ["xlsx", "xlsm"])
def test_the_shipped_position_sheet_shows_the_deal_on_its_as_of_date(suffix):
    ws = _values(SHIPPED / f"ascent_advance_notes.{suffix}")[L.POSITION]
    assert ws["B4"].value == dt.datetime(2024, 3, 28)  # the book's last event
    rows = _position(ws)
    assert list(rows) == ["Registered", "Private", "Registered-PIK1", "Total"]
    reg = rows["Registered"]
    # nine $1,000,000 prepayments (April to December 2023) and $50,000 converted on 2023-10-02
    assert reg["Outstanding Principal"] == REGISTERED_AFTER_Q1 - 9 * 1_000_000 - 50_000 == 703_788
    # 30/360 from the 2023-12-31 interest date to 2024-03-28: 360 - 9 x 30 - 2 = 88 days at 4.5%
    assert reg["Accrued Interest"] == round(703_788 * 0.045 * 88 / 360, 2) == 7_741.67
    assert reg["Last Interest Date"] == dt.datetime(2023, 12, 31)
    assert reg["Next Interest Date"] == dt.datetime(2024, 3, 31)
    # the floor amended to $0.20 and the fixed price ratcheted to $0.15, both x 200 after the split
    assert reg["Floor Price"] == pytest.approx(0.20 * SPLIT) and reg["Fixed Price"] == pytest.approx(0.15 * SPLIT)
    total = rows["Total"]
    assert total["Status"] == "after the 1:200 split of 2023-09-12"
    assert total["Outstanding Principal"] == pytest.approx(703_788 + 2_528_125 + 129_097.50)


def test_the_position_sheet_follows_its_as_of_input_after_a_refresh(tmp_path):
    book = copy_book(SHIPPED / "ascent_advance_notes.xlsx", tmp_path)
    wb = load_workbook(book)
    wb[L.POSITION]["B4"] = dt.date(2023, 10, 13)  # the user's date
    wb.save(book)
    assert refresh_file(book).ok
    rows = _position(_values(book)[L.POSITION])
    reg = rows["Registered"]
    # six prepayments (April to 2023-09-15) and the $50,000 conversion of 2023-10-02
    assert reg["Outstanding Principal"] == REGISTERED_AFTER_Q1 - 6 * 1_000_000 - 50_000 == 3_703_788
    # 30/360 from 2023-09-30: 2 days on 3,753,788, then 11 days on 3,703,788, at 4.5%
    assert reg["Accrued Interest"] == pytest.approx(
        round(3_753_788 * 0.045 * 2 / 360, 2) + round(3_703_788 * 0.045 * 11 / 360, 2))
    assert reg["Accrued Interest"] == pytest.approx(938.45 + 5_092.71)
    assert rows["Total"]["Outstanding Principal"] == pytest.approx(3_703_788 + 2_528_125 + 129_097.50)
    # shares issued, on the current basis: 4,853,767 before the split / 200 (half up) + 1,250 after
    assert rows["Total"]["Shares Issued (current basis)"] == round(4_853_767 / 200 + 1_250) == 25_519
    assert load_workbook(book)[L.POSITION]["B4"].value == dt.datetime(2023, 10, 13)  # the input stays


def test_the_conversions_sheet_prices_each_notice_on_the_deals_state(tmp_path):
    quotes = _quotes(_values(SHIPPED / "ascent_advance_notes.xlsx")[L.CONVERSIONS])
    assert len(quotes) == 9  # the sample's conversions, the post-split one included

    q = quotes[dt.date(2023, 1, 10)]  # 92.5% of the 3 lowest of the 10 VWAPs before the notice
    price = 0.925 * (2.0982 + 2.1746 + 2.1759) / 3
    assert q["Conversion Price"] == pytest.approx(price, rel=1e-12) and q["Fixed Price"] == 3.93042
    assert q["Shares"] == math.ceil(250_000 / price) == 125_733 and q["Floor Payment"] == 0

    q = quotes[dt.date(2023, 3, 28)]  # the floor ($0.29, amended only the next day) binds
    alternate = 0.925 * (0.2646 + 0.2700 + 0.2885) / 3
    assert q["Alternate Price"] == pytest.approx(alternate, rel=1e-12)
    assert q["Conversion Price"] == 0.29 and q["Shares"] == math.ceil(400_000 / 0.29) == 1_379_311
    # (amount / unfloored price - amount / floor) x the VWAP of the conversion date, 0.2985
    assert q["Floor Payment"] == round((400_000 / alternate - 400_000 / 0.29) * 0.2985, 2)

    q = quotes[dt.date(2023, 3, 14)]  # cut by the 4.99% cap (tests/ledger/test_ledger_sample_deal.py)
    assert q["Capped"] is True and q["Principal Converted"] == 258_148.27

    q = quotes[dt.date(2023, 10, 2)]  # after the split: restated VWAPs, the floor $0.20 x 200
    alternate = 0.925 * (10.2452 + 10.3420 + 10.4757) / 3
    assert q["Alternate Price"] == pytest.approx(alternate, rel=1e-12)
    assert q["Conversion Price"] == pytest.approx(40) and q["Shares"] == 50_000 / 40 == 1_250
    assert q["Floor Payment"] == round((50_000 / alternate - 50_000 / 40) * 9.6451, 2) == 38_295.34


def test_a_notice_typed_into_conversions_is_priced_by_the_refresh(tmp_path):
    book = copy_book(SHIPPED / "ascent_advance_notes.xlsx", tmp_path)
    wb = load_workbook(book)
    ws = wb[L.CONVERSIONS]
    table = ws.tables[L.CONVERSIONS_TABLE]
    first, last = table.ref.split(":")
    row = int(last[1:]) + 1
    ws.cell(row=row, column=1, value=dt.date(2023, 9, 15))
    ws.cell(row=row, column=2, value=50_000)
    table.ref = f"{first}:C{row}"
    wb.save(book)
    assert refresh_file(book).ok
    q = _quotes(_values(book)[L.CONVERSIONS])[dt.date(2023, 9, 15)]
    # the case: on the state that day the window's VWAPs are restated for the split, the
    # floor is $0.20 x 200 = $40 and the floor payment is below the $50,000 converted
    assert q["Conversion Price"] == pytest.approx(40) and q["Shares"] == 1_250
    assert q["Floor Payment"] == 38_605.21 < 50_000  # (the CLI test derives it from the VWAPs)


def test_the_notice_sheet_writes_out_the_calculation():
    ws = _values(SHIPPED / "ascent_advance_notes.xlsx")[L.NOTICE]
    assert (ws["B4"].value, ws["B5"].value, ws["B6"].value) == (dt.datetime(2023, 10, 2), 50_000, "Registered")
    top = parse_ref(L.NOTICE_AREA)[0]
    rows = {}
    for item, value, unit, how in ws.iter_rows(min_row=top + 1, max_col=4, values_only=True):
        if item is None:
            break
        rows[item.strip()] = (value, unit, how)
    window = {k: v for k, v in rows.items() if k.startswith("VWAP 2023")}
    assert len(window) == 10 and min(window) == "VWAP 2023-09-18" and max(window) == "VWAP 2023-09-29"
    lowest = sorted(k for k, (_, _, how) in window.items() if how)
    assert lowest == ["VWAP 2023-09-26", "VWAP 2023-09-28", "VWAP 2023-09-29"]
    average = (10.2452 + 10.4757 + 10.3420) / 3
    assert rows["Average of the 3 lowest"][0] == pytest.approx(average, rel=1e-12)
    assert rows["1. Alternate price"][0] == pytest.approx(0.925 * average, rel=1e-12)
    assert rows["2. Fixed price"][0] == pytest.approx(0.15 * SPLIT)
    assert rows["3. Floor price"][0] == pytest.approx(0.20 * SPLIT)
    assert rows["4. Conversion price"][0] == pytest.approx(40) and "the floor binds" in rows["4. Conversion price"][2]
    # 1,519 of 342,500 shares: at most n new with (1,519 + n) / (342,500 + n) <= 4.99%
    assert rows["5. Holder's shares"][0] == 1_519
    assert rows["Ownership cap"][0] == 0.0499
    assert "16,389" in rows["Ownership cap"][2] and math.floor((0.0499 * 342_500 - 1_519) / (1 - 0.0499)) == 16_389
    assert rows["Principal converted"][0] == 50_000
    assert rows["6. Shares to deliver"][0] == 1_250
    assert rows["7. Floor payment (cash)"][0] == round((50_000 / (0.925 * average) - 50_000 / 40) * 9.6451, 2)
    assert rows["Principal outstanding"][0] == REGISTERED_AFTER_Q1 - 6 * 1_000_000 == 3_753_788
