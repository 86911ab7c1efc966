"""An Amendment of the fixed price and the notes' own fixed prices (issue 14): a row naming a
note amends that note; a row without one amends the deal's ``conversion.fixed_price`` and so
every note that takes the deal's price; a note with a price of its own keeps it, named in the
row's Detail. Figures by hand."""

from __future__ import annotations

import pytest

from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.terms_io import load_terms
from tests.helpers.notes import note_table

# Registered takes the deal's $3.93042; Tranche2 (issued 2023-02-17) states its own $2.00. The
# alternate price applies in default only, so the conversions price at the fixed prices.
_TERMS = """
base = "ASTI_2022"
[conversion]
alternate_price_applies = "in_default"
[[notes]]
name = "Registered"
""" + note_table("Tranche2", issue_date="2023-02-17", holder="Investor", own_fixed_price=2.0)


@pytest.fixture
def terms(tmp_path):
    path = tmp_path / "tranches.toml"
    path.write_text(_TERMS)
    return load_terms(path)


def _run(terms, market, amendments):
    rows = [*amendments, ["2023-02-22", "Conversion", "Registered", 100_000, None],
            ["2023-02-22", "Conversion", "Tranche2", 100_000, None]]
    s = run_ledger(terms, parse_events(rows), market)
    conv = {r["Note"]: r for r in s.rows if r["Event"] == "Conversion"}
    return s, conv


def test_an_amendment_of_the_deal_price_leaves_a_notes_own_price(terms, sample):
    s, conv = _run(terms, sample, [["2023-02-21", "Amendment", None, None, "fixed_price = 1.50"]])
    # Registered takes the deal's price: 100,000 / 1.50 = 66,666.67 -> 66,667 (rounded up)
    assert (conv["Registered"]["Conversion Price"], conv["Registered"]["Shares Issued"]) == (1.50, 66_667)
    # Tranche2 keeps its own 2.00: 100,000 / 2.00 = 50,000
    assert (conv["Tranche2"]["Conversion Price"], conv["Tranche2"]["Shares Issued"]) == (2.00, 50_000)
    row = next(r for r in s.rows if r["Event"] == "Amendment")
    assert row["Detail"] == ("conversion.fixed_price: 3.93042 -> 1.5; Tranche2 keeps its own fixed price "
                             "(to amend it: an Amendment row naming the note)")


def test_an_amendment_naming_a_note_amends_that_note(terms, sample):
    _, conv = _run(terms, sample, [["2023-02-21", "Amendment", "Tranche2", None, "fixed_price = 1.25"]])
    # Tranche2: 100,000 / 1.25 = 80,000; Registered keeps the deal's 3.93042:
    # 100,000 / 3.93042 = 25,442.57 -> 25,443
    assert (conv["Tranche2"]["Conversion Price"], conv["Tranche2"]["Shares Issued"]) == (1.25, 80_000)
    assert (conv["Registered"]["Conversion Price"], conv["Registered"]["Shares Issued"]) == (3.93042, 25_443)


def test_a_note_amended_by_name_keeps_its_price_under_a_later_deal_amendment(terms, sample):
    amendments = [["2023-02-21", "Amendment", "Registered", None, "fixed_price = 2.50"],
                  ["2023-02-21", "Amendment", None, None, "fixed_price = 1.50"]]
    s, conv = _run(terms, sample, amendments)
    # Registered's own 2.50 since the first row: 100,000 / 2.50 = 40,000; Tranche2 its 2.00
    assert (conv["Registered"]["Conversion Price"], conv["Registered"]["Shares Issued"]) == (2.50, 40_000)
    assert conv["Tranche2"]["Shares Issued"] == 50_000
    deal_row = [r for r in s.rows if r["Event"] == "Amendment"][1]
    assert deal_row["Detail"].endswith("Registered, Tranche2 keep their own fixed price (to amend it: "
                                       "an Amendment row naming the note)")


def test_an_amended_own_fixed_price_changes_the_issued_notes_price(terms, sample):
    # notes.Tranche2.own_fixed_price after the issue: the note's price from that day
    _, conv = _run(terms, sample, [["2023-02-21", "Amendment", None, None, "notes.Tranche2.own_fixed_price = 1.60"]])
    # 100,000 / 1.60 = 62,500
    assert (conv["Tranche2"]["Conversion Price"], conv["Tranche2"]["Shares Issued"]) == (1.60, 62_500)
    # set to 0 the note takes the deal's price: 100,000 / 3.93042 -> 25,443
    _, conv = _run(terms, sample, [["2023-02-21", "Amendment", None, None, "notes.Tranche2.own_fixed_price = 0"]])
    assert (conv["Tranche2"]["Conversion Price"], conv["Tranche2"]["Shares Issued"]) == (3.93042, 25_443)


def test_without_own_prices_the_deal_amendment_reaches_every_note(sample):
    from ascent_xl.presets import ASTI_2022

    terms = ASTI_2022.with_term("alternate_price_applies", "in_default")
    rows = [["2023-02-21", "Amendment", None, None, "fixed_price = 1.50"],
            ["2023-02-22", "Conversion", "Registered", 100_000, None],
            ["2023-02-22", "Conversion", "Private", 100_000, None]]
    s = run_ledger(terms, parse_events(rows), sample)
    row = next(r for r in s.rows if r["Event"] == "Amendment")
    assert row["Detail"] == "conversion.fixed_price: 3.93042 -> 1.5"
    # both notes at 1.50: 100,000 / 1.50 = 66,666.67 -> 66,667 shares each
    assert [(r["Note"], r["Conversion Price"], r["Shares Issued"]) for r in s.rows if r["Event"] == "Conversion"] == [
        ("Registered", 1.50, 66_667), ("Private", 1.50, 66_667)]
