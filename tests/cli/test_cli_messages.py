"""One way to name a place in every message (issue 15): a file's errors start with the file's
name (``FILE line N: ...`` for a line), a book's with the book's name, and a refresh that
stops says the book was not changed."""

from __future__ import annotations

import re

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
    return tmp_path


CASES = [
    (["price", "--vwaps", "v.csv", "--notice", "2023-01-10"], r"v\.csv line 2 \(2023-01-03\): VWAP 'abc'"),
    (["price", "--vwaps", "missing.csv", "--notice", "2023-01-10"], r"missing\.csv: VWAP file not found; "),
    (["price", "--vwaps", "latin.csv", "--notice", "2023-01-10"], r"latin\.csv: the VWAP file is not UTF-8"),
    (["terms", "show", "--terms", "t.toml"], r"t\.toml: conversion\.floor_price: 'x' is not a number"),
    (["terms", "show", "--terms", "nope.toml"], r"nope\.toml: terms file not found; "),
    (["refresh", "bad.xlsx"], r"bad\.xlsx: not an Excel .*\(the book was not changed\)$"),
    (["value", "--volatility", "99", "--paths", "10"], r"volatility: 99 "),
]


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(a[:2]) for a, _ in CASES])
def test_each_message_starts_with_its_place(files, args, expected):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("error: ")
    assert re.match(expected, line[len("error: "):]), line


def test_old_option_names_still_work_hidden(files):
    help_text = CliRunner().invoke(cli, ["value", "--help"], env={"COLUMNS": "80"}).output
    for shown in ("--volatility", "--credit-spread", "--vwap-noise", "--daily-volume", "--as-of YYYY-MM-DD"):
        assert shown in help_text
    for hidden in ("--vol ", "--vol,", "--spread", "--noise", "--volume", "--valuation-date"):
        assert hidden not in help_text, hidden
    result = CliRunner().invoke(cli, ["value", "--vol", "99", "--paths", "10"])
    assert result.exit_code == 2 and "volatility: 99" in result.output
