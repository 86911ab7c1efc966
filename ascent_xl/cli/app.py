"""The ``ascent-xl`` command group. Command modules import it from here (never from the package,
which imports them), so the modules of ``cli/`` form no import cycle."""

from __future__ import annotations

import click

from ascent_xl import __version__
from ascent_xl.cli.render import set_wide
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

    Start with `ascent-xl demo`. Dates are YYYY-MM-DD; amounts in USD. Tables fit the terminal
    (COLUMNS); --wide prints every column.
    """
    set_wide(False)  # until a command's --wide says otherwise
