"""The Summary's price history follows one note, the deal's first: a tranche at a fixed price of
its own, or an Amendment naming another note, no longer makes its Fixed Price series jump
between the notes' prices (it took the last schedule row's price, whichever note's). The
ledger records each note's prices as they change (``NoteState.price_changes``). Figures by hand.

Registered takes the deal's $3.93042 (ASTI_2022); Tranche2, issued 2023-02-17, its own $2.00.
The alternate price applies in default only, so without a default the conversion price series is
the fixed price."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.ledger.history import price_history
from ascent_xl.terms_io import load_terms
from tests.ledger.test_ledger_amend_fixed_price import _TERMS

D = dt.date


@pytest.fixture
def terms(tmp_path):
    path = tmp_path / "tranches.toml"
    path.write_text(_TERMS)
    return load_terms(path)


CONVERSIONS = [["2023-02-22", "Conversion", "Registered", 100_000, None],
               ["2023-02-22", "Conversion", "Tranche2", 100_000, None],
               ["2023-03-01", "Conversion", "Registered", 100_000, None]]


def _history(terms, market, rows):
    events = parse_events([*rows, *CONVERSIONS])
    schedule = run_ledger(terms, events, market)
    return schedule, {r[0]: (r[3], r[4], r[5]) for r in price_history(schedule, market, events).rows()}


def test_another_notes_own_price_is_not_on_the_series(terms, sample):
    # Tranche2's own 2.00 from its issue on 02-17, amended to 1.25 on 02-21: the old series read
    # 2.00 on 02-17 and 1.25 from 02-21 to 02-28 (Tranche2's rows last); Registered's is 3.93042
    _, h = _history(terms, sample, [["2023-02-21", "Amendment", "Tranche2", None, "fixed_price = 1.25"]])
    for day in (D(2023, 2, 16), D(2023, 2, 17), D(2023, 2, 21), D(2023, 2, 22), D(2023, 2, 28), D(2023, 3, 1)):
        assert h[day] == (3.93042, 0.29, 3.93042), day


def test_the_first_notes_own_price_stays_under_a_deal_amendment(terms, sample):
    # Registered amended to its own 2.50, then the deal's price to 1.50 the same day: Registered
    # keeps 2.50 (the deal row, last that day, showed 1.50 on the old series)
    s, h = _history(terms, sample, [["2023-02-21", "Amendment", "Registered", None, "fixed_price = 2.50"],
                                    ["2023-02-21", "Amendment", None, None, "fixed_price = 1.50"]])
    assert h[D(2023, 2, 17)] == (3.93042, 0.29, 3.93042)
    assert h[D(2023, 2, 21)] == h[D(2023, 3, 1)] == (2.50, 0.29, 2.50)
    # one entry a day: the issue's prices, then 02-21's end of day
    assert s.state.notes["Registered"].price_changes == ((D(2022, 12, 19), 3.93042, 0.29), (D(2023, 2, 21), 2.50, 0.29))


def test_a_deal_wide_change_moves_the_first_note_from_its_day(terms, sample):
    # the floor amended for the deal (a row without a note) on 02-21 to 0.20, the deal's price to
    # 1.50: Registered takes both from 02-21, not from its next row (02-22)
    s, h = _history(terms, sample, [["2023-02-21", "Amendment", None, None, "floor_price = 0.20"],
                                    ["2023-02-21", "Amendment", None, None, "fixed_price = 1.50"]])
    assert h[D(2023, 2, 17)] == (3.93042, 0.29, 3.93042)
    assert h[D(2023, 2, 21)] == h[D(2023, 3, 1)] == (1.50, 0.20, 1.50)
    # Tranche2 keeps its own 2.00 and takes the deal's floor
    assert s.state.notes["Tranche2"].price_changes == ((D(2023, 2, 17), 2.00, 0.29), (D(2023, 2, 21), 2.00, 0.20))


def test_a_split_restates_the_recorded_prices(terms, sample):
    # a 1:200 split on 2023-09-12: the note's prices from that day are 200 x 3.93042 = 786.084
    # and 200 x 0.29 = 58.00; the series restates the earlier days to that basis
    events = parse_events([["2023-09-12", "Split", None, None, "1:200"]])
    s = run_ledger(terms, events, sample, until=D(2023, 9, 20))
    assert s.state.notes["Registered"].price_changes == (
        (D(2022, 12, 19), 3.93042, 0.29), (D(2023, 9, 12), pytest.approx(786.084), pytest.approx(58.0)))
    h = {r[0]: (r[3], r[4]) for r in price_history(s, sample, events).rows()}
    assert h[D(2023, 9, 11)] == h[D(2023, 9, 12)] == (pytest.approx(786.084), pytest.approx(58.0))


def test_before_the_first_note_is_issued_the_series_is_the_deals(tmp_path, sample):
    # a deal whose first note (Late) is issued on 2023-02-17, the schedule run to 2023-01-31:
    # the first note is not in the state yet, so the series is the deal's rows (kills
    # _followed_prices' `n is None or ...` as `and`: no note to read)
    from tests.helpers.notes import note_table

    path = tmp_path / "late.toml"
    path.write_text('base = "ASTI_2022"\n[placement]\nfee_notes = ["Late"]\n' + note_table("Late", issue_date="2023-02-17", face=1_000_000))
    late = load_terms(path)
    events = parse_events([["2022-12-19", "Share Reserve", None, None, 10_000_000]])  # a row of the deal
    s = run_ledger(late, events, sample, until=D(2023, 1, 31))
    assert "Late" not in s.state.notes
    h = {r[0]: (r[3], r[4]) for r in price_history(s, sample, events).rows()}
    assert h[D(2023, 1, 3)] == h[D(2023, 1, 31)] == (3.93042, 0.29)


def test_the_first_notes_own_floor_is_on_the_series_after_other_notes_rows(terms, sample):
    # Registered's own floor amended to 0.10 on 2023-01-20; from 03-31 Tranche2's Interest row
    # (floor 0.29) comes after Registered's that day: the series keeps Registered's 0.10 (the
    # last row's 0.29 was the old series' and a mutant's)
    s, h = _history(terms, sample, [["2023-01-20", "Amendment", "Registered", None, "floor_price = 0.10"]])
    assert [r["Note"] for r in s.rows if r["Date"] == D(2023, 3, 31)][-1] == "Tranche2"
    assert h[D(2023, 1, 19)][1] == 0.29
    assert h[D(2023, 1, 20)][1] == h[D(2023, 4, 3)][1] == 0.10


def test_a_day_of_several_changes_records_its_end(terms, sample):
    # Registered's own price amended three times: 2.50 on 02-21, then 2.20 and 2.00 on 03-01:
    # one entry a day, the end of the day (kills _record_prices keeping the day's first change
    # as well, or dropping the entries before it)
    s, h = _history(terms, sample, [["2023-02-21", "Amendment", "Registered", None, "fixed_price = 2.50"],
                                    ["2023-03-01", "Amendment", "Registered", None, "fixed_price = 2.20"],
                                    ["2023-03-01", "Amendment", "Registered", None, "fixed_price = 2.00"]])
    assert s.state.notes["Registered"].price_changes == (
        (D(2022, 12, 19), 3.93042, 0.29), (D(2023, 2, 21), 2.50, 0.29), (D(2023, 3, 1), 2.00, 0.29))
    assert (h[D(2023, 2, 28)][0], h[D(2023, 3, 1)][0]) == (2.50, 2.00)


def test_on_the_first_notes_issue_day_the_series_is_its_price(tmp_path, sample):
    # Private, issued the same day as Registered (2022-12-19) at its own $2.00, has the day's last
    # Issue row: on 12-19 the series is Registered's 3.93042, not the day's last row's 2.00
    from tests.helpers.notes import note_table

    path = tmp_path / "two.toml"
    path.write_text('base = "ASTI_2022"\n[conversion]\nalternate_price_applies = "in_default"\n[[notes]]\n'
                    'name = "Registered"\n' + note_table("Private", issue_date="2022-12-19", face=2_500_000,
                                                         own_fixed_price=2.0))
    deal = load_terms(path)
    s = run_ledger(deal, parse_events([]), sample, until=D(2023, 1, 31))
    assert [(r["Note"], r["Fixed Price"]) for r in s.rows if r["Event"] == "Issue"] == [("Registered", 3.93042),
                                                                                        ("Private", 2.0)]
    h = {r[0]: r[3] for r in price_history(s, sample, parse_events([])).rows()}
    assert h[D(2022, 12, 19)] == h[D(2022, 12, 20)] == 3.93042
