"""Tests written against surviving mutants of ascent_xl/pricing.py (issue 16): each names, in a
comment, the function and the change it catches. Expected values are worked out by hand in the
comments, never taken from the code under test."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

import numpy as np
import pytest

from ascent_xl.errors import AscentError, InputError
from ascent_xl.market import MarketData
from ascent_xl.pricing import (
    alternate_conversion_price,
    capped_conversion,
    check_split_jumps,
    conversion_price,
    conversion_shares,
    default_conversion_price,
    fixed_conversion_price,
    floor_binds,
    floor_payment,
    max_conversion_amount,
    max_conversion_shares,
    quote_conversion,
    quote_conversions,
    ratcheted_price,
    resolve_fixed_price,
    split_adjusted_price,
    split_adjusted_shares,
    split_ratio,
    unfloored_price,
    warrant_cashless_shares,
    whole_cents,
)
from tests.helpers.markets import market_before, sessions_before

# ---------------------------------------------------------------------------------------------
# Refusals name the argument the user gave: a mutant that renames it ("XXpriceXX", "PRICE", None,
# or the term's own field name where the argument has a shorter label) changes what the user reads.

_TEN = [3.30, 3.25, 3.20, 3.18, 3.16, 3.154, 3.089, 3.012, 2.972, 2.890]


def _market() -> MarketData:
    return market_before("2022-12-19", _TEN, include_day=2.95)


def _capped(terms, **kw):
    args = dict(conversion=terms.conversion, notice_date=dt.date(2022, 12, 19), principal=1_000.0,
                fixed_price=3.93042, floor_price=0.29, alternate=False)
    args.update(kw)
    return capped_conversion(_market(), **args)


REFUSALS = [
    # fixed_conversion_price: label "premium" / "days" (not fixed_price_premium / fixed_price_days)
    ("fixed premium", lambda t: fixed_conversion_price(_market(), issue_date="2022-12-19", premium=1.5, days=5),
     r"premium: "),
    ("fixed days", lambda t: fixed_conversion_price(_market(), issue_date="2022-12-19", premium=0.3, days=0),
     r"days: "),
    # alternate_conversion_price: labels discount / days / lowest
    ("alternate discount", lambda t: alternate_conversion_price(_market(), notice_date="2022-12-19", discount=0.6,
                                                                days=5, lowest=3), r"discount: "),
    ("alternate days", lambda t: alternate_conversion_price(_market(), notice_date="2022-12-19", discount=0.075,
                                                            days=0, lowest=1), r"days: "),
    ("alternate lowest", lambda t: alternate_conversion_price(_market(), notice_date="2022-12-19", discount=0.075,
                                                              days=5, lowest=0), r"lowest: "),
    # default_conversion_price: labels factor / days / lowest (not reset_factor ...)
    ("default factor", lambda t: default_conversion_price(_market(), default_date="2022-12-19", factor=0.0, days=5,
                                                          lowest=3), r"factor: "),
    ("default days", lambda t: default_conversion_price(_market(), default_date="2022-12-19", factor=0.8, days=0,
                                                        lowest=1), r"days: "),
    ("default lowest", lambda t: default_conversion_price(_market(), default_date="2022-12-19", factor=0.8, days=5,
                                                          lowest=0), r"lowest: "),
    # check_split_jumps: label "threshold" (the term is split_jump_threshold), which must be > 1
    ("split threshold", lambda t: check_split_jumps(_market(), "2022-12-19", days=5, threshold=1.0),
     r"threshold: "),
    # floor_binds / conversion_price: the floor mode and the floor price are named
    ("floor mode", lambda t: floor_binds(unfloored_price=0.25, floor_price=0.29, floor_mode="sideways"),
     r"floor_mode: "),
    ("floor price", lambda t: conversion_price(fixed_price=3.9, alternate_price=0.25, floor_price=-1.0),
     r"floor_price: "),
    # conversion_shares: "amount" and "price", scalar and array paths
    ("shares amount", lambda t: conversion_shares(-100.0, 0.25, rounding="up"),
     r"amount -100\.00 must be more than zero"),
    ("shares amount array", lambda t: conversion_shares(np.array([100.0, -100.0]), np.array([0.25, 0.25]),
                                                        rounding="up"),
     r"amount \(item 2\) -100\.00 must be more than zero"),
    ("shares price", lambda t: conversion_shares(100.0, 0.0, rounding="up"), r"price 0 must be a positive price"),
    # capped_conversion: principal / interest to the cent, fixed_price and floor_price named
    ("capped principal", lambda t: _capped(t, principal=1_000.005), r"principal \$1,000\.005 is not a whole"),
    ("capped interest", lambda t: _capped(t, interest=0.125), r"interest \$0\.125 is not a whole"),
    ("capped fixed price", lambda t: _capped(t, fixed_price=0.0, alternate=True), r"fixed_price 0 must be"),
    ("capped floor price", lambda t: _capped(t, floor_price=-0.29), r"floor_price: "),
    # floor_payment: the unfloored price and the VWAP named
    ("floor payment unfloored", lambda t: floor_payment(100.0, unfloored_price=0.0, floor_price=0.29, vwap=0.27),
     r"unfloored_price 0 must be a positive price"),
    ("floor payment vwap", lambda t: floor_payment(100.0, unfloored_price=0.25, floor_price=0.29, vwap=-0.27),
     r"vwap -0\.27 must be a positive price"),
    # the small rules: each argument named
    ("ratchet price", lambda t: ratcheted_price(0.0, issue_price=1.0), r"price 0 must be a positive price"),
    ("ratchet issue price", lambda t: ratcheted_price(1.0, issue_price=0.0), r"issue_price 0 must be"),
    ("split price", lambda t: split_adjusted_price(0.0, ratio=2.0), r"price 0 must be a positive price"),
    ("split shares", lambda t: split_adjusted_shares(-5.0, ratio=2.0), r"shares -5\.00 must be zero or more"),
    ("warrant shares", lambda t: warrant_cashless_shares(-5.0, exercise_price=1.0, market_price=2.0,
                                                         rounding="up"), r"warrant_shares -5\.00 must be"),
    ("warrant exercise price", lambda t: warrant_cashless_shares(5.0, exercise_price=0.0, market_price=2.0,
                                                                 rounding="up"), r"exercise_price 0 must be"),
    ("warrant market price", lambda t: warrant_cashless_shares(5.0, exercise_price=1.0, market_price=0.0,
                                                               rounding="up"), r"market_price 0 must be"),
    ("warrant rounding", lambda t: warrant_cashless_shares(5.0, exercise_price=1.0, market_price=2.0,
                                                           rounding="sideways"), r"rounding: "),
    # unfloored_price: the fixed price named (the alternate price already was)
    ("unfloored fixed price", lambda t: unfloored_price(fixed_price=-1.0, alternate_price=2.0),
     r"fixed_price -1 must be a positive price"),
    # whole_cents: a text is refused under the name given, before the cents are looked at
    ("whole cents text", lambda t: whole_cents("abc", name="Amount"), r"Amount 'abc' is not a number"),
]


@pytest.mark.parametrize(("case", "call", "start"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_name_the_argument(terms, case, call, start):
    # Kills the name/label mutants (None, "XX..XX", upper case, label dropped) of: fixed_, alternate_
    # and default_conversion_price, check_split_jumps (threshold), floor_binds, conversion_price, floor_payment,
    # conversion_shares, capped_conversion (principal, interest, fixed_price, floor_price),
    # ratcheted_price, split_adjusted_price / _shares, warrant_cashless_shares.
    with pytest.raises(AscentError) as info:
        call(terms)
    assert re.match(start, str(info.value)), str(info.value)


# ---------------------------------------------------------------------------------------------
# capped_conversion: the cap, interest first, nothing left to convert, the VWAP reported

# cap 4.99% of 1,000,000 shares with nothing held: (49,900 - 0) / 0.9501 = 52,520.79 -> 52,520 new
# shares; at a price of $1.00 that is $52,520.00.
_CAP = dict(holder_shares=0, shares_outstanding=1_000_000, cap=0.0499)


def test_a_conversion_exactly_at_the_cap_is_not_capped(terms):
    # capped_conversion: `requested shares > limit` made `>=` (flags a conversion that fits).
    q = _capped(terms, principal=52_520.00, fixed_price=1.00, **_CAP)
    assert (q.cap_shares, q.cap_amount, q.capped) == (52_520, 52_520.00, False)
    assert (q.principal_converted, q.interest_converted, q.shares) == (52_520.00, 0.0, 52_520)


def test_above_the_cap_interest_converts_first_then_principal(terms):
    # capped_conversion: `requested = principal + interest` made `-` (52,000 - 1,000 = 51,000
    # would fit under the cap), `allowed - interest_conv` made `+`, `converted = p + i` made `-`.
    # Asked: 52,000 principal + 1,000 interest = 53,000 at $1.00 = 53,000 shares > 52,520.
    # Allowed $52,520.00: interest 1,000.00 first, then principal 52,520 - 1,000 = 51,520.00.
    q = _capped(terms, principal=52_000.00, interest=1_000.00, fixed_price=1.00, **_CAP)
    assert q.capped is True
    assert (q.interest_converted, q.principal_converted) == (1_000.00, 51_520.00)
    assert (q.converted, q.amount, q.shares) == (52_520.00, 53_000.00, 52_520)
    assert (q.principal_requested, q.interest_requested) == (52_000.00, 1_000.00)


def test_a_holder_at_the_cap_converts_nothing_and_needs_no_vwap(terms):
    # capped_conversion: shares `if converted > 0 else 0` made `else 1`; the floor payment's
    # `converted > 0` made `>= 0` (it would then read the notice day's VWAP, which this market
    # lacks, and refuse). Holder 49,900 of 1,000,000 at a 4.99% cap: room (49,900 - 49,900) /
    # 0.9501 = 0 shares. Fixed price $0.20 is below the $0.29 floor: the floor binds.
    market = market_before("2022-12-19", _TEN)  # no VWAP on the notice day
    q = capped_conversion(market, conversion=terms.conversion, notice_date=dt.date(2022, 12, 19),
                          principal=1_000.00, fixed_price=0.20, floor_price=0.29, alternate=False,
                          holder_shares=49_900, shares_outstanding=1_000_000, cap=0.0499)
    assert (q.cap_shares, q.cap_amount, q.capped) == (0, 0.0, True)
    assert (q.principal_converted, q.interest_converted, q.shares) == (0.0, 0.0, 0)
    assert q.floor_binds is True and q.conversion_price == 0.29
    assert (q.floor_payment, q.vwap) == (0.0, None)


def test_the_floor_payment_on_one_dollar(terms):
    # capped_conversion: the floor payment's `converted > 0` made `> 1` ($1.00 would pay nothing).
    # Fixed (= unfloored) price 0.259 under the 0.29 floor, VWAP 0.26 on the day:
    # (1 / 0.259 - 1 / 0.29) x 0.26 = (3.861004 - 3.448276) x 0.26 = 0.107309 -> $0.11;
    # shares 1 / 0.29 = 3.45 -> 4 (rounded up).
    market = market_before("2022-12-19", _TEN, include_day=0.26)
    q = capped_conversion(market, conversion=terms.conversion, notice_date=dt.date(2022, 12, 19),
                          principal=1.00, fixed_price=0.259, floor_price=0.29, alternate=False)
    assert (q.unfloored_price, q.alternate_price, q.conversion_price) == (0.259, 0.259, 0.29)
    assert (q.shares, q.floor_payment, q.vwap) == (4, 0.11, 0.26)


def test_a_plain_quote_has_no_cap(terms):
    # capped_conversion: `allowed = None` made `""`, `capped = False` made `None`.
    q = _capped(terms, principal=1_000.00)
    assert q.cap_shares is None and q.cap_amount is None and q.capped is False


@pytest.mark.parametrize(("day", "vwap"), [
    ("2022-12-19", 2.95),  # the data's first day: position 0 (`pos >= 0` made `> 0` / `>= 1`)
    ("2022-12-20", 3.00),
    ("2022-12-21", None),  # after the data
    ("2022-12-16", None),  # before the data
])
def test_the_vwap_of_the_notice_day_is_reported_when_the_data_has_it(terms, day, vwap):
    # capped_conversion without a floor payment reports the day's VWAP where the data has it
    # (_vwaps_if_present): kills `pos - market.start` made `+`, `pos >= 0` made `> 0` / `>= 1`,
    # `out[ok] = None`, sessions_mask(None); in capped_conversion the date made None, the VWAP
    # dropped (`vwap = None`, `... or True`), the record's `vwap=None`.
    market = MarketData.from_lists(["2022-12-19", "2022-12-20"], [2.95, 3.00])
    q = capped_conversion(market, conversion=terms.conversion, notice_date=dt.date.fromisoformat(day),
                          principal=1_000.00, fixed_price=3.93042, floor_price=0.29, alternate=False)
    assert q.vwap == vwap
    assert q.shares == 255  # 1,000 / 3.93042 = 254.43 -> 255 (rounded up)


# ---------------------------------------------------------------------------------------------
# check_split_jumps: where the window starts and ends, the cache, the genuine days, the message

_DAYS = sessions_before("2023-03-01", 20)  # 2023-01-31 to 2023-02-28


def _jump_market(values: dict[int, float]) -> MarketData:
    """20 sessions before 2023-03-01 at $1.00, from position k on at values[k] (the last given)."""
    v, level = [], 1.0
    for k in range(20):
        level = values.get(k, level)
        v.append(level)
    return MarketData.from_lists(_DAYS, v)


def _jump_message(fn) -> str:
    with pytest.raises(AscentError) as info:
        fn()
    return str(info.value)


def test_a_jump_of_exactly_the_threshold_is_refused_up_and_down():
    # check_split_jumps: `move >= threshold` made `>`; the message's days and prices.
    # $0.50 -> $2.00 is x4.0 exactly (the threshold); $2.00 -> $0.50 is x0.25 = 1 / 4 exactly.
    up = _jump_market({0: 0.5, 10: 2.0})
    assert _jump_message(lambda: check_split_jumps(up, _DAYS[15], days=10, threshold=4.0)) == (
        f"notice date {_DAYS[15]}: the VWAP jumps from $0.5000 on {_DAYS[9]} to $2.0000 on {_DAYS[10]} (x4.0), "
        f"inside the 10 days priced; a split would explain it. Give the Split event of {_DAYS[10]}, or say "
        "there was no split")
    down = _jump_market({0: 2.0, 10: 0.5})
    assert f"from $2.0000 on {_DAYS[9]} to $0.5000 on {_DAYS[10]} (x0.2)" in _jump_message(
        lambda: check_split_jumps(down, _DAYS[15], days=10, threshold=4.0))
    # just under x4 either way is a real move
    check_split_jumps(_jump_market({0: 0.5, 10: 1.999}), _DAYS[15], days=10, threshold=4.0)
    check_split_jumps(_jump_market({0: 2.0, 10: 0.501}), _DAYS[15], days=10, threshold=4.0)


def test_a_genuine_day_is_not_refused_and_does_not_hide_the_jump_from_a_later_check():
    # check_split_jumps: the genuine days as an object array (dtype dropped or None: no day then
    # matches, the genuine move is refused); the cache key made None (the second check would
    # reuse the first's counts, where the genuine day was taken out).
    m = _jump_market({10: 5.0})
    real = dt.date.fromisoformat(_DAYS[10])
    check_split_jumps(m, _DAYS[15], days=10, threshold=4.0, genuine=[real])
    assert "(x5.0)" in _jump_message(lambda: check_split_jumps(m, _DAYS[15], days=10, threshold=4.0))
    check_split_jumps(m, _DAYS[15], days=10, threshold=4.0, genuine=[real])
    # the genuine days as ISO text, as every date here may be (np.array(real, dtype=...) with the
    # dtype dropped or None keeps text, which matches no date)
    check_split_jumps(_jump_market({10: 5.0}), _DAYS[15], days=10, threshold=4.0, genuine=[_DAYS[10]])


def test_since_the_issue_date_counts_moves_after_it_not_onto_it():
    # check_split_jumps with since: `first = sessions before since - start + 1` made `- 1` (a move
    # onto the issue day itself, from the day before, would be refused). 5-day window of a notice
    # on position 19: positions 15-19; since position 5: moves from position 6 on count.
    onto = _jump_market({5: 5.0})  # the move from position 4 to 5, onto the issue day
    check_split_jumps(onto, _DAYS[19], days=5, threshold=4.0, since=dt.date.fromisoformat(_DAYS[5]))
    after = _jump_market({6: 5.0})  # from the issue day (5) to the next (6)
    assert _jump_message(lambda: check_split_jumps(
        after, _DAYS[19], days=5, threshold=4.0, since=dt.date.fromisoformat(_DAYS[5]))).startswith(
        f"notice date {_DAYS[19]}: the VWAP jumps from $1.0000 on {_DAYS[5]} to $5.0000 on {_DAYS[6]} "
        f"(x5.0), since {_DAYS[5]}; a split")


def test_the_refusal_names_the_notice_date_whose_window_crosses_the_jump():
    # check_split_jumps: `k = argmax(found)` made argmax(None) (always the first notice date).
    # Jump onto position 16; a 5-day window: notice on 8 (positions 4-8) is clean, notice on 19
    # (positions 15-19) crosses it.
    m = _jump_market({16: 5.0})
    msg = _jump_message(lambda: check_split_jumps(m, [_DAYS[8], _DAYS[19]], days=5, threshold=4.0))
    assert msg.startswith(f"notice date {_DAYS[19]}: the VWAP jumps from $1.0000 on {_DAYS[15]} to "
                          f"$5.0000 on {_DAYS[16]} (x5.0)")


def test_windows_at_the_edges_of_the_data():
    m = _jump_market({1: 5.0})  # the move from position 0 to 1
    # notice on the first day of data (position 0): its window is before the data, its own VWAP is
    # position 0; the move onto position 1 is after it (`hi = clip(pos, 0, ...)` made clip at 1).
    check_split_jumps(m, _DAYS[0], days=10, threshold=4.0)
    # notice two sessions before the data: nothing of it is in the data (the lower clip of hi
    # dropped: counts[-2] would count the move).
    check_split_jumps(m, "2023-01-27", days=10, threshold=4.0)
    # notice on position 3 with a 10-day window: the window starts before the data and crosses
    # the move (the lower clip of lo dropped: counts[-6] would hide it).
    assert "(x5.0)" in _jump_message(lambda: check_split_jumps(m, _DAYS[3], days=10, threshold=4.0))
    # notice 40 sessions after the data: its window holds no data (the upper clip of lo dropped:
    # an index past the counts).
    late = _jump_market({5: 5.0})
    check_split_jumps(late, "2023-04-27", days=10, threshold=4.0)
    # a move onto the data's last day, priced on that day: the day's own VWAP is in the step
    # (`hi = clip(pos, 0, len(v) - 1)` made `len(v) - 2`: the last day would drop out).
    last = _jump_market({19: 5.0})
    assert f"to $5.0000 on {_DAYS[19]} (x5.0)" in _jump_message(
        lambda: check_split_jumps(last, _DAYS[19], days=10, threshold=4.0))


# ---------------------------------------------------------------------------------------------
# quote_conversion / quote_conversions: every column of a small hand-checked quote, the overrides

# 20 sessions 2022-12-12 .. 2023-01-10: five before the issue (2022-12-19), four after it, the ten
# of the 2023-01-10 window, then 2023-01-10 itself at $0.80.
_WINDOW = [1.00, 0.98, 0.96, 1.02, 1.04, 0.90, 0.92, 0.94, 1.10, 1.20]


def _quote_market(pre: float = 0.60, mid: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)) -> MarketData:
    return MarketData.from_lists(sessions_before("2023-01-11", 20), [pre] * 5 + list(mid) + _WINDOW + [0.80])


# Notice 2023-01-10: its ten days are _WINDOW, lowest three 0.90, 0.92, 0.94 -> 0.92 x 0.925 = 0.851
# (above the $0.29 floor, below the $3.93042 fixed price); 10,000 / 0.851 = 11,750.88 -> 11,751.
# Notice 2023-01-11: the window moves on a day (0.98 ... 1.20, 0.80): lowest 0.80, 0.90, 0.92 ->
# 0.873333 x 0.925 = 0.807833; 10,000 / 0.807833 = 12,378.79 -> 12,379; its VWAP is not in the data.
_ALT_10, _ALT_11 = 0.851, 0.925 * (0.80 + 0.90 + 0.92) / 3


def test_quote_conversions_every_column(terms):
    # quote_conversions: every key of the result (renamed keys "XX..XX" / upper case), the fixed
    # and floor columns filled with None, the VWAP where no floor payment is due (`vwap[~pays] =
    # None`), the VWAP array filled with None.
    q = quote_conversions(terms, _quote_market(), notice_dates=["2023-01-10", "2023-01-11"], amounts=10_000)
    assert set(q) == {"notice_date", "amount", "fixed_price", "alternate_price", "alternate_applies",
                      "unfloored_price", "floor_price", "conversion_price", "floor_binds", "shares",
                      "floor_payment", "vwap"}
    assert q["alternate_applies"].tolist() == [True, True]  # the Ascent deal's applies always
    assert [str(d) for d in q["notice_date"]] == ["2023-01-10", "2023-01-11"]
    assert q["amount"].tolist() == [10_000.0, 10_000.0]
    assert q["fixed_price"].tolist() == [3.93042, 3.93042]
    assert q["alternate_price"] == pytest.approx([_ALT_10, _ALT_11], abs=1e-12)
    assert q["unfloored_price"] == pytest.approx([_ALT_10, _ALT_11], abs=1e-12)
    assert q["floor_price"].tolist() == [0.29, 0.29]
    assert q["conversion_price"] == pytest.approx([_ALT_10, _ALT_11], abs=1e-12)
    assert q["floor_binds"].tolist() == [False, False]
    assert q["shares"].tolist() == [11_751, 12_379]
    assert q["floor_payment"].tolist() == [0.0, 0.0]
    assert q["vwap"][0] == 0.80 and np.isnan(q["vwap"][1])


def test_a_quote_takes_the_fixed_and_floor_prices_given(terms):
    # quote_conversion / quote_conversions: `... if fixed_price is None else fixed_price` made
    # `(fixed_price is None) or True` (the terms' price always), the floor override likewise and
    # float(None).
    # Fixed price given 0.80 < 0.851: the price is 0.80, 10,000 / 0.80 = 12,500 shares.
    m = _quote_market()
    one = quote_conversion(terms, m, notice_date="2023-01-10", amount=10_000, fixed_price=0.80)
    many = quote_conversions(terms, m, notice_dates=["2023-01-10"], amounts=[10_000], fixed_price=0.80)
    assert (one.fixed_price, one.conversion_price, one.shares) == (0.80, 0.80, 12_500)
    assert (many["fixed_price"][0], many["conversion_price"][0], many["shares"][0]) == (0.80, 0.80, 12_500)
    # Floor given 0.86 > 0.851: the price is 0.86, 10,000 / 0.86 = 11,627.9 -> 11,628 shares; floor
    # payment (10,000 / 0.851 - 10,000 / 0.86) x 0.80 = (11,750.881 - 11,627.907) x 0.80 = 98.379.
    one = quote_conversion(terms, m, notice_date="2023-01-10", amount=10_000, floor_price=0.86)
    many = quote_conversions(terms, m, notice_dates=["2023-01-10"], amounts=[10_000], floor_price=0.86)
    assert (one.floor_price, one.conversion_price, one.shares, one.floor_payment) == (0.86, 0.86, 11_628, 98.38)
    assert (many["floor_price"][0], many["conversion_price"][0], many["shares"][0],
            many["floor_payment"][0]) == (0.86, 0.86, 11_628, 98.38)


def test_a_blank_fixed_price_is_computed_from_the_vwaps_before_the_issue(terms):
    # quote_conversion / quote_conversions: resolve_fixed_price(terms, None) (refused: no VWAPs).
    # Five VWAPs of $0.60 before 2022-12-19: 1.30 x 0.60 = 0.78 < 0.851; 10,000 / 0.78 = 12,820.5
    # -> 12,821 shares.
    blank = terms.replace(conversion=terms.conversion.replace(fixed_price=None, fixed_price_average=None))
    m = _quote_market(pre=0.60)
    one = quote_conversion(blank, m, notice_date="2023-01-10", amount=10_000)
    many = quote_conversions(blank, m, notice_dates=["2023-01-10"], amounts=10_000)
    assert one.fixed_price == pytest.approx(0.78, abs=1e-12) and one.shares == 12_821
    assert many["fixed_price"][0] == pytest.approx(0.78, abs=1e-12) and many["shares"][0] == 12_821


def test_quotes_follow_when_the_alternate_price_applies(terms):
    # quote_conversions: in_default=False made True (an in-default-only alternate would apply);
    # issue_date or notice_date made None (a start after issue would never be reached); the
    # alternate column's fill made None (dates where it does not apply would hold None).
    in_default = terms.replace(conversion=terms.conversion.replace(alternate_price_applies="in_default"))
    q = quote_conversions(in_default, _quote_market(), notice_dates=["2023-01-10"], amounts=10_000)
    # the fixed price 3.93042 only: 10,000 / 3.93042 = 2,544.26 -> 2,545 shares
    assert (q["alternate_price"][0], q["conversion_price"][0], q["shares"][0]) == (3.93042, 3.93042, 2_545)
    # from 23 days after the 2022-12-19 issue: 2023-01-11 on; 2023-01-10 (22 days) has the fixed price
    later = terms.replace(conversion=terms.conversion.replace(alternate_price_start_days=23))
    q = quote_conversions(later, _quote_market(), notice_dates=["2023-01-10", "2023-01-11"], amounts=10_000)
    assert q["alternate_price"] == pytest.approx([3.93042, _ALT_11], abs=1e-12)
    assert q["shares"].tolist() == [2_545, 12_379]


def test_quotes_with_the_notice_day_in_the_window(terms):
    # quote_conversions: include_notice_day=c.window_includes_notice_day made None (no notice day).
    # With it, 2023-01-10's window is 0.98 ... 1.20, 0.80: the 2023-01-11 figures above.
    through = terms.replace(conversion=terms.conversion.replace(window_includes_notice_day=True))
    q = quote_conversions(through, _quote_market(), notice_dates=["2023-01-10"], amounts=10_000)
    assert q["alternate_price"][0] == pytest.approx(_ALT_11, abs=1e-12) and q["shares"][0] == 12_379


def test_quotes_refuse_a_jump_since_the_issue_and_name_the_way_out(terms):
    # quote_conversion / quote_conversions: check_split_jumps with since=None / since dropped
    # (a jump between the issue and the window would pass), days or threshold None, market or
    # refs dropped.
    # $0.20 up to 2022-12-20, then about $1.00: x5.0 onto 2022-12-21, after the 2022-12-19 issue
    # and before 2023-01-10's window (2022-12-23 on).
    m = _quote_market(pre=0.20, mid=(0.20, 0.20, 1.0, 1.0))
    want = ("notice date 2023-01-10: the VWAP jumps from $0.2000 on 2022-12-20 to $1.0000 on 2022-12-21 (x5.0), "
            "since 2022-12-19; a split would explain it. Give the Split event of 2022-12-21, or write no_split")
    assert _jump_message(lambda: quote_conversion(terms, m, notice_date="2023-01-10", amount=10_000,
                                                  way_out="write no_split")) == want
    assert _jump_message(lambda: quote_conversions(terms, m, notice_dates=["2023-01-10"], amounts=10_000,
                                                   way_out="write no_split")) == want
    assert quote_conversion(terms, m, notice_date="2023-01-10", amount=10_000, no_split=True).shares == 11_751


def test_a_floor_payment_needs_the_vwap_of_the_conversion_date(terms):
    # quote_conversions / capped_conversion: the what= of the floor payment's VWAP look-up (None,
    # dropped, "XX..XX", upper case).
    # Ten VWAPs of $0.30: 0.925 x 0.30 = 0.2775 < 0.29, the floor binds and pays; 2023-01-10 has
    # no VWAP in this market.
    low = market_before("2023-01-10", [0.30] * 10)
    want = "conversion date (for the floor payment) 2023-01-10 is outside the data (2022-12-23 to 2023-01-09)"
    for call in (lambda: quote_conversion(terms, low, notice_date="2023-01-10", amount=10_000),
                 lambda: quote_conversions(terms, low, notice_dates=["2023-01-10"], amounts=10_000)):
        assert _jump_message(call).startswith(want)


# ---------------------------------------------------------------------------------------------
# split_ratio, the date forms, conversion_shares' two paths, the floor with no floor


@pytest.mark.parametrize(("text", "ratio"), [("1 for 200", 0.005), ("3 FOR 1", 3.0), ("0.5", 0.5), (" 2 ", 2.0)])
def test_split_ratios_written_in_words_or_as_one_number(text, ratio):
    # split_ratio: the " for " replacement ("XX for XX", " FOR ", "XX:XX"), to_float(None) for a
    # ratio without ':'.
    assert split_ratio(text) == ratio


@pytest.mark.parametrize(("value", "want"), [
    # split on the first ':' only (split made rsplit, maxsplit dropped or 2: the unpacking breaks)
    ("1:2:3", "split ratio '1:2:3': '2:3' is not a number"),
    # zero and negative ratios are "not positive" (`or` made `and`, `<= 0` made `< 0`)
    ("-1:2", "split ratio '-1:2': must be positive, e.g. 1:200"),
    ("0:5", "split ratio '0:5': must be positive, e.g. 1:200"),
    # TRUE is no ratio (`not isinstance(value, bool)` made `isinstance`: it would be 1.0)
    (True, "split ratio True: 'true' is not a number"),
])
def test_split_ratios_refused(value, want):
    with pytest.raises(InputError) as info:
        split_ratio(value)
    assert str(info.value).startswith(want)


def test_one_date_gives_one_price_and_a_list_an_array():
    # _dates: `and not isinstance(value, str)` made `or` (a single np.datetime64 would be an
    # array), `return ..., True` made False; _out: `if scalar` made `scalar and False`.
    # The ten VWAPs before 2022-12-19: lowest three 2.890, 2.972, 3.012 -> 2.958 x 0.925 = 2.73615.
    m = _market()
    for day in ("2022-12-19", np.datetime64("2022-12-19")):
        price = alternate_conversion_price(m, notice_date=day, discount=0.075, days=10, lowest=3)
        assert type(price) is float and price == pytest.approx(2.73615, abs=1e-12)
    prices = alternate_conversion_price(m, notice_date=["2022-12-19"], discount=0.075, days=10, lowest=3)
    assert isinstance(prices, np.ndarray) and prices.tolist() == pytest.approx([2.73615], abs=1e-12)


def test_dates_outside_the_calendar_are_named_by_what_they_are():
    # _require_sessions: check_span(days, what) with what None or dropped ("date").
    with pytest.raises(AscentError) as info:
        alternate_conversion_price(_market(), notice_date=["1999-12-31"], discount=0.075, days=10, lowest=3)
    assert str(info.value).startswith("notice date 1999-12-31 is outside the XNAS calendar")


def test_the_fixed_and_default_windows_name_their_date():
    # fixed_conversion_price: window(..., what="issue date") (None, dropped, "XX..XX", upper case);
    # default_conversion_price: "default date" likewise.
    m = _market()  # data from 2022-12-05
    with pytest.raises(AscentError) as info:
        fixed_conversion_price(m, issue_date="2022-12-07", premium=0.30, days=5)
    assert str(info.value).startswith("issue date 2022-12-07 needs 5 trading days of VWAP from 2022-11-30")
    with pytest.raises(AscentError) as info:
        default_conversion_price(m, default_date="2022-12-07", factor=0.8, days=5, lowest=3)
    assert str(info.value).startswith("default date 2022-12-07 needs 5 trading days of VWAP from 2022-11-30")


def test_a_default_date_need_not_be_a_trading_day():
    # default_conversion_price: require_trading_day False made True (a Saturday refused).
    # Saturday 2022-12-17: the ten sessions before it end on Friday 2022-12-16 (the _TEN VWAPs,
    # 2022-12-05 .. 2022-12-16): lowest three 2.890, 2.972, 3.012 -> 2.958 x 0.80 = 2.3664.
    m = market_before("2022-12-17", _TEN)
    for day in ("2022-12-17", dt.date(2022, 12, 17)):
        assert default_conversion_price(m, default_date=day, factor=0.8, days=10, lowest=3) == pytest.approx(
            2.3664, abs=1e-12)


def test_conversion_shares_with_one_price_for_many_amounts():
    # conversion_shares: `np.ndim(amount) == 0 and ...` made `or`, `!= 0`, `== 1`, ndim(None): an
    # array of amounts at one price would take the one-number path and be refused.
    # 100 / 0.25 = 400, 250 / 0.25 = 1,000, 0.30 / 0.25 = 1.2 -> 2 (up).
    assert conversion_shares(np.array([100.0, 250.0, 0.30]), 0.25, rounding="up").tolist() == [400, 1_000, 2]
    # one amount at several prices: 100 / 0.25 = 400, 100 / 0.3 = 333.3 -> 334
    assert conversion_shares(100.0, np.array([0.25, 0.3]), rounding="up").tolist() == [400, 334]


def test_text_that_is_no_amount_is_refused_naming_the_amount():
    # conversion_shares: `np.ndim(price) == 0` made `!= 0` / `== 1`: one amount and one price
    # would take the array path, where text fails inside numpy instead of naming the amount.
    with pytest.raises(InputError) as info:
        conversion_shares("abc", 0.25, rounding="up")
    assert str(info.value) == "amount 'abc' is not a number"


def test_without_a_floor_a_zero_floor_price_is_accepted():
    # conversion_price / quote_conversions: check_floor(..., floor_mode=None) (None is not "none":
    # the $0 floor of a deal without one would be refused).
    assert conversion_price(fixed_price=3.9, alternate_price=0.25, floor_price=0.0, floor_mode="none") == 0.25


def test_quote_refusals_name_the_amount_and_the_default_way_out(terms):
    # quote_conversion: whole_cents(..., name="amount") (None, "XX..XX", upper case); the default
    # way_out ("XX..XX", upper case); quote_conversions: check_amounts(amt, "amount") likewise.
    m = _quote_market()
    with pytest.raises(InputError) as info:
        quote_conversion(terms, m, notice_date="2023-01-10", amount=100.001)
    assert str(info.value).startswith("amount $100.001 is not a whole number of cents")
    for amounts, want in (([-1.0], "amount -1.00 must be more than zero"),
                          ([5.0, -1.0], "amount (item 2) -1.00 must be more than zero")):
        with pytest.raises(InputError) as info:
            quote_conversions(terms, m, notice_dates=["2023-01-10"] * len(amounts), amounts=amounts)
        assert str(info.value) == want
    jump = _quote_market(pre=0.20, mid=(0.20, 0.20, 1.0, 1.0))
    for call in (lambda: quote_conversion(terms, jump, notice_date="2023-01-10", amount=10_000),
                 lambda: quote_conversions(terms, jump, notice_dates=["2023-01-10"], amounts=10_000)):
        assert _jump_message(call).endswith("Give the Split event of 2022-12-21, or say there was no split")


def test_quotes_of_a_deal_without_a_floor(terms):
    # quote_conversions: check_floor(..., floor_mode=None) (the $0 floor of a deal without one
    # would be refused). The 2023-01-10 quote: 0.851, 11,751 shares, no floor, no payment.
    no_floor = terms.replace(conversion=terms.conversion.replace(floor_mode="none", floor_price=0.0),
                             covenants=terms.covenants.replace(share_reserve_price="fixed"))
    q = quote_conversions(no_floor, _quote_market(), notice_dates=["2023-01-10"], amounts=10_000)
    assert (q["floor_price"][0], q["floor_binds"][0], q["shares"][0], q["floor_payment"][0]) == (0.0, False, 11_751, 0.0)


def test_quote_columns_are_numbers_and_dates(terms):
    # quote_conversions: the VWAP column made with np.full(..., None) (an object array: Excel and
    # numpy then see Python objects, not numbers).
    q = quote_conversions(terms, _quote_market(), notice_dates=["2023-01-10", "2023-01-11"], amounts=10_000)
    kinds = {k: v.dtype.kind for k, v in q.items()}
    assert kinds == {"notice_date": "M", "amount": "f", "fixed_price": "f", "alternate_price": "f",
                     "alternate_applies": "b", "unfloored_price": "f", "floor_price": "f", "conversion_price": "f", "floor_binds": "b",
                     "shares": "i", "floor_payment": "f", "vwap": "f"}


# ---------------------------------------------------------------------------------------------
# floor_binds, price_notice, unfloored_price, _lowest_average_before


def test_the_floor_binds_below_it_not_at_it():
    # floor_binds: `<` made `<=` (a price exactly at the floor would be flagged), the scalar
    # result as a bool (`np.ndim(binds) == 0` made `and False`, `!= 0`, `== 1`); with arrays the
    # flags element by element.
    assert floor_binds(unfloored_price=0.25, floor_price=0.29, floor_mode="make_up") is True
    assert floor_binds(unfloored_price=0.29, floor_price=0.29, floor_mode="make_up") is False
    assert floor_binds(unfloored_price=0.25, floor_price=0.29, floor_mode="none") is False
    flags = floor_binds(unfloored_price=np.array([0.25, 0.29, 0.30]), floor_price=0.29, floor_mode="cap")
    assert isinstance(flags, np.ndarray) and flags.tolist() == [True, False, False]


def test_one_fixed_price_against_an_array_of_alternate_prices():
    # unfloored_price: `isinstance(fixed, float) and isinstance(alt, float)` made `or` (min() of a
    # float and an array fails). Lower of 3.93042 and each, raised to the 0.29 floor:
    # 0.25 -> 0.29, 4.00 -> 3.93042, 0.40 -> 0.40.
    prices = conversion_price(fixed_price=3.93042, alternate_price=np.array([0.25, 4.00, 0.40]), floor_price=0.29)
    assert prices.tolist() == [0.29, 3.93042, 0.40]


def test_the_lowest_of_all_the_days_is_their_average():
    # _lowest_average_before: `lowest > days` made `>=` (all the days' VWAPs refused).
    # Five days before 2022-12-19 (the last five of _TEN): 3.154, 3.089, 3.012, 2.972, 2.890,
    # sum 15.117, average 3.0234; x 0.925 = 2.796645.
    for day in ("2022-12-19", dt.date(2022, 12, 19)):
        price = alternate_conversion_price(_market(), notice_date=day, discount=0.075, days=5, lowest=5)
        assert price == pytest.approx(2.796645, abs=1e-12)
    with pytest.raises(InputError) as info:
        alternate_conversion_price(_market(), notice_date="2022-12-19", discount=0.075, days=5, lowest=6)
    assert str(info.value) == "lowest 6 is more than days 5"


@pytest.mark.parametrize("day", [dt.date(2022, 12, 17), "2022-12-17", ["2022-12-16", "2022-12-17"]])
def test_a_notice_date_that_is_no_trading_day_is_refused(day):
    # _lowest_average_before: `found is None or not found[1]` made `and` / `not found[1]` made
    # `found[1]` (dt.date path); _require_sessions(market, refs, what) with what None (array path).
    with pytest.raises(AscentError) as info:
        alternate_conversion_price(_market(), notice_date=day, discount=0.075, days=5, lowest=3)
    assert str(info.value).startswith("notice date 2022-12-17: not a trading day")


def test_a_date_before_the_data_is_named_on_the_one_date_path():
    # _lowest_average_before's dt.date path: lowest_average_on(..., what=what) with what None or
    # dropped ("date").
    with pytest.raises(AscentError) as info:
        default_conversion_price(_market(), default_date=dt.date(2022, 12, 7), factor=0.8, days=5, lowest=3)
    assert str(info.value).startswith("default date 2022-12-07 needs 5 trading days of VWAP from 2022-11-30")
    with pytest.raises(AscentError) as info:
        alternate_conversion_price(_market(), notice_date=dt.date(2022, 12, 7), discount=0.075, days=5, lowest=3)
    assert str(info.value).startswith("notice date 2022-12-07 needs 5 trading days of VWAP from 2022-11-30")


def test_one_quote_with_the_notice_day_in_the_window(terms):
    # capped_conversion -> alternate_conversion_price(include_notice_day=...) on the dt.date path:
    # lowest_average_on(..., through=through) made None. 2023-01-10's window with the day: the
    # 2023-01-11 figures above (0.807833, 12,379 shares).
    through = terms.replace(conversion=terms.conversion.replace(window_includes_notice_day=True))
    q = quote_conversion(through, _quote_market(), notice_date="2023-01-10", amount=10_000)
    assert q.alternate_price == pytest.approx(_ALT_11, abs=1e-12) and q.shares == 12_379


# ---------------------------------------------------------------------------------------------
# floor_payment's shapes, max_conversion_shares / _amount at the tolerance, whole_cents,
# _positive, resolve_fixed_price


def test_floor_payments_element_by_element_and_in_the_inputs_shape():
    # floor_payment: np.where(binds, pay, 0.0) with the 0.0 made None or 1.0; np.zeros of the
    # broadcast of amount, unfloored price and VWAP (one of them dropped or None); a float for
    # one notice (`np.ndim(out) == 0` made `and False`, `!= 0`, `== 1`).
    # (100,000 / 0.25 - 100,000 / 0.29) x 0.27 = (400,000 - 344,827.586) x 0.27 = 14,896.55;
    # 0.30 is above the floor: 0.
    pay = floor_payment(np.array([100_000.0, 100_000.0]), unfloored_price=np.array([0.25, 0.30]), floor_price=0.29,
                        vwap=0.27)
    assert pay.tolist() == [14_896.55, 0.0]
    one = floor_payment(100_000.0, unfloored_price=0.25, floor_price=0.29, vwap=0.27)
    assert type(one) is float and one == 14_896.55
    # nothing binds: zeros shaped like whichever input is an array
    for kw in ({"amount": np.array([100.0, 200.0]), "unfloored_price": 0.5, "vwap": 0.5},
               {"amount": 100.0, "unfloored_price": np.array([0.5, 0.6]), "vwap": 0.5},
               {"amount": 100.0, "unfloored_price": 0.5, "vwap": np.array([0.5, 0.6])}):
        zero = floor_payment(kw.pop("amount"), floor_price=0.29, **kw)
        assert isinstance(zero, np.ndarray) and zero.tolist() == [0.0, 0.0]
    assert type(floor_payment(100.0, unfloored_price=0.5, floor_price=0.29, vwap=0.5)) is float


def test_decimal_amounts_and_prices_are_numbers():
    # floor_payment: np.asarray(amount, dtype=float) with the dtype dropped or None (a Decimal
    # amount would stay a Python object and not divide by a float); _positive's array path
    # likewise (np.asarray(value, dtype=float)); floor_binds' np.asarray(..., dtype=float).
    assert floor_payment(Decimal("100000"), unfloored_price=0.25, floor_price=0.29, vwap=0.27) == 14_896.55
    assert floor_payment(np.array([Decimal("100000")], dtype=object), unfloored_price=0.25, floor_price=0.29,
                         vwap=0.27).tolist() == [14_896.55]
    # 100 / 0.25 = 400, 100 / 0.5 = 200
    assert conversion_shares(100.0, [Decimal("0.25"), Decimal("0.5")], rounding="up").tolist() == [400, 200]
    assert floor_binds(unfloored_price=Decimal("0.25"), floor_price=Decimal("0.29"), floor_mode="make_up") is True


def test_an_infinite_floor_price_is_refused_where_the_floor_pays():
    # floor_payment: _positive(floor_price, "floor_price") (None, dropped, "XX..XX", upper case):
    # any finite floor above a positive price is positive, so only an infinite one reaches it.
    with pytest.raises(InputError) as info:
        floor_payment(100.0, unfloored_price=0.25, floor_price=math.inf, vwap=0.27)
    assert str(info.value) == "floor_price inf must be a positive price"


def test_the_caps_share_count_within_a_millionth_of_a_share():
    # max_conversion_shares: round(room, 6) made round(room, 7) (a room 0.0000003 short of a
    # whole share is float noise and counts as the whole share, as share counts do everywhere,
    # money.py), round(room, None) / round(room) (to the nearest share: 52,520.79 -> 52,521).
    # A cap chosen so that the room is 52,519.9999997: cap = r / (S + r), r = 52,519.9999997,
    # S = 1,000,000, since room = cap x S / (1 - cap) = r.
    r, s = 52_519.9999997, 1_000_000.0
    assert max_conversion_shares(holder_shares=0, shares_outstanding=s, cap=r / (s + r)) == 52_520
    # max_conversion_amount: np.round(n x price x 100, 6) made 7: 1 share x 12.349999997 =
    # 1,234.9999997 cents is 1,235 cents to a millionth -> $12.35. Cap 4.99% of 20 shares: (0.998 -
    # 0) / 0.9501 = 1.05 -> 1 share.
    assert max_conversion_amount(conversion_price=12.349999997, holder_shares=0, shares_outstanding=20,
                                 cap=0.0499) == 12.35
    # nothing outstanding: no room (shares_outstanding may be zero: allow_zero made False / None)
    assert max_conversion_shares(holder_shares=0, shares_outstanding=0, cap=0.0499) == 0


@pytest.mark.parametrize(("kw", "want"), [
    ({"holder_shares": -1, "shares_outstanding": 1_000, "cap": 0.0499}, "holder_shares -1.00 must be zero or more"),
    ({"holder_shares": 0, "shares_outstanding": -1, "cap": 0.0499}, "shares_outstanding -1.00 must be zero or more"),
    ({"holder_shares": 0, "shares_outstanding": 1_000, "cap": 1.5}, "cap: "),
])
def test_the_caps_refusals_name_the_argument(kw, want):
    # max_conversion_shares: the names "holder_shares", "shares_outstanding" and the label "cap"
    # (None, dropped, "XX..XX", upper case).
    with pytest.raises(AscentError) as info:
        max_conversion_shares(**kw)
    assert str(info.value).startswith(want)
    with pytest.raises(AscentError) as info:
        max_conversion_amount(conversion_price=1.0, **kw)
    assert str(info.value).startswith(want)
    with pytest.raises(InputError) as info:
        max_conversion_amount(conversion_price=0.0, holder_shares=0, shares_outstanding=1_000, cap=0.0499)
    assert str(info.value) == "conversion_price 0 must be a positive price"


def test_a_large_whole_cent_amount_is_whole_cents():
    # whole_cents: the tolerance 1e-6 + |cents| x 1e-15 made 1e-6 - |cents| x 1e-15 (negative for
    # large amounts: every amount refused). $1,000,000,000,000.01 is 100,000,000,000,001 cents.
    assert whole_cents(1_000_000_000_000.01, name="amount") == 1_000_000_000_000.01
    assert whole_cents(0.0, name="interest") == 0.0


def test_whole_number_prices_come_back_as_floats():
    # _positive: `type(value) is float` made `is not float` (an int would come back as it was, and
    # the rules' float paths would be left for numpy's).
    price = conversion_price(fixed_price=4, alternate_price=5, floor_price=0.29)
    assert type(price) is float and price == 4.0
    low = ratcheted_price(3, issue_price=2)
    assert type(low) is float and low == 2.0


@pytest.mark.parametrize("bad", [math.inf, -math.inf, -1, math.nan])
def test_a_price_that_is_not_positive_and_finite_is_refused_in_one_number(bad):
    # _positive's fast path: `value < math.inf` made `<= math.inf`; the general path's
    # `x > 0 and np.isfinite(x)` made `or`.
    with pytest.raises(InputError) as info:
        ratcheted_price(bad, issue_price=1.0)
    assert str(info.value) == f"price {float(bad):g} must be a positive price"


def test_the_fixed_price_from_the_terms_without_vwaps(terms):
    # resolve_fixed_price: `c.fixed_price is not None` and `c.fixed_price_average is not None`
    # inverted (a stated price or a stated average needs no VWAPs), (1 + premium) x average.
    stated = terms.replace(conversion=terms.conversion.replace(fixed_price=4.00, fixed_price_average=None))
    assert resolve_fixed_price(stated, None) == 4.00
    average = terms.replace(conversion=terms.conversion.replace(fixed_price=None, fixed_price_average=3.0234))
    assert resolve_fixed_price(average, None) == pytest.approx(3.93042, abs=1e-12)  # 1.30 x 3.0234
    blank = terms.replace(conversion=terms.conversion.replace(fixed_price=None, fixed_price_average=None))
    with pytest.raises(InputError) as info:
        resolve_fixed_price(blank, None)
    assert str(info.value) == "conversion.fixed_price is blank and no VWAPs were given to compute it"


def test_split_ratios_up_to_a_million_either_way():
    # split_ratio: `1 / MAX_SPLIT <= ratio <= MAX_SPLIT` with 1 made 2, `<=` made `<` on either
    # side: 1:1,000,000 (1e-6 new a share) and 1,000,000:1 are the last ratios read.
    assert split_ratio("1:1000000") == 1e-6
    assert split_ratio("1000000:1") == 1e6
    assert split_ratio("1:600000") == pytest.approx(1 / 600_000, rel=1e-15)
    with pytest.raises(InputError) as info:
        split_ratio("1:1000001")
    assert str(info.value) == ("split ratio '1:1000001': 9.99999e-07 new shares per old is out of range; a split "
                               "is between 1:1000000 and 1000000:1")
