"""The ``value`` command: fair value and dilution of the notes and warrants by Monte Carlo."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ascent_xl.cli.app import cli
from ascent_xl.cli.options import TERMS_OPTION, WIDE_OPTION, load_deal_terms
from ascent_xl.cli.render import CountColumn, console, pct, shares, table, usd
from ascent_xl.events import events_from_csv
from ascent_xl.market import MarketData
from ascent_xl.valuation.behaviour import planned_events
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.results import CASH_KINDS, ValuationResult
from ascent_xl.valuation.run import DEFAULT_PATHS, prepare_valuation, run_valuation

PROGRESS_FROM = 50_000
"""Runs of at least this many paths show a progress bar when the output is a terminal."""


@cli.command("value")
@click.option("--paths", type=int, default=DEFAULT_PATHS, show_default=True, help="Simulated paths.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same numbers).")
@TERMS_OPTION
@click.option("--events", "events_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The deal's events CSV: prepayments, interest elections and a default with an "
              "election (redeem/reset) from the valuation date on are applied; the rest is the ledger's.")
@click.option("--vwaps", "vwaps_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV Date,VWAP covering the days before the valuation date (look-back windows).")
@click.option("--spot", type=float, help=f"Share price on the valuation date, USD [demo: {DEMO_MODEL.spot:g}; "
              "with --vwaps, the VWAP on the valuation date].")
@click.option("--vol", "--volatility", "volatility", type=float,
              help=f"Annual volatility, 0.8 = 80% [demo: {DEMO_MODEL.volatility:g}].")
@click.option("--rate", type=float, help=f"Risk-free rate, continuously compounded [demo: {DEMO_MODEL.rate:g}].")
@click.option("--spread", "credit_spread", type=float,
              help=f"Issuer's credit spread [demo: {DEMO_MODEL.credit_spread:g}].")
@click.option("--noise", "vwap_noise", type=float,
              help=f"Daily VWAP noise, std of ln(VWAP/price) [demo: {DEMO_MODEL.vwap_noise:g}].")
@click.option("--volume", "daily_volume", type=float,
              help=f"Shares traded a day at the spot [demo: {DEMO_MODEL.daily_volume:,.0f}].")
@click.option("--valuation-date", type=click.DateTime(["%Y-%m-%d"]),
              help="Valuation date (a trading day) [the notes' issue date].")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), default=Path("valuation.png"),
              show_default=True, help="PNG of the dilution distribution and sample paths.")
@click.option("--no-chart", is_flag=True, help="Do not write the chart.")
@click.option("--progress/--no-progress", default=None,
              help=f"Progress bar [on for {PROGRESS_FROM:,}+ paths in a terminal].")
@click.option("--workers", type=int, help="Threads [the machine's cores].")
@WIDE_OPTION
def value_cmd(paths: int, seed: int, terms_file: Path | None, events_file: Path | None,
              vwaps_file: Path | None, spot: float | None, volatility: float | None,
              rate: float | None, credit_spread: float | None, vwap_noise: float | None,
              daily_volume: float | None, valuation_date: dt.datetime | None, chart: Path,
              no_chart: bool, progress: bool | None, workers: int | None) -> None:
    """Fair value of each note and of the warrants by Monte Carlo, the distribution of shares
    issued and of floor payments, the probability that the floor binds, and the company's
    expected cash. Model and behaviour assumptions default to the demo's (printed below)."""
    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar) if vwaps_file else None
    when = valuation_date.date() if valuation_date else min(n.issue_date for n in terms.notes)
    if spot is None and market is not None:
        spot = float(market.vwap_on(when, what="valuation date (the spot)")[0])
    overrides = {"spot": spot, "volatility": volatility, "rate": rate, "credit_spread": credit_spread,
                 "vwap_noise": vwap_noise, "daily_volume": daily_volume}
    model = DEMO_MODEL.replace(valuation_date=when, **{k: v for k, v in overrides.items() if v is not None})
    behaviour = DEMO_BEHAVIOUR
    if events_file is not None:
        used, skipped = planned_events(events_from_csv(events_file), start=when)
        behaviour = behaviour.with_events(used, terms=terms)
        if skipped:
            kinds = sorted({e.kind.value for e in skipped})
            click.echo(f"{len(used)} planned events applied; {len(skipped)} left to the ledger "
                       f"({', '.join(kinds)}; before {when}, or a default notice without an election).")
    setup = prepare_valuation(terms, model=model, behaviour=behaviour, market=market)
    show = progress if progress is not None else (sys.stdout.isatty() and paths >= PROGRESS_FROM)
    if show:
        from rich.progress import BarColumn, Progress, TimeRemainingColumn

        with Progress("[progress.description]{task.description}", BarColumn(), CountColumn("paths"),
                      TimeRemainingColumn(), console=console(), transient=True) as bar:
            task = bar.add_task("simulating paths", total=paths)
            result = run_valuation(setup, paths=paths, seed=seed, workers=workers,
                                   progress=lambda done, _: bar.update(task, completed=done))
    else:
        result = run_valuation(setup, paths=paths, seed=seed, workers=workers)
    _print(result)
    if not no_chart:
        from ascent_xl.valuation.chart import dilution_chart

        dilution_chart(result, chart)
        click.echo(f"wrote {chart}")


