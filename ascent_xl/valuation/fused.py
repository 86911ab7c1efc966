"""The kernel's ordinary day compiled by numba (optional): the accrual, the holder's request,
the ownership cap, the conversions note by note and the leak-out sales in a few loops over the
paths instead of about a hundred numpy passes; and the lowest-VWAP window's day (:func:`window`:
the sum of the lowest VWAPs, then today's pushed; :func:`tails` when a block of the window
completes), which ``LowestSum.sum_push`` calls; and the path source's arithmetic
(:func:`uniforms`, :func:`uniforms_at`, :func:`normals`, :func:`move`, :func:`log_vwap`), which
``SimulatedPaths`` runs once the kernel calls its ``compile_with``: the random draws, the
normals' logarithm, cosine and sine and the exponentials of the VWAPs and volumes stay numpy's,
whose vectorised transcendental functions need not round as numba's do in the last bit.

:func:`ascent_xl.valuation.montecarlo.run_chunk` calls :func:`day` for those parts of each
trading day; the rare days (interest payments, the default, prepayments, maturity, the equity
conditions) stay in numpy between its stages. Each
loop is written without branches on the paths' numbers (minima, maxima, selections), so that the
compiler turns it into vector instructions: one pass does what many numpy passes did, with the
numbers in registers.

The loops do, path by path, the same IEEE operations in the same order as the numpy kernel (no
fast-math, so no fused multiply-adds or reassociation), so the two kernels give the same numbers
bit for bit (``min`` and ``max`` of two numbers, none of them nan, are numpy's but for the sign
of a zero, which no result depends on); tests compare them on every feature.

numba is an optional dependency (``pip install -e ".[fast]"``). This module is imported only
when a valuation runs (by ``run_chunk``), never by an ``ascent-xl refresh`` that values nothing;
:func:`available` is False when numba is missing or ``ASCENT_XL_NUMBA=0``, and the numpy kernel
runs. The compiled code is cached on disk (``cache=True``, beside this file or in numba's user
cache): the first valuation of an install compiles for a few seconds, later processes load it.
"""

from __future__ import annotations

import os

import numpy as np

try:
    import numba
except ImportError:  # pragma: no cover - depends on the environment
    numba = None  # type: ignore[assignment]

ROUNDING = {"up": 0, "down": 1, "nearest": 2}
"""The terms' share rounding rule, as the code the compiled loop takes."""

ACCRUE, PRICE, CONVERT = 1, 2, 4
"""Stages of :func:`day` (a sum of them): the accrual, the conversion price, the conversions and
sales."""


def available() -> bool:
    """True when the fused kernel can run: numba imported and not switched off by
    ``ASCENT_XL_NUMBA=0``."""
    return numba is not None and os.environ.get("ASCENT_XL_NUMBA", "1") != "0"


def _round6(x):
    """``x`` rounded to 6 decimals as ``montecarlo._round6`` (``numpy.round(x, 6)``)."""
    return np.rint(x * 1e6) / 1e6


def _shares(x, rounding):
    """Shares ``x`` rounded by the terms' rule after rounding to 6 decimals (a selection, so
    that a loop over paths stays a vector loop)."""
    x = _round6(x)
    return np.ceil(x) if rounding == 0 else (np.floor(x) if rounding == 1 else np.floor(x + 0.5))


def _accrue(P, K, AI, NI, inc, pik_inc, nxt, pik_nxt, flags):
    """The interest accrual over the step, note by note, as ``run_chunk``: ``flags[j]`` bit 1:
    accrue ``inc`` on the principal, 2: and ``pik_inc`` on the PIK notes, 4: set the next
    period's ``nxt``, 8: and add ``pik_nxt``."""
    for j in range(P.shape[0]):
        f = flags[j]
        a, b, c, d = inc[j], pik_inc[j], nxt[j], pik_nxt[j]
        for i in range(P.shape[1]):
            if f & 1:
                AI[j, i] += P[j, i] * a
                if f & 2:
                    AI[j, i] += K[j, i] * b
            if f & 4:
                NI[j, i] = P[j, i] * c
                if f & 8:
                    NI[j, i] += K[j, i] * d


def _price(alt, fixed, k, scale, U):
    """The unfloored conversion price per price group: the lower of the fixed price and
    ``scale`` x the mean of the window's ``k`` lowest VWAPs (``alt``: their sum); ``k`` 0: the
    fixed price."""
    G, n = U.shape
    if k == 0:
        for g in range(G):
            for i in range(n):
                U[g, i] = fixed[g, i]
        return
    for i in range(n):
        a = alt[i] / k
        a *= scale
        alt[i] = a
    for g in range(G):
        for i in range(n):
            U[g, i] = min(fixed[g, i], alt[i])


