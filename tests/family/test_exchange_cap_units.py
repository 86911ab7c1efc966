"""``family.exchange_cap_cut`` with a ``unit`` (a preferred's stated value): under ``refuse`` the
largest whole number of units within the room converts, into its shares rounded by the deal's
rule, never above the room. Each figure by hand."""

from __future__ import annotations

from ascent_xl.family import ExchangeCapCut, exchange_cap_cut


def cut(**kw):
    base = {"principal": 100_000, "interest": 0, "shares": 200_000, "price": 0.5, "room": 150_000,
            "excess": "refuse", "vwap": None}
    return exchange_cap_cut(**{**base, **kw})


def test_the_rooms_amount_an_exact_multiple_converts_whole():
    # room 140,000 x 0.5 = $70,000: exactly 7 units of $10,000, into 140,000 shares
    assert cut(room=140_000, unit=10_000, rounding="down") == ExchangeCapCut(70_000.0, 0.0, 140_000, 60_000, 0.0)


def test_the_units_shares_are_rounded_by_the_deals_rule_and_stay_within_the_room():
    # price 0.3: room 250,000 x 0.3 = $75,000, 7.5 units, 7 convert: 70,000 / 0.3 = 233,333.3
    up = cut(price=0.3, room=250_000, shares=400_000, unit=10_000)  # the default rounding: up
    assert (up.principal, up.shares, up.excess_shares) == (70_000.0, 233_334, 400_000 - 233_334)
    down = cut(price=0.3, room=250_000, shares=400_000, unit=10_000, rounding="down")
    assert (down.shares, down.excess_shares) == (233_333, 400_000 - 233_333)


def test_interest_converts_first_and_counts_in_the_shares():
    # room 150,000 x 0.5 = $75,000: interest 12,345 first, then 62,655 of principal, 6 units:
    # 60,000 + 12,345 = 72,345 / 0.5 = 144,690 shares
    assert cut(interest=12_345, shares=224_690, unit=10_000) == ExchangeCapCut(60_000.0, 12_345.0, 144_690,
                                                                               224_690 - 144_690, 0.0)


def test_without_a_unit_the_room_converts_to_the_cent():
    # price 0.333: room 150,001 x 0.333 = $49,950.333 -> $49,950.33 (to the cent, not whole dollars)
    assert cut(price=0.333, room=150_001) == ExchangeCapCut(49_950.33, 0.0, 150_001, 49_999, 0.0)
