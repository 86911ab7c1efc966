"""BASELINE FOR THE BENCHMARK ONLY: a frozen copy of the Monte Carlo kernel as it was before issue 15.

``benchmarks/bench_valuation.py`` runs this copy and the package's kernel in the same process, on
the same paths, and reports the ratio of their times; it also checks that both give the same
numbers. Copied from ``ascent_xl/valuation/montecarlo.py`` (``run_chunk`` and its helpers) and
``ascent_xl/valuation/model.py`` (``SimulatedPaths``) at commit 0e3b249 (it imports only the
contract and model types). Do not edit: it is the yardstick, not code that runs for a user.
One exception, a rule and not a speed change: interest is paid by the package's own
``montecarlo._pay_interest`` (imported, not copied), which follows the PIK rule fixed in dd471de
(registered PIK notes only when the equity conditions hold, else the fallback; PIK bears
interest from its nominal date), so that both kernels still give the same numbers; it runs on
the interest days only (7 of 376).

The original module docstring follows.

The vectorised Monte Carlo kernel: one loop over trading days, numpy operations across paths.

:func:`run_chunk` applies the rules of :mod:`ascent_xl.valuation.behaviour` to a chunk of paths,
day by day, with in-place array operations on preallocated buffers (no per-path Python code), and
returns per-path results: the discounted value of each note and of the warrants, shares issued,
cash paid by kind. :mod:`ascent_xl.valuation.baseline` is the same model written as a per-path
loop; on the same paths the two give identical numbers (a test checks it).

Conventions of the kernel (the deal's pricing rules, as in :mod:`ascent_xl.pricing`):

- alternate price = ``(1 - discount) ×`` the mean of the ``lowest`` lowest VWAPs of the ``days``
  trading days strictly before the notice date; conversion price = the lower of the fixed and the
  alternate price, at least the floor;
- shares = amount / conversion price, rounded by the terms' rule after rounding to 6 decimals;
- floor payment = ``(amount / unfloored − amount / floor) × VWAP`` (unrounded shares), paid only
  under floor_mode make_up (``Contract.floor_cash``); floor_mode none is a floor of 0;
- ownership cap: new shares at most ``(cap × outstanding − holder's shares) / (1 − cap)``,
  rounded down, for the day's conversions of all notes together (each note's conversion is cut
  to the room the earlier ones left, as the ledger sizes each conversion on its own);
- each note converts at its own fixed price and floor (notes with the same prices share one
  computation); the holder converts when the note priced best for it pays, notes in order;
- shares delivered are worth the day's VWAP and discounted at the risk-free rate; the company's
  cash payments (interest, floor payments, repayment, default amount, prepayments) at the rate
  plus the credit spread. Amounts are not rounded to the cent inside the simulation.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from ascent_xl.errors import InputError
from ascent_xl.valuation.contract import CONDITIONAL_RULES, Contract, NotePlan, PrepaymentPlan
from ascent_xl.valuation.model import PATHS_PER_STREAM, ModelParams, PathSource, TimeGrid
from ascent_xl.valuation.montecarlo import _pay_interest
from ascent_xl.valuation.warrants import black_scholes_call

_INF = np.inf

_TWO_PI = np.float32(2.0 * math.pi)
_ONE = np.float32(1.0)
_MINUS_TWO = np.float32(-2.0)


class LowestSum:
    """Sum of the ``k`` lowest of the last ``w`` values of every path, one day at a time.

    Blocks of ``w`` consecutive days: the window ending today is the tail of the last complete
    block plus the head of the current one. The sorted ``k`` lowest of every tail are computed
    once per block, the ``k`` lowest of the head are kept up to date by insertion, and the two
    sorted lists merge in ``k**2`` elementwise operations, about 20 per day for 3 of 10 instead
    of 40 for an insertion into every window. Only ``min``/``max`` are used, so the result is
    exactly the sum, in ascending order, of the values a sort would select.

    ``history`` (shape ``(w,)`` or ``(w, n)``) holds the last ``w`` values before the first
    :meth:`push`.
    """

    def __init__(self, history: np.ndarray, *, k: int, n: int) -> None:
        w = len(history)
        self.w, self.k = w, k
        self._block = np.empty((w, n))
        self._block[:] = np.asarray(history, dtype=float).reshape(w, -1)
        self._tails = np.empty((w, k, n))
        self._head = np.full((k, n), _INF)
        self._size = 0
        self._tmp = np.empty(n)
        self._tmp2 = np.empty(n)
        self._complete()

    def push(self, values: np.ndarray) -> None:
        """Add today's values (after :meth:`sum_into` read the window that excludes them)."""
        r = self._size
        self._block[r] = values
        head = self._head
        if r == 0:
            head[0] = values
            head[1:] = _INF
        else:
            _insert(head, values, self._tmp)
        self._size = r + 1
        if self._size == self.w:
            self._complete()
            self._size = 0

    def sum_into(self, out: np.ndarray) -> None:
        """``out`` = sum of the ``k`` lowest of the window, smallest first."""
        x = self._tails[self._size]
        if self._size == 0:  # the window is the last complete block
            np.copyto(out, x[0])
            for m in range(1, self.k):
                out += x[m]
            return
        y, tmp, tmp2 = self._head, self._tmp, self._tmp2
        for m in range(self.k):  # the (m+1)-th lowest of the merge
            np.minimum(x[m], y[m], out=tmp)
            for i in range(m):
                np.maximum(x[i], y[m - 1 - i], out=tmp2)
                np.minimum(tmp, tmp2, out=tmp)
            if m == 0:
                np.copyto(out, tmp)
            else:
                out += tmp

    def keep(self, alive: np.ndarray) -> None:
        """Keep the paths at the indices ``alive`` (the others have settled)."""
        self._block = self._block.take(alive, axis=1)
        self._tails = self._tails.take(alive, axis=2)
        self._head = self._head.take(alive, axis=1)
        self._tmp = np.empty(len(alive))
        self._tmp2 = np.empty(len(alive))

    def _complete(self) -> None:
        """Sorted ``k`` lowest of every tail of the block just completed."""
        tails, block = self._tails, self._block
        last = self.w - 1
        tails[last, 0] = block[last]
        tails[last, 1:] = _INF
        for p in range(last - 1, -1, -1):
            tails[p] = tails[p + 1]
            _insert(tails[p], block[p], self._tmp)


