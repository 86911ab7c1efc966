"""Cell values to engine arguments, and engine results back to cells.

Excel hands a UDF plain Python values: numbers as ``float``, text as ``str``, ``True``/``False``,
dates as ``datetime`` (when the cell is formatted as a date) or as serial numbers (when it is
not, and always in pycel), blanks as ``None``, and a range as a list of rows (``ndim=2``). This
module turns them into what the engine takes and refuses what it cannot read with a short
:class:`CellError` that names the argument and the row (``vwaps row 14: 'abc' is not a number``).

Dates: a ``datetime``/``date``, an Excel serial number in the 1900 date system (serial 1 is
1900-01-01; Excel counts a 29 February 1900 that never was, serial 60, so serials from 61 on are
one day ahead of a plain count: serial 44914 is 2022-12-19), or ISO text ``YYYY-MM-DD``. A time
of day is dropped. Columns convert in one numpy pass when they hold only numbers or only dates.

Columns: a one-column or one-row range, or a flat list; trailing blank cells are ignored.

Examples
--------
>>> str(to_day(44914, "notice_date"))
'2022-12-19'
>>> [str(d) for d in to_days([1, 59, 61, "2022-12-19"], "dates")]
['1900-01-01', '1900-02-28', '1900-03-01', '2022-12-19']
>>> to_number("$1,250.50", "amount")
1250.5
>>> column([[1.0], [2.0], [None]], "vwaps")
[1.0, 2.0, None]
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
import operator
import threading
import typing
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from ascent_xl.calendar import DateFormatError, days_of_dates, read_date, serials_to_days
from ascent_xl.errors import AscentError, InputError, TermsError
from ascent_xl.events import COLUMNS as EVENT_COLUMNS
from ascent_xl.events import Event, parse_events
from ascent_xl.market import MarketData
from ascent_xl.money import MAX_AMOUNT, parse_number, read_number
from ascent_xl.terms import DealTerms, resolve_term_name

Cell = Any
"""One cell's value as xlwings or pycel passes it (number, text, bool, datetime or None)."""

Cells = Any
"""A range's values: a list of rows (``ndim=2``), a flat list, or a single value."""

F = TypeVar("F", bound=Callable[..., Any])
_FIRST = operator.itemgetter(0)

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_SERIAL_KINDS = frozenset((float, int))
_DATE_KINDS = frozenset((dt.datetime, dt.date))
_MAX_MESSAGE = 250


class CellError(InputError):
    """A cell or range argument cannot be read; the message names the argument and the row."""


# ---------------------------------------------------------------------------------------------
# xlwings' decorators


class _NoXlwings:
    """xlwings' UDF decorators where xlwings is not loaded: each returns the function as it is
    (what xlwings' own decorators do outside Windows)."""

    @staticmethod
    def func(*args: Any, **kwargs: Any) -> Callable[[F], F]:
        return lambda f: f

    arg = ret = func


def xlwings_decorators() -> Any:
    """The module whose ``func``, ``arg`` and ``ret`` decorate the UDFs: ``xlwings`` when it is
    loaded (Excel's UDF server imports it before the UDF modules, and registers the functions
    from these decorators), else a stand-in whose decorators change nothing. Importing xlwings
    takes 1-3 s (it imports pandas and matplotlib); the headless refresh, which calculates the
    book's ``ASCENT_*`` formulas through these functions, does not need it."""
    import sys

    return sys.modules.get("xlwings") or _NoXlwings


# ---------------------------------------------------------------------------------------------
# errors to cells


def cell_errors(fn: F) -> F:
    """Decorator for UDFs: an error becomes the cell's value, a short text naming what to fix.

    An :class:`~ascent_xl.errors.AscentError` returns its own message; any other exception (a
    bug) returns ``"internal error (TypeError): ..."`` on one line, never a traceback.

    The docstring's first paragraph is joined into one line, since Excel's Function Wizard
    shows it as it is (up to 255 characters). The undecorated function is ``__wrapped__``.
    """

    names = list(inspect.signature(fn).parameters)
    shares = "SHARES" in fn.__name__.upper()

    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        try:
            result = fn(*args)
        except AscentError as exc:
            return _short(_naming_the_argument(str(exc), names, args))
        except (OverflowError, ZeroDivisionError, FloatingPointError) as exc:
            return _short(_out_of_range(names, args, f"the result overflows ({exc})"))
        except Exception as exc:  # noqa: BLE001 - a cell must show a message, not a traceback
            return _short(f"internal error ({type(exc).__name__}): {exc}; please report it")
        return guard_result(result, shares=shares, why=lambda: _out_of_range(names, args, ""))

    if fn.__doc__:
        first, *rest = inspect.cleandoc(fn.__doc__).split("\n\n")
        wrapper.__doc__ = "\n\n".join([" ".join(first.split()), *rest])
    return wrapper  # type: ignore[return-value]


