"""Commands load on demand (issue 15): ``ascent-xl --help`` imports no command module, a command
imports its own module only, and the one-line helps of ``--help`` name every command."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.cli.app import COMMANDS

HEAVY = ("pandas", "exchange_calendars", "xlwings", "matplotlib", "rich", "openpyxl", "pycel",
         "ascent_xl.valuation.run")


def _loaded_after(args: list[str]) -> dict[str, list[str]]:
    code = (
        "import json, sys\n"
        "from ascent_xl.cli import cli\n"
        f"try:\n    cli.main(args={args!r}, prog_name='ascent-xl', standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "cmds = sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('ascent_xl.cli.')\n"
        "              and m.rsplit('.', 1)[1] not in ('app',))\n"
        "print(json.dumps({'heavy': heavy, 'modules': cmds}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_imports_no_command():
    loaded = _loaded_after(["--help"])
    assert loaded == {"heavy": [], "modules": []}


def test_a_command_imports_its_own_module_only():
    loaded = _loaded_after(["refresh", "--help"])
    assert loaded["modules"] == ["help_texts", "workbook_cmds"]  # help_texts: strings only
    assert loaded["heavy"] == []


def test_shared_help_texts_are_one_text_each():
    """``new`` (light, in workbook_cmds) and the other commands (through options) show the same
    description of --terms, --vwaps and --events: one text each, in help_texts."""
    from ascent_xl.cli.help_texts import EVENTS_HELP, TERMS_HELP, VWAPS_HELP

    _register()
    helps = {name: {p.name: p.help for p in cli.commands[name].params}
             for name in ("new", "schedule", "price")}
    assert helps["new"]["terms_file"] == helps["price"]["terms_file"] == TERMS_HELP
    assert helps["new"]["vwaps_file"].startswith(VWAPS_HELP[:-1] + " [default: the bundled sample VWAPs")
    assert helps["price"]["vwaps_file"] == helps["schedule"]["vwaps_file"] == VWAPS_HELP
    assert helps["new"]["events_file"].startswith(EVENTS_HELP[:-1] + " [default: the bundled sample events")


def test_every_command_is_listed_with_its_module_and_help():
    _register()
    assert set(cli.commands) == set(COMMANDS)
    for name, (module, short) in COMMANDS.items():
        assert cli.commands[name].callback.__module__ == f"ascent_xl.cli.{module}", name
        assert len(short) <= 60 and not short.endswith("..."), name
    result = CliRunner().invoke(cli, ["--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    for name, (_, short) in COMMANDS.items():
        assert f"  {name:<10}{short}" in result.output, name
    assert all(len(line) <= 80 for line in result.output.splitlines())
