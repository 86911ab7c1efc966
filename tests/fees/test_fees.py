"""The placement agent's fee tier by tier and the offering's proceeds, by hand (the supplement's
8% / 4% / 6% tiers at $5,000,000 and $10,000,000, plus the $25,000 discretionary fee)."""

from __future__ import annotations

import pytest

from ascent_xl.errors import InputError, TermsError
from ascent_xl.fees import FeeTier, deal_placement_fee, offering_proceeds, placement_fee

TIERS = dict(tier_limits=(5e6, 10e6), tier_rates=(0.08, 0.04, 0.06), discretionary_fee=25_000)


def test_every_tier_of_twelve_million():
    fee = placement_fee(12_000_000, **TIERS)
    # 8% x 5,000,000 = 400,000; 4% x 5,000,000 = 200,000; 6% x 2,000,000 = 120,000
    assert fee.tiers == (FeeTier(0.0, 5e6, 0.08, 400_000), FeeTier(5e6, 10e6, 0.04, 200_000),
                         FeeTier(10e6, None, 0.06, 120_000))
    assert (fee.gross_proceeds, fee.cash_fee, fee.discretionary_fee, fee.total) == (12_000_000, 720_000, 25_000, 745_000)


def test_a_tier_limit_itself_and_nothing():
    at_limit = placement_fee(5_000_000, **TIERS)
    assert [t.fee for t in at_limit.tiers] == [400_000, 0, 0] and at_limit.total == 425_000
    nothing = placement_fee(0, **TIERS)
    assert [t.fee for t in nothing.tiers] == [0, 0, 0] and nothing.total == 25_000  # the fixed fee


def test_a_fee_to_the_cent():
    # 8% x 1,234,567.89 = 98,765.4312 -> 98,765.43, plus 25,000
    fee = placement_fee(1_234_567.89, **TIERS)
    assert fee.cash_fee == 98_765.43 and fee.total == 123_765.43


def test_negative_proceeds_are_refused():
    with pytest.raises(InputError, match="gross_proceeds -1.00 must be zero or more"):
        placement_fee(-1, **TIERS)


def test_the_deals_fee_and_proceeds(terms):
    fee = deal_placement_fee(terms)  # on the registered note's purchase price
    assert (fee.gross_proceeds, fee.total) == (11_250_000, 700_000)  # the supplement's $700,000
    assert deal_placement_fee(terms, 2_000_000).total == 185_000  # 8% x 2,000,000 + 25,000
    p = offering_proceeds(terms)
    # 11,250,000 - 700,000 = 10,550,000 before expenses; less about 649,000: 9,901,000
    assert (p.gross, p.placement_fee, p.before_expenses, p.other_expenses, p.net) == (
        11_250_000, 700_000, 10_550_000, 649_000, 9_901_000)


def test_one_more_rate_than_limits_or_the_tiers_are_refused():
    for limits, rates, problem in (((5e6,), (0.08, 0.04, 0.06), "3 rates for 1 limits"),
                                   ((5e6, 10e6), (0.08, 0.04), "2 rates for 2 limits")):
        with pytest.raises(TermsError, match=f"fee_tier_rates: {problem}: need one more rate"):
            placement_fee(1e6, tier_limits=limits, tier_rates=rates, discretionary_fee=0)