def _insert(lowest: np.ndarray, x: np.ndarray, tmp: np.ndarray) -> None:
    """Insert ``x`` into the sorted rows ``lowest`` (k, n), keeping the k smallest."""
    for m in range(len(lowest) - 1, 0, -1):
        np.maximum(lowest[m - 1], x, out=tmp)
        np.minimum(lowest[m], tmp, out=lowest[m])
    np.minimum(lowest[0], x, out=lowest[0])


class _Recent:
    """The last ``size`` rows pushed (a ring buffer, starting with the end of ``history``)."""

    def __init__(self, history: np.ndarray, size: int, n: int) -> None:
        self._rows = np.empty((size, n))
        self._rows[:] = np.asarray(history[-size:], dtype=float).reshape(size, -1)
        self._next = 0

    def push(self, row: np.ndarray) -> None:
        """Replace the oldest row with ``row``."""
        self._rows[self._next] = row
        self._next = (self._next + 1) % len(self._rows)

    def rows(self) -> np.ndarray:
        """The rows, in no particular order (their users sort them or count them)."""
        return self._rows

    def keep(self, alive: np.ndarray) -> None:
        """Keep the paths at the indices ``alive``."""
        self._rows = self._rows.take(alive, axis=1)


@dataclass(frozen=True, slots=True, eq=False)
class ChunkResult:
    """Per-path results of one chunk. Values discounted to the valuation date (USD); cash and
    shares undiscounted totals over the paths' lives."""

    note_values: np.ndarray  # (notes, n)
    warrant_value: np.ndarray
    shares: np.ndarray  # conversion shares issued
    converted: np.ndarray  # principal converted, USD
    floor_paid: np.ndarray
    interest_cash: np.ndarray
    interest_pik: np.ndarray
    principal_cash: np.ndarray  # repaid at maturity
    default_cash: np.ndarray
    prepaid_cash: np.ndarray
    sample: np.ndarray  # (T + 1, k) share prices of the first k paths, day 0 first


