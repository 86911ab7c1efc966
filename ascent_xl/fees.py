"""Placement agent's fee by tiers of gross proceeds, and the offering's proceeds."""

from __future__ import annotations

from dataclasses import dataclass

from ascent_xl.money import check_amount, round_cents
from ascent_xl.terms import DealTerms, PlacementTerms


@dataclass(frozen=True, slots=True)
class FeeTier:
    """One tier of the cash fee: ``rate`` on proceeds from ``lower`` to ``upper`` USD."""

    lower: float
    upper: float | None  # None: no upper bound
    rate: float
    fee: float  # USD charged in this tier


@dataclass(frozen=True, slots=True)
class PlacementFee:
    """The placement fee on some gross proceeds, USD."""

    gross_proceeds: float
    tiers: tuple[FeeTier, ...]
    cash_fee: float  # sum of the tiers
    discretionary_fee: float
    total: float  # cash fee + discretionary fee


def placement_fee(
    gross_proceeds: float,
    *,
    tier_limits: tuple[float, ...],
    tier_rates: tuple[float, ...],
    discretionary_fee: float,
) -> PlacementFee:
    """Cash fee charged tier by tier (``tier_rates[k]`` on the proceeds between
    ``tier_limits[k-1]`` and ``tier_limits[k]``), plus the discretionary fee; USD to the cent.

    Examples
    --------
    >>> placement_fee(11_250_000, tier_limits=(5e6, 10e6), tier_rates=(0.08, 0.04, 0.06),
    ...               discretionary_fee=25_000).total
    700000.0
    """
    gross = check_amount(gross_proceeds, "gross_proceeds", allow_zero=True)
    check = PlacementTerms(  # validates the tiers with the same rules as a terms file
        fee_tier_limits=tuple(tier_limits),
        fee_tier_rates=tuple(tier_rates),
        discretionary_fee=discretionary_fee,
        fee_notes=(),
        other_expenses=0.0,
    )
    tiers = []
    lower = 0.0
    bounds: list[float | None] = [*check.fee_tier_limits, None]
    for upper, rate in zip(bounds, check.fee_tier_rates, strict=True):
        top = gross if upper is None else min(gross, upper)
        fee = round_cents(max(0.0, top - lower) * rate)
        tiers.append(FeeTier(lower, upper, rate, fee))
        lower = upper if upper is not None else lower
    cash = round_cents(sum(t.fee for t in tiers))
    disc = float(check.discretionary_fee)
    return PlacementFee(gross, tuple(tiers), cash, disc, round_cents(cash + disc))


def deal_placement_fee(terms: DealTerms, gross_proceeds: float | None = None) -> PlacementFee:
    """The deal's placement fee on ``gross_proceeds`` (default: the fee notes' purchase price)."""
    p = terms.placement
    return placement_fee(
        terms.fee_base if gross_proceeds is None else gross_proceeds,
        tier_limits=p.fee_tier_limits,
        tier_rates=p.fee_tier_rates,
        discretionary_fee=p.discretionary_fee,
    )


@dataclass(frozen=True, slots=True)
class Proceeds:
    """Proceeds of the offering, USD."""

    gross: float
    placement_fee: float
    before_expenses: float
    other_expenses: float
    net: float


def offering_proceeds(terms: DealTerms) -> Proceeds:
    """Gross proceeds of the fee notes, less the placement fee, less other expenses.

    For ASTI_2022: 11,250,000 − 700,000 = 10,550,000 before expenses; net 9,901,000.
    """
    fee = deal_placement_fee(terms)
    before = round_cents(fee.gross_proceeds - fee.total)
    other = terms.placement.other_expenses
    return Proceeds(fee.gross_proceeds, fee.total, before, other, round_cents(before - other))
