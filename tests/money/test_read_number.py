"""The one number format every reader takes (money.to_float / read_number): what is read and
what is refused, each refusal saying what to write instead."""

from __future__ import annotations

import numpy as np
import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.money import NumberFormatError, parse_number, read_number, to_float


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250.50", 1250.50),
        ("1,250.50", 1250.50),  # thousands in groups of three
        ("12,345,678.9", 12345678.9),
        ("$3.15", 3.15),
        ("-$5", -5.0),
        ("+2", 2.0),
        (" 42 ", 42.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e-3", 0.001),
        ("1,250", 1250.0),  # a valid group of three is thousands, as the issue says
    ],
)
def test_numbers_read(text, expected):
    assert to_float(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("4,2347", "ambiguous comma: write 4.2347 for a decimal or 42347 for a whole number"),
        ("0,20", "ambiguous comma: write 0.20 for a decimal or 20 for a whole number"),
        ("1,25,000", "does not separate thousands"),
        ("3_0", "without it (30)"),
        ("\u0663", "U+0663"),  # Arabic-Indic three
        ("\uff13", "U+FF13"),  # full-width three
        ("300%", "not a rate"),
        ("10%", "not a rate"),
        ("nan", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
        ("1e400", "too large"),
        ("1.2.3", "more than one decimal"),
        ("1 000", "type digits"),
        ("(5)", "type digits"),
        ("abc", "type a number"),
        ("#N/A", "an Excel error"),
        ("", "blank"),
    ],
)
def test_numbers_refused_say_what_to_write(text, says):
    with pytest.raises(NumberFormatError) as info:
        to_float(text)
    assert str(info.value).startswith(repr(text))
    assert says in str(info.value)
    assert parse_number(text) is None


def test_numbers_as_values():
    assert to_float(3) == 3.0 and to_float(np.float64(2.5)) == 2.5 and to_float(np.int64(7)) == 7.0
    for bad, says in ((True, "TRUE/FALSE"), (float("nan"), "NaN"), (float("inf"), "not a finite number"),
                      (10**400, "too large"), (1e301, "too large"), (None, "not a number")):
        with pytest.raises(NumberFormatError, match=says):
            to_float(bad)


def test_percent_only_for_a_rate():
    assert to_float("4.5%", percent=True) == pytest.approx(0.045)  # 4.5 / 100
    assert to_float("120%", percent=True) == pytest.approx(1.20)
    with pytest.raises(NumberFormatError, match="both"):
        to_float("$5%", percent=True)


def test_declared_decimal_comma():
    assert to_float("4,2347", decimal_comma=True) == 4.2347
    assert to_float("1.250,50", decimal_comma=True) == 1250.50
    with pytest.raises(NumberFormatError, match="ambiguous point: write 4,2347 for a decimal"):
        to_float("4.2347", decimal_comma=True)


def test_read_number_names_the_place():
    with pytest.raises(LedgerError, match=r"^ev.csv line 3: Amount '4,2347' has an ambiguous comma"):
        read_number("4,2347", "ev.csv line 3: Amount", error=LedgerError)
