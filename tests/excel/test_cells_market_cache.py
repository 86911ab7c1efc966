"""The market data parsed from Date and VWAP cells is kept by the cells' content (issue 15):
Excel passes fresh lists on every call, so the same values in new lists find it, and any
change, however small, or a cell of another type, does not."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.calendar import trading_calendar
from ascent_xl.excel import cells
from ascent_xl.excel.cells import CellError, market_from_cells


@pytest.fixture()
def ranges():
    cells.clear_market_cache()
    days = trading_calendar("XNAS").sessions_between("2023-01-03", "2023-03-31")
    dates = [[dt.datetime.combine(d.item(), dt.time())] for d in days]
    vwaps = [[1.0 + i / 100] for i in range(len(dates))]
    yield dates, vwaps
    cells.clear_market_cache()


def _copy(rows):
    return [list(r) for r in rows]


def test_the_same_values_in_fresh_lists_find_the_parsed_market(ranges):
    dates, vwaps = ranges
    first = market_from_cells(dates, vwaps)
    assert market_from_cells(_copy(dates), _copy(vwaps)) is first
    # ints equal to the floats are the same numbers, hence the same market
    assert first.vwap[0] == 1.0
    ints = _copy(vwaps)
    ints[0] = [1]
    assert market_from_cells(_copy(dates), ints) is first


def test_a_changed_cell_is_a_new_market(ranges):
    dates, vwaps = ranges
    first = market_from_cells(dates, vwaps)
    changed = _copy(vwaps)
    changed[30] = [changed[30][0] + 1e-12]
    other = market_from_cells(_copy(dates), changed)
    assert other is not first and other.vwap[30] == vwaps[30][0] + 1e-12
    moved = _copy(dates)
    moved[-1] = [moved[-1][0] + dt.timedelta(days=3)]  # 2023-03-31 -> 2023-04-03, a session
    assert market_from_cells(moved, _copy(vwaps)).dates[-1] == moved[-1][0].date()


def test_a_true_cell_equal_to_a_cached_one_is_still_refused(ranges):
    dates, vwaps = ranges
    market_from_cells(dates, vwaps)  # vwaps[0] is 1.0, and True == 1.0 in Python
    with_true = _copy(vwaps)
    with_true[0] = [True]
    with pytest.raises(CellError, match="TRUE|FALSE|number"):
        market_from_cells(_copy(dates), with_true)


def test_changing_the_callers_lists_afterwards_changes_nothing(ranges):
    dates, vwaps = ranges
    first = market_from_cells(dates, vwaps)
    vwaps[5][0] = 99.0  # the caller reuses its list: the cache kept its own copy
    assert market_from_cells(dates, vwaps) is not first
    vwaps[5][0] = 1.05
    assert market_from_cells(_copy(dates), _copy(vwaps)) is first
