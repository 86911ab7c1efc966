"""Cost of the Excel layer (issue 5): ASCENT_CONVERSION_PRICE as xlwings calls it, against the
engine's own call in the same run.

- *engine*: ``MarketData.from_lists`` on the same values as plain lists (datetimes, floats) plus
  ``alternate_conversion_price`` and ``conversion_price`` on the notice dates as a plain list of
  datetimes: what a Python user of the engine passes;
- *engine, arrays*: the same from numpy arrays (``MarketData.from_arrays``): no list parsing at
  all, the strictest baseline;
- *UDF, cold*: ``ASCENT_CONVERSION_PRICE`` on ranges as xlwings passes them with ``ndim=2``
  (lists of one-cell rows), the market-data cache emptied before each call: every call converts
  the cells and builds the market data;
- *UDF, warm*: the same with the cache kept, as when many cells read the same VWAP range.

Cases: one notice date on a 1,000-row range; a column of 10,000 notice dates (spilled) on the
same range. Target: the Excel layer adds under 50% to the engine (ratio UDF/engine < 1.5).

Then (issue 15) one notice date on the 1,000-row range given as fresh lists on every call, as
Excel passes them, against a naive pandas version of the rule on the same fresh lists:
the UDF with its content-keyed cache of parsed market data (target >= 5x), and with the cache
emptied before each call.

Run: python benchmarks/bench_udfs.py [--quick]
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from harness import compare, quick, report

from ascent_xl.calendar import trading_calendar
from ascent_xl.excel import cells, udfs
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import alternate_conversion_price, conversion_price

C = ASTI_2022.conversion
FIXED, FLOOR = C.fixed_price, C.floor_price
DISCOUNT, DAYS, LOWEST = (
    C.alternate_price_discount,
    C.alternate_price_days,
    C.alternate_price_lowest,
)


def build(n_days: int = 1000, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    sessions = trading_calendar("XNAS").sessions_between("2020-01-02", "2040-01-01")[:n_days]
    vwap = 2.0 * np.exp(np.cumsum(rng.normal(0, 0.03, n_days)))
    return sessions, vwap


def main() -> list[dict]:
    sessions, vwap = build()
    # What xlwings passes for a 1,000-row Date column and VWAP column (ndim=2): one-cell rows.
    xl_dates = [[dt.datetime.combine(d.item(), dt.time())] for d in sessions]
    xl_vwaps = [[float(v)] for v in vwap]
    # The same values as plain lists, for the engine.
    plain_dates = [r[0] for r in xl_dates]
    plain_vwaps = [r[0] for r in xl_vwaps]

    def engine(notices: list[dt.date]) -> np.ndarray:
        market = MarketData.from_lists(plain_dates, plain_vwaps)
        alt = alternate_conversion_price(
            market, notice_date=notices, discount=DISCOUNT, days=DAYS, lowest=LOWEST
        )
        return conversion_price(fixed_price=FIXED, alternate_price=alt, floor_price=FLOOR)

    def engine_arrays(notices: np.ndarray) -> np.ndarray:
        market = MarketData.from_arrays(sessions, vwap)
        alt = alternate_conversion_price(
            market, notice_date=notices, discount=DISCOUNT, days=DAYS, lowest=LOWEST
        )
        return conversion_price(fixed_price=FIXED, alternate_price=alt, floor_price=FLOOR)

    def udf_cold(notice_cells: object) -> object:
        cells.clear_market_cache()
        return udfs.ASCENT_CONVERSION_PRICE(FIXED, xl_dates, xl_vwaps, notice_cells)

    def udf_warm(notice_cells: object) -> object:
        return udfs.ASCENT_CONVERSION_PRICE(FIXED, xl_dates, xl_vwaps, notice_cells)

    n_spill = 1000 if quick() else 10_000
    rng = np.random.default_rng(1)
    spill_days = sessions[rng.integers(DAYS, len(sessions), n_spill)]
    cases = [
        (
            "1 notice date",
            sessions[700:701],
            [[dt.datetime.combine(sessions[700].item(), dt.time())]],
        ),
        (
            f"{n_spill:,} notice dates (spill)",
            spill_days,
            [[dt.datetime.combine(d.item(), dt.time())] for d in spill_days],
        ),
    ]
    reps = 3 if quick() else 7
    rows = []
    for label, notices, notice_cells in cases:
        notices = [d.item() for d in notices]  # the engine gets plain dates, like a Python caller
        want = [[float(x)] for x in engine(notices)]
        assert udf_cold(notice_cells).tolist() == want and udf_warm(notice_cells).tolist() == want
        number = 20 if quick() else (200 if len(notices) == 1 else 30)
        as_array = np.array(notices, dtype="datetime64[D]")
        e, u, cold = compare(
            lambda n=notices: engine(n),
            lambda c=notice_cells: udf_cold(c),
            number=number,
            repeat=reps,
        )
        ea, _, cold_arrays = compare(
            lambda n=as_array: engine_arrays(n),
            lambda c=notice_cells: udf_cold(c),
            number=number,
            repeat=reps,
        )
        _, w, warm = compare(
            lambda n=notices: engine(n),
            lambda c=notice_cells: udf_warm(c),
            number=number,
            repeat=reps,
        )
        # What xlwings then does with the column (NumpyArrayConverter: .tolist()), for context:
        # not the Excel layer's cost, but it is paid in the same process.
        _, wl, warm_list = compare(
            lambda n=notices: engine(n),
            lambda c=notice_cells: udf_warm(c).tolist(),
            number=number,
            repeat=reps,
        )
        rows.append(
            {
                "case": f"1,000-row range, {label}",
                "engine": e,
                "engine_arrays": ea,
                "udf_cold": u,
                "udf_warm": w,
                "udf_warm+tolist": wl,
                "cold/engine": _ratio(cold),
                "warm/engine": _ratio(warm),
                "cold/engine_arrays": _ratio(cold_arrays),
                "warm+tolist/engine": _ratio(warm_list),
                "target": "cold/engine < 1.5",
            }
        )

    # Against a naive pandas version of the rule (issue 15), both given fresh lists as Excel
    # passes them on every call (copies of the same range: no identity cache can help): the
    # UDF with its content-keyed cache of parsed market data, and with that cache emptied.
    pool = [([list(r) for r in xl_dates], [list(r) for r in xl_vwaps]) for _ in range(16)]
    turn = [0]
    one = cases[0][2]

    def fresh() -> tuple[list, list]:
        turn[0] += 1
        return pool[turn[0] % len(pool)]

    def udf_fresh() -> object:
        d, v = fresh()
        return udfs.ASCENT_CONVERSION_PRICE(FIXED, d, v, one)

    def udf_emptied() -> object:
        cells.clear_market_cache()
        d, v = fresh()
        return udfs.ASCENT_CONVERSION_PRICE(FIXED, d, v, one)

    def naive() -> float:
        d, v = fresh()
        return naive_pandas_price(d, v, one)

    assert abs(naive() - np.asarray(udf_fresh()).item()) < 1e-12
    assert abs(naive() - np.asarray(udf_emptied()).item()) < 1e-12
    number = 20 if quick() else 200
    for label, fn in (("fresh lists (content cache)", udf_fresh), ("cache emptied", udf_emptied)):
        u, n, ratio = compare(fn, naive, number=number, repeat=reps)
        rows.append({"case": f"1,000-row range, 1 notice date, {label}", "udf": u, "naive pandas": n,
                     "ratio": ratio, "target": ">=5x" if label.startswith("fresh") else "-"})

    # The cell conversion alone: 1,000 dates and VWAPs to numpy arrays.
    def convert() -> None:
        cells.to_days(plain_dates, "dates")
        cells.to_floats(plain_vwaps, "vwaps")

    conv, build_arrays, _ = compare(
        convert, lambda: MarketData.from_arrays(sessions, vwap), number=200, repeat=reps
    )
    rows.append(
        {
            "case": "convert 1,000 date+VWAP cells",
            "convert": conv,
            "build market from arrays": build_arrays,
        }
    )
    report("Excel layer: ASCENT_CONVERSION_PRICE", rows)
    return rows


def naive_pandas_price(dates: list, vwaps: list, notice: list) -> float:
    """The conversion price rule written plainly with pandas from the cells as Excel passes
    them: a Series, the window before the notice, the lowest VWAPs' mean, the discount, then
    the lower of that and the fixed price, never below the floor."""
    series = pd.Series([r[0] for r in vwaps], index=pd.to_datetime([r[0] for r in dates]))
    window = series[series.index < pd.Timestamp(notice[0][0])].tail(DAYS)
    if len(window) < DAYS or window.isna().any():
        raise ValueError("window incomplete")
    alt = (1 - DISCOUNT) * window.nsmallest(LOWEST).mean()
    return max(min(FIXED, alt), FLOOR)


def _ratio(x: float) -> str:
    return f"{x:.2f}x"


if __name__ == "__main__":
    main()
