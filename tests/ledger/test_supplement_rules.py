"""The supplement's rules, one by one, hand-checked.

Each test quotes the prospectus supplement (``/work/shared/seed/003_d00e39ab0853b747.txt``, a
Chinese translation; the line number is the file's) and the English reading chosen in
``deal-terms.md``, then writes the arithmetic out.
"""

from __future__ import annotations

import pytest

from ascent_xl.errors import LedgerError
from ascent_xl.events import parse_events
from ascent_xl.ledger import run_ledger
from ascent_xl.pricing import mandatory_default_amount, redemption_amount


@pytest.fixture()
def run(terms, sample):
    def go(rows, market=sample, deal=terms):
        return run_ledger(deal, parse_events(rows), market)
    return go


def rows_of(s, event, note=None):
    return [r for r in s.rows if r["Event"] == event and (note is None or r["Note"] == note)]


# ---------------------------------------------------------------------------------------------
# 1. Mandatory default amount
#
# Line 231: "在发生违约事件时,投资者可以选择(1)公司将按照剩余本金分母除以转换价格,当支票在征求或到期日
# (如果需要通知或接受通知)时,支票的价格低于此转换价格,支票的价格为VWAP的和(x)在(1)上通知支票的日子;
# 使用此通知进行月结,支票等效于120%的对该票的剩余本金和应计利息;和(b)应计利息"
# Reading: the sum of (a) the greater of (i) the outstanding principal / the lower of the
# conversion prices on the demand and payment dates x the higher of the VWAPs on those dates and
# (ii) 120% x outstanding principal, and (b) accrued and unpaid interest:
# max(P / price x VWAP, 1.2 P) + I.


def test_default_amount_parity_wins_interest_added_once(terms):
    # P = 1,000,000, I = 10,000, prices 0.50 / 0.60 -> lower 0.50, VWAPs 0.70 / 0.65 -> higher 0.70
    # (i) parity 1,000,000 / 0.50 x 0.70 = 1,400,000; (ii) 1.20 x 1,000,000 = 1,200,000
    # amount = max(1,400,000, 1,200,000) + 10,000 = 1,410,000
    d = terms.default
    amount = mandatory_default_amount(
        1_000_000, 10_000, price_at_demand=0.50, price_at_payment=0.60, vwap_at_demand=0.70,
        vwap_at_payment=0.65, premium=d.redemption_premium, premium_on_interest=d.premium_on_interest,
        parity_includes_interest=d.parity_includes_interest,
    )
    assert (amount.parity, amount.premium, amount.interest) == (1_400_000, 1_200_000, 10_000)
    assert (amount.amount, amount.basis) == (1_410_000, "parity")


def test_default_amount_premium_wins(terms):
    # P = 1,000,000, I = 10,000, prices 0.50 / 0.60, VWAPs 0.55 / 0.52
    # (i) 1,000,000 / 0.50 x 0.55 = 1,100,000; (ii) 1.20 x 1,000,000 = 1,200,000 (wins)
    # amount = 1,200,000 + 10,000 = 1,210,000
    amount = mandatory_default_amount(
        1_000_000, 10_000, price_at_demand=0.50, price_at_payment=0.60, vwap_at_demand=0.55,
        vwap_at_payment=0.52, premium=1.20, premium_on_interest=False,
    )
    assert (amount.parity, amount.premium, amount.amount, amount.basis) == (1_100_000, 1_200_000, 1_210_000, "premium")


def test_default_amount_earlier_readings_are_terms():
    # The earlier reading, interest inside parity: (1,000,000 + 10,000) / 0.50 x 0.70 = 1,414,000
    # against 1.20 x 1,000,000 + 10,000 = 1,210,000: 1,414,000 (nothing added after).
    earlier = mandatory_default_amount(
        1_000_000, 10_000, price_at_demand=0.50, price_at_payment=0.60, vwap_at_demand=0.70,
        vwap_at_payment=0.65, premium=1.20, premium_on_interest=False, parity_includes_interest=True,
    )
    assert (earlier.parity, earlier.premium, earlier.interest, earlier.amount) == (1_414_000, 1_210_000, 0, 1_414_000)
    # The translation's "120% of the remaining principal and accrued interest" inside (ii):
    # max(1,000,000 / 0.50 x 0.55, 1.20 x 1,010,000) + 10,000 = 1,212,000 + 10,000 = 1,222,000
    literal = mandatory_default_amount(
        1_000_000, 10_000, price_at_demand=0.50, price_at_payment=0.60, vwap_at_demand=0.55,
        vwap_at_payment=0.52, premium=1.20, premium_on_interest=True,
    )
    assert (literal.premium, literal.amount) == (1_212_000, 1_222_000)


