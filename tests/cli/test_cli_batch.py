"""``ascent-xl price --notices FILE.csv --out FILE.csv|xlsx``: many notices in one call."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.samples import SAMPLE_VWAPS, data_path

_register()
VWAPS = str(data_path(SAMPLE_VWAPS))


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "80"})


def test_notices_priced_to_csv_with_the_hand_checked_figures(tmp_path):
    notices = tmp_path / "notices.csv"
    notices.write_text("# my log\nNotice Date,Amount\n2023-03-28,100000\n2023-03-28,\n2023-01-03,\"$50,000\"\n")
    out = tmp_path / "quotes.csv"
    r = invoke("price", "--vwaps", VWAPS, "--notices", str(notices), "--amount", "200000", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert "priced 3 notices of notices.csv in one call (2 where the floor binds)" in r.output
    rows = list(csv.DictReader(out.open()))
    assert [r["Line"] for r in rows] == ["3", "4", "5"]  # the notices file's lines
    # floor binds on 2023-03-28: 100,000 / 0.29 = 344,827.6 -> 344,828 shares and $14,686.28 cash;
    # the blank amount takes --amount: 200,000 / 0.29 -> 689,656 shares, $29,372.56
    assert [(r["Amount"], r["Shares"], r["Floor Payment"], r["Floor Binds"]) for r in rows] == [
        ("100000.0", "344828", "14686.28", "True"),
        ("200000.0", "689656", "29372.56", "True"),
        ("50000.0", "21020", "0.0", "False"),  # 50,000 / 2.37876 = 21,019.4 -> 21,020
    ]


def test_notices_priced_to_xlsx(tmp_path):
    from openpyxl import load_workbook

    notices = tmp_path / "n.csv"
    notices.write_text("Date,Amount\n2023-03-28,100000\n")
    out = tmp_path / "q.xlsx"
    assert invoke("price", "--vwaps", VWAPS, "--notices", str(notices), "--out", str(out)).exit_code == 0
    ws = load_workbook(out)["Conversions"]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert row["Shares"] == 344_828 and row["Floor Payment"] == 14_686.28
    assert ws.cell(row=2, column=header.index("Conversion Price") + 1).number_format == '"$"#,##0.00000'


def test_notices_refused_with_the_files_line(tmp_path):
    notices = tmp_path / "n.csv"
    notices.write_text("Notice Date,Amount\n2023-03-28,100000\n2023-01-07,5\n")
    r = invoke("price", "--vwaps", VWAPS, "--notices", str(notices))
    assert r.exit_code == 2 and "n.csv line 3: 2023-01-07 is not a XNAS trading day" in r.output
    notices.write_text("Notice Date,Amount\n2023-03-28,-4\n")
    r = invoke("price", "--vwaps", VWAPS, "--notices", str(notices))
    assert r.exit_code == 2 and "n.csv line 2: amount '-4' is not a positive number" in r.output
    notices.write_text("Notice Date,Amount\n2022-12-05,100\n")  # before the notes' issue
    r = invoke("price", "--vwaps", VWAPS, "--notices", str(notices))
    assert r.exit_code == 2 and "n.csv line 2: notice date 2022-12-05: before the notes' issue on 2022-12-19" in r.output
    # the window reaches before the data: VWAPs from 2022-12-12, 5 sessions before the issue day
    lines = Path(VWAPS).read_text(encoding="utf-8").splitlines()
    late = tmp_path / "late.csv"
    late.write_text("\n".join([lines[0], *[x for x in lines[1:] if x[:10] >= "2022-12-12"]]) + "\n", encoding="utf-8")
    notices.write_text("Notice Date,Amount\n2022-12-19,100\n")
    r = invoke("price", "--vwaps", str(late), "--notices", str(notices))
    assert r.exit_code == 2 and "n.csv line 2: notice date 2022-12-19 needs 10 trading days" in r.output
    r = invoke("price", "--vwaps", VWAPS, "--notices", str(notices), "--out", str(tmp_path / "q.pdf"))
    assert r.exit_code == 2 and ".csv or .xlsx" in r.output
    r = invoke("price", "--vwaps", VWAPS)
    assert r.exit_code == 2 and "--notice-date DATE" in r.output


def test_a_deal_whose_alternate_applies_in_default_only_leaves_it_blank(tmp_path):
    """Canoo (fixed $2.30, the alternate only in default) on flat $2.00 VWAPs: priced on the terms
    as issued there is no default, so no alternate price (not the fixed price under its name)."""
    from tests.helpers.markets import sessions_before

    days = [d for d in sessions_before("2024-09-03", 80) if d >= "2024-06-03"]
    vwaps = tmp_path / "v.csv"
    vwaps.write_text("Date,VWAP\n" + "".join(f"{d},2.00\n" for d in days))
    notices = tmp_path / "n.csv"
    notices.write_text("Notice Date,Amount\n2024-08-28,1000000\n")
    out = tmp_path / "q.csv"
    r = invoke("price", "--terms", "canoo_2024_06_prepaid_advance", "--vwaps", str(vwaps), "--notices", str(notices),
               "--out", str(out))
    assert r.exit_code == 0, r.output
    (row,) = csv.DictReader(out.open())
    # 1,000,000 / 2.30 = 434,782.6 -> 434,783 (rounded up); 92.5% x $2.00 = $1.85 would be lower
    assert (row["Alternate Price"], row["Conversion Price"], row["Shares"]) == ("", "2.3", "434783")