_TOTALS = ("converted", "floor_paid", "interest_cash", "interest_pik", "principal_cash",
           "default_cash", "prepaid_cash")
COMPACT_EVERY = 8
"""Days between checks for paths whose notes are settled (they leave the day loop)."""


class _State:
    """Per-path state of the paths still live (notes outstanding), and the chunk's results.

    Arrays of the live paths are cut down when enough paths have settled: a settled path's
    totals are final, so they are written to the chunk's results and the path leaves the loop
    (only the warrants still read its price, from the path source).
    """

    def __init__(self, c: Contract, n: int) -> None:
        J = len(c.notes)
        self.idx = np.arange(n)
        self.P = np.array([np.full(n, float(note.principal)) for note in c.notes]).reshape(J, n)
        self.K = np.array([np.full(n, float(note.pik_principal)) for note in c.notes]).reshape(J, n)
        self.AI = np.array([np.full(n, float(note.accrued)) for note in c.notes]).reshape(J, n)
        self.NI = np.zeros((J, n))
        self.value = np.zeros((J, n))
        self.O = np.full(n, float(c.shares_outstanding))
        self.H = np.full(n, float(c.holder_shares))
        self.fixed = np.array([np.full(n, fixed) for fixed, _ in price_groups(c)[0]])  # (groups, n)
        self.totals = {name: np.zeros(n) for name in _TOTALS}
        self.final_value = np.zeros((J, n))
        self.final_O = np.full(n, float(c.shares_outstanding))
        self.final_totals = {name: np.zeros(n) for name in _TOTALS}

    @property
    def n(self) -> int:
        return len(self.idx)

    def owed(self) -> np.ndarray:
        """Principal, PIK notes and interest still owed on each live path."""
        return self.P.sum(axis=0) + self.K.sum(axis=0) + self.AI.sum(axis=0) + self.NI.sum(axis=0)

    def flush(self, which: np.ndarray) -> None:
        """Write the results of the live paths selected by ``which`` to the chunk's results."""
        where = self.idx[which]
        self.final_value[:, where] = self.value[:, which]
        self.final_O[where] = self.O[which]
        for name in _TOTALS:
            self.final_totals[name][where] = self.totals[name][which]

    def keep(self, alive: np.ndarray) -> None:
        """Keep the live paths at the indices ``alive`` (after :meth:`flush` of the others)."""
        self.idx = self.idx[alive]
        for name in ("P", "K", "AI", "NI", "value"):
            setattr(self, name, getattr(self, name).take(alive, axis=1))
        for name in ("O", "H"):
            setattr(self, name, getattr(self, name).take(alive))
        self.fixed = self.fixed.take(alive, axis=1)
        self.totals = {k: v.take(alive) for k, v in self.totals.items()}


