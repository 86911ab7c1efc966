"""End to end: a workbook whose cells call ASCENT_* functions on a VWAP sheet, written with
openpyxl and calculated in Python by pycel (ascent_xl.excel.evaluate), gives the figures worked out
here by hand: the supplement's own figures, or the deal's rules written out over the sample CSV's
rows (tests.helpers.sample_csv, not through the engine)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

import ascent_xl
from tests.helpers.recalc import evaluate
from tests.helpers.sample_csv import days_before, lowest_mean_before, sample_rows, sample_vwaps

pytest.importorskip("pycel")

SPILL = ["2023-01-03", "2023-02-01", "2023-03-01", "2023-03-22", "2023-03-28"]


def _alt(notice: str) -> float:
    """92.5% of the mean of the 3 lowest VWAPs of the 10 sessions before the notice day."""
    return 0.925 * lowest_mean_before(notice, days=10, lowest=3)


@pytest.fixture(scope="module")
def book(tmp_path_factory, sample):
    """(path, {cell: expected}) for a workbook with a VWAP sheet and a Calc sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "VWAP"
    ws.append(["Date", "VWAP", "Dollar Volume", "Market Cap"])
    for d, v, vol, cap in zip(
        sample.dates, sample.vwap, sample.dollar_volume, sample.market_cap, strict=True
    ):
        ws.append([d.item(), float(v), float(vol), float(cap)])
        ws.cell(ws.max_row, 1).number_format = "yyyy-mm-dd"
    last = ws.max_row
    # The range is selected past the data: trailing blank rows are ignored.
    wb.defined_names["Dates"] = DefinedName("Dates", attr_text=f"VWAP!$A$2:$A${last + 20}")
    wb.defined_names["VWAPs"] = DefinedName("VWAPs", attr_text=f"VWAP!$B$2:$B${last + 20}")
    ws.defined_names["Caps"] = DefinedName(
        "Caps", attr_text=f"VWAP!$D$2:$D${last + 20}"
    )  # sheet-scoped

    c = wb.create_sheet("Calc")
    expected: dict[str, object] = {}

    def put(cell: str, formula: str, value: object) -> None:
        c[cell] = formula
        expected[f"Calc!{cell}"] = value

    c["A1"] = dt.date(2022, 12, 19)  # an Excel date
    c["A1"].number_format = "yyyy-mm-dd"
    c["A2"] = "2023-03-01"  # ISO text
    c["A3"] = 45013  # a serial number (2023-03-28), not formatted as a date
    c["A4"] = 100_000  # amount
    c["A5"] = "2022-12-25"  # not a trading day

    vwaps = sample_vwaps()
    # the supplement's fixed price: 130% of the mean of the 5 VWAPs before the 2022-12-19 closing
    fixed = 1.30 * sum(vwaps[d] for d in days_before("2022-12-19", 5)) / 5
    assert fixed == pytest.approx(3.93042, abs=1e-9)
    alt_0328 = _alt("2023-03-28")
    assert alt_0328 < 0.29  # the floor binds on 2023-03-28 (serial 45013)
    put("B1", "=ASCENT_FIXED_CONVERSION_PRICE(VWAP!A2:A1000,VWAP!B2:B1000,A1)", fixed)
    put("B2", "=ASCENT_ALTERNATE_CONVERSION_PRICE(Dates,VWAPs,A2)", _alt("2023-03-01"))
    put("B3", "=ASCENT_CONVERSION_PRICE(B1,Dates,VWAPs,A3)", 0.29)
    put("B4", "=ASCENT_CONVERSION_SHARES(A4,B1,Dates,VWAPs,A3)", 344_828)  # 100,000 / 0.29 = 344,827.6, up
    # floor payment: the shares the unfloored price would have given, less those issued at the
    # floor, at the notice day's VWAP: (100,000 / alt - 100,000 / 0.29) x VWAP, to the cent
    floor_cash = round((100_000 / alt_0328 - 100_000 / 0.29) * vwaps["2023-03-28"], 2)
    assert floor_cash == 14_686.28  # a quarter of the sample ledger's 58,745.12 on $400,000
    put("B5", "=ASCENT_FLOOR_PAYMENT(A4,B1,Dates,VWAPs,A3)", floor_cash)
    put("B6", "=ROUND(B5*2,2)", 29_372.56)  # composes with Excel's own functions
    # default price: 80% of the mean of the 3 lowest VWAPs of the 10 sessions before the default
    put("B7", "=ASCENT_DEFAULT_CONVERSION_PRICE(Dates,VWAPs,A2)",
        0.80 * lowest_mean_before("2023-03-01", days=10, lowest=3))
    # max(1,000,000 / min(0.50, 0.45) x max(0.60, 0.55), 1.20 x 1,000,000) + 10,000 interest
    # = 1,333,333.33 + 10,000 (parity wins; interest added after the premium, unpremiumed)
    put("B8", "=ASCENT_DEFAULT_REDEMPTION(1000000,10000,0.5,0.45,0.6,0.55)", 1_343_333.33)
    # 30/360 from 03-31 to 06-30: 90 days; 12,500,000 x 4.5% x 90 / 360
    put("B9", '=ASCENT_ACCRUED_INTEREST(12500000,"2023-03-31","2023-06-30")', 140_625.00)
    # ACT/365 from 2022-12-19 to 2023-03-01: 12 + 31 + 28 + 1 = 72 days (not rounded)
    put("B10", '=ASCENT_ACCRUED_INTEREST(12500000,A1,A2,,"ACT/365")', 12_500_000 * 0.045 * 72 / 365)
    put("B11", "=ASCENT_CHANGE_OF_CONTROL_AMOUNT(1000000,5000)", 1_055_000.0)  # 105% x 1,000,000 + 5,000
    put("B12", "=ASCENT_PREPAYMENT_AMOUNT(1000000,5000)", 1_205_000.0)  # 120% x 1,000,000 + 5,000
    # room under the 4.99% cap: (0.0499 x 40,000,000 - 100,000) / 0.9501 = 1,995,579.4 -> 1,995,579
    # shares, at B3's $0.29: 578,717.91 (down to the cent)
    room = math.floor((0.0499 * 40_000_000 - 100_000) / (1 - 0.0499))
    assert room == 1_995_579
    put("B13", "=ASCENT_MAX_CONVERSION(B3,100000,40000000)", 578_717.91)
    put("B14", "=ASCENT_WARRANT_CASHLESS_SHARES(1000000,3.93,5)", 214_000)  # 1,000,000 x (5 - 3.93) / 5
    put("B15", "=ASCENT_PLACEMENT_FEE(11250000)", 700_000.0)  # the supplement: 8%, 4%, 6% tiers
    # equity conditions on 2023-03-01: market cap >= $75M on at least 15 of the 20 sessions before
    rows = sample_rows()
    cap_days = sum(rows[d][2] >= 75_000_000 for d in days_before("2023-03-01", 20))
    assert cap_days == 4
    put("B16", "=ASCENT_EQUITY_CONDITIONS(Dates,VWAP!C2:C1000,Caps,A2)", False)
    put(
        "B17",
        "=ASCENT_CONVERSION_PRICE(B1,Dates,VWAPs,A5)",
        "notice date 2022-12-25: not a trading day",
    )
    put("B18", "=ASCENT_VERSION()", ascent_xl.__version__)
    put("B19", '=ASCENT_CONVERSION_SHARES(A4,B1,Dates,VWAPs,A3,,"down")', 344_827)  # 344,827.6 down

    # A column of notice dates, priced in one call and spilled over an array formula's cells.
    for i, notice in enumerate(SPILL, start=1):
        c[f"D{i}"] = notice
    n = len(SPILL)
    c["E1"] = ArrayFormula(f"E1:E{n}", f"=ASCENT_ALTERNATE_CONVERSION_PRICE(Dates,VWAPs,D1:D{n})")
    for i, notice in enumerate(SPILL, start=1):
        expected[f"Calc!E{i}"] = _alt(notice)

    path = tmp_path_factory.mktemp("book") / "deal.xlsx"
    wb.save(path)
    return path, expected


def test_workbook_cells_give_the_hand_figures(book):
    path, expected = book
    cells = list(expected)
    values = evaluate(path, cells)
    for cell, got in zip(cells, values, strict=True):
        want = expected[cell]
        if isinstance(want, float):
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12), cell
        else:
            assert got == want, cell


def test_defined_names_resolve_with_openpyxl_31(book):
    from ascent_xl.excel.evaluate import compiler

    xl = compiler(book[0])
    names = xl.excel.defined_names
    assert names["Dates"][0][1] == "VWAP" and "Caps" in names


def test_plugin_exposes_every_udf_by_lower_case_name():
    from ascent_xl.excel import evaluate as plugin
    from ascent_xl.excel import udfs

    for f in udfs.UDFS:
        assert getattr(plugin, f.__name__.lower()).__wrapped__ is f
    with pytest.raises(AttributeError):
        plugin.ascent_no_such_function  # noqa: B018
