"""Terminal rendering of engine results with ``rich``: formats shared by every command."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table


def console() -> Console:
    """A console on the current stdout; 120 columns when stdout is not a terminal."""
    width = None if sys.stdout.isatty() else max(120, shutil.get_terminal_size((120, 40)).columns)
    return Console(file=sys.stdout, width=width, highlight=False)


def usd(x: float | None, decimals: int = 2) -> str:
    """``$12,500,000.00``; a dash for None."""
    return "-" if x is None else f"${x:,.{decimals}f}"


def price(x: float | None) -> str:
    """A per-share price with five decimals (the supplement quotes 3.93042)."""
    return "-" if x is None else f"${x:,.5f}"


def shares(x: float | None) -> str:
    """Whole shares with thousands separators."""
    return "-" if x is None else f"{x:,.0f}"


def pct(x: float | None, decimals: int = 2) -> str:
    """A fraction as a percentage."""
    return "-" if x is None else f"{100 * x:.{decimals}f}%"


def day(x: Any) -> str:
    """An ISO date."""
    if isinstance(x, dt.datetime):
        x = x.date()
    return str(x)[:10]


def table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    numeric_from: int = 1,
    wrap: bool = False,
) -> Table:
    """A table whose columns from ``numeric_from`` on are right-aligned; cells wrap only when
    ``wrap`` is set."""
    t = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        header_style="bold cyan",
        min_width=min(len(title), 118),
    )
    for i, c in enumerate(columns):
        t.add_column(c, justify="right" if i >= numeric_from else "left", no_wrap=not wrap)
    for r in rows:
        t.add_row(*[str(v) for v in r])
    return t
