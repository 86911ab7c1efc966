"""The ledger under the pricing tools' split-jump guard: a conversion (or a default's demand,
payment or reset) priced on VWAPs that cross an unexplained day-over-day jump a split would
explain (conversion.split_jump_threshold = 4) is refused naming both days; a Split row with
Value none says the move was real; ordinary small-cap moves (x3) are priced."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import NoSplit, events_from_csv, parse_events
from ascent_xl.ledger import deal_state, run_ledger
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market
from tests.helpers.markets import sessions_before

NOTICE = "2023-02-01"


def jump_market(move: float) -> MarketData:
    """40 sessions before the notice at $1.00, the last 5 of them (the window's) at $1.00 x move,
    and the notice day itself at that level."""
    days = sessions_before(NOTICE, 40) + [NOTICE]
    vwaps = [1.0] * 35 + [move] * 6
    return MarketData.from_lists(days, vwaps)


def convert(market, *extra, **kw):
    rows = [*extra, [NOTICE, "Conversion", "Registered", 100_000, None]]
    return run_ledger(ASTI_2022, parse_events(rows), market, until=dt.date(2023, 2, 1), **kw)


def test_an_ordinary_move_is_priced():
    s = convert(jump_market(3.0))  # a day's VWAP triples: below the 4x threshold
    row = next(r for r in s.rows if r["Event"] == "Conversion")
    # alternate: 92.5% x mean of the 3 lowest of the 10 VWAPs before the notice ($1.00 each)
    assert row["Conversion Price"] == pytest.approx(0.925)
    assert row["Shares Issued"] == 108_109  # 100,000 / 0.925 = 108,108.1, rounded up


def test_a_jump_a_split_would_explain_is_refused_naming_both_days():
    days = sessions_before(NOTICE, 40)
    before, after = days[34], days[35]  # the $1.00 -> $5.00 step
    with pytest.raises(LedgerError) as exc:
        convert(jump_market(5.0))
    assert str(exc.value) == (
        f"row 1 ({NOTICE}, Conversion): notice date {NOTICE}: the VWAP jumps from $1.0000 on {before} to "
        f"$5.0000 on {after} (x5.0), since 2022-12-19; a split would explain it. Give the Split event of "
        f"{after}, or a Split row of that day with Value none if the move is real")


def test_a_split_row_none_says_the_move_is_real():
    after = sessions_before(NOTICE, 40)[35]
    s = convert(jump_market(5.0), [after, "Split", None, None, "none"])
    split = next(r for r in s.rows if r["Event"] == "Split")
    assert split["Detail"] == f"no split on {after}: a VWAP jump onto this day is a real move"
    assert split["Shares Outstanding"] == ASTI_2022.shares_outstanding  # nothing restated
    row = next(r for r in s.rows if r["Event"] == "Conversion")
    # not restated: the window's 3 lowest VWAPs are the $1.00 days before the move: 92.5% x $1.00
    assert row["Conversion Price"] == pytest.approx(0.925)
    # the API's own "no split" says it for every jump: the same conversion
    same = next(r for r in convert(jump_market(5.0), no_split=True).rows if r["Event"] == "Conversion")
    assert same["Conversion Price"] == row["Conversion Price"] and same["Shares Issued"] == row["Shares Issued"]
    assert parse_events([[after, "Split", None, None, "No split"]])[0].value == NoSplit()


def test_a_split_row_with_the_ratio_restates_and_prices():
    after = sessions_before(NOTICE, 40)[35]
    s = convert(jump_market(5.0), [after, "Split", None, None, "1:5"])
    row = next(r for r in s.rows if r["Event"] == "Conversion")
    # restated VWAPs $1.00 x 5 = $5.00 throughout; fixed 3.93042 x 5 = 19.6521; alternate 92.5% x 5
    assert row["Conversion Price"] == pytest.approx(4.625)


def test_the_sample_deal_without_its_split_row_is_refused_at_its_post_split_conversion():
    events = [e for e in events_from_csv(data_path(SAMPLE_EVENTS)) if e.kind.value != "Split"]
    with pytest.raises(LedgerError, match=r"^sample_events.csv line 43 \(2023-10-02, Conversion\): notice date "
                       r"2023-10-02: the VWAP jumps from \$0.0561 on 2023-09-11 to \$11.1688 on 2023-09-12 "
                       r"\(x199.1\), since 2022-12-19; a split would explain it\. Give the Split event of 2023-09-12"):
        run_ledger(ASTI_2022, events, sample_market())
    # the snapshot before that conversion is not refused: nothing was priced across the jump yet
    p = deal_state(ASTI_2022, sample_market(), events, as_of="2023-09-29", no_split=False)
    assert p.as_of == dt.date(2023, 9, 29)


def test_a_default_reset_across_a_jump_is_refused():
    with pytest.raises(LedgerError, match=rf"row 1 \({NOTICE}, Default\): default date {NOTICE}: the VWAP jumps"):
        run_ledger(ASTI_2022, parse_events([[NOTICE, "Default", "Registered", None, "reset"]]), jump_market(5.0))
