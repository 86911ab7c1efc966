"""The xlwings Lite adapter: the same functions and arguments as the classic UDFs, Office.js-
shaped inputs (2-D lists, None, 0 for a blank, error objects, serial dates), the Refresh script,
and xlwings' own server call path where a licence key is set."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import subprocess
import sys

import pytest

from ascent_xl.excel import layout as L
from ascent_xl.excel import lite, udfs
from tests.helpers.books import load
from tests.helpers.fake_xlwings import FakeBook
from tests.helpers.sample_csv import lowest_mean_before

EPOCH = dt.date(1899, 12, 30)


def serial(day: dt.date) -> int:
    return (day - EPOCH).days


@pytest.fixture(scope="module")
def office(sample):
    """The sample market as Office.js hands a two-column range over: rows of serial dates and
    VWAPs (one column each)."""
    frame = sample.to_frame()
    days = [serial(d.date()) for d in frame.iloc[:, 0]]
    vwaps = [float(v) for v in frame.iloc[:, 1]]
    return [[d] for d in days], [[v] for v in vwaps]


def test_the_same_functions_with_the_same_arguments_as_the_classic_udfs():
    assert set(lite.FUNCTIONS) == {f.__name__ for f in udfs.UDFS}
    for classic in udfs.UDFS:
        ours = lite.FUNCTIONS[classic.__name__]
        theirs = inspect.signature(classic).parameters
        mine = inspect.signature(ours).parameters
        assert [(p.name, p.default) for p in mine.values()] == [(p.name, p.default) for p in theirs.values()]
        assert ours.__doc__ == classic.__doc__
        assert list(udfs.argument_specs(classic)) == list(theirs), classic.__name__  # every arg documented
    assert set(lite.__all__) == {*lite.FUNCTIONS, "ascent_refresh"}


def test_office_js_ranges_serial_dates_and_one_by_one_lists(office):
    dates, vwaps = office
    notice = dt.date(2023, 1, 10)
    got = lite.ASCENT_CONVERSION_PRICE([[3.93042]], dates, vwaps, [[serial(notice)]], None, None, None, None)
    # 92.5% of the mean of the 3 lowest VWAPs of the 10 sessions before 2023-01-10 (the sample CSV's
    # rows), below the 3.93042 fixed price and above the 0.29 floor
    assert got == pytest.approx(0.925 * lowest_mean_before("2023-01-10", days=10, lowest=3), rel=1e-12)
    assert lite.ASCENT_PLACEMENT_FEE([[11_250_000]]) == 700_000
    # empty cells arrive as None or "" (JS null): blanks, as in the classic functions
    assert lite.ASCENT_PLACEMENT_FEE([[11_250_000]]) == udfs.ASCENT_PLACEMENT_FEE(11_250_000)
    holed = [row[:] for row in vwaps]
    holed[-1] = [""]  # a blank cell at the end of the VWAP column: no VWAP that day
    assert lite.ASCENT_CONVERSION_PRICE(3.93042, dates, holed, serial(notice)) == got


def test_a_blank_arriving_as_zero_never_changes_a_result(office):
    dates, vwaps = office
    notice = serial(dt.date(2023, 1, 10))
    blank = lite.ASCENT_CONVERSION_PRICE(3.93042, dates, vwaps, notice, None)
    assert blank.tolist() == [[pytest.approx(1.98834917, abs=1e-8)]]  # a (1, 1) column, as in Excel
    # floor_price 0 is no valid floor (the classic function refuses it), the blank is $0.29:
    # the two differ, so the cell says so rather than pick one
    said = lite.ASCENT_CONVERSION_PRICE(3.93042, dates, vwaps, notice, 0)
    assert said.startswith("floor_price is 0: Excel passes a blank cell as 0")
    # discount: 0 gives 100% of the average instead of 92.5%: refused, naming the argument
    said = lite.ASCENT_CONVERSION_PRICE(3.93042, dates, vwaps, notice, None, 0)
    assert said.startswith("discount is 0: Excel passes a blank cell as 0")
    # days 0 is no window at all: refused as well, never read as "the deal's 10 days"
    assert lite.ASCENT_CONVERSION_PRICE(3.93042, dates, vwaps, notice, None, None, 0).startswith("days is 0")
    # interest at rate 0 is 0, the deal's 4.5% is not: refused; the principal (required) reads 0 as 0
    assert lite.ASCENT_ACCRUED_INTEREST(1_000_000, "2023-01-01", "2023-04-01", 0).startswith("rate is 0")
    # 4.5% x 1,000,000 x 90/360 = 11,250
    assert lite.ASCENT_ACCRUED_INTEREST(1_000_000, "2023-01-01", "2023-04-01") == pytest.approx(11_250)
    assert lite.ASCENT_ACCRUED_INTEREST(0, "2023-01-01", "2023-04-01") == 0


def test_seed_zero_is_the_blank_seed_so_it_is_read():
    blank = lite.ASCENT_FAIR_VALUE("Total", None, None, None, None, 1000, None)
    assert lite.ASCENT_FAIR_VALUE("Total", None, None, None, None, 1000, 0) == blank
    assert isinstance(blank, list) and blank[0][0] > 0


class JsNull:
    """Pyodide's JS null (the adapter recognises it by its type name)."""


