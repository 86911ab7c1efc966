"""Options and argument types shared by the commands: one name, one type and one description
for each input wherever it is asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ascent_xl.cli.help_texts import EVENTS_HELP, TERMS_HELP, VWAPS_HELP
from ascent_xl.cli.render import set_wide
from ascent_xl.errors import AscentError, InputError
from ascent_xl.presets import ASTI_2022
from ascent_xl.terms import DealTerms

F = TypeVar("F", bound=Callable[..., Any])

FILE = click.Path(dir_okay=False, path_type=Path)
"""A file argument (the command checks that it exists where it reads it)."""

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
"""A file that must exist."""

class _Date(click.DateTime):
    """A date option, read as every reader reads a date (:func:`ascent_xl.calendar.read_date`:
    ``2023-01-10`` or an Excel serial; ``2023-01-1`` is refused, not read as the 1st), shown in
    --help as ``YYYY-MM-DD``; the message names the option."""

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        if isinstance(value, dt.datetime):
            return value
        from ascent_xl.calendar import read_date

        day = read_date(value, param.opts[0] if param is not None else "date")
        return dt.datetime(day.year, day.month, day.day)


class _Number(click.ParamType):
    """A number as every reader takes it (:func:`ascent_xl.money.read_number`: ``1,250.50``
    and ``$250,000`` read, ``4,2347`` refused as ambiguous), the message naming the option."""

    name = "number"

    def __init__(self, metavar: str) -> None:
        self.metavar = metavar

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float):
            return value
        from ascent_xl.money import read_number

        return read_number(value, param.opts[0] if param is not None else "number")


USD = _Number("USD")
"""An amount of money, USD (``250,000`` or ``250000``)."""

NUMBER = _Number("NUMBER")
"""A plain number (``0.8``)."""


class _Rate(_Number):
    """A rate or a volatility: a number (``0.046``) or a percentage (``4.6%``), as the Valuation
    sheet shows it."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float):
            return value
        from ascent_xl.money import read_number

        return read_number(value, param.opts[0] if param is not None else "number", percent=True)


RATE = _Rate("NUMBER")
"""A rate, a spread or a volatility a year: ``0.046`` or ``4.6%``."""


class Whole(click.ParamType):
    """A whole number from ``lo`` to ``hi``, read as every reader reads a number (``20,000``),
    shown in --help as ``N``; the message names the option and the range."""

    name = "whole number"

    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int):
            x: float = value
        else:
            from ascent_xl.money import read_number

            x = read_number(value, param.opts[0] if param is not None else "number")
        if x != int(x) or not self.lo <= x <= self.hi:
            name = param.opts[0] if param is not None else "number"
            raise InputError(f"{name} {value}: give a whole number from {self.lo:,} to {self.hi:,}")
        return int(x)


