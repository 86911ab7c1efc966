"""Interest: day counts, accrual between two dates, interest dates and the interest due on each.

Day counts (``basis``):

- ``30/360``  — US 30/360 (bond basis, ISDA 2006 4.16(f)): day 31 counts as day 30; an end
  date on the 31st counts as the 30th only when the start is on the 30th or 31st.
- ``30E/360`` — Eurobond 30/360: any 31st counts as the 30th.
- ``ACT/365`` — actual days / 365 (fixed).
- ``ACT/360`` — actual days / 360.

Accrual over adjacent periods adds up exactly under ACT/365, ACT/360 and 30E/360. Under US 30/360
it adds up unless a boundary date is the 31st of a month: that rule makes the day count depend on
the start date (QuantLib's ``Thirty360(BondBasis)`` does the same).

Interest dates are the last days of the note's interest months after the issue date, and the
maturity date. They are not moved for weekends; payment falls on the next business day, but
interest accrues to the nominal date.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ascent_xl.errors import InputError
from ascent_xl.money import check_amount, round_cents

if TYPE_CHECKING:
    from ascent_xl.terms import NoteTerms

BASES = ("30/360", "30E/360", "ACT/365", "ACT/360")
_ALIASES = {
    "30/360": "30/360",
    "30/360US": "30/360",
    "BOND": "30/360",
    "30U/360": "30/360",
    "30E/360": "30E/360",
    "EUROBOND": "30E/360",
    "ACT/365": "ACT/365",
    "ACT/365F": "ACT/365",
    "ACTUAL/365": "ACT/365",
    "A/365": "ACT/365",
    "ACT/360": "ACT/360",
    "ACTUAL/360": "ACT/360",
    "A/360": "ACT/360",
}


def normalise_basis(basis: str) -> str:
    """The canonical name of a day-count basis, or an :class:`InputError` listing the choices."""
    key = str(basis).strip().upper().replace(" ", "")
    try:
        return _ALIASES[key]
    except KeyError:
        raise InputError(f"basis {basis!r}: use one of {', '.join(BASES)}") from None


def day_count(start: dt.date, end: dt.date, basis: str) -> int:
    """Days from ``start`` to ``end`` under ``basis`` (30/360 variants count 30-day months).

    Examples
    --------
    >>> import datetime as dt
    >>> day_count(dt.date(2022, 12, 19), dt.date(2023, 3, 31), "30/360")
    102
    >>> day_count(dt.date(2022, 12, 19), dt.date(2023, 3, 31), "ACT/365")
    102
    """
    b = normalise_basis(basis)
    if b in ("ACT/365", "ACT/360"):
        return (end - start).days
    d1, d2 = start.day, end.day
    if b == "30/360":
        d1 = min(d1, 30)
        if d2 == 31 and d1 == 30:
            d2 = 30
    else:
        d1, d2 = min(d1, 30), min(d2, 30)
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def year_fraction(start: dt.date, end: dt.date, basis: str) -> float:
    """Fraction of a year from ``start`` to ``end`` under ``basis``."""
    b = normalise_basis(basis)
    return day_count(start, end, b) / (365.0 if b == "ACT/365" else 360.0)


def accrued_interest(
    principal: float, start: dt.date, end: dt.date, *, rate: float, basis: str
) -> float:
    """Simple interest on ``principal`` (USD) at annual ``rate`` (0.045 = 4.5%) from ``start``
    to ``end`` under ``basis``, unrounded USD.

    Examples
    --------
    >>> import datetime as dt
    >>> round(accrued_interest(12_500_000, dt.date(2023, 3, 31), dt.date(2023, 6, 30),
    ...                        rate=0.045, basis="30/360"), 2)
    140625.0
    """
    check_amount(principal, "principal", allow_zero=True)
    if not 0 <= rate < 1:
        raise InputError(f"rate {rate}: give an annual rate as a fraction (4.5% is 0.045)")
    if end < start:
        raise InputError(f"to_date {end} is before from_date {start}; swap them")
    return principal * rate * year_fraction(start, end, basis)


def accrued_in_period(
    principal: float, period_start: dt.date, start: dt.date, end: dt.date, *, rate: float, basis: str
) -> float:
    """Interest on ``principal`` (USD) from ``start`` to ``end`` inside the interest period that
    began on ``period_start``, rounded to the cent: the difference of the day counts from the
    period's start, so that the pieces of a period add up to the period's interest on every
    basis (under US 30/360 the count to a 31st depends on the period's start). Zero when ``end``
    is not after ``start``.

    Examples
    --------
    >>> import datetime as dt
    >>> accrued_in_period(1_000_000, dt.date(2023, 3, 31), dt.date(2023, 4, 17), dt.date(2023, 5, 15),
    ...                   rate=0.045, basis="30/360")
    3500.0
    """
    if end <= start:
        return 0.0
    yf = year_fraction(period_start, end, basis) - year_fraction(period_start, start, basis)
    return round_cents(principal * rate * yf)


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month."""
    return dt.date(year, month, _cal.monthrange(year, month)[1])


def interest_dates(issue_date: dt.date, maturity: dt.date | None, months: tuple[int, ...]) -> list[dt.date]:
    """Interest dates: month ends of ``months`` strictly after issue and before maturity, then
    maturity. An instrument without maturity (``None``, a convertible preferred) and without
    coupon (no ``months``) has none.

    Examples
    --------
    >>> import datetime as dt
    >>> [str(d) for d in interest_dates(dt.date(2022, 12, 19), dt.date(2024, 6, 19), (3, 6, 9, 12))]
    ['2022-12-31', '2023-03-31', '2023-06-30', '2023-09-30', '2023-12-31', '2024-03-31', '2024-06-19']
    >>> interest_dates(dt.date(2023, 2, 7), None, ())
    []
    """
    if maturity is None:
        if months:
            raise InputError(f"interest months {list(months)} without maturity: a coupon without maturity "
                             "is not modelled")
        return []
    if maturity <= issue_date:
        raise InputError(f"maturity {maturity} is not after issue {issue_date}")
    out = []
    year, month = issue_date.year, issue_date.month
    while True:
        d = month_end(year, month)
        if d >= maturity:
            break
        if d > issue_date and month in months:
            out.append(d)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    out.append(maturity)
    return out


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    """One interest period of a note: accrual from ``start`` to ``end`` (the interest date)."""

    start: dt.date
    end: dt.date
    days: int
    year_fraction: float
    principal: float
    interest: float  # USD, rounded to the cent


def interest_schedule(note: NoteTerms, *, principal: float | None = None) -> list[InterestPeriod]:
    """The note's interest periods on a constant ``principal`` (default: its face).

    Interest per period is rounded half up to the cent. The ledger computes the real schedule as
    principal changes; this is the contractual schedule with no conversions.
    """
    p = note.face if principal is None else principal
    out = []
    start = note.accrual_start  # the issue date, or the day before (interest_counts_issue_day)
    for end in interest_dates(note.issue_date, note.maturity, note.interest_months):
        days = day_count(start, end, note.day_count)
        yf = year_fraction(start, end, note.day_count)
        interest = round_cents(accrued_interest(p, start, end, rate=note.rate, basis=note.day_count))
        out.append(InterestPeriod(start, end, days, yf, p, interest))
        start = end
    return out
