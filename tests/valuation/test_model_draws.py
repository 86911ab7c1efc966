"""The simulated paths' random numbers, by hand (issue 15: the draws are batched).

Each block of :data:`PATHS_PER_STREAM` paths has its own stream; a trading day of a block is the
2,048 float32 uniforms ``Generator.random`` would draw from it (``u1`` of the block's paths, then
``u2``), turned into two normals by Box-Muller. The streams are drawn :data:`BATCH_DAYS` days at a
time and, on whole days, a batch's normals are computed at once: the numbers must still be each
day's, in order, also across batch boundaries and on days when only a few paths are live.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import prepare_valuation
from ascent_xl.valuation.model import BATCH_DAYS, PATHS_PER_STREAM, SimulatedPaths
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL

SETUP = prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR)


def test_each_day_is_its_blocks_next_float32_uniforms_across_batches_and_few_live_days():
    model, grid = SETUP.model, SETUP.grid
    n, seed = 1500, 6
    src = SimulatedPaths(model, grid, seed=seed, first=0, n=n)
    streams = {b: np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(b,))))
               for b in (0, 1)}
    watched = (5, 1025)  # path 5 of block 0, path 1 of block 1
    live = np.array([5, 7, 1025])
    log = {p: math.log(model.spot) for p in watched}
    sigma, nu, e = model.volatility, model.vwap_noise, model.volume_elasticity
    days = 2 * BATCH_DAYS + 4  # two whole batches and part of a third
    whole_days = BATCH_DAYS + 2  # then a few live paths, from the middle of the second batch
    for t in range(1, days + 1):
        u = {b: gen.random(2 * PATHS_PER_STREAM, dtype=np.float32) for b, gen in streams.items()}
        if t == whole_days + 1:  # the others settle: only the live paths' prices move
            src.leave(whole_days, np.setdiff1d(np.arange(n), live))
        src.advance(t, None if t <= whole_days else live)
        for p in watched:
            b, j = divmod(p, PATHS_PER_STREAM)
            u1, u2 = float(u[b][j]), float(u[b][PATHS_PER_STREAM + j])
            radius = math.sqrt(-2.0 * math.log(1.0 - u1))
            z1, z2 = radius * math.cos(2 * math.pi * u2), radius * math.sin(2 * math.pi * u2)
            dt = grid.step[t]
            log[p] += (model.rate - sigma * sigma / 2) * dt + sigma * math.sqrt(dt) * z1
            vwap = math.exp(log[p] + nu * z2 - nu * nu / 2)
            volume = model.daily_volume * (vwap / model.spot) ** -e
            row = p if t <= whole_days else int(np.flatnonzero(live == p)[0])
            # float32 normals: agreement to about 1e-7 of the log price
            assert src.vwap[row] == pytest.approx(vwap, rel=1e-6), (t, p)
            assert src.volume[row] == pytest.approx(volume, rel=1e-6), (t, p)
            assert src.sample_price(p + 1)[p] == pytest.approx(math.exp(log[p]), rel=1e-6), (t, p)
    assert len(src.vwap) == len(live)


def test_a_day_when_no_path_moves_draws_nothing_and_gives_no_vwaps():
    src = SimulatedPaths(SETUP.model, SETUP.grid, seed=1, first=0, n=300)
    src.advance(1)
    src.leave(1, np.arange(300))
    src.advance(2, np.arange(0))
    assert len(src.vwap) == 0 and len(src.volume) == 0
    # the left paths' price on a later day is still drawn in one step from day 1
    assert np.isfinite(src.price()).all() and len(src.price()) == 300