def _convert(V, vol, U, floors, floor_cash, leak, sell_through, min_value, above, thresholds,
             cap, keep_cap, of_note, buckets, AI, K, P, value, O, H, converted, conv_interest,
             conv_pik, floor_paid, df_equity, df_cash, rounding, work):
    """Every path's day after the conversion price, in the order of ``run_chunk``'s array
    operations: the holder's request, the cap, the conversions note by note (``buckets[j]``
    bit 1: the accrued interest, 2: the PIK notes, then the principal), the leak-out sales.

    A few passes over the paths, each a loop without branches on the paths' numbers (minima,
    maxima and selections), which the compiler turns into vector instructions."""
    G, n = U.shape
    J = P.shape[0]
    # scratch rows of ``work`` (no allocation per day): per price group the conversion price,
    # the conversion value per USD and the floor payment per USD; then per path
    PR, RATIO, FPF = 0, G, 2 * G
    b = 3 * G
    lv, ratio, rem, room, aj, conv = work[b], work[b + 1], work[b + 2], work[b + 3], work[b + 4], work[b + 5]
    capped = cap < 1
    for i in range(n):  # whole shares the holder may sell today under the leak-out
        lv[i] = np.floor(vol[i] * leak)
    for g in range(G):  # conversion value per USD: shares plus floor payment
        floor = floors[g]
        if floor and floor_cash:
            for i in range(n):
                v, u = V[i], U[g, i]
                pr = max(u, floor)
                r = v / u
                work[PR + g, i] = pr
                work[RATIO + g, i] = r
                work[FPF + g, i] = r - v / pr
        elif floor:  # floor_mode cap: the price stops at the floor, no cash
            for i in range(n):
                pr = max(U[g, i], floor)
                work[PR + g, i] = pr
                work[RATIO + g, i] = V[i] / pr
        else:
            for i in range(n):
                u = U[g, i]
                work[PR + g, i] = u
                work[RATIO + g, i] = V[i] / u
    for i in range(n):
        ratio[i] = work[RATIO, i]
    for g in range(1, G):  # the note priced best for the holder decides
        for i in range(n):
            ratio[i] = max(ratio[i], work[RATIO + g, i])
    inf = np.inf
    for i in range(n):  # the holder's request, in shares (inf: all it may)
        r = ratio[i]
        w = lv[i] * (1.0 if r >= min_value else 0.0) if sell_through else 0.0
        if above < inf:
            w = inf if r >= above else w
        rem[i] = w
    for q in range(thresholds.shape[0]):
        th = thresholds[q]
        for i in range(n):
            rem[i] = inf if ratio[i] > th else rem[i]
    last = of_note[0]
    if capped:
        for i in range(n):
            rm = O[i] * cap
            rm -= H[i]
            rm /= keep_cap
            rm = max(np.floor(_round6(rm)), 0.0)
            room[i] = rm
            rem[i] = min(rem[i], rm) * work[PR + last, i]  # USD the holder asks to convert
    else:
        for i in range(n):
            rem[i] = rem[i] * work[PR + last, i]
    for j in range(J):  # note by note, in order
        if j:
            left = False
            for i in range(n):
                if rem[i] != 0.0:
                    left = True
                    break
            if not left:
                break  # nothing left to convert on any path
        g = of_note[j]
        if g != last:  # what is left of the request, in USD at this note's price
            for i in range(n):
                rem[i] *= work[PR + g, i] / work[PR + last, i]
            last = g
        if capped:  # no more than the room the earlier notes left
            for i in range(n):
                rem[i] = min(rem[i], room[i] * work[PR + g, i])
        bk = buckets[j]
        first = True
        for kind in range(3):  # accrued interest, PIK notes, principal
            if (kind == 0 and not bk & 1) or (kind == 1 and not bk & 2):
                continue
            B = AI if kind == 0 else (K if kind == 1 else P)
            share = conv_interest if kind == 0 else conv_pik  # the interest's or the PIK notes'
            for i in range(n):
                x = rem[i]
                bucket = B[j, i]
                part = min(x, bucket)
                B[j, i] = bucket - part
                rem[i] = x - part
                aj[i] = part if first else aj[i] + part
                if kind < 2:
                    share[i] += part
            first = False
        for i in range(n):
            s = _shares(aj[i] / work[PR + g, i], rounding)
            value[j, i] += s * (V[i] * df_equity)
            O[i] += s
            H[i] += s
            room[i] -= s
            conv[i] = conv[i] + aj[i] if j else aj[i]
        if floors[g] and floor_cash:  # (floor_mode cap: no floor payment, nothing to add)
            for i in range(n):
                f = work[FPF + g, i]
                value[j, i] += aj[i] * (f * df_cash)
                floor_paid[i] += aj[i] * f
    for i in range(n):
        converted[i] += conv[i]
        h = H[i]
        H[i] = h - min(h, lv[i])  # then the holder sells (conversions first, then sales)


