"""The flat record the Monte Carlo kernel reads: deal terms, behaviour and model resolved onto the
valuation's trading days.

Like a pricing engine's *arguments*, :class:`Contract` is built once from the typed records
(:class:`~ascent_xl.terms.DealTerms`, :class:`~ascent_xl.valuation.behaviour.Behaviour`,
:class:`~ascent_xl.valuation.model.ModelParams`) and holds plain numbers and day indices only:
interest accrual per trading day, payment days, the default and prepayment days. The kernel and the
per-path baseline read nothing else, so both price exactly the same contract.

Validation cases change the contract directly, e.g. ``contract.replace(alternate_discount=None,
floor_price=0.0)`` prices a note with a fixed conversion price and no floor.

Interest: each note accrues on its outstanding principal under its day count, period by period;
the year fraction accrued over a trading day's step is the increase of the period's year fraction,
so a constant principal accrues exactly the contractual interest. A payment due on a date that is
not a trading day is paid on the next one; interest accrues to the nominal date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from ascent_xl.calendar import as_day, day_text
from ascent_xl.errors import InputError, TermsError, UnmodelledStateError
from ascent_xl.family import refuse_unmodelled
from ascent_xl.interest import interest_dates, year_fraction
from ascent_xl.market import MarketData
from ascent_xl.terms import DealTerms, NoteTerms
from ascent_xl.valuation.behaviour import Behaviour
from ascent_xl.valuation.model import ModelParams, TimeGrid, volume_at
from ascent_xl.valuation.start import DealStart, NoteStart


@dataclass(frozen=True, slots=True, eq=False)
class NotePlan:
    """One note on the valuation's days.

    ``accrual[t]`` is the year fraction accrued over day t's step for the period paid next;
    ``accrual_next[t]`` the part of the step after a nominal interest date (nonzero only on the
    payment day of a period that ended between two sessions). ``interest_days`` maps a payment
    day to the interest rule of that date (a key of :data:`INTEREST_RULES`), ``due``
    every payment day (interest and maturity) to its nominal date.
    """

    name: str
    principal: float
    pik_principal: float
    accrued: float
    rate: float
    pik_rate: float
    pik_notes: bool
    accrual: np.ndarray
    accrual_next: np.ndarray
    interest_days: dict[int, str]
    maturity_day: int
    due: dict[int, dt.date]
    fixed_price: float | None = None  # the note's own, where the live notes' prices differ
    floor_price: float | None = None  # (None: the contract's)


@dataclass(frozen=True, slots=True, eq=False)
class DefaultPlan:
    """The event of default: its day, the holder's election rule and the deal's default terms."""

    day: int
    election: str
    premium: float
    premium_on_interest: bool
    parity_includes_interest: bool
    reset_factor: float
    reset_days: int
    reset_lowest: int


@dataclass(frozen=True, slots=True, eq=False)
class PrepaymentPlan:
    """A scheduled prepayment: day, notes (indices, in order), principal (inf: all), premium."""

    day: int
    notes: tuple[int, ...]
    amount: float
    premium: float


@dataclass(frozen=True, slots=True, eq=False)
class EquityTest:
    """The equity conditions tested on a PIK interest date (see :mod:`ascent_xl.equity`)."""

    days: int
    trim_highest: int
    trim_lowest: int
    min_dollar_volume: float
    min_market_cap: float
    min_market_cap_days: int


@dataclass(frozen=True, slots=True, eq=False)
class WarrantPlan:
    """Warrants priced at ``day`` by Black-Scholes on each path's price, with ``years_after``
    of life left (zero when they expire within the valuation's days)."""

    shares: float
    strike: float
    day: int
    years_after: float
    rate: float
    volatility: float
    years: float  # from the valuation date to expiry


@dataclass(frozen=True, slots=True, eq=False)
class Contract:
    """Everything the kernel reads. Prices USD/share, amounts USD, days are indices 1..T of the
    :class:`~ascent_xl.valuation.model.TimeGrid`.

    ``alternate_discount`` None means no alternate price (the fixed price only);
    ``floor_price`` 0 means no floor (floor_mode none); ``floor_cash`` False means the price
    stops at the floor with no cash (floor_mode cap); ``ownership_cap`` 1 means no cap;
    ``convert_all_above`` inf means never. ``shares_outstanding`` and ``holder_shares`` are
    the counts at the end of the valuation date.
    """

    notes: tuple[NotePlan, ...]
    fixed_price: float
    alternate_discount: float | None
    alternate_days: int
    alternate_lowest: int
    floor_price: float
    share_rounding: str
    ownership_cap: float
    shares_outstanding: float
    holder_shares: float
    leak_out: float
    sell_through: bool
    min_conversion_value: float
    convert_all_above: float
    convert_at_maturity: bool
    convert_interest: bool
    default: DefaultPlan | None
    prepayments: tuple[PrepaymentPlan, ...]
    equity: EquityTest
    warrant: WarrantPlan | None
    history: np.ndarray
    history_volume: np.ndarray
    history_filled: int = 0  # sessions of ``history`` before the market data's first, taken as the spot
    floor_cash: bool = True  # the floor's shortfall is paid in cash (floor_mode make_up); else cap
    cap_raise: tuple[int, float] | None = None  # (day, cap): ownership_cap is ``cap`` from that day on

    @property
    def floor_mode(self) -> str:
        """The terms' ``conversion.floor_mode`` this contract models: none (no floor), make_up
        (the shortfall paid in cash) or cap (the price stops at the floor)."""
        if not self.floor_price:
            return "none"
        return "make_up" if self.floor_cash else "cap"

    def replace(self, **changes: object) -> Contract:
        """A copy with some fields changed, checked like a built contract."""
        new = dataclasses.replace(self, **changes)  # type: ignore[arg-type]
        new.check()
        return new

    def check(self) -> None:
        """Raise an :class:`InputError` naming the field when a value is out of range."""
        if not self.fixed_price > 0:
            raise InputError(f"fixed_price {self.fixed_price}: must be a positive price")
        d = self.alternate_discount
        if d is not None and not 0 <= d < 1:
            raise InputError(f"alternate_discount {d}: a fraction from 0 to 1 (92.5% is 0.075)")
        if not self.floor_price >= 0:
            raise InputError(f"floor_price {self.floor_price}: zero (no floor) or a positive price")
        if not 0 < self.ownership_cap <= 1:
            raise InputError(f"ownership_cap {self.ownership_cap}: above 0, at most 1 (no cap)")
        if self.cap_raise is not None and not 0 < self.cap_raise[1] <= 1:
            raise InputError(f"cap_raise {self.cap_raise[1]}: above 0, at most 1 (no cap)")
        if self.share_rounding not in ("up", "down", "nearest"):
            raise InputError(f"share_rounding {self.share_rounding!r}: use up, down or nearest")
        if not 1 <= self.alternate_lowest <= self.alternate_days:
            raise InputError("alternate_lowest: from 1 to alternate_days")
        if len(self.history) < self.history_days:
            raise InputError(f"history: {len(self.history)} VWAPs; the look-back windows need "
                             f"{self.history_days}")

    @property
    def history_days(self) -> int:
        """VWAPs needed up to the valuation date by the look-back windows."""
        need = self.alternate_days if self.alternate_discount is not None else 1
        if self.default is not None:
            need = max(need, self.default.reset_days)
        if any(m in CONDITIONAL_RULES for n in self.notes for m in n.interest_days.values()):
            need = max(need, self.equity.days)
        return need


def build_contract(
    terms: DealTerms,
    *,
    behaviour: Behaviour,
    model: ModelParams,
    grid: TimeGrid,
    start: DealStart,
    market: MarketData | None = None,
) -> Contract:
    """Resolve ``terms``, ``behaviour`` and ``model`` onto the days of ``grid``, from the deal
    as it stands at the end of the valuation date (``start``).

    The notes still owing something are simulated from their principal outstanding, PIK notes
    and accrued interest; the fixed price, floor, shares outstanding, holder's shares and
    warrants are the state's. VWAPs before the valuation date come from ``model.history``, else
    from ``market`` (restated for the splits so far), else the model's spot on every day (an
    assumption the result states).
    """
    behaviour.check_notes(terms)
    # without a default in the behaviour, the default rate and discount never apply
    refuse_unmodelled(terms, who="the Monte Carlo valuation", modelled=frozenset(
        {"default.interest_rate", "conversion.default_discount"} if behaviour.default_date is None else ()))
    c, d = terms.conversion, terms.default
    live = start.live
    _one_holder(live, start.as_of)
    _no_default_outstanding(live, start.as_of, planned=behaviour.default_date)
    notes = tuple(_note_plan(n, behaviour=behaviour, grid=grid) for n in live)
    fixed, floor = _one_price(live, "fixed_price"), _one_price(live, "floor_price")
    if live and (fixed is None or floor is None):  # the notes' prices differ: each its own
        none = c.floor_mode == "none"
        notes = tuple(dataclasses.replace(plan, fixed_price=n.fixed_price, floor_price=0.0 if none else n.floor_price)
                      for plan, n in zip(notes, live, strict=True))
        fixed, floor = live[0].fixed_price, live[0].floor_price
    default = None
    if behaviour.default_date is not None:
        default = DefaultPlan(
            day=_day(grid, behaviour.default_date, "default_date"),
            election=behaviour.default_election,
            premium=d.redemption_premium,
            premium_on_interest=d.premium_on_interest,
            parity_includes_interest=d.parity_includes_interest,
            reset_factor=d.reset_factor,
            reset_days=d.reset_days,
            reset_lowest=d.reset_lowest,
        )
    names = [n.name.lower() for n in live]
    prepayments = tuple(
        PrepaymentPlan(
            day=_day(grid, p.date, f"prepayments[{i + 1}].date"),
            notes=(names.index(p.note.lower()),) if p.note else tuple(range(len(names))),
            amount=math.inf if p.amount is None else p.amount,
            premium=p.premium,
        )
        for i, p in enumerate(behaviour.prepayments)
        if not p.note or p.note.lower() in names  # a prepayment of a settled note pays nothing
    )
    e = terms.equity_conditions
    equity = EquityTest(e.days, e.trim_highest, e.trim_lowest, e.min_dollar_volume,
                        e.min_market_cap, e.min_market_cap_days)
    own = start.ownership_cap if behaviour.ownership_cap is None else None  # a cap given in the behaviour wins
    cap = behaviour.ownership_cap_for(terms) if own is None else own
    # the holder's own cap on the valuation date (a raise that took effect), and a raise it gave
    # notice of, from the first session on or after the day it takes effect (none after the last day)
    raise_to = start.cap_raise if own is not None else None
    cap_raise = None
    if raise_to is not None and as_day(raise_to[0]) <= grid.dates[-1]:
        cap_raise = (grid.day_of(raise_to[0], "ownership cap raise"), float(raise_to[1]))
    contract = Contract(
        notes=notes,
        fixed_price=fixed if fixed is not None else start.fixed_price,
        alternate_discount=c.alternate_price_discount,
        alternate_days=c.alternate_price_days,
        alternate_lowest=c.alternate_price_lowest,
        floor_price=0.0 if c.floor_mode == "none" else floor if floor is not None else start.floor_price,
        floor_cash=c.floor_mode == "make_up",
        share_rounding=c.share_rounding,
        ownership_cap=cap,
        cap_raise=cap_raise,
        shares_outstanding=float(
            start.shares_outstanding if model.shares_outstanding is None else model.shares_outstanding
        ),
        holder_shares=float(start.holder_shares),
        leak_out=behaviour.leak_out_for(terms),
        sell_through=behaviour.sell_through,
        min_conversion_value=behaviour.min_conversion_value,
        convert_all_above=math.inf if behaviour.convert_all_above is None else behaviour.convert_all_above,
        convert_at_maturity=behaviour.convert_at_maturity,
        convert_interest=behaviour.convert_interest,
        default=default,
        prepayments=prepayments,
        equity=equity,
        warrant=_warrant_plan(terms, model, grid, start),
        history=np.empty(0),
        history_volume=np.empty(0),
    )
    history, filled = _history(model, market, grid, contract.history_days)
    return contract.replace(history=history, history_volume=volume_at(model, history), history_filled=filled)


def _day(grid: TimeGrid, date: dt.date, field: str) -> int:
    """The payment day of a behaviour date; a :class:`TermsError` naming ``field`` if outside."""
    try:
        return grid.day_of(date, "date")
    except InputError as exc:
        raise TermsError(field, str(exc)) from None


def _one_price(notes: tuple[NoteStart, ...], name: str) -> float | None:
    """The price ``name`` shared by every live note; None when no note is live or the notes'
    prices differ (each note then converts at its own)."""
    prices = {round(getattr(n, name), 10) for n in notes}
    if len(prices) != 1:
        return None
    return float(getattr(notes[0], name))


def _no_default_outstanding(notes: tuple[NoteStart, ...], as_of: dt.date, *, planned: dt.date | None) -> None:
    """Refuse a start with a mandatory default amount demanded and not yet paid, or (unless the
    holder's election is planned: a Default row after the valuation date) a note in default:
    the simulation starts every note out of default, and would value another deal."""
    for n in notes:
        if n.demanded_on is not None:
            raise UnmodelledStateError(
                f"valuation date {day_text(as_of)}: note {n.name}'s mandatory default amount was demanded on "
                f"{day_text(n.demanded_on)} and is not paid yet; the valuation does not model a payment "
                "pending: value on a date after it is paid")
        if n.default_since is not None and planned is None:
            raise UnmodelledStateError(
                f"valuation date {day_text(as_of)}: note {n.name} is in default (since "
                f"{day_text(n.default_since)}, not waived), which the valuation does not model at its start; "
                f"value on a date before the default or after its waiver, or give the holder's election as a "
                f"Default row after {day_text(as_of)} with Value redeem or reset (the valuation models the "
                "default from that row)")


def _one_holder(notes: tuple[NoteStart, ...], as_of: dt.date) -> None:
    """Refuse a deal whose live notes belong to more than one holder: the simulation has one
    holder converting under one ownership cap, selling under one leak-out."""
    holders: dict[str, list[str]] = {}
    for n in notes:
        holders.setdefault(n.terms.holder, []).append(n.name)
    if len(holders) > 1:
        text = "; ".join(f"{h}: {', '.join(names)}" for h, names in holders.items())
        raise UnmodelledStateError(
            f"the notes outstanding on {as_of} belong to {len(holders)} holders ({text}): the "
            "valuation models one holder (its shares, its ownership cap, its leak-out sales); "
            "per-holder caps, holdings and sales are not modelled. Value each holder's notes "
            "with a terms file that lists only that holder's notes")


def _note_plan(start: NoteStart, *, behaviour: Behaviour, grid: TimeGrid) -> NotePlan:
    v = grid.valuation_date
    note = start.terms
    if start.maturity <= v:
        raise InputError(f"note {start.name} matured on {start.maturity}, before the valuation date {v}")
    ends = interest_dates(note.issue_date, start.maturity, note.interest_months)
    starts = [note.accrual_start, *ends[:-1]]  # the issue date, or the day before it
    dates = [d.item() for d in grid.dates]
    accrual = np.zeros(len(dates))
    accrual_next = np.zeros(len(dates))
    interest_days: dict[int, str] = {}
    due: dict[int, dt.date] = {}
    previous_pay = 0
    maturity_day = 0
    for begin, end in zip(starts, ends, strict=True):
        if end <= v:
            continue
        pay = grid.day_of(end, f"interest date of {start.name}")
        for t in range(max(previous_pay, 1), pay + 1):
            lo, hi = max(dates[t - 1], begin), min(dates[t], end)
            if hi <= lo:
                continue
            frac = year_fraction(begin, hi, note.day_count) - year_fraction(begin, lo, note.day_count)
            if t == previous_pay and dates[t - 1] < begin:
                accrual_next[t] += frac  # after the last period's end, paid with this one
            else:
                accrual[t] += frac
        due[pay] = end
        if end == start.maturity:
            maturity_day = pay
        else:
            interest_days[pay] = interest_rule(behaviour, note, end)
        previous_pay = pay
    return NotePlan(
        name=start.name,
        principal=float(start.principal),
        pik_principal=float(start.pik_principal),
        accrued=float(start.accrued),
        rate=float(note.rate),
        pik_rate=float(note.pik_note_rate),
        pik_notes=note.pik_style == "pik_note",
        accrual=accrual,
        accrual_next=accrual_next,
        interest_days=interest_days,
        maturity_day=maturity_day,
        due=due,
    )


INTEREST_RULES = {
    "cash": "interest paid in cash",
    "pik": "interest paid in kind (added to principal, or a registered PIK note)",
    "equity_conditions": "in kind when the equity conditions hold on the interest date, else in cash",
    "pik_or_private": "a registered PIK note when the equity conditions hold, else a private PIK note "
                      "at the note's rate (valued as the note's principal)",
}
"""How a note's interest is paid on one interest date in the simulation (:func:`interest_rule`)."""
CONDITIONAL_RULES = frozenset({"equity_conditions", "pik_or_private"})
"""The rules that read the equity conditions on the interest date."""
IN_KIND_RULES = frozenset({"pik", "pik_or_private"})
"""The rules that pay in kind whatever the equity conditions (``pik_or_private`` reads them only
for the kind: registered or private PIK notes)."""


def interest_rule(behaviour: Behaviour, note: NoteTerms, date: dt.date) -> str:
    """How ``note``'s interest due on ``date`` is paid in the simulation (a key of
    :data:`INTEREST_RULES`): the latest election on or before ``date`` for that note or for every
    note, else the behaviour's ``interest``.

    PIK on a note whose PIK is paid in registered PIK notes (``pik_style`` pik_note) is what the
    deal allows, not what the company wishes: registered PIK notes only when the equity
    conditions hold on the interest date; else the election's fallback (or the note's
    ``pik_fallback``): cash, or private PIK notes at the note's rate.

    Examples
    --------
    >>> import datetime as dt
    >>> from ascent_xl.presets import ASTI_2022
    >>> from ascent_xl.valuation.behaviour import InterestElection
    >>> registered, private = ASTI_2022.note("Registered"), ASTI_2022.note("Private")
    >>> day = dt.date(2023, 3, 31)
    >>> interest_rule(Behaviour(interest="pik"), registered, day)
    'pik_or_private'
    >>> interest_rule(Behaviour(interest="pik"), private, day)
    'pik'
    >>> election = InterestElection(date=dt.date(2023, 1, 1), method="pik", fallback="cash")
    >>> interest_rule(Behaviour(interest="cash", interest_elections=(election,)), registered, day)
    'equity_conditions'
    """
    rule: str = behaviour.interest
    fallback = note.pik_fallback
    for e in sorted(behaviour.interest_elections, key=lambda e: e.date):  # the latest wins
        if e.date <= date and (not e.note or e.note.lower() == note.name.lower()):
            rule = e.method
            fallback = e.fallback or note.pik_fallback
    if rule == "pik" and note.pik_style == "pik_note":
        return "equity_conditions" if fallback == "cash" else "pik_or_private"
    return rule


def _warrant_plan(terms: DealTerms, model: ModelParams, grid: TimeGrid, start: DealStart) -> WarrantPlan | None:
    expiry = terms.warrants.expiry
    if start.warrant_shares == 0 or expiry <= grid.valuation_date:
        return None
    last = grid.dates[-1].item()
    if expiry >= last:
        day, after = grid.days, (expiry - last).days / 365.0
    else:
        day, after = int(np.searchsorted(grid.dates, np.datetime64(expiry, "D"), side="right")) - 1, 0.0
    return WarrantPlan(float(start.warrant_shares), start.warrant_price, day, after, model.rate, model.volatility,
                       (expiry - grid.valuation_date).days / 365.0)


def _history(model: ModelParams, market: MarketData | None, grid: TimeGrid, days: int) -> tuple[np.ndarray, int]:
    """The ``days`` VWAPs up to the valuation date the first simulated day's look-back windows
    read, and how many of them (the oldest) are the spot: from ``model.history``; else the
    market data's, the sessions before its first day taken as the spot (the assumptions say
    which); else the spot on every day."""
    if model.history and market is not None:
        raise InputError("history: give VWAPs before the valuation date either in the model or "
                         "as market data, not both")
    if model.history:
        if len(model.history) < days:
            raise TermsError("history", f"{len(model.history)} VWAPs; the look-back windows need "
                             f"the last {days} up to the valuation date")
        return np.array(model.history[-days:], dtype=float), 0
    if market is None:
        return np.full(days, model.spot), days
    after = grid.dates[1]  # the window strictly before day 1 ends on the valuation date
    wanted = market.calendar.sessions_before(after, days)
    filled = int(np.count_nonzero(wanted < market.dates[0]))
    what = f"a valuation on {day_text(grid.dates[0])}: its first simulated day"
    given = market.window(after, days - filled, what=what)[0] if filled < days else np.empty(0)
    return np.concatenate([np.full(filled, model.spot), given]), filled


__all__ = [
    "CONDITIONAL_RULES",
    "Contract",
    "DefaultPlan",
    "EquityTest",
    "INTEREST_RULES",
    "IN_KIND_RULES",
    "NotePlan",
    "PrepaymentPlan",
    "WarrantPlan",
    "build_contract",
    "interest_rule",
]
