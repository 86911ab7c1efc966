"""The Inputs' placement fee tiers as read (template.fee_tiers_formula) get their cached value
without pycel (ascent_xl.excel.cached.fee_tiers_text, issue 15: pycel's import was 0.3 s of
every refresh that writes): the same text pycel calculates, where pycel and Excel agree, and
pycel's own answer everywhere else."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from ascent_xl.excel.cached import _TableFormulas, _Unshaped, fee_tiers_text, save_with_values
from ascent_xl.excel.template import fee_tiers_formula
from tests.helpers.recalc import evaluate

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

SHIPPED = Path(__file__).resolve().parents[2] / "workbooks" / "ascent_advance_notes.xlsx"
ASTI_TIERS = "$0-$5,000,000: 8%; $5,000,000-$10,000,000: 4%; above $10,000,000: 6%"


@pytest.mark.parametrize(("limits", "rates", "expected"), [
    ("5000000, 10000000", "0.08, 0.04, 0.06", ASTI_TIERS),
    ("2500000; 7500000; 15000000", "0.1;0.075;0.05;0.025",
     "$0-$2,500,000: 10%; $2,500,000-$7,500,000: 7.5%; $7,500,000-$15,000,000: 5%; above $15,000,000: 2.5%"),
    ("", "0.07", "all: 7%"),
    ("10000000", "0.07, 0.05", "$0-$10,000,000: 7%; above $10,000,000: 5%"),
    ("1000", "0.00125,0", "$0-$1,000: 0.125%; above $1,000: 0%"),  # 0.125 keeps its 3 decimals; 0 is "0%"
    ("", "", ""),  # no rates: nothing to read
    ("1,2,3,4,5,6", "0.1,0.1,0.1,0.1,0.1,0.1,0.1",  # a 7th rate: "; ..."
     "$0-$1: 10%; $1-$2: 10%; $2-$3: 10%; $3-$4: 10%; $4-$5: 10%; $5-$6: 10%; ..."),
])
def test_the_tiers_spelled_out_by_hand(limits, rates, expected):
    assert fee_tiers_text(limits, rates) == expected


@pytest.mark.parametrize(("limits", "rates"), [
    ("5000000.5", "0.08, 0.04"),  # TEXT would round the limit: pycel's
    ("5000000", "0.081234, 0.04"),  # 6 decimals: TEXT would round the rate
    ("5e6", "0.08, 0.04"),  # not plain digits (Excel's VALUE and Python's float may differ)
    ("$5,000,000", "0.08, 0.04"),
    ("5000000", "8%, 4%"),
    ("5 000 000", "0.08, 0.04"),  # a space inside an item
    ("5000000", "0.08,, 0.04"),  # an empty item: a slot of spaces only (pycel's TRIM keeps one)
    ("5000000", "0,08; 0,04"),
    ("5000000", "0.08, 0.04, \u00a00.06"),  # not ASCII
    ("", "0.08, 0.04"),  # "above " VALUE(""): pycel's
])
def test_anything_but_plain_lists_is_left_to_pycel(limits, rates):
    with pytest.raises(_Unshaped):
        fee_tiers_text(limits, rates)


def _tiers_book(cases: list[tuple[object, object]]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "T"
    for i, (limits, rates) in enumerate(cases, start=1):
        ws.cell(row=i, column=1, value=limits)
        ws.cell(row=i, column=2, value=rates)
        ws.cell(row=i, column=3, value=f"={fee_tiers_formula(f'$A${i}', f'$B${i}')}")
    return wb


def _random_list(rng: random.Random, item, n: int) -> object:
    seps = [", ", ",", ";", "; ", " , "] + ([",,", "  ,", ",   "] if rng.random() < 0.3 else [])
    text = "".join(item() + (rng.choice(seps) if k < n - 1 else "") for k in range(n))
    if n == 1 and rng.random() < 0.3:  # a single number typed as a number
        try:
            return float(text) if "." in text else int(text)
        except ValueError:
            return text
    return text or None


def test_the_same_text_as_pycel_on_lists_a_user_may_type(tmp_path):
    rng = random.Random(15)

    def limit() -> str:
        plain = str(rng.randrange(1, 10**rng.randint(1, 9)))
        return plain if rng.random() < 0.9 else rng.choice([f"{plain}.5", "1e6", "-5", "abc", ""])

    def rate() -> str:
        d = rng.randint(1, 5)
        plain = f"{rng.randrange(0, 10**d) / 10**d:.{d}f}"
        return plain if rng.random() < 0.9 else rng.choice(["0.1234567", "8", "0.1 ", " 0.2", "x", ""])

    cases = []
    for _ in range(60):  # pycel takes about 0.07 s a formula
        n = rng.choice([0, 1, 1, 2, 3, 3, 4, 6, 7, 8])  # rates; limits: one fewer, or any number
        m = max(n - 1, 0) if rng.random() < 0.8 else rng.randint(0, 8)
        cases.append((_random_list(rng, limit, m), _random_list(rng, rate, n)))
    wb = _tiers_book(cases)
    path = tmp_path / "tiers.xlsx"
    wb.save(path)
    refs = [f"T!C{i}" for i in range(1, len(cases) + 1)]
    pycel = dict(zip(refs, evaluate(path, refs), strict=True))
    ours = _TableFormulas(wb, {}).values(refs)
    assert len(ours) >= len(refs) // 2  # most are calculated here (the rest: pycel's)
    assert any(v.count(";") >= 2 for v in ours.values())
    for ref, value in ours.items():
        assert value == pycel[ref], (ref, cases[int(ref[3:]) - 1])


def test_a_formula_not_exactly_the_templates_is_pycels(tmp_path):
    wb = _tiers_book([("5000000", "0.08, 0.04")])
    ws = wb["T"]
    ws["C1"] = ws["C1"].value.replace('"; ..."', '"; more"')  # another formula of the same start
    ws["C2"] = "=" + fee_tiers_formula("$A$1", "$B$1").replace(",30)", ",29)", 1)
    assert _TableFormulas(wb, {}).values(["T!C1", "T!C2"]) == {}
    report = save_with_values(wb, tmp_path / "tiers.xlsx")  # pycel calculates them
    assert report.values["T!C1"] == "$0-$5,000,000: 8%; above $5,000,000: 4%"


def test_a_refresh_of_the_shipped_book_imports_no_pycel(tmp_path):
    book = tmp_path / "book.xlsx"
    book.write_bytes(SHIPPED.read_bytes())
    code = (
        "import sys\n"
        "from ascent_xl.excel.workbook_io import refresh_file\n"
        "from openpyxl import load_workbook\n"
        f"assert refresh_file({str(book)!r}, full=True).ok\n"
        "print('pycel' in sys.modules)\n"
        f"ws = load_workbook({str(book)!r}, data_only=True)['Inputs']\n"
        "print([c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith('$0-')])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert proc.stdout.splitlines() == ["False", repr([ASTI_TIERS])]
