"""``ascent-xl new`` puts each column of the user's VWAP file under its own name in the book's
VWAP table. Before, the values were laid out by position: a file of Date,VWAP,Market Cap had its
market caps written as dollar volumes, and a file of Date,VWAP,Close its closing prices."""

from __future__ import annotations

import pytest

from ascent_xl.excel import layout as L
from ascent_xl.excel.workbook_io import new_deal_book
from tests.helpers.books import load
from tests.helpers.markets import sessions_before

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.mark.parametrize(("header", "row", "expected"), [
    ("Date,VWAP,Market Cap", "2.60,90000000", ["VWAP", 2.6, "Market Cap", 90_000_000.0]),
    ("Date,VWAP,Close", "2.60,2.61", ["VWAP", 2.6, "Close", 2.61]),
    ("Date,VWAP,Dollar Volume,Market Cap,Close", "2.60,4000000,90000000,2.61",
     ["VWAP", 2.6, "Dollar Volume", 4_000_000.0, "Market Cap", 90_000_000.0, "Close", 2.61]),
])
def test_each_column_of_the_vwap_file_lands_under_its_own_name(tmp_path, header, row, expected):
    vwaps = tmp_path / "vwaps.csv"
    days = sessions_before("2023-03-01", 80)
    vwaps.write_text(f"{header}\n" + "".join(f"{d},{row}\n" for d in days), encoding="utf-8")
    book = new_deal_book(tmp_path / "book.xlsx", vwaps_file=vwaps)
    ws = load(book)[L.VWAP]
    names = [c.value for c in ws[5] if c.value]
    assert names == list(L.vwap_columns(close="Close" in header))
    first = dict(zip(names, (c.value for c in ws[6]), strict=False))
    given = dict(zip(expected[::2], expected[1::2], strict=True))
    assert {k: v for k, v in first.items() if k != "Date"} == {c: given.get(c) for c in names[1:]}
