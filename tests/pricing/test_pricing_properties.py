"""Invariants of the pricing rules over random markets (hypothesis)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ascent_xl.calendar import trading_calendar
from ascent_xl.market import MarketData, lowest_average
from ascent_xl.pricing import (
    alternate_conversion_price,
    conversion_price,
    conversion_shares,
    floor_payment,
    quote_conversions,
    unfloored_price,
)
from tests.helpers.budget import examples


@functools.cache
def _sessions():
    return trading_calendar("XNAS").sessions_between("2022-01-03", "2024-12-31")


prices = st.floats(min_value=0.01, max_value=50, allow_nan=False, allow_infinity=False)


@st.composite
def markets(draw):
    n = draw(st.integers(min_value=11, max_value=40))
    start = draw(st.integers(min_value=0, max_value=len(_sessions()) - n))
    vwaps = draw(st.lists(prices, min_size=n, max_size=n))
    return MarketData.from_arrays(_sessions()[start : start + n], np.array(vwaps))


@settings(max_examples=examples(200), deadline=None)
@given(market=markets(), fixed=prices, floor=prices, data=st.data())
def test_price_never_above_fixed_nor_below_floor(market, fixed, floor, data):
    assume(floor <= fixed)
    notice = market.dates[data.draw(st.integers(10, len(market.dates) - 1))]
    alt = alternate_conversion_price(market, notice_date=notice, discount=0.075, days=10, lowest=3)
    price = conversion_price(fixed_price=fixed, alternate_price=alt, floor_price=floor)
    assert floor <= price <= fixed
    assert price == max(min(fixed, alt), floor)


@settings(max_examples=examples(300), deadline=None)
@given(amount=st.floats(0.01, 1e9), price=prices, rounding=st.sampled_from(["up", "down", "nearest"]))
def test_shares_times_price_covers_the_amount(amount, price, rounding):
    shares = conversion_shares(amount, price, rounding=rounding)
    exact = amount / price
    if rounding == "up":
        assert shares * price >= amount * (1 - 1e-12) and shares - exact < 1 + 1e-6
    elif rounding == "down":
        assert shares * price <= amount * (1 + 1e-12) and exact - shares < 1 + 1e-6
    else:
        assert abs(shares - exact) <= 0.5 + 1e-6


@settings(max_examples=examples(300), deadline=None)
@given(amount=st.floats(100, 1e8), unfloored=prices, floor=prices, vwap=prices)
def test_floor_payment_is_zero_exactly_when_the_floor_does_not_bind(amount, unfloored, floor, vwap):
    pay = floor_payment(amount, unfloored_price=unfloored, floor_price=floor, vwap=vwap)
    if unfloored >= floor:
        assert pay == 0
    else:
        unrounded = (amount / unfloored - amount / floor) * vwap
        assume(unrounded >= 0.005)  # below half a cent the payment rounds to $0.00
        assert pay > 0 and abs(pay - unrounded) <= 0.005 + 1e-9 * unrounded


@settings(max_examples=examples(100), deadline=None)
@given(market=markets(), data=st.data())
def test_vectorised_quotes_equal_single_quotes(terms, market, data):
    idx = data.draw(st.lists(st.integers(10, len(market.dates) - 1), min_size=1, max_size=8))
    notices = market.dates[idx]
    # random VWAPs may jump like a split: the split guard has its own tests (test_split_jump.py)
    many = quote_conversions(terms, market, notice_dates=notices, amounts=50_000.0, no_split=True)
    for k, notice in enumerate(notices):
        one = quote_conversions(terms, market, notice_dates=[notice], amounts=50_000.0, no_split=True)
        for key in ("conversion_price", "shares", "floor_payment"):
            assert many[key][k] == one[key][0]
    raw = unfloored_price(fixed_price=terms.conversion.fixed_price, alternate_price=many["alternate_price"])
    np.testing.assert_array_equal(many["floor_binds"], raw < terms.conversion.floor_price)


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(prices, min_size=10, max_size=10), st.integers(1, 10))
def test_lowest_average_is_the_mean_of_the_sorted_head(values, k):
    got = lowest_average(np.array([values]), k)[0]
    assert got == pytest.approx(np.mean(sorted(values)[:k]), rel=1e-12)
