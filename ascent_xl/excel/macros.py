"""The Refresh button: xlwings runs :func:`main` in Excel, which refreshes the calling book.

``refresh(book)`` takes the book as a parameter (an ``xlwings.Book``, or a stand-in with the same
API in tests) so that it runs without Excel; ``main()`` is the thin wrapper the button calls.
"""

from __future__ import annotations

from typing import Any

from ascent_xl.excel.book import XlwingsBook
from ascent_xl.excel.refresh import RefreshResult, refresh_book


def refresh(book: Any) -> RefreshResult:
    """Refresh an xlwings ``book``: read Inputs, VWAP and Events, run the engine, write the
    Schedule, Summary values, chart data, Checks and the refresh stamp. On bad input only the
    status cell (Summary!B4) is written, listing each cell to fix; the last results stay."""
    return refresh_book(XlwingsBook(book))


def main() -> None:
    """Entry point of the Refresh button (xlwings ``RunPython``): refresh the calling book and
    show a message box when something needs fixing."""
    import xlwings as xw

    book = xw.Book.caller()
    result = refresh(book)
    if not result.ok:
        book.app.alert(result.status, title="ascent-xl: fix these inputs and refresh again")
