"""conversion.price_source (issue 14, shape 10): the windows read the VWAP (Ascent's) or the
closing price (a Close column in the market data). Arithmetic by hand in the comments."""

from __future__ import annotations

import pytest

from ascent_xl.errors import MarketDataError, TermsError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.market import MarketData
from ascent_xl.presets import ASTI_2022
from ascent_xl.pricing import quote_conversion
from tests.helpers.markets import sessions_before

DAYS = sessions_before("2023-03-28", 3) + ["2023-03-28"]  # 03-23 03-24 03-27, notice 03-28
VWAPS = [1.00, 0.90, 0.95, 0.85]
CLOSES = [0.98, 0.80, 0.97, 0.70]
TERMS = (ASTI_2022.with_term("alternate_price_days", 3).with_term("alternate_price_lowest", 1)
         .with_term("alternate_price_discount", 0.10).with_term("floor_price", 0.10))


def _csv(tmp_path, with_close=True):
    path = tmp_path / "m.csv"
    rows = ["Date,VWAP" + (",Close" if with_close else "")]
    for d, v, c in zip(DAYS, VWAPS, CLOSES, strict=True):
        rows.append(f"{d},{v}" + (f",{c}" if with_close else ""))
    path.write_text("\n".join(rows) + "\n")
    return MarketData.from_csv(path)


def test_the_window_reads_the_vwap_or_the_close(tmp_path):
    m = _csv(tmp_path)
    # VWAPs before 03-28: 1.00 0.90 0.95 -> lowest 0.90, x 0.90 = 0.81; 100,000 / 0.81 = 123,456.8 -> 123,457
    q = quote_conversion(TERMS, m, notice_date="2023-03-28", amount=100_000)
    assert q.conversion_price == pytest.approx(0.81, abs=1e-12) and q.shares == 123_457
    # closes before 03-28: 0.98 0.80 0.97 -> lowest 0.80, x 0.90 = 0.72; 100,000 / 0.72 = 138,888.9 -> 138,889
    q = quote_conversion(TERMS.with_term("price_source", "close"), m, notice_date="2023-03-28", amount=100_000)
    assert q.conversion_price == pytest.approx(0.72, abs=1e-12) and q.shares == 138_889


def test_the_ledger_prices_on_the_close(tmp_path):
    m = _csv(tmp_path)
    events = parse_events([["2022-12-19", "Issue", "Registered", None, "registered"],
                           ["2023-03-28", "Conversion", "Registered", 100_000, None]])
    r = next(r for r in run_ledger(TERMS.with_term("price_source", "close"), events, m).rows
             if r["Event"] == "Conversion")
    assert r["Conversion Price"] == pytest.approx(0.72, abs=1e-12) and r["Shares Issued"] == 138_889


def test_a_close_deal_needs_the_close_column(tmp_path):
    m = _csv(tmp_path, with_close=False)
    with pytest.raises(MarketDataError, match=r"conversion.price_source = close\): add a Close column"):
        quote_conversion(TERMS.with_term("price_source", "close"), m, notice_date="2023-03-28", amount=100_000)
    # a missing close is named as one
    gap = MarketData.from_lists(DAYS, VWAPS).priced_by("vwap")
    assert gap.price_name == "VWAP"
    m = MarketData.from_arrays(DAYS, VWAPS, close=[0.98, None, 0.97, 0.70])
    with pytest.raises(MarketDataError, match=r"closing price missing for 2023-03-24"):
        quote_conversion(TERMS.with_term("price_source", "close"), m, notice_date="2023-03-28", amount=100_000)
    with pytest.raises(TermsError, match=r"conversion.price_source: 'open': choose one of vwap, close"):
        ASTI_2022.with_term("price_source", "open")


def test_a_split_restates_the_closes_too():
    m = MarketData.from_arrays(DAYS, VWAPS, close=CLOSES).adjusted_for_split("2023-03-27", 0.5)
    # a 1-for-2 reverse split (0.5 new shares per old) on 03-27: the closes before it doubled
    assert list(m.close) == pytest.approx([1.96, 1.60, 0.97, 0.70])
    assert m.priced_by("close").price_name == "closing price"


def test_the_monte_carlo_valuation_refuses_closing_prices():
    from ascent_xl.family import unmodelled_shapes

    assert unmodelled_shapes(ASTI_2022.with_term("price_source", "close")) == ["conversion.price_source"]


def test_the_example_terms_file_of_the_other_shapes():
    from pathlib import Path

    import ascent_xl
    from ascent_xl.terms_io import load_terms

    t = load_terms(Path(ascent_xl.__file__).parent / "data" / "examples" / "family_shapes.toml")
    c = t.conversion
    assert (c.price_source, c.alternate_price_applies, c.default_discount) == ("close", "in_default", 0.20)
    assert t.default.interest_rate == 0.18 and [n.name for n in t.notes] == ["Registered", "Tranche2"]
    assert t.note("Tranche2").own_fixed_price_at_issue and t.note("Tranche2").rate == 0.08
