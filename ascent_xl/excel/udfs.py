"""The ``ASCENT_*`` worksheet functions (xlwings user-defined functions).

This is the module named in the workbook's xlwings ``UDF Modules`` setting. Each function reads
its cells (:mod:`ascent_xl.excel.cells`), calls one engine rule and returns a cell value or a
column. Optional arguments are blank (``None``) by default and then take the deal's value from
the ``ASTI_2022`` terms at call time; the argument descriptions Excel shows name those values.

Results: one value for one notice date; where ``notice_date`` (or ``default_date``) is a range,
a column for Excel 365 to spill, computed in one vectorised engine call and returned as a numpy
array of shape (rows, 1) (xlwings writes numpy arrays; pycel gets rows of values through
:mod:`ascent_xl.excel.evaluate`). ``ASCENT_TERMS`` returns rows as lists.

Errors: a bad argument *returns* a short text naming the argument and what to fix
(``notice date 2022-12-25: not a trading day``, ``vwaps row 14: 'abc' is not a number``);
nothing is raised to Excel. Why, from xlwings' source: ``udfs.call_udf`` and
``com_server.XLPython.CallUDF`` do not catch exceptions, so an exception leaves Python through
pywin32's COM gateway as a COM error, and the VBA wrapper xlwings generates
(``generate_vba_wrapper``: ``On Error GoTo failed`` ... ``F = Err.Description``) writes that
error's description into the cell. The cell holds text either way; returning it ourselves makes
it exactly our one-line message rather than the description pywin32 builds for a Python
exception (its exact form is pywin32's, which is Windows-only and was not checked here).
Because an error is text, ``SUM`` skips it: test results with ``ISNUMBER`` in a checks sheet.
Called from Python, the functions return the same numbers as the engine and the same text on
errors; the undecorated function, which raises, is ``ASCENT_X.__wrapped__``.

Reading arguments: range arguments (``dates``, ``vwaps``, ``notice_date`` ...) are read with
``ndim=2`` (always a list of rows, even for one cell); every argument is read with
``err_to_str=True``, so a ``#N/A`` cell arrives as the text ``"#N/A"`` and is reported instead
of being read as a blank (which would silently give an optional argument its default).

On Linux and macOS xlwings' decorators do nothing and these are plain functions; on Windows they
register the functions with Excel (category ``Ascent``). Importing this module does no work
beyond importing the engine; the exchange calendar is built on first use. It does not import
xlwings itself: the decorators are xlwings' when xlwings is loaded (Excel's UDF server loads it
first), else stand-ins that change nothing (:func:`ascent_xl.excel.cells.xlwings_decorators`).
"""

from __future__ import annotations

import contextlib
import contextvars
import pickle
import typing
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import ascent_xl
from ascent_xl.equity import equity_conditions
from ascent_xl.errors import LedgerError
from ascent_xl.events import EventKind
from ascent_xl.excel import cells
from ascent_xl.excel.cells import (
    Cell,
    Cells,
    cell_errors,
    map_date_rows,
    map_dates,
    market_from_cells,
    numbers_beside,
    to_bool,
    to_cell,
    to_choice,
    to_day,
    to_number,
    to_whole,
    xlwings_decorators,
)
from ascent_xl.fees import deal_placement_fee
from ascent_xl.interest import BASES, accrued_interest
from ascent_xl.ledger import SCHEDULE_COLUMNS, LedgerCursor, run_ledger
from ascent_xl.ledger.position import (
    HOLDER_COLUMNS,
    POSITION_COLUMNS,
    QUOTE_COLUMNS,
    holder_rows,
    position_from,
    position_rows,
    quote_on,
    quote_row,
)
from ascent_xl.money import ROUNDINGS, check_amount, check_amounts
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import (
    SplitJumpError,
    alternate_conversion_price,
    check_split_jumps,
    conversion_price,
    conversion_shares,
    default_conversion_price,
    fixed_conversion_price,
    mandatory_default_amount,
    max_conversion_amount,
    quote_conversions,
    redemption_amount,
    warrant_cashless_shares,
    whole_cents,
)
from ascent_xl.terms import DealTerms, FloorMode
from ascent_xl.valuation.presets import (
    DEMO_BEHAVIOUR,
    DEMO_MODEL,
    DEMO_PATHS,
    MAX_PATHS_PER_CELL,
    PATHS_PER_CELL_LIMIT,
)

xw = xlwings_decorators()  # xlwings when loaded (Excel's UDF server), else decorators that change nothing

CATEGORY = "Ascent"
TERMS: DealTerms = ASTI_2022
"""The terms optional arguments default to."""

_C, _D, _R = TERMS.conversion, TERMS.default, TERMS.redemption
_M = DEMO_MODEL
_NOTE = TERMS.notes[0]


def _arg(name: str, doc: str) -> Any:
    """``@xw.arg`` for a one-cell argument."""
    return _noted(xw.arg(name, err_to_str=True, doc=doc), name, {"doc": doc})


def _range(name: str, doc: str) -> Any:
    """``@xw.arg`` for a range argument: always a list of rows."""
    return _noted(xw.arg(name, ndim=2, err_to_str=True, doc=doc), name, {"doc": doc, "ndim": 2})


def _noted(decorator: Any, name: str, spec: dict[str, Any]) -> Any:
    """``decorator``, also noting the argument's description and shape on the function (xlwings
    keeps them only where its decorators are real, on Windows), for :func:`argument_specs`."""

    def apply(f: Any) -> Any:
        f = decorator(f)
        f.__dict__.setdefault("ascent_args", {})[name] = spec
        return f

    return apply


def argument_specs(f: Any) -> dict[str, dict[str, Any]]:
    """The documented arguments of the worksheet function ``f`` in their order: name -> ``doc``
    and, for a range, ``ndim`` 2 (what the xlwings Lite adapter registers them with)."""
    import inspect

    specs = getattr(f, "ascent_args", {})
    return {p: specs[p] for p in inspect.signature(f).parameters if p in specs}


def _default(what: str, value: Any) -> str:
    """An optional argument's description with the value a blank takes from ``TERMS``."""
    if isinstance(value, bool):
        shown = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        shown = f"{value:g}"
    else:
        shown = str(value)
    return f"{what}; blank: {shown}"


