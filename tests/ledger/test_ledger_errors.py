"""Bad events: each error names the row and says what to fix."""

from __future__ import annotations

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import events_from_csv, parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.samples import sample_market


def run(terms, rows):
    return run_ledger(terms, parse_events(rows), sample_market())


def test_event_before_issue(terms):
    with pytest.raises(LedgerError, match=r"row 1 \(2022-12-15, Conversion\): note Registered is issued on 2022-12-19; an event on it cannot come before"):
        run(terms, [["2022-12-15", "Conversion", "Registered", 100_000, None]])


def test_unknown_event_kind():
    with pytest.raises(LedgerError, match=r"row 2 \(2023-01-10\): unknown event 'Convertion'; use one of: .*Conversion"):
        parse_events([["2023-01-09", "Conversion", "Registered", 1, None], ["2023-01-10", "Convertion", "Registered", 1, None]])


def test_conversion_above_the_outstanding_principal(terms):
    with pytest.raises(LedgerError, match=r"row 2 \(2023-01-24, Conversion\): converts \$12,400,000.00 but note Registered has \$12,250,000.00 outstanding"):
        run(terms, [["2023-01-10", "Conversion", "Registered", 250_000, None], ["2023-01-24", "Conversion", "Registered", 12_400_000, None]])


def test_prepayment_above_the_outstanding_principal(terms):
    with pytest.raises(LedgerError, match=r"row 1 \(2023-04-17, Prepayment\): prepays \$3,000,000.00 but note Private has \$2,500,000.00"):
        run(terms, [["2023-04-17", "Prepayment", "Private", 3_000_000, None]])


def test_amendment_of_an_unknown_term(terms):
    with pytest.raises(LedgerError, match=r"row 1 \(2023-03-29, Amendment\): floor_prise: unknown term; did you mean 'floor_price'\?"):
        run(terms, [["2023-03-29", "Amendment", None, None, "floor_prise = 0.20"]])
    with pytest.raises(LedgerError, match=r"row 1 \(2023-03-29, Amendment\): Value .0.20.: write the amendment as term = value"):
        run(terms, [["2023-03-29", "Amendment", None, None, "0.20"]])
    with pytest.raises(LedgerError, match=r"conversion.floor_price: -1 USD/share must be at least 0"):
        run(terms, [["2023-03-29", "Amendment", None, None, "floor_price = -1"]])


@pytest.mark.parametrize("ratio", ["0", "0:200", "1:0", "abc"])
def test_split_ratio_of_zero_or_nonsense(terms, ratio):
    with pytest.raises(LedgerError, match=r"row 1 \(2023-09-12, Split\): split ratio"):
        run(terms, [["2023-09-12", "Split", None, None, ratio]])


def test_other_bad_rows_name_the_row(terms):
    with pytest.raises(LedgerError, match=r"row 1 \(2023-01-16, Conversion\): notice date 2023-01-16: not a trading day"):
        run(terms, [["2023-01-16", "Conversion", "Registered", 1000, None]])
    with pytest.raises(LedgerError, match=r"row 1 \(2023-01-10, Conversion\): no note named 'Regstered'"):
        run(terms, [["2023-01-10", "Conversion", "Regstered", 1000, None]])
    with pytest.raises(LedgerError, match=r"row 1 \(2023-01-10\): Event Amount -5.00 is negative|Amount -5.00 is negative"):
        parse_events([["2023-01-10", "Conversion", "Registered", -5, None]])
    with pytest.raises(LedgerError, match=r"row 1: Date '10/01/2023' is not a date; write it as YYYY-MM-DD"):
        parse_events([["10/01/2023", "Conversion", "Registered", 5, None]])
    with pytest.raises(LedgerError, match=r"Interest rows are added by the ledger"):
        parse_events([["2023-03-31", "Interest", "Registered", None, None]])
    with pytest.raises(LedgerError, match=r"row 1 \(2023-03-10, Default\): Value 'maybe': write the holder's election: redeem \(paid that day\)"):
        run(terms, [["2023-03-10", "Default", None, None, "maybe"]])
    with pytest.raises(LedgerError, match=r"row 1 \(2024-07-01, Conversion\): note Registered was repaid or redeemed in full"):
        run(terms, [["2024-07-01", "Conversion", "Registered", 1000, None]])


def test_csv_errors_name_the_file_line(tmp_path, terms):
    path = tmp_path / "ev.csv"
    path.write_text("# my deal\nDate,Event,Note,Amount,Value\n2023-01-10,Conversion,Registered,abc,\n")
    with pytest.raises(LedgerError, match=r"ev.csv line 3 \(2023-01-10, Conversion\): Amount 'abc' is not a number"):
        events_from_csv(path)


def test_a_conversion_while_the_shares_outstanding_are_unknown_is_refused(terms):
    # The shipped Canoo July 2024 deal does not know its shares outstanding (0): the 4.99% cap
    # of 0 shares would cut every conversion to nothing, silently ("0 of 0 shares").
    unknown = terms.with_term("shares_outstanding", 0)
    with pytest.raises(LedgerError, match=r"row 1 \(2023-01-10, Conversion\): the shares outstanding are 0, so "
                                          r"the ownership cap allows no share: write the deal's count"):
        run(unknown, [["2023-01-10", "Conversion", "Registered", 250_000, None]])
    # a Shares Outstanding event before it gives the count: 250,000 / $1.98835 -> 125,733 shares
    # (as with the terms' own count, test_ledger_sample_deal)
    ok = run(unknown, [["2023-01-09", "Shares Outstanding", None, None, 33_930_812],
                       ["2023-01-10", "Conversion", "Registered", 250_000, None]])
    assert [r["Shares Issued"] for r in ok.rows if r["Event"] == "Conversion"] == [125_733]


def test_a_quote_while_the_shares_outstanding_are_unknown_is_refused(terms):
    from ascent_xl.ledger.position import conversion_quote

    unknown = terms.with_term("shares_outstanding", 0)
    with pytest.raises(LedgerError, match=r"^notice date 2023-01-10: the shares outstanding are 0, so the "
                                          r"ownership cap allows no share"):
        conversion_quote(unknown, sample_market(), [], notice_date="2023-01-10", amount=250_000)
