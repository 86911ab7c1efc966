"""The shipped template: built by code, refreshed, recalculated by a real spreadsheet engine
(LibreOffice headless) for the native formulas and by pycel for the ASCENT_* cells, and read back
against the deal's figures by hand (tests/helpers/sample_figures.py)."""

from __future__ import annotations

import pytest

from ascent_xl.events import events_from_csv
from ascent_xl.excel import layout as L
from ascent_xl.excel.template import build_template
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path
from tests.helpers import sample_figures as F
from tests.helpers import vba
from tests.helpers.books import load, table_records
from tests.helpers.soffice import require_soffice

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("workbooks")
    xlsx, xlsm = build_template(out)
    return {"xlsx": xlsx, "xlsm": xlsm, "dir": out}


def test_the_book_has_its_sheets_tables_names_and_validation(built):
    wb = load(built["xlsm"])
    assert wb.sheetnames == [*L.SHEETS, L.CONF]
    assert wb.vba_archive is not None
    for sheet, table in ((L.INPUTS, L.TERMS_TABLE), (L.VWAP, L.VWAP_TABLE), (L.EVENTS, L.EVENTS_TABLE),
                         (L.SCHEDULE, L.SCHEDULE_TABLE), (L.CONVERSIONS, L.CONVERSIONS_TABLE),
                         (L.SUMMARY, L.CHART_TABLE)):
        assert table in wb[sheet].tables, (sheet, table)
    names = set(wb.defined_names.keys())
    for term in ASTI_2022.flat():
        assert L.term_defined_name(term) in names
    assert {L.MASTER_CHECK, L.STATUS, L.STAMP, L.INPUT_HASH, L.LATEST_MATURITY} <= names
    kinds = [dv for dv in wb[L.EVENTS].data_validations.dataValidation if dv.type == "list"]
    assert kinds and "Conversion" in kinds[0].formula1 and "Split" in kinds[0].formula1
    assert len(wb[L.INPUTS].data_validations.dataValidation) >= 60
    assert vba.read_xlwings_config(built["xlsm"])["UDF Modules"] == "ascent_xl.excel.udfs"
    assert {b["sheet"] for b in vba.list_buttons(built["xlsm"])} == {L.SUMMARY, L.SCHEDULE}
    assert all(b["macro"] == "SampleCall" for b in vba.list_buttons(built["xlsm"]))
    assert "Sub SampleCall" in "".join(vba.vba_modules(built["xlsm"]).values())
    assert (built["dir"] / "ascent_advance_notes.py").read_text().count("from ascent_xl.excel.macros import main")


def test_the_valuation_sheet_holds_the_monte_carlo_results(built):
    from ascent_xl.samples import sample_market
    from ascent_xl.valuation import value_deal
    from ascent_xl.valuation.behaviour import planned_events
    from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL, DEMO_PATHS
    from ascent_xl.valuation.start import deal_start

    ws = load(built["xlsx"])[L.VALUATION]
    assert ws["F5"].value == "Inputs" and ws["F6"].value == "Input"
    cells = {ws.cell(row=r, column=6).value: r for r in range(5, 91)}
    inputs = {name: ws.cell(row=row, column=7).value for name, row in cells.items()}
    # the spot is the sample's VWAP of the valuation date (the issue, 2022-12-19), never the demo's
    assert inputs["spot"] == 2.8352 and inputs["spot"] != DEMO_MODEL.spot
    assert ws.cell(row=cells["spot"], column=9).value == "VWAP of 2022-12-19 (VWAP sheet)"
    assert inputs["Registered.principal"] == 12_500_000 and inputs["paths"] == DEMO_PATHS
    events = events_from_csv(data_path(SAMPLE_EVENTS))
    # the book's VWAPs: those before 2022-12-01 (the data's first) taken as the spot, as `value` does
    start = deal_start(ASTI_2022, events, sample_market(), as_of=start_day(ASTI_2022))
    behaviour = DEMO_BEHAVIOUR.with_events(planned_events(events, start=start.as_of)[0], terms=ASTI_2022)
    model = DEMO_MODEL.replace(spot=inputs["spot"], daily_volume=inputs["daily_volume"])
    direct = value_deal(ASTI_2022, model=model, behaviour=behaviour, start=start, paths=DEMO_PATHS, seed=0)
    row = cells["Registered"]
    assert ws.cell(row=row, column=7).value == pytest.approx(direct.note("Registered").value)
    assert ws.cell(row=row, column=8).value == pytest.approx(direct.note("Registered").std_error)
    settings = table_records(load(built["xlsx"]), L.VALUATION, L.VALUATION_TABLE)
    assert [s["Setting"] for s in settings] == list(L.VALUATION_SETTINGS)
    blank = {s["Setting"] for s in settings if s["Value"] is None}
    assert blank == {"spot", "daily_volume", "valuation_date"}


