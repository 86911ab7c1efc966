"""Interest accrual between events (``Ledger._accrue``), as the mutation run found it unchecked:
two events on one day, an event on the coupon date, a dollar of principal. US 30/360 from the
period's start (2022-12-31): each piece is the difference of the day counts from it, so the
pieces add up to the period's interest. 4.5% a year; every figure worked out by hand."""

from __future__ import annotations

import datetime as dt

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022


def _private(sample, rows):
    s = run_ledger(ASTI_2022, parse_events(rows), sample, until=dt.date(2023, 7, 1))
    return [(r["Date"].isoformat(), r["Event"], r["Interest Accrued"], r["Interest Paid Cash"]) for r in s.rows
            if r["Note"] == "Private" and r["Date"] > dt.date(2023, 1, 1)]


def test_two_conversions_on_one_day_lose_no_interest(sample):
    # 12-31 -> 03-15 is 75 days: 2,500,000 x 4.5% x 75 / 360 = 23,437.50 accrued at the first
    # conversion, nothing more at the second; then 90 - 75 = 15 days on 2,300,000: 4,312.50, so
    # the 03-31 coupon is 27,750.00 (kills the accrual's date lost on a second event of the day,
    # which paid only the 23,437.50); 06-30: 2,300,000 x 4.5% x 90 / 360 = 25,875.00
    got = _private(sample, [["2023-03-15", "Conversion", "Private", 100_000, None]] * 2)
    assert got == [("2023-03-15", "Conversion", 23_437.5, None), ("2023-03-15", "Conversion", None, None),
                   ("2023-03-31", "Interest", 4_312.5, 27_750.0), ("2023-06-30", "Interest", 25_875.0, 25_875.0)]


def test_a_conversion_on_the_coupon_date_leaves_that_days_coupon_nothing_to_accrue(sample):
    # the conversion of 03-31 accrues the period, 2,500,000 x 4.5% x 90 / 360 = 28,125.00; the
    # coupon that day accrues nothing more (blank, not 1.0) and pays the 28,125.00
    got = _private(sample, [["2023-03-31", "Conversion", "Private", 100_000, None]])
    assert got[:2] == [("2023-03-31", "Conversion", 28_125.0, None), ("2023-03-31", "Interest", None, 28_125.0)]


def test_a_dollar_of_principal_accrues_to_the_cent(sample):
    # $1.00 left after 2023-01-10: 03-31 pays 2,500,000 x 4.5% x 10 / 360 = 3,125.00 plus
    # 1 x 4.5% x 80 / 360 = 0.0125 -> 0.01; 06-30 pays 1 x 4.5% x 90 / 360 = 0.01125 -> 0.01
    # (kills a principal of a dollar or less left unaccrued)
    got = _private(sample, [["2023-01-10", "Conversion", "Private", 2_499_999, None]])
    assert got == [("2023-01-10", "Conversion", 3_125.0, None), ("2023-03-31", "Interest", 0.01, 3_125.01),
                   ("2023-06-30", "Interest", 0.01, 0.01)]