def test_ledger_default_takes_the_lower_price_and_higher_vwap_across_demand_and_payment(terms, run):
    # Demand 2023-03-10, payment 2023-03-20 on the Private note ($2,500,000).
    # Price on the demand date: 92.5% x the 3 lowest of the 10 VWAPs 2023-02-24..03-09:
    #   (0.4897 + 0.5294 + 0.5335) / 3 x 0.925 = 0.478718 (fixed 3.93042, floor 0.29 do not bind)
    # Price on the payment date: 3 lowest of 2023-03-06..03-17: (0.3342 + 0.3450 + 0.3531) / 3 x 0.925
    #   = 0.3182925
    # VWAPs: 0.4647 on 2023-03-10, 0.3165 on 2023-03-20.
    # Lower price 0.3182925 (payment), higher VWAP 0.4647 (demand):
    #   parity 2,500,000 / 0.3182925 x 0.4647 = 3,649,944.63 > 1.2 x 2,500,000 = 3,000,000
    # Interest 2022-12-31 -> 2023-03-20, 30/360: 80 days: 2,500,000 x 0.045 x 80 / 360 = 25,000
    # Either date alone: 2,500,000 / 0.478718 x 0.4647 = 2,426,773 and 2,500,000 / 0.3182925 x
    # 0.3165 = 2,485,918, both below 3,000,000: only across the two dates does parity win.
    s = run([["2023-03-10", "Default", "Private", None, "redeem 2023-03-20"]])
    demand, paid = rows_of(s, "Default", "Private")
    price_demand = (0.4897 + 0.5294 + 0.5335) / 3 * 0.925
    price_pay = (0.3342 + 0.3450 + 0.3531) / 3 * 0.925
    assert demand["Conversion Price"] == pytest.approx(price_demand)
    assert demand["Cash Paid"] is None and str(paid["Date"]) == "2023-03-20"
    parity = round(2_500_000 / price_pay * 0.4647, 2)
    assert parity == pytest.approx(3_649_944.63, abs=0.01)
    assert paid["Interest Paid Cash"] == 25_000
    assert paid["Default Amount"] == pytest.approx(parity + 25_000, abs=0.005)
    assert paid["Premium Paid"] == pytest.approx(parity - 2_500_000, abs=0.005)
    assert paid["Conversion Price"] == pytest.approx(price_pay)
    assert s.notes["Private"].closed


def test_ledger_default_payment_by_a_later_row(terms, run):
    # The same demand with the payment recorded by a later Default row (Value pay): same amount.
    s = run([["2023-03-10", "Default", "Private", None, "demand"],
                    ["2023-03-20", "Default", "Private", None, "pay"]])
    paid = rows_of(s, "Default", "Private")[-1]
    price_pay = (0.3342 + 0.3450 + 0.3531) / 3 * 0.925
    assert paid["Default Amount"] == pytest.approx(round(2_500_000 / price_pay * 0.4647, 2) + 25_000, abs=0.005)


def test_ledger_default_payment_date_before_demand_is_refused(terms, run):
    with pytest.raises(LedgerError, match=r"payment date 2023-03-01 is before the demand date 2023-03-10"):
        run([["2023-03-10", "Default", "Private", None, "redeem 2023-03-01"]])
    with pytest.raises(LedgerError, match=r"no mandatory default amount has been demanded"):
        run([["2023-03-10", "Default", "Private", None, "pay"]])


# ---------------------------------------------------------------------------------------------
# 2. Change of control
#
# Line 223 (registered): "投资者可以要求公司以相当于已注册预付款凭证未偿还本金金额105%的金额和任何未偿还的
# 应计利息进行预付款" -- 105% of the outstanding principal, and any accrued interest.
# Line 265 (private): "投资者可以要求公司预付定向增发垫款的未偿本金金额,且金额相当于该未偿本金金额及其相关
# 利息的105%" -- 105% of the outstanding principal and its interest.


