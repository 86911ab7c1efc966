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
    **{c: USD for c in ("Principal Issued", "Principal Converted", "Principal Repaid", "Principal Outstanding",
                        "Floor Payments", "Interest Paid Cash", "Interest PIK", "Interest Converted",
                        "Premiums Paid", "Default Amounts", "Accrued Interest")},
}
"""Number format of each summary column."""


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
