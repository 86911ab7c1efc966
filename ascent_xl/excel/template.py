"""Build the deal-book template: ``workbooks/ascent_advance_notes.xlsm`` (xlwings' own VBA
project, Refresh buttons) and its ``.xlsx`` twin without macros.

The book follows the FAST / ICAEW conventions finance teams expect: separate input, calculation,
output and check sheets; inputs in blue on pale yellow, never written by code; units beside every
number; one formula per column; no deal numbers inside formulas (they use the Inputs' defined
names); a Checks sheet with a master check shown on every sheet; a Guide.

The shipped files are this module's output after one refresh on the bundled example, so they
open with the schedule, summary and chart filled in.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import types
import typing
from pathlib import Path
from typing import Any

from ascent_xl import __version__
from ascent_xl.events import USER_KINDS, Event, EventKind, events_to_rows
from ascent_xl.excel import layout as L
from ascent_xl.excel.book import OpenpyxlBook, parse_ref, put
from ascent_xl.excel.cached import save_with_values
from ascent_xl.excel.cells import term_cell
from ascent_xl.excel.formats import (
    DATE,
    HEADER_COLOR,
    LINE_HEIGHT,
    PERCENT,
    PRICE,
    SHARES,
    SHOWN_UNITS,
    USD,
    USD_WHOLE,
    column_pixels,
    print_setup,
    style_header,
    width_for,
    wrapped_lines,
)
from ascent_xl.excel.refresh import refresh_book
from ascent_xl.ledger import SCHEDULE_COLUMNS
from ascent_xl.market import MarketData
from ascent_xl.terms import LABEL_MAX, DealTerms, term_label

INPUT_FONT = "0000FF"
INPUT_FILL = "FFF2CC"
TITLE_COLOR = HEADER_COLOR
NOTE_COLOR = "595959"
HEADER_ROW = L.TABLE_HEADER_ROW

# Number format of a term's value cell, by its unit.
_SHOWN_UNITS = SHOWN_UNITS

_UNIT_FORMATS = {
    "USD": USD,
    "USD/share": PRICE,
    "fraction": PERCENT,
    "fraction/yr": "0.000%",
    "x principal": "0.00%",
    "x shares": '0.00"x"',
    "shares": SHARES,
    "date": DATE,
}

GUIDE_LINES = (
    "How to use this book",
    "1. Inputs: the deal's terms, one per row (blue cells), each with its unit and meaning beside it; hover "
    "a cell for its range.",
    "2. VWAP: paste the daily VWAPs as traded (not split-adjusted), one row per trading day; dollar volume "
    "and market cap if you have them (for the leak-out and the equity conditions).",
    "3. Events: one row per event - Date, Event (pick from the list), Note, Amount, Value. Interest dates "
    "and maturities are added by the engine.",
    "4. Press Refresh on the Summary or Schedule sheet (Excel with xlwings), or run "
    "`ascent-xl refresh THIS_BOOK.xlsm` on any machine with Python.",
    "5. Read Summary and Schedule. The master check (row 3 of every sheet) must be TRUE; Checks says why not.",
    "6. Position shows the deal as of a date; Conversions prices any notice and Notice writes out one "
    "conversion's calculation, all with live ASCENT_* formulas on the deal as it stands that day (its Events "
    "applied: splits, amended floor, resets, the ownership cap).",
    "If a refresh finds a problem, Summary!B4 lists each cell to fix and the previous results stay.",
    "Refresh writes only outputs: the Schedule, the Summary values and chart data, the Valuation results, "
    "the Position, Conversions and Notice formulas, the Checks fingerprint and the status; it never changes "
    "an input cell.",
)


# ---------------------------------------------------------------------------------------------
# public entry points


def build_template(out_dir: str | os.PathLike[str], *, terms: DealTerms | None = None,
                   market: MarketData | None = None, events: list[Event] | None = None,
                   name: str = L.TEMPLATE_NAME, xlsm: bool = True, xlsx: bool = True) -> list[Path]:
    """Build the deal book (``NAME.xlsm`` with VBA and buttons, and/or ``NAME.xlsx``) in
    ``out_dir`` from ``terms``, ``market`` and ``events`` (default: the bundled example), refresh
    it once and return the paths written. Files are written atomically."""
    from ascent_xl.fileio import atomic_write
    from ascent_xl.presets import ASTI_2022
    from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market

    terms = terms or ASTI_2022
    market = market or sample_market()
    if events is None:
        from ascent_xl.events import events_from_csv

        events = events_from_csv(data_path(SAMPLE_EVENTS))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if xlsx:
        wb = _new_workbook()
        fill_book(wb, terms, market, events)
        _refresh_or_raise(wb)
        written.append(atomic_write(out / f"{name}.xlsx", lambda tmp: save_with_values(wb, tmp)))
    if xlsm:
        from ascent_xl.excel import vba

        path = out / f"{name}.xlsm"

        def write_xlsm(tmp: Path) -> None:
            # XlsxWriter lays the skeleton (xlwings' VBA, xlwings.conf, the Refresh buttons);
            # openpyxl fills it and keeps the VBA project and the buttons (keep_vba).
            vba.skeleton_xlsm(tmp, sheets=(*L.SHEETS, L.CONF), buttons=BUTTONS,
                              settings={"UDF Modules": "ascent_xl.excel.udfs"})
            wb = _load(tmp, keep_vba=True)
            fill_book(wb, terms, market, events)
            _conf_notes(wb[L.CONF])
            _refresh_or_raise(wb)
            save_with_values(wb, tmp)

        written.append(atomic_write(path, write_xlsm))
        write_entry_module(out, name)
    return written


BUTTONS = ((L.SUMMARY, "D3"), (L.SCHEDULE, "D3"))
"""Sheets with a Refresh button, and the cell it sits on (it covers two columns)."""


def write_entry_module(folder: str | os.PathLike[str], book_stem: str) -> Path:
    """Write ``BOOK_STEM.py`` beside the book: xlwings' ``SampleCall`` macro (the Refresh button)
    imports the module named like the workbook and calls its ``main()``."""
    path = Path(folder) / f"{book_stem}.py"
    path.write_text(entry_module_text(book_stem), encoding="utf-8")
    return path


def entry_module_text(book_stem: str) -> str:
    """The source of the Refresh button's module ``BOOK_STEM.py`` (see :func:`write_entry_module`)."""
    return (f'"""Refresh button of {book_stem}.xlsm: xlwings runs main() (generated by ascent-xl)."""\n\n'
            "from ascent_xl.excel.macros import main\n\n"
            '__all__ = ["main"]\n')


