"""The deal as of a date: ``ascent-xl position``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from ascent_xl.cli.app import cli
from ascent_xl.cli.options import (
    DATE,
    NO_SPLIT_OPTION,
    TERMS_OPTION,
    WIDE_OPTION,
    events_option,
    load_deal_terms,
    vwaps_option,
)
from ascent_xl.cli.render import KEY, NUMBER, console, day, pct, price, shares, table, usd


def _basis(basis: str) -> str:
    return "on the current basis" if basis == "current" else basis


def _by_basis(items: Any) -> str:
    return " and ".join(f"{shares(b.shares)} {_basis(b.basis)}" for b in items) or "0"


@cli.command("position")
@vwaps_option(required=True)
@events_option(required=True)
@click.option("--as-of", "as_of", type=DATE, required=True, help="The date of the snapshot, YYYY-MM-DD.")
@TERMS_OPTION
@NO_SPLIT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object (notes, total, holders, flags) instead of tables.")
@WIDE_OPTION
def position_cmd(vwaps_file: Path, events_file: Path, as_of: dt.datetime, terms_file: Path | None,
                 no_split: bool, as_json: bool) -> None:
    """The deal as it stands at the end of a date: every note's principal, accrued interest,
    next interest, prices, what converting it all that day would give, shares issued (as issued
    and on the current share basis), the holders' ownership and cap headroom (a line per holder
    when they are several or have caps of their own), the share reserve and the flags open that
    day. The ledger runs over the events up to and including the date."""
    from ascent_xl.events import events_from_csv
    from ascent_xl.ledger.position import deal_state, holder_rows, position_dict
    from ascent_xl.market import MarketData

    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar)
    p = deal_state(terms, market, events_from_csv(events_file), as_of=as_of.date(), no_split=no_split)
    if as_json:
        click.echo(json.dumps(position_dict(p), indent=2))
        return
    out = console()
    out.print(f"[bold]Position at the end of {day(p.as_of)}[/] - {p.terms_name}; share basis: {p.share_basis}",
              overflow="fold")
    no_floor = terms.conversion.floor_mode == "none"

    def floor(x: float) -> str:
        return "none" if no_floor else price(x)

    for n in p.notes:
        q = n.conversion
        rows = [
            ("Outstanding principal", usd(n.outstanding_principal)),
            (f"Accrued interest (from {day(n.last_interest_date)})", usd(n.accrued_interest)),
            ("Next interest date", day(n.next_interest_date) if n.next_interest_date else "-"),
            (f"  interest due then ({n.interest_method})", usd(n.interest_due_next)),
            ("Fixed price", price(n.fixed_price)),
            ("Floor price", floor(n.floor_price)),
            ("Reset price", price(n.reset_price) if n.reset_price else "-"),
            ("In default", "yes" if n.in_default else "no"),
        ]
        if q is not None:
            rows += [
                ("Converting it all today: price", price(q.conversion_price)),
                ("  principal converted" + (" (cut by the cap)" if q.capped else ""), usd(q.principal_converted)),
                ("  shares", shares(q.shares)),
                ("  floor payment", usd(q.floor_payment)),
                ("  headroom under the cap", usd(n.cap_headroom_usd)),
            ]
        rows += [(f"Shares issued {_basis(b.basis)}, as issued", shares(b.shares)) for b in n.shares_issued]
        rows.append(("Shares issued, restated to the current basis", shares(n.shares_issued_restated)))
        out.print(table(f"{n.note} ({n.kind} note, {n.status})", ("Item", "Value"), rows, kinds=(KEY, NUMBER)))
    why = {n.conversion_note for n in p.notes if n.conversion is None and n.conversion_note
           and n.status == "outstanding"}
    for text in sorted(why):
        out.print(f"  No conversion priced: {text}", overflow="fold")
    c = p.ownership_cap
    each = len(p.holders) > 1 or any(h.ownership_cap != c or h.cap_pending for h in p.holders)
    lines = [
        f"Total: outstanding principal {usd(p.outstanding_principal)}, accrued interest {usd(p.accrued_interest)}.",
        f"Shares issued on conversion, as issued: {_by_basis(p.shares_issued)}; restated to the current "
        f"basis: {shares(p.shares_issued_restated)}.",
        f"Shares outstanding {shares(p.shares_outstanding)}; "
        + (f"holder {shares(p.holder_shares)} ({pct(p.holder_ownership)}); cap {pct(c)}" if not each else
           f"the holders together {shares(p.holder_shares)} ({pct(p.holder_ownership)}), each under its own cap")
        + f": headroom {shares(p.cap_headroom_shares)} shares"
        + (f", {usd(p.cap_headroom_usd)} of principal" if p.cap_headroom_usd is not None else "") + ".",
        "Share reserve: " + ("none given" if p.share_reserve is None else
                             f"{shares(p.share_reserve)} reserved, {shares(p.share_reserve_needed)} needed, "
                             f"{shares(p.share_reserve_left)} left") + ".",
        f"Deal fixed price {price(p.fixed_price)}, floor {floor(p.floor_price)}; warrants "
        + (f"{shares(p.warrant_shares)} at {price(p.warrant_price)}" if p.warrant_shares else "none") + "; cash "
        + ("not given" if p.cash is None else usd(p.cash)) + ".",
    ]
    if each:
        lines[3:3] = [_holder_line(row) for row in holder_rows(p)]  # each under its own cap
    for line in lines:
        out.print(line, overflow="fold")
    if p.flags:
        out.print(table("Open flags", ("Flag",), [(f,) for f in p.flags], kinds=("text",)))


def _holder_line(row: list[Any]) -> str:
    """One holder's row of ``holder_rows`` (the Position sheet's Holders table) in words: its
    shares, ownership, cap (and a raise it gave notice of) and headroom."""
    from ascent_xl.ledger.position import HOLDER_COLUMNS

    h = dict(zip(HOLDER_COLUMNS, row, strict=True))
    raised = h["Cap Raised To"]
    pending = "" if raised is None else f", raised to {pct(raised)} from {day(h['Raise From'])}"
    return (f"  {h['Holder']}: {shares(h['Shares Held'])} shares ({pct(h['Ownership'])}); cap "
            f"{pct(h['Ownership Cap'])}{pending}: headroom {shares(h['Cap Headroom (shares)'])} shares.")
