"""Terms files as users expect them (issue 14, "Also"): the file's [[notes]] list is the deal's
list of notes; a note named like a base note starts from it; a new note lists every term; a
fixed price stated with the average it came from must agree with the premium; a floor of 0 only
with floor_mode none."""

from __future__ import annotations

import pytest

from ascent_xl.errors import TermsError
from ascent_xl.presets import ASTI_2022
from ascent_xl.terms_io import dumps_terms, load_terms
from tests.helpers.notes import note_table

_NEW_NOTE = note_table("Tranche2")


def _load(tmp_path, text):
    path = tmp_path / "d.toml"
    path.write_text(text)
    return load_terms(path)


def test_the_files_notes_list_replaces_the_bases(tmp_path):
    # One note named like the base's first: the deal has that one note, no stray "Private".
    t = _load(tmp_path, 'base = "ASTI_2022"\n[[notes]]\nname = "Registered"\nholder = "Fund A"\n')
    assert [n.name for n in t.notes] == ["Registered"]
    reg = t.note("Registered")
    assert reg.holder == "Fund A"
    # everything else is the base note's own terms
    assert reg == ASTI_2022.note("Registered").replace(holder="Fund A")


def test_the_files_order_is_the_deals_order_and_a_base_note_can_be_dropped(tmp_path):
    t = _load(tmp_path, 'base = "ASTI_2022"\n[[notes]]\nname = "Private"\n[[notes]]\nname = "Registered"\n')
    assert [n.name for n in t.notes] == ["Private", "Registered"]
    t = _load(tmp_path, 'base = "ASTI_2022"\n[placement]\nfee_notes = ["Private"]\n[[notes]]\nname = "Private"\n')
    assert [n.name for n in t.notes] == ["Private"]


def test_without_notes_the_file_keeps_the_bases(tmp_path):
    t = _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfloor_price = 0.2\n')
    assert t.notes == ASTI_2022.notes


def test_a_new_note_lists_every_term(tmp_path):
    with pytest.raises(TermsError, match=r"d.toml: notes.Tranche2.kind: missing; add it .*"
                       r"'Tranche2' is a new note \(the base's notes: Registered, Private\), so it lists every term"):
        _load(tmp_path, 'base = "ASTI_2022"\n[[notes]]\nname = "Registered"\n[[notes]]\nname = "Tranche2"\nface = 1000000\n')
    t = _load(tmp_path, 'base = "ASTI_2022"\n[[notes]]\nname = "Registered"\n' + _NEW_NOTE)
    assert [n.name for n in t.notes] == ["Registered", "Tranche2"]
    assert t.note("Tranche2").rate == 0.06 and t.note("Tranche2").holder == "Fund B"


def test_a_note_listed_twice_is_refused(tmp_path):
    with pytest.raises(TermsError, match=r"d.toml: notes.registered: note listed twice"):
        _load(tmp_path, 'base = "ASTI_2022"\n[[notes]]\nname = "Registered"\n[[notes]]\nname = "registered"\n')


def test_an_edited_premium_with_the_exported_fixed_price_is_refused(tmp_path):
    # The export states the fixed price and the average it came from; 130% x 3.0234 = 3.93042.
    text = dumps_terms(ASTI_2022)
    assert "fixed_price = 3.93042" in text and "fixed_price_average = 3.0234" in text
    assert _load(tmp_path, text) == ASTI_2022
    edited = text.replace("fixed_price_premium = 0.3\n", "fixed_price_premium = 0.25\n")
    assert edited != text
    # 125% x 3.0234 = 3.77925
    with pytest.raises(TermsError, match=r"conversion.fixed_price: 3.93042 is not 125% of "
                       r"fixed_price_average 3.0234 \(3.77925\); write fixed_price = 3.77925"):
        _load(tmp_path, edited)
    # the same with a base
    with pytest.raises(TermsError, match=r"conversion.fixed_price: 3.93042 is not 125%"):
        _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfixed_price_premium = 0.25\n')
    # the user who follows the message gets 3.77925
    t = _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfixed_price_premium = 0.25\nfixed_price = 3.77925\n')
    assert t.conversion.fixed_price == 3.77925
    # or blanks the fixed price: it is then computed from the stated average, 125% x 3.0234
    from ascent_xl.pricing import resolve_fixed_price

    t = _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfixed_price_premium = 0.25\nfixed_price = "none"\n')
    assert t.conversion.fixed_price is None
    assert resolve_fixed_price(t, None) == pytest.approx(3.77925, abs=1e-12)


def test_a_fixed_price_stated_to_fewer_decimals_agrees_at_its_own_precision(tmp_path):
    # A filing states $0.7160; 130% x 0.5508 = 0.71604, which is 0.7160 to 4 decimals.
    t = _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfixed_price = 0.716\nfixed_price_average = 0.5508\nfloor_price = 0.1\n')
    assert t.conversion.fixed_price == 0.716
    # 0.7170 is not: 0.71604 rounds to 0.7160
    with pytest.raises(TermsError, match=r"conversion.fixed_price: 0.717 is not 130% of fixed_price_average 0.5508 \(0.7160\)"):
        _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfixed_price = 0.717\nfixed_price_average = 0.5508\nfloor_price = 0.1\n')


