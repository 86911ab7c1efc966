"""Excel number formats and column widths for engine outputs, shared by every workbook writer."""

from __future__ import annotations

from ascent_xl.ledger.schedule import MONEY_COLUMNS

USD = '"$"#,##0.00;[Red]-"$"#,##0.00;"-"'
USD_WHOLE = '"$"#,##0;[Red]-"$"#,##0;"-"'
PRICE = '"$"#,##0.00000'
SHARES = '#,##0;[Red]-#,##0;"-"'
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"
RATE = "0.000%"

SCHEDULE_FORMATS: dict[str, str] = {
    **{c: USD for c in MONEY_COLUMNS},
    "Date": DATE,
    "Conversion Price": PRICE,
    "Fixed Price": PRICE,
    "Floor Price": PRICE,
    "Shares Issued": SHARES,
    "Shares Outstanding": SHARES,
    "Holder Shares": SHARES,
    "Holder Ownership": PERCENT,
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


def column_width(name: str, fmt: str | None) -> float:
    """A readable width for a column: its header, or the widest value the format shows."""
    by_format = {USD: 16, PRICE: 12, SHARES: 13, PERCENT: 9, DATE: 11}
    return max(len(name) + 2, by_format.get(fmt or "", 10))
