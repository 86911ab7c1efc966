"""conversion.window_includes_notice_day (issue 14, shape 8): the look-back window strictly before
the notice day (Ascent's) or the N days ending on and including it; "the lesser of the VWAP of
the day before and of the day of" is two days, the lowest one, with the notice day. Arithmetic
by hand in the comments."""

from __future__ import annotations

import pytest

from ascent_xl.errors import MarketDataError, TermsError
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import alternate_conversion_price, quote_conversion
from tests.helpers.markets import market_before

# Sessions before 2023-03-28: 03-23 1.00, 03-24 0.90, 03-27 0.95; the notice day 03-28: 0.80.
MARKET = market_before("2023-03-28", [1.00, 0.90, 0.95], include_day=0.80)


def test_strictly_before_and_including_the_notice_day():
    # before: lowest of (1.00, 0.90, 0.95) = 0.90; x 0.92 = 0.828
    assert alternate_conversion_price(MARKET, notice_date="2023-03-28", discount=0.08, days=3,
                                      lowest=1) == pytest.approx(0.828, abs=1e-12)
    # including: lowest of (0.90, 0.95, 0.80) = 0.80; x 0.92 = 0.736
    assert alternate_conversion_price(MARKET, notice_date="2023-03-28", discount=0.08, days=3,
                                      lowest=1, include_notice_day=True) == pytest.approx(0.736, abs=1e-12)
    # two lowest of the three ending on the notice day: (0.80 + 0.90) / 2 = 0.85
    assert alternate_conversion_price(MARKET, notice_date="2023-03-28", discount=0, days=3,
                                      lowest=2, include_notice_day=True) == pytest.approx(0.85, abs=1e-12)


def test_the_lesser_of_the_day_before_and_the_day_of():
    # min(VWAP 03-27 0.95, VWAP 03-28 0.80) = 0.80; at 95%: 0.76
    assert alternate_conversion_price(MARKET, notice_date="2023-03-28", discount=0.05, days=2,
                                      lowest=1, include_notice_day=True) == pytest.approx(0.76, abs=1e-12)
    # the day of above the day before: min(0.95, 1.10) = 0.95
    m = market_before("2023-03-28", [1.00, 0.90, 0.95], include_day=1.10)
    assert alternate_conversion_price(m, notice_date="2023-03-28", discount=0, days=2, lowest=1,
                                      include_notice_day=True) == pytest.approx(0.95, abs=1e-12)


def test_vectorised_and_one_date_agree():
    # 03-23 1.00, 03-24 0.90, 03-27 0.95, 03-28 0.80, 03-29 0.85, 03-30 0.70
    m = market_before("2023-03-31", [1.00, 0.90, 0.95, 0.80, 0.85, 0.70])
    # notices 03-29 and 03-30, windows of 2 ending on them: (0.80, 0.85) and (0.85, 0.70)
    out = alternate_conversion_price(m, notice_date=["2023-03-29", "2023-03-30"], discount=0, days=2,
                                     lowest=1, include_notice_day=True)
    assert list(out) == pytest.approx([0.80, 0.70], abs=1e-12)
    import datetime as dt

    one = alternate_conversion_price(m, notice_date=dt.date(2023, 3, 30), discount=0, days=2, lowest=2,
                                     include_notice_day=True)
    assert one == pytest.approx((0.85 + 0.70) / 2, abs=1e-12)


def test_the_notice_days_vwap_is_needed():
    m = market_before("2023-03-28", [1.00, 0.90, 0.95])
    with pytest.raises(MarketDataError, match=r"notice date 2023-03-28 is outside the data: its 3-day "
                       r"window runs past the last VWAP on 2023-03-27"):
        alternate_conversion_price(m, notice_date="2023-03-28", discount=0, days=3, lowest=1,
                                   include_notice_day=True)


