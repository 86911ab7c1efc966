"""Rounding of money and shares, and checks of amounts.

Money is carried as float dollars and rounded half up to the cent where a payment is made. Share
counts are rounded by the deal's rule (up, down or nearest). Both round at a tolerance of 1e-6
first, so that a quotient that is a whole number in exact arithmetic (1000 / 0.25) never becomes
4001 shares through binary floating point.
"""

from __future__ import annotations

import math
import re
import reprlib
from typing import overload

import numpy as np

from ascent_xl.errors import AscentError, InputError

ROUNDINGS = ("up", "down", "nearest")
MAX_AMOUNT = 1e13
"""Largest USD amount or share count an events file, a terms file or a cell may give (ten
trillion); beyond it a value is a typo."""
MAX_SHARES = 2.0**53
"""Largest share count computed (about 9e15, the largest whole number a float and an Excel cell
hold exactly); a count beyond it comes from an amount or a price far out of range."""
_TOLERANCE_DIGITS = 6


@overload
def round_cents(amount: float) -> float: ...
@overload
def round_cents(amount: np.ndarray) -> np.ndarray: ...
def round_cents(amount: float | np.ndarray) -> float | np.ndarray:
    """Round USD half up (away from zero) to whole cents.

    Examples
    --------
    >>> round_cents(1.005), round_cents(2.344999)
    (1.01, 2.34)
    """
    if type(amount) is float or type(amount) is int:  # scalar fast path, same rule
        if not -_MAX_NUMBER <= amount <= _MAX_NUMBER:
            raise InputError(f"amount {amount:g} is not a finite number of at most {_MAX_NUMBER:g}")
        c = math.floor(round(abs(amount) * 100 + 0.5, _TOLERANCE_DIGITS))
        return math.copysign(c, amount) / 100 if c else 0.0
    x = np.asarray(amount, dtype=float)
    cents = np.sign(x) * np.floor(np.round(np.abs(x) * 100 + 0.5, _TOLERANCE_DIGITS))
    out = cents / 100
    return float(out) if np.ndim(out) == 0 else out


def whole_units(amount: float, unit: float) -> float:
    """``amount`` USD cut down to a whole number of ``unit`` (a preferred's stated value: whole
    preferred shares), to the cent.

    Examples
    --------
    >>> whole_units(5_025_187.75, 10_000), whole_units(20_000.0, 10_000)
    (5020000.0, 20000.0)
    """
    return round_cents(math.floor(amount / unit + 1e-9) * unit)


@overload
def round_shares(shares: float, rounding: str) -> int: ...
@overload
def round_shares(shares: np.ndarray, rounding: str) -> np.ndarray: ...
def round_shares(shares: float | np.ndarray, rounding: str) -> int | np.ndarray:
    """Whole shares from a fractional count: ``up`` (ceiling), ``down`` (floor) or ``nearest``
    (half up).

    Examples
    --------
    >>> round_shares(3180321.7, "up"), round_shares(3180321.7, "down")
    (3180322, 3180321)
    """
    if type(shares) is float or type(shares) is int:  # scalar fast path, same rule
        if not -MAX_SHARES <= shares <= MAX_SHARES:
            _shares_out_of_range(shares)
        q = round(shares, _TOLERANCE_DIGITS)
        if rounding == "up":
            return math.ceil(q)
        if rounding == "down":
            return math.floor(q)
        if rounding == "nearest":
            return math.floor(q + 0.5)
        raise InputError(f"rounding {rounding!r}: use up, down or nearest")
    x = np.round(np.asarray(shares, dtype=float), _TOLERANCE_DIGITS)
    bad = ~(np.abs(x) <= MAX_SHARES)
    if bad.any():
        _shares_out_of_range(float(x.reshape(-1)[int(np.argmax(bad.reshape(-1)))]))
    if rounding == "up":
        out = np.ceil(x)
    elif rounding == "down":
        out = np.floor(x)
    elif rounding == "nearest":
        out = np.floor(x + 0.5)
    else:
        raise InputError(f"rounding {rounding!r}: use up, down or nearest")
    return int(out) if np.ndim(out) == 0 else out.astype(np.int64)


class NumberFormatError(InputError):
    """A value that is not a number in the one format every reader takes (see
    :func:`read_number`). The message starts with the value as typed and says what to write
    instead; readers put the place (``FILE line N: VWAP``) before it."""

    def __init__(self, value: object, problem: str) -> None:
        self.value = value
        self.problem = problem
        super().__init__(f"{_shown(value)} {problem}")


