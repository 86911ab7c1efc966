"""Deal events: what happened (or is planned) on which date, as typed records.

An event list is also a table with the columns ``Date, Event, Note, Amount, Value`` (a CSV file,
a DataFrame or an Excel table). :func:`parse_events` turns the rows into :class:`Event` records
and refuses a bad row with a message that names it (``row 7 (2023-03-29, Amendment): ...``).

Event kinds, and what the Note, Amount and Value columns mean for each:

================== ================ ======================== =====================================
Event              Note             Amount                   Value
================== ================ ======================== =====================================
Issue              note name        principal (default face) registered/private/additional/pik
                                                             (additional: ", notice YYYY-MM-DD")
Conversion         note             principal converted      accrued interest converted (USD/all)
Interest Election  note (blank=all) -                        cash, pik, pik or cash, pik or private
Prepayment         note (blank=all) principal (blank=all)    premium multiple (blank = 1.00), or
                                                             financing (out of a later financing)
Optional Prepay    - (all notes)    - (all principal)        notice YYYY-MM-DD (company's notice)
Change of Control  note (blank=all) principal (blank=all)    notice YYYY-MM-DD, agreement YYYY-MM-DD
Default            note (blank=all) -                        redeem [YYYY-MM-DD payment], demand,
                                                             pay, reset, or blank (notice)
Waiver             note (blank=all) -                        - (or "by HOLDER, ..." consenting)
Amendment          note or holder   -                        term = value, e.g. floor_price = 0.20
                                                             ("; by HOLDER, ..." consenting)
Split              -                -                        new:old, e.g. 1:200; none: no split
                                                             that day (a VWAP jump is real)
Dilutive Issue     -                shares issued            price per share (USD)
Warrant Exercise   -                warrant shares           cash or cashless
Shares Outstanding -                -                        shares outstanding (sets the count)
Holder Sale        holder or note   shares sold (blank=all)  -
Cash Balance       -                -                        company cash (USD)
Share Reserve      -                -                        shares reserved for the notes
Termination Notice -                -                        - (the company ends the agreement)
================== ================ ======================== =====================================

The ledger adds ``Interest`` rows on every note's interest dates and a ``Maturity`` row.

Events on the same date are applied in this order (then in row order): Split, Amendment,
Waiver, Shares Outstanding, Cash Balance, Share Reserve, Termination Notice, Issue, Dilutive Issue, Default, Interest Election,
Conversion, Warrant Exercise, Holder Sale, Prepayment, Optional Prepay, Change of Control,
Interest, Maturity. A split takes effect before trading, so same-day conversions are post-split;
interest dates and maturity come last, after the day's conversions and prepayments.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from ascent_xl.calendar import read_date
from ascent_xl.csvfile import read_csv
from ascent_xl.errors import AscentError, LedgerError
from ascent_xl.money import MAX_AMOUNT, read_number

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("Date", "Event", "Note", "Amount", "Value")


class EventKind(Enum):
    """Kinds of events, in the order they apply on the same date. Values are display names."""

    SPLIT = "Split"
    AMENDMENT = "Amendment"
    WAIVER = "Waiver"
    SHARES_OUTSTANDING = "Shares Outstanding"
    CASH_BALANCE = "Cash Balance"
    SHARE_RESERVE = "Share Reserve"
    TERMINATION = "Termination Notice"
    ISSUE = "Issue"
    DILUTIVE_ISSUE = "Dilutive Issue"
    DEFAULT = "Default"
    INTEREST_ELECTION = "Interest Election"
    CONVERSION = "Conversion"
    WARRANT_EXERCISE = "Warrant Exercise"
    HOLDER_SALE = "Holder Sale"
    PREPAYMENT = "Prepayment"
    OPTIONAL_PREPAYMENT = "Optional Prepay"
    CHANGE_OF_CONTROL = "Change of Control"
    INTEREST = "Interest"
    MATURITY = "Maturity"

    @property
    def order(self) -> int:
        """Position among events of the same date."""
        return _ORDER[self]

    @property
    def automatic(self) -> bool:
        """True for kinds the ledger inserts itself (interest dates, maturity)."""
        return self in (EventKind.INTEREST, EventKind.MATURITY)


_ORDER = {kind: i for i, kind in enumerate(EventKind)}
# Names a user may type for each kind (lower case, spaces/underscores/hyphens removed).
_ALIASES: dict[str, EventKind] = {}
for _kind in EventKind:
    _ALIASES["".join(ch for ch in _kind.value.lower() if ch.isalnum())] = _kind
_ALIASES.update(
    {
        "convert": EventKind.CONVERSION,
        "conversionnotice": EventKind.CONVERSION,
        "optionalprepayment": EventKind.OPTIONAL_PREPAYMENT,
        "scheduledprepayment": EventKind.PREPAYMENT,
        "prepay": EventKind.PREPAYMENT,
        "amend": EventKind.AMENDMENT,
        "termsamendment": EventKind.AMENDMENT,
        "eventofdefault": EventKind.DEFAULT,
        "reversesplit": EventKind.SPLIT,
        "stocksplit": EventKind.SPLIT,
        "combination": EventKind.SPLIT,
        "ratchet": EventKind.DILUTIVE_ISSUE,
        "interestpayment": EventKind.INTEREST_ELECTION,
        "sharesoutstandingupdate": EventKind.SHARES_OUTSTANDING,
        "cash": EventKind.CASH_BALANCE,
        "reserve": EventKind.SHARE_RESERVE,
        "sharesreserved": EventKind.SHARE_RESERVE,
        "additionalnote": EventKind.ISSUE,
        "noteissue": EventKind.ISSUE,
        "sale": EventKind.HOLDER_SALE,
        "coc": EventKind.CHANGE_OF_CONTROL,
        "termination": EventKind.TERMINATION,
        "terminationnotice": EventKind.TERMINATION,
    }
)

USER_KINDS = tuple(k.value for k in EventKind if not k.automatic)
"""Event names a user may enter (the template's validation list)."""


def event_kind(text: Any) -> EventKind:
    """The kind named by ``text`` (case, spaces and hyphens ignored; common aliases accepted)."""
    if isinstance(text, EventKind):
        return text
    key = "".join(ch for ch in str(text).lower() if ch.isalnum())
    try:
        return _ALIASES[key]
    except KeyError:
        raise LedgerError(
            f"unknown event {text!r}; use one of: {', '.join(USER_KINDS)}"
        ) from None


AUTO = "ledger"
"""The ``row`` of the rows the ledger inserts itself (interest dates, maturities, resets ...),
which the Schedule's Source column shows (an Events row shows its place, ``Events!A6``; a note
the terms list, ``terms``)."""
_OWN_ROWS = {EventKind.INTEREST: "interest date", EventKind.MATURITY: "maturity", EventKind.ISSUE: "PIK note issue"}
"""How a message names the ledger's own rows whose value does not say (``what``)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One event. ``amount`` in USD or shares (see the table above); ``value`` typed by kind when
    the event is made (:func:`typed_value`): a bad Value or Amount is refused then, naming the
    event, never later by the ledger."""

    date: dt.date
    kind: EventKind
    note: str | None = None
    amount: float | None = None
    value: Any = None
    row: str = ""  # where the event came from, for messages ("row 7", "Events!A9")

    def __post_init__(self) -> None:
        if self.kind.automatic:
            return  # the ledger's own rows carry its own markers
        try:
            value = typed_value(self.kind, self.value)
            amount = typed_amount(self.kind, self.amount)
        except LedgerError as exc:
            raise self.error(str(exc)) from None
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "amount", amount)

    @property
    def label(self) -> str:
        """``row 7 (2023-03-29, Amendment)``: how messages name the event; a row the ledger adds
        itself (``row`` :data:`AUTO`) by what it is: ``the price reset of 2023-02-17 (the
        ledger's own row)``."""
        if self.row == AUTO:
            what = getattr(self.value, "what", None) or _OWN_ROWS.get(self.kind, self.kind.value.lower())
            return f"the {what} of {self.date.isoformat()} (the ledger's own row)"
        where = f"{self.row} " if self.row else ""
        return f"{where}({self.date.isoformat()}, {self.kind.value})"

    def error(self, problem: str) -> LedgerError:
        """A :class:`LedgerError` that names this event."""
        return LedgerError(f"{self.label}: {problem}")

    @property
    def sort_key(self) -> tuple[dt.date, int]:
        """Date, then the kind's order on that date."""
        return (self.date, self.kind.order)