DATES = "column of trading dates (Excel dates, serial numbers or YYYY-MM-DD)"
VWAPS = "column of daily VWAPs beside the dates, USD/share (a blank is a missing VWAP)"
VWAPS_TABLE = ("daily VWAPs beside the dates, USD/share: the VWAP column, or the VWAP, Dollar Volume and "
               "Market Cap columns side by side (the book's VWAP table), which the equity conditions need, "
               "and a Close column after them for a deal priced on closes")
EVENTS_RANGE = "events range with the header Date, Event, Note, Amount, Value"
TERMS_RANGE = ("two-column Term / Value range: a whole deal with a name row (the Inputs sheet's), "
               "else the terms that differ from ASTI_2022; blank: the ASTI_2022 terms")
NOTICE = "conversion notice date, or a column of them (the result spills)"
FIXED = "fixed conversion price, USD/share"
FLOOR = _default("floor price, USD/share", _C.floor_price)
AMOUNT = "principal converted, USD"
AMOUNTS = "principal converted, USD, or a column of them beside the notice dates (one per notice)"
DISCOUNT = _default(
    "discount to the lowest-VWAP average (0.075 = 92.5% of it)", _C.alternate_price_discount
)
ALT_DAYS = _default("trading days in the look-back window", _C.alternate_price_days)
ALT_LOWEST = _default("number of lowest VWAPs averaged", _C.alternate_price_lowest)
FLOOR_MODE = _default("floor rule: make_up (floor + cash), cap (floor, no cash), none", _C.floor_mode)
WINDOW_DAY = _default("TRUE: the window ends on and includes the notice day",
                      _C.window_includes_notice_day)
FLOOR_MODES: tuple[str, ...] = typing.get_args(FloorMode)


def _market(dates: Cells, vwaps: Cells) -> Any:
    return market_from_cells(dates, vwaps, calendar=TERMS.calendar)


def _alternate_args(discount: Cell, days: Cell, lowest: Cell) -> dict[str, Any]:
    """The alternate price's keyword arguments from cells, blanks filled from ``TERMS``."""
    return {
        "discount": to_number(discount, "discount", _C.alternate_price_discount, percent=True),
        "days": to_whole(days, "days", _C.alternate_price_days),
        "lowest": to_whole(lowest, "lowest", _C.alternate_price_lowest),
    }


def _window_day(value: Cell) -> bool:
    """The ``window_includes_notice_day`` argument (blank: the ``TERMS``')."""
    return to_bool(value, "window_includes_notice_day", _C.window_includes_notice_day)


def _floor_mode(value: Cell) -> str:
    """The ``floor_mode`` argument (blank: the ``TERMS``')."""
    return to_choice(value, "floor_mode", FLOOR_MODES, _C.floor_mode)


NO_SPLIT = ("TRUE: price across a VWAP jump a split would explain (there was no split); FALSE, 0 or "
            "blank: refuse such a window")
"""The ``no_split`` argument: blank and 0 (what xlwings Lite sends for a blank cell) mean FALSE."""


def _split_guard(market: Any, no_split: Cell, days: int) -> Callable[[np.ndarray], None]:
    """The split-jump guard of :func:`ascent_xl.pricing.check_split_jumps` (term
    ``conversion.split_jump_threshold``) for notice dates priced on ``market`` over ``days``
    sessions: refuse a window (or the step to the notice date's own VWAP) across a jump a split
    would explain, naming both days, unless ``no_split`` is TRUE. The fixed and floor prices
    given are taken on the VWAPs' share basis."""
    told = to_bool(no_split, "no_split", False)

    def check(notices: np.ndarray) -> None:
        if told:
            return
        try:
            check_split_jumps(market, notices, days=days, threshold=_C.split_jump_threshold,
                              way_out="no_split TRUE if there was none (ASCENT_QUOTE takes the Events)")
        except SplitJumpError as exc:
            raise cells.CellError(str(exc)) from None

    return check


# ---------------------------------------------------------------------------------------------
# conversion prices


@xw.func(category=CATEGORY)
@_range("dates", DATES)
@_range("vwaps", VWAPS)
@_arg("issue_date", "issue date of the notes")
@_arg("premium", _default("premium over the average VWAP (0.30 = 130%)", _C.fixed_price_premium))
@_arg("days", _default("trading days averaged before the issue date", _C.fixed_price_days))
@cell_errors
def ASCENT_FIXED_CONVERSION_PRICE(
    dates: Cells, vwaps: Cells, issue_date: Cell, premium: Cell = None, days: Cell = None
) -> Cell:
    """Fixed conversion price, USD/share: (1 + premium) x the average daily VWAP of the `days`
    trading days immediately before the issue date. Defaults from the ASTI_2022 terms."""
    return fixed_conversion_price(
        _market(dates, vwaps),
        issue_date=to_day(issue_date, "issue_date"),
        premium=to_number(premium, "premium", _C.fixed_price_premium, percent=True),
        days=to_whole(days, "days", _C.fixed_price_days),
    )


@xw.func(category=CATEGORY)
@_range("dates", DATES)
@_range("vwaps", VWAPS)
@_range("notice_date", NOTICE)
@_arg("discount", DISCOUNT)
@_arg("days", ALT_DAYS)
@_arg("lowest", ALT_LOWEST)
@_arg("window_includes_notice_day", WINDOW_DAY)
@_arg("no_split", NO_SPLIT)
@cell_errors
def ASCENT_ALTERNATE_CONVERSION_PRICE(
    dates: Cells,
    vwaps: Cells,
    notice_date: Cells,
    discount: Cell = None,
    days: Cell = None,
    lowest: Cell = None,
    window_includes_notice_day: Cell = None,
    no_split: Cell = None,
) -> Cell:
    """Alternate conversion price, USD/share: (1 - discount) x the average of the `lowest`
    lowest daily VWAPs among the `days` trading days before the notice date (TRUE
    window_includes_notice_day: ending on it). A column of dates spills."""
    market = _market(dates, vwaps)
    kw = _alternate_args(discount, days, lowest)
    kw["include_notice_day"] = _window_day(window_includes_notice_day)
    guard = _split_guard(market, no_split, kw["days"])

    def alternate(d: np.ndarray) -> np.ndarray:
        guard(d)
        return np.asarray(alternate_conversion_price(market, notice_date=d, **kw))

    return map_dates(notice_date, "notice_date", alternate)