def start_day(terms):
    return min(n.issue_date for n in terms.notes)


def test_a_bad_valuation_setting_names_its_cell(built, tmp_path):
    from ascent_xl.excel.workbook_io import refresh_file

    book = tmp_path / "v.xlsx"
    book.write_bytes(built["xlsx"].read_bytes())
    wb = load(book)
    wb[L.VALUATION]["B7"] = -0.5  # volatility
    wb.save(book)
    result = refresh_file(book)
    assert not result.ok and "Valuation!B7" in result.status and "volatility" in result.status


def test_no_deal_number_inside_a_formula(built):
    wb = load(built["xlsx"])
    deal = ("0.925", "0.075", "0.29", "3.93042", "0.0499", "0.045", "1.2", "12500000")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert not any(x in cell.value for x in deal), (ws.title, cell.coordinate, cell.value)


def test_the_shipped_book_holds_the_refreshed_schedule(built):
    wb = load(built["xlsx"])
    rows = table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)
    conversions = [r["Shares Issued"] for r in rows if r["Event"] == "Conversion"]
    # the sample's nine conversions by hand (tests/ledger/test_ledger_sample_deal.py; the last after the split)
    assert conversions == [125_733, 179_436, 268_627, 419_770, 745_928, 621_465, 1_113_497, 1_379_311, 1_250]
    assert sum(r["Floor Payment"] or 0 for r in rows) == pytest.approx(F.FLOOR_PAYMENTS, abs=0.005)
    assert sum(r["Principal Converted"] or 0 for r in rows) == pytest.approx(2_796_212)
    assert wb[L.SUMMARY]["B4"].value == "OK"


@pytest.mark.libreoffice
def test_libreoffice_recalculates_summary_and_checks_to_the_deals_figures(built, tmp_path):
    require_soffice()
    from tests.helpers.recalc import read_values, recalculate

    out = recalculate(built["xlsx"], tmp_path)
    cells = {label: f"{L.SUMMARY}!B{L.SUMMARY_FIRST_ROW + i}" for i, (label, _, _) in enumerate(L.SUMMARY_VALUES)}
    checks = {label: f"{L.CHECKS}!B{L.CHECKS_FIRST_ROW + i}" for i, (label, _, _) in enumerate(L.CHECK_ROWS)}
    got = read_values(out, [*cells.values(), *checks.values(), "Checks!B3", "Summary!B3", "Inputs!B3"])
    # By hand (tests/helpers/sample_figures.py) where the sample gives a figure; interest in cash
    # has no short hand figure (27 quarter and prepayment dates), so it is the sum of the book's own
    # Schedule column as the refresh wrote it, which the SUM formulas must reproduce.
    rows = table_records(load(built["xlsx"]), L.SCHEDULE, L.SCHEDULE_TABLE)
    interest_cash = sum(r["Interest Paid Cash"] or 0 for r in rows)
    want = {
        "Principal issued": F.PRINCIPAL_ISSUED,
        "Principal converted": F.PRINCIPAL_CONVERTED,
        "Principal repaid in cash": F.PRINCIPAL_REPAID,
        "Principal outstanding": 0,  # all converted or repaid by the end of the sample
        "Conversion shares, restated": F.SHARES_RESTATED,
        "Floor payments": F.FLOOR_PAYMENTS,
        "Interest paid in cash": interest_cash,
        "Interest paid in kind": F.PIK_Q1,  # Q1 2023 only (the PIK election of 2023-03-15)
        "Default amounts": 0,  # the sample's default is waived without a redemption
        # every dollar paid: floor payments + interest in cash + principal repaid (no premium)
        "Cash paid to holders": F.FLOOR_PAYMENTS + interest_cash + F.PRINCIPAL_REPAID,
        "Shares outstanding": F.SHARES_OUTSTANDING,
        "Holder ownership": F.HOLDER_OWNERSHIP,
        "Placement fee": 700_000,
        "Net proceeds": 9_901_000,
    }
    for label, value in want.items():
        assert got[cells[label]] == pytest.approx(value, abs=0.005), label
    for label, cell in checks.items():
        assert got[cell] is True, label
    assert got["Checks!B3"] is True and got["Summary!B3"] is True and got["Inputs!B3"] is True


