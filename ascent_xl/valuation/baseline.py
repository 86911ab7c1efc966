"""The same model as :mod:`ascent_xl.valuation.montecarlo`, written as a plain loop: one path at a
time, one trading day at a time, Python floats.

It serves three purposes:

- a cross-check: on the same paths it gives exactly the kernel's numbers (same operations in the
  same order; the paths come from the same path source, so the random numbers are the same);
- the benchmark's reference "per-path Python loop" (:func:`run_paths`);
- a readable trace of one path's cash flows (:func:`trace_path`): every conversion, floor
  payment, interest payment, prepayment, default amount and repayment, with its date and
  discount factor, e.g. to compare a deterministic path with the deal ledger.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ascent_xl.errors import InputError
from ascent_xl.market import MarketData
from ascent_xl.money import round_cents
from ascent_xl.pricing import price_notice
from ascent_xl.valuation.contract import CONDITIONAL_RULES, IN_KIND_RULES, Contract
from ascent_xl.valuation.model import GivenPaths, PathSource, SimulatedPaths, TimeGrid
from ascent_xl.valuation.montecarlo import (
    COMPACT_EVERY,
    ChunkResult,
    keep_share,
    last_conversion_day,
    price_groups,
)
from ascent_xl.valuation.run import ValuationSetup
from ascent_xl.valuation.warrants import black_scholes_call


@dataclass(frozen=True, slots=True)
class Flow:
    """One cash flow, share delivery or sale of a traced path.

    ``kind``: ``conversion`` (``shares`` delivered for ``principal`` + ``pik`` + ``interest``
    USD converted at ``price``; ``all_interest`` when it took all the accrued interest,
    ``in_full`` when it took all the principal),
    ``floor payment``, ``holder sale`` (``shares`` sold at ``vwap``; ``in_full`` when they were
    all the shares it held), ``interest cash``,
    ``interest pik``, ``prepayment`` (at ``premium``), ``default amount``, ``default reset``
    (``price`` is the reset price), ``repayment`` (principal, PIK notes and interest at
    maturity). ``date`` is the trading day of the flow, ``due`` the nominal date of an interest
    payment or repayment. ``cash`` is what the company pays in USD; ``value`` the flow's value
    to the holder discounted to the valuation date.
    """

    date: dt.date
    kind: str
    note: str
    principal: float = 0.0
    pik: float = 0.0
    interest: float = 0.0
    shares: float = 0.0
    price: float = 0.0
    vwap: float = 0.0
    cash: float = 0.0
    value: float = 0.0
    premium: float = 0.0
    all_interest: bool = False
    in_full: bool = False
    due: dt.date | None = None


@dataclass(frozen=True, eq=False)
class PathTrace:
    """One path's VWAPs (days 0..T) and its flows, in date order."""

    dates: np.ndarray
    vwaps: np.ndarray
    flows: tuple[Flow, ...]
    note_values: dict[str, float]
    calendar: str

    def value(self, note: str | None = None) -> float:
        """Discounted value of one note's flows (all notes when None), USD."""
        return sum(f.value for f in self.flows if note is None or f.note == note)

    def market(self, history_dates: np.ndarray, history: np.ndarray) -> MarketData:
        """The path as market data: ``history`` VWAPs on ``history_dates`` (the days up to the
        valuation date) followed by the path's VWAPs of days 1..T."""
        dates = np.concatenate([history_dates, self.dates[1:]])
        return MarketData.from_arrays(dates, np.concatenate([history, self.vwaps[1:]]),
                                      calendar=self.calendar)

    def events(self) -> list[list[Any]]:
        """The holder's and the company's decisions as event-table rows ``[Date, Event, Note,
        Amount, Value]`` for :func:`ascent_xl.events.parse_events`: a Conversion per note and
        day (Amount: principal and PIK notes converted, blank when all of it; Value: interest
        converted, ``all`` when all of it), a Holder Sale per day (Amount blank when it sold every
        share it held), Prepayment,
        Default (redeem or reset) and, on each
        nominal interest date, an Interest Election of what was paid (cash or pik). "All of it"
        is written as a blank or ``all`` so that the ledger's cent rounding cannot leave a
        conversion or a sale a cent or a share short."""
        rows: list[list[Any]] = []
        defaults = set()
        for f in self.flows:
            if f.kind == "conversion":
                interest = "all" if f.all_interest else (round_cents(f.interest) or None)
                principal = None if f.in_full else round_cents(f.principal + f.pik)  # the ledger takes cents
                rows.append([f.date, "Conversion", f.note, principal, interest])
            elif f.kind == "holder sale":
                rows.append([f.date, "Holder Sale", None, None if f.in_full else f.shares, None])
            elif f.kind == "prepayment":
                rows.append([f.date, "Prepayment", f.note, round_cents(f.principal + f.pik), f.premium])
            elif f.kind in ("default amount", "default reset") and f.date not in defaults:
                defaults.add(f.date)
                rows.append([f.date, "Default", None, None, "redeem" if f.kind == "default amount" else "reset"])
            elif f.kind in ("interest cash", "interest pik"):
                rows.append([f.due, "Interest Election", f.note, None, f.kind.split()[1]])
        return rows


