"""``ascent-xl price --notices FILE.csv --events FILE.csv``: a notice log priced row by row on the
deal's state that day (splits, amended floor, reset fixed price, the holder's shares and cap), in
one ledger pass, as the book's Conversions sheet prices it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ascent_xl.cli import _register, cli
from ascent_xl.excel import layout as L
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

_register()
VWAPS = str(data_path(SAMPLE_VWAPS))
EVENTS = str(data_path(SAMPLE_EVENTS))
SHIPPED = Path(__file__).resolve().parents[2] / "workbooks" / "ascent_advance_notes.xlsm"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "80"})


def priced(tmp_path: Path, text: str, *extra: str) -> list[dict[str, str]]:
    notices = tmp_path / "notices.csv"
    notices.write_text(text)
    out = tmp_path / "quotes.csv"
    r = invoke("price", "--vwaps", VWAPS, "--events", EVENTS, "--notices", str(notices), "--out", str(out), *extra)
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(out.open()))


def test_notices_after_the_split_are_priced_on_the_restated_terms_and_the_holders_cap(tmp_path):
    rows = priced(tmp_path, "Notice Date,Amount,Note\n2023-10-02,50000,Registered\n2023-10-02,,Private\n")
    reg, priv = rows
    # after the 1:200 split of 2023-09-12 the amended floor $0.20 is $40 and the reset fixed price
    # $0.15 is $30; the 3 lowest of the 10 VWAPs before 2023-10-02 are 10.2452, 10.3420 and
    # 10.4757, average 10.3543, alternate 92.5% of it = 9.5777275; price max(40, min(30, 9.58)) = 40
    assert reg["Share Basis"] == "after the 1:200 split of 2023-09-12"
    assert (reg["Fixed Price"], reg["Floor Price"], reg["Alternate Price"]) == ("30.0", "40.0", "9.5777275")
    assert (reg["Conversion Price"], reg["Floor Binds"], reg["Capped"]) == ("40.0", "True", "False")
    # 50,000 / 40 = 1,250 shares; floor payment (50,000 / 9.5777275 - 1,250) x VWAP 9.6451 = 38,295.34
    assert (reg["Shares"], reg["Floor Payment"], reg["Principal Converted"]) == ("1250", "38295.34", "50000.0")
    # the blank amount is all of the Private note's 2,528,125, cut by the 4.99% cap: the holder has
    # 1,519 of 342,500 shares, (0.0499 x 342,500 - 1,519) / 0.9501 = 16,389.6 -> 16,389 new shares,
    # 16,389 x 40 = 655,560 converts; floor payment (655,560 / 9.5777275 - 16,389) x 9.6451 = 502,097.85
    assert (priv["Note"], priv["Amount"], priv["Capped"]) == ("Private", "2528125.0", "True")
    assert (priv["Shares"], priv["Principal Converted"], priv["Floor Payment"]) == ("16389", "655560.0", "502097.85")


def test_the_notices_are_questions_in_file_order_none_changes_another(tmp_path):
    rows = priced(tmp_path, "Notice Date,Amount,Note\n2023-10-02,50000,Registered\n"
                            "2023-01-10,250000,\n2023-10-02,50000,Registered\n")
    assert [r["Line"] for r in rows] == ["2", "3", "4"]
    assert [r["Notice Date"] for r in rows] == ["2023-10-02", "2023-01-10", "2023-10-02"]
    # before the split: 250,000 at the alternate 1.98835 -> 125,733 shares (the book's figure)
    assert (rows[1]["Note"], rows[1]["Shares"], rows[1]["Share Basis"]) == ("Registered", "125733", "no split")
    assert rows[0] == {**rows[2], "Line": "2"}  # the first notice did not convert anything


def test_the_book_conversions_sheet_gives_what_the_command_gives(tmp_path):
    wb = load_workbook(SHIPPED, data_only=True)
    ws = wb[L.CONVERSIONS]
    header = [c.value for c in ws[L.TABLE_HEADER_ROW]]
    sheet = [dict(zip(header, (c.value for c in row), strict=False))
             for row in ws.iter_rows(min_row=L.TABLE_HEADER_ROW + 1) if row[0].value is not None]
    assert len(sheet) >= 5
    text = "Notice Date,Amount,Note\n" + "".join(
        f"{r['Notice Date'].date()},{r['Amount']},{r['Note'] or ''}\n" for r in sheet)
    rows = priced(tmp_path, text)
    for book, cli_row in zip(sheet, rows, strict=True):
        for column in ("Conversion Price", "Shares", "Floor Payment", "Fixed Price", "Floor Price",
                       "Principal Converted"):
            assert float(cli_row[column]) == pytest.approx(book[column], abs=1e-9), (book["Notice Date"], column)
        assert cli_row["Capped"] == str(book["Capped"])


@pytest.mark.parametrize(("text", "message"), [
    ("Notice Date,Amount,Note\n2023-01-10,250000,Regstered\n",
     "notices.csv line 2: note 'Regstered': the deal has no such note; write one of: Registered, Private"),
    ("Notice Date,Amount\n2022-12-01,250000\n",
     "notices.csv line 2: notice date 2022-12-01: before the notes' issue on 2022-12-19"),
    ("Notice Date,Amount\n2023-01-03,1\n2023-01-10,25000000\n",
     "notices.csv line 3: amount $25,000,000.00 converts more than note Registered has outstanding on "
     "2023-01-10 ($12,500,000.00)"),
])
def test_a_row_that_cannot_be_priced_is_refused_naming_its_line(tmp_path, text, message):
    notices = tmp_path / "notices.csv"
    notices.write_text(text)
    r = invoke("price", "--vwaps", VWAPS, "--events", EVENTS, "--notices", str(notices))
    assert r.exit_code != 0
    assert message in " ".join(r.output.split())


def test_a_note_column_without_events_is_refused_not_ignored(tmp_path):
    notices = tmp_path / "notices.csv"
    notices.write_text("Notice Date,Amount,Note\n2023-01-10,250000,Private\n")
    r = invoke("price", "--vwaps", VWAPS, "--notices", str(notices))
    assert r.exit_code != 0
    assert "notices.csv line 1: a Note column names notes of the deal's state: give --events FILE" in \
        " ".join(r.output.split())


def test_the_terminal_table_fits_80_columns(tmp_path):
    notices = tmp_path / "notices.csv"
    notices.write_text("Notice Date,Amount,Note\n2023-03-14,600000,\n2023-10-02,,Private\n")
    r = invoke("price", "--vwaps", VWAPS, "--events", EVENTS, "--notices", str(notices))
    assert r.exit_code == 0, r.output
    assert max(len(line) for line in r.output.splitlines()) <= 80
    assert "$258,148.27" in r.output and "$655,560.00" in r.output  # what the cap let convert
    assert "16,389" in r.output


def test_a_quote_without_events_says_it_is_on_the_terms_as_issued(tmp_path):
    notices = tmp_path / "notices.csv"
    notices.write_text("Notice Date,Amount\n2023-03-28,400000\n")
    said = "Priced on the terms as issued: no split, amendment, reset or ownership cap applied; --events FILE " \
           "prices on the deal's state that day."
    for args in (("--notices", str(notices)), ("--notices", str(notices), "--out", str(tmp_path / "q.csv")),
                 ("--notice-date", "2023-03-28", "--amount", "400000")):
        r = invoke("price", "--vwaps", VWAPS, *args)
        assert r.exit_code == 0, r.output
        assert said in " ".join(r.output.split())
    r = invoke("price", "--vwaps", VWAPS, "--events", EVENTS, "--notices", str(notices))
    assert "terms as issued" not in r.output
