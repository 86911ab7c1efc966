"""A conversion notice: the calculation a holder sends and the issuer checks, on the deal's state
on the notice date (events up to that day, before its conversions).

:func:`build_notice` prices the notice with :func:`ascent_xl.ledger.position.conversion_quote`
(the ledger's own pricing) and gathers what the calculation shows: the look-back window's VWAPs
with the lowest marked, the fixed, alternate and floor prices, the conversion price, the
ownership-cap check, the shares and the floor payment. :func:`notice_lines` writes it as text;
:func:`write_notice_pdf` as a one-page PDF (matplotlib).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ascent_xl.calendar import day_text
from ascent_xl.events import Event
from ascent_xl.ledger.position import conversion_quote, note_to_convert, share_basis
from ascent_xl.ledger.state import DealState
from ascent_xl.market import MarketData
from ascent_xl.pricing import CappedConversion
from ascent_xl.terms import DealTerms


@dataclass(frozen=True, slots=True)
class ConversionNotice:
    """One conversion notice and its calculation. Prices USD/share on the share basis of the
    notice date; amounts USD."""

    deal: str
    issuer: str
    note: str
    notice_date: dt.date
    principal_outstanding: float  # the note's, before the conversion
    window: tuple[tuple[dt.date, float, bool], ...]  # (day, VWAP, among the lowest)
    lowest_average: float
    lowest: int
    quote: CappedConversion  # priced for the note's holder (its shares, its cap)
    shares_outstanding: int
    share_basis: str
    rounding: str
    source: str  # what the state was built from, e.g. "events.csv up to 2023-03-28"
    alternate_rule: str = ""  # when the alternate price applies, said when it does not that day
    floor_mode: str = "make_up"  # make_up (floor + cash), cap (floor, no cash), none (no floor)
    price: str = "VWAP"  # the price the windows read: "VWAP", or "close" for a deal priced on closes

    @property
    def prices(self) -> str:
        """The window's prices, plural: ``VWAPs`` or ``closes``."""
        return f"{self.price}s" if self.price == "VWAP" else "closes"

    @property
    def price_label(self) -> str:
        """The price as a row's label starts: ``VWAP`` or ``Close``."""
        return self.price[0].upper() + self.price[1:]

    @property
    def discount(self) -> float:
        """The discount the alternate price took that day (deepened in default), as priced."""
        return self.quote.alternate_discount

    @property
    def holder_shares(self) -> int:
        """The converting holder's shares before the conversion (with affiliates), as priced."""
        assert self.quote.holder_shares is not None  # a notice is priced for its note's holder
        return self.quote.holder_shares

    @property
    def ownership_cap(self) -> float:
        """The converting holder's ownership cap that day (after any raise), as priced."""
        assert self.quote.ownership_cap is not None
        return self.quote.ownership_cap

    @property
    def alternate_applies(self) -> bool:
        """Whether the alternate price applied that day (False: the fixed price, the floor), as
        the quote was priced."""
        return self.quote.alternate_applies


def build_notice(terms: DealTerms, market: MarketData, events: Iterable[Event], *, notice_date: dt.date,
                 amount: float | None, note: str | None = None, source: str = "") -> ConversionNotice:
    """The notice of converting ``amount`` USD of ``note`` (default: the first note with principal
    outstanding; all of it without ``amount``) on ``notice_date``, on the deal's state that day."""
    quote, state = conversion_quote(terms, market, events, notice_date=notice_date, amount=amount, note=note)
    return notice_on(state, quote, notice_date=notice_date, note=note, source=source)


def notice_on(state: DealState, quote: CappedConversion, *, notice_date: dt.date, note: str | None = None,
              source: str = "") -> ConversionNotice:
    """:func:`build_notice` from the state the conversion ``quote`` was priced on (the ledger
    stopped before the conversions of ``notice_date``)."""
    terms = state.terms
    c = terms.conversion
    assert state.market is not None  # conversion_quote refuses a state without VWAPs
    through = c.window_includes_notice_day  # the window ends on the notice day
    end = notice_date + dt.timedelta(days=1) if through else notice_date
    days = state.market.calendar.sessions_before(end, c.alternate_price_days)
    values = state.market.window(np.datetime64(notice_date, "D"), c.alternate_price_days, what="notice date",
                                 through=through)[0]
    low = set(np.argsort(values, kind="stable")[: c.alternate_price_lowest].tolist())
    window = tuple((d.astype(dt.date), float(v), i in low) for i, (d, v) in enumerate(zip(days, values, strict=True)))
    average = state.market.lowest_average_on(notice_date, c.alternate_price_days, c.alternate_price_lowest,
                                             what="notice date", through=through)
    held = note_to_convert(state, note, notice_date)  # the note the quote converted
    return ConversionNotice(
        deal=terms.name, issuer=terms.issuer, note=held.name, notice_date=notice_date,
        principal_outstanding=held.principal, window=window, lowest_average=average,
        lowest=c.alternate_price_lowest, quote=quote, shares_outstanding=state.shares_outstanding,
        share_basis=share_basis(state), rounding=c.share_rounding, source=source,
        alternate_rule=alternate_rule(c, held.issue_date),
        floor_mode=c.floor_mode,
        price="close" if state.market.price_name == "closing price" else "VWAP",
    )


