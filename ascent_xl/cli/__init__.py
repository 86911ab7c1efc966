"""The ``ascent-xl`` command line: ``demo``, ``price``, ``terms`` and the commands of the other
layers (ledger, workbooks, valuation), each in its own module of this package.

``app`` holds the command group, ``options`` the options shared by the commands, ``render`` the
terminal tables. Errors in the user's input print one line that says what to fix, and exit with
status 2; no traceback.
"""

from __future__ import annotations

import sys

from ascent_xl.cli.app import COMMANDS, cli, load_command_module


def _register() -> None:
    """Import every command module (each registers its commands on the group). The group loads
    them on demand (see :mod:`ascent_xl.cli.app`); this is for code that walks ``cli.commands``."""
    for name in COMMANDS:
        load_command_module(name)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="ascent-xl")


__all__ = ["cli", "main"]
