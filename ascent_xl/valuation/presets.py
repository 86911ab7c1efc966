"""Demo assumptions for valuing the ``ASTI_2022`` deal: a market model and behaviour rules.

These are *assumptions for the example*, not deal terms and not market data: change them for a real
valuation. The spot is the supplement's last reported price (2022-12-16); the volatility, rate,
credit spread, VWAP noise and volume are round illustrative numbers for a distressed small-cap.
"""

from __future__ import annotations

from ascent_xl.valuation.behaviour import Behaviour
from ascent_xl.valuation.model import ModelParams

DEMO_MODEL = ModelParams(
    spot=2.87,  # last price in the supplement, 2022-12-16
    volatility=1.10,  # 110% a year: illustrative for a distressed small-cap
    rate=0.046,  # about the 18-month US Treasury yield in December 2022
    credit_spread=0.15,  # illustrative for a distressed issuer
    vwap_noise=0.03,  # daily VWAP dispersion around the price
    daily_volume=300_000,  # shares a day at the spot (illustrative)
    volume_elasticity=1.0,  # dollar volume constant as the price falls
)
"""Demo market model for ASTI_2022 (valuation date: the closing, 2022-12-19)."""

DEMO_BEHAVIOUR = Behaviour(
    sell_through=True,  # convert what the leak-out lets the holder sell
    min_conversion_value=1.0,  # ... when conversion is worth at least par
    convert_all_above=1.5,  # convert all the cap allows once conversion is worth 150%
    convert_at_maturity=True,
    interest="equity_conditions",  # PIK when the equity conditions hold, else cash
)
"""Demo behaviour: leak-out and ownership cap from the deal's terms."""

DEMO_PATHS = 20_000
"""Paths of a demo valuation (standard errors of about 0.2% of face)."""

MAX_PATHS_PER_CELL = 200_000
"""Most paths a worksheet may ask for (``ASCENT_FAIR_VALUE``, the Valuation sheet): about three
seconds on two cores; millions of paths would freeze the spreadsheet for minutes."""

PATHS_PER_CELL_LIMIT = (f"at most {MAX_PATHS_PER_CELL:,} in a workbook (more would freeze it); "
                        "for more paths run ascent-xl value --paths N")
"""The message of a refused path count in a workbook."""

__all__ = ["DEMO_BEHAVIOUR", "DEMO_MODEL", "DEMO_PATHS", "MAX_PATHS_PER_CELL", "PATHS_PER_CELL_LIMIT"]
