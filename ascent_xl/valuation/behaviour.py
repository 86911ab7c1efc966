"""What the holder and the company do, as a typed terms record: the valuation's behaviour rules.

The Monte Carlo applies these rules on every path, every trading day, in the engine's same-day
order (:mod:`ascent_xl.events`):

1. interest and maturity **due on a day the market was closed** (a weekend quarter end, a holiday
   maturity) are settled first, as the ledger settles them on their nominal date;
2. on the **default date**, the holder elects the mandatory default amount (cash) or the default
   conversion price reset (``default_election``; ``better`` compares the cash amount with the
   conversion value of the whole outstanding amount at the reset price that day);
3. the holder **converts**: with ``sell_through``, each day as many shares as it may sell that
   day under the leak-out, when the conversion is worth at least ``min_conversion_value`` times
   the amount converted; everything it may when that value exceeds ``convert_all_above``; on the
   last trading day on or before maturity, everything when conversion beats repayment; on a
   prepayment date, everything when conversion beats the prepayment premium. Every conversion
   stays under the ownership cap, counting the shares the holder still holds. Notes convert in
   the order of the terms; within a note, accrued interest first (``convert_interest``: the
   notes let the holder convert any part of the outstanding amount), then PIK notes, then
   principal, which bears interest;
4. the holder **sells** shares it holds: at most ``leak_out`` of the day's share volume, in whole
   shares (the deal's monthly leak-out applied day by day: that share of each day's volume meets
   the monthly limit; unused allowance is not carried forward);
5. **scheduled prepayments** are paid in cash at their premium plus accrued interest;
6. interest and maturity **due today**: the company pays interest in cash or in kind by
   ``interest`` (or an explicit election); PIK on a note paid in registered PIK notes
   (``pik_style`` pik_note) is registered only when the equity conditions hold on the interest
   date, else the election's (or the note's) ``pik_fallback``: cash, or private PIK notes at the
   note's rate; registered PIK notes bear the note's ``pik_note_rate``; capitalised PIK interest
   bears the note's rate; PIK bears interest from its nominal date. At maturity what is left is
   repaid in cash.

Defaults that are deal terms (the leak-out, the ownership cap) are left blank here and read
from the deal's terms, so a behaviour record holds no deal number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ascent_xl.errors import InputError, TermsError
from ascent_xl.events import Event, EventKind
from ascent_xl.terms import DealTerms, InterestMethod, PikFallback, Terms, term

InterestRule = Literal["cash", "pik", "equity_conditions"]
DefaultElection = Literal["better", "redeem", "reset"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduledPrepayment(Terms):
    """A prepayment the company makes on ``date``, in cash, at ``premium`` × principal plus
    accrued interest."""

    date: dt.date = term(unit="date", doc="prepayment date (paid on the next trading day if closed)")
    note: str = term(unit="text", doc="note prepaid (blank: every note, in the terms' order)", default="")
    amount: float | None = term(
        unit="USD", doc="principal prepaid (blank: all that is outstanding)", default=None, gt=0
    )
    premium: float = term(
        unit="x principal", doc="cash paid per USD of principal (1.20 = 120%)", default=1.0, ge=1, lt=10
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class InterestElection(Terms):
    """The company's election of cash or PIK interest for interest dates on or after ``date``."""

    date: dt.date = term(unit="date", doc="first interest date the election applies to")
    note: str = term(unit="text", doc="note (blank: every note)", default="")
    method: InterestMethod = term(unit="text", doc="cash or pik")
    fallback: PikFallback | None = term(
        unit="text",
        doc="registered PIK notes when the equity conditions fail: cash or private_pik (blank: the note's)",
        default=None,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Behaviour(Terms):
    """The holder's and the company's behaviour in the valuation (see the module's rules).

    Examples
    --------
    >>> from ascent_xl.presets import ASTI_2022
    >>> b = Behaviour(convert_all_above=1.5)
    >>> b.leak_out_for(ASTI_2022) == ASTI_2022.covenants.leak_out_pct
    True
    """

    sell_through: bool = term(
        unit="flag", doc="TRUE: convert each day the shares the holder may sell (leak-out)", default=True
    )
    leak_out: float | None = term(
        unit="fraction",
        doc="holder's daily sales as a share of the day's volume (blank: the deal's leak-out)",
        default=None,
        gt=0,
        le=1,
    )
    min_conversion_value: float = term(
        unit="x principal",
        doc="sell-through converts only when shares plus floor payment are worth this per USD",
        default=1.0,
        ge=0,
        lt=100,
    )
    convert_all_above: float | None = term(
        unit="x principal",
        doc="convert all the cap allows once conversion is worth more than this per USD (blank: never)",
        default=None,
        gt=0,
        lt=100,
    )
    convert_at_maturity: bool = term(
        unit="flag", doc="TRUE: at maturity convert what the cap allows when it beats repayment",
        default=True,
    )
    convert_interest: bool = term(
        unit="flag",
        doc="TRUE: conversions take a note's accrued interest first, then PIK notes, then principal",
        default=True,
    )
    ownership_cap: float | None = term(
        unit="fraction",
        doc="holder's ownership cap after a conversion (blank: the deal's; 1: no cap)",
        default=None,
        gt=0,
        le=1,
    )
    interest: InterestRule = term(
        unit="text",
        doc="company's interest: cash, pik, or equity_conditions (PIK when they hold, else cash); "
        "registered PIK notes only when the equity conditions hold, else the note's pik_fallback",
        default="equity_conditions",
    )
    interest_elections: tuple[InterestElection, ...] = term(
        unit="", doc="explicit elections that override the interest rule from their date", default=()
    )
    default_date: dt.date | None = term(
        unit="date", doc="date of an event of default (blank: none)", default=None
    )
    default_election: DefaultElection = term(
        unit="text", doc="holder's election on default: better, redeem or reset", default="better"
    )
    prepayments: tuple[ScheduledPrepayment, ...] = term(
        unit="", doc="scheduled prepayments in cash", default=()
    )

    def leak_out_for(self, terms: DealTerms) -> float:
        """The leak-out share used with ``terms``: ``leak_out`` or the deal's covenant."""
        return terms.covenants.leak_out_pct if self.leak_out is None else self.leak_out

    def ownership_cap_for(self, terms: DealTerms) -> float:
        """The ownership cap used with ``terms`` (1 means no cap)."""
        return terms.conversion.ownership_cap if self.ownership_cap is None else self.ownership_cap

    def check_notes(self, terms: DealTerms) -> None:
        """Raise a :class:`TermsError` when a prepayment or election names an unknown note."""
        for i, item in enumerate((*self.prepayments, *self.interest_elections)):
            if item.note:  # type: ignore[attr-defined]
                try:
                    terms.note(item.note)  # type: ignore[attr-defined]
                except TermsError as exc:
                    kind = "prepayments" if isinstance(item, ScheduledPrepayment) else "interest_elections"
                    index = i if kind == "prepayments" else i - len(self.prepayments)
                    raise TermsError(f"{kind}[{index + 1}].note", exc.problem) from None

    def with_events(self, events: Iterable[Event], *, terms: DealTerms) -> Behaviour:
        """This behaviour with the planned events of an event list applied:

        - ``Prepayment``: a scheduled prepayment (Value: premium multiple, blank 1.00);
        - ``Optional Prepay``: a prepayment at the deal's optional prepayment premium;
        - ``Default``: the default date, and the election when Value is redeem or reset;
        - ``Interest Election``: cash or PIK from that date.

        Other kinds (conversions, splits, amendments ...) describe what happened, which is the
        ledger's business; they raise an :class:`InputError` naming the row.
        """
        prepayments = list(self.prepayments)
        elections = list(self.interest_elections)
        default_date, election = self.default_date, self.default_election
        for e in events:
            note = e.note or ""
            if note:
                try:
                    note = terms.note(note).name
                except TermsError as exc:
                    raise InputError(f"{e.label}: {exc.problem}") from None
            if e.kind in (EventKind.PREPAYMENT, EventKind.OPTIONAL_PREPAYMENT):
                if e.kind is EventKind.OPTIONAL_PREPAYMENT:
                    premium = terms.redemption.optional_prepayment_premium
                else:
                    if isinstance(e.value, str):  # FINANCING: out of a financing the model does not draw
                        raise InputError(f"{e.label}: Value {e.value}: the valuation takes a premium "
                                         "multiple (blank: 1.00), not a prepayment out of a financing")
                    premium = 1.0 if e.value is None else float(e.value)
                try:
                    prepayments.append(
                        ScheduledPrepayment(date=e.date, note=note, amount=e.amount, premium=premium)
                    )
                except TermsError as exc:
                    raise InputError(f"{e.label}: {exc}") from None
            elif e.kind is EventKind.DEFAULT:
                if default_date is not None:
                    raise InputError(f"{e.label}: the valuation models one event of default; "
                                     f"one is already on {default_date}")
                default_date = e.date
                if e.value is not None:  # an events.DefaultChoice, typed when read
                    text = e.value.election
                    if text not in ("redeem", "reset") or e.value.pay_date is not None:
                        raise InputError(f"{e.label}: Value {str(e.value)!r}: the valuation takes redeem, "
                                         "reset or blank")
                    election = text
            elif e.kind is EventKind.INTEREST_ELECTION:
                choice = e.value  # an events.InterestChoice, typed when read
                elections.append(InterestElection(date=e.date, note=note, method=choice.method,
                                                  fallback=choice.fallback))
            else:
                raise InputError(
                    f"{e.label}: the valuation takes planned Prepayment, Optional Prepay, Default "
                    f"and Interest Election events only; {e.kind.value} belongs to the ledger"
                )
        return self.replace(
            prepayments=tuple(sorted(prepayments, key=lambda p: p.date)),
            interest_elections=tuple(sorted(elections, key=lambda x: x.date)),
            default_date=default_date,
            default_election=election,
        )


PLANNED_KINDS = (EventKind.PREPAYMENT, EventKind.OPTIONAL_PREPAYMENT, EventKind.DEFAULT,
                 EventKind.INTEREST_ELECTION)
"""Event kinds the valuation applies (the others describe the deal's history: the ledger's)."""
SIMULATED_KINDS = frozenset({EventKind.CONVERSION, EventKind.HOLDER_SALE})
"""Event kinds after the valuation date that the simulation decides on each path (the holder's
conversions and sales); the other unplanned kinds after it (a split, an amendment, a cash
balance ...) are not known on the valuation date: the deal is valued as it stands then."""


def planned_events(events: Iterable[Event], *, start: dt.date) -> tuple[list[Event], list[Event]]:
    """Split a deal's event list into the events the valuation applies and the others, so that
    the ledger's events file can be given to the valuation as it is. The deal's state at the end
    of ``start`` (the valuation date) holds every event up to that day; after it, the
    valuation applies the planned ones - prepayments, interest elections and a default with the
    holder's election (Value redeem or reset). Interest elections of any date are applied: an
    election holds from its date on, so one made before the valuation date still decides the
    interest dates after it.

    Examples
    --------
    >>> from ascent_xl.events import parse_events
    >>> used, skipped = planned_events(parse_events([
    ...     ["2023-01-10", "Conversion", "Registered", 1000, None],
    ...     ["2023-01-12", "Interest Election", None, None, "pik"],
    ...     ["2023-04-17", "Prepayment", "Registered", 1000, None]]), start=dt.date(2023, 2, 1))
    >>> [e.kind.value for e in used], [e.kind.value for e in skipped]
    (['Interest Election', 'Prepayment'], ['Conversion'])
    """
    used, skipped = [], []
    for e in events:
        notice_only = e.kind is EventKind.DEFAULT and e.value is None
        planned = e.kind in PLANNED_KINDS and not notice_only and e.date > start
        if planned or e.kind is EventKind.INTEREST_ELECTION:
            used.append(e)
        else:
            skipped.append(e)
    return used, skipped


__all__ = [
    "Behaviour",
    "DefaultElection",
    "InterestElection",
    "InterestRule",
    "PLANNED_KINDS",
    "ScheduledPrepayment",
    "planned_events",
]
