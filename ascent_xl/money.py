"""Rounding of money and shares, and checks of amounts.

Money is carried as float dollars and rounded half up to the cent where a payment is made. Share
counts are rounded by the deal's rule (up, down or nearest). Both round at a tolerance of 1e-6
first, so that a quotient that is a whole number in exact arithmetic (1000 / 0.25) never becomes
4001 shares through binary floating point.
"""

from __future__ import annotations

import math
from typing import overload

import numpy as np

from ascent_xl.errors import InputError

ROUNDINGS = ("up", "down", "nearest")
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
        c = math.floor(round(abs(amount) * 100 + 0.5, _TOLERANCE_DIGITS))
        return math.copysign(c, amount) / 100 if c else 0.0
    x = np.asarray(amount, dtype=float)
    cents = np.sign(x) * np.floor(np.round(np.abs(x) * 100 + 0.5, _TOLERANCE_DIGITS))
    out = cents / 100
    return float(out) if np.ndim(out) == 0 else out


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
        q = round(shares, _TOLERANCE_DIGITS)
        if rounding == "up":
            return math.ceil(q)
        if rounding == "down":
            return math.floor(q)
        if rounding == "nearest":
            return math.floor(q + 0.5)
        raise InputError(f"rounding {rounding!r}: use up, down or nearest")
    x = np.round(np.asarray(shares, dtype=float), _TOLERANCE_DIGITS)
    if rounding == "up":
        out = np.ceil(x)
    elif rounding == "down":
        out = np.floor(x)
    elif rounding == "nearest":
        out = np.floor(x + 0.5)
    else:
        raise InputError(f"rounding {rounding!r}: use up, down or nearest")
    return int(out) if np.ndim(out) == 0 else out.astype(np.int64)


def parse_number(value: object) -> float | None:
    """A number from a cell or file value: numbers as they are; text such as ``"1,250.50"``,
    ``"$3.15"`` or ``"4.5%"`` (0.045) read; anything else (including booleans) None.

    Examples
    --------
    >>> parse_number("$1,250.50"), parse_number("4.5%"), parse_number("abc")
    (1250.5, 0.045, None)
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = str(value).strip().replace(",", "").replace("$", "")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    try:
        return float(text) * scale
    except ValueError:
        return None


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
