"""notes.*.interest_counts_issue_day: the issue day accrues too (the Canoo June 2024 filing's
77 days to 2024-08-28, both ends counted). Figures by hand."""

from __future__ import annotations

import datetime as dt

from ascent_xl.interest import interest_schedule
from ascent_xl.presets import ASTI_2022


def test_the_first_period_counts_the_issue_day():
    note = ASTI_2022.note("Registered").replace(day_count="ACT/365")
    plain, counted = interest_schedule(note), interest_schedule(note.replace(interest_counts_issue_day=True))
    # 12,500,000 x 4.5% = 562,500 a year. Issue 2022-12-19 to 12-31: 12 days between,
    # 562,500 x 12 / 365 = 18,493.15; the issue day counted: 13 days, 20,034.25
    assert (plain[0].start, plain[0].days, plain[0].interest) == (dt.date(2022, 12, 19), 12, 18_493.15)
    assert (counted[0].start, counted[0].days, counted[0].interest) == (dt.date(2022, 12, 18), 13, 20_034.25)
    # the later periods do not change: 12-31 .. 03-31 is 90 days, 562,500 x 90 / 365 = 138,698.63
    assert plain[1].interest == counted[1].interest == 138_698.63
    assert [p.end for p in plain] == [p.end for p in counted]
