"""Bad market data: each error names the date and says what to fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ascent_xl.errors import InputError, MarketDataError
from ascent_xl.market import MarketData
from ascent_xl.pricing import alternate_conversion_price, conversion_shares, quote_conversion
from tests.helpers.markets import market_before, sessions_before

ALT = dict(discount=0.075, days=10, lowest=3)


def test_missing_vwap_row_inside_a_window_names_the_date():
    dates = sessions_before("2023-01-05", 12)
    del dates[5]  # 2022-12-23 is a trading day; drop its row
    assert "2022-12-23" not in dates
    market = MarketData.from_lists(dates, [1.0] * len(dates))
    with pytest.raises(MarketDataError, match=r"VWAP missing for 2022-12-23 .*before notice date 2023-01-05.*add it"):
        alternate_conversion_price(market, notice_date="2023-01-05", **ALT)


def test_blank_vwap_inside_a_window_is_missing_not_zero():
    dates = sessions_before("2023-01-05", 12)
    vwaps = [1.0] * 12
    vwaps[6] = None
    market = MarketData.from_lists(dates, vwaps)
    with pytest.raises(MarketDataError, match=f"VWAP missing for {dates[6]}"):
        alternate_conversion_price(market, notice_date="2023-01-05", **ALT)
    # a window that does not reach the blank day still prices
    market2 = MarketData.from_lists(dates + ["2023-01-05", "2023-01-06"], vwaps + [1.0, 1.0])
    assert alternate_conversion_price(market2, notice_date="2023-01-06", **{**ALT, "days": 5}) > 0


def test_row_on_a_non_trading_day_is_refused():
    with pytest.raises(MarketDataError, match=r"row 2: 2022-12-25 is not a XNAS trading day.*remove the row"):
        MarketData.from_lists(["2022-12-23", "2022-12-25", "2022-12-27"], [1.0, 1.0, 1.0])


def test_duplicate_date_is_refused():
    with pytest.raises(MarketDataError, match=r"2022-12-27 appears 2 times \(row 2, row 3\); keep one row"):
        MarketData.from_lists(["2022-12-23", "2022-12-27", "2022-12-27"], [1.0, 1.1, 1.2])


@pytest.mark.parametrize("bad", [0.0, -1.5])
def test_non_positive_vwap_is_refused(bad):
    with pytest.raises(MarketDataError, match=r"row 2 \(2022-12-27\): VWAP .* must be\s+positive"):
        MarketData.from_lists(["2022-12-23", "2022-12-27"], [1.0, bad])


def test_non_numeric_vwap_is_refused():
    with pytest.raises(MarketDataError, match=r"row 1 \(2022-12-23\): VWAP 'n/a' is not a number"):
        MarketData.from_lists(["2022-12-23"], ["n/a"])


def test_notice_date_before_the_data_says_where_the_data_start():
    market = market_before("2023-01-20", [1.0] * 10)
    with pytest.raises(MarketDataError, match=r"notice date 2023-01-10 needs 10 trading days of VWAP from 2022-12-23, but the data start on 2023-01-05"):
        alternate_conversion_price(market, notice_date="2023-01-10", **ALT)


def test_notice_date_after_the_data_is_outside_the_data():
    market = market_before("2023-01-20", [1.0] * 10)
    with pytest.raises(MarketDataError, match=r"notice date 2023-02-15 is outside the data.*last VWAP on 2023-01-19"):
        alternate_conversion_price(market, notice_date="2023-02-15", **ALT)


def test_notice_date_on_a_holiday_is_not_a_trading_day():
    market = market_before("2023-01-20", [1.0] * 20)
    with pytest.raises(MarketDataError, match=r"notice date 2023-01-16: not a trading day"):
        alternate_conversion_price(market, notice_date="2023-01-16", **ALT)  # MLK day


def test_floor_payment_needs_the_vwap_on_the_conversion_date(terms):
    market = market_before("2023-03-28", [0.25] * 10)  # floor binds, no VWAP on the 28th
    with pytest.raises(MarketDataError, match=r"conversion date \(for the floor payment\) 2023-03-28 is outside the data"):
        quote_conversion(terms, market, notice_date="2023-03-28", amount=100_000)


@pytest.mark.parametrize("amount, word", [(-5, "more than zero"), (0, "more than zero")])
def test_negative_or_zero_amounts_are_refused(terms, amount, word):
    market = market_before("2023-01-10", [5.0] * 10)
    with pytest.raises(InputError, match=f"amount .* must be {word}"):
        quote_conversion(terms, market, notice_date="2023-01-10", amount=amount)
    with pytest.raises(InputError, match="amount"):
        conversion_shares(amount, 1.0, rounding="up")


def test_from_frame_and_csv_read_the_same_data(tmp_path, sample):
    frame = sample.to_frame()
    again = MarketData.from_frame(frame)
    np.testing.assert_array_equal(again.vwap, sample.vwap)
    path = tmp_path / "v.csv"
    frame.assign(Date=frame["Date"].dt.date).to_csv(path, index=False)
    np.testing.assert_array_equal(MarketData.from_csv(path).market_cap, sample.market_cap)
    series = pd.Series(sample.vwap, index=pd.DatetimeIndex(sample.dates.astype("datetime64[ns]")))
    np.testing.assert_array_equal(MarketData.from_series(series).vwap, sample.vwap)


def test_csv_errors_name_the_file_line(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("# comment\nDate,VWAP\n2022-12-23,1.0\n2022-12-24,1.0\n")
    with pytest.raises(MarketDataError, match=r"v.csv line 4: 2022-12-24 is not a XNAS trading day"):
        MarketData.from_csv(path)
    path.write_text("When,Price\n2022-12-23,1.0\n")
    with pytest.raises(MarketDataError, match="no Date column"):
        MarketData.from_csv(path)
    with pytest.raises(MarketDataError, match="not found"):
        MarketData.from_csv(tmp_path / "nope.csv")