def fill_book(wb: Any, terms: DealTerms, market: MarketData, events: list[Event]) -> None:
    """Lay out every sheet of the deal book on an openpyxl workbook (sheets are added in order,
    before an existing ``xlwings.conf`` sheet)."""
    for index, title in enumerate(L.SHEETS):
        if title not in wb.sheetnames:
            wb.create_sheet(title, index)
        wb.move_sheet(title, offset=index - wb.sheetnames.index(title))
    _guide(wb[L.GUIDE], terms)
    _inputs(wb, wb[L.INPUTS], terms)
    _vwap(wb[L.VWAP], market)
    _events(wb[L.EVENTS], events)
    _schedule(wb[L.SCHEDULE])
    _position(wb, wb[L.POSITION], market, events)
    _conversions(wb[L.CONVERSIONS], events)
    _notice(wb[L.NOTICE], events)
    _summary(wb, wb[L.SUMMARY], price=terms.conversion.price_name)
    _checks(wb, wb[L.CHECKS])
    _valuation(wb[L.VALUATION])
    wb.active = 0


# ---------------------------------------------------------------------------------------------
# sheets


def _guide(ws: Any, terms: DealTerms) -> None:
    _title(ws, "Ascent advance notes - deal book", f"{terms.name} ({terms.issuer}). ascent-xl {__version__}.")
    from openpyxl.styles import Alignment

    for i, line in enumerate(GUIDE_LINES):
        cell = ws.cell(row=5 + i, column=1, value=line)
        if i == 0:
            cell.font = _font(bold=True, size=12, color=TITLE_COLOR)
        else:  # one column wide: a long line wraps, its row as tall as it needs
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if (lines := wrapped_lines(line, GUIDE_WIDTH)) > 1:
                ws.row_dimensions[5 + i].height = LINE_HEIGHT * lines
    row = 6 + len(GUIDE_LINES)
    ws.cell(row=row, column=1, value="Cell styles").font = _font(bold=True)
    sample = ws.cell(row=row + 1, column=1, value="Input: type here")
    _style_input(sample)
    ws.cell(row=row + 2, column=1, value="Output: written by Refresh or a formula - do not type here")
    ws.cell(row=row + 3, column=1, value="Check: TRUE is good, FALSE needs a look at Checks")
    ws.column_dimensions["A"].width = GUIDE_WIDTH


GUIDE_WIDTH = 100
"""Width of the Guide's column (characters): its lines wrap to it."""


def term_width(names: list[str]) -> int:
    """Width of the Inputs' Term column: the longest term name on one line (a user types it
    into a terms file: 44 cut ``redemption.optional_prepayment_notice_trading_days``), at least 44."""
    return max(44, *(math.ceil(width_for(n)) + 1 for n in names))


LABEL_WIDTH = LABEL_MAX + 4
"""Width of the Inputs' Label column (characters); a longer label wraps, its row as tall as it needs."""


def _inputs(wb: Any, ws: Any, terms: DealTerms) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    _title(ws, "Inputs: deal terms", f"Blue cells are inputs (to start, the terms of {terms.name}). Money in "
           "USD, prices in USD/share, rates and percentages as %. Refresh never writes here.")
    from openpyxl.styles import Alignment

    rows = []
    for name, value in terms.flat().items():
        unit, doc = DealTerms.describe(name)
        cell_value = term_cell(value)
        numeric = unit in _UNIT_FORMATS and not isinstance(cell_value, (str, bool)) and cell_value is not None
        rows.append([term_label(name, cut=False), name, cell_value, _SHOWN_UNITS.get(unit, unit) if numeric else unit, doc])
    _table(ws, L.TERMS_TABLE, L.TERMS_COLUMNS, rows, widths=(LABEL_WIDTH, term_width([r[1] for r in rows]), 40, 16,
                                                             MEANING_WIDTH))
    col = {name: j + 1 for j, name in enumerate(L.TERMS_COLUMNS)}
    top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for i, (label, name, value, _, doc) in enumerate(rows):
        r = HEADER_ROW + 1 + i
        for c in (col["Label"], col["Term"]):
            ws.cell(row=r, column=c).alignment = wrap if c == col["Label"] else top
        ws.cell(row=r, column=col["Meaning"]).alignment = wrap
        lines = max(wrapped_lines(label, LABEL_WIDTH), wrapped_lines(doc, MEANING_WIDTH))
        if lines > 1:  # long labels and meanings wrap: the row as tall as they need
            ws.row_dimensions[r].height = LINE_HEIGHT * lines
        cell = ws.cell(row=r, column=col["Value"])
        _style_input(cell)
        unit, _ = DealTerms.describe(name)
        fmt = _UNIT_FORMATS.get(unit)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cell.number_format = fmt or "#,##0.####"
            cell.alignment = Alignment(horizontal="right", vertical="top", indent=1)  # a gap before the unit
        elif isinstance(value, str):
            cell.alignment = Alignment(horizontal="left", vertical="top", shrink_to_fit=True)  # stays in its column
        else:  # a flag, a date, a blank
            if fmt:
                cell.number_format = fmt
            cell.alignment = Alignment(horizontal="right", vertical="top", indent=1)
        ws.cell(row=r, column=col["Unit"]).alignment = Alignment(horizontal="left", vertical="top", indent=1)
        _validate_term(ws, cell, name)
        letter = L.column_letter(col["Value"])
        wb.defined_names[L.term_defined_name(name)] = DefinedName(
            L.term_defined_name(name), attr_text=f"'{L.INPUTS}'!${letter}${r}")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=col["Value"])
    names = [name for _, name, _, _, _ in rows]
    if {FEE_LIMITS, FEE_RATES} <= set(names):
        # the tiers, read: a formula on the two cells, under the table (Refresh reads the table
        # only, and a formula there would be an input to it)
        value = L.column_letter(col["Value"])
        limits, rates = (f"${value}${HEADER_ROW + 1 + names.index(n)}" for n in (FEE_LIMITS, FEE_RATES))
        r = HEADER_ROW + len(rows) + 2
        ws.cell(row=r, column=col["Label"], value="Placement fee tiers, as read").font = _font(bold=True)
        ws.cell(row=r, column=col["Term"], value=f"{FEE_LIMITS}, _rates")
        ws.cell(row=r, column=col["Value"], value=f"={fee_tiers_formula(limits, rates)}")
        meaning = ws.cell(row=HEADER_ROW + 1 + names.index(FEE_RATES), column=col["Meaning"])
        meaning.value = f"{meaning.value} (the tiers as read: under this table)"
        lines = wrapped_lines(meaning.value, MEANING_WIDTH)
        if lines > 1:
            ws.row_dimensions[meaning.row].height = LINE_HEIGHT * lines


