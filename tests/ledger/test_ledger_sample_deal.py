"""Replay the bundled example deal through the ledger and tie out its figures by hand.

Expected numbers are computed here from the sample CSV rows and the deal's rules written out
directly (not through the engine's window code), or by hand in the comments.
"""

from __future__ import annotations

import math

import pytest

from ascent_xl.events import events_from_csv
from ascent_xl.ledger import run_ledger
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market
from tests.helpers.sample_csv import sample_vwaps
from tests.helpers.schedules import assert_principal_conserved


@pytest.fixture(scope="module")
def schedule(terms):
    return run_ledger(terms, events_from_csv(data_path(SAMPLE_EVENTS)), sample_market())


@pytest.fixture(scope="module")
def vwaps():
    return sample_vwaps()


def row(schedule, date, event, note=None):
    found = [r for r in schedule.rows if str(r["Date"]) == date and r["Event"] == event and (note is None or r["Note"] == note)]
    assert len(found) == 1, (date, event, note, found)
    return found[0]


def alternate_by_hand(vwaps, notice):
    days = sorted(d for d in vwaps if d < notice)[-10:]  # the sample has a row for every session
    return 0.925 * sum(sorted(vwaps[d] for d in days)[:3]) / 3


def test_q1_2023_conversions_total_the_reported_2_746_212(schedule):
    q1 = [r for r in schedule.rows if r["Event"] == "Conversion" and str(r["Date"]) < "2023-04-01"]
    assert round(sum(r["Principal Converted"] for r in q1), 2) == 2_746_212.00


def test_conversion_cut_by_the_ownership_cap(schedule, vwaps):
    r = row(schedule, "2023-03-14", "Conversion")
    price = alternate_by_hand(vwaps, "2023-03-14")
    assert r["Conversion Price"] == pytest.approx(price, rel=1e-12)
    # holder 1,189,494 shares of 35,670,306 before: room = (0.0499 x 35,670,306 - 1,189,494) / 0.9501
    room = math.floor((0.0499 * 35_670_306 - 1_189_494) / 0.9501)
    assert room == 621_465 == r["Shares Issued"]
    assert r["Principal Converted"] == math.floor(room * price * 100) / 100 == 258_148.27
    assert r["Holder Ownership"] <= 0.0499
    assert "cap:" in r["Flags"] and "$341,851.73 stays as principal" in r["Flags"]
    assert r["Principal After"] == 10_753_788 - 258_148.27  # the rest stays as principal


def test_floor_payment_where_the_floor_binds(schedule, vwaps):
    r = row(schedule, "2023-03-28", "Conversion")
    alt = alternate_by_hand(vwaps, "2023-03-28")
    assert alt < 0.29 and r["Conversion Price"] == 0.29
    assert r["Shares Issued"] == math.ceil(400_000 / 0.29)  # 1,379,311
    expected = (400_000 / alt - 400_000 / 0.29) * vwaps["2023-03-28"]
    assert r["Floor Payment"] == round(expected, 2) == 58_745.12
    assert r["Cash Paid"] == r["Floor Payment"]


def test_pik_interest_date(schedule):
    # Registered principal in Q1 2023 (30/360 from the period start 2022-12-31), by hand:
    # 12,500,000 x 10d + 12,250,000 x 14d + 11,950,000 x 13d + 11,600,000 x 14d + 11,200,000 x 16d
    # + 10,753,788 x 7d + 10,495,639.73 x 7d + 10,153,788 x 7d + 9,753,788 x 2d, at 4.5% / 360
    pieces = [15_625.00, 21_437.50, 19_418.75, 20_300.00, 22_400.00, 9_409.56, 9_183.68, 8_884.56, 2_438.45]
    r = row(schedule, "2023-03-31", "Interest", "Registered")
    assert r["Interest PIK"] == round(sum(pieces), 2) == 129_097.50
    pik = row(schedule, "2023-03-31", "Issue", "Registered-PIK1")
    assert pik["Principal Issued"] == 129_097.50
    private = row(schedule, "2023-03-31", "Interest", "Private")
    assert private["Interest PIK"] == 28_125.00  # 2,500,000 x 4.5% x 90/360, capitalised
    assert private["Principal After"] == 2_528_125.00
    # The PIK note bears no interest and is repaid at the notes' maturity.
    assert row(schedule, "2024-06-19", "Maturity", "Registered-PIK1")["Principal Repaid"] == 129_097.50


