"""Deal terms as data: immutable, typed, validated records of an advance-note deal.

The classes hold no deal numbers: every number of the Ascent Solar December 2022 deal lives in the
``ASTI_2022`` preset (:mod:`ascent_xl.presets`). Another deal of the same family is another preset
or a terms file (:mod:`ascent_xl.terms_io`), never new code.

Each field carries its unit, a one-line description and its allowed range in the dataclass
metadata; validation reads them, so an error always names the field (``conversion.floor_price``)
and the Excel ``Inputs`` sheet shows the same units and descriptions.

Conventions:
- money in USD, prices in USD per share, rates and percentages as fractions (0.045 is 4.5%);
- *premium* on a price (``fixed_price_premium``) is the excess over the average (0.30 = 130%);
- *discount* on a price (``alternate_price_discount``) is the shortfall (0.075 = 92.5%);
- a *premium* on a redemption (``redemption_premium``) is the multiple of principal (1.20 = 120%).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Literal, TypeVar

from ascent_xl.calendar import DateFormatError, parse_date
from ascent_xl.errors import TermsError
from ascent_xl.money import MAX_AMOUNT, NumberFormatError, to_float

Rounding = Literal["up", "down", "nearest"]
DayCountName = Literal["30/360", "30E/360", "ACT/365", "ACT/360"]
NoteKind = Literal["registered", "private", "additional", "pik"]
InterestMethod = Literal["cash", "pik"]
PikStyle = Literal["pik_note", "capitalise"]
PikFallback = Literal["cash", "private_pik"]
ReservePrice = Literal["floor", "fixed"]
FloorMode = Literal["make_up", "cap", "none"]
AlternateApplies = Literal["always", "in_default"]
CapExcess = Literal["refuse", "cash"]
ResetRule = Literal["lower", "replace"]

_NOTE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


UNIT_MAX: dict[str, tuple[float, str]] = {
    "USD": (MAX_AMOUNT, "ten trillion dollars"),
    "USD/share": (1e6, "a million dollars a share"),
    "shares": (MAX_AMOUNT, "ten trillion shares"),
    "trading days": (1260, "five years of trading days"),
    "business days": (1260, "five years of business days"),
    "days": (3660, "ten years"),
    "months": (600, "fifty years"),
    "years": (100, "a hundred years"),
    "count": (1260, "five years of trading days"),
    "fraction": (10, "10 is 1000%"),
    "x shares": (100, "100 shares reserved per share"),
}
"""The upper bound (inclusive) of a term of each unit that declares none, and why: beyond it a
value is a typo (``alternate_price_days = 100000000``) and would only make the engine work for
minutes or overflow a date."""
UNIT_MIN: dict[str, tuple[float, str]] = {
    "USD/share": (1e-6, "$0.000001 a share"),
}
"""The lower bound (inclusive) of a term of each unit that declares none (a price of 1e-300
would make share counts overflow)."""


def term(
    *,
    unit: str,
    doc: str,
    default: Any = MISSING,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    hint: str = "",
) -> Any:
    """A dataclass field with its unit, description and allowed range (bounds are inclusive
    for ``ge``/``le`` and exclusive for ``gt``/``lt``); ``hint`` is added to range errors.
    A field with no upper bound gets its unit's from :data:`UNIT_MAX`."""
    why = {}
    if le is None and lt is None and unit in UNIT_MAX:
        le, why["at most"] = UNIT_MAX[unit]
    if ge is None and unit in UNIT_MIN:
        ge, why["at least"] = UNIT_MIN[unit]
    meta = {"unit": unit, "doc": doc, "ge": ge, "gt": gt, "le": le, "lt": lt, "hint": hint,
            "why": why}
    if isinstance(default, (list, dict, set)):
        raise TypeError("mutable default")
    return field(default=default, metadata=meta)


