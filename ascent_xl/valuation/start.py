"""Where a valuation starts: the deal as it stands at the end of the valuation date.

:class:`DealStart` is read from the deal ledger's state after the events up to and including the
valuation date (:func:`deal_start`): per note the principal outstanding, its PIK notes, the
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
from ascent_xl.interest import year_fraction
from ascent_xl.ledger.state import BALANCE_TOLERANCE, DealState, NoteState
from ascent_xl.market import MarketData
from ascent_xl.terms import DealTerms, NoteTerms


@dataclass(frozen=True, slots=True)
class NoteStart:
    """One note (with its PIK notes) at the end of the valuation date. USD, USD/share."""

    name: str
    terms: NoteTerms
    maturity: dt.date
    face: float
    principal: float
    pik_principal: float
    accrued: float
    fixed_price: float
    floor_price: float

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
    holder_shares: int
    warrant_shares: int
    warrant_price: float
    fixed_price: float  # the deal's, for notes issued from now on
    floor_price: float
    market: MarketData | None
    events_applied: int = 0

    @property
    def live(self) -> tuple[NoteStart, ...]:
        """The notes that still owe something."""
        return tuple(n for n in self.notes if not n.settled)


def deal_start(terms: DealTerms, events: Iterable[Event], market: MarketData | None, *,
               as_of: dt.date) -> DealStart:
    """Run the deal ledger over ``events`` up to and including ``as_of`` and read the deal's
    state then (see the module docstring).

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> s = deal_start(ASTI_2022, [], None, as_of=dt.date(2022, 12, 19))
    >>> [(n.name, n.principal, n.accrued) for n in s.notes]
    [('Registered', 12500000.0, 0.0), ('Private', 2500000.0, 0.0)]
    """
    from ascent_xl.ledger import run_ledger

    closing = min(n.issue_date for n in terms.notes)
    if as_of < closing:
        raise InputError(f"valuation date {as_of} is before the notes' issue on {closing}; value on or after it")
    events = list(events)
    schedule = run_ledger(terms, events, market, until=as_of)
    return from_state(schedule.state, as_of=as_of,
                      events_applied=sum(1 for e in events if e.date <= as_of))


def from_state(state: DealState, *, as_of: dt.date, events_applied: int = 0) -> DealStart:
    """The :class:`DealStart` of a ledger state that stands at the end of ``as_of``: interest is
    accrued from each note's last entry to ``as_of`` (unrounded, on the note's day count)."""
    parents = [n for n in state.notes.values() if n.parent is None]
    notes = []
    for note in parents:
        children = [n for n in state.notes.values() if n.parent == note.name and not n.closed]
        accrued = _accrued_to(note, as_of) + sum(_accrued_to(c, as_of) for c in children)
        notes.append(NoteStart(
            name=note.name,
            terms=note.terms,
            maturity=note.maturity,
            face=float(note.terms.face),
            principal=0.0 if note.closed else float(note.principal),
            pik_principal=float(sum(c.principal for c in children)),
            accrued=accrued,
            fixed_price=float(note.fixed_price),
            floor_price=float(note.floor_price),
        ))
    return DealStart(
        as_of=as_of,
        notes=tuple(notes),
        shares_outstanding=int(state.shares_outstanding),
        holder_shares=int(state.holder_shares),
        warrant_shares=int(state.warrant_shares),
        warrant_price=float(state.warrant_price),
        fixed_price=float(state.fixed_price),
        floor_price=float(state.floor_price),
        market=state.market,
        events_applied=events_applied,
    )


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
    spot = float(market.vwap_on(day, what=f"valuation date {start.as_of} (the spot)")[0])
    out = {"spot": (spot, f"VWAP of {day_text(day)} ({source})")}
    if market.dollar_volume is not None:
        upto = market.dollar_volume[market.dates <= day][-VOLUME_DAYS:]
        upto = upto[np.isfinite(upto)]
        if len(upto):
            volume = float(np.median(upto)) / spot
            out["daily_volume"] = (volume, f"median dollar volume of the {len(upto)} sessions to "
                                   f"{day_text(day)} / spot")
    return out


def _accrued_to(note: NoteState, day: dt.date) -> float:
    """The note's accrued unpaid interest at the end of ``day``."""
    if note.closed:
        return 0.0
    extra = 0.0
    start, period = note.accrued_to, note.period_start
    if start is not None and period is not None and day > start and note.principal > 0:
        t = note.terms
        extra = note.principal * t.rate * (year_fraction(period, day, t.day_count)
                                           - year_fraction(period, start, t.day_count))
    return float(note.accrued) + extra


__all__ = ["DealStart", "NoteStart", "deal_start", "from_state"]
