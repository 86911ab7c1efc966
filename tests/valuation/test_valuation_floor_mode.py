"""The Monte Carlo kernel (and the per-path loop) honour conversion.floor_mode as pricing.py does,
on one deterministic path: every VWAP (history and path) 0.30."""

from __future__ import annotations

import numpy as np
import pytest

from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import conversion_price, floor_payment
from ascent_xl.valuation import prepare_valuation, run_valuation
from ascent_xl.valuation.baseline import run_paths
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL


@pytest.mark.parametrize("mode", ["make_up", "cap", "none"])
def test_kernel_floor_payment_and_price_agree_with_pricing(mode):
    terms = ASTI_2022.with_term("share_reserve_price", "fixed").with_term("floor_mode", mode)
    model = DEMO_MODEL.replace(history=(0.30,) * 20, spot=0.30, volatility=0.0)
    setup = prepare_valuation(terms, model=model, behaviour=DEMO_BEHAVIOUR)
    flat = np.full((1, setup.grid.days), 0.30)
    r = run_valuation(setup, vwap_paths=flat).per_path
    slow = run_paths(setup, vwap_paths=flat)
    converted, paid, shares = r["converted"][0], r["floor_paid"][0], r["shares"][0]
    assert converted > 0
    assert (paid, shares) == (slow.floor_paid[0], slow.shares[0])
    # unfloored price every day: 0.925 x 0.30 = 0.2775 < floor 0.29
    price = conversion_price(fixed_price=3.93042, alternate_price=0.2775, floor_price=0.29,
                             floor_mode=mode)
    assert price == {"make_up": 0.29, "cap": 0.29, "none": 0.2775}[mode]
    # make_up per USD converted: (1 / 0.2775 - 1 / 0.29) x 0.30 = 0.0465983; else nothing
    expected = floor_payment(converted, unfloored_price=0.2775, floor_price=0.29, vwap=0.30,
                             floor_mode=mode)
    assert paid == pytest.approx(expected, abs=0.01)
    assert bool(paid > 0) is (mode == "make_up")
    assert shares == pytest.approx(converted / price, abs=len(setup.grid.dates))  # rounded up daily


@pytest.mark.parametrize("mode", ["make_up", "cap", "none"])
def test_the_holder_converts_only_when_a_usd_is_worth_par_in_shares_and_cash(mode):
    """Every VWAP 0.28: the unfloored price is 0.925 x 0.28 = 0.259 < floor 0.29.
    make_up: shares at the floor plus the make-up are worth 0.28 / 0.259 = 1.081 per USD;
    none: the shares at 0.259 are worth the same 1.081; cap: only the shares at the floor,
    0.28 / 0.29 = 0.9655 per USD, below the 1.00 the holder asks (min_conversion_value), so it
    never converts and the notes are repaid."""
    terms = ASTI_2022.with_term("share_reserve_price", "fixed").with_term("floor_mode", mode)
    model = DEMO_MODEL.replace(history=(0.28,) * 20, spot=0.28, volatility=0.0)
    assert DEMO_BEHAVIOUR.min_conversion_value == 1.0
    setup = prepare_valuation(terms, model=model, behaviour=DEMO_BEHAVIOUR)
    flat = np.full((1, setup.grid.days), 0.28)
    r = run_valuation(setup, vwap_paths=flat).per_path
    slow = run_paths(setup, vwap_paths=flat)
    assert r["converted"][0] == slow.converted[0]
    assert bool(r["converted"][0] > 0) is (mode != "cap")
    if mode == "cap":
        assert r["shares"][0] == 0 and r["floor_paid"][0] == 0
