"""One share basis in every total: the schedule's Shares Restated column, the summary's shares as
issued (one column per share basis) and restated, and the Summary sheet's as-issued text, on the sample deal (1:200 reverse split on 2023-09-12) and on deals with 0 and 2 splits."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.events import events_from_csv, parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.presets import ASTI_2022
from ascent_xl.samples import SAMPLE_EVENTS, data_path, sample_market

# the sample deal's conversions (shares by hand in tests/ledger/test_ledger_sample_deal.py)
PRE_SPLIT = (125_733, 179_436, 268_627, 419_770, 745_928, 621_465, 1_113_497, 1_379_311)
POST_SPLIT = 1_250  # 2023-10-02: $50,000 at the post-split floor $40.00


@pytest.fixture(scope="module")
def sample():
    return run_ledger(ASTI_2022, events_from_csv(data_path(SAMPLE_EVENTS)), sample_market())


def test_rows_carry_their_shares_as_issued_and_restated_to_the_last_basis(sample):
    conv = [r for r in sample.rows if r["Event"] == "Conversion"]
    assert tuple(r["Shares Issued"] for r in conv) == (*PRE_SPLIT, POST_SPLIT)
    before = [r for r in conv if r["Date"] < dt.date(2023, 9, 12)]
    assert [r["Shares Restated"] for r in before] == [pytest.approx(n / 200) for n in PRE_SPLIT]
    assert conv[-1]["Shares Restated"] == 1_250  # after the split: as issued
    assert all(r["Shares Restated"] is None for r in sample.rows if not r["Shares Issued"])


def test_the_summary_never_adds_shares_of_two_bases(sample):
    total = sample.summary().iloc[-1]
    assert sum(PRE_SPLIT) == 4_853_767
    assert total["Shares Issued before 2023-09-12"] == 4_853_767
    assert total["Shares Issued from 2023-09-12"] == 1_250
    # restated: 4,853,767 / 200 = 24,268.835 old-basis shares on the new basis, + 1,250 new
    assert 4_853_767 / 200 + 1_250 == pytest.approx(25_518.835)
    assert total["Shares Restated"] == 25_519  # to the nearest share
    assert "Shares Issued" not in sample.summary().columns  # the mixed 4,855,017 is gone
    assert sample.conversion_shares_text() == "4,853,767 before 2023-09-12; 1,250 from 2023-09-12"
    assert sample.share_basis_note() == "on the share basis after every split: 1:200 on 2023-09-12"


def test_without_a_split_as_issued_equals_restated():
    s = run_ledger(ASTI_2022, parse_events([["2023-01-10", "Conversion", "Registered", 250_000, None]]),
                   sample_market())
    total = s.summary().iloc[-1]
    assert s.share_bases() == [""]
    # 250,000 / (92.5% x the 3 lowest of 10 VWAPs) = 125,733 shares (test_ledger_sample_deal)
    assert total["Shares Issued"] == total["Shares Restated"] == 125_733
    assert s.conversion_shares_text() == "125,733"


def test_two_splits_give_three_bases():
    rows = [["2023-01-10", "Conversion", "Registered", 250_000, None],
            ["2023-02-01", "Split", None, None, "1:10"],
            ["2023-03-01", "Split", None, None, "2:1"]]
    s = run_ledger(ASTI_2022, parse_events(rows), sample_market(), until=dt.date(2023, 3, 2))
    assert s.share_bases() == ["before 2023-02-01", "2023-02-01 to 2023-02-28", "from 2023-03-01"]
    total = s.summary().iloc[-1]
    assert total["Shares Issued before 2023-02-01"] == 125_733
    # 125,733 x 1/10 x 2 = 25,146.6 -> 25,147
    assert total["Shares Restated"] == 25_147
    assert s.rows[[r["Event"] for r in s.rows].index("Conversion")]["Shares Restated"] == pytest.approx(25_146.6)


def test_rows_say_what_they_hold_split_election_reset():
    rows = [["2023-03-10", "Default", "Registered", None, "reset"],
            ["2023-03-15", "Interest Election", None, None, "pik or cash"],
            ["2023-09-12", "Split", None, None, "1:200"]]
    s = run_ledger(ASTI_2022, parse_events(rows), sample_market(), until=dt.date(2023, 10, 1))
    by = {r["Event"]: r for r in s.rows if r["Source"] and r["Source"].startswith("row")}
    assert by["Interest Election"]["Detail"].startswith(
        "election pik or cash: interest paid in kind from 2023-03-15; in cash when the equity conditions fail")
    assert by["Split"]["Detail"].startswith("split 1:200 (0.005 new per old)")
    reset = by["Default"]
    # the reset price sits in Reset Price (not in Conversion Price: nothing converts); the fixed
    # price in force is the lower of the fixed price 3.93042 and the reset
    assert reset["Conversion Price"] is None and reset["Reset Price"] < 3.93042
    assert reset["Fixed Price"] == reset["Reset Price"]
    # after the split both are restated: x 200
    assert by["Split"]["Fixed Price"] == pytest.approx(3.93042 * 200)  # the deal's price, no note
    note_rows = [r for r in s.rows if r["Note"] == "Registered" and r["Date"] >= dt.date(2023, 9, 12)]
    assert note_rows and all(r["Reset Price"] == pytest.approx(reset["Reset Price"] * 200) for r in note_rows)
