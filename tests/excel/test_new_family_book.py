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
    sheet, area = L.VALUATION_NOTE
    first = area.split(":")[0]  # A16, under the settings: the title, then the reason below it
    ws = wb[sheet]
    assert ws[first].value == "Not valued"
    reason = ws.cell(row=ws[first].row + 1, column=ws[first].column).value
    assert reason.startswith("notes.maturity_months: the Monte Carlo valuation does not model")


def test_another_deals_book_without_its_vwaps_is_refused_naming_the_option(tmp_path):
    with pytest.raises(WorkbookError, match=r"give this deal's VWAPs with --vwaps FILE") as info:
        new_deal_book(tmp_path / "bbby.xlsx", terms_file="bbby_2023_series_a")
    assert "Bed Bath & Beyond" in str(info.value) and "(nothing was written)" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_book_of_a_deal_priced_on_closing_prices_holds_them_and_prices_on_them(tmp_path):
    # The family example prices on closes (conversion.price_source = close); its Tranche2 takes
    # as its fixed price 130% of the 5 closes before its issue on 2023-06-01. Closes a flat $2.00,
    # VWAPs a flat $2.60: fixed price 1.30 x 2.00 = $2.60 (on the VWAPs it would be $3.38); not in
    # default, so no alternate price: $100,000 of Tranche2 converts at $2.60 into 100,000 / 2.60
    # = 38,461.5 -> 38,462 shares (rounded up; at $3.38 it would be 29,586)
    from openpyxl import load_workbook

    from ascent_xl.samples import data_path

    days = [d for d in sessions_before("2023-08-01", 170)]
    vwaps = tmp_path / "closes.csv"
    vwaps.write_text("Date,VWAP,Close\n" + "".join(f"{d},2.60,2.00\n" for d in days), encoding="utf-8")
    events = tmp_path / "events.csv"
    events.write_text("Date,Event,Note,Amount,Value\n2023-07-03,Conversion,Tranche2,100000,\n", encoding="utf-8")
    book = new_deal_book(tmp_path / "shapes.xlsx", terms_file=data_path("examples/family_shapes.toml"),
                         vwaps_file=vwaps, events_file=events)
    wb = load(book)
    assert wb[L.SUMMARY]["B4"].value == "OK"
    ws = wb[L.VWAP]
    assert [c.value for c in ws[5]][:5] == ["Date", "VWAP", "Dollar Volume", "Market Cap", "Close"]
    assert (ws["B6"].value, ws["C6"].value, ws["D6"].value, ws["E6"].value) == (2.6, None, None, 2.0)
    (conversion,) = [r for r in table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE) if r["Event"] == "Conversion"]
    assert conversion["Shares Issued"] == 38_462
    # the Summary's price history names the price it holds: the close, $2.00 (not the VWAP, $2.60)
    history = table_records(wb, L.SUMMARY, L.CHART_TABLE)
    assert list(history[0])[:2] == ["Date", "Close"] and {h["Close"] for h in history} == {2.0}
    # the chart's first series takes its legend name from that header cell
    ref = wb[L.SUMMARY]._charts[0].series[0].tx.strRef.f
    sheet, cell = ref.split("!")
    assert wb[sheet.strip("'")][cell.replace("$", "")].value == "Close"
    # the book's own formulas read the closes too: the Position sheet's Tranche2 fixed price
    formulas = load_workbook(book)
    assert formulas[L.POSITION]["A6"].value.text == L.POSITION_FORMULA.replace("[Market Cap]]", "[Close]]")
    values = {r[0]: r for r in wb[L.POSITION].iter_rows(min_row=7, values_only=True) if r[0]}
    assert values["Tranche2"][7] == pytest.approx(2.60, abs=1e-12)
    # and a spreadsheet engine reading the structured reference (pycel, as Excel would) hands the
    # function the four columns: the same fixed price, computed from the formula, not the cache
    from tests.helpers.recalc import evaluate

    row = 7 + list(values).index("Tranche2")
    assert evaluate(book, [f"{L.POSITION}!A{row}", f"{L.POSITION}!H{row}"]) == ["Tranche2", pytest.approx(2.60)]


def test_a_close_priced_deal_without_closes_is_refused_naming_what_to_add(tmp_path):
    from openpyxl import load_workbook

    from ascent_xl.excel.workbook_io import refresh_file
    from ascent_xl.samples import data_path

    vwaps = tmp_path / "vwaps.csv"
    days = sessions_before("2023-01-03", 30)
    vwaps.write_text("Date,VWAP\n" + "".join(f"{d},2.60\n" for d in days), encoding="utf-8")
    shapes = data_path("examples/family_shapes.toml")
    with pytest.raises(WorkbookError, match=r"family_shapes.toml: conversion.price_source = close: this deal's "
                                            r"windows read closing prices; give --vwaps FILE with a Close column"):
        new_deal_book(tmp_path / "shapes.xlsx", terms_file=shapes, vwaps_file=vwaps)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vwaps.csv"]  # nothing was written
    # a book whose Inputs say close and whose VWAP table has no Close column: the status names
    # the term's Value cell and the column to add
    book = new_deal_book(tmp_path / "asti.xlsx")
    wb = load_workbook(book)
    ws = wb[L.INPUTS]
    (cell,) = [row[2] for row in ws.iter_rows() if row[1].value == "conversion.price_source"]
    cell.value = "close"
    wb.save(book)
    result = refresh_file(book)
    assert not result.ok
    assert result.problems[0] == (
        f"1 problem - fix and refresh again: {L.INPUTS}!{cell.coordinate}: conversion.price_source = close: this "
        "deal's windows read closing prices; add a Close column to the VWAP table, after Market Cap, with each "
        "day's closing price")
