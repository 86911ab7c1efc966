"""Commands of the terms engine: ``demo``, ``price`` and ``terms``."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from ascent_xl.calendar import day_text
from ascent_xl.cli import cli
from ascent_xl.cli.render import console, day, pct, price, shares, table, usd
from ascent_xl.fees import deal_placement_fee, offering_proceeds
from ascent_xl.interest import interest_schedule
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import (
    conversion_shares,
    fixed_conversion_price,
    quote_conversion,
    quote_conversions,
    resolve_fixed_price,
)
from ascent_xl.terms import DealTerms
from ascent_xl.terms_io import load_terms, save_terms

TERMS_OPTION = click.option(
    "--terms",
    "terms_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Deal terms file (.toml or .json); default: the ASTI_2022 preset.",
)

DEMO_AMOUNT = 200_000.0  # principal per sample conversion in the demo (an example, not a term)
DEMO_NOTICES = (
    "2023-01-03",
    "2023-02-01",
    "2023-03-01",
    "2023-03-15",
    "2023-03-22",
    "2023-03-28",
    "2023-05-01",
    "2023-08-01",
)


def load_deal_terms(path: Path | None) -> DealTerms:
    """The terms in ``path``, or the ASTI_2022 preset."""
    return ASTI_2022 if path is None else load_terms(path)


# ---------------------------------------------------------------------------------------------
@cli.command()
def demo() -> None:
    """Run the built-in example: the ASTI_2022 deal on illustrative sample VWAPs.

    Prints the fixed price and the supplement's share count, conversions on sample notice dates
    (where the floor binds, the floor payment), the interest schedule, and fees and proceeds.
    """
    from ascent_xl.samples import sample_market

    terms = ASTI_2022
    market = sample_market()
    out = console()
    out.rule(f"[bold]ascent-xl demo[/] - {terms.name}")
    out.print(
        f"{terms.issuer}. Terms: ASTI_2022 preset. Market data: bundled sample VWAPs "
        f"{day(market.first_date)} to {day(market.last_date)} "
        "[bold red](illustrative, not market data)[/].\n"
    )
    out.print(_notes_table(terms))
    _print_fixed_price(out, terms, market)
    out.print(_conversions_table(terms, market, [np.datetime64(d) for d in DEMO_NOTICES], DEMO_AMOUNT))
    out.print(
        "  Floor payment = (amount / unfloored price - amount / floor) x VWAP on the conversion "
        "date, paid in cash.\n"
    )
    for note in terms.notes:
        out.print(_interest_table(note))
    out.print(_fees_table(terms))
    _print_sample_schedule(terms, market)
    _print_sample_valuation(terms)


def _print_sample_valuation(terms: DealTerms) -> None:
    from ascent_xl.cli.valuation_cmds import fair_value_table, run_line
    from ascent_xl.valuation import value_deal
    from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL, DEMO_PATHS

    r = value_deal(terms, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR, paths=DEMO_PATHS, seed=0)
    out = console()
    out.rule("[bold]Fair value and dilution at issue: Monte Carlo on illustrative assumptions[/]")
    out.print(run_line(r))
    out.print(f"Assumed: spot ${DEMO_MODEL.spot:g}, volatility {DEMO_MODEL.volatility:.0%}, rate "
              f"{DEMO_MODEL.rate:.1%}, credit spread {DEMO_MODEL.credit_spread:.0%} (see `ascent-xl value --help`).")
    out.print(fair_value_table(r))
    out.print(
        f"  Shares issued: median {shares(r.shares_issued.quantile(50))} "
        f"({pct(r.shares_issued.quantile(50) / r.shares_outstanding, 1)} of the shares outstanding), "
        f"95th percentile {shares(r.shares_issued.quantile(95))}; the floor binds on "
        f"{pct(r.floor_probability.value, 2)} of paths.\n"
    )


def _print_sample_schedule(terms: DealTerms, market: MarketData) -> None:
    from ascent_xl.cli.ledger_cmds import print_schedule
    from ascent_xl.events import events_from_csv
    from ascent_xl.ledger import run_ledger
    from ascent_xl.samples import SAMPLE_EVENTS, data_path

    schedule = run_ledger(terms, events_from_csv(data_path(SAMPLE_EVENTS)), market)
    console().rule("[bold]The example deal's life: bundled sample events through the ledger[/]")
    print_schedule(schedule, "Schedule (sample events; interest dates and maturities added by the ledger)")


def _notes_table(terms: DealTerms) -> object:
    rows = [
        (
            n.name,
            usd(n.face, 0),
            usd(n.purchase_price, 0),
            usd(n.original_issue_discount, 0),
            day(n.issue_date),
            day(n.maturity),
            pct(n.rate, 1),
            n.day_count,
        )
        for n in terms.notes
    ]
    cols = ("Note", "Face", "Purchase price", "OID", "Issue", "Maturity", "Rate", "Day count")
    return table("Notes", cols, rows)


def _print_fixed_price(out: object, terms: DealTerms, market: MarketData) -> None:
    c = terms.conversion
    issue = min(n.issue_date for n in terms.notes)
    window = market.window(np.datetime64(issue, "D"), c.fixed_price_days, what="issue date")[0]
    days = market.calendar.sessions_before(issue, c.fixed_price_days)
    computed = fixed_conversion_price(
        market, issue_date=issue, premium=c.fixed_price_premium, days=c.fixed_price_days
    )
    rows = [(day_text(d), price(v)) for d, v in zip(days, window, strict=True)]
    rows.append(("average", price(float(window.mean()))))
    rows.append((f"x {1 + c.fixed_price_premium:.0%}", price(computed)))
    out.print(table(f"Fixed price: {c.fixed_price_days} VWAPs before {day(issue)}", ("Date", "VWAP"), rows))  # type: ignore[attr-defined]
    fixed = resolve_fixed_price(terms, market)
    first = terms.notes[0]
    n_shares = conversion_shares(first.face, fixed, rounding=c.share_rounding)
    out.print(  # type: ignore[attr-defined]
        f"  Terms' fixed price {price(fixed)} (computed from VWAPs: {price(computed)}).\n"
        f"  {first.name} note {usd(first.face, 0)} / {price(fixed)} = [bold]{shares(n_shares)}[/] shares "
        f"(rounded {c.share_rounding}); {shares(terms.shares_outstanding)} + {shares(n_shares)} = "
        f"{shares(terms.shares_outstanding + n_shares)} shares outstanding.\n"
    )


def _conversions_table(terms: DealTerms, market: MarketData, notices: list[np.datetime64], amount: float) -> object:
    q = quote_conversions(terms, market, notice_dates=np.array(notices), amounts=amount)
    rows = []
    for i in range(len(notices)):
        vwap = q["vwap"][i]
        rows.append(
            (
                day_text(q["notice_date"][i]),
                price(q["alternate_price"][i]),
                price(q["fixed_price"][i]),
                price(q["conversion_price"][i]),
                "[bold red]yes[/]" if q["floor_binds"][i] else "no",
                shares(q["shares"][i]),
                "-" if np.isnan(vwap) else price(vwap),
                usd(q["floor_payment"][i]),
            )
        )
    c = terms.conversion
    title = (
        f"Conversions of {usd(amount, 0)} (alternate = {1 - c.alternate_price_discount:.1%} of the "
        f"{c.alternate_price_lowest} lowest of {c.alternate_price_days} VWAPs; floor {price(c.floor_price)})"
    )
    cols = ("Notice", "Alternate", "Fixed", "Price", "Floor binds", "Shares", "VWAP", "Floor payment")
    return table(title, cols, rows)


def _interest_table(note: object) -> object:
    periods = interest_schedule(note)  # type: ignore[arg-type]
    rows = [(day(p.end), p.days, usd(p.principal, 0), usd(p.interest)) for p in periods]
    rows.append(("total", "", "", usd(sum(p.interest for p in periods))))  # type: ignore[arg-type]
    n = note
    title = (
        f"Interest schedule: {n.name} note, {pct(n.rate, 1)} on {usd(n.face, 0)}, "  # type: ignore[attr-defined]
        f"{n.day_count}, no conversions"  # type: ignore[attr-defined]
    )
    return table(title, ("Interest date", "Days", "Principal", "Interest"), rows)


def _fees_table(terms: DealTerms) -> object:
    fee = deal_placement_fee(terms)
    proceeds = offering_proceeds(terms)
    rows = [("Gross proceeds (" + ", ".join(terms.placement.fee_notes) + ")", usd(fee.gross_proceeds))]
    for t in fee.tiers:
        upper = "above " + usd(t.lower, 0) if t.upper is None else f"{usd(t.lower, 0)} to {usd(t.upper, 0)}"
        rows.append((f"  {pct(t.rate, 0)} of {upper}", usd(t.fee)))
    rows += [
        ("  Discretionary fee", usd(fee.discretionary_fee)),
        ("Placement fee", usd(fee.total)),
        ("Proceeds before expenses", usd(proceeds.before_expenses)),
        ("Other expenses", usd(proceeds.other_expenses)),
        ("Net proceeds", usd(proceeds.net)),
    ]
    return table("Fees and proceeds", ("Item", "USD"), rows)


# ---------------------------------------------------------------------------------------------
@cli.command("price")
@click.option("--vwaps", "vwaps_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with columns Date,VWAP (as traded, one row per trading day).")
@click.option("--notice", required=True, help="Conversion notice date, YYYY-MM-DD (a trading day).")
@click.option("--amount", type=float, default=None,
              help="Principal to convert, USD; default: the first note's face.")
@TERMS_OPTION
def price_cmd(vwaps_file: Path, notice: str, amount: float | None, terms_file: Path | None) -> None:
    """Price one conversion from your own VWAP data."""
    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar)
    amt = terms.notes[0].face if amount is None else amount
    q = quote_conversion(terms, market, notice_date=notice, amount=amt)
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
    console().print(table(f"Conversion on {day(q.notice_date)} - {terms.name}", ("Item", "Value"), rows))


# ---------------------------------------------------------------------------------------------
@cli.group("terms")
def terms_group() -> None:
    """Show or export deal terms."""


@terms_group.command("show")
@TERMS_OPTION
def terms_show(terms_file: Path | None) -> None:
    """List every term with its value, unit and meaning."""
    terms = load_deal_terms(terms_file)
    rows = []
    for name, value in terms.flat().items():
        unit, doc = DealTerms.describe(name)
        shown = ", ".join(map(str, value)) if isinstance(value, tuple) else ("" if value is None else str(value))
        rows.append((name, shown, unit, doc))
    console().print(table(terms.name, ("Term", "Value", "Unit", "Meaning"), rows, numeric_from=99, wrap=True))


@terms_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@TERMS_OPTION
def terms_export(path: Path, terms_file: Path | None) -> None:
    """Write the terms (default: ASTI_2022) to PATH (.toml or .json) to edit for another deal."""
    terms = load_deal_terms(terms_file)
    save_terms(terms, path)
    click.echo(f"wrote {path}")

