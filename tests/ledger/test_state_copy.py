"""The ledger's fast copy of a deal state (``engine._deep_copy``, which the batch pricing and the
Conversions sheet take once per notice date) against ``copy.deepcopy``: the same values, no
mutable object shared with the original, objects referenced twice copied once, immutables kept.
A copy that shared a list with the state it came from would let one quote change the next."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np

from ascent_xl.events import events_from_csv
from ascent_xl.ledger import run_ledger
from ascent_xl.ledger.engine import _deep_copy
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path


class _Other:
    """Not a type the fast copy knows: copied by copy.deepcopy."""

    def __init__(self, items):
        self.items = items


def _mutables(value, seen=None):
    """Every list, dict, set, array and object reachable from ``value`` (by id)."""
    seen = {} if seen is None else seen
    if id(value) in seen or isinstance(value, (int, float, str, bytes, dt.date, type(None))):
        return seen
    if isinstance(value, (list, dict, set, np.ndarray)) or hasattr(value, "__dict__"):
        seen[id(value)] = value
    children = (list(value.keys()) + list(value.values()) if isinstance(value, dict)
                else list(value) if isinstance(value, (list, tuple, set))
                else list(vars(value).values()) if hasattr(value, "__dict__") and not isinstance(value, type) else [])
    for child in children:
        _mutables(child, seen)
    return seen


def test_a_graph_is_copied_as_deepcopy_copies_it():
    shared = [1, 2]
    loop: list = []
    loop.append(loop)  # a list holding itself
    other = _Other([3])
    frozen = (1, "a", dt.date(2023, 1, 2))
    table = {"k": [7]}  # a dict referenced twice
    pair = ([8], 9)  # a tuple holding a mutable, referenced twice
    graph = {"a": shared, "b": shared, ("k", 1): (shared, 4), "loop": loop, "other": other, "again": other,
             "frozen": frozen, "n": 5, "nested": [{"x": [shared]}], "t1": table, "t2": table,
             "p1": pair, "p2": pair, "only": (shared,)}
    got, want = _deep_copy(graph, {}), copy.deepcopy(graph)
    assert got.keys() == want.keys() and got["a"] == want["a"] == [1, 2]
    # objects referenced twice are copied once (the memo), and nothing mutable is the original
    assert got["a"] is got["b"] is got[("k", 1)][0] is got["nested"][0]["x"][0]
    assert got["a"] is not shared and got[("k", 1)] is not graph[("k", 1)]
    assert got["loop"][0] is got["loop"] and got["loop"] is not loop
    assert got["other"] is got["again"] and got["other"] is not other and got["other"].items == [3]
    assert got["other"].items is not other.items
    assert got["t1"] is got["t2"] and got["t1"] is not table and got["t1"]["k"] is not table["k"]
    assert got["p1"] is got["p2"] and got["p1"] is not pair and got["p1"][0] is not pair[0]
    # a tuple of mutables only is a new tuple of their copies
    assert got["only"] is not graph["only"] and got["only"][0] is got["a"]
    # immutables (and tuples of them) are kept as they are (deepcopy makes new dates: equal ones)
    assert got["frozen"] is frozen and want["frozen"] == frozen and got["n"] == 5
    got["a"].append(9)
    assert shared == [1, 2] and want["a"] == [1, 2]


def test_a_deal_state_is_copied_whole_and_apart(sample):
    state = run_ledger(ASTI_2022, events_from_csv(data_path(SAMPLE_EVENTS)), sample,
                       until=dt.date(2023, 10, 2)).state
    memo: dict = {}
    got = _deep_copy(state, memo)
    want = copy.deepcopy(state)
    assert got is not state and type(got) is type(state)
    # every field as deepcopy's (the market by its arrays: numpy has no plain ==)
    assert {k: v for k, v in vars(got).items() if k != "market"} == {k: v for k, v in vars(want).items()
                                                                     if k != "market"}
    assert np.array_equal(got.market.vwap, state.market.vwap) and np.array_equal(got.market.dates, state.market.dates)
    assert got.notes.keys() == state.notes.keys()
    for name, note in state.notes.items():
        assert got.notes[name] == note and got.notes[name] is not note and type(got.notes[name]) is type(note)
    # no list, dict, array or object of the copy is one of the state's
    theirs = _mutables(state)
    assert not [v for k, v in _mutables(got).items() if k in theirs]
    assert memo[id(state)] is got  # the memo maps the original to its copy, as deepcopy's does
    # a change to the copy leaves the state as it was
    before = {k: copy.deepcopy(v) for k, v in vars(state).items() if k != "market"}
    got.notes["Registered"].principal = 0.0
    got.holdings["Investor"] = got.holdings.get("Investor", 0) + 1
    got.splits.append((dt.date(2024, 1, 2), 0.5))
    got.notes["Private"].shares_by_basis[99] = 1
    assert {k: v for k, v in vars(state).items() if k != "market"} == before
