"""The examples in the engine's docstrings run and give the numbers they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ascent_xl.calendar",
    "ascent_xl.money",
    "ascent_xl.interest",
    "ascent_xl.market",
    "ascent_xl.pricing",
    "ascent_xl.fees",
    "ascent_xl.terms",
    "ascent_xl.terms_io",
    "ascent_xl.excel.cells",
    "ascent_xl.valuation.chart",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"
