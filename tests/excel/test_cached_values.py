"""Books carry their formulas' values: the shipped template and a refreshed book, read without
calculating (openpyxl ``data_only=True``, as pandas, previewers and Excel without the UDFs read
them), show the engine's numbers in every formula cell of Summary, Checks, Conversions and
Position; and ascent_xl.excel.cached on small hand-made books."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ascent_xl.excel import layout as L
from ascent_xl.excel.cached import cache_formula_values, save_with_values
from ascent_xl.excel.workbook_io import refresh_file
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022
from tests.helpers.books import copy_book, table_records
from tests.helpers.sample_csv import lowest_mean_before, sample_vwaps

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks"
OWNED_SHEETS = (L.SUMMARY, L.CHECKS, L.CONVERSIONS, "Position")


def formula_cells(path: Path) -> dict[str, object]:
    """Every formula cell of the sheets the book owns -> its cached value as stored."""
    formulas = load_workbook(path)
    values = load_workbook(path, data_only=True)
    out = {}
    for title in OWNED_SHEETS:
        if title not in formulas.sheetnames:
            continue
        for row in formulas[title].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    out[f"{title}!{cell.coordinate}"] = values[title][cell.coordinate].value
    return out


def full_calc_on_load(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return b"fullCalcOnLoad" in zf.read("xl/workbook.xml")


def check_against_engine(path: Path, sample_events, sample_market) -> None:
    cached = formula_cells(path)
    assert len(cached) >= 60
    empty = [ref for ref, value in cached.items() if not isinstance(value, int | float | str)]
    assert not empty, f"formula cells without a value: {empty}"
    engine = run_ledger(ASTI_2022, sample_events, sample_market)
    total = engine.summary().iloc[-1]
    first = L.SUMMARY_FIRST_ROW
    want = {  # Summary rows in layout order (the formula rows)
        # the two notes, the Q1 PIK note and the private note's capitalised interest (by hand in
        # tests/ledger/test_ledger_sample_deal.py)
        "Principal issued": 15_000_000 + 129_097.50 + 28_125.00,
        "Principal converted": 2_796_212,  # the sample's conversions, as the sample file lists them
        "Principal repaid in cash": 9_000_000 + 703_788 + 2_528_125 + 129_097.50,
        "Principal outstanding": 0,  # all converted or repaid by the end of the sample
        # no hand figure for these two: the engine's totals (the book must carry them unchanged)
        # by hand: 8 conversions before the 1:200 split (125,733 + 179,436 + 268,627 + 419,770 +
        # 745,928 + 621,465 + 1,113,497 + 1,379,311 = 4,853,767 shares) and 1,250 after it
        "Conversion shares, restated": 4_853_767 / 200 + 1_250,  # 25,518.835 on the new basis
        "Floor payments": total["Floor Payments"],
        "Shares outstanding": engine.state.shares_outstanding,
        "Holder ownership": engine.state.holder_ownership,
    }
    rows = {label: first + i for i, (label, _, _) in enumerate(L.SUMMARY_VALUES)}
    for label, value in want.items():
        assert cached[f"{L.SUMMARY}!B{rows[label]}"] == pytest.approx(value, abs=0.005), label
    for i, (label, _, _) in enumerate(L.CHECK_ROWS):
        assert cached[f"{L.CHECKS}!B{L.CHECKS_FIRST_ROW + i}"] is True, label
    for title in OWNED_SHEETS:
        if f"{title}!B3" in cached:
            assert cached[f"{title}!B3"] is True, f"{title}: master check"
    notices = table_records(load_workbook(path, data_only=True), L.CONVERSIONS, L.CONVERSIONS_TABLE)
    assert len(notices) >= 5
    vwaps = sample_vwaps()
    for row in notices:  # the preset's rule written out over the sample CSV's rows
        notice, amount = row["Notice Date"].date().isoformat(), row["Amount"]
        alternate = 0.925 * lowest_mean_before(notice, days=10, lowest=3)
        unfloored = min(3.93042, alternate)
        price = max(unfloored, 0.29)
        assert row["Fixed Price"] == pytest.approx(3.93042, abs=1e-9)
        assert row["Alternate Price"] == pytest.approx(alternate, rel=1e-12)
        assert row["Conversion Price"] == pytest.approx(price, rel=1e-12)
        assert row["Floor Binds"] is (unfloored < 0.29)
        assert row["Shares"] == math.ceil(round(amount / price, 6))  # rounded up
        make_up = round((amount / unfloored - amount / 0.29) * vwaps[notice], 2) if unfloored < 0.29 else 0
        assert row["Floor Payment"] == pytest.approx(make_up, abs=0.005)


@pytest.mark.parametrize("suffix", ["xlsx", "xlsm"])
def test_the_shipped_template_carries_the_engine_values(suffix, sample_events, sample):
    book = SHIPPED / f"ascent_advance_notes.{suffix}"
    check_against_engine(book, sample_events, sample)
    assert not full_calc_on_load(book)


def test_a_refreshed_book_carries_the_values_of_its_new_inputs(tmp_path, sample_events, sample):
    book = copy_book(SHIPPED / "ascent_advance_notes.xlsx", tmp_path)
    wb = load_workbook(book)
    notice = wb[L.CONVERSIONS]["A6"].value.date()
    wb[L.CONVERSIONS]["B6"] = 100_000  # a user's edit, saved by a tool that keeps no values
    wb.save(book)
    assert load_workbook(book, data_only=True)[L.CONVERSIONS]["G6"].value is None
    assert refresh_file(book).ok
    check_against_engine(book, sample_events, sample)
    # 100,000 / conversion price, rounded up (the deal's share rounding); the price the preset's
    # rule gives over the sample CSV's rows (as in check_against_engine)
    price = max(min(3.93042, 0.925 * lowest_mean_before(notice.isoformat(), days=10, lowest=3)), 0.29)
    assert load_workbook(book, data_only=True)[L.CONVERSIONS]["G6"].value == math.ceil(round(100_000 / price, 6))
    assert not full_calc_on_load(book)


def test_values_of_each_kind_are_stored_as_excel_types(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Calc"
    ws["A1"], ws["A2"], ws["A3"], ws["A4"], ws["A5"] = 2, "=A1*3.5", '="x"&"<y>"', "=A1>1", "=A1/0"
    path = tmp_path / "kinds.xlsx"
    report = save_with_values(wb, path)
    assert report.complete and report.values == {"Calc!A2": 7.0, "Calc!A3": "x<y>", "Calc!A4": True,
                                                 "Calc!A5": "#DIV/0!"}
    got = load_workbook(path, data_only=True)["Calc"]
    assert (got["A2"].value, got["A3"].value, got["A4"].value, got["A5"].value) == (7, "x<y>", True, "#DIV/0!")
    assert load_workbook(path)["Calc"]["A2"].value == "=A1*3.5"  # the formula stays
    assert not full_calc_on_load(path)


def test_a_formula_it_cannot_calculate_stays_empty_and_excel_recalculates(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 5, "=A1+1", "=NOT_A_FUNCTION(A1)"
    path = tmp_path / "unknown.xlsx"
    wb.save(path)
    report = cache_formula_values(path)
    assert report.values == {"Sheet!A2": 6.0} and list(report.missing) == ["Sheet!A3"]
    got = load_workbook(path, data_only=True)["Sheet"]
    assert got["A2"].value == 6 and got["A3"].value is None
    assert full_calc_on_load(path)  # Excel must calculate what could not be cached
