"""The ``value`` command: fair value and dilution of the notes and warrants by Monte Carlo."""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any

import click

from ascent_xl.cli.app import cli
from ascent_xl.cli.options import (
    DATE,
    NUMBER,
    RATE,
    TERMS_OPTION,
    USD,
    WIDE_OPTION,
    AliasOption,
    Whole,
    check_out_file,
    load_deal_terms,
)
from ascent_xl.cli.render import CountColumn, console, pct, price, shares, table, usd
from ascent_xl.errors import InputError
from ascent_xl.events import events_from_csv
from ascent_xl.market import MarketData
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.results import (
    CASH_KINDS,
    CONVERTED_LABEL,
    CONVERTED_PARTS,
    ValuationResult,
)
from ascent_xl.valuation.run import DEFAULT_PATHS, MAX_PATHS, prepare_as_of, run_valuation

PROGRESS_FROM = 50_000
"""Runs of at least this many paths show a progress bar when the output is a terminal."""


@cli.command("value")
@click.option("--paths", type=Whole(1, MAX_PATHS), default=DEFAULT_PATHS,
              help=f"Simulated paths (standard errors fall as 1/sqrt(paths)) [default: {DEFAULT_PATHS:,}].")
@click.option("--seed", type=Whole(0, 2**63 - 1), default=0, show_default=True,
              help="Random seed (same seed, same numbers).")
@TERMS_OPTION
@click.option("--as-of", "--valuation-date", "as_of", type=DATE, cls=AliasOption,
              help="Valuation date: the deal is valued as it stands at the end of that day, after "
              "the events up to it [default: the notes' issue date].")
@click.option("--events", "events_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The deal's events CSV (as for schedule): the events up to --as-of give the "
              "deal's state; prepayments, interest elections and a default with an election "
              "(redeem/reset) after it are applied as planned.")
@click.option("--vwaps", "vwaps_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV Date,VWAP up to the valuation date: the spot (the VWAP on, or the last "
              "before, that date) and the look-back windows.")
@click.option("--spot", type=USD, help="Share price on the valuation date, USD [default: the VWAP "
              f"from --vwaps; without it the demo's {DEMO_MODEL.spot:g}, at issue only].")
@click.option("--volatility", "--vol", "volatility", type=RATE, cls=AliasOption,
              help=f"Annual volatility, 0.8 or 80% [default: the demo's {DEMO_MODEL.volatility:.0%}].")
@click.option("--rate", type=RATE, help="Risk-free rate a year, continuously compounded, 0.046 or 4.6% "
              f"[default: the demo's {DEMO_MODEL.rate:.1%}].")
@click.option("--credit-spread", "--spread", "credit_spread", type=RATE, cls=AliasOption,
              help=f"Issuer's credit spread a year, 0.15 or 15% [default: the demo's {DEMO_MODEL.credit_spread:.0%}].")
@click.option("--vwap-noise", "--noise", "vwap_noise", type=RATE, cls=AliasOption,
              help="Daily VWAP noise, std of ln(VWAP/price), 0.03 or 3% "
              f"[default: the demo's {DEMO_MODEL.vwap_noise:.0%}].")
@click.option("--daily-volume", "--volume", "daily_volume", type=NUMBER, cls=AliasOption,
              help="Shares traded a day at the spot [default: from --vwaps' Dollar Volume column: the "
              f"median of the last 20 sessions / spot; else the demo's {DEMO_MODEL.daily_volume:,.0f}].")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a PNG of the dilution distribution and sample paths to this file.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: the inputs used and each instrument's value and std_error.")
@click.option("--progress/--no-progress", default=None,
              help=f"Progress bar [default: on for {PROGRESS_FROM:,}+ paths in a terminal].")
