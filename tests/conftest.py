"""Shared fixtures: the ASTI_2022 terms, the bundled sample market, and small hand-made markets."""

from __future__ import annotations

import numpy as np
import pytest

from ascent_xl.calendar import trading_calendar
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022


@pytest.fixture(scope="session")
def terms():
    return ASTI_2022


@pytest.fixture(scope="session")
def sample():
    from ascent_xl.samples import sample_market

    return sample_market()


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


def random_market(seed: int, start: str = "2021-01-04", days: int = 1000) -> MarketData:
    """A positive random-walk VWAP series over ``days`` XNAS sessions."""
    rng = np.random.default_rng(seed)
    sessions = trading_calendar("XNAS").sessions_between(start, "2040-01-01")[:days]
    vwap = 2.0 * np.exp(np.cumsum(rng.normal(0, 0.03, days)))
    return MarketData.from_arrays(sessions, vwap)