class AliasOption(click.Option):
    """An option whose first name is shown in ``--help`` and whose other names are older
    spellings that keep working, not shown (``--volatility``, once ``--vol``)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        names, self.opts = self.opts, self.opts[:1]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = names

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return f"'{self.opts[0]}'"


DATE = _Date(["%Y-%m-%d"])
"""A date, YYYY-MM-DD (every date option uses it)."""

TERMS_OPTION = click.option("--terms", "terms_file", type=FILE, help=TERMS_HELP)
"""``--terms FILE|NAME``."""


def vwaps_option(*, required: bool) -> Callable[[F], F]:
    """``--vwaps FILE``."""
    return click.option("--vwaps", "vwaps_file", required=required, type=FILE, help=VWAPS_HELP)


def events_option(*, required: bool, help: str = EVENTS_HELP) -> Callable[[F], F]:
    """``--events FILE``."""
    return click.option("--events", "events_file", required=required, type=FILE, help=help)


NOTICE_DATE_HELP = "Conversion notice date, YYYY-MM-DD (a trading day)."


def notice_date_option(old: str, *, required: bool) -> Callable[[F], F]:
    """``--notice-date DATE``, the one name of the notice date on every command (the column
    ``Notice Date`` of a notices file, ``notice_date`` in JSON); ``old`` is the command's
    earlier spelling (``--notice``, ``--date``), kept working and not shown."""
    return click.option("--notice-date", old, "notice_date", type=DATE, cls=AliasOption, required=required,
                        help=NOTICE_DATE_HELP)


NO_SPLIT_OPTION = click.option(
    "--no-split", is_flag=True,
    help="Price across a VWAP jump a split would explain: say the move is real [default: refuse].",
)

def check_trading_day(day: dt.date, calendar: Any, option: str) -> None:
    """Refuse a notice date the market was closed, naming the option and the trading days
    around it (the engine refuses it too, without knowing the option)."""
    if calendar.is_session(day):
        return
    from ascent_xl.calendar import day_text

    try:
        around = f"; the nearest are {day_text(calendar.on_or_before(day))} and {day_text(calendar.on_or_after(day))}"
    except AscentError:  # outside the calendar's span: the engine's message says so
        return
    raise InputError(f"{option} {day}: not a trading day (the {calendar.name} market was closed){around}")


def check_window_in_data(day: dt.date, market: Any, days: int, source: str, option: str = "--notice-date") -> None:
    """Refuse a notice date whose look-back window (the ``days`` sessions before it) runs past
    the VWAP file's last day, naming the option, the window, the file and the latest notice
    date the file can price. Checked before the engine's other checks of the window: its scan
    for a split from the issue on would speak first and ask for a Split event when the file
    simply ends too early."""
    last = market.dates[-1].item()
    if day <= last:
        return
    from ascent_xl.calendar import day_text

    calendar = market.calendar
    try:
        window = calendar.sessions_before(day, days)
        latest = calendar.offset(last, 1)
    except AscentError:  # outside the calendar's span: the engine's message says so
        return
    if window[-1].item() <= last:
        return
    raise InputError(
        f"{option} {day}: its {days}-day look-back window ({day_text(window[0])} to {day_text(window[-1])}) "
        f"runs past the last VWAP of {source}, on {day_text(last)}; add VWAPs up to {day_text(window[-1])}, "
        f"or give a notice date up to {day_text(latest)}")


def check_after_issue(day: dt.date, terms: DealTerms, option: str = "--notice-date") -> None:
    """Refuse a notice dated before the notes' issue (no note exists yet to convert), naming the
    option and the issue date; the deal's state (``--events``) refuses it as no principal
    outstanding."""
    if day < terms.closing:
        raise InputError(f"{option} {day}: before the notes' issue on {terms.closing}; give a notice date on or "
                         "after it")


def check_amount_as_issued(amount: float | None, terms: DealTerms, option: str = "--amount",
                           way_out: str = ", or --events FILE to price on the deal's state that day") -> None:
    """Refuse an amount more than any note's face when a notice is priced on the terms as
    issued (no events: no note has more principal than its face), naming the largest note;
    the message ends with ``way_out``."""
    if amount is None or not terms.notes:
        return
    largest = max(terms.notes, key=lambda n: n.face)
    if amount > largest.face:
        raise InputError(
            f"{option} ${amount:,.2f}: more than any note's face as issued ({largest.name}: ${largest.face:,.2f}); "
            f"give at most that{way_out}")


def check_note_name(note: str | None, terms: DealTerms, events: Any, option: str = "--note") -> None:
    """Refuse a note name the deal does not have (neither a note of the terms, nor one an Issue
    event issues, nor one's PIK note ``NAME-PIKn``), naming the option and the deal's notes. A
    note the deal has but has not issued by the date is the ledger's to refuse (it says when)."""
    if note is None:
        return
    import re

    from ascent_xl.events import EventKind

    names: list[str] = []
    for name in [n.name for n in terms.notes] + [ev.note for ev in events if ev.kind is EventKind.ISSUE and ev.note]:
        if name.lower() not in {n.lower() for n in names}:
            names.append(name)
    want = note.strip().lower()
    if any(want == n.lower() or re.fullmatch(re.escape(n.lower()) + r"-pik\d+", want) for n in names):
        return
    raise InputError(f"{option} {note!r}: the deal has no such note; write one of: {', '.join(names)}")


def check_out_file(path: Path | None, suffixes: tuple[str, ...], option: str = "--out") -> None:
    """Refuse an output file name the command does not write, before any work."""
    if path is not None and path.suffix.lower() not in suffixes:
        names = " or ".join(f"FILE{s}" for s in suffixes)
        raise InputError(f"{option} {path}: the file is written as {names}; give a name ending in "
                         f"{' or '.join(suffixes)}")


NO_SPLIT_WAY_OUT = "--no-split if the move is real (the Split event goes in --events FILE)"
"""How a pricing command says what a VWAP jump is: the end of the split guard's message."""


def _wide(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    set_wide(value)
    return value


WIDE_OPTION = click.option(
    "--wide", is_flag=True, expose_value=False, is_eager=True, callback=_wide,
    help="Print every column on one line, however wide the terminal [default: fit its width].",
)


def load_deal_terms(path: Path | None, option: str = "--terms") -> DealTerms:
    """The terms in ``path`` (a terms file, a shipped deal's name or a preset's), or the
    ASTI_2022 preset. A name that is none of them is refused naming the names there are."""
    if path is None:
        return ASTI_2022
    from ascent_xl.presets import PRESETS
    from ascent_xl.terms_io import load_terms, shipped_deals

    text = str(path)
    if not path.exists() and path.suffix == "":
        if text in PRESETS:
            return PRESETS[text]
        if text not in shipped_deals():
            names = ", ".join([*PRESETS, *shipped_deals()])
            raise InputError(f"{option} {text}: no such terms file, nor a deal of that name; give a .toml or "
                             f".json file, or one of: {names}")
    return load_terms(path)