FEE_LIMITS, FEE_RATES = "placement.fee_tier_limits", "placement.fee_tier_rates"
FEE_TIERS_SHOWN = 6
"""Tiers the Inputs' reading of the placement fee tiers spells out (more: "...")."""

_ITEM_ROOM = 30
"""Characters a list item may take in :func:`fee_tiers_formula` (``10000000``, ``0.075``)."""


def fee_tiers_formula(limits: str, rates: str) -> str:
    """An Excel formula (functions every viewer and pycel calculate) spelling the placement fee
    tiers from the cells ``limits`` (``5000000, 10000000``) and ``rates`` (``0.08, 0.04,
    0.06``): ``$0-$5,000,000: 8%; $5,000,000-$10,000,000: 4%; above $10,000,000: 6%``. Items
    are split at commas or semicolons, as the terms reader splits them."""
    pad = " " * _ITEM_ROOM

    def item(ref: str, k: int) -> str:
        listed = f'SUBSTITUTE(SUBSTITUTE({ref}&"",";",","),",","{pad}")'
        return f"TRIM(MID({listed},{(k - 1) * _ITEM_ROOM + 1},{_ITEM_ROOM}))"

    def usd(text: str) -> str:
        return f'TEXT(VALUE({text}),"$#,##0")'

    parts = []
    for k in range(1, FEE_TIERS_SHOWN + 1):
        rate = item(rates, k)
        low = '"$0"' if k == 1 else usd(item(limits, k - 1))
        top = item(limits, k)
        beyond = '"all"' if k == 1 else f'"above "&{low}'
        band = f'IF({top}="",{beyond},{low}&"-"&{usd(top)})'
        pct = f'SUBSTITUTE(TEXT(VALUE({rate})*100,"0.###")&"%",".%","%")'
        sep = '"; "&' if k > 1 else ""
        parts.append(f'IF({rate}="","",{sep}{band}&": "&{pct})')
    more = item(rates, FEE_TIERS_SHOWN + 1)
    parts.append(f'IF({more}="","","; ...")')
    return "&".join(parts)


MEANING_WIDTH = 70
"""Width of the Inputs' Meaning column (characters); a longer meaning wraps."""


def _vwap(ws: Any, market: MarketData) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    closes = market.close is not None
    _title(ws, "VWAP: daily market data", "One row per trading day, VWAPs as traded (not split-adjusted). "
           "Dollar volume and market cap (USD) feed the leak-out and equity-condition checks."
           + (" Close: the closing prices the deal's windows read (conversion.price_source = close)."
              if closes else ""))
    columns = L.vwap_columns(close=closes)
    frame = market.to_frame()
    rows = []
    for rec in frame.to_dict("records"):  # by column name: a file without volumes has no column for them
        values = [rec.get(c) for c in columns[1:]]
        rows.append([rec["Date"].date(), *(None if v is None or v != v else float(v) for v in values)])
    _table(ws, L.VWAP_TABLE, columns, rows, widths=(12, 12, 16, 18, 12)[:len(columns)])
    formats = {1: DATE, 2: "$0.0000", 3: USD_WHOLE, 4: USD_WHOLE, 5: "$0.0000"}
    if not closes:
        del formats[5]
    last = HEADER_ROW + max(len(rows), 1)
    for r in range(HEADER_ROW + 1, last + 1):
        for c, fmt in formats.items():
            cell = ws.cell(row=r, column=c)
            cell.number_format = fmt
            _style_input(cell)
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                           errorTitle="Date", error="Type a date (a trading day), e.g. 2023-01-10")
    price = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True,
                           errorTitle="VWAP", error="A VWAP is a positive price in USD per share")
    amounts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                             errorTitle="Amount", error="Dollar volume and market cap are USD amounts, zero or more")
    for dv, col in ((dates, "A"), (price, "B"), (amounts, "C"), (amounts, "D"), (price, "E"))[:len(columns)]:
        dv.add(f"{col}{HEADER_ROW + 1}:{col}{HEADER_ROW + 5000}")
    for dv in (dates, price, amounts):
        ws.add_data_validation(dv)


def _events(ws: Any, events: list[Event]) -> None:
    from openpyxl.styles import Alignment

    _title(ws, "Events: what happened or is planned", "Amount: USD principal (or shares for sales, "
           "issues, warrant exercises). Value: what the event needs, e.g. Split 1:200, Amendment "
           "floor_price = 0.20, Default redeem / reset, Interest Election pik.")
    rows = [list(r) for r in events_to_rows(sorted(events, key=lambda e: e.sort_key))]
    _table(ws, L.EVENTS_TABLE, L.EVENTS_COLUMNS, rows, widths=(12, 22, 18, 17, 30))
    last = HEADER_ROW + max(len(rows), 1)
    for r in range(HEADER_ROW + 1, last + 1):
        for c in range(1, 6):
            _style_input(ws.cell(row=r, column=c))
            if c in (2, 3):
                ws.cell(row=r, column=c).alignment = Alignment(horizontal="left", indent=1, shrink_to_fit=True)
        ws.cell(row=r, column=1).number_format = DATE
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
        kind = rows[r - HEADER_ROW - 1][1] if rows else None
        in_shares = kind in _SHARE_AMOUNT_KINDS
        ws.cell(row=r, column=4).number_format = SHARES if in_shares else USD
        ws.cell(row=r, column=4).alignment = Alignment(horizontal="right", indent=1)  # a gap before Value
        value = ws.cell(row=r, column=5)
        number = _plain_number(value.value)
        if number is not None:  # a count, a cash balance, a premium or a price: a number, formatted
            value.value = number
            value.number_format = _VALUE_FORMATS.get(str(kind), "#,##0.00##")
        else:  # text (1:200, floor_price = 0.20, pik): in its own column, never over the next
            value.alignment = Alignment(horizontal="left", indent=1, shrink_to_fit=True)
    _column_checks(ws, 2000,
                   ("B", "list", None, '"' + ",".join(USER_KINDS) + '"', "Event", "Pick an event kind from the list"),
                   ("A", "date", "greaterThan", "36526", "Date", "Type the event's date"),
                   ("D", "decimal", "greaterThanOrEqual", "0", "Amount",
                    "Amounts are positive numbers (USD or shares)"))


_VALUE_FORMATS = {EventKind.SHARE_RESERVE.value: SHARES, EventKind.SHARES_OUTSTANDING.value: SHARES,
                  EventKind.CASH_BALANCE.value: USD_WHOLE, EventKind.PREPAYMENT.value: '0.00"x"',
                  EventKind.DILUTIVE_ISSUE.value: '"$"#,##0.00##'}