@xw.func(category=CATEGORY)
@_arg("fixed_price", FIXED)
@_range("dates", DATES)
@_range("vwaps", VWAPS)
@_range("notice_date", NOTICE)
@_arg("floor_price", FLOOR)
@_arg("discount", DISCOUNT)
@_arg("days", ALT_DAYS)
@_arg("lowest", ALT_LOWEST)
@_arg("floor_mode", FLOOR_MODE)
@_arg("window_includes_notice_day", WINDOW_DAY)
@_arg("no_split", NO_SPLIT)
@cell_errors
def ASCENT_CONVERSION_PRICE(
    fixed_price: Cell,
    dates: Cells,
    vwaps: Cells,
    notice_date: Cells,
    floor_price: Cell = None,
    discount: Cell = None,
    days: Cell = None,
    lowest: Cell = None,
    floor_mode: Cell = None,
    window_includes_notice_day: Cell = None,
    no_split: Cell = None,
) -> Cell:
    """Conversion price, USD/share: the lower of the fixed price and the alternate price on the
    notice date, never below the floor price (floor_mode none: no floor). A column of notice
    dates spills a column."""
    fixed = to_number(fixed_price, "fixed_price")
    floor = to_number(floor_price, "floor_price", _C.floor_price)
    mode = _floor_mode(floor_mode)
    market = _market(dates, vwaps)
    kw = _alternate_args(discount, days, lowest)
    kw["include_notice_day"] = _window_day(window_includes_notice_day)
    guard = _split_guard(market, no_split, kw["days"])

    def price(d: np.ndarray) -> np.ndarray:
        guard(d)
        alt = alternate_conversion_price(market, notice_date=d, **kw)
        return conversion_price(fixed_price=fixed, alternate_price=alt, floor_price=floor, floor_mode=mode)

    return map_dates(notice_date, "notice_date", price)


@xw.func(category=CATEGORY)
@_range("amount", AMOUNTS)
@_arg("fixed_price", FIXED)
@_range("dates", DATES)
@_range("vwaps", VWAPS)
@_range("notice_date", NOTICE)
@_arg("floor_price", FLOOR)
@_arg("rounding", _default("share rounding: up, down or nearest", _C.share_rounding))
@_arg("floor_mode", FLOOR_MODE)
@_arg("window_includes_notice_day", WINDOW_DAY)
@_arg("no_split", NO_SPLIT)
@cell_errors
def ASCENT_CONVERSION_SHARES(
    amount: Cells,
    fixed_price: Cell,
    dates: Cells,
    vwaps: Cells,
    notice_date: Cells,
    floor_price: Cell = None,
    rounding: Cell = None,
    floor_mode: Cell = None,
    window_includes_notice_day: Cell = None,
    no_split: Cell = None,
) -> Cell:
    """Shares issued for converting `amount` USD on the notice date: amount / conversion price
    (as in ASCENT_CONVERSION_PRICE), rounded up, down or to the nearest share. A column of
    notice dates spills a column; amounts may be a column beside it."""
    amounts = _amounts(amount, notice_date)
    fixed = to_number(fixed_price, "fixed_price")
    floor = to_number(floor_price, "floor_price", _C.floor_price)
    how = to_choice(rounding, "rounding", ROUNDINGS, _C.share_rounding)
    mode = _floor_mode(floor_mode)
    through = _window_day(window_includes_notice_day)
    market = _market(dates, vwaps)
    guard = _split_guard(market, no_split, _C.alternate_price_days)

    def shares(d: np.ndarray, rows: np.ndarray) -> np.ndarray:
        guard(d)
        a = amounts(rows)
        alt = alternate_conversion_price(market, notice_date=d, **_alternate_args(None, None, None),
                                         include_notice_day=through)
        price = conversion_price(fixed_price=fixed, alternate_price=alt, floor_price=floor, floor_mode=mode)
        return np.asarray(conversion_shares(np.broadcast_to(a, d.shape).astype(float), price, rounding=how))

    return map_date_rows(notice_date, "notice_date", shares)


def _amounts(amount: Cells, notice_date: Cells) -> Callable[[np.ndarray], float | np.ndarray]:
    """The amount of each notice row: one amount for all, or a column beside the notices (a
    blank amount is that row's error)."""
    values = numbers_beside(amount, "amount", notice_date, "notice_date")
    if isinstance(values, float):
        a = check_amount(values, "amount")
        return lambda rows: a

    def of_rows(rows: np.ndarray) -> np.ndarray:
        picked = values[rows]
        missing = np.flatnonzero(np.isnan(picked))
        if missing.size:
            raise cells.CellError(f"amount row {int(rows[missing[0]]) + 1}: missing; type the principal converted")
        return check_amounts(picked, "amount")

    return of_rows


@xw.func(category=CATEGORY)
@_range("amount", AMOUNTS)
@_arg("fixed_price", FIXED)
@_range("dates", DATES)
@_range("vwaps", VWAPS)
@_range("notice_date", "conversion notice date = conversion date, or a column of them")
@_arg("floor_price", FLOOR)
@_arg("floor_mode", FLOOR_MODE)
@_arg("window_includes_notice_day", WINDOW_DAY)
@_arg("no_split", NO_SPLIT)
@cell_errors
def ASCENT_FLOOR_PAYMENT(
    amount: Cells,
    fixed_price: Cell,
    dates: Cells,
    vwaps: Cells,
    notice_date: Cells,
    floor_price: Cell = None,
    floor_mode: Cell = None,
    window_includes_notice_day: Cell = None,
    no_split: Cell = None,
) -> Cell:
    """Cash the company pays where the floor binds, USD to the cent: (amount / unfloored price
    - amount / floor) x VWAP on the notice date; 0 where it does not bind or floor_mode is not
    make_up. A column of notices spills; amounts may be a column."""
    amounts = _amounts(amount, notice_date)
    fixed = to_number(fixed_price, "fixed_price")
    floor = to_number(floor_price, "floor_price", _C.floor_price)
    mode, through = _floor_mode(floor_mode), _window_day(window_includes_notice_day)
    deal = TERMS
    if (mode, through) != (_C.floor_mode, _C.window_includes_notice_day):
        deal = TERMS.replace(
            conversion=_C.replace(floor_mode=mode, window_includes_notice_day=through, floor_price=floor),
            covenants=TERMS.covenants.replace(share_reserve_price="fixed"))  # no reserve counted here
    market = _market(dates, vwaps)
    guard = _split_guard(market, no_split, _C.alternate_price_days)

    def payment(d: np.ndarray, rows: np.ndarray) -> np.ndarray:
        guard(d)  # the window and the notice date's VWAP, as the other conversion functions
        q = quote_conversions(deal, market, notice_dates=d, amounts=amounts(rows), fixed_price=fixed,
                              floor_price=floor, no_split=True)
        return q["floor_payment"]

    return map_date_rows(notice_date, "notice_date", payment)


