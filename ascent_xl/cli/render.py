"""Terminal rendering of engine results with ``rich``: formats shared by every command."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table


def console() -> Console:
    """A console on the current stdout; 180 columns when stdout is not a terminal (logs, pipes)."""
    width = None if sys.stdout.isatty() else max(180, shutil.get_terminal_size((180, 40)).columns)
    return Console(file=sys.stdout, width=width, highlight=False)


def usd(x: float | None, decimals: int = 2) -> str:
    """``$12,500,000.00``; a dash for None."""
    return "-" if x is None else f"${x:,.{decimals}f}"


def usd0(x: float | None) -> str:
    """Whole dollars, blank for nothing or zero (dense tables)."""
    return "" if x is None or x != x or x == 0 else f"${x:,.0f}"


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
    compact: bool = False,
) -> Table:
    """A table whose columns from ``numeric_from`` on are right-aligned; cells wrap only when
    ``wrap`` is set; ``compact`` drops the column rules (for wide schedules)."""
    t = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        header_style="bold cyan",
        min_width=min(len(title), 118),
        box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
        padding=(0, 1),
    )
    for i, c in enumerate(columns):
        t.add_column(c, justify="right" if i >= numeric_from else "left", no_wrap=not wrap)
    for r in rows:
        t.add_row(*[str(v) for v in r])
    return t


def fit_columns(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], *, width: int, drop_order: Sequence[str]
) -> tuple[list[str], list[list[Any]]]:
    """Leave out columns, in ``drop_order``, until the table fits in ``width`` characters."""
    cols = list(columns)
    data = [list(r) for r in rows]

    def needed() -> int:
        widths = [max([len(c)] + [len(_plain(r[i])) for r in data]) for i, c in enumerate(cols)]
        return sum(widths) + 3 * len(cols) + 4  # padding and separators

    for name in drop_order:
        if needed() <= width or name not in cols:
            continue
        i = cols.index(name)
        del cols[i]
        for r in data:
            del r[i]
    return cols, data


def _plain(value: Any) -> str:
    text = str(value)
    while "[" in text and "]" in text:  # strip rich markup such as [green]yes[/]
        a, b = text.index("["), text.index("]")
        if b < a:
            break
        text = text[:a] + text[b + 1 :]
    return text