def test_change_of_control_registered_105pct_of_principal_plus_interest(terms, run):
    # Registered, 2023-02-01: interest 2022-12-31 -> 2023-02-01 = 31 days (30/360):
    # 12,500,000 x 0.045 x 31 / 360 = 48,437.50; cash 1.05 x 12,500,000 + 48,437.50 = 13,173,437.50
    s = run([["2023-02-01", "Change of Control", "Registered", None, None]])
    r = rows_of(s, "Change of Control")[0]
    assert r["Interest Paid Cash"] == 48_437.50
    assert r["Cash Paid"] == 13_173_437.50 == redemption_amount(12_500_000, 48_437.50, premium=1.05)


def test_change_of_control_private_105pct_of_principal_and_interest(terms, run):
    # Private, 2023-02-01: interest 2,500,000 x 0.045 x 31 / 360 = 9,687.50
    # cash 1.05 x (2,500,000 + 9,687.50) = 2,635,171.875 -> 2,635,171.88 (to the cent)
    # (the registered rule would give 1.05 x 2,500,000 + 9,687.50 = 2,634,687.50)
    assert terms.note("Private").change_of_control_on_interest
    assert not terms.note("Registered").change_of_control_on_interest
    s = run([["2023-02-01", "Change of Control", "Private", None, None]])
    r = rows_of(s, "Change of Control")[0]
    assert r["Interest Paid Cash"] == 9_687.50
    assert r["Cash Paid"] == 2_635_171.88
    assert r["Premium Paid"] == round(2_635_171.88 - 2_500_000 - 9_687.50, 2) == 125_484.38


# ---------------------------------------------------------------------------------------------
# 2. Amounts are cents; the floor and its maximum
#
# Line 130: "转换价格不得低于0.29美元(或如有必要,根据纳斯达克的规定,最高为0.57美元)(“底价”)"
# Reading: the conversion price is never below the floor of $0.29, which Nasdaq rules may require
# to be raised up to $0.57 (conversion.floor_price_max).


def test_a_sub_cent_conversion_is_refused(terms, run):
    # $0.005 would round up to one share while the principal, kept to the cent, stayed the same.
    with pytest.raises(LedgerError, match=r"\(2023-01-10, Conversion\): Amount \$0.005 is not a whole number of cents"):
        run([["2023-01-10", "Conversion", "Registered", 0.005, None]])
    with pytest.raises(LedgerError, match=r"Amount \$100.125 is not a whole number of cents"):
        run([["2023-04-17", "Prepayment", "Registered", 100.125, "1.00"]])


def test_whole_cents_convert_and_conserve(terms, run):
    # $0.01 at the 2023-01-10 price: alternate 92.5% x 3 lowest of 10 = 1.98835 (see the sample
    # schedule) -> 0.01 / 1.98835 = 0.005 share, rounded up: 1 share; principal 12,499,999.99
    s = run([["2023-01-10", "Conversion", "Registered", 0.01, None]])
    r = rows_of(s, "Conversion")[0]
    assert (r["Principal Before"], r["Principal Converted"], r["Shares Issued"], r["Principal After"]) == (
        12_500_000, 0.01, 1, 12_499_999.99)


def test_a_ratchet_below_the_floor_is_flagged(terms, run):
    # A dilutive issue at $0.25 ratchets the fixed price 3.93042 -> 0.25, below the $0.29 floor.
    s = run([["2023-02-01", "Dilutive Issue", None, 1_000_000, 0.25]])
    r = rows_of(s, "Dilutive Issue")[0]
    assert "below-floor: fixed price $0.25000 below the floor $0.29000 (Registered, Private)" in r["Flags"]


def test_an_amendment_below_the_floor_and_a_floor_above_its_maximum_are_flagged(terms, run):
    s = run([["2023-02-01", "Amendment", None, None, "fixed_price = 0.25"],
             ["2023-02-02", "Amendment", None, None, "floor_price = 0.60"]])
    fixed, floor = rows_of(s, "Amendment")
    assert "below-floor" in fixed["Flags"]
    # 0.60 > floor_price_max 0.57
    assert "floor-max: floor $0.60000 above the $0.57000 maximum" in floor["Flags"]


