"""Export a ledger schedule to a formatted ``.xlsx`` (sheets ``Schedule`` and ``Summary``), for
``ascent-xl schedule --out FILE.xlsx``. Written atomically, keeping the previous file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ascent_xl.excel.book import put
from ascent_xl.excel.formats import (
    SCHEDULE_FORMATS,
    SUMMARY_FORMATS,
    column_width,
    print_setup,
    style_header,
)
from ascent_xl.fileio import atomic_write
from ascent_xl.ledger.schedule import SCHEDULE_COLUMNS, Schedule


def write_rows(ws: Any, columns: tuple[str, ...], rows: list[dict[str, Any]], formats: dict[str, str], *, start_row: int = 1) -> None:
    """Write a header and ``rows`` (dicts keyed by ``columns``) on an openpyxl worksheet (text
    as text, never a formula), with number formats, bold header, widths, a frozen header and an auto-filter."""
    from openpyxl.utils import get_column_letter

    for j, name in enumerate(columns, 1):
        style_header(ws.cell(row=start_row, column=j, value=name))
        width = column_width(name, formats.get(name))
        if name not in formats:  # text: as wide as its longest value (a note's name), up to 40
            width = max([width] + [min(len(str(r.get(name) or "")) + 2, 40) for r in rows])
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, row in enumerate(rows, start_row + 1):
        for j, name in enumerate(columns, 1):
            cell = put(ws.cell(row=i, column=j), row.get(name))
            fmt = formats.get(name)
            if fmt and cell.value is not None:
                cell.number_format = fmt
    ws.freeze_panes = ws.cell(row=start_row + 1, column=4)
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(rows), 1)}"
    wide = len(columns) > 12
    print_setup(ws, header_row=start_row, pages_wide=3 if wide else 1, title_columns="A:C" if wide else None)


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
