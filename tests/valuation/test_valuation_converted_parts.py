"""What the conversions took, split into accrued interest, PIK notes and principal (the three
kernels, hand-checked on a deal converted whole on its first day), and a private PIK note in
the deal's state valued as its note's principal, at the note's rate (it was valued at the
registered PIK notes' 0%)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from ascent_xl.events import events_from_csv
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market
from ascent_xl.valuation import Behaviour, prepare_valuation, run_valuation
from ascent_xl.valuation.baseline import run_paths
from ascent_xl.valuation.presets import DEMO_MODEL
from ascent_xl.valuation.start import deal_start

AT_ONCE = Behaviour(sell_through=False, convert_all_above=1e-6, ownership_cap=1.0, interest="cash")


def _start(as_of: dt.date):
    return deal_start(ASTI_2022, events_from_csv(data_path(SAMPLE_EVENTS)), sample_market(), as_of=as_of)


def _at_once(start):
    """Zero volatility, the fixed price only: every note converts whole on the first day."""
    model = DEMO_MODEL.replace(spot=0.30, volatility=0.0, vwap_noise=0.0)
    setup = prepare_valuation(ASTI_2022, model=model, behaviour=AT_ONCE, start=start)
    return setup.with_contract(alternate_discount=None, floor_price=0.0)


def test_a_private_pik_note_in_the_state_is_principal_at_the_notes_rate():
    """The sample deal at the end of 2023-04-03: the equity conditions failed on 2023-03-31, so
    the Registered note's interest went into a private PIK note, Registered-PIK1, $129,097.50 at
    4.5% (the schedule's figure). It is valued as the Registered note's principal."""
    start = _start(dt.date(2023, 4, 3))
    registered = start.notes[0]
    assert registered.name == "Registered"
    assert registered.principal == pytest.approx(9_753_788.00 + 129_097.50, abs=1e-6)
    assert registered.pik_principal == 0.0
    r = run_valuation(_at_once(start), paths=2, seed=0)
    # the first simulated day, 2023-04-04, accrues one day of 30/360 interest at 4.5%:
    # Registered (9,753,788 + 129,097.50) x 4.5% / 360 = 1,235.3606875 (with the PIK note's
    # 16.1371875: at 0% it was missing), Private 2,528,125 x 4.5% / 360 = 316.015625; with the
    # interest accrued by 2023-04-03, 3,657.67 + 48.41 (Registered and its PIK note) + 948.05:
    # 3,706.08 + 948.05 + 1,235.3606875 + 316.015625 = 6,205.5063125
    assert r.converted_parts["interest"] == pytest.approx(6_205.5063125, abs=1e-6)
    assert r.converted_parts["pik"] == 0.0
    # 9,753,788 + 129,097.50 + 2,528,125 = 12,411,010.50
    assert r.converted_parts["principal"] == pytest.approx(12_411_010.50, abs=1e-6)
    assert r.expected_converted == pytest.approx(12_411_010.50 + 6_205.5063125, abs=1e-6)
    # the inputs used say the PIK note is in the principal: 9,753,788.00 + 129,097.50 =
    # 9,882,885.50, of which 129,097.50 private PIK; no registered PIK notes; the Private note,
    # without PIK notes, has no such row
    inputs = {name: value for name, value, _, _ in r.inputs}
    assert inputs["Registered.principal"] == pytest.approx(9_882_885.50, abs=1e-6)
    assert inputs["Registered.of_which_private_pik"] == 129_097.50
    assert inputs["Registered.pik_notes"] == 0.0
    assert "Private.of_which_private_pik" not in inputs and inputs["Private.principal"] == 2_528_125.00
    names = [name for name, _, _, _ in r.inputs]
    assert names[names.index("Registered.principal") + 1] == "Registered.of_which_private_pik"


def _with_registered_pik(start, amount: float):
    """``start`` with ``amount`` of the Registered note's principal as registered PIK notes."""
    first = start.notes[0]
    moved = dataclasses.replace(first, principal=first.principal - amount, pik_principal=amount)
    return dataclasses.replace(start, notes=(moved, *start.notes[1:]))


@pytest.mark.parametrize("fused", [False, True])
def test_registered_pik_notes_are_converted_after_the_interest_and_bear_no_interest(fused):
    """The deal at the closing, $100,000 of the Registered note moved to registered PIK notes
    (0%): converted whole on day one (2022-12-20), the parts are the day's interest on the
    principal only, 12,400,000 x 4.5% / 360 = 1,550 + 2,500,000 x 4.5% / 360 = 312.50 = 1,862.50;
    the PIK notes 100,000; the principal 12,400,000 + 2,500,000 = 14,900,000."""
    if fused:
        pytest.importorskip("numba")
    start = _with_registered_pik(_start(dt.date(2022, 12, 19)), 100_000.0)
    setup = _at_once(start)
    from ascent_xl.valuation.model import SimulatedPaths
    from ascent_xl.valuation.montecarlo import run_chunk

    chunk = run_chunk(setup.contract, setup.grid, SimulatedPaths(setup.model, setup.grid, seed=0, first=0, n=3),
                      fused=fused)
    np.testing.assert_allclose(chunk.converted_interest, 1_862.50, rtol=0, atol=1e-6)
    np.testing.assert_allclose(chunk.converted_pik, 100_000.0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(chunk.converted - chunk.converted_interest - chunk.converted_pik, 14_900_000.0,
                               rtol=0, atol=1e-6)
    slow = run_paths(setup, paths=3, seed=0)  # the per-path baseline: the same numbers exactly
    for name in ("converted", "converted_interest", "converted_pik"):
        np.testing.assert_array_equal(getattr(slow, name), getattr(chunk, name), err_msg=name)


def test_a_private_pik_note_follows_its_notes_amended_rate_into_the_valuation():
    """The Registered note's rate amended to 6% after its private PIK note was issued at 4.5%:
    the PIK note, the note's interest capitalised, follows the rate (the ledger), so the
    valuation takes it as the note's principal (it was refused: one rate for a note's PIK
    notes). A PIK note at a rate of its own, which no event can now make, is still refused."""
    from ascent_xl.errors import InputError
    from ascent_xl.events import Event, EventKind
    from ascent_xl.valuation.start import _private_pik

    events = events_from_csv(data_path(SAMPLE_EVENTS))
    events.append(Event(dt.date(2023, 4, 3), EventKind.AMENDMENT, None, None, "notes.Registered.rate = 0.06"))
    start = deal_start(ASTI_2022, events, sample_market(), as_of=dt.date(2023, 4, 3))
    assert (start.notes[0].principal, start.notes[0].private_pik) == (9_753_788.00 + 129_097.50, 129_097.50)
    registered = ASTI_2022.note("Registered")
    pik = registered.replace(name="Registered-PIK1", kind="pik", interest_payment="pik", rate=0.05)
    with pytest.raises(InputError, match=r"Registered-PIK1: a PIK note of Registered at 5\.0000%, not its note's 4\.5000%"):
        _private_pik(pik, registered)


def test_value_prints_and_exports_the_parts_of_what_was_converted():
    """``value``: a table of what the conversions took and its three parts; ``--json`` the same
    (the parts add up to the total)."""
    import json

    from click.testing import CliRunner

    from ascent_xl.cli import cli

    shown = CliRunner().invoke(cli, ["value", "--paths", "200"], env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    table = shown.output.split("Expected amount converted into shares (undiscounted)")[1]
    for label in ("Converted (interest, PIK notes, principal)", "of which accrued interest",
                  "of which PIK notes", "of which principal (with capitalised PIK)"):
        assert label in table
    data = json.loads(CliRunner().invoke(cli, ["value", "--paths", "200", "--json"]).output)["expected_converted"]
    assert set(data) == {"total", "interest", "pik", "principal"}
    assert data["interest"] > 0 and data["pik"] > 0  # the demo converts interest; PIK notes by the equity conditions
    assert data["interest"] + data["pik"] + data["principal"] == pytest.approx(data["total"], rel=1e-12)
