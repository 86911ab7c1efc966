"""``ascent-xl notice``: the conversion notice on the deal's state of the notice date."""

from __future__ import annotations

import math
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

_register()
ARGS = ["notice", "--events", str(data_path(SAMPLE_EVENTS)), "--vwaps", str(data_path(SAMPLE_VWAPS))]


def invoke(*args: str):
    return CliRunner().invoke(cli, [*ARGS, *args], env={"COLUMNS": "80"})


def test_a_notice_where_the_floor_binds_shows_the_calculation_by_hand(tmp_path):
    pdf = tmp_path / "notice.pdf"
    r = invoke("--notice-date", "2023-03-28", "--amount", "400000", "--out", str(pdf))
    assert r.exit_code == 0, r.output
    out = r.output
    assert max(len(line) for line in out.splitlines() if not line.startswith("wrote ")) <= 80
    # the 10 VWAPs before 2023-03-28; the 3 lowest are 0.28850, 0.26460, 0.27000
    assert out.count("  *") == 3
    lowest = (0.28850 + 0.26460 + 0.27000) / 3  # 0.274367
    alternate = 0.925 * lowest  # 0.253789
    assert f"${lowest:.5f} x 92.5% = ${alternate:.5f}" in out  # $0.27437 x 92.5% = $0.25379
    assert "$0.29000  (the floor binds)" in out
    assert "= 1,379,311 (rounded up)" in out  # 400,000 / 0.29 = 1,379,310.3, up
    payment = round((400_000 / alternate - 400_000 / 0.29) * 0.29850, 2)
    assert f"= ${payment:,.2f}" in out and payment == 58_745.12  # the ledger's row for this day
    assert "Within the cap" in out
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_a_notice_above_the_cap_converts_only_what_the_cap_allows():
    r = invoke("--notice-date", "2023-03-14", "--amount", "600000")
    assert r.exit_code == 0, r.output
    # the sample deal's own capped conversion: $258,148.27 converts, the rest stays as principal
    assert "CAPPED: $258,148.27 converts; $341,851.73 stays as principal." in r.output
    assert math.isclose(258_148.27 + 341_851.73, 600_000)


def test_a_notice_refuses_a_closed_day_and_a_file_it_does_not_write(tmp_path):
    r = invoke("--notice-date", "2023-01-07", "--amount", "1000")
    assert r.exit_code == 2 and "2023-01-07" in r.output and "trading day" in r.output
    r = invoke("--notice-date", "2023-03-28", "--out", str(tmp_path / "n.png"))
    assert r.exit_code == 2 and "FILE.pdf" in r.output and not (tmp_path / "n.png").exists()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_the_notice_pdf_renders_to_one_page(tmp_path):
    pdf = tmp_path / "notice.pdf"
    assert invoke("--notice-date", "2023-03-28", "--amount", "400000", "--out", str(pdf)).exit_code == 0
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    assert [p.name for p in tmp_path.glob("page*.png")] == ["page-1.png"]