MAX_RESULT = 2.0**53
"""Largest number a UDF returns (about 9e15: beyond it a float, and an Excel cell, no longer
holds every whole number); larger results come from arguments far out of range."""


def guard_result(result: Any, *, shares: bool = False, why: Callable[[], str] | None = None) -> Any:
    """``result`` with every number that is not finite, above :data:`MAX_RESULT` in size, or
    (``shares``: a share count) negative replaced by a text saying so: no UDF ever returns
    ``inf``, ``NaN``, an overflowed integer or a negative share count. ``why`` gives the text
    (by default, naming the arguments that are far out of range)."""
    def bad(x: Any) -> bool:
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
            return False
        return bool(not (-MAX_RESULT <= x <= MAX_RESULT) or (shares and x < 0))

    def text() -> str:
        return _short(why() if why is not None else "the result is out of range")

    if isinstance(result, np.ndarray):
        if result.dtype.kind in "biuf":
            values = result.astype(float) if result.dtype.kind != "b" else None
            if values is None:
                return result
            wrong = ~(np.abs(values) <= MAX_RESULT) | ((values < 0) if shares else False)
            if not wrong.any():
                return result
            out = result.astype(object)
            out[wrong] = text()
            return out
        flat = result.reshape(-1)
        hits = [i for i, x in enumerate(flat.tolist()) if bad(x)]
        if hits:
            result = result.copy()
            result.reshape(-1)[hits] = text()
        return result
    if isinstance(result, (list, tuple)):
        return [guard_result(x, shares=shares, why=why) for x in result]
    return text() if bad(result) else result


def _naming_the_argument(message: str, names: list[str], args: tuple[Any, ...]) -> str:
    """``message``, led by the arguments far out of range when it names no argument itself
    (``price_at_demand 1e-308 is far out of range: amount inf is not a finite number ...``)."""
    if any(n in message or n.replace("_", " ") in message for n in names):
        return message
    far = _far_arguments(names, args)
    if not far:
        return message
    return f"{', '.join(far)} {'is' if len(far) == 1 else 'are'} far out of range: {message}"


def _far_arguments(names: list[str], args: tuple[Any, ...]) -> list[str]:
    """``name value`` of each one-cell number argument above 1e12 in size or within 1e-9 of 0."""
    far = []
    for name, value in zip(names, args, strict=False):
        try:
            x = parse_number(single(value, name))
        except CellError:
            continue
        if x is None:
            continue
        if not abs(x) <= 1e12 or 0 < abs(x) < 1e-9:
            far.append(f"{name} {x:g}")
    return far


def _largest_argument(names: list[str], args: tuple[Any, ...]) -> str | None:
    """``name value`` of the one-cell number argument largest in size, or None: where no
    argument is far out of range on its own, the largest is the one to look at first."""
    best: tuple[float, str] | None = None
    for name, value in zip(names, args, strict=False):
        try:
            x = parse_number(single(value, name))
        except CellError:
            continue
        if x is not None and (best is None or abs(x) > best[0]):
            best = (abs(x), f"{name} {x:g}")
    return best[1] if best else None


def _out_of_range(names: list[str], args: tuple[Any, ...], detail: str) -> str:
    """The message for a result out of range, naming the arguments far from any deal's range
    (a number above 1e12 in size, or within 1e-9 of zero)."""
    far = _far_arguments(names, args)
    largest = None if far else _largest_argument(names, args)
    if far:
        what = f"{', '.join(far)} {'is' if len(far) == 1 else 'are'} far out of range"
    elif largest:
        what = f"an argument is out of range (the largest is {largest})"
    else:
        what = "an argument is far out of range"
    tail = f" ({detail})" if detail else ""
    return f"{what}: the result is not a finite number of at most {MAX_RESULT:.0f}{tail}; correct it"


