"""Covenant and limit checks. Each returns the reasons a row breaks a limit (empty when it does
not); the ledger shows them as flags and never changes an amount because of them — except the
ownership cap, which the conversion itself applies (and flags)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from ascent_xl.calendar import as_day
from ascent_xl.equity import equity_conditions
from ascent_xl.errors import MarketDataError
from ascent_xl.ledger.state import DealState, NoteState
from ascent_xl.money import round_shares

Reasons = list[tuple[str, str]]


def shares_issuable(state: DealState) -> int:
    """Shares all outstanding notes would convert into, plus unexercised warrants: each note's
    principal at its floor price (the most shares the notes can need) or, with
    ``covenants.share_reserve_price = fixed``, at its fixed price."""
    at_fixed = state.terms.covenants.share_reserve_price == "fixed"
    notes = 0
    for n in state.notes.values():
        if n.principal > 0:
            price = n.fixed_price if at_fixed else n.floor_price
            notes += int(round_shares(n.principal / price, "up"))
    return notes + state.warrant_shares


def check_reserve(state: DealState) -> Reasons:
    """Share reserve: reserved shares ≥ multiple × shares issuable (when a reserve is given)."""
    if state.reserve is None:
        return []
    need = state.terms.covenants.share_reserve_multiple * shares_issuable(state)
    if state.reserve < need:
        basis = "floor" if state.terms.covenants.share_reserve_price == "floor" else "fixed price"
        return [("reserve", f"{state.reserve:,} shares reserved, {need:,.0f} required "
                 f"({state.terms.covenants.share_reserve_multiple:g}x issuable at the {basis})")]
    return []


def check_prices(state: DealState, notes: list[NoteState] | None = None) -> Reasons:
    """A fixed price below the floor (a ratchet, a reset or an amendment took it there) and a
    floor above the most the exchange's rules may require (``conversion.floor_price_max``, on
    the current share basis): for ``notes``, or the deal's prices for new notes when None. One
    reason per rule, naming the notes."""
    if state.terms.conversion.floor_mode == "none":
        return []  # no floor: nothing to be below or above
    ratio = 1.0
    for _, r in state.splits:
        ratio *= r
    top = state.terms.conversion.floor_price_max / ratio
    items = [(n.name, n.fixed_price, n.floor_price) for n in notes] if notes else [
        ("new notes", state.fixed_price, state.floor_price)]
    low = [(name, fixed, floor) for name, fixed, floor in items if fixed < floor]
    high = [(name, floor) for name, _, floor in items if floor > top * (1 + 1e-12)]
    out: Reasons = []
    if low:
        _, fixed, floor = low[0]
        out.append(("below-floor", f"fixed price ${fixed:,.5f} below the floor ${floor:,.5f} "
                    f"({', '.join(n for n, _, _ in low)}): conversions price at the floor"))
    if high:
        out.append(("floor-max", f"floor ${high[0][1]:,.5f} above the ${top:,.5f} maximum "
                    f"(conversion.floor_price_max; {', '.join(n for n, _ in high)})"))
    return out


def check_min_cash(state: DealState) -> Reasons:
    """Minimum cash: company cash ≥ the covenant minimum (when a cash balance is given)."""
    floor = state.terms.covenants.min_cash
    if state.cash is not None and state.cash < floor:
        return [("min-cash", f"cash ${state.cash:,.2f} below the ${floor:,.0f} minimum")]
    return []


def check_leak_out(state: DealState, day: dt.date, month_sales: float, *, holder: str = "holder") -> Reasons:
    """Leak-out (per investor, lines 213 and 257): ``holder``'s sales in the calendar month ≤ the
    leak-out share of the month's trading value (needs dollar volumes)."""
    m = state.market
    if m is None or m.dollar_volume is None:
        return []
    start = np.datetime64(dt.date(day.year, day.month, 1), "D")
    end = np.datetime64(dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1), "D")
    in_month = (m.dates >= start) & (m.dates < end)
    volume = float(np.nansum(m.dollar_volume[in_month]))
    limit = state.terms.covenants.leak_out_pct * volume
    if month_sales > limit:
        return [("leak-out", f"{holder}'s sales ${month_sales:,.0f} in {day:%b %Y} exceed "
                 f"{state.terms.covenants.leak_out_pct:.0%} of the month's trading value ${volume:,.0f}")]
    return []


def check_restricted(state: DealState, day: dt.date, value: float, closing: dt.date) -> Reasons:
    """Restricted period: equity issued within the period after closing stays within the limit."""
    cov = state.terms.covenants
    if (day - closing).days > cov.restricted_period_days:
        return []
    state.restricted_issued += value
    if state.restricted_issued > cov.restricted_issue_limit:
        return [("restricted", f"${state.restricted_issued:,.0f} issued within {cov.restricted_period_days} "
                 f"days of closing; at most ${cov.restricted_issue_limit:,.0f} of restricted securities")]
    return []