def path_data(contract: Contract, grid: TimeGrid, source: PathSource) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Advance ``source`` through every day: VWAPs and volumes of days 1..T as ``(T, n)`` arrays,
    and each path's price on the warrants' pricing day."""
    T, n = grid.days, source.n
    vwap, volume = np.empty((T, n)), np.empty((T, n))
    price = np.zeros(n)
    for t in range(1, T + 1):
        source.advance(t)
        vwap[t - 1], volume[t - 1] = source.vwap, source.volume
        if contract.warrant is not None and t == contract.warrant.day:
            price = source.price()
    return vwap, volume, price


def _log_prices(source: SimulatedPaths, grid: TimeGrid, days: set[int]) -> dict[int, np.ndarray]:
    """Each day's log price of every path on ``days`` (a fresh run of the same paths)."""
    out = {}
    for t in range(1, grid.days + 1):
        source.advance(t)
        if t in days:
            out[t] = source.log_price.copy()
    return out


def run_paths(setup: ValuationSetup, *, paths: int | None = None, seed: int = 0,
              vwap_paths: Any = None) -> ChunkResult:
    """Value ``paths`` simulated paths (or given ``vwap_paths``) one path at a time.

    With the same ``seed`` the paths are those of the first ``paths`` paths of
    :func:`~ascent_xl.valuation.run.run_valuation`, so the per-path numbers must be identical.
    """
    c, grid, model = setup.contract, setup.grid, setup.model
    if vwap_paths is not None:
        source: PathSource = GivenPaths(model, grid, vwap_paths)
    elif paths is None or paths < 1:
        raise InputError("paths: give the number of paths (1 or more) or vwap_paths")
    else:
        source = SimulatedPaths(model, grid, seed=seed, first=0, n=paths)
    vwap, volume, price = path_data(c, grid, source)
    n = source.n
    J = len(c.notes)
    keys = ("converted", "converted_interest", "converted_pik", "floor_paid", "interest_cash", "interest_pik", "principal_cash",
            "default_cash", "prepaid_cash")
    out = {k: np.zeros(n) for k in keys}
    values, shares = np.zeros((J, n)), np.zeros(n)
    left = np.full(n, -1)
    for i in range(n):
        r = _path(c, grid, vwap[:, i].tolist(), volume[:, i].tolist(), None)
        values[:, i] = r["values"]
        shares[i] = r["shares"]
        if r["left"] is not None:
            left[i] = r["left"]
        for k in keys:
            out[k][i] = r[k]
    if isinstance(source, SimulatedPaths) and c.warrant is not None:
        # a path whose notes settled before the warrants' day: its price then in one step from
        # its price on the day it left (SimulatedPaths.leave), as the kernel draws it
        early = np.flatnonzero((left >= 0) & (left < c.warrant.day))
        if len(early):
            logs = _log_prices(SimulatedPaths(model, grid, seed=seed, first=0, n=paths or 0), grid,
                               {int(d) for d in left[early]})
            base = np.array([logs[int(left[i])][i] for i in early])
            price = price.copy()
            price[early] = np.exp(source.log_price_after(early, left[early], base, c.warrant.day))
    return ChunkResult(note_values=values, warrant_value=_warrants(c, grid, price), shares=shares,
                       sample=np.empty((grid.days + 1, 0)), **out)


