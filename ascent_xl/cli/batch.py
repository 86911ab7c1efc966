"""``ascent-xl price --notices FILE.csv``: many conversion notices priced in one vectorised call
(:func:`ascent_xl.pricing.quote_conversions`) on the terms as issued, or with ``--events`` each
on the deal's state that day in one ledger pass (:func:`ascent_xl.ledger.position.conversion_quotes`,
the book's Conversions sheet's rule), written to CSV or XLSX."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ascent_xl.calendar import TradingCalendar, as_day, day_text, read_date
from ascent_xl.cli.options import (
    NO_SPLIT_WAY_OUT,
    check_after_issue,
    check_amount_as_issued,
    check_window_in_data,
)
from ascent_xl.csvfile import read_csv
from ascent_xl.errors import AscentError, InputError
from ascent_xl.market import MarketData
from ascent_xl.money import MAX_AMOUNT, read_number
from ascent_xl.pricing import quote_conversion, quote_conversions
from ascent_xl.terms import DealTerms

NOTICES_HEADER = "Notice Date[,Amount]"
NOTICES_HEADER_STATE = "Notice Date[,Amount][,Note]"
QUOTE_COLUMNS = ("Line", "Notice Date", "Amount", "Fixed Price", "Alternate Price", "Unfloored Price",
                 "Floor Price", "Conversion Price", "Floor Binds", "Shares", "VWAP", "Floor Payment")
"""Columns of the priced notices file: the notices file's line, then the quote's fields."""
QUOTE_KINDS = {"Notice Date": "date", "Amount": "money", "Fixed Price": "price", "Alternate Price": "price",
               "Unfloored Price": "price", "Floor Price": "price", "Conversion Price": "price",
               "Shares": "shares", "VWAP": "price", "Floor Payment": "money"}
STATE_QUOTE_COLUMNS = ("Line", "Notice Date", "Note", "Share Basis", "Amount", "Fixed Price", "Alternate Price",
                       "Unfloored Price", "Floor Price", "Conversion Price", "Floor Binds", "Capped",
                       "Principal Converted", "Shares", "VWAP", "Floor Payment")
"""Columns of the notices priced on the deal's state (``--events``): the note converted, the share
basis of the day, the amount asked and the principal the ownership cap lets convert."""
STATE_QUOTE_KINDS = {**QUOTE_KINDS, "Principal Converted": "money"}
NOTICES_OUT = (".csv", ".xlsx")


@dataclass(frozen=True)
class Notices:
    """Notice dates and amounts read from a file, with each row's line number."""

    name: str
    dates: np.ndarray
    amounts: np.ndarray  # NaN: blank, all of the note's principal (with events)
    lines: list[int]
    notes: tuple[str | None, ...] = ()  # the Note column's (with events); () without one

    def where(self, k: int) -> str:
        """The place of the ``k``-th notice: ``notices.csv line 4``."""
        return f"{self.name} line {self.lines[k]}"


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def read_notices(path: Path, *, calendar: TradingCalendar, amount: float | None, on_state: bool = False,
                 note: str | None = None) -> Notices:
    """Read a notices CSV: a header naming ``Notice Date`` (or ``Date``) and optionally
    ``Amount`` and, priced on the deal's state (``on_state``), ``Note``; a blank or missing
    amount is ``amount`` (None: all of the note's principal, on the state only), a blank note
    ``note`` (None: the first with principal). Every refusal names the file's line."""
    expected = NOTICES_HEADER_STATE if on_state else NOTICES_HEADER
    table = read_csv(path, what="notices file", error=InputError, expected=expected)
    keys = [_key(h) for h in table.header]
    name = Path(table.name).name
    date_col = next((keys.index(k) for k in ("noticedate", "date", "notice") if k in keys), None)
    if date_col is None:
        raise InputError(f"{name} line {table.header_line}: the header must name a Notice Date column "
                         f"(and optionally Amount{', Note' if on_state else ''}), e.g. {expected}")
    amount_col = keys.index("amount") if "amount" in keys else None
    note_col = keys.index("note") if "note" in keys else None
    if note_col is not None and not on_state:
        raise InputError(f"{name} line {table.header_line}: a Note column names notes of the deal's state: "
                         "give --events FILE to price each notice on it, or drop the column")
    default = amount
    cal = calendar
    dates: list[np.datetime64] = []
    amounts: list[float] = []
    notes: list[str | None] = []
    for row, line in zip(table.rows, table.lines, strict=True):
        cell = row[date_col].strip() if date_col < len(row) else ""
        if not cell:
            raise InputError(f"{name} line {line}: notice date missing; write it as YYYY-MM-DD")
        day = as_day(read_date(cell, f"{name} line {line}: notice date", error=InputError))
        if not cal.is_session(day):
            raise InputError(f"{name} line {line}: {day_text(day)} is not a {cal.name} trading day; a notice "
                             "must fall on a trading day")
        text = row[amount_col].strip() if amount_col is not None and amount_col < len(row) else ""
        value = default if text == "" else read_number(
            text, f"{name} line {line}: amount", error=InputError, most=MAX_AMOUNT
        )
        if value is not None and not value > 0:
            raise InputError(f"{name} line {line}: amount {text!r} is not a positive number of USD")
        dates.append(day)
        amounts.append(math.nan if value is None else float(value))
        if on_state:
            written = row[note_col].strip() if note_col is not None and note_col < len(row) else ""
            notes.append(written or note)
    if not dates:
        raise InputError(f"{name}: no notices after the header line {table.header_line}")
    return Notices(name, np.array(dates, dtype="datetime64[D]"), np.array(amounts), table.lines, tuple(notes))


