"""Equity conditions: the trading tests an issuer must pass before an additional note or a
registered PIK note (dollar volume and market capitalisation over a measurement period)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ascent_xl.calendar import as_day
from ascent_xl.market import MarketData
from ascent_xl.terms import EquityConditionTerms


@dataclass(frozen=True, slots=True)
class EquityConditionResult:
    """Outcome of the equity conditions on ``test_date``."""

    test_date: dt.date
    trimmed_dollar_volume: float  # USD, average after leaving out the highest and lowest days
    market_cap_days: int  # days in the period at or above the minimum market cap
    volume_ok: bool
    market_cap_ok: bool

    @property
    def met(self) -> bool:
        """True when both tests pass."""
        return self.volume_ok and self.market_cap_ok

    @property
    def reason(self) -> str:
        """Why the conditions fail, in words; empty when they are met."""
        out = []
        if not self.volume_ok:
            out.append(f"trimmed average dollar volume ${self.trimmed_dollar_volume:,.0f} too low")
        if not self.market_cap_ok:
            out.append(f"market cap at the minimum on only {self.market_cap_days} days")
        return "; ".join(out)


def trimmed_mean(values: np.ndarray, *, highest: int, lowest: int) -> np.ndarray:
    """Mean of each row after leaving out its ``highest`` largest and ``lowest`` smallest values."""
    rows = np.sort(np.atleast_2d(values), axis=1)
    n = rows.shape[1]
    return rows[:, lowest : n - highest].mean(axis=1)


def equity_conditions(
    market: MarketData, *, test_date: Any, terms: EquityConditionTerms
) -> EquityConditionResult:
    """Test the equity conditions over the ``terms.days`` trading days before ``test_date``:
    the average daily dollar volume, leaving out the ``trim_highest`` highest and ``trim_lowest``
    lowest days, is at least ``min_dollar_volume``; and the market cap is at least
    ``min_market_cap`` on at least ``min_market_cap_days`` of those days.

    Needs the dollar volume and market cap columns of the market data.
    """
    day = as_day(test_date)
    vol = market.window(day, terms.days, what="test date", column="dollar_volume")
    cap = market.window(day, terms.days, what="test date", column="market_cap")
    avg = float(trimmed_mean(vol, highest=terms.trim_highest, lowest=terms.trim_lowest)[0])
    cap_days = int((cap[0] >= terms.min_market_cap).sum())
    return EquityConditionResult(
        test_date=day.item(),  # type: ignore[arg-type]
        trimmed_dollar_volume=avg,
        market_cap_days=cap_days,
        volume_ok=avg >= terms.min_dollar_volume,
        market_cap_ok=cap_days >= terms.min_market_cap_days,
    )
