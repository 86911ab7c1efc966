"""Ledger behaviour event by event: defaults, redemptions, elections, amendments, warrants,
additional notes, and the covenant flags."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import EventKind, events_from_frame, parse_events
from ascent_xl.ledger import SCHEDULE_COLUMNS, run_ledger


def run(terms, rows, market):
    return run_ledger(terms, parse_events(rows), market)


def rows_of(s, event, note=None):
    return [r for r in s.rows if r["Event"] == event and (note is None or r["Note"] == note)]


def test_no_events_gives_the_contractual_schedule(terms):
    s = run_ledger(terms, [])
    assert list(s.frame.columns) == list(SCHEDULE_COLUMNS)
    interest = rows_of(s, "Interest", "Registered")
    assert [r["Interest Paid Cash"] for r in interest] == [18_750, 140_625, 140_625, 140_625, 140_625, 140_625, 123_437.5]
    assert rows_of(s, "Maturity", "Registered")[0]["Principal Repaid"] == 12_500_000


def test_default_with_mandatory_default_amount(terms, sample):
    s = run(terms, [["2023-03-10", "Default", "Private", None, "redeem"]], sample)
    r = rows_of(s, "Default", "Private")[0]
    # accrued 2023-01-01..03-10 under 30/360 from 2022-12-31: 70 days on 2,500,000 at 4.5%
    accrued = round(2_500_000 * 0.045 * 70 / 360, 2)
    assert r["Interest Paid Cash"] == accrued == 21_875.0
    # The sample's ten VWAPs before 2023-03-10 (02-24 .. 03-09): the three lowest are 0.4897,
    # 0.5294, 0.5335 -> 0.517533; alternate 0.925 x 0.517533 = 0.478718 (above the floor).
    assert r["Conversion Price"] == pytest.approx(0.925 * (0.4897 + 0.5294 + 0.5335) / 3, abs=1e-12)
    # Parity 2,500,000 / 0.478718 x 0.4647 (the VWAP of 03-10) = 2,426,816.62 is below 120% of
    # principal, 3,000,000: the amount is 3,000,000 + 21,875 of interest.
    assert r["Default Amount"] == 3_021_875.00 == r["Cash Paid"]
    assert r["Premium Paid"] == 500_000.00
    assert r["Principal Repaid"] + r["Interest Paid Cash"] + r["Premium Paid"] == pytest.approx(r["Default Amount"])
    assert s.notes["Private"].closed and not rows_of(s, "Maturity", "Private")


def test_default_with_a_reset_lowers_the_fixed_price(terms, sample):
    s = run(terms, [["2023-03-10", "Default", "Registered", None, "reset"], ["2023-03-13", "Conversion", "Registered", 100_000, None]], sample)
    r = rows_of(s, "Default", "Registered")[0]
    window = sample.window("2023-03-10", 10)[0]
    reset = 0.8 * sorted(window)[:3][0] / 3 + 0.8 * sum(sorted(window)[1:3]) / 3
    assert r["Reset Price"] == pytest.approx(reset) and r["Conversion Price"] is None  # not a conversion
    assert r["Fixed Price"] == pytest.approx(reset)  # the fixed price in force: the lower of the two
    assert rows_of(s, "Conversion")[0]["Fixed Price"] == pytest.approx(reset)


def test_change_of_control_and_optional_prepayment(terms, sample):
    s = run(terms, [["2023-02-01", "Change of Control", "Private", None, None],
                    ["2023-02-01", "Optional Prepay", "Registered", 100_000, None]], sample)
    coc = rows_of(s, "Change of Control")[0]
    accrued = round(2_500_000 * 0.045 * 31 / 360, 2)  # Dec 31 -> Feb 1: 31 days
    # the private note's put: 105% x (principal + interest) (supplement line 265)
    assert coc["Cash Paid"] == round((2_500_000 + accrued) * 1.05, 2)
    opt = rows_of(s, "Optional Prepay")[0]
    assert opt["Premium Paid"] == 20_000  # 120% of 100,000
    assert "optional-prepay" in opt["Flags"]  # all notes far above the $300,000 threshold


def test_interest_election_and_per_note_rate_amendment(terms, sample):
    s = run(terms, [["2023-05-15", "Amendment", "Private", None, "rate = 0.06"],
                    ["2023-06-01", "Interest Election", "Private", None, "pik"]], sample)
    r = [x for x in rows_of(s, "Interest", "Private") if str(x["Date"]) == "2023-06-30"][0]
    # 45 days at 4.5% then 45 days at 6% on 2,500,000 (30/360 from 2023-03-31)
    assert r["Interest PIK"] == round(2_500_000 * 0.045 * 45 / 360, 2) + round(2_500_000 * 0.06 * 45 / 360, 2)
    assert r["Principal After"] == 2_500_000 + r["Interest PIK"]


def test_warrant_exercise_cash_and_cashless(terms, sample):
    s = run(terms, [["2023-01-05", "Warrant Exercise", None, 100_000, "cash"],
                    ["2023-01-06", "Dilutive Issue", None, 0, 1.0],
                    ["2023-01-09", "Warrant Exercise", None, 200_000, "cashless"]], sample)
    cash, cashless = rows_of(s, "Warrant Exercise")
    assert cash["Shares Issued"] == 100_000 and cash["Cash Received"] == 393_000
    vwap = sample.vwap_on("2023-01-09")[0]
    assert cashless["Shares Issued"] == int(-(-(vwap - 1.0) * 200_000 // vwap))  # rounded up
    assert s.state.warrant_shares == 2_513_406 - 300_000


def test_additional_note_limits_and_equity_conditions(terms, sample):
    s = run(terms, [["2023-03-01", "Issue", "Additional-1", 1_500_000, "additional"],
                    ["2023-03-15", "Issue", "Additional-2", 600_000, "additional"]], sample)
    first, second = rows_of(s, "Issue", "Additional-1")[0], rows_of(s, "Issue", "Additional-2")[0]
    assert "before 2023-07-17 (210 days after the agreement)" in first["Flags"]
    assert "needs the investor's consent" in first["Flags"]
    assert "outstanding before the issue" in first["Flags"]
    assert "equity conditions not met" in first["Flags"]
    assert "only 14 days after the last additional note" in second["Flags"]
    assert "above the $2,000,000 monthly maximum" in second["Flags"]
    assert first["Cash Received"] == 1_350_000  # 90% purchase price


def test_leak_out_and_restricted_period_flags(terms, sample):
    s = run(terms, [["2023-01-10", "Conversion", "Registered", 1_000_000, None],
                    ["2023-01-20", "Holder Sale", None, 400_000, None],
                    ["2023-02-01", "Dilutive Issue", None, 3_000_000, 2.0]], sample)
    sale = rows_of(s, "Holder Sale")[0]
    assert sale["Flags"] is None  # well under 35% of January's trading value
    issue = rows_of(s, "Dilutive Issue")[0]
    assert "restricted" in issue["Flags"] and "$6,000,000 issued within 120 days" in issue["Flags"]
    heavy = run(terms, [["2023-01-10", "Conversion", "Registered", 3_000_000, None],
                        ["2023-01-20", "Holder Sale", None, 1_500_000, None]], market=_thin_volume(sample))
    assert "leak-out" in rows_of(heavy, "Holder Sale")[0]["Flags"]


def _thin_volume(sample):
    frame = sample.to_frame()
    frame["Dollar Volume"] = 100_000.0
    from ascent_xl.market import MarketData

    return MarketData.from_frame(frame)


def test_same_day_order_and_table_input(terms, sample):
    frame = pd.DataFrame({
        "Date": [dt.date(2023, 9, 12), dt.date(2023, 9, 12)],
        "Event": ["Conversion", "Split"],
        "Note": ["Registered", None],
        "Amount": [10_000, None],
        "Value": [None, "1:200"],
    })
    events = events_from_frame(frame)
    assert [e.kind for e in sorted(events, key=lambda e: e.sort_key)] == [EventKind.SPLIT, EventKind.CONVERSION]
    s = run_ledger(terms, events, sample)
    conv = rows_of(s, "Conversion")[0]
    assert conv["Floor Price"] == pytest.approx(58.0)  # the split applies first


def test_market_needed_for_conversions(terms):
    with pytest.raises(LedgerError, match="needs VWAP data"):
        run(terms, [["2023-01-10", "Conversion", "Registered", 1000, None]], market=None)
