"""Every command's output at 80 columns: no line wider, no cell cut, every figure whole."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path

_register()

MONEY = re.compile(r"\$\d[\d,]*(?:\.\d+)?")
NUMBER = re.compile(r"(?<![\w.$-])\d{1,3}(?:,\d{3})+(?![\d,])")  # a count with separators


def run(*args: str, columns: int = 80) -> str:
    r = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(columns)}, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def tokens(pattern: re.Pattern[str], text: str) -> set[str]:
    return {m.rstrip(".,") for m in pattern.findall(text)}


VWAPS = str(data_path(SAMPLE_VWAPS))
EVENTS = str(data_path(SAMPLE_EVENTS))
COMMANDS = [
    ["demo"],
    ["schedule", "--events", EVENTS, "--vwaps", VWAPS],
    ["terms", "show"],
    ["price", "--vwaps", VWAPS, "--notice-date", "2023-03-28", "--amount", "100000"],
    ["value", "--paths", "1000"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_the_output_fits_80_columns_and_cuts_nothing(command: list[str]) -> None:
    narrow = run(*command)
    wide = run(*command, "--wide")
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert "…" not in narrow and "..." not in narrow.replace("... ", "")
    # every money figure and count printed at 80 columns is one printed at full width: none cut
    assert tokens(MONEY, narrow) <= tokens(MONEY, wide)
    assert tokens(NUMBER, narrow) <= tokens(NUMBER, wide) | tokens(MONEY, wide) | {
        t.lstrip("$") for t in tokens(MONEY, wide)}
    assert len(tokens(MONEY, narrow)) >= 0.6 * len(tokens(MONEY, wide))


def test_demo_at_80_columns_keeps_the_supplements_figures_and_says_what_is_left_out() -> None:
    out = run("demo")
    flat = " ".join(out.split())
    for figure in ("$3.93042", "3,180,322", "37,111,134", "$700,000.00", "$9,901,000.00",
                   "$118,233.06", "$140,625.00"):
        assert figure in out
    # 1,000,000 x 0.0499: the floor payment on 2023-03-28: 200,000 / 0.25379 ... shown whole
    assert re.search(r"2023-03-28 .* yes .* \$29,372\.56", out)
    assert "Not shown at 80 columns:" in flat and "--wide" in flat


def test_schedule_rows_say_what_they_did() -> None:
    raw = run("schedule", "--events", EVENTS, "--vwaps", VWAPS)
    out = " ".join(raw.split())
    assert re.search(r"2023-09-12 +Split +split 1:200", raw)  # the split's ratio
    assert re.search(r"2023-03-29 +Amendment +conversion.floor_price: 0.29 -> 0.2", raw)  # the term
    assert re.search(r"2023-03-15 +Interest Election +election pik: interest paid in kind", raw)  # the election
    assert "Deal principal: all notes' principal outstanding" in out
    assert "--out FILE.xlsx has every column" in out


def test_tiny_money_keeps_its_cents() -> None:
    from ascent_xl.cli.render import usd, usd0

    assert usd0(2.13) == "$2.13" and usd0(1_234.4) == "$1,234" and usd0(0.0) == ""
    assert usd(7.456, 0) == "$7.46" and usd(0.0, 0) == "$0" and usd(12_500_000, 0) == "$12,500,000"


def test_terms_show_names_every_term_whole_at_80_columns() -> None:
    out = run("terms", "show")
    starts = {line.split(" = ")[0] for line in out.splitlines() if " = " in line}
    assert set(ASTI_2022.flat()) <= starts
    assert "redemption.optional_prepayment_notice_trading_days = 20  (trading days)" in out


def test_terms_show_gives_each_terms_label_and_meaning_at_80_columns() -> None:
    lines = run("terms", "show").splitlines()
    at = lines.index("notes.Registered.stated_value = 0.0  (USD)")
    # the label, then the meaning wrapped at a word inside the same indent
    assert [line.rstrip() for line in lines[at + 1: at + 4]] == [
        "    Registered note: stated value a share (0: a note)",
        "    stated value of one share of a convertible preferred (0: a note); face is a",
        "    whole number of them and conversions convert whole shares"]
    # a meaning that says no more than its label is not repeated
    at = lines.index("name = Ascent Solar advance notes, December 2022")
    assert lines[at + 1].rstrip() == "    Deal: name of the deal" and " = " in lines[at + 2]


@pytest.mark.parametrize("command", [[], ["demo"], ["price"], ["schedule"], ["value"], ["terms", "show"],
                                     ["terms", "export"], ["template"], ["template", "build"],
                                     ["template", "render"], ["refresh"], ["new"], ["notice"], ["position"]])
def test_help_fits_80_columns_and_points_at_no_source_file(command: list[str]) -> None:
    out = run(*command, "--help")
    assert max(len(line) for line in out.splitlines()) <= 80
    assert ".py" not in out and "ascent_xl/" not in out
    # no name broken at its hyphen (libreoffice-calc-nogui, a package to type, once was)
    assert not [line for line in out.splitlines() if re.search(r"[A-Za-z]-$", line)], out
    assert "INTEGER RANGE" not in out  # --dpi N, its range in the default
    assert "INTEGER" not in out  # a count reads N (--paths N, --seed N, --workers N)
    assert "README" not in out  # an installed copy has no README: the help says it itself


def test_template_render_help_names_the_packages_whole() -> None:
    out = run("template", "render", "--help")
    assert "apt-get install libreoffice-calc-nogui poppler-utils" in out
    assert "--dpi N" in out


def test_progress_counts_have_thousands_separators() -> None:
    from rich.progress import Progress

    from ascent_xl.cli.render import CountColumn

    with Progress(CountColumn("paths"), disable=True) as bar:
        task = bar.add_task("x", total=100_000, completed=12_288)
        assert CountColumn("paths").render(bar.tasks[task]).plain == "12,288 / 100,000 paths"


def test_schedule_refuses_an_out_file_it_cannot_write_before_any_work(tmp_path) -> None:
    r = CliRunner().invoke(cli, ["schedule", "--events", EVENTS, "--vwaps", VWAPS, "--out", str(tmp_path / "s.pdf")])
    assert r.exit_code == 2
    assert "Schedule" not in r.output  # nothing printed before the refusal
    assert "--out" in r.output and "s.pdf" in r.output and ".csv or .xlsx" in r.output
    assert not (tmp_path / "s.pdf").exists()


def test_terms_export_refuses_a_format_it_does_not_write_and_an_existing_file(tmp_path) -> None:
    r = CliRunner().invoke(cli, ["terms", "export", str(tmp_path / "t.yaml")])
    assert r.exit_code == 2 and ".toml or .json" in r.output and not (tmp_path / "t.yaml").exists()
    edited = tmp_path / "deal.toml"
    edited.write_text('base = "ASTI_2022"\n[conversion]\nfloor_price = 0.20\n')
    r = CliRunner().invoke(cli, ["terms", "export", str(edited)])
    assert r.exit_code == 2 and "--force" in r.output
    assert edited.read_text().endswith("floor_price = 0.20\n")  # the user's edits kept
    r = CliRunner().invoke(cli, ["terms", "export", str(edited), "--force"])
    assert r.exit_code == 0 and "floor_price = 0.29" in edited.read_text()
    assert (tmp_path / "deal.toml.bak").read_text().endswith("floor_price = 0.20\n")


def test_indented_prose_keeps_its_indent_when_it_wraps() -> None:
    """rich starts a wrapped line at column 0; an indented paragraph (the demo's share count,
    the cap legend, the dilution line) wraps under its own first line instead."""
    from io import StringIO

    from rich.console import Console

    from ascent_xl.cli.render import _Console

    buf = StringIO()
    _Console(file=buf, width=30, highlight=False).print("    one two three four five six seven eight nine ten\n"
                                                        "no indent here, wrapped as rich does it always")
    # 30 columns less the indent of 4: 26 for the words ("one two three four five" is 23, "... six" 27)
    assert [line.rstrip() for line in buf.getvalue().splitlines()] == [
        "    one two three four five", "    six seven eight nine ten", "no indent here, wrapped as",
        "rich does it always"]
    assert isinstance(_Console(), Console)
    position = ["position", "--vwaps", VWAPS, "--events", EVENTS, "--as-of", "2023-06-30"]
    notice = ["notice", "--vwaps", VWAPS, "--events", EVENTS, "--notice-date", "2023-03-28"]
    for command in [*COMMANDS, position, notice]:
        lines = run(*command).splitlines()
        for above, line in zip(lines, lines[1:], strict=False):
            # a wrapped indented line (long, ends mid-sentence) is never followed by one at column 0
            if re.match(r"  \S", above) and len(above) > 70 and not above.rstrip().endswith((".", ":")):
                assert line.startswith("  ") or not line.strip(), (command[0], above, line)
    out = run("demo")
    assert "  Registered note $12,500,000 / $3.93042 = 3,180,322 shares (rounded up);\n  33,930,812 + " in out


def test_terms_show_reads_the_fee_tiers_a_tier_a_line() -> None:
    from ascent_xl.cli.render import fee_tiers

    # ASTI_2022: limits 5,000,000 and 10,000,000, rates 8%, 4%, 6% (the demo's $400,000 + $200,000 + $75,000)
    lines = [line.rstrip() for line in run("terms", "show").splitlines()]
    at = lines.index("    fee rate of each tier (one more than the limits); the tiers:")
    assert lines[at + 1: at + 4] == ["      $0-$5,000,000: 8%", "      $5,000,000-$10,000,000: 4%",
                                     "      above $10,000,000: 6%"]
    assert fee_tiers((2_500_000, 7_500_000), (0.1, 0.075, 0.025)) == [
        "$0-$2,500,000: 10%", "$2,500,000-$7,500,000: 7.5%", "above $7,500,000: 2.5%"]
    assert fee_tiers((), (0.07,)) == ["all: 7%"]