@click.option("--workers", type=Whole(1, 256), help="Threads [default: the machine's cores].")
@WIDE_OPTION
def value_cmd(paths: int, seed: int, terms_file: Path | None, as_of: dt.datetime | None,
              events_file: Path | None, vwaps_file: Path | None, spot: float | None,
              volatility: float | None, rate: float | None, credit_spread: float | None,
              vwap_noise: float | None, daily_volume: float | None, chart: Path | None,
              as_json: bool, progress: bool | None, workers: int | None) -> None:
    """Fair value of each note and of the warrants by Monte Carlo, from the deal as it stands
    on the valuation date: the distribution of shares issued and of floor payments, the
    probability that the floor binds, and the company's expected cash. Prints every input used;
    model assumptions not given default to the demo's."""
    check_out_file(chart, (".png",), "--chart")  # before any work
    terms = load_deal_terms(terms_file)
    market = MarketData.from_csv(vwaps_file, calendar=terms.calendar) if vwaps_file else None
    closing = terms.closing
    when = as_of.date() if as_of else closing
    if when != closing and events_file is None:
        raise InputError(f"--as-of {when}: the notes were issued on {closing}; give --events FILE "
                         f"(the deal's events up to {when}) so the valuation starts from what is "
                         "outstanding then")
    events = events_from_csv(events_file) if events_file is not None else []
    given = {"spot": spot, "volatility": volatility, "rate": rate, "credit_spread": credit_spread,
             "vwap_noise": vwap_noise, "daily_volume": daily_volume}
    for name, x in given.items():
        if x is not None and not math.isfinite(x):
            raise InputError(f"--{name.replace('_', '-')} {x}: give a finite number")
    prepared = prepare_as_of(terms, events, market, as_of=when, model=DEMO_MODEL, behaviour=DEMO_BEHAVIOUR,
                             given=given, source=vwaps_file.name if vwaps_file else "the VWAPs",
                             no_spot="give --vwaps FILE or --spot")
    setup = prepared.setup
    if prepared.left_out and not as_json:
        from ascent_xl.valuation.behaviour import SIMULATED_KINDS

        simulated = sorted({e.kind.value for e in prepared.left_out if e.kind in SIMULATED_KINDS})
        unknown = sorted({e.kind.value for e in prepared.left_out if e.kind not in SIMULATED_KINDS})
        why = ([f"{', '.join(simulated)}: the simulation decides those"] if simulated else []) + (
            [f"{', '.join(unknown)}: not known on {when}, the deal is valued as it stands then"] if unknown else [])
        console().print(f"{len(prepared.applied)} planned events applied; {len(prepared.left_out)} after {when} "
                        f"left out ({'; '.join(why)}).", markup=False)
    show = not as_json and (progress if progress is not None else (sys.stdout.isatty() and paths >= PROGRESS_FROM))
    if show:
        from rich.progress import BarColumn, Progress, TimeRemainingColumn

        with Progress("[progress.description]{task.description}", BarColumn(), CountColumn("paths"),
                      TimeRemainingColumn(), console=console(), transient=True) as bar:
            task = bar.add_task("simulating paths", total=paths)
            result = run_valuation(setup, paths=paths, seed=seed, workers=workers,
                                   progress=lambda done, _: bar.update(task, completed=done))
    else:
        result = run_valuation(setup, paths=paths, seed=seed, workers=workers)
    if as_json:
        click.echo(json.dumps(result_json(result), indent=2, default=str))
    else:
        _print(result)
    if chart is not None:
        from ascent_xl.valuation.chart import dilution_chart

        dilution_chart(result, chart)
        if not as_json:
            click.echo(f"wrote {chart}")


def result_json(r: ValuationResult) -> dict[str, Any]:
    """The result as JSON-ready data: the inputs used (and where each came from), and each
    instrument's ``value`` and ``std_error`` (USD)."""
    instruments = [{"instrument": n.name, "value": n.value, "std_error": n.std_error,
                    "outstanding": n.principal} for n in r.notes]
    if r.warrants is not None:
        instruments.append({"instrument": "Warrants", "value": r.warrants.value,
                            "std_error": r.warrants.std_error})
    instruments.append({"instrument": "Total", "value": r.total.value, "std_error": r.total.std_error})
    return {
        "deal": r.deal,
        "valuation_date": str(r.valuation_date),
        "fair_values": r.risk_neutral,
        "inputs": {name: value for name, value, _, _ in r.inputs},
        "input_sources": {name: source for name, _, _, source in r.inputs},
        "instruments": instruments,
        "shares_issued_mean": r.shares_issued.mean,
        "floor_probability": r.floor_probability.value,
        "expected_cash": r.expected_cash,
        "expected_pik_interest": r.expected_pik_interest,
        "expected_converted": {"total": r.expected_converted, **r.converted_parts},
    }


