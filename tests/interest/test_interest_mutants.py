"""Tests written against surviving mutants of ascent_xl/interest.py (issue 16): each names, in a
comment, the function and the change it catches. Expected values are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ascent_xl.errors import InputError
from ascent_xl.interest import day_count, normalise_basis, year_fraction


@pytest.mark.parametrize(("alias", "basis"), [
    ("30/360", "30/360"), ("30/360US", "30/360"), ("bond", "30/360"), ("30U/360", "30/360"),
    ("30E/360", "30E/360"), ("Eurobond", "30E/360"),
    ("ACT/365", "ACT/365"), ("act/365f", "ACT/365"), ("Actual/365", "ACT/365"), ("A/365", "ACT/365"),
    ("ACT/360", "ACT/360"), ("Actual / 360", "ACT/360"), ("a/360", "ACT/360"),
])
def test_every_alias_of_a_day_count_basis(alias, basis):
    # normalise_basis: each key and value of _ALIASES ("XX..XX", case changed): an alias that no
    # longer matches is refused, a value that changed is no basis.
    assert normalise_basis(alias) == basis
    # 2023-01-31 -> 2023-03-31: 30/360 and 30E/360 count 60 days (the 31sts as 30ths), the ACT
    # bases the 59 real days; over 360 or 365.
    days = {"30/360": 60, "30E/360": 60, "ACT/365": 59, "ACT/360": 59}[basis]
    assert day_count(dt.date(2023, 1, 31), dt.date(2023, 3, 31), alias) == days
    assert year_fraction(dt.date(2023, 1, 31), dt.date(2023, 3, 31), alias) == days / (
        365.0 if basis == "ACT/365" else 360.0)


def test_a_basis_that_is_not_one_is_refused_naming_the_four():
    with pytest.raises(InputError) as info:
        normalise_basis("ACT/ACT")
    assert str(info.value) == "basis 'ACT/ACT': use one of 30/360, 30E/360, ACT/365, ACT/360"
