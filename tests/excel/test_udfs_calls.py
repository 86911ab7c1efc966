"""Every ASCENT_* function called on Linux with ranges as xlwings and pycel pass them: the same
numbers as the engine, columns where notice dates are a column, short errors naming the argument."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ascent_xl import __version__
from ascent_xl.equity import equity_conditions
from ascent_xl.excel import udfs
from ascent_xl.fees import deal_placement_fee
from ascent_xl.interest import accrued_interest
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import (
    alternate_conversion_price,
    conversion_price,
    default_conversion_price,
    fixed_conversion_price,
    mandatory_default_amount,
    max_conversion_amount,
    quote_conversion,
    redemption_amount,
    warrant_cashless_shares,
)

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


@pytest.mark.parametrize("form", DATE_FORMS)
def test_fixed_conversion_price(xl, sample, form):
    vw = xl["flat_vwaps"] if form == "flat" else xl["vwaps"]
    expected = fixed_conversion_price(
        sample, issue_date="2022-12-19", premium=C.fixed_price_premium, days=C.fixed_price_days
    )
    for issue in (dt.datetime(2022, 12, 19), 44914.0, "2022-12-19", [[44914.0]]):
        assert udfs.ASCENT_FIXED_CONVERSION_PRICE(xl[form], vw, issue) == expected
    assert round(expected, 5) == FIXED  # the supplement's figure
    assert udfs.ASCENT_FIXED_CONVERSION_PRICE(
        xl[form], vw, 44914.0, 0.25, 3.0
    ) == fixed_conversion_price(sample, issue_date="2022-12-19", premium=0.25, days=3)


@pytest.mark.parametrize("form", DATE_FORMS)
def test_alternate_conversion_price(xl, sample, form):
    vw = xl["flat_vwaps"] if form == "flat" else xl["vwaps"]
    expected = alternate_conversion_price(
        sample,
        notice_date="2023-03-01",
        discount=C.alternate_price_discount,
        days=C.alternate_price_days,
        lowest=C.alternate_price_lowest,
    )
    assert udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(xl[form], vw, "2023-03-01") == expected
    assert udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(
        xl[form], vw, [[dt.datetime(2023, 3, 1)]]
    ).tolist() == [[expected]]
    other = alternate_conversion_price(
        sample, notice_date="2023-03-01", discount=0.1, days=5, lowest=2
    )
    assert udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(xl[form], vw, "2023-03-01", 0.1, 5, 2) == other


def test_conversion_price_spills_a_column_from_one_vectorised_call(xl, sample):
    notices = sample.dates[20:220]
    column = [[serial(d.item())] for d in notices] + [[None]] * 3  # trailing blanks: no rows
    alt = alternate_conversion_price(
        sample,
        notice_date=notices,
        discount=C.alternate_price_discount,
        days=C.alternate_price_days,
        lowest=C.alternate_price_lowest,
    )
    expected = conversion_price(fixed_price=FIXED, alternate_price=alt, floor_price=C.floor_price)
    out = udfs.ASCENT_CONVERSION_PRICE(FIXED, xl["datetime"], xl["vwaps"], column)
    assert isinstance(out, np.ndarray) and out.shape == (200, 1)  # a column; Excel spills it
    assert out[:, 0].tolist() == expected.tolist()


def test_conversion_price_single_and_floor(xl, sample):
    q = quote_conversion(ASTI_2022, sample, notice_date="2023-03-28", amount=100_000)
    assert q.floor_binds
    assert (
        udfs.ASCENT_CONVERSION_PRICE(FIXED, xl["serial"], xl["vwaps"], "2023-03-28")
        == q.conversion_price
    )
    assert udfs.ASCENT_CONVERSION_PRICE(FIXED, xl["serial"], xl["vwaps"], "2023-03-28", 0.1) == max(
        q.unfloored_price, 0.1
    )


def test_spilled_column_keeps_blank_rows_and_gives_each_bad_row_its_message(xl, sample):
    column = [["2023-03-01"], [None], ["2022-12-25"], ["not a date"], [44987.0]]
    out = udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(xl["datetime"], xl["vwaps"], column).tolist()
    good = alternate_conversion_price(
        sample,
        notice_date=["2023-03-01", "2023-03-02"],
        discount=C.alternate_price_discount,
        days=C.alternate_price_days,
        lowest=C.alternate_price_lowest,
    )
    assert out[0] == [good[0]] and out[4] == [good[1]]
    assert out[1] == [""]
    assert out[2] == ["notice date 2022-12-25: not a trading day"]
    assert out[3][0].startswith("notice_date row 4: 'not a date' is not a date")


def test_conversion_shares(xl, sample):
    for notice in ("2023-01-03", "2023-03-28"):
        q = quote_conversion(ASTI_2022, sample, notice_date=notice, amount=250_000)
        assert (
            udfs.ASCENT_CONVERSION_SHARES(250_000, FIXED, xl["datetime"], xl["vwaps"], notice)
            == q.shares
        )
    down = udfs.ASCENT_CONVERSION_SHARES(
        250_000, FIXED, xl["datetime"], xl["vwaps"], "2023-01-03", None, "down"
    )
    up = udfs.ASCENT_CONVERSION_SHARES(250_000, FIXED, xl["datetime"], xl["vwaps"], "2023-01-03")
    assert type(up) is int and up - down in (0, 1)


def test_conversion_shares_at_the_fixed_price_give_the_supplements_figure():
    from tests.helpers.markets import sessions_before

    dates = [[d] for d in sessions_before("2023-01-03", 10)]
    vwaps = [[5.0]] * 10  # the alternate price is above the fixed price: the fixed price applies
    shares = udfs.ASCENT_CONVERSION_SHARES(12_500_000, FIXED, dates, vwaps, "2023-01-03")
    assert shares == 3_180_322  # 12,500,000 / 3.93042 = 3,180,321.7, rounded up


def test_floor_payment_column(xl, sample):
    notices = ["2023-01-03", "2023-03-22", "2023-03-28", "2023-04-28"]
    out = udfs.ASCENT_FLOOR_PAYMENT(
        100_000, FIXED, xl["serial"], xl["vwaps"], [[n] for n in notices]
    ).tolist()
    expected = [
        quote_conversion(ASTI_2022, sample, notice_date=n, amount=100_000).floor_payment
        for n in notices
    ]
    assert out == [[x] for x in expected]
    assert expected[0] == 0.0 and max(expected) > 0


def test_default_conversion_price(xl, sample):
    expected = default_conversion_price(
        sample,
        default_date="2023-03-01",
        factor=D.reset_factor,
        days=D.reset_days,
        lowest=D.reset_lowest,
    )
    assert udfs.ASCENT_DEFAULT_CONVERSION_PRICE(xl["iso"], xl["vwaps"], 44986.0) == expected
    col = udfs.ASCENT_DEFAULT_CONVERSION_PRICE(
        xl["iso"], xl["vwaps"], [["2023-03-01"], ["2023-03-02"]]
    ).tolist()
    assert col[0] == [expected] and len(col) == 2


def test_default_redemption():
    args = (1_000_000, 10_000, 0.50, 0.45, 0.60, 0.55)
    expected = mandatory_default_amount(
        *args[:2],
        price_at_demand=0.50,
        price_at_payment=0.45,
        vwap_at_demand=0.60,
        vwap_at_payment=0.55,
        premium=D.redemption_premium,
        premium_on_interest=D.premium_on_interest,
    ).amount
    assert udfs.ASCENT_DEFAULT_REDEMPTION(*args) == expected
    high = mandatory_default_amount(
        1_000_000,
        10_000,
        price_at_demand=5,
        price_at_payment=5,
        vwap_at_demand=1,
        vwap_at_payment=1,
        premium=1.5,
        premium_on_interest=True,
    ).amount
    assert udfs.ASCENT_DEFAULT_REDEMPTION(1_000_000, 10_000, 5, 5, 1, 1, 1.5, True) == high
    assert udfs.ASCENT_DEFAULT_REDEMPTION(1_000_000, 10_000, 5, 5, 1, 1, 1.5, "TRUE") == high


@pytest.mark.parametrize("basis", [None, "30/360", "ACT/365", "act/360", "30E/360"])
def test_accrued_interest(basis):
    note = ASTI_2022.notes[0]
    expected = accrued_interest(
        12_500_000,
        dt.date(2023, 3, 31),
        dt.date(2023, 6, 30),
        rate=note.rate,
        basis=basis or note.day_count,
    )
    for start, end in (
        (dt.datetime(2023, 3, 31), dt.datetime(2023, 6, 30)),
        (45016.0, 45107.0),
        ("2023-03-31", "2023-06-30"),
    ):
        assert udfs.ASCENT_ACCRUED_INTEREST(12_500_000, start, end, None, basis) == expected


def test_redemptions_limits_warrants_fees():
    assert udfs.ASCENT_CHANGE_OF_CONTROL_AMOUNT(1e6, 5e3) == redemption_amount(
        1e6, 5e3, premium=R.change_of_control_premium
    )
    assert udfs.ASCENT_PREPAYMENT_AMOUNT(1e6, 5e3) == redemption_amount(
        1e6, 5e3, premium=R.optional_prepayment_premium
    )
    assert udfs.ASCENT_PREPAYMENT_AMOUNT(1e6, 5e3, 1.1) == redemption_amount(1e6, 5e3, premium=1.1)
    assert udfs.ASCENT_MAX_CONVERSION(0.5, 100_000, 40_000_000) == max_conversion_amount(
        conversion_price=0.5,
        holder_shares=100_000,
        shares_outstanding=40_000_000,
        cap=C.ownership_cap,
    )
    assert udfs.ASCENT_MAX_CONVERSION(0.5, 100_000, 40_000_000, 0.09) == max_conversion_amount(
        conversion_price=0.5, holder_shares=100_000, shares_outstanding=40_000_000, cap=0.09
    )
    w = ASTI_2022.warrants
    assert udfs.ASCENT_WARRANT_CASHLESS_SHARES(
        w.shares, w.exercise_price, 5.0
    ) == warrant_cashless_shares(
        w.shares, exercise_price=w.exercise_price, market_price=5.0, rounding=w.share_rounding
    )
    assert udfs.ASCENT_WARRANT_CASHLESS_SHARES(1000, 4.0, 5.0, "down") == 200
    fee = deal_placement_fee(ASTI_2022)
    assert udfs.ASCENT_PLACEMENT_FEE(fee.gross_proceeds) == fee.total  # the supplement's $700,000
    assert udfs.ASCENT_PLACEMENT_FEE(2e6) == deal_placement_fee(ASTI_2022, 2e6).total


def test_equity_conditions(xl, sample):
    for test_date in ("2023-01-17", "2023-06-01"):
        expected = equity_conditions(
            sample, test_date=test_date, terms=ASTI_2022.equity_conditions
        ).met
        got = udfs.ASCENT_EQUITY_CONDITIONS(xl["datetime"], xl["volumes"], xl["caps"], test_date)
        assert got is expected


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
    """Importing the UDF module builds no calendar and loads no pycel (measured in a fresh
    interpreter; xlwings itself is imported first, as the Excel COM server has done)."""
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
    assert report["loaded"] == []
    assert report["udfs"] < 1.0, report  # about 0.05 s here; xlwings itself about 0.6 s


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
