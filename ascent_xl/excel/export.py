"""Export a ledger schedule to a formatted ``.xlsx`` (sheets ``Schedule`` and ``Summary``), for
``ascent-xl schedule --out FILE.xlsx``. Written atomically, keeping the previous file."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from ascent_xl.excel.book import put
from ascent_xl.excel.formats import (
    LINE_HEIGHT,
    SCHEDULE_FORMATS,
    SUMMARY_FORMATS,
    column_width,
    print_setup,
    style_header,
    wrapped_lines,
)
from ascent_xl.fileio import atomic_write
from ascent_xl.ledger.schedule import SCHEDULE_COLUMNS, Schedule

WRAP_WIDTH = 150
"""A text column whose values are longer than this (a schedule's longest Detail) is this wide
and wraps, each row as tall as its text; shorter text columns are as wide as their longest value.
Wide, as the book's Schedule (``template.SCHEDULE_DETAIL_WIDTH``): a row of wrapped text is as
tall on every printed page, so at 60 the pages of a row's numbers had tall, mostly empty rows."""

PAGE_WIDTH = 210
"""Characters of column width a landscape A4 page prints readably (fit to width shrinks a wider
sheet onto more pages across, as many as this needs)."""


def write_rows(ws: Any, columns: tuple[str, ...], rows: list[dict[str, Any]], formats: dict[str, str], *, start_row: int = 1) -> None:
    """Write a header and ``rows`` (dicts keyed by ``columns``) on an openpyxl worksheet (text
    as text, never a formula), with number formats, bold header, widths that fit the values
    (long text wraps), a frozen header, an auto-filter and the print setup (landscape, fit to
    as many pages across as the widths need, header row repeated)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    widths, aligns = [], []
    for j, name in enumerate(columns, 1):
        style_header(ws.cell(row=start_row, column=j, value=name))
        width = column_width(name, formats.get(name))
        align = Alignment(vertical="top")
        if name not in formats:  # text: as wide as its longest value (a note's name), long text wraps
            longest = max([0] + [len(str(r[name])) for r in rows if r.get(name) is not None])
            if longest > WRAP_WIDTH:
                width, align = WRAP_WIDTH, Alignment(vertical="top", wrap_text=True)
            else:
                width = max(width, longest + 2)
            if rows and all(isinstance(r.get(name), bool) for r in rows):  # TRUE / FALSE
                align = Alignment(vertical="top", horizontal="center")
        numeric = name in formats or bool(rows) and all(
            isinstance(r.get(name), (int, float)) and not isinstance(r.get(name), bool) for r in rows)
        header = ws.cell(row=start_row, column=j)  # over its values: right over numbers, centred over flags
        header.alignment = Alignment(vertical="top", wrap_text=True,
                                     horizontal="right" if numeric else align.horizontal or "left")
        ws.column_dimensions[get_column_letter(j)].width = width
        widths.append(width)
        aligns.append(align)
    wrapped = [j for j, a in enumerate(aligns) if a.wrap_text]
    for i, row in enumerate(rows, start_row + 1):
        for j, name in enumerate(columns, 1):
            cell = put(ws.cell(row=i, column=j), row.get(name))
            fmt = formats.get(name)
            if fmt and cell.value is not None:
                cell.number_format = fmt
            cell.alignment = aligns[j - 1]
        lines = max([1] + [wrapped_lines(row.get(columns[j]), widths[j]) for j in wrapped])
        if lines > 1:  # a stated height: viewers do not all fit a row to its wrapped text
            ws.row_dimensions[i].height = LINE_HEIGHT * lines
    ws.freeze_panes = ws.cell(row=start_row + 1, column=4)
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(rows), 1)}"
    pages = max(1, math.ceil(sum(widths) / PAGE_WIDTH))
    print_setup(ws, header_row=start_row, pages_wide=pages, title_columns="A:C" if pages > 1 else None)


def export_schedule_xlsx(schedule: Schedule, path: str | os.PathLike[str]) -> Path:
    """Write the schedule and the per-note summary to ``path`` (``.xlsx``)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Schedule"
    write_rows(ws, SCHEDULE_COLUMNS, schedule.rows, SCHEDULE_FORMATS)
    frame = schedule.summary()  # a deal with splits has a Shares Issued column per share basis
    columns = tuple(map(str, frame.columns))
    formats = SUMMARY_FORMATS | {c: SUMMARY_FORMATS["Shares Issued"] for c in columns if c.startswith("Shares Issued ")}
    write_rows(wb.create_sheet("Summary"), columns, frame.to_dict("records"), formats)
    return atomic_write(path, lambda tmp: wb.save(tmp))


def export_rows_xlsx(rows: list[dict[str, Any]], columns: tuple[str, ...], kinds: dict[str, str],
                     path: str | os.PathLike[str], *, sheet: str) -> Path:
    """Write ``rows`` (dicts keyed by ``columns``) to one formatted sheet of ``path`` (``.xlsx``);
    ``kinds`` gives each column's kind (money, price, shares, fraction, date) for its format."""
    from openpyxl import Workbook

    from ascent_xl.excel.formats import FORMAT_BY_KIND

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    write_rows(ws, columns, rows, {c: FORMAT_BY_KIND[k] for c, k in kinds.items()})
    return atomic_write(path, lambda tmp: wb.save(tmp))