"""Number formats of a numeric event Value by kind: shares, USD, a premium multiple, a price."""

_SHARE_AMOUNT_KINDS = {EventKind.HOLDER_SALE.value, EventKind.DILUTIVE_ISSUE.value, EventKind.WARRANT_EXERCISE.value}
"""Events whose Amount is a number of shares, not USD."""


def _plain_number(value: Any) -> float | None:
    """The number a Value cell's text spells plainly (``75000000``, ``1.00``), else None (``1:200``,
    ``floor_price = 0.20``, ``pik`` stay text)."""
    if not isinstance(value, str) or not re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        return None
    return float(value)


def _schedule(ws: Any) -> None:
    _title(ws, "Schedule: the deal's ledger", "Written by Refresh: one row per entry, money in USD, prices "
           "in USD/share as of the row's date. Flags name covenant and limit breaches.")
    widths = [12, 18, 16] + [15] * (len(SCHEDULE_COLUMNS) - 6) + [SCHEDULE_FLAGS_WIDTH, SCHEDULE_DETAIL_WIDTH, 12]
    _table(ws, L.SCHEDULE_TABLE, SCHEDULE_COLUMNS, [], widths=widths, style="TableStyleMedium2")
    from openpyxl.styles import Alignment

    for j, name in enumerate(SCHEDULE_COLUMNS, 1):  # Refresh aligns every row it writes so
        if name in ("Flags", "Detail"):
            ws.cell(row=HEADER_ROW + 1, column=j).alignment = Alignment(vertical="top", wrap_text=True)
        elif name == "Check":
            ws.cell(row=HEADER_ROW + 1, column=j).alignment = Alignment(horizontal="center", vertical="top")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=4)


SCHEDULE_FLAGS_WIDTH = 118
SCHEDULE_DETAIL_WIDTH = 150
"""Widths of the Schedule's Flags and Detail: wide enough that nearly every text reads on one
line, so that a row is one line tall (the shipped book's flags are 43-102 digits, its Details
up to 96 but one of 174, which takes two lines; the Canoo book's reset flags of 148 take two).
A row of wrapped text is as tall on every printed page, and the pages that printed a row's
numbers without its text (60 wide, Detail 4 lines on the shipped book's Dilutive Issue) had
tall, mostly empty rows. Printed :data:`SCHEDULE_PAGES_WIDE` pages across at one scale
(about 71%), A:C repeated on each: eleven numbers (209 digits in all), eleven numbers, the
holder's shares, ownership, Check and Flags (209), Detail and Source (208)."""
SCHEDULE_PAGES_WIDE = 4


def _position(wb: Any, ws: Any, market: MarketData, events: list[Event]) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.workbook.defined_name import DefinedName

    from ascent_xl.ledger.position import HOLDER_COLUMNS, POSITION_COLUMNS

    _title(ws, "Position: the deal as of a date", "Type the date in blue. The table is ASCENT_POSITION on the "
           "book's Events, VWAP and Inputs: the ledger to the end of that day, per note and in total (money in "
           "USD, prices in USD/share and shares on the share basis of that day); below it ASCENT_HOLDERS, per "
           "holder. Refresh fits them to the notes and holders.")
    sheet, cell = L.POSITION_AS_OF
    ws.cell(row=int(cell[1:]), column=1, value="As of").font = _font(bold=True)
    as_of = ws[cell]
    as_of.value = _last_day(market, events)
    as_of.number_format = DATE
    _style_input(as_of)
    _validate_date(ws, as_of, "As of", "Type the date of the snapshot, e.g. 2023-10-13")
    put(ws.cell(row=int(cell[1:]), column=3), "the deal at the end of this day, after the Events up to it")
    ws.cell(row=int(cell[1:]), column=3).font = _font(italic=True, color=NOTE_COLOR)
    ws.cell(row=int(cell[1:]), column=3).alignment = Alignment(horizontal="left", indent=1)
    wb.defined_names[L.POSITION_AS_OF_NAME] = DefinedName(L.POSITION_AS_OF_NAME, attr_text=f"'{sheet}'!$B${cell[1:]}")
    r1, c1, _, _ = parse_ref(L.POSITION_AREA)
    _header_row(ws, r1, c1, POSITION_COLUMNS, formula_cell=True)
    # Status holds the total's share basis, "after the 1:200 split of 2023-09-12" (27.5 digits,
    # bold): on one line (a row's height is not refitted by every viewer); every cell
    # top-aligned as the wrapped Status is (bottom-aligned, a row's texts sat points apart)
    # The holders' table (ASCENT_HOLDERS, placed by refresh below the position's rows) starts
    # under Status: its names in that wide column, its numbers under the position's numbers. Its
    # header row has the height of a line: a column is as wide as its holders header in bold (Cap
    # Headroom (shares), 19.8 digits: 21), so every header reads on one line, right-aligned over
    # its numbers (the cells of those columns hold only numbers, dates and these headers)
    widths = {"Note": 17, "Status": 31}
    h1 = L.column_index(L.HOLDERS_FIRST_COLUMN)
    for j, name in enumerate(POSITION_COLUMNS):
        width = widths.get(name, 14)
        if 0 <= c1 + j - h1 < len(HOLDER_COLUMNS):
            width = max(width, math.ceil(width_for(HOLDER_COLUMNS[c1 + j - h1], bold=True)))
        ws.column_dimensions[L.column_letter(c1 + j)].width = width
    r2 = parse_ref(L.POSITION_AREA)[2]
    for r in range(r1 + 1, r2 + 1):  # the notes, the total and the holders below them
        for j in range(len(POSITION_COLUMNS)):
            right = h1 < c1 + j < h1 + len(HOLDER_COLUMNS)
            ws.cell(row=r, column=c1 + j).alignment = Alignment(wrap_text=j == 1, vertical="top",
                                                                horizontal="right" if right else None)
    ws.freeze_panes = ws.cell(row=r1 + 1, column=c1 + 1)
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Border, Font, PatternFill, Side

    body = f"{L.column_letter(c1)}{r1 + 1}:{L.POSITION_AREA.split(':')[1]}"
    ws.conditional_formatting.add(body, FormulaRule(  # the total row: bold, a rule above it
        formula=[f'${L.column_letter(c1)}{r1 + 1}="Total"'], font=Font(bold=True),
        border=Border(top=Side(style="thin"))))
    # the holders' header row, wherever refresh puts it: white bold on navy, as the headers
    first, second = (f"{L.column_letter(h1 + k)}{r1 + 1}" for k in (0, 1))
    holders = f"{L.HOLDERS_FIRST_COLUMN}{r1 + 1}:{L.column_letter(h1 + len(HOLDER_COLUMNS) - 1)}{r2}"
    ws.conditional_formatting.add(holders, FormulaRule(
        formula=[f'AND(${first}="{HOLDER_COLUMNS[0]}",${second}="{HOLDER_COLUMNS[1]}")'],
        font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", start_color=HEADER_COLOR,
                                                               end_color=HEADER_COLOR)))


