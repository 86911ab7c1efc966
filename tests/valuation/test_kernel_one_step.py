"""A settled path leaves the day loop and its later price is drawn in one step (issue 15).

``SimulatedPaths.leave(t, paths)``: those paths read no VWAP after day ``t``; their price on a
later day ``u`` is ``S_t exp((mu - sigma**2 / 2)(y_u - y_t) + sigma sqrt(y_u - y_t) Z)``, with ``Z``
the path's own normal from ``SeedSequence(seed, spawn_key=(block, 0))``. The kept sample paths
(charts) go on day by day, bit for bit as before.
"""

from __future__ import annotations

import math

import numpy as np

from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import prepare_valuation
from ascent_xl.valuation.model import PATHS_PER_STREAM, SimulatedPaths
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL

SETUP = prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR)


def _source(n: int, seed: int = 4, first: int = 0) -> SimulatedPaths:
    return SimulatedPaths(SETUP.model, SETUP.grid, seed=seed, first=first, n=n)


def test_a_left_paths_price_is_its_price_on_the_day_it_left_moved_in_one_step():
    grid, model = SETUP.grid, SETUP.model
    src = _source(1500, first=PATHS_PER_STREAM)  # block 1 and part of block 2
    for t in range(1, 9):
        src.advance(t)
    on_day_8 = src.log_price.copy()
    src.leave(8, np.array([3, 1100]))
    T = grid.days
    for t in range(9, T + 1):
        src.advance(t)
    price = src.price()
    # by hand: path 3 is number 3 of block 1, path 1100 number 76 of block 2
    z3 = np.random.Generator(np.random.PCG64(np.random.SeedSequence(4, spawn_key=(1, 0)))).standard_normal(1024)[3]
    z76 = np.random.Generator(np.random.PCG64(np.random.SeedSequence(4, spawn_key=(2, 0)))).standard_normal(1024)[76]
    sigma, mu = model.volatility, model.rate  # risk-neutral: the drift is the rate
    dy = (grid.dates[T] - grid.dates[8]).astype(int) / 365.0
    for i, z in ((3, z3), (1100, z76)):
        expected = math.exp(on_day_8[i] + (mu - sigma * sigma / 2) * dy + sigma * math.sqrt(dy) * z)
        assert price[i] == expected or abs(price[i] / expected - 1) < 1e-14
    # the others' price is their day-by-day price; the chart's price is day by day for all
    others = np.setdiff1d(np.arange(1500), [3, 1100])
    np.testing.assert_array_equal(price[others], np.exp(src.log_price[others]))
    np.testing.assert_array_equal(src.sample_price(5), np.exp(src.log_price[:5]))
    # leaving again changes nothing
    src.leave(16, np.array([3]))
    assert src.price()[3] == price[3]


def test_the_one_step_price_has_the_law_of_the_day_by_day_price():
    grid, model = SETUP.grid, SETUP.model
    n = 20_000
    src = _source(n, seed=11)
    for t in range(1, 9):
        src.advance(t)
    on_day_8 = src.log_price.copy()
    src.leave(8, np.arange(n))
    for t in range(9, grid.days + 1):
        src.advance(t, np.arange(0))
    log_return = np.log(src.price()) - on_day_8
    dy = (grid.dates[-1] - grid.dates[8]).astype(int) / 365.0
    sigma = model.volatility
    # a normal of mean (r - sigma^2/2) dy and standard deviation sigma sqrt(dy): 1.1 x 1.23 ~ 1.22
    sd = sigma * math.sqrt(dy)
    assert abs(log_return.mean() - (model.rate - sigma * sigma / 2) * dy) < 4 * sd / math.sqrt(n)
    assert abs(log_return.std() / sd - 1) < 0.03


def test_once_every_path_has_left_the_kept_paths_go_on_day_by_day_as_before():
    grid = SETUP.grid
    a, b = _source(2100, seed=2), _source(2100, seed=2)
    a.keep_daily(7)
    for t in range(1, grid.days + 1):
        a.advance(t, None if t <= 16 else np.arange(0))
        b.advance(t)
        if t == 16:
            a.leave(16, np.arange(2100))
        np.testing.assert_array_equal(a.sample_price(7), b.price(7))
    assert len(a.vwap) == 0
