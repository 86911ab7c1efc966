"""Deal terms as data: the preset, validation that names the field, files, amendments."""

from __future__ import annotations

import dataclasses
import json

import pytest

from ascent_xl.errors import TermsError
from ascent_xl.presets import ASTI_2022, preset
from ascent_xl.terms import ConversionTerms, DealTerms, check_term
from ascent_xl.terms_io import dumps_terms, load_terms, save_terms


def test_preset_holds_the_deal_numbers():
    t = ASTI_2022
    reg, priv = t.note("Registered"), t.note("private")
    assert (reg.face, reg.purchase_price, reg.original_issue_discount) == (12_500_000, 11_250_000, 1_250_000)
    assert (priv.face, priv.purchase_price) == (2_500_000, 2_250_000)
    assert str(reg.maturity) == "2024-06-19"
    c = t.conversion
    assert (c.fixed_price, c.floor_price, c.floor_price_max) == (3.93042, 0.29, 0.57)
    assert (c.alternate_price_discount, c.alternate_price_days, c.alternate_price_lowest) == (0.075, 10, 3)
    assert (t.default.redemption_premium, t.default.reset_factor) == (1.20, 0.80)
    assert (t.redemption.change_of_control_premium, t.redemption.optional_prepayment_premium) == (1.05, 1.20)
    assert t.warrants.shares == 2_513_406 and t.warrants.exercise_price == 3.93
    assert str(t.warrants.expiry) == "2027-12-19"
    assert t.calendar == "XNAS" and preset("asti_2022") is t


def test_terms_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ASTI_2022.conversion.floor_price = 0.1  # type: ignore[misc]


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_round_trip_through_a_file(tmp_path, fmt):
    path = tmp_path / f"deal.{fmt}"
    save_terms(ASTI_2022, path)
    assert load_terms(path) == ASTI_2022
    save_terms(ASTI_2022.with_term("floor_price", 0.2), path)  # second save keeps a backup
    assert load_terms(path).conversion.floor_price == 0.2
    assert load_terms(tmp_path / f"deal.{fmt}.bak") == ASTI_2022


def test_file_with_a_base_preset_overrides_only_what_it_lists(tmp_path):
    path = tmp_path / "d.toml"
    path.write_text(
        'base = "ASTI_2022"\nname = "amended"\n[conversion]\nfloor_price = 0.20\n'
        '[[notes]]\nname = "Registered"\n[[notes]]\nname = "Private"\nrate = 0.05\n'
    )
    t = load_terms(path)
    assert t.name == "amended" and t.conversion.floor_price == 0.20
    assert t.conversion.fixed_price == 3.93042  # from the base
    assert [n.name for n in t.notes] == ["Registered", "Private"]
    assert t.note("Private").rate == 0.05 and t.note("Registered").rate == 0.045


@pytest.mark.parametrize(
    "text, message",
    [
        ('base = "ASTI_2022"\n[conversion]\nfloor_price = -1\n', r"d.toml: conversion.floor_price: -1 USD/share must be at least 0"),
        ('base = "ASTI_2022"\n[conversion]\nfloor_prise = 0.2\n', r"conversion.floor_prise: unknown term; did you mean 'floor_price'\?"),
        ('base = "ASTI_2022"\n[conversion]\nshare_rounding = "sideways"\n', r"conversion.share_rounding: 'sideways': choose one of up, down, nearest"),
        ('base = "ASTI_2022"\n[conversion]\nalternate_price_discount = 0.925\n', r"discount of 0.075"),
        ('base = "ASTI_2022"\n[default]\nredemption_premium = 0.2\n', r"default.redemption_premium: 0.2 x principal must be at least 1 \(120% of principal is 1.20\)"),
        ('base = "ASTI_2022"\nagreement_date = "19/12/2022"\n', r"agreement_date: '19/12/2022' is not a date; write it as YYYY-MM-DD"),
        ('base = "ASTI_2022"\n[[notes]]\nname = "Registered"\nface = "lots"\n', r"notes.Registered.face: 'lots' is not a number"),
        ('base = "NOPE"\n', r"base: no preset named 'NOPE'"),
        ('name = "only a name"\n', r"d.toml: issuer: missing"),
        ('base = "ASTI_2022"\n[placement]\nfee_tier_rates = [0.08, 0.04]\n', r"placement.fee_tier_rates: 2 rates for 2 limits"),
        ("this is = not toml [", r"not a valid TOML file"),
    ],
)
def test_invalid_files_name_the_field(tmp_path, text, message):
    path = tmp_path / "d.toml"
    path.write_text(text)
    with pytest.raises(TermsError, match=message):
        load_terms(path)


def test_json_file_errors_name_the_field(tmp_path):
    data = json.loads(dumps_terms(ASTI_2022, fmt="json"))
    data["conversion"]["ownership_cap"] = 0.5
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    with pytest.raises(TermsError, match=r"conversion.ownership_cap: 0.5 is above ownership_cap_max 0.0999"):
        load_terms(path)


def test_amend_by_short_dotted_and_note_names():
    t = ASTI_2022.with_term("floor_price", "0.20")
    assert t.conversion.floor_price == 0.2 and ASTI_2022.conversion.floor_price == 0.29
    assert ASTI_2022.with_term("notes.Registered.rate", "5%").note("Registered").rate == 0.05
    assert ASTI_2022.with_term("premium_on_interest", "yes").default.premium_on_interest is True
    with pytest.raises(TermsError, match="ambiguous term name; say which: notes.Private.face, notes.Registered.face"):
        ASTI_2022.with_term("face", 1)
    with pytest.raises(TermsError, match="conversion.floor_price: -0.2 USD/share must be at least 0"):
        ASTI_2022.with_term("floor_price", -0.2)
    with pytest.raises(TermsError, match="no note named 'Bogus'"):
        ASTI_2022.with_term("notes.Bogus.rate", 0.05)


def test_flat_names_cover_every_leaf_and_describe_units():
    flat = ASTI_2022.flat()
    assert flat["conversion.floor_price"] == 0.29
    assert flat["notes.Private.face"] == 2_500_000
    assert DealTerms.describe("conversion.floor_price")[0] == "USD/share"
    assert all(DealTerms.describe(k)[1] for k in flat), "every term has a description"


def test_check_term_uses_the_terms_range():
    assert check_term(ConversionTerms, "alternate_price_days", "10") == 10
    with pytest.raises(TermsError, match=r"^days: 0 trading days must be at least 1"):
        check_term(ConversionTerms, "alternate_price_days", 0, label="days")


def test_duplicate_note_names_are_refused():
    with pytest.raises(TermsError, match="repeated: Registered"):
        ASTI_2022.replace(notes=(ASTI_2022.notes[0], ASTI_2022.notes[0]))