def test_floor_amendment_and_split_restate_the_prices(schedule):
    before = row(schedule, "2023-03-28", "Conversion")
    assert before["Floor Price"] == 0.29 and before["Fixed Price"] == 3.93042
    amended = row(schedule, "2023-03-29", "Amendment")
    assert amended["Floor Price"] == 0.20 and "conversion.floor_price: 0.29 -> 0.2" in amended["Detail"]
    ratchet = row(schedule, "2023-06-20", "Dilutive Issue")
    assert ratchet["Fixed Price"] == 0.15  # full ratchet to the 0.15 issue price
    split = row(schedule, "2023-09-12", "Split")
    assert split["Fixed Price"] == pytest.approx(0.15 * 200) and split["Floor Price"] == pytest.approx(0.20 * 200)
    assert split["Shares Outstanding"] == 68_500_000 // 200 == 342_500
    post = row(schedule, "2023-10-02", "Conversion")
    assert post["Conversion Price"] == pytest.approx(40.0) and post["Shares Issued"] == 1_250  # 50,000 / 40


def test_split_of_the_original_fixed_price_without_a_ratchet(terms):
    from ascent_xl.events import parse_events

    s = run_ledger(terms, parse_events([["2023-09-12", "Split", None, None, "1:200"]]), sample_market())
    r = row(s, "2023-09-12", "Split")
    assert r["Fixed Price"] == pytest.approx(3.93042 * 200) == pytest.approx(786.084)
    assert r["Floor Price"] == pytest.approx(0.29 * 200) == pytest.approx(58.0)
    assert r["Shares Outstanding"] == round(33_930_812 / 200)


def test_totals_tie_out_and_every_row_conserves_principal(schedule):
    left = assert_principal_conserved(schedule.rows)  # from the rows' columns, not their Check flag
    assert sum(left.values()) == pytest.approx(0, abs=0.005)  # all repaid or converted by the end
    total = schedule.summary().iloc[-1]
    assert total["Principal Issued"] == pytest.approx(15_000_000 + 129_097.50 + 28_125.00)
    assert total["Principal Issued"] == pytest.approx(total["Principal Converted"] + total["Principal Repaid"] + total["Principal Outstanding"])
    assert total["Principal Converted"] == pytest.approx(2_746_212 + 50_000)
    assert total["Principal Repaid"] == pytest.approx(9_000_000 + 703_788 + 2_528_125 + 129_097.50)
    cash = sum(r["Cash Paid"] or 0 for r in schedule.rows)
    parts = sum((r["Floor Payment"] or 0) + (r["Interest Paid Cash"] or 0) + (r["Principal Repaid"] or 0) + (r["Premium Paid"] or 0) for r in schedule.rows)
    assert cash == pytest.approx(parts)
    accrued = sum(r["Interest Accrued"] or 0 for r in schedule.rows)
    assert accrued == pytest.approx(total["Interest Paid Cash"] + total["Interest PIK"] + total["Interest Converted"] + total["Accrued Interest"])


def test_covenant_flags_of_the_sample(schedule):
    codes = {f.code for f in schedule.flags}
    # the reserve was raised in time; the 2023-06-20 ratchet to $0.15 takes the fixed price below the
    # $0.20 floor (flagged, supplement line 130: the price is never below the floor)
    assert codes == {"below-floor", "cap", "default", "equity", "min-cash"}
    first_min_cash = next(f for f in schedule.flags if f.code == "min-cash")
    assert str(first_min_cash.date) == "2023-08-15"


def test_a_reserve_below_three_times_issuable_is_flagged(terms):
    from ascent_xl.events import parse_events

    events = parse_events([["2022-12-19", "Share Reserve", None, None, 10_000_000]])
    s = run_ledger(terms, events, sample_market())
    on_closing = [f.reason for f in s.flags if f.code == "reserve" and str(f.date) == "2022-12-19"]
    # measured at the $0.29 floor (the most shares the notes can need), plus 2,513,406 warrants, x3:
    # after the registered note: 12,500,000 / 0.29 = 43,103,448.3 -> 43,103,449; 3 x 45,616,855
    assert on_closing[0] == "10,000,000 shares reserved, 136,850,565 required (3x issuable at the floor)"
    # after both notes: + 2,500,000 / 0.29 = 8,620,689.7 -> 8,620,690; 3 x 54,237,545
    assert on_closing[1] == "10,000,000 shares reserved, 162,712,635 required (3x issuable at the floor)"
