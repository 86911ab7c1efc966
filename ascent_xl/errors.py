"""Errors raised by ascent-xl.

Every error message names the thing that is wrong (a term, a date, a row, a cell) and says what to
fix, because the message is what a finance user sees: in the terminal, or in an Excel cell.
"""

from __future__ import annotations


class AscentError(ValueError):
    """Base class of every error ascent-xl raises on bad input."""


class TermsError(AscentError):
    """A deal term is missing, of the wrong type or out of range.

    ``field`` is the dotted name of the term (e.g. ``conversion.floor_price``).
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)

    def within(self, prefix: str) -> TermsError:
        """The same error with ``prefix`` put before the field name."""
        return TermsError(f"{prefix}.{self.field}" if self.field else prefix, self.problem)


class UnmodelledError(TermsError):
    """The deal uses a rule shape a consumer (e.g. the Monte Carlo valuation) does not model;
    ``field`` names the term. The deal itself is valid: the ledger and the price commands serve
    it, and a book refreshes with the valuation marked as not done."""


class MarketDataError(AscentError):
    """VWAP, volume or market-cap data cannot serve the request (gap, bad row, date outside)."""


class InputError(AscentError):
    """An argument of a pricing rule is out of range (a negative amount, an unknown option)."""


class UnmodelledStateError(InputError):
    """The deal's state on the valuation date holds what the valuation does not model (notes of
    two holders, a default outstanding, a default payment pending). The deal and its events are
    valid: the ledger serves them, and a book refreshes with the valuation marked as not done."""


class LedgerError(AscentError):
    """An event cannot be applied to the ledger; the message names the event's row."""


class WorkbookError(AscentError):
    """A workbook cannot be read or written; the message names the sheet and cell."""
