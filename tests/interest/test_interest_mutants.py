"""Tests written against surviving mutants of ascent_xl/interest.py (issue 16): each names, in a
comment, the function and the change it catches. Expected values are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import InputError
from ascent_xl.interest import (
    accrued_in_period,
    day_count,
    interest_dates,
    normalise_basis,
    year_fraction,
)


@pytest.mark.parametrize(("alias", "basis"), [
    ("30/360", "30/360"), ("30/360US", "30/360"), ("bond", "30/360"), ("30U/360", "30/360"),
    ("30E/360", "30E/360"), ("Eurobond", "30E/360"),
    ("ACT/365", "ACT/365"), ("act/365f", "ACT/365"), ("Actual/365", "ACT/365"), ("A/365", "ACT/365"),
    ("ACT/360", "ACT/360"), ("Actual / 360", "ACT/360"), ("a/360", "ACT/360"),
])
def test_every_alias_of_a_day_count_basis(alias, basis):
    # normalise_basis: each key and value of _ALIASES ("XX..XX", case changed): an alias that no
    # longer matches is refused, a value that changed is no basis.
    assert normalise_basis(alias) == basis
    # 2023-01-31 -> 2023-03-31: 30/360 and 30E/360 count 60 days (the 31sts as 30ths), the ACT
    # bases the 59 real days; over 360 or 365.
    days = {"30/360": 60, "30E/360": 60, "ACT/365": 59, "ACT/360": 59}[basis]
    assert day_count(dt.date(2023, 1, 31), dt.date(2023, 3, 31), alias) == days
    assert year_fraction(dt.date(2023, 1, 31), dt.date(2023, 3, 31), alias) == days / (
        365.0 if basis == "ACT/365" else 360.0)


def test_a_basis_that_is_not_one_is_refused_naming_the_four():
    with pytest.raises(InputError) as info:
        normalise_basis("ACT/ACT")
    assert str(info.value) == "basis 'ACT/ACT': use one of 30/360, 30E/360, ACT/365, ACT/360"


@pytest.mark.parametrize(("start", "end", "basis", "days"), [
    # US 30/360: a start on the 31st counts as the 30th: Jan 31 -> Feb 28 is 30 + (28 - 30) = 28
    # (`min(d1, 30)` made `min(d1, 31)` gives 27).
    ("2023-01-31", "2023-02-28", "30/360", 28),
    # an end on the 31st counts as the 30th only after a start on the 30th (or 31st):
    # Apr 30 -> May 31 is 30 + (30 - 30) = 30 (`d1 == 30` made `d1 == 31`, `!= 30`: 31) ...
    ("2023-04-30", "2023-05-31", "30/360", 30),
    # ... and not after a start on the 15th: Jan 15 -> Mar 31 is 60 + (31 - 15) = 76 (`and` made
    # `or`: 75); a start on the 30th and an end on the 15th keep the 15th: Apr 30 -> Jun 15 is
    # 60 + (15 - 30) = 45 (`or`: 60).
    ("2023-01-15", "2023-03-31", "30/360", 76),
    ("2023-04-30", "2023-06-15", "30/360", 45),
    # 30E/360: every 31st is the 30th: Jan 31 -> Mar 15 is 60 + (15 - 30) = 45, Jan 15 -> Mar 31
    # is 60 + (30 - 15) = 75 (`min(d, 30)` made `min(d, 31)`: 44 and 76).
    ("2023-01-31", "2023-03-15", "30E/360", 45),
    ("2023-01-15", "2023-03-31", "30E/360", 75),
    # across a year: Nov 30 2022 -> Feb 28 2023 is 360 x 1 + 30 x (2 - 11) + (28 - 30) = 88
    ("2022-11-30", "2023-02-28", "30/360", 88),
])
def test_thirty_360_day_counts_by_hand(start, end, basis, days):
    # day_count: the 30/360 and 30E/360 rules, each clause.
    assert day_count(dt.date.fromisoformat(start), dt.date.fromisoformat(end), basis) == days


def test_accrual_over_no_days_is_zero():
    # accrued_in_period: `end <= start` returns 0.0 (made `return 1.0`); a span of days accrues:
    # 1,000,000 x 4.5% x 28 / 360 (Jan 31 -> Feb 28 under 30/360, as 30 -> 28) = 3,500.00.
    day = dt.date(2023, 2, 28)
    assert accrued_in_period(1_000_000, dt.date(2023, 1, 31), day, day, rate=0.045, basis="30/360") == 0.0
    assert accrued_in_period(1_000_000, dt.date(2023, 1, 31), dt.date(2023, 1, 31), day, rate=0.045,
                             basis="30/360") == 3_500.00


@pytest.mark.parametrize(("issue", "maturity", "months", "dates"), [
    # a maturity on an interest month's end is counted once (`d >= maturity` made `d > maturity`)
    ("2022-12-19", "2023-06-30", (3, 6, 9, 12), ["2022-12-31", "2023-03-31", "2023-06-30"]),
    # an issue on an interest month's end is not an interest date (`d > issue` made `>=`)
    ("2022-12-31", "2023-06-19", (3, 6, 9, 12), ["2023-03-31", "2023-06-19"]),
    # January and December interest dates (the year's turn: `month > 12` made `>= 12`, January
    # restarted as month 2)
    ("2022-12-19", "2023-08-19", (1, 4, 7, 10), ["2023-01-31", "2023-04-30", "2023-07-31", "2023-08-19"]),
    ("2022-11-15", "2024-01-20", (12,), ["2022-12-31", "2023-12-31", "2024-01-20"]),
])
def test_interest_dates_by_hand(issue, maturity, months, dates):
    got = interest_dates(dt.date.fromisoformat(issue), dt.date.fromisoformat(maturity), months)
    assert [str(d) for d in got] == dates


def test_no_maturity_has_no_interest_dates_and_refuses_a_coupon():
    # interest_dates without maturity: [] (`return []` made None), interest months refused
    # (`if months` made `if not months`).
    assert interest_dates(dt.date(2023, 2, 7), None, ()) == []
    with pytest.raises(InputError) as info:
        interest_dates(dt.date(2023, 2, 7), None, (3, 6))
    assert str(info.value).startswith("interest months [3, 6] without maturity")