def test_changed_days_with_the_bases_fixed_price_is_refused(tmp_path):
    with pytest.raises(TermsError, match=r"conversion.fixed_price_days: 10 days, but the base's fixed_price "
                       r"and fixed_price_average came from 5 days"):
        _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfixed_price_days = 10\n')
    t = _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfixed_price_days = 10\nfixed_price = "none"\n'
              'fixed_price_average = "none"\n')
    assert t.conversion.fixed_price is None and t.conversion.fixed_price_days == 10


def test_a_floor_of_zero_only_without_a_floor(tmp_path):
    t = _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfloor_price = 0\nfloor_mode = "none"\n'
              '[covenants]\nshare_reserve_price = "fixed"\n')
    assert (t.conversion.floor_price, t.conversion.floor_mode) == (0.0, "none")
    with pytest.raises(TermsError, match=r"conversion.floor_price: 0 USD/share must be at least 1e-06"):
        _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfloor_price = 0\nfloor_mode = "cap"\n')


def test_a_fixed_price_set_by_itself_is_stated(tmp_path):
    # an amendment (or a file, or a terms range) that sets the fixed price alone: it is no
    # longer computed from the 3.0234 average, so no disagreement with the premium
    t = ASTI_2022.with_term("fixed_price", 0.25)
    assert (t.conversion.fixed_price, t.conversion.fixed_price_average) == (0.25, None)
    t = _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfixed_price = 2.0\n')
    assert (t.conversion.fixed_price, t.conversion.fixed_price_average) == (2.0, None)
    # the premium edited alone still meets the stated average
    with pytest.raises(TermsError, match=r"conversion.fixed_price_premium: 3.93042 is not 125% of fixed_price_average"):
        ASTI_2022.with_term("fixed_price_premium", 0.25)


def test_files_the_inputs_sheet_and_a_terms_range_read_terms_alike(tmp_path):
    from ascent_xl.excel.cells import CellError, terms_from_cells
    from ascent_xl.terms_io import read_terms

    from_file = _load(tmp_path, 'base = "ASTI_2022"\n[conversion]\nfloor_price = 0.2\n'
                      'window_includes_notice_day = true\n')
    from_flat = read_terms({"conversion.floor_price": 0.2, "conversion.window_includes_notice_day": "TRUE"},
                           base=ASTI_2022)
    from_range = terms_from_cells([["floor_price", 0.2], ["window_includes_notice_day", True]], ASTI_2022)
    assert from_file == from_flat == from_range
    # the Inputs sheet gives every term by its dotted name, no base
    assert read_terms(ASTI_2022.flat()) == ASTI_2022
    # the same refusal everywhere: an edited premium against the stated average
    with pytest.raises(TermsError, match=r"conversion.fixed_price: 3.93042 is not 125%"):
        read_terms({"conversion.fixed_price_premium": 0.25}, base=ASTI_2022)
    with pytest.raises(CellError, match=r"terms row 1: conversion.fixed_price: 3.93042 is not 125%"):
        terms_from_cells([["fixed_price_premium", 0.25]], ASTI_2022)
    # dotted note names change that note only (the range and the sheet), a file's list replaces
    t = read_terms({"notes.Private.rate": "5%"}, base=ASTI_2022)
    assert [n.name for n in t.notes] == ["Registered", "Private"] and t.note("Private").rate == 0.05


def test_a_preferred_without_maturity_or_coupon(tmp_path):
    pref = ('base = "ASTI_2022"\n[placement]\nfee_notes = ["Registered"]\n[[notes]]\nname = "Registered"\n'
            'face = 236850000\nstated_value = 10000\nmaturity_months = 0\nrate = 0\ninterest_months = []\n')
    t = _load(tmp_path, pref)
    n = t.note("Registered")
    # 236,850,000 / 10,000 = 23,685 preferred shares; no maturity date
    assert (n.maturity, n.preferred_shares(n.face)) == (None, 23_685)
    # a coupon without maturity is refused, naming the term and what to write
    with pytest.raises(TermsError, match=r"maturity_months: 0 \(no maturity\) with rate 0.045: a coupon or "
                       r"dividend without maturity is not modelled yet; write rate = 0 and interest_months = \[\]"):
        _load(tmp_path, pref.replace("rate = 0\n", ""))
    with pytest.raises(TermsError, match=r"maturity_months: 0 \(no maturity\) with interest_months \[3, 6, 9, 12\]"):
        _load(tmp_path, pref.replace("interest_months = []", ""))
    # a face that is not a whole number of preferred shares: 236,855,000 / 10,000 = 23,685.5
    with pytest.raises(TermsError, match=r"stated_value: 10,000.00: face 236,855,000.00 is not a whole number"):
        _load(tmp_path, pref.replace("236850000", "236855000"))
    # installments run to maturity: refused without one
    with pytest.raises(TermsError, match=r"^d.toml: notes.Registered.maturity_months: 0 \(no maturity\) with "
                       r"conversion.installment_amount 250000"):
        _load(tmp_path, pref + "[conversion]\ninstallment_amount = 250000\ninstallment_first_month = 1\n"
              "installment_discount = 0.08\ninstallment_days = 20\ninstallment_lowest = 1\n")
