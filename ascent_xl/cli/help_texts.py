"""The descriptions of the inputs many commands ask for, one text per input. Only strings:
``refresh`` and ``new`` import this without the heavier :mod:`ascent_xl.cli.options`."""

from __future__ import annotations

TERMS_HELP = ("Deal terms file (.toml or .json), or a shipped deal's name (e.g. bbby_2023_series_a; "
              "a wrong name lists them) [default: the ASTI_2022 preset].")
VWAPS_HELP = ("CSV with columns Date,VWAP[,Dollar Volume,Market Cap][,Close], as traded, one row per trading "
              "day (Close: for a deal priced on closing prices).")
EVENTS_HELP = "CSV of the deal's events: Date,Event,Note,Amount,Value (kinds: `ascent-xl schedule --help`)."
