"""A new book for a deal of the family the Monte Carlo does not model (the shipped Bed Bath &
Beyond Series A preferred: no maturity): the book is built and refreshed (schedule, summary,
checks) and its Valuation sheet says why it holds no value; without the deal's own VWAPs the
bundled sample (the Ascent deal's) is refused rather than used."""

from __future__ import annotations

import pytest

from ascent_xl.errors import WorkbookError
from ascent_xl.excel import layout as L
from ascent_xl.excel.workbook_io import new_deal_book
from tests.helpers.books import load, table_records
from tests.helpers.markets import sessions_before

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def test_a_book_of_a_deal_the_monte_carlo_does_not_model_refreshes_and_says_not_valued(tmp_path):
    vwaps = tmp_path / "bbby_vwaps.csv"
    days = sessions_before("2023-04-03", 60)  # 60 sessions of an illustrative flat $2.60
    vwaps.write_text("Date,VWAP\n" + "".join(f"{d},2.60\n" for d in days), encoding="utf-8")
    book = new_deal_book(tmp_path / "bbby.xlsx", terms_file="bbby_2023_series_a", vwaps_file=vwaps)
    wb = load(book)
    assert wb[L.SUMMARY]["B4"].value == "OK"
    rows = table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)
    assert [r["Event"] for r in rows if r["Event"] in ("Interest", "Maturity")] == []  # no coupon, no maturity
    sheet, area = L.VALUATION_OUTPUT
    first = area.split(":")[0]  # F5: the title, then the reason below it
    ws = wb[sheet]
    assert ws[first].value == "Not valued"
    reason = ws.cell(row=ws[first].row + 1, column=ws[first].column).value
    assert reason.startswith("notes.maturity_months: the Monte Carlo valuation does not model")


def test_another_deals_book_without_its_vwaps_is_refused_naming_the_option(tmp_path):
    with pytest.raises(WorkbookError, match=r"give this deal's VWAPs with --vwaps FILE") as info:
        new_deal_book(tmp_path / "bbby.xlsx", terms_file="bbby_2023_series_a")
    assert "Bed Bath & Beyond" in str(info.value) and "(nothing was written)" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_deal_priced_on_closing_prices_is_refused_by_new_and_by_refresh_naming_the_term(tmp_path):
    # a deal book's VWAP table has no Close column: refused up front, not "add a Close column"
    # after the user gave one, and nothing is written
    from openpyxl import load_workbook

    from ascent_xl.excel.workbook_io import refresh_file
    from ascent_xl.samples import data_path

    vwaps = tmp_path / "closes.csv"
    days = sessions_before("2023-01-03", 30)
    vwaps.write_text("Date,VWAP,Close\n" + "".join(f"{d},2.60,2.61\n" for d in days), encoding="utf-8")
    shapes = data_path("examples/family_shapes.toml")
    with pytest.raises(WorkbookError, match=r"family_shapes.toml: conversion.price_source = close: this deal "
                                            r"prices on closing prices, and a deal book's VWAP table holds VWAPs"):
        new_deal_book(tmp_path / "shapes.xlsx", terms_file=shapes, vwaps_file=vwaps)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["closes.csv"]
    # a book whose Inputs say close: the status names the term's Value cell
    book = new_deal_book(tmp_path / "asti.xlsx")
    wb = load_workbook(book)
    ws = wb[L.INPUTS]
    (cell,) = [row[2] for row in ws.iter_rows() if row[1].value == "conversion.price_source"]
    cell.value = "close"
    wb.save(book)
    result = refresh_file(book)
    assert not result.ok
    assert result.problems[0].startswith(f"1 problem - fix and refresh again: {L.INPUTS}!{cell.coordinate}: "
                                         "conversion.price_source = close: this deal prices on closing prices")
