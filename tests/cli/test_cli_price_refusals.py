"""``price`` on the terms as issued (no --events): a notice whose look-back window runs past the
VWAP file is refused as such, before the split scan (which would ask for a Split event the file
cannot show); an amount above every note's face is refused, naming the largest note."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ascent_xl.cli import cli
from ascent_xl.samples import data_path

VWAPS = str(data_path("sample_vwaps.csv"))  # 2022-12-01 to 2024-06-28, the 1:200 split on 2023-09-12


def _error(*args: str) -> str:
    r = CliRunner().invoke(cli, ["price", "--vwaps", VWAPS, *args])
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.output
    return lines[0][len("error: "):]


def test_a_notice_after_the_vwaps_is_told_the_file_ends_not_asked_for_a_split():
    # the 10 XNAS sessions before 2024-07-10: 07-09, 07-08, 07-05, 07-03, 07-02, 07-01 (07-04 a
    # holiday), 06-28, 06-27, 06-26, 06-25; the first session after 06-28 is 07-01
    assert _error("--notice-date", "2024-07-10") == (
        "--notice-date 2024-07-10: its 10-day look-back window (2024-06-25 to 2024-07-09) runs past the last "
        "VWAP of sample_vwaps.csv, on 2024-06-28; add VWAPs up to 2024-07-09, or give a notice date up to 2024-07-01")


def test_the_first_session_after_the_vwaps_is_still_priced_there():
    # 2024-07-01's window ends on 06-28, the file's last day: no refusal of the data's end (the
    # split of 2023-09-12 is what stops it, as before)
    assert "a split would explain it" in _error("--notice-date", "2024-07-01")
    r = CliRunner().invoke(cli, ["price", "--vwaps", VWAPS, "--notice-date", "2024-07-01", "--no-split", "--json"])
    assert r.exit_code == 0, r.output


def test_a_file_of_notices_names_the_line_whose_window_runs_past_the_vwaps(tmp_path):
    notices = tmp_path / "n.csv"
    notices.write_text("Notice Date,Amount\n2023-01-10,100000\n2024-07-10,100000\n", encoding="utf-8")
    assert _error("--notices", str(notices)) == (
        "n.csv line 3: notice date 2024-07-10: its 10-day look-back window (2024-06-25 to 2024-07-09) runs past "
        "the last VWAP of sample_vwaps.csv, on 2024-06-28; add VWAPs up to 2024-07-09, or give a notice date up "
        "to 2024-07-01")


@pytest.mark.parametrize("amount", ["12500000.01", "20,000,000"])
def test_an_amount_above_every_notes_face_is_refused_on_the_terms_as_issued(amount):
    # ASTI_2022: Registered $12,500,000 and Private $2,500,000 as issued
    shown = "$12,500,000.01" if amount.endswith(".01") else "$20,000,000.00"
    assert _error("--notice-date", "2023-01-10", "--amount", amount) == (
        f"--amount {shown}: more than any note's face as issued (Registered: $12,500,000.00); give at most that, "
        "or --events FILE to price on the deal's state that day")


def test_the_largest_face_itself_is_priced():
    r = CliRunner().invoke(cli, ["price", "--vwaps", VWAPS, "--notice-date", "2023-01-10", "--amount", "12500000",
                                 "--json"])
    assert r.exit_code == 0, r.output
    assert '"amount": 12500000.0' in r.output


def test_a_file_of_notices_names_the_line_whose_amount_is_above_every_face(tmp_path):
    notices = tmp_path / "n.csv"
    notices.write_text("Notice Date,Amount\n2023-01-10,100000\n2023-01-11,20000000\n", encoding="utf-8")
    assert _error("--notices", str(notices)) == (
        "n.csv line 3: amount $20,000,000.00: more than any note's face as issued (Registered: $12,500,000.00); "
        "give at most that")
    assert _error("--notices", str(notices), "--amount", "13000000").startswith("--amount $13,000,000.00: more than")


def test_a_notice_before_the_issue_is_refused_on_the_terms_as_issued(tmp_path):
    # the notes were issued on 2022-12-19: a notice of 2022-12-15 priced 352 shares of nothing
    assert _error("--notice-date", "2022-12-15", "--amount", "1000") == (
        "--notice-date 2022-12-15: before the notes' issue on 2022-12-19; give a notice date on or after it")
    notices = tmp_path / "n.csv"
    notices.write_text("Notice Date,Amount\n2023-01-10,1000\n2022-12-16,1000\n", encoding="utf-8")
    assert _error("--notices", str(notices)) == (
        "n.csv line 3: notice date 2022-12-16: before the notes' issue on 2022-12-19; give a notice date on or "
        "after it")
    r = CliRunner().invoke(cli, ["price", "--vwaps", VWAPS, "--notice-date", "2022-12-19", "--amount", "1000"])
    assert r.exit_code == 0, r.output  # the issue day itself is priced