def trace_path(setup: ValuationSetup, *, vwaps: Any = None, seed: int = 0, path: int = 0) -> PathTrace:
    """The flows of one path: the given ``vwaps`` (days 1..T), or path number ``path`` of the
    simulation with ``seed``.

    With zero volatility and no VWAP noise the simulated path is deterministic (the spot growing
    at the drift); its trace is then the deal's deterministic schedule under the behaviour rules.
    """
    c, grid, model = setup.contract, setup.grid, setup.model
    if vwaps is not None:
        source: PathSource = GivenPaths(model, grid, np.asarray(vwaps, dtype=float).reshape(1, -1))
        col = 0
    else:
        source = SimulatedPaths(model, grid, seed=seed, first=0, n=path + 1)
        col = path
    vwap, volume, _ = path_data(c, grid, source)
    flows: list[Flow] = []
    r = _path(c, grid, vwap[:, col].tolist(), volume[:, col].tolist(), flows)
    return PathTrace(
        dates=grid.dates,
        vwaps=np.concatenate([[c.history[-1]], vwap[:, col]]),
        flows=tuple(flows),
        note_values={note.name: float(v) for note, v in zip(c.notes, r["values"], strict=True)},
        calendar=grid.calendar.name,
    )


def _warrants(c: Contract, grid: TimeGrid, price: np.ndarray) -> np.ndarray:
    if c.warrant is None:
        return np.zeros(len(price))
    w = c.warrant
    call = black_scholes_call(spot=price, strike=w.strike, years=w.years_after, rate=w.rate,
                              volatility=w.volatility)
    return call * (w.shares * grid.df_equity[w.day])


def _round6(x: float) -> float:
    """``numpy.round(x, 6)``: scale, round half to even, unscale."""
    return round(x * 1e6) / 1e6


def _shares(x: float, rounding: str) -> float:
    x = _round6(x)
    if rounding == "up":
        return float(math.ceil(x))
    if rounding == "down":
        return float(math.floor(x))
    return float(math.floor(x + 0.5))


def _lowest_sum(values: list[float], k: int) -> float:
    low = sorted(values)[:k]
    total = low[0]
    for v in low[1:]:
        total += v
    return total


