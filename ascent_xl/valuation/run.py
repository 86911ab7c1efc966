"""Running a valuation: prepare the contract once, then simulate chunks of paths on threads.

Paths are simulated in chunks (memory stays bounded: a chunk's buffers are a few dozen arrays of
one number per path) and the chunks run on a thread pool (numpy releases the GIL inside its array
operations). A path's random numbers depend only on the seed and the path's number, so the result
does not depend on the chunk size or on the number of threads.
"""

from __future__ import annotations

import functools
import math
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ascent_xl.calendar import trading_calendar
from ascent_xl.errors import InputError
from ascent_xl.market import MarketData
from ascent_xl.terms import DealTerms
from ascent_xl.valuation.behaviour import Behaviour
from ascent_xl.valuation.contract import Contract, build_contract
from ascent_xl.valuation.model import (
    PATHS_PER_STREAM,
    GivenPaths,
    ModelParams,
    PathSource,
    SimulatedPaths,
    TimeGrid,
    time_grid,
)
from ascent_xl.valuation.montecarlo import ChunkResult, run_chunk
from ascent_xl.valuation.results import (
    CASH_KINDS,
    DEFAULT_PERCENTILES,
    Distribution,
    Estimate,
    NoteValue,
    ValuationResult,
)
from ascent_xl.valuation.warrants import black_scholes_call

DEFAULT_PATHS = 20_000
DEFAULT_CHUNK = 12 * PATHS_PER_STREAM
"""Most paths per chunk (49,152): measured fastest here; a chunk's buffers stay near 60 MB."""
MAX_PATHS = 10_000_000

Progress = Callable[[int, int], None]
"""Called with (paths done, paths in all) after each chunk."""


@dataclass(frozen=True, eq=False)
class ValuationSetup:
    """Terms, model and behaviour resolved onto the valuation's days: ready to simulate."""

    terms: DealTerms
    model: ModelParams
    behaviour: Behaviour
    grid: TimeGrid
    contract: Contract
    history_assumed: bool

    def with_contract(self, **changes: Any) -> ValuationSetup:
        """A copy whose contract has some fields changed (see :meth:`Contract.replace`)."""
        return replace(self, contract=self.contract.replace(**changes))


def prepare_valuation(
    terms: DealTerms,
    *,
    model: ModelParams,
    behaviour: Behaviour | None = None,
    market: MarketData | None = None,
) -> ValuationSetup:
    """Build the trading-day grid (valuation date to the last maturity payment) and the contract.

    ``market`` supplies the VWAPs before the valuation date (and the fixed price when the terms
    leave it blank); without it and without ``model.history`` the spot is assumed on every
    earlier day.
    """
    behaviour = Behaviour() if behaviour is None else behaviour
    calendar = market.calendar if market is not None else trading_calendar(terms.calendar)
    valuation = model.valuation_date or min(n.issue_date for n in terms.notes)
    grid = time_grid(
        calendar=calendar,
        valuation_date=valuation,
        horizon=max(n.maturity for n in terms.notes),
        rate=model.rate,
        credit_spread=model.credit_spread,
    )
    contract = build_contract(terms, behaviour=behaviour, model=model, grid=grid, market=market)
    return ValuationSetup(terms, model, behaviour, grid, contract, not model.history and market is None)


