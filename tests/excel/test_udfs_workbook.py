"""End to end: a workbook whose cells call ASCENT_* functions on a VWAP sheet, written with
openpyxl and calculated in Python by pycel (ascent_xl.excel.evaluate), matches the engine."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

import ascent_xl
from ascent_xl.equity import equity_conditions
from ascent_xl.excel.evaluate import evaluate
from ascent_xl.fees import deal_placement_fee
from ascent_xl.interest import accrued_interest
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import (
    alternate_conversion_price,
    conversion_shares,
    default_conversion_price,
    fixed_conversion_price,
    mandatory_default_amount,
    max_conversion_amount,
    quote_conversion,
    redemption_amount,
    warrant_cashless_shares,
)

pytest.importorskip("pycel")

C, D, R, W = ASTI_2022.conversion, ASTI_2022.default, ASTI_2022.redemption, ASTI_2022.warrants
NOTE = ASTI_2022.notes[0]
SPILL = ["2023-01-03", "2023-02-01", "2023-03-01", "2023-03-22", "2023-03-28"]


def _alt(market, notice):
    return alternate_conversion_price(
        market,
        notice_date=notice,
        discount=C.alternate_price_discount,
        days=C.alternate_price_days,
        lowest=C.alternate_price_lowest,
    )


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

    fixed = fixed_conversion_price(
        sample, issue_date="2022-12-19", premium=C.fixed_price_premium, days=C.fixed_price_days
    )
    q = quote_conversion(
        ASTI_2022, sample, notice_date="2023-03-28", amount=100_000, fixed_price=fixed
    )
    put("B1", "=ASCENT_FIXED_CONVERSION_PRICE(VWAP!A2:A1000,VWAP!B2:B1000,A1)", fixed)
    put("B2", "=ASCENT_ALTERNATE_CONVERSION_PRICE(Dates,VWAPs,A2)", _alt(sample, "2023-03-01"))
    put("B3", "=ASCENT_CONVERSION_PRICE(B1,Dates,VWAPs,A3)", q.conversion_price)
    put("B4", "=ASCENT_CONVERSION_SHARES(A4,B1,Dates,VWAPs,A3)", q.shares)
    put("B5", "=ASCENT_FLOOR_PAYMENT(A4,B1,Dates,VWAPs,A3)", q.floor_payment)
    put(
        "B6", "=ROUND(B5*2,2)", round(q.floor_payment * 2, 2)
    )  # composes with Excel's own functions
    put(
        "B7",
        "=ASCENT_DEFAULT_CONVERSION_PRICE(Dates,VWAPs,A2)",
        default_conversion_price(
            sample,
            default_date="2023-03-01",
            factor=D.reset_factor,
            days=D.reset_days,
            lowest=D.reset_lowest,
        ),
    )
    put(
        "B8",
        "=ASCENT_DEFAULT_REDEMPTION(1000000,10000,0.5,0.45,0.6,0.55)",
        mandatory_default_amount(
            1_000_000,
            10_000,
            price_at_demand=0.5,
            price_at_payment=0.45,
            vwap_at_demand=0.6,
            vwap_at_payment=0.55,
            premium=D.redemption_premium,
            premium_on_interest=D.premium_on_interest,
        ).amount,
    )
    put(
        "B9",
        '=ASCENT_ACCRUED_INTEREST(12500000,"2023-03-31","2023-06-30")',
        accrued_interest(
            12_500_000,
            dt.date(2023, 3, 31),
            dt.date(2023, 6, 30),
            rate=NOTE.rate,
            basis=NOTE.day_count,
        ),
    )
    put(
        "B10",
        '=ASCENT_ACCRUED_INTEREST(12500000,A1,A2,,"ACT/365")',
        accrued_interest(
            12_500_000, dt.date(2022, 12, 19), dt.date(2023, 3, 1), rate=NOTE.rate, basis="ACT/365"
        ),
    )
    put(
        "B11",
        "=ASCENT_CHANGE_OF_CONTROL_AMOUNT(1000000,5000)",
        redemption_amount(1e6, 5e3, premium=R.change_of_control_premium),
    )
    put(
        "B12",
        "=ASCENT_PREPAYMENT_AMOUNT(1000000,5000)",
        redemption_amount(1e6, 5e3, premium=R.optional_prepayment_premium),
    )
    put(
        "B13",
        "=ASCENT_MAX_CONVERSION(B3,100000,40000000)",
        max_conversion_amount(
            conversion_price=q.conversion_price,
            holder_shares=100_000,
            shares_outstanding=40_000_000,
            cap=C.ownership_cap,
        ),
    )
    put(
        "B14",
        "=ASCENT_WARRANT_CASHLESS_SHARES(1000000,3.93,5)",
        warrant_cashless_shares(
            1_000_000, exercise_price=3.93, market_price=5, rounding=W.share_rounding
        ),
    )
    put("B15", "=ASCENT_PLACEMENT_FEE(11250000)", deal_placement_fee(ASTI_2022, 11_250_000).total)
    put(
        "B16",
        "=ASCENT_EQUITY_CONDITIONS(Dates,VWAP!C2:C1000,Caps,A2)",
        equity_conditions(sample, test_date="2023-03-01", terms=ASTI_2022.equity_conditions).met,
    )
    put(
        "B17",
        "=ASCENT_CONVERSION_PRICE(B1,Dates,VWAPs,A5)",
        "notice date 2022-12-25: not a trading day",
    )
    put("B18", "=ASCENT_VERSION()", ascent_xl.__version__)
    put(
        "B19",
        '=ASCENT_CONVERSION_SHARES(A4,B1,Dates,VWAPs,A3,,"down")',
        conversion_shares(100_000, q.conversion_price, rounding="down"),
    )

    # A column of notice dates, priced in one call and spilled over an array formula's cells.
    for i, notice in enumerate(SPILL, start=1):
        c[f"D{i}"] = notice
    n = len(SPILL)
    c["E1"] = ArrayFormula(f"E1:E{n}", f"=ASCENT_ALTERNATE_CONVERSION_PRICE(Dates,VWAPs,D1:D{n})")
    for i, value in enumerate(_alt(sample, SPILL), start=1):
        expected[f"Calc!E{i}"] = float(value)

    path = tmp_path_factory.mktemp("book") / "deal.xlsx"
    wb.save(path)
    return path, expected


def test_workbook_cells_match_the_engine(book):
    path, expected = book
    cells = list(expected)
    values = evaluate(path, cells)
    for cell, got in zip(cells, values, strict=True):
        want = expected[cell]
        if isinstance(want, float):
            assert got == pytest.approx(want, rel=0, abs=1e-12), cell
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
