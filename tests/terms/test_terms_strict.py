"""Terms files are read strictly: numbers and dates in the one format every reader takes."""

from __future__ import annotations

import pytest

from ascent_xl.errors import TermsError
from ascent_xl.terms_io import load_terms


def _load(tmp_path, body, name="deal.toml"):
    p = tmp_path / name
    p.write_text('base = "ASTI_2022"\n' + body, encoding="utf-8")
    return load_terms(p)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ('"0,20"', "'0,20' has an ambiguous comma: write 0.20 for a decimal or 20 for a whole number"),
        ('"20%"', "'20%' is a percent, but this is not a rate"),
        ('"3_0"', "has '_'"),
        ('"nan"', "not a finite number"),
        ('"\u0663"', "has the digit"),
    ],
)
def test_floor_price_misreads_refused(tmp_path, value, says):
    with pytest.raises(TermsError) as info:
        _load(tmp_path, f"[conversion]\nfloor_price = {value}\n")
    assert str(info.value).startswith("deal.toml: conversion.floor_price: ")
    assert says in str(info.value)


def test_a_rate_may_be_a_percent(tmp_path):
    t = _load(tmp_path, '[conversion]\nalternate_price_discount = "7.5%"\n')
    assert t.conversion.alternate_price_discount == pytest.approx(0.075)  # 7.5 / 100


@pytest.mark.parametrize(("value", "says"), [('"2022-12"', "has no day"),
                                            ('"2022-12-19xyz"', "after the date")])
def test_dates_strict(tmp_path, value, says):
    with pytest.raises(TermsError, match=f"deal.toml: agreement_date: .*{says}"):
        _load(tmp_path, f"agreement_date = {value}\n")
