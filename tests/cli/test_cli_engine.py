"""The command line as a newcomer uses it: demo, price, terms, --help, errors."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli

_register()


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_demo_prints_the_supplements_figures():
    r = run("demo")
    assert r.exit_code == 0, r.output
    out = r.output
    assert max(len(line) for line in out.splitlines()) <= 80  # the runner's width
    assert "illustrative, not market data" in " ".join(out.split())
    assert "$3.93042" in out and "3,180,322" in out and "37,111,134" in out
    assert "$700,000.00" in out and "$10,550,000.00" in out and "$9,901,000.00" in out
    assert re.search(r"2023-03-28 .* yes .* \$29,372\.56", out), "a floor payment row"
    assert "$140,625.00" in out  # a full quarter of interest on the registered note


def test_price_command_prices_one_conversion(tmp_path):
    from ascent_xl.samples import data_path

    r = run("price", "--vwaps", str(data_path("sample_vwaps.csv")), "--notice-date", "2023-03-28", "--amount", "100000")
    assert r.exit_code == 0, r.output
    assert "$0.29000" in r.output and "344,828" in r.output and "$14,686.28" in r.output


def test_price_command_reports_bad_input_in_one_line(tmp_path):
    bad = tmp_path / "v.csv"
    bad.write_text("Date,VWAP\n2022-12-23,1.0\n2022-12-25,1.0\n")
    r = CliRunner().invoke(cli, ["price", "--vwaps", str(bad), "--notice-date", "2023-01-05"])
    assert r.exit_code == 2
    assert "error:" in r.output and "2022-12-25" in r.output and "Traceback" not in r.output


def test_terms_show_and_export(tmp_path):
    r = run("terms", "show")
    assert r.exit_code == 0 and "conversion.floor_price" in r.output and "USD/share" in r.output
    path = tmp_path / "deal.toml"
    assert run("terms", "export", str(path)).exit_code == 0
    assert "floor_price = 0.29" in path.read_text()
    r = run("terms", "show", "--terms", str(path))
    assert r.exit_code == 0


@pytest.mark.parametrize("command", [[], ["demo"], ["price"], ["terms"], ["terms", "show"], ["terms", "export"]])
def test_every_command_has_help(command):
    r = run(*command, "--help")
    assert r.exit_code == 0 and "Usage:" in r.output
