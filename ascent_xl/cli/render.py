"""Terminal rendering of engine results with ``rich``: formats shared by every command, and tables
laid out for the terminal's width.

A table never cuts a number: its columns are sized here, not by ``rich``. Numbers and keys (dates,
names a user types) keep their full width; text wraps. When the columns do not fit, the table
drops its rules, then leaves out the columns its caller said it may (and says so under the table,
with how to see them), and as a last resort prints each row as a block of ``column: value`` lines.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.progress import ProgressColumn, Task
from rich.table import Table
from rich.text import Text

WIDE_WIDTH = 240
"""Width of the output under ``--wide`` (every column on one line, whatever the terminal)."""

_wide = False


def set_wide(wide: bool) -> None:
    """Print at :data:`WIDE_WIDTH` columns from now on (the ``--wide`` option of a command)."""
    global _wide
    _wide = wide


def output_width() -> int:
    """The output's width: ``--wide``, else the terminal's (``COLUMNS`` when set), else 80."""
    if _wide:
        return WIDE_WIDTH
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) >= 20:
        return int(env)
    if sys.stdout.isatty():
        return os.get_terminal_size(sys.stdout.fileno()).columns
    return 80


class _Console(Console):
    """A console whose indented prose keeps its indent: a string printed with leading spaces
    wraps with every continuation line indented as its first (rich alone starts them at
    column 0)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(hanging_indent(self, o) for o in objects), **kwargs)


def hanging_indent(out: Console, obj: Any) -> Any:
    """``obj`` as printed: a string with a line that starts with spaces becomes a text whose
    indented lines are wrapped here at the console's width, each continuation line under its
    first (rich alone starts them at column 0); other objects are left to rich."""
    if not isinstance(obj, str) or not any(line.startswith(" ") for line in obj.split("\n")):
        return obj
    lines: list[Text] = []
    for line in out.render_str(obj).split("\n", include_separator=False, allow_blank=True):
        lead = len(line.plain) - len(line.plain.lstrip(" "))
        if not lead:
            lines.append(line)
            continue
        for part in line[lead:].wrap(out, max(out.width - lead, TEXT_MIN), overflow="fold"):
            part.rstrip()
            lines.append(Text(" " * lead) + part)
    return Text("\n").join(lines)


def console() -> Console:
    """A console on the current stdout at :func:`output_width` columns (indented prose wraps
    under its indent: :func:`hanging_indent`)."""
    return _Console(file=sys.stdout, width=output_width(), highlight=False)


TINY_MONEY = 1_000.0
"""Below this many dollars whole-dollar figures show cents: ``$2.13``, not ``$2``, which reads as
rounding."""


def usd(x: float | None, decimals: int = 2) -> str:
    """``$12,500,000.00``; a dash for None. Whole dollars (``decimals=0``) keep their cents
    below :data:`TINY_MONEY` (``$2.13``; zero is ``$0``)."""
    if x is None:
        return "-"
    if decimals == 0 and 0 < abs(x) < TINY_MONEY:
        decimals = 2
    return f"${x:,.{decimals}f}"


def usd0(x: float | None) -> str:
    """Whole dollars, with cents below :data:`TINY_MONEY`; blank for nothing or zero (dense
    tables)."""
    if x is None or x != x or x == 0:
        return ""
    return f"${x:,.2f}" if abs(x) < TINY_MONEY else f"${x:,.0f}"


def price(x: float | None) -> str:
    """A per-share price with five decimals (the supplement quotes 3.93042)."""
    return "-" if x is None else f"${x:,.5f}"


def shares(x: float | None) -> str:
    """Whole shares with thousands separators."""
    return "-" if x is None else f"{x:,.0f}"


def pct(x: float | None, decimals: int = 2) -> str:
    """A fraction as a percentage."""
    return "-" if x is None else f"{100 * x:.{decimals}f}%"


def fee_tiers(limits: Sequence[float], rates: Sequence[float]) -> list[str]:
    """Placement fee tiers as a finance user reads them (as the Inputs sheet spells them):
    ``["$0-$5,000,000: 8%", "$5,000,000-$10,000,000: 4%", "above $10,000,000: 6%"]``."""
    parts, low = [], 0.0
    for i, rate in enumerate(rates):
        shown = f"{100 * rate:.3f}".rstrip("0").rstrip(".") + "%"
        if i < len(limits):
            parts.append(f"${low:,.0f}-${limits[i]:,.0f}: {shown}")
            low = limits[i]
        else:
            parts.append(f"above ${low:,.0f}: {shown}" if i else f"all: {shown}")
    return parts


def day(x: Any) -> str:
    """An ISO date."""
    if isinstance(x, dt.datetime):
        x = x.date()
    return str(x)[:10]


