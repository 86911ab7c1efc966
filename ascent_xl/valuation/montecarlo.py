"""The vectorised Monte Carlo kernel: one loop over trading days, numpy operations across paths.

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
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from ascent_xl.valuation.contract import (
    CONDITIONAL_RULES,
    IN_KIND_RULES,
    Contract,
    NotePlan,
    PrepaymentPlan,
)
from ascent_xl.valuation.model import PathSource, TimeGrid
from ascent_xl.valuation.warrants import black_scholes_call

_INF = np.inf


class LowestSum:
    """Sum of the ``k`` lowest of the last ``w`` values of every path, one day at a time.

    Blocks of ``w`` consecutive days: the window ending today is the tail of the last complete
    block plus the head of the current one. The sorted ``k`` lowest of every tail are computed
    once per block, the ``k`` lowest of the head are kept up to date by insertion, and the two
    sorted lists merge in ``k**2`` elementwise operations, about 20 per day for 3 of 10 instead
    of 40 for an insertion into every window. Only ``min``/``max`` are used, so the result is
    exactly the sum, in ascending order, of the values a sort would select.

    ``history`` (shape ``(w,)`` or ``(w, n)``) holds the last ``w`` values before the first
    :meth:`push`. The tails are kept as ``(k, w, paths)``: the ``m``-th lowest of every tail of
    every path is one contiguous ``(w, paths)`` array, as the compiled copy
    (:mod:`ascent_xl.valuation.fused`) reads them.
    """

    def __init__(self, history: np.ndarray, *, k: int, n: int) -> None:
        w = len(history)
        self.w, self.k = w, k
        h = np.asarray(history, dtype=float).reshape(w, -1)
        # the tails of the history: computed once per column of ``history`` (one for a history
        # every path shares) and read broadcast until the first block of pushes completes
        self._block = np.empty((w, h.shape[1]))
        self._block[:] = h
        self._tails = np.empty((k, w, h.shape[1]))
        self._tmp = np.empty(h.shape[1])
        self._complete()
        self._shared = self._tails.shape[2] != n  # one column read by every path
        self._block = np.empty((w, n))
        self._head = np.full((k, n), _INF)
        self._size = 0
        self._tmp = np.empty(n)
        self._tmp2 = np.empty(n)

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
        x = self._tails[:, self._size]
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

    def sum_push(self, values: np.ndarray, out: np.ndarray, compiled: Any = None) -> None:
        """:meth:`sum_into` ``out``, then :meth:`push` today's ``values``: with ``compiled``
        (:mod:`ascent_xl.valuation.fused`) in one compiled pass over the paths, the same
        numbers."""
        if compiled is None:
            self.sum_into(out)
            self.push(values)
            return
        compiled.window(self._tails_by_rank(), self._size, tuple(self._head), self._block, values, out)
        self._size += 1
        if self._size == self.w:
            self._complete(compiled)
            self._size = 0

    def keep(self, alive: np.ndarray) -> None:
        """Keep the paths at the indices ``alive`` (the others have settled): of the block, the
        days pushed so far; of the tails, those read before the block completes."""
        r, m = self._size, len(alive)
        block = np.empty((self.w, m))
        self._block[:r].take(alive, axis=1, out=block[:r])
        self._block = block
        if not self._shared:
            tails = np.empty((self.k, self.w, m))
            tails[:, r:] = self._tails[:, r:].take(alive, axis=2)
            self._tails = tails
        self._head = self._head.take(alive, axis=1)
        self._tmp = np.empty(len(alive))
        self._tmp2 = np.empty(len(alive))

    def _tails_by_rank(self) -> tuple[np.ndarray, ...]:
        """The tails as the compiled copy reads them: for each rank ``m``, a ``(w, paths)``
        array (the history's one column broadcast while it is shared)."""
        if self._shared:
            shape = (self.w, self._block.shape[1])
            return tuple(np.broadcast_to(rank, shape) for rank in self._tails)
        return tuple(self._tails)

    def _complete(self, compiled: Any = None) -> None:
        """Sorted ``k`` lowest of every tail of the block just completed (with ``compiled``: by
        its compiled copy, the same numbers)."""
        if self._tails.shape[2] != self._block.shape[1]:  # the first block after the history
            self._tails = np.empty((self.k, self.w, self._block.shape[1]))
            self._shared = False
        tails, block = self._tails, self._block
        if compiled is not None:
            compiled.tails(block, tuple(tails))
            return
        last = self.w - 1
        tails[0, last] = block[last]
        tails[1:, last] = _INF
        for p in range(last - 1, -1, -1):
            tails[:, p] = tails[:, p + 1]
            _insert(tails[:, p], block[p], self._tmp)


def keep_share(cap: float) -> float:
    """The divisor of the ownership cap's room, ``1 - cap``: the holder may receive ``(cap x
    outstanding - held) / (1 - cap)`` new shares (:func:`ascent_xl.pricing.max_conversion_shares`);
    1 for a cap of 1 (no cap: the room is never read)."""
    return (1.0 - cap) if cap < 1 else 1.0


def _insert(lowest: np.ndarray, x: np.ndarray, tmp: np.ndarray) -> None:
    """Insert ``x`` into the sorted rows ``lowest`` (k, n), keeping the k smallest."""
    for m in range(len(lowest) - 1, 0, -1):
        np.maximum(lowest[m - 1], x, out=tmp)
        np.minimum(lowest[m], tmp, out=lowest[m])
    np.minimum(lowest[0], x, out=lowest[0])


class _Recent:
    """The last ``size`` rows pushed (a ring buffer, starting with the end of ``history``).

    The history's rows are read by every path until the first push: the buffer of one row per
    path is made then (for the paths live then), not before."""

    def __init__(self, history: np.ndarray, size: int, n: int) -> None:
        self._history = np.asarray(history[-size:], dtype=float).reshape(size, -1)
        self._rows: np.ndarray | None = None
        self._n = n
        self._next = 0

    def _own(self) -> np.ndarray:
        if self._rows is None:
            self._rows = np.empty((len(self._history), self._n))
            self._rows[:] = self._history
        return self._rows

    def push(self, row: np.ndarray) -> None:
        """Replace the oldest row with ``row``."""
        rows = self._own()
        rows[self._next] = row
        self._next = (self._next + 1) % len(rows)

    def rows(self) -> np.ndarray:
        """The rows, in no particular order (their users sort them or count them)."""
        return self._own()

    def keep(self, alive: np.ndarray) -> None:
        """Keep the paths at the indices ``alive``."""
        if self._rows is None and self._history.shape[1] == 1:
            self._n = len(alive)
        else:
            self._rows = self._own().take(alive, axis=1)


@dataclass(frozen=True, slots=True, eq=False)
class ChunkResult:
    """Per-path results of one chunk. Values discounted to the valuation date (USD); cash and
    shares undiscounted totals over the paths' lives."""

    note_values: np.ndarray  # (notes, n)
    warrant_value: np.ndarray
    shares: np.ndarray  # conversion shares issued
    converted: np.ndarray  # all the conversions took, USD: interest, PIK notes and principal
    converted_interest: np.ndarray  # of which accrued interest
    converted_pik: np.ndarray  # of which PIK notes
    floor_paid: np.ndarray
    interest_cash: np.ndarray
    interest_pik: np.ndarray
    principal_cash: np.ndarray  # repaid at maturity
    default_cash: np.ndarray
    prepaid_cash: np.ndarray
    sample: np.ndarray  # (T + 1, k) share prices of the first k paths, day 0 first


_TOTALS = ("converted", "converted_interest", "converted_pik", "floor_paid", "interest_cash", "interest_pik", "principal_cash",
           "default_cash", "prepaid_cash")
COMPACT_EVERY = 8
"""Days between checks for paths whose notes are settled (they leave the day loop)."""
COMPACT_SHARE = 4
"""The live paths' arrays are cut down when at least 1 / COMPACT_SHARE of them have settled."""


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


def run_chunk(contract: Contract, grid: TimeGrid, source: PathSource, *, sample: int = 0,
              fused: bool | None = None) -> ChunkResult:
    """Value one chunk of paths. ``sample`` price paths (the first ones) are kept for charts.

    The work per trading day is a fixed sequence of array operations over the chunk's live
    paths; the rare days (interest, default, prepayment, maturity) add a few more. Every
    :data:`COMPACT_EVERY` days, paths whose notes are settled leave the loop.

    ``fused``: the ordinary day's operations run as one compiled loop over the paths
    (:mod:`ascent_xl.valuation.fused`, numba), the same numbers bit for bit; None (default):
    when numba is installed (and ``ASCENT_XL_NUMBA`` is not ``0``); False: numpy only.
    """
    c, T = contract, grid.days
    n_all = source.n
    notes, J = contract.notes, len(contract.notes)
    has_k = [note.pik_notes for note in notes]
    st = _State(c, n_all)
    keep = min(sample, n_all)
    paths = np.empty((T + 1, keep))
    source.keep_daily(keep)
    paths[0] = source.sample_price(keep)
    warrant_price = np.zeros(n_all)

    alt = c.alternate_discount is not None
    fk = _fused() if fused is None or fused else None
    if fused and fk is None:
        raise RuntimeError("the fused kernel needs numba (pip install ascent-xl[fast])")
    if not J:
        fk = None
    source.compile_with(fk)
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
    keep_cap = keep_share(cap)
    raise_day, raised = c.cap_raise if c.cap_raise is not None else (-1, cap)
    scale = 1.0 - (c.alternate_discount or 0.0)
    rounder = _ROUNDERS[c.share_rounding]
    warrant_day = -1 if c.warrant is None else c.warrant.day
    default_day = -1 if c.default is None else c.default.day

    def buffers(n: int) -> tuple:
        # per price group (G, n): unfloored price, conversion price, conversion value per USD,
        # floor payment per USD and its discounted value; then the per-path buffers
        return (tuple(np.empty((G, n)) for _ in range(5)) + tuple(np.empty(n) for _ in range(12))
                + (np.empty(n, dtype=bool), np.empty((3 * G + 6, n) if fk is not None else (0, 0))))

    n = n_all
    (U, PR, RATIO, FPF, FPC, alt_u, ratio, lv, want, room, rem, x, y, aj, s, conv, tmp, mask,
     work) = buffers(n)
    P, K, AI, NI, value = list(st.P), list(st.K), list(st.AI), list(st.NI), list(st.value)
    O, H, fixed, tot = st.O, st.H, st.fixed, st.totals
    buckets = _buckets(c, P, K, AI)
    bucket_kinds = _bucket_kinds(c)

    if fk is not None:
        day_args = _fused_day_args(c, plan, floors, of_note, fk)

    def push_recent(t: int, V: np.ndarray, vol: np.ndarray, O: np.ndarray) -> None:
        """Today's VWAPs into the default's window, dollar volume and market cap into the
        equity conditions' (on the days they measure)."""
        if recent_vwap is not None and plan.reset[t]:
            recent_vwap.push(V)
        if recent_dv is not None and plan.equity_record[t]:
            np.multiply(vol, V, out=tmp)
            recent_dv.push(tmp)
            np.multiply(V, O, out=tmp)
            recent_cap.push(tmp)  # type: ignore[union-attr]

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
        if t == raise_day:  # the holder's raise takes effect: its cap from today's conversions on
            cap = raised
            keep_cap = keep_share(cap)
        source.advance(t, None if n == n_all else st.idx)
        if keep:
            paths[t] = source.sample_price(keep)
        if t == warrant_day:
            warrant_price = source.price()
        if n == 0:
            continue  # nothing owed: only the warrants read the price
        if J == 0:
            if t == COMPACT_EVERY and t < T:
                source.leave(t, st.idx)
            continue
        V, vol = source.vwap, source.volume
        if fk is not None:  # the same day, its ordinary parts compiled
            ordinary = t not in plan.settle_start and t != default_day
            args = (V, vol, st.P, st.K, st.AI, st.NI, *[a[t] for a in day_args.coef], alt_u,
                    st.fixed, c.alternate_lowest if alt else 0, scale, U, day_args.floors,
                    c.floor_cash, leak, c.sell_through, c.min_conversion_value,
                    c.convert_all_above, day_args.thresholds.get(t, day_args.none), cap, keep_cap,
                    day_args.of_note, day_args.buckets, st.value, st.O, st.H, tot["converted"],
                    tot["converted_interest"], tot["converted_pik"], tot["floor_paid"], grid.df_equity[t], grid.df_cash[t], day_args.rounding, work)
            if ordinary:  # the window and the records read the day before its conversions
                push_recent(t, V, vol, O)
                if alt:
                    window.sum_push(V, alt_u, fk)  # type: ignore[union-attr]
                fk.day(fk.ACCRUE | fk.PRICE | fk.CONVERT, *args)
            else:  # numpy's rare-day code between the stages, in the numpy kernel's order
                fk.day(fk.ACCRUE, *args)
                if t in plan.settle_start:
                    settle(t, None)
                if alt:
                    window.sum_push(V, alt_u, fk)  # type: ignore[union-attr]
                fk.day(fk.PRICE, *args)
                if t == default_day:
                    _default(c, t, grid, V, U, fixed, floors, of_note, recent_vwap,  # type: ignore[arg-type]
                             P, K, has_k, AI, NI, value, tot)
                push_recent(t, V, vol, O)
                fk.day(fk.CONVERT, *args)
        else:
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
            push_recent(t, V, vol, O)
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
                for i, (bucket, kind) in enumerate(zip(buckets[j], bucket_kinds[j], strict=True)):
                    part = aj if i == 0 else x
                    np.minimum(rem, bucket, out=part)
                    bucket -= part
                    rem -= part
                    if kind:  # the interest's or the PIK notes' share of what it took
                        tot[kind] += part
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
            if settled and t < T:  # a path leaves on the first check day it is settled
                source.leave(t, st.idx[~live])
            if t == T or settled * COMPACT_SHARE >= n:
                st.flush(~live if t < T else np.ones(n, dtype=bool))
                if t < T:
                    live = np.flatnonzero(live)  # type: ignore[assignment]
                    st.keep(live)
                    n = st.n
                    (U, PR, RATIO, FPF, FPC, alt_u, ratio, lv, want, room, rem, x, y, aj, s, conv, tmp,
                     mask, work) = buffers(n)
                    P, K, AI, NI, value = list(st.P), list(st.K), list(st.AI), list(st.NI), list(st.value)
                    O, H, fixed, tot = st.O, st.H, st.fixed, st.totals
                    buckets = _buckets(c, P, K, AI)
                    if t >= default_day:  # the default's window is read no more
                        recent_vwap = None
                    if t >= plan.last_equity:  # nor the equity conditions' records
                        recent_dv = recent_cap = None
                    for rows in (window, recent_vwap, recent_dv, recent_cap):
                        if rows is not None:
                            rows.keep(live)

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
# the fused kernel's inputs


def _fused() -> Any:
    """:mod:`ascent_xl.valuation.fused` when it can run (numba installed, ``ASCENT_XL_NUMBA``
    not ``0``), else None; imported here, when a valuation runs, so that numba is not imported
    before (nor at all when switched off)."""
    if os.environ.get("ASCENT_XL_NUMBA", "1") == "0":
        return None
    from ascent_xl.valuation import fused

    return fused if fused.available() else None


@dataclass(frozen=True, slots=True, eq=False)
class _FusedArgs:
    """The contract's numbers as the compiled day takes them."""

    coef: tuple[np.ndarray, ...]  # (days, notes) each: inc, pik_inc, nxt, pik_nxt, flags
    thresholds: dict[int, np.ndarray]
    none: np.ndarray
    floors: np.ndarray
    of_note: np.ndarray
    buckets: np.ndarray
    rounding: int


def _fused_day_args(c: Contract, plan: _DayPlan, floors: list[float], of_note: list[int],
                    fk: Any) -> _FusedArgs:
    rate = np.array([note.rate for note in c.notes])
    pik_rate = np.array([note.pik_rate for note in c.notes])
    pik = np.array([bool(note.pik_rate and note.pik_notes) for note in c.notes])
    accrual = np.array([note.accrual for note in c.notes]).T  # (days, notes)
    after = np.array([note.accrual_next for note in c.notes]).T
    # the same products as the numpy kernel's ``note.rate * inc`` (one IEEE multiplication)
    flags = ((accrual != 0) * (1 | 2 * pik) + (after != 0) * (4 | 8 * pik)).astype(np.int64)
    coef = tuple(np.ascontiguousarray(a) for a in (accrual * rate, accrual * pik_rate,
                                                   after * rate, after * pik_rate, flags))
    return _FusedArgs(
        coef=coef,
        thresholds={t: np.array(v, dtype=float) for t, v in plan.convert_all.items()},
        none=np.empty(0),
        floors=np.array(floors, dtype=float),
        of_note=np.array(of_note, dtype=np.int64),
        buckets=np.array([(1 if c.convert_interest else 0) | (2 if note.pik_notes else 0)
                          for note in c.notes], dtype=np.int64),
        rounding=fk.ROUNDING[c.share_rounding],
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


def _bucket_kinds(c: Contract) -> list[tuple[str | None, ...]]:
    """The total each of :func:`_buckets`' parts adds to besides ``converted``:
    ``converted_interest``, ``converted_pik``, or none (the principal)."""
    return [(("converted_interest",) if c.convert_interest else ()) + (("converted_pik",) if note.pik_notes else ())
            + (None,) for note in c.notes]


@dataclass(frozen=True, slots=True, eq=False)
class _DayPlan:
    """Which days need what, from the contract."""

    settle_start: frozenset[int]  # interest or maturity due on a closed day before it
    settle_end: frozenset[int]  # interest or maturity due that day, after its events
    equity: bool  # some interest date is paid by the equity conditions
    last_equity: int  # the last such day (-1: none)
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
        last_equity=max(equity, default=-1),
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


def _pay_interest(rule: str, ok: np.ndarray | None, df: float, note: NotePlan, t: int, j: int,
                  P: list, K: list, AI: list, NI: list, value: list, tot: dict) -> None:
    """Pay note j's interest due on day t in cash or in kind (:data:`INTEREST_RULES`), then start
    the next period's accrual: what was accrued after the nominal date, and the interest the PIK
    paid today bears from that date."""
    n = len(AI[j])
    held = np.zeros(n, dtype=bool) if ok is None else ok  # the equity conditions, when read
    if rule == "cash":
        pik = np.zeros(n, dtype=bool)
    elif rule in IN_KIND_RULES:
        pik = np.ones(n, dtype=bool)
    else:
        pik = held
    if note.pik_notes:  # registered PIK notes, except private ones when the conditions fail
        registered = held if rule == "pik_or_private" else pik
    else:
        registered = np.zeros(n, dtype=bool)
    cash = np.where(pik, 0.0, AI[j])
    kind = np.where(pik, AI[j], 0.0)
    to_k = np.where(registered, kind, 0.0)
    to_p = kind - to_k
    tot["interest_cash"] += cash
    tot["interest_pik"] += kind
    value[j] += cash * df
    K[j] += to_k
    P[j] += to_p
    AI[j][:] = NI[j]
    nxt = note.accrual_next[t]
    if nxt:
        AI[j] += to_p * (note.rate * nxt)
        if note.pik_rate:
            AI[j] += to_k * (note.pik_rate * nxt)
    NI[j].fill(0.0)


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


__all__ = ["COMPACT_EVERY", "ChunkResult", "LowestSum", "keep_share", "last_conversion_day", "price_groups",
           "run_chunk"]
