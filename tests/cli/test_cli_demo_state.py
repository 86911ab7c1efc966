"""The demo's conversions table prices each notice on the sample deal's state that day (the
sample events up to it), not on the preset alone: the cap after the Q1 conversions, the floor
amended to $0.20 on 2023-03-29, the full ratchet to $0.15 on 2023-06-20."""

from __future__ import annotations

import csv
import re

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.samples import SAMPLE_VWAPS, data_path

_register()


def _vwaps() -> dict[str, float]:
    with open(data_path(SAMPLE_VWAPS), encoding="utf-8") as fh:
        rows = [r for r in csv.reader(line for line in fh if not line.startswith("#"))][1:]
    return {r[0]: float(r[1]) for r in rows if r[1]}


@pytest.fixture(scope="module")
def demo() -> str:
    r = CliRunner().invoke(cli, ["demo"], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def row(out: str, day: str) -> list[str]:
    (line,) = [x for x in out.splitlines() if x.startswith(day + " ") and "$" in x][:1]
    return line.split()


def test_the_conversions_table_is_on_the_sample_deals_state(demo):
    flat = " ".join(demo.split())
    assert "Conversions of $200,000 of the Registered note on the sample deal's state each day" in flat
    # 2023-01-03, before any event but the issue: as the preset (200,000 / 2.37876 -> 84,078)
    assert row(demo, "2023-01-03")[1:4] == ["$2.37876", "$0.29000", "$2.37876"]
    assert row(demo, "2023-01-03")[5] == "84,078"
    # 2023-03-15: the 2023-03-14 conversion stopped at the 4.99% cap and the holder sells only on
    # 2023-03-16, so no share fits under the cap
    assert row(demo, "2023-03-15")[5:7] == ["0", "(cap)"]
    # 2023-05-01: the floor is the amended $0.20 (no longer the preset's $0.29)
    assert row(demo, "2023-05-01")[2] == "$0.20000"


def test_the_floor_payment_after_the_ratchet_and_the_amendment_by_hand(demo):
    v = _vwaps()
    days = sorted(d for d in v if d < "2023-08-01")[-10:]  # the 10 sessions before the notice
    lowest = sorted(v[d] for d in days)[:3]
    alternate = 0.925 * sum(lowest) / 3
    assert alternate < 0.15 < 0.20  # below the ratcheted fixed price $0.15, and the floor $0.20 binds
    # shares at the floor: 200,000 / 0.20 = 1,000,000; the floor payment in cash:
    # (200,000 / alternate - 1,000,000) x the notice day's VWAP
    payment = round((200_000 / alternate - 200_000 / 0.20) * v["2023-08-01"], 2)
    cells = row(demo, "2023-08-01")
    assert cells[2:6] == ["$0.20000", "$0.20000", "yes", "1,000,000"]
    assert cells[-1] == f"${payment:,.2f}" == "$118,233.06"  # on the preset's $0.29 floor: $143,433.06
    assert re.search(r"\(cap\): the holder's 4\.99% ownership cap cuts the conversion", " ".join(demo.split()))