# -- typed values -------------------------------------------------------------------------------


class TypedValue:
    """Base of the typed Values below; ``str()`` of one is the Value as written in a table."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class IssueValue(TypedValue):
    """An Issue's Value: the ``kind`` of note (registered, private, additional, pik; None: the
    terms' kind, or additional for a note the terms do not list) and the company's ``notice``
    date of an additional note."""

    kind: str | None = None
    notice: dt.date | None = None

    def __str__(self) -> str:
        return ", ".join(x for x in (self.kind or "", f"notice {self.notice}" if self.notice else "") if x)


@dataclass(frozen=True, slots=True)
class InterestChoice(TypedValue):
    """An Interest Election's Value: ``method`` cash or pik, and for pik what is paid when the
    equity conditions fail (``fallback`` cash or private_pik; None: the note's terms)."""

    method: str
    fallback: str | None = None

    def __str__(self) -> str:
        return self.method + {None: "", "cash": " or cash", "private_pik": " or private"}[self.fallback]


@dataclass(frozen=True, slots=True)
class Notices(TypedValue):
    """The Value of an Optional Prepay (the company's ``notice``) or a Change of Control (the
    company's ``notice`` and the ``agreement``'s date): dates, each optional."""

    notice: dt.date | None = None
    agreement: dt.date | None = None

    def __str__(self) -> str:
        parts = (f"notice {self.notice}" if self.notice else "", f"agreement {self.agreement}" if self.agreement else "")
        return ", ".join(x for x in parts if x)


@dataclass(frozen=True, slots=True)
class DefaultChoice(TypedValue):
    """A Default's Value other than a bare notice: the holder's ``election`` (``redeem``,
    ``reset``, ``demand`` - redeem, payment date to come - or ``pay``, the payment of an earlier
    demand) and, for ``redeem``, the payment date when it is later than the demand."""

    election: str
    pay_date: dt.date | None = None

    def __str__(self) -> str:
        return self.election + (f" {self.pay_date}" if self.pay_date else "")


@dataclass(frozen=True, slots=True)
class Consent(TypedValue):
    """A Waiver's Value: the ``holders`` consenting (``by HOLDER, ...``)."""

    holders: tuple[str, ...]

    def __str__(self) -> str:
        return "by " + ", ".join(self.holders)


@dataclass(frozen=True, slots=True)
class Amendment(TypedValue):
    """An Amendment's Value: the ``term`` as named (``floor_price``, ``conversion.floor_price``),
    its new ``value`` as written (read by the deal's terms on the amendment's date, which know the
    term's unit) and the holders ``consent``-ing (None: not recorded)."""

    term: str
    value: str
    consent: tuple[str, ...] | None = None

    @property
    def cap_notice(self) -> bool:
        """True for ``ownership_cap = x``: the holder's own notice, not an amendment by consent."""
        return self.term.lower() in ("ownership_cap", "conversion.ownership_cap")

    def __str__(self) -> str:
        return f"{self.term} = {self.value}" + (f"; by {', '.join(self.consent)}" if self.consent else "")


@dataclass(frozen=True, slots=True)
class SplitRatio(TypedValue):
    """A Split's Value: ``ratio`` new shares per old share (1:200 is 0.005), written ``text``."""

    ratio: float
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class NoSplit(TypedValue):
    """A Split's Value ``none``: there was no split that day; a VWAP jump onto it is a real move
    (the split-jump guard lets it through)."""

    def __str__(self) -> str:
        return "none"


FINANCING = "financing"
"""A Prepayment's Value when the holder requires it out of a later financing's proceeds."""
ALL_INTEREST = "all"
"""A Conversion's Value converting all accrued interest."""

_NOTE_KINDS = ("registered", "private", "additional", "pik")
_PIK = {"pik", "inkind", "kind", "paidinkind"}
_FALLBACKS = {"": None, "cash": "cash", "private": "private_pik", "privatepik": "private_pik"}
_DEFAULTS = {
    "": None, "notice": None, "none": None,
    "redeem": "redeem", "redemption": "redeem", "mandatory": "redeem", "mandatorydefaultamount": "redeem",
    "mda": "redeem", "cash": "redeem",
    "reset": "reset", "pricereset": "reset", "conversionpricereset": "reset",
    "demand": "demand", "pay": "pay", "payment": "pay", "paid": "pay",
}
_PAY_DATE = re.compile(r"(?:,|\s)\s*(?:paid\s+|on\s+|payment\s+)?(\d{4}-\d{2}-\d{2})\s*$")
_DATED = re.compile(r"\b(notice|agreement)\s+(\S+)", re.IGNORECASE)
_SHARE_AMOUNTS = (EventKind.DILUTIVE_ISSUE, EventKind.WARRANT_EXERCISE, EventKind.HOLDER_SALE)
_NO_VALUE = {  # kinds whose Value must be blank, and where what the user meant goes
    EventKind.HOLDER_SALE: "the shares sold go in Amount, the seller in Note",
    EventKind.TERMINATION: "a termination notice has no value",
}
_NO_AMOUNT = {  # kinds whose Amount must be blank, and where what the user meant goes
    EventKind.SPLIT: "the ratio goes in Value, e.g. 1:200",
    EventKind.AMENDMENT: "the new term goes in Value, e.g. floor_price = 0.20",
    EventKind.WAIVER: "a waiver has no amount",
    EventKind.DEFAULT: "the holder's election goes in Value",
    EventKind.INTEREST_ELECTION: "cash or pik goes in Value",
    EventKind.SHARES_OUTSTANDING: "the count goes in Value",
    EventKind.SHARE_RESERVE: "the count goes in Value",
    EventKind.CASH_BALANCE: "the company's cash goes in Value",
    EventKind.TERMINATION: "a termination notice has no amount",
}


def typed_value(kind: EventKind, value: Any) -> Any:
    """An event's Value read once, by kind (a value already typed is returned as it is):

    - Issue: an :class:`IssueValue` (``registered``, ``private``, ``additional``, ``pik``;
      ``additional, notice YYYY-MM-DD``), blank: ``IssueValue()``;
    - Conversion: the accrued interest converted, USD (float), :data:`ALL_INTEREST`, or None;
    - Interest Election: an :class:`InterestChoice` (``cash``, ``pik``, ``pik or cash``,
      ``pik or private``);
    - Prepayment: the premium multiple (float, 1.00 to below 10; blank: None, at par) or
      :data:`FINANCING`;
    - Optional Prepay, Change of Control: :class:`Notices` (``notice YYYY-MM-DD``, ``agreement
      YYYY-MM-DD``);
    - Default: a :class:`DefaultChoice` (``redeem``, ``redeem YYYY-MM-DD``, ``demand``, ``pay``,
      ``reset``), or None (blank or ``notice``: a notice);
    - Waiver: a :class:`Consent` (``by HOLDER, ...``) or None;
    - Amendment: an :class:`Amendment` (``term = value``, optional ``; by HOLDER, ...``);
    - Split: a :class:`SplitRatio` (``new:old``), or :class:`NoSplit` (``none``: no split that
      day, a VWAP jump onto it is real);
    - Dilutive Issue: the price per share (float, more than 0); Cash Balance: USD (float);
    - Shares Outstanding, Share Reserve: a whole number of shares (int);
    - Warrant Exercise: ``"cash"`` (also blank) or ``"cashless"``;
    - Holder Sale, Termination Notice: None, or a remark (text, not used; a number is refused).

    A bad value raises a :class:`LedgerError` saying what to write instead.

    Examples
    --------
    >>> typed_value(EventKind.DEFAULT, "redeem 2023-04-03")
    DefaultChoice(election='redeem', pay_date=datetime.date(2023, 4, 3))
    >>> str(typed_value(EventKind.INTEREST_ELECTION, "PIK / private"))
    'pik or private'
    """
    if isinstance(value, TypedValue):
        return value
    if isinstance(value, str):
        value = value.strip()
    blank = _blank(value)
    text = "" if blank else str(value)
    if kind in _NO_VALUE:  # a text is a remark the ledger does not use; a number is refused
        if not blank and (not isinstance(value, str) or _is_number(value)):
            raise LedgerError(f"Value {value!r}: leave it blank or write a remark ({_NO_VALUE[kind]})")
        return None if blank else text
    if kind is EventKind.ISSUE:
        return _issue_value(text)
    if kind is EventKind.CONVERSION:
        if blank:
            return None
        if text.lower() == ALL_INTEREST:
            return ALL_INTEREST
        x = _to_number(value, "Value", "the accrued interest to convert: a USD amount or all")
        if x < 0:
            raise LedgerError(f"Value {value!r}: the accrued interest to convert is zero or more (USD, or all)")
        return x
    if kind is EventKind.INTEREST_ELECTION:
        return _interest_choice(text)
    if kind is EventKind.PREPAYMENT:
        if blank:
            return None
        if text.lower() == FINANCING:
            return FINANCING
        p = _to_number(value, "Value", "the premium as a multiple of principal (at par: 1.00), or financing")
        if not 1.0 <= p < 10.0:
            raise LedgerError(f"Value {value!r}: the premium is a multiple of principal of at least 1.00 and "
                              "below 10 (105% is 1.05), or financing")
        return p
    if kind in (EventKind.OPTIONAL_PREPAYMENT, EventKind.CHANGE_OF_CONTROL):
        return _notices(kind, text)
    if kind is EventKind.DEFAULT:
        return _default_choice(text)
    if kind is EventKind.WAIVER:
        if blank:
            return None
        holders = _holders(text.removeprefix(";").strip(), value)
        return Consent(holders)
    if kind is EventKind.AMENDMENT:
        return _amendment(text)
    if kind is EventKind.SPLIT:
        from ascent_xl.pricing import split_ratio

        if blank:
            raise LedgerError("Value missing: give the split as new:old, e.g. 1:200 for a reverse split (none: "
                              "no split that day, the VWAP jump is real)")
        if text.lower() in ("none", "no split", "nosplit"):
            return NoSplit()
        try:
            ratio = split_ratio(value)
        except AscentError as exc:
            raise LedgerError(str(exc)) from None
        return SplitRatio(ratio, text)
    if kind is EventKind.DILUTIVE_ISSUE:
        if blank:
            raise LedgerError("Value missing: give the issue's price per share (USD), e.g. 0.15")
        price = _to_number(value, "Value", "the issue's price per share in USD, e.g. 0.15")
        if not price > 0:
            raise LedgerError(f"Value {value!r}: the issue's price per share is more than zero (USD), e.g. 0.15")
        return price
    if kind is EventKind.CASH_BALANCE:
        if blank:
            raise LedgerError("Value missing: give the company's cash in USD, e.g. 4,200,000")
        return _to_number(value, "Value", "the company's cash in USD, e.g. 4,200,000")
    if kind in (EventKind.SHARES_OUTSTANDING, EventKind.SHARE_RESERVE):
        if blank:
            raise LedgerError("Value missing: give a number of shares, e.g. 68,500,000")
        return _whole(value, "Value")
    if kind is EventKind.WARRANT_EXERCISE:
        if blank or text.lower() == "cash":
            return "cash"
        if text.lower() == "cashless":
            return "cashless"
        raise LedgerError(f"Value {value!r}: write cash or cashless (blank: cash)")
    raise LedgerError(f"Value {value!r}: {kind.value} rows are added by the ledger")  # pragma: no cover


def typed_amount(kind: EventKind, amount: Any) -> float | None:
    """An event's Amount: USD (float) or, for Dilutive Issue, Warrant Exercise and Holder Sale, a
    whole number of shares; never negative; blank for the kinds that take none."""
    if _blank(amount):
        return None
    if kind in _NO_AMOUNT:
        raise LedgerError(f"Amount {amount!r}: leave it blank ({_NO_AMOUNT[kind]})")
    if kind in _SHARE_AMOUNTS:
        return float(_whole(amount, "Amount"))
    x = _to_number(amount, "Amount", "a USD amount, e.g. 250,000")
    if x < 0:
        raise LedgerError(f"Amount {x:,.2f} is negative; enter it as a positive number")
    return x


def value_text(value: Any) -> Any:
    """A typed Value as it is written in an events table (numbers as plain digits), None blank."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, TypedValue):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        import numpy as np

        return str(int(value)) if float(value).is_integer() else np.format_float_positional(float(value), trim="-")
    return str(value)


def _issue_value(text: str) -> IssueValue:
    notice, agreement, rest = _dates_in(text, "Value")
    kind = rest.lower() or None
    if agreement is not None or (kind is not None and kind not in _NOTE_KINDS):
        raise LedgerError(f"Value {text!r}: write the kind of note ({', '.join(_NOTE_KINDS)}), for an "
                          "additional note optionally followed by , notice YYYY-MM-DD")
    if notice is not None and kind not in ("additional", None):
        raise LedgerError(f"Value {text!r}: only an additional note takes the company's notice date "
                          "(additional, notice YYYY-MM-DD)")
    return IssueValue(kind, notice)


def _interest_choice(text: str) -> InterestChoice:
    method, _, rest = text.lower().replace(" or ", "/").partition("/")
    key = "".join(ch for ch in method if ch.isalnum())
    fallback = _FALLBACKS.get("".join(ch for ch in rest if ch.isalnum()), "?")
    method = "pik" if key in _PIK else key
    if method not in ("cash", "pik") or fallback == "?" or (method == "cash" and fallback):
        raise LedgerError(f"Value {text!r}: write cash, pik, pik or cash, or pik or private (what is paid "
                          "when the equity conditions fail)")
    return InterestChoice(method, fallback)


def _notices(kind: EventKind, text: str) -> Notices | None:
    notice, agreement, rest = _dates_in(text, "Value")
    coc = kind is EventKind.CHANGE_OF_CONTROL
    if rest or (agreement is not None and not coc):
        forms = "notice YYYY-MM-DD, agreement YYYY-MM-DD" if coc else "notice YYYY-MM-DD (the company's notice)"
        raise LedgerError(f"Value {text!r}: write {forms}, or leave it blank")
    return None if notice is None and agreement is None else Notices(notice, agreement)


def _dates_in(text: str, column: str) -> tuple[dt.date | None, dt.date | None, str]:
    """The ``notice DATE`` and ``agreement DATE`` of a Value and the text left without them."""
    found: dict[str, dt.date] = {}
    for m in _DATED.finditer(text):
        word, raw = m.group(1).lower(), m.group(2).strip(" ,;")
        try:
            day = dt.date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else None
        except ValueError:
            day = None
        if day is None:
            raise LedgerError(f"{column} {text!r}: {raw!r} after {word} is not a date; write {word} YYYY-MM-DD")
        if word in found:
            raise LedgerError(f"{column} {text!r}: {word} is given twice; write it once")
        found[word] = day
    rest = _DATED.sub("", text).strip(" ,;")
    return found.get("notice"), found.get("agreement"), rest


def _default_choice(text: str) -> DefaultChoice | None:
    pay_date: dt.date | None = None
    body = text
    match = _PAY_DATE.search(text)
    if match:
        try:
            pay_date = dt.date.fromisoformat(match.group(1))
        except ValueError:
            raise LedgerError(f"Value {text!r}: {match.group(1)} is not a date; write the payment date "
                              "YYYY-MM-DD") from None
        body = text[: match.start()]
    key = "".join(ch for ch in body.lower() if ch.isalnum())
    if key not in _DEFAULTS:
        raise LedgerError(f"Value {text!r}: write the holder's election: redeem (paid that day), redeem "
                          "YYYY-MM-DD (paid then), demand (then a later pay), reset, or blank for a notice")
    election = _DEFAULTS[key]
    if pay_date is not None and election != "redeem":
        raise LedgerError(f"Value {text!r}: only a redemption takes a payment date (redeem YYYY-MM-DD)")
    return None if election is None else DefaultChoice(election, pay_date)


def _holders(text: str, value: Any) -> tuple[str, ...]:
    """``by A, B`` -> ("A", "B")."""
    words = text.split(None, 1)
    names = tuple(x.strip() for x in words[1].split(",")) if len(words) == 2 and words[0].lower() == "by" else ()
    if not names or not all(names):
        raise LedgerError(f"Value {value!r}: write the holders consenting as by HOLDER, HOLDER (or leave it blank)")
    return names


def _amendment(text: str) -> Amendment:
    body, sep, by = text.partition(";")
    consent = _holders(by.strip(), text) if sep else None
    split_on = "=" if "=" in body else ":" if ":" in body else None
    term, new = (x.strip() for x in body.split(split_on, 1)) if split_on else ("", "")
    if not term or not new:
        raise LedgerError(f"Value {text!r}: write the amendment as term = value, e.g. floor_price = 0.20 "
                          "(optional ; by HOLDER, ... for the holders consenting)")
    return Amendment(term, new, consent)


def _is_number(text: str) -> bool:
    try:
        read_number(text, "Value", error=LedgerError)
    except LedgerError:
        return False
    return True


def _whole(value: Any, column: str) -> int:
    x = _to_number(value, column, "a number of shares, e.g. 68,500,000")
    if x < 0 or x != int(x):
        raise LedgerError(f"{column} {value!r}: a number of shares is a whole number, zero or more")
    return int(x)


def parse_events(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    labels: Sequence[str] | None = None,
    cells: Sequence[Mapping[str, str]] | None = None,
) -> list[Event]:
    """Events from table rows (mappings keyed by the column names, or sequences in the order
    ``Date, Event, Note, Amount, Value``). Blank rows are skipped. ``labels`` names each row in
    messages (default ``row 1``, ``row 2`` ...); ``cells`` optionally gives, per row, the address
    of each column's cell (``{"Amount": "Events!D9", ...}``) so that a bad value is named by its
    cell.

    Examples
    --------
    >>> ev = parse_events([{"Date": "2023-09-12", "Event": "reverse split", "Value": "1:200"}])
    >>> ev[0].kind.value, ev[0].value.ratio, str(ev[0].value)
    ('Split', 0.005, '1:200')
    """
    out = []
    for i, raw in enumerate(rows):
        label = labels[i] if labels is not None else f"row {i + 1}"
        record = _as_record(raw)
        if all(_blank(v) for v in record.values()):
            continue
        out.append(_parse_row(record, label, cells[i] if cells is not None else None))
    return out


def events_from_frame(frame: pd.DataFrame) -> list[Event]:
    """Events from a DataFrame with the columns Date, Event, Note, Amount, Value (matched
    case-insensitively; Note, Amount and Value may be absent)."""
    cols = {c.strip().lower(): c for c in map(str, frame.columns)}
    for need in ("date", "event"):
        if need not in cols:
            raise LedgerError(f"events table has no {need.title()} column; columns: {list(frame.columns)}")
    records = []
    for _, r in frame.iterrows():
        records.append({name: r[cols[name.lower()]] if name.lower() in cols else None for name in COLUMNS})
    return parse_events(records, labels=[f"row {i + 1}" for i in range(len(records))])


def events_from_csv(path: str | os.PathLike[str]) -> list[Event]:
    """Events from a CSV file with a header row; ``#`` lines are comments. Messages name the
    file and its line numbers."""
    table = read_csv(path, what="events file", error=LedgerError, expected=",".join(COLUMNS))
    header = [h.strip().lower() for h in table.header]
    for need in ("date", "event"):
        if need not in header:
            raise LedgerError(f"{table.name} line {table.header_line}: the header must name {', '.join(COLUMNS)}")
    where = {c: header.index(c.lower()) for c in COLUMNS if c.lower() in header}
    records = [{c: (row[where[c]] if c in where and where[c] < len(row) else None) for c in COLUMNS}
               for row in table.rows]
    base = os.path.basename(table.name)
    return parse_events(records, labels=[f"{base} line {n}" for n in table.lines])


def events_to_rows(events: Iterable[Event]) -> list[list[Any]]:
    """Events back to table rows ``[Date, Event, Note, Amount, Value]``, each Value as text
    (:func:`value_text`): reading the rows again gives the same events."""
    return [[e.date, e.kind.value, e.note, e.amount, value_text(e.value)] for e in events]


# ---------------------------------------------------------------------------------------------


def _as_record(raw: Mapping[str, Any] | Sequence[Any]) -> dict[str, Any]:
    if isinstance(raw, Mapping):
        lowered = {str(k).strip().lower(): v for k, v in raw.items()}
        return {c: lowered.get(c.lower()) for c in COLUMNS}
    values = list(raw) + [None] * (len(COLUMNS) - len(raw))
    return dict(zip(COLUMNS, values[: len(COLUMNS)], strict=True))


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _parse_row(record: dict[str, Any], label: str, cells: Mapping[str, str] | None = None) -> Event:
    def at(column: str) -> str:
        return cells[column] if cells and column in cells else label

    raw_date, raw_kind = record["Date"], record["Event"]
    if _blank(raw_date):
        raise LedgerError(f"{at('Date')}: Date missing; give the event's date as YYYY-MM-DD")
    date = _to_date(raw_date, at("Date"))
    if _blank(raw_kind):
        raise LedgerError(f"{at('Event')} ({date}): Event missing; use one of: {', '.join(USER_KINDS)}")
    try:
        kind = event_kind(raw_kind)
    except LedgerError as exc:
        raise LedgerError(f"{at('Event')} ({date}): {exc}") from None
    if kind.automatic:
        raise LedgerError(
            f"{at('Event')} ({date}): {kind.value} rows are added by the ledger; use Interest Election "
            "to choose cash or PIK, Prepayment to repay"
        )
    note = None if _blank(record["Note"]) else str(record["Note"]).strip()
    try:
        amount = typed_amount(kind, record["Amount"])
    except LedgerError as exc:
        raise LedgerError(f"{at('Amount')} ({date}, {kind.value}): {exc}") from None
    try:
        value = typed_value(kind, record["Value"])
    except LedgerError as exc:
        raise LedgerError(f"{at('Value')} ({date}, {kind.value}): {exc}") from None
    return Event(date=date, kind=kind, note=note, amount=amount, value=value, row=label)


def _to_date(value: Any, label: str) -> dt.date:
    if hasattr(value, "to_pydatetime") and value == value:
        value = value.to_pydatetime()
    return read_date(value, f"{label}: Date", error=LedgerError)


def _to_number(value: Any, what: str, hint: str) -> float:
    """A number by the strict reader (:func:`ascent_xl.money.read_number`); ``hint`` says what
    the column holds for this kind of event."""
    try:
        return read_number(value, what, error=LedgerError, most=MAX_AMOUNT)
    except LedgerError as exc:
        raise LedgerError(f"{exc} (write {hint})") from None
