"""Deal terms as data: immutable, typed, validated records of an advance-note deal.

The classes hold no deal numbers: every number of the Ascent Solar December 2022 deal lives in the
``ASTI_2022`` preset (:mod:`ascent_xl.presets`). Another deal of the same family is another preset
or a terms file (:mod:`ascent_xl.terms_io`), never new code.

Each field carries its unit, a one-line description and its allowed range in the dataclass
metadata (:func:`ascent_xl.records.term`); validation reads them, so an error always names the
field (``conversion.floor_price``) and the Excel ``Inputs`` sheet shows the same units and
descriptions. The generic machinery (field metadata, coercion, validation, suggestions) is
:mod:`ascent_xl.records`; this module holds the deal's records.

Conventions:
- money in USD, prices in USD per share, rates and percentages as fractions (0.045 is 4.5%);
- *premium* on a price (``fixed_price_premium``) is the excess over the average (0.30 = 130%);
- *discount* on a price (``alternate_price_discount``) is the shortfall (0.075 = 92.5%);
- a *premium* on a redemption (``redemption_premium``) is the multiple of principal (1.20 = 120%).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from ascent_xl.errors import TermsError
from ascent_xl.records import (
    UNIT_MAX,
    UNIT_MIN,
    Record,
    _field,
    _suggest,
    check_term,
    set_path,
    term,
)

Terms = Record
"""The base of every terms record (:class:`ascent_xl.records.Record`: validation, mapping
round trip, flat names); the typed-record machinery lives in :mod:`ascent_xl.records`."""

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
ResetConditions = Literal["none", "skip", "defer"]
PriceSource = Literal["vwap", "close"]

_NOTE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteTerms(Terms):
    """One advance note: what was issued, when, at what price, and how it pays interest."""

    record_label: ClassVar[str] = "note"

    name: str = term(label="note name", unit="text", doc="name of the note, used in events (letters, digits, - _)")
    kind: NoteKind = term(label="kind of note", unit="text", doc="registered, private, additional or pik")
    face: float = term(label="principal at issue", unit="USD", doc="principal (face amount) at issue", gt=0)
    purchase_price_pct: float = term(label="purchase price (fraction of face)",
        unit="fraction", doc="purchase price as a fraction of face (OID = 1 - this)", gt=0, le=1
    )
    issue_date: dt.date = term(label="issue date", unit="date", doc="issue (closing) date")
    maturity_months: int = term(label="months to maturity (0: none)",
        unit="months", ge=0,
        doc="months from issue to maturity (0: none, e.g. a convertible preferred: outstanding "
        "until converted or redeemed)",
    )
    rate: float = term(label="annual interest rate",
        unit="fraction/yr", doc="annual interest rate", ge=0, lt=1, hint="4.5% is 0.045"
    )
    day_count: DayCountName = term(label="interest day count", unit="text", doc="day count: 30/360, 30E/360, ACT/365, ACT/360")
    interest_months: tuple[int, ...] = term(label="interest months (blank: none)",
        unit="months", doc="months whose last day is an interest date (and maturity; blank with "
        "no maturity: no coupon)"
    )
    interest_payment: InterestMethod = term(label="interest paid in: cash / pik",
        unit="text", doc="how interest is paid unless an election says otherwise: cash or pik"
    )
    pik_style: PikStyle = term(label="PIK style: pik_note / capitalise",
        unit="text", doc="pik_note: a new PIK note per interest date; capitalise: add to principal"
    )
    pik_note_rate: float = term(label="interest rate of its PIK notes",
        unit="fraction/yr", doc="interest rate of the PIK notes issued for this note", ge=0, lt=1
    )
    pik_fallback: PikFallback = term(label="PIK if equity conditions fail",
        unit="text",
        doc="PIK when the equity conditions fail: cash, or private_pik (PIK notes at the note's rate)",
    )
    holder: str = term(label="holder (investor)", unit="text", doc="investor holding the note (the ownership cap is per holder)")
    ownership_cap_notice_days: int = term(label="notice days to raise ownership cap",
        unit="days", doc="days after the holder's notice that a raised ownership cap takes effect", ge=0
    )
    change_of_control_on_interest: bool = term(label="change-of-control premium on interest",
        unit="flag", doc="TRUE: the change-of-control premium also applies to accrued interest"
    )
    own_fixed_price: float = term(label="own fixed price (0: the deal's)",
        default=0.0,
        unit="USD/share", doc="this note's own fixed conversion price (0: the deal's "
        "conversion.fixed_price)", ge=0,
    )
    own_fixed_price_at_issue: bool = term(label="own fixed price computed at issue",
        default=False,
        unit="flag", doc="TRUE: the note's fixed price is computed like the deal's, before its own issue",
    )
    interest_counts_issue_day: bool = term(label="issue day accrues interest",
        default=False,
        unit="flag", doc="TRUE: the issue day accrues interest too (to a date, both it and the issue "
        "date count: one day more than the days between); FALSE: the days between",
    )
    stated_value: float = term(label="stated value a share (0: a note)",
        default=0.0,
        unit="USD", ge=0,
        doc="stated value of one share of a convertible preferred (0: a note); face is a whole "
        "number of them and conversions convert whole shares",
    )

    def _check_consistency(self) -> None:
        if not self.holder.strip():
            raise TermsError("holder", "missing; name the investor holding the note")
        if not _NOTE_NAME.match(self.name):
            raise TermsError("name", f"{self.name!r}: use letters, digits, '-' or '_'")
        if self.own_fixed_price and self.own_fixed_price_at_issue:
            raise TermsError("own_fixed_price_at_issue", f"TRUE with own_fixed_price {self.own_fixed_price:g}: "
                             "give the note's price, or have it computed at its issue, not both")
        if not self.maturity_months and (self.rate or self.interest_months):
            what = f"rate {self.rate:g}" if self.rate else f"interest_months {list(self.interest_months)}"
            raise TermsError("maturity_months", f"0 (no maturity) with {what}: a coupon or dividend "
                             "without maturity is not modelled yet; write rate = 0 and interest_months = []")
        if self.stated_value and not is_whole(self.face / self.stated_value):
            raise TermsError("stated_value", f"{self.stated_value:,.2f}: face {self.face:,.2f} is not a whole "
                             "number of preferred shares of this stated value; write the face as shares x "
                             "stated value")
        bad = [m for m in self.interest_months if not 1 <= m <= 12]
        if bad or len(set(self.interest_months)) != len(self.interest_months):
            raise TermsError("interest_months", f"{self.interest_months}: months 1-12, no repeats")

    @property
    def maturity(self) -> dt.date | None:
        """Maturity date: issue date plus ``maturity_months`` calendar months; None for an
        instrument without maturity (``maturity_months`` 0, a convertible preferred)."""
        from dateutil.relativedelta import relativedelta

        if not self.maturity_months:
            return None
        return self.issue_date + relativedelta(months=self.maturity_months)

    def preferred_shares(self, amount: float) -> float:
        """``amount`` of stated value (USD) as shares of the preferred (``stated_value``)."""
        if not self.stated_value:
            raise TermsError("stated_value", "0: the note is not a preferred")
        return amount / self.stated_value

    @property
    def accrual_start(self) -> dt.date:
        """The date interest accrues from: the issue date, or with ``interest_counts_issue_day``
        the day before it (so the issue day itself accrues)."""
        return self.issue_date - dt.timedelta(days=1 if self.interest_counts_issue_day else 0)

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

    fixed_price: float | None = term(label="fixed conversion price",
        unit="USD/share", doc="fixed conversion price set at issue (blank: compute from VWAPs)", gt=0
    )
    fixed_price_premium: float = term(label="fixed price premium over average VWAP",
        unit="fraction",
        doc="premium over the average VWAP for the fixed price (0.30 = 130%)",
        ge=0,
        lt=1,
        hint="a 30% premium is 0.30",
    )
    fixed_price_days: int = term(label="fixed price: trading days averaged",
        unit="trading days", doc="trading days averaged before the issue date", ge=1
    )
    fixed_price_average: float | None = term(label="average VWAP behind the fixed price",
        default=None,
        unit="USD/share",
        doc="average VWAP the fixed price came from (blank: not stated); must agree with them",
        gt=0,
    )
    alternate_price_discount: float = term(label="alternate price discount",
        unit="fraction",
        doc="discount to the average of the lowest VWAPs (0.075 = 92.5% of it)",
        ge=0,
        lt=0.5,
        hint="a price of 92.5% of the average is a discount of 0.075",
    )
    alternate_price_days: int = term(label="alternate price look-back window",
        unit="trading days", doc="look-back window before the notice date", ge=1
    )
    alternate_price_lowest: int = term(label="alternate price: lowest VWAPs averaged",
        unit="count", doc="number of lowest VWAPs in the window that are averaged", ge=1
    )
    alternate_price_applies: AlternateApplies = term(label="alternate price: always / in_default",
        default="always",
        unit="text",
        doc="when the alternate price applies: always, or in_default (else the fixed price)",
    )
    alternate_price_start_days: int = term(label="alternate price from day N after issue",
        default=0,
        unit="days", doc="days after the note's issue from which the alternate price applies",
        ge=0,
    )
    default_discount: float = term(label="alternate price discount in default",
        default=0.0,
        unit="fraction",
        doc="the alternate price's discount in default, where deeper than the usual (0: none)",
        ge=0, lt=0.5,
    )
    price_reset_days: tuple[int, ...] = term(label="fixed price resets: days after issue",
        default=(),
        unit="days", doc="days after each note's issue on which its fixed price resets (blank: none)"
    )
    price_reset_average_days: int | None = term(label="reset: trading days averaged",
        default=None,
        unit="trading days", doc="trading days averaged immediately before a reset date", ge=1
    )
    price_reset_pct: float | None = term(label="reset: price as % of that average",
        default=None,
        unit="fraction", doc="reset price as a fraction of that average (1.00 = 100%)", gt=0, le=2
    )
    price_reset_rule: ResetRule | None = term(label="reset rule: lower / replace",
        default=None,
        unit="text", doc="lower: the lower of the fixed price and the reset price; replace: the "
        "reset price, up or down",
    )
    price_reset_conditions: ResetConditions = term(label="reset if equity fails: none / skip / defer",
        default="none",
        unit="text", doc="none: each reset happens; skip: only if the equity conditions "
        "(equity_conditions.*) hold on the reset date, else it is skipped (flagged); defer: on the "
        "first trading day they hold, before the next reset date or maturity",
    )
    installment_amount: float = term(label="installments: principal a month (0: none)",
        default=0.0, unit="USD", ge=0,
        doc="principal of each note converted each month at the installment price (0: none)",
    )
    installment_first_month: int | None = term(label="installments: first, months after issue",
        default=None, unit="months", ge=1, doc="months after issue of the first installment",
    )
    installment_discount: float | None = term(label="installment price: discount to the average",
        default=None, unit="fraction", ge=0, lt=0.5,
        doc="installment price: the lower of the fixed price and this discount to the average",
    )
    installment_days: int | None = term(label="installment price: look-back trading days", default=None, unit="trading days", ge=1,
                                        doc="the installment price's look-back window")
    installment_lowest: int | None = term(label="installment price: lowest VWAPs averaged", default=None, unit="count", ge=1,
                                          doc="lowest VWAPs of that window averaged")
    price_source: PriceSource = term(label="price the windows read: vwap / close",
        default="vwap",
        unit="text", doc="the daily price the windows read: vwap, or close (a Close column)",
    )
    window_includes_notice_day: bool = term(label="look-back window ends on the notice day",
        default=False,
        unit="flag",
        doc="TRUE: the look-back window ends on the notice day; FALSE: strictly before it",
    )
    floor_price: float = term(label="floor price",
        unit="USD/share", doc="floor price: no conversion below it (0 only with floor_mode none)",
        ge=0,
    )
    floor_mode: FloorMode = term(label="floor rule: make_up / cap / none",
        unit="text",
        doc="floor rule: make_up (floor + cash make-up), cap (floor, no cash), none",
    )
    floor_price_max: float = term(label="highest floor the exchange may require",
        unit="USD/share", doc="highest floor the exchange's rules may require", gt=0
    )
    share_rounding: Rounding = term(label="conversion share rounding", unit="text", doc="rounding of conversion shares: up, down, nearest")
    ownership_cap: float = term(label="ownership cap",
        unit="fraction", doc="beneficial ownership cap after a conversion", gt=0, lt=1
    )
    ownership_cap_max: float = term(label="highest ownership cap holder may elect",
        unit="fraction", doc="highest cap the holder may elect", gt=0, lt=1
    )
    split_jump_threshold: float = term(label="VWAP jump that needs a Split event",
        unit="multiple",
        doc="a day-over-day VWAP move of this many times (up or down) that no Split event covers "
        "stops the pricing of a window that crosses it",
        gt=1,
        hint="4 stops a 1:5 reverse split's jump and lets a day's VWAP halve or triple",
    )

    @property
    def price_name(self) -> str:
        """The daily price the windows read (``price_source``), as a column and a label say
        it: ``VWAP``, or ``Close``."""
        return "Close" if self.price_source == "close" else "VWAP"

    def with_field(self, name: str, value: Any) -> ConversionTerms:
        """A copy with one term changed; a fixed price set by itself is stated, no longer
        computed from ``fixed_price_average`` (which is then blanked)."""
        if name == "fixed_price" and value is not None:
            return self.replace(fixed_price=value, fixed_price_average=None)
        return self.replace(**{name: value})

    def _check_consistency(self) -> None:
        check_floor(floor_price=self.floor_price, floor_mode=self.floor_mode)
        days = self.price_reset_days
        if any(not 1 <= d <= UNIT_MAX["days"][0] for d in days) or list(days) != sorted(set(days)):
            raise TermsError("price_reset_days", f"{days}: days after issue, ascending, each 1 to 3660")
        for name in ("installment_first_month", "installment_discount", "installment_days",
                     "installment_lowest"):
            if self.installment_amount and getattr(self, name) is None:
                raise TermsError(name, f"missing: installment_amount is {self.installment_amount:g}; add "
                                 f"it ({_field(ConversionTerms, name)[0].metadata['doc']})")
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

    redemption_premium: float = term(label="mandatory default amount premium",
        unit="x principal",
        doc="mandatory default amount premium on principal (1.20 = 120%)",
        ge=1,
        lt=10,
        hint="120% of principal is 1.20",
    )
    premium_on_interest: bool = term(label="premium also on accrued interest",
        unit="flag", doc="TRUE: the premium's base is principal and accrued interest"
    )
    parity_includes_interest: bool = term(label="interest inside parity (earlier reading)",
        unit="flag",
        doc="TRUE: interest inside parity and premium, not added after (an earlier reading)",
    )
    reset_factor: float = term(label="conversion price factor",
        unit="fraction",
        doc="default conversion price as a fraction of the lowest-VWAP average (0.80 = 80%)",
        gt=0,
        le=1,
    )
    reset_days: int = term(label="look-back window", unit="trading days", doc="look-back window before the default", ge=1)
    reset_lowest: int = term(label="lowest VWAPs averaged", unit="count", doc="number of lowest VWAPs averaged", ge=1)
    interest_rate: float = term(label="interest rate in default (0: none)",
        default=0.0,
        unit="fraction/yr",
        doc="annual rate from an event of default until waived, if above the note's (0: none)",
        ge=0, lt=1, hint="15% is 0.15",
    )

    def _check_consistency(self) -> None:
        if self.reset_lowest > self.reset_days:
            raise TermsError("reset_lowest", "cannot exceed reset_days")


@dataclass(frozen=True, slots=True, kw_only=True)
class RedemptionTerms(Terms):
    """Change-of-control put, optional prepayment and prepayment from later financings."""

    change_of_control_premium: float = term(label="change-of-control prepayment premium",
        unit="x principal", doc="change-of-control prepayment (1.05 = 105%)", ge=1, lt=10
    )
    change_of_control_notice_trading_days: int = term(label="change-of-control notice",
        unit="trading days", doc="company's notice of a change of control", ge=0
    )
    change_of_control_put_days: int = term(label="change-of-control put window",
        unit="days", doc="days the holder has to require prepayment", ge=0
    )
    optional_prepayment_premium: float = term(label="optional prepayment premium",
        unit="x principal", doc="optional prepayment price (1.20 = 120%)", ge=1, lt=10
    )
    optional_prepayment_threshold: float = term(label="optional prepayment if principal below",
        unit="USD", doc="all notes' principal must be below this to prepay at option", ge=0
    )
    optional_prepayment_notice_trading_days: int = term(label="optional prepayment notice",
        unit="trading days", doc="notice of an optional prepayment", ge=0
    )
    financing_prepayment_pct: float = term(label="prepayment from a later financing",
        unit="fraction", doc="share of a later financing the holder may require", ge=0, le=1
    )
    trigger_price: float = term(label="monthly payments: trigger price (0: none)",
        default=0.0, unit="USD/share", ge=0,
        doc="a VWAP below it on trigger_days of trigger_window days starts monthly payments (0: none)",
    )
    trigger_days: int | None = term(label="trigger: days below the price", default=None, unit="count", ge=1,
                                    doc="trading days below the trigger price that start the payments")
    trigger_window: int | None = term(label="trigger: window of trading days", default=None, unit="trading days", ge=1,
                                      doc="consecutive trading days in which they are counted")
    trigger_cure_days: int | None = term(label="trigger: days at or above it that cure",
        default=None, unit="trading days", ge=1,
        doc="consecutive trading days at or above the trigger price that stop the payments",
    )
    trigger_delay_days: int | None = term(label="trigger: trading days to the first payment", default=None, unit="trading days", ge=0,
                                          doc="trading days from the trigger to the first payment")
    trigger_payment: float | None = term(label="trigger: principal paid a month", default=None, unit="USD", gt=0,
                                         doc="principal paid each month while the payments run")
    trigger_premium: float | None = term(label="trigger: premium on each payment", default=None, unit="x principal", ge=1, lt=10,
                                         doc="premium on each monthly payment (1.05 = 105%)")

    def _check_consistency(self) -> None:
        if not self.trigger_price:
            return
        for name in ("trigger_days", "trigger_window", "trigger_cure_days", "trigger_delay_days",
                     "trigger_payment", "trigger_premium"):
            if getattr(self, name) is None:
                raise TermsError(name, f"missing: trigger_price is {self.trigger_price:g}; add it "
                                 f"({_field(RedemptionTerms, name)[0].metadata['doc']})")
        if self.trigger_days > self.trigger_window:  # type: ignore[operator]
            raise TermsError("trigger_days", f"{self.trigger_days} of {self.trigger_window} days: "
                             "cannot exceed trigger_window")


@dataclass(frozen=True, slots=True, kw_only=True)
class AdditionalNoteTerms(Terms):
    """The facility under which the company may require more notes to be bought."""

    start_days: int = term(label="first issue: days after agreement", unit="days", doc="first issue this many days after the agreement", ge=0)
    notice_business_days: int = term(label="notice before an issue", unit="business days", doc="notice before an issue", ge=0)
    purchase_price_pct: float = term(label="purchase price (fraction of face)", unit="fraction", doc="purchase price / principal", gt=0, le=1)
    monthly_limit: float = term(label="principal limit per month", unit="USD", doc="principal per calendar month", ge=0)
    monthly_limit_with_consent: float = term(label="monthly limit with consent",
        unit="USD", doc="principal per month with the investor's consent", ge=0
    )
    min_days_between: int = term(label="minimum days between issues", unit="days", doc="at most one issue per this many days", ge=0)
    total_limit: float = term(label="total principal limit", unit="USD", doc="total principal of all additional notes", ge=0)
    max_outstanding_before: float = term(label="outstanding limit before an issue",
        unit="USD", doc="notes outstanding before an issue must not exceed this", ge=0
    )
    termination_trading_days: int = term(label="window after a termination notice",
        unit="trading days", doc="investor's window after a termination notice", ge=0
    )
    termination_trading_days_extended: int = term(label="extended termination window",
        unit="trading days", doc="window if one option was used in the first window", ge=0
    )

    def _check_consistency(self) -> None:
        if self.monthly_limit_with_consent < self.monthly_limit:
            raise TermsError("monthly_limit_with_consent", "must be at least monthly_limit")


@dataclass(frozen=True, slots=True, kw_only=True)
class EquityConditionTerms(Terms):
    """Equity conditions tested over the measurement period before an issue or PIK date."""

    days: int = term(label="measurement period", unit="trading days", doc="measurement period", ge=1)
    trim_highest: int = term(label="highest volume days left out", unit="count", doc="highest dollar-volume days left out", ge=0)
    trim_lowest: int = term(label="lowest volume days left out", unit="count", doc="lowest dollar-volume days left out", ge=0)
    min_dollar_volume: float = term(label="minimum daily dollar volume",
        unit="USD", doc="minimum average daily dollar volume (after trimming)", ge=0
    )
    min_market_cap: float = term(label="minimum market capitalisation", unit="USD", doc="minimum market capitalisation", ge=0)
    min_market_cap_days: int = term(label="days at the minimum market cap",
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

    shares: int = term(label="warrant shares", unit="shares", doc="shares the warrants buy", ge=0)
    exercise_price: float = term(label="exercise price", unit="USD/share", doc="exercise price", gt=0)
    issue_date: dt.date = term(label="issue date", unit="date", doc="issue date")
    term_years: int = term(label="life of the warrants", unit="years", doc="life of the warrants", gt=0)
    ownership_cap: float = term(label="ownership cap on exercise", unit="fraction", doc="ownership cap on exercise", gt=0, lt=1)
    share_rounding: Rounding = term(label="cashless-exercise share rounding", unit="text", doc="cashless-exercise share rounding")
    holder: str = term(label="holder (investor)", unit="text", doc="investor holding the warrants (its shares count to the cap)")

    @property
    def expiry(self) -> dt.date:
        """Last day the warrants can be exercised."""
        from dateutil.relativedelta import relativedelta

        return self.issue_date + relativedelta(years=self.term_years)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacementTerms(Terms):
    """Placement agent's cash fee by tiers of gross proceeds, and the offering's expenses."""

    fee_tier_limits: tuple[float, ...] = term(label="fee tier upper bounds",
        unit="USD", doc="upper bounds of the fee tiers but the last, ascending"
    )
    fee_tier_rates: tuple[float, ...] = term(label="fee tier rates",
        unit="fraction", doc="fee rate of each tier (one more than the limits)"
    )
    discretionary_fee: float = term(label="discretionary fee", unit="USD", doc="discretionary fee added to the cash fee", ge=0)
    fee_notes: tuple[str, ...] = term(label="notes in the fee base", unit="text", doc="notes whose purchase price is the fee base")
    other_expenses: float = term(label="other offering expenses", unit="USD", doc="other offering expenses", ge=0)

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

    restricted_period_days: int = term(label="no-equity-issue period after closing", unit="days", doc="no equity issues after closing", ge=0)
    restricted_issue_limit: float = term(label="restricted securities allowed",
        unit="USD", doc="restricted securities allowed in the restricted period", ge=0
    )
    min_cash: float = term(label="minimum cash", unit="USD", doc="minimum cash in the company's accounts", ge=0)
    share_reserve_multiple: float = term(label="share reserve multiple",
        unit="x shares", doc="shares reserved per share issuable", ge=0
    )
    share_reserve_price: ReservePrice = term(label="share reserve counted at: floor / fixed",
        unit="text", doc="price the shares issuable are counted at: floor (most shares) or fixed"
    )
    leak_out_pct: float = term(label="leak-out: monthly sales limit",
        unit="fraction", doc="holder's sales per month as a share of trading value", gt=0, le=1
    )
    participation_pct: float = term(label="participation in later financings", unit="fraction", doc="participation in later financings", ge=0)
    amendment_majority: float = term(label="majority to waive or amend",
        unit="fraction", doc="holders needed to waive or amend", gt=0, le=1
    )
    exchange_cap: float = term(label="exchange cap, of the shares at agreement",
        default=1.0,
        unit="fraction",
        doc="most shares conversions may issue without approval, of those at the agreement date",
        gt=0, le=1, hint="19.99% is 0.1999",
    )
    exchange_cap_approved: bool = term(label="exchange cap: shareholders approved more",
        default=False, unit="flag", doc="TRUE: the shareholders approved issuing beyond the exchange cap"
    )
    exchange_cap_excess: CapExcess = term(label="beyond the exchange cap: refuse / cash",
        default="refuse",
        unit="text",
        doc="beyond the exchange cap: refuse (the rest stays principal) or cash (at the VWAP)",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DealTerms(Terms):
    """A whole deal: the notes and every rule that prices and limits them."""

    name: str = term(label="name of the deal", unit="text", doc="name of the deal")
    issuer: str = term(label="issuer and ticker", unit="text", doc="issuer and ticker")
    calendar: str = term(label="exchange calendar", unit="text", doc="exchange calendar for trading days (e.g. XNAS)")
    agreement_date: dt.date = term(label="purchase agreement date", unit="date", doc="date of the purchase agreement")
    shares_outstanding: int = term(label="shares outstanding before the issue", unit="shares", doc="shares outstanding before the issue", ge=0)
    notes: tuple[NoteTerms, ...] = term(unit="", doc="the notes issued at closing")
    conversion: ConversionTerms = term(unit="", doc="conversion terms")
    default: DefaultTerms = term(unit="", doc="event-of-default terms")
    redemption: RedemptionTerms = term(unit="", doc="redemption and prepayment terms")
    additional_notes: AdditionalNoteTerms = term(unit="", doc="additional-note facility")
    equity_conditions: EquityConditionTerms = term(unit="", doc="equity conditions")
    warrants: WarrantTerms = term(unit="", doc="warrants")
    placement: PlacementTerms = term(unit="", doc="placement fee and expenses")
    covenants: CovenantTerms = term(unit="", doc="covenants and limits")

    @property
    def closing(self) -> dt.date:
        """The closing: the first issue date of the notes issued at closing (the deal exists from
        it; a notice, a position or a valuation before it is refused)."""
        return min(n.issue_date for n in self.notes)

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
        perpetual = [n.name for n in self.notes if not n.maturity_months]
        if perpetual and self.conversion.installment_amount:
            raise TermsError(f"notes.{perpetual[0]}.maturity_months",
                             f"0 (no maturity) with conversion.installment_amount "
                             f"{self.conversion.installment_amount:g}: installments run to maturity; give "
                             "the maturity, or write installment_amount = 0")
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
        return set_path(self, path.split("."), value, path)


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


_SECTIONS = {"conversion": "Conversion", "default": "Default", "redemption": "Redemption",
             "additional_notes": "Additional notes", "equity_conditions": "Equity conditions",
             "warrants": "Warrants", "placement": "Placement", "covenants": "Covenants"}
"""How the labels name each group of terms (a note's terms: ``Registered note``)."""

LABEL_MAX = 54
"""The longest label (characters): one line in the Inputs sheet's Label column."""


def term_label(name: str, *, cut: bool = True) -> str:
    """A plain-English label for the term ``name`` (the Inputs sheet's Label, ``terms show``):
    the group, then the term's own ``label`` where it has one, else its description's head
    without its asides (``conversion.floor_price`` -> ``Conversion: floor price``;
    ``notes.Registered.issue_date`` -> ``Registered note: issue date``); at most
    :data:`LABEL_MAX` characters, cut at a word (``cut`` False: whole).

    Examples
    --------
    >>> term_label("notes.SeriesA.stated_value")
    'SeriesA note: stated value a share (0: a note)'
    >>> term_label("conversion.floor_price")
    'Conversion: floor price'
    """
    found = DealTerms.term_field(name)
    unit, doc = DealTerms.describe(name)
    parts = name.split(".")
    group = f"{parts[1]} note" if parts[0] == "notes" and len(parts) > 2 else _SECTIONS.get(parts[0], "Deal")
    head = found[0].metadata.get("label", "") if found is not None else ""
    if not head:
        text = re.sub(r"\s*\([^)]*\)", "", doc.removeprefix("TRUE: "))
        head = re.split(r":|; ", text, maxsplit=1)[0].strip()
        if not head or "_" in head or ("," in head and unit == "text"):
            head = parts[-1].replace("_", " ").replace(" pct", " %")
    label = f"{group}: {head}"
    if cut and len(label) > LABEL_MAX:  # one line in its column: cut at a word, the Meaning has it all
        label = label[: LABEL_MAX - 3].rsplit(" ", 1)[0] + "..."
    return label


__all__ = [
    "AdditionalNoteTerms",
    "check_term",
    "is_whole",
    "term",
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
    "term_label",
]



def is_whole(x: float) -> bool:
    """True when ``x`` is a whole number (to 1e-9 of itself): a count of preferred shares."""
    return abs(x - round(x)) <= 1e-9 * max(1.0, abs(x))


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
