"""Every ASCENT_* function called on Linux with ranges as xlwings and pycel pass them: the same
numbers as the engine, columns where notice dates are a column, short errors naming the argument."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from ascent_xl import __version__
from ascent_xl.excel import udfs
from ascent_xl.presets import ASTI_2022
from tests.helpers.markets import sessions_before

C, D, R = ASTI_2022.conversion, ASTI_2022.default, ASTI_2022.redemption
FIXED = C.fixed_price
SERIAL_EPOCH = dt.date(1899, 12, 30)


def serial(d: dt.date) -> float:
    return float((d - SERIAL_EPOCH).days)


@pytest.fixture(scope="module")
def xl(sample):
    """The sample market as ranges: ndim=2 rows of datetimes (xlwings), serials (pycel), text,
    each with blank rows at the end as a range selected past the data gives them."""
    days = [d.item() for d in sample.dates]
    blanks = [[None]] * 5
    return {
        "days": days,
        "datetime": [[dt.datetime.combine(d, dt.time())] for d in days] + blanks,
        "serial": [[serial(d)] for d in days] + blanks,
        "iso": [[d.isoformat()] for d in days] + blanks,
        "flat": [dt.datetime.combine(d, dt.time()) for d in days],
        "vwaps": [[float(v)] for v in sample.vwap] + blanks,
        "flat_vwaps": [float(v) for v in sample.vwap],
        "tuple_vwaps": tuple((float(v),) for v in sample.vwap),
        "volumes": [[float(v)] for v in sample.dollar_volume] + blanks,
        "caps": [[float(v)] for v in sample.market_cap] + blanks,
    }


DATE_FORMS = ["datetime", "serial", "iso", "flat"]


def _ranges(days, vwaps, form):
    """Dates and VWAPs as a worksheet passes them: a column of datetimes, serials or text with
    trailing blank rows, or one flat row of datetimes (then the VWAPs flat too)."""
    if form == "flat":
        return [dt.datetime.combine(d, dt.time()) for d in days], list(vwaps)
    cell = {"datetime": lambda d: dt.datetime.combine(d, dt.time()), "serial": serial, "iso": dt.date.isoformat}[form]
    return [[cell(d)] for d in days] + [[None]] * 3, [[v] for v in vwaps] + [[None]] * 3


def _window(xl, day, n):
    """The n sample VWAPs of the trading days immediately before ``day`` (the sample has every
    session, so they are the n entries before it)."""
    i = xl["days"].index(dt.date.fromisoformat(day) if isinstance(day, str) else day)
    return xl["flat_vwaps"][i - n : i]


def _lowest_average(values, k):
    return sum(sorted(values)[:k]) / k


def _cents(x):
    """Half up to the cent (a second formulation of the engine's rounding)."""
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _price(xl, day, floor=C.floor_price):
    """Conversion price written out: 92.5% of the three lowest of the ten VWAPs before ``day``,
    no higher than the fixed price, no lower than the floor; and the unfloored price."""
    unfloored = min(FIXED, 0.925 * _lowest_average(_window(xl, day, 10), 3))
    return max(unfloored, floor), unfloored


@pytest.mark.parametrize("form", DATE_FORMS)
def test_fixed_conversion_price(form):
    # The supplement: five VWAPs before 2022-12-19 averaging 3.0234, x 130% = 3.93042.
    dates, vw = _ranges([dt.date.fromisoformat(d) for d in sessions_before("2022-12-19", 5)],
                        [3.154, 3.089, 3.012, 2.972, 2.890], form)
    for issue in (dt.datetime(2022, 12, 19), 44914.0, "2022-12-19", [[44914.0]]):
        assert udfs.ASCENT_FIXED_CONVERSION_PRICE(dates, vw, issue) == pytest.approx(3.93042, abs=1e-12)
    # premium 25% on the last three: (3.012 + 2.972 + 2.890) / 3 = 2.958 x 1.25 = 3.6975
    assert udfs.ASCENT_FIXED_CONVERSION_PRICE(dates, vw, 44914.0, 0.25, 3.0) == pytest.approx(3.6975, abs=1e-12)


@pytest.mark.parametrize("form", DATE_FORMS)
def test_alternate_conversion_price(form):
    vwaps = [0.50, 0.52, 0.49, 0.51, 0.55, 0.53, 0.50, 0.48, 0.47, 0.52]
    dates, vw = _ranges([dt.date.fromisoformat(d) for d in sessions_before("2023-03-01", 10)], vwaps, form)
    # three lowest 0.47, 0.48, 0.49 -> 0.48 x 92.5% = 0.444
    assert udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(dates, vw, "2023-03-01") == pytest.approx(0.444, abs=1e-12)
    col = udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(dates, vw, [[dt.datetime(2023, 3, 1)]]).tolist()
    assert col == [[pytest.approx(0.444, abs=1e-12)]]
    # 10% off the two lowest of the last five (0.53, 0.50, 0.48, 0.47, 0.52): 0.475 x 0.9 = 0.4275
    assert udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(dates, vw, "2023-03-01", 0.1, 5, 2) == pytest.approx(0.4275, abs=1e-12)


def test_conversion_price_spills_a_column_from_one_vectorised_call(xl):
    notices = xl["days"][20:180]  # before the 2023-09-12 split (a window across it is refused:
    column = [[serial(d)] for d in notices] + [[None]] * 3  # tests/excel/test_udfs_split_guard.py)
    out = udfs.ASCENT_CONVERSION_PRICE(FIXED, xl["datetime"], xl["vwaps"], column)
    assert isinstance(out, np.ndarray) and out.shape == (160, 1)  # a column; Excel spills it
    assert out[:, 0].tolist() == pytest.approx([_price(xl, d)[0] for d in notices], rel=1e-12)


def test_conversion_price_single_and_floor(xl):
    # The ten VWAPs before 2023-03-28: the three lowest 0.2646, 0.27, 0.2885 -> 0.274367 x
    # 92.5% = 0.253789, below the 0.29 floor.
    unfloored = 0.925 * (0.2646 + 0.27 + 0.2885) / 3
    assert _price(xl, "2023-03-28") == (0.29, pytest.approx(unfloored, abs=1e-12))
    assert udfs.ASCENT_CONVERSION_PRICE(FIXED, xl["serial"], xl["vwaps"], "2023-03-28") == 0.29
    assert udfs.ASCENT_CONVERSION_PRICE(FIXED, xl["serial"], xl["vwaps"], "2023-03-28", 0.1) == pytest.approx(
        unfloored, abs=1e-12)


def test_spilled_column_keeps_blank_rows_and_gives_each_bad_row_its_message(xl):
    column = [["2023-03-01"], [None], ["2022-12-25"], ["not a date"], [44987.0]]
    out = udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(xl["datetime"], xl["vwaps"], column).tolist()
    for row, day in ((0, "2023-03-01"), (4, "2023-03-02")):
        assert out[row] == [pytest.approx(0.925 * _lowest_average(_window(xl, day, 10), 3), rel=1e-12)]
    assert out[1] == [""]
    assert out[2] == ["notice date 2022-12-25: not a trading day"]
    assert out[3][0].startswith("notice_date row 4: 'not a date' is not a date")


def test_conversion_shares(xl):
    for notice in ("2023-01-03", "2023-03-28"):
        price, _ = _price(xl, notice)
        got = udfs.ASCENT_CONVERSION_SHARES(250_000, FIXED, xl["datetime"], xl["vwaps"], notice)
        assert got == math.ceil(250_000 / price)  # rounded up
    # 2023-01-03: the three lowest of the ten before are 2.5672, 2.5716, 2.5761 -> 2.571633 x
    # 92.5% = 2.378761; 250,000 / 2.378761 = 105,096.3 -> 105,097 up, 105,096 down
    up = udfs.ASCENT_CONVERSION_SHARES(250_000, FIXED, xl["datetime"], xl["vwaps"], "2023-01-03")
    down = udfs.ASCENT_CONVERSION_SHARES(250_000, FIXED, xl["datetime"], xl["vwaps"], "2023-01-03", None, "down")
    assert (type(up), up, down) == (int, 105_097, 105_096)


def test_conversion_shares_at_the_fixed_price_give_the_supplements_figure():
    dates = [[d] for d in sessions_before("2023-01-03", 10)]
    vwaps = [[5.0]] * 10  # the alternate price is above the fixed price: the fixed price applies
    shares = udfs.ASCENT_CONVERSION_SHARES(12_500_000, FIXED, dates, vwaps, "2023-01-03")
    assert shares == 3_180_322  # 12,500,000 / 3.93042 = 3,180,321.7, rounded up


def test_floor_payment_column(xl):
    notices = ["2023-01-03", "2023-03-22", "2023-03-28", "2023-04-28"]
    out = udfs.ASCENT_FLOOR_PAYMENT(100_000, FIXED, xl["serial"], xl["vwaps"], [[n] for n in notices]).tolist()
    expected = []
    for n in notices:  # (shares at the unfloored price - shares at the floor) x the day's VWAP
        price, unfloored = _price(xl, n)
        vwap = xl["flat_vwaps"][xl["days"].index(dt.date.fromisoformat(n))]
        expected.append(_cents((100_000 / unfloored - 100_000 / price) * vwap) if unfloored < price else 0.0)
    assert out == [[x] for x in expected]
    assert expected[0] == 0.0 and max(expected) > 0


def test_default_conversion_price(xl):
    # 80% of the three lowest of the ten VWAPs before 2023-03-01
    expected = 0.80 * _lowest_average(_window(xl, "2023-03-01", 10), 3)
    assert udfs.ASCENT_DEFAULT_CONVERSION_PRICE(xl["iso"], xl["vwaps"], 44986.0) == pytest.approx(expected, rel=1e-12)
    col = udfs.ASCENT_DEFAULT_CONVERSION_PRICE(xl["iso"], xl["vwaps"], [["2023-03-01"], ["2023-03-02"]]).tolist()
    assert col[0] == [pytest.approx(expected, rel=1e-12)] and len(col) == 2
    assert col[1] == [pytest.approx(0.80 * _lowest_average(_window(xl, "2023-03-02", 10), 3), rel=1e-12)]


def test_default_redemption():
    # Parity 1,000,000 / 0.45 x 0.42 = 933,333.33 is below 120% x 1,000,000: 1,200,000 + 10,000.
    assert udfs.ASCENT_DEFAULT_REDEMPTION(1_000_000, 10_000, 0.45, 0.50, 0.40, 0.42) == 1_210_000
    # premium 150% of principal and interest: max(1,000,000 / 5 x 1, 1.5 x 1,010,000) = 1,515,000,
    # plus the 10,000 of accrued interest (part (b) of the clause) = 1,525,000
    assert udfs.ASCENT_DEFAULT_REDEMPTION(1_000_000, 10_000, 5, 5, 1, 1, 1.5, True) == 1_525_000
    assert udfs.ASCENT_DEFAULT_REDEMPTION(1_000_000, 10_000, 5, 5, 1, 1, 1.5, "TRUE") == 1_525_000


@pytest.mark.parametrize(("basis", "expected"), [
    (None, 140_625.0),  # the note's 30/360: 90 days, 12,500,000 x 4.5% x 90/360
    ("30/360", 140_625.0),
    ("ACT/365", 12_500_000 * 0.045 * 91 / 365),  # 91 actual days: 140,239.73
    ("act/360", 142_187.5),  # 12,500,000 x 4.5% x 91/360
    ("30E/360", 140_625.0),
])
def test_accrued_interest(basis, expected):
    for start, end in (
        (dt.datetime(2023, 3, 31), dt.datetime(2023, 6, 30)),
        (45016.0, 45107.0),
        ("2023-03-31", "2023-06-30"),
    ):
        assert udfs.ASCENT_ACCRUED_INTEREST(12_500_000, start, end, None, basis) == pytest.approx(expected, abs=1e-6)


def test_redemptions_limits_warrants_fees():
    assert udfs.ASCENT_CHANGE_OF_CONTROL_AMOUNT(1e6, 5e3) == 1_055_000  # 105% x 1,000,000 + 5,000
    assert udfs.ASCENT_PREPAYMENT_AMOUNT(1e6, 5e3) == 1_205_000  # 120%
    assert udfs.ASCENT_PREPAYMENT_AMOUNT(1e6, 5e3, 1.1) == 1_105_000
    # 4.99% cap: (0.0499 x 40,000,000 - 100,000) / 0.9501 = 1,995,579.41 -> 1,995,579 shares x 0.50
    assert udfs.ASCENT_MAX_CONVERSION(0.5, 100_000, 40_000_000) == 997_789.50
    # 9%: (3,600,000 - 100,000) / 0.91 = 3,846,153.85 -> 3,846,153 x 0.50
    assert udfs.ASCENT_MAX_CONVERSION(0.5, 100_000, 40_000_000, 0.09) == 1_923_076.50
    w = ASTI_2022.warrants
    # (5.00 - 3.93) x 2,513,406 / 5.00 = 537,868.88 -> up
    assert udfs.ASCENT_WARRANT_CASHLESS_SHARES(w.shares, w.exercise_price, 5.0) == 537_869
    assert udfs.ASCENT_WARRANT_CASHLESS_SHARES(1000, 4.0, 5.0, "down") == 200
    assert udfs.ASCENT_PLACEMENT_FEE(11_250_000) == 700_000  # the supplement's $700,000
    assert udfs.ASCENT_PLACEMENT_FEE(2e6) == 185_000  # 8% x 2,000,000 + 25,000


def test_equity_conditions(xl):
    for test_date in ("2023-01-17", "2023-06-01"):
        # written out: the 20 sessions before; mean dollar volume without the 3 highest and 3
        # lowest at least $250,000; market cap at least $75,000,000 on at least 15 of them
        i = xl["days"].index(dt.date.fromisoformat(test_date))
        volumes = sorted(v[0] for v in xl["volumes"][i - 20 : i])[3:-3]
        caps = [c[0] for c in xl["caps"][i - 20 : i]]
        expected = sum(volumes) / len(volumes) >= 250_000 and sum(c >= 75_000_000 for c in caps) >= 15
        got = udfs.ASCENT_EQUITY_CONDITIONS(xl["datetime"], xl["volumes"], xl["caps"], test_date)
        assert got is expected
    assert udfs.ASCENT_EQUITY_CONDITIONS(xl["datetime"], xl["volumes"], xl["caps"], "2023-01-17") is True


def test_terms_and_version():
    rows = udfs.ASCENT_TERMS()
    assert rows[0] == ["Term", "Value", "Unit", "Description"]
    values = {r[0]: r[1] for r in rows[1:]}
    assert values["conversion.floor_price"] == C.floor_price
    assert values["notes.Registered.issue_date"] == dt.datetime(2022, 12, 19)
    assert len(rows) == len(ASTI_2022.flat()) + 1 and all(len(r) == 4 for r in rows)
    assert udfs.ASCENT_VERSION() == __version__


def test_terms_output_feeds_back_as_a_terms_range():
    from ascent_xl.excel.cells import terms_from_cells

    assert terms_from_cells(udfs.ASCENT_TERMS(), ASTI_2022) == ASTI_2022


# -- errors ----------------------------------------------------------------------------------
def test_errors_are_short_text_naming_the_argument(xl):
    d, v = xl["datetime"], xl["vwaps"]
    bad = [r[:] for r in v]
    bad[13][0] = "abc"
    gap = [r[:] for r in v]
    gap[16][0] = None  # 2022-12-23
    cases = {
        udfs.ASCENT_FIXED_CONVERSION_PRICE(
            d, bad, "2022-12-19"
        ): "vwaps row 14: 'abc' is not a number",
        udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(
            d, v, "2022-12-25"
        ): "notice date 2022-12-25: not a trading day",
        udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(d, gap, "2023-01-03"): "VWAP missing for 2022-12-23",
        udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(
            d, v, "2023-03-01", 0.9
        ): "discount: 0.9 fraction must be below",
        udfs.ASCENT_CONVERSION_PRICE("x", d, v, "2023-03-01"): "fixed_price 'x' is not a number",
        udfs.ASCENT_CONVERSION_PRICE(FIXED, d, v, "2023-03-01", -1): "floor_price: -1",
        udfs.ASCENT_CONVERSION_SHARES(
            1e5, FIXED, d, v, "2023-03-01", None, "sideways"
        ): "rounding 'sideways'",
        udfs.ASCENT_CONVERSION_SHARES(
            -5, FIXED, d, v, "2023-03-01"
        ): "amount -5.00 must be more than zero",
        udfs.ASCENT_FIXED_CONVERSION_PRICE(
            d, v, "2022-12-19", None, 2.5
        ): "days 2.5 is not a whole number",
        udfs.ASCENT_FIXED_CONVERSION_PRICE(
            d, v, "2020-01-02"
        ): "issue date 2020-01-02 needs 5 trading days",
        udfs.ASCENT_ACCRUED_INTEREST(
            1e6, "2023-06-30", "2023-03-31"
        ): "to_date 2023-03-31 is before from_date",
        udfs.ASCENT_ACCRUED_INTEREST(
            1e6, "2023-03-31", "2023-06-30", None, "ACT/ACT"
        ): "basis 'ACT/ACT'",
        udfs.ASCENT_ACCRUED_INTEREST(
            1e6, "31/03/2023", "2023-06-30"
        ): "from_date: '31/03/2023' is not a date",
        udfs.ASCENT_MAX_CONVERSION(0.5, 0, 1e6, 1.5): "cap: 1.5 fraction must be below 1",
        udfs.ASCENT_DEFAULT_REDEMPTION(
            1e6, 0, "#N/A", 1, 1, 1
        ): "price_at_demand '#N/A' is not a number",
        udfs.ASCENT_EQUITY_CONDITIONS(
            d, xl["volumes"], xl["caps"], "2022-12-05"
        ): "test date 2022-12-05 needs 20",
        udfs.ASCENT_PLACEMENT_FEE(None): "gross_proceeds: missing",
        udfs.ASCENT_FIXED_CONVERSION_PRICE(d, v[:50], "2022-12-19"): "same height",
    }
    for got, expected in cases.items():
        assert isinstance(got, str), (expected, got)
        assert got.startswith(expected) or expected in got, (expected, got)
        assert "Traceback" not in got and "\n" not in got and len(got) <= 250


def test_every_function_returns_text_not_an_exception_on_garbage():
    for f in udfs.UDFS:
        n = f.__wrapped__.__code__.co_argcount - len(f.__wrapped__.__defaults__ or ())
        if n == 0:
            continue
        out = f(*(["garbage"] * n))
        assert isinstance(out, str) and "internal error" not in out, (f.__name__, out)


def test_results_are_plain_python_values(xl):
    values = [
        udfs.ASCENT_FIXED_CONVERSION_PRICE(xl["datetime"], xl["vwaps"], "2022-12-19"),
        udfs.ASCENT_CONVERSION_SHARES(1e5, FIXED, xl["datetime"], xl["vwaps"], "2023-03-01"),
        udfs.ASCENT_EQUITY_CONDITIONS(xl["datetime"], xl["volumes"], xl["caps"], "2023-03-01"),
        udfs.ASCENT_WARRANT_CASHLESS_SHARES(1000, 4.0, 5.0),
    ]
    assert [type(x) for x in values] == [float, int, bool, int]
    assert not any(isinstance(x, np.generic) for x in values)


def test_import_is_light():
    """Importing the UDF module builds no calendar and loads no pycel (in a fresh interpreter;
    xlwings itself is imported first, as the Excel COM server has done). No time is asserted: a
    loaded machine makes any bound flaky (the import's speed belongs in benchmarks/)."""
    import json
    import subprocess
    import sys

    code = (
        "import json, sys, time\n"
        "t0 = time.perf_counter(); import xlwings; t1 = time.perf_counter()\n"
        "import ascent_xl.excel.udfs, ascent_xl.excel.evaluate; t2 = time.perf_counter()\n"
        "print(json.dumps({'xlwings': t1 - t0, 'udfs': t2 - t1,\n"
        "  'loaded': [m for m in ('exchange_calendars', 'pycel') if m in sys.modules]}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    report = json.loads(proc.stdout)
    assert report["loaded"] == [], report


def test_a_column_of_amounts_beside_the_notices_spills_one_result_per_row(xl):
    # 2023-03-28: the floor binds (alternate $0.25379 < $0.29), so shares = amount / 0.29, up:
    # 100,000 / 0.29 = 344,827.6 -> 344,828; 200,000 / 0.29 = 689,655.2 -> 689,656.
    # 2023-01-03: no floor; 50,000 / 2.37876 = 21,019.4 -> 21,020 (the demo's 200,000 gives 84,078).
    notices = [["2023-03-28"], ["2023-03-28"], ["2023-01-03"]]
    amounts = [[100_000], [200_000], [50_000]]
    shares = udfs.ASCENT_CONVERSION_SHARES(amounts, FIXED, xl["datetime"], xl["vwaps"], notices)
    assert shares.tolist() == [[344_828], [689_656], [21_020]]
    # floor payments: the supplement's formula, (A / 0.25379 - A / 0.29) x VWAP 0.2985, to the cent:
    # $14,686.28 on 100,000 (the price command's figure), twice that on 200,000; none without the floor
    pay = udfs.ASCENT_FLOOR_PAYMENT(amounts, FIXED, xl["datetime"], xl["vwaps"], notices)
    assert pay.tolist() == [[14_686.28], [29_372.56], [0.0]]


def test_an_amounts_column_must_match_the_notices_and_a_blank_amount_is_its_rows_error(xl):
    notices = [["2023-03-28"], ["2023-01-03"]]
    short = udfs.ASCENT_CONVERSION_SHARES([[1.0], [2.0], [3.0]], FIXED, xl["datetime"], xl["vwaps"], notices)
    assert "amount: 3 cells beside 2 of notice_date" in short
    out = udfs.ASCENT_FLOOR_PAYMENT([[100_000], [None]], FIXED, xl["datetime"], xl["vwaps"], notices)
    assert out[0, 0] == 14_686.28 and "amount row 2: missing" in out[1, 0]
