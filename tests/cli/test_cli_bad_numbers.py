"""Huge, infinite and NaN inputs: one clear line naming the place and exit 2, never a
traceback (issue 11, "Tracebacks and non-answers")."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

_register()


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _one_error_line(r) -> str:
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert not any("Traceback" in ln for ln in lines), r.output
    return " ".join(r.output.split())


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("[conversion]\nalternate_price_days = inf\n",
         "conversion.alternate_price_days: inf is not a finite number"),
        ("[conversion]\nalternate_price_days = 100000000\n",
         "conversion.alternate_price_days: 100000000 trading days must be at most 1260"),
        ('[[notes]]\nname = "Registered"\nmaturity_months = 1000000\n',
         "notes.Registered.maturity_months: 1000000 months must be at most 600"),
        ('[conversion]\nfloor_price = "0,20"\n',
         "conversion.floor_price: '0,20' has an ambiguous comma: write 0.20"),
        ("[conversion]\nfloor_price = 1e-300\n",
         "conversion.floor_price: 1e-300 USD/share must be at least 1e-06"),
        ("[conversion]\nfloor_price = " + "[" * 5000 + "]" * 5000 + "\n",
         "nested more than 8 deep"),
    ],
)
def test_terms_out_of_range_exit_2(tmp_path, body, says):
    terms = tmp_path / "deal.toml"
    terms.write_text('base = "ASTI_2022"\n' + body, encoding="utf-8")
    r = run("price", "--vwaps", str(data_path(SAMPLE_VWAPS)), "--notice-date", "2023-03-28",
            "--terms", str(terms))
    assert says in _one_error_line(r)


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("2023-06-30,Cash Balance,,,nan", "Value 'nan'"),
        ("2023-06-30,Cash Balance,,,inf", "Value 'inf'"),
        ("2023-06-30,Cash Balance,,,1e400", "Value '1e400'"),
        ("2023-06-30,Share Reserve,,,1e400", "Value '1e400'"),
        ("2023-06-20,Dilutive Issue,,1e400,0.15", "Amount '1e400' is too large"),
        ("2023-06-20,Dilutive Issue,,1e300,0.15", "Amount '1e300' is more than 1e+13"),
        ("2023-09-12,Split,,,1e308:1", "split ratio '1e308:1': '1e308' is too large"),
        ("2023-09-12,Split,,,1:1e308", "split ratio '1:1e308': '1e308' is too large"),
        ("2023-09-12,Split,,,1e9:1", "split ratio '1e9:1': 1e+09 new shares per old is out of range"),
        ("2023-09-12,Split,,,1:1e9", "split ratio '1:1e9': 1e-09 new shares per old is out of range"),
        ("2023-03-29,Amendment,,,alternate_price_days = 100000000", "must be at most 1260"),
        ("2023-03-29,Amendment,,,floor_price = inf", "'inf' is not a finite number"),
    ],
)
def test_event_values_out_of_range_exit_2(tmp_path, row, says):
    text = data_path(SAMPLE_EVENTS).read_text(encoding="utf-8")
    events = tmp_path / "ev.csv"
    events.write_text(text.rstrip("\n") + "\n" + row + "\n", encoding="utf-8")
    n = len(events.read_text().splitlines())
    r = run("schedule", "--events", str(events), "--vwaps", str(data_path(SAMPLE_VWAPS)))
    out = _one_error_line(r)
    assert f"ev.csv line {n} " in out and says in out, out


def test_vwap_file_decimal_comma_exit_2_naming_the_line(tmp_path):
    vwaps = tmp_path / "v.csv"
    vwaps.write_text('Date,VWAP\n2023-03-27,"0,2612"\n', encoding="utf-8")
    r = run("price", "--vwaps", str(vwaps), "--notice-date", "2023-03-28")
    out = _one_error_line(r)
    assert "v.csv line 2 (2023-03-27): VWAP '0,2612' has an ambiguous comma: write 0.2612" in out


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ('2023-03-28,"4,2347"', "n.csv line 2: amount '4,2347' has an ambiguous comma"),
        ("2023-03-28,10%", "n.csv line 2: amount '10%' is a percent, but this is not a rate"),
        ("2023-03-28,1e300", "n.csv line 2: amount '1e300' is more than 1e+13"),
        ("2023-03-28xyz,100", "n.csv line 2: notice date '2023-03-28xyz' has 'xyz' after the date"),
        ("2023-03,100", "n.csv line 2: notice date '2023-03' has no day"),
    ],
)
def test_notices_file_read_strictly(tmp_path, row, says):
    notices = tmp_path / "n.csv"
    notices.write_text("Notice Date,Amount\n" + row + "\n", encoding="utf-8")
    r = run("price", "--vwaps", str(data_path(SAMPLE_VWAPS)), "--notices", str(notices))
    assert says in _one_error_line(r)


def test_notices_file_takes_a_serial_date(tmp_path):
    notices = tmp_path / "n.csv"
    notices.write_text("Notice Date,Amount\n45013,100000\n", encoding="utf-8")  # 2023-03-28
    r = run("price", "--vwaps", str(data_path(SAMPLE_VWAPS)), "--notices", str(notices))
    assert r.exit_code == 0 and "2023-03-28" in r.output, r.output