def alternate_rule(c: Any, issue_date: dt.date | None) -> str:
    """When the alternate price applies, in words (terms ``conversion.alternate_price_applies``
    and ``alternate_price_start_days``): said on a notice of a day it does not."""
    parts = []
    if c.alternate_price_applies == "in_default":
        parts.append("only while an event of default lasts")
    if c.alternate_price_start_days:
        start = f", on {day_text(issue_date + dt.timedelta(days=c.alternate_price_start_days))}" if issue_date else ""
        parts.append(f"from {c.alternate_price_start_days} days after the issue{start}")
    return "the deal's alternate price applies " + (" and ".join(parts) or "always")


NOTICE_COLUMNS = ("Item", "Value", "Unit", "How")
"""Columns of :func:`notice_rows`."""


def notice_rows(n: ConversionNotice) -> list[tuple[str, Any, str, str]]:
    """The notice as rows of :data:`NOTICE_COLUMNS` (the same calculation as
    :func:`notice_lines`, one figure a row): prices USD/share, amounts USD, the cap a fraction
    (its unit ``%``: shown as a percentage)."""
    q = n.quote
    rows: list[tuple[str, Any, str, str]] = [
        ("Deal", None, "", f"{n.deal}; {n.issuer}"),
        ("Note", n.note, "", f"share basis: {n.share_basis}"),
        ("Notice (conversion) date", n.notice_date, "date", ""),
        ("Principal outstanding", n.principal_outstanding, "USD", "the note's, before the conversion"),
        ("Principal to convert", q.principal_requested, "USD", ""),
    ]
    if n.alternate_applies:
        for d, v, low in n.window:
            rows.append((f"{n.price_label} {day_text(d)}", v, "USD/share",
                         f"among the {n.lowest} lowest" if low else ""))
        rows += [
            (f"Average of the {n.lowest} lowest", n.lowest_average, "USD/share",
             f"of the {len(n.window)} {n.prices} above"),
            ("1. Alternate price", q.alternate_price, "USD/share", f"{1 - n.discount:.1%} of the average"),
        ]
    else:
        rows.append(("1. Alternate price", None, "USD/share", f"none on {day_text(n.notice_date)}: {n.alternate_rule}"))
    rows += [
        ("2. Fixed price", q.fixed_price, "USD/share", "as it stands on the notice date"),
        ("3. Floor price", None, "USD/share", "none: the deal has no floor") if n.floor_mode == "none"
        else ("3. Floor price", q.floor_price, "USD/share", ""),
        ("4. Conversion price", q.conversion_price, "USD/share", _conversion_how(n, short=True)),
        ("5. Holder's shares", n.holder_shares, "shares", f"of {n.shares_outstanding:,} outstanding"),
        ("   Ownership cap", n.ownership_cap, "%", f"at most {q.cap_shares:,} new shares keep it"),
        ("   Principal converted", q.principal_converted, "USD",
         f"CAPPED: {_usd(q.principal_requested - q.principal_converted)} stays as principal" if q.capped
         else "within the cap: the whole amount converts"),
        ("6. Shares to deliver", q.shares, "shares", f"{_usd(q.converted)} / {_px(q.conversion_price)}, rounded "
         f"{n.rounding}"),
    ]
    if _floor_pays(n):
        rows += [
            (f"   {n.price_label} on the conversion date", q.vwap,
             "USD/share", ""),
            ("7. Floor payment (cash)", q.floor_payment, "USD",
             f"({_usd(q.converted)} / {_px(q.unfloored_price)} - {_usd(q.converted)} / {_px(q.floor_price)}) x "
             f"{n.price}"),
        ]
    else:
        rows.append(("7. Floor payment (cash)", q.floor_payment, "USD", f"none: {_no_floor_payment(n)}"))
    return rows


def _floor_pays(n: ConversionNotice) -> bool:
    """Whether the notice shows a floor payment's calculation (the floor binds, with cash)."""
    return n.quote.floor_binds and n.floor_mode == "make_up" and n.quote.vwap is not None


def _no_floor_payment(n: ConversionNotice) -> str:
    """Why no floor payment is due."""
    if n.floor_mode == "none":
        return "the deal has no floor"
    if n.quote.floor_binds:
        return "floor rule cap: the floor stops the price, no cash"
    return "the floor does not bind"


def _conversion_how(n: ConversionNotice, *, short: bool = False) -> str:
    """How the conversion price comes from prices 1 to 3 (``short``: the Notice sheet's How)."""
    q = n.quote
    if n.alternate_applies:
        base = f"lower of 1 and 2 ({_px(q.unfloored_price)})" if short else \
            f"lower of fixed and alternate {_px(q.unfloored_price)}"
    else:
        base = "2, the fixed price (no alternate price that day)" if short else "the fixed price"
    if n.floor_mode == "none":
        return base
    floor = "3" if short else "the floor"
    return f"{base}, not below {floor}: the floor " + ("binds" if q.floor_binds else "does not bind")


