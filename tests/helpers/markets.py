"""Small hand-made markets for tests: the sessions before a day, a market ending before a day."""

from __future__ import annotations

from ascent_xl.calendar import trading_calendar
from ascent_xl.market import MarketData


def sessions_before(day: str, n: int) -> list[str]:
    """The n XNAS sessions strictly before ``day`` as ISO strings."""
    return [str(d) for d in trading_calendar("XNAS").sessions_before(day, n)]


def market_before(day: str, vwaps: list[float], *, include_day: float | None = None) -> MarketData:
    """A market whose last len(vwaps) sessions before ``day`` carry ``vwaps``; optionally
    ``day`` itself carries ``include_day``."""
    dates = sessions_before(day, len(vwaps))
    values = list(vwaps)
    if include_day is not None:
        dates.append(day)
        values.append(include_day)
    return MarketData.from_lists(dates, values)