class OfficeError:
    """An Office.js error value as Pyodide hands it over: an object with a ``code``."""

    code = "#N/A"


def test_js_null_and_error_objects(office):
    dates, vwaps = office
    notice = serial(dt.date(2023, 1, 10))
    assert lite.ASCENT_CONVERSION_PRICE(3.93042, dates, vwaps, notice, JsNull()) == \
        lite.ASCENT_CONVERSION_PRICE(3.93042, dates, vwaps, notice)
    bad = [row[:] for row in vwaps]
    bad[len(bad) // 2] = [{"type": "#N/A", "message": ""}]
    shown = lite.ASCENT_FIXED_CONVERSION_PRICE(dates, bad, serial(dt.date(2024, 1, 10)))
    assert isinstance(shown, str) and "#N/A" in shown  # reported, never read as a blank
    said = lite.ASCENT_CONVERSION_PRICE(OfficeError(), dates, vwaps, notice)
    assert isinstance(said, str) and "#N/A" in said and "fixed_price" in said


def test_the_refresh_script_refreshes_the_book(tmp_path, capsys):
    from ascent_xl.excel.template import build_template

    path = build_template(tmp_path, xlsm=False)[0]
    wb = load(path)
    wb[L.SUMMARY]["B4"] = "stale"
    book = FakeBook(wb)
    lite.ascent_refresh(book)
    assert wb[L.SUMMARY]["B4"].value == "OK"
    assert "Refreshed: OK" in capsys.readouterr().out


SERVER = r"""
import asyncio, json, os
os.environ["XLWINGS_ON_SERVER"] = "true"
import xlwings as xw
from xlwings import server
from ascent_xl.excel import lite
meta = server.custom_functions_meta(lite)
names = sorted(f["name"] for f in meta["functions"])
data = {"func_name": "ASCENT_PLACEMENT_FEE", "args": [[[11250000]]], "caller_address": "Sheet1!A1",
        "formula_name": "ASCENT_PLACEMENT_FEE", "version": xw.__version__, "client": "Office.js",
        "culture_info_name": "en-US", "date_format": "M/d/yyyy", "runtime": "1.4"}
fee = asyncio.run(server.custom_functions_call(data, lite))
data["func_name"] = data["formula_name"] = "ASCENT_ACCRUED_INTEREST"
data["args"] = [[[1000000]], [[44927]], [[45017]], [[0]], [[None]]]
zero = asyncio.run(server.custom_functions_call(data, lite))
print(json.dumps({"names": names, "fee": fee, "zero": zero}, default=str))
"""


@pytest.mark.skipif(not os.environ.get("XLWINGS_LICENSE_KEY"),
                    reason="xlwings' server call path needs XLWINGS_LICENSE_KEY")
def test_xlwings_server_call_path_registers_and_calls_the_functions():
    proc = subprocess.run([sys.executable, "-c", SERVER], capture_output=True, text=True, timeout=300,
                          check=False, env={**os.environ, "XLWINGS_ON_SERVER": "true"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["names"] == sorted(f.__name__ for f in udfs.UDFS)
    assert json.dumps(out["fee"]).count("700000") == 1
    assert "rate is 0" in json.dumps(out["zero"])
