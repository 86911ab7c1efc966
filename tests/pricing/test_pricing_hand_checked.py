"""Hand-checked figures from the supplement and worked examples, computed by hand in comments."""

from __future__ import annotations

import pytest

from ascent_xl.fees import deal_placement_fee, offering_proceeds, placement_fee
from ascent_xl.pricing import (
    alternate_conversion_price,
    conversion_shares,
    default_conversion_price,
    fixed_conversion_price,
    floor_payment,
    mandatory_default_amount,
    max_conversion_amount,
    quote_conversion,
    ratcheted_price,
    redemption_amount,
    split_adjusted_price,
    split_ratio,
    warrant_cashless_shares,
)
from tests.helpers.markets import market_before

# Five VWAPs before the 2022-12-19 closing that average 3.0234 (15.117 / 5).
PRE_CLOSING = [3.154, 3.089, 3.012, 2.972, 2.890]


def test_fixed_price_from_five_vwaps_is_the_supplements_3_93042():
    market = market_before("2022-12-19", PRE_CLOSING)
    price = fixed_conversion_price(market, issue_date="2022-12-19", premium=0.30, days=5)
    assert price == pytest.approx(3.93042, abs=1e-12)  # 1.30 x 3.0234


def test_twelve_and_a_half_million_converts_into_3_180_322_shares(terms):
    shares = conversion_shares(12_500_000, terms.conversion.fixed_price, rounding="up")
    assert shares == 3_180_322  # 12,500,000 / 3.93042 = 3,180,321.7 -> up
    assert terms.shares_outstanding + shares == 37_111_134  # the supplement's post-offering count
    assert conversion_shares(12_500_000, 3.93042, rounding="down") == 3_180_321
    assert conversion_shares(12_500_000, 3.93042, rounding="nearest") == 3_180_322


def test_placement_fee_is_700_000_and_proceeds_10_550_000(terms):
    fee = deal_placement_fee(terms)
    assert fee.gross_proceeds == 11_250_000
    assert [t.fee for t in fee.tiers] == [400_000, 200_000, 75_000]  # 8%, 4%, 6% tiers
    assert fee.total == 700_000
    proceeds = offering_proceeds(terms)
    assert proceeds.before_expenses == 10_550_000
    assert proceeds.net == 9_901_000  # less about $649,000 of other expenses


def test_placement_fee_inside_the_first_tier():
    fee = placement_fee(4_000_000, tier_limits=(5e6, 10e6), tier_rates=(0.08, 0.04, 0.06), discretionary_fee=25_000)
    assert fee.total == 4_000_000 * 0.08 + 25_000


def test_worked_floor_payment(terms):
    # Ten VWAPs before 2023-03-28; the three lowest are 0.27, 0.28, 0.29 -> average 0.28,
    # alternate price 0.925 x 0.28 = 0.259, below the 0.29 floor. VWAP on the day: 0.26.
    vwaps = [0.40, 0.38, 0.35, 0.33, 0.31, 0.30, 0.29, 0.28, 0.27, 0.30]
    market = market_before("2023-03-28", vwaps, include_day=0.26)
    q = quote_conversion(terms, market, notice_date="2023-03-28", amount=100_000)
    assert q.alternate_price == pytest.approx(0.259, abs=1e-12)
    assert q.floor_binds and q.conversion_price == 0.29
    assert q.shares == 344_828  # 100,000 / 0.29 = 344,827.59 -> up
    # (100,000 / 0.259 - 100,000 / 0.29) x 0.26 = (386,100.386 - 344,827.586) x 0.26 = 10,730.928
    assert q.floor_payment == 10_730.93
    assert floor_payment(100_000, unfloored_price=0.259, floor_price=0.29, vwap=0.26) == 10_730.93


def test_no_floor_payment_when_the_floor_does_not_bind(terms):
    vwaps = [0.50, 0.52, 0.49, 0.51, 0.55, 0.53, 0.50, 0.48, 0.47, 0.52]
    market = market_before("2023-03-28", vwaps, include_day=0.45)
    q = quote_conversion(terms, market, notice_date="2023-03-28", amount=100_000)
    # lowest three 0.47, 0.48, 0.49 -> 0.48 x 0.925 = 0.444
    assert q.conversion_price == pytest.approx(0.444, abs=1e-12)
    assert not q.floor_binds and q.floor_payment == 0
    assert q.shares == 225_226  # 100,000 / 0.444 = 225,225.2 -> up


