"""Shared fixtures: the ASTI_2022 terms and the bundled sample market (its events too).

Helpers (hand-made markets, deal books, LibreOffice checks) live in :mod:`tests.helpers`; import
them from there, not from this file."""

from __future__ import annotations

import pytest

from ascent_xl.presets import ASTI_2022


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
