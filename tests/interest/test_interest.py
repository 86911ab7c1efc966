"""Interest: day counts against QuantLib, accrual, interest dates, additivity."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascent_xl.errors import InputError
from ascent_xl.interest import (
    accrued_interest,
    day_count,
    interest_dates,
    interest_schedule,
    year_fraction,
)
from tests.helpers.budget import examples

ql = pytest.importorskip("QuantLib")

QL_BASES = {
    "30/360": lambda: ql.Thirty360(ql.Thirty360.BondBasis),
    "30E/360": lambda: ql.Thirty360(ql.Thirty360.European),
    "ACT/365": lambda: ql.Actual365Fixed(),
    "ACT/360": lambda: ql.Actual360(),
}
days_st = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2039, 12, 31))


def _ql(d: dt.date):
    return ql.Date(d.day, d.month, d.year)


@settings(max_examples=examples(300), deadline=None)
@given(a=days_st, b=days_st, basis=st.sampled_from(sorted(QL_BASES)))
def test_day_count_matches_quantlib(a, b, basis):
    start, end = min(a, b), max(a, b)
    ref = QL_BASES[basis]()
    assert day_count(start, end, basis) == ref.dayCount(_ql(start), _ql(end))
    assert year_fraction(start, end, basis) == pytest.approx(ref.yearFraction(_ql(start), _ql(end)), abs=1e-14)


@settings(max_examples=examples(300), deadline=None)
@given(a=days_st, b=days_st, c=days_st, basis=st.sampled_from(["ACT/365", "ACT/360", "30E/360"]),
       principal=st.floats(1, 1e9), rate=st.floats(0, 0.5))
def test_interest_is_additive_over_adjacent_periods(a, b, c, basis, principal, rate):
    x, y, z = sorted((a, b, c))
    whole = accrued_interest(principal, x, z, rate=rate, basis=basis)
    parts = accrued_interest(principal, x, y, rate=rate, basis=basis) + accrued_interest(principal, y, z, rate=rate, basis=basis)
    assert parts == pytest.approx(whole, rel=1e-12, abs=1e-9)


no_31st = days_st.filter(lambda d: d.day != 31)


@settings(max_examples=examples(300), deadline=None)
@given(a=no_31st, b=no_31st, c=no_31st)
def test_us_30_360_is_additive_unless_a_boundary_is_the_31st(a, b, c):
    # Without a 31st no day is moved, so each count is 360 x years + 30 x months + days and
    # the two pieces add up to the whole (the case with a 31st is the test below).
    x, y, z = sorted((a, b, c))
    assert day_count(x, y, "30/360") + day_count(y, z, "30/360") == day_count(x, z, "30/360")


def test_us_30_360_known_non_additive_case_agrees_with_quantlib():
    # Jan 15 -> Jan 31 counts 16 days, Jan 31 -> Feb 15 counts 15, but Jan 15 -> Feb 15 is 30.
    a, b, c = dt.date(2023, 1, 15), dt.date(2023, 1, 31), dt.date(2023, 2, 15)
    assert (day_count(a, b, "30/360"), day_count(b, c, "30/360"), day_count(a, c, "30/360")) == (16, 15, 30)
    bond = QL_BASES["30/360"]()
    assert bond.dayCount(_ql(a), _ql(b)) + bond.dayCount(_ql(b), _ql(c)) == 31


def test_quarterly_interest_on_the_registered_note(terms):
    periods = interest_schedule(terms.note("Registered"))
    assert [str(p.end) for p in periods] == [
        "2022-12-31", "2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-19",
    ]
    # 12,500,000 x 4.5% x 90/360 = 140,625 a full quarter; stub of 12 days = 18,750
    assert [p.interest for p in periods] == [18_750, 140_625, 140_625, 140_625, 140_625, 140_625, 123_437.5]
    assert [p.days for p in periods] == [12, 90, 90, 90, 90, 90, 79]


def test_interest_dates_skip_months_outside_the_schedule():
    got = interest_dates(dt.date(2023, 2, 10), dt.date(2023, 11, 10), (6, 12))
    assert got == [dt.date(2023, 6, 30), dt.date(2023, 11, 10)]


def test_accrual_errors_say_what_to_fix():
    with pytest.raises(InputError, match="to_date 2023-01-01 is before from_date 2023-02-01; swap them"):
        accrued_interest(100, dt.date(2023, 2, 1), dt.date(2023, 1, 1), rate=0.045, basis="30/360")
    with pytest.raises(InputError, match=r"rate 4.5: give an annual rate as a fraction \(4.5% is 0.045\)"):
        accrued_interest(100, dt.date(2023, 1, 1), dt.date(2023, 2, 1), rate=4.5, basis="30/360")
    with pytest.raises(InputError, match="basis 'ACT/ACT': use one of 30/360, 30E/360, ACT/365, ACT/360"):
        accrued_interest(100, dt.date(2023, 1, 1), dt.date(2023, 2, 1), rate=0.045, basis="ACT/ACT")
    with pytest.raises(InputError, match="principal -100.00 must be zero or more"):
        accrued_interest(-100, dt.date(2023, 1, 1), dt.date(2023, 2, 1), rate=0.045, basis="30/360")
