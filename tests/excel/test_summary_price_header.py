"""The Summary's price history names the price the deal's windows read (``conversion.price_source``)
from the terms the refresh reads, not from the terms the book was built with: a book made for a
VWAP deal whose Inputs are then switched to closes shows "Close" (the closes, restated for the
split) in its table and its chart's legend, and "VWAP" again when switched back."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.table import TableColumn

from ascent_xl.excel import layout as L
from ascent_xl.excel.book import parse_ref
from ascent_xl.excel.workbook_io import new_deal_book, refresh_file
from tests.helpers.books import table_records

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _set_price_source(book, source: str, *, add_close: bool = False) -> dict[dt.date, float]:
    """Set the Inputs' conversion.price_source; with ``add_close`` add a Close column to the VWAP
    table (each day's close: 95% of its VWAP, to 6 places) and return the closes by date."""
    wb = load_workbook(book)
    (cell,) = [row[2] for row in wb[L.INPUTS].iter_rows() if row[1].value == "conversion.price_source"]
    cell.value = source
    closes: dict[dt.date, float] = {}
    if add_close:
        ws = wb[L.VWAP]
        table = ws.tables[L.VWAP_TABLE]
        r1, c1, r2, c2 = parse_ref(table.ref)
        ws.cell(row=r1, column=c2 + 1, value=L.CLOSE_COLUMN)
        for r in range(r1 + 1, r2 + 1):
            day, vwap = ws.cell(row=r, column=c1).value, ws.cell(row=r, column=c1 + 1).value
            if vwap is not None:
                close = round(0.95 * vwap, 6)
                ws.cell(row=r, column=c2 + 1, value=close)
                closes[day.date() if isinstance(day, dt.datetime) else day] = close
        table.tableColumns.append(TableColumn(id=len(table.tableColumns) + 1, name=L.CLOSE_COLUMN))
        table.ref = f"{L.column_letter(c1)}{r1}:{L.column_letter(c2 + 1)}{r2}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
    wb.save(book)
    return closes


def _history(book) -> tuple[list[str], list[dict]]:
    wb = load_workbook(book, data_only=True)
    rows = table_records(wb, L.SUMMARY, L.CHART_TABLE)
    chart = wb[L.SUMMARY]._charts[0]
    sheet, cell = chart.series[0].tx.strRef.f.split("!")
    legend = wb[sheet.strip("'")][cell.replace("$", "")].value
    header = [c.name for c in wb[L.SUMMARY].tables[L.CHART_TABLE].tableColumns]
    return [legend, *header], rows


def test_a_vwap_book_switched_to_closes_names_and_shows_the_closes(tmp_path):
    book = new_deal_book(tmp_path / "asti.xlsx")  # the Ascent deal: VWAPs, a 1:200 split on 2023-09-12
    names, rows = _history(book)
    assert names[:3] == ["VWAP", "Date", "VWAP"]
    closes = _set_price_source(book, "close", add_close=True)
    result = refresh_file(book)
    assert result.ok, result.problems
    names, rows = _history(book)
    # the chart's legend (the header cell) and the table's column are renamed
    assert names == ["Close", "Date", "Close", "Alternate Price", "Fixed Price", "Floor Price", "Conversion Price"]
    # the values are the closes, restated to the latest share basis: a day before the split is
    # shown at 200 times its close, a day after at its close
    first, last = rows[0], rows[-1]
    day0 = first["Date"].date()
    assert day0 < dt.date(2023, 9, 12)
    assert first["Close"] == pytest.approx(200 * closes[day0], rel=1e-12)
    assert last["Close"] == pytest.approx(closes[last["Date"].date()], rel=1e-12)
    # a second refresh with nothing changed finds the book current
    again = refresh_file(book)
    assert again.ok and again.written is False
    # back to VWAPs: the header says VWAP again, over the VWAPs
    _set_price_source(book, "vwap")
    assert refresh_file(book).ok
    names, rows = _history(book)
    assert names[:3] == ["VWAP", "Date", "VWAP"]
    assert rows[-1]["VWAP"] == pytest.approx(closes[rows[-1]["Date"].date()] / 0.95, abs=1e-5)


def test_the_refresh_button_renames_the_column_in_excel_too(tmp_path):
    # through xlwings (here its stand-in over the same book), the header cell is written, which
    # renames the table's column in Excel; the written cells are the header's and the outputs'
    from ascent_xl.excel import macros
    from tests.helpers.books import load
    from tests.helpers.fake_xlwings import FakeBook

    book = new_deal_book(tmp_path / "asti.xlsx")
    _set_price_source(book, "close", add_close=True)
    wb = load(book)
    fake = FakeBook(wb)
    result = macros.refresh(fake)
    assert result.ok, result.status
    table = wb[L.SUMMARY].tables[L.CHART_TABLE]
    r1, c1, _, _ = parse_ref(table.ref)
    assert [wb[L.SUMMARY].cell(row=r1, column=c1 + j).value for j in range(3)] == ["Date", "Close", "Alternate Price"]
    # the header row was written (as one range: its six cells), and nothing else of that row
    # beside the stamp (B5, left of the table)
    assert {(s, r, c) for s, r, c in fake.log if s == L.SUMMARY and r == r1} == {
        (L.SUMMARY, r1, c) for c in range(c1, c1 + 6)} | {(L.SUMMARY, 5, 2)}
    # refreshed again with nothing changed, the header is not written
    fake.log.clear()
    assert macros.refresh(fake).ok
    assert not [(s, r, c) for s, r, c in fake.log if s == L.SUMMARY and r == r1 and c >= c1]


def test_the_price_is_named_once_for_the_chart_the_table_and_the_commands():
    """``ConversionTerms.price_name`` is the one name of the price the windows read: the VWAP
    table's Close column and the chart's second column say what it says."""
    from ascent_xl.presets import ASTI_2022

    vwap = ASTI_2022.conversion
    close = vwap.replace(price_source="close")
    assert (vwap.price_name, close.price_name) == ("VWAP", "Close")
    assert close.price_name == L.CLOSE_COLUMN == L.vwap_columns(close=True)[-1]
    assert L.chart_columns(price=close.price_name) == (
        "Date", "Close", "Alternate Price", "Fixed Price", "Floor Price", "Conversion Price")
    assert L.chart_columns(price=vwap.price_name) == L.CHART_COLUMNS