def test_an_amendment_beyond_a_terms_range_is_refused(terms, run):
    # conversion.ownership_cap may not exceed ownership_cap_max (9.99%, line 221)
    with pytest.raises(LedgerError, match=r"ownership_cap: 0.12 is above ownership_cap_max 0.0999"):
        run([["2023-02-01", "Amendment", None, None, "conversion.ownership_cap = 0.12"]])
    with pytest.raises(LedgerError, match=r"rate: 1.5 fraction/yr must be below 1"):
        run([["2023-02-01", "Amendment", "Private", None, "rate = 1.5"]])


# ---------------------------------------------------------------------------------------------
# 4. Each investor's cap
#
# Line 221 (registered): "投资者(连同其关联方)不能转换持有人的已注册预付款凭证的任何部分,但如果投资者事先通知
# 公司至少61天,则投资者可以将其持有的逾期预付票据转换为公司已注册股票的超过4.99%" -- the investor (with its
# affiliates) may not convert above 4.99%; on at least 61 days' notice it may go above.
# Line 263 (private): "每位投资者(连同其附属公司)在转换定向增发垫款的任何部分时,不得使该投资者在转换后的我们
# 的普通股中拥有超过4.99%的持股权益,但如该投资者提前60天通知我们,则该投资者有权将其控制的...提高到...最高
# 9.99%" -- each investor at most 4.99% after the conversion; on 60 days' notice up to 9.99%.

# The price on 2023-03-14: the 3 lowest of the 10 VWAPs 2023-02-28..03-13 are 0.3928, 0.4647,
# 0.4897: (0.3928 + 0.4647 + 0.4897) / 3 x 0.925 = 0.415387 (fixed 3.93042 and floor 0.29 do not bind)
PRICE_0314 = (0.3928 + 0.4647 + 0.4897) / 3 * 0.925
SHARES_0 = 33_930_812


def test_two_holders_one_capped_the_other_converts_in_full_the_same_day(terms, run):
    two = terms.with_term("notes.Private.holder", "InvestorB")
    s = run([["2023-03-14", "Conversion", "Registered", 12_500_000, None],
             ["2023-03-14", "Conversion", "Private", 500_000, None]], deal=two)
    reg, priv = rows_of(s, "Conversion")
    # Investor (Registered) holds 0: room = floor(0.0499 x 33,930,812 / (1 - 0.0499))
    #   = floor(1,693,147.52 / 0.9501 = 1,782,072.96) = 1,782,072 shares; it asked for 12,500,000 / 0.415387
    #   = 30,092,751 shares: capped at floor(1,782,072 x 0.415387 x 100) / 100 USD
    room = int(0.0499 * SHARES_0 / (1 - 0.0499))
    assert room == 1_782_072
    allowed = int(room * PRICE_0314 * 100) / 100
    assert reg["Principal Converted"] == allowed and reg["Shares Issued"] <= room
    assert "cap: Investor capped at 4.99%" in reg["Flags"]
    # InvestorB (Private) holds 0 of the now 33,930,812 + 1,782,072 shares: its own 4.99% room is
    # floor(0.0499 x 35,712,884 / 0.9501) = 1,875,668 shares; 500,000 / 0.415387 = 1,203,697.76
    # -> 1,203,698 shares: converts in full. (One holder of both notes would have no room left.)
    after = SHARES_0 + reg["Shares Issued"]
    assert int(0.0499 * after / (1 - 0.0499)) >= 1_203_698
    assert priv["Principal Converted"] == 500_000 and priv["Shares Issued"] == 1_203_698
    assert not priv["Flags"]
    assert priv["Holder Shares"] == 1_203_698  # the row's holder: InvestorB
    assert s.state.holder("Investor").shares == reg["Shares Issued"]
    assert s.state.holder("InvestorB").ownership == pytest.approx(1_203_698 / (after + 1_203_698))
    one = run([["2023-03-14", "Conversion", "Registered", 12_500_000, None],
               ["2023-03-14", "Conversion", "Private", 500_000, None]])
    assert rows_of(one, "Conversion")[1]["Principal Converted"] == 0