def _window(tails, r, head, block, V, out):
    """:class:`~ascent_xl.valuation.montecarlo.LowestSum`'s day, path by path: ``out`` = the sum
    of the ``k`` lowest of the window before today (``sum_into``: the merge of the tails' row
    ``r`` and the head, smallest first), then today's ``V`` pushed (``push``: stored as row
    ``r`` of the block and inserted into the head), with the same minima, maxima and additions
    in the same order as the numpy methods. ``tails`` and ``head`` are tuples of ``k`` arrays
    (the tails' ``(w, paths)`` and the head's row of each rank): ``k`` is then known to the
    compiler, which unrolls the loops over the ranks and vectorises the loop over the paths."""
    k = len(head)
    n = V.shape[0]
    inf = np.inf
    if r == 0:  # the window is the last complete block; today starts a new head
        for i in range(n):
            s = tails[0][0, i]
            for m in range(1, k):
                s += tails[m][0, i]
            out[i] = s
            v = V[i]
            head[0][i] = v
            for m in range(1, k):
                head[m][i] = inf
            block[0, i] = v
        return
    for i in range(n):
        s = 0.0
        for m in range(k):  # the (m+1)-th lowest of the merge
            t = min(tails[m][r, i], head[m][i])
            for q in range(m):
                t = min(t, max(tails[q][r, i], head[m - 1 - q][i]))
            s = t if m == 0 else s + t
        out[i] = s
        v = V[i]
        for m in range(k - 1, 0, -1):
            head[m][i] = min(head[m][i], max(head[m - 1][i], v))
        head[0][i] = min(head[0][i], v)
        block[r, i] = v


def _tails(block, tails):
    """``LowestSum._complete``: the sorted ``k`` lowest of every tail of the block, path by
    path, by the same insertions as the numpy method (``tails`` as :func:`_window` takes it)."""
    k = len(tails)
    w, n = block.shape
    inf = np.inf
    for i in range(n):
        tails[0][w - 1, i] = block[w - 1, i]
        for m in range(1, k):
            tails[m][w - 1, i] = inf
    for p in range(w - 2, -1, -1):
        for i in range(n):
            x = block[p, i]
            for m in range(k - 1, 0, -1):
                tails[m][p, i] = min(tails[m][p + 1, i], max(tails[m - 1][p + 1, i], x))
            tails[0][p, i] = min(tails[0][p + 1, i], x)

EVERY, BY_PATH, IN_ORDER = 0, 1, 2
"""How :func:`move` and :func:`log_vwap` read their paths and normals: every path (the
normals by path); the paths of an index array with the normals by path; the same with the
normals in the index array's order."""


def _move(mode, log_price, z, which, shock, trend):
    """``SimulatedPaths``' day: the log price of each moving path plus ``z * shock + trend``
    (``z`` the path's float32 normal), as the numpy source computes it (``x = z * shock`` in
    float64, ``x += trend``, ``log_price += x``). ``mode`` :data:`EVERY`: every path;
    :data:`BY_PATH` / :data:`IN_ORDER`: the paths ``which``, their normals ``z[path]`` /
    ``z[j]``. (A loop per mode: the compiler vectorises each.)"""
    if mode == 0:
        for i in range(log_price.shape[0]):
            log_price[i] += np.float64(z[i]) * shock + trend
    elif mode == 1:
        for j in range(which.shape[0]):
            i = which[j]
            log_price[i] += np.float64(z[i]) * shock + trend
    else:
        for j in range(which.shape[0]):
            i = which[j]
            log_price[i] += np.float64(z[j]) * shock + trend


def _log_vwap(mode, log_price, z, live, nu, nu_shift, neg_elasticity, log_volume0, x, y):
    """The live paths' log VWAP ``x`` = log price + ``z * nu + nu_shift`` (``nu`` 0: the log
    price) and, with an elasticity, their log volume ``y`` = ``x * -elasticity +
    log_volume0``, in the numpy source's order of operations. ``mode`` as :func:`move`'s, with
    ``live`` the paths (:data:`EVERY`: all of ``log_price``)."""
    m = log_price.shape[0] if mode == 0 else live.shape[0]
    if not nu:
        if mode == 0:
            for j in range(m):
                x[j] = log_price[j]
        else:
            for j in range(m):
                x[j] = log_price[live[j]]
    elif mode == 0:
        for j in range(m):
            x[j] = log_price[j] + (np.float64(z[j]) * nu + nu_shift)
    elif mode == 1:
        for j in range(m):
            i = live[j]
            x[j] = log_price[i] + (np.float64(z[i]) * nu + nu_shift)
    else:
        for j in range(m):
            x[j] = log_price[live[j]] + (np.float64(z[j]) * nu + nu_shift)
    if neg_elasticity:
        for j in range(m):
            y[j] = x[j] * neg_elasticity + log_volume0


