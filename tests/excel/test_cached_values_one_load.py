"""A book just saved by openpyxl holds no formula values, so its formulas are calculated from
one load of it (not a second, data-only one): the same value for every formula cell."""

from __future__ import annotations

import zipfile

import pytest

from ascent_xl.excel import _package as pkg
from ascent_xl.excel import cached
from ascent_xl.excel.evaluate import compiler
from ascent_xl.excel.template import build_template
from tests.helpers.books import load

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def test_one_load_gives_every_formula_the_same_value(tmp_path):
    book = build_template(tmp_path, xlsm=False)[0]
    saved = tmp_path / "saved.xlsx"
    load(book).save(saved)  # as a refresh saves it: every formula without a value
    with zipfile.ZipFile(saved) as zf:
        cells = [f"{s.title}!{m.group(1).decode()}" for s in pkg.sheets(zf, saved)
                 for m in cached._CELL.finditer(zf.read(s.part))]
    assert len(cells) > 20  # the Summary totals, the Checks, the ASCENT_* cells
    values = {}
    for no_values in (False, True):
        xl = compiler(saved, no_values=no_values)
        values[no_values] = [cached._plain(xl.evaluate(c)) for c in cells]
    assert values[True] == values[False]
    assert all(v is not None for v in values[True])
