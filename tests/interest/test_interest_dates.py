"""Interest dates by hand: a schedule with January in it, and a maturity on a month end that is
also an interest month (paid once, not twice)."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import InputError
from ascent_xl.interest import interest_dates, interest_schedule

D = dt.date


def test_january_interest_dates():
    got = interest_dates(D(2022, 12, 19), D(2024, 6, 19), (1, 4, 7, 10))
    assert got == [D(2023, 1, 31), D(2023, 4, 30), D(2023, 7, 31), D(2023, 10, 31), D(2024, 1, 31),
                   D(2024, 4, 30), D(2024, 6, 19)]
    # monthly: every month end from January on, across the year end
    assert interest_dates(D(2023, 11, 15), D(2024, 2, 15), tuple(range(1, 13))) == [
        D(2023, 11, 30), D(2023, 12, 31), D(2024, 1, 31), D(2024, 2, 15)]


def test_a_month_end_maturity_is_an_interest_date_once(terms):
    got = interest_dates(D(2022, 12, 31), D(2024, 6, 30), (3, 6, 9, 12))
    # 2022-12-31 is the issue date itself (not after it); 2024-06-30 is the maturity, once.
    assert got == [D(2023, 3, 31), D(2023, 6, 30), D(2023, 9, 30), D(2023, 12, 31), D(2024, 3, 31),
                   D(2024, 6, 30)]
    note = terms.note("Registered").replace(issue_date=D(2022, 12, 31))
    assert note.maturity == D(2024, 6, 30)  # 18 months after issue
    periods = interest_schedule(note)
    # six full quarters of 90 days: 12,500,000 x 4.5% x 90/360 = 140,625 each
    assert [p.days for p in periods] == [90] * 6
    assert [p.interest for p in periods] == [140_625.0] * 6


def test_a_maturity_not_after_the_issue_is_refused():
    with pytest.raises(InputError, match="maturity 2023-01-10 is not after issue 2023-01-10"):
        interest_dates(D(2023, 1, 10), D(2023, 1, 10), (3, 6, 9, 12))
    with pytest.raises(InputError, match="maturity 2023-01-09 is not after issue 2023-01-10"):
        interest_dates(D(2023, 1, 10), D(2023, 1, 9), (3, 6, 9, 12))


def test_the_schedule_on_a_given_principal(terms):
    periods = interest_schedule(terms.note("Private"), principal=1_000_000)
    # 1,000,000 x 4.5% x 12/360 = 1,500 for the stub to 2022-12-31, then 11,250 a quarter, and
    # 79 days to the 2024-06-19 maturity: 9,875
    assert [p.interest for p in periods] == [1_500, 11_250, 11_250, 11_250, 11_250, 11_250, 9_875]
    assert [p.principal for p in periods] == [1_000_000] * 7
    assert [p.start for p in periods][:2] == [D(2022, 12, 19), D(2022, 12, 31)]
    assert periods[1].year_fraction == 90 / 360 and periods[-1].end == D(2024, 6, 19)
