"""Running a valuation: prepare the contract once, then simulate chunks of paths on threads.

Paths are simulated in chunks (memory stays bounded: a chunk's buffers are a few dozen arrays of
one number per path) and the chunks run on a thread pool (numpy releases the GIL inside its array
operations). A path's random numbers depend only on the seed and the path's number, so the result
does not depend on the chunk size or on the number of threads.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ascent_xl.calendar import day_text, trading_calendar
from ascent_xl.errors import InputError
from ascent_xl.events import Event
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
from ascent_xl.valuation.start import DealStart, deal_start
from ascent_xl.valuation.warrants import black_scholes_call

DEFAULT_PATHS = 20_000
DEFAULT_CHUNK = 12 * PATHS_PER_STREAM
"""Most paths per chunk (12,288: 12 blocks of :data:`PATHS_PER_STREAM`): measured fastest here;
a chunk's peak is about 20 MiB (tracemalloc, full features)."""
MAX_PATHS = 10_000_000
FUSED_MIN_PATH_DAYS = 100_000_000
"""The fewest path-days (paths x trading days) of a run for which a process that has not loaded
numba yet loads it, for the fused kernel (:mod:`ascent_xl.valuation.fused`, the ``fast`` extra).
Importing numba and loading the compiled code from its cache cost 0.46-0.71 s once per process
(median 0.60 s, 3 fresh processes, 2026-12-02, after the window and the path source were
compiled too); on one thread the fused kernel saves 1.27 us of CPU a path on the full-feature
deal and 6.0 us held to maturity (12,288-path chunks, 376 days, best of 7 interleaved, load
0.5), so it repays the load after about 470,000, resp. 100,000 paths: 100 million path-days is
about 266,000 paths of 376 days, more than a workbook may ask (200,000), so a refresh never
loads numba. A process that has loaded it uses it for every run."""
KEEP_PER_PATH = 200_000
"""Runs of at most this many paths keep every path's numbers (``ValuationResult.per_path``);
longer runs keep only the shares issued and the floor payments of each path (16 bytes a path,
for their percentiles) and accumulate the rest chunk by chunk, so memory stays flat."""

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
    start: DealStart
    sources: dict[str, str]

    def with_contract(self, **changes: Any) -> ValuationSetup:
        """A copy whose contract has some fields changed (see :meth:`Contract.replace`)."""
        return replace(self, contract=self.contract.replace(**changes))


def prepare_valuation(
    terms: DealTerms,
    *,
    model: ModelParams,
    behaviour: Behaviour | None = None,
    market: MarketData | None = None,
    start: DealStart | None = None,
    sources: dict[str, str] | None = None,
) -> ValuationSetup:
    """Build the trading-day grid (valuation date to the last maturity payment) and the contract.

    ``start`` is the deal at the end of the valuation date (:func:`deal_start`: the ledger's
    state after the events up to that day); without it the valuation date must be the notes'
    issue date (``model.valuation_date`` blank or that day) and the deal starts as issued.
    ``market`` supplies the VWAPs before the valuation date (and the fixed price when the terms
    leave it blank; with ``start``, the start's VWAPs, restated for splits, are used); without
    it and without ``model.history`` the spot is assumed on every earlier day. ``sources`` says
    where model inputs came from, by name (``{"spot": "VWAP of 2023-06-30"}``; the others are
    reported as "model assumption"), for the inputs the result lists.
    """
    behaviour = Behaviour() if behaviour is None else behaviour
    closing = terms.closing
    if start is None:
        when: dt.date = closing if model.valuation_date is None else model.valuation_date
        if when != closing:
            raise InputError(
                f"valuation date {when}: the notes were issued on {closing}; to value them later "
                "give the deal's events up to that date (ascent-xl value --as-of DATE --events "
                "FILE --vwaps FILE), so the valuation starts from what is outstanding then"
            )
        start = deal_start(terms, [], market, as_of=closing)
    elif model.valuation_date not in (None, start.as_of):
        raise InputError(f"valuation date {model.valuation_date} differs from the deal state's "
                         f"date {start.as_of}")
    else:
        market = start.market if start.market is not None else market
    calendar = market.calendar if market is not None else trading_calendar(terms.calendar)
    live = start.live
    horizon: dt.date | np.datetime64
    if live:
        horizon = max(n.maturity for n in live)
    else:  # nothing owed: a one-day grid for the warrants
        horizon = calendar.on_or_after(start.as_of + dt.timedelta(days=1))
    grid = time_grid(
        calendar=calendar,
        valuation_date=start.as_of,
        horizon=horizon,
        rate=model.rate,
        credit_spread=model.credit_spread,
        closed_ok=start.as_of != closing,
    )
    contract = build_contract(terms, behaviour=behaviour, model=model, grid=grid, start=start,
                              market=market)
    return ValuationSetup(terms, model, behaviour, grid, contract, not model.history and market is None,
                          start, dict(sources or {}))


