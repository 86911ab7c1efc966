"""Where a valuation starts: the deal as it stands at the end of the valuation date.

:class:`DealStart` is read from the deal's snapshot on the valuation date
(:func:`ascent_xl.ledger.position.deal_state`, the ledger after the events up to and including
that day; :func:`deal_start`): per note the principal outstanding, its PIK notes, the
interest accrued and unpaid to that date and the current fixed price and floor (after splits,
amendments, ratchets and resets); for the deal the shares outstanding, the holder's shares, the
warrants left and their price, and the VWAPs restated for the splits so far. The Monte Carlo
simulates from there, so a note that is fully converted or repaid is worth nothing and a
part-way note is valued on what is outstanding, not on its face.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ascent_xl.calendar import day_text
from ascent_xl.errors import InputError
from ascent_xl.events import Event
from ascent_xl.family import refuse_shape
from ascent_xl.ledger.position import DealPosition
from ascent_xl.ledger.state import BALANCE_TOLERANCE, DealState
from ascent_xl.market import MarketData
from ascent_xl.money import round_cents
from ascent_xl.terms import DealTerms, NoteTerms


@dataclass(frozen=True, slots=True)
class NoteStart:
    """One note (with its PIK notes) at the end of the valuation date. USD, USD/share."""

    name: str
    terms: NoteTerms
    maturity: dt.date
    face: float
    principal: float  # its own and its private PIK notes' (interest at the note's rate)
    pik_principal: float  # its registered PIK notes' (interest at its pik_note_rate)
    accrued: float
    fixed_price: float
    floor_price: float
    default_since: dt.date | None = None  # in default at the end of the valuation date: since when
    demanded_on: dt.date | None = None  # the mandatory default amount demanded that day, not yet paid
    private_pik: float = 0.0  # the part of ``principal`` that is its private PIK notes'

    @property
    def owed(self) -> float:
        """Principal, PIK notes and accrued interest still owed."""
        return self.principal + self.pik_principal + self.accrued

    @property
    def settled(self) -> bool:
        """True when nothing is owed any more (converted, repaid or redeemed)."""
        return self.owed < BALANCE_TOLERANCE


@dataclass(frozen=True, slots=True, eq=False)
class DealStart:
    """The deal at the end of ``as_of``: the valuation's starting point."""

    as_of: dt.date
    notes: tuple[NoteStart, ...]
    shares_outstanding: int
    holder_shares: int  # the converting holder's (``holder``), with its affiliates
    warrant_shares: int
    warrant_price: float
    fixed_price: float  # the deal's, for notes issued from now on
    floor_price: float
    market: MarketData | None
    events_applied: int = 0
    holder: str = ""  # the holder of the live notes (the valuation models one)
    ownership_cap: float | None = None  # that holder's cap on the valuation date (None: the terms')
    cap_raise: tuple[dt.date, float] | None = None  # a raise it gave notice of: (effective from, cap)

    @property
    def live(self) -> tuple[NoteStart, ...]:
        """The notes that still owe something."""
        return tuple(n for n in self.notes if not n.settled)


def deal_start(terms: DealTerms, events: Iterable[Event], market: MarketData | None, *,
               as_of: dt.date) -> DealStart:
    """The deal's snapshot at the end of ``as_of`` (:func:`ascent_xl.ledger.position.deal_state`:
    the ledger over ``events`` up to and including that day) as the valuation's start.

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> s = deal_start(ASTI_2022, [], None, as_of=dt.date(2022, 12, 19))
    >>> [(n.name, n.principal, n.accrued) for n in s.notes]
    [('Registered', 12500000.0, 0.0), ('Private', 2500000.0, 0.0)]
    """
    from ascent_xl.ledger import run_ledger
    from ascent_xl.ledger.position import position_from

    closing = terms.closing
    if as_of < closing:
        raise InputError(f"valuation date {as_of} is before the notes' issue on {closing}; value on or after it")
    events = list(events)
    schedule = run_ledger(terms, events, market, until=as_of)
    return from_position(position_from(schedule, as_of=as_of), schedule.state,
                         events_applied=sum(1 for e in events if e.date <= as_of))


