"""conversion.floor_mode in the ledger (issue 14, shape 1): where the floor binds, make_up pays
the make-up in cash, cap stops the price at the floor without cash, none has no floor. The
schedule's Conversion row by hand."""

from __future__ import annotations

import pytest

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022
from tests.helpers.markets import market_before

# ten VWAPs of 0.30 before the notice of 2023-03-28, 0.28 on the day: the alternate price
# 92.5% x 0.30 = 0.2775, below the $0.29 floor
MARKET = market_before("2023-03-28", [0.30] * 10, include_day=0.28)
EVENTS = [["2022-12-19", "Issue", "Registered", None, "registered"],
          ["2023-03-28", "Conversion", "Registered", 100_000, None]]


def _conversion(mode):
    # (a deal without a floor counts its share reserve at the fixed price)
    terms = ASTI_2022.with_term("share_reserve_price", "fixed").with_term("floor_mode", mode)
    s = run_ledger(terms, parse_events(EVENTS), MARKET)
    return next(r for r in s.rows if r["Event"] == "Conversion"), s


@pytest.mark.parametrize("mode, price, shares, payment", [
    # make_up: at the floor, 100,000 / 0.29 = 344,827.59 -> 344,828 shares, and the make-up:
    # (100,000 / 0.2775 - 100,000 / 0.29) x 0.28 = (360,360.36 - 344,827.59) x 0.28 = 4,349.18
    ("make_up", 0.29, 344_828, 4_349.18),
    # cap: at the floor, the same 344,828 shares, no cash
    ("cap", 0.29, 344_828, 0.0),
    # none: no floor, at 0.2775: 100,000 / 0.2775 = 360,360.36 -> 360,361 shares, no cash
    ("none", 0.2775, 360_361, 0.0),
])
def test_the_floor_mode_changes_the_conversion_row(mode, price, shares, payment):
    r, s = _conversion(mode)
    assert r["Conversion Price"] == pytest.approx(price, abs=1e-12)
    assert r["Shares Issued"] == shares
    assert (r["Floor Payment"] or 0.0) == payment
    assert s.state.notes["Registered"].floor_payments == payment
