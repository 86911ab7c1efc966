"""A conversion notice shows the converting holder's own shares and cap, the ones its quote was
cut by: not every holder's shares together nor the terms' cap after a holder's cap changed.
Figures by hand from the preset (33,930,812 shares outstanding on 2022-12-16) and the sample
VWAPs."""

from __future__ import annotations

import datetime as dt
import math

from ascent_xl.events import parse_events
from ascent_xl.notice import build_notice, notice_lines
from tests.helpers.sample_csv import lowest_mean_before


def test_the_notice_of_a_second_holder_shows_its_shares_and_its_cap(terms, sample):
    two = terms.with_term("notes.Private.holder", "InvestorB")
    price = 0.925 * lowest_mean_before("2023-01-10", days=10, lowest=3)
    investor = math.ceil(100_000 / price)  # the Registered note's holder, shares rounded up
    assert investor == 50_293
    events = parse_events([["2023-01-10", "Conversion", "Registered", 100_000, None],
                           ["2023-01-11", "Amendment", "InvestorB", None, "ownership_cap = 0.04"]])
    n = build_notice(two, sample, events, notice_date=dt.date(2023, 1, 12), amount=50_000, note="Private")
    assert n.note == "Private"
    assert n.shares_outstanding == 33_930_812 + 50_293 == 33_981_105
    # InvestorB holds nothing (the conversion was Investor's) and its cap was cut to 4%
    assert (n.holder_shares, n.ownership_cap) == (0, 0.04)
    # room = floor((4% x 33,981,105 - 0) / (1 - 4%)) = floor(1,359,244.2 / 0.96) = 1,415,879
    assert n.quote.cap_shares == 1_415_879
    line = next(x for x in notice_lines(n) if x.lstrip().startswith("5."))
    assert "Ownership cap 4.00%: the holder has 0 of 33,981,105" in line, line
    # the Registered note's notice the same day: Investor's 50,293 shares under the 4.99% cap
    m = build_notice(two, sample, events, notice_date=dt.date(2023, 1, 12), amount=50_000, note="Registered")
    assert (m.holder_shares, m.ownership_cap) == (50_293, 0.0499)
