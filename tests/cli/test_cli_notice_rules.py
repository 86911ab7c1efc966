"""The conversion notice and the price quote say what the deal's rules do on the notice date:
no alternate price on a day it does not apply (a deal whose alternate applies only in default),
no floor for a deal without one, the default's deeper discount, and no cash under the floor
rule cap. Each figure by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from ascent_xl.cli import _register, cli
from ascent_xl.samples import SAMPLE_EVENTS, SAMPLE_VWAPS, data_path
from tests.helpers.markets import sessions_before

_register()
EVENTS, VWAPS = str(data_path(SAMPLE_EVENTS)), str(data_path(SAMPLE_VWAPS))


def run(*args: str) -> str:
    r = CliRunner().invoke(cli, list(args), env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert max(len(line) for line in r.output.splitlines()) <= 80, r.output
    return r.output


@pytest.fixture()
def canoo(tmp_path):
    """The shipped Canoo June 2024 deal (fixed $2.30, the alternate only in default, no floor)
    on flat $2.00 VWAPs and one event: no volume data, so its day-60 reset is skipped."""
    days = [d for d in sessions_before("2024-09-03", 80) if d >= "2024-06-03"]
    vwaps = tmp_path / "v.csv"
    vwaps.write_text("Date,VWAP\n" + "".join(f"{d},2.00\n" for d in days))
    events = tmp_path / "e.csv"
    events.write_text("Date,Event,Note,Amount,Value\n2024-06-13,Issue,Advance,,registered\n")
    return ["--terms", "canoo_2024_06_prepaid_advance", "--vwaps", str(vwaps), "--events", str(events)]


def test_a_notice_on_a_day_without_an_alternate_price_shows_the_fixed_price(canoo):
    out = run("notice", *canoo, "--notice-date", "2024-08-28", "--amount", "1000000")
    # the alternate would be 92.5% x $2.00 = $1.85, below the fixed $2.30: it is not shown as one
    assert "1. Alternate price: none on 2024-08-28\n" in out
    assert "(the deal's alternate price applies only while an event of default lasts)" in out
    assert "x 92.5%" not in out and "$1.85000" not in out and "  *" not in out
    assert "3. Floor price: none (the deal has no floor)" in out
    assert "4. Conversion price: the fixed price: $2.30000" in out
    assert "= 434,783 (rounded up)" in out  # 1,000,000 / 2.30 = 434,782.6, up
    assert "7. Floor payment: none (the deal has no floor)" in out


def test_a_quote_on_a_day_without_an_alternate_price_says_none_and_why(canoo):
    for args in (canoo, canoo[:4]):  # on the deal's state, and on the terms as issued
        out = run("price", *args, "--notice-date", "2024-08-28", "--amount", "1000000")
        rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines()
                if line.count("│") == 3}
        assert rows["Alternate price"] == "none" and rows["Conversion price"] == "$2.30000"
        assert next(v for k, v in rows.items() if k.startswith("Floor price")) == "none"
        assert ("No alternate price on 2024-08-28: the deal's alternate price applies only while an event of "
                "default lasts; the fixed price stands.") in " ".join(out.split())


def test_a_notice_in_default_shows_the_default_discount_it_prices_with(tmp_path):
    terms = tmp_path / "t.toml"
    terms.write_text('base = "ASTI_2022"\n[conversion]\ndefault_discount = 0.15\n')
    out = run("notice", "--terms", str(terms), "--events", EVENTS, "--vwaps", VWAPS, "--notice-date", "2023-03-14",
              "--amount", "100000")
    # in default since 2023-03-10: the 3 lowest of the 10 VWAPs before 2023-03-14 are 0.48970,
    # 0.46470, 0.39280; their average 0.44907 at 85% (not 92.5%) is 0.38171
    lowest = (0.48970 + 0.46470 + 0.39280) / 3
    assert f"${lowest:.5f} x 85.0% = ${0.85 * lowest:.5f}" == "$0.44907 x 85.0% = $0.38171"
    assert "average of the 3 lowest $0.44907 x 85.0% = $0.38171" in out
    assert "1. Alternate price: 85.0% of the average" in out and "92.5%" not in out


def test_a_notice_under_the_floor_rule_cap_pays_no_cash_and_shows_no_payment_sum(tmp_path):
    terms = tmp_path / "t.toml"
    terms.write_text('base = "ASTI_2022"\n[conversion]\nfloor_mode = "cap"\n')
    out = run("notice", "--terms", str(terms), "--events", EVENTS, "--vwaps", VWAPS, "--notice-date", "2023-03-28",
              "--amount", "400000")
    # the alternate $0.25379 is below the floor $0.29: the floor binds, and under cap no cash
    assert "$0.29000  (the floor binds)" in out
    assert "7. Floor payment: none (floor rule cap: the floor stops the price, no cash)" in out
    assert "x VWAP" not in out and "pay $0.00 in cash" in out


def test_the_notice_sheets_rows_say_the_same(canoo):
    """The Notice sheet (ASCENT_NOTICE spills notice_rows): no VWAP rows nor an alternate figure
    on a day without an alternate price, no floor figure for a deal without a floor."""
    from ascent_xl.events import events_from_csv
    from ascent_xl.market import MarketData
    from ascent_xl.notice import build_notice, notice_rows
    from ascent_xl.terms_io import load_terms

    terms = load_terms("canoo_2024_06_prepaid_advance")
    market = MarketData.from_csv(Path(canoo[3]), calendar=terms.calendar)
    n = build_notice(terms, market, events_from_csv(Path(canoo[5])), notice_date=dt.date(2024, 8, 28), amount=1_000_000)
    rows = {item: (value, how) for item, value, _, how in notice_rows(n)}
    assert not [item for item in rows if item.startswith(("VWAP ", "Average of"))]
    assert rows["1. Alternate price"] == (None, "none on 2024-08-28: the deal's alternate price applies only while an "
                                                "event of default lasts")
    assert rows["3. Floor price"] == (None, "none: the deal has no floor")
    assert rows["4. Conversion price"] == (2.30, "2, the fixed price (no alternate price that day)")
    assert rows["6. Shares to deliver"][0] == 434_783
    assert rows["7. Floor payment (cash)"] == (0.0, "none: the deal has no floor")


def test_a_position_of_a_deal_without_floor_or_warrants_says_none(canoo):
    out = run("position", *canoo, "--as-of", "2024-08-28")
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines() if line.count("│") == 3}
    assert rows["Floor price"] == "none" and rows["Fixed price"] == "$2.30000"
    # the deal file gives no warrants (0 shares): not "warrants 0 at $3.93000", the base's price
    assert "Deal fixed price $2.30000, floor none; warrants none; cash not given." in " ".join(out.split())


def test_a_json_quote_on_a_day_without_an_alternate_price_gives_none_for_it(canoo):
    import json

    for args in (canoo, canoo[:4]):  # on the deal's state, and on the terms as issued
        q = json.loads(run("price", *args, "--notice-date", "2024-08-28", "--amount", "1000000", "--json"))
        # not the fixed price under the alternate's name: there is none that day
        assert (q["alternate_price"], q["alternate_discount"], q["conversion_price"]) == (None, None, 2.30)
        assert q["shares"] == 434_783  # 1,000,000 / 2.30 = 434,782.6, rounded up
    as_issued = json.loads(run("price", *canoo[:4], "--notice-date", "2024-08-28", "--amount", "1000000", "--json"))
    assert (as_issued["capped"], as_issued["holder_shares"], as_issued["cap_shares"]) == (None, None, None)


def test_a_quote_names_the_converting_holders_own_cap(tmp_path):
    """Two holders; the Private note's holder has its cap cut to 4%: the quote of a Private
    notice says the 4.00% cap, the Registered note's still 4.99%."""
    import json

    terms = tmp_path / "t.toml"
    terms.write_text('base = "ASTI_2022"\n[notes.Private]\nholder = "InvestorB"\n')
    events = tmp_path / "e.csv"
    events.write_text(Path(EVENTS).read_text() + "2023-01-11,Amendment,InvestorB,,ownership_cap = 0.04\n")
    args = ("price", "--terms", str(terms), "--events", str(events), "--vwaps", VWAPS, "--notice-date", "2023-01-12",
            "--amount", "50000")
    assert "Cut by the 4.00% cap" in run(*args, "--note", "Private")
    assert "Cut by the 4.99% cap" in run(*args, "--note", "Registered")
    q = json.loads(run(*args, "--note", "Private", "--json"))
    assert (q["holder_shares"], q["ownership_cap"]) == (0, 0.04)  # the Registered conversions are Investor's