def from_position(position: DealPosition, state: DealState, *, events_applied: int = 0) -> DealStart:
    """The :class:`DealStart` of a deal snapshot (``position``) and the ledger state it was read
    from (``state``: each note's terms, which PIK notes belong to which note, the VWAPs restated
    for the splits). A note's PIK notes are valued with it: a registered PIK note's principal
    as the note's PIK notes (interest at its ``pik_note_rate``), a private PIK note's (interest
    at the note's rate) as the note's principal, whose interest the simulation then pays by its
    rule rather than capitalising it; their accrued interest adds to the note's. The holder is the live notes' (the first note's when none is live): its
    shares and its cap on that date (after a raise that took effect) start the simulation."""
    notes = []
    for note in state.notes.values():
        if note.parent is not None:
            continue
        own = position.note(note.name)
        if own.maturity is None:  # no maturity (a convertible preferred): no horizon to value to
            refuse_shape("notes.maturity_months", who="the Monte Carlo valuation")
        kids = [c for c in state.notes.values() if c.parent == note.name]
        children = [position.note(c.name) for c in kids]
        private = {c.name for c in kids if _private_pik(c.terms, note.terms)}
        private_pik = round_cents(sum(c.outstanding_principal for c in children if c.note in private))
        notes.append(NoteStart(
            name=note.name,
            terms=note.terms,
            maturity=own.maturity,
            face=float(note.terms.face),
            principal=float(own.outstanding_principal + private_pik),
            pik_principal=float(sum(c.outstanding_principal for c in children if c.note not in private)),
            accrued=float(own.accrued_interest + sum(c.accrued_interest for c in children)),
            fixed_price=float(own.fixed_price),
            floor_price=float(own.floor_price),
            default_since=(note.default_changes[-1][0] if note.default_changes else position.as_of)
            if note.in_default else None,
            demanded_on=None if note.default_demand is None else note.default_demand[0],
            private_pik=float(private_pik),
        ))
    live = [n for n in notes if not n.settled] or notes
    holder = live[0].terms.holder if live else state.terms.notes[0].holder
    return DealStart(
        as_of=position.as_of,
        notes=tuple(notes),
        shares_outstanding=int(position.shares_outstanding),
        holder_shares=int(state.holder(holder).shares),
        warrant_shares=int(position.warrant_shares),
        warrant_price=float(position.warrant_price),
        fixed_price=float(position.fixed_price),
        floor_price=float(position.floor_price),
        market=state.market,
        events_applied=events_applied,
        holder=holder,
        ownership_cap=state.cap_of(holder),
        cap_raise=state.holder(holder).cap_pending,
    )


def _private_pik(pik: NoteTerms, parent: NoteTerms) -> bool:
    """True for a private PIK note (the equity conditions failed on its interest date): interest
    at its parent's rate, capitalised, the parent's maturity and conversion terms, so it is
    valued as the parent's principal; False for a registered PIK note, at the parent's
    ``pik_note_rate`` (the simulation's PIK notes). Any other rate (the parent's rate amended
    since) is refused: the valuation has one rate for a note's PIK notes."""
    if pik.interest_payment == "pik" and pik.rate == parent.rate:
        return True
    if pik.interest_payment != "pik" and pik.rate == parent.pik_note_rate:
        return False
    expected = parent.rate if pik.interest_payment == "pik" else parent.pik_note_rate
    raise InputError(f"{pik.name}: a PIK note of {parent.name} at {pik.rate:.4%}, not its note's "
                     f"{expected:.4%}; the valuation values a note's PIK notes at one rate: value "
                     "on a date before the rate changed, or amend the note's rate back")


VOLUME_DAYS = 20
"""Sessions whose median dollar volume gives the daily volume at the spot (when the VWAPs carry
a Dollar Volume column)."""


def market_inputs(start: DealStart, *, source: str = "the VWAPs") -> dict[str, tuple[float, str]]:
    """The model inputs the deal's market data gives on the valuation date, with where each came
    from: ``spot``, the VWAP on (or the last before) the valuation date, restated for the splits
    so far; ``daily_volume``, the median dollar volume of the :data:`VOLUME_DAYS` sessions up to
    that day divided by the spot (when the data has dollar volumes). Empty without market data.

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> from ascent_xl.samples import sample_market
    >>> s = deal_start(ASTI_2022, [], sample_market(), as_of=dt.date(2022, 12, 19))
    >>> market_inputs(s)["spot"]
    (2.8352, 'VWAP of 2022-12-19 (the VWAPs)')
    """
    market = start.market
    if market is None:
        return {}
    day = market.calendar.on_or_before(start.as_of)
    spot = float(market.vwap_on(day, what="valuation date (the spot)")[0])
    out = {"spot": (spot, f"VWAP of {day_text(day)} ({source})")}
    if market.dollar_volume is not None:
        upto = market.dollar_volume[market.dates <= day][-VOLUME_DAYS:]
        upto = upto[np.isfinite(upto)]
        if len(upto):
            volume = float(np.median(upto)) / spot
            out["daily_volume"] = (volume, f"median dollar volume of the {len(upto)} sessions to "
                                   f"{day_text(day)} / spot")
    return out


__all__ = ["VOLUME_DAYS", "DealStart", "NoteStart", "deal_start", "from_position", "market_inputs"]
