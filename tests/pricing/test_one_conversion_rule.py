"""One conversion rule: the vector quote (CLI, ASCENT_FLOOR_PAYMENT, demo), the cap's largest
amount (ASCENT_MAX_CONVERSION) and the ledger's capped_conversion agree notice by notice."""

from __future__ import annotations

import numpy as np
import pytest

from ascent_xl.pricing import capped_conversion, max_conversion_amount, quote_conversions


def test_the_vector_quote_is_capped_conversion_without_a_binding_cap(terms, sample):
    c = terms.conversion
    days = [d.item() for d in sample.dates if np.datetime64("2023-01-03") <= d <= np.datetime64("2024-06-14")]
    # across the unrestated 2023-09-12 split on purpose: the rule is the same either side
    q = quote_conversions(terms, sample, notice_dates=days, amounts=200_000, no_split=True)
    for i, day in enumerate(days):
        one = capped_conversion(sample, conversion=c, notice_date=day, principal=200_000, fixed_price=3.93042,
                                floor_price=c.floor_price, holder_shares=0, shares_outstanding=10**12)
        assert not one.capped
        assert one.conversion_price == q["conversion_price"][i] and one.shares == q["shares"][i]
        assert one.floor_payment == pytest.approx(q["floor_payment"][i], abs=1e-9)
        assert one.floor_binds == bool(q["floor_binds"][i])


def test_the_caps_largest_amount_is_max_conversion_amount(terms, sample):
    # 2023-03-14 (price 0.415387), a holder of 1,000,000 of 40,000,000 shares:
    # room floor((0.0499 x 40,000,000 - 1,000,000) / 0.9501) = floor(1,048,310.7) = 1,048,310 shares
    c = terms.conversion
    one = capped_conversion(sample, conversion=c, notice_date=np.datetime64("2023-03-14").item(),
                            principal=1_000_000, fixed_price=3.93042, floor_price=c.floor_price,
                            holder_shares=1_000_000, shares_outstanding=40_000_000)
    assert one.cap_shares == 1_048_310 and one.capped
    assert one.cap_amount == max_conversion_amount(conversion_price=one.conversion_price, holder_shares=1_000_000,
                                                   shares_outstanding=40_000_000, cap=0.0499)
    assert one.converted == one.cap_amount and one.shares <= one.cap_shares


@pytest.mark.parametrize("mode", ["make_up", "cap", "none"])
def test_the_vector_quote_is_capped_conversion_in_every_floor_mode(terms, sample, mode):
    # 2023-03-28: the alternate price is under the $0.29 floor on the sample VWAPs, so the floor
    # binds under make_up and cap (a payment only under make_up) and not at all under none
    t = terms.with_term("share_reserve_price", "fixed").with_term("floor_mode", mode)
    c = t.conversion
    days = [d.item() for d in sample.dates if np.datetime64("2023-03-01") <= d <= np.datetime64("2023-04-28")]
    q = quote_conversions(t, sample, notice_dates=days, amounts=100_000, no_split=True)
    binds = 0
    for i, day in enumerate(days):
        one = capped_conversion(sample, conversion=c, notice_date=day, principal=100_000, fixed_price=3.93042,
                                floor_price=c.floor_price)
        assert one.cap_shares is None and not one.capped
        assert one.conversion_price == q["conversion_price"][i] and one.shares == q["shares"][i]
        assert one.floor_payment == q["floor_payment"][i]
        assert one.floor_binds == bool(q["floor_binds"][i])
        binds += one.floor_binds
        if mode != "make_up":
            assert one.floor_payment == 0.0
    assert (binds > 0) == (mode != "none")


def test_one_quote_record():
    # a quote without a holder is the capped conversion's record with no cap
    from ascent_xl.pricing import CappedConversion, ConversionQuote
    assert ConversionQuote is CappedConversion


@pytest.mark.parametrize(("mode", "price", "binds", "pays"), [
    ("make_up", 0.29, True, True), ("cap", 0.29, True, False), ("none", 0.25, False, False)])
def test_price_notice_by_hand(mode, price, binds, pays):
    # fixed $3.93042, alternate $0.25, floor $0.29: lower of the two is 0.25, under the floor
    from ascent_xl.pricing import price_notice
    floor = 0.29 if mode != "none" else 0.0
    pn = price_notice(fixed_price=3.93042, alternate_price=0.25, floor_price=floor, floor_mode=mode)
    assert pn.unfloored_price == 0.25
    assert (pn.conversion_price, pn.floor_binds, pn.floor_pays) == (price, binds, pays)
