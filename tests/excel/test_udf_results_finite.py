"""No UDF returns a non-finite number, an overflowed integer or a negative share count; an
argument far out of range is named in the cell's text (issue 11)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from ascent_xl.excel import udfs
from ascent_xl.excel.cells import MAX_RESULT, cell_errors, guard_result


def test_every_udf_returns_through_the_guard():
    for f in udfs.UDFS:  # cell_errors wraps each one, and its wrapper guards the result
        assert f.__wrapped__ is not f and f.__code__ is cell_errors(lambda: 0).__code__, f.__name__


def test_guard_replaces_what_a_cell_must_not_hold():
    assert guard_result(1.5) == 1.5 and guard_result(7) == 7 and guard_result(True) is True
    for bad in (math.inf, -math.inf, math.nan, 2**63, -(2.0**60), np.float64(np.inf)):
        assert isinstance(guard_result(bad), str), bad
    assert guard_result(-3, shares=True) == "the result is out of range"
    assert guard_result(-3) == -3  # a negative amount is not a share count
    col = guard_result(np.array([[1.0], [np.inf], [np.nan]]))
    assert col[0, 0] == 1.0 and isinstance(col[1, 0], str) and isinstance(col[2, 0], str)
    mixed = guard_result(np.array([[1], ["row 2: bad"], [math.nan]], dtype=object))
    assert mixed[0, 0] == 1 and mixed[1, 0] == "row 2: bad" and isinstance(mixed[2, 0], str)
    rows = guard_result([["a", 1.0, math.inf], ["b", -1, 2]], shares=True)
    assert rows[0][:2] == ["a", 1.0] and isinstance(rows[0][2], str) and isinstance(rows[1][1], str)
    assert guard_result(np.array([2, 3], dtype=np.int64), shares=True).tolist() == [2, 3]


def test_overflow_in_a_udf_names_the_argument():
    @cell_errors
    def ASCENT_DEMO_SHARES(amount, price):  # noqa: N802 - the UDFs' naming
        return amount / price

    assert ASCENT_DEMO_SHARES(10.0, 4.0) == 2.5
    text = ASCENT_DEMO_SHARES(1e300, 1e-300)
    assert text.startswith("amount 1e+300, price 1e-300 are far out of range: the result is not a "
                           f"finite number of at most {MAX_RESULT:.0f}")
    # shares < 0, no argument far out on its own: the largest is named
    assert ASCENT_DEMO_SHARES(-10.0, 1.0).startswith("an argument is out of range (the largest is amount -10)")

    @cell_errors
    def ASCENT_DEMO_POWER(x):  # noqa: N802
        return 10.0**x

    assert ASCENT_DEMO_POWER(400).startswith("an argument is out of range (the largest is x 400): the result is not a "
                                             "finite number")


@pytest.fixture(scope="module")
def dv(sample):
    return ([[dt.datetime.combine(d.item(), dt.time())] for d in sample.dates],
            [[float(v)] for v in sample.vwap])


def test_the_issues_udf_cases(dv):
    d, v = dv
    # was -9223372036854775808
    assert udfs.ASCENT_CONVERSION_SHARES(1e308, 3.93042, d, v, "2023-03-01") == (
        "amount 1e+308 is too large (more than 1e+300); type the amount")
    assert udfs.ASCENT_CONVERSION_SHARES(2e5, 3.93042, d, v, "2023-03-01", 1e-308).startswith(
        "floor_price: 1e-308 USD/share must be at least 1e-06")
    assert udfs.ASCENT_CONVERSION_SHARES(2e13, 3.93042, d, v, "2023-03-01").startswith(
        "amount 2e+13 is more than 1e+13")
    assert udfs.ASCENT_ACCRUED_INTEREST(1e308, "2023-03-31", "2023-06-30").startswith("principal 1e+308")
    assert udfs.ASCENT_DEFAULT_REDEMPTION(1e6, 1e4, 1e-308, 0.5, 0.45, 0.45).startswith(
        "price_at_demand 1e-308 is far out of range")
    assert udfs.ASCENT_FAIR_VALUE("Total", "inf").startswith("spot 'inf' is not a finite number")
    # 1e12 warrant shares at $1e-308: 1e12 x (1 - 1e-308/1) = 1e12 shares, a number, not inf
    assert udfs.ASCENT_WARRANT_CASHLESS_SHARES(1e12, 1e-308, 1.0) == 1_000_000_000_000


def test_a_result_too_large_names_the_largest_argument_when_none_is_far_out_on_its_own():
    # 1,000,000 / 0.50 x 10,000,000,000 = 2e16 > 2**53 (9.007e15): no exact cell number, but
    # 1e10 alone is under the 1e12 "far out of range" mark; the message names it all the same.
    out = udfs.ASCENT_DEFAULT_REDEMPTION(1_000_000, 0, 0.5, 0.5, 1e10, 1)
    assert isinstance(out, str)
    assert "vwap_at_demand 1e+10" in out
