"""The UDFs as Excel on Windows sees them, checked on Linux with xlwings' real decorators.

A subprocess puts stand-ins for pywin32 (``pythoncom``, ``pywintypes``, ``win32com``) into
``sys.modules``, imports ``xlwings.udfs`` (the Windows decorators), makes them ``xw.func`` /
``xw.arg`` / ``xw.ret`` and imports ``ascent_xl.excel.udfs``. It reports, as JSON:

- each function's registration (``__xlfunc__``): name, category, arguments and their docs;
- the VBA module ``xlwings.udfs.generate_vba_wrapper`` writes for a stand-in workbook;
- calls made the way ``xlwings.udfs.call_udf`` and ``com_server.CallUDF`` make them: every
  argument through ``xlwings.conversion.read`` with its registered options (values shaped as
  COM delivers them: a range is a tuple of rows, an error cell an integer code), the result
  through ``xlwings.conversion.write``, a 1x1 result unwrapped. A stand-in "excel" engine
  supplies the two cell-cleaning hooks pywin32's engine would.

The subprocess keeps the stand-ins out of this test process.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import textwrap

import pytest

from ascent_xl.excel import udfs

SCRIPT = textwrap.dedent(
    r'''
    import datetime as dt, io, json, sys, types

    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["pythoncom"].CoInitialize = lambda: None
    sys.modules["win32com.client"].Dispatch = lambda *a, **k: None
    sys.modules["win32com"].client = sys.modules["win32com.client"]

    import xlwings as xw
    import xlwings.udfs as xu
    from xlwings import conversion
    from xlwings.conversion.framework import accessors
    from xlwings.main import Engine

    xw.func, xw.arg, xw.ret = xu.xlfunc, xu.xlarg, xu.xlret

    ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826273: "#VALUE!"}

    class ExcelStandIn:
        """The two hooks of xlwings' Windows engine that UDF argument/result conversion uses."""
        name, type = "excel", "desktop"

        @staticmethod
        def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
            def clean(v):
                if v in ("", None):
                    return empty_as
                if isinstance(v, dt.datetime):
                    return datetime_builder(year=v.year, month=v.month, day=v.day, hour=v.hour,
                                            minute=v.minute, second=v.second)
                if number_builder is not None and isinstance(v, float):
                    return number_builder(v)
                if isinstance(v, int) and v in ERRORS:
                    return ERRORS[v] if err_to_str else None
                return v
            return [[clean(c) for c in row] for row in data]

        @staticmethod
        def prepare_xl_data_element(x, options):
            return "" if x is None else x

    xw.engines.add(Engine(impl=ExcelStandIn()))

    import ascent_xl.excel.udfs as U
    from ascent_xl.samples import sample_market

    MISSING = -2147352572  # what VBA passes for an omitted Optional argument

    def com_call(func, *raw):
        info = func.__xlfunc__
        args = list(raw) + [MISSING] * (len(info["args"]) - len(raw))
        for i, a in enumerate(args):
            arg = info["args"][i]
            if isinstance(a, int) and a == MISSING:
                args[i] = arg.get("optional")
            else:
                args[i] = conversion.read(None, a, arg["options"])
        res = conversion.write(func(*args), None, info["ret"]["options"])
        if len(res) == 1 and len(res[0]) == 1:
            res = res[0][0]
        elif len(res) == 1 and len(res[0]) > 1:
            res = res[0]
        return res

    def plain(x):
        if hasattr(x, "tolist"):
            x = x.tolist()
        if isinstance(x, (dt.date, dt.datetime)):
            return x.isoformat()
        if isinstance(x, (list, tuple)):
            return [plain(v) for v in x]
        return x

    m = sample_market()
    days = [dt.datetime.combine(d.item(), dt.time()) for d in m.dates]
    dates = tuple((d,) for d in days) + ((None,),) * 3        # a range's Value: rows
    vwaps = tuple((float(v),) for v in m.vwap) + ((None,),) * 3
    NA = -2146826246  # #N/A as COM passes it
    na_vwaps = tuple((NA if i == 13 else float(x),) for i, x in enumerate(m.vwap))
    fixed = U.TERMS.conversion.fixed_price
    notices = tuple((d,) for d in days[20:30])
    one = dt.datetime(2023, 3, 1)

    from ascent_xl.events import events_from_csv, events_to_rows
    from ascent_xl.samples import SAMPLE_EVENTS, data_path

    events = (("Date", "Event", "Note", "Amount", "Value"),) + tuple(
        (dt.datetime.combine(d, dt.time()), k, n, a, v)
        for d, k, n, a, v in events_to_rows(events_from_csv(data_path(SAMPLE_EVENTS))))
    as_of = dt.datetime(2023, 2, 1)

    calls = {
        "holders": (com_call(U.ASCENT_HOLDERS, events, dates, vwaps, as_of),
                    U.ASCENT_HOLDERS([list(r) for r in events], dates, vwaps, as_of)),
        "scalar": (com_call(U.ASCENT_CONVERSION_PRICE, fixed, dates, vwaps, one),
                   U.ASCENT_CONVERSION_PRICE(fixed, list(dates), list(vwaps), one)),
        "column": (com_call(U.ASCENT_CONVERSION_PRICE, fixed, dates, vwaps, notices),
                   U.ASCENT_CONVERSION_PRICE(fixed, dates, vwaps, [[d[0]] for d in notices])),
        "one_cell_range": (com_call(U.ASCENT_ALTERNATE_CONVERSION_PRICE, dates, vwaps, ((one,),)),
                           U.ASCENT_ALTERNATE_CONVERSION_PRICE(dates, vwaps, one)),
        "shares": (com_call(U.ASCENT_CONVERSION_SHARES, 1e5, fixed, dates, vwaps, one, None,
                            "down"),
                   U.ASCENT_CONVERSION_SHARES(100000.0, fixed, dates, vwaps, one, None, "down")),
        "terms": (com_call(U.ASCENT_TERMS), U.ASCENT_TERMS()),
        "version": (com_call(U.ASCENT_VERSION), U.ASCENT_VERSION()),
        "na_in_range": (com_call(U.ASCENT_FIXED_CONVERSION_PRICE, dates[:-3], na_vwaps, one), None),
        "na_in_optional": (com_call(U.ASCENT_CONVERSION_PRICE, fixed, dates, vwaps, one, NA), None),
        "interest": (com_call(U.ASCENT_ACCRUED_INTEREST, 1e6, dt.datetime(2023, 3, 31),
                              dt.datetime(2023, 6, 30)),
                     U.ASCENT_ACCRUED_INTEREST(1e6, "2023-03-31", "2023-06-30")),
    }

    funcs = {}
    for name in dir(U):
        f = getattr(U, name)
        if hasattr(f, "__xlfunc__"):
            x = f.__xlfunc__
            funcs[name] = {
                "name": x["name"],
                "category": x["category"],
                "call_in_wizard": x["call_in_wizard"],
                "doc": x["ret"]["doc"],
                "ret_convert_registered": x["ret"]["options"].get("convert") in accessors,
                "args": [
                    {
                        "name": a["name"],
                        "doc": a["doc"],
                        "optional": "optional" in a,
                        "ndim": a["options"].get("ndim"),
                        "err_to_str": a["options"].get("err_to_str", False),
                        "convert_registered": a["options"].get("convert") in accessors,
                    }
                    for a in x["args"]
                ],
            }

    class Book:
        Name = "ascent_deal.xlsm"

    vba = io.StringIO()
    xu.generate_vba_wrapper("ascent_xl.excel.udfs", U, vba, Book())
    print(json.dumps({"funcs": funcs, "vba": vba.getvalue(),
                      "calls": {k: [plain(a), plain(b)] for k, (a, b) in calls.items()}}))
    '''
)

EXPECTED_ARGS = {
    "ASCENT_FIXED_CONVERSION_PRICE": "dates, vwaps, issue_date, [premium], [days]",
    "ASCENT_ALTERNATE_CONVERSION_PRICE": (
        "dates, vwaps, notice_date, [discount], [days], [lowest], [window_includes_notice_day], [no_split]"
    ),
    "ASCENT_CONVERSION_PRICE": (
        "fixed_price, dates, vwaps, notice_date, [floor_price], [discount], [days], [lowest], "
        "[floor_mode], [window_includes_notice_day], [no_split]"
    ),
    "ASCENT_CONVERSION_SHARES": (
        "amount, fixed_price, dates, vwaps, notice_date, [floor_price], [rounding], [floor_mode], "
        "[window_includes_notice_day], [no_split]"
    ),
    "ASCENT_FLOOR_PAYMENT": (
        "amount, fixed_price, dates, vwaps, notice_date, [floor_price], [floor_mode], "
        "[window_includes_notice_day], [no_split]"
    ),
    "ASCENT_DEFAULT_CONVERSION_PRICE": "dates, vwaps, default_date, [factor], [days], [lowest]",
    "ASCENT_DEFAULT_REDEMPTION": "principal, accrued_interest, price_at_demand, price_at_payment, "
    "vwap_at_demand, vwap_at_payment, [premium], [premium_on_interest], [parity_includes_interest]",
    "ASCENT_ACCRUED_INTEREST": "principal, from_date, to_date, [rate], [basis]",
    "ASCENT_CHANGE_OF_CONTROL_AMOUNT": "principal, accrued_interest, [premium], [premium_on_interest]",
    "ASCENT_PREPAYMENT_AMOUNT": "principal, accrued_interest, [premium]",
    "ASCENT_MAX_CONVERSION": "conversion_price, holder_shares, shares_outstanding, [cap]",
    "ASCENT_WARRANT_CASHLESS_SHARES": "warrant_shares, exercise_price, market_price, [rounding]",
    "ASCENT_PLACEMENT_FEE": "gross_proceeds",
    "ASCENT_EQUITY_CONDITIONS": "dates, dollar_volumes, market_caps, test_date",
    "ASCENT_SCHEDULE": "events, dates, vwaps, [terms]",
    "ASCENT_POSITION": "events, dates, vwaps, as_of, [terms]",
    "ASCENT_HOLDERS": "events, dates, vwaps, as_of, [terms]",
    "ASCENT_QUOTE": "events, dates, vwaps, notice_date, amount, [note], [terms], [no_split], [header]",
    "ASCENT_NOTICE": "events, dates, vwaps, notice_date, [amount], [note], [terms]",
    "ASCENT_FAIR_VALUE": "instrument, [spot], [volatility], [rate], [credit_spread], [paths], [seed], "
    "[valuation_date], [vwap_noise], [daily_volume], [default_date], [terms], [dates], [vwaps], [events]",
    "ASCENT_TERMS": "",
    "ASCENT_VERSION": "",
}
AMOUNT_COLUMNS = {"ASCENT_CONVERSION_SHARES", "ASCENT_FLOOR_PAYMENT"}  # a column of amounts beside the notices
CELL_DATES = {("ASCENT_FAIR_VALUE", "valuation_date"), ("ASCENT_FAIR_VALUE", "default_date"),
              ("ASCENT_QUOTE", "notice_date"), ("ASCENT_NOTICE", "notice_date")}
RANGE_ARGS = {"dates", "vwaps", "notice_date", "default_date", "dollar_volumes", "market_caps", "events",
              "terms"}


@pytest.fixture(scope="module")
def windows():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _signature(args: list[dict]) -> str:
    return ", ".join(f"[{a['name']}]" if a["optional"] else a["name"] for a in args)


def test_every_function_is_registered_with_its_arguments_in_order(windows):
    funcs = windows["funcs"]
    assert set(funcs) == set(EXPECTED_ARGS) == {f.__name__ for f in udfs.UDFS}
    for name, expected in EXPECTED_ARGS.items():
        f = funcs[name]
        assert f["name"] == name
        assert f["category"] == "Ascent"
        # the Function Wizard calls a function on every keystroke: not the heavy ones
        heavy = ("ASCENT_FAIR_VALUE", "ASCENT_SCHEDULE", "ASCENT_POSITION", "ASCENT_HOLDERS", "ASCENT_QUOTE",
                 "ASCENT_NOTICE")
        assert f["call_in_wizard"] is (name not in heavy), name
        assert _signature(f["args"]) == expected, name


def test_every_argument_is_documented_and_read_safely(windows):
    for name, f in windows["funcs"].items():
        assert f["ret_convert_registered"], name
        for a in f["args"]:
            assert not a["doc"].startswith("Positional argument"), (name, a["name"])
            assert 0 < len(a["doc"]) <= 255, (name, a["name"])
            assert a["err_to_str"], (name, a["name"])  # an error cell is never read as a blank
            assert a["convert_registered"], (name, a["name"])
            is_range = a["name"] in RANGE_ARGS and (name, a["name"]) not in CELL_DATES
            is_range = is_range or (a["name"] == "amount" and name in AMOUNT_COLUMNS)
            assert a["ndim"] == (2 if is_range else None), (name, a["name"])
            if a["optional"]:
                assert "blank: " in a["doc"], (name, a["name"])  # says what a blank means


def test_function_wizard_description_is_the_rule_in_one_line(windows):
    for name, f in windows["funcs"].items():
        first = f["doc"].split("\n\n")[0]
        assert "\n" not in first and len(first) <= 255, name
        assert "Python function" not in f["doc"], name


def test_vba_wrapper_declares_every_function_with_its_arguments(windows):
    vba = windows["vba"]
    for name, expected in EXPECTED_ARGS.items():
        params = ", ".join(
            f"Optional {p[1:-1]}" if p.startswith("[") else p for p in expected.split(", ") if p
        )
        assert f"Function {name}({params})\n" in vba, name
        args = ", ".join(p.strip("[]") for p in expected.split(", ") if p)
        call = (
            f'XLPy.CallUDF("ascent_xl.excel.udfs", "{name}", Array({args}), '
            "ThisWorkbook, Application.Caller)"
        )
        assert call in vba, name
        assert f"{name} = Err.Description" in vba, name
    assert len(re.findall(r"^Function ", vba, flags=re.MULTILINE)) == len(EXPECTED_ARGS)


def test_calls_through_xlwings_conversion_match_direct_calls(windows):
    calls = windows["calls"]
    for key in ("scalar", "one_cell_range", "shares", "version", "interest"):
        via_com, direct = calls[key]
        assert not isinstance(via_com, list), key  # 1x1: unwrapped to a value
        if isinstance(direct, list):
            direct = direct[0][0]
        assert via_com == direct, key
    assert isinstance(calls["scalar"][0], float)


def test_array_returns_spill_as_rows(windows):
    col, direct = windows["calls"]["column"]
    assert len(col) == 10 and all(isinstance(r, list) and len(r) == 1 for r in col)
    assert col == direct
    terms, direct = windows["calls"]["terms"]
    assert terms[0] == ["Term", "Value", "Unit", "Description"] and all(len(r) == 4 for r in terms)
    assert terms == direct


def test_the_holders_spill_through_xlwings_as_the_function_returns_them(windows):
    via_com, direct = windows["calls"]["holders"]
    assert via_com == direct
    # the sample on 2023-02-01: Investor's 55,169 of 34,235,981 shares, the terms' 4.99% cap,
    # no raise pending (blank cells), headroom floor((4.99% x 34,235,981 - 55,169) / 95.01%)
    assert via_com[0] == ["Holder", "Shares Held", "Ownership", "Ownership Cap", "Cap Raised To", "Raise From",
                          "Cap Headroom (shares)"]
    assert via_com[1][:2] == ["Investor", 55_169] and via_com[1][3:] == [0.0499, "", "", 1_740_034]
    assert 1_740_034 == int((0.0499 * 34_235_981 - 55_169) / 0.9501)


def test_error_cells_are_reported_not_read_as_blanks(windows):
    assert windows["calls"]["na_in_range"][0].startswith("vwaps row 14: '#N/A' is not a number")
    assert windows["calls"]["na_in_optional"][0].startswith("floor_price '#N/A' is not a number")


def test_linux_decorators_leave_plain_functions():
    for f in udfs.UDFS:
        assert not hasattr(f, "__xlfunc__")
        assert inspect.signature(f) == inspect.signature(f.__wrapped__)
