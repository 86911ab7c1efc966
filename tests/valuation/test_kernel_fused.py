"""The fused kernel (numba, optional) gives the numpy kernel's numbers bit for bit, on every
feature: the alternate price and floor (make_up, cap, none), floor payments, the ownership cap,
interest in cash and in kind (PIK notes and capitalised), the default (redeem, reset, better),
prepayments, notes at different prices, a deal after its reverse split, every share rounding;
and numba is imported only when a valuation runs."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from ascent_xl.events import events_from_csv
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market
from ascent_xl.valuation import ScheduledPrepayment, prepare_valuation
from ascent_xl.valuation.model import SimulatedPaths
from ascent_xl.valuation.montecarlo import ChunkResult, LowestSum, run_chunk
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.start import deal_start, market_inputs
from tests.helpers.fresh import fresh_words

numba = pytest.importorskip("numba")

FIELDS = tuple(ChunkResult.__dataclass_fields__)


def _every_feature(**behaviour):
    """Default (the better election), a prepayment, PIK by the equity conditions, the floor, a
    binding ownership cap, threshold and maturity conversion."""
    rules = DEMO_BEHAVIOUR.replace(
        default_date=dt.date(2023, 8, 1),
        prepayments=(ScheduledPrepayment(date=dt.date(2023, 3, 1), amount=400_000.0, premium=1.1),),
        convert_all_above=1.25,
        ownership_cap=0.005,
    ).replace(**behaviour)
    model = DEMO_MODEL.replace(daily_volume=150_000, volatility=1.3)
    return prepare_valuation(ASTI_2022, model=model, behaviour=rules)


def _after_the_split():
    """The sample deal on 2023-09-30: after its 1-for-200 split, the floor amended and the
    fixed price ratcheted (each note at its own prices)."""
    market = sample_market()
    start = deal_start(ASTI_2022, events_from_csv(data_path(SAMPLE_EVENTS)), market,
                       as_of=dt.date(2023, 9, 30))
    model = DEMO_MODEL.replace(spot=market_inputs(start)["spot"][0])
    return prepare_valuation(ASTI_2022, model=model, behaviour=DEMO_BEHAVIOUR, start=start)


def _chunk(setup, fused, n=2048, seed=7):
    source = SimulatedPaths(setup.model, setup.grid, seed=seed, first=0, n=n)
    return run_chunk(setup.contract, setup.grid, source, sample=5, fused=fused)


def _same(setup, n=2048, seed=7):
    fast, slow = _chunk(setup, True, n, seed), _chunk(setup, False, n, seed)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    return slow


CASES = {
    "every feature, better election": lambda: _every_feature(),
    "default redeemed": lambda: _every_feature(default_election="redeem"),
    "default reset": lambda: _every_feature(default_election="reset"),
    "interest in kind": lambda: _every_feature(interest="pik"),
    "cash interest, no cap, interest not converted":
        lambda: _every_feature(interest="cash", ownership_cap=1.0, convert_interest=False),
    "held to maturity (no sales)": lambda: _every_feature(sell_through=False),
    "the demo deal": lambda: prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR),
    "after the reverse split": _after_the_split,
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_fused_kernel_gives_the_numpy_kernels_numbers(case):
    _same(CASES[case]())


def test_every_feature_is_exercised_on_the_compared_paths():
    # a comparison of zeros would prove nothing: each kind of cash flow happens on these paths
    r = _same(_every_feature())
    for name in ("floor_paid", "interest_cash", "interest_pik", "default_cash", "prepaid_cash", "converted"):
        assert getattr(r, name).max() > 0, name
    # the holder's election: all cash when redeemed, none when the price is reset
    assert _same(_every_feature(default_election="reset")).default_cash.max() == 0
    assert _same(_every_feature(default_election="redeem")).default_cash.max() > 0


@pytest.mark.parametrize("rounding", ["up", "down", "nearest"])
@pytest.mark.parametrize("floor", ["make_up", "cap", "none"])
def test_every_rounding_and_floor_rule(rounding, floor):
    setup = _every_feature()
    changes = {"share_rounding": rounding}
    if floor == "cap":
        changes["floor_cash"] = False
    elif floor == "none":
        changes["floor_price"] = 0.0
    setup = setup.with_contract(**changes)
    r = _same(setup, n=1024)
    assert (r.floor_paid.max() > 0) == (floor == "make_up")


def test_notes_at_two_prices_and_no_alternate_price():
    setup = _every_feature()
    notes = setup.contract.notes
    two = setup.with_contract(notes=(notes[0], dataclasses.replace(notes[1], fixed_price=2.5, floor_price=0.35)))
    _same(two, n=1024)
    _same(setup.with_contract(alternate_discount=None), n=1024)



@pytest.mark.parametrize("shared", [True, False], ids=["one history", "a history per path"])
@pytest.mark.parametrize(("k", "w"), [(1, 1), (1, 5), (2, 2), (3, 10), (4, 7), (5, 12)])
def test_the_compiled_lowest_vwap_window_gives_the_numpy_windows_sums(k, w, shared):
    # the compiled window (fused.window/tails) against LowestSum's numpy methods, day by day,
    # through blocks completing and paths leaving (keep), on values with ties (each against a
    # sort in test_valuation_properties)
    from ascent_xl.valuation import fused

    rng = np.random.default_rng(k * 100 + w)
    n = 37
    history = rng.integers(1, 9, size=w if shared else (w, n)) / 4.0
    numpy_window = LowestSum(history, k=k, n=n)
    compiled_window = LowestSum(history, k=k, n=n)
    paths = np.arange(n)
    for day in range(3 * w + 5):
        values = rng.integers(1, 9, size=len(paths)) / 4.0
        a, b = np.empty(len(paths)), np.empty(len(paths))
        numpy_window.sum_push(values, a)
        compiled_window.sum_push(values, b, fused)
        np.testing.assert_array_equal(a, b, err_msg=f"day {day}")
        if day % 4 == 3 and len(paths) > 4:
            alive = np.flatnonzero(rng.random(len(paths)) < 0.8)
            numpy_window.keep(alive)
            compiled_window.keep(alive)
            paths = paths[alive]



@pytest.mark.parametrize(("noise", "elasticity"), [(0.0, 0.0), (0.05, 0.0), (0.05, 1.0), (0.0, 0.7)])
def test_the_compiled_path_source_gives_the_numpy_sources_numbers(noise, elasticity):
    # SimulatedPaths.compile_with(fused): the integer steps of Box-Muller, the float32 products,
    # the prices, log VWAPs and log volumes compiled; the same numbers bit for bit on whole days,
    # on days with most paths live, on days with few (a batch drawn on a whole day and one drawn
    # on a few-path day), after paths left, for the kept sample paths and the one-step prices
    from ascent_xl.valuation import fused

    model = DEMO_MODEL.replace(vwap_noise=noise, volume_elasticity=elasticity)
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=DEMO_BEHAVIOUR)
    n = 3 * 1024
    numpy_paths = SimulatedPaths(setup.model, setup.grid, seed=3, first=0, n=n)
    compiled_paths = SimulatedPaths(setup.model, setup.grid, seed=3, first=0, n=n)
    compiled_paths.compile_with(fused)
    for paths in (numpy_paths, compiled_paths):
        paths.keep_daily(10)
    rng = np.random.default_rng(0)
    live = None
    for t in range(1, 60):
        if t in (10, 21, 30, 45):  # 70% of the paths live (a whole day), then 30%, 12%, 3% (few)
            share = {10: 0.7, 21: 0.3, 30: 0.12, 45: 0.03}[t]
            keep = np.sort(rng.choice(n if live is None else live, size=int(share * n), replace=False))
            gone = np.setdiff1d(np.arange(n) if live is None else live, keep)
            for paths in (numpy_paths, compiled_paths):
                paths.leave(t - 1, gone)
            live = keep
        numpy_paths.advance(t, live)
        compiled_paths.advance(t, live)
        for name in ("vwap", "volume", "log_price"):
            np.testing.assert_array_equal(getattr(compiled_paths, name), getattr(numpy_paths, name),
                                          err_msg=f"{name}, day {t}")
        np.testing.assert_array_equal(compiled_paths.price(), numpy_paths.price(), err_msg=f"day {t}")
        np.testing.assert_array_equal(compiled_paths.sample_price(10), numpy_paths.sample_price(10))
    assert live is not None and len(live) == int(0.03 * n)


def test_numba_is_not_imported_until_a_valuation_runs():
    code = (
        "import sys\n"
        "import ascent_xl.cli, ascent_xl.valuation, ascent_xl.valuation.run\n"
        "import ascent_xl.excel.refresh\n"
        "before = 'numba' in sys.modules\n"
        "from ascent_xl.presets import ASTI_2022\n"
        "from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL\n"
        "from ascent_xl.valuation import value_deal\n"
        "value_deal(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR, paths=1024, seed=1, fused=True)\n"
        "print(before, 'numba' in sys.modules)\n"
    )
    assert fresh_words(code) == ["False", "True"]


def test_numba_switched_off_is_not_imported():
    code = (
        "import sys\n"
        "from ascent_xl.presets import ASTI_2022\n"
        "from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL\n"
        "from ascent_xl.valuation import value_deal\n"
        "value_deal(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR, paths=1024, seed=1)\n"
        "print('numba' in sys.modules)\n"
    )
    assert fresh_words(code, numba="0") == ["False"]


def test_the_numpy_kernel_runs_when_numba_is_switched_off(monkeypatch):
    setup = _every_feature()
    monkeypatch.setenv("ASCENT_XL_NUMBA", "0")
    off = _chunk(setup, None, n=1024)
    with pytest.raises(RuntimeError, match="numba"):
        _chunk(setup, True, n=1024)
    monkeypatch.delenv("ASCENT_XL_NUMBA")
    on = _chunk(setup, None, n=1024)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(on, name), getattr(off, name), err_msg=name)