@dataclass(frozen=True, eq=False)
class AsOfSetup:
    """:func:`prepare_as_of`'s result: the setup, and the planned events it applied and left out
    (those after the valuation date that are not planned: the simulation decides them)."""

    setup: ValuationSetup
    applied: tuple[Event, ...]
    left_out: tuple[Event, ...]


def prepare_as_of(
    terms: DealTerms,
    events: Iterable[Event],
    market: MarketData | None,
    *,
    as_of: dt.date,
    model: ModelParams,
    behaviour: Behaviour,
    given: Mapping[str, float | None],
    source: str = "the VWAPs",
    no_spot: str = "give the VWAPs up to the valuation date, or the spot",
) -> AsOfSetup:
    """The valuation as of a date from the deal's state (``ascent-xl value --as-of`` and
    ``ASCENT_FAIR_VALUE``'s events): the ledger over ``events`` up to and including ``as_of``
    (:func:`~ascent_xl.valuation.start.deal_start`), the spot and daily volume from ``market``
    on that day where ``given`` (the model inputs the user gave; None: not given) leaves them
    out, ``model``'s other inputs, ``behaviour`` with the planned events after ``as_of``
    applied. ``source`` names the VWAPs in the inputs' sources; ``no_spot`` says what to give
    when no spot can be had (after the issue date, without VWAPs)."""
    from ascent_xl.valuation.behaviour import planned_events
    from ascent_xl.valuation.start import market_inputs

    closing = terms.closing
    events = list(events)
    start = deal_start(terms, events, market, as_of=as_of)
    for name, x in given.items():
        if x is not None and not math.isfinite(x):
            raise InputError(f"{name} {x}: give a finite number")
    sources = {name: "given" for name, x in given.items() if x is not None}
    inputs = {name: x for name, x in given.items() if x is not None}
    found = market_inputs(start, source=source)
    if "spot" not in inputs:
        if "spot" in found:
            inputs["spot"], sources["spot"] = found["spot"]
        elif as_of == closing:
            inputs["spot"], sources["spot"] = model.spot, "demo assumption (no VWAPs): the supplement's last price"
        else:
            raise InputError(f"valuation date {as_of}: the spot is the VWAP on, or the last before, that day; "
                             + no_spot)
    if "daily_volume" not in inputs and "daily_volume" in found:
        inputs["daily_volume"], sources["daily_volume"] = found["daily_volume"]
    applied: list[Event] = []
    left_out: list[Event] = []
    if events:
        applied, skipped = planned_events(events, start=as_of)
        behaviour = behaviour.with_events(applied, terms=terms)
        left_out = [e for e in skipped if e.date > as_of]
    setup = prepare_valuation(terms, model=model.replace(valuation_date=as_of, **inputs), behaviour=behaviour,
                              market=market, start=start, sources=sources)
    return AsOfSetup(setup, tuple(applied), tuple(left_out))


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
    fused: bool | None = None,
) -> ValuationResult:
    """Simulate ``paths`` paths (default 20,000) with ``seed`` and value the notes and warrants.

    ``vwap_paths`` (shape ``(n, T)`` or ``(T,)``) replaces the simulation by given VWAP paths of
    days 1..T (e.g. a deterministic path); ``paths`` must then be left out. ``seed`` None draws
    a fresh seed (the result records it). ``workers`` threads (default: the machine's cores)
    share chunks of at most ``chunk_paths`` paths (default: the paths split evenly over the
    threads, at most :data:`DEFAULT_CHUNK`), which bounds memory. ``fused`` chooses the kernel
    (:func:`kernel_choice`): True the fused one (numba), False numpy's, None (default) the
    fused one when numba is installed and already loaded or the run is long enough to repay
    loading it; the numbers are the same.
    """
    t0 = time.perf_counter()
    model, grid, contract = setup.model, setup.grid, setup.contract
    if vwap_paths is not None:
        if paths is not None:
            raise InputError("give either paths (to simulate) or vwap_paths (given paths), not both")
        given = GivenPaths(model, grid, vwap_paths)
        acc = _Accumulator(len(contract.notes), keep_all=True)
        kernel = kernel_choice(given.n, grid.days, fused)
        acc.add(run_chunk(contract, grid, given, sample=sample_paths, fused=kernel))
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
        acc = _Accumulator(len(contract.notes), keep_all=n <= KEEP_PER_PATH)
        kernel = kernel_choice(n, grid.days, fused)

        def one(first: int) -> ChunkResult:
            size = min(chunk, n - first)
            source: PathSource = SimulatedPaths(model, grid, seed=seed, first=first, n=size)
            return run_chunk(contract, grid, source, sample=sample_paths if first == 0 else 0,
                             fused=kernel)

        done = 0
        if threads == 1:
            for first in starts:
                acc.add(one(first))
                done = acc.n
                if progress:
                    progress(done, n)
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                # at most two chunks ahead per thread are in flight: memory stays flat
                pending: list[Any] = []
                queue = iter(starts)
                for first in queue:
                    pending.append(pool.submit(one, first))
                    if len(pending) >= 2 * threads:
                        break
                while pending:
                    acc.add(pending.pop(0).result())
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.append(pool.submit(one, nxt))
                    if progress:
                        progress(acc.n, n)
    return _assemble(setup, acc, seed, percentiles, time.perf_counter() - t0)