def _last_day(market: MarketData, events: list[Event]) -> dt.date:
    """A first as-of date for the book: its last event's (or, with no events, its last VWAP's)."""
    if events:
        return max(e.date for e in events)
    return market.dates[-1].item()


def _header_row(ws: Any, row: int, first_col: int, names: tuple[str, ...], *, formula_cell: bool = False) -> None:
    """A header row written by the template above an array formula's values (navy, as the
    tables'). With ``formula_cell`` the row is the array's own first row: when the formula
    refuses (a date before the issue, a note not in the deal), its first cell holds the whole
    message and the others are blank, so that cell reads from the left on one line, over the
    blank navy cells (centred and wrapped, it showed three cut lines of a 17-wide cell)."""
    from openpyxl.styles import Alignment

    for j, name in enumerate(names):
        c = ws.cell(row=row, column=first_col + j, value=name)
        first = formula_cell and j == 0
        c.alignment = Alignment(wrap_text=not first, vertical="center", horizontal="left" if first else "center",
                                indent=1 if first else 0)
        style_header(c)
    ws.row_dimensions[row].height = 30


def _validate_date(ws: Any, cell: Any, title: str, error: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=False,
                        errorTitle=title, error=error)
    dv.add(cell.coordinate)
    ws.add_data_validation(dv)


def _conversions(ws: Any, events: list[Event]) -> None:
    from openpyxl.styles import Alignment

    from ascent_xl.ledger.position import QUOTE_COLUMNS

    _title(ws, "Conversions: price any notice on the deal's state", "Type a notice date (a trading day), an "
           "amount and a note (blank: the first with principal) in blue. Each row's quote is ASCENT_QUOTE on the "
           "book's Events, VWAP and Inputs: the deal as it stands that day (splits, amended floor, resets, the "
           "cap), before that day's own conversions. Refresh fills the quotes of new rows.")
    notices = [(e.date, e.amount, e.note) for e in events if e.kind is EventKind.CONVERSION]
    rows = [list(n) for n in notices] or [[None, None, None]]
    _table(ws, L.CONVERSIONS_TABLE, L.CONVERSION_INPUTS, rows, widths=(13, 15, 17))
    ws.column_dimensions["D"].width = 2
    first = L.column_index(L.CONVERSIONS_OUTPUT_FIRST_COLUMN)
    _header_row(ws, HEADER_ROW, first, QUOTE_COLUMNS)
    for j, _ in enumerate(QUOTE_COLUMNS):
        ws.column_dimensions[L.column_letter(first + j)].width = 15
    for i in range(len(rows)):
        r = HEADER_ROW + 1 + i
        for c, fmt in ((1, DATE), (2, USD)):
            ws.cell(row=r, column=c).number_format = fmt
        for c in range(1, 4):
            _style_input(ws.cell(row=r, column=c))
        ws.cell(row=r, column=2).alignment = Alignment(horizontal="right", indent=1)  # a gap before the note
        ws.cell(row=r, column=3).alignment = Alignment(horizontal="left", indent=1)
    _column_checks(ws, 500, ("A", "date", "greaterThan", "36526", "Notice date", "Type the notice date (a trading day)"),
                   ("B", "decimal", "greaterThan", "0", "Amount", "The principal converted, USD, more than zero"))


