"""The ``ascent-xl`` command group. Command modules import it from here (never from the package,
which imports them), so the modules of ``cli/`` form no import cycle.

Commands load on demand: :data:`COMMANDS` names each command's module and its one-line help
(what ``ascent-xl --help`` lists), so ``ascent-xl --help`` imports no command and
``ascent-xl refresh`` only the refresh's (``python -X importtime`` shows it).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from ascent_xl import __version__
from ascent_xl.errors import AscentError

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo_cmd", "Run the built-in example: the ASTI_2022 deal, start to end."),
    "new": ("workbook_cmds", "Start a new deal book from your terms, VWAPs and events."),
    "notice": ("notice_cmd", "A conversion notice as of a date (PDF with --out)."),
    "position": ("position_cmds", "The deal as it stands at the end of a date."),
    "price": ("pricing_cmds", "Price one conversion (--notice-date) or a file of them."),
    "refresh": ("workbook_cmds", "Refresh a deal book without Excel (its Refresh button)."),
    "schedule": ("ledger_cmds", "Run the deal ledger over your events; print the schedule."),
    "template": ("workbook_cmds", "Build the deal-book template, or render a book's sheets."),
    "terms": ("pricing_cmds", "Show or export deal terms."),
    "value": ("valuation_cmds", "Fair value and dilution by Monte Carlo, as of a date."),
}
"""Command name -> (module in ``ascent_xl.cli``, one-line help)."""


def load_command_module(name: str) -> None:
    """Import the module that defines the command ``name`` (it registers on :data:`cli`)."""
    importlib.import_module(f"ascent_xl.cli.{COMMANDS[name][0]}")


class _Group(click.Group):
    """A click group that loads its commands on demand and turns ascent-xl errors into a
    one-line message and exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            load_command_module(cmd_name)
        command = super().get_command(ctx, cmd_name)
        if command is not None and cmd_name in COMMANDS:
            command.short_help = COMMANDS[cmd_name][1]
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1] if name in COMMANDS else self.commands[name].get_short_help_str())
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AscentError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ascent-xl")
def cli() -> None:
    """ascent-xl: price and track convertible advance-note deals (Ascent Solar, Dec 2022).

    Start with `ascent-xl demo`. Dates are YYYY-MM-DD; amounts in USD. Tables fit the terminal
    (COLUMNS); --wide prints every column.
    """
    render = sys.modules.get("ascent_xl.cli.render")  # loaded by the commands that print tables
    if render is not None:
        render.set_wide(False)  # until a command's --wide says otherwise
