"""The ledger's running state: each note's principal and accrued interest, and the deal's share
counts, prices, cash and limits, as they stand after the events applied so far."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ascent_xl.market import MarketData
from ascent_xl.terms import DealTerms, NoteTerms

# A balance is conserved when the identity holds to within half a cent.
BALANCE_TOLERANCE = 0.005


@dataclass
class NoteState:
    """One note as it stands now. Money in USD, prices in USD/share (after any split)."""

    name: str
    kind: str
    terms: NoteTerms
    issue_date: dt.date
    maturity: dt.date | None  # None: no maturity (a convertible preferred)
    fixed_price: float
    floor_price: float
    interest_method: str
    parent: str | None = None
    own_price: bool = False  # its fixed price is its own, not the deal's (family.has_own_fixed_price)
    pik_fallback: str | None = None  # an election's cash / private_pik when the equity conditions fail
    principal_issued: float = 0.0  # face at issue plus interest capitalised
    principal: float = 0.0  # outstanding
    converted: float = 0.0
    repaid: float = 0.0  # prepaid, redeemed or repaid at maturity, in cash
    accrued: float = 0.0  # accrued unpaid interest, sum of rows rounded to the cent
    accrued_to: dt.date | None = None
    period_start: dt.date | None = None  # start of the current interest period
    in_default: bool = False
    default_changes: tuple[tuple[dt.date, bool], ...] = ()  # (day, in default from that day) per change
    default_demand: tuple[dt.date, float, float] | None = None  # (date, price, VWAP) of a demand
    # (day, fixed price, floor price) at the end of each day either changed, on that day's share basis
    price_changes: tuple[tuple[dt.date, float, float], ...] = ()
    closed: bool = False  # fully redeemed or matured
    schedule_version: int = 0  # bumped when interest dates or maturity are amended
    pik_count: int = 0
    reset_price: float | None = None  # the default reset price, once a Default (reset) sets it
    shares_issued: int = 0  # as issued: counts of every share basis added (see shares_by_basis)
    shares_restated: float = 0.0  # the shares issued, restated to the current share basis
    shares_by_basis: dict[int, int] = field(default_factory=dict)  # splits before the issue -> shares
    floor_payments: float = 0.0
    interest_cash: float = 0.0
    interest_pik: float = 0.0
    interest_converted: float = 0.0
    premiums: float = 0.0
    default_amounts: float = 0.0

    @property
    def shares_issued_restated(self) -> int:
        """The shares issued on conversion, every one restated to the current share basis (a
        count issued before a 1:200 split counts 1/200), to the nearest share."""
        from ascent_xl.pricing import split_adjusted_shares

        return split_adjusted_shares(self.shares_restated, ratio=1.0)

    @property
    def conserved(self) -> bool:
        """Principal issued = converted + repaid + outstanding (to within half a cent)."""
        return abs(self.principal_issued - self.converted - self.repaid - self.principal) < BALANCE_TOLERANCE


@dataclass(frozen=True, slots=True)
class HolderView:
    """One holder (with its affiliates) on the state's date. ``cap_pending`` is (the date it takes
    effect, the cap) of a raise the holder has given notice of; ``headroom_shares`` the most new
    shares it may receive now under its cap."""

    holder: str
    shares: int
    ownership: float
    ownership_cap: float
    cap_pending: tuple[dt.date, float] | None
    headroom_shares: int


@dataclass
class DealState:
    """The deal as it stands now."""

    terms: DealTerms
    market: MarketData | None
    shares_outstanding: int
    fixed_price: float  # deal-level fixed price for notes issued from now on
    floor_price: float
    warrant_shares: int
    warrant_price: float
    notes: dict[str, NoteState] = field(default_factory=dict)
    holdings: dict[str, int] = field(default_factory=dict)  # shares each holder owns (from the deal)
    caps: dict[str, float] = field(default_factory=dict)  # a holder's cap once it differs from the terms'
    cap_pending: dict[str, tuple[dt.date, float]] = field(default_factory=dict)  # holder -> (from, cap)
    cash: float | None = None  # company cash, once a Cash Balance event gives it
    reserve: int | None = None  # shares reserved, once a Share Reserve event gives it
    reference_price: float | None = None  # price of the last conversion (for the reserve)
    restricted_issued: float = 0.0  # USD issued in the restricted period
    additional: list[tuple[dt.date, float]] = field(default_factory=list)
    month_sales: dict[tuple[str, int, int], float] = field(default_factory=dict)  # (holder, year, month)
    splits: list[tuple[dt.date, float]] = field(default_factory=list)  # (date, new shares per old)
    no_split_days: list[dt.date] = field(default_factory=list)  # Split rows "none": a jump that day is real
    termination: dt.date | None = None  # the company's termination notice, once given
    financing_room: float = 0.0  # USD the holders may still require out of later financings

    @property
    def total_principal(self) -> float:
        """Principal outstanding over all notes, USD."""
        return sum(n.principal for n in self.notes.values())

    @property
    def holder_shares(self) -> int:
        """Shares all holders own together (each holder: :meth:`holder`)."""
        return sum(self.holdings.values())

    @property
    def holder_ownership(self) -> float:
        """All holders' shares / shares outstanding (0 when there are no shares)."""
        return self.holder_shares / self.shares_outstanding if self.shares_outstanding else 0.0

    def holders(self) -> list[str]:
        """Every holder of the deal: of the notes (terms and issued) and of the warrants."""
        names = [n.holder for n in self.terms.notes] + [n.terms.holder for n in self.notes.values()]
        names += [self.terms.warrants.holder, *self.holdings]
        return list(dict.fromkeys(names))

    def holder_of(self, note: str) -> str:
        """The holder of the note called ``note``."""
        for n in self.notes.values():
            if n.name.lower() == note.lower():
                return n.terms.holder
        return self.terms.note(note).holder

    def cap_of(self, holder: str) -> float:
        """The ownership cap that applies to ``holder`` now (the terms' until a raise takes effect)."""
        return self.caps.get(holder, self.terms.conversion.ownership_cap)

    def holder(self, name: str) -> HolderView:
        """One holder as it stands: shares, ownership, cap, a pending cap change, headroom."""
        from ascent_xl.pricing import max_conversion_shares

        shares = self.holdings.get(name, 0)
        cap = self.cap_of(name)
        return HolderView(
            holder=name,
            shares=shares,
            ownership=shares / self.shares_outstanding if self.shares_outstanding else 0.0,
            ownership_cap=cap,
            cap_pending=self.cap_pending.get(name),
            headroom_shares=max_conversion_shares(holder_shares=shares, shares_outstanding=self.shares_outstanding,
                                                  cap=cap),
        )

    @property
    def conserved(self) -> bool:
        """Every note's principal is conserved."""
        return all(n.conserved for n in self.notes.values())
