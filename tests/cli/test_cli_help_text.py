"""What --help and the commands tell a finance user: the events file's columns for every kind a
user types (one place: the schedule's help), counts read as every reader reads a number
(``--paths 20,000``), rates as the Valuation sheet shows them (``--rate 4.6%``), and a repeated
flag counted in good English."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.events import EventKind
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

_register()

VWAPS = str(data_path(SAMPLE_VWAPS))
EVENTS = str(data_path(SAMPLE_EVENTS))


def run(*args: str, code: int = 0) -> str:
    r = CliRunner().invoke(cli, list(args), env={"COLUMNS": "80"})
    assert r.exit_code == code, r.output
    return r.output


def test_schedule_help_gives_every_kind_a_user_types_with_its_columns() -> None:
    out = run("schedule", "--help")
    typed = [k.value for k in EventKind if not k.automatic]
    assert len(typed) == 17  # the 19 kinds less Interest and Maturity, which the ledger adds
    missing = [k for k in typed if k not in out]
    assert not missing, missing  # Termination Notice was left out
    assert "Termination Notice  - / - / - (the company ends the purchase agreement)" in out
    assert "Split               - / - / new:old (1:200), or none (the jump is real)" in out
    # its --events option points at the table above, not at `ascent-xl schedule --help` itself
    assert "(kinds: `ascent-xl schedule --help`)" not in out and "(the\n                 kinds above)" in out


def test_value_reads_counts_with_separators_and_rates_as_percentages() -> None:
    a = json.loads(run("value", "--paths", "2,000", "--volatility", "80%", "--rate", "4.6%", "--credit-spread",
                       "15%", "--vwap-noise", "3%", "--json"))
    b = json.loads(run("value", "--paths", "2000", "--volatility", "0.8", "--rate", "0.046", "--credit-spread",
                       "0.15", "--vwap-noise", "0.03", "--json"))
    assert a["inputs"]["paths"] == 2000
    assert (a["inputs"]["volatility"], a["inputs"]["rate"]) == (0.8, 0.046)
    assert a["instruments"] == b["instruments"]  # the same valuation, bit for bit


@pytest.mark.parametrize(("args", "message"), [
    (["--paths", "2.5"], "--paths 2.5: give a whole number from 1 to 10,000,000"),
    (["--seed", "-1"], "--seed -1: give a whole number from 0 to 9,223,372,036,854,775,807"),
    (["--workers", "0"], "--workers 0: give a whole number from 1 to 256"),  # was all the cores, silently
])
def test_value_refuses_a_count_out_of_range_naming_the_option(args: list[str], message: str) -> None:
    assert run("value", *args, code=2).strip() == f"error: {message}"


def test_value_help_shows_counts_as_n_and_rates_in_percent() -> None:
    out = " ".join(run("value", "--help").split())
    assert "--paths N" in out and "[default: 20,000]" in out and "--seed N" in out and "--workers N" in out
    assert "0.046 or 4.6% [default: the demo's 4.6%]" in out
    assert "[default: the demo's 110%]" in out


def test_a_flag_raised_again_is_counted_in_good_english() -> None:
    out = re.sub(r"[│\s]+", " ", run("schedule", "--events", EVENTS, "--vwaps", VWAPS))  # the table's cells joined
    # the sample's default is noticed on both notes (2 rows), the cash minimum missed on 5
    assert "(no election yet) (and 1 more row)" in out
    assert "minimum (and 4 more rows)" in out
    assert "later rows" not in out


NAMES = "ASTI_2022, bbby_2023_series_a, canoo_2024_06_prepaid_advance, canoo_2024_07_prepaid_advance"


@pytest.mark.parametrize("command", [["terms", "show"], ["price", "--vwaps", VWAPS, "--notice-date", "2023-01-10"]])
def test_a_terms_name_that_is_no_file_nor_deal_lists_the_deals_there_are(command: list[str]) -> None:
    assert run(*command, "--terms", "canoo", code=2).strip() == (
        "error: --terms canoo: no such terms file, nor a deal of that name; give a .toml or .json file, "
        f"or one of: {NAMES}")


def test_the_preset_and_a_shipped_deal_are_terms_by_name(tmp_path) -> None:
    assert run("terms", "show", "--terms", "ASTI_2022").startswith("Ascent Solar advance notes, December 2022: ")
    assert run("terms", "show", "--terms", "bbby_2023_series_a").startswith("Bed Bath & Beyond Series A")
    book = tmp_path / "b.xlsx"
    assert run("new", str(book), "--terms", "canoo", code=2).strip().endswith(NAMES)
    assert not book.exists()
    assert run("new", str(book), "--terms", "ASTI_2022").startswith(f"wrote {book}")


def test_terms_help_says_a_deals_name_works() -> None:
    for command in (["terms", "show"], ["new"], ["value"]):
        assert "or a shipped deal's name" in " ".join(run(*command, "--help").split())


def test_template_build_help_says_what_it_builds_keeps_and_where_a_users_deal_goes() -> None:
    out = run("template", "build", "--help")
    assert "from code" not in out  # the developer's view; the book's contents instead
    assert "the ASTI_2022 terms with the bundled sample VWAPs and events" in " ".join(out.split())
    assert "kept beside it as NAME.bak" in " ".join(out.split())
    assert "\n    ascent-xl new DEAL.xlsm --terms FILE --vwaps FILE --events FILE\n" in out  # whole, to copy
    assert "Build the deal-book template (.xlsm and .xlsx)." in run("template", "--help")
