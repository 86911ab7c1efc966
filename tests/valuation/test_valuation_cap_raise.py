"""A raise of the holder's ownership cap it gave notice of before the valuation date takes
effect in the simulation on its day, as the ledger applies it (before that day's conversions):
the contract carries it, the numpy kernel, the fused kernel and the per-path baseline apply it
from that day, and the valuation's inputs name it."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from ascent_xl.events import parse_events
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import sample_market
from ascent_xl.valuation import Behaviour, ModelParams, prepare_valuation, run_valuation
from ascent_xl.valuation.baseline import trace_path
from ascent_xl.valuation.model import SimulatedPaths
from ascent_xl.valuation.montecarlo import run_chunk
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.run import valuation_inputs
from ascent_xl.valuation.start import deal_start, market_inputs
from tests.helpers.traces import conversions

# Investor gives notice on 2023-01-13 of a 9.99% cap: the Registered note's 61 days make it
# effective on 2023-03-15 (the ledger's row of that day)
RAISE = [["2023-01-13", "Amendment", "Investor", None, "ownership_cap = 0.0999"]]


def _setup(events, behaviour=DEMO_BEHAVIOUR, as_of=dt.date(2023, 2, 1)):
    market = sample_market()
    start = deal_start(ASTI_2022, parse_events(events), market, as_of=as_of)
    model = DEMO_MODEL.replace(spot=market_inputs(start)["spot"][0])
    return start, prepare_valuation(ASTI_2022, model=model, behaviour=behaviour, start=start)


def test_a_pending_raise_is_in_the_contract_from_its_day():
    start, setup = _setup(RAISE)
    assert start.ownership_cap == 0.0499 and start.cap_raise == (dt.date(2023, 3, 15), 0.0999)
    # trading days after the valuation date 2023-02-01 up to 2023-03-15: February 2-3, 6-10,
    # 13-17, 21-24 (the 20th is Presidents' Day), 27-28 = 18; March 1-3, 6-10, 13-15 = 11: day 29
    assert setup.grid.dates[29] == np.datetime64("2023-03-15")
    assert setup.contract.ownership_cap == 0.0499 and setup.contract.cap_raise == (29, 0.0999)
    rows = {name: (value, where) for name, value, _, where in valuation_inputs(setup, paths=10, seed=0)}
    state = "deal state at the end of 2023-02-01 (1 events)"
    assert rows["ownership_cap"] == (0.0499, state)
    assert rows["ownership_cap_raised_to"] == (0.0999, state)
    assert rows["ownership_cap_raised_from"] == (dt.date(2023, 3, 15), state)
    # without the notice: no raise; a cap given in the behaviour is used throughout
    assert _setup([])[1].contract.cap_raise is None
    assert _setup(RAISE, DEMO_BEHAVIOUR.replace(ownership_cap=0.02))[1].contract.cap_raise is None
    # valued after the raise took effect: the raised cap, nothing pending
    start, setup = _setup(RAISE, as_of=dt.date(2023, 3, 20))
    assert (setup.contract.ownership_cap, setup.contract.cap_raise) == (0.0999, None)


def test_the_kernels_apply_the_raise_from_its_day_and_agree():
    _, setup = _setup(RAISE)
    before = setup.with_contract(cap_raise=None)
    paths = {}
    for name, s in (("raise", setup), ("no raise", before)):
        for fused in (False, True):
            source = SimulatedPaths(s.model, s.grid, seed=3, first=0, n=2048)
            paths[name, fused] = run_chunk(s.contract, s.grid, source, fused=fused)
    for field in ("note_values", "shares", "converted", "floor_paid"):
        np.testing.assert_array_equal(getattr(paths["raise", True], field), getattr(paths["raise", False], field))
    # the higher cap lets more convert on some paths, and never less in all
    more = paths["raise", False].shares - paths["no raise", False].shares
    assert more.max() > 0
    assert paths["raise", False].shares.mean() > paths["no raise", False].shares.mean()


def test_the_baseline_converts_to_the_raised_cap_only_from_its_day():
    """A path rising from $2.87 to $8: the holder converts all the cap allows (convert_all_above
    1.2) and sells under the leak-out. Before the raise's day no conversion takes the holder
    above 1%; from it, above 1% and never above 3%. The traced path is the kernel's (the same value to 1e-12)."""
    model = ModelParams(spot=2.87, volatility=0.6, rate=0.04, daily_volume=50_000, volume_elasticity=1.0)
    behaviour = Behaviour(interest="cash", convert_all_above=1.2, ownership_cap=0.01, sell_through=False)
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=behaviour).with_contract(cap_raise=(200, 0.03))
    T = setup.grid.days
    path = model.spot * np.exp(np.linspace(0.0, math.log(8.0 / model.spot), T))
    trace = trace_path(setup, vwaps=path)
    mc = run_valuation(setup, vwap_paths=path)
    for note in mc.notes:
        assert trace.note_values[note.name] == pytest.approx(note.value, rel=1e-12)
    day = setup.grid.dates[200].item()
    top, on_the_day = {False: 0.0, True: 0.0}, 0.0
    for f, held, outstanding in conversions(trace, ASTI_2022.shares_outstanding):
        held, outstanding = held + f.shares, outstanding + f.shares  # after it
        after = f.date >= day
        top[after] = max(top[after], held / outstanding)
        if f.date == day:  # the raise's own day converts up to it (as the ledger: before conversions)
            on_the_day = held / outstanding
    assert 0.0099 < top[False] <= 0.01  # up to the 1% cap before the day
    assert 0.0299 < top[True] <= 0.03  # up to the raised 3% from it
    assert 0.0299 < on_the_day <= 0.03
