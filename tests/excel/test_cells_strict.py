"""Book cells and UDF arguments are read strictly, the error naming the argument and row."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.excel import cells, udfs
from ascent_xl.excel.cells import CellError


def test_ambiguous_comma_in_a_cell_names_the_argument():
    with pytest.raises(CellError, match=r"^amount '4,2347' has an ambiguous comma: write 4.2347"):
        cells.to_number("4,2347", "amount")
    with pytest.raises(CellError, match=r"^vwaps row 2: '4,2347' has an ambiguous comma"):
        cells.to_floats([1.0, "4,2347"], "vwaps")


def test_percent_only_for_rate_arguments():
    with pytest.raises(CellError, match=r"^amount '10%' is a percent, but this is not a rate"):
        cells.to_number("10%", "amount")
    assert cells.to_number("10%", "cap", percent=True) == pytest.approx(0.10)


def test_dates_in_cells_strict():
    assert cells.to_date(44914, "d") == dt.date(2022, 12, 19)
    for bad, says in (("2022-12", "has no day"), ("2023-01-10xyz", "has 'xyz' after the date")):
        with pytest.raises(CellError, match=rf"^notice_date: '{bad}' {says}"):
            cells.to_date(bad, "notice_date")


def test_udf_argument_refusal_is_the_cell_text():
    got = udfs.ASCENT_ACCRUED_INTEREST("1,000,000.5", "2023-03-31", "2023-06-3O")
    assert isinstance(got, str) and got.startswith("to_date: '2023-06-3O'")
    got = udfs.ASCENT_ACCRUED_INTEREST("4,2347", "2023-03-31", "2023-06-30")
    assert isinstance(got, str) and got.startswith("principal '4,2347' has an ambiguous comma")


def test_rate_arguments_of_udfs_take_a_percent():
    # 1,000,000 x 4.5% x 90/360 (30/360 from 2023-03-31 to 2023-06-30) = 11,250.00
    assert udfs.ASCENT_ACCRUED_INTEREST(1e6, "2023-03-31", "2023-06-30", "4.5%") == 11_250.0
    got = udfs.ASCENT_ACCRUED_INTEREST("10%", "2023-03-31", "2023-06-30")
    assert got.startswith("principal '10%' is a percent, but this is not a rate")