# ---------------------------------------------------------------------------------------------
# default, redemption, limits


@xw.func(category=CATEGORY)
@_range("dates", DATES)
@_range("vwaps", VWAPS)
@_range("default_date", "date of the event of default, or a column of them (spills)")
@_arg("factor", _default("fraction of the lowest-VWAP average (0.80 = 80%)", _D.reset_factor))
@_arg("days", _default("trading days in the look-back window", _D.reset_days))
@_arg("lowest", _default("number of lowest VWAPs averaged", _D.reset_lowest))
@cell_errors
def ASCENT_DEFAULT_CONVERSION_PRICE(
    dates: Cells,
    vwaps: Cells,
    default_date: Cells,
    factor: Cell = None,
    days: Cell = None,
    lowest: Cell = None,
) -> Cell:
    """Default (reset) conversion price, USD/share: factor x the average of the `lowest` lowest
    daily VWAPs among the `days` trading days immediately before the default date."""
    market = _market(dates, vwaps)
    kw = {
        "factor": to_number(factor, "factor", _D.reset_factor, percent=True),
        "days": to_whole(days, "days", _D.reset_days),
        "lowest": to_whole(lowest, "lowest", _D.reset_lowest),
    }
    return map_dates(
        default_date,
        "default_date",
        lambda d: default_conversion_price(market, default_date=d, **kw),  # type: ignore[arg-type]
    )


@xw.func(category=CATEGORY)
@_arg("principal", "outstanding principal, USD")
@_arg("accrued_interest", "accrued and unpaid interest, USD")
@_arg("price_at_demand", "conversion price on the demand date, USD/share")
@_arg("price_at_payment", "conversion price on the payment date, USD/share")
@_arg("vwap_at_demand", "VWAP on the demand date, USD/share")
@_arg("vwap_at_payment", "VWAP on the payment date, USD/share")
@_arg("premium", _default("multiple of principal (1.20 = 120%)", _D.redemption_premium))
@_arg(
    "premium_on_interest",
    _default("TRUE: the premium's base is principal and interest", _D.premium_on_interest),
)
@_arg(
    "parity_includes_interest",
    _default("TRUE: interest inside parity and premium (earlier reading)", _D.parity_includes_interest),
)
@cell_errors
def ASCENT_DEFAULT_REDEMPTION(
    principal: Cell,
    accrued_interest: Cell,
    price_at_demand: Cell,
    price_at_payment: Cell,
    vwap_at_demand: Cell,
    vwap_at_payment: Cell,
    premium: Cell = None,
    premium_on_interest: Cell = None,
    parity_includes_interest: Cell = None,
) -> Cell:
    """Mandatory default amount, USD to the cent: the greater of parity (principal / the lower
    conversion price x the higher VWAP of the demand and payment dates) and premium x
    principal, plus accrued interest."""
    return mandatory_default_amount(
        to_number(principal, "principal"),
        to_number(accrued_interest, "accrued_interest"),
        price_at_demand=to_number(price_at_demand, "price_at_demand"),
        price_at_payment=to_number(price_at_payment, "price_at_payment"),
        vwap_at_demand=to_number(vwap_at_demand, "vwap_at_demand"),
        vwap_at_payment=to_number(vwap_at_payment, "vwap_at_payment"),
        premium=to_number(premium, "premium", _D.redemption_premium, percent=True),
        premium_on_interest=to_bool(
            premium_on_interest, "premium_on_interest", _D.premium_on_interest
        ),
        parity_includes_interest=to_bool(
            parity_includes_interest, "parity_includes_interest", _D.parity_includes_interest
        ),
    ).amount


@xw.func(category=CATEGORY)
@_arg("principal", "principal on which interest accrues, USD")
@_arg("from_date", "start of the accrual (the last interest date or the issue date)")
@_arg("to_date", "end of the accrual")
@_arg("rate", _default("annual rate (0.045 = 4.5%)", _NOTE.rate))
@_arg("basis", _default("day count: 30/360, 30E/360, ACT/365 or ACT/360", _NOTE.day_count))
@cell_errors
def ASCENT_ACCRUED_INTEREST(
    principal: Cell, from_date: Cell, to_date: Cell, rate: Cell = None, basis: Cell = None
) -> Cell:
    """Accrued simple interest, USD (not rounded): principal x rate x the year fraction from
    from_date to to_date under the day-count basis (30/360, 30E/360, ACT/365, ACT/360)."""
    return accrued_interest(
        to_number(principal, "principal"),
        cells.to_date(from_date, "from_date"),
        cells.to_date(to_date, "to_date"),
        rate=to_number(rate, "rate", _NOTE.rate, percent=True),
        basis=to_choice(basis, "basis", BASES, _NOTE.day_count),
    )


@xw.func(category=CATEGORY)
@_arg("principal", "outstanding principal, USD")
@_arg("accrued_interest", "accrued and unpaid interest, USD")
@_arg("premium", _default("multiple of principal (1.05 = 105%)", _R.change_of_control_premium))
@_arg(
    "premium_on_interest",
    _default(
        "TRUE: premium x (principal + interest), as the private note",
        _NOTE.change_of_control_on_interest,
    ),
)
@cell_errors
def ASCENT_CHANGE_OF_CONTROL_AMOUNT(
    principal: Cell, accrued_interest: Cell, premium: Cell = None, premium_on_interest: Cell = None
) -> Cell:
    """Change-of-control prepayment, USD to the cent: premium x principal + accrued interest
    (premium x (principal + interest) with premium_on_interest, as on the private note)."""
    return redemption_amount(
        to_number(principal, "principal"),
        to_number(accrued_interest, "accrued_interest"),
        premium=to_number(premium, "premium", _R.change_of_control_premium, percent=True),
        premium_on_interest=to_bool(
            premium_on_interest, "premium_on_interest", _NOTE.change_of_control_on_interest
        ),
    )


