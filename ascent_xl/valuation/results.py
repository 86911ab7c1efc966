"""What a valuation returns: fair values with standard errors, distributions, expected cash, and
the same as plain tables for a worksheet or a report."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

DEFAULT_PERCENTILES: tuple[float, ...] = (1.0, 5.0, 25.0, 50.0, 75.0, 95.0, 99.0)

CASH_KINDS = (
    ("interest_cash", "Interest paid in cash"),
    ("floor_paid", "Floor payments"),
    ("principal_cash", "Principal repaid at maturity"),
    ("default_cash", "Mandatory default amount"),
    ("prepaid_cash", "Prepayments"),
)
CONVERTED_LABEL = "Converted (interest, PIK notes, principal)"
"""The expected amount the conversions took, USD: a note's accrued interest (when the holder
converts it), its PIK notes and its principal."""
CONVERTED_PARTS = (
    ("interest", "of which accrued interest"),
    ("pik", "of which PIK notes"),
    ("principal", "of which principal (with capitalised PIK)"),
)
"""The parts of :data:`CONVERTED_LABEL`'s amount, keys of ``ValuationResult.converted_parts``."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """A Monte Carlo estimate and its standard error (same unit)."""

    value: float
    std_error: float

    @classmethod
    def of(cls, samples: np.ndarray) -> Estimate:
        """Mean of ``samples`` and its standard error ``std / sqrt(n)`` (0 for one sample)."""
        x = np.asarray(samples, dtype=float)
        se = float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else 0.0
        return cls(float(x.mean()), se)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Mean and percentiles (``(percent, value)`` pairs, ascending) of a per-path quantity."""

    mean: float
    percentiles: tuple[tuple[float, float], ...]

    @classmethod
    def of(cls, samples: np.ndarray, percents: Sequence[float]) -> Distribution:
        """The distribution of ``samples`` at ``percents`` (0-100, linear interpolation)."""
        x = np.asarray(samples, dtype=float)
        qs = np.percentile(x, list(percents))
        return cls(float(x.mean()), tuple((float(p), float(q)) for p, q in zip(percents, qs, strict=True)))

    def quantile(self, percent: float) -> float:
        """The value at ``percent`` (one of the percentiles computed)."""
        for p, q in self.percentiles:
            if p == percent:
                return q
        raise KeyError(f"percentile {percent:g} was not computed; have {[p for p, _ in self.percentiles]}")

    def at(self, percent: float) -> float:
        """The value at ``percent`` (one of those computed)."""
        for p, q in self.percentiles:
            if p == percent:
                return q
        raise KeyError(f"percentile {percent} not computed; have {[p for p, _ in self.percentiles]}")


@dataclass(frozen=True, slots=True)
class NoteValue:
    """Fair value of one note (with its PIK notes) in USD, and its standard error."""

    name: str
    face: float
    value: float
    std_error: float
    outstanding: float | None = None  # principal and PIK notes on the valuation date (None: face)

    @property
    def principal(self) -> float:
        """Principal and PIK notes outstanding on the valuation date, USD."""
        return self.face if self.outstanding is None else self.outstanding

    @property
    def percent_of_face(self) -> float:
        """Value as a fraction of face (1.05 = 105%)."""
        return self.value / self.face

    @property
    def percent_of_outstanding(self) -> float | None:
        """Value as a fraction of the principal outstanding (None when nothing is)."""
        return self.value / self.principal if self.principal > 0 else None


@dataclass(frozen=True, eq=False)
class ValuationResult:
    """The result of a valuation.

    Values are discounted to the valuation date (USD); ``expected_cash`` is the company's expected
    cash outlay by kind, undiscounted (USD); ``shares_issued`` counts the notes' conversion
    shares; ``floor_probability`` is the probability that the floor binds on at least one
    conversion (a floor payment is made). ``per_path`` keeps each path's numbers (for runs of
    up to :data:`~ascent_xl.valuation.run.KEEP_PER_PATH` paths; longer runs keep ``shares`` and
    ``floor_paid`` only). ``inputs`` lists every input used: ``(name, value, unit, source)``.
    """

    deal: str
    valuation_date: dt.date
    horizon: dt.date
    trading_days: int
    paths: int
    seed: int | None
    risk_neutral: bool
    notes: tuple[NoteValue, ...]
    warrants: Estimate | None
    warrants_closed_form: float | None
    total: Estimate
    shares_outstanding: float
    shares_issued: Distribution
    floor_payments: Distribution
    floor_probability: Estimate
    expected_cash: dict[str, float]
    expected_pik_interest: float
    expected_converted: float
    converted_parts: dict[str, float]  # expected_converted by part (CONVERTED_PARTS), USD
    fixed_price: float
    floor_price: float
    sample_dates: np.ndarray
    sample_prices: np.ndarray
    per_path: dict[str, np.ndarray]
    inputs: tuple[tuple[str, Any, str, str], ...]
    assumptions: tuple[str, ...]
    elapsed: float

    def note(self, name: str) -> NoteValue:
        """The value of the note called ``name`` (case-insensitive)."""
        for n in self.notes:
            if n.name.lower() == str(name).strip().lower():
                return n
        raise KeyError(f"no note named {name!r}; notes: {[n.name for n in self.notes]}")

    def input(self, name: str) -> Any:
        """The value of the input ``name`` (see ``inputs``)."""
        for key, value, _, _ in self.inputs:
            if key == name:
                return value
        raise KeyError(f"no input named {name!r}; inputs: {[row[0] for row in self.inputs]}")

    def estimate(self, instrument: str) -> Estimate:
        """Value and standard error of a note by name, ``warrants`` or ``total``."""
        key = str(instrument).strip().lower()
        if key == "total":
            return self.total
        if key in ("warrant", "warrants"):
            if self.warrants is None:
                raise KeyError("the deal has no live warrants on the valuation date")
            return self.warrants
        n = self.note(instrument)
        return Estimate(n.value, n.std_error)

    def tables(self) -> dict[str, list[list[Any]]]:
        """The results as plain tables (a header row, then rows of str/float/date cells), keyed by
        title, for a worksheet or a report: the inputs used, fair values, shares issued, floor
        payments, expected cash, run details."""
        values: list[list[Any]] = [["Instrument", "Fair value (USD)", "Std error (USD)",
                                    "Outstanding (USD)", "% of outstanding"]]
        for n in self.notes:
            values.append([n.name, n.value, n.std_error, n.principal, n.percent_of_outstanding])
        if self.warrants is not None:
            values.append(["Warrants", self.warrants.value, self.warrants.std_error, None, None])
        values.append(["Total", self.total.value, self.total.std_error, None, None])

        shares: list[list[Any]] = [["Statistic", "Shares issued", "Dilution (% of shares outstanding)"]]
        shares.append(["Mean", self.shares_issued.mean, self.shares_issued.mean / self.shares_outstanding])
        for p, q in self.shares_issued.percentiles:
            shares.append([f"P{p:g}", q, q / self.shares_outstanding])

        floor: list[list[Any]] = [["Statistic", "Floor payments (USD)"]]
        floor.append(["Probability the floor binds", self.floor_probability.value])
        floor.append(["Std error of the probability", self.floor_probability.std_error])
        floor.append(["Mean", self.floor_payments.mean])
        for p, q in self.floor_payments.percentiles:
            floor.append([f"P{p:g}", q])

        cash: list[list[Any]] = [["Cash paid by the company", "Expected (USD, undiscounted)"]]
        for key, label in CASH_KINDS:
            cash.append([label, self.expected_cash[key]])
        cash.append(["Total cash", self.expected_cash["total"]])
        cash.append(["Interest paid in kind (PIK)", self.expected_pik_interest])
        # what the conversions took: with convert_interest, a note's accrued interest first, then
        # its PIK notes, then principal (labelled "principal", it read as more than the face)
        cash.append([CONVERTED_LABEL, self.expected_converted])
        cash += [[label, self.converted_parts[key]] for key, label in CONVERTED_PARTS]

        run: list[list[Any]] = [["Item", "Value"]]
        run += [
            ["Deal", self.deal],
            ["Valuation date", self.valuation_date],
            ["Last day (maturity payment)", self.horizon],
            ["Trading days", self.trading_days],
            ["Paths", self.paths],
            ["Seed", self.seed],
            ["Risk-neutral (fair value)", self.risk_neutral],
            ["Warrants, Black-Scholes from today", self.warrants_closed_form],
        ]
        run += [["Assumption", a] for a in self.assumptions]
        inputs: list[list[Any]] = [["Input", "Value", "Unit", "Source"]]
        inputs += [list(row) for row in self.inputs]
        return {
            "Inputs": inputs,
            "Fair value": values,
            "Shares issued": shares,
            "Floor payments": floor,
            "Expected cash": cash,
            "Run": run,
        }


__all__ = ["CASH_KINDS", "CONVERTED_LABEL", "CONVERTED_PARTS", "DEFAULT_PERCENTILES", "Distribution", "Estimate", "NoteValue", "ValuationResult"]