def equity_conditions_met(state: DealState, day: dt.date, purpose: str) -> tuple[bool, Reasons]:
    """Whether the equity conditions hold on ``day``, and the reasons when they do not. Without
    dollar volume and market cap data covering the period they are *not tested*: flagged and
    never treated as met."""
    m = state.market
    if m is None or m.dollar_volume is None or m.market_cap is None:
        missing = "VWAPs" if m is None else "dollar volume" if m.dollar_volume is None else "market cap"
        return False, [("equity", f"equity conditions for {purpose} not tested: no {missing} data "
                        "(give the market data's volume and market cap columns)")]
    try:
        result = equity_conditions(m, test_date=day, terms=state.terms.equity_conditions)
    except MarketDataError as exc:
        return False, [("equity", f"equity conditions for {purpose} not tested: {exc}")]
    if not result.met:
        return False, [("equity", f"equity conditions not met for {purpose}: {result.reason}")]
    return True, []


def check_equity_conditions(state: DealState, day: dt.date, purpose: str) -> Reasons:
    """The reasons the equity conditions fail (or were not tested) on ``day``; empty when met."""
    return equity_conditions_met(state, day, purpose)[1]


def check_additional_note(state: DealState, day: dt.date, amount: float) -> Reasons:
    """Limits of the additional-note facility for a new additional note of ``amount`` USD."""
    a = state.terms.additional_notes
    out: Reasons = []
    first = state.terms.agreement_date + dt.timedelta(days=a.start_days)
    if day < first:
        out.append(("additional", f"issued before {first} ({a.start_days} days after the agreement)"))
    month = sum(x for d, x in state.additional if (d.year, d.month) == (day.year, day.month)) + amount
    if month > a.monthly_limit_with_consent:
        out.append(("additional", f"${month:,.0f} in {day:%b %Y} above the ${a.monthly_limit_with_consent:,.0f} monthly maximum"))
    elif month > a.monthly_limit:
        out.append(("additional", f"${month:,.0f} in {day:%b %Y} above ${a.monthly_limit:,.0f}: needs the investor's consent"))
    if state.additional:
        last = max(d for d, _ in state.additional)
        if (day - last).days < a.min_days_between:
            out.append(("additional", f"only {(day - last).days} days after the last additional note (minimum {a.min_days_between})"))
    total = sum(x for _, x in state.additional) + amount
    if total > a.total_limit:
        out.append(("additional", f"${total:,.0f} of additional notes above the ${a.total_limit:,.0f} total"))
    outstanding = state.total_principal
    if outstanding > a.max_outstanding_before:
        out.append(("additional", f"${outstanding:,.0f} of notes outstanding before the issue "
                    f"(at most ${a.max_outstanding_before:,.0f})"))
    out += check_equity_conditions(state, day, "an additional note")
    return out


def vwap_on_or_before(state: DealState, day: dt.date, what: str) -> float:
    """The VWAP of the last trading day on or before ``day`` (e.g. for a default on a Saturday)."""
    m = state.market
    if m is None:
        raise MarketDataError(f"{what} needs VWAP data; give the VWAP series")
    found = m.calendar.date_index(day)
    if found is not None and found[1]:
        return m.vwap_on_date(day, what=what)
    session = m.calendar.on_or_before(as_day(day))
    return float(m.vwap_on(session, what=what)[0])


def unknown_shares(state: DealState, what: str) -> str | None:
    """Why no share may be issued now, or None: while the shares outstanding are 0 (terms that
    do not know the count, as a shipped deal whose sources do not state it) ``what`` (an
    ownership cap) would cut every conversion to nothing, silently. The ledger and a quote
    refuse with this text."""
    if state.shares_outstanding > 0:
        return None
    return (f"the shares outstanding are 0, so {what} allows no share: write the deal's count "
            "before its first issue in the terms (shares_outstanding) or add a Shares Outstanding "
            "event before this one")


def not_whole_preferred(note: NoteState, amount: float) -> str | None:
    """Why converting ``amount`` USD of a preferred (a note with a stated value) cannot be done:
    not a whole number of its shares (what to write instead); None when it can, or for a note."""
    from ascent_xl.terms import is_whole

    stated = note.terms.stated_value
    if not stated or is_whole(note.terms.preferred_shares(amount)):
        return None
    whole = math.floor(note.terms.preferred_shares(amount))
    return (f"converts ${amount:,.2f}: not a whole number of {note.name} preferred shares of ${stated:,.2f} stated "
            f"value (notes.{note.name}.stated_value); write a multiple of ${stated:,.2f} ({whole:,} shares is "
            f"${whole * stated:,.2f})")