def run_valuation(
    setup: ValuationSetup,
    *,
    paths: int | None = None,
    seed: int | None = 0,
    vwap_paths: Any = None,
    chunk_paths: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    sample_paths: int = 20,
    percentiles: Sequence[float] = DEFAULT_PERCENTILES,
) -> ValuationResult:
    """Simulate ``paths`` paths (default 20,000) with ``seed`` and value the notes and warrants.

    ``vwap_paths`` (shape ``(n, T)`` or ``(T,)``) replaces the simulation by given VWAP paths of
    days 1..T (e.g. a deterministic path); ``paths`` must then be left out. ``seed`` None draws
    a fresh seed (the result records it). ``workers`` threads (default: the machine's cores)
    share chunks of at most ``chunk_paths`` paths (default: the paths split evenly over the
    threads, at most :data:`DEFAULT_CHUNK`), which bounds memory.
    """
    t0 = time.perf_counter()
    model, grid, contract = setup.model, setup.grid, setup.contract
    if vwap_paths is not None:
        if paths is not None:
            raise InputError("give either paths (to simulate) or vwap_paths (given paths), not both")
        given = GivenPaths(model, grid, vwap_paths)
        chunks = [run_chunk(contract, grid, given, sample=sample_paths)]
        seed = None
        if progress:
            progress(given.n, given.n)
    else:
        n = DEFAULT_PATHS if paths is None else _count(paths, "paths", 1, MAX_PATHS)
        if seed is None:
            seed = int(np.random.SeedSequence().entropy) % (2**63)  # type: ignore[arg-type]
        seed = _count(seed, "seed", 0, 2**63 - 1)
        threads = _count(workers or os.cpu_count() or 1, "workers", 1, 256)
        if chunk_paths is None:
            chunk = min(DEFAULT_CHUNK, math.ceil(n / threads))
        else:
            chunk = _count(chunk_paths, "chunk_paths", 1, MAX_PATHS)
        chunk = math.ceil(chunk / PATHS_PER_STREAM) * PATHS_PER_STREAM
        starts = list(range(0, n, chunk))
        threads = min(len(starts), threads)

        def one(first: int) -> ChunkResult:
            size = min(chunk, n - first)
            source: PathSource = SimulatedPaths(model, grid, seed=seed, first=first, n=size)
            return run_chunk(contract, grid, source, sample=sample_paths if first == 0 else 0)

        chunks = []
        done = 0
        if threads == 1:
            for first in starts:
                chunks.append(one(first))
                done += chunks[-1].shares.size
                if progress:
                    progress(done, n)
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                for result in pool.map(one, starts):
                    chunks.append(result)
                    done += result.shares.size
                    if progress:
                        progress(done, n)
    return _assemble(setup, chunks, seed, percentiles, time.perf_counter() - t0)


def value_deal(
    terms: DealTerms,
    *,
    model: ModelParams,
    behaviour: Behaviour | None = None,
    market: MarketData | None = None,
    **options: Any,
) -> ValuationResult:
    """Value the deal's notes and warrants: :func:`prepare_valuation` then
    :func:`run_valuation` with ``options`` (paths, seed, vwap_paths, chunk_paths, workers,
    progress, sample_paths, percentiles).

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
    >>> r = value_deal(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR, paths=2000, seed=1)
    >>> r.note("Registered").value > r.note("Registered").face * 0.9
    True
    """
    setup = prepare_valuation(terms, model=model, behaviour=behaviour, market=market)
    return run_valuation(setup, **options)


@functools.lru_cache(maxsize=32)
def instrument_estimates(
    terms: DealTerms, model: ModelParams, behaviour: Behaviour, paths: int, seed: int
) -> dict[str, tuple[float, float]]:
    """(fair value, standard error) in USD of every instrument of the deal - each note, the
    ``warrants`` and the ``total`` - by lower-case name, from one simulation. Cached: the cells of
    a workbook that ask for each instrument with the same inputs share one run.

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
    >>> sorted(instrument_estimates(ASTI_2022, DEMO_MODEL, DEMO_BEHAVIOUR, 1000, 0))
    ['private', 'registered', 'total', 'warrants']
    """
    r = value_deal(terms, model=model, behaviour=behaviour, paths=paths, seed=seed, sample_paths=0)
    out = {n.name.lower(): (n.value, n.std_error) for n in r.notes}
    if r.warrants is not None:
        out["warrants"] = (r.warrants.value, r.warrants.std_error)
    out["total"] = (r.total.value, r.total.std_error)
    return out


