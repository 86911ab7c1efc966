"""Pricing rules of an advance note: pure functions of terms, amounts and market data.

Every rule takes its deal numbers as keyword arguments (``premium=``, ``days=`` ...), so the
same function prices any deal of the family; :func:`quote_conversion` fills them from a
:class:`~ascent_xl.terms.DealTerms`. Functions that take a ``notice_date`` also take an array of
dates and then return an array, computed in one vectorised pass.

Units: prices in USD per share, amounts in USD, shares as whole numbers after rounding.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ascent_xl.calendar import as_day, as_days, day_text
from ascent_xl.errors import InputError, MarketDataError
from ascent_xl.market import MarketData
from ascent_xl.money import (
    NumberFormatError,
    check_amount,
    check_amounts,
    round_cents,
    round_shares,
    to_float,
    whole_units,
)
from ascent_xl.terms import (
    ConversionTerms,
    DealTerms,
    DefaultTerms,
    WarrantTerms,
    check_floor,
    check_term,
)

# ---------------------------------------------------------------------------------------------
# VWAP averages


def _dates(value: Any) -> tuple[np.ndarray, bool]:
    """Dates as a datetime64[D] array and whether the input was a single date."""
    if isinstance(value, (list, tuple, np.ndarray)) and not isinstance(value, str):
        return as_days(value), False
    return np.array([as_day(value)]), True


def _out(values: np.ndarray, scalar: bool) -> Any:
    return float(values[0]) if scalar else values


def _require_sessions(market: MarketData, days: np.ndarray, what: str) -> None:
    market.calendar.check_span(days, what)
    closed = ~market.calendar.sessions_mask(days)
    if closed.any():
        raise MarketDataError(f"{what} {day_text(days[np.argmax(closed)])}: not a trading day")


def fixed_conversion_price(
    market: MarketData, *, issue_date: Any, premium: float, days: int
) -> float:
    """Fixed conversion price: ``(1 + premium)`` × the average VWAP of the ``days`` trading days
    immediately before ``issue_date`` (USD/share).

    Examples
    --------
    >>> m = MarketData.from_lists(
    ...     ["2022-12-12", "2022-12-13", "2022-12-14", "2022-12-15", "2022-12-16"],
    ...     [3.154, 3.089, 3.012, 2.972, 2.890])
    >>> round(fixed_conversion_price(m, issue_date="2022-12-19", premium=0.30, days=5), 5)
    3.93042
    """
    premium = check_term(ConversionTerms, "fixed_price_premium", premium, label="premium")
    days = check_term(ConversionTerms, "fixed_price_days", days, label="days")
    window = market.window(as_day(issue_date), days, what="issue date")
    return float((1.0 + premium) * window.mean())


def alternate_conversion_price(
    market: MarketData,
    *,
    notice_date: Any,
    discount: float,
    days: int,
    lowest: int,
    what: str = "notice date",
    require_trading_day: bool = True,
    include_notice_day: bool = False,
) -> Any:
    """Alternate conversion price: ``(1 - discount)`` × the average of the ``lowest`` lowest
    VWAPs among the ``days`` trading days immediately before the notice date (USD/share); with
    ``include_notice_day`` (term ``conversion.window_includes_notice_day``), the ``days`` trading
    days ending on and including the notice date. ``days = 2, lowest = 1`` with the notice day
    is "the lesser of the VWAP of the day before and of the day of the notice".

    The notice date must be a trading day (unless ``require_trading_day`` is False, as for a
    default's demand date); ``what`` names it in errors. ``notice_date`` may be an array: the
    result is then an array, computed in one pass. A :class:`datetime.date` is served from the
    market data's cached table of window averages (the ledger prices date by date).
    """
    discount = check_term(ConversionTerms, "alternate_price_discount", discount, label="discount")
    days = check_term(ConversionTerms, "alternate_price_days", days, label="days")
    lowest = check_term(ConversionTerms, "alternate_price_lowest", lowest, label="lowest")
    return (1.0 - discount) * _lowest_average_before(market, notice_date, days, lowest, what, require_trading_day,
                                                     through=bool(include_notice_day))


def default_conversion_price(
    market: MarketData, *, default_date: Any, factor: float, days: int, lowest: int
) -> Any:
    """Default (reset) conversion price: ``factor`` × the average of the ``lowest`` lowest VWAPs
    among the ``days`` trading days immediately before ``default_date`` (USD/share)."""
    factor = check_term(DefaultTerms, "reset_factor", factor, label="factor")
    days = check_term(DefaultTerms, "reset_days", days, label="days")
    lowest = check_term(DefaultTerms, "reset_lowest", lowest, label="lowest")
    return factor * _lowest_average_before(market, default_date, days, lowest, "default date", False)


def _lowest_average_before(
    market: MarketData, day: Any, days: int, lowest: int, what: str, require_trading_day: bool,
    *, through: bool = False,
) -> Any:
    """The lowest-VWAP average of the window before ``day`` (one date or an array of them; with
    ``through``, the window ending on and including it)."""
    if lowest > days:
        raise InputError(f"lowest {lowest} is more than days {days}")
    if type(day) is dt.date:
        if require_trading_day:
            found = market.calendar.date_index(day)
            if found is None or not found[1]:
                raise MarketDataError(f"{what} {day}: not a trading day")
        return market.lowest_average_on(day, days, lowest, what=what, through=through)
    refs, scalar = _dates(day)
    if require_trading_day:
        _require_sessions(market, refs, what)
    return _out(market.lowest_averages(refs, days, lowest, what=what, through=through), scalar)


# ---------------------------------------------------------------------------------------------
# a split nobody told us about


class SplitJumpError(MarketDataError):
    """A look-back window crosses a VWAP jump that a split would explain and no Split event
    covers. ``before`` / ``after`` are the two trading days, ``ratio`` the move between them."""

    def __init__(self, message: str, *, before: dt.date, after: dt.date, ratio: float) -> None:
        super().__init__(message)
        self.before, self.after, self.ratio = before, after, ratio


def check_split_jumps(market: MarketData, notice_date: Any, *, days: int, threshold: float,
                      since: dt.date | None = None, what: str = "notice date",
                      genuine: Iterable[dt.date] = (), way_out: str = "say there was no split") -> None:
    """Refuse to price a notice whose look-back window (the ``days`` sessions before it) or the
    step from the window to the notice date's own VWAP holds a day-over-day VWAP move of
    ``threshold`` times or more, up or down: a split would explain it, and the VWAPs on the two
    sides are then on different share bases. VWAPs restated for the deal's Split events (as the
    ledger's state holds them) show no such jump. ``notice_date`` may be an array of dates.

    With ``since`` (the issue date, when the fixed price and the floor are the terms' as issued),
    every day from ``since`` to the notice date is checked: prices set on ``since`` and VWAPs
    after a split are on different bases too. A jump onto a day in ``genuine`` (the ledger's Split
    rows with Value ``none``: "no split that day") is a real move and is not refused. The message
    ends with ``way_out``: how the caller's user says there was no split.

    Examples
    --------
    >>> m = MarketData.from_lists(["2023-09-08", "2023-09-11", "2023-09-12"], [0.058, 0.057, 11.40])
    >>> check_split_jumps(m, "2023-09-13", days=3, threshold=4.0)
    Traceback (most recent call last):
    ...
    ascent_xl.pricing.SplitJumpError: notice date 2023-09-13: the VWAP jumps from $0.0570 on 2023-09-11 to $11.4000 on 2023-09-12 (x200.0), inside the 3 days priced; a split would explain it. Give the Split event of 2023-09-12, or say there was no split
    """
    threshold = check_term(ConversionTerms, "split_jump_threshold", threshold, label="threshold")
    refs, _ = _dates(notice_date)
    real = tuple(sorted(set(genuine)))
    key = ("jumps", threshold, real)
    counts = market._cache.get(key)
    v = market.vwap
    if counts is None:
        move = np.ones(len(v))
        move[1:] = v[1:] / v[:-1]  # VWAPs are positive or NaN: no division warning
        jump = (move >= threshold) | (move <= 1.0 / threshold)  # NaN compares False
        if real:
            jump &= ~np.isin(market.dates, np.array(real, dtype="datetime64[D]"))
        counts = np.concatenate([[0], np.cumsum(jump)])  # counts[i]: jumps at positions < i
        market._cache[key] = counts
    if counts[-1] == 0:
        return
    pos = np.asarray(market.calendar.count_before(refs)) - market.start
    hi = np.clip(pos, 0, len(v) - 1)  # the notice date's own VWAP, where the data has it
    lo = np.clip(pos - days + 1, 0, len(v))  # the window's second day: a jump into it counts
    if since is not None:
        first = int(market.calendar.count_before(as_day(since))) - market.start + 1
        lo = np.minimum(lo, max(first, 0))
    found = counts[hi + 1] - counts[lo] > 0
    if not found.any():
        return
    k = int(np.argmax(found))
    i = int(lo[k]) + int(np.argmax(np.diff(counts[lo[k]: hi[k] + 2]) > 0))
    before, after = market.dates[i - 1].item(), market.dates[i].item()
    ratio = float(v[i] / v[i - 1])
    raise SplitJumpError(
        f"{what} {day_text(refs[k])}: the VWAP jumps from ${v[i - 1]:,.4f} on {before} to ${v[i]:,.4f} on "
        f"{after} (x{ratio:,.1f}), " + (f"since {since}" if since is not None else f"inside the {days} days priced")
        + "; a split would explain it. Give the Split "
        f"event of {after}, or {way_out}",
        before=before, after=after, ratio=ratio,
    )


# ---------------------------------------------------------------------------------------------
# conversion


def unfloored_price(*, fixed_price: Any, alternate_price: Any) -> Any:
    """The lower of the fixed and the alternate conversion price (before the floor)."""
    fixed = _positive(fixed_price, "fixed_price")
    alt = _positive(alternate_price, "alternate_price")
    if isinstance(fixed, float) and isinstance(alt, float):
        return min(fixed, alt)
    return np.minimum(fixed, alt)


def floor_binds(*, unfloored_price: Any, floor_price: Any, floor_mode: str) -> Any:
    """Whether the floor sets the price: the unfloored price is below ``floor_price`` and the
    deal has a floor (``floor_mode`` make_up or cap; never with none). Element-wise on arrays.

    The one place the floor mode is read: :func:`conversion_price` and :func:`floor_payment`
    (hence :func:`quote_conversions`, :func:`capped_conversion` and the ledger) ask it.
    """
    mode = check_term(ConversionTerms, "floor_mode", floor_mode)
    below = np.asarray(unfloored_price, dtype=float) < np.asarray(floor_price, dtype=float)
    binds = below & (mode != "none")
    return bool(binds) if np.ndim(binds) == 0 else binds


def conversion_price(
    *, fixed_price: Any, alternate_price: Any, floor_price: float, floor_mode: str = "make_up"
) -> Any:
    """Conversion price: the lower of the fixed and the alternate price, raised to the floor
    where it binds (:func:`floor_binds`; with ``floor_mode`` none there is no floor)
    (USD/share). Works element-wise on arrays.

    Examples
    --------
    >>> conversion_price(fixed_price=3.93042, alternate_price=0.25, floor_price=0.29)
    0.29
    >>> conversion_price(fixed_price=3.93042, alternate_price=0.25, floor_price=0.29,
    ...                  floor_mode="none")
    0.25
    """
    floor = check_term(ConversionTerms, "floor_price", floor_price)
    check_floor(floor_price=floor, floor_mode=floor_mode)
    return price_notice(fixed_price=fixed_price, alternate_price=alternate_price, floor_price=floor,
                        floor_mode=floor_mode).conversion_price


def conversion_shares(amount: Any, price: Any, *, rounding: str) -> Any:
    """Shares for converting ``amount`` USD at ``price`` USD/share, rounded by ``rounding``
    (up, down, nearest).

    Examples
    --------
    >>> conversion_shares(12_500_000, 3.93042, rounding="up")
    3180322
    """
    if np.ndim(amount) == 0 and np.ndim(price) == 0:
        a = check_amount(amount, "amount")
        p = _positive(price, "price")
        return round_shares(a / p, rounding)
    arr = check_amounts(amount, "amount")
    return round_shares(arr / _positive(price, "price"), rounding)


def floor_payment(
    amount: Any, *, unfloored_price: Any, floor_price: Any, vwap: Any, floor_mode: str = "make_up"
) -> Any:
    """Cash make-up when the floor binds, in USD rounded to the cent:
    ``(amount / unfloored_price - amount / floor_price) × vwap`` with unrounded share counts;
    zero when ``unfloored_price`` is at or above ``floor_price``, and always zero unless
    ``floor_mode`` is make_up (cap: the price stops at the floor, no cash; none: no floor).

    Examples
    --------
    >>> floor_payment(100_000, unfloored_price=0.25, floor_price=0.29, vwap=0.27)
    14896.55
    >>> floor_payment(100_000, unfloored_price=0.25, floor_price=0.29, vwap=0.27,
    ...               floor_mode="cap")
    0.0
    """
    a = np.asarray(amount, dtype=float)
    u = _positive(unfloored_price, "unfloored_price")
    v = _positive(vwap, "vwap")
    binds = floor_binds(unfloored_price=u, floor_price=floor_price, floor_mode=floor_mode)
    if floor_mode == "make_up" and np.any(binds):
        f = _positive(floor_price, "floor_price")
        pay = np.where(binds, (a / u - a / f) * v, 0.0)
    else:
        pay = np.zeros(np.broadcast(a, u, v).shape)
    out = round_cents(pay)
    return float(out) if np.ndim(out) == 0 else out


class NoticePrice(NamedTuple):
    """The price of a conversion notice (:func:`price_notice`): element-wise on arrays."""

    unfloored_price: Any  # the lower of the fixed and the alternate price, USD/share
    conversion_price: Any  # raised to the floor where it binds, USD/share
    floor_binds: Any  # the floor sets the price (never under floor_mode none)
    floor_pays: Any  # a floor payment is due (the floor binds and floor_mode is make_up)


def price_notice(*, fixed_price: Any, alternate_price: Any, floor_price: Any, floor_mode: str) -> NoticePrice:
    """The one conversion rule: the conversion price of a notice from its fixed and alternate
    prices and the floor, whether the floor binds and whether a floor payment is due.

    Everything that prices a conversion calls it - :func:`capped_conversion` (the ledger, the
    deal snapshot, :func:`quote_conversion`), :func:`quote_conversions` (the CLI, the UDFs),
    the conversion UDFs and the per-path valuation baseline; the vectorised Monte Carlo kernel
    keeps its own copy, tested against :func:`capped_conversion` feature by feature. Scalars
    give scalars, arrays arrays.

    Examples
    --------
    >>> price_notice(fixed_price=3.93042, alternate_price=0.25, floor_price=0.29, floor_mode="make_up")
    NoticePrice(unfloored_price=0.25, conversion_price=0.29, floor_binds=True, floor_pays=True)
    >>> price_notice(fixed_price=3.93042, alternate_price=0.25, floor_price=0.29, floor_mode="cap").floor_pays
    False
    """
    raw = unfloored_price(fixed_price=fixed_price, alternate_price=alternate_price)
    binds = floor_binds(unfloored_price=raw, floor_price=floor_price, floor_mode=floor_mode)
    pays = binds & (floor_mode == "make_up")
    if isinstance(raw, float):
        return NoticePrice(raw, float(floor_price) if binds else raw, bool(binds), bool(pays))
    return NoticePrice(raw, np.where(binds, floor_price, raw), binds, pays)


def quote_conversion(
    terms: DealTerms,
    market: MarketData,
    *,
    notice_date: Any,
    amount: float,
    fixed_price: float | None = None,
    floor_price: float | None = None,
    no_split: bool = False,
    way_out: str = "say there was no split",
) -> ConversionQuote:
    """Price one conversion of ``amount`` USD of principal on ``notice_date`` under ``terms``,
    with no holder's cap (:func:`capped_conversion` without ``holder_shares``).

    ``fixed_price`` and ``floor_price`` default to the terms (the fixed price is computed from
    the VWAPs before the first note's issue date when the terms do not set it). The VWAP on the
    conversion date is needed only when a floor payment is due. A window across a VWAP jump a
    split would explain is refused (:func:`check_split_jumps`, its message ending ``way_out``)
    unless ``no_split`` says there was none.
    """
    c = terms.conversion
    market = market.priced_by(c.price_source)
    day = as_day(notice_date).item()
    if not isinstance(day, dt.date):
        raise InputError(f"notice date {notice_date!r}: write it as YYYY-MM-DD")
    fixed = resolve_fixed_price(terms, market) if fixed_price is None else fixed_price
    fixed = float(check_term(ConversionTerms, "fixed_price", fixed))
    floor = c.floor_price if floor_price is None else float(floor_price)
    amount = whole_cents(check_amount(amount, "amount"), name="amount")
    if not no_split:  # the fixed price and floor are the terms' as issued: check from the issue on
        check_split_jumps(market, np.array([np.datetime64(day, "D")]), days=c.alternate_price_days,
                          threshold=c.split_jump_threshold, since=terms.closing,
                          way_out=way_out)
    from ascent_xl.family import alternate_applies  # the family's rules build on this module

    # without events no default (as quote_conversions)
    alternate = alternate_applies(applies=c.alternate_price_applies, start_days=c.alternate_price_start_days,
                                  issue_date=terms.closing, notice_date=day,
                                  in_default=False)
    return capped_conversion(market, conversion=c, notice_date=day, principal=float(amount),
                             fixed_price=fixed, floor_price=floor, alternate=bool(alternate))


def quote_conversions(
    terms: DealTerms,
    market: MarketData,
    *,
    notice_dates: Any,
    amounts: Any,
    fixed_price: float | None = None,
    floor_price: float | None = None,
    no_split: bool = False,
    way_out: str = "say there was no split",
) -> dict[str, np.ndarray]:
    """Vector form of :func:`quote_conversion` (same rule, :func:`price_notice`, in one pass):
    one array per field of :class:`ConversionQuote` a quote without a cap fills -
    ``notice_date``, ``amount``, ``fixed_price``, ``alternate_price`` (the fixed price where
    ``alternate_applies`` is False), ``alternate_applies``, ``unfloored_price``,
    ``floor_price``, ``conversion_price``, ``floor_binds``, ``shares``, ``floor_payment``,
    ``vwap`` (NaN where unknown and not needed).

    ``amounts`` is one amount or one per notice date. A window that crosses a VWAP jump a split
    would explain is refused (:func:`check_split_jumps`, its message ending ``way_out``) unless
    ``no_split`` says there was none.
    """
    c = terms.conversion
    market = market.priced_by(c.price_source)
    refs = as_days(notice_dates)
    amt = np.broadcast_to(np.asarray(amounts), refs.shape).astype(float)
    check_amounts(amt, "amount")
    fixed = resolve_fixed_price(terms, market) if fixed_price is None else fixed_price
    fixed = float(check_term(ConversionTerms, "fixed_price", fixed))
    floor = c.floor_price if floor_price is None else float(floor_price)
    floor = check_term(ConversionTerms, "floor_price", floor)
    check_floor(floor_price=floor, floor_mode=c.floor_mode)
    from ascent_xl.family import alternate_applies  # the family's rules build on this module

    # without events no default: an alternate that applies in default only, or from a number of
    # days after the first issue, gives way to the fixed price where it does not apply
    applies = np.broadcast_to(alternate_applies(
        applies=c.alternate_price_applies, start_days=c.alternate_price_start_days,
        issue_date=terms.closing, notice_date=refs, in_default=False), refs.shape)
    alt = np.full(refs.shape, fixed)
    if applies.any():
        alt[applies] = alternate_conversion_price(
            market,
            notice_date=refs[applies],
            discount=c.alternate_price_discount,
            days=c.alternate_price_days,
            lowest=c.alternate_price_lowest,
            include_notice_day=c.window_includes_notice_day,
        )
    if not no_split:  # the fixed price and floor are the terms' as issued: check from the issue on
        check_split_jumps(market, refs, days=c.alternate_price_days, threshold=c.split_jump_threshold,
                          since=terms.closing, way_out=way_out)
    q = price_notice(fixed_price=np.full(refs.shape, fixed), alternate_price=alt, floor_price=floor,
                     floor_mode=c.floor_mode)
    pays = q.floor_pays
    vwap = np.full(refs.shape, np.nan)
    if pays.any():
        vwap[pays] = market.vwap_on(refs[pays], what="conversion date (for the floor payment)")
    vwap[~pays] = _vwaps_if_present(market, refs[~pays])
    pay = np.zeros(refs.shape)
    if pays.any():
        pay[pays] = floor_payment(amt[pays], unfloored_price=q.unfloored_price[pays], floor_price=floor,
                                  vwap=vwap[pays], floor_mode=c.floor_mode)
    return {
        "notice_date": refs,
        "amount": amt,
        "fixed_price": np.full(refs.shape, fixed),
        "alternate_price": alt,
        "alternate_applies": applies.copy(),
        "unfloored_price": q.unfloored_price,
        "floor_price": np.full(refs.shape, floor),
        "conversion_price": q.conversion_price,
        "floor_binds": q.floor_binds,
        "shares": round_shares(amt / q.conversion_price, c.share_rounding),
        "floor_payment": pay,
        "vwap": vwap,
    }


@dataclass(frozen=True, slots=True)
class CappedConversion:
    """The one quote record: one conversion notice as the deal applies it, priced on the notice
    date (:func:`price_notice`), cut by the holder's ownership cap when the holder is known
    (interest converts first, the rest of the principal stays outstanding), with the floor
    payment where one is due. Prices USD/share, amounts USD. Without a holder (a plain quote,
    :func:`quote_conversion`) ``cap_shares`` and ``cap_amount`` are None and nothing is cut.
    ``ConversionQuote`` is the same class."""

    notice_date: dt.date
    principal_requested: float
    interest_requested: float
    fixed_price: float
    alternate_price: float
    unfloored_price: float
    floor_price: float
    conversion_price: float
    floor_binds: bool
    holder_shares: int | None  # the converting holder's shares before it (None: no holder)
    ownership_cap: float | None  # that holder's cap applied (None: no holder)
    cap_shares: int | None  # the most shares the holder may receive now under the cap
    cap_amount: float | None  # the most USD that converts now under the cap (max_conversion_amount)
    capped: bool
    principal_converted: float
    interest_converted: float
    shares: int
    vwap: float | None  # VWAP on the notice date (None when not needed and not in the data)
    floor_payment: float
    alternate_applies: bool  # False: no alternate price that day (``alternate_price`` is the fixed)
    alternate_discount: float  # the discount the alternate price takes that day (deepened in default)

    @property
    def converted(self) -> float:
        """Principal and interest converted, USD."""
        return self.principal_converted + self.interest_converted

    @property
    def amount(self) -> float:
        """Principal and interest the notice asks to convert, USD."""
        return self.principal_requested + self.interest_requested


ConversionQuote = CappedConversion
"""The quote record's other name (a quote is a capped conversion without a holder)."""


def capped_conversion(
    market: MarketData,
    *,
    conversion: ConversionTerms,
    notice_date: dt.date,
    principal: float,
    interest: float = 0.0,
    fixed_price: float,
    floor_price: float,
    holder_shares: int | None = None,
    shares_outstanding: int | None = None,
    cap: float | None = None,
    alternate: bool = True,
    unit: float = 0.0,
) -> CappedConversion:
    """Convert ``principal`` (and ``interest``) USD on ``notice_date`` as the ledger does: the
    conversion price from ``fixed_price``, the alternate price and ``floor_price``
    (:func:`price_notice`); above the ownership cap only what the cap allows converts (interest
    first); where a floor payment is due, the floor payment on what converts. ``market`` holds
    VWAPs on the current share basis. ``holder_shares`` are the converting holder's (with
    affiliates), ``shares_outstanding`` the deal's; ``cap`` is that holder's cap (default:
    ``conversion.ownership_cap``). Without ``holder_shares`` no cap applies (a plain quote).
    ``alternate`` False: the alternate price does not apply that day
    (:func:`ascent_xl.family.conversion_on`), the fixed price is the price before the floor (and
    is reported as the alternate). ``unit``: the principal converts in whole multiples of it (a
    preferred's stated value: whole preferred shares), so under the cap the largest whole
    number of them converts; 0: to the cent."""
    c = conversion
    principal = whole_cents(principal, name="principal")
    interest = whole_cents(interest, name="interest")
    alt = float(alternate_conversion_price(
        market, notice_date=notice_date, discount=c.alternate_price_discount,
        days=c.alternate_price_days, lowest=c.alternate_price_lowest,
        include_notice_day=c.window_includes_notice_day,
    )) if alternate else float(fixed_price)
    fixed_price = float(_positive(fixed_price, "fixed_price"))
    floor_price = float(check_term(ConversionTerms, "floor_price", floor_price))
    check_floor(floor_price=floor_price, floor_mode=c.floor_mode)
    pn = price_notice(fixed_price=fixed_price, alternate_price=alt, floor_price=floor_price, floor_mode=c.floor_mode)
    price = pn.conversion_price
    requested = principal + interest
    limit: int | None = None
    allowed: float | None = None
    capped = False
    if holder_shares is not None:
        if shares_outstanding is None:
            raise InputError("shares_outstanding: give it with holder_shares (the cap is a share of it)")
        cap = c.ownership_cap if cap is None else cap
        limit = max_conversion_shares(holder_shares=holder_shares, shares_outstanding=shares_outstanding, cap=cap)
        allowed = max_conversion_amount(conversion_price=price, holder_shares=holder_shares,
                                        shares_outstanding=shares_outstanding, cap=cap)
        capped = round_shares(requested / price, c.share_rounding) > limit
    if capped:
        assert allowed is not None
        interest_conv = min(interest, allowed)
        principal_conv = min(principal, round_cents(allowed - interest_conv))
        if unit:  # whole preferred shares: the largest number the cap allows
            principal_conv = whole_units(principal_conv, unit)
    else:
        interest_conv, principal_conv = interest, principal
    converted = principal_conv + interest_conv
    shares = int(round_shares(converted / price, c.share_rounding))  # 0 when nothing converts
    vwap, pay = None, 0.0
    if pn.floor_pays and converted > 0:
        vwap = market.vwap_on_date(notice_date, what="conversion date (for the floor payment)")
        pay = floor_payment(converted, unfloored_price=pn.unfloored_price, floor_price=floor_price, vwap=vwap,
                            floor_mode=c.floor_mode)
    else:
        known = _vwaps_if_present(market, np.array([np.datetime64(notice_date, "D")]))[0]
        vwap = None if np.isnan(known) else float(known)
    return CappedConversion(
        notice_date=notice_date, principal_requested=principal, interest_requested=interest,
        fixed_price=fixed_price, alternate_price=alt, unfloored_price=pn.unfloored_price, floor_price=floor_price,
        conversion_price=price, floor_binds=pn.floor_binds, holder_shares=holder_shares,
        ownership_cap=cap if holder_shares is not None else None, cap_shares=limit, cap_amount=allowed, capped=capped,
        principal_converted=principal_conv, interest_converted=interest_conv, shares=shares,
        vwap=vwap, floor_payment=pay, alternate_applies=bool(alternate),
        alternate_discount=float(c.alternate_price_discount),
    )


def _vwaps_if_present(market: MarketData, days: np.ndarray) -> np.ndarray:
    """VWAPs on ``days`` where the data has them, NaN elsewhere (no error)."""
    pos = np.asarray(market.calendar.count_before(days)) - market.start
    ok = (pos >= 0) & (pos < len(market.vwap)) & market.calendar.sessions_mask(days)
    out = np.full(days.shape, np.nan)
    out[ok] = market.vwap[pos[ok]]
    return out


def resolve_fixed_price(terms: DealTerms, market: MarketData | None) -> float:
    """The deal's fixed conversion price: the terms' ``fixed_price`` when set, else computed from
    the VWAPs before the earliest note's issue date."""
    c = terms.conversion
    if c.fixed_price is not None:
        return float(c.fixed_price)
    if c.fixed_price_average is not None:  # stated average: no VWAPs needed
        return (1.0 + c.fixed_price_premium) * c.fixed_price_average
    if market is None:
        raise InputError("conversion.fixed_price is blank and no VWAPs were given to compute it")
    issue = terms.closing
    return fixed_conversion_price(
        market, issue_date=issue, premium=c.fixed_price_premium, days=c.fixed_price_days
    )


# ---------------------------------------------------------------------------------------------
# defaults and redemptions


@dataclass(frozen=True, slots=True)
class DefaultAmount:
    """Mandatory default amount, USD (rounded to the cent): ``amount = max(parity, premium) +
    interest``, with ``interest`` the accrued interest added outside the greater-of (zero when
    the terms put it inside both candidates)."""

    parity: float
    premium: float
    interest: float
    amount: float
    basis: str  # "parity" or "premium": which candidate is larger


def mandatory_default_amount(
    principal: float,
    accrued_interest: float,
    *,
    price_at_demand: float,
    price_at_payment: float,
    vwap_at_demand: float,
    vwap_at_payment: float,
    premium: float,
    premium_on_interest: bool,
    parity_includes_interest: bool = False,
) -> DefaultAmount:
    """Mandatory default amount (supplement line 231): the sum of

    (a) the greater of (i) parity: principal / the lower of the conversion prices on the demand
        and payment dates x the higher of the VWAPs on those dates, and (ii) ``premium`` x
        principal; and
    (b) the accrued and unpaid interest.

    So ``max(P / price x VWAP, premium x P) + I``. Two readings of the translation are terms:
    ``premium_on_interest`` (the premium's base is principal and interest:
    ``max(P / price x VWAP, premium x (P + I)) + I``) and ``parity_includes_interest`` (an
    earlier reading: interest inside both candidates, nothing added after,
    ``max((P + I) / price x VWAP, premium x P + I)``).

    Examples
    --------
    >>> d = mandatory_default_amount(1_000_000, 10_000, price_at_demand=0.50,
    ...     price_at_payment=0.60, vwap_at_demand=0.70, vwap_at_payment=0.65, premium=1.20,
    ...     premium_on_interest=False)
    >>> d.amount, d.basis
    (1410000.0, 'parity')
    """
    p = check_amount(principal, "principal", allow_zero=True)
    i = check_amount(accrued_interest, "accrued_interest", allow_zero=True)
    prem = check_term(DefaultTerms, "redemption_premium", premium, label="premium")
    price = min(_positive(price_at_demand, "price_at_demand"), _positive(price_at_payment, "price_at_payment"))
    vwap = max(_positive(vwap_at_demand, "vwap_at_demand"), _positive(vwap_at_payment, "vwap_at_payment"))
    inside = i if parity_includes_interest else 0.0
    parity = round_cents((p + inside) / price * vwap)
    prem_amount = round_cents(prem * p + (prem * i if premium_on_interest else inside))
    outside = round_cents(i - inside)
    best, basis = (parity, "parity") if parity > prem_amount else (prem_amount, "premium")
    return DefaultAmount(parity, prem_amount, outside, round_cents(best + outside), basis)


def redemption_amount(
    principal: float, accrued_interest: float, *, premium: float, premium_on_interest: bool = False
) -> float:
    """Cash to redeem a note at ``premium`` x principal plus accrued interest, USD to the cent;
    with ``premium_on_interest``, ``premium`` x (principal + accrued interest).

    Serves the change-of-control put (105% x principal + interest on the registered note,
    line 223; 105% x (principal + interest) on the private note, line 265) and the optional
    prepayment (120% x principal + interest, line 237).

    Examples
    --------
    >>> redemption_amount(1_000_000, 5_000, premium=1.05)
    1055000.0
    >>> redemption_amount(1_000_000, 5_000, premium=1.05, premium_on_interest=True)
    1055250.0
    """
    p = check_amount(principal, "principal", allow_zero=True)
    i = check_amount(accrued_interest, "accrued_interest", allow_zero=True)
    if not 1 <= float(premium) < 10:
        raise InputError(f"premium {premium}: a multiple of principal, 105% is 1.05")
    return round_cents(float(premium) * (p + i) if premium_on_interest else float(premium) * p + i)


# ---------------------------------------------------------------------------------------------
# limits and adjustments


def max_conversion_shares(*, holder_shares: float, shares_outstanding: float, cap: float) -> int:
    """Largest number of new shares the holder may receive now so that its holding stays at or
    below ``cap`` of the shares outstanding after the issue: floor((cap × S − h) / (1 − cap))."""
    h = check_amount(holder_shares, "holder_shares", allow_zero=True)
    s = check_amount(shares_outstanding, "shares_outstanding", allow_zero=True)
    c = check_term(ConversionTerms, "ownership_cap", cap, label="cap")
    room = (c * s - h) / (1.0 - c)
    return max(0, math.floor(round(room, 6)))


def max_conversion_amount(
    *, conversion_price: float, holder_shares: float, shares_outstanding: float, cap: float
) -> float:
    """Largest principal (USD, rounded down to the cent) that converts now without taking the
    holder above ``cap``: the largest share count allowed × the conversion price.

    Examples
    --------
    >>> max_conversion_amount(conversion_price=1.0, holder_shares=0,
    ...                       shares_outstanding=1_000_000, cap=0.0499)
    52520.0
    """
    price = _positive(conversion_price, "conversion_price")
    n = max_conversion_shares(holder_shares=holder_shares, shares_outstanding=shares_outstanding, cap=cap)
    return float(np.floor(np.round(n * price * 100, 6)) / 100)


def split_ratio(value: Any) -> float:
    """New shares per old share from ``"1:200"`` (1 new for 200 old), ``"2:1"``, ``"1-for-200"``
    or a positive number.

    Examples
    --------
    >>> split_ratio("1:200"), split_ratio("3-for-1"), split_ratio(0.5)
    (0.005, 3.0, 0.5)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ratio = float(value)
    else:
        text = str(value).strip().lower().replace("-for-", ":").replace(" for ", ":")
        try:
            if ":" in text:
                new, old = (to_float(x) for x in text.split(":", 1))
                ratio = new / old
            else:
                ratio = to_float(text)
        except NumberFormatError as exc:
            raise InputError(f"split ratio {value!r}: {exc}; write new:old, e.g. 1:200") from None
        except ZeroDivisionError:
            raise InputError(f"split ratio {value!r}: write new:old, e.g. 1:200 for a reverse split") from None
    if not np.isfinite(ratio) or ratio <= 0:
        raise InputError(f"split ratio {value!r}: must be positive, e.g. 1:200")
    if not 1 / MAX_SPLIT <= ratio <= MAX_SPLIT:
        raise InputError(
            f"split ratio {value!r}: {ratio:g} new shares per old is out of range; a split is "
            f"between 1:{MAX_SPLIT:.0f} and {MAX_SPLIT:.0f}:1"
        )
    return ratio


MAX_SPLIT = 1e6
"""Largest split (new shares per old, or old per new) read: beyond it a ratio is a typo."""


def split_adjusted_price(price: float, *, ratio: float) -> float:
    """A per-share price after a split of ``ratio`` new shares per old share: price / ratio."""
    return _positive(price, "price") / split_ratio(ratio)


def split_adjusted_shares(shares: float, *, ratio: float) -> int:
    """A share count after a split of ``ratio`` new shares per old share, to the nearest share."""
    return int(round_shares(check_amount(shares, "shares", allow_zero=True) * split_ratio(ratio), "nearest"))


def ratcheted_price(price: float, *, issue_price: float) -> float:
    """Full ratchet: the price falls to a lower-priced later issue's price, never rises."""
    return min(_positive(price, "price"), _positive(issue_price, "issue_price"))


def warrant_cashless_shares(
    warrant_shares: float, *, exercise_price: float, market_price: float, rounding: str
) -> int:
    """Shares delivered on a cashless exercise: (A − B) × X / A, with A the market price (VWAP),
    B the exercise price, X the warrant shares exercised; zero when A ≤ B.

    Examples
    --------
    >>> warrant_cashless_shares(1_000_000, exercise_price=3.93, market_price=5.00, rounding="up")
    214000
    """
    x = check_amount(warrant_shares, "warrant_shares", allow_zero=True)
    b = _positive(exercise_price, "exercise_price")
    a = _positive(market_price, "market_price")
    if a <= b:
        return 0
    return round_shares((a - b) * x / a, check_term(WarrantTerms, "share_rounding", rounding, label="rounding"))


def whole_cents(amount: float, *, name: str) -> float:
    """``amount`` USD when it is a whole number of cents, else an InputError naming ``name``:
    the notes' amounts are cents, and a fraction of a cent would convert into a share while the
    principal, kept to the cent, did not change.

    Examples
    --------
    >>> whole_cents(341_851.73, name="amount")
    341851.73
    """
    x = check_amount(amount, name, allow_zero=True)
    cents = x * 100.0
    if abs(cents - round(cents)) > 1e-6 + abs(cents) * 1e-15:  # float noise only
        raise InputError(f"{name} ${x:,.6f}".rstrip("0") + " is not a whole number of cents; "
                         f"write it to the cent (e.g. {round_cents(x):,.2f})")
    return round(cents) / 100.0


def _positive(value: Any, name: str) -> Any:
    """Positive finite number(s) or an InputError naming ``name``."""
    if type(value) is float and 0 < value < math.inf:
        return value
    if np.ndim(value) == 0:
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{name} {value!r} is not a number") from None
        if not (x > 0 and np.isfinite(x)):
            raise InputError(f"{name} {x:g} must be a positive price")
        return x
    arr = np.asarray(value, dtype=float)
    bad = ~(arr > 0) | ~np.isfinite(arr)
    if bad.any():
        raise InputError(f"{name} {arr[np.argmax(bad)]:g} must be a positive price")
    return arr
