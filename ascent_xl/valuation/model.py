"""The market model of the valuation: share price paths on the deal's trading days.

- **Share price**: geometric Brownian motion, ``ln S`` moves by ``(mu - sigma**2 / 2) dt +
  sigma sqrt(dt) z`` from one trading day to the next, with ``dt`` the calendar time between the
  two sessions in years (ACT/365: a weekend is three days of variance). ``mu`` is the drift (the
  risk-free rate unless given: risk-neutral, for fair value).
- **VWAP**: the day's price times a mean-one lognormal noise, ``exp(nu z' - nu**2 / 2)``.
- **Volume**: shares traded per day ``daily_volume * (VWAP / spot) ** -volume_elasticity``: with
  elasticity 0 the share volume is constant, with 1 the dollar volume is constant (share volume
  rises as the price falls, as it does in these deals). Deterministic given the VWAP.
- **Discounting**: shares delivered are discounted at the risk-free rate, the company's cash
  payments at the rate plus the issuer's credit spread (continuously compounded, ACT/365).

Random numbers: paths are grouped in fixed blocks of :data:`PATHS_PER_STREAM`; block ``b`` of
seed ``s`` is ``PCG64(SeedSequence(s, spawn_key=(b,)))`` and draws a whole block's numbers every
day, even when fewer of its paths are simulated, so a path's numbers depend only on the seed and
the path's number: not on the total path count, nor on how the paths are cut into chunks or
spread over threads (``paths=200`` gives the first 200 paths of ``paths=2000``). Each trading day draws two float32 uniforms per
path, turned into two independent normals by the Box-Muller transform in float32 (about 2.5 times
faster than numpy's float64 ziggurat here; tails are cut at 5.8 standard deviations, a
probability of 1e-8). A block draws :data:`BATCH_DAYS` days of its stream at once, and on whole
days the batch's normals are computed at once: the same numbers as day by day, with fewer calls.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ascent_xl.calendar import TradingCalendar, as_day, day_text
from ascent_xl.errors import InputError, TermsError
from ascent_xl.terms import Terms, term

PATHS_PER_STREAM = 1024
"""Paths that share one random stream (a block); chunks are cut at multiples of it."""
BATCH_DAYS = 8
"""Trading days of random numbers a block draws at once (the same numbers as day by day)."""

_TWO_PI = np.float32(2.0 * math.pi)
_TWO_24 = np.uint32(1 << 24)
_TWO_M24 = np.float32(2.0**-24)
_TWO_PI_M24 = np.float32(float(_TWO_PI) * 2.0**-24)  # exact: a float32 times a power of 2
_MINUS_TWO = np.float32(-2.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelParams(Terms):
    """Market assumptions of a valuation: price process, VWAP noise, volume, discounting.

    These are model inputs, not deal terms; :mod:`ascent_xl.valuation.presets` holds the demo's.

    Examples
    --------
    >>> m = ModelParams(spot=2.0, volatility=0.8, rate=0.04, daily_volume=500_000)
    >>> m.growth, m.risk_neutral
    (0.04, True)
    """

    spot: float = term(unit="USD/share", doc="share price on the valuation date", gt=0, le=1e7)
    volatility: float = term(
        unit="fraction/yr", doc="annual volatility of the share price (1.0 = 100%)", ge=0, le=10,
        hint="100% a year is 1.0",
    )
    rate: float = term(
        unit="fraction/yr", doc="risk-free rate, continuously compounded", ge=-0.2, lt=1,
        hint="4% is 0.04",
    )
    daily_volume: float = term(unit="shares/day", doc="shares traded per day at the spot price", gt=0,
                               le=1e12)
    drift: float | None = term(
        unit="fraction/yr",
        doc="annual drift of the share price; blank: the risk-free rate (risk-neutral: fair value)",
        default=None,
        ge=-5,
        le=5,
    )
    credit_spread: float = term(
        unit="fraction/yr",
        doc="issuer's credit spread over the rate for discounting the company's cash payments",
        default=0.0,
        ge=0,
        lt=5,
    )
    vwap_noise: float = term(
        unit="fraction",
        doc="daily standard deviation of ln(VWAP / price); 0: the VWAP is the day's price",
        default=0.0,
        ge=0,
        le=1,
    )
    volume_elasticity: float = term(
        unit="ratio",
        doc="share volume scales as (VWAP / spot) ** -elasticity; 1 keeps dollar volume constant",
        default=0.0,
        ge=0,
        le=5,
    )
    valuation_date: dt.date | None = term(
        unit="date", doc="valuation date, a trading day (blank: the notes' issue date)", default=None
    )
    shares_outstanding: int | None = term(
        unit="shares", doc="shares outstanding on the valuation date (blank: the deal's)",
        default=None, ge=1,
    )
    history: tuple[float, ...] = term(
        unit="USD/share",
        doc="VWAPs of the trading days up to the valuation date, oldest first (blank: the spot "
        "on every earlier day)",
        default=(),
    )

    def _check_consistency(self) -> None:
        bad = [v for v in self.history if not (v > 0 and math.isfinite(v))]
        if bad:
            raise TermsError("history", f"{bad[0]!r} is not a price; every VWAP must be positive")

    @property
    def growth(self) -> float:
        """The drift used for the paths: ``drift``, or the risk-free rate when blank."""
        return self.rate if self.drift is None else self.drift

    @property
    def risk_neutral(self) -> bool:
        """True when the paths grow at the risk-free rate, so that values are fair values."""
        return self.growth == self.rate


# ---------------------------------------------------------------------------------------------
# time grid


@dataclass(frozen=True, slots=True, eq=False)
class TimeGrid:
    """Trading days of a valuation. Day 0 is the valuation date, days 1..T the sessions after it.

    Attributes
    ----------
    dates:
        ``datetime64[D]`` of days 0..T.
    years:
        Years (ACT/365) from the valuation date to each day.
    step:
        Years from the day before to each day (``step[0] = 0``).
    df_equity, df_cash:
        Discount factors of each day: ``exp(-rate * years)`` for shares delivered and
        ``exp(-(rate + credit_spread) * years)`` for the company's cash payments.
    """

    calendar: TradingCalendar
    dates: np.ndarray
    years: np.ndarray
    step: np.ndarray
    df_equity: np.ndarray
    df_cash: np.ndarray

    @property
    def days(self) -> int:
        """Number of simulated trading days T."""
        return len(self.dates) - 1

    @property
    def valuation_date(self) -> dt.date:
        """Day 0."""
        return self.dates[0].item()

    def day_of(self, date: dt.date | np.datetime64 | str, what: str) -> int:
        """Index of the first session on or after ``date`` (where a payment due on ``date`` is
        made); an :class:`InputError` naming ``what`` when it is not after the valuation date or
        beyond the last day."""
        d = as_day(date)
        if d <= self.dates[0]:
            raise InputError(
                f"{what} {day_text(d)} is not after the valuation date {day_text(self.dates[0])}"
            )
        i = int(np.searchsorted(self.dates, d, side="left"))
        if i > self.days:
            raise InputError(
                f"{what} {day_text(d)} is after the last day of the valuation "
                f"{day_text(self.dates[-1])} (the notes' maturity)"
            )
        return i


def time_grid(
    *,
    calendar: TradingCalendar,
    valuation_date: dt.date | np.datetime64 | str,
    horizon: dt.date | np.datetime64 | str,
    rate: float,
    credit_spread: float,
    closed_ok: bool = False,
) -> TimeGrid:
    """The trading days from ``valuation_date`` (a session; with ``closed_ok`` any day, then day
    0 is that day and day 1 the next session) to the first session on or after ``horizon``, with
    year fractions and discount factors.

    Examples
    --------
    >>> from ascent_xl.calendar import trading_calendar
    >>> g = time_grid(calendar=trading_calendar("XNAS"), valuation_date="2022-12-19",
    ...               horizon="2024-06-19", rate=0.04, credit_spread=0.1)
    >>> g.days, str(g.dates[-1])
    (376, '2024-06-20')
    """
    v = as_day(valuation_date)
    calendar.check_range(v, "valuation date")
    closed = not calendar.is_session(v)
    if closed and not closed_ok:
        raise InputError(
            f"valuation date {day_text(v)} is not a {calendar.name} trading day; use the last "
            f"trading day before it, {day_text(calendar.on_or_before(v))}"
        )
    end = calendar.on_or_after(horizon)
    if end <= v:
        raise InputError(f"nothing to value: the notes mature on or before {day_text(v)}")
    dates = calendar.sessions_between(v, end)
    if closed:  # a valuation at the end of a day the market was closed (a quarter end)
        dates = np.concatenate(([v], dates[dates > v]))
    days = (dates - dates[0]).astype(np.int64)
    years = days / 365.0
    step = np.concatenate(([0.0], np.diff(years)))
    return TimeGrid(
        calendar=calendar,
        dates=dates,
        years=years,
        step=step,
        df_equity=np.exp(-rate * years),
        df_cash=np.exp(-(rate + credit_spread) * years),
    )


# ---------------------------------------------------------------------------------------------
# path sources: what the kernel reads each day


class PathSource(Protocol):
    """One chunk of ``n`` paths, advanced a trading day at a time.

    After :meth:`advance` for day ``t``, ``vwap`` and ``volume`` hold that day's VWAP (USD/share)
    and share volume of the paths in ``live`` (all paths when None), in that order;
    :meth:`price` gives the day's share price of every path.
    """

    n: int
    vwap: np.ndarray
    volume: np.ndarray

    def advance(self, t: int, live: np.ndarray | None = None) -> None:
        """Move every path to day ``t`` (called for t = 1, 2, ... in order)."""

    def price(self, first: int | None = None) -> np.ndarray:
        """Share price of the first ``first`` paths (all when None) on the current day, USD/share."""

    def leave(self, t: int, which: np.ndarray) -> None:
        """The paths ``which`` (indices into the chunk) read no VWAP after day ``t`` (their notes
        are settled): only their price on a later day may still be asked (the warrants')."""

    def keep_daily(self, first: int) -> None:
        """:meth:`sample_price` will be asked for the first ``first`` paths."""

    def sample_price(self, first: int) -> np.ndarray:
        """The day's price of the first ``first`` paths as simulated day by day (for charts)."""

    def compile_with(self, compiled: Any) -> None:
        """Run the day's arithmetic by ``compiled`` (:mod:`ascent_xl.valuation.fused`, or None:
        numpy), the same numbers bit for bit (the fused kernel asks it)."""


class SimulatedPaths:
    """GBM paths with VWAP noise and the volume model for paths ``first .. first + n - 1`` of a
    run with ``seed`` (``first`` a multiple of :data:`PATHS_PER_STREAM`).

    The VWAP and volume are computed for the ``live`` paths only, from the same random numbers,
    so a path's numbers do not depend on which other paths are live. A path that has left
    (:meth:`leave` on day ``l``: its notes are settled, only the warrants still read its price)
    has its price on a later day ``t`` drawn in one step, exactly in law:
    ``ln S_t = ln S_l + (mu - sigma**2 / 2)(y_t - y_l) + sigma sqrt(y_t - y_l) Z`` with ``Z`` the
    path's own standard normal (stream ``SeedSequence(seed, spawn_key=(block, 0))``, one normal
    per path of the block, drawn once); so a path's price depends only on the seed, its number and
    its own leaving day. On a day when fewer than half the paths are live, only the paths whose
    price still moves (live, not left, or kept by :meth:`keep_daily` for charts) are computed,
    and only their blocks draw: the numbers are the same bit for bit as on a whole day.
    """

    def __init__(self, model: ModelParams, grid: TimeGrid, *, seed: int, first: int, n: int) -> None:
        if first % PATHS_PER_STREAM:
            raise InputError(f"first path {first} must be a multiple of {PATHS_PER_STREAM}")
        self.n = n
        self._streams = []
        for off in range(0, n, PATHS_PER_STREAM):
            block = (first + off) // PATHS_PER_STREAM
            gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
            self._streams.append((gen, off, off + PATHS_PER_STREAM))  # a whole block, always
        sigma, nu = model.volatility, model.vwap_noise
        self._shock = sigma * np.sqrt(grid.step)
        self._trend = (model.growth - 0.5 * sigma * sigma) * grid.step
        self._nu = nu
        self._nu_shift = -0.5 * nu * nu
        self._elasticity = model.volume_elasticity
        self._log_volume0 = math.log(model.daily_volume) + model.volume_elasticity * math.log(model.spot)
        self._volume0 = float(model.daily_volume)
        self.log_price = np.full(n, math.log(model.spot))  # day 0: the spot
        blocks = len(self._streams)
        self._years = grid.years
        self._sigma, self._drift = sigma, model.growth - 0.5 * sigma * sigma
        self._one_step = np.concatenate([
            np.random.Generator(np.random.PCG64(np.random.SeedSequence(
                seed, spawn_key=((first + off) // PATHS_PER_STREAM, 0)))).standard_normal(PATHS_PER_STREAM)
            for _, off, _ in self._streams])[:n] if n else np.empty(0)
        self._left_day = np.full(n, -1)  # the day each path left (-1: it has not)
        self._left_log = np.zeros(n)  # its log price that day
        self._left_count = 0
        self._needed_key: tuple | None = None
        self._needed_cache: tuple = ()
        self._daily = 0
        self._t = 0
        # a block's day: 1,024 raw 64-bit draws = 2,048 32-bit halves, low half first, which
        # are the 2,048 float32 uniforms Generator.random would draw (u1 of the block, then u2);
        # drawn BATCH_DAYS days at a time (a stream's numbers in order, so the same numbers), and
        # on whole days the batch's normals are computed at once (elementwise: the same numbers)
        D = BATCH_DAYS
        self._raw = np.empty((D, blocks, PATHS_PER_STREAM), np.uint64)
        self._halves = self._raw.view(np.uint32).reshape(D, blocks, 2, PATHS_PER_STREAM)
        self._bits1, self._bits2 = self._halves[:, :, 0], self._halves[:, :, 1]
        self._int = np.empty((D, blocks, PATHS_PER_STREAM), np.uint32)
        self._radius = np.empty((D, blocks * PATHS_PER_STREAM), np.float32)
        self._angle = np.empty((D, blocks * PATHS_PER_STREAM), np.float32)
        self._z1 = np.empty((D, blocks * PATHS_PER_STREAM), np.float32)
        self._z2 = np.empty((D, blocks * PATHS_PER_STREAM), np.float32)
        self._batch = 0  # the first day of the batch drawn (0: none yet)
        self._batch_normals = False  # the batch's normals of every path are in _z1, _z2
        self._f32 = np.empty(n, np.float32)
        self._x = np.empty(n)
        self._vwap = np.empty(n)
        self._volume = np.empty(n)
        self.vwap = self._vwap
        self.volume = self._volume
        self._compiled: Any = None
        self._all = np.empty(0, np.int64)

    def compile_with(self, compiled: Any) -> None:
        """The day's prices, log VWAPs and log volumes (not the random numbers, the normals'
        logarithms and trigonometry nor the exponentials, which stay numpy's) by ``compiled``'s
        ``move`` and ``log_vwap``: one pass instead of about ten, the same numbers."""
        self._compiled = compiled

    def advance(self, t: int, live: np.ndarray | None = None) -> None:
        """Draw day ``t``: two uniforms per path, Box-Muller normals, price; VWAP and volume of
        the ``live`` paths."""
        self._t = t
        few = live is not None and 2 * len(live) < self.n
        d = t - self._batch
        if not self._batch or d >= BATCH_DAYS:
            blocks = self._needed(live)[1] if live is not None and few else range(len(self._streams))
            self._draw(t, blocks, whole=not few)
            d = 0
        if live is not None and few:
            self._advance_some(t, live, d)
            return
        n = self.n
        c = self._compiled
        if c is not None:
            c.move(c.EVERY, self.log_price, self._z1[d, :n], self._all, self._shock[t], self._trend[t])
            self._compiled_vwap(c.EVERY if live is None else c.BY_PATH, self._z2[d, :n],
                                self._all if live is None else live)
            return
        x = self._x
        np.multiply(self._z1[d, :n], self._shock[t], out=x, dtype=np.float64)
        x += self._trend[t]
        self.log_price += x
        m = n if live is None else len(live)
        x = self._x[:m]
        if live is None:
            if self._nu:
                y = self._vwap[:m]
                np.multiply(self._z2[d, :n], self._nu, out=y, dtype=np.float64)
                y += self._nu_shift
                np.add(self.log_price, y, out=x)
            else:
                x[:] = self.log_price
        else:
            np.take(self.log_price, live, out=x)
            if self._nu:
                f = np.take(self._z2[d, :n], live, out=self._f32[:m])
                y = self._vwap[:m]
                np.multiply(f, self._nu, out=y, dtype=np.float64)
                y += self._nu_shift
                x += y
        self._vwap_volume(x, m)

    def _draw(self, t: int, blocks: Iterable[int], *, whole: bool) -> None:
        """Days ``t .. t + BATCH_DAYS - 1`` of the streams of ``blocks`` (the other blocks' paths
        have all left: their streams are read by no one any more); with ``whole``, the normals
        of every path on those days."""
        D, raw, streams = BATCH_DAYS, self._raw, self._streams
        for b in blocks:
            raw[:, b] = streams[b][0].bit_generator.random_raw(D * PATHS_PER_STREAM).reshape(D, -1)
        self._batch = t
        self._batch_normals = whole
        if not whole:
            return
        # Generator.random(float32) is (bits >> 8) / 2**24; 1 - u1 = (2**24 - (bits >> 8)) / 2**24
        # (in (0, 1]: the logarithm is finite) and 2 pi u2 = (bits >> 8) * (2 pi / 2**24), both
        # exactly as computed from the float32 uniforms (a power of 2 scales without rounding)
        # (with the compiled copy, the integer steps and the float32 products compiled: the same
        # numbers; the logarithm, cosine and sine are numpy's either way)
        i, r, u2, c = self._int, self._radius, self._angle, self._compiled
        if c is not None:
            c.uniforms(self._halves, r, u2, _TWO_M24, _TWO_PI_M24)
        else:
            np.right_shift(self._bits1, 8, out=i)
            np.subtract(_TWO_24, i, out=i)
            np.multiply(i.reshape(D, -1), _TWO_M24, out=r, dtype=np.float32, casting="unsafe")
            np.right_shift(self._bits2, 8, out=i)
            np.multiply(i.reshape(D, -1), _TWO_PI_M24, out=u2, dtype=np.float32, casting="unsafe")
        np.log(r, out=r)
        np.cos(u2, out=self._z1)
        if self._nu:
            np.sin(u2, out=self._z2)
        if c is not None:
            c.normals(r.reshape(-1), self._z1.reshape(-1), self._z2.reshape(-1), bool(self._nu))
            return
        np.multiply(r, _MINUS_TWO, out=r)
        np.sqrt(r, out=r)
        self._z1 *= r
        if self._nu:
            self._z2 *= r

    def _compiled_vwap(self, mode: int, z: np.ndarray, live: np.ndarray) -> None:
        """VWAP and volume of the live paths (``live``, or every path) by the compiled
        ``log_vwap`` and numpy's exponential."""
        m = self.n if mode == self._compiled.EVERY else len(live)
        self._compiled.log_vwap(mode, self.log_price, z, live, self._nu, self._nu_shift, -self._elasticity,
                                self._log_volume0, self._x, self._volume)
        self._vwap_volume(self._x[:m], m, log_volume=True)

    def _vwap_volume(self, x: np.ndarray, m: int, *, log_volume: bool = False) -> None:
        """VWAP and volume of the ``m`` live paths from their log VWAP ``x`` (``log_volume``:
        their log volume is already in the volume's buffer)."""
        self.vwap = self._vwap[:m]
        self.volume = self._volume[:m]
        if not m:
            return
        np.exp(x, out=self.vwap)
        if self._elasticity and log_volume:
            np.exp(self.volume, out=self.volume)
        elif self._elasticity:
            np.multiply(x, -self._elasticity, out=self.volume)
            self.volume += self._log_volume0
            np.exp(self.volume, out=self.volume)
        else:
            self.volume.fill(self._volume0)

    def price(self, first: int | None = None) -> np.ndarray:
        """Share price of the first ``first`` paths (all when None) on the current day, USD/share:
        drawn in one step from its leaving day for a path that has left."""
        log = self.log_price[:first].copy()
        left = np.flatnonzero(self._left_day[:first] >= 0)
        if len(left):
            log[left] = self.log_price_after(left, self._left_day[left], self._left_log[left], self._t)
        return np.exp(log)

    def log_price_after(self, which: np.ndarray, day: np.ndarray, log: np.ndarray, t: int) -> np.ndarray:
        """Log price on day ``t`` of the paths ``which`` from their log price ``log`` on ``day``
        (``day <= t``), in one step with each path's own normal."""
        dy = self._years[t] - self._years[day]
        return log + self._drift * dy + self._sigma * np.sqrt(dy) * self._one_step[which]

    def leave(self, t: int, which: np.ndarray) -> None:
        """The paths ``which`` read no VWAP after day ``t``: their later prices in one step."""
        new = which[self._left_day[which] < 0]
        self._left_day[new] = t
        self._left_log[new] = self.log_price[new]
        self._left_count += len(new)

    def keep_daily(self, first: int) -> None:
        """Keep the day-by-day price of the first ``first`` paths for :meth:`sample_price`."""
        self._daily = min(first, self.n)

    def sample_price(self, first: int) -> np.ndarray:
        """The day's price of the first ``first`` paths (at most :meth:`keep_daily`'s) as
        simulated day by day, also after they left (for charts)."""
        return np.exp(self.log_price[:first])

    def _needed(self, live: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The paths whose price moves today (``live``, those that have not left, the kept
        ones), sorted; their blocks; their u1 positions in the raw draws viewed as uint32; the
        positions of ``live`` among them. Kept until ``live`` or the paths left change."""
        key = (live, self._left_count)
        if self._needed_key is None or self._needed_key[0] is not key[0] or self._needed_key[1] != key[1]:
            moves = self._left_day < 0
            moves[live] = True
            moves[:self._daily] = True
            need = np.flatnonzero(moves)
            blocks = np.flatnonzero(np.bincount(need // PATHS_PER_STREAM, minlength=len(self._streams)))
            u1_at = need + (need // PATHS_PER_STREAM) * PATHS_PER_STREAM
            self._needed_key = key
            self._needed_cache = (need, blocks, u1_at, np.searchsorted(need, live))
        return self._needed_cache

    def _advance_some(self, t: int, live: np.ndarray, d: int) -> None:
        """Day ``t`` (day ``d`` of the batch drawn) for a few paths: the blocks that hold a path
        whose price moves today drew their day (the others' streams are read by no one any
        more: their paths have left), and the normals, prices, VWAPs and volumes are those of
        those paths only, by the same element-wise operations as a whole day (so the same
        numbers bit for bit)."""
        need, _, u1_at, live_at = self._needed(live)
        m = len(live)
        if not len(need):  # every path has left and none is kept for the charts
            self._vwap_volume(self._x[:0], 0)
            return
        vwaps = self._nu and m  # the VWAP noise of the live paths (none: only kept paths move)
        c = self._compiled
        if self._batch_normals and c is not None:
            c.move(c.BY_PATH, self.log_price, self._z1[d], need, self._shock[t], self._trend[t])
            self._compiled_vwap(c.BY_PATH, self._z2[d], live)
            return
        if self._batch_normals:  # this batch began on a whole day: its normals are there
            f = self._z1[d].take(need)
            z2 = self._z2[d].take(live) if vwaps else None
        else:  # the steps of _draw for these paths (compiled or not, as there)
            bits = self._raw[d].reshape(-1).view(np.uint32)
            if c is not None:
                r = np.empty(len(need), np.float32)
                u2 = np.empty(len(need), np.float32)
                c.uniforms_at(bits, u1_at, PATHS_PER_STREAM, r, u2, _TWO_M24, _TWO_PI_M24)
            else:
                i = np.right_shift(bits.take(u1_at), 8)
                np.subtract(_TWO_24, i, out=i)
                r = np.multiply(i, _TWO_M24, dtype=np.float32, casting="unsafe")
                np.right_shift(bits.take(u1_at + PATHS_PER_STREAM), 8, out=i)
                u2 = np.multiply(i, _TWO_PI_M24, dtype=np.float32, casting="unsafe")
            np.log(r, out=r)
            f = np.cos(u2)
            if c is not None:
                c.normals(r, f, f, False)  # r: the radius from here
            else:
                np.multiply(r, _MINUS_TWO, out=r)
                np.sqrt(r, out=r)
                np.multiply(f, r, out=f)
            z2 = None
            if vwaps:
                z2 = np.sin(u2.take(live_at))
                z2 *= r.take(live_at)
        if c is not None:  # (a batch of normals drawn on a whole day went by path, above)
            c.move(c.IN_ORDER, self.log_price, f, need, self._shock[t], self._trend[t])
            self._compiled_vwap(c.IN_ORDER, f if z2 is None else z2, live)
            return
        x = np.multiply(f, self._shock[t], dtype=np.float64)
        x += self._trend[t]
        lp = self.log_price.take(need)
        lp += x
        self.log_price[need] = lp
        x = self._x[:m]
        if m:
            np.take(lp, live_at, out=x)
        if z2 is not None:
            y = self._vwap[:m]
            np.multiply(z2, self._nu, out=y, dtype=np.float64)
            y += self._nu_shift
            x += y
        self._vwap_volume(x, m)


class GivenPaths:
    """Paths given as VWAPs (e.g. a deterministic path): the price is the VWAP, the volume comes
    from the volume model.

    ``vwaps`` has shape ``(n, T)`` or ``(T,)``: the VWAP of days 1..T of each path.
    """

    def __init__(self, model: ModelParams, grid: TimeGrid, vwaps: np.ndarray) -> None:
        v = np.atleast_2d(np.asarray(vwaps, dtype=float))
        if v.shape[1] != grid.days:
            raise InputError(
                f"vwap_paths has {v.shape[1]} days per path; the valuation needs {grid.days} "
                f"(the trading days after {day_text(grid.dates[0])} to {day_text(grid.dates[-1])})"
            )
        if not (np.isfinite(v).all() and (v > 0).all()):
            raise InputError("vwap_paths: every VWAP must be a positive number")
        self.n = v.shape[0]
        self._rows = np.ascontiguousarray(v.T)
        self._model = model
        self._t = 0
        self.vwap = np.empty(self.n)
        self.volume = np.empty(self.n)

    def advance(self, t: int, live: np.ndarray | None = None) -> None:
        """Day ``t``'s VWAPs of the ``live`` paths; volume from the volume model."""
        self._t = t
        row = self._rows[t - 1]
        self.vwap = row.copy() if live is None else row[live]
        self.volume = volume_at(self._model, self.vwap)

    def price(self, first: int | None = None) -> np.ndarray:
        """The given VWAP of the first ``first`` paths (all when None): given paths have no noise;
        on day 0, the spot."""
        if self._t == 0:
            return np.full(self.n if first is None else min(first, self.n), self._model.spot)
        return self._rows[self._t - 1][:first].copy()

    def leave(self, t: int, which: np.ndarray) -> None:
        """Given paths are given on every day: nothing to do."""

    def keep_daily(self, first: int) -> None:
        """Given paths are given on every day: nothing to do."""

    def sample_price(self, first: int) -> np.ndarray:
        """The given VWAP of the first ``first`` paths."""
        return self.price(first)

    def compile_with(self, compiled: Any) -> None:
        """Given paths compute nothing: nothing to do."""


def volume_at(model: ModelParams, vwap: np.ndarray) -> np.ndarray:
    """Share volume the model gives at ``vwap``: ``daily_volume * (vwap / spot) ** -elasticity``,
    computed as ``exp(ln daily_volume + e ln spot - e ln vwap)`` like the simulation."""
    e = model.volume_elasticity
    v = np.asarray(vwap, dtype=float)
    if not e:
        return np.full(v.shape, float(model.daily_volume))
    return np.exp(np.log(v) * -e + (math.log(model.daily_volume) + e * math.log(model.spot)))


__all__ = [
    "PATHS_PER_STREAM",
    "GivenPaths",
    "ModelParams",
    "PathSource",
    "SimulatedPaths",
    "TimeGrid",
    "time_grid",
    "volume_at",
]
