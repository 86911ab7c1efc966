"""The book's ledger functions read the VWAP table's Dollar Volume and Market Cap, as the
Schedule does: the equity conditions decide between a registered PIK note (0%) and a private
one (the note's 4.5%), so a Position sheet run on the VWAPs alone showed another deal than the
Schedule beside it. End to end: a book made by ``ascent-xl new`` from the sample VWAPs with
interest in kind from the closing; on 2022-12-31 the conditions hold on the sample data (the
CLI's schedule issues a registered PIK note), so on 2023-01-05 the Registered-PIK1 note, $18,750
(12,500,000 x 4.5% x 12/360), has accrued nothing. Run on the VWAPs alone, the conditions are
not tested, so never met: a private PIK note at 4.5%, 18,750 x 4.5% x 5/360 = 11.72 accrued."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ascent_xl.cli import _register, cli
from ascent_xl.excel import layout as L
from ascent_xl.excel import udfs
from ascent_xl.excel.book import parse_ref
from ascent_xl.excel.cells import CellError
from ascent_xl.excel.workbook_io import refresh_file
from ascent_xl.ledger.position import POSITION_COLUMNS
from ascent_xl.samples import SAMPLE_VWAPS, data_path

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
_register()

EVENTS = [["Date", "Event", "Note", "Amount", "Value"], ["2022-12-19", "Interest Election", None, None, "pik"]]
AS_OF = dt.date(2023, 1, 5)


def _vwap_table() -> tuple[list[list], list[list]]:
    rows = [r for r in csv.reader(data_path(SAMPLE_VWAPS).open()) if r and not r[0].startswith("#")]
    assert rows[0] == ["Date", "VWAP", "Dollar Volume", "Market Cap"]
    return [[r[0]] for r in rows[1:]], [[float(x) for x in r[1:]] for r in rows[1:]]


def _pik1(result: list[list]) -> dict:
    row = next(r for r in result if r[0] == "Registered-PIK1")
    return dict(zip(result[0], row, strict=True))


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("equity")
    events = folder / "e.csv"
    events.write_text("\n".join(",".join("" if v is None else v for v in row) for row in EVENTS) + "\n")
    path = folder / "pik.xlsx"
    r = CliRunner().invoke(cli, ["new", str(path), "--vwaps", str(data_path(SAMPLE_VWAPS)), "--events", str(events)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    wb = load_workbook(path)
    wb[L.POSITION][L.POSITION_AS_OF[1]] = AS_OF
    wb.save(path)
    assert refresh_file(path).ok
    return path


def test_the_position_sheet_reads_the_volumes_as_the_schedule_does(book):
    wb = load_workbook(book, data_only=True)
    schedule = [[c.value for c in row] for row in wb[L.SCHEDULE].iter_rows()]
    issue = next(r for r in schedule if "Registered-PIK1" in r and "Issue" in r)
    assert any(isinstance(v, str) and v.startswith("registered PIK note") for v in issue)
    ws = wb[L.POSITION]
    r1, c1, r2, c2 = parse_ref(L.POSITION_AREA)
    rows = [[ws.cell(row=r, column=c).value for c in range(c1, c1 + len(POSITION_COLUMNS))] for r in range(r1, r2 + 1)]
    assert rows[0] == list(POSITION_COLUMNS)
    pik1 = _pik1([r for r in rows if r[0] is not None])
    assert pik1["Outstanding Principal"] == pytest.approx(18_750.0)
    assert pik1["Accrued Interest"] == 0.0  # a registered PIK note bears no interest
    formula = load_workbook(book)[L.POSITION].cell(row=r1, column=c1).value
    assert "VWAP[[VWAP]:[Market Cap]]" in getattr(formula, "text", formula)


def test_the_vwap_column_alone_leaves_the_conditions_untested():
    dates, table = _vwap_table()
    full = _pik1(udfs.ASCENT_POSITION(EVENTS, dates, table, AS_OF))
    alone = _pik1(udfs.ASCENT_POSITION(EVENTS, dates, [[r[0]] for r in table], AS_OF))
    assert full["Accrued Interest"] == 0.0
    assert alone["Accrued Interest"] == pytest.approx(11.72, abs=0.005)  # 18,750 x 4.5% x 5/360
    # the Schedule function reads the same columns
    rows = udfs.ASCENT_SCHEDULE(EVENTS, dates, table)
    detail = rows[0].index("Detail")
    assert any(r[detail].startswith("registered PIK note") for r in rows[1:] if isinstance(r[detail], str))


def test_more_columns_than_the_vwap_table_are_refused_naming_the_argument():
    dates, table = _vwap_table()
    with pytest.raises(CellError, match=r"vwaps: select the VWAP column, or VWAP, Dollar Volume and Market Cap "
                                        r"side by side, and Close after them \(got 5 columns\)"):
        udfs._ledger_market(dates, [r + [1.0, 1.0] for r in table], calendar="XNAS")
    result = udfs.ASCENT_POSITION(EVENTS, dates, [r + [1.0, 1.0] for r in table], AS_OF)
    assert "got 5 columns" in str(result)  # a cell error, not a crash


def test_the_functions_read_volumes_only_from_the_whole_vwap_table():
    from ascent_xl.excel.refresh import _market_columns

    assert _market_columns(["Date", "VWAP", "Dollar Volume", "Market Cap"]) == ("VWAP", "Dollar Volume", "Market Cap")
    # a table without its Dollar Volume column: the market caps are not read as volumes
    assert _market_columns(["Date", "VWAP", "Market Cap"]) == ("VWAP",)
    assert _market_columns(["Date", "VWAP"]) == ("VWAP",)