def _usd(x: float) -> str:
    return f"${x:,.2f}"


def _px(x: float) -> str:
    return f"${x:,.5f}"


def _ending(n: ConversionNotice) -> str:
    """How the window relates to the notice day: "before", or "ending on" when it holds it."""
    return "ending on" if n.window and n.window[-1][0] == n.notice_date else "before"


def notice_lines(n: ConversionNotice) -> list[str]:
    """The notice as lines of at most 78 characters."""
    q = n.quote
    lines = [
        f"CONVERSION NOTICE - {n.deal}",
        f"{n.issuer}",
        "",
        f"Note: {n.note}    Notice (conversion) date: {day_text(n.notice_date)}",
        f"Principal to convert: {_usd(q.principal_requested)} of {_usd(n.principal_outstanding)} outstanding",
        f"The deal as of the notice date: {n.source or 'the terms alone'}",
        f"(share basis: {n.share_basis}).",
        "",
    ]
    if n.alternate_applies:
        lines += [
            f"1. Alternate price: {1 - n.discount:.1%} of the average of the {n.lowest} lowest of the",
            f"   {len(n.window)} {n.prices} {_ending(n)} {day_text(n.notice_date)} (* = among the lowest)",
        ]
        for d, v, low in n.window:
            lines.append(f"     {day_text(d)}  {_px(v):>12}{'  *' if low else ''}")
        lines.append(f"   average of the {n.lowest} lowest {_px(n.lowest_average)} x {1 - n.discount:.1%} = "
                     f"{_px(q.alternate_price)}")
    else:
        lines += [f"1. Alternate price: none on {day_text(n.notice_date)}",
                  f"   ({n.alternate_rule})"]
    lines += [
        f"2. Fixed price, as it stands on the notice date: {_px(q.fixed_price)}",
        "3. Floor price: none (the deal has no floor)" if n.floor_mode == "none" else f"3. Floor price: {_px(q.floor_price)}",
    ]
    if n.floor_mode == "none":
        lines.append(f"4. Conversion price: {_conversion_how(n)}: {_px(q.conversion_price)}")
    else:
        lines += [
            f"4. Conversion price: {_conversion_how(n).rsplit(': ', 1)[0]}:",
            f"   {_px(q.conversion_price)}" + ("  (the floor binds)" if q.floor_binds else "  (the floor does not bind)"),
        ]
    lines += [
        f"5. Ownership cap {n.ownership_cap:.2%}: the holder has {n.holder_shares:,} of {n.shares_outstanding:,}",
        f"   shares; at most {q.cap_shares:,} new shares keep it at or below the cap.",
    ]
    if q.capped:
        lines.append(f"   CAPPED: {_usd(q.principal_converted)} converts; "
                     f"{_usd(q.principal_requested - q.principal_converted)} stays as principal.")
    else:
        lines.append("   Within the cap: the whole amount converts.")
    lines += [
        f"6. Shares to deliver: {_usd(q.converted)} / {_px(q.conversion_price)} = {q.shares:,} "
        f"(rounded {n.rounding})",
    ]
    if _floor_pays(n) and q.vwap is not None:
        lines += [
            f"7. Floor payment (cash): ({_usd(q.converted)} / {_px(q.unfloored_price)} - "
            f"{_usd(q.converted)} / {_px(q.floor_price)})",
            f"   x {n.price} {_px(q.vwap)} on {day_text(n.notice_date)} = {_usd(q.floor_payment)}",
        ]
    else:
        lines.append(f"7. Floor payment: none ({_no_floor_payment(n)})")
    lines += [
        "",
        f"Deliver {q.shares:,} shares and pay {_usd(q.floor_payment)} in cash.",
    ]
    return lines


def write_notice_pdf(n: ConversionNotice, path: str | os.PathLike[str]) -> Path:
    """The notice as a one-page A4 PDF, written atomically (the previous file kept as .bak)."""
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    from ascent_xl.fileio import atomic_write

    fig = Figure(figsize=(8.27, 11.69))
    FigureCanvasPdf(fig)
    lines = notice_lines(n)
    top, step = 0.94, 0.0175
    fig.text(0.08, top, lines[0], fontsize=13, fontweight="bold", family="DejaVu Sans", parse_math=False)
    for i, line in enumerate(lines[1:], 1):
        bold = line.startswith(("Deliver", "   CAPPED"))
        fig.text(0.08, top - 0.01 - i * step, line, fontsize=9, family="DejaVu Sans Mono",
                 fontweight="bold" if bold else "normal", parse_math=False)
    fig.text(0.08, 0.04, "Computed by ascent-xl from the deal's terms, events and VWAPs as traded; "
             "check against the agreement.", fontsize=7, color="0.4", parse_math=False)

    def save(tmp: Path) -> None:
        fig.savefig(tmp, format="pdf")

    return atomic_write(path, save)


__all__ = ["NOTICE_COLUMNS", "ConversionNotice", "build_notice", "notice_lines", "notice_on", "notice_rows",
           "write_notice_pdf"]
