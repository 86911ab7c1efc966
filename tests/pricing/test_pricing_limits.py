"""Limits and roundings of the pricing rules, each figure worked out by hand: the cap's largest
amount never rounded up, redemption and default amounts to the cent, and prices that must be
positive in arrays as in single values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ascent_xl.errors import AscentError, InputError
from ascent_xl.pricing import (
    conversion_shares,
    floor_payment,
    mandatory_default_amount,
    max_conversion_amount,
    max_conversion_shares,
    redemption_amount,
    unfloored_price,
)


def test_the_caps_largest_amount_is_rounded_down_to_the_cent():
    # cap 4.99% of 1,000,000 with nothing held: 49,900 / 0.9501 = 52,520.79 -> 52,520 shares.
    assert max_conversion_shares(holder_shares=0, shares_outstanding=1_000_000, cap=0.0499) == 52_520
    # 52,520 x 0.333333 = 17,506.64916: down to 17,506.64 (to the nearest cent it is 17,506.65,
    # which would need 52,520.02 shares: one more than the cap allows).
    amount = max_conversion_amount(conversion_price=0.333333, holder_shares=0, shares_outstanding=1_000_000,
                                   cap=0.0499)
    assert amount == 17_506.64
    assert math.ceil(amount / 0.333333) == 52_520  # converting it, rounded up, stays at the cap


def test_redemption_amounts_are_rounded_to_the_cent():
    # 105% of 333,333.33 = 349,999.9965 -> 350,000.00
    assert redemption_amount(333_333.33, 0.0, premium=1.05) == 350_000.00
    # 120% of 1,000,000.01 = 1,200,000.012, plus 12.34 of interest = 1,200,012.352 -> 1,200,012.35
    assert redemption_amount(1_000_000.01, 12.34, premium=1.20) == 1_200_012.35


def test_default_amounts_are_rounded_to_the_cent():
    # No accrued interest: parity 333,333.33 / 1.00 x 0.50 = 166,666.665 -> 166,666.67; premium
    # 120% x 333,333.33 = 399,999.996 -> 400,000.00, the larger.
    d = mandatory_default_amount(333_333.33, 0.0, price_at_demand=1.0, price_at_payment=1.0,
                                 vwap_at_demand=0.5, vwap_at_payment=0.5, premium=1.20,
                                 premium_on_interest=False)
    assert (d.parity, d.premium, d.amount, d.basis) == (166_666.67, 400_000.00, 400_000.00, "premium")


@pytest.mark.parametrize("bad", [0.0, -0.5, math.inf, math.nan])
def test_a_price_that_is_not_positive_is_refused_in_arrays(bad):
    prices = np.array([1.0, bad, 2.0])
    with pytest.raises(InputError, match="price .* must be a positive price"):
        conversion_shares(np.array([100.0, 100.0, 100.0]), prices, rounding="up")
    with pytest.raises(InputError, match="alternate_price .* must be a positive price"):
        unfloored_price(fixed_price=3.93042, alternate_price=prices)
    with pytest.raises(InputError, match="vwap .* must be a positive price"):
        floor_payment(np.array([100.0, 100.0, 100.0]), unfloored_price=0.25, floor_price=0.29, vwap=prices)


def test_a_zero_price_is_refused_alone_too():
    with pytest.raises(InputError, match="price 0 must be a positive price"):
        conversion_shares(100.0, 0.0, rounding="up")
    with pytest.raises(InputError, match="price 0 must be a positive price"):
        conversion_shares(100.0, 0, rounding="up")


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, -1.0, "abc", None])
def test_a_single_price_that_is_not_a_positive_number_is_refused(bad):
    with pytest.raises(InputError, match="price"):
        conversion_shares(100.0, bad, rounding="up")


def test_a_price_given_as_an_integer_or_text_number_is_read():
    assert conversion_shares(100.0, 3, rounding="up") == 34  # 33.33 -> up
    assert conversion_shares(100.0, "4", rounding="down") == 25


@pytest.mark.parametrize(("premium", "cash"), [(1.0, 100.0), (9.99, 999.0)])
def test_a_redemption_premium_from_one_to_below_ten_is_taken(premium, cash):
    assert redemption_amount(100.0, 0.0, premium=premium) == cash


@pytest.mark.parametrize("premium", [0.99, 10.0])
def test_a_redemption_premium_below_one_or_from_ten_is_refused(premium):
    with pytest.raises(InputError, match=f"premium {premium}: a multiple of principal"):
        redemption_amount(100.0, 0.0, premium=premium)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: mandatory_default_amount(-1, 0, price_at_demand=1, price_at_payment=1, vwap_at_demand=1,
                                      vwap_at_payment=1, premium=1.2, premium_on_interest=False), "principal -1.00"),
    (lambda: mandatory_default_amount(1, -1, price_at_demand=1, price_at_payment=1, vwap_at_demand=1,
                                      vwap_at_payment=1, premium=1.2, premium_on_interest=False), "accrued_interest -1.00"),
    (lambda: mandatory_default_amount(1, 0, price_at_demand=1, price_at_payment=1, vwap_at_demand=1,
                                      vwap_at_payment=1, premium=0.5, premium_on_interest=False), "premium: 0.5"),
    (lambda: mandatory_default_amount(1, 0, price_at_demand=0, price_at_payment=1, vwap_at_demand=1,
                                      vwap_at_payment=1, premium=1.2, premium_on_interest=False), "price_at_demand 0 "),
    (lambda: mandatory_default_amount(1, 0, price_at_demand=1, price_at_payment=0, vwap_at_demand=1,
                                      vwap_at_payment=1, premium=1.2, premium_on_interest=False), "price_at_payment 0 "),
    (lambda: mandatory_default_amount(1, 0, price_at_demand=1, price_at_payment=1, vwap_at_demand=0,
                                      vwap_at_payment=1, premium=1.2, premium_on_interest=False), "vwap_at_demand 0 "),
    (lambda: mandatory_default_amount(1, 0, price_at_demand=1, price_at_payment=1, vwap_at_demand=1,
                                      vwap_at_payment=0, premium=1.2, premium_on_interest=False), "vwap_at_payment 0 "),
    (lambda: redemption_amount(-1, 0, premium=1.05), "principal -1.00"),
    (lambda: redemption_amount(1, -1, premium=1.05), "accrued_interest -1.00"),
    (lambda: max_conversion_shares(holder_shares=-1, shares_outstanding=1e6, cap=0.0499), "holder_shares -1"),
    (lambda: max_conversion_shares(holder_shares=0, shares_outstanding=-1, cap=0.0499), "shares_outstanding -1"),
    (lambda: max_conversion_shares(holder_shares=0, shares_outstanding=1e6, cap=1.5), "cap: 1.5"),
    (lambda: max_conversion_amount(conversion_price=0, holder_shares=0, shares_outstanding=1e6, cap=0.0499),
     "conversion_price 0 "),
])
def test_each_bad_argument_is_refused_by_its_name(call, message):
    with pytest.raises(AscentError) as info:  # InputError, or TermsError for a term's range
        call()
    assert str(info.value).startswith(message), str(info.value)


def test_zero_amounts_are_allowed_where_nothing_is_owed():
    d = mandatory_default_amount(0, 0, price_at_demand=1, price_at_payment=1, vwap_at_demand=1,
                                 vwap_at_payment=1, premium=1.2, premium_on_interest=False)
    assert d.amount == 0
    assert redemption_amount(0, 0, premium=1.05) == 0
    assert max_conversion_shares(holder_shares=0, shares_outstanding=0, cap=0.0499) == 0


def test_a_tie_between_parity_and_premium_is_the_premium():
    # parity 1,000,000 / 1.00 x 1.20 = 1,200,000 = premium 120% x 1,000,000: the premium basis
    d = mandatory_default_amount(1_000_000, 0, price_at_demand=1.0, price_at_payment=1.0, vwap_at_demand=1.2,
                                 vwap_at_payment=1.2, premium=1.20, premium_on_interest=False)
    assert (d.parity, d.premium, d.amount, d.basis) == (1_200_000, 1_200_000, 1_200_000, "premium")


def test_prices_in_an_array_may_be_whole_numbers_or_text_numbers():
    # as a worksheet range gives them: 100 / 4 = 25 and 100 / 3 = 33.3 -> 34 (up)
    assert conversion_shares(np.array([100.0, 100.0]), ["4", "3"], rounding="up").tolist() == [25, 34]
    assert conversion_shares(np.array([100.0, 100.0]), [4, 3], rounding="up").tolist() == [25, 34]
