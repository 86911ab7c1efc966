"""Price history of a deal: VWAP, alternate price, fixed price, floor and conversion price on every
trading day, restated to the latest share basis (after every split), for charts and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ascent_xl.events import Event, EventKind
from ascent_xl.ledger.schedule import Schedule
from ascent_xl.market import MarketData
from ascent_xl.pricing import alternate_conversion_price, floor_binds, unfloored_price


@dataclass(frozen=True)
class PriceHistory:
    """Arrays over the trading days with a full look-back window; prices in USD/share on the
    latest share basis."""

    dates: np.ndarray  # datetime64[D]
    vwap: np.ndarray
    alternate: np.ndarray
    fixed: np.ndarray
    floor: np.ndarray
    conversion: np.ndarray

    def rows(self) -> list[list[object]]:
        """``[date, VWAP, alternate, fixed, floor, conversion price]`` per day."""
        out = []
        for i, d in enumerate(self.dates):
            out.append([d.item(), float(self.vwap[i]), float(self.alternate[i]), float(self.fixed[i]),
                        float(self.floor[i]), float(self.conversion[i])])
        return out


def price_history(schedule: Schedule, market: MarketData, events: list[Event]) -> PriceHistory:
    """Each trading day's conversion price as the ledger would compute it that day: the lower of
    the fixed and the alternate price, not below the floor, with the fixed price and the floor
    as the schedule shows them (after amendments, resets, ratchets), all restated by the splits
    that follow the day so that the series is continuous.

    VWAP gaps are skipped (those days are left out)."""
    c = schedule.terms.conversion
    splits = sorted((e.date, e.value.ratio) for e in events if e.kind is EventKind.SPLIT)  # SplitRatio
    adjusted = market.priced_by(c.price_source)
    for day, ratio in splits:
        adjusted = adjusted.adjusted_for_split(day, ratio)
    days = c.alternate_price_days
    usable = adjusted.dates[days:]
    windows = np.lib.stride_tricks.sliding_window_view(adjusted.vwap, days)[: len(usable)]
    ok = ~np.isnan(windows).any(axis=1) & ~np.isnan(adjusted.vwap[days:])
    dates = usable[ok]
    alternate = alternate_conversion_price(
        adjusted, notice_date=dates, discount=c.alternate_price_discount, days=days,
        lowest=c.alternate_price_lowest, include_notice_day=c.window_includes_notice_day,
    )
    restate = _restatement(dates, splits)
    fixed = _step(schedule, dates, "Fixed Price") * restate
    floor = _step(schedule, dates, "Floor Price") * restate
    raw = unfloored_price(fixed_price=fixed, alternate_price=alternate)
    conversion = np.where(floor_binds(unfloored_price=raw, floor_price=floor, floor_mode=c.floor_mode),
                          floor, raw)
    return PriceHistory(dates, adjusted.vwap[days:][ok], alternate, fixed, floor, conversion)


def _restatement(dates: np.ndarray, splits: list[tuple[dt.date, float]]) -> np.ndarray:
    """Factor that restates a price on each date to the latest share basis (1 / ratio of every
    later split)."""
    factor = np.ones(len(dates))
    for day, ratio in splits:
        factor[dates < np.datetime64(day, "D")] /= ratio
    return factor


def _step(schedule: Schedule, dates: np.ndarray, column: str) -> np.ndarray:
    """The value of ``column`` in force on each date (the last schedule row on or before it that
    has one; before the first row, the first value), on that date's share basis."""
    known = [(np.datetime64(r["Date"], "D"), float(r[column])) for r in schedule.rows if r[column] is not None]
    if not known:
        return np.full(len(dates), np.nan)
    row_dates = np.array([d for d, _ in known])
    values = np.array([v for _, v in known])
    idx = np.searchsorted(row_dates, dates, side="right") - 1
    return values[np.clip(idx, 0, None)]