def test_the_state_sheets_hold_array_formulas_over_the_books_ranges(built):
    wb = load(built["xlsx"])
    anchor = wb[L.POSITION]["A6"].value
    assert anchor.text == L.POSITION_FORMULA and anchor.ref.startswith("A6:Q")
    rows = table_records(wb, L.CONVERSIONS, L.CONVERSIONS_TABLE)
    for i in range(len(rows)):
        r = L.TABLE_HEADER_ROW + 1 + i
        cell = wb[L.CONVERSIONS][f"{L.CONVERSIONS_OUTPUT_FIRST_COLUMN}{r}"].value
        assert cell.text == L.quote_formula(r) and cell.ref == L.conversions_output(1, row=r)
    assert wb[L.NOTICE]["A8"].value.text == L.NOTICE_FORMULA


def test_refreshed_xlsm_keeps_its_vba_and_buttons(built, tmp_path):
    from ascent_xl.excel.workbook_io import refresh_file

    book = tmp_path / "deal.xlsm"
    book.write_bytes(built["xlsm"].read_bytes())
    result = refresh_file(book)
    assert result.ok
    assert len(vba.list_buttons(book)) == 2 and "Sub SampleCall" in "".join(vba.vba_modules(book).values())
    assert load(book)[L.SUMMARY]["B5"].value.startswith("Refreshed 20")


def test_the_shipped_template_is_the_builders_output(built):
    """workbooks/ holds exactly what `ascent-xl template build` makes now (the refresh stamp
    aside): a stale shipped book fails here."""
    from pathlib import Path

    shipped_dir = Path(__file__).resolve().parents[2] / "workbooks"
    for suffix in ("xlsx", "xlsm"):
        shipped, fresh = load(shipped_dir / f"ascent_advance_notes.{suffix}"), load(built[suffix])
        assert shipped.sheetnames == fresh.sheetnames
        for ws in fresh.worksheets:
            other = shipped[ws.title]
            assert other.max_row == ws.max_row and other.max_column == ws.max_column, ws.title
            for row in ws.iter_rows():
                for cell in row:
                    if (ws.title, cell.coordinate) == (L.SUMMARY, "B5"):
                        continue  # the refresh stamp carries the build time
                    mine, theirs = cell.value, other[cell.coordinate].value
                    if hasattr(mine, "ref"):  # an array formula: its cells and its formula
                        mine, theirs = (mine.ref, mine.text), (getattr(theirs, "ref", None), getattr(theirs, "text", None))
                    assert theirs == mine, (ws.title, cell.coordinate)
    assert (shipped_dir / "ascent_advance_notes.py").read_text() == (built["dir"] / "ascent_advance_notes.py").read_text()