def kernel_choice(paths: int, days: int, fused: bool | None) -> bool | None:
    """``run_chunk``'s ``fused`` for a run of ``paths`` paths over ``days`` trading days: as
    given when not None; else None (the fused kernel when numba is installed and not switched
    off) when numba is already loaded in this process or the run has at least
    :data:`FUSED_MIN_PATH_DAYS` path-days; else False (numpy's kernel; numba is not loaded).

    Examples
    --------
    >>> kernel_choice(20_000, 376, None) is False or "numba" in sys.modules
    True
    >>> kernel_choice(1_000_000, 376, None) is None, kernel_choice(20_000, 376, True)
    (True, True)
    """
    if fused is not None:
        return fused
    if "numba" in sys.modules or paths * days >= FUSED_MIN_PATH_DAYS:
        return None
    return False


def value_deal(
    terms: DealTerms,
    *,
    model: ModelParams,
    behaviour: Behaviour | None = None,
    market: MarketData | None = None,
    start: DealStart | None = None,
    **options: Any,
) -> ValuationResult:
    """Value the deal's notes and warrants (from ``start``, the deal's state on the valuation
    date, when given): :func:`prepare_valuation` then
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
    setup = prepare_valuation(terms, model=model, behaviour=behaviour, market=market, start=start)
    return run_valuation(setup, **options)


@functools.lru_cache(maxsize=32)
def instrument_estimates(
    terms: DealTerms, model: ModelParams, behaviour: Behaviour, paths: int, seed: int,
    market: MarketData | None = None,
) -> dict[str, tuple[float, float]]:
    """(fair value, standard error) in USD of every instrument of the deal - each note, the
    ``warrants`` and the ``total`` - by lower-case name, from one simulation. Cached: the cells of
    a workbook that ask for each instrument with the same inputs share one run (``market``, the
    VWAPs before the valuation date, by identity: the cells' market cache hands the same object for
    the same ranges).

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
    >>> sorted(instrument_estimates(ASTI_2022, DEMO_MODEL, DEMO_BEHAVIOUR, 1000, 0))
    ['private', 'registered', 'total', 'warrants']
    """
    setup = prepare_valuation(terms, model=model, behaviour=behaviour, market=market)
    return instrument_estimates_of(setup, paths=paths, seed=seed)


def instrument_estimates_of(setup: ValuationSetup, *, paths: int, seed: int) -> dict[str, tuple[float, float]]:
    """:func:`instrument_estimates` of a prepared valuation (e.g. :func:`prepare_as_of`'s)."""
    r = run_valuation(setup, paths=paths, seed=seed, sample_paths=0)
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


_PER_PATH = ("warrant_value", "shares", "converted", "converted_interest", "converted_pik", "floor_paid", "interest_cash", "interest_pik",
             "principal_cash", "default_cash", "prepaid_cash")
_KEPT = ("shares", "floor_paid")


class _Accumulator:
    """The chunks' per-path results reduced as they arrive: per block of
    :data:`PATHS_PER_STREAM` paths, the count, sum and sum of squared deviations of every
    quantity, so the estimates do not depend on the chunk size and memory does not grow with
    the paths (the shares issued and floor payments of every path are kept for percentiles)."""

    def __init__(self, notes: int, *, keep_all: bool) -> None:
        self.notes = notes
        self.keep_all = keep_all
        self.n = 0
        self.blocks: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
        self.kept: dict[str, list[np.ndarray]] = {}
        self.sample: np.ndarray | None = None

    def add(self, chunk: ChunkResult) -> None:
        """Reduce one chunk (chunks arrive in path order)."""
        if self.sample is None:
            self.sample = chunk.sample
        values = {name: getattr(chunk, name) for name in _PER_PATH}
        for j in range(self.notes):
            values[f"value:{j}"] = chunk.note_values[j]
        values["total"] = chunk.note_values.sum(axis=0) + chunk.warrant_value
        values["binds"] = (chunk.floor_paid > 0).astype(float)
        size = len(chunk.shares)
        for name, x in values.items():
            self.blocks.setdefault(name, []).append(_block_moments(x))
            if self.keep_all or name in _KEPT:
                self.kept.setdefault(name, []).append(x.copy() if name in _KEPT else x)
        self.n += size

    def estimate(self, name: str) -> Estimate:
        """Mean and standard error of a quantity over every path."""
        count, total, m2 = (np.concatenate(parts) for parts in zip(*self.blocks[name], strict=True))
        n = count.sum()
        mean = total.sum() / n
        if n < 2:
            return Estimate(float(mean), 0.0)
        dev = total / count - mean
        var = (m2.sum() + (count * dev * dev).sum()) / (n - 1)
        return Estimate(float(mean), float(math.sqrt(max(var, 0.0)) / math.sqrt(n)))

    def per_path(self, names: Sequence[str]) -> dict[str, np.ndarray]:
        """Every path's numbers of the quantities kept."""
        return {name: np.concatenate(self.kept[name]) for name in names if name in self.kept}


def _block_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(count, sum, sum of squared deviations from the block mean) of every block of paths."""
    size = len(x)
    full = size // PATHS_PER_STREAM * PATHS_PER_STREAM
    parts = [x[:full].reshape(-1, PATHS_PER_STREAM)] if full else []
    counts = [np.full(full // PATHS_PER_STREAM, float(PATHS_PER_STREAM))] if full else []
    out_sum, out_m2 = [], []
    for blocks in parts:
        s = blocks.sum(axis=1)
        d = blocks - (s / PATHS_PER_STREAM)[:, None]
        out_sum.append(s)
        out_m2.append((d * d).sum(axis=1))
    if full < size:
        tail = x[full:]
        s = tail.sum()
        d = tail - s / len(tail)
        counts.append(np.array([float(len(tail))]))
        out_sum.append(np.array([s]))
        out_m2.append(np.array([(d * d).sum()]))
    return np.concatenate(counts), np.concatenate(out_sum), np.concatenate(out_m2)


def _assemble(setup: ValuationSetup, acc: _Accumulator, seed: int | None,
              percentiles: Sequence[float], elapsed: float) -> ValuationResult:
    terms, model, grid, c = setup.terms, setup.model, setup.grid, setup.contract
    n = acc.n
    kept = acc.per_path(_PER_PATH)
    per_path = dict(kept)
    values = acc.per_path([f"value:{j}" for j in range(len(c.notes))])
    for j, note in enumerate(c.notes):
        if f"value:{j}" in values:
            per_path[f"value:{note.name}"] = values[f"value:{j}"]
    estimates = {note.name: acc.estimate(f"value:{j}") for j, note in enumerate(c.notes)}
    notes = tuple(
        NoteValue(note.name, note.face, *(estimates[note.name].value, estimates[note.name].std_error)
                  if note.name in estimates else (0.0, 0.0), outstanding=note.principal + note.pik_principal)
        for note in setup.start.notes)
    warrants = acc.estimate("warrant_value") if c.warrant is not None else None
    closed = None
    if c.warrant is not None:
        w = c.warrant
        closed = w.shares * black_scholes_call(
            spot=model.spot, strike=w.strike,
            years=w.years,
            rate=model.rate, volatility=model.volatility)
    expected = {key: acc.estimate(key).value for key, _ in CASH_KINDS}
    expected["total"] = sum(expected.values())
    converted, interest, pik = (acc.estimate(key).value for key in ("converted", "converted_interest", "converted_pik"))
    p = acc.estimate("binds").value
    first = acc.sample
    assert first is not None
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
        total=acc.estimate("total"),
        shares_outstanding=c.shares_outstanding,
        shares_issued=Distribution.of(kept["shares"], percentiles),
        floor_payments=Distribution.of(kept["floor_paid"], percentiles),
        floor_probability=Estimate(p, math.sqrt(p * (1 - p) / n)),
        expected_cash=expected,
        expected_pik_interest=acc.estimate("interest_pik").value,
        expected_converted=converted,
        converted_parts={"interest": interest, "pik": pik, "principal": max(converted - interest - pik, 0.0)},
        fixed_price=c.fixed_price,
        floor_price=c.floor_price,
        sample_dates=grid.dates,
        sample_prices=first.T.copy(),
        per_path=per_path,
        inputs=valuation_inputs(setup, paths=n, seed=seed),
        assumptions=_assumptions(setup),
        elapsed=elapsed,
    )


MODEL_INPUTS = (
    ("spot", "USD/share"), ("volatility", "fraction/yr"), ("rate", "fraction/yr"),
    ("credit_spread", "fraction/yr"), ("vwap_noise", "fraction"), ("daily_volume", "shares/day"),
    ("volume_elasticity", "ratio"),
)
"""The model inputs every valuation reports, with their units."""


def valuation_inputs(setup: ValuationSetup, *, paths: int, seed: int | None) -> tuple[tuple[str, Any, str, str], ...]:
    """Every input the valuation used, as ``(name, value, unit, where it came from)``: the
    model's (spot, volatility, rate, spread, noise, volume), the run's (paths, seed) and the
    deal's state on the valuation date (shares, prices, each note's principal, PIK notes and
    accrued interest). A note's principal includes its private PIK notes (interest at the
    note's rate, valued as its principal), shown as ``NOTE.of_which_private_pik`` when there are
    any; ``NOTE.pik_notes`` are its registered PIK notes."""
    m, c, start = setup.model, setup.contract, setup.start
    closing = setup.terms.closing
    state = (f"deal state at the end of {start.as_of} ({start.events_applied} events)"
             if start.as_of != closing or start.events_applied else "the terms, as issued")
    rows: list[tuple[str, Any, str, str]] = [("valuation_date", setup.grid.valuation_date, "date", state)]
    for name, unit in MODEL_INPUTS:
        rows.append((name, getattr(m, name), unit, setup.sources.get(name, "model assumption")))
    if m.drift is not None:
        rows.append(("drift", m.drift, "fraction/yr", setup.sources.get("drift", "model assumption")))
    rows += [
        ("paths", paths, "paths", "run"),
        ("seed", seed, "", "run" if seed is not None else "given paths"),
        ("shares_outstanding", c.shares_outstanding, "shares",
         setup.sources.get("shares_outstanding", state) if m.shares_outstanding is not None else state),
        ("holder_shares", c.holder_shares, "shares", state),
        ("ownership_cap", c.ownership_cap, "fraction",
         "behaviour (ownership_cap)" if setup.behaviour.ownership_cap is not None else state),
        ("fixed_price", c.fixed_price, "USD/share", state),
        ("floor_price", c.floor_price, "USD/share", state),
        ("warrant_shares", start.warrant_shares, "shares", state),
        ("warrant_price", start.warrant_price, "USD/share", state),
    ]
    if c.cap_raise is not None:
        day, cap = c.cap_raise
        rows += [("ownership_cap_raised_to", cap, "fraction", state),  # the holder's notice, pending
                 ("ownership_cap_raised_from", setup.grid.dates[day].item(), "date", state)]
    for note in start.notes:
        rows += [
            (f"{note.name}.principal", note.principal, "USD", state),
        ]
        if note.private_pik:  # private PIK notes: at the note's rate, valued as its principal
            rows.append((f"{note.name}.of_which_private_pik", note.private_pik, "USD", state))
        rows += [
            (f"{note.name}.pik_notes", note.pik_principal, "USD", state),
            (f"{note.name}.accrued_interest", note.accrued, "USD", state),
        ]
    return tuple(rows)


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
    filled = setup.contract.history_filled
    if setup.history_assumed:
        out.append("VWAPs before the valuation date taken as the spot (no history given)")
    elif filled:
        days = setup.grid.calendar.sessions_before(setup.grid.dates[1], len(setup.contract.history))[:filled]
        out.append(f"VWAPs of the {filled} session{'s' if filled > 1 else ''} {day_text(days[0])}"
                   f"{f' to {day_text(days[-1])}' if filled > 1 else ''} taken as the spot: the look-back windows "
                   "of the first simulated day reach back before the VWAP data")
    if not m.risk_neutral:
        out.append("drift differs from the risk-free rate: values are expectations, not fair values")
    return tuple(out)


__all__ = [
    "AsOfSetup",
    "DEFAULT_CHUNK",
    "FUSED_MIN_PATH_DAYS",
    "KEEP_PER_PATH",
    "MODEL_INPUTS",
    "DEFAULT_PATHS",
    "Progress",
    "ValuationSetup",
    "instrument_estimates",
    "instrument_estimates_of",
    "kernel_choice",
    "prepare_as_of",
    "prepare_valuation",
    "run_valuation",
    "valuation_inputs",
    "value_deal",
]