def test_fixed_price_wins_when_the_market_is_high(terms):
    market = market_before("2023-01-10", [5.0] * 10)
    alt = alternate_conversion_price(market, notice_date="2023-01-10", discount=0.075, days=10, lowest=3)
    assert alt == pytest.approx(4.625)
    q = quote_conversion(terms, market, notice_date="2023-01-10", amount=1_000_000)
    assert q.conversion_price == 3.93042 and q.vwap is None


def test_default_amount_where_parity_wins():
    # max(1,000,000 / min(0.50, 0.45) x max(0.60, 0.55), 1.20 x 1,000,000) + 10,000
    # = max(1,333,333.33, 1,200,000) + 10,000 = 1,343,333.33 (line 231: interest added after)
    d = mandatory_default_amount(
        1_000_000, 10_000, price_at_demand=0.50, price_at_payment=0.45,
        vwap_at_demand=0.60, vwap_at_payment=0.55, premium=1.20, premium_on_interest=False,
    )
    assert (d.parity, d.premium, d.amount, d.basis) == (1_333_333.33, 1_200_000, 1_343_333.33, "parity")


def test_default_amount_where_the_premium_wins():
    # parity: 1,000,000 / 0.45 x 0.42 = 933,333.33 < premium 1,200,000; + 10,000 interest
    d = mandatory_default_amount(
        1_000_000, 10_000, price_at_demand=0.45, price_at_payment=0.50,
        vwap_at_demand=0.40, vwap_at_payment=0.42, premium=1.20, premium_on_interest=False,
    )
    assert (d.parity, d.amount, d.basis) == (933_333.33, 1_210_000, "premium")
    on_interest = mandatory_default_amount(
        1_000_000, 10_000, price_at_demand=0.45, price_at_payment=0.50,
        vwap_at_demand=0.40, vwap_at_payment=0.42, premium=1.20, premium_on_interest=True,
    )
    assert on_interest.amount == 1_222_000  # 1.20 x (1,000,000 + 10,000) + 10,000


def test_default_conversion_price_is_80pct_of_three_lowest_of_ten():
    vwaps = [1.0, 0.9, 0.8, 0.7, 0.6, 0.65, 0.75, 0.85, 0.95, 1.05]
    market = market_before("2023-03-01", vwaps)
    p = default_conversion_price(market, default_date="2023-03-01", factor=0.80, days=10, lowest=3)
    assert p == pytest.approx(0.8 * (0.6 + 0.65 + 0.7) / 3)  # 0.52


def test_redemptions_change_of_control_and_optional_prepayment(terms):
    r = terms.redemption
    assert redemption_amount(1_000_000, 5_000, premium=r.change_of_control_premium) == 1_055_000
    assert redemption_amount(250_000, 1_000, premium=r.optional_prepayment_premium) == 301_000


def test_max_conversion_under_the_cap():
    # cap 4.99%: (0.0499 x 37,111,134 - 500,000) / 0.9501 = 1,351,845.59 / 0.9501
    #          = 1,422,845.58 -> 1,422,845 shares
    amount = max_conversion_amount(conversion_price=0.5, holder_shares=500_000,
                                   shares_outstanding=37_111_134, cap=0.0499)
    assert amount == 711_422.50  # 1,422,845 x 0.50
    held = 500_000 + 1_422_845
    assert held / (37_111_134 + 1_422_845) <= 0.0499 < (held + 1) / (37_111_134 + 1_422_845 + 1)
    assert max_conversion_amount(conversion_price=0.5, holder_shares=2_000_000,
                                 shares_outstanding=37_111_134, cap=0.0499) == 0


def test_split_and_ratchet_adjustments():
    assert split_ratio("1:200") == 1 / 200
    assert split_adjusted_price(3.93042, ratio=1 / 200) == pytest.approx(786.084)
    assert split_adjusted_price(0.20, ratio="1:200") == pytest.approx(40.0)
    assert ratcheted_price(3.93042, issue_price=1.50) == 1.50
    assert ratcheted_price(1.20, issue_price=1.50) == 1.20


def test_warrant_cashless_exercise(terms):
    w = terms.warrants
    # (5.00 - 3.93) x 2,513,406 / 5.00 = 537,868.88 -> up
    assert warrant_cashless_shares(w.shares, exercise_price=w.exercise_price, market_price=5.0,
                                   rounding="up") == 537_869
    assert warrant_cashless_shares(w.shares, exercise_price=w.exercise_price, market_price=3.0,
                                   rounding="up") == 0