_MAX_NUMBER = 1e300  # beyond this, sums and products overflow to infinity: never a deal number
_NUMBER_SHAPE = re.compile(
    r"(?P<sign>[+-]?)(?P<dollar>\$?)(?P<int>[0-9][0-9,.]*|)(?P<frac>\.[0-9]+|)"
    r"(?P<exp>[eE][+-]?[0-9]+|)(?P<pct>%?)",
    re.ASCII,
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+", re.ASCII)
_NON_FINITE = frozenset(("nan", "inf", "infinity", "snan", "qnan"))


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else reprlib.repr(value)
    if isinstance(value, (float, np.floating)):
        text = f"{value:g}"
    return text if len(text) <= 40 else text[:37] + "..."


def to_float(value: object, *, percent: bool = False, decimal_comma: bool = False) -> float:
    """The number ``value`` stands for, in the one format every reader takes, or a
    :class:`NumberFormatError` saying what to write instead.

    Numbers (int, float, numpy) are taken as they are when finite. Text is ASCII digits with
    an optional sign and an optional leading ``$``; ``.`` is the decimal point and ``,``
    separates thousands, only in groups of three (``1,250,000.50``). ``decimal_comma=True``
    swaps the two (``1.250.000,50``). A trailing ``%`` (``4.5%`` is 0.045) only with
    ``percent=True``, for a rate. Refused: an ambiguous comma (``4,2347``), ``3_0``, digits
    that are not ASCII (``٣``, ``３``), ``nan``/``inf``, booleans, magnitudes above 1e300.

    Examples
    --------
    >>> to_float("$1,250.50"), to_float("4.5%", percent=True), to_float("4,2347", decimal_comma=True)
    (1250.5, 0.045, 4.2347)
    >>> parse_number("4,2347") is None  # 4.2347 or 42347? refused, never guessed
    True
    """
    if isinstance(value, (bool, np.bool_)):
        raise NumberFormatError(value, "is not a number (TRUE/FALSE); type a number")
    if isinstance(value, (int, float, np.integer, np.floating)):
        try:
            x = float(value)
        except OverflowError:
            x = math.inf
        if math.isinf(x) and isinstance(value, (float, np.floating)):
            raise NumberFormatError(value, "is not a finite number; type a number")
        return _finite(value, x)
    if not isinstance(value, str):
        raise NumberFormatError(value, "is not a number; type a number such as 1250.50")
    text = value.strip()
    if not text:
        raise NumberFormatError(value, "is blank; type a number")
    odd = next((ch for ch in text if not ch.isascii()), None)
    if odd is not None:
        if odd.isdigit():
            raise NumberFormatError(
                value, f"has the digit {odd!r} (U+{ord(odd):04X}); type the digits 0-9"
            )
        raise NumberFormatError(
            value, f"has the character {odd!r} (U+{ord(odd):04X}); type a number with 0-9 and '.'"
        )
    if text.lstrip("+-").lower() in _NON_FINITE:
        raise NumberFormatError(value, "is not a finite number; type a number (or leave it blank)")
    if "_" in text:
        raise NumberFormatError(
            value, f"has '_'; write the number without it ({text.replace('_', '')})"
        )
    if decimal_comma:
        text = text.translate(_SWAP)
    if text.startswith("#") and text[1:2].isupper():
        raise NumberFormatError(
            value, "is not a number (an Excel error); correct the cell it comes from or clear it"
        )
    if not any(ch.isdigit() for ch in text):
        raise NumberFormatError(value, "is not a number; type a number such as 1250.50")
    m = _NUMBER_SHAPE.fullmatch(text)
    if m is None or not (m["int"] or m["frac"]):
        raise NumberFormatError(
            value, "is not a number; type digits with an optional sign, '.' for decimals "
            "and ',' between thousands (1,250.50)"
        )
    whole, frac = m["int"], m["frac"]
    if whole.count(".") == 1 and not frac:  # "3.15" is matched as digits with one '.'
        whole, frac = whole.split(".")[0], "." + whole.split(".")[1]
    if "." in whole:
        raise NumberFormatError(value, _separators_hint(decimal_comma))
    if "," in whole and not _GROUPED.fullmatch(whole):
        raise NumberFormatError(value, _comma_hint(whole, frac, decimal_comma))
    if "," in whole and m["exp"]:
        raise NumberFormatError(value, "mixes ',' and an exponent; write it without ','")
    if m["pct"] and not percent:
        raise NumberFormatError(
            value, "is a percent, but this is not a rate; type the number itself without '%'"
        )
    if m["pct"] and m["dollar"]:
        raise NumberFormatError(value, "has both '$' and '%'; type one number")
    x = float(m["sign"] + whole.replace(",", "") + frac + m["exp"])
    if m["pct"]:
        x /= 100
    return _finite(value, x)


_SWAP = str.maketrans({",": ".", ".": ","})


def _finite(value: object, x: float) -> float:
    if math.isnan(x):
        raise NumberFormatError(value, "is not a number (NaN); type a number (or leave it blank)")
    if not abs(x) <= _MAX_NUMBER:
        raise NumberFormatError(value, f"is too large (more than {_MAX_NUMBER:g}); type the amount")
    return x


def _comma_hint(whole: str, frac: str, decimal_comma: bool) -> str:
    sep, point = (".", ",") if decimal_comma else (",", ".")
    digits = whole.replace(",", "")
    head, _, tail = whole.partition(",")
    if whole.count(",") == 1 and not frac:
        as_decimal = f"{head}{point}{tail}"
        return (
            f"has an ambiguous {'point' if decimal_comma else 'comma'}: write {as_decimal} for a "
            f"decimal or {int(digits)} for a whole number"
        )
    return (
        f"has a '{sep}' that does not separate thousands (groups of three digits, "
        f"1{sep}250{sep}000{point}50); write the number without '{sep}'"
    )


def _separators_hint(decimal_comma: bool) -> str:
    point = "," if decimal_comma else "."
    return f"has more than one decimal '{point}'; type one number such as 1250{point}50"


def _shares_out_of_range(shares: float) -> None:
    raise InputError(
        f"{shares:g} shares is out of range (at most {MAX_SHARES:.0f}); check the amount and "
        "the price it is divided by"
    )


def parse_number(value: object, *, percent: bool = False, decimal_comma: bool = False) -> float | None:
    """:func:`to_float`, with None where it refuses (for code that only asks *is this a
    number*; readers call :func:`read_number`, whose error says what to write instead).

    Examples
    --------
    >>> parse_number("$1,250.50"), parse_number("4.5%", percent=True), parse_number("abc")
    (1250.5, 0.045, None)
    """
    if value is None:
        return None
    try:
        return to_float(value, percent=percent, decimal_comma=decimal_comma)
    except NumberFormatError:
        return None


def read_number(
    value: object,
    where: str,
    *,
    error: type[AscentError] = InputError,
    percent: bool = False,
    decimal_comma: bool = False,
    most: float | None = None,
) -> float:
    """:func:`to_float`, or ``error`` naming ``where`` (``prices.csv line 5 (2022-12-12):
    VWAP``) then the value and what to write instead:
    ``prices.csv line 5 (2022-12-12): VWAP '4,2347' has an ambiguous comma: write 4.2347 ...``.
    ``most`` bounds the size of the number (e.g. :data:`MAX_AMOUNT`).
    """
    try:
        x = to_float(value, percent=percent, decimal_comma=decimal_comma)
        if most is not None and not abs(x) <= most:
            raise NumberFormatError(value, f"is more than {most:g}; check the number")
    except NumberFormatError as exc:
        raise error(f"{where} {exc}") from None
    return x


def check_amount(value: float, name: str, *, allow_zero: bool = False) -> float:
    """``value`` as a float, or an :class:`InputError` naming ``name`` when it is not a positive
    (or, with ``allow_zero``, non-negative) finite number."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} {value!r} is not a number") from None
    if math.isnan(x) or math.isinf(x):
        raise InputError(f"{name} is not a finite number")
    if x < 0 or (x == 0 and not allow_zero):
        need = "zero or more" if allow_zero else "more than zero"
        raise InputError(f"{name} {x:,.2f} must be {need}")
    return x


def check_amounts(values: np.ndarray, name: str, *, allow_zero: bool = False) -> np.ndarray:
    """Vector form of :func:`check_amount`; the error gives the position of the first bad value."""
    x = np.asarray(values, dtype=float)
    bad = ~np.isfinite(x) | (x < 0) | ((x == 0) if not allow_zero else np.zeros_like(x, bool))
    if bad.any():
        flat = x.reshape(-1)
        i = int(np.argmax(bad.reshape(-1)))
        check_amount(flat[i], name if flat.size == 1 else f"{name} (item {i + 1})", allow_zero=allow_zero)
    return x
