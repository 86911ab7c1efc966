"""The deal's price history (ascent_xl.ledger.history) by hand: each day's alternate, fixed, floor
and conversion price, restated to the latest share basis across a 1-for-200 reverse split."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.ledger.history import price_history
from ascent_xl.market import MarketData

SESSIONS = ["2023-08-28", "2023-08-29", "2023-08-30", "2023-08-31", "2023-09-01", "2023-09-05",
            "2023-09-06", "2023-09-07", "2023-09-08", "2023-09-11", "2023-09-12", "2023-09-13",
            "2023-09-14", "2023-09-15"]
# On the latest share basis (after the split):
RESTATED = [12.2, 12.1, 11.9, 12.0, 11.6, 12.4, 11.4, 12.2, 11.8, 11.2, 11.5, 11.3, 11.7, 11.6]
# Alternate price of the last four days, 92.5% of the three lowest of the ten VWAPs before:
# 09-12: 11.2, 11.4, 11.6 -> 11.4 -> 10.545; 09-13: 11.2, 11.4, 11.5 -> 10.514167;
# 09-14 and 09-15: 11.2, 11.3, 11.4 -> 11.3 -> 10.4525.
ALTERNATE = [0.925 * 11.4, 0.925 * (11.2 + 11.4 + 11.5) / 3, 0.925 * 11.3, 0.925 * 11.3]


def _history(terms, split_day, events):
    cut = SESSIONS.index(split_day)
    traded = [v / 200 if i < cut else v for i, v in enumerate(RESTATED)]  # as traded
    market = MarketData.from_lists(SESSIONS, traded)
    evs = parse_events([[split_day, "Split", None, None, "1:200"], *events])
    return price_history(run_ledger(terms, evs, market), market, evs)


def test_history_after_a_split_and_a_floor_amendment(terms):
    h = _history(terms, "2023-09-12", [["2023-09-13", "Amendment", None, None, "floor_price = 5"]])
    assert [str(d) for d in h.dates] == SESSIONS[10:]  # the days with a full ten-day window
    assert h.vwap.tolist() == pytest.approx(RESTATED[10:], abs=1e-12)
    assert h.alternate.tolist() == pytest.approx(ALTERNATE, abs=1e-12)
    assert h.fixed.tolist() == pytest.approx([3.93042 * 200] * 4, abs=1e-9)  # 786.084
    assert h.floor.tolist() == pytest.approx([58.0, 5.0, 5.0, 5.0], abs=1e-12)  # 0.29 x 200, then 5
    # the lower of fixed and alternate, not below the floor
    assert h.conversion.tolist() == pytest.approx([58.0, *ALTERNATE[1:]], abs=1e-12)
    rows = h.rows()
    assert rows[0][0] == dt.date(2023, 9, 12) and len(rows) == 4 and all(len(r) == 6 for r in rows)
    assert rows[3][1:] == pytest.approx([11.6, 0.925 * 11.3, 786.084, 5.0, 0.925 * 11.3], abs=1e-9)


def test_prices_before_a_split_are_restated_to_the_new_basis(terms):
    h = _history(terms, "2023-09-14", [])
    # 09-12 and 09-13 come before the split: their fixed price 3.93042 and floor 0.29 are shown
    # x 200 (786.084 and 58), like their VWAPs; the floor binds every day.
    assert h.vwap.tolist() == pytest.approx(RESTATED[10:], abs=1e-12)
    assert h.alternate.tolist() == pytest.approx(ALTERNATE, abs=1e-12)
    assert h.fixed.tolist() == pytest.approx([786.084] * 4, abs=1e-9)
    assert h.floor.tolist() == pytest.approx([58.0] * 4, abs=1e-9)
    assert h.conversion.tolist() == pytest.approx([58.0] * 4, abs=1e-9)


def test_an_alternate_that_applies_only_in_default_is_charted_from_the_default_on():
    # Canoo June 2024 (alternate_price_applies in_default) on flat $2.00 VWAPs, an event of
    # default noticed on 2024-08-01: before it each day prices at the fixed $2.30 and has no
    # alternate; from it the alternate 92.5% x $2.00 = $1.85 applies, and the price is
    # min($2.30, $1.85) = $1.85 (no floor).
    from ascent_xl.terms_io import load_terms, shipped_deals
    from tests.helpers.markets import sessions_before

    terms = load_terms(shipped_deals()["canoo_2024_06_prepaid_advance"])
    days = [d for d in sessions_before("2024-09-03", 80) if d >= "2024-06-03"]
    market = MarketData.from_lists(days, [2.0] * len(days), calendar=terms.calendar)
    events = parse_events([["2024-08-01", "Default", "Advance", None, None]])
    h = price_history(run_ledger(terms, events, market), market, events)
    on = {d.item(): (a, p) for d, a, p in zip(h.dates, h.alternate, h.conversion, strict=True)}
    before, after = on[dt.date(2024, 7, 31)], on[dt.date(2024, 8, 2)]
    assert np.isnan(before[0]) and before[1] == 2.30
    assert after == (pytest.approx(1.85), pytest.approx(1.85))
    assert on[dt.date(2024, 8, 1)] == (pytest.approx(1.85), pytest.approx(1.85))  # the default's own day
    # waived on 2024-08-20: from that day (a waiver applies before the day's conversions) the
    # fixed $2.30 again, no alternate
    events = parse_events([["2024-08-01", "Default", "Advance", None, None],
                           ["2024-08-20", "Waiver", None, None, None]])
    h = price_history(run_ledger(terms, events, market), market, events)
    on = {d.item(): (a, p) for d, a, p in zip(h.dates, h.alternate, h.conversion, strict=True)}
    assert on[dt.date(2024, 8, 19)] == (pytest.approx(1.85), pytest.approx(1.85))
    for day in (dt.date(2024, 8, 20), dt.date(2024, 8, 30)):
        assert np.isnan(on[day][0]) and on[day][1] == 2.30


# -- survivors of the full mutation run of 2026-12-04 ------------------------------------------

def _sample_history(terms, rows, sample):
    from ascent_xl.events import parse_events as parse

    events = parse(rows)
    h = price_history(run_ledger(terms, events, sample), sample, events)
    return {str(d): i for i, d in enumerate(h.dates)}, h


def test_the_alternate_price_deepens_in_default(terms, sample):
    # default.default_discount 25% (the 7.5% otherwise): in default from 2023-03-10 to the
    # waiver of 03-29 the alternate price is 75% of the mean of the 3 lowest of the 10 VWAPs
    # before the day, 92.5% before and after (the sample's VWAPs, read from its CSV)
    from tests.helpers.sample_csv import lowest_mean_before

    deeper = terms.with_term("default_discount", 0.25)
    at, h = _sample_history(deeper, [["2023-03-10", "Default", None, None, None],
                                     ["2023-03-29", "Waiver", None, None, None]], sample)
    for day, pct in (("2023-03-09", 0.925), ("2023-03-15", 0.75), ("2023-03-28", 0.75), ("2023-03-30", 0.925)):
        assert h.alternate[at[day]] == pytest.approx(pct * lowest_mean_before(day, days=10, lowest=3), abs=1e-12), day


def test_an_alternate_price_only_in_default_is_blank_with_no_default(terms, sample):
    # alternate_price_applies in_default and no Default row: no alternate price on any day
    # (kills the no-default branch's zeros mis-sized), the conversion price the fixed $3.93042
    at, h = _sample_history(terms.with_term("alternate_price_applies", "in_default"), [], sample)
    assert np.isnan(h.alternate).all() and h.conversion[at["2023-03-15"]] == pytest.approx(3.93042, abs=1e-12)


def test_before_the_first_row_the_history_takes_the_first_rows_price(terms, sample):
    # the sample's history starts on 2022-12-15 (its 11th session), before the 12-19 issue: the
    # first schedule row's fixed price, Registered's $3.93042, not the second's (Private's own
    # $2.00 here; kills _step's `before` taken from the second row)
    at, h = _sample_history(terms.with_term("notes.Private.own_fixed_price", 2.0), [], sample)
    assert str(h.dates[0]) == "2022-12-15" and h.fixed[0] == pytest.approx(3.93042, abs=1e-12)