def test_a_cap_raise_takes_effect_61_days_after_notice_and_an_amendment_before_is_refused(terms, run):
    # Notice 2023-01-03 on the registered note: 2023-01-03 + 61 days = 2023-03-05
    s = run([["2023-01-03", "Amendment", "Registered", None, "ownership_cap = 0.0999"],
             ["2023-03-14", "Conversion", "Registered", 12_500_000, None]])
    notice, effective = rows_of(s, "Amendment")
    assert "effective 2023-03-05 (61 days after notice)" in notice["Detail"]
    assert str(effective["Date"]) == "2023-03-05" and s.state.cap_of("Investor") == 0.0999
    # under 9.99%: room = floor(0.0999 x 33,930,812 / 0.9001) = 3,765,901 shares
    room = int(0.0999 * SHARES_0 / (1 - 0.0999))
    assert room == 3_765_901
    assert rows_of(s, "Conversion")[0]["Principal Converted"] == int(room * PRICE_0314 * 100) / 100
    with pytest.raises(LedgerError, match=r"notice raising its cap to 9.99% takes effect on 2023-03-05; "
                                          r"a cap amendment before then is refused"):
        run([["2023-01-03", "Amendment", "Registered", None, "ownership_cap = 0.0999"],
             ["2023-02-01", "Amendment", "Registered", None, "ownership_cap = 0.08"]])
    with pytest.raises(LedgerError, match=r"ownership_cap: 0.12 is above ownership_cap_max 0.0999"):
        run([["2023-01-03", "Amendment", "Registered", None, "ownership_cap = 0.12"]])


def test_the_private_notes_holder_waits_60_days(terms, run):
    two = terms.with_term("notes.Private.holder", "InvestorB")
    s = run([["2023-01-03", "Amendment", "Private", None, "ownership_cap = 0.0999"]], deal=two)
    # 2023-01-03 + 60 days = 2023-03-04; the other holder keeps 4.99%
    assert "effective 2023-03-04 (60 days after notice)" in rows_of(s, "Amendment")[0]["Detail"]
    assert (s.state.cap_of("InvestorB"), s.state.cap_of("Investor")) == (0.0999, 0.0499)


def test_the_cap_applies_to_warrant_exercises(terms, run):
    # Line 285 (warrants) with deal-terms' 4.99% ownership cap: a cash exercise of all 2,513,406
    # warrant shares on 2023-01-05 by a holder of no shares: room floor(0.0499 x 33,930,812 /
    # 0.9501) = 1,782,072 shares; 2,513,406 - 1,782,072 = 731,334 remain as warrants.
    s = run([["2023-01-05", "Warrant Exercise", None, None, "cash"]])
    r = rows_of(s, "Warrant Exercise")[0]
    assert r["Shares Issued"] == 1_782_072 and s.state.warrant_shares == 731_334
    assert r["Cash Received"] == round(1_782_072 * 3.93, 2)
    assert "warrant-cap: Investor capped at 4.99%: 1,782,072 of 2,513,406" in r["Flags"]


def test_sales_and_leak_out_are_per_holder(terms, run):
    two = terms.with_term("notes.Private.holder", "InvestorB")
    rows = [["2023-01-10", "Conversion", "Registered", 100_000, None],
            ["2023-01-10", "Conversion", "Private", 100_000, None]]
    with pytest.raises(LedgerError, match=r"holders Investor, InvestorB have shares: name the seller"):
        run([*rows, ["2023-01-11", "Holder Sale", None, 10, None]], deal=two)
    s = run([*rows, ["2023-01-11", "Holder Sale", "InvestorB", None, None]], deal=two)
    sale = rows_of(s, "Holder Sale")[0]
    assert sale["Holder Shares"] == 0 and s.state.holder("Investor").shares > 0
    assert sale["Detail"].startswith("InvestorB sold")


