"""Sheet formats of the shipped book: Inputs labels and units as displayed, Events values
formatted, Valuation results styled and their units as displayed; print set-up of the new sheets."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from ascent_xl.excel import layout as L
from ascent_xl.excel.book import parse_ref
from ascent_xl.excel.template import term_label
from tests.helpers.books import table_records

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

BOOK = Path(__file__).resolve().parents[2] / "workbooks" / "ascent_advance_notes.xlsx"


@pytest.fixture(scope="module")
def wb():
    return load_workbook(BOOK)


def test_inputs_have_plain_english_labels_and_units_as_shown(wb):
    rows = {r["Term"]: r for r in table_records(wb, L.INPUTS, L.TERMS_TABLE)}
    assert rows["conversion.floor_price"]["Label"] == "Conversion: floor price"
    assert rows["notes.Registered.issue_date"]["Label"] == "Registered note: issue date"  # "(closing)" dropped
    assert rows["default.premium_on_interest"]["Label"] == "Default: premium also on accrued interest"
    # a label is never cut: every term has its own short label, one line in its column (a longer
    # one would wrap on a row tall enough)
    assert rows["conversion.split_jump_threshold"]["Label"] == "Conversion: VWAP jump that needs a Split event"
    assert not any(r["Label"].endswith("...") for r in rows.values())
    assert all(len(r["Label"]) <= 54 for r in rows.values())
    # a fraction shown as a percentage reads "%", not "fraction"
    assert rows["notes.Registered.purchase_price_pct"]["Value"] == 0.9
    assert rows["notes.Registered.purchase_price_pct"]["Unit"] == "%"
    assert rows["notes.Registered.rate"]["Unit"] == "% a year"
    ws = wb[L.INPUTS]
    label_col = L.TERMS_COLUMNS.index("Label") + 1
    long = rows["conversion.split_jump_threshold"]["Label"]
    (r,) = [r for r in range(L.TABLE_HEADER_ROW + 1, ws.max_row + 1) if ws.cell(row=r, column=label_col).value == long]
    # its label wraps should it ever be long; its meaning's 129 characters take 2 lines of at most 70 (15 points a line)
    assert ws.cell(row=r, column=label_col).alignment.wrap_text and ws.row_dimensions[r].height >= 2 * 15
    unit_col = L.TERMS_COLUMNS.index("Unit") + 1
    assert ws.cell(row=L.TABLE_HEADER_ROW + 1, column=unit_col).alignment.horizontal == "left"  # its indent shows
    value_col = L.TERMS_COLUMNS.index("Value") + 1
    for r in range(L.TABLE_HEADER_ROW + 1, L.TABLE_HEADER_ROW + 1 + len(rows)):  # the table's rows
        cell = ws.cell(row=r, column=value_col)
        if isinstance(cell.value, str):  # text stays in its column
            assert cell.alignment.shrink_to_fit, cell.coordinate
        elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            assert cell.number_format != "General" and cell.alignment.indent >= 1, cell.coordinate
        if cell.value is not None:  # on the first line of a row whose label or meaning wraps
            assert cell.alignment.vertical == "top", cell.coordinate
    assert term_label("notes.Private.face") == "Private note: principal at issue"


# the family's terms (issue 14) with their own labels, whole on the Inputs sheet (no "...")
_FAMILY_LABELS = {
    "notes.Registered.maturity_months": "Registered note: months to maturity (0: none)",
    "notes.Registered.stated_value": "Registered note: stated value a share (0: a note)",
    "notes.Registered.own_fixed_price_at_issue": "Registered note: own fixed price computed at issue",
    "conversion.floor_mode": "Conversion: floor rule: make_up / cap / none",
    "conversion.window_includes_notice_day": "Conversion: look-back window ends on the notice day",
    "conversion.price_reset_rule": "Conversion: reset rule: lower / replace",
    "conversion.installment_discount": "Conversion: installment price: discount to the average",
    "default.interest_rate": "Default: interest rate in default (0: none)",
    "redemption.trigger_price": "Redemption: monthly payments: trigger price (0: none)",
    "redemption.trigger_delay_days": "Redemption: trigger: trading days to the first payment",
    "covenants.exchange_cap_excess": "Covenants: beyond the exchange cap: refuse / cash",
}


def test_the_family_terms_have_their_labels_units_and_meanings(wb):
    rows = {r["Term"]: r for r in table_records(wb, L.INPUTS, L.TERMS_TABLE)}
    assert {t: rows[t]["Label"] for t in _FAMILY_LABELS} == _FAMILY_LABELS
    family = [t for t in rows if any(w in t for w in ("trigger_", "installment_", "price_reset_", "exchange_cap",
                                                        "stated_value", "own_fixed_price", "floor_mode"))]
    assert len(family) >= 20
    for t in family:  # each whole, with its unit and meaning
        assert not rows[t]["Label"].endswith("...") and rows[t]["Unit"] and rows[t]["Meaning"], t
    assert rows["notes.Registered.stated_value"]["Unit"] == "USD"
    assert rows["notes.Registered.stated_value"]["Meaning"].startswith("stated value of one share of a convertible")


def test_events_values_are_formatted_by_kind(wb):
    ws = wb[L.EVENTS]
    got = {}
    for r in range(L.TABLE_HEADER_ROW + 1, ws.max_row + 1):
        kind, value = ws.cell(row=r, column=2).value, ws.cell(row=r, column=5)
        if isinstance(value.value, float | int):
            got.setdefault(kind, value.number_format)
        elif isinstance(value.value, str):
            assert value.alignment.shrink_to_fit, value.coordinate  # never over the next cell
    assert got["Cash Balance"].startswith('"$"#,##0') and got["Share Reserve"].startswith("#,##0")
    assert got["Prepayment"] == '0.00"x"' and got["Dilutive Issue"].startswith('"$"')


def test_valuation_results_are_styled_and_their_units_read_as_shown(wb):
    ws = wb[L.VALUATION]
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules if cf.sqref == L.VALUATION_OUTPUT[1]]
    assert len(rules) == 2 and all(rule.type == "expression" for rule in rules)
    units = {ws.cell(row=r, column=6).value: ws.cell(row=r, column=8).value for r in range(5, 40)}
    assert units["volatility"] == "% a year" and units["vwap_noise"] == "%"
    labels = {ws.cell(row=r, column=6).value: ws.cell(row=r, column=7) for r in range(5, 90)}
    assert labels["Std error of the probability"].number_format == "0.00%"
    assert labels["paths"].number_format == "#,##0"


@pytest.mark.parametrize("sheet, header", [(L.POSITION, 6), (L.CONVERSIONS, L.TABLE_HEADER_ROW), (L.NOTICE, 8)])
def test_the_new_sheets_print_landscape_one_page_wide_with_their_header(wb, sheet, header):
    ws = wb[sheet]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == f"{header}:{header}"  # repeated on every page


def test_schedule_flags_and_detail_wrap_on_every_row_refresh_wrote(wb):
    rows = table_records(wb, L.SCHEDULE, L.SCHEDULE_TABLE)
    ws = wb[L.SCHEDULE]
    col = {name: j + 1 for j, name in enumerate(rows[0])}
    for i in range(len(rows)):
        row = L.TABLE_HEADER_ROW + 1 + i
        assert ws.cell(row=row, column=col["Detail"]).alignment.wrap_text
        assert ws.cell(row=row, column=col["Flags"]).alignment.wrap_text
        assert ws.cell(row=row, column=col["Check"]).alignment.horizontal == "center"
    (i,) = [i for i, r in enumerate(rows) if r["Event"] == "Dilutive Issue"]
    detail = rows[i]["Detail"]
    # 213 characters (174 digits) in a column 150 wide: 2 lines in Calibri 11 (as rendered in
    # Carlito, its metric twin: "... out of 30% ($450,000.00)" / "and take part in 20%
    # ($300,000.00)"), 15 points each (60 wide, it took 4)
    assert len(detail) == 213 and ws.row_dimensions[L.TABLE_HEADER_ROW + 1 + i].height == 2 * 15
    (j,) = [j for j, r in enumerate(rows) if r["Event"] == "Cash Balance" and str(r["Date"])[:10] == "2022-12-20"]
    assert ws.row_dimensions[L.TABLE_HEADER_ROW + 1 + j].height is None  # one line: the default height
    # 74 characters, one line of the Detail column in Calibri (the render shows it so): the
    # default height, not two lines (it was 30 points, a blank line under the text)
    (k,) = [k for k, r in enumerate(rows) if r["Event"] == "Interest Election" and str(r["Date"])[:10] == "2023-03-15"]
    assert rows[k]["Detail"] == "election pik: interest paid in kind from 2023-03-15 (Registered, Private)"
    assert not rows[k]["Flags"] and ws.row_dimensions[L.TABLE_HEADER_ROW + 1 + k].height is None
    # a one-line row's cells sit as its wrapped Detail does (top): not a few points apart
    row = L.TABLE_HEADER_ROW + 1 + k
    assert {ws.cell(row=row, column=c).alignment.vertical for c in col.values()} == {"top"}


def test_a_number_beside_text_keeps_a_gap(wb):
    """A right-aligned number next to a left-aligned unit or note reads as one word
    (``$10.72180USD/share``) unless the cells say which side and indent: checked on every sheet
    that had it."""
    ws = wb[L.EVENTS]
    amount, value = ws.cell(row=L.TABLE_HEADER_ROW + 2, column=4), ws.cell(row=L.TABLE_HEADER_ROW + 2, column=5)
    assert amount.value == 12_500_000 and value.value == "registered"
    assert (amount.alignment.horizontal, amount.alignment.indent) == ("right", 1)
    assert (value.alignment.horizontal, value.alignment.indent) == ("left", 1)
    r1, c1, r2, _ = parse_ref(L.NOTICE_AREA)
    ws = wb[L.NOTICE]
    for r in range(r1 + 1, r2 + 1):
        assert ws.cell(row=r, column=c1 + 1).alignment.horizontal == "right"
        assert ws.cell(row=r, column=c1 + 2).alignment.horizontal == "left" and ws.cell(row=r, column=c1 + 2).alignment.indent == 1
    ws = wb[L.CHECKS]
    results = [ws.cell(row=L.CHECKS_FIRST_ROW + i, column=2) for i in range(len(L.CHECK_ROWS))]
    assert all(c.alignment.horizontal == "center" for c in results)
    ws = wb[L.VALUATION]
    r1, c1, r2, _ = parse_ref(L.VALUATION_OUTPUT[1])
    assert all(ws.cell(row=r, column=c1 + 1).alignment.indent == 1 for r in range(r1, r2 + 1))
    assert ws.column_dimensions["G"].width >= len("Expected (USD, undiscounted)") + 2


def test_the_guide_wraps_its_long_lines(wb):
    ws = wb[L.GUIDE]
    lines = [c for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("6. Position")]
    (six,) = lines
    assert six.alignment.wrap_text and len(six.value) > 2 * 110  # 3 lines at 100 wide (110 of text)
    assert ws.row_dimensions[six.row].height >= 3 * 15
    assert not any("column C" in str(c.value) for c in ws["A"])  # the Unit is the Inputs' fourth column
