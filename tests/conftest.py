"""Shared fixtures: the ASTI_2022 terms and the bundled sample market (its events too).

Helpers (hand-made markets, deal books, LibreOffice checks) live in :mod:`tests.helpers`; import
them from there, not from this file."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from ascent_xl.presets import ASTI_2022
from tests.helpers.budget import MUTATION

# In a mutation run (tools/mutation.sh) mutmut forks one process per mutant from a server that
# has imported every test module, and each fork runs pytest once on the tests that call the
# mutated function, stopping at the first failure. Two things make that cheap:
# - gc.freeze() at the start of each pytest run: pytest's unraisable-exception cleanup calls
#   gc.collect() at the end of every run, which scanned the whole inherited heap (0.29 s of CPU a
#   mutant for a one-line fees test; 0.06 s frozen);
# - the tests run fastest first (the durations mutmut measured in its first pass, read once in
#   the server), module by module (the module whose chosen tests take least first, so each
#   module's fixtures are set up once), so a mutant the quick hand-checked tests kill never
#   waits for a property test.
_DURATIONS: dict[str, float] | None = None


def _mutmut_durations() -> dict[str, float]:
    global _DURATIONS
    if _DURATIONS is None:
        stats = Path("mutmut-stats.json")  # mutmut runs the tests from its mutants/ folder
        try:
            _DURATIONS = dict(json.loads(stats.read_text())["duration_by_test"])
        except (OSError, ValueError, KeyError):
            _DURATIONS = {}
    return _DURATIONS


def pytest_configure(config):
    if MUTATION:
        gc.freeze()


def pytest_collection_modifyitems(config, items):
    if MUTATION:
        durations = _mutmut_durations()
        if durations:
            took = {item.nodeid: durations.get(item.nodeid, float("inf")) for item in items}
            per_module: dict[str, float] = {}
            for item in items:
                module = item.nodeid.split("::")[0]
                per_module[module] = per_module.get(module, 0.0) + took[item.nodeid]
            items.sort(key=lambda item: (per_module[item.nodeid.split("::")[0]], took[item.nodeid]))


@pytest.fixture(scope="session")
def terms():
    return ASTI_2022


@pytest.fixture(scope="session")
def sample():
    from ascent_xl.samples import sample_market

    return sample_market()


@pytest.fixture(scope="session")
def sample_events():
    from ascent_xl.events import events_from_csv
    from ascent_xl.samples import SAMPLE_EVENTS, data_path

    return events_from_csv(data_path(SAMPLE_EVENTS))