def run_chunk(contract: Contract, grid: TimeGrid, source: PathSource, *, sample: int = 0) -> ChunkResult:
    """Value one chunk of paths. ``sample`` price paths (the first ones) are kept for charts.

    The work per trading day is a fixed sequence of array operations over the chunk's live
    paths; the rare days (interest, default, prepayment, maturity) add a few more. Every
    :data:`COMPACT_EVERY` days, paths whose notes are settled leave the loop.
    """
    c, T = contract, grid.days
    n_all = source.n
    notes, J = contract.notes, len(contract.notes)
    has_k = [note.pik_notes for note in notes]
    st = _State(c, n_all)
    keep = min(sample, n_all)
    paths = np.empty((T + 1, keep))
    paths[0] = source.price(keep)
    warrant_price = np.zeros(n_all)

    alt = c.alternate_discount is not None
    window = LowestSum(c.history[-c.alternate_days:], k=c.alternate_lowest, n=n_all) if alt else None
    plan = _day_plan(c, grid)
    recent_vwap = _Recent(c.history, c.default.reset_days, n_all) if c.default else None
    eq_days = c.equity.days
    recent_dv = _Recent(c.history * c.history_volume, eq_days, n_all) if plan.equity else None
    recent_cap = _Recent(c.history * c.shares_outstanding, eq_days, n_all) if plan.equity else None
    cap, leak = c.ownership_cap, c.leak_out
    groups, of_note = price_groups(c)
    G = len(groups)
    floors = [floor for _, floor in groups]
    keep_cap = (1.0 - cap) if cap < 1 else 1.0
    scale = 1.0 - (c.alternate_discount or 0.0)
    rounder = _ROUNDERS[c.share_rounding]
    warrant_day = -1 if c.warrant is None else c.warrant.day
    default_day = -1 if c.default is None else c.default.day

    def buffers(n: int) -> tuple:
        # per price group (G, n): unfloored price, conversion price, conversion value per USD,
        # floor payment per USD and its discounted value; then the per-path buffers
        return (tuple(np.empty((G, n)) for _ in range(5)) + tuple(np.empty(n) for _ in range(12))
                + (np.empty(n, dtype=bool),))

    n = n_all
    (U, PR, RATIO, FPF, FPC, alt_u, ratio, lv, want, room, rem, x, y, aj, s, conv, tmp, mask) = buffers(n)
    P, K, AI, NI, value = list(st.P), list(st.K), list(st.AI), list(st.NI), list(st.value)
    O, H, fixed, tot = st.O, st.H, st.fixed, st.totals
    buckets = _buckets(c, P, K, AI)

    def settle(t: int, today: dt.date | None) -> None:
        """Pay the interest and repay the notes due on day t: those due on a closed day before
        it (``today`` None) or those due today (``today`` the date)."""
        ok = None
        for j, note in enumerate(notes):
            due = note.due.get(t)
            if due is None or (due != today if today else due == grid.dates[t].item()):
                continue
            rule = note.interest_days.get(t)
            if rule is not None:
                if rule in CONDITIONAL_RULES and ok is None:
                    ok = _equity_ok(c, recent_dv, recent_cap)
                _pay_interest(rule, ok, grid.df_cash[t], note, t, j, P, K, AI, NI, value, tot)
            elif note.maturity_day == t:
                _repay(j, grid.df_cash[t], P, K, has_k, AI, value, tot, tmp)

    for t in range(1, T + 1):
        source.advance(t, None if n == n_all else st.idx)
        if keep:
            paths[t] = source.price(keep)
        if t == warrant_day:
            warrant_price = source.price()
        if n == 0 or J == 0:
            continue  # nothing owed: only the warrants read the price
        V, vol = source.vwap, source.volume
        # interest accrues on the principal outstanding over the step
        for j, note in enumerate(notes):
            inc = note.accrual[t]
            if inc:
                np.multiply(P[j], note.rate * inc, out=tmp)
                AI[j] += tmp
                if note.pik_rate and has_k[j]:
                    np.multiply(K[j], note.pik_rate * inc, out=tmp)
                    AI[j] += tmp
            nxt = note.accrual_next[t]
            if nxt:
                np.multiply(P[j], note.rate * nxt, out=NI[j])
                if note.pik_rate and has_k[j]:
                    np.multiply(K[j], note.pik_rate * nxt, out=tmp)
                    NI[j] += tmp
        # interest and maturity due on a day the market was closed: settled before today's events
        if t in plan.settle_start:
            settle(t, None)
        # conversion price of a notice today (window strictly before today), per price group
        if alt:
            window.sum_into(alt_u)  # type: ignore[union-attr]
            alt_u /= c.alternate_lowest
            alt_u *= scale
            np.minimum(fixed, alt_u, out=U)
            window.push(V)  # type: ignore[union-attr]
        else:
            np.copyto(U, fixed)
        if t == default_day:
            _default(c, t, grid, V, U, fixed, floors, of_note, recent_vwap,  # type: ignore[arg-type]
                     P, K, has_k, AI, NI, value, tot)
        if recent_vwap is not None and plan.reset[t]:
            recent_vwap.push(V)
        if recent_dv is not None and plan.equity_record[t]:
            np.multiply(vol, V, out=tmp)
            recent_dv.push(tmp)
            np.multiply(V, O, out=tmp)
            recent_cap.push(tmp)  # type: ignore[union-attr]
        # whole shares the holder may sell today under the leak-out
        np.multiply(vol, leak, out=lv)
        np.floor(lv, out=lv)
        # conversion value per USD of principal (shares plus floor payment): shares at the
        # unfloored price x VWAP, or at the floor under floor_mode cap
        np.divide(V, U, out=RATIO)
        for g, floor in enumerate(floors):
            if floor:
                np.maximum(U[g], floor, out=PR[g])
                if c.floor_cash:
                    np.divide(V, PR[g], out=FPF[g])
                    np.subtract(RATIO[g], FPF[g], out=FPF[g])  # floor payment per USD converted
                else:
                    FPF[g].fill(0.0)  # floor_mode cap: the price stops at the floor, no cash
                    np.divide(V, PR[g], out=RATIO[g])  # so a USD is worth its shares at the floor
            else:
                np.copyto(PR[g], U[g])
        if G == 1:
            np.copyto(ratio, RATIO[0])
        else:  # the note priced best for the holder decides whether it converts
            np.max(RATIO, axis=0, out=ratio)
        if c.sell_through:
            np.greater_equal(ratio, c.min_conversion_value, out=mask)
            np.multiply(lv, mask, out=want)
        else:
            want.fill(0.0)
        if c.convert_all_above < _INF:
            np.greater_equal(ratio, c.convert_all_above, out=mask)
            np.putmask(want, mask, _INF)
        for threshold in plan.convert_all.get(t, ()):
            np.greater(ratio, threshold, out=mask)
            np.putmask(want, mask, _INF)
        if cap < 1:
            np.multiply(O, cap, out=room)
            room -= H
            room /= keep_cap
            _round6(room)
            np.floor(room, out=room)
            np.maximum(room, 0.0, out=room)
            np.minimum(want, room, out=want)
        last = of_note[0] if J else 0
        np.multiply(want, PR[last], out=rem)  # USD the holder asks to convert (inf: all it may)
        # convert, note by note in order (interest, PIK notes, principal); one notice per note
        np.multiply(V, grid.df_equity[t], out=y)
        for g, floor in enumerate(floors):
            if floor:
                np.multiply(FPF[g], grid.df_cash[t], out=FPC[g])
        for j in range(J):
            if j and not rem.any():
                break  # nothing left to convert on any path
            g = of_note[j]
            p = PR[g]
            if g != last:  # what is left of the request, in USD at this note's price
                np.divide(p, PR[last], out=tmp)
                rem *= tmp
                last = g
            if cap < 1:  # no more than the room the earlier notes left (shares rounded up)
                np.multiply(room, p, out=tmp)
                np.minimum(rem, tmp, out=rem)
            for i, bucket in enumerate(buckets[j]):
                part = aj if i == 0 else x
                np.minimum(rem, bucket, out=part)
                bucket -= part
                rem -= part
                if i:
                    aj += part
            np.divide(aj, p, out=s)
            rounder(s)
            np.multiply(s, y, out=tmp)
            value[j] += tmp
            if floors[g]:
                np.multiply(aj, FPC[g], out=tmp)
                value[j] += tmp
                np.multiply(aj, FPF[g], out=tmp)
                tot["floor_paid"] += tmp
            O += s
            H += s
            if cap < 1:
                room -= s
            if j:
                conv += aj
            else:
                np.copyto(conv, aj)
        if J:
            tot["converted"] += conv
        # then the holder sells under the leak-out (same-day order: conversions, then sales)
        np.minimum(H, lv, out=tmp)
        H -= tmp
        # the rare days: prepayments, then interest and maturity due today
        for prepayment in plan.prepay.get(t, ()):
            _prepay(prepayment, grid.df_cash[t], P, K, has_k, AI, value, tot["prepaid_cash"])
        if t in plan.settle_end:
            settle(t, grid.dates[t].item())
        # paths whose notes are settled leave the loop
        if t % COMPACT_EVERY == 0 or t == T:
            live = st.owed() > 0
            settled = int(n - live.sum())
            if t == T or settled * 4 >= n:
                st.flush(~live if t < T else np.ones(n, dtype=bool))
                if t < T:
                    live = np.flatnonzero(live)  # type: ignore[assignment]
                    st.keep(live)
                    n = st.n
                    (U, PR, RATIO, FPF, FPC, alt_u, ratio, lv, want, room, rem, x, y, aj, s, conv, tmp,
                     mask) = buffers(n)
                    P, K, AI, NI, value = list(st.P), list(st.K), list(st.AI), list(st.NI), list(st.value)
                    O, H, fixed, tot = st.O, st.H, st.fixed, st.totals
                    buckets = _buckets(c, P, K, AI)
                    for ring in (window, recent_vwap, recent_dv, recent_cap):
                        if ring is not None:
                            ring.keep(live)

    warrant_value = np.zeros(n_all)
    if c.warrant is not None:
        wp = c.warrant
        call = black_scholes_call(spot=warrant_price, strike=wp.strike, years=wp.years_after,
                                  rate=wp.rate, volatility=wp.volatility)
        warrant_value = call * (wp.shares * grid.df_equity[wp.day])
    return ChunkResult(
        note_values=st.final_value,
        warrant_value=warrant_value,
        shares=st.final_O - c.shares_outstanding,
        sample=paths,
        **st.final_totals,
    )


