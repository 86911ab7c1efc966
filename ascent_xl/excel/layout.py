"""Where things are in a deal book: sheets, tables, the cells refresh writes, defined names.

The template builder lays the book out from these constants and the refresh reads and writes
through them, so the two cannot drift apart. *Input* cells belong to the user (terms, VWAPs,
events, conversion notices); refresh writes only the *output* areas listed here.
"""

from __future__ import annotations

import re

TEMPLATE_NAME = "ascent_advance_notes"  # workbooks/ascent_advance_notes.xlsm and .xlsx

GUIDE = "Guide"
INPUTS = "Inputs"
VWAP = "VWAP"
EVENTS = "Events"
SCHEDULE = "Schedule"
CONVERSIONS = "Conversions"
SUMMARY = "Summary"
CHECKS = "Checks"
VALUATION = "Valuation"
CONF = "xlwings.conf"
SHEETS = (GUIDE, INPUTS, VWAP, EVENTS, SCHEDULE, CONVERSIONS, SUMMARY, CHECKS, VALUATION)
"""The book's sheets in order (``xlwings.conf`` comes last)."""

# Tables (Excel ListObjects): name -> (sheet, header row, first column letter)
TERMS_TABLE = "Terms"
VWAP_TABLE = "VWAP"
EVENTS_TABLE = "Events"
SCHEDULE_TABLE = "Schedule"
CONVERSIONS_TABLE = "Conversions"
CHART_TABLE = "PriceHistory"
TABLE_HEADER_ROW = 5  # every table's header row; rows 1-4 hold the title, notes and the check

TERMS_COLUMNS = ("Term", "Value", "Unit", "Meaning")
VWAP_COLUMNS = ("Date", "VWAP", "Dollar Volume", "Market Cap")
EVENTS_COLUMNS = ("Date", "Event", "Note", "Amount", "Value")
CONVERSION_INPUTS = ("Notice Date", "Amount")
CONVERSION_COLUMNS = (*CONVERSION_INPUTS, "Fixed Price", "Alternate Price", "Conversion Price",
                      "Floor Binds", "Shares", "Floor Payment")
CHART_COLUMNS = ("Date", "VWAP", "Alternate Price", "Fixed Price", "Floor Price", "Conversion Price")
CHART_FIRST_COLUMN = "H"  # the price-history table sits on Summary, right of the key figures

# Every sheet shows the master check in B3 (label in A3).
MASTER_CHECK_ROW = 3
# Single cells refresh writes (defined names -> sheet and cell).
STATUS = "RefreshStatus"
STAMP = "RefreshStamp"
INPUT_HASH = "InputHash"
MASTER_CHECK = "MasterCheck"
CELLS = {
    STATUS: (SUMMARY, "B4"),
    STAMP: (SUMMARY, "B5"),
    INPUT_HASH: (CHECKS, "B4"),
}
MASTER_CELL = (CHECKS, "B3")