def _count(value: Any, name: str, lo: int, hi: int) -> int:
    """A whole number from ``lo`` to ``hi`` (floats that are whole are accepted)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} {value!r} is not a number") from None
    if not math.isfinite(x) or x != int(x) or not lo <= x <= hi:
        raise InputError(f"{name} {value!r}: a whole number from {lo:,} to {hi:,}")
    return int(x)


def _assemble(setup: ValuationSetup, chunks: list[ChunkResult], seed: int | None,
              percentiles: Sequence[float], elapsed: float) -> ValuationResult:
    terms, model, grid, c = setup.terms, setup.model, setup.grid, setup.contract

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(ch, name) for ch in chunks])

    note_values = np.concatenate([ch.note_values for ch in chunks], axis=1)
    per_path = {name: cat(name) for name in (
        "warrant_value", "shares", "converted", "floor_paid", "interest_cash", "interest_pik",
        "principal_cash", "default_cash", "prepaid_cash")}
    for j, note in enumerate(c.notes):
        per_path[f"value:{note.name}"] = note_values[j]
    n = note_values.shape[1]
    estimates = [Estimate.of(values) for values in note_values]
    notes = tuple(NoteValue(note.name, note.principal, e.value, e.std_error)
                  for note, e in zip(c.notes, estimates, strict=True))
    total_path = note_values.sum(axis=0) + per_path["warrant_value"]
    warrants = Estimate.of(per_path["warrant_value"]) if c.warrant is not None else None
    closed = None
    if c.warrant is not None:
        w = terms.warrants
        closed = w.shares * black_scholes_call(
            spot=model.spot, strike=w.exercise_price,
            years=(w.expiry - grid.valuation_date).days / 365.0, rate=model.rate,
            volatility=model.volatility)
    expected = {key: float(per_path[key].mean()) for key, _ in CASH_KINDS}
    expected["total"] = sum(expected.values())
    binds = (per_path["floor_paid"] > 0).astype(float)
    p = float(binds.mean())
    first = chunks[0].sample
    return ValuationResult(
        deal=terms.name,
        valuation_date=grid.valuation_date,
        horizon=grid.dates[-1].item(),
        trading_days=grid.days,
        paths=n,
        seed=seed,
        risk_neutral=model.risk_neutral,
        notes=notes,
        warrants=warrants,
        warrants_closed_form=closed,
        total=Estimate.of(total_path),
        shares_outstanding=c.shares_outstanding,
        shares_issued=Distribution.of(per_path["shares"], percentiles),
        floor_payments=Distribution.of(per_path["floor_paid"], percentiles),
        floor_probability=Estimate(p, math.sqrt(p * (1 - p) / n)),
        expected_cash=expected,
        expected_pik_interest=float(per_path["interest_pik"].mean()),
        expected_converted=float(per_path["converted"].mean()),
        fixed_price=c.fixed_price,
        floor_price=c.floor_price,
        sample_dates=grid.dates,
        sample_prices=first.T.copy(),
        per_path=per_path,
        assumptions=_assumptions(setup),
        elapsed=elapsed,
    )


def _assumptions(setup: ValuationSetup) -> tuple[str, ...]:
    m, c = setup.model, setup.contract
    out = [
        "GBM share price; VWAP = price x mean-one lognormal noise; calendar-time variance (ACT/365)",
        f"volume {m.daily_volume:,.0f} shares/day at the spot, elasticity {m.volume_elasticity:g}",
        f"holder sells at most {c.leak_out:.0%} of each day's volume, after the day's conversions "
        "(leak-out applied daily)",
        "shares valued at the VWAP on delivery, discounted at the risk-free rate; company cash at "
        "the rate plus the credit spread",
        "warrants: Black-Scholes on each path's price at the notes' last day (no dilution, no "
        "exercise-price adjustment)",
    ]
    if setup.history_assumed:
        out.append("VWAPs before the valuation date taken as the spot (no history given)")
    if not m.risk_neutral:
        out.append("drift differs from the risk-free rate: values are expectations, not fair values")
    return tuple(out)


__all__ = [
    "DEFAULT_CHUNK",
    "DEFAULT_PATHS",
    "Progress",
    "ValuationSetup",
    "instrument_estimates",
    "prepare_valuation",
    "run_valuation",
    "value_deal",
]
