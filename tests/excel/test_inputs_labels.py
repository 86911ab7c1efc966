"""The shipped book's Inputs sheet: every term's label is its own and whole (no "...")."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from ascent_xl.excel import layout as L
from ascent_xl.terms import LABEL_MAX
from tests.helpers.books import table_records

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

BOOKS = sorted((Path(__file__).resolve().parents[2] / "workbooks").glob("*.xls[xm]"))


@pytest.mark.parametrize("book", BOOKS, ids=[b.name for b in BOOKS])
def test_no_label_on_the_inputs_sheet_is_cut(book):
    wb = load_workbook(book, read_only=True)
    if L.INPUTS not in wb.sheetnames:
        pytest.skip(f"{book.name} has no Inputs sheet")
    ws = wb[L.INPUTS]
    cut = [f"{L.INPUTS}!{c.coordinate}: {c.value}" for row in ws.iter_rows() for c in row
           if isinstance(c.value, str) and c.value.endswith("...")]
    assert cut == []
    rows = table_records(load_workbook(book), L.INPUTS, L.TERMS_TABLE)
    assert len(rows) >= 100
    assert all(r["Label"] and len(r["Label"]) <= LABEL_MAX for r in rows)
    labels = {r["Term"]: r["Label"] for r in rows}
    assert labels["conversion.fixed_price"] == "Conversion: fixed conversion price"
    assert labels["conversion.alternate_price_lowest"] == "Conversion: alternate price: lowest VWAPs averaged"
    assert labels["equity_conditions.min_dollar_volume"] == "Equity conditions: minimum daily dollar volume"
