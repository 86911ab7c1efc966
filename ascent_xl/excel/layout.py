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
POSITION = "Position"
NOTICE = "Notice"
SUMMARY = "Summary"
CHECKS = "Checks"
VALUATION = "Valuation"
CONF = "xlwings.conf"
SHEETS = (GUIDE, INPUTS, VWAP, EVENTS, SCHEDULE, POSITION, CONVERSIONS, NOTICE, SUMMARY, CHECKS, VALUATION)
"""The book's sheets in order (``xlwings.conf`` comes last)."""

# Tables (Excel ListObjects): name -> (sheet, header row, first column letter)
TERMS_TABLE = "Terms"
VWAP_TABLE = "VWAP"
EVENTS_TABLE = "Events"
SCHEDULE_TABLE = "Schedule"
CONVERSIONS_TABLE = "Conversions"
CHART_TABLE = "PriceHistory"
TABLE_HEADER_ROW = 5  # every table's header row; rows 1-4 hold the title, notes and the check

TERMS_COLUMNS = ("Label", "Term", "Value", "Unit", "Meaning")
"""The Terms table: a plain-English label, the term's key (what a terms file and a ``terms``
argument name), its value (the input), unit and meaning. ``Terms[[Term]:[Value]]`` is the
two-column range the ``ASCENT_*`` functions take as ``terms``."""
VWAP_COLUMNS = ("Date", "VWAP", "Dollar Volume", "Market Cap")
CLOSE_COLUMN = "Close"
"""The VWAP table's fifth column, in a book whose market data has closing prices (a deal whose
windows read closes, ``conversion.price_source = close``)."""


def vwap_columns(*, close: bool) -> tuple[str, ...]:
    """The VWAP table's columns: :data:`VWAP_COLUMNS`, then :data:`CLOSE_COLUMN` with ``close``."""
    return (*VWAP_COLUMNS, CLOSE_COLUMN) if close else VWAP_COLUMNS


EVENTS_COLUMNS = ("Date", "Event", "Note", "Amount", "Value")
CONVERSION_INPUTS = ("Notice Date", "Amount", "Note")
"""The Conversions table: the notices to price (inputs). Each row's quote spills beside it."""
CHART_COLUMNS = ("Date", "VWAP", "Alternate Price", "Fixed Price", "Floor Price", "Conversion Price")


def chart_columns(*, price: str) -> tuple[str, ...]:
    """The Summary's price-history columns: :data:`CHART_COLUMNS`, the second named for the price
    the deal's windows read (``price``: ``ConversionTerms.price_name``, VWAP or Close)."""
    return (CHART_COLUMNS[0], price, *CHART_COLUMNS[2:])


CHART_FIRST_COLUMN = "H"  # the price-history table sits on Summary, right of the key figures

# Sheets whose results are ``ASCENT_*`` array formulas over the book's own ranges; refresh
# enters each formula over the cells its result fills (a legacy array formula, which every Excel
# calculates) and, in a book written without Excel, stores the result as the cells' values.
BOOK_RANGES = "Events[#All],VWAP[Date],VWAP[[VWAP]:[Market Cap]]"  # the ledger reads volumes and caps too
_CLOSE_RANGE = ("VWAP[[VWAP]:[Market Cap]]", "VWAP[[VWAP]:[Close]]")


def with_close(formula: str, close: bool) -> str:
    """A formula of the book's ranges (:data:`BOOK_RANGES`) as it reads a VWAP table with a Close
    column (``close``): the VWAP table's ``VWAP`` to ``Close`` columns, closes included."""
    return formula.replace(*_CLOSE_RANGE) if close else formula


BOOK_TERMS = "Terms[[Term]:[Value]]"
POSITION_AS_OF = (POSITION, "B4")  # the snapshot's date (an input)
POSITION_AS_OF_NAME = "Position_AsOf"
POSITION_AREA = "A6:Q70"  # the spill: a header row, a row per note, a total row; then the holders
POSITION_FORMULA = f"=ASCENT_POSITION({BOOK_RANGES},{POSITION_AS_OF_NAME},{BOOK_TERMS})"
HOLDERS_FORMULA = f"=ASCENT_HOLDERS({BOOK_RANGES},{POSITION_AS_OF_NAME},{BOOK_TERMS})"
HOLDERS_GAP = 1  # blank rows between the position table and the holders table below it
HOLDERS_FIRST_COLUMN = "B"  # the holders' names under the notes' Status (31 wide), their numbers under numbers


