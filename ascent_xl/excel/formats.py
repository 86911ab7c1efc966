"""Excel number formats and column widths for engine outputs, shared by every workbook writer."""

from __future__ import annotations

from typing import Any

from ascent_xl.ledger.schedule import SCHEDULE_COLUMN_KINDS

USD = '"$"#,##0.00;[Red]-"$"#,##0.00;"-"'
USD_WHOLE = '"$"#,##0;[Red]-"$"#,##0;"-"'
PRICE = '"$"#,##0.00000'
SHARES = '#,##0;[Red]-#,##0;"-"'
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"
COUNT = "#,##0"

FORMAT_BY_KIND = {"money": USD, "price": PRICE, "shares": SHARES, "fraction": PERCENT, "date": DATE}
"""Number format of each kind of value."""

SCHEDULE_FORMATS: dict[str, str] = {
    c: FORMAT_BY_KIND[kind] for c, kind in SCHEDULE_COLUMN_KINDS.items() if kind in FORMAT_BY_KIND
}
"""Number format of each schedule column."""

SUMMARY_FORMATS: dict[str, str] = {
    "Issue Date": DATE,
    "Maturity": DATE,
    "Shares Issued": SHARES,
    "Shares Restated": SHARES,
    **{c: USD for c in ("Principal Issued", "Principal Converted", "Principal Repaid", "Principal Outstanding",
                        "Floor Payments", "Interest Paid Cash", "Interest PIK", "Interest Converted",
                        "Premiums Paid", "Default Amounts", "Accrued Interest")},
}
"""Number format of each summary column."""


SHOWN_UNITS = {"fraction": "%", "fraction/yr": "% a year", "x principal": "% of principal"}
"""A unit as a sheet shows it beside a value formatted as a percentage (0.9 shows as 90.00%: its
unit reads %, not fraction); terms files and the engine keep the fraction."""


def format_by_header(name: str) -> str:
    """The number format of a result column by its name (``Next Interest Date``, ``Floor
    Price``, ``Conversion Shares``); other numbers are USD amounts."""
    if "Date" in name:
        return DATE
    if "Price" in name:
        return PRICE
    if "Shares" in name:
        return SHARES
    return USD


HEADER_COLOR = "1F3864"
"""Navy: table headers (white bold text on it) and titles."""


def style_header(cell: Any) -> None:
    """A table header cell: white bold text on navy, set on the cell itself so that every viewer
    (not only Excel's table styles) shows it."""
    from openpyxl.styles import Font, PatternFill

    cell.font = Font(name="Calibri", bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor=HEADER_COLOR)


def column_width(name: str, fmt: str | None) -> float:
    """A readable width for a column: its header, or the widest value the format shows."""
    by_format = {USD: 16, PRICE: 12, SHARES: 13, PERCENT: 9, DATE: 11}
    return max(len(name) + 2, by_format.get(fmt or "", 10))


LINE_HEIGHT = 15.0
"""Points per line of an 11-point row (a row of wrapped text is this times its lines tall)."""


def wrapped_lines(value: Any, width: float) -> int:
    """Lines ``value`` wraps to in a column ``width`` characters wide, words kept whole (a
    proportional font fits about 1.1 ``width`` characters of text). Viewers do not all fit a row
    to its wrapped text, so the writers state the height: :data:`LINE_HEIGHT` times this."""
    if value is None:
        return 1
    room, lines, used = max(int(width * 1.1), 8), 1, 0
    for word in str(value).split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def print_setup(ws: Any, *, header_row: int | None, pages_wide: int = 1, title_columns: str | None = None) -> None:
    """Print a sheet landscape on A4, ``pages_wide`` pages across and as many down as needed,
    with the header row (and ``title_columns``, e.g. ``"A:C"``) repeated on every page and the
    page number in the footer: one print layout for the template's sheets and the exports."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    if title_columns is not None:
        ws.print_title_cols = title_columns
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A - page &P of &N"
