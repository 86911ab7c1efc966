"""holder_rows: the Position sheet's Holders table and the lines `ascent-xl position` prints per
holder, from one snapshot. Figures by hand from the preset (33,930,812 shares outstanding at the
issue), the sample VWAPs and the sample events to 2023-02-01, with the Private note held by
InvestorB (its cap cut to 4%) and Investor giving notice of a 9.99% cap."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from ascent_xl.cli.position_cmds import _holder_line
from ascent_xl.events import parse_events
from ascent_xl.ledger.position import HOLDER_COLUMNS, deal_state, holder_rows
from tests.helpers.sample_csv import lowest_mean_before

AS_OF = dt.date(2023, 2, 1)
# the sample's two conversions of the Registered note before 2023-02-01, each at 92.5% of the
# mean of the 3 lowest of the 10 VWAPs before its notice (below the $3.93042 fixed price),
# shares rounded up; then Investor sold 250,000 shares on 2023-01-31
FIRST = math.ceil(250_000 / (0.925 * lowest_mean_before("2023-01-10", days=10, lowest=3)))
SECOND = math.ceil(300_000 / (0.925 * lowest_mean_before("2023-01-24", days=10, lowest=3)))
OUTSTANDING = 33_930_812 + FIRST + SECOND
INVESTOR = FIRST + SECOND - 250_000


@pytest.fixture(scope="module")
def two_holders(terms, sample, sample_events):
    deal = terms.with_term("notes.Private.holder", "InvestorB")
    events = [*sample_events, *parse_events([
        ["2023-01-11", "Amendment", "InvestorB", None, "ownership_cap = 0.04"],
        ["2023-01-13", "Amendment", "Investor", None, "ownership_cap = 0.0999"]])]
    return deal_state(deal, sample, events, as_of=AS_OF)


def test_the_figures_worked_by_hand():
    assert (FIRST, SECOND) == (125_733, 179_436)
    assert OUTSTANDING == 34_235_981 and INVESTOR == 55_169


def test_a_row_per_holder_with_its_cap_raise_and_headroom(two_holders):
    rows = {r[0]: dict(zip(HOLDER_COLUMNS, r, strict=True)) for r in holder_rows(two_holders)}
    assert list(rows) == ["Investor", "InvestorB"]
    inv, b = rows["Investor"], rows["InvestorB"]
    assert inv["Shares Held"] == 55_169 and inv["Ownership"] == pytest.approx(55_169 / 34_235_981, rel=1e-12)
    # its cap is 4.99% until the raise it gave notice of on 2023-01-13 takes effect: the
    # Registered note's 61 days later, 2023-03-15
    assert inv["Ownership Cap"] == 0.0499 and inv["Cap Raised To"] == 0.0999
    assert inv["Raise From"] == dt.date(2023, 1, 13) + dt.timedelta(days=61) == dt.date(2023, 3, 15)
    # new shares n with (55,169 + n) / (34,235,981 + n) <= 4.99%:
    # floor((4.99% x 34,235,981 - 55,169) / 95.01%) = floor(1,653,206.45 / 0.9501) = 1,740,034
    assert inv["Cap Headroom (shares)"] == math.floor((0.0499 * 34_235_981 - 55_169) / 0.9501) == 1_740_034
    assert b["Shares Held"] == 0 and b["Ownership"] == 0
    assert b["Ownership Cap"] == 0.04 and b["Cap Raised To"] is None and b["Raise From"] is None
    # floor(4% x 34,235,981 / 96%) = floor(1,426,499.2) = 1,426,499
    assert b["Cap Headroom (shares)"] == math.floor(0.04 * 34_235_981 / 0.96) == 1_426_499
    # the deal's headroom is the holders' together
    assert two_holders.cap_headroom_shares == 1_740_034 + 1_426_499


def test_the_cli_line_says_the_rows_facts(two_holders):
    lines = [_holder_line(r) for r in holder_rows(two_holders)]
    assert lines == [
        "  Investor: 55,169 shares (0.16%); cap 4.99%, raised to 9.99% from 2023-03-15: headroom 1,740,034 shares.",
        "  InvestorB: 0 shares (0.00%); cap 4.00%: headroom 1,426,499 shares.",
    ]


def test_one_holder_without_a_raise(terms, sample, sample_events):
    p = deal_state(terms, sample, sample_events, as_of=AS_OF)
    # Investor holds both notes: its 55,169 shares under the terms' 4.99%, no raise pending
    assert holder_rows(p) == [["Investor", 55_169, pytest.approx(55_169 / 34_235_981, rel=1e-12), 0.0499,
                               None, None, 1_740_034]]
