"""The ``ascent-xl`` command line: ``demo``, ``price``, ``terms`` and the commands of the other
layers (ledger, workbooks, valuation), each in its own module of this package.

``app`` holds the command group, ``options`` the options shared by the commands, ``render`` the
terminal tables. Errors in the user's input print one line that says what to fix, and exit with
status 2; no traceback.
"""

from __future__ import annotations

import sys

from ascent_xl.cli.app import cli


def _register() -> None:
    # Commands register on the group when their module is imported.
    from ascent_xl.cli import (  # noqa: F401
        demo_cmd,
        ledger_cmds,
        notice_cmd,
        position_cmds,
        pricing_cmds,
        valuation_cmds,
        workbook_cmds,
    )


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    _register()
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="ascent-xl")


__all__ = ["cli", "main"]
