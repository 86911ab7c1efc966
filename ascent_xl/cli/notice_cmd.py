"""``ascent-xl notice``: a printable conversion notice on the deal's state of the notice date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.markup import escape

from ascent_xl.cli.app import cli
from ascent_xl.cli.options import (
    FILE,
    TERMS_OPTION,
    USD,
    check_note_name,
    check_out_file,
    check_trading_day,
    events_option,
    load_deal_terms,
    notice_date_option,
    vwaps_option,
)
from ascent_xl.cli.render import console


@cli.command("notice")
@events_option(required=True, help="The deal's events CSV (Date,Event,Note,Amount,Value): the state on "
               "the notice date is built from the events up to it.")
@vwaps_option(required=True)
@notice_date_option("--date", required=True)
@click.option("--amount", type=USD, help="Principal to convert, USD [default: all of the note's outstanding principal].")
@click.option("--note", help="Note to convert [default: the first note with principal outstanding].")
@TERMS_OPTION
@click.option("--out", "out_file", type=FILE, help="Write the notice as a one-page PDF, FILE.pdf.")
def notice_cmd(events_file: Path, vwaps_file: Path, notice_date: dt.datetime, amount: float | None,
               note: str | None, terms_file: Path | None, out_file: Path | None) -> None:
    """Print a conversion notice (and with --out, write it as a PDF): the window's VWAPs with the
    lowest marked, the fixed, alternate and floor prices, the conversion price, the ownership-cap
    check, the shares to deliver and the cash floor payment, on the deal as it stands on the
    notice date (its splits, amendments and resets applied; that day's conversions not yet)."""
    from ascent_xl.events import events_from_csv
    from ascent_xl.market import MarketData
    from ascent_xl.notice import build_notice, notice_lines, write_notice_pdf

    check_out_file(out_file, (".pdf",))
    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar)
    day = notice_date.date()
    check_trading_day(day, market.calendar, "--notice-date")
    events = events_from_csv(events_file)
    check_note_name(note, terms, events)
    n = build_notice(terms, market, events, notice_date=day, amount=amount, note=note,
                     source=f"{events_file.name} up to that day's conversions")
    out = console()
    lines = notice_lines(n)
    out.print(f"[bold]{escape(lines[0])}[/]", overflow="fold")
    for line in lines[1:]:
        out.print(escape(line), overflow="fold")
    if out_file is not None:
        write_notice_pdf(n, out_file)
        click.echo(f"wrote {out_file}")