# ---------------------------------------------------------------------------------------------
# 5. Interest in kind
#
# Line 213: "由公司选择,(1)(a)在适用的利息支付日期满足某些股权条件的情况下,通过向投资者发行注册的付款付息
# 试金券(“已注册PIK付款凭证”);和(b)如果某些股权条件未满足或公司无法向投资者发行已注册PIK付款付息凭证,
# 则通过向投资者发行PIK付款付息凭证(“私人发行PIK付款付息凭证”)或者以现金方式支付(2)...除了已注册的PIK
# 付款凭证不支付利息之外的相同条款...私人发行PIK付款凭证,支付季度利息以资本化折算为私人发行PIK付款凭证的
# 未偿还本金" -- at the company's choice: (a) registered PIK notes if the equity conditions hold on
# the interest date; (b) if they do not, private PIK notes or cash. Registered PIK notes bear no
# interest; private PIK notes' quarterly interest is capitalised into their principal.


def test_pik_when_the_equity_conditions_hold_is_a_registered_pik_note_without_interest(terms, run):
    # 2022-12-31: the 20 trading days before it have market caps above $75,000,000 (VWAPs near
    # $3 x 33,930,812 shares): a registered PIK note of 12,500,000 x 4.5% x 12 / 360 = 18,750
    s = run([["2022-12-20", "Interest Election", "Registered", None, "pik"]])
    pik = rows_of(s, "Issue", "Registered-PIK1")[0]
    assert pik["Principal Issued"] == 18_750 and "registered PIK note" in pik["Detail"]
    assert s.notes["Registered-PIK1"].terms.rate == 0.0
    assert not rows_of(s, "Interest", "Registered-PIK1")  # it bears no interest


def test_pik_on_a_quarter_where_the_equity_conditions_fail_bears_interest(terms, run):
    # 2023-03-31: market cap at the minimum on 0 of the 20 days (VWAPs near $0.30): the
    # company's PIK is a private PIK note (pik_fallback = private_pik) at the note's 4.5%:
    # Q1 interest 12,500,000 x 4.5% x 90 / 360 = 140,625 -> Registered-PIK2 of 140,625.
    # Next quarter, 2023-06-30: the PIK note's own interest 140,625 x 4.5% x 90 / 360 = 1,582.03125
    # -> 1,582.03 (to the cent), capitalised: principal 142,207.03. The quarter's interest of the
    # registered note and its PIK notes is 140,625 + 1,582.03.
    s = run([["2023-01-03", "Interest Election", "Registered", None, "pik"]])
    first = [r for r in rows_of(s, "Interest", "Registered") if str(r["Date"]) == "2023-03-31"][0]
    assert "equity conditions not met for registered PIK notes" in first["Flags"]
    assert "private PIK note Registered-PIK1 at 4.50%" in first["Detail"]
    q2 = [r for r in s.rows if str(r["Date"]) == "2023-06-30" and r["Event"] == "Interest"
          and r["Note"].startswith("Registered")]
    by_note = {r["Note"]: r["Interest PIK"] for r in q2}
    assert by_note["Registered-PIK1"] == 1_582.03
    assert by_note["Registered"] == 140_625
    assert sum(by_note.values()) == 140_625 + 1_582.03
    assert [r for r in q2 if r["Note"] == "Registered-PIK1"][0]["Principal After"] == 140_625 + 1_582.03


def test_the_company_may_elect_cash_when_the_conditions_fail(terms, run):
    s = run([["2023-01-03", "Interest Election", "Registered", None, "pik or cash"]])
    r = [x for x in rows_of(s, "Interest", "Registered") if str(x["Date"]) == "2023-03-31"][0]
    assert r["Interest Paid Cash"] == 140_625 and not r["Interest PIK"]
    assert "Registered-PIK1" not in s.notes


def test_missing_volume_data_means_not_tested_never_met(terms, sample, run):
    from ascent_xl.market import MarketData

    vwaps_only = MarketData.from_arrays(sample.dates, sample.vwap, calendar="XNAS")
    s = run([["2022-12-20", "Interest Election", "Registered", None, "pik"]], market=vwaps_only)
    r = rows_of(s, "Interest", "Registered")[0]
    # the same 2022-12-31 that passes with the data: without it, not tested and not met
    assert "equity conditions for registered PIK notes not tested: no dollar volume data" in r["Flags"]
    assert s.notes["Registered-PIK1"].terms.rate == 0.045


# ---------------------------------------------------------------------------------------------
# 6. Terms that now act: financings, optional prepayment, change-of-control windows,
#    termination windows, notice, participation, amendment majority, share reserve


