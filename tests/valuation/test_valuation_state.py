"""The valuation starts from the deal's state on the valuation date (issue 10, item 6): what is
outstanding then, not the face; a settled note is worth nothing; every input used is reported."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

import ascent_xl.cli.valuation_cmds  # noqa: F401  (registers `value`)
from ascent_xl.cli import cli
from ascent_xl.errors import InputError
from ascent_xl.events import events_from_csv, parse_events
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market
from ascent_xl.valuation import prepare_valuation, run_valuation
from ascent_xl.valuation.presets import DEMO_BEHAVIOUR, DEMO_MODEL
from ascent_xl.valuation.run import prepare_as_of
from ascent_xl.valuation.start import deal_start, market_inputs

VWAPS, EVENTS = str(data_path("sample_vwaps.csv")), str(data_path(SAMPLE_EVENTS))


def _value(terms, events, as_of, paths=2000, seed=4):
    market = sample_market()
    start = deal_start(terms, parse_events(events), market, as_of=as_of)
    model = DEMO_MODEL.replace(spot=market_inputs(start)["spot"][0])
    setup = prepare_valuation(terms, model=model, behaviour=DEMO_BEHAVIOUR, start=start)
    return start, run_valuation(setup, paths=paths, seed=seed)


def test_notes_settled_before_the_valuation_date_are_worth_nothing():
    # both notes prepaid in full on 2023-02-01 (Note and Amount blank: every note, all of it)
    start, r = _value(ASTI_2022, [["2023-02-01", "Prepayment", None, None, None]], dt.date(2023, 2, 1))
    assert [(n.principal, n.accrued) for n in start.notes] == [(0.0, 0.0), (0.0, 0.0)]
    for note in r.notes:
        assert abs(note.value) < 0.01 and note.principal == 0.0
    assert r.shares_issued.mean == 0.0 and r.expected_cash["total"] == 0.0
    assert r.warrants is not None and r.warrants.value > 0  # the warrants live on


def test_after_the_last_maturity_the_sample_deal_is_worth_nothing_but_its_warrants():
    r = CliRunner().invoke(cli, ["value", "--paths", "500", "--as-of", "2024-06-20", "--events", EVENTS,
                                 "--vwaps", VWAPS, "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    values = {i["instrument"]: i for i in data["instruments"]}
    assert abs(values["Registered"]["value"]) < 0.01 and abs(values["Private"]["value"]) < 0.01
    assert values["Registered"]["std_error"] == 0.0
    assert data["inputs"]["Registered.principal"] == 0.0
    # after the 1-for-200 split the warrants are 2,513,406 / 200 = 12,567 shares at $0.15 x 200 = $30
    assert data["inputs"]["warrant_shares"] == 12_567 and data["inputs"]["warrant_price"] == pytest.approx(30.0)


def test_a_part_way_note_is_valued_on_what_is_outstanding_not_on_its_face():
    # Deal A: $5,000,000 of the Registered note prepaid at par on 2023-01-10. Deal B: the same
    # deal with a Registered note of $7,500,000 face and no events. On 2023-01-10 both have
    # $7,500,000 outstanding and the interest accrued on it since the quarter's interest date
    # 2022-12-31: 7,500,000 x 4.5% x 10/360 (30/360: the 31st counts as the 30th) = $9,375.00.
    day = dt.date(2023, 1, 10)
    a_start, a = _value(ASTI_2022, [["2023-01-10", "Prepayment", "Registered", 5_000_000, None]], day)
    small = ASTI_2022.with_term("notes.Registered.face", 7_500_000)
    b_start, b = _value(small, [["2022-12-20", "Cash Balance", None, None, 10_000_000]], day)
    for start in (a_start, b_start):
        registered = start.notes[0]
        assert registered.principal == 7_500_000.0
        assert registered.accrued == pytest.approx(7_500_000 * 0.045 * 10 / 360, abs=0.01)
    assert a.note("Registered").principal == 7_500_000.0
    # same state, same seed: the same value (to the cents of rounded interest)
    assert a.note("Registered").value == pytest.approx(b.note("Registered").value, abs=1.0)
    assert a.note("Private").value == pytest.approx(b.note("Private").value, abs=1.0)
    # and well below what the full face would be worth (at least 12.5 / 7.5 - 1 = 67% more)
    _, full = _value(ASTI_2022, [["2022-12-20", "Cash Balance", None, None, 10_000_000]], day)
    assert full.note("Registered").value > 1.5 * a.note("Registered").value


def test_the_valuation_starts_from_the_ledgers_state_after_the_split():
    # 2023-09-30 is a Saturday: the deal at the end of that day, spot the VWAP of Friday 09-29
    # ($10.342, after the 1-for-200 split on 09-12)
    r = CliRunner().invoke(cli, ["value", "--paths", "500", "--as-of", "2023-09-30", "--events", EVENTS,
                                 "--vwaps", VWAPS, "--json", "--seed", "3"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    inputs, sources = data["inputs"], data["input_sources"]
    assert inputs["spot"] == 10.342 and sources["spot"] == "VWAP of 2023-09-29 (sample_vwaps.csv)"
    # floor amended to $0.20 on 2023-03-29, then x 200 at the split; the fixed price ratcheted to
    # $0.15 on 2023-06-20, then x 200
    assert inputs["floor_price"] == pytest.approx(40.0) and inputs["fixed_price"] == pytest.approx(30.0)
    # daily volume: the sample's median dollar volume of the 20 sessions to 09-29, over the spot
    assert sources["daily_volume"].startswith("median dollar volume of the 20 sessions to 2023-09-29")
    for name in ("volatility", "rate", "credit_spread", "paths", "seed"):
        assert name in inputs
    assert inputs["paths"] == 500 and inputs["seed"] == 3
    registered = {i["instrument"]: i for i in data["instruments"]}["Registered"]
    assert registered["value"] > 0 and registered["std_error"] > 0


def test_the_inputs_used_are_printed():
    r = CliRunner().invoke(cli, ["value", "--paths", "300", "--as-of", "2023-03-31", "--events", EVENTS,
                                 "--vwaps", VWAPS, "--vol", "0.9"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    for text in ("Inputs used", "spot", "VWAP of 2023-03-31", "volatility", "90.00%", "given", "rate",
                 "credit_spread", "paths", "seed", "Registered.principal", "deal state at the end of 2023-03-31"):
        assert text in r.output, text


def test_no_chart_is_written_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["value", "--paths", "200"], catch_exceptions=False)
    assert r.exit_code == 0 and "wrote" not in r.output
    assert not list(tmp_path.iterdir())


def test_a_valuation_before_the_issue_is_refused():
    with pytest.raises(InputError, match="before the notes' issue"):
        deal_start(ASTI_2022, [], None, as_of=dt.date(2022, 12, 1))


@pytest.mark.parametrize("day", ["2023-01-10", "2023-03-31", "2023-09-30"])
def test_the_start_is_the_deal_states_snapshot(day):
    from ascent_xl.events import events_from_csv
    from ascent_xl.ledger.position import deal_state

    events, market = events_from_csv(EVENTS), sample_market()
    as_of = dt.date.fromisoformat(day)
    start = deal_start(ASTI_2022, events, market, as_of=as_of)
    position = deal_state(ASTI_2022, market, events, as_of=as_of)
    for note in start.notes:
        pik = [n for n in position.notes if n.note.startswith(f"{note.name}-PIK")]
        # the sample's PIK notes are private (the equity conditions failed on their dates):
        # interest at the note's rate, valued as its principal; no registered PIK notes
        assert note.principal == pytest.approx(position.note(note.name).outstanding_principal
                                               + sum(n.outstanding_principal for n in pik), abs=1e-9)
        assert note.pik_principal == 0.0
        assert note.accrued == pytest.approx(position.note(note.name).accrued_interest
                                             + sum(n.accrued_interest for n in pik), abs=1e-9)
        assert note.fixed_price == position.note(note.name).fixed_price
    assert (start.shares_outstanding, start.holder_shares) == (position.shares_outstanding, position.holder_shares)


def test_a_default_outstanding_on_the_valuation_date_is_refused_naming_it():
    """The sample deal is in default from 2023-03-10 (noticed, no election) to its waiver on
    2023-03-29. The simulation starts every note out of default: valued on 2023-03-15 it would
    value another deal, so it is refused with the ways out; with the holder's election planned
    (a Default row after the date, Value redeem) it is valued; after the waiver it is valued."""
    market = sample_market()
    events = events_from_csv(data_path(SAMPLE_EVENTS))
    with pytest.raises(InputError) as err:
        prepare_as_of(ASTI_2022, events, market, as_of=dt.date(2023, 3, 15), model=DEMO_MODEL,
                      behaviour=DEMO_BEHAVIOUR, given={})
    assert str(err.value).startswith("valuation date 2023-03-15: note Registered is in default (since 2023-03-10, "
                                     "not waived), which the valuation does not model at its start;")
    assert "or give the holder's election as a Default row after 2023-03-15 with Value redeem or reset" in str(err.value)
    planned = [*events, *parse_events([["2023-03-17", "Default", None, None, "redeem"]])]
    s = prepare_as_of(ASTI_2022, planned, market, as_of=dt.date(2023, 3, 15), model=DEMO_MODEL,
                      behaviour=DEMO_BEHAVIOUR, given={}).setup
    assert s.behaviour.default_date == dt.date(2023, 3, 17) and s.contract.default is not None
    after = prepare_as_of(ASTI_2022, events, market, as_of=dt.date(2023, 3, 29), model=DEMO_MODEL,
                          behaviour=DEMO_BEHAVIOUR, given={}).setup
    assert after.contract.default is None  # waived that day: out of default at its end


def test_a_default_amount_demanded_and_not_yet_paid_is_refused():
    events = parse_events([["2023-03-10", "Default", None, None, "redeem 2023-04-03"]])
    with pytest.raises(InputError) as err:
        prepare_as_of(ASTI_2022, events, sample_market(), as_of=dt.date(2023, 3, 15), model=DEMO_MODEL,
                      behaviour=DEMO_BEHAVIOUR, given={})
    assert str(err.value) == (
        "valuation date 2023-03-15: note Registered's mandatory default amount was demanded on 2023-03-10 and is "
        "not paid yet; the valuation does not model a payment pending: value on a date after it is paid")
