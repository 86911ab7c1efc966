"""Commands of the deal ledger: ``schedule``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Group
from rich.text import Text

from ascent_xl.cli.app import cli
from ascent_xl.cli.options import (
    FILE,
    TERMS_OPTION,
    WIDE_OPTION,
    check_out_file,
    events_option,
    load_deal_terms,
    vwaps_option,
)
from ascent_xl.cli.render import (
    KEY,
    NUMBER,
    TEXT,
    console,
    day,
    layout,
    output_width,
    pct,
    price,
    shares,
    spilled_table,
    table,
    usd,
    usd0,
)
from ascent_xl.events import events_from_csv
from ascent_xl.ledger import Schedule, run_ledger
from ascent_xl.ledger.schedule import ratio_text
from ascent_xl.market import MarketData

SCHEDULE_OUT = (".csv", ".xlsx")

# The terminal's columns of the schedule: (header, kind). "Deal principal" is the principal
# outstanding over all notes after the row; "Detail" says what a row without numbers did (a split's
# ratio, an amendment's term, an election's choice).
_WIDE_COLUMNS = (
    ("Date", KEY), ("Event", TEXT), ("Note", KEY), ("Converted", NUMBER), ("Price", NUMBER),
    ("Shares", NUMBER), ("Floor pay", NUMBER), ("Interest", NUMBER), ("Repaid", NUMBER),
    ("Cash paid", NUMBER), ("Deal principal", NUMBER), ("Shares out", NUMBER), ("Holder", NUMBER),
    ("OK", KEY), ("Detail", TEXT),
)
# Narrower: the note under the event, the price under the amount converted; a row without
# numbers (a split, an amendment, an election...) says what it did in the space of the numbers.
_NARROW_COLUMNS = (
    ("Date", KEY), ("Event / note", KEY), ("Converted at price", NUMBER), ("Shares", NUMBER),
    ("Cash paid", NUMBER), ("Deal principal", NUMBER), ("Floor pay", NUMBER), ("Interest", NUMBER),
    ("Repaid", NUMBER), ("Holder", NUMBER), ("Shares out", NUMBER), ("OK", KEY),
)
_NARROW_DROP = ("Shares out", "OK", "Repaid", "Floor pay", "Holder", "Interest")
_SPILL = (2, 5)  # "Converted at price" to "Cash paid"

# rows whose numbers are all blank: their Detail is what they did
_NUMBERS = ("Principal Converted", "Shares Issued", "Floor Payment", "Interest Paid Cash", "Interest PIK",
            "Principal Repaid", "Cash Paid")


def _cells(r: dict[str, Any]) -> dict[str, str]:
    interest = usd0(r["Interest Paid Cash"])
    if r["Interest PIK"]:
        interest = f"{usd0(r['Interest PIK'])} PIK"
    quiet = not any(r.get(k) for k in _NUMBERS)
    converted = usd0(r["Principal Converted"])
    at_price = price(r["Conversion Price"]) if r["Conversion Price"] else ""
    return {
        "Date": day(r["Date"]),
        "Event": r["Event"],
        "Note": r["Note"] or "",
        "Converted": converted,
        "Price": at_price,
        "Shares": shares(r["Shares Issued"]) if r["Shares Issued"] else "",
        "Floor pay": usd0(r["Floor Payment"]),
        "Interest": interest,
        "Repaid": usd0(r["Principal Repaid"]),
        "Cash paid": usd0(r["Cash Paid"]),
        "Deal principal": usd(r["Total Principal"], 0),
        "Shares out": shares(r["Shares Outstanding"]),
        "Holder": pct(r["Holder Ownership"]),
        "OK": "[green]yes[/]" if r["Check"] else "[bold red]NO[/]",
        "Detail": str(r.get("Detail") or "") if quiet else "",
        "Event / note": "\n".join(x for x in (r["Event"], r["Note"] or "") if x),
        "Converted at price": "\n".join(x for x in (converted, at_price and f"at {at_price}") if x),
    }


def schedule_table(schedule: Schedule, title: str, *, more: str = "--wide shows them; --out FILE.xlsx has every column") -> object:
    """The schedule in the terminal, in whole dollars (cents below $1,000): one line a row when
    the width allows, else the note and the price stacked under the event and the amount, and
    what a row without numbers did in their place."""
    cells = [_cells(r) for r in schedule.rows]
    title += " (Deal principal: all notes' principal outstanding after the row)"
    cols = [c for c, _ in _WIDE_COLUMNS]
    kinds = [k for _, k in _WIDE_COLUMNS]
    rows = [[c[name] for name in cols] for c in cells]
    if layout(cols, kinds, rows, width=output_width()) is not None:
        return table(title, cols, rows, kinds=kinds)
    cols = [c for c, _ in _NARROW_COLUMNS]
    kinds = [k for _, k in _NARROW_COLUMNS]
    rows = [[c[name] for name in cols] for c in cells]
    notes = [str(r.get("Detail") or "") for r in schedule.rows]
    return spilled_table(title, cols, kinds, rows, notes, spill=_SPILL, drop=_NARROW_DROP, more=more)


def summary_table(schedule: Schedule) -> object:
    """Per-note totals and the deal total. Shares are shown as issued, one figure per share basis
    (never added across a split), and restated to the current basis."""
    frame = schedule.summary()
    bases = schedule.share_bases()
    share_cols = [f"Shares Issued {b}".strip() for b in bases]
    if len(bases) == 1:
        share_heads = ["Shares issued"]
    elif len(bases) == 2:
        share_heads = ["Shares old basis", "Shares new basis"]
    else:
        share_heads = [f"Shares basis {k + 1}" for k in range(len(bases))]
    cols = ("Note", "Issued", "Converted", "Repaid", "Outstanding", *share_heads, "Shares restated",
            "Floor payments", "Interest cash", "Interest PIK", "Conserved")
    rows = [
        (
            r["Note"],
            usd(r["Principal Issued"]),
            usd(r["Principal Converted"]),
            usd(r["Principal Repaid"]),
            usd(r["Principal Outstanding"]),
            *(shares(r[c]) for c in share_cols),
            shares(r["Shares Restated"]),
            usd(r["Floor Payments"]),
            usd(r["Interest Paid Cash"]),
            usd(r["Interest PIK"]),
            "yes" if r["Conserved"] else "NO",
        )
        for r in frame.to_dict("records")
    ]
    title = "Per note and in total: issued = converted + repaid + outstanding"
    more = _share_legend(schedule, share_heads, bases)
    if layout(cols, (KEY,) + (NUMBER,) * (len(cols) - 1), rows, width=output_width()) is None:
        # too wide: one column per note, one line per figure
        notes = [r[0] for r in rows]
        figures = [[cols[j]] + [r[j] for r in rows] for j in range(1, len(cols))]
        return Group(table(title, ["", *notes], figures, kinds=(TEXT,) + (NUMBER,) * len(notes)), Text(more))
    return Group(table(title, cols, rows), Text(more))


def _share_legend(schedule: Schedule, heads: list[str], bases: list[str]) -> str:
    """Under the summary: which shares each share figure counts."""
    if len(bases) == 1:
        return "Shares issued on conversion; no split, so restated = as issued."
    if len(bases) == 2:
        (day, ratio), = schedule.state.splits
        return (f"Shares old basis: as issued before the {ratio_text(ratio)} split of {day}; new basis: as "
                f"issued from it; restated: all on the new basis (old {f'/ {1 / ratio:g}' if ratio < 1 else f'x {ratio:g}'} + new).")
    parts = [f"{h[len('Shares '):]}: as issued {b}" for h, b in zip(heads, bases, strict=True)]
    return f"Shares {'; '.join(parts)}; restated: all of them on the last basis ({schedule.share_basis_note()})."


def flags_table(schedule: Schedule, limit: int = 12) -> object:
    """Distinct covenant flags with the first date each was raised."""
    seen: dict[str, tuple[str, str, int]] = {}
    for f in schedule.flags:
        key = f"{f.code}:{f.reason.split(':')[0] if f.code == 'cap' else f.reason}"
        if f.code in ("reserve", "min-cash"):
            key = f.code  # the same breach repeats on every row; show it once with a count
        first = seen.get(key)
        seen[key] = (first[0], first[1], first[2] + 1) if first else (day(f.date), f"{f.code}: {f.reason}", 1)
    rows = [(d, text if n == 1 else f"{text} (and {n - 1} more row{'s' if n > 2 else ''})")
            for d, text, n in list(seen.values())[:limit]]
    if len(seen) > limit:
        rows.append(("", f"... {len(seen) - limit} more; see the Flags column"))
    return table("Covenant and limit flags (first date)", ("Date", "Flag"), rows, kinds=(KEY, TEXT))


def print_schedule(schedule: Schedule, title: str, *, more: str = "--wide shows them; --out FILE.xlsx has every column") -> None:
    """Print the schedule, the per-note summary and the flags."""
    out = console()
    out.print(schedule_table(schedule, title, more=more))
    if not all(r["Check"] for r in schedule.rows):
        out.print("[bold red]Principal is not conserved on some rows (the OK column says which).[/]")
    out.print(summary_table(schedule))
    if schedule.flags:
        out.print(flags_table(schedule))


@cli.command("schedule")
@events_option(required=True, help="CSV of the deal's events: Date,Event,Note,Amount,Value (the kinds above).")
@vwaps_option(required=True)
@TERMS_OPTION
@click.option("--out", "out_file", type=FILE,
              help="Write the full schedule (every column, to the cent) to FILE.csv, or to FILE.xlsx "
              "with a Summary sheet.")
@WIDE_OPTION
def schedule_cmd(events_file: Path, vwaps_file: Path, terms_file: Path | None, out_file: Path | None) -> None:
    """Run the deal ledger over your events and print the schedule.

    \b
    The events file: columns Date,Event,Note,Amount,Value, a row per event.
    Event               Note / Amount / Value   ([x]: what a blank means)
    Issue               note / principal [face] / registered, private,
                        additional or pik
    Conversion          note / principal [all] / interest converted (USD, all)
    Interest Election   note [all] / - / cash, pik, pik or cash, pik or private
    Prepayment          note [all] / principal [all] / premium [1.00], financing
    Optional Prepay     - / - / notice YYYY-MM-DD (the company's notice)
    Change of Control   note [all] / principal [all] / notice YYYY-MM-DD
    Default             note [all] / - / redeem [YYYY-MM-DD], demand, pay,
                        reset, or blank (the notice)
    Waiver              note [all] / - / [by HOLDER, ...]
    Amendment           note or holder [all] / - / term = value, e.g.
                        floor_price = 0.20
    Termination Notice  - / - / - (the company ends the purchase agreement)
    Split               - / - / new:old (1:200), or none (the jump is real)
    Dilutive Issue      - / shares issued / price per share
    Warrant Exercise    - / warrant shares [all] / cash or cashless
    Holder Sale         holder or note / shares sold [all] / -
    Shares Outstanding, Share Reserve, Cash Balance: - / - / the number

    Interest dates, maturities, resets and installments are added by the ledger,
    and price-triggered payments (those after the last VWAP say they are
    projected).
    """
    check_out_file(out_file, SCHEDULE_OUT)
    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar)
    schedule = run_ledger(terms, events_from_csv(events_file), market)
    print_schedule(schedule, f"Schedule - {terms.name}")
    if out_file is not None:
        write_schedule(schedule, out_file)
        click.echo(f"wrote {out_file}")


def write_schedule(schedule: Schedule, path: Path) -> None:
    """Write the schedule as CSV or XLSX (by the file's extension), atomically."""
    check_out_file(path, SCHEDULE_OUT)
    if path.suffix.lower() == ".xlsx":
        from ascent_xl.excel.export import export_schedule_xlsx

        export_schedule_xlsx(schedule, path)
    else:
        from ascent_xl.csvfile import csv_text
        from ascent_xl.fileio import atomic_write_text

        frame = schedule.frame.map(csv_text)  # a text is never a formula in a spreadsheet
        atomic_write_text(path, frame.to_csv(index=False, date_format="%Y-%m-%d"))
