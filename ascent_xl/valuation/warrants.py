"""Black-Scholes for the warrants: closed form, and the warrants' value on each simulated path.

The notes' paths end at the notes' maturity (18 months) but the warrants live five years. On each
path the warrants are priced at the paths' last day by Black-Scholes on that day's share price
with the life left: with a lognormal price and no dividends this is the exact conditional
expectation of the payoff, so the Monte Carlo average (with its standard error) is an unbiased
estimate of the warrants' value that needs no path to the warrants' expiry. A warrant on a stock
without dividends is never exercised early, so the European value is the warrant's value.

Not modelled: the exercise-price adjustments for later cheaper issues (note conversions are taken
as exempt), the dilution of the warrant shares themselves, and the warrants' ownership cap.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ascent_xl.errors import InputError


def normal_cdf(x: Any) -> Any:
    """Standard normal distribution function, element-wise, from ``math.erfc`` (full double
    precision, no scipy needed).

    Examples
    --------
    >>> round(normal_cdf(1.959963984540054), 6)
    0.975
    """
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        return 0.5 * math.erfc(-float(arr) / math.sqrt(2.0))
    y = -arr / math.sqrt(2.0)
    out = np.fromiter(map(math.erfc, y.ravel().tolist()), dtype=float, count=y.size).reshape(y.shape)
    out *= 0.5  # as 0.5 * math.erfc(...) of each element, without an object array
    return out


def black_scholes_call(*, spot: Any, strike: float, years: float, rate: float, volatility: float) -> Any:
    """Black-Scholes value of a European call on a stock without dividends, USD per share.

    ``spot`` may be an array (one price per path); ``years`` of life left (0: the payoff
    ``max(spot - strike, 0)``), continuously compounded ``rate``, annual ``volatility``.

    Examples
    --------
    >>> round(black_scholes_call(spot=100.0, strike=100.0, years=1.0, rate=0.05, volatility=0.2), 4)
    10.4506
    """
    s = np.asarray(spot, dtype=float)
    if not strike > 0:
        raise InputError(f"strike {strike}: must be a positive price")
    if years < 0 or volatility < 0:
        raise InputError("years and volatility must be zero or more")
    discounted = strike * math.exp(-rate * years)
    sd = volatility * math.sqrt(years)
    if sd == 0.0:
        out = np.maximum(s - discounted, 0.0)
    else:
        with np.errstate(divide="ignore"):
            d1 = (np.log(s / discounted) + 0.5 * sd * sd) / sd
        out = s * normal_cdf(d1) - discounted * normal_cdf(d1 - sd)
    return float(out) if np.ndim(out) == 0 else out


__all__ = ["black_scholes_call", "normal_cdf"]