def test_prepayment_out_of_a_later_financing_is_limited_to_30pct(terms, run):
    # Line 217: "投资者可以选择要求从公司后续任何现金发行的我们的普通股或可转换证券...的总收益中的最高30%中
    # 现金提前偿还已注册的预付款凭证" -- the investor may require prepayment out of up to 30% of the
    # gross proceeds of any later cash issue. Line 261: "投资者还拥有优先权,可参与所发行证券的最多20%"
    # -- a participation right in up to 20% of the securities issued.
    # Dilutive issue 2023-06-20: 1,000,000 shares x $1.50 = 1,500,000 gross; 30% = 450,000; 20% = 300,000
    rows = [["2023-06-20", "Dilutive Issue", None, 1_000_000, 1.50]]
    s = run([*rows, ["2023-06-21", "Prepayment", "Registered", 450_000, "financing"]])
    issue = rows_of(s, "Dilutive Issue")[0]
    assert "prepayment out of 30% ($450,000.00) and take part in 20% ($300,000.00)" in issue["Detail"]
    assert rows_of(s, "Prepayment")[0]["Principal Repaid"] == 450_000
    assert s.state.financing_room == 0
    with pytest.raises(LedgerError, match=r"prepays \$450,000.01 out of later financings, but only \$450,000.00"):
        run([*rows, ["2023-06-21", "Prepayment", "Registered", 450_000.01, "financing"]])


def test_optional_prepayment_conditions_are_flagged(terms, run):
    # Line 237: "(2)在适当日期之后的任何时间,当所有垫款票据的总本金金额都少于300,000美元时,公司将有权,在提前
    # 20个交易日的书面通知期内,用现金偿还所有未偿还的垫款票据本金金额和应计利息,偿还价格等于本金金额的120%,
    # 加上应计利息,但投资者有先前的权利选择以普通股的形式取款" -- after the termination notice, when all
    # notes total below $300,000, on 20 trading days' written notice, all notes at 120% of principal
    # plus accrued interest; the investor may convert first.
    # Prepay the notes down to 200,000 + 50,000 (2023-06-01, at par), give notice of termination
    # 2023-08-01 (>= 210 days after 2022-12-19: 2023-07-17) and of prepayment 2023-08-01; prepay
    # 2023-08-29 (20 trading days after: Aug 2..29 are 20 sessions).
    base = [["2023-06-01", "Prepayment", "Registered", 12_300_000, None],
            ["2023-06-01", "Prepayment", "Private", 2_450_000, None]]
    s = run([*base, ["2023-08-01", "Termination Notice", None, None, None],
             ["2023-08-29", "Optional Prepay", None, None, "notice 2023-08-01"]])
    opt = rows_of(s, "Optional Prepay")
    total = sum(r["Principal Repaid"] for r in opt)
    assert total == 250_000 and all(not r["Flags"] for r in opt), [r["Flags"] for r in opt]
    assert all(r["Premium Paid"] == round(0.20 * r["Principal Repaid"], 2) for r in opt)
    # too early: 2023-08-28 is 19 trading days after the notice; and no termination notice
    s = run([["2023-08-28", "Optional Prepay", None, None, "notice 2023-08-01"]])
    flags = rows_of(s, "Optional Prepay")[0]["Flags"]
    assert "19 trading days after the notice of 2023-08-01; at least 20" in flags
    assert "no termination notice before it" in flags
    assert "optional prepayment needs them below $300,000" in flags
    with pytest.raises(LedgerError, match=r"notice of termination from 2023-07-17 \(210 days after the agreement\)"):
        run([["2023-07-14", "Termination Notice", None, None, None]])


def test_change_of_control_put_window_and_notice(terms, run):
    # Line 223: "公司必须在进入此类协议后五个交易日内向投资者递交书面通知。收到此类通知后三十天内,投资者可以
    # 要求公司...预付款" -- written notice within five trading days of the agreement; within thirty
    # days of the notice the investor may require prepayment.
    # Agreement 2023-02-01, notice 2023-02-10: 7 trading days later (Feb 2, 3, 6, 7, 8, 9, 10) > 5: flagged.
    s = run([["2023-03-01", "Change of Control", "Private", None, "agreement 2023-02-01, notice 2023-02-10"]])
    assert "coc-notice: the company's notice came 7 trading days after the agreement" in rows_of(s, "Change of Control")[0]["Flags"]
    # 2023-02-10 + 30 days = 2023-03-12: a demand on 2023-03-13 is too late
    with pytest.raises(LedgerError, match=r"the holder's put expired on 2023-03-12"):
        run([["2023-03-13", "Change of Control", "Private", None, "notice 2023-02-10"]])