def _path(c: Contract, grid: TimeGrid, vwap: list[float], volume: list[float],
          flows: list[Flow] | None) -> dict[str, Any]:
    """One path, day by day. ``vwap``/``volume`` hold days 1..T; ``flows`` collects a trace."""
    notes, J, T = c.notes, len(c.notes), grid.days
    names = [note.name for note in notes]
    dates = [d.item() for d in grid.dates]
    dfe, dfc = grid.df_equity.tolist(), grid.df_cash.tolist()
    P = [float(note.principal) for note in notes]
    K = [float(note.pik_principal) for note in notes]
    AI = [float(note.accrued) for note in notes]
    NI = [0.0] * J
    value = [0.0] * J
    O, H = float(c.shares_outstanding), float(c.holder_shares)
    groups, of_note = price_groups(c)  # each note's (fixed price, floor) group, as the kernel
    fixed = [float(f) for f, _ in groups]
    floors = [float(fl) for _, fl in groups]
    modes = ["none" if not fl else "make_up" if c.floor_cash else "cap" for fl in floors]
    tot = dict.fromkeys(("converted", "converted_interest", "converted_pik", "floor_paid", "interest_cash", "interest_pik", "principal_cash",
                         "default_cash", "prepaid_cash"), 0.0)
    hist = c.history.tolist()
    past = hist + []  # VWAPs of days up to yesterday (history first)
    dv_hist = (c.history * c.history_volume).tolist()
    cap_hist = (c.history * c.shares_outstanding).tolist()
    dollar_volume: list[float] = []
    market_cap: list[float] = []
    cap, leak = c.ownership_cap, c.leak_out
    keep_cap = keep_share(cap)
    raise_day, raised = c.cap_raise if c.cap_raise is not None else (-1, cap)
    scale = 1.0 - (c.alternate_discount or 0.0)
    settle_start = {t for note in notes for t, due in note.due.items() if due < dates[t]}
    settle_end = {t for note in notes for t, due in note.due.items() if due == dates[t]}
    last_days = {last_conversion_day(note, grid) for note in notes}
    prepay: dict[int, list] = {}
    for plan in c.prepayments:
        prepay.setdefault(plan.day, []).append(plan)
    inf = math.inf
    buckets = [(["AI"] if c.convert_interest else []) + (["K"] if note.pik_notes else []) + ["P"]
               for note in notes]

    def record(kind: str, j: int, t: int, **kw: Any) -> None:
        if flows is not None:
            flows.append(Flow(date=dates[t], kind=kind, note=names[j], **kw))

    def settle(t: int, today: dt.date | None) -> None:
        ok = None
        for j, note in enumerate(notes):
            due = note.due.get(t)
            if due is None or (due != today if today else due == dates[t]):
                continue
            if note.interest_days.get(t) is not None:
                rule = note.interest_days[t]
                if rule in CONDITIONAL_RULES and ok is None:
                    ok = _equity_ok(c, _window(dv_hist, dollar_volume, t, c.equity.days),
                                    _window(cap_hist, market_cap, t, c.equity.days))
                pik = rule in IN_KIND_RULES or (rule == "equity_conditions" and ok)
                amount = AI[j]
                to_k = to_p = 0.0
                if pik:
                    tot["interest_pik"] += amount
                    if note.pik_notes and (rule != "pik_or_private" or ok):
                        to_k = amount
                        K[j] += amount
                    else:  # capitalised, or a private PIK note valued as the note's principal
                        to_p = amount
                        P[j] += amount
                    if amount:
                        record("interest pik", j, t, interest=amount, due=due)
                else:
                    tot["interest_cash"] += amount
                    value[j] += amount * dfc[t]
                    if amount:
                        record("interest cash", j, t, interest=amount, cash=amount, value=amount * dfc[t],
                               due=due)
                AI[j], NI[j] = NI[j], 0.0
                nxt = note.accrual_next[t]
                if nxt:  # the PIK paid today bears interest from the nominal date
                    AI[j] += to_p * (note.rate * nxt)
                    if note.pik_rate:
                        AI[j] += to_k * (note.pik_rate * nxt)
            elif note.maturity_day == t:
                owed = P[j] + AI[j]
                pc = tot["principal_cash"]
                if note.pik_notes:
                    owed += K[j]
                    pc += K[j]
                tot["principal_cash"] = pc + P[j]
                tot["interest_cash"] += AI[j]
                value[j] += owed * dfc[t]
                if owed:
                    record("repayment", j, t, principal=P[j], pik=K[j], interest=AI[j], cash=owed,
                           value=owed * dfc[t], due=due)
                P[j] = K[j] = AI[j] = 0.0

    settled = None  # the day after whose events nothing is owed
    for t in range(1, T + 1):
        if not any(P) and not any(K) and not any(AI) and not any(NI):
            settled = t - 1
            break  # settled: nothing left to pay or convert
        V, vol = vwap[t - 1], volume[t - 1]
        if t == raise_day:  # the holder's raise takes effect: its cap from today's conversions on
            cap = raised
            keep_cap = keep_share(cap)
        for j, note in enumerate(notes):
            inc = note.accrual[t]
            if inc:
                AI[j] += P[j] * (note.rate * inc)
                if note.pik_rate and note.pik_notes:
                    AI[j] += K[j] * (note.pik_rate * inc)
            nxt = note.accrual_next[t]
            if nxt:
                NI[j] = P[j] * (note.rate * nxt)
                if note.pik_rate and note.pik_notes:
                    NI[j] += K[j] * (note.pik_rate * nxt)
        if t in settle_start:
            settle(t, None)
        if c.alternate_discount is not None:
            alt = _lowest_sum(past[-c.alternate_days:], c.alternate_lowest)
            alt /= c.alternate_lowest
            alt *= scale
            alts = [alt] * len(groups)
        else:
            alts = list(fixed)
        # the one conversion rule (pricing.price_notice): price, floor, floor payment due
        pns = [price_notice(fixed_price=f, alternate_price=a, floor_price=fl, floor_mode=m)
               for f, a, fl, m in zip(fixed, alts, floors, modes, strict=True)]
        if c.default is not None and t == c.default.day:
            fixed = _default(c, t, dfc[t], V, pns, of_note, fixed, past, P, K, AI, NI, value, tot, record)
            pns = [price_notice(fixed_price=f, alternate_price=a, floor_price=fl, floor_mode=m)
                   for f, a, fl, m in zip(fixed, alts, floors, modes, strict=True)]
        past.append(V)
        dollar_volume.append(vol * V)
        market_cap.append(V * O)
        lv = float(math.floor(vol * leak))
        unfloored = [V / pn.unfloored_price for pn in pns]
        fpfs = [r - V / pn.conversion_price if pn.floor_pays else 0.0  # floor_mode cap or none: no cash
                for r, pn in zip(unfloored, pns, strict=True)]
        # what a USD converted is worth (shares plus floor payment): under floor_mode cap, its
        # shares at the floor; else its shares at the unfloored price (the make-up pays the rest)
        ratios = [r if pn.floor_pays else V / pn.conversion_price
                  for r, pn in zip(unfloored, pns, strict=True)]
        ratio = max(ratios)  # the note priced best for the holder decides whether it converts
        want = lv * (1.0 if ratio >= c.min_conversion_value else 0.0) if c.sell_through else 0.0
        if c.convert_all_above < inf and ratio >= c.convert_all_above:
            want = inf
        for plan in prepay.get(t, ()):
            if ratio > plan.premium:
                want = inf
        if c.convert_at_maturity and t in last_days and ratio > 1.0:
            want = inf
        room = inf
        if cap < 1:
            room = O * cap
            room -= H
            room /= keep_cap
            room = max(float(math.floor(_round6(room))), 0.0)
            want = min(want, room)
        last = of_note[0] if J else 0
        rem = want * pns[last].conversion_price  # USD the holder asks to convert (inf: all it may)
        y = V * dfe[t]
        conv = 0.0
        for j in range(J):
            g = of_note[j]
            p = pns[g].conversion_price
            if g != last:  # what is left of the request, in USD at this note's price
                rem *= p / pns[last].conversion_price
                last = g
            if cap < 1:  # no more than the room the earlier notes left (shares rounded up)
                rem = min(rem, room * p)
            aj = 0.0
            parts = {}
            for i, b in enumerate(buckets[j]):
                store = {"AI": AI, "K": K, "P": P}[b]
                part = min(rem, store[j])
                store[j] -= part
                rem -= part
                aj = part if i == 0 else aj + part
                parts[b] = part
                if b != "P":
                    tot["converted_interest" if b == "AI" else "converted_pik"] += part
            s = _shares(aj / p, c.share_rounding)
            value[j] += s * y
            pay = 0.0
            if floors[g]:
                fpc = fpfs[g] * dfc[t]
                pay = aj * fpfs[g]
                value[j] += aj * fpc
                tot["floor_paid"] += pay
            O += s
            H += s
            if cap < 1:
                room -= s
            conv = aj if j == 0 else conv + aj
            if aj:
                record("conversion", j, t, principal=parts.get("P", 0.0), pik=parts.get("K", 0.0),
                       interest=parts.get("AI", 0.0), shares=s, price=p, vwap=V, value=s * y,
                       all_interest=bool(parts.get("AI", 0.0)) and AI[j] == 0.0,
                       in_full=P[j] == 0.0 and K[j] == 0.0)
                if pay:
                    record("floor payment", j, t, cash=pay, price=pns[g].unfloored_price, vwap=V,
                           value=aj * fpc)
        if J:
            tot["converted"] += conv
        sold = min(H, lv)
        H -= sold
        if sold and flows is not None:
            flows.append(Flow(date=dates[t], kind="holder sale", note="", shares=sold, vwap=V,
                              in_full=H == 0.0))
        for plan in prepay.get(t, ()):
            _prepay(plan, t, dfc[t], P, K, AI, value, tot, notes, record)
        if t in settle_end:
            settle(t, dates[t])
    # the day it leaves the kernel's loop: the first check day (a multiple of COMPACT_EVERY
    # before the last day) on which it is settled; after it, its price is drawn in one step
    left = None
    if settled is not None:
        left = max(COMPACT_EVERY, -(-settled // COMPACT_EVERY) * COMPACT_EVERY)
        left = left if left < T else None
    return {"values": value, "shares": O - c.shares_outstanding, "left": left, **tot}


def _equity_ok(c: Contract, dollar_volume: list[float], market_cap: list[float]) -> bool:
    e = c.equity
    middle = sorted(dollar_volume)[e.trim_lowest:e.days - e.trim_highest]
    avg = middle[0]
    for v in middle[1:]:
        avg += v
    avg /= len(middle)
    days_ok = sum(m >= e.min_market_cap for m in market_cap)
    return avg >= e.min_dollar_volume and days_ok >= e.min_market_cap_days


def _window(history: list[float], days: list[float], t: int, size: int) -> list[float]:
    """The ``size`` values of the days before day t: history first, then days 1..t-1."""
    return (history + days[: t - 1])[-size:]


def _prepay(plan: Any, t: int, df: float, P: list[float], K: list[float], AI: list[float],
            value: list[float], tot: dict[str, float], notes: Any, record: Any) -> None:
    left = plan.amount
    for j in plan.notes:
        xp = min(left, P[j])
        share = xp / P[j] if P[j] > 0 else 0.0
        interest = AI[j] * share
        P[j] -= xp
        AI[j] -= interest
        left -= xp
        principal = xp
        xk = 0.0
        if notes[j].pik_notes:
            xk = min(left, K[j])
            K[j] -= xk
            left -= xk
            principal = xp + xk
        cash = principal * plan.premium + interest
        tot["prepaid_cash"] += cash
        value[j] += cash * df
        if cash:
            record("prepayment", j, t, principal=xp, pik=xk, interest=interest, cash=cash, value=cash * df,
                   premium=plan.premium)


def _default(c: Contract, t: int, df: float, V: float, pns: list[Any], of_note: list[int],
             fixed: list[float], past: list[float], P: list[float], K: list[float], AI: list[float],
             NI: list[float], value: list[float], tot: dict[str, float], record: Any) -> list[float]:
    """The event of default on day t; ``pns`` are the prices of a notice that day, one per price
    group (``of_note``: each note's group). Returns the groups' fixed prices after it."""
    d = c.default
    assert d is not None
    low = _lowest_sum(past[-d.reset_days:], d.reset_lowest)
    reset = d.reset_factor * (low / d.reset_lowest)
    cash, amounts = 0.0, []
    owed = [0.0] * len(pns)
    for j, note in enumerate(c.notes):
        price = pns[of_note[j]].conversion_price
        principal = P[j] + K[j] if note.pik_notes else P[j]
        inside = AI[j] if d.parity_includes_interest else 0.0  # pricing.mandatory_default_amount
        parity = (principal + inside) / price * V
        premium = d.premium * principal + (d.premium * AI[j] if d.premium_on_interest else inside)
        amounts.append(max(parity, premium) + (AI[j] - inside))
        cash += amounts[-1]
        owed[of_note[j]] += principal + AI[j]
    if d.election == "redeem":
        redeem = True
    elif d.election == "reset":
        redeem = False
    else:
        shares = owed[0] / min(reset, pns[0].unfloored_price)
        for g in range(1, len(pns)):
            shares += owed[g] / min(reset, pns[g].unfloored_price)
        redeem = cash >= shares * V
    if redeem:
        for j in range(len(P)):
            value[j] += amounts[j] * df
            tot["default_cash"] += amounts[j]
            if amounts[j]:
                record("default amount", j, t, principal=P[j], pik=K[j], interest=AI[j],
                       cash=amounts[j], vwap=V, value=amounts[j] * df)
            P[j] = K[j] = AI[j] = NI[j] = 0.0
        return fixed
    for j in range(len(P)):
        record("default reset", j, t, price=reset, vwap=V)
    return [min(f, reset) for f in fixed]


__all__ = ["Flow", "PathTrace", "path_data", "run_paths", "trace_path"]