def _uniforms(halves, r, u2, scale, angle):
    """Box-Muller's inputs from a batch of raw draws, as ``SimulatedPaths._draw`` computes them
    in numpy: ``halves`` ``(days, blocks, 2, paths of a block)`` the draws as uint32 (u1's
    bits, then u2's), ``r`` = ``(2**24 - (bits >> 8)) * scale`` (1 - u1, ``scale`` 2**-24) and
    ``u2`` = ``(bits >> 8) * angle`` (2 pi u2), both float32 ``(days, paths)``: integer
    operations and float32 products by the same float32 constants, so the same numbers."""
    D, B, _, W = halves.shape
    for d in range(D):
        for b in range(B):
            for j in range(W):
                i1 = np.int64(halves[d, b, 0, j] >> 8)
                i2 = np.int64(halves[d, b, 1, j] >> 8)
                r[d, b * W + j] = np.float32(16777216 - i1) * scale
                u2[d, b * W + j] = np.float32(i2) * angle


def _uniforms_at(bits, at, block, r, u2, scale, angle):
    """:func:`uniforms` for some paths of a day: ``bits`` the day's draws as uint32, ``at`` the
    positions of the paths' u1 bits (their u2 bits ``block`` later)."""
    for j in range(at.shape[0]):
        i1 = np.int64(bits[at[j]] >> 8)
        i2 = np.int64(bits[at[j] + block] >> 8)
        r[j] = np.float32(16777216 - i1) * scale
        u2[j] = np.float32(i2) * angle


def _normals(log_r, z1, z2, both):
    """The Box-Muller normals from ``log_r`` (the logarithm of 1 - u1, numpy's) and the cosines
    ``z1`` (and sines ``z2`` when ``both``) of 2 pi u2, numpy's: each times the radius
    ``sqrt(-2 log_r)``, which replaces ``log_r``; all in float32 as ``SimulatedPaths._draw``
    computes them (``log_r * -2``, its square root, the products)."""
    minus_two = np.float32(-2.0)
    if both:
        for i in range(log_r.shape[0]):
            s = np.sqrt(log_r[i] * minus_two)
            log_r[i] = s
            z1[i] *= s
            z2[i] *= s
    else:
        for i in range(log_r.shape[0]):
            s = np.sqrt(log_r[i] * minus_two)
            log_r[i] = s
            z1[i] *= s

def _day(stage, V, vol, P, K, AI, NI, inc, pik_inc, nxt, pik_nxt, flags, alt, fixed, k, scale, U,
         floors, floor_cash, leak, sell_through, min_value, above, thresholds, cap, keep_cap,
         of_note, buckets, value, O, H, converted, conv_interest, conv_pik, floor_paid, df_equity, df_cash,
         rounding, work):
    """One day of every live path (at least one note): ``stage`` bit :data:`ACCRUE` the
    accrual, :data:`PRICE` the conversion price ``U`` (from ``alt``, the sum of the window's
    lowest VWAPs), :data:`CONVERT` the conversions and sales; ``work``: scratch, ``(3 x price
    groups + 6, paths)``."""
    if stage & 1:
        _accrue(P, K, AI, NI, inc, pik_inc, nxt, pik_nxt, flags)
    if stage & 2:
        _price(alt, fixed, k, scale, U)
    if stage & 4:
        _convert(V, vol, U, floors, floor_cash, leak, sell_through, min_value, above, thresholds,
                 cap, keep_cap, of_note, buckets, AI, K, P, value, O, H, converted, conv_interest,
                 conv_pik, floor_paid, df_equity, df_cash, rounding, work)


if numba is not None:
    _jit = numba.njit(cache=True, nogil=True, error_model="numpy")
    _round6 = _jit(_round6)
    _shares = _jit(_shares)
    _accrue = _jit(_accrue)
    _price = _jit(_price)
    _convert = _jit(_convert)
    day = _jit(_day)
    window = _jit(_window)
    tails = _jit(_tails)
    move = _jit(_move)
    log_vwap = _jit(_log_vwap)
    uniforms = _jit(_uniforms)
    uniforms_at = _jit(_uniforms_at)
    normals = _jit(_normals)
else:  # pragma: no cover - depends on the environment
    day, window, tails, move, log_vwap = _day, _window, _tails, _move, _log_vwap
    uniforms, uniforms_at, normals = _uniforms, _uniforms_at, _normals


__all__ = ["ACCRUE", "BY_PATH", "CONVERT", "EVERY", "IN_ORDER", "PRICE", "ROUNDING", "available", "day",
           "log_vwap", "move", "normals", "tails", "uniforms", "uniforms_at", "window"]