def test_quote_on_terms_that_include_the_notice_day():
    terms = (ASTI_2022.with_term("window_includes_notice_day", True)
             .with_term("alternate_price_days", 3).with_term("alternate_price_lowest", 1)
             .with_term("alternate_price_discount", 0.08).with_term("floor_price", 0.10))
    q = quote_conversion(terms, MARKET, notice_date="2023-03-28", amount=100_000)
    # 0.92 x 0.80 = 0.736 (below the fixed 3.93042, above the floor 0.10)
    # 100,000 / 0.736 = 135,869.57 -> up 135,870
    assert q.conversion_price == pytest.approx(0.736, abs=1e-12)
    assert q.shares == 135_870 and q.floor_payment == 0.0


def test_the_term_is_a_flag():
    assert ASTI_2022.conversion.window_includes_notice_day is False
    assert ASTI_2022.with_term("window_includes_notice_day", "yes").conversion.window_includes_notice_day
    with pytest.raises(TermsError, match=r"conversion.window_includes_notice_day: 'sometimes' is not TRUE or FALSE"):
        ASTI_2022.with_term("window_includes_notice_day", "sometimes")


def test_the_udfs_take_the_window_and_the_floor_mode():
    from ascent_xl.excel import udfs

    dates = [["2023-03-23"], ["2023-03-24"], ["2023-03-27"], ["2023-03-28"]]
    vwaps = [[1.00], [0.90], [0.95], [0.80]]
    alt = udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(dates, vwaps, "2023-03-28", 0.08, 3, 1, True)
    assert alt == pytest.approx(0.736, abs=1e-12)  # 0.92 x 0.80
    assert udfs.ASCENT_ALTERNATE_CONVERSION_PRICE(dates, vwaps, "2023-03-28", 0.08, 3, 1) == pytest.approx(0.828, abs=1e-12)
    # 0.92 x 0.80 = 0.736 below a floor of 0.75: make_up and cap stop at 0.75, none gives 0.736
    args = (3.93042, dates, vwaps, "2023-03-28", 0.75, 0.08, 3, 1)
    assert udfs.ASCENT_CONVERSION_PRICE(*args, "cap", True) == pytest.approx(0.75, abs=1e-12)
    assert udfs.ASCENT_CONVERSION_PRICE(*args, "none", True) == pytest.approx(0.736, abs=1e-12)
    assert udfs.ASCENT_CONVERSION_PRICE(*args, "none", False) == pytest.approx(0.828, abs=1e-12)
    assert "floor_mode" in str(udfs.ASCENT_CONVERSION_PRICE(*args, "sideways", True))


def test_the_floor_payment_udf_honours_the_mode():
    from ascent_xl.excel import udfs

    # the preset's window (10 days, 3 lowest, 92.5%): ten VWAPs of 0.25, the day's 0.27
    days = [[d] for d in _sessions("2023-03-28", 10)] + [["2023-03-28"]]
    vwaps = [[0.25]] * 10 + [[0.27]]
    # unfloored 0.925 x 0.25 = 0.23125 < floor 0.29;
    # make-up (100,000 / 0.23125 - 100,000 / 0.29) x 0.27 = (432,432.43 - 344,827.59) x 0.27
    #   = 87,604.85 x 0.27 = 23,653.31
    assert udfs.ASCENT_FLOOR_PAYMENT(100_000, 3.93042, days, vwaps, "2023-03-28") == pytest.approx(23_653.31, abs=0.005)
    assert udfs.ASCENT_FLOOR_PAYMENT(100_000, 3.93042, days, vwaps, "2023-03-28", None, "cap") == 0.0
    assert udfs.ASCENT_FLOOR_PAYMENT(100_000, 3.93042, days, vwaps, "2023-03-28", None, "none") == 0.0


def _sessions(day, n):
    from tests.helpers.markets import sessions_before

    return sessions_before(day, n)


def test_the_monte_carlo_valuation_refuses_the_shape_it_does_not_model():
    from ascent_xl.valuation import prepare_valuation
    from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL

    terms = ASTI_2022.with_term("window_includes_notice_day", True)
    model = DEMO_MODEL.replace(history=(0.30,) * 20, spot=0.30, volatility=0.0)
    with pytest.raises(TermsError, match=r"conversion.window_includes_notice_day: the Monte Carlo "
                       r"valuation does not model a look-back window ending on the notice day"):
        prepare_valuation(terms, model=model, behaviour=DEMO_BEHAVIOUR)