# ---------------------------------------------------------------------------------------------
# helpers: rounding, schedules and the rare days


def _round6(x: np.ndarray) -> None:
    """``x`` rounded to 6 decimals in place, exactly as ``numpy.round(x, 6)``."""
    np.multiply(x, 1e6, out=x)
    np.rint(x, out=x)
    np.divide(x, 1e6, out=x)


def _up(x: np.ndarray) -> None:
    _round6(x)
    np.ceil(x, out=x)


def _down(x: np.ndarray) -> None:
    _round6(x)
    np.floor(x, out=x)


def _nearest(x: np.ndarray) -> None:
    _round6(x)
    x += 0.5
    np.floor(x, out=x)


_ROUNDERS = {"up": _up, "down": _down, "nearest": _nearest}


def _buckets(c: Contract, P: list, K: list, AI: list) -> list[tuple[np.ndarray, ...]]:
    """What each note's conversions take, in order: accrued interest (when the holder converts
    it), PIK notes (when the note has them), principal."""
    out = []
    for j, note in enumerate(c.notes):
        parts = [AI[j]] if c.convert_interest else []
        if note.pik_notes:
            parts.append(K[j])
        parts.append(P[j])
        out.append(tuple(parts))
    return out


@dataclass(frozen=True, slots=True, eq=False)
class _DayPlan:
    """Which days need what, from the contract."""

    settle_start: frozenset[int]  # interest or maturity due on a closed day before it
    settle_end: frozenset[int]  # interest or maturity due that day, after its events
    equity: bool  # some interest date is paid by the equity conditions
    equity_record: np.ndarray  # days in an equity-conditions measurement period
    reset: np.ndarray  # days in the default's look-back window
    prepay: dict[int, list[PrepaymentPlan]]
    convert_all: dict[int, list[float]]  # thresholds above which the holder converts all it may


