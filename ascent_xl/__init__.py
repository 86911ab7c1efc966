"""ascent-xl: terms engine, deal ledger and Excel add-in for convertible advance-note deals.

The package is layered so that each part can be read alone:

- :mod:`ascent_xl.terms` and :mod:`ascent_xl.presets` — deal terms as data (``ASTI_2022``);
- :mod:`ascent_xl.terms_io` — terms files (TOML/JSON);
- :mod:`ascent_xl.calendar` and :mod:`ascent_xl.market` — trading days and VWAP data;
- :mod:`ascent_xl.pricing`, :mod:`ascent_xl.interest`, :mod:`ascent_xl.fees`,
  :mod:`ascent_xl.equity` — pricing rules as pure functions;
- :mod:`ascent_xl.excel` — the thin Excel layer; :mod:`ascent_xl.cli` — the command line.
"""

__version__ = "0.1.0"
