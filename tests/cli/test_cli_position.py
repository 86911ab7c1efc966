"""`ascent-xl position` and `ascent-xl price --events`: the deal's state on a date, end to end on
the bundled sample deal (the issue's $50,000 case on 2023-09-15, three days after the 1-for-200
reverse split)."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

_register()
V, E = str(data_path(SAMPLE_VWAPS)), str(data_path(SAMPLE_EVENTS))


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def vwaps():
    with open(data_path(SAMPLE_VWAPS)) as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))[1:]
    return {r[0]: float(r[1]) for r in rows}


def test_the_50000_case_without_events_is_refused_naming_the_split_days():
    r = run("price", "--vwaps", V, "--notice-date", "2023-09-15", "--amount", "50000")
    assert r.exit_code == 2
    assert "2023-09-11" in r.output and "2023-09-12" in r.output and "a split would explain it" in r.output
    assert "--events" in r.output and "--no-split" in r.output and "8,065,646" not in r.output
    assert len(r.output.strip().splitlines()) == 1  # one line, no traceback
    # the way out is said once, in the command's words
    assert r.output.strip().endswith("a split would explain it. Give the Split event of 2023-09-12, or --no-split "
                                     "if the move is real (the Split event goes in --events FILE)")
    assert "say there was no split" not in r.output


def test_the_50000_case_on_events_without_the_split_names_the_events_way_out(tmp_path):
    events = tmp_path / "events.csv"
    with open(E) as fh:
        events.write_text("".join(line for line in fh if ",Split," not in line))
    r = run("price", "--vwaps", V, "--notice-date", "2023-09-15", "--amount", "50000", "--events", str(events))
    assert r.exit_code == 2
    assert r.output.strip().endswith("a split would explain it. Give the Split event of 2023-09-12, or a Split "
                                     "row of that day with Value none if the move is real")
    assert "say there was no split" not in r.output


def test_the_50000_case_with_events_prices_at_the_post_split_floor(vwaps):
    r = run("price", "--vwaps", V, "--notice-date", "2023-09-15", "--amount", "50000", "--events", E, "--json")
    assert r.exit_code == 0, r.output
    q = json.loads(r.output)
    # the ten sessions before 2023-09-15: 2023-09-01 .. 2023-09-14; those before the split
    # (2023-09-12) restated x 200; 92.5% of the three lowest
    days = sorted(d for d in vwaps if d < "2023-09-15")[-10:]
    restated = [vwaps[d] * (200 if d < "2023-09-12" else 1) for d in days]
    alt = 0.925 * sum(sorted(restated)[:3]) / 3
    assert q["alternate_price"] == pytest.approx(alt, rel=1e-12)
    # the floor amended to 0.20 on 2023-03-29, x 200 at the split: $40; fixed 0.15 ratchet x 200
    assert q["floor_price"] == pytest.approx(40.0) and q["fixed_price"] == pytest.approx(30.0)
    assert q["conversion_price"] == pytest.approx(40.0) and q["floor_binds"] is True
    assert q["shares"] == 50_000 / 40 == 1_250
    pay = (50_000 / alt - 50_000 / 40) * vwaps["2023-09-15"]
    assert q["floor_payment"] == round(pay, 2) == 38_605.21
    assert q["floor_payment"] < 50_000  # before: $8,065,646.33 on the unrestated window


def test_price_no_split_prices_across_the_jump_when_told():
    r = run("price", "--vwaps", V, "--notice-date", "2023-09-15", "--amount", "50000", "--no-split", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["floor_payment"] == 8_065_646.33  # what the user asked for: no split


def test_position_json_has_the_notes_and_the_total():
    r = run("position", "--vwaps", V, "--events", E, "--as-of", "2023-10-13", "--json")
    assert r.exit_code == 0, r.output
    p = json.loads(r.output)
    need = {"note", "outstanding_principal", "accrued_interest", "fixed_price", "floor_price", "conversion_price"}
    assert all(need <= set(n) for n in p["notes"])
    reg = next(n for n in p["notes"] if n["note"] == "Registered")
    assert reg["outstanding_principal"] == 3_703_788 and reg["accrued_interest"] == 6_031.16
    assert p["total"]["outstanding_principal"] == 3_703_788 + 2_528_125 + 129_097.50
    assert p["total"]["shares_issued_restated"] == 25_519
    assert p["total"]["shares_issued"] == [
        {"basis": "before the 2023-09-12 split", "shares": 4_853_767}, {"basis": "current", "shares": 1_250}]


def test_position_prints_at_80_columns():
    r = run("position", "--vwaps", V, "--events", E, "--as-of", "2023-04-03")
    assert r.exit_code == 0, r.output
    assert max(len(line) for line in r.output.splitlines()) <= 80
    assert "$9,753,788.00" in r.output and "$3,657.67" in r.output and "4,853,767" in r.output


def test_position_on_a_bad_date_is_one_line():
    r = run("position", "--vwaps", V, "--events", E, "--as-of", "2023-13-01")
    assert r.exit_code == 2 and "2023-13-01" in r.output


def test_two_holders_each_under_its_own_cap(tmp_path):
    """The Private note's holder is InvestorB (cut to 4%); Investor gives notice of a 9.99% cap.
    The total line says the holders' shares together and the sum of their headrooms; a line per
    holder gives each its own shares, cap, pending raise and headroom."""
    terms = tmp_path / "t.toml"
    terms.write_text('base = "ASTI_2022"\n[notes.Private]\nholder = "InvestorB"\n')
    events = tmp_path / "e.csv"
    events.write_text(open(E).read() + "2023-01-11,Amendment,InvestorB,,ownership_cap = 0.04\n"
                      "2023-01-13,Amendment,Investor,,ownership_cap = 0.0999\n")
    r = CliRunner().invoke(cli, ["position", "--terms", str(terms), "--events", str(events), "--vwaps", V,
                                 "--as-of", "2023-02-01"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    # 34,235,981 outstanding; Investor holds 55,169: floor((4.99% x 34,235,981 - 55,169) / 95.01%)
    # = floor(1,653,206.45 / 0.9501) = 1,740,034; InvestorB none: floor(4% x 34,235,981 / 96%)
    # = floor(1,426,499.2) = 1,426,499; together 3,166,533
    assert ("Shares outstanding 34,235,981; the holders together 55,169 (0.16%), each under its own cap: "
            "headroom 3,166,533 shares") in out
    # the Registered note's 61 days' notice: 2023-01-13 + 61 days = 2023-03-15
    assert ("Investor: 55,169 shares (0.16%); cap 4.99%, raised to 9.99% from 2023-03-15: "
            "headroom 1,740,034 shares.") in out
    assert "InvestorB: 0 shares (0.00%); cap 4.00%: headroom 1,426,499 shares." in out
    one = CliRunner().invoke(cli, ["position", "--events", E, "--vwaps", V, "--as-of", "2023-02-01"],
                             env={"COLUMNS": "200"})
    assert "holders together" not in one.output and "cap 4.99%: headroom" in one.output  # one holder: one line


def test_a_position_before_the_issue_is_refused():
    r = CliRunner().invoke(cli, ["position", "--events", str(data_path(SAMPLE_EVENTS)), "--vwaps",
                                 str(data_path(SAMPLE_VWAPS)), "--as-of", "2022-12-18"], env={"COLUMNS": "200"})
    assert r.exit_code != 0
    assert "as of 2022-12-18: before the notes' issue on 2022-12-19, nothing is issued yet; give that date" in r.output
    assert "warrants" not in r.output