class Terms:
    """Behaviour shared by every terms record: validation, mapping round trip, flat names."""

    __slots__ = ()

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            _check_value(f, getattr(self, f.name), _hints(type(self))[f.name])
        self._check_consistency()

    def _check_consistency(self) -> None:
        """Cross-field rules; subclasses raise :class:`TermsError` naming the field."""

    # -- round trip -------------------------------------------------------------------------
    def to_mapping(self) -> dict[str, Any]:
        """Nested plain-Python mapping (dates stay :class:`datetime.date`, tuples become lists)."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            out[f.name] = _plain(getattr(self, f.name))
        return out

    @classmethod
    def from_mapping(cls: type[T], data: Mapping[str, Any], *, base: T | None = None) -> T:
        """Build and validate from a mapping such as a parsed TOML or JSON file.

        Keys missing from ``data`` are taken from ``base`` when given (so a file may override a
        preset) and are otherwise an error naming the field. Unknown keys are an error that
        suggests the nearest known name.
        """
        if not isinstance(data, Mapping):
            raise TermsError("", f"expected a table of terms, got {type(data).__name__}")
        hints = _hints(cls)
        known = [f.name for f in fields(cls)]  # type: ignore[arg-type]
        for key in data:
            if key not in known:
                raise TermsError(str(key), "unknown term" + _suggest(str(key), known))
        kwargs: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            base_value = getattr(base, f.name) if base is not None else MISSING
            if f.name in data:
                try:
                    kwargs[f.name] = _coerce(
                        data[f.name], hints[f.name], base_value, percent=_is_rate(f)
                    )
                except TermsError as exc:
                    raise exc.within(f.name) from None
            elif base_value is not MISSING:
                kwargs[f.name] = base_value
            elif f.default is not MISSING:
                kwargs[f.name] = f.default
            elif _allows_none(hints[f.name]):
                kwargs[f.name] = None
            else:
                raise TermsError(f.name, f"missing; add it ({f.metadata.get('doc', '')})")
        try:
            return cls(**kwargs)
        except TermsError:
            raise
        except TypeError as exc:  # pragma: no cover - guarded by the loop above
            raise TermsError("", str(exc)) from None

    def replace(self: T, **changes: Any) -> T:
        """A validated copy with some fields changed (like :func:`dataclasses.replace`)."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    # -- flat names ---------------------------------------------------------------------
    def flat(self) -> dict[str, Any]:
        """Every leaf term under its dotted name, e.g. ``{"conversion.floor_price": 0.29}``.

        Notes are named by their ``name``: ``notes.Registered.face``.
        """
        return dict(_walk(self, ""))

    @classmethod
    def term_field(cls, name: str) -> tuple[dataclasses.Field[Any], Any] | None:
        """The dataclass field and type of the term with the dotted ``name`` under this class
        (e.g. ``DealTerms.term_field("notes.Registered.rate")``), or None."""
        klass: type = cls
        parts = name.split(".")
        while parts:
            head = parts.pop(0)
            f = next((f for f in fields(klass) if f.name == head), None)
            if f is None:
                return None
            hint = _hints(klass)[head]
            if typing.get_origin(hint) is tuple and typing.get_args(hint)[0] is NoteTerms and parts:
                parts.pop(0)  # the note's name
                klass = NoteTerms
                if not parts:
                    return None
            elif isinstance(hint, type) and issubclass(hint, Terms) and parts:
                klass = hint
            elif not parts:
                return f, hint
            else:
                return None
        return None

    @classmethod
    def describe(cls, name: str) -> tuple[str, str]:
        """(unit, description) of the term with the dotted ``name``; ``("", "")`` if unknown."""
        found = cls.term_field(name)
        if found is None:
            return "", ""
        return found[0].metadata.get("unit", ""), found[0].metadata.get("doc", "")


T = TypeVar("T", bound=Terms)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteTerms(Terms):
    """One advance note: what was issued, when, at what price, and how it pays interest."""

    name: str = term(unit="text", doc="name of the note, used in events (letters, digits, - _)")
    kind: NoteKind = term(unit="text", doc="registered, private, additional or pik")
    face: float = term(unit="USD", doc="principal (face amount) at issue", gt=0)
    purchase_price_pct: float = term(
        unit="fraction", doc="purchase price as a fraction of face (OID = 1 - this)", gt=0, le=1
    )
    issue_date: dt.date = term(unit="date", doc="issue (closing) date")
    maturity_months: int = term(unit="months", doc="months from issue to maturity", gt=0)
    rate: float = term(
        unit="fraction/yr", doc="annual interest rate", ge=0, lt=1, hint="4.5% is 0.045"
    )
    day_count: DayCountName = term(unit="text", doc="day count: 30/360, 30E/360, ACT/365, ACT/360")
    interest_months: tuple[int, ...] = term(
        unit="months", doc="months whose last day is an interest date (and maturity)"
    )
    interest_payment: InterestMethod = term(
        unit="text", doc="how interest is paid unless an election says otherwise: cash or pik"
    )
    pik_style: PikStyle = term(
        unit="text", doc="pik_note: a new PIK note per interest date; capitalise: add to principal"
    )
    pik_note_rate: float = term(
        unit="fraction/yr", doc="interest rate of the PIK notes issued for this note", ge=0, lt=1
    )
    pik_fallback: PikFallback = term(
        unit="text",
        doc="PIK when the equity conditions fail: cash, or private_pik (PIK notes at the note's rate)",
    )
    holder: str = term(unit="text", doc="investor holding the note (the ownership cap is per holder)")
    ownership_cap_notice_days: int = term(
        unit="days", doc="days after the holder's notice that a raised ownership cap takes effect", ge=0
    )
    change_of_control_on_interest: bool = term(
        unit="flag", doc="TRUE: the change-of-control premium also applies to accrued interest"
    )
    own_fixed_price: float = term(
        default=0.0,
        unit="USD/share", doc="this note's own fixed conversion price (0: the deal's "
        "conversion.fixed_price)", ge=0,
    )
    own_fixed_price_at_issue: bool = term(
        default=False,
        unit="flag", doc="TRUE: this note's fixed price is computed like the deal's "
        "(fixed_price_premium, fixed_price_days) from the VWAPs before its own issue date",
    )

    def _check_consistency(self) -> None:
        if not self.holder.strip():
            raise TermsError("holder", "missing; name the investor holding the note")
        if not _NOTE_NAME.match(self.name):
            raise TermsError("name", f"{self.name!r}: use letters, digits, '-' or '_'")
        if self.own_fixed_price and self.own_fixed_price_at_issue:
            raise TermsError("own_fixed_price_at_issue", f"TRUE with own_fixed_price {self.own_fixed_price:g}: "
                             "give the note's price, or have it computed at its issue, not both")
        bad = [m for m in self.interest_months if not 1 <= m <= 12]
        if bad or len(set(self.interest_months)) != len(self.interest_months):
            raise TermsError("interest_months", f"{self.interest_months}: months 1-12, no repeats")

    @property
    def maturity(self) -> dt.date:
        """Maturity date: issue date plus ``maturity_months`` calendar months."""
        from dateutil.relativedelta import relativedelta

        return self.issue_date + relativedelta(months=self.maturity_months)

    @property
    def purchase_price(self) -> float:
        """Cash paid by the investor for the note, in USD."""
        return self.face * self.purchase_price_pct

    @property
    def original_issue_discount(self) -> float:
        """Face minus purchase price, in USD."""
        return self.face - self.purchase_price