def test_a_notice_of_a_deal_priced_on_closes_shows_the_closes(tmp_path):
    # family_shapes prices on closes, its alternate price only in default at 80% (default_discount
    # 0.20) of the 3 lowest of the 10 closes before the notice. Closes a flat $2.00, VWAPs $2.60:
    # in default from 2023-07-03, on 2023-07-10 the alternate is 0.80 x 2.00 = $1.60, below
    # Tranche2's own fixed price 1.30 x 2.00 = $2.60: 100,000 / 1.60 = 62,500 shares (on the VWAPs
    # 0.80 x 2.60 = $2.08 and 48,077)
    days = sessions_before("2023-08-01", 170)
    vwaps = tmp_path / "v.csv"
    vwaps.write_text("Date,VWAP,Close\n" + "".join(f"{d},2.60,2.00\n" for d in days))
    events = tmp_path / "e.csv"
    events.write_text("Date,Event,Note,Amount,Value\n2023-07-03,Default,,,\n")
    shapes = str(data_path("examples/family_shapes.toml"))
    out = run("notice", "--events", str(events), "--vwaps", str(vwaps), "--terms", shapes, "--notice-date",
              "2023-07-10", "--amount", "100000", "--note", "Tranche2")
    assert "of the 3 lowest of the\n   10 closes before 2023-07-10" in out
    assert "average of the 3 lowest $2.00000 x 80.0% = $1.60000" in out
    assert "Shares to deliver: $100,000.00 / $1.60000 = 62,500" in out
    assert "VWAP" not in out.split("1. Alternate price")[1].split("4. Conversion price")[0]
    # the Notice sheet's rows (ASCENT_NOTICE) say the same
    from ascent_xl.events import events_from_csv
    from ascent_xl.market import MarketData
    from ascent_xl.notice import build_notice, notice_rows
    from ascent_xl.terms_io import load_terms

    n = build_notice(load_terms(shapes), MarketData.from_csv(vwaps), events_from_csv(events),
                     notice_date=dt.date(2023, 7, 10), amount=100_000.0, note="Tranche2")
    labels = [r[0] for r in notice_rows(n)]
    assert [x for x in labels if x.startswith(("Close ", "VWAP "))] == [
        f"Close {d}" for d in sessions_before("2023-07-10", 10)]
    assert dict((r[0], r[3]) for r in notice_rows(n))["Average of the 3 lowest"] == "of the 10 closes above"

    # and the price command's quote (on the terms as issued, and on the state) names the close
    for extra in ((), ("--events", str(events), "--note", "Tranche2")):
        quote = run("price", "--vwaps", str(vwaps), "--terms", shapes, "--notice-date", "2023-07-10",
                    "--amount", "100000", *extra)
        assert "Close on the conversion date" in quote and "VWAP on" not in quote