def test_additional_notes_notice_and_termination_window(terms, run):
    # Line 235: "在不少于5个工作日的通知期内" -- on not less than 5 business days' notice.
    # Line 237: "额外垫款票据投资者将有60个交易日的时间行使其中一项权利或...有90个交易日时间" -- 60 trading
    # days after the termination notice (90 if one option was used in the first 60).
    rows = [["2023-06-01", "Prepayment", "Registered", None, None],
            ["2023-06-01", "Prepayment", "Private", None, None],
            ["2023-08-01", "Termination Notice", None, None, None]]
    # notice 2023-08-28 (Mon) for 2023-09-01 (Fri): 4 business days (Aug 28-31) < 5
    s = run([*rows, ["2023-09-01", "Issue", "Add1", 1_000_000, "additional, notice 2023-08-28"]])
    assert "4 business days after the notice of 2023-08-28; at least 5" in rows_of(s, "Issue", "Add1")[0]["Flags"]
    # 2023-11-01 is 65 trading days after 2023-08-01: outside the 60-day window (none taken in it)
    s = run([*rows, ["2023-11-01", "Issue", "Add1", 1_000_000, "additional"]])
    assert "65 trading days after the termination notice of 2023-08-01: the window was 60" in rows_of(s, "Issue", "Add1")[0]["Flags"]


def test_amendments_need_holders_of_66pct(terms, run):
    # Line 227: "...占已注册预付款票据和私募发行预付款票据的已发行票据的66%的持有者的书面同意" -- the written
    # consent of holders of 66% of the outstanding registered and private notes.
    two = terms.with_term("notes.Private.holder", "InvestorB")
    # InvestorB holds 2,500,000 of 15,000,000 = 17% < 66%: refused; Investor's 83% suffices
    with pytest.raises(LedgerError, match=r"consent of holders of 17% of the outstanding notes; it needs 66%"):
        run([["2023-02-01", "Amendment", None, None, "floor_price = 0.20; by InvestorB"]], deal=two)
    s = run([["2023-02-01", "Amendment", None, None, "floor_price = 0.20; by Investor"]], deal=two)
    assert s.state.floor_price == 0.20 and not rows_of(s, "Amendment")[0]["Flags"]
    s = run([["2023-02-01", "Amendment", None, None, "floor_price = 0.20"]], deal=two)
    assert "consent: holders of 66% of the notes must consent; not recorded" in rows_of(s, "Amendment")[0]["Flags"]


def test_the_share_reserve_is_measured_at_the_floor_or_at_the_fixed_price(terms, run):
    # Line 213: "公司已同意始终保留锁定的股票储备,股票数量等于已注册预付款凭证、私募发行预付款凭证、任何PIK付款
    # 预付款凭证、任何其他预付款凭证(如下所定义)和认股权证的三倍" -- a reserve of three times the shares
    # issuable on the notes, PIK notes, additional notes and warrants.
    # At the floor: 3 x (12,500,000 / 0.29 -> 43,103,449 + 2,500,000 / 0.29 -> 8,620,690 + 2,513,406)
    #   = 3 x 54,237,545 = 162,712,635
    s = run([["2022-12-20", "Share Reserve", None, None, 162_712_634]])
    assert "162,712,635 required (3x issuable at the floor)" in rows_of(s, "Share Reserve")[0]["Flags"]
    # At the fixed price (a term): 3 x (12,500,000 / 3.93042 -> 3,180,322 + 2,500,000 / 3.93042 ->
    #   636,065 + 2,513,406) = 3 x 6,329,793 = 18,989,379
    fixed = terms.with_term("covenants.share_reserve_price", "fixed")
    s = run([["2022-12-20", "Share Reserve", None, None, 18_989_378]], deal=fixed)
    assert "18,989,379 required (3x issuable at the fixed price)" in rows_of(s, "Share Reserve")[0]["Flags"]
