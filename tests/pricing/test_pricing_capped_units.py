"""``capped_conversion``'s ``unit``: under the ownership cap, principal converts in whole
multiples of a preferred's stated value. Hand-made cases where the cap's amount is an exact
multiple (the rounding must keep it) and where it is not (the rounding must cut it)."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import capped_conversion
from tests.helpers.markets import market_before

DAY = dt.date(2023, 3, 1)
MARKET = market_before("2023-03-01", [1.20] * 12, include_day=1.20)


def convert(*, unit: float, **kw):
    # the fixed price $1.00 stands (no alternate price that day), above the $0.29 floor
    return capped_conversion(MARKET, conversion=ASTI_2022.conversion, notice_date=DAY, principal=50_000,
                             fixed_price=1.0, floor_price=0.29, alternate=False, unit=unit, **kw)


@pytest.mark.parametrize(("outstanding", "converted"), [
    # cap 50%, the holder at 0: at most 0.5 x S / 0.5 = S new shares at $1.00, so $S
    (20_000, 20_000),  # exactly 2 units of $10,000: both convert
    (25_000, 20_000),  # 2.5 units: 2 convert
    (9_999, 0),  # less than one unit: nothing converts
])
def test_the_cap_converts_whole_units(outstanding, converted):
    q = convert(unit=10_000, holder_shares=0, shares_outstanding=outstanding, cap=0.5)
    assert q.capped and q.principal_converted == converted and q.shares == converted  # $1.00 a share


def test_without_a_unit_the_cap_converts_to_the_cent():
    q = convert(unit=0, holder_shares=0, shares_outstanding=25_000, cap=0.5)
    assert (q.principal_converted, q.shares) == (25_000, 25_000)


def test_a_cap_given_without_the_holders_shares_is_no_cap():
    q = convert(unit=10_000, cap=0.5)
    assert (q.capped, q.ownership_cap, q.cap_shares, q.principal_converted) == (False, None, None, 50_000)