def _day_plan(c: Contract, grid: TimeGrid) -> _DayPlan:
    T = grid.days
    dates = [d.item() for d in grid.dates]
    equity = [t for note in c.notes for t, rule in note.interest_days.items() if rule in CONDITIONAL_RULES]
    equity_record = np.zeros(T + 1, dtype=bool)
    for t in equity:
        equity_record[max(1, t - c.equity.days):t] = True
    reset = np.zeros(T + 1, dtype=bool)
    if c.default is not None:
        reset[max(1, c.default.day - c.default.reset_days):c.default.day] = True
    prepay: dict[int, list[PrepaymentPlan]] = {}
    convert_all: dict[int, list[float]] = {}
    for plan in c.prepayments:
        prepay.setdefault(plan.day, []).append(plan)
        convert_all.setdefault(plan.day, []).append(plan.premium)
    if c.convert_at_maturity:
        for note in c.notes:
            convert_all.setdefault(last_conversion_day(note, grid), []).append(1.0)
    return _DayPlan(
        settle_start=frozenset(t for note in c.notes for t, due in note.due.items() if due < dates[t]),
        settle_end=frozenset(t for note in c.notes for t, due in note.due.items() if due == dates[t]),
        equity=bool(equity),
        equity_record=equity_record,
        reset=reset,
        prepay=prepay,
        convert_all=convert_all,
    )


