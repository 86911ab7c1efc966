"""Commands of the deal ledger: ``schedule``."""

from __future__ import annotations

from pathlib import Path

import click

from ascent_xl.cli import cli
from ascent_xl.cli.pricing_cmds import TERMS_OPTION, load_deal_terms
from ascent_xl.cli.render import console, day, fit_columns, pct, price, shares, table, usd, usd0
from ascent_xl.errors import AscentError
from ascent_xl.events import events_from_csv
from ascent_xl.ledger import Schedule, run_ledger
from ascent_xl.market import MarketData


def schedule_table(schedule: Schedule, title: str) -> object:
    """A condensed terminal view of the schedule in whole dollars (every column, to the cent,
    goes to --out)."""
    cols = ("Date", "Event", "Note", "Converted", "Price", "Shares", "Floor pay", "Interest",
            "Repaid", "Cash paid", "Principal", "Shares out", "Holder", "OK")
    rows = []
    for r in schedule.rows:
        interest = usd0(r["Interest Paid Cash"])
        if r["Interest PIK"]:
            interest = f"{usd0(r['Interest PIK'])} PIK"
        rows.append((
            day(r["Date"]),
            r["Event"],
            r["Note"] or "",
            usd0(r["Principal Converted"]),
            price(r["Conversion Price"]) if r["Conversion Price"] else "",
            shares(r["Shares Issued"]) if r["Shares Issued"] else "",
            usd0(r["Floor Payment"]),
            interest,
            usd0(r["Principal Repaid"]),
            usd0(r["Cash Paid"]),
            usd(r["Total Principal"], 0),
            shares(r["Shares Outstanding"]),
            pct(r["Holder Ownership"]),
            "[green]yes[/]" if r["Check"] else "[bold red]NO[/]",
        ))
    width = console().width
    kept, data = fit_columns(cols, rows, width=width, drop_order=("Shares out", "Repaid", "Floor pay", "Shares", "Holder", "Interest", "Price"))
    if len(kept) < len(cols):
        title += f" - {len(cols) - len(kept)} columns left out to fit {width} characters; --out FILE.xlsx has all"
    return table(title, kept, data, numeric_from=3, compact=True)


def summary_table(schedule: Schedule) -> object:
    """Per-note totals and the deal total."""
    frame = schedule.summary()
    cols = ("Note", "Issued", "Converted", "Repaid", "Outstanding", "Shares", "Floor payments",
            "Interest cash", "Interest PIK", "Conserved")
    rows = [
        (
            r["Note"],
            usd(r["Principal Issued"]),
            usd(r["Principal Converted"]),
            usd(r["Principal Repaid"]),
            usd(r["Principal Outstanding"]),
            shares(r["Shares Issued"]),
            usd(r["Floor Payments"]),
            usd(r["Interest Paid Cash"]),
            usd(r["Interest PIK"]),
            "yes" if r["Conserved"] else "NO",
        )
        for r in frame.to_dict("records")
    ]
    return table("Per note and in total: issued = converted + repaid + outstanding", cols, rows)


def flags_table(schedule: Schedule, limit: int = 12) -> object:
    """Distinct covenant flags with the first date each was raised."""
    seen: dict[str, tuple[str, str, int]] = {}
    for f in schedule.flags:
        key = f"{f.code}:{f.reason.split(':')[0] if f.code == 'cap' else f.reason}"
        if f.code in ("reserve", "min-cash"):
            key = f.code  # the same breach repeats on every row; show it once with a count
        first = seen.get(key)
        seen[key] = (first[0], first[1], first[2] + 1) if first else (day(f.date), f"{f.code}: {f.reason}", 1)
    rows = [(d, text if n == 1 else f"{text} (and {n - 1} later rows)") for d, text, n in list(seen.values())[:limit]]
    if len(seen) > limit:
        rows.append(("", f"... {len(seen) - limit} more; see the Flags column"))
    return table("Covenant and limit flags (first date)", ("Date", "Flag"), rows, numeric_from=99, wrap=True)


def print_schedule(schedule: Schedule, title: str) -> None:
    """Print the schedule, the per-note summary and the flags."""
    out = console()
    out.print(schedule_table(schedule, title))
    out.print(summary_table(schedule))
    if schedule.flags:
        out.print(flags_table(schedule))


@cli.command("schedule")
@click.option("--events", "events_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV of events: Date,Event,Note,Amount,Value (see ascent_xl/events.py for the kinds).")
@click.option("--vwaps", "vwaps_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with Date,VWAP[,Dollar Volume,Market Cap], as traded.")
@TERMS_OPTION
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the full schedule to FILE.csv, or to FILE.xlsx with a Summary sheet.")
def schedule_cmd(events_file: Path, vwaps_file: Path, terms_file: Path | None, out_file: Path | None) -> None:
    """Run the deal ledger over your events and print the schedule.

    Event kinds: Issue, Conversion, Interest Election, Prepayment, Optional Prepay, Change of
    Control, Default (Value: redeem / reset / blank), Waiver, Amendment (Value: term = value),
    Split (Value: 1:200), Dilutive Issue, Warrant Exercise, Shares Outstanding, Holder Sale,
    Cash Balance, Share Reserve. Interest dates and maturities are added automatically.
    """
    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar)
    schedule = run_ledger(terms, events_from_csv(events_file), market)
    print_schedule(schedule, f"Schedule - {terms.name}")
    if out_file is not None:
        write_schedule(schedule, out_file)
        click.echo(f"wrote {out_file}")


def write_schedule(schedule: Schedule, path: Path) -> None:
    """Write the schedule as CSV or XLSX (by the file's extension), atomically."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from ascent_xl.excel.export import export_schedule_xlsx

        export_schedule_xlsx(schedule, path)
    elif suffix == ".csv":
        from ascent_xl.fileio import atomic_write_text

        atomic_write_text(path, schedule.frame.to_csv(index=False, date_format="%Y-%m-%d"))
    else:
        raise AscentError(f"--out {path}: use a .csv or .xlsx file name")
