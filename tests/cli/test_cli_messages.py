"""One way to name a place in every message (issue 15): a file's errors start with the file's
name (``FILE line N: ...`` for a line), a book's with the book's name, and a refresh that
stops says the book was not changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ascent_xl.cli import cli


@pytest.fixture()
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "v.csv").write_text("Date,VWAP\n2023-01-03,abc\n", encoding="utf-8")
    (tmp_path / "latin.csv").write_bytes("Date,VWAP\n2023-01-03,3\xe9\n".encode("latin-1"))
    (tmp_path / "t.toml").write_text('base = "ASTI_2022"\n[conversion]\nfloor_price = "x"\n', encoding="utf-8")
    (tmp_path / "bad.xlsx").write_text("not a zip", encoding="utf-8")
    # an unquoted 4,2347 splits into two cells: VWAP 4, Dollar Volume 2347 and one cell too many
    (tmp_path / "good.csv").write_text("Date,VWAP\n2023-01-03,2.00\n", encoding="utf-8")
    (tmp_path / "split.csv").write_text("Date,VWAP,Dollar Volume\n2023-01-03,4,2347,1000\n", encoding="utf-8")
    return tmp_path


CASES = [
    (["price", "--vwaps", "v.csv", "--notice-date", "2023-01-10"], r"v\.csv line 2 \(2023-01-03\): VWAP 'abc'"),
    (["price", "--vwaps", "missing.csv", "--notice-date", "2023-01-10"], r"missing\.csv: VWAP file not found; "),
    (["price", "--vwaps", "latin.csv", "--notice-date", "2023-01-10"], r"latin\.csv: the VWAP file is not UTF-8"),
    (["terms", "show", "--terms", "t.toml"], r"t\.toml: conversion\.floor_price: 'x' is not a number"),
    (["terms", "show", "--terms", "nope.toml"], r"nope\.toml: terms file not found; "),
    (["refresh", "bad.xlsx"], r"bad\.xlsx: not an Excel .*\(the book was not changed\)$"),
    # a book that is not there: the file's name first, as for every file (was click's "Invalid
    # value for 'BOOK': File 'missing.xlsx' does not exist." under a usage line)
    (["refresh", "missing.xlsx"], r"missing\.xlsx: book not found; check the path and the file name$"),
    (["template", "render", "missing.xlsx"], r"missing\.xlsx: book not found; check the path and the file name$"),
    (["refresh", "."], r"\.: a folder, not a book$"),
    (["value", "--volatility", "99", "--paths", "10"], r"volatility: 99 "),
    (["price", "--vwaps", "split.csv", "--notice-date", "2023-01-10"],
     r"split\.csv line 2: 4 values but the header names 3 columns \(Date,VWAP,Dollar Volume\); a comma splits a "
     r"cell in two \(4,2347 is two cells\): write 4\.2347 or 42347"),
    (["price", "--vwaps", "v.csv", "--notice-date", "2023-01-10", "--amount", "4,2347"],
     r"--amount '4,2347' has an ambiguous comma: write 4\.2347 for a decimal or 42347 for a whole number$"),
    (["price", "--vwaps", "v.csv", "--notice-date", "2023-01-1"], r"--notice-date '2023-01-1' is not a date; write it as YYYY-MM-DD"),
    (["position", "--vwaps", "v.csv", "--events", "e.csv", "--as-of", "2023-1-10"], r"--as-of '2023-1-10' is not a date; write it as YYYY-MM-DD"),
    (["value", "--chart", "c.jpg"], r"--chart c\.jpg: the file is written as FILE\.png; give a name ending in \.png$"),
    # 2023-01-07 a Saturday, 2023-01-16 Martin Luther King Jr. Day: the trading days around them named
    (["price", "--vwaps", "good.csv", "--notice-date", "2023-01-07"],
     r"--notice-date 2023-01-07: not a trading day \(the XNAS market was closed\); the nearest are 2023-01-06 and 2023-01-09$"),
    (["notice", "--vwaps", "good.csv", "--events", "good.csv", "--notice-date", "2023-01-16"],
     r"--notice-date 2023-01-16: not a trading day \(the XNAS market was closed\); the nearest are 2023-01-13 and 2023-01-17$"),
    (["value", "--paths", "0"], r"--paths 0: give a whole number from 1 to 10,000,000$"),
    (["value", "--volatility", "1,1", "--paths", "10"], r"--volatility '1,1' has an ambiguous comma: write 1\.1"),
]


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(a[:2]) for a, _ in CASES])
def test_each_message_starts_with_its_place(files, args, expected):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("error: ")
    assert re.match(expected, line[len("error: "):]), line
    if args[0] == "value":  # refused before any work: nothing printed before the message
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_amounts_take_the_readers_format(files):
    (files / "v.csv").write_text("Date,VWAP\n" + "".join(f"2023-01-{d:02d},2.00\n" for d in (3, 4, 5, 6, 9, 10, 11, 12,
                                                                                          13, 17, 18)), encoding="utf-8")
    terms = files / "t2.toml"
    terms.write_text('base = "ASTI_2022"\n[conversion]\nfixed_price = 3.00\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["price", "--vwaps", "v.csv", "--notice-date", "2023-01-18", "--amount", "$250,000",
                                   "--terms", str(terms), "--json"])
    assert out.exit_code == 0, out.output
    import json

    q = json.loads(out.output)
    # $250,000 at 92.5% of the lowest three of ten $2.00 VWAPs = $1.85: 135,136 shares (rounded up)
    assert q["amount"] == 250_000 and q["alternate_price"] == pytest.approx(1.85)
    assert q["shares"] == 135_136


def test_old_option_names_still_work_hidden(files):
    help_text = CliRunner().invoke(cli, ["value", "--help"], env={"COLUMNS": "80"}).output
    for shown in ("--volatility", "--credit-spread", "--vwap-noise", "--daily-volume", "--as-of YYYY-MM-DD"):
        assert shown in help_text
    for hidden in ("--vol ", "--vol,", "--spread", "--noise", "--volume", "--valuation-date"):
        assert hidden not in help_text, hidden
    result = CliRunner().invoke(cli, ["value", "--vol", "99", "--paths", "10"])
    assert result.exit_code == 2 and "volatility: 99" in result.output


def test_the_notice_date_has_one_name_and_the_old_ones_still_work_hidden(files):
    """``--notice-date`` on ``price`` and ``notice`` (the notices file's column ``Notice Date``);
    ``price --notice`` and ``notice --date``, the earlier spellings, work and are not shown."""
    for command, old in (("price", "--notice"), ("notice", "--date")):
        help_text = CliRunner().invoke(cli, [command, "--help"], env={"COLUMNS": "80"}).output
        assert "--notice-date YYYY-MM-DD" in help_text
        assert f"{old} " not in help_text and f"{old}," not in help_text, (command, help_text)
    # the old spellings reach the same check, which names the option by its one name
    for args in (["price", "--vwaps", "good.csv", "--notice", "2023-01-07"],
                 ["notice", "--vwaps", "good.csv", "--events", "good.csv", "--date", "2023-01-07"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: --notice-date 2023-01-07: not a trading day"), result.output
    result = CliRunner().invoke(cli, ["notice", "--vwaps", "good.csv", "--events", "good.csv"])
    assert result.exit_code == 2 and "Missing option '--notice-date'." in result.output, result.output


def test_a_note_the_deal_does_not_have_is_named_with_the_deals_notes(files):
    from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

    files_args = ["--events", str(data_path(SAMPLE_EVENTS)), "--vwaps", str(data_path(SAMPLE_VWAPS))]
    for command in ("notice", "price"):
        result = CliRunner().invoke(cli, [command, *files_args, "--notice-date", "2023-03-28", "--note", "Privat"])
        assert result.exit_code == 2, result.output
        # ASTI_2022 issues two notes, Registered and Private (the sample's two Issue rows)
        assert result.output == ("error: --note 'Privat': the deal has no such note; write one of: "
                                 "Registered, Private\n"), result.output
    # a name differing only in case is the note (Private's $2,500,000 outstanding: nothing converted yet)
    result = CliRunner().invoke(cli, ["notice", *files_args, "--notice-date", "2023-03-28", "--note", "private",
                                      "--amount", "1000"])
    assert result.exit_code == 0, result.output


def test_a_book_saved_by_someone_else_during_a_refresh_is_kept(files, monkeypatch):
    """Someone saves the book (in Excel, say) while ``ascent-xl refresh`` runs: the refresh
    refuses naming the book, writes nothing (no backup either) and the other's version stays."""
    import shutil

    import ascent_xl.excel.workbook_io as workbook_io
    book = files / "deal.xlsx"
    shutil.copyfile(Path(__file__).resolve().parents[2] / "workbooks" / "ascent_advance_notes.xlsx", book)
    others = book.read_bytes() + b"\0"  # their save: other bytes than the refresh read
    real = workbook_io.refresh_book

    def refresh_while_someone_saves(*args, **kwargs):
        result = real(*args, **kwargs)
        book.write_bytes(others)
        return result

    monkeypatch.setattr(workbook_io, "refresh_book", refresh_while_someone_saves)
    result = CliRunner().invoke(cli, ["refresh", str(book), "--full"])
    assert result.exit_code == 2, result.output
    assert result.output == ("error: deal.xlsx changed on disk while it was being written (saved in Excel?); "
                             "nothing was written and your edit is kept: run the command again\n"), result.output
    assert book.read_bytes() == others
    assert not (files / "deal.xlsx.bak").exists()
    assert sorted(p.name for p in files.iterdir() if p.name.startswith("deal")) == ["deal.xlsx"]


def test_a_valuation_date_past_the_vwaps_is_named_once(tmp_path):
    from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

    r = CliRunner().invoke(cli, ["value", "--as-of", "2030-01-02", "--events", str(data_path(SAMPLE_EVENTS)),
                                 "--vwaps", str(data_path(SAMPLE_VWAPS))])
    assert r.exit_code != 0
    assert "valuation date (the spot) 2030-01-02 is outside the data (2022-12-01 to 2024-06-28)" in r.output
    assert r.output.count("2030-01-02") == 1


def test_events_left_out_of_a_valuation_say_why_by_kind():
    # on 2023-09-11 the sample deal has ahead of it: the split of 09-12, cash balances and the
    # conversion of 10-02 (and planned prepayments, which are applied). A conversion is the
    # simulation's; a split or a cash balance is not known on the valuation date.
    from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

    r = CliRunner().invoke(cli, ["value", "--as-of", "2023-09-11", "--events", str(data_path(SAMPLE_EVENTS)),
                                 "--vwaps", str(data_path(SAMPLE_VWAPS)), "--paths", "100"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert ("6 planned events applied; 5 after 2023-09-11 left out (Conversion: the simulation decides those; "
            "Cash Balance, Split: not known on 2023-09-11, the deal is valued as it stands then).") in r.output
    # after the last maturity, one trading day is left (the warrants'): "1 trading day", not "days"
    r = CliRunner().invoke(cli, ["value", "--as-of", "2024-06-20", "--events", str(data_path(SAMPLE_EVENTS)),
                                 "--vwaps", str(data_path(SAMPLE_VWAPS)), "--paths", "100"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "Valuation date 2024-06-20, 1 trading day to 2024-06-21;" in r.output
