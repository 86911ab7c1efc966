"""``ascent-xl demo``: the built-in example deal, end to end."""

from __future__ import annotations

import numpy as np

from ascent_xl.calendar import day_text
from ascent_xl.cli.app import cli
from ascent_xl.cli.ledger_cmds import print_schedule
from ascent_xl.cli.options import WIDE_OPTION
from ascent_xl.cli.render import KEY, NUMBER, TEXT, console, day, pct, price, shares, table, usd
from ascent_xl.cli.valuation_cmds import fair_value_table, run_line
from ascent_xl.fees import deal_placement_fee, offering_proceeds
from ascent_xl.interest import interest_schedule
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import (
    conversion_shares,
    fixed_conversion_price,
    resolve_fixed_price,
)
from ascent_xl.terms import DealTerms, NoteTerms

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


@cli.command()
@WIDE_OPTION
def demo() -> None:
    """Run the built-in example: the ASTI_2022 deal on illustrative sample VWAPs.

    \b
    It prints, in order:
    1. the notes (face, purchase price, OID, dates, rate);
    2. the fixed conversion price from the 5 VWAPs before issue
       ($3.93042) and the supplement's 3,180,322 shares;
    3. conversions of $200,000 on sample notice dates, each on the
       sample deal's state that day (earlier conversions, the cap,
       the amended floor, the ratchet): alternate, fixed, floor and
       conversion prices, where the floor binds, shares, and the
       cash floor payment;
    4. each note's interest schedule (4.5%, 30/360);
    5. the placement fee ($700,000) and the proceeds;
    6. the sample events through the ledger: the schedule, the
       per-note totals, the covenant flags;
    7. the notes' and warrants' fair value at issue by Monte Carlo,
       and the dilution.

    Tables fit the terminal; --wide prints every column.
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
    _print_fixed_price(terms, market)
    out.print(_conversions_table(terms, market, [np.datetime64(d) for d in DEMO_NOTICES], DEMO_AMOUNT))
    out.print(
        f"  (cap): the holder's {pct(terms.conversion.ownership_cap)} ownership cap cuts the conversion "
        "(the shares it holds that day count). Floor payment = (amount / unfloored price - amount / "
        "floor) x VWAP on the conversion date, paid in cash.\n"
    )
    for note in terms.notes:
        out.print(_interest_table(note))
    out.print(_fees_table(terms))
    _print_sample_schedule(terms, market)
    _print_sample_valuation(terms)


def _print_sample_valuation(terms: DealTerms) -> None:
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
    from ascent_xl.events import events_from_csv
    from ascent_xl.ledger import run_ledger
    from ascent_xl.samples import SAMPLE_EVENTS, data_path

    schedule = run_ledger(terms, events_from_csv(data_path(SAMPLE_EVENTS)), market)
    console().rule("[bold]The example deal's life: bundled sample events through the ledger[/]")
    print_schedule(schedule, "Schedule (sample events; interest dates and maturities added by the ledger)",
                   more="--wide shows them")


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
    kinds = (KEY, NUMBER, NUMBER, NUMBER, KEY, KEY, NUMBER, KEY)
    return table("Notes", cols, rows, kinds=kinds, drop=("Day count", "OID"))


def _print_fixed_price(terms: DealTerms, market: MarketData) -> None:
    out = console()
    c = terms.conversion
    issue = terms.closing
    window = market.window(np.datetime64(issue, "D"), c.fixed_price_days, what="issue date")[0]
    days = market.calendar.sessions_before(issue, c.fixed_price_days)
    computed = fixed_conversion_price(
        market, issue_date=issue, premium=c.fixed_price_premium, days=c.fixed_price_days
    )
    rows = [(day_text(d), price(v)) for d, v in zip(days, window, strict=True)]
    rows.append(("average", price(float(window.mean()))))
    rows.append((f"x {1 + c.fixed_price_premium:.0%}", price(computed)))
    out.print(table(f"Fixed price: {c.fixed_price_days} VWAPs before {day(issue)}", ("Date", "VWAP"), rows))
    fixed = resolve_fixed_price(terms, market)
    first = terms.notes[0]
    n_shares = conversion_shares(first.face, fixed, rounding=c.share_rounding)
    out.print(
        f"  Terms' fixed price {price(fixed)} (computed from VWAPs: {price(computed)}).\n"
        f"  {first.name} note {usd(first.face, 0)} / {price(fixed)} = [bold]{shares(n_shares)}[/] shares "
        f"(rounded {c.share_rounding}); {shares(terms.shares_outstanding)} + {shares(n_shares)} = "
        f"{shares(terms.shares_outstanding + n_shares)} shares outstanding.\n"
    )


def _conversions_table(terms: DealTerms, market: MarketData, notices: list[np.datetime64], amount: float) -> object:
    """Conversions of ``amount`` of the first note on the sample deal's state each notice day
    (after the sample events up to it: conversions, the cap, the amended floor, the ratchet)."""
    from ascent_xl.events import events_from_csv
    from ascent_xl.ledger import conversion_quote
    from ascent_xl.samples import SAMPLE_EVENTS, data_path

    events = events_from_csv(data_path(SAMPLE_EVENTS))
    note = terms.notes[0].name
    rows = []
    for d in notices:
        q, _ = conversion_quote(terms, market, events, notice_date=day_text(d), amount=amount, note=note)
        rows.append(
            (
                day_text(d),
                price(q.alternate_price),
                price(q.fixed_price),
                price(q.floor_price),
                price(q.conversion_price),
                "[bold red]yes[/]" if q.floor_binds else "no",
                shares(q.shares) + (" (cap)" if q.capped else ""),
                "-" if q.vwap is None else price(q.vwap),
                usd(q.floor_payment),
            )
        )
    c = terms.conversion
    title = (
        f"Conversions of {usd(amount, 0)} of the {note} note on the sample deal's state each day "
        f"(the sample events up to it: earlier conversions, the cap, the amended floor, the ratchet; "
        f"alternate = {1 - c.alternate_price_discount:.1%} of the {c.alternate_price_lowest} lowest of "
        f"{c.alternate_price_days} VWAPs)"
    )
    cols = ("Notice", "Alternate", "Fixed", "Floor", "Price", "Floor binds", "Shares", "VWAP", "Floor payment")
    kinds = (KEY, NUMBER, NUMBER, NUMBER, NUMBER, KEY, NUMBER, NUMBER, NUMBER)
    return table(title, cols, rows, kinds=kinds, drop=("VWAP", "Fixed"))


def _interest_table(note: NoteTerms) -> object:
    periods = interest_schedule(note)
    rows: list[tuple[object, ...]] = [(day(p.end), p.days, usd(p.principal, 0), usd(p.interest)) for p in periods]
    rows.append(("total", "", "", usd(sum(p.interest for p in periods))))
    title = (
        f"Interest schedule: {note.name} note, {pct(note.rate, 1)} on {usd(note.face, 0)}, "
        f"{note.day_count}, no conversions"
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
    return table("Fees and proceeds", ("Item", "USD"), rows, kinds=(TEXT, NUMBER))


__all__ = ["DEMO_AMOUNT", "DEMO_NOTICES", "demo"]
