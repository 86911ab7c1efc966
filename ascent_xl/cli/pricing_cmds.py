"""Commands of the terms engine: ``price`` and ``terms``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ascent_xl.cli.app import cli
from ascent_xl.cli.options import (
    FILE,
    NO_SPLIT_OPTION,
    NO_SPLIT_WAY_OUT,
    TERMS_OPTION,
    USD,
    WIDE_OPTION,
    check_after_issue,
    check_amount_as_issued,
    check_note_name,
    check_out_file,
    check_trading_day,
    check_window_in_data,
    events_option,
    load_deal_terms,
    notice_date_option,
    vwaps_option,
)
from ascent_xl.cli.render import (
    KEY,
    NUMBER,
    TEXT,
    console,
    day,
    fee_tiers,
    layout,
    output_width,
    price,
    shares,
    table,
    usd,
)
from ascent_xl.market import MarketData
from ascent_xl.pricing import CappedConversion, quote_conversion
from ascent_xl.terms import DealTerms, term_label


# ---------------------------------------------------------------------------------------------
@cli.command("price")
@vwaps_option(required=True)
@notice_date_option("--notice", required=False)
@click.option("--amount", type=USD, default=None,
              help="Principal to convert, USD (with --notices: for rows without an amount) "
              "[default: the first note's face; with --events, all of the note's outstanding principal].")
@click.option("--notices", "notices_file", type=FILE,
              help="CSV of many notices, columns Notice Date[,Amount]: all priced in one call "
              "(with --events: [,Note] too, each on the deal's state that day).")
@click.option("--out", "out_file", type=FILE,
              help="With --notices: write every quote to FILE.csv or FILE.xlsx.")
@TERMS_OPTION
@events_option(required=False, help="The deal's events (CSV): price on the deal's state that day (splits, "
               "amended floor, reset or ratcheted fixed price, the holder's shares and the cap).")
@click.option("--note", default=None, help="With --events: the note converted (with --notices: for rows without "
              "a Note) [default: the first with principal outstanding].")
@NO_SPLIT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the quote as a JSON object.")
@WIDE_OPTION
def price_cmd(vwaps_file: Path, notice_date: dt.datetime | None, amount: float | None, notices_file: Path | None,
              out_file: Path | None, terms_file: Path | None, events_file: Path | None, note: str | None,
              no_split: bool, as_json: bool) -> None:
    """Price one conversion (--notice-date) or a file of them (--notices) from your own VWAP data.

    Without --events the notice is priced on the terms as issued. With --events each notice is
    priced on the deal's state that day, before that day's conversions (as the book's Conversions
    sheet prices a row); a notice is a question, not an event: the notices of a file do not
    change each other's state. A look-back window that
    crosses a day-over-day VWAP jump a split would explain (conversion.split_jump_threshold) is
    refused naming both days: give --events with the Split event, or --no-split."""
    from ascent_xl.cli.batch import NOTICES_OUT

    notice = notice_date
    if (notice is None) == (notices_file is None):
        raise click.UsageError("give --notice-date DATE for one conversion, or --notices FILE.csv for many")
    if out_file is not None and notices_file is None:
        raise click.UsageError("--out writes the quotes of --notices FILE.csv")
    if notices_file is not None and as_json:
        raise click.UsageError("--json prints one --notice-date's quote; --out FILE.csv writes every quote of "
                               "--notices")
    if note is not None and events_file is None:
        raise click.UsageError("--note names a note of the deal's state: give --events too")
    check_out_file(out_file, NOTICES_OUT)
    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar)
    if notices_file is not None and events_file is not None:
        _price_many_on_state(terms, market, notices_file, events_file, amount, note, out_file, no_split,
                             vwaps_file.name)
        return
    if notices_file is not None:
        check_amount_as_issued(amount, terms, way_out="")
        amt = terms.notes[0].face if amount is None else amount
        _price_many(terms, market, notices_file, amt, out_file, no_split, vwaps_file.name)
        return
    assert notice is not None
    check_trading_day(notice.date(), market.calendar, "--notice-date")
    if events_file is not None:
        _price_on_state(terms, market, events_file, notice.date(), amount, note, no_split, as_json)
        return
    check_after_issue(notice.date(), terms)
    check_window_in_data(notice.date(), market, terms.conversion.alternate_price_days, vwaps_file.name)
    check_amount_as_issued(amount, terms)
    amt = terms.notes[0].face if amount is None else amount
    q = quote_conversion(terms, market, notice_date=notice.date(), amount=amt, no_split=no_split,
                         way_out=NO_SPLIT_WAY_OUT)
    if as_json:
        import json

        from ascent_xl.ledger.position import conversion_dict

        record = conversion_dict(q)
        record["basis"] = "terms as issued (no events)"
        click.echo(json.dumps(record, indent=2))
        return
    c = terms.conversion
    issue = terms.closing
    rows = [
        ("Notice date", day(q.notice_date)),
        ("Amount converted", usd(q.amount)),
        ("Fixed price", price(q.fixed_price)),
        _alternate_row(c, q),
        _floor_row(c, q.floor_price),
        ("Conversion price", price(q.conversion_price)),
        ("Floor binds", "yes" if q.floor_binds else "no"),
        (f"Shares (rounded {c.share_rounding})", shares(q.shares)),
        (f"{terms.conversion.price_name} on the conversion date", price(q.vwap)),
        ("Floor payment (cash)", usd(q.floor_payment)),
    ]
    console().print(table(f"Conversion on {day(q.notice_date)} - {terms.name}", ("Item", "Value"), rows,
                          kinds=(TEXT, "number")))
    _say_no_alternate(c, q.alternate_applies, q.notice_date, issue)
    console().print(AS_ISSUED, markup=False)


AS_ISSUED = ("Priced on the terms as issued: no split, amendment, reset or ownership cap applied; "
             "--events FILE prices on the deal's state that day.")
"""What a quote without ``--events`` says under it."""


def _alternate_row(c: Any, q: CappedConversion, restated: str = "") -> tuple[str, str]:
    """The alternate price's row of a quote (its discount as priced that day, deepened in
    default); "none" on a day it does not apply."""
    if not q.alternate_applies:
        return "Alternate price", "none"
    return (f"Alternate price ({1 - q.alternate_discount:.1%} of {c.alternate_price_lowest} lowest of "
            f"{c.alternate_price_days}{restated})", price(q.alternate_price))


def _floor_row(c: Any, floor: float, whose: str = "") -> tuple[str, str]:
    """The floor's row of a quote; "none" for a deal without a floor (floor rule none)."""
    return (f"Floor price{whose}", "none" if c.floor_mode == "none" else price(floor))