class CountColumn(ProgressColumn):
    """``12,288 / 100,000 paths`` in a progress bar: counts with thousands separators."""

    def __init__(self, unit: str = "") -> None:
        self.unit = f" {unit}" if unit else ""
        super().__init__()

    def render(self, task: Task) -> Text:
        total = "?" if task.total is None else f"{int(task.total):,}"
        return Text(f"{int(task.completed):,} / {total}{self.unit}", style="progress.download")


# -- tables ------------------------------------------------------------------------------------
NUMBER, KEY, TEXT = "number", "key", "text"
"""Column kinds: a number (right-aligned, never cut), a key (a date or a name a user types: never
cut nor wrapped), text (wraps)."""

TEXT_MIN = 12
"""Narrowest a text column is made (longer words fold)."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Which columns a table shows and how wide each is."""

    kept: tuple[int, ...]
    widths: tuple[int, ...]
    compact: bool
    left_out: tuple[str, ...]


def _lines(value: Any) -> list[str]:
    return _plain(value).split("\n")


def _min_width(header: str, cells: Sequence[str], kind: str) -> int:
    head = max((len(w) for w in header.split()), default=0)
    if kind == TEXT:
        natural = max([len(line) for c in cells for line in _lines(c)] + [len(header)])
        return max(head, min(natural, TEXT_MIN))
    return max([head] + [len(line) for c in cells for line in _lines(c)])


def _natural_width(header: str, cells: Sequence[str]) -> int:
    return max([len(header)] + [len(line) for c in cells for line in _lines(c)])


def _overhead(n: int, compact: bool) -> int:
    # heavy box: a rule at each edge and between columns, one space of padding each side;
    # compact: no edges, two spaces between columns
    return 2 * (n - 1) if compact else 3 * n + 1


def layout(
    columns: Sequence[str],
    kinds: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    width: int,
    drop: Sequence[str] = (),
    compact: bool | None = None,
) -> Layout | None:
    """Columns and widths for a table in ``width`` characters: rules dropped first (unless
    ``compact`` is given), then the columns named in ``drop``, in order. None when even that does
    not fit (print the rows as blocks then)."""
    cells = [[_plain(r[i]) for r in rows] for i in range(len(columns))]
    mins = [_min_width(c, cells[i], kinds[i]) for i, c in enumerate(columns)]
    natural = [max(m, _natural_width(c, cells[i])) for i, (c, m) in enumerate(zip(columns, mins, strict=True))]
    kept = list(range(len(columns)))

    def needed(comp: bool) -> int:
        return sum(mins[i] for i in kept) + _overhead(len(kept), comp)

    styles = (False, True) if compact is None else (compact,)
    for comp in styles:
        if needed(comp) <= width:
            break
    else:
        comp = styles[-1]
        for name in drop:
            if name in columns and columns.index(name) in kept:
                kept.remove(columns.index(name))
                if needed(comp) <= width:
                    break
        if needed(comp) > width:
            return None
    widths = {i: mins[i] for i in kept}
    spare = width - needed(comp)
    for i in sorted(kept, key=lambda j: natural[j] - mins[j]):  # the smallest shortfall first
        grow = min(spare, natural[i] - mins[i])
        widths[i] += grow
        spare -= grow
    left_out = tuple(c for i, c in enumerate(columns) if i not in kept)
    return Layout(kept=tuple(kept), widths=tuple(widths[i] for i in kept), compact=comp, left_out=left_out)


def table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    numeric_from: int = 1,
    wrap: bool = False,
    compact: bool | None = None,
    kinds: Sequence[str] | None = None,
    drop: Sequence[str] = (),
    more: str = "--wide shows them",
    width: int | None = None,
) -> Group:
    """A table fitted to the output's width, under its title (which wraps at the output's width,
    not the table's). Columns from ``numeric_from`` on are numbers, those
    before are keys (text that wraps when ``wrap`` is set), unless ``kinds`` gives each column's
    kind. ``drop`` names the columns that may be left out, first to go first; a caption then
    names them and ``more`` says how to see them."""
    data = [list(r) for r in rows]
    if kinds is None:
        kinds = [NUMBER if i >= numeric_from else (TEXT if wrap else KEY) for i in range(len(columns))]
    w = output_width() if width is None else width
    fitted = layout(columns, kinds, data, width=w, drop=drop, compact=compact)
    if fitted is None:
        return Group(_blocks(title, columns, data, width=w))
    t = Table(
        header_style="bold cyan",
        box=box.SIMPLE_HEAD if fitted.compact else box.HEAVY_HEAD,
        show_edge=not fitted.compact,
        pad_edge=not fitted.compact,
        collapse_padding=fitted.compact,
        padding=(0, 1),
    )
    for i, cw in zip(fitted.kept, fitted.widths, strict=True):
        t.add_column(columns[i], justify="right" if kinds[i] == NUMBER else "left", width=cw,
                     no_wrap=False, overflow="fold")
    for r in data:
        t.add_row(*[str(r[i]) for i in fitted.kept])
    if fitted.left_out:
        t.caption = f"Not shown at {w} columns: {', '.join(fitted.left_out)} ({more})."
        t.caption_justify = "left"
        t.caption_style = "dim"
    return Group(Text(title, style="bold"), t)


