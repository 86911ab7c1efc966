"""Conversion pricing speed (issue 3).

1. One conversion-price evaluation over a 1,000-day VWAP series: the engine against a
   straightforward pandas implementation (filter, tail, nsmallest, mean). Target: >= 10x.
2. 10,000 notice dates priced in one vectorised call against 10,000 single calls. Target: >= 100x.

Run: python benchmarks/bench_pricing.py [--quick]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from harness import compare, quick, report

from ascent_xl.calendar import trading_calendar
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import alternate_conversion_price, conversion_price

C = ASTI_2022.conversion
FIXED, FLOOR = C.fixed_price, C.floor_price
DISCOUNT, DAYS, LOWEST = C.alternate_price_discount, C.alternate_price_days, C.alternate_price_lowest


def build(n_days: int = 1000, seed: int = 7) -> tuple[MarketData, pd.Series]:
    rng = np.random.default_rng(seed)
    sessions = trading_calendar("XNAS").sessions_between("2020-01-02", "2040-01-01")[:n_days]
    vwap = 2.0 * np.exp(np.cumsum(rng.normal(0, 0.03, n_days)))
    market = MarketData.from_arrays(sessions, vwap)
    series = pd.Series(vwap, index=pd.DatetimeIndex(sessions.astype("datetime64[ns]")))
    return market, series


def engine_price(market: MarketData, notice: np.datetime64) -> float:
    alt = alternate_conversion_price(market, notice_date=notice, discount=DISCOUNT, days=DAYS, lowest=LOWEST)
    return conversion_price(fixed_price=FIXED, alternate_price=alt, floor_price=FLOOR)


def pandas_price(series: pd.Series, notice: pd.Timestamp) -> float:
    window = series[series.index < notice].tail(DAYS)
    if len(window) < DAYS or window.isna().any():
        raise ValueError("window incomplete")
    alt = (1 - DISCOUNT) * window.nsmallest(LOWEST).mean()
    return max(min(FIXED, alt), FLOOR)


def main() -> list[dict]:
    market, series = build()
    notice = market.dates[700]
    ts = pd.Timestamp(notice)
    assert abs(engine_price(market, notice) - pandas_price(series, ts)) < 1e-12
    reps = 3 if quick() else 7
    f, s, ratio = compare(lambda: engine_price(market, notice), lambda: pandas_price(series, ts),
                          number=200 if quick() else 2000, repeat=reps)
    rows = [{"case": "single call, 1,000-day series", "engine": f, "pandas": s, "ratio": ratio, "target": ">=10x"}]

    n = 1000 if quick() else 10_000
    rng = np.random.default_rng(1)
    notices = market.dates[rng.integers(DAYS, len(market.dates), n)]
    vec = alternate_conversion_price(market, notice_date=notices, discount=DISCOUNT, days=DAYS, lowest=LOWEST)
    singles = [alternate_conversion_price(market, notice_date=d, discount=DISCOUNT, days=DAYS, lowest=LOWEST)
               for d in notices[:50]]
    np.testing.assert_allclose(vec[:50], singles, rtol=0, atol=0)

    def vectorised() -> None:
        alt = alternate_conversion_price(market, notice_date=notices, discount=DISCOUNT, days=DAYS, lowest=LOWEST)
        conversion_price(fixed_price=FIXED, alternate_price=alt, floor_price=FLOOR)

    def one_by_one() -> None:
        for d in notices:
            engine_price(market, d)

    f, s, ratio = compare(vectorised, one_by_one, number=1, repeat=reps)
    rows.append({"case": f"{n:,} notice dates", "vectorised": f, "single calls": s, "ratio": ratio,
                 "target": ">=100x"})
    report("conversion pricing", rows)
    return rows


if __name__ == "__main__":
    main()
