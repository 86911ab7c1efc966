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
Split              -                -                        new:old, e.g. 1:200
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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from ascent_xl.calendar import read_date
from ascent_xl.csvfile import read_csv
from ascent_xl.errors import LedgerError
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


@dataclass(frozen=True, slots=True)
class Event:
    """One event. ``amount`` in USD or shares (see the table above); ``value`` as typed."""

    date: dt.date
    kind: EventKind
    note: str | None = None
    amount: float | None = None
    value: Any = None
    row: str = ""  # where the event came from, for messages ("row 7", "Events!A9")

    @property
    def label(self) -> str:
        """``row 7 (2023-03-29, Amendment)``: how messages name the event."""
        where = f"{self.row} " if self.row else ""
        return f"{where}({self.date.isoformat()}, {self.kind.value})"

    def error(self, problem: str) -> LedgerError:
        """A :class:`LedgerError` that names this event."""
        return LedgerError(f"{self.label}: {problem}")

    @property
    def sort_key(self) -> tuple[dt.date, int]:
        """Date, then the kind's order on that date."""
        return (self.date, self.kind.order)


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
    >>> ev[0].kind.value, ev[0].value
    ('Split', '1:200')
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
    """Events back to table rows ``[Date, Event, Note, Amount, Value]``."""
    return [[e.date, e.kind.value, e.note, e.amount, e.value] for e in events]


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
    amount = None
    if not _blank(record["Amount"]):
        amount = _to_number(record["Amount"], f"{at('Amount')} ({date}, {kind.value}): Amount")
        if amount < 0:
            raise LedgerError(
                f"{at('Amount')} ({date}, {kind.value}): Amount {amount:,.2f} is negative; enter it as a positive number"
            )
    value = None if _blank(record["Value"]) else record["Value"]
    if isinstance(value, str):
        value = value.strip()
    return Event(date=date, kind=kind, note=note, amount=amount, value=value, row=label)


def _to_date(value: Any, label: str) -> dt.date:
    if hasattr(value, "to_pydatetime") and value == value:
        value = value.to_pydatetime()
    return read_date(value, f"{label}: Date", error=LedgerError)


def _to_number(value: Any, what: str) -> float:
    return read_number(value, what, error=LedgerError, most=MAX_AMOUNT)
