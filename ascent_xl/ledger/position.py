"""The deal as of a date: one snapshot of every note and of the deal, from the ledger's state.

:func:`deal_state` runs the ledger over the events up to and including ``as_of`` (the day's
entries, its interest dates and maturities too) and reads the state it leaves:

- per note: principal outstanding, interest accrued and unpaid to ``as_of`` (the note's day count
  from the last interest date, on the principal as it changed), the next interest date and the
  interest due on it if nothing else happens, the fixed price, floor and any default reset price
  as they stand (after amendments, splits, ratchets and defaults), what converting the whole
  outstanding principal on ``as_of`` would give (price, shares, floor payment, the part the
  ownership cap lets through), and the shares issued so far, as issued on each share basis and
  restated to the current basis;
- in total: the same sums (share counts only on the current basis), the holder's ownership and the
  headroom under the cap in shares and USD, the share reserve needed and left, and the flags that
  are open on ``as_of``.

:func:`conversion_quote` prices one conversion notice on the deal's state that day: the state
after the day's splits, amendments, defaults and other earlier entries, before its conversions
(the same state the ledger prices a Conversion event of that day on).

Prices are USD/share on the current share basis (after every split up to ``as_of``); amounts USD.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ascent_xl.calendar import as_day
from ascent_xl.errors import AscentError, LedgerError
from ascent_xl.events import Event, EventKind
from ascent_xl.family import conversion_on, interest_rate
from ascent_xl.interest import accrued_in_period, interest_dates
from ascent_xl.ledger import checks
from ascent_xl.ledger.engine import SPLIT_ROW_WAY_OUT, LedgerCursor, run_ledger
from ascent_xl.ledger.schedule import Schedule, ratio_text
from ascent_xl.ledger.state import BALANCE_TOLERANCE, DealState, HolderView, NoteState
from ascent_xl.market import MarketData
from ascent_xl.money import round_cents
from ascent_xl.pricing import (
    CappedConversion,
    SplitJumpError,
    capped_conversion,
    check_split_jumps,
)
from ascent_xl.terms import DealTerms


@dataclass(frozen=True, slots=True)
class SharesByBasis:
    """Shares issued on one share basis: ``basis`` says which (``"current"``, or ``"before the
    2023-09-12 split"``), ``shares`` the count as issued on it."""

    basis: str
    shares: int


@dataclass(frozen=True, slots=True)
class NotePosition:
    """One note as of the snapshot's date. Money USD, prices USD/share on the current basis."""

    note: str
    kind: str
    issue_date: dt.date
    maturity: dt.date | None  # None: no maturity (a convertible preferred)
    status: str  # "outstanding", "converted", "repaid"
    principal_issued: float  # face plus interest capitalised
    principal_converted: float
    principal_repaid: float
    outstanding_principal: float
    accrued_interest: float  # accrued and unpaid to as_of
    last_interest_date: dt.date  # start of the current interest period (the issue date at first,
    # also where the deal counts the issue day and accrues from the day before it)
    next_interest_date: dt.date | None
    interest_due_next: float | None  # on the next interest date, if nothing else happens first
    interest_method: str  # cash or pik
    fixed_price: float
    floor_price: float
    reset_price: float | None  # the default reset price, when a Default (reset) set one
    in_default: bool
    conversion: CappedConversion | None  # converting all outstanding principal on as_of
    conversion_note: str | None  # why there is no conversion (not a trading day, no VWAPs ...)
    cap_headroom_usd: float | None  # principal convertible now under its holder's cap, at this price
    shares_issued: tuple[SharesByBasis, ...]  # as issued, one entry per share basis
    shares_issued_restated: int  # all of them restated to the current basis
    holder: str = ""  # the note's holder (with its affiliates), whose cap applies

    @property
    def conversion_price(self) -> float | None:
        """The conversion price on as_of (None when it cannot be priced)."""
        return None if self.conversion is None else self.conversion.conversion_price

    @property
    def conversion_shares(self) -> int | None:
        """Shares for converting the outstanding principal on as_of, after the cap."""
        return None if self.conversion is None else self.conversion.shares


@dataclass(frozen=True, slots=True)
class DealPosition:
    """The deal as of ``as_of``: one :class:`NotePosition` per issued note and the totals."""

    as_of: dt.date
    terms_name: str
    share_basis: str  # "no split" or "after the 1:200 split of 2023-09-12"
    notes: tuple[NotePosition, ...]
    outstanding_principal: float
    accrued_interest: float
    principal_issued: float
    principal_converted: float
    principal_repaid: float
    shares_issued: tuple[SharesByBasis, ...]  # as issued, per basis (never added across bases)
    shares_issued_restated: int  # on the current basis (the sum of the notes')
    shares_outstanding: int
    holder_shares: int  # all holders' shares together
    holder_ownership: float  # all holders' shares / shares outstanding
    ownership_cap: float  # the terms' cap (a holder's own, after a raise: ``holders``)
    cap_headroom_shares: int  # new shares the holders may receive now, each under its own cap, summed
    cap_headroom_usd: float | None  # principal that converts now, each holder under its cap (at its
    #                                 lowest note price), summed
    fixed_price: float  # the deal's fixed price for notes issued from now on
    floor_price: float
    warrant_shares: int
    warrant_price: float
    share_reserve: int | None  # shares reserved, once a Share Reserve event gives it
    share_reserve_needed: int  # the reserve multiple x the shares issuable now
    share_reserve_left: int | None  # reserved minus needed (negative: short)
    cash: float | None
    flags: tuple[str, ...]  # open on as_of: defaults, reserve, minimum cash, cap, that day's flags
    holders: tuple[HolderView, ...] = ()  # each holder: shares, ownership, its cap, headroom

    def note(self, name: str) -> NotePosition:
        """The position of the note called ``name`` (case ignored)."""
        for n in self.notes:
            if n.note.lower() == name.strip().lower():
                return n
        raise LedgerError(f"no note named {name!r} is issued by {self.as_of} "
                          f"(issued: {', '.join(n.note for n in self.notes) or 'none'})")


def deal_state(
    terms: DealTerms,
    market: MarketData | None,
    events: Iterable[Event],
    *,
    as_of: dt.date | str,
    no_split: bool = False,
) -> DealPosition:
    """The deal as it stands at the end of ``as_of`` (see the module docstring).

    ``market`` holds the VWAPs as traded (the ledger restates them for the splits among the
    events); without it the conversion fields are None and conversions cannot be applied. Where
    the look-back window of ``as_of`` crosses a VWAP jump a split would explain and no Split
    event covers, the conversion fields are None and the flags say why (unless ``no_split``).

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> p = deal_state(ASTI_2022, None, [], as_of="2023-01-10")
    >>> p.outstanding_principal, p.note("Private").accrued_interest
    (15000000.0, 3125.0)
    """
    day = _day(as_of)
    schedule = run_ledger(terms, events, market, until=day, no_split=no_split)
    return position_from(schedule, as_of=day, no_split=no_split)


def position_from(schedule: Schedule, *, as_of: dt.date, no_split: bool = False) -> DealPosition:
    """The snapshot of a schedule whose ledger ran up to and including ``as_of``; refused before
    the notes' issue (no deal exists yet: its warrants, cap headroom and prices would be the
    preset's, not the deal's)."""
    s = schedule.state
    closing = s.terms.closing
    if as_of < closing:
        raise LedgerError(f"as of {as_of}: before the notes' issue on {closing}, nothing is issued yet; "
                          "give that date or a later one")
    notes = tuple(_note_position(s, n, as_of, no_split) for n in s.notes.values())
    c = s.terms.conversion
    holders = tuple(s.holder(h) for h in s.holders())
    headroom = sum(h.headroom_shares for h in holders)  # each holder under its own cap
    by_holder: dict[str, float] = {}  # each holder's USD room: at its note priced lowest
    for n in notes:
        if n.cap_headroom_usd is not None:
            by_holder[n.holder] = min(by_holder.get(n.holder, math.inf), n.cap_headroom_usd)
    needed = int(s.terms.covenants.share_reserve_multiple * checks.shares_issuable(s) + 0.5)
    return DealPosition(
        as_of=as_of,
        terms_name=s.terms.name,
        share_basis=share_basis(s),
        notes=notes,
        outstanding_principal=round_cents(sum(n.outstanding_principal for n in notes)),
        accrued_interest=round_cents(sum(n.accrued_interest for n in notes)),
        principal_issued=round_cents(sum(n.principal_issued for n in notes)),
        principal_converted=round_cents(sum(n.principal_converted for n in notes)),
        principal_repaid=round_cents(sum(n.principal_repaid for n in notes)),
        shares_issued=_by_basis(s, [n.shares_by_basis for n in s.notes.values()]),
        shares_issued_restated=sum(n.shares_issued_restated for n in notes),
        shares_outstanding=s.shares_outstanding,
        holder_shares=s.holder_shares,
        holder_ownership=s.holder_ownership,
        ownership_cap=c.ownership_cap,
        cap_headroom_shares=headroom,
        cap_headroom_usd=round_cents(sum(by_holder.values())) if by_holder else None,
        fixed_price=s.fixed_price,
        floor_price=s.floor_price,
        warrant_shares=s.warrant_shares,
        warrant_price=s.warrant_price,
        share_reserve=s.reserve,
        share_reserve_needed=needed,
        share_reserve_left=None if s.reserve is None else s.reserve - needed,
        cash=s.cash,
        flags=_open_flags(schedule, as_of, notes, holders),
        holders=holders,
    )


def conversion_quote(
    terms: DealTerms,
    market: MarketData,
    events: Iterable[Event],
    *,
    notice_date: dt.date | str,
    amount: float | None = None,
    note: str | None = None,
    no_split: bool = False,
) -> tuple[CappedConversion, DealState]:
    """Price a conversion notice of ``amount`` USD of ``note``'s principal (default: the first
    note with principal outstanding; all of its principal) on the deal's state on
    ``notice_date``: after that day's earlier entries (a split, an amendment, a default ...),
    before its conversions. Returns the conversion, as the ledger would apply it, and the state
    it was priced on.

    The VWAPs are restated for the Split events up to that day; a window that still crosses a
    jump a split would explain is refused (:class:`~ascent_xl.pricing.SplitJumpError`) unless
    ``no_split`` says there was no split."""
    day = _day(notice_date)
    state = run_ledger(terms, events, market, until=day, before=EventKind.CONVERSION, no_split=no_split).state
    return quote_on(state, notice_date=day, amount=amount, note=note, no_split=no_split), state


def conversion_quotes(
    terms: DealTerms,
    market: MarketData,
    events: Iterable[Event],
    *,
    notices: Sequence[tuple[dt.date, float | None, str | None]],
    no_split: bool = False,
    names: Sequence[str] | None = None,
) -> list[tuple[CappedConversion, DealState]]:
    """Many notices ``(notice_date, amount, note)``, each priced as :func:`conversion_quote`
    prices it (on the deal's state that day, before that day's conversions; ``amount`` None: all
    of the note's principal; ``note`` None: the first with principal outstanding), in one ledger
    pass: the notices are taken in date order and returned in theirs. Each is priced on its own
    (a notice here is a question, not an event: it does not change the state of a later one).
    A notice that cannot be priced is refused (a :class:`LedgerError`), its message starting
    with its name in ``names`` (e.g. ``notices.csv line 4``), else its position (``notice 4``).

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> from ascent_xl.events import events_from_csv
    >>> from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market
    >>> events = events_from_csv(data_path(SAMPLE_EVENTS))
    >>> (a, _), (b, _) = conversion_quotes(ASTI_2022, sample_market(), events, notices=[
    ...     (dt.date(2023, 10, 2), 50_000.0, "Registered"), (dt.date(2023, 1, 10), 250_000.0, None)])
    >>> a.conversion_price, a.shares, b.shares
    (40.0, 1250, 125733)
    """
    events = list(events)
    cursor = LedgerCursor(terms, events, market, no_split=no_split)
    out: list[tuple[CappedConversion, DealState] | None] = [None] * len(notices)
    for i in sorted(range(len(notices)), key=lambda k: notices[k][0]):
        day, amount, note = notices[i]
        try:
            state = cursor.state_to(day, EventKind.CONVERSION)
            out[i] = (quote_on(state, notice_date=day, amount=amount, note=note, no_split=no_split), state)
        except AscentError as exc:
            where = names[i] if names is not None else f"notice {i + 1}"
            raise LedgerError(f"{where}: {exc}") from None
    return [q for q in out if q is not None]


def quote_on(state: DealState, *, notice_date: dt.date, amount: float | None = None,
             note: str | None = None, no_split: bool = False) -> CappedConversion:
    """:func:`conversion_quote` on a state the caller already has (the ledger stopped before the
    conversions of ``notice_date``)."""
    if state.market is None:
        raise LedgerError("a conversion needs VWAP data; give the VWAP series")
    n = note_to_convert(state, note, notice_date)
    principal = n.principal if amount is None else float(amount)
    if not principal > 0:
        raise LedgerError(f"amount {principal:,.2f}: the principal to convert must be more than zero")
    if principal > n.principal + BALANCE_TOLERANCE:
        raise LedgerError(f"amount ${principal:,.2f} converts more than note {n.name} has outstanding on "
                          f"{notice_date} (${n.principal:,.2f}); give at most that")
    why = checks.not_whole_preferred(n, principal) if amount is not None else None
    if why:
        raise LedgerError(f"amount: {why}")
    found = state.market.calendar.date_index(notice_date)
    if found is None or not found[1]:
        raise LedgerError(f"notice date {notice_date}: not a trading day; a conversion needs a day the market is open")
    c = state.terms.conversion
    if not no_split:
        check_split_jumps(state.market, notice_date, days=c.alternate_price_days, threshold=c.split_jump_threshold,
                          way_out=SPLIT_ROW_WAY_OUT)
    why = checks.unknown_shares(state, "the ownership cap")
    if why is not None:
        raise LedgerError(f"notice date {notice_date}: {why}")
    on, alternate = conversion_on(c, notice_date=notice_date, issue_date=n.issue_date, in_default=n.in_default)
    return capped_conversion(state.market, conversion=on, notice_date=notice_date,
                             principal=min(principal, n.principal), fixed_price=n.fixed_price,
                             floor_price=n.floor_price, holder_shares=state.holder(n.terms.holder).shares,
                             shares_outstanding=state.shares_outstanding, cap=state.cap_of(n.terms.holder),
                             alternate=alternate, unit=n.terms.stated_value)


def share_basis(state: DealState) -> str:
    """The current share basis in words: ``no split`` or ``after the 1:200 split of 2023-09-12``."""
    if not state.splits:
        return "no split"
    d, ratio = state.splits[-1]
    return f"after the {ratio_text(ratio)} split of {d}"


# ---------------------------------------------------------------------------------------------


def _day(value: dt.date | str) -> dt.date:
    try:
        day = as_day(value).item()
    except AscentError:
        day = None
    if not isinstance(day, dt.date):
        raise LedgerError(f"date {value!r}: write it as YYYY-MM-DD")
    return day


def note_to_convert(state: DealState, name: str | None, day: dt.date) -> NoteState:
    """The note a notice of ``day`` converts: the one named ``name`` (any case), else the first
    note with principal outstanding; refused when it has none."""
    notes = list(state.notes.values())
    if name:
        for n in notes:
            if n.name.lower() == name.strip().lower():
                if n.closed or n.principal <= 0:
                    raise LedgerError(f"note {n.name} has no principal outstanding on {day}")
                return n
        raise LedgerError(f"no note named {name!r} is issued by {day} "
                          f"(issued: {', '.join(n.name for n in notes) or 'none'})")
    for n in notes:
        if not n.closed and n.principal > 0:
            return n
    raise LedgerError(f"no note has principal outstanding on {day}")


def _by_basis(state: DealState, counts: list[dict[int, int]]) -> tuple[SharesByBasis, ...]:
    total: dict[int, int] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    current = len(state.splits)
    out = []
    for k in sorted(total):
        label = "current" if k == current else f"before the {state.splits[k][0]} split"
        out.append(SharesByBasis(label, total[k]))
    return tuple(out)


def _note_position(s: DealState, n: NoteState, as_of: dt.date, no_split: bool) -> NotePosition:
    t = n.terms
    ps = n.period_start or n.issue_date
    start = n.accrued_to or n.issue_date
    open_ = not n.closed and n.principal > 0
    rate = interest_rate(rate=t.rate, default_rate=s.terms.default.interest_rate, in_default=n.in_default)
    accrued = round_cents(n.accrued + accrued_in_period(n.principal, ps, start, as_of, rate=rate,
                                                        basis=t.day_count)) if open_ else n.accrued
    next_date = due = None
    if open_ and t.rate > 0:
        later = [d for d in interest_dates(n.issue_date, n.maturity, t.interest_months) if d > as_of]
        if later:
            next_date = later[0]
            due = round_cents(n.accrued + accrued_in_period(n.principal, ps, start, next_date, rate=rate,
                                                            basis=t.day_count))
    conversion, why, room = None, None, None
    if not open_:
        why = "nothing outstanding"
    elif s.market is None:
        why = "no VWAP data"
    else:
        try:
            conversion = quote_on(s, notice_date=as_of, note=n.name, no_split=no_split)
        except SplitJumpError as exc:
            why = _JUMP + str(exc)
        except AscentError as exc:
            why = str(exc)
        else:  # the note's holder's room under its own cap (pricing.max_conversion_amount)
            room = conversion.cap_amount
    if n.principal > 0 and not n.closed:
        status = "outstanding"
    else:
        status = "converted" if n.converted >= n.principal_issued - BALANCE_TOLERANCE else "repaid"
    return NotePosition(
        note=n.name,
        kind=n.kind,
        issue_date=n.issue_date,
        maturity=n.maturity,
        status=status,
        principal_issued=n.principal_issued,
        principal_converted=n.converted,
        principal_repaid=n.repaid,
        outstanding_principal=n.principal,
        accrued_interest=accrued,
        last_interest_date=max(ps, n.issue_date),  # a deal counting the issue day accrues from
        next_interest_date=next_date,               # the day before (terms.accrual_start): shown as the issue
        interest_due_next=due,
        interest_method=n.interest_method,
        fixed_price=n.fixed_price,
        floor_price=n.floor_price,
        reset_price=n.reset_price,
        in_default=n.in_default,
        conversion=conversion,
        conversion_note=why,
        cap_headroom_usd=room,
        shares_issued=_by_basis(s, [n.shares_by_basis]),
        shares_issued_restated=n.shares_issued_restated,
        holder=t.holder,
    )


def _open_flags(schedule: Schedule, as_of: dt.date, notes: tuple[NotePosition, ...],
                holders: tuple[HolderView, ...]) -> tuple[str, ...]:
    s = schedule.state
    out = [f"default: {n.name} in default (not waived)" for n in s.notes.values() if n.in_default and not n.closed]
    out += [f"{code}: {why}" for code, why in checks.check_reserve(s) + checks.check_min_cash(s)]
    for h in holders:
        if h.ownership > h.ownership_cap:
            out.append(f"cap: {h.holder} at {h.ownership:.2%}, above its {h.ownership_cap:.2%} cap")
    jumps = {n.conversion_note for n in notes if n.conversion_note and _is_jump(n.conversion_note)}
    out += [f"split-jump: {why[len(_JUMP):]}" for why in sorted(jumps)]
    for f in schedule.flags:
        text = str(f)
        if f.date == as_of and f.code not in ("reserve", "min-cash", "default") and text not in out:
            out.append(text)
    return tuple(out)


_JUMP = "not priced: "


def _is_jump(text: str) -> bool:
    return text.startswith(_JUMP)


def position_dict(p: DealPosition) -> dict[str, Any]:
    """The snapshot as plain JSON values (dates as YYYY-MM-DD): ``notes`` (one object per note)
    and ``total``, with the deal's share counts, cap, reserve and flags."""
    notes = []
    for n in p.notes:
        q = n.conversion
        notes.append({
            "note": n.note, "kind": n.kind, "status": n.status,
            "issue_date": _iso(n.issue_date), "maturity": _iso(n.maturity),
            "principal_issued": n.principal_issued, "principal_converted": n.principal_converted,
            "principal_repaid": n.principal_repaid, "outstanding_principal": n.outstanding_principal,
            "accrued_interest": n.accrued_interest, "last_interest_date": _iso(n.last_interest_date),
            "next_interest_date": _iso(n.next_interest_date), "interest_due_next": n.interest_due_next,
            "interest_method": n.interest_method, "fixed_price": n.fixed_price, "floor_price": n.floor_price,
            "reset_price": n.reset_price, "in_default": n.in_default,
            "alternate_price": None if q is None else q.alternate_price,
            "conversion_price": n.conversion_price, "conversion_shares": n.conversion_shares,
            "conversion_principal": None if q is None else q.principal_converted,
            "floor_payment": None if q is None else q.floor_payment,
            "capped": None if q is None else q.capped, "conversion_note": n.conversion_note,
            "cap_headroom_usd": n.cap_headroom_usd,
            "shares_issued": [{"basis": b.basis, "shares": b.shares} for b in n.shares_issued],
            "shares_issued_restated": n.shares_issued_restated,
        })
    total = {
        "outstanding_principal": p.outstanding_principal, "accrued_interest": p.accrued_interest,
        "principal_issued": p.principal_issued, "principal_converted": p.principal_converted,
        "principal_repaid": p.principal_repaid,
        "shares_issued": [{"basis": b.basis, "shares": b.shares} for b in p.shares_issued],
        "shares_issued_restated": p.shares_issued_restated,
        "shares_outstanding": p.shares_outstanding, "holder_shares": p.holder_shares,
        "holder_ownership": p.holder_ownership, "ownership_cap": p.ownership_cap,
        "cap_headroom_shares": p.cap_headroom_shares, "cap_headroom_usd": p.cap_headroom_usd,
        "fixed_price": p.fixed_price, "floor_price": p.floor_price,
        "warrant_shares": p.warrant_shares, "warrant_price": p.warrant_price,
        "share_reserve": p.share_reserve, "share_reserve_needed": p.share_reserve_needed,
        "share_reserve_left": p.share_reserve_left, "cash": p.cash,
    }
    holders = [{"holder": holder, "shares": shares, "ownership": ownership, "ownership_cap": cap,
                "cap_headroom_shares": headroom,
                "cap_pending": None if raised is None else {"from": _iso(start), "cap": raised}}
               for holder, shares, ownership, cap, raised, start, headroom in holder_rows(p)]
    return {"as_of": _iso(p.as_of), "terms": p.terms_name, "share_basis": p.share_basis,
            "notes": notes, "total": total, "holders": holders, "flags": list(p.flags)}


def conversion_dict(q: CappedConversion, *, note: str | None = None) -> dict[str, Any]:
    """One priced conversion as plain JSON values: ``alternate_price`` null on a day the
    alternate price does not apply; the cap's figures (``capped``, ``holder_shares``,
    ``ownership_cap``, ``cap_shares``) null for a quote without a holder (no events)."""
    return {
        "notice_date": _iso(q.notice_date), "note": note, "amount": q.principal_requested,
        "fixed_price": q.fixed_price, "alternate_price": q.alternate_price if q.alternate_applies else None,
        "alternate_discount": q.alternate_discount if q.alternate_applies else None,
        "unfloored_price": q.unfloored_price, "floor_price": q.floor_price,
        "conversion_price": q.conversion_price, "floor_binds": q.floor_binds,
        "capped": q.capped if q.holder_shares is not None else None,
        "holder_shares": q.holder_shares, "ownership_cap": q.ownership_cap, "cap_shares": q.cap_shares,
        "principal_converted": q.principal_converted, "shares": q.shares, "vwap": q.vwap,
        "floor_payment": q.floor_payment,
    }


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


POSITION_COLUMNS = (
    "Note", "Status", "Outstanding Principal", "Accrued Interest", "Last Interest Date",
    "Next Interest Date", "Interest Due Next", "Fixed Price", "Floor Price", "Reset Price",
    "Conversion Price", "Conversion Shares", "Principal Converted", "Floor Payment",
    "Cap Headroom USD", "Shares Issued (current basis)", "In Default",
)
"""Columns of :func:`position_rows`: money USD, prices USD/share on the current share basis."""

HOLDER_COLUMNS = (
    "Holder", "Shares Held", "Ownership", "Ownership Cap", "Cap Raised To", "Raise From",
    "Cap Headroom (shares)",
)
"""Columns of :func:`holder_rows`: shares on the current basis, ownership and caps as fractions
of the shares outstanding (0.0499 is 4.99%), the raise's cap and its first day blank when the
holder gave no notice of one."""

QUOTE_COLUMNS = (
    "Conversion Price", "Shares", "Floor Payment", "Fixed Price", "Floor Price", "Alternate Price",
    "Capped", "Principal Converted",
)
"""Columns of :func:`quote_row`."""


def position_rows(p: DealPosition) -> list[list[Any]]:
    """The snapshot as rows of :data:`POSITION_COLUMNS`: one per note, then a ``Total`` row
    (sums of money and of shares on the current basis; the deal's cap headroom)."""
    rows: list[list[Any]] = []
    for n in p.notes:
        q = n.conversion
        rows.append([
            n.note, n.status, n.outstanding_principal, n.accrued_interest, n.last_interest_date,
            n.next_interest_date, n.interest_due_next, n.fixed_price, n.floor_price, n.reset_price,
            None if q is None else q.conversion_price, None if q is None else q.shares,
            None if q is None else q.principal_converted, None if q is None else q.floor_payment,
            n.cap_headroom_usd, n.shares_issued_restated, n.in_default,
        ])
    rows.append([
        "Total", p.share_basis, p.outstanding_principal, p.accrued_interest, None, None, None,
        p.fixed_price, p.floor_price, None, None, None, None, None, p.cap_headroom_usd,
        p.shares_issued_restated, any(n.in_default for n in p.notes),
    ])
    return rows


def holder_rows(p: DealPosition) -> list[list[Any]]:
    """The holders of the snapshot as rows of :data:`HOLDER_COLUMNS`, one per holder (with its
    affiliates): its shares, its ownership, its own cap, the raise it gave notice of (the cap and
    the day it takes effect; None when none is pending) and the new shares it may receive now
    under its cap."""
    rows: list[list[Any]] = []
    for h in p.holders:
        raised, start = (None, None) if h.cap_pending is None else (h.cap_pending[1], h.cap_pending[0])
        rows.append([h.holder, h.shares, h.ownership, h.ownership_cap, raised, start, h.headroom_shares])
    return rows


def quote_row(q: CappedConversion) -> list[Any]:
    """One priced conversion as a row of :data:`QUOTE_COLUMNS` (the alternate price blank on a day
    it does not apply)."""
    return [q.conversion_price, q.shares, q.floor_payment, q.fixed_price, q.floor_price,
            q.alternate_price if q.alternate_applies else None, q.capped, q.principal_converted]
