"""The valuation chart: the distribution of shares issued (dilution) and sample share price paths
with the floor and the fixed conversion price. Drawn with matplotlib's Agg canvas (no display needed,
no global backend change)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ascent_xl.fileio import atomic_write
from ascent_xl.valuation.results import ValuationResult


def dollars(price: float) -> str:
    """A price axis' tick: cents below $1 (``$0.10``), whole dollars from $1 (``$1``, ``$10``,
    ``$1,000``), never a power of ten (``10⁰``).

    >>> [dollars(p) for p in (0.01, 0.1, 1.0, 10.0, 1000.0)]
    ['$0.01', '$0.10', '$1', '$10', '$1,000']
    """
    return f"${price:,.2f}" if price < 1 else f"${price:,.0f}"


def dilution_chart(result: ValuationResult, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write a PNG to ``path`` (replaced atomically) and return the path.

    Left: histogram of the conversion shares issued per path (millions), with the 5th, 50th
    and 95th percentiles; the top axis reads as dilution in % of the shares outstanding on the
    valuation date. Right: sample share price paths (log scale) with the floor and the fixed
    price.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4.8), dpi=110)
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    shares = result.per_path["shares"] / 1e6
    outstanding = result.shares_outstanding / 1e6
    from matplotlib.ticker import FuncFormatter

    # the axis fits the distribution: from its 0.5th to its 99.5th percentile (a long right tail
    # otherwise squeezes the histogram into a few bars); the paths beyond are counted in the title
    lo, hi = (float(x) for x in np.percentile(shares, [0.5, 99.5])) if len(shares) else (0.0, 1.0)
    hi = hi if hi > lo else lo + 1e-6
    inside = (shares >= lo) & (shares <= hi)
    left.hist(shares[inside], bins=min(60, max(10, int(np.sqrt(len(shares))))), range=(lo, hi),
              color="#4878a8", alpha=0.85)
    left.set_xlim(lo, hi)
    left.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:,.0f}"))
    for pct, style in ((5.0, ":"), (50.0, "-"), (95.0, ":")):
        try:
            q = result.shares_issued.at(pct) / 1e6
        except KeyError:
            continue
        left.axvline(q, color="#b03030", linestyle=style, linewidth=1.4, label=f"P{pct:g} {q:,.1f}M")
    left.set_xlabel("conversion shares issued (millions)")
    left.set_ylabel("paths")
    outside = int((~inside).sum())
    left.set_title(f"Dilution over {result.paths:,} paths" + (f" ({outside:,} beyond the axis)" if outside else ""))
    left.legend(loc="upper right", fontsize=8)
    top = left.secondary_xaxis("top", functions=(lambda x: 100 * x / outstanding,
                                                 lambda d: d * outstanding / 100))
    top.set_xlabel("% of shares outstanding on the valuation date")

    dates = result.sample_dates.astype("datetime64[D]").astype(object)
    for row in result.sample_prices:
        right.plot(dates, row, linewidth=0.7, alpha=0.7)
    if result.floor_price > 0:
        right.axhline(result.floor_price, color="#b03030", linestyle="--", linewidth=1.4,
                      label=f"floor ${result.floor_price:,.2f}")
    right.axhline(result.fixed_price, color="#303030", linestyle=":", linewidth=1.0,
                  label=f"fixed price ${result.fixed_price:,.2f}")
    right.set_yscale("log")
    right.yaxis.set_major_formatter(FuncFormatter(lambda y, _: dollars(y)))
    right.yaxis.set_minor_formatter(FuncFormatter(lambda y, _: ""))
    right.set_ylabel("share price (USD)")
    right.set_title(f"{len(result.sample_prices)} sample price paths")
    right.legend(loc="upper left", fontsize=8)
    fig.autofmt_xdate()
    fig.suptitle(title or f"{result.deal}: valuation on {result.valuation_date}", fontsize=11)
    fig.tight_layout()
    return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png"), backup=False)


__all__ = ["dilution_chart", "dollars"]
