"""The Refresh button's code, run against a stand-in xlwings book: outputs written, inputs
untouched, bad input reported in the status cell and a message box."""

from __future__ import annotations

import pytest
from openpyxl.utils import range_boundaries

from ascent_xl.excel import layout as L
from ascent_xl.excel import macros
from ascent_xl.excel.template import build_template
from tests.helpers.books import input_cells, load, table_records
from tests.helpers.fake_xlwings import FakeBook


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("t"), xlsm=False)[0]


def _output_cells(wb):
    """Every cell refresh may write: the Schedule and price-history tables (as far as they
    reach), the Summary's engine rows, the status, stamp, fingerprint and latest maturity, the
    Valuation results (or the reason it is not valued, under its settings) and the cells of the
    Position, Conversions and Notice array formulas."""
    allowed = set()
    for sheet, table in ((L.SCHEDULE, L.SCHEDULE_TABLE), (L.SUMMARY, L.CHART_TABLE)):
        c1, r1, c2, _ = range_boundaries(wb[sheet].tables[table].ref)
        allowed |= {(sheet, r, c) for r in range(r1 + 1, r1 + 5000) for c in range(c1, c2 + 1)}
    for i, (_, _, source) in enumerate(L.SUMMARY_VALUES):
        if source.startswith("engine:"):
            allowed.add((L.SUMMARY, L.SUMMARY_FIRST_ROW + i, 2))
    for sheet, cell in (*L.CELLS.values(), L.LATEST_MATURITY_CELL):
        c, r, _, _ = range_boundaries(cell)
        allowed.add((sheet, r, c))
    rows = len(table_records(wb, L.CONVERSIONS, L.CONVERSIONS_TABLE))
    for sheet, area in (L.VALUATION_OUTPUT, L.VALUATION_NOTE, (L.POSITION, L.POSITION_AREA), (L.NOTICE, L.NOTICE_AREA),
                        (L.CONVERSIONS, L.conversions_output(rows))):  # the array formulas' cells
        c1, r1, c2, r2 = range_boundaries(area)
        allowed |= {(sheet, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    return allowed


def test_refresh_writes_outputs_only(template):
    wb = load(template)
    before = input_cells(wb)
    for name in (L.SCHEDULE_TABLE,):  # start from an empty schedule so the write is visible
        ws = wb[L.SCHEDULE]
        c1, r1, c2, r2 = range_boundaries(ws.tables[name].ref)
        for r in range(r1 + 1, r2 + 1):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).value = None
    book = FakeBook(wb)
    result = macros.refresh(book)
    assert result.ok, result.status
    assert input_cells(wb) == before
    written = set(book.log)
    assert written and written <= _output_cells(wb), sorted(written - _output_cells(wb))[:5]
    rows = table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)
    assert len(rows) == len(result.schedule.rows)
    assert rows[0]["Event"] == "Share Reserve" and rows[-1]["Event"] == "Maturity"
    assert wb[L.SUMMARY]["B4"].value == "OK"


def test_bad_input_writes_only_the_status_and_keeps_the_last_results(template, monkeypatch):
    wb = load(template)
    schedule_before = table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)
    wb[L.VWAP]["B14"] = "abc"
    wb[L.EVENTS]["B8"] = "Bogus"
    before = input_cells(wb)
    book = FakeBook(wb)
    result = macros.refresh(book)
    assert not result.ok
    assert set(book.log) == {(L.SUMMARY, 4, 2)}  # Summary!B4, the status cell, and nothing else
    status = wb[L.SUMMARY]["B4"].value
    assert "2 problems" in status and "VWAP!B14" in status and "Events!B8" in status
    assert table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE) == schedule_before
    assert input_cells(wb) == before

    import xlwings

    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book))
    macros.main()
    assert book.app.alerts and "VWAP!B14" in book.app.alerts[-1][1]
