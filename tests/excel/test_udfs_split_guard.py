"""The split-jump guard in the conversion functions (ASCENT_ALTERNATE_CONVERSION_PRICE,
ASCENT_CONVERSION_PRICE, ASCENT_CONVERSION_SHARES, ASCENT_FLOOR_PAYMENT): a look-back window across
a day-over-day VWAP jump a split would explain (term conversion.split_jump_threshold = 4) is
refused naming both days, unless no_split says there was no split. The bundled sample VWAPs hold
the 1-for-200 reverse split of 2023-09-12 ($0.0561 on 2023-09-11, $11.1688 on 2023-09-12)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from ascent_xl.excel import lite, udfs

FIXED, FLOOR = 3.93042, 0.29  # the terms as issued


@pytest.fixture(scope="module")
def market(sample):
    dates = [[dt.datetime.combine(d.item(), dt.time())] for d in sample.dates]
    return dates, [[float(v)] for v in sample.vwap]


def _calls(market, notice, no_split=None):
    d, v = market
    return {
        # (blank floor_mode and window_includes_notice_day: the terms')
        "ASCENT_ALTERNATE_CONVERSION_PRICE": udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(d, v, notice, None, None, None,
                                                                                    None, no_split),
        "ASCENT_CONVERSION_PRICE": udfs.ASCENT_CONVERSION_PRICE(FIXED, d, v, notice, *[None] * 6, no_split),
        "ASCENT_CONVERSION_SHARES": udfs.ASCENT_CONVERSION_SHARES(50_000, FIXED, d, v, notice, *[None] * 4, no_split),
        "ASCENT_FLOOR_PAYMENT": udfs.ASCENT_FLOOR_PAYMENT(50_000, FIXED, d, v, notice, *[None] * 3, no_split),
    }


@pytest.mark.parametrize("blank", [None, 0, False, "FALSE"])  # 0: a blank cell as xlwings Lite sends it
def test_the_50000_notice_of_2023_09_15_is_refused_naming_both_days(market, blank):
    for name, result in _calls(market, "2023-09-15", blank).items():
        assert isinstance(result, str), (name, result)
        assert "2023-09-11" in result and "2023-09-12" in result and "no_split TRUE" in result, (name, result)


def test_told_there_was_no_split_the_functions_price_across_the_jump(market):
    got = _calls(market, "2023-09-15", True)
    # the window's lowest VWAPs are pre-split (about $0.05), so the $0.29 floor binds and the
    # floor payment is the absurd figure issue 10 found: $8,065,646.33 on $50,000
    assert got["ASCENT_ALTERNATE_CONVERSION_PRICE"] < FLOOR
    assert got["ASCENT_CONVERSION_PRICE"] == FLOOR
    assert got["ASCENT_CONVERSION_SHARES"] == math.ceil(50_000 / FLOOR) == 172_414
    assert got["ASCENT_FLOOR_PAYMENT"] == 8_065_646.33


def test_windows_on_one_side_of_the_split_are_priced(market):
    after = _calls(market, "2023-10-02")  # 2023-09-18 .. 2023-09-29, all after the split
    alternate = 0.925 * (10.2452 + 10.3420 + 10.4757) / 3
    assert after["ASCENT_ALTERNATE_CONVERSION_PRICE"] == pytest.approx(alternate, rel=1e-12)
    assert after["ASCENT_CONVERSION_PRICE"] == FIXED  # the fixed price as given is the lower
    before = _calls(market, "2023-03-28")  # 2023-03-14 .. 2023-03-27
    alternate = 0.925 * (0.2646 + 0.2700 + 0.2885) / 3
    assert before["ASCENT_ALTERNATE_CONVERSION_PRICE"] == pytest.approx(alternate, rel=1e-12)
    assert before["ASCENT_FLOOR_PAYMENT"] == round((50_000 / alternate - 50_000 / FLOOR) * 0.2985, 2)


def test_a_column_of_notices_refuses_only_the_row_across_the_jump(market):
    d, v = market
    out = udfs.ASCENT_CONVERSION_PRICE(FIXED, d, v, [["2023-03-28"], ["2023-09-15"], ["2023-10-02"]])
    assert out[0][0] == FLOOR and out[2][0] == FIXED
    assert isinstance(out[1][0], str) and "2023-09-12" in out[1][0]


def test_the_lite_functions_take_no_split_too(market):
    d, v = market
    pay = lite.FUNCTIONS["ASCENT_FLOOR_PAYMENT"]
    refused = pay([[50_000]], FIXED, d, v, [["2023-09-15"]], None, None, None, 0)
    assert isinstance(refused, str) and "2023-09-12" in refused  # 0 is blank: refused, never priced
    assert pay([[50_000]], FIXED, d, v, [["2023-09-15"]], None, None, None, True) == 8_065_646.33
