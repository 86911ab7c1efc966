"""Named deal presets. ``ASTI_2022`` holds every number of Ascent Solar's December 2022 advance
notes (424(b)(5) prospectus supplement of 2022-12-19, registration no. 333-267971).

This is the only module with deal numbers in it. Where the supplement is unclear, the reading
chosen is marked *(reading)* and is a term a user can change.
"""

from __future__ import annotations

import datetime as dt

from ascent_xl.errors import TermsError
from ascent_xl.terms import (
    AdditionalNoteTerms,
    ConversionTerms,
    CovenantTerms,
    DealTerms,
    DefaultTerms,
    EquityConditionTerms,
    NoteTerms,
    PlacementTerms,
    RedemptionTerms,
    WarrantTerms,
)

_CLOSING = dt.date(2022, 12, 19)


def _note(
    name: str,
    kind: str,
    face: float,
    *,
    interest_payment: str,
    pik_style: str,
    holder: str,
    cap_notice_days: int,
    coc_on_interest: bool,
) -> NoteTerms:
    return NoteTerms(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        face=face,
        purchase_price_pct=0.90,  # 90% of face: OID of 10%
        issue_date=_CLOSING,
        maturity_months=18,
        rate=0.045,
        day_count="30/360",  # (reading) not stated in the supplement
        interest_months=(3, 6, 9, 12),  # quarterly in arrears: Mar 31, Jun 30, Sep 30, Dec 31
        interest_payment=interest_payment,  # type: ignore[arg-type]
        pik_style=pik_style,  # type: ignore[arg-type]
        pik_note_rate=0.0,  # registered PIK notes bear no interest
        pik_fallback="private_pik",  # (reading) line 213: equity conditions fail -> private PIK
        holder=holder,
        ownership_cap_notice_days=cap_notice_days,
        change_of_control_on_interest=coc_on_interest,
        own_fixed_price=0.0,  # both notes convert at the deal's fixed price
        own_fixed_price_at_issue=False,
        interest_counts_issue_day=False,  # 30/360 from the closing: the days between
        stated_value=0.0,  # notes, not preferred stock
    )