SUMMARY_FIRST_ROW = 7  # key figures: label in A, value in B, unit/note in C
SUMMARY_VALUES = (
    # (label, defined name, source): source "formula:<Excel formula>" or "engine:<key>"
    ("Deal", "Summary_Deal", "engine:deal"),
    ("Principal issued", "Summary_Issued", "formula:SUM(Schedule[Principal Issued])"),
    ("Principal converted", "Summary_Converted", "formula:SUM(Schedule[Principal Converted])"),
    ("Principal repaid in cash", "Summary_Repaid", "formula:SUM(Schedule[Principal Repaid])"),
    ("Principal outstanding", "Summary_Outstanding",
     "formula:INDEX(Schedule[Total Principal],ROWS(Schedule[Total Principal]))"),
    ("Conversion shares, restated", "Summary_Shares",
     'formula:SUMIFS(Schedule[Shares Restated],Schedule[Event],"Conversion")'),
    ("Conversion shares, as issued", "Summary_SharesAsIssued", "engine:shares_as_issued"),
    ("Floor payments", "Summary_FloorPayments", "formula:SUM(Schedule[Floor Payment])"),
    ("Interest paid in cash", "Summary_InterestCash", "formula:SUM(Schedule[Interest Paid Cash])"),
    ("Interest paid in kind", "Summary_InterestPIK", "formula:SUM(Schedule[Interest PIK])"),
    ("Default amounts", "Summary_DefaultAmounts", "formula:SUM(Schedule[Default Amount])"),
    ("Cash paid to holders", "Summary_CashPaid", "formula:SUM(Schedule[Cash Paid])"),
    ("Shares outstanding", "Summary_SharesOutstanding",
     "formula:INDEX(Schedule[Shares Outstanding],ROWS(Schedule[Shares Outstanding]))"),
    ("Holder ownership", "Summary_HolderOwnership",
     "formula:INDEX(Schedule[Holder Ownership],ROWS(Schedule[Holder Ownership]))"),
    ("Gross proceeds", "Summary_GrossProceeds", "engine:gross"),
    ("Placement fee", "Summary_PlacementFee", "engine:fee"),
    ("Proceeds before expenses", "Summary_BeforeExpenses", "engine:before_expenses"),
    ("Other expenses", "Summary_OtherExpenses", "engine:other_expenses"),
    ("Net proceeds", "Summary_NetProceeds", "engine:net"),
    ("Covenant flags", "Summary_Flags", "engine:flags"),
)
"""Rows of the Summary's key figures; ``formula`` rows are native Excel formulas over the
Schedule table, ``engine`` rows are values refresh writes."""

CHECKS_FIRST_ROW = 7  # checks: label in A, result in B, what it tests in C
LATEST_MATURITY = "Checks_LatestMaturity"
CHECK_ROWS = (
    ("Conservation", "principal issued = converted + repaid + outstanding",
     "ROUND(SUM(Schedule[Principal Issued])-SUM(Schedule[Principal Converted])-SUM(Schedule[Principal Repaid])"
     "-INDEX(Schedule[Total Principal],ROWS(Schedule[Total Principal])),2)=0"),
    ("Every row conserved", "no schedule row fails its conservation check",
     "COUNTIF(Schedule[Check],FALSE)=0"),
    ("Ownership cap", "no conversion takes the holder above the cap",
     '_xlfn.MAXIFS(Schedule[Holder Ownership],Schedule[Event],"Conversion")<=conversion_ownership_cap+1E-12'),
    ("Share reserve", "no row flags the share reserve covenant",
     'COUNTIF(Schedule[Flags],"*reserve:*")=0'),
    ("Maturity", "principal is repaid at the latest maturity",
     f"IF(MAX(Schedule[Date])>={LATEST_MATURITY},"
     "INDEX(Schedule[Total Principal],ROWS(Schedule[Total Principal]))=0,TRUE)"),
    ("Refresh", "the last refresh succeeded", f'{STATUS}="OK"'),
)
"""(check, what it tests, Excel formula) rows of the Checks sheet; the master check is their AND."""
LATEST_MATURITY_CELL = (CHECKS, f"B{CHECKS_FIRST_ROW + len(CHECK_ROWS) + 1}")
"""Where refresh writes the latest maturity date the Maturity check compares with."""


VALUATION_TABLE = "ValuationInputs"
VALUATION_COLUMNS = ("Setting", "Value", "Unit", "Meaning")
VALUATION_SETTINGS = ("spot", "volatility", "rate", "credit_spread", "vwap_noise", "daily_volume",
                      "valuation_date", "paths", "seed")
"""Rows of the Valuation sheet's inputs: model parameters (blank: the demo's) and the run."""
VALUATION_OUTPUT = (VALUATION, "F5:K90")
"""Where refresh writes the valuation's result tables (cleared first)."""


def term_defined_name(dotted: str) -> str:
    """The defined name of a term's value cell: ``conversion.floor_price`` ->
    ``conversion_floor_price`` (Excel names allow letters, digits and underscores)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", dotted)


def column_letter(index: int) -> str:
    """Excel column letter of a 1-based column index."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letter: str) -> int:
    """1-based column index of an Excel column letter."""
    n = 0
    for ch in letter.upper():
        n = n * 26 + ord(ch) - 64
    return n