@xw.func(category=CATEGORY)
@_arg("principal", "outstanding principal, USD")
@_arg("accrued_interest", "accrued and unpaid interest, USD")
@_arg("premium", _default("multiple of principal (1.20 = 120%)", _R.optional_prepayment_premium))
@cell_errors
def ASCENT_PREPAYMENT_AMOUNT(principal: Cell, accrued_interest: Cell, premium: Cell = None) -> Cell:
    """Optional prepayment price, USD to the cent: premium x principal + accrued interest."""
    return redemption_amount(
        to_number(principal, "principal"),
        to_number(accrued_interest, "accrued_interest"),
        premium=to_number(premium, "premium", _R.optional_prepayment_premium, percent=True),
    )


@xw.func(category=CATEGORY)
@_arg("conversion_price", "conversion price, USD/share")
@_arg("holder_shares", "shares the holder (with affiliates) owns now")
@_arg("shares_outstanding", "shares outstanding now")
@_arg("cap", _default("ownership cap after the conversion (0.0499 = 4.99%)", _C.ownership_cap))
@cell_errors
def ASCENT_MAX_CONVERSION(
    conversion_price: Cell, holder_shares: Cell, shares_outstanding: Cell, cap: Cell = None
) -> Cell:
    """Largest principal, USD (rounded down to the cent), that converts now without taking the
    holder above the ownership cap of the shares outstanding after the conversion."""
    return max_conversion_amount(
        conversion_price=to_number(conversion_price, "conversion_price"),
        holder_shares=to_number(holder_shares, "holder_shares"),
        shares_outstanding=to_number(shares_outstanding, "shares_outstanding"),
        cap=to_number(cap, "cap", _C.ownership_cap, percent=True),
    )


@xw.func(category=CATEGORY)
@_arg("warrant_shares", "warrant shares exercised")
@_arg("exercise_price", "exercise price, USD/share")
@_arg("market_price", "market price (VWAP) used, USD/share")
@_arg("rounding", _default("share rounding: up, down or nearest", TERMS.warrants.share_rounding))
@cell_errors
def ASCENT_WARRANT_CASHLESS_SHARES(
    warrant_shares: Cell, exercise_price: Cell, market_price: Cell, rounding: Cell = None
) -> Cell:
    """Shares delivered on a cashless exercise: (A - B) x X / A, with A the market price, B the
    exercise price and X the warrant shares; 0 when A is at or below B."""
    return warrant_cashless_shares(
        to_number(warrant_shares, "warrant_shares"),
        exercise_price=to_number(exercise_price, "exercise_price"),
        market_price=to_number(market_price, "market_price"),
        rounding=to_choice(rounding, "rounding", ROUNDINGS, TERMS.warrants.share_rounding),
    )


@xw.func(category=CATEGORY)
@_arg("gross_proceeds", "gross proceeds the fee is charged on, USD")
@cell_errors
def ASCENT_PLACEMENT_FEE(gross_proceeds: Cell) -> Cell:
    """Placement agent's total cash fee, USD to the cent: each tier's rate on the proceeds in
    that tier, plus the discretionary fee (tiers and fee from the ASTI_2022 terms)."""
    return deal_placement_fee(TERMS, to_number(gross_proceeds, "gross_proceeds")).total


@xw.func(category=CATEGORY)
@_range("dates", DATES)
@_range("dollar_volumes", "column of daily dollar trading volumes, USD")
@_range("market_caps", "column of daily market capitalisations, USD")
@_arg("test_date", "date tested; the measurement period is the trading days before it")
@cell_errors
def ASCENT_EQUITY_CONDITIONS(
    dates: Cells, dollar_volumes: Cells, market_caps: Cells, test_date: Cell
) -> Cell:
    """TRUE when the equity conditions hold on test_date: the trimmed average daily dollar
    volume over the measurement period is at least the minimum, and the market cap is at or
    above the minimum on enough of its days (terms: ASTI_2022)."""
    market = market_from_cells(
        dates, None, dollar_volumes=dollar_volumes, market_caps=market_caps, calendar=TERMS.calendar
    )
    result = equity_conditions(
        market, test_date=to_day(test_date, "test_date"), terms=TERMS.equity_conditions
    )
    return result.met


# ---------------------------------------------------------------------------------------------
# the ledger


@xw.func(category=CATEGORY, call_in_wizard=False)
@_range("events", EVENTS_RANGE)
@_range("dates", DATES)
@_range("vwaps", VWAPS_TABLE)
@_range("terms", TERMS_RANGE)
@cell_errors
def ASCENT_SCHEDULE(events: Cells, dates: Cells, vwaps: Cells, terms: Cells = None) -> Cell:
    """The deal ledger's schedule, spilled with a header row: events, interest dates and
    maturities in date order with principal, conversions, shares, floor payments, interest, cash
    paid, ownership and the conservation check (USD, USD/share)."""
    deal = cells.terms_from_cells(terms, TERMS)
    market = _ledger_market(dates, vwaps, calendar=deal.calendar)
    schedule = run_ledger(deal, cells.events_from_cells(events), market)
    rows: list[list[Any]] = [list(SCHEDULE_COLUMNS)]
    rows.extend([to_cell(r[c]) for c in SCHEDULE_COLUMNS] for r in schedule.rows)
    return rows


# ---------------------------------------------------------------------------------------------
# the deal's state on a date (the ledger run cached per input fingerprint)

_BOOKS: dict[tuple[int, ...], tuple[DealTerms, Any, list[Any]]] = {}
_STATES: dict[tuple[tuple[int, ...], Any, bool, bool], Any] = {}
_CURSORS: dict[tuple[tuple[int, ...], bool], LedgerCursor] = {}
_CACHE_SIZE = 32


