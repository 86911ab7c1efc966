"""The valuation's interfaces: the ``value`` command, the spreadsheet function's body, planned
events, result tables, and errors that name what to fix."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import json
import re

import pytest
from click.testing import CliRunner

import ascent_xl.cli.valuation_cmds  # noqa: F401  (registers `value`)
from ascent_xl.cli import cli
from ascent_xl.errors import InputError, TermsError
from ascent_xl.events import parse_events
from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import Behaviour, prepare_valuation, run_valuation, value_deal
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL


def test_value_command_prints_the_results_and_writes_the_chart(tmp_path):
    chart = tmp_path / "dilution.png"
    r = CliRunner().invoke(cli, ["value", "--paths", "3000", "--seed", "2", "--chart", str(chart)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    for text in ("Registered", "Private", "Warrants", "Total", "P95", "floor binds", "Total cash",
                 "3,000 paths, seed 2"):
        assert text in r.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_value_command_takes_planned_events_and_a_progress_bar(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("Date,Event,Note,Amount,Value\n"
                      "2023-02-01,Prepayment,Registered,500000,1.05\n"
                      "2023-06-01,Default,,,redeem\n")
    r = CliRunner().invoke(cli, ["value", "--paths", "2000", "--events", str(events),
                                 "--progress", "--vol", "0.5", "--volume", "30000"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert re.search(r"Mandatory default amount\s*│\s*\$[1-9]", r.output), r.output
    assert re.search(r"Prepayments\s*│\s*\$[1-9]", r.output)
    assert "wrote" not in r.output


def test_value_command_reports_bad_input_in_one_line(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("Date,Event,Note,Amount,Value\n2023-02-01,Interest Election,,,maybe\n")
    r = CliRunner().invoke(cli, ["value", "--paths", "1000", "--events", str(events)])
    assert r.exit_code == 2
    assert "events.csv line 2" in r.output and "write cash, pik" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(cli, ["value", "--paths", "1000", "--vol", "-1"])
    assert r.exit_code == 2 and "volatility" in r.output
    for option, value in (("--spot", "inf"), ("--spot", "1e400"), ("--vol", "nan"), ("--volume", "1e300"),
                          ("--spot", "-inf")):
        r = CliRunner().invoke(cli, ["value", "--paths", "100", option, value])
        assert r.exit_code == 2, (option, value, r.output)
        assert r.output.startswith("error: ") and option.strip("-") in r.output.replace("daily_volume", "volume")
        assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)


def test_value_command_has_help():
    r = CliRunner().invoke(cli, ["value", "--help"])
    assert r.exit_code == 0 and "--paths" in r.output and "--events" in r.output


def test_value_command_takes_history_and_spot_from_a_vwap_file():
    from ascent_xl.samples import SAMPLE_EVENTS, data_path

    vwaps, events = str(data_path("sample_vwaps.csv")), str(data_path(SAMPLE_EVENTS))
    r = CliRunner().invoke(cli, ["value", "--paths", "1000", "--vwaps", vwaps, "--events", events,
                                 "--as-of", "2023-01-03"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "Valuation date 2023-01-03" in r.output and "taken as the spot" not in r.output
    r = CliRunner().invoke(cli, ["value", "--paths", "1000", "--vwaps", vwaps, "--events", events,
                                 "--as-of", "2023-01-03", "--json"], catch_exceptions=False)
    data = json.loads(r.output)
    # the sample's VWAP of 2023-01-03 is 2.4914
    assert data["inputs"]["spot"] == 2.4914
    assert data["input_sources"]["spot"] == "VWAP of 2023-01-03 (sample_vwaps.csv)"


def test_a_later_valuation_date_without_the_events_is_refused():
    from ascent_xl.samples import data_path

    r = CliRunner().invoke(cli, ["value", "--paths", "1000", "--vwaps", str(data_path("sample_vwaps.csv")),
                                 "--as-of", "2023-01-03"])
    assert r.exit_code == 2
    assert "give --events FILE" in r.output and "Traceback" not in r.output


def test_planned_events_become_behaviour():
    events = parse_events([
        {"Date": "2023-02-01", "Event": "Prepayment", "Note": "registered", "Amount": 500000, "Value": 1.05},
        {"Date": "2023-03-01", "Event": "Optional Prepay"},
        {"Date": "2023-04-03", "Event": "Default", "Value": "reset"},
        {"Date": "2023-03-31", "Event": "Interest Election", "Note": "Private", "Value": "pik"},
    ])
    b = Behaviour().with_events(events, terms=ASTI_2022)
    assert [p.premium for p in b.prepayments] == [1.05, ASTI_2022.redemption.optional_prepayment_premium]
    assert b.prepayments[0].note == "Registered" and b.prepayments[1].amount is None
    assert b.default_date == dt.date(2023, 4, 3) and b.default_election == "reset"
    assert b.interest_elections[0].method == "pik"
    setup = prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=b)
    private = setup.contract.notes[1]
    assert {rule for day, rule in private.interest_days.items()
            if setup.grid.dates[day] >= dt.date(2023, 3, 31)} == {"pik"}


@pytest.mark.parametrize("row, problem", [
    ({"Date": "2023-02-01", "Event": "Conversion", "Note": "Registered", "Amount": 1000}, "belongs to the ledger"),
    ({"Date": "2023-02-01", "Event": "Default", "Value": "demand"}, "Value 'demand': the valuation takes redeem, reset"),
    ({"Date": "2023-02-01", "Event": "Prepayment", "Note": "Nope"}, "no note named"),
])
def test_unusable_events_are_refused_naming_the_row(row, problem):
    with pytest.raises(InputError, match=problem) as info:
        Behaviour().with_events(parse_events([row]), terms=ASTI_2022)
    assert "row 1" in str(info.value)


def test_dates_outside_the_valuation_are_refused_naming_the_term():
    with pytest.raises(TermsError, match="default_date"):
        prepare_valuation(ASTI_2022, model=DEMO_MODEL, behaviour=Behaviour(default_date=dt.date(2025, 1, 2)))
    with pytest.raises(InputError, match="give the deal's events up to that date"):
        prepare_valuation(ASTI_2022, model=DEMO_MODEL.replace(valuation_date=dt.date(2022, 12, 24)))
    with pytest.raises(InputError, match="vwap_paths"):
        setup = prepare_valuation(ASTI_2022, model=DEMO_MODEL)
        run_valuation(setup, vwap_paths=[1.0, 2.0])
    with pytest.raises(InputError, match="either paths"):
        run_valuation(setup, paths=10, vwap_paths=[[1.0] * setup.grid.days])
    with pytest.raises(TermsError, match="history"):
        prepare_valuation(ASTI_2022, model=DEMO_MODEL.replace(history=(2.0, 2.1)))


def test_result_tables_are_plain_rows_for_a_worksheet():
    r = value_deal(ASTI_2022, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR, paths=2000, seed=1)
    tables = r.tables()
    assert list(tables) == ["Inputs", "Fair value", "Shares issued", "Floor payments", "Expected cash", "Run"]
    for rows in tables.values():
        assert all(isinstance(row, list) for row in rows)
        assert all(cell is None or isinstance(cell, (str, float, int, bool, dt.date)) for row in rows for cell in row)
    values = {row[0]: row for row in tables["Fair value"][1:]}
    assert values["Registered"][1] == r.note("Registered").value
    assert values["Total"][2] == r.total.std_error
    assert r.estimate("warrants") == r.warrants


@pytest.mark.parametrize("name", [
    "ascent_xl.valuation.model", "ascent_xl.valuation.warrants", "ascent_xl.valuation.behaviour",
    "ascent_xl.valuation.run", "ascent_xl.valuation.start",
])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_value_command_takes_the_ledgers_events_file_as_it_is():
    from ascent_xl.samples import SAMPLE_EVENTS, data_path

    r = CliRunner().invoke(cli, ["value", "--paths", "1000", "--events", str(data_path(SAMPLE_EVENTS))],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    # nine scheduled prepayments and two interest elections; the default notice was waived; the
    # three events of the issue date are in the deal's state
    assert "11 planned events applied; 26 after 2022-12-19 left out" in r.output
