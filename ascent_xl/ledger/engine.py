"""The deal ledger: applies events in date order to the deal's state and writes one schedule row
per entry.

Rules (see :mod:`ascent_xl.events` for the event table and the same-date order):

- The notes of the terms are issued on their issue dates unless an ``Issue`` event issues them.
  Every issued note gets ``Interest`` rows on its interest dates and a ``Maturity`` row.
- Interest accrues on each note's outstanding principal at its rate and day count; each row
  accrues (rounded to the cent) from the note's last entry to the row's date, so the column
  ``Interest Accrued`` adds up to the interest paid, capitalised, converted and still accrued.
- On an interest date the interest is paid in cash or in kind by the note's election (an
  ``Interest Election`` event, else the terms): a ``pik_note`` note gets a new PIK note (same
  maturity and conversion terms, the PIK rate), a ``capitalise`` note adds it to principal. At
  maturity interest is paid in cash, and the principal is repaid in cash.
- A conversion converts principal (and, if asked, accrued interest) at the conversion price of
  the notice date; above the ownership cap only the part up to the cap converts (interest first),
  the rest stays as principal and the row is flagged. Where the floor binds the company pays the
  floor payment in cash.
- A split restates share counts and every per-share price (fixed price, floor, warrant price)
  and, from its date, the VWAPs before it. A dilutive issue ratchets the fixed price and the
  warrant price down to its price. An amendment changes a term from its date on.
- Covenant checks (reserve, minimum cash, leak-out, restricted period, additional-note limits,
  equity conditions) are flags with a reason; they never change an amount.
- Every row checks conservation: for every note, principal issued = converted + repaid +
  outstanding. An event that would convert or repay more than is outstanding is refused.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import heapq
import math
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from ascent_xl.errors import AscentError, LedgerError
from ascent_xl.events import (
    ALL_INTEREST,
    AUTO,
    FINANCING,
    Amendment,
    Consent,
    DefaultChoice,
    Event,
    EventKind,
    InterestChoice,
    IssueValue,
    NoSplit,
    Notices,
    SplitRatio,
    TypedValue,
)
from ascent_xl.family import (
    conversion_on,
    exchange_cap_cut,
    exchange_cap_room,
    has_own_fixed_price,
    installment_dates,
    installment_terms,
    interest_rate,
    note_fixed_price,
    price_reset_action,
    price_reset_dates,
    reset_fixed_price,
    restated_trigger_prices,
    trigger_payment_dates,
)
from ascent_xl.interest import accrued_in_period, interest_dates
from ascent_xl.ledger import checks
from ascent_xl.ledger.schedule import SCHEDULE_COLUMNS, Flag, Schedule
from ascent_xl.ledger.state import BALANCE_TOLERANCE, DealState, NoteState
from ascent_xl.market import MarketData
from ascent_xl.money import round_cents
from ascent_xl.pricing import (
    CappedConversion,
    SplitJumpError,
    alternate_conversion_price,
    capped_conversion,
    check_split_jumps,
    conversion_price,
    default_conversion_price,
    floor_payment,
    mandatory_default_amount,
    max_conversion_shares,
    ratcheted_price,
    redemption_amount,
    resolve_fixed_price,
    split_adjusted_price,
    split_adjusted_shares,
    warrant_cashless_shares,
    whole_cents,
)
from ascent_xl.terms import DealTerms, NoteTerms, is_whole, resolve_term_name


@dataclasses.dataclass(frozen=True)
class _PriceReset(TypedValue):
    """Value of the ledger's own Amendment row on a dated reset of a note's fixed price;
    ``deferred_from``, the reset date of a reset deferred for the equity conditions."""

    what: ClassVar[str] = "price reset"  # how messages name the row

    number: int
    deferred_from: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class _Installment(TypedValue):
    """Value of the ledger's own Conversion row of a monthly installment."""

    what: ClassVar[str] = "installment conversion"  # how messages name the row

    number: int


@dataclasses.dataclass(frozen=True)
class _TriggerPayment(TypedValue):
    """Value of the ledger's own Prepayment row of a price-triggered monthly payment."""

    what: ClassVar[str] = "price-triggered payment"  # how messages name the row

    number: int


@dataclasses.dataclass(frozen=True)
class _CapChange(TypedValue):
    """Value of the ledger's own Amendment row on the day a holder's raised cap takes effect."""

    what: ClassVar[str] = "raised ownership cap"  # how messages name the row

    holder: str
    cap: float
    notice: dt.date


@dataclasses.dataclass(frozen=True)
class _DefaultPayment(TypedValue):
    """Value of the ledger's own Default row that pays a demand made on ``demand``."""

    what: ClassVar[str] = "default payment"  # how messages name the row

    demand: dt.date


SPLIT_ROW_WAY_OUT = "a Split row of that day with Value none if the move is real"
"""How an events file says what a VWAP jump is: the end of the split guard's message."""


def _matures(maturity: dt.date | None) -> str:
    """The Detail's words for a note's maturity."""
    return f"matures {maturity}" if maturity is not None else "no maturity: outstanding until converted or redeemed"


AS_ISSUED = frozenset({"name", "kind", "face", "issue_date", "purchase_price_pct", "stated_value",
                       "interest_counts_issue_day"})
"""A note's terms that say what it is as issued: an Amendment of one after the issue is refused."""

DEAL_AS_ISSUED = {
    "shares_outstanding": "the share count moves by conversions, exercises and Dilutive Issue rows; a Shares "
                          "Outstanding row states it",
    "warrants.shares": "warrants are exercised by Warrant Exercise rows",
    "agreement_date": None, "warrants.issue_date": None, "calendar": None,
}
"""The deal's terms that say what it was at the agreement, each with how it moves instead (None:
it does not): an Amendment of one is refused (it would change the terms and not the deal)."""

SCHEDULE_SHAPING = {
    "conversion.price_reset_days": "price resets",
    "conversion.installment_amount": "monthly installments",  # from or to 0 only: the amount is read each month
    "conversion.installment_first_month": "monthly installments",
    **{f"redemption.trigger_{k}": "price-triggered monthly payments"
       for k in ("price", "days", "window", "cure_days", "delay_days")},
}
"""Terms that date entries of the schedule (``conversion.installment_amount`` only from or to 0):
an Amendment of one, once those entries are set, is refused."""


def _record_prices(note: NoteState, day: dt.date) -> None:
    """Add the note's fixed and floor prices to its ``price_changes`` when they differ from the
    last recorded (a change later the same day replaces that day's entry: the end of the day)."""
    changes = note.price_changes
    if changes and changes[-1][1] == note.fixed_price and changes[-1][2] == note.floor_price:
        return
    entry = (day, note.fixed_price, note.floor_price)
    note.price_changes = (changes[:-1] if changes and changes[-1][0] == day else changes) + (entry,)


def run_ledger(
    terms: DealTerms,
    events: Iterable[Event],
    market: MarketData | None = None,
    *,
    until: dt.date | None = None,
    before: EventKind | None = None,
    no_split: bool = False,
) -> Schedule:
    """Apply ``events`` to the deal and return its :class:`Schedule`.

    With ``until``, the ledger stops after the last entry dated on or before that day (events and
    the interest dates and maturities after it are not applied); the schedule's ``state`` is then
    the deal as it stands at the end of that day. With ``before`` too, the ledger stops on that
    day before the entries of kind ``before`` and the kinds applied after it (``before=
    EventKind.CONVERSION``: the state a conversion notice of that day is priced on).

    ``market`` (VWAPs as traded, optionally dollar volume and market cap) is needed by
    conversions, defaults, cashless warrant exercises and the volume-based checks.

    A conversion, a default's demand, payment or reset priced on VWAPs that cross a day-over-day
    jump a split would explain (``conversion.split_jump_threshold``), in its look-back window or
    since the closing, with no Split row covering it, is refused naming both days, as the pricing
    tools refuse it; a Split row with Value ``none`` on the later day says that move is real, and
    ``no_split`` says it for every jump.

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> s = run_ledger(ASTI_2022, [])
    >>> s.frame["Event"].iloc[-1], s.summary().iloc[-1]["Principal Repaid"]
    ('Maturity', 15000000.0)
    """
    return Ledger(terms, market, no_split=no_split).run(events, until=until, before=before)


_IMMUTABLE = frozenset((int, float, bool, str, bytes, type(None), dt.date, dt.datetime))