def _say_no_alternate(c: Any, applies: bool, notice: dt.date, issue: dt.date | None) -> None:
    """Under a quote of a day with no alternate price: when the deal's applies."""
    if not applies:
        from ascent_xl.notice import alternate_rule

        console().print(f"No alternate price on {day(notice)}: {alternate_rule(c, issue)}; the fixed price "
                        "stands.", markup=False)




def _price_on_state(terms: DealTerms, market: MarketData, events_file: Path, notice: dt.date,
                    amount: float | None, note: str | None, no_split: bool, as_json: bool) -> None:
    """One notice priced on the deal's state that day (the ledger over the events)."""
    from ascent_xl.events import events_from_csv
    from ascent_xl.ledger.position import (
        conversion_dict,
        conversion_quote,
        note_to_convert,
        share_basis,
    )

    events = events_from_csv(events_file)
    check_note_name(note, terms, events)
    q, state = conversion_quote(terms, market, events, notice_date=notice, amount=amount,
                                note=note, no_split=no_split)
    held = note_to_convert(state, note, notice)  # the note the quote converted
    name = held.name
    if as_json:
        import json

        record = conversion_dict(q, note=name)
        record["basis"] = f"deal state on {notice}: {share_basis(state)}"
        click.echo(json.dumps(record, indent=2))
        return
    c = state.terms.conversion
    rows = [
        ("Notice date", day(q.notice_date)),
        ("Note", name),
        ("Share basis", share_basis(state)),
        ("Principal asked to convert", usd(q.principal_requested)),
        ("Fixed price (the note's, that day)", price(q.fixed_price)),
        _alternate_row(c, q, " restated VWAPs"),
        _floor_row(c, q.floor_price, " (the note's, that day)"),
        ("Conversion price", price(q.conversion_price)),
        ("Floor binds", "yes" if q.floor_binds else "no"),
        (f"Cut by the {q.ownership_cap:.2%} cap", "yes" if q.capped else "no"),
        ("Principal converted", usd(q.principal_converted)),
        (f"Shares (rounded {c.share_rounding})", shares(q.shares)),
        (f"{state.terms.conversion.price_name} on the conversion date", price(q.vwap)),
        ("Floor payment (cash)", usd(q.floor_payment)),
    ]
    console().print(table(f"Conversion on {day(q.notice_date)} on the deal's state - {terms.name}",
                          ("Item", "Value"), rows, kinds=(TEXT, "number")))
    _say_no_alternate(c, q.alternate_applies, q.notice_date, held.issue_date)


