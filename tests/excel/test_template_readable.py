"""What a finance user reads on the shipped book (issue 15): the placement fee tiers spelled out
under the Inputs table, the Valuation settings' meanings whole on one line, the Notice's units
in their column; and the exports' headers over their values."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ascent_xl.excel import layout as L
from ascent_xl.excel.book import parse_ref
from ascent_xl.excel.template import FEE_LIMITS, FEE_RATES, MEANING_FIT, fee_tiers_formula
from tests.helpers.books import table_records
from tests.helpers.recalc import evaluate, read_values, recalculate
from tests.helpers.soffice import require_soffice

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

BOOK = Path(__file__).resolve().parents[2] / "workbooks" / "ascent_advance_notes.xlsx"

# ASTI_2022: 8% of the first $5,000,000 of gross proceeds, 4% of the next $5,000,000, 6% above
# $10,000,000 (the supplement's tiers; the demo's fee table: $400,000 + $200,000 + $75,000)
ASTI_TIERS = "$0-$5,000,000: 8%; $5,000,000-$10,000,000: 4%; above $10,000,000: 6%"


@pytest.fixture(scope="module")
def values():
    return load_workbook(BOOK, data_only=True)


def _tiers_row(ws):
    (r,) = [r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Placement fee tiers, as read"]
    return r


def test_the_fee_tiers_are_spelled_out_under_the_inputs_table(values):
    ws = values[L.INPUTS]
    rows = {rec["Term"]: rec for rec in table_records(values, L.INPUTS, L.TERMS_TABLE)}
    assert rows[FEE_LIMITS]["Value"] == "5000000, 10000000" and rows[FEE_RATES]["Value"] == "0.08, 0.04, 0.06"
    r = _tiers_row(ws)
    assert r > L.TABLE_HEADER_ROW + len(rows)  # under the table: Refresh reads no formula as a term
    assert ws.cell(row=r, column=L.TERMS_COLUMNS.index("Value") + 1).value == ASTI_TIERS
    assert rows[FEE_RATES]["Meaning"].endswith("(the tiers as read: under this table)")
    formulas = load_workbook(BOOK)[L.INPUTS]
    assert str(formulas.cell(row=r, column=L.TERMS_COLUMNS.index("Value") + 1).value).startswith("=")


# tiers a user may type (commas or semicolons, as the terms reader splits them), spelled out by hand
TIERS = [
    ("5000000, 10000000", "0.08, 0.04, 0.06", ASTI_TIERS),
    ("2500000; 7500000; 15000000", "0.1;0.075;0.05;0.025",
     "$0-$2,500,000: 10%; $2,500,000-$7,500,000: 7.5%; $7,500,000-$15,000,000: 5%; above $15,000,000: 2.5%"),
    (None, 0.07, "all: 7%"),
    (10_000_000, "0.07, 0.05", "$0-$10,000,000: 7%; above $10,000,000: 5%"),
]


def _tiers_book(path: Path) -> list[str]:
    wb = Workbook()
    ws = wb.active
    ws.title = "T"
    for i, (limits, rates, _) in enumerate(TIERS, start=1):
        ws.cell(row=i, column=1, value=limits)
        ws.cell(row=i, column=2, value=rates)
        ws.cell(row=i, column=3, value=f"={fee_tiers_formula(f'A{i}', f'B{i}')}")
    wb.save(path)
    return [f"T!C{i}" for i in range(1, len(TIERS) + 1)]


def test_the_fee_tiers_formula_reads_what_a_user_types(tmp_path):
    book = tmp_path / "tiers.xlsx"
    cells = _tiers_book(book)
    assert evaluate(book, cells) == [expected for *_, expected in TIERS]  # pycel: the cached values


def test_libreoffice_spells_the_fee_tiers_the_same(tmp_path):
    require_soffice()
    book = tmp_path / "tiers.xlsx"
    cells = _tiers_book(book)
    got = read_values(recalculate(book, tmp_path), cells)
    assert [got[c] for c in cells] == [expected for *_, expected in TIERS]


def test_the_valuation_settings_meanings_fit_their_column_on_one_line(values):
    ws = values[L.VALUATION]
    rows = table_records(values, L.VALUATION, L.VALUATION_TABLE)
    meaning_col = L.VALUATION_COLUMNS.index("Meaning") + 1
    width = ws.column_dimensions[L.column_letter(meaning_col)].width
    by_name = {r["Setting"]: r["Meaning"] for r in rows}
    # the two the render shrank (issue 15), now whole and shorter than the column holds
    assert by_name["daily_volume"] == "shares traded a day at the spot; blank: median dollar volume of 20 sessions / spot"
    assert by_name["valuation_date"] == ("the deal as it stands at the end of this day (Events up to it); "
                                         "blank: the issue date")
    for name, meaning in by_name.items():
        # the LibreOffice render holds about 1.15 characters of this prose per unit of width
        assert len(meaning or "") <= width * MEANING_FIT, (name, len(meaning or ""), width)


def test_the_notice_units_and_the_deal_line_fit_their_columns(values):
    ws = values[L.NOTICE]
    assert ws.column_dimensions["C"].width >= len("USD/share") + 2  # indent 1 and a gap before How
    deal_line = "Ascent Solar advance notes, December 2022; Ascent Solar Technologies, Inc. (Nasdaq: ASTI)"
    assert ws.column_dimensions["D"].width * MEANING_FIT >= len(deal_line)


def _styled_rows(tmp_path: Path, name: str, cells: dict[str, object]) -> tuple[list[object], list[object]]:
    """The first cells of the rows of the Valuation results area the sheet's two conditional
    formats make titles and headers, for the area holding ``cells``: each rule's formula
    written for each row in a column beside, calculated by LibreOffice."""
    import re

    rules = {}
    for cf in load_workbook(BOOK)[L.VALUATION].conditional_formatting:
        if str(cf.sqref) == L.VALUATION_OUTPUT[1]:
            for rule in cf.rules:
                rules["header" if rule.stopIfTrue else "title"] = rule.formula[0]
    r1, _, r2, _ = parse_ref(L.VALUATION_OUTPUT[1])
    wb = Workbook()
    ws = wb.active
    ws.title = "V"
    for address, value in cells.items():
        ws[address] = value
    found: dict[str, list[str]] = {"title": [], "header": []}
    for r in range(r1, r2 + 1):
        for k, (_kind, formula) in enumerate(sorted(rules.items())):
            shift = r - r1
            shifted = re.sub(r"\$([A-Z]+)(\d+)", lambda m, d=shift: f"${m.group(1)}{int(m.group(2)) + d}", formula)
            ws.cell(row=r, column=13 + k, value=f"={shifted}")
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    kinds = sorted(rules)
    refs = [f"V!{L.column_letter(13 + k)}{r}" for r in range(r1, r2 + 1) for k in range(len(kinds))]
    calculated = read_values(recalculate(path, tmp_path), refs)  # pycel has no COUNTA: LibreOffice
    got = [calculated[ref] for ref in refs]
    for i, r in enumerate(range(r1, r2 + 1)):
        for k, kind in enumerate(kinds):
            if got[i * len(kinds) + k] is True:
                found[kind].append(cells.get(f"F{r}"))
    return found["title"], found["header"]


def test_the_valuation_results_titles_and_headers_are_where_the_tables_are(values, tmp_path):
    require_soffice()
    ws = values[L.VALUATION]
    r1, c1, r2, c2 = parse_ref(L.VALUATION_OUTPUT[1])
    cells = {f"{L.column_letter(c)}{r}": ws.cell(row=r, column=c).value
             for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if ws.cell(row=r, column=c).value is not None}
    titles, headers = _styled_rows(tmp_path, "shipped", cells)
    assert titles == ["Inputs", "Fair value", "Shares issued", "Floor payments", "Expected cash", "Run"]
    assert headers == ["Input", "Instrument", "Statistic", "Statistic", "Cash paid by the company", "Item"]
    # a deal the Monte Carlo does not model: "Not valued" a title, its reason plain (not a navy header)
    titles, headers = _styled_rows(tmp_path, "unmodelled", {f"F{r1}": "Not valued", f"F{r1 + 1}": "why: a reason"})
    assert titles == ["Not valued"] and headers == []