def _column_checks(ws: Any, rows: int, *checks: tuple[str, str, str | None, str, str, str]) -> None:
    """Data validation on table columns, ``rows`` rows below the header: (column, type,
    operator, formula, title, error message) each; blanks allowed."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for col, kind, op, formula, title, error in checks:
        dv = DataValidation(type=kind, operator=op, formula1=formula, allow_blank=True, errorTitle=title, error=error)
        dv.add(f"{col}{HEADER_ROW + 1}:{col}{HEADER_ROW + rows}")
        ws.add_data_validation(dv)


def _notice(ws: Any, events: list[Event]) -> None:
    from openpyxl.styles import Alignment

    from ascent_xl.notice import NOTICE_COLUMNS

    _title(ws, "Conversion notice", "The calculation a holder sends and the issuer checks (ascent-xl notice): "
           "type the notice date, amount and note in blue; the rows are ASCENT_NOTICE on the book's Events, VWAP "
           "and Inputs, on the deal as it stands that day.")
    last = [e for e in events if e.kind is EventKind.CONVERSION][-1:]
    values = (last[0].date, last[0].amount, last[0].note) if last else (None, None, None)
    hints = ("a trading day", "USD; blank: all of the note's principal", "blank: the first note with principal")
    for (label, address), value, hint in zip(L.NOTICE_INPUTS, values, hints, strict=True):
        r = int(address[1:])
        ws.cell(row=r, column=1, value=label).font = _font(bold=True)
        cell = put(ws[address], value)
        _style_input(cell)
        ws.cell(row=r, column=3, value=hint).font = _font(italic=True, color=NOTE_COLOR)
        ws.cell(row=r, column=3).alignment = Alignment(horizontal="left", indent=1)
    ws["B4"].number_format = DATE
    ws["B5"].number_format = USD
    _validate_date(ws, ws["B4"], "Notice date", "Type the notice (conversion) date, a trading day")
    r1, c1, r2, _ = parse_ref(L.NOTICE_AREA)
    _header_row(ws, r1, c1, NOTICE_COLUMNS, formula_cell=True)
    for r in range(r1 + 1, r2 + 1):  # the rows' values, then their units: a gap between
        ws.cell(row=r, column=c1 + 1).alignment = Alignment(horizontal="right", indent=1)
        ws.cell(row=r, column=c1 + 2).alignment = Alignment(horizontal="left", indent=1)
    for col, width in zip("ABCD", (32, 20, 12, 86), strict=True):  # "USD/share" and the deal line fit
        ws.column_dimensions[col].width = width


def _summary(wb: Any, ws: Any, *, price: str) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.workbook.defined_name import DefinedName

    _title(ws, "Summary", "Totals from the Schedule (formulas) and the offering's fees (written by Refresh).")
    ws.cell(row=4, column=1, value="Status").font = _font(bold=True)
    ws.cell(row=5, column=1, value="Last refresh").font = _font(bold=True)
    ws["B4"] = "not refreshed yet"
    for name, (sheet, cell) in L.CELLS.items():
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!${cell[0]}${cell[1:]}")
    formats = {"Conversion shares, restated": SHARES, "Conversion shares, as issued": None, "Shares outstanding": SHARES, "Holder ownership": PERCENT,
               "Deal": None, "Covenant flags": None}
    for i, (label, name, source) in enumerate(L.SUMMARY_VALUES):
        r = L.SUMMARY_FIRST_ROW + i
        ws.cell(row=r, column=1, value=label)
        kind, body = source.split(":", 1)
        value_cell = ws.cell(row=r, column=2, value=f"={body}" if kind == "formula" else None)
        value_cell.number_format = formats.get(label, USD) or "General"
        if label == "Conversion shares, as issued":  # a text of counts ("652,175"): under the numbers
            value_cell.alignment = Alignment(horizontal="right")
        ws.cell(row=r, column=3, value="formula" if kind == "formula" else "Refresh").font = _font(italic=True, color=NOTE_COLOR)
        ws.cell(row=r, column=3).alignment = Alignment(horizontal="left", indent=1)
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{L.SUMMARY}'!$B${r}")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 10
    for col in "DE":  # the refresh stamp (79 digits wide) runs on from B to E, the print width
        ws.column_dimensions[col].width = 14
    start = L.column_index(L.CHART_FIRST_COLUMN)
    _table(ws, L.CHART_TABLE, L.chart_columns(price=price), [], widths=(12, 11, 15, 13, 12, 17), first_col=start,
           style="TableStyleLight9")
    ws.cell(row=4, column=start, value="Price history (the first note's prices, restated to the latest share basis)").font = _font(bold=True)
    _chart(ws, start)


def _chart(ws: Any, start: int) -> None:
    from openpyxl.chart import LineChart, Reference
    from openpyxl.chart.axis import DateAxis

    chart = LineChart()
    # the legend names the market price from the table's header (VWAP or Close), which the
    # refresh sets from the terms: the title holds for either
    chart.title = "Market, conversion and floor prices"
    chart.height, chart.width = 10, summary_print_width_cm(ws)
    chart.y_axis.title = "USD per share, restated for splits"
    chart.y_axis.number_format = '"$"#,##0.00'
    chart.x_axis = DateAxis(crossAx=100)
    chart.x_axis.number_format = "mmm yy"
    chart.x_axis.majorTimeUnit = "months"
    chart.x_axis.majorUnit = 2
    chart.x_axis.title = None
    first, last = HEADER_ROW, HEADER_ROW + 1
    for offset in (1, 5, 4):  # VWAP (or Close), Conversion Price, Floor Price
        col = start + offset
        chart.add_data(Reference(ws, min_col=col, min_row=first, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=start, min_row=first + 1, max_row=last))
    for s in chart.series:
        s.smooth = False
        s.graphicalProperties.line.width = 15000
    chart.series[2].graphicalProperties.line.dashStyle = "dash"
    chart.legend.position = "b"
    chart.y_axis.scaling.logBase = 10  # prices span decades around a reverse split
    chart.y_axis.majorGridlines = None
    top = L.SUMMARY_FIRST_ROW + len(L.SUMMARY_VALUES) + 2
    ws.add_chart(chart, f"A{top}")
    ws.print_area = f"{SUMMARY_PRINT_COLUMNS[0]}1:{SUMMARY_PRINT_COLUMNS[-1]}{top + 21}"  # key figures and the chart; the price history is data
    ws.page_setup.fitToHeight = 1


SUMMARY_PRINT_COLUMNS = "ABCDE"
"""The Summary's printed columns: the key figures and, under them, the chart."""


def summary_print_width_cm(ws: Any) -> float:
    """Width of the Summary's printed columns in centimetres, less a margin: the chart's width,
    so that it prints whole (a column ``w`` wide is ``7 w`` pixels in Calibri 11, at 96 a
    inch; the chart was 24 cm over columns 20.7 cm wide, and its right side was not printed)."""
    pixels = column_pixels(ws.column_dimensions[c].width or 13 for c in SUMMARY_PRINT_COLUMNS)
    return round(pixels / 96 * 2.54 - 0.3, 1)


def keep_charts(path: str | os.PathLike[str], wb: Any) -> None:
    """Make sure saving ``wb`` (just loaded from ``path``) loses no chart. openpyxl drops a
    chart it cannot read, such as the one LibreOffice writes when it saves the book: the
    Summary's own chart is then laid out again as the template lays it out (refresh fills it),
    and any other unreadable chart is refused (:class:`WorkbookError`) rather than dropped."""
    import zipfile

    from ascent_xl.errors import WorkbookError

    with zipfile.ZipFile(path) as zf:
        stored = sum(1 for n in zf.namelist() if n.startswith("xl/charts/chart") and n.endswith(".xml"))
    if L.SUMMARY in wb.sheetnames and stored and not wb[L.SUMMARY]._charts:
        _chart(wb[L.SUMMARY], L.column_index(L.CHART_FIRST_COLUMN))
    lost = stored - sum(len(ws._charts) for ws in wb.worksheets)
    if lost > 0:
        raise WorkbookError(f"{path}: {lost} chart(s) in it cannot be read here (saved by another "
                            "spreadsheet program?) and a refresh would drop them; refresh it with "
                            "the Refresh button in Excel, or save it in Excel first")


def _checks(wb: Any, ws: Any) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.workbook.defined_name import DefinedName

    _title(ws, "Checks", "Each check is a formula over the Schedule; the master check is their AND and "
           "shows in row 3 of every sheet.")
    first = L.CHECKS_FIRST_ROW
    last = first + len(L.CHECK_ROWS) - 1
    ws[L.MASTER_CELL[1]] = f"=AND(B{first}:B{last})"
    wb.defined_names[L.MASTER_CHECK] = DefinedName(L.MASTER_CHECK, attr_text=f"'{L.CHECKS}'!$B$3")
    ws.cell(row=4, column=1, value="Input fingerprint").font = _font(bold=True)
    ws.cell(row=first - 1, column=1, value="Check").font = _font(bold=True)
    ws.cell(row=first - 1, column=2, value="Result").font = _font(bold=True)
    ws.cell(row=first - 1, column=3, value="What it tests").font = _font(bold=True)
    from openpyxl.styles import Alignment

    ws.cell(row=first - 1, column=2).alignment = Alignment(horizontal="center")
    for i, (label, what, formula) in enumerate(L.CHECK_ROWS):
        ws.cell(row=first + i, column=1, value=label)
        ws.cell(row=first + i, column=2, value=f"={formula}").alignment = Alignment(horizontal="center")
        ws.cell(row=first + i, column=3, value=what).alignment = Alignment(indent=1, horizontal="left")
    sheet, cell = L.LATEST_MATURITY_CELL
    ws.cell(row=int(cell[1:]), column=1, value="Latest maturity (written by Refresh)")
    ws[cell].number_format = DATE
    wb.defined_names[L.LATEST_MATURITY] = DefinedName(L.LATEST_MATURITY, attr_text=f"'{sheet}'!${cell[0]}${cell[1:]}")
    green, red = PatternFill("solid", fgColor="C6EFCE"), PatternFill("solid", fgColor="FFC7CE")
    ws.conditional_formatting.add(f"B{first}:B{last}", CellIsRule(operator="equal", formula=["TRUE"], fill=green))
    ws.conditional_formatting.add(f"B{first}:B{last}", CellIsRule(operator="equal", formula=["FALSE"], fill=red))
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 60