def price_groups(c: Contract) -> tuple[list[tuple[float, float]], list[int]]:
    """The distinct (fixed price, floor) pairs of the contract's notes, in order of first use,
    and each note's index into them: notes at the same prices share one price computation."""
    groups: list[tuple[float, float]] = []
    of_note = []
    for note in c.notes:
        pair = (c.fixed_price if note.fixed_price is None else note.fixed_price,
                c.floor_price if note.floor_price is None else note.floor_price)
        if pair not in groups:
            groups.append(pair)
        of_note.append(groups.index(pair))
    return groups or [(c.fixed_price, c.floor_price)], of_note


def last_conversion_day(note: NotePlan, grid: TimeGrid) -> int:
    """The last trading day on or before the note's maturity: its last conversion notice."""
    t = note.maturity_day
    return t if note.due[t] == grid.dates[t].item() else t - 1


def _equity_ok(c: Contract, dv: _Recent | None, cap: _Recent | None) -> np.ndarray:
    """Equity conditions over the last ``days`` trading days: trimmed mean dollar volume and the
    count of days at or above the minimum market cap."""
    e = c.equity
    vols = np.sort(dv.rows(), axis=0)  # type: ignore[union-attr]
    trimmed = vols[e.trim_lowest:e.days - e.trim_highest].mean(axis=0)
    days_ok = (cap.rows() >= e.min_market_cap).sum(axis=0)  # type: ignore[union-attr]
    return (trimmed >= e.min_dollar_volume) & (days_ok >= e.min_market_cap_days)


def _repay(j: int, df: float, P: list, K: list, has_k: list[bool], AI: list, value: list, tot: dict,
           tmp: np.ndarray) -> None:
    """Maturity: note j's principal, PIK notes and interest repaid in cash."""
    np.add(P[j], AI[j], out=tmp)
    if has_k[j]:
        tmp += K[j]
        tot["principal_cash"] += K[j]
        K[j].fill(0.0)
    tot["principal_cash"] += P[j]
    tot["interest_cash"] += AI[j]
    tmp *= df
    value[j] += tmp
    P[j].fill(0.0)
    AI[j].fill(0.0)


def _prepay(plan: PrepaymentPlan, df: float, P: list, K: list, has_k: list[bool], AI: list,
            value: list, paid: np.ndarray) -> None:
    """A scheduled prepayment: principal first, then PIK notes, each at the premium, plus the
    interest accrued on the principal prepaid."""
    left = np.full(len(paid), plan.amount)
    for j in plan.notes:
        xp = np.minimum(left, P[j])
        share = np.divide(xp, P[j], out=np.zeros_like(xp), where=P[j] > 0)
        interest = AI[j] * share
        P[j] -= xp
        AI[j] -= interest
        left -= xp
        principal = xp
        if has_k[j]:
            xk = np.minimum(left, K[j])
            K[j] -= xk
            left -= xk
            principal = xp + xk
        cash = principal * plan.premium + interest
        paid += cash
        value[j] += cash * df


def _default(c: Contract, t: int, grid: TimeGrid, V: np.ndarray, U: np.ndarray, fixed: np.ndarray,
             floors: list[float], of_note: list[int], recent: _Recent, P: list, K: list,
             has_k: list[bool], AI: list, NI: list, value: list, tot: dict) -> None:
    """The event of default: mandatory default amount (cash) or the reset of the conversion
    price, by the holder's election; ``U`` and ``fixed`` (one row per price group) are updated
    for a reset."""
    d = c.default
    assert d is not None
    prices = [np.maximum(U[g], floor) if floor else U[g] for g, floor in enumerate(floors)]
    window = np.sort(recent.rows(), axis=0)
    low = window[0].copy()
    for m in range(1, d.reset_lowest):
        low += window[m]
    reset = d.reset_factor * (low / d.reset_lowest)
    cash = np.zeros_like(V)
    owed = np.zeros((len(floors), len(V)))  # principal, PIK notes and accrued interest, per price group
    amounts = []
    for j in range(len(P)):
        principal = P[j] + K[j] if has_k[j] else P[j].copy()
        inside = AI[j] if d.parity_includes_interest else 0.0  # pricing.mandatory_default_amount
        parity = (principal + inside) / prices[of_note[j]] * V
        premium = d.premium * principal + (d.premium * AI[j] if d.premium_on_interest else inside)
        amounts.append(np.maximum(parity, premium) + (AI[j] - inside))
        cash += amounts[-1]
        owed[of_note[j]] += principal + AI[j]
    if d.election == "redeem":
        redeem = np.ones(len(V), dtype=bool)
    elif d.election == "reset":
        redeem = np.zeros(len(V), dtype=bool)
    else:  # the better: cash now, or converting everything at the reset price today
        shares = owed[0] / np.minimum(reset, U[0])
        for g in range(1, len(floors)):
            shares += owed[g] / np.minimum(reset, U[g])
        redeem = cash >= shares * V
    for j in range(len(P)):
        paid = np.where(redeem, amounts[j], 0.0)
        value[j] += paid * grid.df_cash[t]
        tot["default_cash"] += paid
        for bucket in (P[j], K[j], AI[j], NI[j]):
            bucket[redeem] = 0.0
    keep = ~redeem  # the reset never raises the price
    for g in range(len(floors)):
        np.minimum(fixed[g], reset, out=fixed[g], where=keep)
        np.minimum(U[g], reset, out=U[g], where=keep)


