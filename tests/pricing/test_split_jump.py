"""A split nobody told us about is never priced silently: a look-back window (or the step to the
notice date's own VWAP) that crosses a day-over-day jump of conversion.split_jump_threshold
times (4 in ASTI_2022) is refused naming both days; ordinary moves are not."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import TermsError
from ascent_xl.pricing import SplitJumpError, check_split_jumps, quote_conversion
from tests.helpers.markets import market_before, sessions_before

NOTICE = "2023-09-15"
THRESHOLD = 4.0


def series(jump_at: int, factor: float, *, n: int = 12, start: float = 0.06) -> list[float]:
    """n VWAPs of `start`, multiplied by `factor` from position `jump_at` on."""
    return [start * (factor if i >= jump_at else 1.0) for i in range(n)]


@pytest.mark.parametrize("factor", [0.5, 3.0, 1 / 3.9, 3.9])
def test_a_day_that_halves_or_triples_is_priced(factor):
    m = market_before(NOTICE, series(8, factor))
    check_split_jumps(m, NOTICE, days=10, threshold=THRESHOLD)  # no error


@pytest.mark.parametrize("new_per_old", [5, 10, 200, 250])
def test_a_reverse_split_of_the_family_is_refused_naming_both_days(new_per_old):
    m = market_before(NOTICE, series(8, new_per_old))
    days = sessions_before(NOTICE, 12)
    with pytest.raises(SplitJumpError) as exc:
        check_split_jumps(m, NOTICE, days=10, threshold=THRESHOLD)
    assert (str(exc.value.before), str(exc.value.after)) == (days[7], days[8])
    assert f"on {days[7]}" in str(exc.value) and f"on {days[8]}" in str(exc.value)
    assert exc.value.ratio == pytest.approx(new_per_old)


def test_a_forward_split_is_refused_too():
    with pytest.raises(SplitJumpError):
        check_split_jumps(market_before(NOTICE, series(8, 1 / 4)), NOTICE, days=10, threshold=THRESHOLD)


def test_a_jump_before_the_window_is_not_the_windows_business():
    # 12 sessions; the jump between sessions 0 and 1; the 10-day window is sessions 2..11
    check_split_jumps(market_before(NOTICE, series(1, 200)), NOTICE, days=10, threshold=THRESHOLD)
    # ... nor one into the window's first day: the ten VWAPs are on one basis (sessions 1 -> 2)
    check_split_jumps(market_before(NOTICE, series(2, 200)), NOTICE, days=10, threshold=THRESHOLD)
    # a jump into the window's second day is inside it (sessions 2 -> 3)
    with pytest.raises(SplitJumpError):
        check_split_jumps(market_before(NOTICE, series(3, 200)), NOTICE, days=10, threshold=THRESHOLD)


def test_prices_set_at_issue_are_checked_from_the_issue_on():
    # priced on the terms as issued, a jump after the issue but before the window is refused:
    # the floor and the fixed price are on the old basis, the window's VWAPs on the new one
    days = sessions_before(NOTICE, 12)
    m = market_before(NOTICE, series(1, 200))
    check_split_jumps(m, NOTICE, days=10, threshold=THRESHOLD, since=dt.date.fromisoformat(days[3]))
    with pytest.raises(SplitJumpError, match=rf"on {days[0]} to .* on {days[1]} .*since {days[0]}"):
        check_split_jumps(m, NOTICE, days=10, threshold=THRESHOLD, since=dt.date.fromisoformat(days[0]))


def test_the_notice_dates_own_vwap_counts():
    m = market_before(NOTICE, [0.06] * 10, include_day=12.0)  # the jump on the notice date
    with pytest.raises(SplitJumpError, match=rf"to \$12.0000 on {NOTICE}"):
        check_split_jumps(m, NOTICE, days=10, threshold=THRESHOLD)


def test_vwaps_restated_for_the_split_pass():
    days = sessions_before(NOTICE, 12)
    m = market_before(NOTICE, series(8, 200)).adjusted_for_split(dt.date.fromisoformat(days[8]), 1 / 200)
    check_split_jumps(m, NOTICE, days=10, threshold=THRESHOLD)


def test_the_quote_refuses_unless_told_there_was_no_split(terms):
    m = market_before(NOTICE, series(8, 200), include_day=12.0)
    with pytest.raises(SplitJumpError, match="a split would explain it"):
        quote_conversion(terms, m, notice_date=NOTICE, amount=50_000)
    q = quote_conversion(terms, m, notice_date=NOTICE, amount=50_000, no_split=True)
    # 3 lowest of the 10: the pre-jump 0.06s; 92.5% x 0.06 = 0.0555 < floor 0.29
    assert q.alternate_price == pytest.approx(0.925 * 0.06) and q.conversion_price == 0.29


def test_a_threshold_at_or_below_one_is_refused():
    with pytest.raises(TermsError, match="threshold"):
        check_split_jumps(market_before(NOTICE, [1.0] * 10), NOTICE, days=10, threshold=1.0)
