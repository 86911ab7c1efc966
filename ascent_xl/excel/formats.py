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
    Price``, ``Conversion Shares``, ``Cap Headroom (shares)``, ``Ownership Cap``, ``Cap Raised
    To``); other numbers are USD amounts."""
    if "Date" in name or name.endswith(" From"):
        return DATE
    if "Price" in name:
        return PRICE
    if "shares" in name.lower():
        return SHARES
    if "Ownership" in name or name.startswith("Cap Raised"):
        return PERCENT
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


_CALIBRI_ADVANCE = (
    463, 667, 821, 1020, 1038, 1464, 1397, 452, 621, 621, 1020, 1020, 511, 627, 517, 791, 1038, 1038,
    1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 548, 548, 1020, 1020, 1020, 949, 1831, 1185, 1114,
    1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751, 1322, 1356, 1058, 1378, 1112, 941,
    998, 1314, 1162, 1822, 1063, 998, 959, 628, 791, 628, 1020, 1020, 596, 981, 1076, 866, 1076, 1019,
    625, 964, 1076, 470, 490, 931, 470, 1636, 1076, 1080, 1076, 1076, 714, 801, 686, 1076, 925, 1464,
    887, 927, 809, 644, 943, 644, 1020)
"""Advance widths of the printable ASCII characters (space to ``~``) in Calibri, the books'
font, in font units (2,048 an em): Carlito's, which has Calibri's metrics. A column width is a
number of digits (``0`` is 1,038 units wide)."""

_DIGIT = 1038


def text_width(text: str) -> float:
    """Width of ``text`` in Calibri 11, in digits (the unit of a column width); a character
    outside ASCII counts as a wide letter."""
    return sum(_CALIBRI_ADVANCE[o - 32] if 32 <= (o := ord(ch)) < 127 else 1400 for ch in text) / _DIGIT


def line_room(width: float) -> float:
    """Digits of text a line of a column ``width`` wide holds (:func:`text_lines`' measure)."""
    return 0.98 * width - 0.3


BOLD_WIDTH = 1.05  # not a deal term: bold Calibri text is about 5% wider
"""How much wider a text is in bold Calibri than in regular, about."""


def width_for(text: str, *, bold: bool = False) -> float:
    """The column width whose line holds ``text`` exactly (the inverse of :func:`line_room`),
    in bold with ``bold``."""
    return (text_width(text) * (BOLD_WIDTH if bold else 1) + 0.3) / 0.98


PIXELS_PER_DIGIT = 7
"""Pixels of a unit of column width in Excel (Calibri 11's digit; the stored width holds the
padding too), at 96 pixels an inch."""


def column_pixels(widths: Any) -> int:
    """Pixels Excel draws columns of ``widths`` (column widths) in."""
    return sum(round(PIXELS_PER_DIGIT * w) for w in widths)


def text_lines(text: str, width: float) -> list[str]:
    """``text`` broken into the lines a column ``width`` digits wide (a column width) shows,
    words kept whole, measured in Calibri's character widths; a word wider than the column is
    cut at its edge. A line holds 98% of the width less 0.3 (the cell's margins), as measured on
    LibreOffice's render in Carlito (Calibri's metrics) of the Schedule's 60-wide Detail: 58.1
    digits fit on a line, 59.4 do not."""
    room, space = max(line_room(width), 4.0), text_width(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            w = text_width(word)
            if line and used + space + w > room:
                lines.append(line)
                line, used = "", 0.0
            while w > room:  # cut at the column's edge
                cut, run = 0, 0.0
                while cut < len(word) - 1 and run + text_width(word[cut]) <= room:
                    run, cut = run + text_width(word[cut]), cut + 1
                cut = max(cut, 1)
                lines.append(word[:cut])
                word, w = word[cut:], w - text_width(word[:cut])
            line, used = (f"{line} {word}", used + space + w) if line else (word, w)
        lines.append(line)
    return lines


def wrapped_lines(value: Any, width: float) -> int:
    """Lines ``value`` wraps to in a column ``width`` digits wide (:func:`text_lines`). Viewers
    do not all fit a row to its wrapped text, so the writers state the height:
    :data:`LINE_HEIGHT` times this."""
    if value is None:
        return 1
    return max(len(text_lines(str(value), width)), 1)


A4_INCHES = (8.27, 11.69)
"""An A4 sheet, portrait (width, height), inches."""
PAGE_ROWS_SPARE = 2
"""Rows a page estimate leaves spare (:func:`page_rows`): viewers' fonts and scales differ
slightly (LibreOffice's Carlito prints about 3 rows more a page than Excel's widths give)."""


def page_rows(widths: list[float] | tuple[float, ...], *, portrait: bool, side_margin: float = 0.4,
              end_margin: float = 1.0) -> int:
    """Rows of the default height (:data:`LINE_HEIGHT`) one A4 page prints when columns of
    ``widths`` (column widths, in digits) are fitted to the page's width: a column of width w
    (as stored, its padding included) is 7 w pixels in Excel (Calibri 11's digit; 96 pixels an
    inch), shrunk to the width inside the side margins, and the page's height inside its top
    and bottom margins (inches) holds the rows at that scale, less :data:`PAGE_ROWS_SPARE`.

    Examples
    --------
    >>> page_rows((34, 30, 18, 19, 16, 16), portrait=True)  # 931 px on 717: 77.0%
    58
    """
    paper_w, paper_h = A4_INCHES if portrait else A4_INCHES[::-1]
    pixels = column_pixels(widths)
    scale = min(1.0, (paper_w - 2 * side_margin) * 96 / pixels) if pixels else 1.0
    return int((paper_h - 2 * end_margin) * 72 / (LINE_HEIGHT * scale)) - PAGE_ROWS_SPARE


def table_page_breaks(rows: list[list[Any]], per_page: int) -> list[int]:
    """Where pages begin in a stack of tables (``rows``: each table's rows one after another,
    a table ends at an empty row) so that a table that would run over a page's end starts the
    next page instead: the indices of the rows a page begins before (none before the first).
    A table longer than a page breaks where it falls.

    Examples
    --------
    >>> stack = [["A"], [1], [2], [], ["B"], [3], [4], [5], [], ["C"], [6]]
    >>> table_page_breaks(stack, 6)  # A and a blank: 4 rows; B would end on row 8, C on row 7
    [4, 9]
    >>> table_page_breaks(stack, 11)  # all 11 rows on one page
    []
    """
    breaks: list[int] = []
    used, i = 0, 0
    while i < len(rows):
        if not any(v is not None for v in rows[i]):
            used, i = (used + 1) % per_page, i + 1  # a full page: the next begins by itself
            continue
        end = i
        while end < len(rows) and any(v is not None for v in rows[end]):
            end += 1
        size = end - i
        if used and used + size > per_page and size <= per_page:
            breaks.append(i)
            used = 0
        used = (used + size) % per_page
        i = end
    return breaks


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