_HELD: contextvars.ContextVar[dict[int, tuple[Any, int, int]] | None] = contextvars.ContextVar(
    "ascent_xl_udfs_held", default=None)


@contextlib.contextmanager
def ranges_held() -> Iterator[None]:
    """Within this block a range passed again as the same object is the same cells: its
    fingerprint is taken once (the refresh computing a book's array formulas, whose 600 quotes
    of a 5-year book all read the same Events, VWAP and Terms lists, which it holds unchanged
    until the block ends). The memory of the ranges ends with the block."""
    token = _HELD.set({})
    try:
        yield
    finally:
        _HELD.reset(token)


def _fingerprint(*ranges: Any) -> tuple[int, ...]:
    """A fingerprint of the cells as they arrived (a 64-bit hash of each range and its size):
    the same cells, the same ledger run. Inside :func:`ranges_held`, a list or array seen already
    (the same object) keeps the fingerprint it had."""
    held = _HELD.get()
    out: list[int] = []
    for r in ranges:
        known = held.get(id(r)) if held is not None else None
        if known is not None and known[0] is r:
            out += known[1:]
            continue
        frozen = _frozen(r)
        try:
            code = hash(frozen)
        except TypeError:  # a cell holding something unhashable: its bytes
            code = hash(pickle.dumps(frozen))
        size = len(frozen) if isinstance(frozen, tuple) else -1
        if held is not None and isinstance(r, (list, np.ndarray)):
            held[id(r)] = (r, code, size)  # r kept: its id is no other object's while held
        out += [code, size]
    return tuple(out)


def _frozen(value: Any) -> Any:
    """A range as nested tuples (rows of cells), hashable; numpy arrays as their bytes."""
    if isinstance(value, np.ndarray):
        return (value.shape, value.dtype.str, value.tobytes()) if value.dtype != object else _frozen(value.tolist())
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            return tuple(map(tuple, value))
        return tuple(value)
    return value


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))  # the oldest entry
    cache[key] = value
    return value


def _ledger_market(dates: Cells, vwaps: Cells, *, calendar: str) -> Any:
    """The market data a ledger run reads: ``vwaps`` is the VWAP column, or the VWAP, Dollar
    Volume and Market Cap columns side by side (the book's VWAP table: without the last two the
    equity conditions are not tested, so never met, as in the ledger), and a Close column after
    them (the closing prices of a deal priced on closes)."""
    rows = vwaps.tolist() if isinstance(vwaps, np.ndarray) else vwaps
    width = len(rows[0]) if isinstance(rows, (list, tuple)) and rows and isinstance(rows[0], (list, tuple)) else 1
    if width == 1:
        return market_from_cells(dates, vwaps, calendar=calendar)
    if width > 4:
        raise cells.CellError(f"vwaps: select the VWAP column, or VWAP, Dollar Volume and Market Cap "
                              f"side by side, and Close after them (got {width} columns)")
    parts = [[row[i] if i < len(row) else None for row in rows] for i in range(width)]
    return market_from_cells(dates, parts[0], dollar_volumes=parts[1],
                             market_caps=parts[2] if width >= 3 else None,
                             closes=parts[3] if width == 4 else None, calendar=calendar,
                             names=("dates", "vwaps", "vwaps' Dollar Volume column", "vwaps' Market Cap column",
                                    "vwaps' Close column"))


def _book(events: Cells, dates: Cells, vwaps: Cells,
          terms: Cells) -> tuple[tuple[int, ...], tuple[DealTerms, Any, list[Any]]]:
    key = _fingerprint(events, dates, vwaps, terms)
    book = _BOOKS.get(key)
    if book is None:
        deal = cells.terms_from_cells(terms, TERMS)
        market = _ledger_market(dates, vwaps, calendar=deal.calendar)
        book = _remember(_BOOKS, key, (deal, market, cells.events_from_cells(events)))
    return key, book


def _state(events: Cells, dates: Cells, vwaps: Cells, terms: Cells, day: Any, *, before_conversions: bool,
           no_split: bool = False) -> Any:
    """The ledger's schedule up to ``day``, or before that day's conversions (a quote's) only the
    deal's state then."""
    key, (deal, market, evs) = _book(events, dates, vwaps, terms)
    skey = (key, day, before_conversions, no_split)
    found = _STATES.get(skey)
    if found is None:
        before = EventKind.CONVERSION if before_conversions else None
        ckey = (key, no_split)  # quotes and positions in date order: one pass
        cursor = _CURSORS.get(ckey)
        if cursor is None or not cursor.can_reach(day, before):
            cursor = _remember(_CURSORS, ckey, LedgerCursor(deal, evs, market, no_split=no_split))
        found = _remember(_STATES, skey, cursor.state_to(day, before) if before_conversions else cursor.to(day))
    return found


def _position(events: Cells, dates: Cells, vwaps: Cells, as_of: Cell, terms: Cells) -> Any:
    """The deal's snapshot at the end of ``as_of`` (ASCENT_POSITION's and ASCENT_HOLDERS')."""
    day = cells.to_date(as_of, "as_of")
    schedule = _state(events, dates, vwaps, terms, day, before_conversions=False)
    return position_from(schedule, as_of=day)


def _spilled(columns: tuple[str, ...], rows: list[list[Any]]) -> list[list[Any]]:
    """A header row of ``columns`` and ``rows`` as cell values."""
    return [list(columns), *([to_cell(v) for v in r] for r in rows)]


@xw.func(category=CATEGORY, call_in_wizard=False)
@_range("events", EVENTS_RANGE)
@_range("dates", DATES)
@_range("vwaps", VWAPS_TABLE)
@_arg("as_of", "the date of the snapshot (the ledger runs to the end of that day)")
@_range("terms", TERMS_RANGE)
@cell_errors
def ASCENT_POSITION(events: Cells, dates: Cells, vwaps: Cells, as_of: Cell, terms: Cells = None) -> Cell:
    """The deal as of a date, spilled with a header row, a row per note and a total row:
    principal, accrued interest, next interest, fixed / floor / reset price, converting it all
    that day, cap headroom, shares issued on the current share basis."""
    return _spilled(POSITION_COLUMNS, position_rows(_position(events, dates, vwaps, as_of, terms)))


