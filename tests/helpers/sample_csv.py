"""The bundled sample market read straight from its CSV file (not through MarketData), for hand
figures: the rules written out in a test over these rows are independent of the engine's window
code."""

from __future__ import annotations

import csv
import functools

from ascent_xl.samples import SAMPLE_VWAPS, data_path


@functools.cache
def sample_rows() -> dict[str, tuple[float, float, float]]:
    """ISO date -> (VWAP, dollar volume, market cap), every row of the sample CSV."""
    with open(data_path(SAMPLE_VWAPS), encoding="utf-8") as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))[1:]
    return {r[0]: (float(r[1]), float(r[2]), float(r[3])) for r in rows}


def sample_vwaps() -> dict[str, float]:
    """ISO date -> VWAP of the sample CSV."""
    return {d: row[0] for d, row in sample_rows().items()}


def days_before(day: str, n: int) -> list[str]:
    """The last ``n`` dates of the sample strictly before ``day`` (the sample has a row for every
    session)."""
    days = sorted(d for d in sample_rows() if d < day)[-n:]
    assert len(days) == n, (day, n)
    return days


def lowest_mean_before(day: str, *, days: int, lowest: int) -> float:
    """The mean of the ``lowest`` lowest VWAPs of the ``days`` sessions before ``day``."""
    vwaps = sample_vwaps()
    return sum(sorted(vwaps[d] for d in days_before(day, days))[:lowest]) / lowest