@dataclass(frozen=True, slots=True, kw_only=True)
class ConversionTerms(Terms):
    """How principal converts into shares: fixed and alternate prices, floor, rounding, cap."""

    fixed_price: float | None = term(
        unit="USD/share", doc="fixed conversion price set at issue (blank: compute from VWAPs)", gt=0
    )
    fixed_price_premium: float = term(
        unit="fraction",
        doc="premium over the average VWAP for the fixed price (0.30 = 130%)",
        ge=0,
        lt=1,
        hint="a 30% premium is 0.30",
    )
    fixed_price_days: int = term(
        unit="trading days", doc="trading days averaged before the issue date", ge=1
    )
    fixed_price_average: float | None = term(
        default=None,
        unit="USD/share",
        doc="average VWAP the fixed price was computed from (blank: not stated); with "
        "fixed_price, the two must agree with fixed_price_premium",
        gt=0,
    )
    alternate_price_discount: float = term(
        unit="fraction",
        doc="discount to the average of the lowest VWAPs (0.075 = 92.5% of it)",
        ge=0,
        lt=0.5,
        hint="a price of 92.5% of the average is a discount of 0.075",
    )
    alternate_price_days: int = term(
        unit="trading days", doc="look-back window before the notice date", ge=1
    )
    alternate_price_lowest: int = term(
        unit="count", doc="number of lowest VWAPs in the window that are averaged", ge=1
    )
    alternate_price_applies: AlternateApplies = term(
        default="always",
        unit="text",
        doc="when the alternate price applies: always, or in_default (only while an event of "
        "default lasts; else the fixed price)",
    )
    alternate_price_start_days: int = term(
        default=0,
        unit="days", doc="days after the note's issue from which the alternate price applies "
        "(0: from issue; 60: from the 60th day)", ge=0,
    )
    default_discount: float = term(
        default=0.0,
        unit="fraction",
        doc="discount of the alternate price while an event of default lasts, where deeper than "
        "alternate_price_discount (0: none)",
        ge=0, lt=0.5,
    )
    price_reset_days: tuple[int, ...] = term(
        default=(),
        unit="days", doc="days after each note's issue on which its fixed price resets (blank: none)"
    )
    price_reset_average_days: int | None = term(
        default=None,
        unit="trading days", doc="trading days averaged immediately before a reset date", ge=1
    )
    price_reset_pct: float | None = term(
        default=None,
        unit="fraction", doc="reset price as a fraction of that average (1.00 = 100%)", gt=0, le=2
    )
    price_reset_rule: ResetRule | None = term(
        default=None,
        unit="text", doc="lower: the lower of the fixed price and the reset price; replace: the "
        "reset price, up or down",
    )
    window_includes_notice_day: bool = term(
        default=False,
        unit="flag",
        doc="TRUE: the look-back window is the alternate_price_days ending on and including the "
        "notice day; FALSE: the days strictly before it",
    )
    floor_price: float = term(
        unit="USD/share", doc="floor price: no conversion below it (0 only with floor_mode none)",
        ge=0,
    )
    floor_mode: FloorMode = term(
        unit="text",
        doc="floor rule: make_up (floor + cash make-up), cap (floor, no cash), none",
    )
    floor_price_max: float = term(
        unit="USD/share", doc="highest floor the exchange's rules may require", gt=0
    )
    share_rounding: Rounding = term(unit="text", doc="rounding of conversion shares: up, down, nearest")
    ownership_cap: float = term(
        unit="fraction", doc="beneficial ownership cap after a conversion", gt=0, lt=1
    )
    ownership_cap_max: float = term(
        unit="fraction", doc="highest cap the holder may elect", gt=0, lt=1
    )
    split_jump_threshold: float = term(
        unit="multiple",
        doc="a day-over-day VWAP move of this many times (up or down) that no Split event covers "
        "stops the pricing of a window that crosses it",
        gt=1,
        hint="4 stops a 1:5 reverse split's jump and lets a day's VWAP halve or triple",
    )

    def _check_consistency(self) -> None:
        check_floor(floor_price=self.floor_price, floor_mode=self.floor_mode)
        days = self.price_reset_days
        if any(not 1 <= d <= UNIT_MAX["days"][0] for d in days) or list(days) != sorted(set(days)):
            raise TermsError("price_reset_days", f"{days}: days after issue, ascending, each 1 to 3660")
        for name in ("price_reset_average_days", "price_reset_pct", "price_reset_rule"):
            if days and getattr(self, name) is None:
                raise TermsError(name, f"missing: the fixed price resets {len(days)} times "
                                 f"(price_reset_days); add it ({_field(ConversionTerms, name)[0].metadata['doc']})")
        check_fixed_price(fixed_price=self.fixed_price, premium=self.fixed_price_premium,
                          average=self.fixed_price_average)
        if self.alternate_price_lowest > self.alternate_price_days:
            raise TermsError(
                "alternate_price_lowest",
                f"{self.alternate_price_lowest} lowest of {self.alternate_price_days} days: "
                "cannot exceed alternate_price_days",
            )
        if self.ownership_cap > self.ownership_cap_max:
            raise TermsError(
                "ownership_cap",
                f"{self.ownership_cap} is above ownership_cap_max {self.ownership_cap_max}",
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class DefaultTerms(Terms):
    """What the holder may demand after an event of default."""

    redemption_premium: float = term(
        unit="x principal",
        doc="mandatory default amount premium on principal (1.20 = 120%)",
        ge=1,
        lt=10,
        hint="120% of principal is 1.20",
    )
    premium_on_interest: bool = term(
        unit="flag", doc="TRUE: the premium's base is principal and accrued interest"
    )
    parity_includes_interest: bool = term(
        unit="flag",
        doc="TRUE: interest inside parity and premium, not added after (an earlier reading)",
    )
    reset_factor: float = term(
        unit="fraction",
        doc="default conversion price as a fraction of the lowest-VWAP average (0.80 = 80%)",
        gt=0,
        le=1,
    )
    reset_days: int = term(unit="trading days", doc="look-back window before the default", ge=1)
    reset_lowest: int = term(unit="count", doc="number of lowest VWAPs averaged", ge=1)
    interest_rate: float = term(
        default=0.0,
        unit="fraction/yr",
        doc="annual rate the notes bear from an event of default until it is waived, where above "
        "the note's own rate (0: no default rate)",
        ge=0, lt=1, hint="15% is 0.15",
    )

    def _check_consistency(self) -> None:
        if self.reset_lowest > self.reset_days:
            raise TermsError("reset_lowest", "cannot exceed reset_days")


@dataclass(frozen=True, slots=True, kw_only=True)
class RedemptionTerms(Terms):
    """Change-of-control put, optional prepayment and prepayment from later financings."""

    change_of_control_premium: float = term(
        unit="x principal", doc="change-of-control prepayment (1.05 = 105%)", ge=1, lt=10
    )
    change_of_control_notice_trading_days: int = term(
        unit="trading days", doc="company's notice of a change of control", ge=0
    )
    change_of_control_put_days: int = term(
        unit="days", doc="days the holder has to require prepayment", ge=0
    )
    optional_prepayment_premium: float = term(
        unit="x principal", doc="optional prepayment price (1.20 = 120%)", ge=1, lt=10
    )
    optional_prepayment_threshold: float = term(
        unit="USD", doc="all notes' principal must be below this to prepay at option", ge=0
    )
    optional_prepayment_notice_trading_days: int = term(
        unit="trading days", doc="notice of an optional prepayment", ge=0
    )
    financing_prepayment_pct: float = term(
        unit="fraction", doc="share of a later financing the holder may require", ge=0, le=1
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class AdditionalNoteTerms(Terms):
    """The facility under which the company may require more notes to be bought."""

    start_days: int = term(unit="days", doc="first issue this many days after the agreement", ge=0)
    notice_business_days: int = term(unit="business days", doc="notice before an issue", ge=0)
    purchase_price_pct: float = term(unit="fraction", doc="purchase price / principal", gt=0, le=1)
    monthly_limit: float = term(unit="USD", doc="principal per calendar month", ge=0)
    monthly_limit_with_consent: float = term(
        unit="USD", doc="principal per month with the investor's consent", ge=0
    )
    min_days_between: int = term(unit="days", doc="at most one issue per this many days", ge=0)
    total_limit: float = term(unit="USD", doc="total principal of all additional notes", ge=0)
    max_outstanding_before: float = term(
        unit="USD", doc="notes outstanding before an issue must not exceed this", ge=0
    )
    termination_trading_days: int = term(
        unit="trading days", doc="investor's window after a termination notice", ge=0
    )
    termination_trading_days_extended: int = term(
        unit="trading days", doc="window if one option was used in the first window", ge=0
    )

    def _check_consistency(self) -> None:
        if self.monthly_limit_with_consent < self.monthly_limit:
            raise TermsError("monthly_limit_with_consent", "must be at least monthly_limit")


@dataclass(frozen=True, slots=True, kw_only=True)
class EquityConditionTerms(Terms):
    """Equity conditions tested over the measurement period before an issue or PIK date."""

    days: int = term(unit="trading days", doc="measurement period", ge=1)
    trim_highest: int = term(unit="count", doc="highest dollar-volume days left out", ge=0)
    trim_lowest: int = term(unit="count", doc="lowest dollar-volume days left out", ge=0)
    min_dollar_volume: float = term(
        unit="USD", doc="minimum average daily dollar volume (after trimming)", ge=0
    )
    min_market_cap: float = term(unit="USD", doc="minimum market capitalisation", ge=0)
    min_market_cap_days: int = term(
        unit="trading days", doc="days in the period at or above the minimum market cap", ge=0
    )

    def _check_consistency(self) -> None:
        if self.trim_highest + self.trim_lowest >= self.days:
            raise TermsError("trim_highest", "trim_highest + trim_lowest must be below days")
        if self.min_market_cap_days > self.days:
            raise TermsError("min_market_cap_days", "cannot exceed days")


@dataclass(frozen=True, slots=True, kw_only=True)
class WarrantTerms(Terms):
    """Warrants issued with the private placement."""

    shares: int = term(unit="shares", doc="shares the warrants buy", ge=0)
    exercise_price: float = term(unit="USD/share", doc="exercise price", gt=0)
    issue_date: dt.date = term(unit="date", doc="issue date")
    term_years: int = term(unit="years", doc="life of the warrants", gt=0)
    ownership_cap: float = term(unit="fraction", doc="ownership cap on exercise", gt=0, lt=1)
    share_rounding: Rounding = term(unit="text", doc="cashless-exercise share rounding")
    holder: str = term(unit="text", doc="investor holding the warrants (its shares count to the cap)")

    @property
    def expiry(self) -> dt.date:
        """Last day the warrants can be exercised."""
        from dateutil.relativedelta import relativedelta

        return self.issue_date + relativedelta(years=self.term_years)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacementTerms(Terms):
    """Placement agent's cash fee by tiers of gross proceeds, and the offering's expenses."""

    fee_tier_limits: tuple[float, ...] = term(
        unit="USD", doc="upper bounds of the fee tiers but the last, ascending"
    )
    fee_tier_rates: tuple[float, ...] = term(
        unit="fraction", doc="fee rate of each tier (one more than the limits)"
    )
    discretionary_fee: float = term(unit="USD", doc="discretionary fee added to the cash fee", ge=0)
    fee_notes: tuple[str, ...] = term(unit="text", doc="notes whose purchase price is the fee base")
    other_expenses: float = term(unit="USD", doc="other offering expenses", ge=0)

    def _check_consistency(self) -> None:
        limits, rates = self.fee_tier_limits, self.fee_tier_rates
        if len(rates) != len(limits) + 1:
            raise TermsError(
                "fee_tier_rates", f"{len(rates)} rates for {len(limits)} limits: need one more rate"
            )
        if any(b <= a for a, b in zip(limits, limits[1:], strict=False)) or any(
            x <= 0 for x in limits
        ):
            raise TermsError("fee_tier_limits", f"{limits}: must be positive and ascending")
        if any(not 0 <= r < 1 for r in rates):
            raise TermsError("fee_tier_rates", f"{rates}: each rate between 0 and 1 (8% is 0.08)")


@dataclass(frozen=True, slots=True, kw_only=True)
class CovenantTerms(Terms):
    """Company covenants and holder limits the ledger checks."""

    restricted_period_days: int = term(unit="days", doc="no equity issues after closing", ge=0)
    restricted_issue_limit: float = term(
        unit="USD", doc="restricted securities allowed in the restricted period", ge=0
    )
    min_cash: float = term(unit="USD", doc="minimum cash in the company's accounts", ge=0)
    share_reserve_multiple: float = term(
        unit="x shares", doc="shares reserved per share issuable", ge=0
    )
    share_reserve_price: ReservePrice = term(
        unit="text", doc="price the shares issuable are counted at: floor (most shares) or fixed"
    )
    leak_out_pct: float = term(
        unit="fraction", doc="holder's sales per month as a share of trading value", gt=0, le=1
    )
    participation_pct: float = term(unit="fraction", doc="participation in later financings", ge=0)
    amendment_majority: float = term(
        unit="fraction", doc="holders needed to waive or amend", gt=0, le=1
    )
    exchange_cap: float = term(
        default=1.0,
        unit="fraction",
        doc="most shares the conversions may issue in total, as a fraction of the shares "
        "outstanding at the agreement date, without shareholder approval (1: no cap)",
        gt=0, le=1, hint="19.99% is 0.1999",
    )
    exchange_cap_approved: bool = term(
        default=False, unit="flag", doc="TRUE: the shareholders approved issuing beyond the exchange cap"
    )
    exchange_cap_excess: CapExcess = term(
        default="refuse",
        unit="text",
        doc="beyond the exchange cap: refuse (convert up to it, the rest stays principal) or "
        "cash (the shares beyond it paid in cash at the day's VWAP)",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DealTerms(Terms):
    """A whole deal: the notes and every rule that prices and limits them."""

    name: str = term(unit="text", doc="name of the deal")
    issuer: str = term(unit="text", doc="issuer and ticker")
    calendar: str = term(unit="text", doc="exchange calendar for trading days (e.g. XNAS)")
    agreement_date: dt.date = term(unit="date", doc="date of the purchase agreement")
    shares_outstanding: int = term(unit="shares", doc="shares outstanding before the issue", ge=0)
    notes: tuple[NoteTerms, ...] = term(unit="", doc="the notes issued at closing")
    conversion: ConversionTerms = term(unit="", doc="conversion terms")
    default: DefaultTerms = term(unit="", doc="event-of-default terms")
    redemption: RedemptionTerms = term(unit="", doc="redemption and prepayment terms")
    additional_notes: AdditionalNoteTerms = term(unit="", doc="additional-note facility")
    equity_conditions: EquityConditionTerms = term(unit="", doc="equity conditions")
    warrants: WarrantTerms = term(unit="", doc="warrants")
    placement: PlacementTerms = term(unit="", doc="placement fee and expenses")
    covenants: CovenantTerms = term(unit="", doc="covenants and limits")

    def _check_consistency(self) -> None:
        if not self.notes:
            raise TermsError("notes", "at least one note is needed")
        names = [n.name for n in self.notes]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise TermsError("notes", f"note names must be unique; repeated: {', '.join(dupes)}")
        unknown = [n for n in self.placement.fee_notes if n not in names]
        if unknown:
            raise TermsError("placement.fee_notes", f"unknown note(s) {unknown}; notes: {names}")
        if not self.calendar.strip():
            raise TermsError("calendar", "missing; name an exchange calendar such as XNAS")
        if self.conversion.floor_mode == "none" and self.covenants.share_reserve_price == "floor":
            raise TermsError(
                "covenants.share_reserve_price",
                'floor: the deal has no floor (conversion.floor_mode = "none"); write '
                'share_reserve_price = "fixed"',
            )

    def note(self, name: str) -> NoteTerms:
        """The note called ``name`` (case-insensitive); an error lists the notes there are."""
        for n in self.notes:
            if n.name.lower() == str(name).strip().lower():
                return n
        raise TermsError("notes", f"no note named {name!r}; notes: {[n.name for n in self.notes]}")

    @property
    def fee_base(self) -> float:
        """Gross proceeds the placement fee is charged on: purchase price of ``fee_notes``, USD."""
        return sum(self.note(n).purchase_price for n in self.placement.fee_notes)

    def with_term(self, name: str, value: Any) -> DealTerms:
        """A copy with one term changed, by dotted name or by a unique short name.

        ``name`` may be ``conversion.floor_price``, ``floor_price`` or
        ``notes.Registered.rate``; ``value`` is coerced like a value read from a file.

        Examples
        --------
        >>> from ascent_xl.presets import ASTI_2022
        >>> ASTI_2022.with_term("floor_price", 0.20).conversion.floor_price
        0.2
        """
        path = resolve_term_name(self, name)
        return _set_path(self, path.split("."), value, path)


def resolve_term_name(terms: DealTerms, name: str) -> str:
    """The full dotted name of ``name``; an unknown or ambiguous name raises a TermsError."""
    flat = terms.flat()
    key = str(name).strip()
    if key in flat:
        return key
    lowered = {k.lower(): k for k in flat}
    if key.lower() in lowered:
        return lowered[key.lower()]
    parts = key.split(".")
    if len(parts) >= 3 and parts[0].lower() == "notes":
        terms.note(parts[1])  # an unknown note name is the more useful error
    matches = [k for k in flat if k.lower().endswith("." + key.lower())]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise TermsError(key, f"ambiguous term name; say which: {', '.join(sorted(matches))}")
    raise TermsError(key, "unknown term" + _suggest(key, [k.rsplit(".", 1)[-1] for k in flat]))


def _set_path(obj: Terms, parts: list[str], value: Any, full: str) -> Any:
    if isinstance(obj, DealTerms) and parts[0] == "notes":
        note = obj.note(parts[1])
        new_note = _set_path(note, parts[2:], value, full)
        notes = tuple(new_note if n is note else n for n in obj.notes)
        return obj.replace(notes=notes)
    head = parts[0]
    current = getattr(obj, head)
    if len(parts) > 1:
        return obj.replace(**{head: _set_path(current, parts[1:], value, full)})
    hint = _hints(type(obj))[head]
    try:
        new = _coerce(value, hint, current, percent=_is_rate(_field(type(obj), head)[0]))  # type: ignore[arg-type]
        if isinstance(obj, ConversionTerms) and head == "fixed_price" and new is not None:
            # a fixed price set by itself is stated, no longer computed from the average
            return obj.replace(fixed_price=new, fixed_price_average=None)
        return obj.replace(**{head: new})
    except TermsError as exc:
        raise TermsError(full, exc.problem) from None


# ---------------------------------------------------------------------------------------------
# validation and coercion machinery


_HINTS_CACHE: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS_CACHE.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls)
        _HINTS_CACHE[cls] = hints
    return hints


def _allows_none(hint: Any) -> bool:
    return type(None) in typing.get_args(hint) and _is_union(hint)


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _check_value(f: dataclasses.Field[Any], value: Any, hint: Any) -> None:
    name = f.name
    if value is None:
        if _allows_none(hint):
            return
        raise TermsError(name, "missing; a value is required")
    if _is_union(hint):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    origin = typing.get_origin(hint)
    if origin is Literal:
        choices = typing.get_args(hint)
        if value not in choices:
            raise TermsError(name, f"{value!r}: choose one of {', '.join(map(str, choices))}")
        return
    if origin is tuple:
        if not isinstance(value, tuple):
            raise TermsError(name, f"expected a list, got {type(value).__name__}")
        (item,) = typing.get_args(hint)[:1]
        for v in value:
            if isinstance(item, type) and issubclass(item, Terms):
                if not isinstance(v, item):
                    raise TermsError(name, f"expected {item.__name__} items")
            elif not _is_instance(v, item):
                raise TermsError(name, f"{v!r} is not {_type_word(item)}")
        return
    if isinstance(hint, type) and issubclass(hint, Terms):
        if not isinstance(value, hint):
            raise TermsError(name, f"expected {hint.__name__}, got {type(value).__name__}")
        return
    if not _is_instance(value, hint):
        raise TermsError(name, f"{value!r} is not {_type_word(hint)}")
    meta = f.metadata
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        _check_bounds(name, float(value), meta)


def _check_bounds(name: str, x: float, meta: Mapping[str, Any]) -> None:
    if x != x:
        raise TermsError(name, "is not a number (NaN)")
    ge, gt, le, lt = meta.get("ge"), meta.get("gt"), meta.get("le"), meta.get("lt")
    if gt is not None and not x > gt:
        _bound_error(name, x, meta, "above", gt)
    if ge is not None and not x >= ge:
        _bound_error(name, x, meta, "at least", ge)
    if le is not None and not x <= le:
        _bound_error(name, x, meta, "at most", le)
    if lt is not None and not x < lt:
        _bound_error(name, x, meta, "below", lt)


def _bound_error(name: str, x: float, meta: Mapping[str, Any], word: str, bound: float) -> None:
    unit = f" {meta['unit']}" if meta.get("unit") not in (None, "", "text") else ""
    why = meta.get("why", {}).get(word) or meta.get("hint")
    hint = f" ({why})" if why else ""
    shown = f"{int(x)}" if x == int(x) and abs(x) < 1e16 else f"{x:g}"
    raise TermsError(name, f"{shown}{unit} must be {word} {bound:g}{hint}")


def _is_instance(value: Any, hint: Any) -> bool:
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if typing.get_origin(hint) is Literal:
        return value in typing.get_args(hint)
    return isinstance(value, hint)


def _type_word(hint: Any) -> str:
    if typing.get_origin(hint) is Literal:
        return "one of " + ", ".join(map(str, typing.get_args(hint)))
    return {float: "a number", int: "a whole number", bool: "TRUE or FALSE", str: "text"}.get(
        hint, "a date (YYYY-MM-DD)" if hint is dt.date else getattr(hint, "__name__", str(hint))
    )


_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def _is_rate(f: dataclasses.Field[Any]) -> bool:
    """True for a term that is a rate or multiple (``4.5%`` may be typed for 0.045)."""
    return str(f.metadata.get("unit", "")).startswith(("fraction", "x "))


def _coerce(value: Any, hint: Any, base: Any = MISSING, *, percent: bool = False) -> Any:
    """Convert a value read from a file or a cell to the field's type, or raise a TermsError.
    Numbers and dates are read by :func:`ascent_xl.money.to_float` and
    :func:`ascent_xl.calendar.parse_date`; a percent only where ``percent`` (a rate)."""
    if _is_union(hint):
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
            return None
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    origin = typing.get_origin(hint)
    if isinstance(hint, type) and issubclass(hint, Terms):
        if isinstance(value, hint):
            return value
        return hint.from_mapping(value, base=None if base is MISSING else base)
    if origin is tuple:
        (item,) = typing.get_args(hint)[:1]
        if isinstance(item, type) and issubclass(item, NoteTerms):
            return _coerce_notes(value, base)
        if value is None:  # a blank cell: an empty list
            return ()
        if isinstance(value, str):
            value = [v for v in re.split(r"[,;]", value) if v.strip()]
        if not isinstance(value, (list, tuple)):
            value = [value]
        return tuple(_coerce(v, item, percent=percent) for v in value)
    if origin is Literal:
        text = str(value).strip()
        choices = typing.get_args(hint)
        for c in choices:
            if text.lower() == str(c).lower():
                return c
        raise TermsError("", f"{value!r}: choose one of {', '.join(map(str, choices))}")
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise TermsError("", f"{value!r} is not TRUE or FALSE")
    if hint is float:
        return _number(value, percent)
    if hint is int:
        x = _number(value, percent)
        if x != int(x):
            raise TermsError("", f"{value!r} is not a whole number")
        return int(x)
    if hint is dt.date:
        return _date(value)
    if hint is str:
        if value is None:
            raise TermsError("", "missing; a text value is required")
        return str(value).strip()
    return value


def _number(value: Any, percent: bool = False) -> float:
    try:
        return to_float(value, percent=percent)
    except NumberFormatError as exc:
        raise TermsError("", str(exc)) from None


def _date(value: Any) -> dt.date:
    try:
        return parse_date(value)
    except DateFormatError as exc:
        raise TermsError("", str(exc)) from None


def _coerce_notes(value: Any, base: Any) -> tuple[NoteTerms, ...]:
    """The deal's notes from a list (or a table by name) of note tables: the list is the deal's
    list of notes, in its order, and replaces the base's. An entry named like one of the base's
    notes starts from that note's terms and changes only what it lists (``name = "Registered"``
    plus ``holder = "..."`` is enough); an entry with a new name must list every term."""
    if isinstance(value, Mapping):  # {"Registered": {...}, "Private": {...}}
        value = [{"name": k, **v} for k, v in value.items()]
    if not isinstance(value, (list, tuple)):
        raise TermsError("", "expected a list of notes")
    base_notes = tuple(base) if base not in (MISSING, None) else ()
    by_name = {n.name.lower(): n for n in base_notes}
    given: dict[str, NoteTerms] = {}
    for i, item in enumerate(value):
        if isinstance(item, NoteTerms):
            note = item
        elif not isinstance(item, Mapping):
            raise TermsError(f"[{i}]", "expected a table of note terms")
        else:
            label = str(item.get("name", f"[{i}]"))
            start = by_name.get(label.lower())
            try:
                note = NoteTerms.from_mapping(item, base=start)
            except TermsError as exc:
                if start is None and base_notes and exc.problem.startswith("missing; add it"):
                    names = ", ".join(n.name for n in base_notes)
                    exc = TermsError(exc.field, f"{exc.problem}; {label!r} is a new note (the "
                                     f"base's notes: {names}), so it lists every term")
                raise exc.within(label) from None
        if note.name.lower() in given:
            raise TermsError(note.name, "note listed twice")
        given[note.name.lower()] = note
    return tuple(given.values())


def _plain(value: Any) -> Any:
    if isinstance(value, Terms):
        return value.to_mapping()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _walk(obj: Terms, prefix: str) -> Iterator[tuple[str, Any]]:
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        name = f"{prefix}{f.name}"
        if isinstance(value, Terms):
            yield from _walk(value, name + ".")
        elif isinstance(value, tuple) and value and isinstance(value[0], NoteTerms):
            for note in value:
                yield from _walk(note, f"{name}.{note.name}.")
        else:
            yield name, value


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


__all__ = [
    "AdditionalNoteTerms",
    "ConversionTerms",
    "CovenantTerms",
    "DealTerms",
    "DefaultTerms",
    "EquityConditionTerms",
    "NoteTerms",
    "PlacementTerms",
    "RedemptionTerms",
    "Terms",
    "WarrantTerms",
    "resolve_term_name",
]



def check_floor(*, floor_price: float, floor_mode: str) -> None:
    """Refuse a floor below $0.000001 a share (0 included) unless ``floor_mode`` is none."""
    low, why = UNIT_MIN["USD/share"]
    if floor_mode != "none" and not floor_price >= low:
        raise TermsError(
            "floor_price",
            f"{floor_price:g} USD/share must be at least {low:g} ({why}) with floor_mode "
            f'{floor_mode}; a deal without a floor has floor_mode = "none"',
        )


def check_fixed_price(*, fixed_price: float | None, premium: float, average: float | None) -> None:
    """Refuse a fixed price stated with the average VWAP it was computed from when the two
    disagree with ``premium``: ``fixed_price`` must be ``(1 + premium) x average`` rounded to
    the fixed price's own decimals (at least 4). An edited premium or average with the old
    fixed price left in is the case this catches.

    Examples
    --------
    >>> check_fixed_price(fixed_price=3.93042, premium=0.30, average=3.0234)
    >>> check_fixed_price(fixed_price=3.93042, premium=0.25, average=3.0234)
    Traceback (most recent call last):
    ...
    ascent_xl.errors.TermsError: fixed_price: 3.93042 is not 125% of fixed_price_average 3.0234 (3.77925); write fixed_price = 3.77925, or blank both fixed_price and fixed_price_average ("none") to compute it from the VWAPs
    """
    if fixed_price is None or average is None:
        return
    expected = (1.0 + premium) * average
    text = repr(float(fixed_price))
    decimals = max(4, min(9, len(text.split(".", 1)[1]) if "." in text and "e" not in text else 9))
    if round(expected, decimals) != round(float(fixed_price), decimals):
        raise TermsError(
            "fixed_price",
            f"{fixed_price:g} is not {(1 + premium) * 100:.4g}% of fixed_price_average {average:g} "
            f"({expected:.{decimals}f}); write fixed_price = {expected:.{decimals}f}, or blank both "
            'fixed_price and fixed_price_average ("none") to compute it from the VWAPs',
        )


def check_term(cls: type[Terms], field_name: str, value: Any, *, label: str | None = None) -> Any:
    """Check ``value`` against the type and range of ``cls.field_name`` and return it coerced.

    Pricing rules call this for arguments that override a term (e.g. a UDF's ``discount``), so
    an override has the same range as the term; the error names ``label`` (default: the field).

    Examples
    --------
    >>> check_term(ConversionTerms, "alternate_price_discount", 0.075)
    0.075
    """
    f, hint = _field(cls, field_name)  # type: ignore[arg-type]
    try:
        # Fast path for plain numbers: pricing calls this on every evaluation.
        if hint is float and type(value) in (float, int):
            _check_bounds(field_name, value, f.metadata)
            return value
        if hint is int and type(value) is int:
            _check_bounds(field_name, value, f.metadata)
            return value
        coerced = _coerce(value, hint, percent=_is_rate(f))
        _check_value(f, coerced, hint)
    except TermsError as exc:
        raise TermsError(label or field_name, exc.problem) from None
    return coerced


@functools.cache
def _field(cls: type[Terms], field_name: str) -> tuple[dataclasses.Field[Any], Any]:
    f = next(f for f in fields(cls) if f.name == field_name)  # type: ignore[arg-type]
    return f, _hints(cls)[field_name]
