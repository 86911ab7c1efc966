"""The example terms files of the rule shapes no shipped deal shows (ascent_xl/data/examples/):
each loads and runs in the ledger, figures by hand (issue 14, "Must show")."""

from __future__ import annotations

from pathlib import Path

import pytest

import ascent_xl
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.terms_io import load_terms

EXAMPLES = Path(ascent_xl.__file__).parent / "data" / "examples"


def test_the_trigger_payments_file(sample):
    t = load_terms(EXAMPLES / "family_trigger_payments.toml")
    assert [n.name for n in t.notes] == ["Registered"] and t.redemption.trigger_price == 1.0
    paid = [r for r in run_ledger(t, parse_events([]), sample).rows if r["Event"] == "Prepayment"]
    # the sample's VWAPs 02-16 1.0358, 02-17 1.0048, 02-21 0.9849, 02-22 0.9047, 02-23 0.9082:
    # 3 of the 5 to 02-23 below 1.00, the trigger; 2 trading days later, 02-27, the first
    # payment, then the 27th of each month
    assert [r["Date"].isoformat() for r in paid[:2]] == ["2023-02-27", "2023-03-27"]
    # 500,000 at 105%: premium 25,000; the interest on it: 12,500,000 x 4.5% x 57 / 360
    # (12-31 .. 02-27, 30/360) = 89,062.50 accrued, 500,000 / 12,500,000 of it = 3,562.50;
    # cash 528,562.50
    first = paid[0]
    assert (first["Principal Repaid"], first["Premium Paid"], first["Interest Paid Cash"], first["Cash Paid"]) == (
        500_000, 25_000, 3_562.50, 528_562.50)


def test_the_installments_file(sample):
    t = load_terms(EXAMPLES / "family_installments.toml")
    assert t.conversion.installment_amount == 250_000
    # the sample's 1:200 split of 2023-09-12 as a Split row (a later installment's window crosses it)
    s = run_ledger(t, parse_events([["2023-09-12", "Split", None, None, "1:200"]]), sample)
    rows = [r for r in s.rows if r["Event"] == "Installment"]
    # 2022-12-19 + 1 month: 01-19; the lowest of the 20 VWAPs 12-19 .. 01-18 is 1.8577;
    # 92% = 1.709084; 250,000 / 1.709084 = 146,277.6 -> 146,278 (rounded up)
    assert rows[0]["Date"].isoformat() == "2023-01-19"
    assert rows[0]["Conversion Price"] == pytest.approx(0.92 * 1.8577, abs=1e-12)
    assert (rows[0]["Principal Converted"], rows[0]["Shares Issued"]) == (250_000, 146_278)
    # 02-19 is a Sunday, 02-20 Presidents' Day: 02-21; the lowest of the 20 before is 1.0048;
    # 92% = 0.924416; 250,000 / 0.924416 = 270,441.5 -> 270,442
    assert rows[1]["Date"].isoformat() == "2023-02-21" and rows[1]["Shares Issued"] == 270_442