ASTI_2022 = DealTerms(
    name="Ascent Solar advance notes, December 2022",
    issuer="Ascent Solar Technologies, Inc. (Nasdaq: ASTI)",
    calendar="XNAS",
    agreement_date=_CLOSING,
    shares_outstanding=33_930_812,  # 2022-12-16
    notes=(
        # (reading) The supplement speaks of "each investor" (每个投资者) and of "one of the
        # investors" (line 235) but not of who holds which note: one holder for both notes and the
        # warrants here (its cap counts all its shares, the stricter reading); a deal with two
        # holders names them per note. Cap notice: 61 days for the registered note (line 221),
        # 60 for the private (line 263). Change of control: 105% of principal + interest
        # (line 223) vs 105% of (principal + interest) (line 265).
        _note("Registered", "registered", 12_500_000, interest_payment="cash", pik_style="pik_note",
              holder="Investor", cap_notice_days=61, coc_on_interest=False),
        _note("Private", "private", 2_500_000, interest_payment="cash", pik_style="capitalise",
              holder="Investor", cap_notice_days=60, coc_on_interest=True),
    ),
    conversion=ConversionTerms(
        fixed_price=3.93042,  # 130% of the 5-day average VWAP 3.0234 before issue
        fixed_price_premium=0.30,
        fixed_price_days=5,
        fixed_price_average=3.0234,  # the supplement's 5-day average VWAP before 2022-12-19
        alternate_price_discount=0.075,  # 92.5% of the average
        alternate_price_days=10,
        alternate_price_lowest=3,
        alternate_price_applies="always",  # from issue, in default or not
        alternate_price_start_days=0,
        default_discount=0.0,  # in default the holder may reset the price instead (default.reset_*)
        price_reset_days=(),  # no dated resets of the fixed price (the next three are then unused)
        price_reset_average_days=10,
        price_reset_pct=1.0,
        price_reset_rule="lower",
        price_reset_conditions="none",
        installment_amount=0.0,  # no installments (the next four are then unused)
        installment_first_month=1,
        installment_discount=0.0,
        installment_days=1,
        installment_lowest=1,
        price_source="vwap",  # "the volume-weighted average price"
        window_includes_notice_day=False,  # "the 10 trading days before the conversion date"
        floor_price=0.29,
        floor_mode="make_up",  # the company pays the shortfall below the floor in cash
        floor_price_max=0.57,
        share_rounding="up",  # (reading) the supplement's 3,180,321.7 -> 3,180,322
        ownership_cap=0.0499,
        ownership_cap_max=0.0999,
        # (reading) the family's reverse splits run 1:5 to 1:250; a small cap halves or triples
        split_jump_threshold=4.0,
    ),
    default=DefaultTerms(
        redemption_premium=1.20,
        premium_on_interest=False,  # (reading) 120% of principal, interest added once after
        parity_includes_interest=False,  # line 231: max(P / price x VWAP, 1.2 P) + I
        reset_factor=0.80,
        reset_days=10,
        reset_lowest=3,
        interest_rate=0.0,  # the supplement states no default rate: the notes' 4.5% runs on
    ),
    redemption=RedemptionTerms(
        change_of_control_premium=1.05,
        change_of_control_notice_trading_days=5,
        change_of_control_put_days=30,
        optional_prepayment_premium=1.20,
        optional_prepayment_threshold=300_000,
        optional_prepayment_notice_trading_days=20,
        financing_prepayment_pct=0.30,
        trigger_price=0.0,  # no price-triggered monthly payments (the next six are then unused)
        trigger_days=1,
        trigger_window=1,
        trigger_cure_days=1,
        trigger_delay_days=0,
        trigger_payment=1.0,
        trigger_premium=1.0,
    ),
    additional_notes=AdditionalNoteTerms(
        start_days=210,
        notice_business_days=5,
        purchase_price_pct=0.90,
        monthly_limit=1_000_000,
        monthly_limit_with_consent=2_000_000,
        min_days_between=30,
        total_limit=35_000_000,
        max_outstanding_before=2_000_000,
        termination_trading_days=60,
        termination_trading_days_extended=90,
    ),
    equity_conditions=EquityConditionTerms(
        days=20,
        trim_highest=3,
        trim_lowest=3,
        min_dollar_volume=250_000,
        min_market_cap=75_000_000,
        min_market_cap_days=15,
    ),
    warrants=WarrantTerms(
        shares=2_513_406,
        exercise_price=3.93,
        issue_date=_CLOSING,
        term_years=5,
        ownership_cap=0.0499,
        share_rounding="up",
        holder="Investor",  # (reading) the holder of the notes (warrants of the placement, line 285)
    ),
    placement=PlacementTerms(
        fee_tier_limits=(5_000_000, 10_000_000),
        fee_tier_rates=(0.08, 0.04, 0.06),
        discretionary_fee=25_000,
        fee_notes=("Registered",),
        other_expenses=649_000,  # "about $649,000"
    ),
    covenants=CovenantTerms(
        restricted_period_days=120,
        restricted_issue_limit=5_000_000,
        min_cash=3_000_000,
        share_reserve_multiple=3,
        share_reserve_price="floor",  # the most shares the notes can need
        leak_out_pct=0.35,
        participation_pct=0.20,
        amendment_majority=0.66,
        exchange_cap=0.1999,  # Nasdaq rule 5635(d), line 239
        exchange_cap_approved=True,  # line 239: shareholder approval to issue beyond 19.99%
        exchange_cap_excess="refuse",  # (reading) moot once approved
    ),
)

PRESETS: dict[str, DealTerms] = {"ASTI_2022": ASTI_2022}


def preset(name: str) -> DealTerms:
    """The preset called ``name`` (case-insensitive), e.g. ``"ASTI_2022"``."""
    for key, value in PRESETS.items():
        if key.lower() == str(name).strip().lower():
            return value
    raise TermsError("base", f"no preset named {name!r}; presets: {', '.join(PRESETS)}")