def fair_value_table(r: ValuationResult) -> object:
    """Fair value and standard error of each note, the warrants and the total."""
    rows = [(n.name, usd(n.value, 0), usd(n.std_error, 0), usd(n.face, 0), pct(n.percent_of_face, 1))
            for n in r.notes]
    if r.warrants is not None:
        rows.append(("Warrants", usd(r.warrants.value, 0), usd(r.warrants.std_error, 0), "-", "-"))
    rows.append(("Total", usd(r.total.value, 0), usd(r.total.std_error, 0), "-", "-"))
    return table("Fair value", ("Instrument", "Value", "Std error", "Face", "% of face"), rows)


def run_line(r: ValuationResult) -> str:
    """Valuation date, horizon, paths, seed, time, and whether the values are fair values."""
    kind = "fair values (risk-neutral)" if r.risk_neutral else "[bold red]expected values under the given drift, not fair values[/]"
    return (f"Valuation date {r.valuation_date}, {r.trading_days} trading days to {r.horizon}; "
            f"{r.paths:,} paths, seed {r.seed}, {r.elapsed:.2f} s; {kind}.")


def _print(r: ValuationResult) -> None:
    out = console()
    out.rule(f"[bold]Valuation[/] - {r.deal}")
    out.print(run_line(r) + "\n")
    out.print(fair_value_table(r))
    if r.warrants_closed_form is not None:
        out.print(f"  Warrants by Black-Scholes from today: {usd(r.warrants_closed_form, 0)}.\n")
    dist = [("mean", shares(r.shares_issued.mean), pct(r.shares_issued.mean / r.shares_outstanding, 1),
             usd(r.floor_payments.mean, 0))]
    for (p, q), (_, f) in zip(r.shares_issued.percentiles, r.floor_payments.percentiles, strict=True):
        dist.append((f"P{p:g}", shares(q), pct(q / r.shares_outstanding, 1), usd(f, 0)))
    out.print(table(f"Shares issued and floor payments (dilution: % of {shares(r.shares_outstanding)} shares)",
                    ("Statistic", "Shares issued", "Dilution", "Floor payments"), dist))
    out.print(f"  Probability the floor binds: {pct(r.floor_probability.value, 2)} "
              f"(std error {pct(r.floor_probability.std_error, 2)}).\n")
    cash = [(label, usd(r.expected_cash[key], 0)) for key, label in CASH_KINDS]
    cash += [("Total cash", usd(r.expected_cash["total"], 0)),
             ("Interest paid in kind (not cash)", usd(r.expected_pik_interest, 0))]
    out.print(table("Expected cash paid by the company (undiscounted)", ("Item", "USD"), cash))
    out.print("Assumptions: " + "; ".join(r.assumptions) + ".")


__all__ = ["PROGRESS_FROM", "fair_value_table", "run_line", "value_cmd"]