def _conf_notes(ws: Any) -> None:
    """Notes beside xlwings' settings (xlwings reads only columns A and B, from A1 down)."""
    notes = (
        "xlwings reads the settings in columns A and B, from A1 down without blank rows.",
        "UDF Modules names the module with the ASCENT_* functions; leave it as it is.",
        "To use a Python other than the xlwings add-in's, add a row below the last one:",
        "  Interpreter_Win | C:\\Users\\you\\ascent\\.venv\\Scripts\\python.exe   (Windows)",
        "  Interpreter_Mac | /Users/you/ascent/.venv/bin/python   (macOS)",
        "Keep the file DEAL.py written beside this book: the Refresh button runs its main().",
    )
    for i, text in enumerate(notes, start=1):
        ws.cell(row=i, column=4, value=text).font = _font(italic=True, color=NOTE_COLOR)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 26


FROM_THE_DEAL = {
    "spot": "share price; blank: the VWAP on (or the last before) the valuation date",
    "daily_volume": "shares traded a day at the spot; blank: median dollar volume of 20 sessions / spot",
    "valuation_date": "the deal as it stands at the end of this day (Events up to it); blank: the issue date",
}
"""Valuation settings the template leaves blank: the book's own data gives them."""


def _valuation(ws: Any) -> None:
    from openpyxl.styles import Alignment

    from ascent_xl.valuation.model import ModelParams
    from ascent_xl.valuation.presets import DEMO_MODEL, DEMO_PATHS

    _title(ws, "Valuation: fair value and dilution (Monte Carlo)", "Blue cells are the model's "
           "assumptions; Refresh simulates the deal's rules from its state on the valuation date and "
           "writes the inputs used and the results on the right (or, under the settings, why it cannot "
           "value the deal). Illustrative assumptions - set your own for a real valuation.")
    rows = []
    for name in L.VALUATION_SETTINGS:
        if name == "paths":
            rows.append([name, DEMO_PATHS, "paths", "Monte Carlo paths (standard errors fall as 1/sqrt(paths))"])
        elif name == "seed":
            rows.append([name, 0, "", "random seed: the same seed gives the same numbers"])
        elif name in FROM_THE_DEAL:
            unit, _ = ModelParams.describe(name)
            rows.append([name, None, unit, FROM_THE_DEAL[name]])  # never the demo's: the book's own
        else:
            unit, doc = ModelParams.describe(name)
            value = getattr(DEMO_MODEL, name)
            rows.append([name, value, unit, doc])
    meaning = valuation_meaning_width([str(row[3]) for row in rows])
    _table(ws, L.VALUATION_TABLE, L.VALUATION_COLUMNS, rows, widths=(16, 14, 12, meaning))
    for i, (_, _, unit, _) in enumerate(rows):  # type: ignore[assignment]
        cell = ws.cell(row=HEADER_ROW + 1 + i, column=2)
        _style_input(cell)
        cell.number_format = {"fraction/yr": "0.00%", "fraction": "0.00%", "USD/share": PRICE, "date": DATE,
                              "shares/day": SHARES, "paths": SHARES}.get(unit, "General")
        if unit in ("fraction", "fraction/yr"):
            ws.cell(row=HEADER_ROW + 1 + i, column=3, value=_SHOWN_UNITS[unit])
    for i in range(len(rows)):  # the results on the right share these rows: no taller rows
        r = HEADER_ROW + 1 + i
        ws.cell(row=r, column=3).alignment = Alignment(horizontal="left", indent=1)  # a gap after the value
        ws.cell(row=r, column=4).alignment = Alignment(shrink_to_fit=True)  # never over the results (it fits)
    ws.column_dimensions["E"].width = 2
    # G: the results' values, right-aligned with a gap before the unit, wide enough for the
    # widest header right-aligned over them ("Expected (USD, undiscounted)")
    for col, width in zip("FGHIJK", L.VALUATION_OUTPUT_WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    r1, c1, r2, _ = parse_ref(L.VALUATION_OUTPUT[1])
    for r in range(r1, r2 + 1):  # the results' values: a gap before the unit or the next number
        ws.cell(row=r, column=c1 + 1).alignment = Alignment(horizontal="right", indent=1)
    _style_results(ws, L.VALUATION_OUTPUT[1])
    note = parse_ref(L.VALUATION_NOTE[1])  # under the settings (layout.py counts their rows)
    ws.cell(row=note[0], column=note[1]).font = _font(bold=True, color=TITLE_COLOR)  # "Not valued"
    _valuation_print(ws, note[2])


def _valuation_print(ws: Any, last_row: int) -> None:
    """Print the Valuation sheet portrait, one page wide, in two parts: the title and settings
    (A:D, to ``last_row``: with the "Not valued" reason under them, one page when the deal is
    not valued), then the results (F:K) from the top of the next page. Printed as the screen shows
    them (one range, landscape), the results ran on below the settings and the second page
    had its left half empty, all at about 60%; the two parts print at one scale, the results'
    width (about 77%). The note under the title wraps within A:D (the results' rows start
    below it)."""
    from openpyxl.styles import Alignment

    ws.page_setup.orientation = "portrait"
    ws.merge_cells("A2:D2")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    width = sum(ws.column_dimensions[c].width for c in "ABCD")
    ws.row_dimensions[2].height = LINE_HEIGHT * wrapped_lines(ws["A2"].value, width)
    ws.print_area = [f"A1:D{last_row}", L.VALUATION_OUTPUT[1]]


def valuation_meaning_width(meanings: list[str]) -> int:
    """Width of the Valuation settings' Meaning column: the longest meaning on one line (the
    results on the right share the settings' rows, so a meaning may not wrap nor shrink)."""
    return max(40, *(math.ceil(len(m) / MEANING_FIT) + 2 for m in meanings))


MEANING_FIT = 1.05  # not a deal term: characters of text per unit of column width
"""Characters of prose a column holds per unit of width (a unit is a digit's width; measured
on the LibreOffice render: about 1.15, less a margin for other fonts)."""


def _style_results(ws: Any, area: str) -> None:
    """The Valuation results (written by Refresh, tables stacked with a title row each) styled
    like the book's tables, by conditional formats that follow where the tables fall: a title
    (only the first cell filled) bold navy, the row after it a navy header."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    r1, c1, _, c2 = parse_ref(area)
    first, last = L.column_letter(c1), L.column_letter(c2)
    row, above = r1, r1 - 1
    rest, rest_above = (f"${L.column_letter(c1 + 1)}{r}:${last}{r}" for r in (row, above))
    # a title: the first cell alone, after a blank row; a header: the row after a title, more
    # than one cell (a one-cell line after a title stays plain)
    title = f'AND(${first}{row}<>"",COUNTA({rest})=0,${first}{above}="")'
    header = f'AND(${first}{row}<>"",COUNTA({rest})>0,${first}{above}<>"",COUNTA({rest_above})=0)'

    ws.conditional_formatting.add(area, FormulaRule(formula=[header], stopIfTrue=True, font=Font(bold=True, color="FFFFFF"),
                                                    fill=PatternFill("solid", fgColor=HEADER_COLOR, bgColor=HEADER_COLOR)))
    ws.conditional_formatting.add(area, FormulaRule(formula=[title], font=Font(bold=True, color=TITLE_COLOR)))


# ---------------------------------------------------------------------------------------------
# building blocks


def _new_workbook() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _load(path: Path, *, keep_vba: bool) -> Any:
    from ascent_xl.excel.safety import open_workbook

    return open_workbook(path, keep_vba=keep_vba)


def _refresh_or_raise(wb: Any) -> None:
    result = refresh_book(OpenpyxlBook(wb))
    if not result.ok:
        from ascent_xl.errors import WorkbookError

        raise WorkbookError(f"the new book does not refresh: {result.status}")


def _title(ws: Any, title: str, note: str) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    ws["A1"] = title
    ws["A1"].font = _font(bold=True, size=14, color=TITLE_COLOR)
    put(ws["A2"], note)
    ws["A2"].font = _font(italic=True, color=NOTE_COLOR)
    row = L.MASTER_CHECK_ROW
    ws.cell(row=row, column=1, value="Master check").font = _font(bold=True)
    if ws.title != L.CHECKS:
        ws.cell(row=row, column=2, value=f"={L.MASTER_CHECK}")
    green, red = PatternFill("solid", fgColor="C6EFCE"), PatternFill("solid", fgColor="FFC7CE")
    ws.conditional_formatting.add(f"B{row}", CellIsRule(operator="equal", formula=["TRUE"], fill=green))
    ws.conditional_formatting.add(f"B{row}", CellIsRule(operator="equal", formula=["FALSE"], fill=red))
    ws.sheet_view.showGridLines = False
    _page_setup(ws)


def _page_setup(ws: Any) -> None:
    """Print landscape, one page wide (the Schedule: four, its first columns repeated), with the
    table header repeated on every page."""
    headers = {L.INPUTS: HEADER_ROW, L.VWAP: HEADER_ROW, L.EVENTS: HEADER_ROW, L.SCHEDULE: HEADER_ROW,
               L.CONVERSIONS: HEADER_ROW, L.POSITION: parse_ref(L.POSITION_AREA)[0],
               L.NOTICE: parse_ref(L.NOTICE_AREA)[0]}
    wide = ws.title == L.SCHEDULE
    print_setup(ws, header_row=headers.get(ws.title), pages_wide=SCHEDULE_PAGES_WIDE if wide else 1,
                title_columns="A:C" if wide else None)


def _table(ws: Any, name: str, columns: tuple[str, ...], rows: list[list[Any]], *, widths: Any,
           first_col: int = 1, style: str = "TableStyleMedium9") -> None:
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.table import Table, TableStyleInfo

    for j, col in enumerate(columns):
        cell = ws.cell(row=HEADER_ROW, column=first_col + j, value=col)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        style_header(cell)
    body = rows or [[None] * len(columns)]
    for i, row in enumerate(body):
        for j, value in enumerate(row):
            put(ws.cell(row=HEADER_ROW + 1 + i, column=first_col + j), value)
    last_col = L.column_letter(first_col + len(columns) - 1)
    ref = f"{L.column_letter(first_col)}{HEADER_ROW}:{last_col}{HEADER_ROW + len(body)}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    ws.add_table(table)
    for j, w in enumerate(widths):
        ws.column_dimensions[L.column_letter(first_col + j)].width = w
    ws.row_dimensions[HEADER_ROW].height = 30
    if first_col == 1:
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def _style_input(cell: Any) -> None:
    from openpyxl.styles import PatternFill

    cell.font = _font(color=INPUT_FONT)
    cell.fill = PatternFill("solid", fgColor=INPUT_FILL)


def _font(**kw: Any) -> Any:
    from openpyxl.styles import Font

    return Font(name="Calibri", size=kw.pop("size", 11), **kw)


def _validate_term(ws: Any, cell: Any, name: str) -> None:
    """Data validation for one term's value cell, from the field's type and range."""
    from openpyxl.worksheet.datavalidation import DataValidation

    found = DealTerms.term_field(name)
    if found is None:
        return
    f, hint = found
    meta = f.metadata
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
        origin = typing.get_origin(hint)
    dv = None
    if origin is typing.Literal:
        dv = DataValidation(type="list", formula1='"' + ",".join(map(str, typing.get_args(hint))) + '"')
    elif hint is bool:
        dv = DataValidation(type="list", formula1='"TRUE,FALSE"')
    elif hint is dt.date:
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526")
    elif hint in (int, float):
        kind = "whole" if hint is int else "decimal"
        lo = meta.get("ge") if meta.get("ge") is not None else meta.get("gt")
        hi = meta.get("le") if meta.get("le") is not None else meta.get("lt")
        if lo is not None and hi is not None:
            dv = DataValidation(type=kind, operator="between", formula1=str(lo), formula2=str(hi))
        elif lo is not None:
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(lo))
    if dv is None:
        return
    unit = meta.get("unit", "")
    dv.error = f"{name}: {meta.get('doc', '')} ({unit}). {meta.get('hint', '')}".strip()
    dv.errorTitle = "ascent-xl input"
    dv.prompt = f"{meta.get('doc', '')} [{unit}]"
    dv.showInputMessage = True
    dv.allow_blank = name.endswith("fixed_price")
    dv.add(cell.coordinate)
    ws.add_data_validation(dv)


