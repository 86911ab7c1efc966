"""Commands of the terms engine: ``price`` and ``terms``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.markup import escape

from ascent_xl.cli.app import cli
from ascent_xl.cli.options import (
    DATE,
    FILE,
    TERMS_OPTION,
    WIDE_OPTION,
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
    price,
    shares,
    table,
    usd,
)
from ascent_xl.market import MarketData
from ascent_xl.pricing import quote_conversion
from ascent_xl.terms import DealTerms


# ---------------------------------------------------------------------------------------------
@cli.command("price")
@vwaps_option(required=True)
@click.option("--notice", type=DATE, help="Conversion notice date, YYYY-MM-DD (a trading day).")
@click.option("--amount", type=float, default=None,
              help="Principal to convert, USD; default: the first note's face (with --notices: "
              "for rows without an amount).")
@click.option("--notices", "notices_file", type=FILE,
              help="CSV of many notices, columns Notice Date[,Amount]: all priced in one call.")
@click.option("--out", "out_file", type=FILE,
              help="With --notices: write every quote to FILE.csv or FILE.xlsx.")
@TERMS_OPTION
@WIDE_OPTION
def price_cmd(vwaps_file: Path, notice: dt.datetime | None, amount: float | None, notices_file: Path | None,
              out_file: Path | None, terms_file: Path | None) -> None:
    """Price one conversion (--notice) or a file of them (--notices) from your own VWAP data."""
    from ascent_xl.cli.batch import NOTICES_OUT
    from ascent_xl.cli.ledger_cmds import check_out_file

    if (notice is None) == (notices_file is None):
        raise click.UsageError("give --notice DATE for one conversion, or --notices FILE.csv for many")
    if out_file is not None and notices_file is None:
        raise click.UsageError("--out writes the quotes of --notices FILE.csv")
    check_out_file(out_file, NOTICES_OUT)
    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar)
    amt = terms.notes[0].face if amount is None else amount
    if notices_file is not None:
        _price_many(terms, market, notices_file, amt, out_file)
        return
    assert notice is not None
    q = quote_conversion(terms, market, notice_date=notice.date(), amount=amt)
    c = terms.conversion
    rows = [
        ("Notice date", day(q.notice_date)),
        ("Amount converted", usd(q.amount)),
        ("Fixed price", price(q.fixed_price)),
        (f"Alternate price ({1 - c.alternate_price_discount:.1%} of {c.alternate_price_lowest} lowest of {c.alternate_price_days})",
         price(q.alternate_price)),
        ("Floor price", price(q.floor_price)),
        ("Conversion price", price(q.conversion_price)),
        ("Floor binds", "yes" if q.floor_binds else "no"),
        (f"Shares (rounded {c.share_rounding})", shares(q.shares)),
        ("VWAP on the conversion date", price(q.vwap)),
        ("Floor payment (cash)", usd(q.floor_payment)),
    ]
    console().print(table(f"Conversion on {day(q.notice_date)} - {terms.name}", ("Item", "Value"), rows,
                          kinds=(TEXT, "number")))


def _price_many(terms: DealTerms, market: MarketData, path: Path, amount: float, out_file: Path | None) -> None:
    from ascent_xl.cli.batch import price_notices, read_notices, write_quotes

    notices = read_notices(path, calendar=market.calendar, amount=amount)
    rows = price_notices(terms, market, notices)
    if out_file is not None:
        write_quotes(rows, out_file)
        binds = sum(r["Floor Binds"] for r in rows)
        click.echo(f"priced {len(rows):,} notices of {notices.name} in one call ({binds:,} where the floor "
                   f"binds); wrote {out_file}")
        return
    cols = ("Line", "Notice", "Amount", "Alternate", "Price", "Floor binds", "Shares", "Floor payment")
    shown = [(r["Line"], day(r["Notice Date"]), usd(r["Amount"]), price(r["Alternate Price"]),
              price(r["Conversion Price"]), "yes" if r["Floor Binds"] else "no", shares(r["Shares"]),
              usd(r["Floor Payment"])) for r in rows]
    title = f"Conversions of {notices.name} - {terms.name}; fixed price {price(rows[0]['Fixed Price'])}"
    console().print(table(title, cols, shown, kinds=(KEY, KEY, NUMBER, NUMBER, NUMBER, KEY, NUMBER, NUMBER),
                          drop=("Line", "Alternate"), more="--out FILE.csv has every field"))


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
    """List every term with its value, unit and meaning.

    The names are those a terms file uses (`conversion.floor_price` is `floor_price` under
    `[conversion]`) and an Amendment event takes (`floor_price = 0.20`).
    """
    terms = load_deal_terms(terms_file)
    rows = []
    for name, value in terms.flat().items():
        unit, doc = DealTerms.describe(name)
        rows.append((name, _shown(value), unit, doc))
    cols = ("Term", "Value", "Unit", "Meaning")
    kinds = (KEY, TEXT, TEXT, TEXT)
    out = console()
    if layout(cols, kinds, rows, width=output_width()) is not None:
        out.print(table(terms.name, cols, rows, kinds=kinds))
        return
    # too narrow for a table: each term on a line (name = value unit), its meaning indented below
    out.print(f"[bold]{escape(terms.name)}[/]: {len(rows)} terms (--wide prints them as a table)\n")
    for name, value, unit, doc in rows:
        shown_unit = "" if unit == "text" else f"  [dim]({escape(unit)})[/]"
        out.print(f"[bold cyan]{escape(name)}[/] = {escape(value)}{shown_unit}", overflow="fold")
        out.print(f"    {escape(doc)}", overflow="fold")


@terms_group.command("export")
@click.argument("path", type=FILE)
@TERMS_OPTION
@click.option("--force", is_flag=True, help="Replace PATH if it exists (its previous version is kept as PATH.bak).")
def terms_export(path: Path, terms_file: Path | None, force: bool) -> None:
    """Write the terms (default: ASTI_2022) to PATH (.toml or .json) to edit for another deal."""
    from ascent_xl.errors import AscentError
    from ascent_xl.terms_io import save_terms

    if path.suffix.lower() not in (".toml", ".json"):
        raise AscentError(f"{path}: terms are written as .toml or .json; name the file deal.toml or deal.json")
    if path.exists() and not force:
        raise AscentError(f"{path} exists (it may hold your edits); give --force to replace it, or another name")
    terms = load_deal_terms(terms_file)
    save_terms(terms, path)
    click.echo(f"wrote {path}")
