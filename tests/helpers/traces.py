"""Walking a traced path's conversions with the holder's shares and the shares outstanding."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def conversions(trace: Any, shares_outstanding: float) -> Iterator[tuple[Any, float, float]]:
    """Each conversion flow of ``trace`` (a :class:`~ascent_xl.valuation.baseline.PathTrace`)
    with the holder's shares and the shares outstanding just before it: the holder starts with
    none, each conversion adds its shares to both, each holder sale takes its shares off the
    holder's."""
    outstanding, held = float(shares_outstanding), 0.0
    for f in trace.flows:
        if f.kind == "holder sale":
            held -= f.shares
        elif f.kind == "conversion":
            yield f, held, outstanding
            outstanding += f.shares
            held += f.shares
