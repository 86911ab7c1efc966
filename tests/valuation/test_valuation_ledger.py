"""On a deterministic path the Monte Carlo's value is the deal ledger's discounted cash flows.

The path's decisions (conversions, the holder's sales, interest elections) come from
:func:`ascent_xl.valuation.baseline.trace_path` as event rows; the ledger prices them from the
same VWAPs. Its rows are discounted like the simulation: shares at the day's VWAP and the
risk-free rate, cash at the rate plus the credit spread on the trading day it is paid (the first
on or after the row's date). The ledger rounds accrued interest to the cent, which can add a
share to a conversion sized to a whole number of shares: the tolerance is one share per
conversion at the day's VWAP, plus a cent per row.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022
from ascent_xl.valuation import prepare_valuation, run_valuation
from ascent_xl.valuation.baseline import trace_path
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL


def _ledger_values(setup, trace):
    grid = setup.grid
    history_dates = grid.calendar.sessions_before(grid.dates[1], len(setup.contract.history))
    market = trace.market(history_dates, setup.contract.history)
    frame = run_ledger(ASTI_2022, parse_events(trace.events()), market).frame
    vwap = dict(zip([d.item() for d in grid.dates], trace.vwaps, strict=True))
    values: dict[str, float] = {}
    slack: dict[str, float] = {}
    for _, row in frame.iterrows():
        day = pd.Timestamp(row["Date"]).date()
        if not isinstance(row["Note"], str) or day < grid.valuation_date:
            continue
        t = int(np.searchsorted(grid.dates, np.datetime64(day, "D")))
        value = 0.0 if pd.isna(row["Cash Paid"]) else row["Cash Paid"] * grid.df_cash[t]
        if row["Event"] == "Conversion":
            value += row["Shares Issued"] * vwap[day] * grid.df_equity[t]
            slack[row["Note"]] = slack.get(row["Note"], 0.0) + vwap[day] * grid.df_equity[t]
        values[row["Note"]] = values.get(row["Note"], 0.0) + value
        slack[row["Note"]] = slack.get(row["Note"], 0.0) + 0.01
    return values, slack


@pytest.mark.parametrize("case", ["zero volatility", "falling path"])
def test_deterministic_value_equals_the_ledgers_discounted_cash_flows(case):
    model = DEMO_MODEL.replace(volatility=0.0, vwap_noise=0.0, daily_volume=100_000)
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=DEMO_BEHAVIOUR.replace(interest="cash"))
    if case == "zero volatility":
        mc = run_valuation(setup, paths=1)
        trace = trace_path(setup)
    else:  # down to $0.10: the floor binds and floor payments are made
        days = setup.grid.days
        path = model.spot * np.exp(np.linspace(0.0, math.log(0.1 / model.spot), days))
        setup = prepare_valuation(ASTI_2022, model=model.replace(daily_volume=30_000),
                                  behaviour=DEMO_BEHAVIOUR.replace(interest="cash"))
        mc = run_valuation(setup, vwap_paths=path)
        trace = trace_path(setup, vwaps=path)
        assert any(f.kind == "floor payment" for f in trace.flows)
    values, slack = _ledger_values(setup, trace)
    for note in mc.notes:
        assert trace.note_values[note.name] == pytest.approx(note.value, rel=1e-12)
        assert abs(values[note.name] - note.value) <= slack[note.name], note.name


def test_pik_when_the_conditions_fail_is_the_ledgers_private_pik_notes():
    """Interest in kind, the equity conditions failing (the path has no volumes, so the ledger
    finds them not tested, never met; the simulation's dollar-volume minimum is set out of
    reach), notes held to maturity: the ledger issues a private PIK note at 4.5% on each
    interest date (Registered-PIK1..6, each repaid with its interest at maturity), the
    simulation adds the PIK to the Registered note's principal. The two values agree: the
    Registered note's with its PIK notes', and the Private note's (capitalised in both)."""
    model = DEMO_MODEL.replace(volatility=0.0, vwap_noise=0.0, daily_volume=100_000)
    behaviour = DEMO_BEHAVIOUR.replace(interest="pik", sell_through=False, convert_at_maturity=False,
                                       convert_all_above=None)
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=behaviour)
    setup = setup.with_contract(equity=dataclasses.replace(setup.contract.equity, min_dollar_volume=1e13))
    mc = run_valuation(setup, paths=1)
    trace = trace_path(setup)
    values, slack = _ledger_values(setup, trace)
    pik_notes = sorted(name for name in values if name.startswith("Registered-PIK"))
    assert pik_notes == [f"Registered-PIK{i}" for i in range(1, 7)]  # 2022-12-31 to 2024-03-31
    by_name = {note.name: note.value for note in mc.notes}
    registered = values["Registered"] + sum(values[name] for name in pik_notes)
    assert abs(registered - by_name["Registered"]) <= slack["Registered"] + sum(slack[n] for n in pik_notes)
    assert abs(values["Private"] - by_name["Private"]) <= slack["Private"]