# ---------------------------------------------------------------------------------------------
# the path source, from ascent_xl/valuation/model.py


class SimulatedPaths:
    """GBM paths with VWAP noise and the volume model for paths ``first .. first + n - 1`` of a
    run with ``seed`` (``first`` a multiple of :data:`PATHS_PER_STREAM`).

    Every path's price moves every day (the warrants need it); the VWAP and volume are computed
    for the ``live`` paths only, from the same random numbers, so a path's numbers do not depend
    on which other paths are live.
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
        padded = len(self._streams) * PATHS_PER_STREAM
        self._draw1 = np.empty(padded, np.float32)
        self._draw2 = np.empty(padded, np.float32)
        self._u1 = self._draw1[:n]
        self._u2 = self._draw2[:n]
        self._radius = np.empty(n, np.float32)
        self._f32 = np.empty(n, np.float32)
        self._x = np.empty(n)
        self._live_angle = np.empty(n, np.float32)
        self._live_radius = np.empty(n, np.float32)
        self._vwap = np.empty(n)
        self._volume = np.empty(n)
        self.vwap = self._vwap
        self.volume = self._volume

    def advance(self, t: int, live: np.ndarray | None = None) -> None:
        """Draw day ``t``: two uniforms per path, Box-Muller normals, price; VWAP and volume of
        the ``live`` paths."""
        u1, u2, r, f, x = self._u1, self._u2, self._radius, self._f32, self._x
        d1, d2 = self._draw1, self._draw2
        for gen, lo, hi in self._streams:
            gen.random(dtype=np.float32, out=d1[lo:hi])
            gen.random(dtype=np.float32, out=d2[lo:hi])
        np.subtract(_ONE, u1, out=r)  # in (0, 1]: the logarithm is finite
        np.log(r, out=r)
        np.multiply(r, _MINUS_TWO, out=r)
        np.sqrt(r, out=r)
        np.multiply(u2, _TWO_PI, out=u2)
        np.cos(u2, out=f)
        np.multiply(f, r, out=f)
        np.multiply(f, self._shock[t], out=x, dtype=np.float64)
        x += self._trend[t]
        self.log_price += x
        m = self.n if live is None else len(live)
        angle, radius, x, f = u2, r, self._x[:m], self._f32[:m]
        if live is None:
            x[:] = self.log_price
        else:
            angle = np.take(u2, live, out=self._live_angle[:m])
            radius = np.take(r, live, out=self._live_radius[:m])
            np.take(self.log_price, live, out=x)
        if self._nu:
            np.sin(angle, out=f)
            np.multiply(f, radius, out=f)
            y = self._vwap[:m]
            np.multiply(f, self._nu, out=y, dtype=np.float64)
            y += self._nu_shift
            x += y
        self.vwap = np.exp(x, out=self._vwap[:m])
        self.volume = self._volume[:m]
        if self._elasticity:
            np.multiply(x, -self._elasticity, out=self.volume)
            self.volume += self._log_volume0
            np.exp(self.volume, out=self.volume)
        else:
            self.volume.fill(self._volume0)

    def price(self, first: int | None = None) -> np.ndarray:
        """Share price of the first ``first`` paths (all when None) on the current day, USD/share."""
        return np.exp(self.log_price[:first])


__all__ = ["SimulatedPaths", "run_chunk"]
