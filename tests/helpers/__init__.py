"""Helpers shared by the test suite (import them from here, never from ``conftest``).

- :mod:`tests.helpers.markets`: hand-made markets (sessions before a day, random walks).
- :mod:`tests.helpers.books`: deal books: copy the template, snapshot input cells, read tables.
- :mod:`tests.helpers.soffice`: skip (or, on CI, fail) tests that need LibreOffice.
- :mod:`tests.helpers.fake_xlwings`: an xlwings ``Book`` stand-in backed by openpyxl.
"""