@xw.func(category=CATEGORY, call_in_wizard=False)
@_range("events", EVENTS_RANGE)
@_range("dates", DATES)
@_range("vwaps", VWAPS_TABLE)
@_arg("as_of", "the date of the snapshot (the ledger runs to the end of that day)")
@_range("terms", TERMS_RANGE)
@cell_errors
def ASCENT_HOLDERS(events: Cells, dates: Cells, vwaps: Cells, as_of: Cell, terms: Cells = None) -> Cell:
    """The holders as of a date (the same snapshot as ASCENT_POSITION), spilled with a header
    row and a row per holder: shares held, ownership, its own cap, a raise it gave notice of
    (the cap and its first day), cap headroom in shares."""
    return _spilled(HOLDER_COLUMNS, holder_rows(_position(events, dates, vwaps, as_of, terms)))


def _quote(events: Cells, dates: Cells, vwaps: Cells, terms: Cells, notice_date: Cell, amount: float | None,
           note: Cell, no_split: bool) -> tuple[Any, Any, Any, str | None]:
    """A conversion priced on the deal's state on the notice date: that state (the ledger stopped
    before the day's conversions), the conversion, the day and the note named (None: the first
    with principal)."""
    day = cells.to_date(notice_date, "notice_date")
    which = None if cells.is_blank(note) else cells.to_text(note, "note")
    if amount is not None and amount > 0:  # to the cent, named as the cell's argument (not "principal")
        amount = whole_cents(amount, name="amount")
    state = _state(events, dates, vwaps, terms, day, before_conversions=True, no_split=no_split)
    first = state.terms.closing
    if day < first:
        raise cells.CellError(f"notice_date {day}: before the notes' issue on {first}; give a later date")
    try:
        q = quote_on(state, notice_date=day, amount=amount, note=which, no_split=no_split)
    except LedgerError as exc:  # the state that day refuses: say it is the notice date's
        if str(day) in str(exc) and "notice" not in str(exc):
            raise cells.CellError(f"notice_date {day}: {exc}") from None
        raise
    return state, q, day, which


@xw.func(category=CATEGORY, call_in_wizard=False)
@_range("events", EVENTS_RANGE)
@_range("dates", DATES)
@_range("vwaps", VWAPS_TABLE)
@_arg("notice_date", "conversion notice date (a trading day)")
@_arg("amount", "principal converted, USD")
@_arg("note", "the note converted; blank: the first with principal outstanding")
@_range("terms", TERMS_RANGE)
@_arg("no_split", NO_SPLIT)
@_arg("header", "FALSE: the row of values only (a table of notices, one quote a row); blank: TRUE, the header too")
@cell_errors
def ASCENT_QUOTE(events: Cells, dates: Cells, vwaps: Cells, notice_date: Cell, amount: Cell, note: Cell = None,
                 terms: Cells = None, no_split: Cell = None, header: Cell = None) -> Cell:
    """One conversion priced on the deal's state that day (split-restated VWAPs, amended floor,
    reset or ratcheted fixed price, the cap), spilled with a header row: price, shares, floor
    payment, fixed price, floor, alternate price, capped, principal converted."""
    _, q, _, _ = _quote(events, dates, vwaps, terms, notice_date, to_number(amount, "amount"), note,
                               to_bool(no_split, "no_split", False))
    values = [to_cell(v) for v in quote_row(q)]
    return [list(QUOTE_COLUMNS), values] if to_bool(header, "header", True) else [values]


@xw.func(category=CATEGORY, call_in_wizard=False)
@_range("events", EVENTS_RANGE)
@_range("dates", DATES)
@_range("vwaps", VWAPS_TABLE)
@_arg("notice_date", "conversion notice (conversion) date (a trading day)")
@_arg("amount", "principal to convert, USD; blank: all of the note's")
@_arg("note", "the note converted; blank: the first with principal outstanding")
@_range("terms", TERMS_RANGE)
@cell_errors
def ASCENT_NOTICE(events: Cells, dates: Cells, vwaps: Cells, notice_date: Cell, amount: Cell = None,
                  note: Cell = None, terms: Cells = None) -> Cell:
    """A conversion notice on the deal's state that day, spilled as rows of Item, Value, Unit,
    How: the window's VWAPs (lowest marked), alternate, fixed and floor prices, conversion price,
    the ownership-cap check, shares to deliver, cash floor payment."""
    from ascent_xl.notice import NOTICE_COLUMNS, notice_on, notice_rows

    principal = None if cells.is_blank(amount) else to_number(amount, "amount")
    state, q, day, which = _quote(events, dates, vwaps, terms, notice_date, principal, note, False)
    n = notice_on(state, q, notice_date=day, note=which, source="the book's Events")
    rows: list[list[Any]] = [list(NOTICE_COLUMNS)]
    rows.extend([to_cell(v) for v in r] for r in notice_rows(n))
    return rows


# ---------------------------------------------------------------------------------------------
# fair value


def _empty(value: Cells | None) -> bool:
    """True for an optional range left out or holding only blank cells."""
    if value is None or not cells.is_range(value):
        return cells.is_blank(value)
    return all(cells.is_blank(v) for row in cells.rows2d(value) for v in row)


@xw.func(category=CATEGORY, call_in_wizard=False)
@_arg("instrument", "a note's name (Registered, Private), Warrants or Total")
@_arg("spot", _default("share price on the valuation date, USD/share", _M.spot))
@_arg("volatility", _default("annual volatility (1.10 = 110%)", _M.volatility))
@_arg("rate", _default("risk-free rate a year", _M.rate))
@_arg("credit_spread", _default("issuer's credit spread a year, for its cash payments", _M.credit_spread))
@_arg("paths", _default(f"Monte Carlo paths (at most {MAX_PATHS_PER_CELL:,})", DEMO_PATHS))
@_arg("seed", _default("random seed (same seed, same numbers)", 0))
@_arg("valuation_date", "valuation date; blank: the issue date")
@_arg("vwap_noise", _default("daily VWAP noise around the price (lognormal sigma)", _M.vwap_noise))
@_arg("daily_volume", _default("shares traded a day at the spot", _M.daily_volume))
@_arg("default_date", "date of an event of default to value; blank: none")
@_range("terms", TERMS_RANGE)
@_range("dates", "column of trading dates of the VWAPs up to the valuation date; blank: none")
@_range("vwaps", "VWAPs beside the dates, USD/share (with events, VWAP, Dollar Volume and Market Cap "
                 "side by side: the equity conditions need them); blank: the spot on every earlier day")