def _deep_copy(value: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy(value, memo)``, the same copy made faster for what a :class:`DealState`
    holds: numbers, text and dates are kept (immutable), dicts, lists and tuples are copied item
    by item, the state and its notes field by field (each object once, as ``deepcopy`` does:
    ``memo`` maps an original's id to its copy); anything else goes to ``copy.deepcopy``. A quote
    copies the state (about 800 objects) once per notice date, and ``deepcopy``'s generic
    dispatch was most of a refresh's time in the Conversions table of a 5-year book."""
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is tuple and _IMMUTABLE.issuperset(map(type, value)):
        return value  # deepcopy too gives such a tuple itself
    done = memo.get(id(value), memo)
    if done is not memo:
        return done
    out: Any
    if kind is dict:
        out = memo[id(value)] = {}
        for k, v in value.items():
            out[k if type(k) in _IMMUTABLE else _deep_copy(k, memo)] = v if type(v) in _IMMUTABLE else _deep_copy(v, memo)
    elif kind is list:
        out = memo[id(value)] = []  # in the memo first, as deepcopy's: a list holding itself
        out.extend([v if type(v) in _IMMUTABLE else _deep_copy(v, memo) for v in value])
    elif kind is tuple:
        items = [_deep_copy(v, memo) for v in value]
        out = value if all(a is b for a, b in zip(items, value, strict=True)) else tuple(items)
        memo[id(value)] = out
    elif kind is DealState or kind is NoteState:
        out = memo[id(value)] = object.__new__(kind)
        out.__dict__.update({k: v if type(v) in _IMMUTABLE else _deep_copy(v, memo) for k, v in value.__dict__.items()})
    else:
        return copy.deepcopy(value, memo)
    return out


class LedgerCursor:
    """One ledger pass read at later and later stops: :meth:`to` gives what
    ``run_ledger(terms, events, market, until=..., before=..., no_split=...)`` gives, going on from
    the previous stop instead of starting again (a table of quotes in date order costs one
    ledger run, not one per row). A stop before the last one, or any stop after an error, is
    refused (:meth:`can_reach` says which); start a new cursor for it.

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> c = LedgerCursor(ASTI_2022, [])
    >>> c.to(dt.date(2023, 1, 31)).state.total_principal, c.to(None).state.total_principal
    (15000000.0, 0.0)
    >>> c.can_reach(dt.date(2023, 1, 31))
    False
    """

    def __init__(self, terms: DealTerms, events: Iterable[Event], market: MarketData | None = None, *,
                 no_split: bool = False) -> None:
        self._ledger = Ledger(terms, market, no_split=no_split)
        self._ledger.start(events)
        self._at: tuple[dt.date, float] | None = None
        self._broken = False

    @staticmethod
    def _stop(until: dt.date | None, before: EventKind | None) -> tuple[dt.date, float]:
        return (dt.date.max if until is None else until, math.inf if before is None else before.order)

    def can_reach(self, until: dt.date | None, before: EventKind | None = None) -> bool:
        """Whether :meth:`to` can give this stop (it is not before the last one)."""
        return not self._broken and (self._at is None or self._stop(until, before) >= self._at)

    def to(self, until: dt.date | None, before: EventKind | None = None) -> Schedule:
        """The schedule up to ``until`` (on that day, before the kinds from ``before`` on), a copy
        later stops leave as it is."""
        self._advance(until, before)
        return self._ledger.snapshot()

    def state_to(self, until: dt.date | None, before: EventKind | None = None) -> DealState:
        """:meth:`to`'s state only (a quote's: the rows are not copied)."""
        self._advance(until, before)
        return self._ledger.state_copy()

    def _advance(self, until: dt.date | None, before: EventKind | None) -> None:
        if not self.can_reach(until, before):
            raise LedgerError(f"the ledger stands after {until} already; start it again for an earlier stop")
        self._broken = True  # until the step is done: an error leaves a half-applied entry
        self._ledger.advance(until=until, before=before)
        self._broken = False
        self._at = self._stop(until, before)


class Ledger:
    """Applies events one by one; :meth:`run` returns the schedule. See the module docstring."""

    def __init__(self, terms: DealTerms, market: MarketData | None = None, *, no_split: bool = False) -> None:
        self.no_split = no_split  # no split-jump guard: every VWAP jump is a real move
        c0 = terms.conversion
        if c0.fixed_price is None and c0.fixed_price_average is None and market is None:
            raise LedgerError("conversion.fixed_price is blank: give VWAPs to compute it, or set it")
        try:
            fixed = resolve_fixed_price(terms, market)
        except AscentError as exc:
            raise LedgerError(f"fixed conversion price: {exc}") from None
        self.closing = terms.closing
        self.state = DealState(
            terms=terms,
            market=market.priced_by(terms.conversion.price_source) if market is not None else None,
            shares_outstanding=terms.shares_outstanding,
            fixed_price=fixed,
            floor_price=terms.conversion.floor_price,
            warrant_shares=terms.warrants.shares,
            warrant_price=terms.warrants.exercise_price,
        )
        self.rows: list[dict[str, Any]] = []
        self.flags: list[Flag] = []
        self._queue: list[tuple[dt.date, int, int, Event]] = []
        self._seq = 0
        self._handlers: dict[EventKind, Callable[[Event], None]] = {
            EventKind.SPLIT: self._split,
            EventKind.AMENDMENT: self._amend,
            EventKind.WAIVER: self._waiver,
            EventKind.SHARES_OUTSTANDING: self._shares_outstanding,
            EventKind.CASH_BALANCE: self._cash_balance,
            EventKind.SHARE_RESERVE: self._share_reserve,
            EventKind.TERMINATION: self._termination,
            EventKind.ISSUE: self._issue,
            EventKind.DILUTIVE_ISSUE: self._dilutive_issue,
            EventKind.DEFAULT: self._default,
            EventKind.INTEREST_ELECTION: self._interest_election,
            EventKind.CONVERSION: self._convert,
            EventKind.WARRANT_EXERCISE: self._warrant_exercise,
            EventKind.HOLDER_SALE: self._holder_sale,
            EventKind.PREPAYMENT: self._prepay,
            EventKind.OPTIONAL_PREPAYMENT: self._optional_prepay,
            EventKind.CHANGE_OF_CONTROL: self._change_of_control,
            EventKind.INTEREST: self._interest,
            EventKind.MATURITY: self._maturity,
        }

    # -- driver ---------------------------------------------------------------------------
    def run(self, events: Iterable[Event], *, until: dt.date | None = None,
            before: EventKind | None = None) -> Schedule:
        """Apply the events (and the interest dates and maturities they imply) in order, up to and
        including the day ``until`` when it is given (on that day, only the kinds applied before
        ``before`` when it is given)."""
        self.start(events)
        self.advance(until=until, before=before)
        return self.schedule()

    def start(self, events: Iterable[Event]) -> None:
        """Queue the events (and the issues the terms imply and the price-triggered payments);
        :meth:`advance` then applies them. Called once, before the first :meth:`advance`."""
        user = list(events)
        issued = {e.note.lower() for e in user if e.kind is EventKind.ISSUE and e.note}
        for note in self.state.terms.notes:
            if note.name.lower() not in issued:
                self._push(Event(note.issue_date, EventKind.ISSUE, note.name, note.face, note.kind, "terms"))
        for e in user:
            self._push(e)
        self._push_trigger_payments(user)

    def advance(self, *, until: dt.date | None = None, before: EventKind | None = None) -> None:
        """Apply the queued entries up to ``until`` (all when None; on that day only the kinds
        applied before ``before`` when it is given), as :meth:`run` does. A later call goes on
        from there: advancing to one stop and then to a later one applies the same entries in
        the same order as advancing to the later one at once."""
        stop = (until, before.order) if until is not None and before is not None else None
        while self._queue:
            if until is not None and (self._queue[0][0] > until or (stop is not None and self._queue[0][:2] >= stop)):
                break
            *_, event = heapq.heappop(self._queue)
            try:
                self._handlers[event.kind](event)
            except LedgerError:
                raise
            except AscentError as exc:  # engine errors get the event's row in front
                raise event.error(str(exc)) from None

    def schedule(self) -> Schedule:
        """The schedule of the entries applied so far, on the state as it stands."""
        self._restate_shares()
        return Schedule(terms=self.state.terms, rows=self.rows, flags=self.flags, state=self.state)

    def snapshot(self) -> Schedule:
        """:meth:`schedule` as a copy that later :meth:`advance` calls leave as it is (rows,
        flags and state copied; the frozen terms and market data shared)."""
        s = self.schedule()
        return Schedule(terms=s.terms, rows=[dict(r) for r in s.rows], flags=list(s.flags), state=self.state_copy())

    def state_copy(self) -> DealState:
        """The state as it stands, a copy later :meth:`advance` calls leave as it is (the frozen
        terms and market data shared)."""
        state = self.state
        memo: dict[int, Any] = {id(state.terms): state.terms}
        if state.market is not None:
            memo[id(state.market)] = state.market
        for note in state.notes.values():
            memo[id(note.terms)] = note.terms
        return _deep_copy(state, memo)

    def _restate_shares(self) -> None:
        """Each row's Shares Restated: its shares on the last share basis (times the ratio of every
        split after the row's date; a split applies before the other entries of its day)."""
        splits = self.state.splits
        for r in self.rows:
            if r["Shares Issued"]:
                r["Shares Restated"] = r["Shares Issued"] * math.prod(x for d, x in splits if d > r["Date"])

    def _push_trigger_payments(self, events: list[Event]) -> None:
        """The price-triggered monthly payments (``redemption.trigger_*``) the VWAPs call for,
        from the first issue to the last maturity (to the last VWAP where a note has no
        maturity), as the ledger's own Prepayment rows. The
        VWAPs are as traded, so the trigger price is restated by the Split rows of ``events``
        from each split's day on."""
        s, r = self.state, self.state.terms.redemption
        if not r.trigger_price or s.market is None:
            return
        assert r.trigger_days and r.trigger_window and r.trigger_cure_days and r.trigger_delay_days is not None
        ends = [n.maturity for n in s.terms.notes]
        end = max(d if d is not None else s.market.dates[-1].item() for d in ends)
        splits = [(e.date, e.value.ratio) for e in events if e.kind is EventKind.SPLIT and isinstance(e.value, SplitRatio)]
        price = restated_trigger_prices(s.market.dates, price=r.trigger_price, splits=splits)
        dates = trigger_payment_dates(s.market.dates, s.market.vwap, price=price, days=r.trigger_days,
                                      window=r.trigger_window, cure_days=r.trigger_cure_days,
                                      delay_days=r.trigger_delay_days, start=self.closing, end=end)
        for k, day in enumerate(dates, start=1):
            self._push(Event(day, EventKind.PREPAYMENT, None, None, _TriggerPayment(k), AUTO))

    def _push(self, event: Event) -> None:
        heapq.heappush(self._queue, (event.date, event.kind.order, self._seq, event))
        self._seq += 1

    # -- rows -----------------------------------------------------------------------------
    def _row(self, ev: Event, note: NoteState | None, reasons: list[tuple[str, str]] | None = None, **values: Any) -> dict[str, Any]:
        s = self.state
        row: dict[str, Any] = dict.fromkeys(SCHEDULE_COLUMNS)
        row.update((k, v) for k, v in values.items() if k != "_holder")
        row["Date"] = ev.date
        row["Event"] = values.get("Event", ev.kind.value)
        row["Note"] = note.name if note else ev.note
        if note is not None:
            if row["Principal After"] is None:
                row["Principal After"] = note.principal
            row["Fixed Price"] = note.fixed_price
            row["Floor Price"] = note.floor_price
            row["Reset Price"] = note.reset_price
            _record_prices(note, ev.date)
        else:
            row["Fixed Price"] = s.fixed_price
            row["Floor Price"] = s.floor_price
            for n in s.notes.values():  # a deal-wide row (split, ratchet, amendment) moves every note
                _record_prices(n, ev.date)
        row["Total Principal"] = s.total_principal
        row["Shares Outstanding"] = s.shares_outstanding
        holder = values.get("_holder") or (s.holder_of(note.name) if note is not None else None)
        row.pop("_holder", None)
        if holder is not None:  # the row's holder: of its note, or of the sale or exercise
            row["Holder Shares"] = s.holdings.get(holder, 0)
            row["Holder Ownership"] = row["Holder Shares"] / s.shares_outstanding if s.shares_outstanding else 0.0
        else:  # all holders together
            row["Holder Shares"] = s.holder_shares
            row["Holder Ownership"] = s.holder_ownership
        row["Check"] = s.conserved
        row["Source"] = ev.row
        cash_out = row["Cash Paid"] or 0.0
        cash_in = row["Cash Received"] or 0.0
        if s.cash is not None and ev.kind is not EventKind.CASH_BALANCE:
            s.cash = round_cents(s.cash - cash_out + cash_in)
        found = list(reasons or []) + checks.check_reserve(s) + checks.check_min_cash(s)
        row["Flags"] = "; ".join(f"{code}: {why}" for code, why in found) or None
        index = len(self.rows)
        self.flags.extend(Flag(index, ev.date, code, why) for code, why in found)
        self.rows.append(row)
        return row

    # -- helpers --------------------------------------------------------------------------
    def _note(self, ev: Event, name: str | None = None) -> NoteState:
        name = name or ev.note
        if not name:
            raise ev.error("name the note in the Note column")
        note = self._find(name)
        if note is None:
            issued = ", ".join(self.state.notes) or "none yet"
            if any(n.name.lower() == name.lower() for n in self.state.terms.notes):
                first = self.state.terms.note(name).issue_date
                raise ev.error(f"note {name} is issued on {first}; an event on it cannot come before its issue")
            raise ev.error(f"no note named {name!r} has been issued (issued: {issued})")
        if ev.date < note.issue_date:
            raise ev.error(f"note {note.name} is issued on {note.issue_date}; an event on it cannot come before")
        if note.closed:
            raise ev.error(f"note {note.name} was repaid or redeemed in full; no event can apply to it after")
        return note

    def _find(self, name: str) -> NoteState | None:
        for n in self.state.notes.values():
            if n.name.lower() == name.strip().lower():
                return n
        return None

    def _targets(self, ev: Event) -> list[NoteState]:
        """The note named by the event, or every open note with principal when Note is blank."""
        if ev.note:
            return [self._note(ev)]
        notes = [n for n in self.state.notes.values() if not n.closed and n.issue_date <= ev.date and n.principal > 0]
        if not notes:
            raise ev.error("no note with principal outstanding on this date")
        return notes

    def _accrue(self, note: NoteState, day: dt.date) -> float:
        """Accrue interest on ``note`` up to ``day``; returns the amount accrued now (USD).

        Each piece is the difference of the day count from the start of the interest period,
        so that the pieces of a period add up to the period's interest on every basis (under
        US 30/360 the count to a 31st depends on the period's start).
        """
        start, ps = note.accrued_to, note.period_start
        if start is None or ps is None or day <= start or note.principal <= 0:
            note.accrued_to = max(day, start or day)
            return 0.0
        t = note.terms
        rate = interest_rate(rate=t.rate, default_rate=self.state.terms.default.interest_rate,
                             in_default=note.in_default)
        amount = accrued_in_period(note.principal, ps, start, day, rate=rate, basis=t.day_count)
        note.accrued = round_cents(note.accrued + amount)
        note.accrued_to = day
        return amount

    def _market(self, ev: Event) -> MarketData:
        if self.state.market is None:
            raise ev.error("needs VWAP data; give the VWAP series")
        return self.state.market

    def _conversion_price(self, ev: Event, note: NoteState, what: str) -> float:
        """The conversion price of ``note`` on the event's date, a default's demand or payment
        date (``what``), which need not be a trading day."""
        c, alternate = conversion_on(self.state.terms.conversion, notice_date=ev.date,
                                     issue_date=note.issue_date, in_default=note.in_default)
        self._split_guard(ev, c.alternate_price_days, what)
        alt = alternate_conversion_price(
            self._market(ev), notice_date=ev.date, discount=c.alternate_price_discount,
            days=c.alternate_price_days, lowest=c.alternate_price_lowest, what=what,
            require_trading_day=False, include_notice_day=c.window_includes_notice_day,
        ) if alternate else note.fixed_price
        return conversion_price(fixed_price=note.fixed_price, alternate_price=alt,
                                floor_price=note.floor_price, floor_mode=c.floor_mode)

    def _schedule_dates(self, note: NoteState, after: dt.date) -> None:
        """Queue the note's interest dates after ``after`` and its maturity (none without one)."""
        note.schedule_version += 1
        version = note.schedule_version
        if note.terms.rate > 0 or note.accrued > 0:  # interest accrued before a rate cut to 0 is paid on its date
            for d in interest_dates(note.issue_date, note.maturity, note.terms.interest_months):
                if d > after:
                    self._push(Event(d, EventKind.INTEREST, note.name, None, version, AUTO))
        if note.maturity is not None:
            self._push(Event(note.maturity, EventKind.MATURITY, note.name, None, version, AUTO))

    @staticmethod
    def _premium(ev: Event, default: float) -> float:
        return default if ev.value is None else float(ev.value)

    # -- events ---------------------------------------------------------------------------
    def _issue(self, ev: Event) -> None:
        s = self.state
        if not ev.note:
            raise ev.error("name the new note in the Note column")
        if self._find(ev.note) is not None:
            raise ev.error(f"note {ev.note} is already issued")
        in_terms = any(n.name.lower() == ev.note.lower() for n in s.terms.notes)
        base = s.terms.note(ev.note) if in_terms else s.terms.notes[0]
        value: IssueValue = ev.value
        notice = value.notice
        kind = value.kind or (base.kind if in_terms else "additional")
        if ev.amount is None and not in_terms:
            raise ev.error("Amount: give the principal of the new note")
        face = base.face if ev.amount is None else whole_cents(ev.amount, name="Amount")
        if face <= 0:
            raise ev.error("Amount: the principal must be more than zero")
        # a note the terms list is bought at its own purchase price; a note an Issue row adds
        # under the facility, at the facility's
        pct = (s.terms.additional_notes.purchase_price_pct if kind == "additional" and not in_terms
               else base.purchase_price_pct)
        try:
            terms = base.replace(name=ev.note, kind=kind, face=face, issue_date=ev.date, purchase_price_pct=pct)
        except AscentError as exc:
            raise ev.error(str(exc)) from None
        reasons = checks.check_additional_note(s, ev.date, face) if kind == "additional" else []
        if kind == "additional":
            reasons += self._additional_timing(ev, notice)
        fixed = note_fixed_price(terms, s.terms.conversion, deal_price=s.fixed_price, market=s.market, own=in_terms)
        note = self._open_note(terms, fixed=fixed, floor=s.floor_price, maturity=terms.maturity)
        note.own_price = has_own_fixed_price(terms, own=in_terms)
        reasons += checks.check_prices(s, [note])
        if kind == "additional":
            s.additional.append((ev.date, face))
        self._row(
            ev,
            note,
            reasons,
            **{
                "Principal Before": 0.0,
                "Principal Issued": face,
                "Cash Received": round_cents(face * pct),
                "Detail": (f"{kind} preferred issued: {terms.preferred_shares(face):,.0f} shares of "
                           f"${terms.stated_value:,.2f} stated value, ${face:,.2f}" if terms.stated_value else
                           f"{kind} note issued: ${face:,.2f} principal") + f" for ${face * pct:,.2f} "
                f"({pct:.0%}); {_matures(note.maturity)}",
            },
        )

    def _open_note(self, terms: NoteTerms, *, fixed: float, floor: float, maturity: dt.date | None,
                   parent: str | None = None) -> NoteState:
        note = NoteState(
            name=terms.name,
            kind=terms.kind,
            terms=terms,
            issue_date=terms.issue_date,
            maturity=maturity,
            fixed_price=fixed,
            floor_price=floor,
            interest_method=terms.interest_payment,
            parent=parent,
            principal_issued=terms.face,
            principal=terms.face,
            accrued_to=terms.accrual_start,
            period_start=terms.accrual_start,
        )
        self.state.notes[note.name] = note
        self._schedule_dates(note, after=terms.issue_date)
        if parent is None and self.state.terms.conversion.installment_amount and self.state.market is not None:
            first = self.state.terms.conversion.installment_first_month
            assert first is not None and maturity is not None  # the terms refuse installments without them
            days = installment_dates(terms.issue_date, maturity, first_month=first,
                                     sessions=self.state.market.calendar.sessions)
            for i, day in enumerate(days, start=1):
                self._push(Event(day, EventKind.CONVERSION, note.name, None, _Installment(i), AUTO))
        if parent is None:  # dated resets of the fixed price (a PIK note follows its parent's)
            c = self.state.terms.conversion
            for i, day in enumerate(price_reset_dates(terms.issue_date, c.price_reset_days)):
                self._push(Event(day, EventKind.AMENDMENT, note.name, None, _PriceReset(i + 1), AUTO))
        return note

    def _convert(self, ev: Event) -> None:
        s = self.state
        installment = ev.value if isinstance(ev.value, _Installment) else None
        if installment is not None:  # this month's installment, at most what is outstanding
            found_note = self._find(ev.note or "")
            if found_note is None or found_note.closed or found_note.principal <= 0:
                return
            amount = round_cents(min(s.terms.conversion.installment_amount, found_note.principal))
            ev = dataclasses.replace(ev, amount=amount, value=None)
        note = self._note(ev)
        market = self._market(ev)
        found = market.calendar.date_index(ev.date)
        if found is None or not found[1]:
            raise ev.error(f"notice date {ev.date}: not a trading day; a conversion needs a day the market is open")
        requested = note.principal if ev.amount is None else whole_cents(ev.amount, name="Amount")
        if requested <= 0:
            raise ev.error("Amount: the principal to convert must be more than zero")
        if requested > note.principal + BALANCE_TOLERANCE:
            raise ev.error(f"converts ${requested:,.2f} but note {note.name} has ${note.principal:,.2f} outstanding")
        requested = min(requested, note.principal)
        stated = note.terms.stated_value
        why = checks.not_whole_preferred(note, requested) if ev.amount is not None else None
        if why:
            raise ev.error(why)
        before = note.principal
        accrued_now = self._accrue(note, ev.date)
        interest_req = self._interest_to_convert(ev, note)
        c, alternate = conversion_on(s.terms.conversion, notice_date=ev.date, issue_date=note.issue_date,
                                     in_default=note.in_default)
        if installment is not None:
            c, alternate = installment_terms(c), True
        self._split_guard(ev, c.alternate_price_days, "notice date")
        holder = s.holder_of(note.name)
        self._shares_known(ev, "the ownership cap")
        q = capped_conversion(market, conversion=c, notice_date=ev.date, principal=requested, interest=interest_req,
                              fixed_price=note.fixed_price, floor_price=note.floor_price,
                              holder_shares=s.holdings.get(holder, 0), shares_outstanding=s.shares_outstanding,
                              cap=s.cap_of(holder), alternate=alternate, unit=stated)
        alt, unfloored, price = q.alternate_price, q.unfloored_price, q.conversion_price
        principal_conv, interest_conv, shares, pay = q.principal_converted, q.interest_converted, q.shares, q.floor_payment
        reasons: list[tuple[str, str]] = []
        if q.capped:
            reasons.append(("cap", f"{holder} capped at {s.cap_of(holder):.2%}: converted ${principal_conv + interest_conv:,.2f} "
                            f"of ${requested + interest_req:,.2f} requested; ${requested - principal_conv:,.2f} stays as principal"))
        principal_conv, interest_conv, shares, pay, cap_cash = self._exchange_cap(
            ev, q, principal_conv, interest_conv, shares, pay, reasons, unit=stated)
        note.principal = round_cents(note.principal - principal_conv)
        note.converted = round_cents(note.converted + principal_conv)
        note.accrued = round_cents(note.accrued - interest_conv)
        note.interest_converted = round_cents(note.interest_converted + interest_conv)
        note.shares_issued += shares
        note.shares_restated += shares
        basis = len(s.splits)
        note.shares_by_basis[basis] = note.shares_by_basis.get(basis, 0) + shares
        note.floor_payments = round_cents(note.floor_payments + pay)
        s.shares_outstanding += shares
        s.holdings[holder] = s.holdings.get(holder, 0) + shares
        s.reference_price = price
        detail = (f"alternate ${alt:,.5f}" if alternate else "no alternate price that day") + \
            f", fixed ${note.fixed_price:,.5f}, floor ${note.floor_price:,.5f}"
        if pay:
            detail += f"; floor binds (unfloored ${unfloored:,.5f}): floor payment in cash"
        if stated:
            n = note.terms.preferred_shares(principal_conv)
            detail += f"; {n:,.0f}" if is_whole(n) else f"; {n:,.4f}"
            detail += f" preferred shares of ${stated:,.2f} stated value"
        if installment is not None:
            detail = f"installment {installment.number}: {detail}"
        self._row(
            ev,
            note,
            reasons,
            **{
                "Event": "Installment" if installment is not None else ev.kind.value,
                "Principal Before": before,
                "Principal Converted": principal_conv,
                "Interest Converted": interest_conv or None,
                "Conversion Price": price,
                "Shares Issued": shares,
                "Floor Payment": pay,
                "Interest Accrued": accrued_now or None,
                "Cash Paid": round_cents(pay + cap_cash) or None,
                "Detail": detail,
            },
        )

    def _exchange_cap(self, ev: Event, q: CappedConversion, principal: float, interest: float, shares: int,
                      pay: float, reasons: list[tuple[str, str]], *, unit: float
                      ) -> tuple[float, float, int, float, float]:
        """A conversion cut to the exchange cap (``covenants.exchange_cap``, :mod:`ascent_xl.family`):
        (principal, interest, shares, floor payment, cash for the shares beyond the cap), flagged;
        ``unit``, a preferred's stated value: whole preferred shares convert."""
        s, t = self.state, self.state.terms.covenants
        factor = math.prod(ratio for _, ratio in s.splits)
        issued = sum(n.shares_restated for n in s.notes.values())
        room = exchange_cap_room(cap=t.exchange_cap, shares_at_agreement=s.terms.shares_outstanding,
                                 split_factor=factor, issued=issued, approved=t.exchange_cap_approved)
        if shares <= room:
            return principal, interest, shares, pay, 0.0
        vwap = self._market(ev).vwap_on_date(ev.date, what="conversion date (for the exchange cap's cash)") \
            if t.exchange_cap_excess == "cash" else None
        cut = exchange_cap_cut(principal=principal, interest=interest, shares=shares, price=q.conversion_price,
                               room=room, excess=t.exchange_cap_excess, vwap=vwap, unit=unit,
                               rounding=s.terms.conversion.share_rounding)
        if pay and cut.principal + cut.interest < principal + interest:  # the make-up on what converts
            c = s.terms.conversion
            pay = floor_payment(cut.principal + cut.interest, unfloored_price=q.unfloored_price,
                                floor_price=q.floor_price, vwap=q.vwap, floor_mode=c.floor_mode)
        limit = f"exchange cap {t.exchange_cap:.2%} of {s.terms.shares_outstanding:,} shares: {int(room):,} shares left"
        if t.exchange_cap_excess == "cash":
            reasons.append(("exchange cap", f"{limit}; {cut.excess_shares:,} shares beyond it paid in cash "
                            f"at ${vwap:,.4f}: ${cut.cash:,.2f}"))
        else:
            reasons.append(("exchange cap", f"{limit}; converted ${cut.principal + cut.interest:,.2f} of "
                            f"${principal + interest:,.2f}; ${principal - cut.principal:,.2f} stays as principal"))
        return cut.principal, cut.interest, cut.shares, pay, cut.cash

    def _interest_to_convert(self, ev: Event, note: NoteState) -> float:
        if ev.value is None:
            return 0.0
        if ev.value == ALL_INTEREST:
            return note.accrued
        x = whole_cents(float(ev.value), name="Value (interest to convert)")
        if x > note.accrued + BALANCE_TOLERANCE:
            raise ev.error(f"converts ${x:,.2f} of interest but ${note.accrued:,.2f} has accrued on {note.name}")
        return min(x, note.accrued)

    def _interest(self, ev: Event) -> None:
        note = self._find(ev.note or "")
        if note is None or note.closed or ev.value != note.schedule_version:
            return  # superseded by an amendment, or the note is gone
        accrued_now = self._accrue(note, ev.date)
        amount = note.accrued
        if amount <= 0:
            note.period_start = ev.date
            return
        method = "cash" if note.maturity is not None and ev.date >= note.maturity else note.interest_method
        reasons: list[tuple[str, str]] = []
        values: dict[str, Any] = {"Principal Before": note.principal, "Interest Accrued": accrued_now or None}
        note.accrued = 0.0
        note.period_start = ev.date
        if method == "cash":
            note.interest_cash = round_cents(note.interest_cash + amount)
            values.update({"Interest Paid Cash": amount, "Cash Paid": amount, "Detail": "interest paid in cash"})
            self._row(ev, note, reasons, **values)
            return
        note.interest_pik = round_cents(note.interest_pik + amount)
        if note.terms.pik_style == "capitalise":
            note.principal = round_cents(note.principal + amount)
            note.principal_issued = round_cents(note.principal_issued + amount)
            values.update({"Interest PIK": amount, "Principal Issued": amount, "Detail": "interest paid in kind: added to principal"})
            self._row(ev, note, reasons, **values)
            return
        # Line 213: registered PIK notes (no interest) only if the equity conditions hold on the
        # interest date; else private PIK notes (interest at the note's rate, capitalised) or cash.
        met, why = checks.equity_conditions_met(self.state, ev.date, "registered PIK notes")
        reasons += why
        fallback = note.pik_fallback or note.terms.pik_fallback
        if not met and fallback == "cash":
            note.interest_pik = round_cents(note.interest_pik - amount)
            note.interest_cash = round_cents(note.interest_cash + amount)
            values.update({"Interest Paid Cash": amount, "Cash Paid": amount,
                           "Detail": "interest paid in cash: no registered PIK notes without the equity conditions"})
            self._row(ev, note, reasons, **values)
            return
        note.pik_count += 1
        name = f"{note.name}-PIK{note.pik_count}"
        if met:
            rate, how, what = note.terms.pik_note_rate, "cash", "registered PIK note"
        else:
            rate, how, what = note.terms.rate, "pik", "private PIK note"
        values.update({"Interest PIK": amount, "Detail": f"interest paid in kind: new {what} {name}"
                       + (f" at {rate:.2%}" if rate else "")})
        self._row(ev, note, reasons, **values)
        pik_terms = note.terms.replace(name=name, kind="pik", face=amount, issue_date=ev.date, rate=rate,
                                       interest_payment=how, pik_style="capitalise",
                                       interest_counts_issue_day=False)  # its issue day is the parent's interest date
        pik = self._open_note(pik_terms, fixed=note.fixed_price, floor=note.floor_price, maturity=note.maturity, parent=note.name)
        pik.own_price = note.own_price  # a PIK note follows its parent's price
        issue = Event(ev.date, EventKind.ISSUE, name, amount, "pik", AUTO)
        self._row(issue, pik, None, **{"Principal Before": 0.0, "Principal Issued": amount,
                                       "Detail": f"{what} for the interest of {note.name}; {_matures(pik.maturity)}"
                                       + (f"; interest {rate:.2%}, capitalised" if rate else "; no interest")})

    def _maturity(self, ev: Event) -> None:
        note = self._find(ev.note or "")
        if note is None or note.closed or ev.value != note.schedule_version:
            return
        accrued_now = self._accrue(note, ev.date)
        before, interest = note.principal, note.accrued
        note.repaid = round_cents(note.repaid + before)
        note.interest_cash = round_cents(note.interest_cash + interest)
        note.principal, note.accrued, note.closed = 0.0, 0.0, True
        if before <= 0 and interest <= 0:
            return
        self._row(ev, note, None, **{
            "Principal Before": before,
            "Interest Accrued": accrued_now or None,
            "Interest Paid Cash": interest or None,
            "Principal Repaid": before,
            "Cash Paid": round_cents(before + interest),
            "Detail": "principal repaid in cash at maturity",
        })

    def _interest_election(self, ev: Event) -> None:
        choice: InterestChoice = ev.value
        method, fallback = choice.method, choice.fallback
        notes = [self._note(ev)] if ev.note else [n for n in self.state.notes.values() if not n.closed]
        for note in notes:
            note.interest_method = method
            note.pik_fallback = fallback
        when_not = {None: "", "cash": "; in cash when the equity conditions fail",
                    "private_pik": "; in private PIK notes when the equity conditions fail"}[fallback]
        self._row(ev, notes[0] if ev.note else None, None,
                  Detail=f"election {choice}: interest paid {'in kind' if method == 'pik' else 'in cash'} from "
                  f"{ev.date}{when_not} ({', '.join(n.name for n in notes) or 'no notes'})")

    def _redeem(self, ev: Event, premium: float, why: str, reasons: list[tuple[str, str]] | None = None,
                *, change_of_control: bool = False, note_after: str = "") -> None:
        targets = self._targets(ev)
        if ev.amount is not None and len(targets) > 1:
            raise ev.error("Amount is given but Note is blank: name the note to prepay part of it")
        for note in targets:
            amount = note.principal if ev.amount is None else whole_cents(ev.amount, name="Amount")
            if amount > note.principal + BALANCE_TOLERANCE:
                raise ev.error(f"prepays ${amount:,.2f} but note {note.name} has ${note.principal:,.2f} outstanding")
            amount = min(amount, note.principal)
            before = note.principal
            accrued_now = self._accrue(note, ev.date)
            interest = note.accrued if amount >= note.principal else round_cents(note.accrued * amount / note.principal)
            on_interest = change_of_control and note.terms.change_of_control_on_interest
            cash = redemption_amount(amount, interest, premium=premium, premium_on_interest=on_interest)
            premium_paid = round_cents(cash - amount - interest)
            note.principal = round_cents(note.principal - amount)
            note.repaid = round_cents(note.repaid + amount)
            note.accrued = round_cents(note.accrued - interest)
            note.interest_cash = round_cents(note.interest_cash + interest)
            note.premiums = round_cents(note.premiums + premium_paid)
            self._row(ev, note, reasons, **{
                "Principal Before": before,
                "Interest Accrued": accrued_now or None,
                "Interest Paid Cash": interest or None,
                "Principal Repaid": amount,
                "Premium Paid": premium_paid or None,
                "Cash Paid": cash,
                "Detail": f"{why} at {premium:.0%} of "
                + ("(principal plus accrued interest)" if on_interest else "principal plus accrued interest")
                + note_after,
            })
            reasons = None  # the flag goes on the first row only

    def _prepay(self, ev: Event) -> None:
        s = self.state
        if isinstance(ev.value, _TriggerPayment):
            self._trigger_payment(ev, ev.value)
            return
        if ev.value != FINANCING:
            self._redeem(ev, self._premium(ev, 1.0), "prepaid in cash")
            return
        # line 217: the holder may require prepayment out of up to 30% of a later financing's
        # gross proceeds (recorded by Dilutive Issue rows)
        pct = s.terms.redemption.financing_prepayment_pct
        targets = self._targets(ev)
        asked = sum(n.principal for n in targets) if ev.amount is None else whole_cents(ev.amount, name="Amount")
        if asked > s.financing_room + BALANCE_TOLERANCE:
            raise ev.error(f"prepays ${asked:,.2f} out of later financings, but only ${s.financing_room:,.2f} "
                           f"({pct:.0%} of their gross proceeds, less what was prepaid) is available")
        self._redeem(ev, 1.0, f"prepaid out of a later financing ({pct:.0%} of its proceeds)")
        s.financing_room = round_cents(s.financing_room - asked)

    def _trigger_payment(self, ev: Event, payment: _TriggerPayment) -> None:
        """A price-triggered monthly payment: ``trigger_payment`` of principal at
        ``trigger_premium``, from the notes in order (the first with principal first)."""
        r = self.state.terms.redemption
        assert r.trigger_payment and r.trigger_premium
        left = r.trigger_payment
        price = float(restated_trigger_prices([ev.date], price=r.trigger_price, splits=self.state.splits)[0])
        why = (f"monthly payment {payment.number} (the VWAP below ${price:,.4f} on "
               f"{r.trigger_days} of {r.trigger_window} trading days)")
        market, projected = self.state.market, ""
        if market is not None and len(market.dates) and ev.date > (last := market.dates[-1].item()):
            projected = f"; projected: the VWAPs end on {last}, due unless the price cures before"
        for note in [n for n in self.state.notes.values() if not n.closed and n.principal > 0]:
            if left <= 0:
                break
            amount = round_cents(min(left, note.principal))
            self._redeem(dataclasses.replace(ev, note=note.name, amount=amount), r.trigger_premium, why,
                         note_after=projected)
            left = round_cents(left - amount)

    def _optional_prepay(self, ev: Event) -> None:
        """Line 237: after a termination notice, when all notes together are below the threshold,
        the company may prepay all of them in cash on 20 trading days' notice at 120% of principal
        plus interest; the holder may convert first (same-day conversions come before)."""
        s = self.state
        r = s.terms.redemption
        total = s.total_principal
        reasons = []
        if s.termination is None or s.termination > ev.date:
            reasons.append(("optional-prepay", "no termination notice before it (a Termination Notice row)"))
        if total >= r.optional_prepayment_threshold:
            reasons.append(("optional-prepay", f"all notes ${total:,.2f}: optional prepayment needs them below "
                            f"${r.optional_prepayment_threshold:,.0f}"))
        if ev.note or ev.amount is not None:
            reasons.append(("optional-prepay", "prepays all notes at once: leave Note and Amount blank"))
        notice = ev.value.notice if isinstance(ev.value, Notices) else None
        need = r.optional_prepayment_notice_trading_days
        if notice is None:
            reasons.append(("optional-prepay", f"the company's notice ({need} trading days) is not recorded: "
                            "Value notice YYYY-MM-DD"))
        elif self._trading_days(notice, ev.date) < need:
            reasons.append(("optional-prepay", f"{self._trading_days(notice, ev.date)} trading days after the "
                            f"notice of {notice}; at least {need}"))
        self._redeem(ev, r.optional_prepayment_premium, "optional prepayment", reasons)

    def _change_of_control(self, ev: Event) -> None:
        """Lines 223, 265: the company notifies within 5 trading days of the agreement; within 30
        days of that notice the holder may require prepayment (Value: notice / agreement dates)."""
        r = self.state.terms.redemption
        dates = ev.value if isinstance(ev.value, Notices) else Notices()
        notice, agreement = dates.notice, dates.agreement
        reasons = []
        if notice is not None:
            last = notice + dt.timedelta(days=r.change_of_control_put_days)
            if ev.date > last:
                raise ev.error(f"the holder's put expired on {last} ({r.change_of_control_put_days} days after "
                               f"the company's notice of {notice})")
            if agreement is not None and self._trading_days(agreement, notice) > r.change_of_control_notice_trading_days:
                reasons.append(("coc-notice", f"the company's notice came {self._trading_days(agreement, notice)} "
                                f"trading days after the agreement of {agreement}; at most "
                                f"{r.change_of_control_notice_trading_days}"))
        self._redeem(ev, r.change_of_control_premium, "change-of-control prepayment", reasons,
                     change_of_control=True)

    def _trading_days(self, start: dt.date, end: dt.date) -> int:
        """Trading days after ``start`` up to and including ``end``."""
        from ascent_xl.calendar import trading_calendar

        cal = self.state.market.calendar if self.state.market is not None else trading_calendar(self.state.terms.calendar)
        return len(cal.sessions_between(start + dt.timedelta(days=1), end)) if end > start else 0

    def _termination(self, ev: Event) -> None:
        s = self.state
        a = s.terms.additional_notes
        first = s.terms.agreement_date + dt.timedelta(days=a.start_days)
        if ev.date < first:
            raise ev.error(f"the company may give notice of termination from {first} "
                           f"({a.start_days} days after the agreement)")
        s.termination = ev.date
        self._row(ev, None, None, Detail=f"termination notice: additional notes within {a.termination_trading_days} "
                  f"trading days ({a.termination_trading_days_extended} if one is taken in the first "
                  f"{a.termination_trading_days})")

    def _additional_timing(self, ev: Event, notice: dt.date | None) -> list[tuple[str, str]]:
        """Line 235: on at least 5 business days' notice; line 237: after a termination notice,
        within 60 trading days (90 if the investor took one in the first 60)."""
        import numpy as np

        s = self.state
        a = s.terms.additional_notes
        out: list[tuple[str, str]] = []
        if notice is not None:
            days = int(np.busday_count(notice, ev.date))
            if days < a.notice_business_days:
                out.append(("additional", f"{days} business days after the notice of {notice}; "
                            f"at least {a.notice_business_days}"))
        if s.termination is not None and ev.date >= s.termination:
            n = self._trading_days(s.termination, ev.date)
            early = any(self._trading_days(s.termination, d) <= a.termination_trading_days
                        for d, _ in s.additional if d >= s.termination)
            window = a.termination_trading_days_extended if early else a.termination_trading_days
            if n > window:
                out.append(("additional", f"{n} trading days after the termination notice of {s.termination}: "
                            f"the window was {window}"))
        return out

    def _default(self, ev: Event) -> None:
        if isinstance(ev.value, _DefaultPayment):
            note = self._find(ev.note or "")
            if note is not None and not note.closed and note.default_demand is not None:
                self._default_redemption(ev, note)
            return
        choice: DefaultChoice | None = ev.value
        election = None if choice is None else choice.election  # None: a notice
        pay_date = None if choice is None else choice.pay_date
        if election == "pay":
            self._default_payment_by_event(ev)
            return
        if pay_date is not None and pay_date < ev.date:
            raise ev.error(f"Value {ev.value!r}: the payment date {pay_date} is before the demand date {ev.date}")
        d = self.state.terms.default
        for note in self._targets(ev):
            self._default_rate_from(note, ev.date, in_default=True)
            if election is None:
                self._row(ev, note, [("default", "event of default outstanding (no election yet)")],
                          Detail="event of default noticed")
            elif election == "reset":
                self._split_guard(ev, d.reset_days, "default date")
                reset = default_conversion_price(self._market(ev), default_date=ev.date, factor=d.reset_factor,
                                                 days=d.reset_days, lowest=d.reset_lowest)
                old = note.fixed_price
                note.reset_price = reset
                note.fixed_price = ratcheted_price(old, issue_price=reset)
                self._row(ev, note, checks.check_prices(self.state, [note]), **{"Reset Price": reset, "Detail": (
                    f"conversion price reset to ${reset:,.5f} ({d.reset_factor:.0%} of the {d.reset_lowest} lowest of "
                    f"{d.reset_days} VWAPs); fixed price ${old:,.5f} -> ${note.fixed_price:,.5f}")})
            else:
                self._default_demand(ev, note, pay_date if election == "redeem" else None,
                                     same_day=election == "redeem" and pay_date is None)

    def _default_rate_from(self, note: NoteState, day: dt.date, *, in_default: bool) -> None:
        """Put ``note`` in (or out of) default on ``day``; where that changes its rate
        (``default.interest_rate``), interest to ``day`` accrues at the rate before."""
        rate, default_rate = note.terms.rate, self.state.terms.default.interest_rate
        if in_default != note.in_default and interest_rate(
                rate=rate, default_rate=default_rate, in_default=True) != rate:
            self._accrue(note, day)
        if in_default != note.in_default:
            note.default_changes += ((day, in_default),)
        note.in_default = in_default

    def _default_demand(self, ev: Event, note: NoteState, pay_date: dt.date | None, *, same_day: bool) -> None:
        """The holder demands the mandatory default amount: price and VWAP on the demand date are
        kept; the amount is paid on the payment date (the same day, a date in Value, or a later
        Default row with Value ``pay``)."""
        if note.default_demand is not None:
            raise ev.error(f"note {note.name}: the mandatory default amount was already demanded on "
                           f"{note.default_demand[0]}; record its payment (Default, Value pay)")
        price = self._conversion_price(ev, note, "demand date")
        vwap = checks.vwap_on_or_before(self.state, ev.date, "demand date")
        note.default_demand = (ev.date, price, vwap)
        if same_day:
            self._default_redemption(ev, note)
            return
        when = f"payment on {pay_date}" if pay_date else "payment date to come (a Default row with Value pay)"
        self._row(ev, note, [("default", "mandatory default amount demanded, not yet paid")], **{
            "Conversion Price": price,
            "Detail": f"mandatory default amount demanded: price ${price:,.5f}, VWAP ${vwap:,.4f} on the "
            f"demand date; {when}",
        })
        if pay_date is not None:
            self._push(Event(pay_date, EventKind.DEFAULT, note.name, None, _DefaultPayment(ev.date), AUTO))

    def _default_payment_by_event(self, ev: Event) -> None:
        notes = [self._note(ev)] if ev.note else [n for n in self.state.notes.values()
                                                   if not n.closed and n.default_demand is not None]
        if not notes:
            raise ev.error("no mandatory default amount has been demanded (a Default row with Value redeem)")
        for note in notes:
            if note.default_demand is None:
                raise ev.error(f"note {note.name}: no mandatory default amount has been demanded")
            self._default_redemption(ev, note)

    def _default_redemption(self, ev: Event, note: NoteState) -> None:
        """Pay the mandatory default amount on the event's date (the payment date): the lower of
        the conversion prices and the higher of the VWAPs of the demand and payment dates."""
        d = self.state.terms.default
        assert note.default_demand is not None
        demand_date, price_demand, vwap_demand = note.default_demand
        accrued_now = self._accrue(note, ev.date)
        if ev.date == demand_date:
            price_pay, vwap_pay = price_demand, vwap_demand
        else:
            price_pay = self._conversion_price(ev, note, "payment date")
            vwap_pay = checks.vwap_on_or_before(self.state, ev.date, "payment date")
        amount = mandatory_default_amount(
            note.principal, note.accrued, price_at_demand=price_demand, price_at_payment=price_pay,
            vwap_at_demand=vwap_demand, vwap_at_payment=vwap_pay, premium=d.redemption_premium,
            premium_on_interest=d.premium_on_interest, parity_includes_interest=d.parity_includes_interest,
        )
        price, vwap = min(price_demand, price_pay), max(vwap_demand, vwap_pay)
        before, interest = note.principal, note.accrued
        premium = round_cents(amount.amount - before - interest)
        note.repaid = round_cents(note.repaid + before)
        note.interest_cash = round_cents(note.interest_cash + interest)
        note.premiums = round_cents(note.premiums + premium)
        note.default_amounts = round_cents(note.default_amounts + amount.amount)
        note.principal, note.accrued, note.closed = 0.0, 0.0, True
        self._row(ev, note, None, **{
            "Principal Before": before,
            "Conversion Price": price,
            "Interest Accrued": accrued_now or None,
            "Interest Paid Cash": interest or None,
            "Principal Repaid": before,
            "Premium Paid": premium,
            "Default Amount": amount.amount,
            "Cash Paid": amount.amount,
            "Detail": f"mandatory default amount by {amount.basis}: parity ${amount.parity:,.2f}, "
            f"premium ${amount.premium:,.2f}, interest ${amount.interest:,.2f} (price ${price:,.5f}, "
            f"VWAP ${vwap:,.4f}: lower price, higher VWAP of {demand_date} and {ev.date})",
        })

    def _consent(self, ev: Event, names: tuple[str, ...] | None) -> list[tuple[str, str]]:
        """Lines 227, 271: waivers and amendments need holders of 66% of the outstanding notes.
        ``names``, the holders consenting ("by HOLDER, HOLDER" in Value): refused below the
        majority; None (not recorded): flagged when more than one holder holds notes."""
        s = self.state
        need = s.terms.covenants.amendment_majority
        by_holder: dict[str, float] = {}
        for n in s.notes.values():
            if not n.closed and n.principal > 0:
                by_holder[n.terms.holder] = by_holder.get(n.terms.holder, 0.0) + n.principal
        total = sum(by_holder.values())
        if names is None:
            if len(by_holder) > 1:
                return [("consent", f"holders of {need:.0%} of the notes must consent; not recorded "
                         "(end Value with '; by HOLDER, ...')")]
            return []
        known = {h.lower(): h for h in s.holders()}
        unknown = [x for x in names if x.lower() not in known]
        if unknown:
            raise ev.error(f"consent by {', '.join(unknown)}: holders are {', '.join(s.holders())}")
        share = sum(by_holder.get(known[x.lower()], 0.0) for x in names) / total if total else 1.0
        if share < need:
            raise ev.error(f"consent of holders of {share:.0%} of the outstanding notes; it needs {need:.0%}")
        return []

    def _waiver(self, ev: Event) -> None:
        consent = self._consent(ev, ev.value.holders if isinstance(ev.value, Consent) else None)
        notes = [self._note(ev)] if ev.note else [n for n in self.state.notes.values() if n.in_default]
        for note in notes:
            self._default_rate_from(note, ev.date, in_default=False)
        self._row(ev, notes[0] if ev.note else None, consent, Detail="event of default waived"
                  + (f" ({', '.join(n.name for n in notes)})" if notes else ""))

    def _amend(self, ev: Event) -> None:
        s = self.state
        if isinstance(ev.value, _CapChange):
            self._cap_takes_effect(ev, ev.value)
            return
        if isinstance(ev.value, _PriceReset):
            self._price_reset(ev, ev.value)
            return
        amendment: Amendment = ev.value
        name, raw = amendment.term, amendment.value
        if amendment.cap_notice:
            self._cap_notice(ev, raw)  # the holder's own notice: no consent needed
            return
        consent = self._consent(ev, amendment.consent)
        note = self._note(ev) if ev.note else None
        try:
            full = self._amended_term(ev, name, note)
            if note is not None and not full.startswith("notes."):  # a per-note price
                new_value = float(s.terms.with_term(full, raw).flat()[full])
                field_name = full.removeprefix("conversion.")  # floor_price or fixed_price
                old = getattr(note, field_name)
                setattr(note, field_name, new_value)
                if field_name == "fixed_price":  # now its own: a deal-wide amendment leaves it
                    note.own_price = True
                    self._follow_parent(note)
                self._row(ev, note, consent + checks.check_prices(s, [note]),
                          Detail=f"{note.name}: {full} {old:g} -> {new_value:g}")
                return
            new_terms = s.terms.with_term(full, raw)
            self._refuse_as_issued(ev, full, new_terms)
            old_terms, s.terms = s.terms, new_terms
        except LedgerError:
            raise  # _amended_term's refusal already names the row
        except AscentError as exc:
            raise ev.error(str(exc)) from None
        old, new = old_terms.flat()[full], s.terms.flat()[full]
        kept = self._apply_amendment(ev, full)
        reasons = consent
        if full in ("conversion.floor_price", "conversion.fixed_price", "conversion.floor_price_max"):
            reasons = reasons + self._price_flags()
        detail = f"{full}: {old} -> {new}"
        if kept:
            detail += (f"; {', '.join(kept)} {'keeps its' if len(kept) == 1 else 'keep their'} own fixed "
                       "price (to amend it: an Amendment row naming the note)")
        self._row(ev, note, reasons, Detail=detail)

    def _refuse_as_issued(self, ev: Event, full: str, new_terms: DealTerms) -> None:
        """Refuse an Amendment of what a note is as issued (its name, kind, face, issue date,
        purchase price, stated value, whether its issue day accrues) once it is issued, of what
        the deal was at the agreement, and of the terms that set dated entries of the schedule
        when the notes are issued (price resets, installments) or when the ledger starts
        (price-triggered payments): it would change the terms and not the deal. Before its issue
        a note is issued on the amended terms."""
        c_old, c_new = self.state.terms.conversion, new_terms.conversion
        shaped = full in SCHEDULE_SHAPING and (full != "conversion.installment_amount"
                                               or bool(c_old.installment_amount) != bool(c_new.installment_amount))
        if shaped and (full.startswith("redemption.") or self.state.notes):
            what = SCHEDULE_SHAPING[full]
            raise ev.error(f"{full}: the {what} are dated in the schedule when "
                           + ("the ledger starts" if full.startswith("redemption.") else "the notes are issued")
                           + "; an amendment cannot add, move or end them: give the term in the deal's terms")
        if full in DEAL_AS_ISSUED:
            how = DEAL_AS_ISSUED[full]
            raise ev.error(f"{full}: fixed by the agreement; an amendment cannot change it"
                           + (f" ({how})" if how else ""))
        parts = full.split(".")
        if len(parts) != 3 or parts[0] != "notes" or parts[2] not in AS_ISSUED:
            return
        if parts[2] == "name":  # issued or not: the events and the terms name the note by it
            raise ev.error(f"{full}: a note's name is how the events and the terms name it; an amendment cannot "
                           "change it (rename the note in the terms file and in the events)")
        note = self._find(parts[1])
        if note is not None:
            how = " (principal moves by events: Conversion, Prepayment, an Issue row of a new note)" if parts[2] == "face" else ""
            raise ev.error(f"{full}: fixed when {note.name} was issued on {note.issue_date}; an amendment cannot "
                           f"change it{how}")

    def _cap_notice(self, ev: Event, raw: str) -> None:
        """A holder's cap change (lines 221, 263): a raise, at most ``ownership_cap_max``, takes
        effect ``ownership_cap_notice_days`` after the notice (61 days on the registered note, 60
        on the private); a cut takes effect at once. Note names the holder (or a note of it);
        blank: every holder. A change while a raise is pending is refused with its date."""
        s = self.state
        try:
            new = s.terms.with_term("conversion.ownership_cap", raw).conversion.ownership_cap
        except AscentError as exc:
            raise ev.error(str(exc)) from None
        if new > s.terms.conversion.ownership_cap_max:  # with_term checks it too; the rule stated here
            raise ev.error(f"a cap of {new:.2%} is above ownership_cap_max {s.terms.conversion.ownership_cap_max:.2%}")
        if ev.note:
            holders = [h for h in s.holders() if h.lower() == ev.note.strip().lower()]
            if not holders:
                holders = [self._note(ev).terms.holder]
        else:
            holders = s.holders()
        for holder in holders:
            pending = s.cap_pending.get(holder)
            if pending is not None:
                raise ev.error(f"{holder}'s notice raising its cap to {pending[1]:.2%} takes effect on {pending[0]}; "
                               "a cap amendment before then is refused: date it on or after that day")
        for holder in holders:
            old = s.cap_of(holder)
            if new <= old:
                s.caps[holder] = new
                self._row(ev, None, None, _holder=holder, Detail=f"{holder}: ownership cap {old:.2%} -> {new:.2%}")
                continue
            days = self._cap_notice_days(ev, holder)
            effective = ev.date + dt.timedelta(days=days)
            s.cap_pending[holder] = (effective, new)
            self._push(Event(effective, EventKind.AMENDMENT, None, None, _CapChange(holder, new, ev.date), AUTO))
            self._row(ev, None, None, _holder=holder, Detail=f"{holder}: notice raising the ownership cap "
                      f"{old:.2%} -> {new:.2%}, effective {effective} ({days} days after notice)")

    def _cap_notice_days(self, ev: Event, holder: str) -> int:
        """Days from notice to a raised cap: the named note's, else the longest of the holder's notes."""
        s = self.state
        if ev.note and self._find(ev.note) is not None:
            return self._find(ev.note).terms.ownership_cap_notice_days  # type: ignore[union-attr]
        days = [n.terms.ownership_cap_notice_days for n in s.notes.values() if n.terms.holder == holder]
        days += [n.ownership_cap_notice_days for n in s.terms.notes if n.holder == holder]
        return max(days) if days else max(n.ownership_cap_notice_days for n in s.terms.notes)

    def _price_reset(self, ev: Event, reset: _PriceReset) -> None:
        """A dated reset of a note's fixed price (``conversion.price_reset_*``)."""
        note = self._find(ev.note or "")
        if note is None or note.closed or note.principal <= 0:
            return
        c = self.state.terms.conversion
        # the terms refuse resets without these (ConversionTerms' consistency check)
        assert c.price_reset_average_days and c.price_reset_pct and c.price_reset_rule
        reasons: list[tuple[str, str]] = []
        since = f" (deferred from {reset.deferred_from})" if reset.deferred_from else ""
        if c.price_reset_conditions != "none":  # gated by the equity conditions on its day
            met, reasons = checks.equity_conditions_met(self.state, ev.date, f"price reset {reset.number}")
            later = c.price_reset_days[reset.number:]
            deadline = note.issue_date + dt.timedelta(days=later[0]) if later else note.maturity
            market = self._market(ev)
            after = ev.date + dt.timedelta(days=1)
            nxt: dt.date | None = None
            if after <= market.last_date:
                nxt = market.calendar.on_or_after(after).item()  # type: ignore[assignment]
            action = price_reset_action(conditions=c.price_reset_conditions, met=met, next_day=nxt,
                                        deadline=deadline)
            first = reset.deferred_from or ev.date
            if action == "defer":
                assert nxt is not None  # defer: a later day is known
                self._push(Event(nxt, EventKind.AMENDMENT, note.name, None, _PriceReset(reset.number, first), AUTO))
                if reset.deferred_from is None:  # one row on the reset date; the retries are silent
                    self._row(ev, note, [*reasons, ("reset", f"reset {reset.number} deferred")], Event="Price Reset",
                              Detail=f"reset {reset.number} deferred: the equity conditions do not hold; tried "
                              f"each trading day{f' before {deadline}' if deadline else ''}; fixed price stays ${note.fixed_price:,.5f}")
                return
            if action != "reset":
                if action == "pending":
                    how, why = "still deferred", f"no market data after {ev.date} to test the equity conditions"
                elif c.price_reset_conditions == "defer":
                    how, why = "skipped", f"the equity conditions held on no trading day from {first} to {deadline}"
                elif any("not tested" in why for _, why in reasons):  # no data for them: not met
                    how, why = "skipped", "the equity conditions were not tested (see Flags)"
                else:
                    how, why = "skipped", "the equity conditions do not hold"
                self._row(ev, note, [*reasons, ("reset", f"reset {reset.number} {how}")], Event="Price Reset",
                          Detail=f"reset {reset.number} {how}: {why}; fixed price stays ${note.fixed_price:,.5f}")
                return
            reasons = []
        window = self._market(ev).window(ev.date, c.price_reset_average_days,
                                         what="price reset date")
        average = float(window.mean())
        old = note.fixed_price
        note.fixed_price = reset_fixed_price(fixed_price=old, average=average, pct=c.price_reset_pct,
                                             rule=c.price_reset_rule)
        self._follow_parent(note)  # its PIK notes follow (own_price unchanged)
        self._row(ev, note, reasons + checks.check_prices(self.state, [note]), Event="Price Reset", Detail=(
            f"reset {reset.number}{since}: {c.price_reset_pct:.0%} of the {c.price_reset_average_days}-day average "
            f"${average:,.5f} ({c.price_reset_rule}); fixed price ${old:,.5f} -> ${note.fixed_price:,.5f}"))

    def _cap_takes_effect(self, ev: Event, change: _CapChange) -> None:
        s = self.state
        old = s.cap_of(change.holder)
        s.caps[change.holder] = change.cap
        s.cap_pending.pop(change.holder, None)
        self._row(ev, None, None, _holder=change.holder, Detail=f"{change.holder}: ownership cap {old:.2%} -> "
                  f"{change.cap:.2%} (notice of {change.notice})")

    def _amended_term(self, ev: Event, name: str, note: NoteState | None) -> str:
        s = self.state
        if note is None:
            return resolve_term_name(s.terms, name)
        in_terms = any(n.name == note.name for n in s.terms.notes)
        field_name = name.split(".")[-1]
        if field_name in NoteTerms.__dataclass_fields__:
            if in_terms:
                return resolve_term_name(s.terms, f"notes.{note.name}.{field_name}")
            what = (f"a PIK note of {note.parent}" if note.parent
                    else "an additional note" if note.kind == "additional" else f"a {note.kind} note")
            raise ev.error(f"{note.name} is {what}: its terms were set at its issue and are not among the deal's "
                           "terms to amend; naming it amends only its own floor_price or fixed_price")
        full = resolve_term_name(s.terms, name)
        if full in ("conversion.floor_price", "conversion.fixed_price"):
            return full
        raise ev.error(f"{full} applies to the whole deal; leave Note blank (per note: a note's own terms, "
                       "floor_price or fixed_price)")

    def _apply_amendment(self, ev: Event, full: str) -> list[str]:
        """Apply an amended term to the notes issued; the names of the open notes that keep a
        fixed price of their own under an Amendment of the deal's ``conversion.fixed_price``."""
        s = self.state
        if full == "conversion.floor_price":
            s.floor_price = s.terms.conversion.floor_price
            for n in s.notes.values():
                n.floor_price = s.floor_price
        elif full == "conversion.fixed_price":
            if s.terms.conversion.fixed_price is None:
                raise ev.error("conversion.fixed_price cannot be made blank after issue")
            # the deal's price: every note that takes it (and new notes); a note with a price of
            # its own (own_fixed_price, own_fixed_price_at_issue, an Amendment naming it) keeps it
            s.fixed_price = s.terms.conversion.fixed_price
            for n in s.notes.values():
                if not n.own_price:
                    n.fixed_price = s.fixed_price
            return [n.name for n in s.notes.values() if n.own_price and not n.closed and n.parent is None]
        elif full == "warrants.exercise_price":  # as written: on the current share basis
            s.warrant_price = s.terms.warrants.exercise_price
        elif full.startswith("notes."):
            _, name, field_name = full.split(".", 2)
            note = self._find(name)
            if note is None:
                return []  # not issued yet: it is issued on the amended terms
            self._accrue(note, ev.date)  # a new rate applies from the amendment's date
            note.terms = s.terms.note(name).replace(issue_date=note.issue_date, face=note.terms.face)
            if field_name == "own_fixed_price":  # its own price from now on; 0: the deal's
                note.own_price = note.terms.own_fixed_price > 0
                note.fixed_price = note.terms.own_fixed_price if note.own_price else s.fixed_price
                self._follow_parent(note)
            children = [c for c in s.notes.values() if c.parent == note.name and not c.closed]
            if field_name in ("maturity_months", "interest_months"):
                if field_name == "maturity_months" and not note.closed and note.terms.maturity is not None \
                        and note.terms.maturity < ev.date:
                    raise ev.error(f"{full} = {getattr(note.terms, field_name)!r}: {note.name} would mature on "
                                   f"{note.terms.maturity}, before this amendment; a note cannot be matured in the "
                                   "past (date the amendment on or before that day, or give more months)")
                note.maturity = note.terms.maturity
                for child in children:  # its PIK notes: the same maturity (and coupon months)
                    child.terms = child.terms.replace(**{field_name: getattr(note.terms, field_name)})
                    child.maturity = note.maturity
            if field_name == "interest_payment":
                note.interest_method = note.terms.interest_payment
            if field_name in ("rate", "pik_note_rate"):  # its PIK notes' rate: a private PIK note's is
                private = field_name == "rate"  # the note's (its interest capitalised), a registered one's
                children = [c for c in children if (c.terms.interest_payment == "pik") == private]
                for child in children:  # the note's pik_note_rate
                    self._accrue(child, ev.date)
                    child.terms = child.terms.replace(rate=getattr(note.terms, field_name))
            if field_name in ("maturity_months", "interest_months", "rate", "pik_note_rate"):
                # its coupon dates anew (a rate from or to 0 adds or ends them). Amendments apply
                # before the day's interest: a coupon date of the amended terms on the amendment's
                # own day is paid that day (the old schedule's is dropped)
                for n in (note, *children):  # (the note's own dates are the same after a pik_note_rate)
                    self._schedule_dates(n, after=ev.date - dt.timedelta(days=1))
        return []

    def _follow_parent(self, note: NoteState) -> None:
        """A note's PIK notes take its fixed price (and whether it is its own)."""
        for child in self.state.notes.values():
            if child.parent == note.name:
                child.fixed_price, child.own_price = note.fixed_price, note.own_price

    def _split_guard(self, ev: Event, days: int, what: str) -> None:
        """The pricing tools' split-jump guard (:func:`~ascent_xl.pricing.check_split_jumps`) on
        the ledger's VWAPs (restated for the Split rows so far): a window of ``days`` sessions
        before the event, or any day since the closing (the deal's prices were set then), that
        holds a VWAP jump a split would explain is refused, unless a Split row with Value
        ``none`` says the jump of that day is real."""
        s = self.state
        c = s.terms.conversion
        if self.no_split:
            return
        try:
            check_split_jumps(self._market(ev), ev.date, days=days, threshold=c.split_jump_threshold,
                              since=self.closing, what=what, genuine=s.no_split_days, way_out=SPLIT_ROW_WAY_OUT)
        except SplitJumpError as exc:
            raise ev.error(str(exc)) from None

    def _split(self, ev: Event) -> None:
        s = self.state
        if isinstance(ev.value, NoSplit):
            s.no_split_days.append(ev.date)
            self._row(ev, None, None, Detail=f"no split on {ev.date}: a VWAP jump onto this day is a real move")
            return
        split: SplitRatio = ev.value
        ratio = split.ratio
        old_fixed, old_floor = s.fixed_price, s.floor_price
        s.shares_outstanding = split_adjusted_shares(s.shares_outstanding, ratio=ratio)
        s.holdings = {h: split_adjusted_shares(n, ratio=ratio) for h, n in s.holdings.items()}
        s.warrant_shares = split_adjusted_shares(s.warrant_shares, ratio=ratio)
        if s.reserve is not None:
            s.reserve = split_adjusted_shares(s.reserve, ratio=ratio)
        s.fixed_price = split_adjusted_price(s.fixed_price, ratio=ratio)
        s.floor_price = split_adjusted_price(s.floor_price, ratio=ratio)
        s.warrant_price = split_adjusted_price(s.warrant_price, ratio=ratio)
        if s.reference_price:
            s.reference_price = split_adjusted_price(s.reference_price, ratio=ratio)
        for n in s.notes.values():
            n.fixed_price = split_adjusted_price(n.fixed_price, ratio=ratio)
            n.floor_price = split_adjusted_price(n.floor_price, ratio=ratio)
            n.shares_restated *= ratio
            if n.reset_price is not None:
                n.reset_price = split_adjusted_price(n.reset_price, ratio=ratio)
        s.splits.append((ev.date, ratio))
        if s.market is not None:
            s.market = s.market.adjusted_for_split(ev.date, ratio)
        self._row(ev, None, None, Detail=(
            f"split {ev.value} ({ratio:g} new per old): fixed price ${old_fixed:,.5f} -> ${s.fixed_price:,.5f}, "
            f"floor ${old_floor:,.5f} -> ${s.floor_price:,.5f}, warrant price ${s.warrant_price:,.4f}"))

    def _price_flags(self) -> list[tuple[str, str]]:
        """check_prices for every open note (the deal's prices when none is open)."""
        open_notes = [n for n in self.state.notes.values() if not n.closed]
        return checks.check_prices(self.state, open_notes or None)

    def _dilutive_issue(self, ev: Event) -> None:
        s = self.state
        price = float(ev.value)
        shares = int(ev.amount or 0)
        old = s.fixed_price
        s.fixed_price = ratcheted_price(s.fixed_price, issue_price=price)
        s.warrant_price = ratcheted_price(s.warrant_price, issue_price=price)
        for n in s.notes.values():
            n.fixed_price = ratcheted_price(n.fixed_price, issue_price=price)
        s.shares_outstanding += shares
        reasons = checks.check_restricted(s, ev.date, shares * price, self.closing) + self._price_flags()
        gross = round_cents(shares * price)
        r, cov = s.terms.redemption, s.terms.covenants
        s.financing_room = round_cents(s.financing_room + r.financing_prepayment_pct * gross)
        self._row(ev, None, reasons, Detail=f"{shares:,} shares at ${price:,.4f}: fixed price ${old:,.5f} -> "
                  f"${s.fixed_price:,.5f} (full ratchet), warrant price ${s.warrant_price:,.4f}; gross "
                  f"${gross:,.2f}: holders may require prepayment out of {r.financing_prepayment_pct:.0%} "
                  f"(${r.financing_prepayment_pct * gross:,.2f}) and take part in {cov.participation_pct:.0%} "
                  f"(${cov.participation_pct * gross:,.2f})")

    def _warrant_exercise(self, ev: Event) -> None:
        s = self.state
        w = s.terms.warrants
        if ev.date > w.expiry:
            raise ev.error(f"the warrants expired on {w.expiry}")
        exercised = s.warrant_shares if ev.amount is None else int(ev.amount)
        if exercised <= 0 or exercised > s.warrant_shares:
            raise ev.error(f"exercises {exercised:,} warrant shares but {s.warrant_shares:,} remain")
        how = str(ev.value)
        holder = w.holder
        self._shares_known(ev, "the warrants' ownership cap")
        room = max_conversion_shares(holder_shares=s.holdings.get(holder, 0), shares_outstanding=s.shares_outstanding,
                                     cap=w.ownership_cap)
        vwap = checks.vwap_on_or_before(s, ev.date, "cashless exercise date") if how == "cashless" else 0.0

        def delivered(x: int) -> int:
            if how == "cash":
                return x
            return warrant_cashless_shares(x, exercise_price=s.warrant_price, market_price=vwap, rounding=w.share_rounding)

        requested = exercised
        if delivered(exercised) > room:  # the cap applies to exercises too: exercise what fits
            exercised = min(exercised, room if how == "cash" else math.floor(room * vwap / (vwap - s.warrant_price)) + 1)
            while exercised > 0 and delivered(exercised) > room:
                exercised -= 1
        shares = delivered(exercised)
        received = round_cents(exercised * s.warrant_price) if how == "cash" else 0.0
        if how == "cash":
            detail = f"{holder}: {exercised:,} warrant shares for cash at ${s.warrant_price:,.4f}"
        else:
            detail = f"{holder}: {exercised:,} warrant shares cashless at VWAP ${vwap:,.4f}: {shares:,} shares"
        reasons = []
        if exercised < requested:
            reasons.append(("warrant-cap", f"{holder} capped at {w.ownership_cap:.2%}: {exercised:,} of {requested:,} "
                            f"warrant shares exercised; {requested - exercised:,} stay as warrants"))
        s.warrant_shares -= exercised
        s.shares_outstanding += shares
        s.holdings[holder] = s.holdings.get(holder, 0) + shares
        self._row(ev, None, reasons, _holder=holder,
                  **{"Shares Issued": shares, "Cash Received": received or None, "Detail": detail})

    def _shares_known(self, ev: Event, what: str) -> None:
        """Refuse an issue of shares while the shares outstanding are 0 (:func:`checks.unknown_shares`)."""
        why = checks.unknown_shares(self.state, what)
        if why is not None:
            raise ev.error(why)

    def _shares_outstanding(self, ev: Event) -> None:
        count = int(ev.value)
        old = self.state.shares_outstanding
        self.state.shares_outstanding = count
        self._row(ev, None, None, Detail=f"shares outstanding {old:,} -> {count:,}")

    def _holder_sale(self, ev: Event) -> None:
        s = self.state
        holder = self._seller(ev)
        held = s.holdings.get(holder, 0)
        sold = held if ev.amount is None else int(ev.amount)
        if sold > held:
            raise ev.error(f"sells {sold:,} shares but {holder} has {held:,}")
        s.holdings[holder] = held - sold
        reasons = []
        detail = f"{holder} sold {sold:,} shares"
        if s.market is not None:
            vwap = checks.vwap_on_or_before(s, ev.date, "sale date")
            key = (holder, ev.date.year, ev.date.month)
            s.month_sales[key] = s.month_sales.get(key, 0.0) + sold * vwap
            reasons = checks.check_leak_out(s, ev.date, s.month_sales[key], holder=holder)
            detail += f" (about ${sold * vwap:,.0f} at VWAP ${vwap:,.4f})"
        self._row(ev, None, reasons, _holder=holder, Detail=detail)

    def _seller(self, ev: Event) -> str:
        """The holder selling: named in the Note column (a holder, or a note whose holder sells),
        else the only holder with shares."""
        s = self.state
        holders = s.holders()
        if ev.note:
            for h in holders:
                if h.lower() == ev.note.strip().lower():
                    return h
            if self._find(ev.note) is not None or any(n.name.lower() == ev.note.lower() for n in s.terms.notes):
                return s.holder_of(ev.note)
            raise ev.error(f"Note {ev.note!r}: name a holder ({', '.join(holders)}) or a note")
        with_shares = [h for h, n in s.holdings.items() if n > 0]
        if len(with_shares) == 1:
            return with_shares[0]
        if not with_shares:
            if ev.amount:
                raise ev.error("no holder has shares to sell")
            return holders[0]  # nothing held, nothing sold
        raise ev.error(f"holders {', '.join(with_shares)} have shares: name the seller in the Note column")

    def _cash_balance(self, ev: Event) -> None:
        cash = float(ev.value)
        self.state.cash = cash
        self._row(ev, None, None, Detail=f"company cash ${cash:,.2f}")

    def _share_reserve(self, ev: Event) -> None:
        self.state.reserve = int(ev.value)
        self._row(ev, None, None, Detail=f"{self.state.reserve:,} shares reserved; "
                  f"{checks.shares_issuable(self.state):,} issuable now")