def _price_many(terms: DealTerms, market: MarketData, path: Path, amount: float, out_file: Path | None,
                no_split: bool = False, vwaps_name: str = "the VWAP file") -> None:
    from ascent_xl.cli.batch import price_notices, read_notices, write_quotes

    notices = read_notices(path, calendar=market.calendar, amount=amount)
    rows = price_notices(terms, market, notices, no_split=no_split, vwaps_name=vwaps_name)
    if out_file is not None:
        write_quotes(rows, out_file)
        binds = sum(r["Floor Binds"] for r in rows)
        console().print(f"priced {len(rows):,} notices of {notices.name} in one call ({binds:,} where the floor "
                        f"binds); wrote {out_file}. {AS_ISSUED}", markup=False)
        return
    cols = ("Line", "Notice", "Amount", "Alternate", "Price", "Floor binds", "Shares", "Floor payment")
    shown = [(r["Line"], day(r["Notice Date"]), usd(r["Amount"]), price(r["Alternate Price"]),
              price(r["Conversion Price"]), "yes" if r["Floor Binds"] else "no", shares(r["Shares"]),
              usd(r["Floor Payment"])) for r in rows]
    title = f"Conversions of {notices.name} - {terms.name}; fixed price {price(rows[0]['Fixed Price'])}"
    console().print(table(title, cols, shown, kinds=(KEY, KEY, NUMBER, NUMBER, NUMBER, KEY, NUMBER, NUMBER),
                          drop=("Line", "Alternate"), more="--out FILE.csv has every field"))
    console().print(AS_ISSUED, markup=False)


def _price_many_on_state(terms: DealTerms, market: MarketData, path: Path, events_file: Path,
                         amount: float | None, note: str | None, out_file: Path | None, no_split: bool,
                         vwaps_name: str) -> None:
    """``--notices`` with ``--events``: each notice on the deal's state that day."""
    from ascent_xl.cli.batch import price_notices_on_state, read_notices, write_quotes
    from ascent_xl.events import events_from_csv

    events = events_from_csv(events_file)
    check_note_name(note, terms, events)
    notices = read_notices(path, calendar=market.calendar, amount=amount, on_state=True, note=note)
    rows = price_notices_on_state(terms, market, events, notices, no_split=no_split, vwaps_name=vwaps_name)
    if out_file is not None:
        write_quotes(rows, out_file, on_state=True)
        capped = sum(r["Capped"] for r in rows)
        binds = sum(r["Floor Binds"] for r in rows)
        console().print(f"priced {len(rows):,} notices of {notices.name}, each on the deal's state that day "
                        f"(the events of {events_file.name}; {binds:,} where the floor binds, {capped:,} cut by "
                        f"the ownership cap); wrote {out_file}", markup=False)
        return
    cols = ("Line", "Notice", "Note", "Amount", "Price", "Capped", "Converted", "Shares", "Floor payment")
    shown = [(r["Line"], day(r["Notice Date"]), r["Note"], usd(r["Amount"]), price(r["Conversion Price"]),
              "yes" if r["Capped"] else "no", usd(r["Principal Converted"]), shares(r["Shares"]),
              usd(r["Floor Payment"])) for r in rows]
    title = f"Conversions of {notices.name} on the deal's state ({events_file.name}) - {terms.name}"
    console().print(table(title, cols, shown, kinds=(KEY, KEY, KEY, NUMBER, NUMBER, KEY, NUMBER, NUMBER, NUMBER),
                          drop=("Line", "Capped", "Amount"), more="--out FILE.csv has every field"))