def holders_area(position_rows: int) -> str:
    """The cells of the Position sheet's Holders table (a header row, a row per holder): in
    :data:`POSITION_AREA`, from :data:`HOLDERS_FIRST_COLUMN`, :data:`HOLDERS_GAP` blank rows below
    the ``position_rows`` rows the position table fills, to the area's last row. Refresh puts it
    there, so that it follows the position table however many notes the deal has."""
    from ascent_xl.ledger.position import HOLDER_COLUMNS

    start, stop = POSITION_AREA.split(":")
    first = int(start.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    last = int(stop.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    end = column_letter(column_index(HOLDERS_FIRST_COLUMN) + len(HOLDER_COLUMNS) - 1)
    return f"{HOLDERS_FIRST_COLUMN}{first + position_rows + HOLDERS_GAP}:{end}{last}"


CONVERSIONS_OUTPUT_FIRST_COLUMN = "E"  # each notice's quote, beside the table (a blank column between)
NOTICE_INPUTS = (("Notice date", "B4"), ("Amount", "B5"), ("Note", "B6"))
"""The Notice sheet's inputs: label and cell (an amount or note left blank: all of the first note
with principal outstanding)."""
NOTICE_AREA = "A8:D60"
NOTICE_FORMULA = f"=ASCENT_NOTICE({BOOK_RANGES},B4,B5,B6,{BOOK_TERMS})"


CONVERSIONS_SPARE_ROWS = 50  # rows below the Conversions table cleared of old quotes by refresh


def conversions_output(rows: int, *, row: int | None = None) -> str:
    """The cells the quotes of ``rows`` Conversions rows fill, from ``row`` (default: the
    table's first body row, with :data:`CONVERSIONS_SPARE_ROWS` more below it), one column
    per field of ``ASCENT_QUOTE``."""
    from ascent_xl.ledger.position import QUOTE_COLUMNS

    first = TABLE_HEADER_ROW + 1 if row is None else row
    start = column_index(CONVERSIONS_OUTPUT_FIRST_COLUMN)
    last = first + rows - 1 + (0 if row is not None else CONVERSIONS_SPARE_ROWS)
    return f"{CONVERSIONS_OUTPUT_FIRST_COLUMN}{first}:{column_letter(start + len(QUOTE_COLUMNS) - 1)}{last}"


def quote_formula(row: int) -> str:
    """The array formula of Conversions row ``row``: the notice in A, amount in B, note in C,
    priced on the deal's state that day (no header row)."""
    return f"=ASCENT_QUOTE({BOOK_RANGES},A{row},B{row},C{row},{BOOK_TERMS},,FALSE)"


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
    ("Maturity", "principal is repaid at the latest maturity (blank: a note has none)",
     f"IF(AND(ISNUMBER({LATEST_MATURITY}),MAX(Schedule[Date])>={LATEST_MATURITY}),"
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
VALUATION_OUTPUT = (VALUATION, "F5:K120")
"""Where refresh writes the valuation's result tables (cleared first)."""
_NOTE_ROW = TABLE_HEADER_ROW + len(VALUATION_SETTINGS) + 2  # a blank row after the settings
VALUATION_NOTE = (VALUATION, f"A{_NOTE_ROW}:D{_NOTE_ROW + 14}")
"""Where refresh says why it did not value the deal: "Not valued", then the reason in lines of
:data:`VALUATION_NOTE_WIDTH`, under the settings, so that it prints with them on the sheet's
first page (the results area is then left blank). Cleared when the deal is valued."""
VALUATION_NOTE_WIDTH = 120
"""Width (in digits) the "Not valued" reason's lines hold: within the settings' columns A:D."""
VALUATION_OUTPUT_WIDTHS = (34, 30, 18, 19, 16, 16)
"""Widths of the results' columns F:K: labels; values, right-aligned under the widest header
("Expected (USD, undiscounted)"); units and numbers; the inputs' Source, with room for
"median dollar volume of the 13 sessions to 2022-12-19 / spot" over I:K. A text wider than the
columns from its own to K is broken into lines on the rows below (refresh)."""


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
