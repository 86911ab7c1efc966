"""The Valuation sheet values the deal from its state on the sheet's valuation date (issue 10,
item 6): the inputs used are written beside the results; paths per workbook are capped."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.excel import layout as L
from ascent_xl.excel import udfs
from ascent_xl.excel.template import build_template
from ascent_xl.excel.workbook_io import refresh_file
from tests.helpers.books import copy_book, load

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("template"), xlsm=False)[0]


def _set(book, name, value):
    wb = load(book)
    ws = wb[L.VALUATION]
    for row in range(6, 6 + len(L.VALUATION_SETTINGS)):
        if ws.cell(row=row, column=1).value == name:
            ws.cell(row=row, column=2).value = value
            wb.save(book)
            return f"{L.VALUATION}!B{row}"
    raise AssertionError(name)


def _inputs(book):
    ws = load(book)[L.VALUATION]
    return {ws.cell(row=r, column=6).value: (ws.cell(row=r, column=7).value, ws.cell(row=r, column=9).value)
            for r in range(5, 91)}


def test_a_mid_life_valuation_date_values_what_is_outstanding(template, tmp_path):
    book = copy_book(template, tmp_path)
    _set(book, "valuation_date", dt.datetime(2023, 6, 30))
    _set(book, "paths", 2000)
    result = refresh_file(book)
    assert result.ok, result.status
    inputs = _inputs(book)
    # the sample's Registered note by 2023-06-30: $12,500,000 less $2,746,212 converted in Q1 and
    # three $1,000,000 prepayments (April, May, June), with its private PIK note of 2023-03-31,
    # $129,097.50 at the note's 4.5% (the equity conditions failed), valued as its principal
    assert inputs["Registered.principal"][0] == pytest.approx(12_500_000 - 2_746_212 - 3 * 1_000_000 + 129_097.50)
    assert inputs["Registered.pik_notes"][0] == 0.0
    assert inputs["spot"] == (0.1196, "VWAP of 2023-06-30 (VWAP sheet)")  # the sample's VWAP that day
    assert inputs["valuation_date"][1].startswith("deal state at the end of 2023-06-30")
    # the floor amended to $0.20 on 2023-03-29; the fixed price ratcheted to $0.15 on 2023-06-20
    assert inputs["floor_price"][0] == pytest.approx(0.20) and inputs["fixed_price"][0] == pytest.approx(0.15)
    registered = inputs["Registered"]
    assert registered[0] > 0


def test_a_given_spot_is_used_and_named(template, tmp_path):
    book = copy_book(template, tmp_path)
    cell = _set(book, "spot", 2.5)
    _set(book, "paths", 1000)
    assert refresh_file(book).ok
    assert _inputs(book)["spot"] == (2.5, "Valuation!spot")
    assert cell.startswith("Valuation!B")


def test_paths_above_the_workbook_limit_are_refused_naming_the_cell(template, tmp_path):
    book = copy_book(template, tmp_path)
    cell = _set(book, "paths", 5_000_000)
    result = refresh_file(book)
    assert not result.ok
    assert f"{cell}: paths 5,000,000: at most 200,000 in a workbook" in result.status
    text = udfs.ASCENT_FAIR_VALUE("Total", None, None, None, None, 5e6)
    assert text.startswith("paths 5,000,000: at most 200,000 in a workbook")


def test_a_valuation_date_before_the_issue_names_the_cell(template, tmp_path):
    book = copy_book(template, tmp_path)
    cell = _set(book, "valuation_date", dt.datetime(2022, 12, 1))
    result = refresh_file(book)
    assert not result.ok and f"{cell}: valuation date 2022-12-01 is before the notes' issue" in result.status