# ---------------------------------------------------------------------------------------------
@cli.group("terms")
def terms_group() -> None:
    """Show or export deal terms."""


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


@terms_group.command("show")
@TERMS_OPTION
@WIDE_OPTION
def terms_show(terms_file: Path | None) -> None:
    """List every term with its label, value, unit and meaning.

    The names are those a terms file uses (`conversion.floor_price` is `floor_price` under
    `[conversion]`) and an Amendment event takes (`floor_price = 0.20`).
    """
    from rich.padding import Padding
    from rich.text import Text

    terms = load_deal_terms(terms_file)
    rows = []
    for name, value in terms.flat().items():
        unit, doc = DealTerms.describe(name)
        if name == "placement.fee_tier_rates":  # the two lists read together
            tiers = fee_tiers(terms.placement.fee_tier_limits, terms.placement.fee_tier_rates)
            doc = "\n".join([f"{doc}; the tiers:", *(f"  {t}" for t in tiers)])  # a tier per line, never split
        rows.append((name, term_label(name, cut=False), _shown(value), unit, doc))
    cols = ("Term", "Label", "Value", "Unit", "Meaning")
    kinds = (KEY, TEXT, TEXT, TEXT, TEXT)
    out = console()
    if layout(cols, kinds, rows, width=output_width()) is not None:
        out.print(table(terms.name, cols, rows, kinds=kinds))
        return
    # too narrow for a table: each term on a line (name = value unit), its label and its
    # meaning indented below, wrapped at words within the indent
    out.print(f"[bold]{escape(terms.name)}[/]: {len(rows)} terms (--wide prints them as a table)\n")
    for name, label, value, unit, doc in rows:
        shown_unit = "" if unit == "text" else f"  [dim]({escape(unit)})[/]"
        out.print(f"[bold cyan]{escape(name)}[/] = {escape(value)}{shown_unit}", overflow="fold")
        head = label.split(": ", 1)[-1]
        said = doc if doc != head else ""  # the meaning, where it says more than the label
        for text in (Text(label, "bold"), Text(said)) if said else (Text(label, "bold"),):
            out.print(Padding(text, (0, 0, 0, 4), expand=False))


@terms_group.command("export", short_help="Write the terms to a .toml or .json file to edit.")
@click.argument("path", type=FILE)
@TERMS_OPTION
@click.option("--force", is_flag=True, help="Replace PATH if it exists (its previous version is kept as PATH.bak).")
def terms_export(path: Path, terms_file: Path | None, force: bool) -> None:
    """Write the terms (--terms, or the ASTI_2022 preset) to PATH (.toml or .json) to edit for
    another deal. An existing PATH is refused unless --force."""
    from ascent_xl.errors import AscentError
    from ascent_xl.terms_io import save_terms

    if path.suffix.lower() not in (".toml", ".json"):
        raise AscentError(f"{path}: terms are written as .toml or .json; name the file deal.toml or deal.json")
    if path.exists() and not force:
        raise AscentError(f"{path} exists (it may hold your edits); give --force to replace it, or another name")
    terms = load_deal_terms(terms_file)
    save_terms(terms, path)
    click.echo(f"wrote {path}")