@_range("events", "the deal's events (Date, Event, Note, Amount, Value): valued from the deal's state at "
        "the end of the valuation date; blank: as issued")
@cell_errors
def ASCENT_FAIR_VALUE(
    instrument: Cell,
    spot: Cell = None,
    volatility: Cell = None,
    rate: Cell = None,
    credit_spread: Cell = None,
    paths: Cell = None,
    seed: Cell = None,
    valuation_date: Cell = None,
    vwap_noise: Cell = None,
    daily_volume: Cell = None,
    default_date: Cell = None,
    terms: Cells = None,
    dates: Cells = None,
    vwaps: Cells = None,
    events: Cells = None,
) -> Cell:
    """Fair value and standard error, USD (two cells), of a note, the warrants or the total, by
    Monte Carlo; with events, from the deal's state on the valuation date; blank inputs: demo
    assumptions; at most 200,000 paths in a cell (MAX_PATHS_PER_CELL)."""
    from ascent_xl.valuation.run import instrument_estimates

    deal = cells.terms_from_cells(terms, TERMS)
    name = cells.to_text(instrument, "instrument")
    known = [n.name for n in deal.notes] + ["Warrants", "Total"]
    if name.lower() not in {k.lower() for k in known}:
        raise cells.CellError(f"instrument {name!r}: use one of {', '.join(known)}")
    count = to_whole(paths, "paths", DEMO_PATHS)
    if count > MAX_PATHS_PER_CELL:
        raise cells.CellError(f"paths {count:,}: {PATHS_PER_CELL_LIMIT}")
    if _empty(dates) != _empty(vwaps):
        raise cells.CellError("dates and vwaps: give both (the VWAPs up to the valuation date) or neither")
    market = None if _empty(dates) else _ledger_market(dates, vwaps, calendar=deal.calendar)
    rules = DEMO_BEHAVIOUR
    if not cells.is_blank(default_date):
        rules = rules.replace(default_date=cells.to_date(default_date, "default_date"))
    if not _empty(events):
        return [list(_fair_value_as_of(deal, name, events, dates, vwaps, terms, market, rules, count,
                                       to_whole(seed, "seed", 0), spot=spot, volatility=volatility, rate=rate,
                                       credit_spread=credit_spread, vwap_noise=vwap_noise,
                                       daily_volume=daily_volume, valuation_date=valuation_date))]
    model = _M.replace(
        spot=to_number(spot, "spot", _M.spot),
        volatility=to_number(volatility, "volatility", _M.volatility, percent=True),
        rate=to_number(rate, "rate", _M.rate, percent=True),
        credit_spread=to_number(credit_spread, "credit_spread", _M.credit_spread, percent=True),
        vwap_noise=to_number(vwap_noise, "vwap_noise", _M.vwap_noise, percent=True),
        daily_volume=to_number(daily_volume, "daily_volume", _M.daily_volume),
        valuation_date=None if cells.is_blank(valuation_date) else cells.to_date(valuation_date, "valuation_date"),
    )
    closing = deal.closing
    if model.valuation_date not in (None, closing):
        raise cells.CellError(f"valuation_date {model.valuation_date}: the notes were issued on {closing}; give "
                              "the deal's events up to that date (the events argument) so the value "
                              "starts from what is outstanding then")
    estimates = instrument_estimates(deal, model, rules, count, to_whole(seed, "seed", 0), market=market)
    value, error = estimates[name.lower()]
    return [[value, error]]


_AS_OF: dict[Any, dict[str, tuple[float, float]]] = {}


def _fair_value_as_of(deal: DealTerms, name: str, events: Cells, dates: Cells, vwaps: Cells, terms: Cells,
                      market: Any, rules: Any, paths: int, seed: int, *, valuation_date: Cell,
                      **inputs: Cell) -> tuple[float, float]:
    """ASCENT_FAIR_VALUE from the deal's state (valuation.run.prepare_as_of), the run cached per
    input fingerprint: the cells of one book that ask for each instrument share one run."""
    from ascent_xl.valuation.run import instrument_estimates_of, prepare_as_of

    closing = deal.closing
    when = closing if cells.is_blank(valuation_date) else cells.to_date(valuation_date, "valuation_date")
    given = {k: None if cells.is_blank(v) else to_number(v, k, getattr(_M, k), percent=k not in ("spot", "daily_volume"))
             for k, v in inputs.items()}
    key = (_fingerprint(events, dates, vwaps, terms), when, tuple(sorted(given.items())), rules, paths, seed)
    found = _AS_OF.get(key)
    if found is None:
        prepared = prepare_as_of(deal, cells.events_from_cells(events), market, as_of=when, model=_M,
                                 behaviour=rules, given=given, source="the book's VWAPs",
                                 no_spot="give dates and vwaps (the VWAPs up to that day) or spot")
        found = _remember(_AS_OF, key, instrument_estimates_of(prepared.setup, paths=paths, seed=seed))
    return found[name.lower()]


# ---------------------------------------------------------------------------------------------
# terms and version


@xw.func(category=CATEGORY)
@cell_errors
def ASCENT_TERMS() -> Cell:
    """The ASTI_2022 deal terms as rows of Term, Value, Unit, Description (spills); the first
    two columns are what a `terms` argument takes."""
    rows: list[list[Any]] = [["Term", "Value", "Unit", "Description"]]
    for name, value in TERMS.flat().items():
        unit, doc = DealTerms.describe(name)
        rows.append([name, cells.term_cell(value), unit, doc])
    return rows


@xw.func(category=CATEGORY)
@cell_errors
def ASCENT_VERSION() -> Cell:
    """Version of the ascent-xl package that computes the ASCENT_* functions."""
    return ascent_xl.__version__


UDFS = tuple(
    f for name, f in sorted(globals().items()) if name.startswith("ASCENT_") and callable(f)
)
"""Every worksheet function in this module."""
