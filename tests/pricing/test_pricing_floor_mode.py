"""conversion.floor_mode: make_up (the floor binds, the shortfall paid in cash), cap (the price
stops at the floor, no cash), none (no floor). Arithmetic by hand in the comments."""

from __future__ import annotations

import pytest

from ascent_xl.errors import TermsError
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import conversion_price, floor_binds, floor_payment, quote_conversion
from ascent_xl.terms import ConversionTerms
from tests.helpers.markets import market_before

# 100,000 USD, unfloored price 0.25, floor 0.29, VWAP on the conversion date 0.27.
# shares at the floor: 100,000 / 0.29 = 344,827.59 -> up 344,828
# shares unfloored: 100,000 / 0.25 = 400,000
# make-up: (400,000 - 344,827.586) x 0.27 = 55,172.414 x 0.27 = 14,896.55
EXPECTED = {
    "make_up": (0.29, True, 344_828, 14_896.55),
    "cap": (0.29, True, 344_828, 0.0),
    "none": (0.25, False, 400_000, 0.0),
}


@pytest.mark.parametrize("mode", ["make_up", "cap", "none"])
def test_the_pure_rule_for_each_mode(mode):
    price, binds, _, pay = EXPECTED[mode]
    assert conversion_price(fixed_price=3.93042, alternate_price=0.25, floor_price=0.29,
                            floor_mode=mode) == price
    assert floor_binds(unfloored_price=0.25, floor_price=0.29, floor_mode=mode) is binds
    assert floor_payment(100_000, unfloored_price=0.25, floor_price=0.29, vwap=0.27,
                         floor_mode=mode) == pay


@pytest.mark.parametrize("mode", ["make_up", "cap", "none"])
def test_quote_conversion_for_each_mode(mode):
    # discount 0 and three lowest VWAPs of 0.25: the alternate (unfloored) price is 0.25
    terms = ASTI_2022.with_term("share_reserve_price", "fixed").with_term("floor_mode", mode).with_term("alternate_price_discount", 0)
    market = market_before("2023-03-28", [0.40] * 7 + [0.25] * 3, include_day=0.27)
    q = quote_conversion(terms, market, notice_date="2023-03-28", amount=100_000)
    price, binds, shares, pay = EXPECTED[mode]
    assert q.unfloored_price == pytest.approx(0.25, abs=1e-12)
    assert q.conversion_price == pytest.approx(price, abs=1e-12)
    assert q.floor_binds is binds and q.shares == shares and q.floor_payment == pay


def test_a_cap_floor_needs_no_vwap_on_the_conversion_date():
    terms = ASTI_2022.with_term("floor_mode", "cap").with_term("alternate_price_discount", 0)
    market = market_before("2023-03-28", [0.40] * 7 + [0.25] * 3, include_day=0.27)
    q = quote_conversion(terms.with_term("floor_mode", "cap"), market, notice_date="2023-03-28",
                         amount=100_000)
    assert q.floor_payment == 0.0 and q.shares == 344_828


def test_the_preset_pays_the_make_up():
    assert ASTI_2022.conversion.floor_mode == "make_up"


def test_a_floor_of_zero_only_without_a_floor():
    base = ASTI_2022.conversion.to_mapping()
    no_floor = ConversionTerms.from_mapping({**base, "floor_mode": "none", "floor_price": 0})
    assert no_floor.floor_price == 0
    with pytest.raises(TermsError, match=r"floor_price: 0 USD/share must be at least 1e-06.*"
                                         r"floor_mode make_up.*floor_mode = \"none\""):
        ConversionTerms.from_mapping({**base, "floor_price": 0})
    with pytest.raises(TermsError, match="floor_mode.*'floor_cash': choose one of make_up, cap, none"):
        ConversionTerms.from_mapping({**base, "floor_mode": "floor_cash"})


def test_a_deal_without_a_floor_cannot_reserve_shares_at_the_floor():
    with pytest.raises(TermsError, match=r"covenants.share_reserve_price: floor: the deal has no floor"):
        ASTI_2022.with_term("floor_mode", "none")
    t = ASTI_2022.with_term("share_reserve_price", "fixed").with_term("floor_mode", "none")
    assert t.with_term("floor_price", 0).conversion.floor_price == 0