def price_notices(terms: DealTerms, market: MarketData, notices: Notices, *,
                  no_split: bool = False, vwaps_name: str = "the VWAP file") -> list[dict[str, Any]]:
    """Every notice priced in one vectorised call; a row that cannot be priced is named by its
    line (found by pricing the rows one by one, only on error). Priced on the terms as issued, a
    row converting more than any note's face, or whose look-back window runs past the last VWAP
    (of ``vwaps_name``), is refused first, naming its line."""
    largest = max((n.face for n in terms.notes), default=np.inf)
    late = notices.dates > market.dates[-1]
    early = notices.dates < np.datetime64(terms.closing)
    for k in np.flatnonzero((notices.amounts > largest) | late | early).tolist():
        where = f"{notices.name} line {notices.lines[k]}"
        day = notices.dates[k].item()
        check_after_issue(day, terms, f"{where}: notice date")
        check_window_in_data(day, market, terms.conversion.alternate_price_days, vwaps_name, f"{where}: notice date")
        check_amount_as_issued(float(notices.amounts[k]), terms, f"{where}: amount", way_out="")
    try:
        q = quote_conversions(terms, market, notice_dates=notices.dates, amounts=notices.amounts, no_split=no_split,
                              way_out=NO_SPLIT_WAY_OUT)
    except AscentError:
        for day, amt, line in zip(notices.dates, notices.amounts, notices.lines, strict=True):
            try:
                quote_conversion(terms, market, notice_date=day_text(day), amount=float(amt), no_split=no_split,
                                 way_out=NO_SPLIT_WAY_OUT)
            except AscentError as exc:
                raise InputError(f"{notices.name} line {line}: {exc}") from None
        raise
    rows = []
    for i, line in enumerate(notices.lines):
        vwap = float(q["vwap"][i])
        rows.append({
            "Line": line,
            "Notice Date": q["notice_date"][i].astype(dt.date),
            "Amount": float(q["amount"][i]),
            "Fixed Price": float(q["fixed_price"][i]),
            "Alternate Price": float(q["alternate_price"][i]) if q["alternate_applies"][i] else None,
            "Unfloored Price": float(q["unfloored_price"][i]),
            "Floor Price": float(q["floor_price"][i]),
            "Conversion Price": float(q["conversion_price"][i]),
            "Floor Binds": bool(q["floor_binds"][i]),
            "Shares": int(q["shares"][i]),
            "VWAP": None if np.isnan(vwap) else vwap,
            "Floor Payment": float(q["floor_payment"][i]),
        })
    return rows


def price_notices_on_state(terms: DealTerms, market: MarketData, events: list[Any], notices: Notices, *,
                           no_split: bool = False, vwaps_name: str = "the VWAP file") -> list[dict[str, Any]]:
    """Every notice priced on the deal's state that day, as the book's Conversions sheet prices
    a row (:func:`ascent_xl.ledger.position.conversion_quotes`: one ledger pass; each notice on
    its own, before that day's conversions of the events). A row dated before the issue, whose
    look-back window runs past the last VWAP (of ``vwaps_name``) or naming a note the deal does
    not have is refused first; any other refusal names its line too."""
    from ascent_xl.cli.options import check_note_name
    from ascent_xl.ledger.position import conversion_quotes, note_to_convert, share_basis

    window = terms.conversion.alternate_price_days
    for k in range(len(notices.lines)):
        where = notices.where(k)
        day = notices.dates[k].item()
        check_after_issue(day, terms, f"{where}: notice date")
        check_window_in_data(day, market, window, vwaps_name, f"{where}: notice date")
        check_note_name(notices.notes[k], terms, events, f"{where}: note")
    asked = [(notices.dates[k].item(), None if math.isnan(a) else float(a), notices.notes[k])
             for k, a in enumerate(notices.amounts.tolist())]
    quotes = conversion_quotes(terms, market, events, notices=asked, no_split=no_split,
                               names=[notices.where(k) for k in range(len(asked))])
    rows = []
    for line, (day, _, note), (q, state) in zip(notices.lines, asked, quotes, strict=True):
        rows.append({
            "Line": line,
            "Notice Date": day,
            "Note": note_to_convert(state, note, day).name,
            "Share Basis": share_basis(state),
            "Amount": q.principal_requested,
            "Fixed Price": q.fixed_price,
            "Alternate Price": q.alternate_price if q.alternate_applies else None,
            "Unfloored Price": q.unfloored_price,
            "Floor Price": q.floor_price,
            "Conversion Price": q.conversion_price,
            "Floor Binds": q.floor_binds,
            "Capped": q.capped,
            "Principal Converted": q.principal_converted,
            "Shares": q.shares,
            "VWAP": q.vwap,  # None when the notice day has none (and no floor payment needs it)
            "Floor Payment": q.floor_payment,
        })
    return rows


def write_quotes(rows: list[dict[str, Any]], path: Path, *, on_state: bool = False) -> None:
    """The priced notices to ``path``: CSV (numbers in full) or XLSX (formatted), atomically;
    ``on_state``: the columns of notices priced on the deal's state."""
    columns, kinds = (STATE_QUOTE_COLUMNS, STATE_QUOTE_KINDS) if on_state else (QUOTE_COLUMNS, QUOTE_KINDS)
    if path.suffix.lower() == ".xlsx":
        from ascent_xl.excel.export import export_rows_xlsx

        export_rows_xlsx(rows, columns, kinds, path, sheet="Conversions")
        return
    from ascent_xl.csvfile import write_csv_rows
    from ascent_xl.fileio import atomic_write_text

    atomic_write_text(path, write_csv_rows(columns, ([r[c] for c in columns] for r in rows)))
