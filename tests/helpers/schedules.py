"""Checks on a schedule's rows from their own columns (never the engine's Check flag)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def assert_principal_conserved(rows: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Each note's Principal After is its Principal Issued less Principal Converted and Principal
    Repaid on its rows so far (to half a cent), and Total Principal is the notes' sum; blank cells
    ("" or None) count as 0. Returns each note's balance after the last row."""
    balance: dict[str, float] = {}
    for r in rows:
        if r["Note"] and r["Principal After"] not in (None, ""):
            balance[r["Note"]] = (balance.get(r["Note"], 0.0) + (r["Principal Issued"] or 0.0)
                                  - (r["Principal Converted"] or 0.0) - (r["Principal Repaid"] or 0.0))
            assert abs(balance[r["Note"]] - r["Principal After"]) < 0.005, r
        assert abs(sum(balance.values()) - r["Total Principal"]) < 0.005 * (1 + len(balance)), r
    return balance
