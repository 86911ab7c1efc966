"""The ``ascent-xl`` command line: ``demo``, ``price``, ``terms`` and the commands of the other
layers (ledger, workbooks, valuation), each in its own module of this package.

Errors in the user's input print one line that says what to fix, and exit with status 2; no
traceback.
"""

from __future__ import annotations

import sys

import click

from ascent_xl import __version__
from ascent_xl.errors import AscentError


class _Group(click.Group):
    """A click group that turns ascent-xl errors into a one-line message and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AscentError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ascent-xl")
def cli() -> None:
    """ascent-xl: price and track convertible advance-note deals (Ascent Solar, Dec 2022).

    Start with `ascent-xl demo`. Dates are YYYY-MM-DD; amounts in USD.
    """


def _register() -> None:
    # Commands register on the group when their module is imported.
    from ascent_xl.cli import ledger_cmds, pricing_cmds, valuation_cmds, workbook_cmds  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    _register()
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="ascent-xl")