def _blocks(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, width: int) -> Table:
    """Each row as a block of ``column: value`` lines (a table too wide for any layout)."""
    t = Table(title=title, title_justify="left", title_style="bold", box=None, show_header=False,
              padding=(0, 1), pad_edge=False)
    head = max(len(c) for c in columns)
    t.add_column(width=head, no_wrap=True, style="bold cyan")
    t.add_column(width=max(width - head - 2, TEXT_MIN), overflow="fold")
    for n, r in enumerate(rows):
        if n:
            t.add_row("", "")
        for c, v in zip(columns, r, strict=True):
            t.add_row(c, str(v))
    return t


def _plain(value: Any) -> str:
    text = str(value)
    while "[" in text and "]" in text:  # strip rich markup such as [green]yes[/]
        a, b = text.index("["), text.index("]")
        if b < a:
            break
        text = text[:a] + text[b + 1 :]
    return text


def spilled_table(
    title: str,
    columns: Sequence[str],
    kinds: Sequence[str],
    rows: Sequence[Sequence[Any]],
    notes: Sequence[str],
    *,
    spill: tuple[int, int],
    drop: Sequence[str] = (),
    more: str = "--wide shows them",
    width: int | None = None,
) -> Group:
    """A compact table whose rows may carry a note: where a row's cells in the columns
    ``spill[0]`` to ``spill[1]`` (kept ones, end excluded) are blank, its note fills their
    space, wrapped at spaces (a number in it is never split). Falls back to :func:`table`
    (notes left out) when the spill columns are not kept."""
    w = output_width() if width is None else width
    fitted = layout(columns, kinds, rows, width=w, drop=drop, compact=True)
    if fitted is None:
        return Group(_blocks(title, columns, rows, width=w))
    kept, widths = list(fitted.kept), list(fitted.widths)
    span = [k for k, i in enumerate(kept) if spill[0] <= i < spill[1]]
    out: list[Text] = [Text(line, style="bold") for line in textwrap.wrap(title, w)]
    header = [textwrap.wrap(columns[i], cw) or [""] for i, cw in zip(kept, widths, strict=True)]
    out += _block_lines([[Text(x) for x in h] for h in header], widths, [kinds[i] for i in kept],
                        style="bold cyan")
    out.append(Text("─" * min(w, sum(widths) + 2 * (len(widths) - 1))))
    for r, note in zip(rows, notes, strict=True):
        cells = [[Text.from_markup(x) for x in str(r[i]).split("\n")] if str(r[i]) else [] for i in kept]
        if note and span and all(not cells[k] for k in span):
            area = sum(widths[k] for k in span) + 2 * (len(span) - 1)
            merged = [Text(x, style="dim") for x in textwrap.wrap(note, area, break_long_words=False,
                                                                  break_on_hyphens=False)]
            first = span[0]
            cells = cells[:first] + [merged] + cells[span[-1] + 1:]
            ws = widths[:first] + [area] + widths[span[-1] + 1:]
            ks = [kinds[i] for i in kept[:first]] + [TEXT] + [kinds[i] for i in kept[span[-1] + 1:]]
        else:
            ws, ks = widths, [kinds[i] for i in kept]
        out += _block_lines(cells, ws, ks)
    if fitted.left_out:
        caption = f"Not shown at {w} columns: {', '.join(fitted.left_out)} ({more})."
        out += [Text(line, style="dim") for line in textwrap.wrap(caption, w)]
    return Group(*out)


def _block_lines(cells: list[list[Text]], widths: Sequence[int], kinds: Sequence[str], style: str = "") -> list[Text]:
    height = max([len(c) for c in cells] + [1])
    lines = []
    for n in range(height):
        line = Text(style=style)
        for k, (c, cw) in enumerate(zip(cells, widths, strict=True)):
            piece = c[n].copy() if n < len(c) else Text("")
            pad = " " * max(cw - piece.cell_len, 0)
            if k:
                line.append("  ")
            if kinds[k] == NUMBER:
                line.append(pad)
                line.append_text(piece)
            else:
                line.append_text(piece)
                line.append(pad)
        line.rstrip()
        lines.append(line)
    return lines