def _short(message: str) -> str:
    text = " ".join(message.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


# ---------------------------------------------------------------------------------------------
# shapes


def is_blank(value: Any) -> bool:
    """True for an empty cell: ``None``, empty or all-space text, or NaN."""
    if value is None:
        return True
    if type(value) is str:
        return not value.strip()
    return type(value) is float and math.isnan(value)


def is_range(value: Any) -> bool:
    """True when ``value`` is a range (a list, tuple or array) rather than one cell."""
    return isinstance(value, (list, tuple, np.ndarray))


def single(value: Any, name: str) -> Any:
    """The one value of a cell argument: a scalar, or the only cell of a 1x1 range."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    while isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise CellError(f"{name}: give one cell, not a range of {len(value)}")
        value = value[0]
    return value


def column(value: Cells, name: str) -> list[Any]:
    """The cells of a one-column or one-row range as a flat list (a single value: a list of
    one); a range wider and taller than one cell is an error."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [value]
    if not value:
        return []
    if isinstance(value[0], (list, tuple)):
        rows, cols = len(value), len(value[0])
        if cols == 1:
            try:
                return list(map(_FIRST, value))  # one-cell rows, as xlwings passes a column
            except IndexError:
                return [row[0] if row else None for row in value]
        if rows == 1:
            return list(value[0])
        raise CellError(f"{name}: select one column (got {rows} rows x {cols} columns)")
    return list(value)


def rows2d(value: Cells) -> list[list[Any]]:
    """A range as a list of rows (a flat list is one row, a single value one cell)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if value and isinstance(value[0], (list, tuple)):
        return [list(r) for r in value]
    return [list(value)]


def trim_trailing(values: list[Any]) -> list[Any]:
    """``values`` without the blank cells at the end."""
    n = len(values)
    while n and is_blank(values[n - 1]):
        n -= 1
    return values if n == len(values) else values[:n]


def last_filled(values: list[Any]) -> int:
    """Number of cells up to and including the last non-blank one."""
    return len(trim_trailing(values))


# ---------------------------------------------------------------------------------------------
# dates


def to_day(value: Cell, name: str) -> np.datetime64:
    """One date cell as ``datetime64[D]``: a date/datetime, an Excel serial number or ISO text
    (a time of day is dropped); the set :func:`ascent_xl.calendar.parse_date` takes."""
    value = single(value, name)
    if is_blank(value) or (isinstance(value, np.datetime64) and np.isnat(value)):
        raise CellError(f"{name}: date missing; type a date or YYYY-MM-DD")
    day = read_date(value, f"{name}:", error=CellError)
    return np.datetime64(day.toordinal() - _EPOCH_ORDINAL, "D")


def to_days(values: Sequence[Any], name: str, *, rows: Sequence[int] | None = None) -> np.ndarray:
    """Many date cells as a ``datetime64[D]`` array; errors name ``name row N`` (``rows`` are
    the 0-based positions of ``values`` in the range, default 0, 1, 2 ...).

    All numbers (serials) or all dates convert in one vectorised pass; a mix goes cell by cell.
    """
    return _to_days(values, name, rows, set(map(type, values)))


def _to_days(
    values: Sequence[Any], name: str, rows: Sequence[int] | None, kinds: set[type]
) -> np.ndarray:
    """:func:`to_days` with the set of the cells' types already known."""
    n = len(values)
    if n == 0:
        return np.empty(0, dtype="datetime64[D]")
    if kinds <= _SERIAL_KINDS:
        return _serials_to_days(np.array(values, dtype=float), _RowLabels(name, rows))
    if kinds <= _DATE_KINDS:
        return days_of_dates(values)
    out = np.empty(n, dtype="datetime64[D]")
    labels = _RowLabels(name, rows)
    for i, v in enumerate(values):
        out[i] = to_day(v, labels[i])
    return out


def _may_hold_blanks(values: Sequence[Any], kinds: set[type] | None = None) -> bool:
    """False when no cell of ``values`` can be blank (checked by type, in one pass)."""
    kinds = set(map(type, values)) if kinds is None else kinds
    if kinds <= _DATE_KINDS:
        return False
    if kinds <= _SERIAL_KINDS:
        return float in kinds and any(math.isnan(v) for v in values if type(v) is float)
    return True


class _RowLabels(Sequence[str]):
    """``name row N`` for position ``i``, built only when a message needs it."""

    def __init__(self, name: str, rows: Sequence[int] | None) -> None:
        self.name, self.rows = name, rows

    def __len__(self) -> int:  # pragma: no cover - only indexed
        return len(self.rows) if self.rows is not None else 0

    def __getitem__(self, i: Any) -> Any:
        row = self.rows[i] if self.rows is not None else i
        return f"{self.name} row {row + 1}"


def _serials_to_days(serials: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """Excel serial numbers (1900 date system) as ``datetime64[D]``."""
    try:
        return serials_to_days(serials)
    except DateFormatError as exc:
        raise CellError(f"{labels[exc.index]}: {exc}") from None  # type: ignore[attr-defined]


def _iso_day(text: str, name: str) -> np.datetime64:
    """ISO text as ``datetime64[D]`` (text only: a serial typed as text is not taken here)."""
    if not isinstance(text, str) or not text.strip()[:1].isdigit() or "-" not in text:
        raise CellError(f"{name}: {text!r} is not a date; write it as YYYY-MM-DD")
    return np.datetime64(read_date(text, f"{name}:", error=CellError), "D")


def to_date(value: Cell, name: str) -> dt.date:
    """One date cell as a :class:`datetime.date` (see :func:`to_day`)."""
    return to_day(value, name).item()  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# numbers, flags, choices


def to_number(
    value: Cell,
    name: str,
    default: float | None = None,
    *,
    percent: bool = False,
    most: float = MAX_AMOUNT,
) -> float:
    """A number cell as ``float``; a blank cell gives ``default`` (an error when there is none).

    Text is read by :func:`ascent_xl.money.to_float`: ``"1,250"`` or ``"$3.15"`` is a number,
    ``"4,2347"`` (ambiguous) is refused, and ``"4.5%"`` is 0.045 only with ``percent=True``
    (an argument that is a rate). A number above ``most`` in size (default
    :data:`ascent_xl.money.MAX_AMOUNT`, ten trillion) is refused: no deal amount, price or
    count is that large.
    """
    value = single(value, name)
    if is_blank(value):
        if default is None:
            raise CellError(f"{name}: missing; type a number")
        return default
    return read_number(value, name, error=CellError, percent=percent, most=most)


def to_whole(value: Cell, name: str, default: int | None = None) -> int:
    """A whole-number cell as ``int`` (10.0 is 10); blank gives ``default``."""
    x = to_number(value, name, None if default is None else float(default))
    if x != int(x):
        raise CellError(f"{name} {x:g} is not a whole number")
    return int(x)


def to_bool(value: Cell, name: str, default: bool | None = None) -> bool:
    """A TRUE/FALSE cell; 1/0 and the texts TRUE, FALSE, yes, no also work."""
    value = single(value, name)
    if is_blank(value):
        if default is None:
            raise CellError(f"{name}: missing; type TRUE or FALSE")
        return default
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1"):
        return True
    if text in ("false", "no", "n", "0"):
        return False
    raise CellError(f"{name} {value!r}: type TRUE or FALSE")


def to_choice(value: Cell, name: str, choices: Sequence[str], default: str | None = None) -> str:
    """A text cell that must be one of ``choices`` (case-insensitive); blank gives ``default``."""
    value = single(value, name)
    if is_blank(value):
        if default is None:
            raise CellError(f"{name}: missing; use one of {', '.join(choices)}")
        return default
    text = str(value).strip()
    for c in choices:
        if text.lower() == c.lower():
            return c
    raise CellError(f"{name} {value!r}: use one of {', '.join(choices)}")


def to_text(value: Cell, name: str, default: str | None = None) -> str:
    """A text cell, stripped; blank gives ``default``."""
    value = single(value, name)
    if is_blank(value):
        if default is None:
            raise CellError(f"{name}: missing")
        return default
    return str(value).strip()


def to_floats(values: Sequence[Any], name: str, *, rows: Sequence[int] | None = None) -> np.ndarray:
    """Number cells as a float array, blanks as NaN; errors name ``name row N``."""
    n = len(values)
    if set(map(type, values)) <= {float, int}:
        out = np.array(values, dtype=float)
    else:
        out = np.empty(n)
        labels = _RowLabels(name, rows)
        for i, v in enumerate(values):
            if is_blank(v):
                out[i] = np.nan
            else:
                out[i] = read_number(v, f"{labels[i]}:", error=CellError)
    if np.isinf(out).any():
        i = int(np.argmax(np.isinf(out)))
        raise CellError(f"{_RowLabels(name, rows)[i]}: not a finite number")
    return out


# ---------------------------------------------------------------------------------------------
# results to cells


def to_cell(value: Any) -> Any:
    """An engine result as a plain cell value (numpy scalars to float/int/bool, dates to
    datetime, NaN and None to an empty cell)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (type(value) is float and math.isnan(value)):
        return ""
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def term_cell(value: Any) -> Any:
    """A term's value as a cell: a list of values as text (``3, 6, 9, 12``), a date as a date."""
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return to_cell(value)


def to_column(values: Sequence[Any] | np.ndarray) -> list[list[Any]]:
    """A column for Excel to spill: one row per value."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    return [[to_cell(v)] for v in values]


def map_dates(value: Cells, name: str, compute: Callable[[np.ndarray], np.ndarray]) -> Any:
    """Apply ``compute`` (a ``datetime64[D]`` array to an array of results, in one vectorised
    call) to one date or to a column of dates: :func:`map_date_rows` for a ``compute`` that does
    not need to know the rows."""
    return map_date_rows(value, name, lambda days, _rows: compute(days))


def map_date_rows(value: Cells, name: str, compute: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Any:
    """Apply ``compute`` (dates as ``datetime64[D]`` and their rows' positions in the range, to
    an array of results, in one vectorised call) to one date or to a column of dates. The rows
    let ``compute`` take the matching cells of a column beside the dates (amounts).

    One date gives one plain value. A range gives a column for Excel to spill: a numpy array of
    shape (rows, 1), one row per cell (trailing blanks dropped, blank cells in between left
    blank, i.e. ``""`` in an object array). xlwings writes numpy arrays as they are; building
    the rows as Python lists here would only cost time (10,000 one-cell lists trigger the
    garbage collector over everything xlwings has imported).

    When the vectorised call fails, the dates are priced one by one so that each bad row shows
    its own message; if every row fails, the first error is raised.
    """
    if not is_range(value):
        return to_cell(compute(np.array([to_day(value, name)]), np.zeros(1, dtype=np.int64))[0])
    if type(value) is list and value and type(value[0]) is list and len(value[0]) == 1:
        # The common case, a column of date cells: read it in one pass; anything unusual
        # (a blank, text, a serial number) makes toordinal raise and takes the general path.
        try:
            days = days_of_dates(map(_FIRST, value), count=len(value))
        except (TypeError, IndexError):
            pass
        else:
            try:
                found = np.asarray(compute(days, np.arange(len(days))))
                if found.dtype.kind in "biuf":
                    return found.reshape(-1, 1)
            except AscentError:
                pass  # priced one by one below, so that each bad row shows its own message
    items = trim_trailing(column(value, name))
    kinds = set(map(type, items))
    if not _may_hold_blanks(items, kinds):
        rows: list[int] = list(range(len(items)))
        cells = items
    else:
        rows = [i for i, v in enumerate(items) if not is_blank(v)]
        cells = [items[i] for i in rows]
        kinds = set(map(type, cells))
    if not rows:
        raise CellError(f"{name}: no dates; give a date or a column of dates")
    try:
        found = np.asarray(compute(_to_days(cells, name, rows, kinds), np.asarray(rows, dtype=np.int64)))
        if len(rows) == len(items) and found.dtype.kind in "biuf":
            return found.reshape(-1, 1)
        results = found.tolist()
    except AscentError as first:
        results = []
        failed = 0
        for i, v in zip(rows, cells, strict=True):
            try:
                results.append(compute(np.array([to_day(v, f"{name} row {i + 1}")]), np.array([i]))[0])
            except AscentError as exc:
                results.append(_short(str(exc)))
                failed += 1
        if failed == len(rows):
            raise first from None
    out = np.full((len(items), 1), "", dtype=object)
    for i, r in zip(rows, results, strict=True):
        out[i, 0] = to_cell(r)
    return out


def numbers_beside(value: Cells, name: str, beside: Cells, beside_name: str) -> float | np.ndarray:
    """One number, or a column of numbers one per cell of the range ``beside`` (a blank cell:
    NaN, refused by the function for its row only). A column of another length is refused."""
    if not is_range(value) or len(column(value, name)) == 1:
        return to_number(value, name)
    cells = column(value, name)
    n = len(column(beside, beside_name)) if is_range(beside) else 1
    if len(cells) != n:
        raise CellError(f"{name}: {len(cells)} cells beside {n} of {beside_name}; give one {name} or "
                        f"one per row of {beside_name}")
    out = np.full(len(cells), np.nan)
    for i, v in enumerate(cells):
        if not is_blank(v):
            out[i] = to_number(v, f"{name} row {i + 1}")
    return out


# ---------------------------------------------------------------------------------------------
# market data from ranges (with a small cache)

_MARKET_CACHE: OrderedDict[tuple[Any, ...], MarketData] = OrderedDict()
_MARKET_CACHE_SIZE = 8
_MARKET_LOCK = threading.Lock()


def market_from_cells(
    dates: Cells,
    vwaps: Cells | None,
    *,
    dollar_volumes: Cells | None = None,
    market_caps: Cells | None = None,
    closes: Cells | None = None,
    calendar: str = "XNAS",
    names: tuple[str, ...] = ("dates", "vwaps", "dollar_volumes", "market_caps", "closes"),
) -> MarketData:
    """:class:`~ascent_xl.market.MarketData` from a Date column and the value columns beside it.

    A first row of column names (text in every cell, e.g. ``Date``, ``VWAP``) is skipped;
    trailing blank rows are ignored and so are rows blank in every column; a value without a
    date is an error naming the row (rows count from the range's first row, header included). A blank VWAP is allowed (it is an error only when a window
    needs it). The last few market data built are kept, keyed by the exact converted values, so
    that many cells reading the same range build it once.
    """
    if dollar_volumes is None and market_caps is None and closes is None:
        plain = _plain_cells(dates, vwaps)
        market = None if plain is None else _market_of_plain(calendar, *plain)
        if market is not None:
            return market
    given = [(names[0], column(dates, names[0]))]
    for nm, col in ((names[1], vwaps), (names[2], dollar_volumes), (names[3], market_caps), (names[4], closes)):
        if col is not None:
            given.append((nm, column(col, nm)))
    n = max(last_filled(c) for _, c in given)
    if n == 0:
        raise CellError(f"{names[0]}: no data; select the Date column and the VWAP column")
    for nm, c in given[1:]:
        if len(c) < n:
            raise CellError(
                f"{nm} has {len(c)} rows but {names[0]} has data in {n}; "
                "select ranges of the same height"
            )
    if len(given[0][1]) < n:
        raise CellError(
            f"{names[0]} has {len(given[0][1])} rows but {given[1][0]} has data in {n}; "
            "select ranges of the same height"
        )
    cols = [c[:n] if len(c) > n else c for _, c in given]
    date_col = cols[0]
    start = 1 if _is_header([c[0] for c in cols]) else 0
    rows: list[int] | None = None
    if start or (_may_hold_blanks(date_col) and any(is_blank(v) for v in date_col)):
        keep = []
        for i in range(start, n):
            d = date_col[i]
            if not is_blank(d):
                keep.append(i)
                continue
            filled = [
                nm for (nm, _), c in zip(given[1:], cols[1:], strict=True) if not is_blank(c[i])
            ]
            if filled:
                raise CellError(
                    f"{names[0]} row {i + 1}: date missing ({filled[0]} given); "
                    "fill in the date or clear the row"
                )
        rows = keep
        cols = [[c[i] for i in keep] for c in cols]
    days = to_days(cols[0], names[0], rows=rows)
    arrays = {
        nm: to_floats(c, nm, rows=rows) for (nm, _), c in zip(given[1:], cols[1:], strict=True)
    }
    vwap = arrays.get(names[1], np.full(len(days), np.nan))
    volume = arrays.get(names[2])
    cap = arrays.get(names[3])
    close = arrays.get(names[4])
    labels = None if rows is None else [f"row {i + 1}" for i in rows]
    return _cached_market(calendar, days, vwap, volume, cap, labels, close)


def _plain_cells(dates: Cells, vwaps: Cells) -> tuple[list[Any], list[Any]] | None:
    """The cells of a Date column and a VWAP column as two flat lists when they may be the plain
    case - two columns of the same height, every VWAP a float or int (no header, no blank, no
    TRUE/FALSE), every date a date or datetime (checked by :func:`_market_of_plain`) - else
    None (the general path then says what is wrong). Checked by type in C loops."""
    if not (type(dates) is list and type(vwaps) is list and dates and len(dates) == len(vwaps)):
        return None
    if type(dates[0]) is not list or len(dates[0]) != 1 or type(vwaps[0]) is not list or len(vwaps[0]) != 1:
        return None
    try:
        days, values = list(map(_FIRST, dates)), list(map(_FIRST, vwaps))
    except (TypeError, IndexError):
        return None
    if not set(map(type, values)) <= _SERIAL_KINDS:
        return None
    return days, values  # the dates' types are checked when they are not those of a range seen


_PLAIN_CACHE: OrderedDict[tuple[str, int], list[tuple[list[Any], list[Any], MarketData]]] = OrderedDict()


def _market_of_plain(calendar: str, days: list[Any], values: list[Any]) -> MarketData | None:
    """The market data of plain Date and VWAP cells (see :func:`_plain_cells`), from a cache
    keyed by the cells' content: Excel passes fresh lists on every call, so a range is known
    by its values, compared with the cells of the ranges seen last (``==`` on lists of dates and
    of numbers, in C; the types were checked, so ``True == 1`` cannot match). None when a VWAP
    is not finite (a NaN is a blank cell: the general path reads it)."""
    key = (calendar, len(days))
    with _MARKET_LOCK:
        for seen_days, seen_values, market in _PLAIN_CACHE.get(key, ()):
            if seen_values == values and seen_days == days:
                return market
    if not set(map(type, days)) <= _DATE_KINDS:
        return None
    vwap = np.array(values, dtype=float)
    if not np.isfinite(vwap).all():
        return None
    day_array = days_of_dates(days)
    market = _cached_market(calendar, day_array, vwap, None, None)
    with _MARKET_LOCK:
        entries = _PLAIN_CACHE.setdefault(key, [])
        entries.insert(0, (list(days), list(values), market))  # copies: a caller may change its lists
        del entries[_MARKET_CACHE_SIZE:]
        _PLAIN_CACHE.move_to_end(key)
        while len(_PLAIN_CACHE) > _MARKET_CACHE_SIZE:
            _PLAIN_CACHE.popitem(last=False)
    return market


def _cached_market(calendar: str, days: np.ndarray, vwap: np.ndarray, volume: np.ndarray | None,
                   cap: np.ndarray | None, labels: list[str] | None = None,
                   close: np.ndarray | None = None) -> MarketData:
    """The market data for these arrays, from the cache when the same values were seen."""
    key = (
        calendar,
        days.tobytes(),
        vwap.tobytes(),
        None if volume is None else volume.tobytes(),
        None if cap is None else cap.tobytes(),
        None if close is None else close.tobytes(),
    )
    with _MARKET_LOCK:
        market = _MARKET_CACHE.get(key)
        if market is not None:
            _MARKET_CACHE.move_to_end(key)
            return market
    market = MarketData.from_arrays(
        days, vwap, dollar_volume=volume, market_cap=cap, close=close, calendar=calendar, labels=labels
    )
    with _MARKET_LOCK:
        _MARKET_CACHE[key] = market
        while len(_MARKET_CACHE) > _MARKET_CACHE_SIZE:
            _MARKET_CACHE.popitem(last=False)
    return market


def _is_header(first: list[Any]) -> bool:
    """True when a range's first row holds column names (``Date``, ``VWAP``), not data."""
    date, *values = first
    if not isinstance(date, str) or is_blank(date):
        return False
    try:
        _iso_day(date, "")
        return False
    except CellError:
        pass
    return all(is_blank(v) or (isinstance(v, str) and parse_number(v) is None) for v in values)


def clear_market_cache() -> None:
    """Forget the market data built from ranges (benchmarks and tests use this)."""
    with _MARKET_LOCK:
        _MARKET_CACHE.clear()
        _PLAIN_CACHE.clear()


# ---------------------------------------------------------------------------------------------
# terms and events ranges


def terms_from_cells(value: Cells | None, base: DealTerms, *, name: str = "terms") -> DealTerms:
    """The terms of a two-column name/value range (a header row whose first cell is ``Term`` or
    ``Name`` is skipped; further columns are ignored), read by
    :func:`ascent_xl.terms_io.read_terms` as a terms file and the Inputs sheet are, so their order
    does not matter. Errors name the row and its term.

    - A range with a ``name`` row (the deal's name) is a whole deal, as the book's Inputs sheet
      lists one: every term is needed, by its dotted name (``notes.Advance.rate``), and the notes
      are the range's. So a book of any deal of the family prices on its own terms.
      So is a range naming a note ``base`` does not have (``notes.Advance.face``).
    - A range with a ``base`` row (a preset's name, as in a terms file) changes that preset.
    - Any other range changes ``base``: a dotted term name or a unique short one (``floor_price``,
      ``notes.Registered.rate``).
    """
    from ascent_xl.terms_io import read_terms

    if value is None or (not is_range(value) and is_blank(value)):
        return base
    grid = list(enumerate(rows2d(value), start=1))
    if grid and grid[0][1] and _is_terms_header(grid[0][1]):
        grid = grid[1:]
    named = {str(r[0]).strip().lower(): (r[1] if len(r) > 1 else None)
             for _, r in grid if r and not is_blank(r[0])}
    start: DealTerms | None = base
    if "base" in named:
        from ascent_xl.presets import preset

        try:
            start = preset(str(named["base"]))
        except TermsError as exc:
            raise CellError(f"{name}: {exc}") from None
    elif "name" in named or _names_other_notes(named, base):
        start = None  # a whole deal
    rows: dict[str, int] = {}
    values: dict[str, Any] = {}
    for i, row in grid:
        key = row[0] if row else None
        val = row[1] if len(row) > 1 else None
        if is_blank(key) and is_blank(val):
            continue
        if is_blank(key):
            raise CellError(f"{name} row {i}: term name missing (value {val!r}); add the name")
        if str(key).strip().lower() == "base":
            continue
        try:
            path = resolve_term_name(start, str(key)) if start is not None else _dotted(str(key))
        except TermsError as exc:
            raise CellError(f"{name} row {i}: {exc}") from None
        if path in rows:
            raise CellError(f"{name} row {i}: {path} is also row {rows[path]}; keep one")
        found = DealTerms.term_field(path)
        if is_blank(val) and not (found is not None and _blank_allowed(found[1])):
            raise CellError(f"{name} row {i} ({path}): value missing; type a value or delete the row")
        rows[path] = i
        values[path] = _term_value(val, None if found is None else found[1], name, i, path)
    try:
        return read_terms(values, base=start)
    except TermsError as exc:
        at = rows.get(exc.field) or (next(iter(rows.values())) if len(rows) == 1 else None)
        where = f"{name} row {at}" if at is not None else name
        if start is None and at is None:
            raise CellError(f"{where}: {exc} (a range with a name row is a whole deal: give every "
                            "term, or leave the name row out to change the preset's)") from None
        raise CellError(f"{where}: {exc}") from None


def _is_terms_header(row: Sequence[Any]) -> bool:
    """A first row ``Term | Value`` (or ``Name``, ``Terms``) is a header; ``name | <the deal's
    name>`` is the deal's name."""
    first = "" if is_blank(row[0]) else str(row[0]).strip().lower()
    second = "" if len(row) < 2 or is_blank(row[1]) else str(row[1]).strip().lower()
    return first in ("term", "terms") or (first == "name" and second in ("", "value", "values"))


def _names_other_notes(named: dict[str, Any], base: DealTerms) -> bool:
    """Whether a range names a note ``base`` does not have (``notes.advance.face``)."""
    known = {n.name.lower() for n in base.notes}
    return any(len(p) >= 3 and p[0] == "notes" and p[1] not in known for p in (k.split(".") for k in named))


def _dotted(key: str) -> str:
    """A term's dotted name in a whole deal's range: known to the terms, else a TermsError."""
    path = key.strip()
    if DealTerms.term_field(path) is None:
        raise TermsError(path, "unknown term; a whole deal's range (a name row, or notes of its "
                         "own) gives every term by its dotted name, e.g. conversion.floor_price")
    return path


def _blank_allowed(hint: Any) -> bool:
    """A blank cell is a value for an optional term (blank) and a list (empty)."""
    return type(None) in typing.get_args(hint) or typing.get_origin(hint) is tuple


def _term_value(val: Any, hint: Any, name: str, row: int, path: str) -> Any:
    """A cell value ready for :meth:`DealTerms.with_term` (``hint``: the term's type; date terms,
    optional ones too, accept serial numbers)."""
    if is_blank(val):
        return None
    if hint is not None and dt.date in (hint, *typing.get_args(hint)) and not isinstance(val, str):
        return to_date(val, f"{name} row {row} ({path})")
    return val


def events_from_cells(value: Cells, *, name: str = "events") -> list[Event]:
    """Events from a range with the columns ``Date, Event, Note, Amount, Value``.

    A first row naming the columns is a header (columns may then be in any order; missing
    ones are blank); without it the columns are in that order. Dates may be Excel dates,
    serial numbers or ISO text. Blank rows are skipped. Messages name ``events row N``,
    counting the range's rows from 1.
    """
    table = rows2d(value)
    if not table:
        return []
    header = [str(c).strip().lower() if isinstance(c, str) else "" for c in table[0]]
    start = 0
    index = {c: i for i, c in enumerate(EVENT_COLUMNS)}
    if "date" in header and "event" in header:
        index = {c: header.index(c.lower()) for c in EVENT_COLUMNS if c.lower() in header}
        start = 1
    records: list[dict[str, Any]] = []
    labels: list[str] = []
    for r in range(start, len(table)):
        row = table[r]
        label = f"{name} row {r + 1}"
        rec = {c: (row[j] if j < len(row) else None) for c, j in index.items()}
        for c in EVENT_COLUMNS:
            rec.setdefault(c, None)
        if not is_blank(rec["Date"]) and not isinstance(rec["Date"], str):
            rec["Date"] = to_date(rec["Date"], f"{label}: Date")
        rec["Value"] = _event_value(rec["Value"], label)
        if isinstance(rec["Amount"], float) and rec["Amount"] != rec["Amount"]:
            rec["Amount"] = None
        records.append(rec)
        labels.append(label)
    return parse_events(records, labels=labels)


def _event_value(value: Any, label: str) -> Any:
    """An event's Value cell; a time of day means Excel read a ratio such as 1:200 as a time."""
    if isinstance(value, dt.time) or (isinstance(value, dt.datetime) and value.year < 1900):
        raise CellError(
            f"{label}: Value looks like a time of day (Excel reads 1:200 as a time); "
            "type it as text with a leading apostrophe: '1:200"
        )
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def day_cell(day: np.datetime64) -> dt.datetime:
    """A ``datetime64[D]`` as the ``datetime`` Excel shows as a date."""
    d = np.datetime64(day, "D").item()  # type: ignore[call-overload]
    return dt.datetime(d.year, d.month, d.day)


__all__ = [
    "Cell",
    "CellError",
    "Cells",
    "cell_errors",
    "guard_result",
    "clear_market_cache",
    "column",
    "day_cell",
    "events_from_cells",
    "is_blank",
    "is_range",
    "map_dates",
    "market_from_cells",
    "rows2d",
    "single",
    "terms_from_cells",
    "to_bool",
    "to_cell",
    "to_choice",
    "to_column",
    "to_date",
    "to_day",
    "to_days",
    "to_floats",
    "to_number",
    "to_text",
    "to_whole",
    "trim_trailing",
]
