"""Interest dates by hand: a schedule with January in it, and a maturity on a month end that is
also an interest month (paid once, not twice)."""

from __future__ import annotations

import datetime as dt

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
