"""The .xlsx exports as a finance user reads them (issue 15): each header over its values (right
over numbers, centred over TRUE/FALSE, left over text) and the Note column as wide as the
longest note name (the ledger's ``Registered-PIK1``)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ascent_xl.cli import _register, cli
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

_register()
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _headers(ws):
    return {ws.cell(row=1, column=j).value: ws.cell(row=1, column=j) for j in range(1, ws.max_column + 1)}


def test_the_schedule_export_heads_each_column_over_its_values(tmp_path):
    out = tmp_path / "sched.xlsx"
    r = CliRunner().invoke(cli, ["schedule", "--events", str(data_path(SAMPLE_EVENTS)), "--vwaps",
                                 str(data_path(SAMPLE_VWAPS)), "--out", str(out)], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    heads = _headers(wb["Schedule"])
    assert heads["Principal Before"].alignment.horizontal == "right"
    assert heads["Shares Issued"].alignment.horizontal == "right"
    assert heads["Note"].alignment.horizontal == "left"
    assert heads["Check"].alignment.horizontal == "center"
    note = heads["Note"].column_letter
    # the sample's PIK note is named by the ledger: Registered-PIK1, 15 characters and a margin
    assert wb["Schedule"].column_dimensions[note].width >= len("Registered-PIK1") + 2
    summary = _headers(wb["Summary"])
    assert summary["Principal Issued"].alignment.horizontal == "right"
    assert wb["Summary"].column_dimensions[summary["Note"].column_letter].width >= len("Registered-PIK1") + 2


def test_the_quotes_export_heads_each_column_over_its_values(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.csv").write_text("Notice Date,Amount\n2023-01-10,250000\n2023-03-28,400000\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["price", "--vwaps", str(data_path(SAMPLE_VWAPS)), "--notices", "n.csv",
                                 "--out", "q.xlsx"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    heads = _headers(load_workbook(tmp_path / "q.xlsx")["Conversions"])
    assert heads["Line"].alignment.horizontal == "right"  # the notices file's line numbers
    assert heads["Notice Date"].alignment.horizontal == "right"
    assert heads["Floor Payment"].alignment.horizontal == "right"
    assert heads["Floor Binds"].alignment.horizontal == "center"