def inputs_table(r: ValuationResult) -> object:
    """Every input the valuation used, with its unit and where it came from (in short; the
    legend below the table and ``--json`` give the sources in full)."""
    rows = [(name, _input_text(value, unit), _short_source(source)) for name, value, unit, source in r.inputs]
    return table("Inputs used", ("Input", "Value", "Source"), rows, numeric_from=1)


def inputs_legend(r: ValuationResult) -> str:
    """What the short sources of :func:`inputs_table` stand for."""
    full = {_short_source(source): source for _, _, _, source in r.inputs}
    parts = [f"{short}: {text}" for short, text in full.items() if short != text]
    if "assumed" in full:
        parts.append("assumed: the demo's assumption (--volatility, --rate, --credit-spread, "
                     "--vwap-noise, --daily-volume to give yours)")
    return "  Sources - " + "; ".join(p for p in parts if not p.startswith("assumed: model")) + "."


def _short_source(source: str) -> str:
    if source.startswith(("deal state", "the terms")):
        return "state"
    if source == "model assumption":
        return "assumed"
    if source.startswith("VWAP of "):
        return "VWAP " + source.split()[2]
    if source.startswith("median dollar volume"):
        return "VWAP file volume"
    if source.startswith("demo assumption"):
        return "demo"
    return source


def _input_text(value: Any, unit: str) -> str:
    if isinstance(value, float) and unit == "USD/share":
        return price(value)
    if isinstance(value, float) and unit == "USD":
        return usd(value)
    if unit.startswith("fraction"):
        return pct(value, 2)
    if unit in ("shares", "shares/day", "paths") and isinstance(value, (int, float)):
        return shares(value)
    return str(value)


def fair_value_table(r: ValuationResult) -> object:
    """Fair value and standard error of each note, the warrants and the total."""
    rows = [(n.name, usd(n.value, 0), usd(n.std_error, 0), usd(n.principal, 0),
             pct(n.percent_of_outstanding, 1)) for n in r.notes]
    if r.warrants is not None:
        rows.append(("Warrants", usd(r.warrants.value, 0), usd(r.warrants.std_error, 0), "-", "-"))
    rows.append(("Total", usd(r.total.value, 0), usd(r.total.std_error, 0), "-", "-"))
    return table("Fair value", ("Instrument", "Value", "Std error", "Outstanding", "% of it"), rows)


def run_line(r: ValuationResult) -> str:
    """Valuation date, horizon, paths, seed, time, and whether the values are fair values."""
    kind = "fair values (risk-neutral)" if r.risk_neutral else "[bold red]expected values under the given drift, not fair values[/]"
    days = f"{r.trading_days} trading day{'' if r.trading_days == 1 else 's'}"
    return (f"Valuation date {r.valuation_date}, {days} to {r.horizon}; "
            f"{r.paths:,} paths, seed {r.seed}, {r.elapsed:.2f} s; {kind}.")


def _print(r: ValuationResult) -> None:
    out = console()
    out.rule(f"[bold]Valuation[/] - {r.deal}")
    out.print(run_line(r) + "\n")
    out.print(inputs_table(r))
    out.print(inputs_legend(r) + "\n")
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
    converted = [(CONVERTED_LABEL, usd(r.expected_converted, 0))]
    converted += [(f"  {label}", usd(r.converted_parts[key], 0)) for key, label in CONVERTED_PARTS]
    out.print(table("Expected amount converted into shares (undiscounted)", ("Item", "USD"), converted))
    out.print("Assumptions: " + "; ".join(r.assumptions) + ".")


__all__ = ["PROGRESS_FROM", "fair_value_table", "inputs_legend", "inputs_table", "result_json", "run_line",
           "value_cmd"]
