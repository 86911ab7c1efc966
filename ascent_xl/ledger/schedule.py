"""The schedule: one row per ledger entry, the per-note summary, and the columns they carry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ascent_xl.ledger.state import DealState, NoteState
from ascent_xl.terms import DealTerms

if TYPE_CHECKING:
    import pandas as pd

SCHEDULE_COLUMN_KINDS: dict[str, str] = {
    "Date": "date",
    "Event": "text",
    "Note": "text",
    "Principal Before": "money",
    "Principal Issued": "money",
    "Principal Converted": "money",
    "Interest Converted": "money",
    "Conversion Price": "price",
    "Shares Issued": "shares",
    "Shares Restated": "shares",
    "Floor Payment": "money",
    "Interest Accrued": "money",
    "Interest Paid Cash": "money",
    "Interest PIK": "money",
    "Principal Repaid": "money",
    "Premium Paid": "money",
    "Default Amount": "money",
    "Cash Paid": "money",
    "Cash Received": "money",
    "Principal After": "money",
    "Total Principal": "money",
    "Fixed Price": "price",
    "Floor Price": "price",
    "Reset Price": "price",
    "Shares Outstanding": "shares",
    "Holder Shares": "shares",
    "Holder Ownership": "fraction",
    "Check": "flag",
    "Flags": "text",
    "Detail": "text",
    "Source": "text",
}
"""Columns of the schedule, in order, with what each holds: money in USD, prices in USD/share as
of the row's date, share counts, the holder's fraction of the shares, text. ``Shares Issued`` is
the count as issued, on the share basis of the row's date; ``Shares Restated`` the same shares on
the schedule's last share basis (after every split in it: issued before a 1:200 split, / 200), so
that a sum of it never adds counts of different bases. ``Fixed Price`` is the fixed price in force
on the row's note (after amendments, splits, full ratchets and a default reset: the lower of the
fixed price and the reset price), ``Reset Price`` the note's default reset price once a Default
row with Value reset sets it (None before). ``Total Principal`` is the deal's principal
outstanding after the row, all notes together (``Principal Before`` / ``After``: the row's note).
``Source`` is where the row comes from: an Events row (``Events!A6``, ``events.csv line 2``),
``terms`` (a note the terms list, issued on its date) or ``ledger`` (a row the ledger adds
itself: interest dates, maturities, resets, installments, PIK notes, payments due)."""

SCHEDULE_COLUMNS = tuple(SCHEDULE_COLUMN_KINDS)
MONEY_COLUMNS = tuple(c for c, kind in SCHEDULE_COLUMN_KINDS.items() if kind == "money")

SUMMARY_COLUMNS = (
    "Note",
    "Kind",
    "Issue Date",
    "Maturity",
    "Principal Issued",
    "Principal Converted",
    "Principal Repaid",
    "Principal Outstanding",
    "Shares Issued",  # as issued; a deal with splits has one "Shares Issued <basis>" column per basis
    "Shares Restated",  # on the last share basis
    "Floor Payments",
    "Interest Paid Cash",
    "Interest PIK",
    "Interest Converted",
    "Premiums Paid",
    "Default Amounts",
    "Accrued Interest",
    "Conserved",
)


@dataclass(frozen=True, slots=True)
class Flag:
    """A covenant or limit flag on one schedule row: ``code`` (e.g. ``cap``) and the reason."""

    row: int
    date: dt.date
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


@dataclass
class Schedule:
    """The ledger's output: rows, flags, and the final state of the deal.

    ``rows`` is a list of dicts keyed by :data:`SCHEDULE_COLUMNS`; :attr:`frame` and
    :meth:`summary` give pandas DataFrames.
    """

    terms: DealTerms
    rows: list[dict[str, Any]]
    flags: list[Flag]
    state: DealState
    _frame: Any = field(default=None, repr=False)

    @property
    def frame(self) -> pd.DataFrame:
        """The schedule as a DataFrame, one row per ledger entry, columns :data:`SCHEDULE_COLUMNS`."""
        if self._frame is None:
            import pandas as pd

            frame = pd.DataFrame.from_records(self.rows, columns=list(SCHEDULE_COLUMNS))
            frame["Date"] = pd.to_datetime(frame["Date"])
            self._frame = frame
        return self._frame

    @property
    def notes(self) -> dict[str, NoteState]:
        """Final state of every note, by name."""
        return self.state.notes

    def summary(self) -> pd.DataFrame:
        """One row per note and a ``Total`` row: issued, converted, repaid, outstanding, shares,
        floor payments, interest in cash / in kind / converted, premiums, default amounts."""
        import pandas as pd

        bases = self.share_bases()
        records = []
        for n in self.state.notes.values():
            record = summary_record(n)
            if len(bases) > 1:  # as issued, one column per share basis (never added across bases)
                del record["Shares Issued"]
                record.update({f"Shares Issued {label}": n.shares_by_basis.get(k, 0) for k, label in enumerate(bases)})
            records.append(record)
        columns = list(SUMMARY_COLUMNS)
        if len(bases) > 1:
            at = columns.index("Shares Issued")
            columns[at:at + 1] = [f"Shares Issued {label}" for label in bases]
        total: dict[str, Any] = {c: None for c in columns}
        total["Note"] = "Total"
        for c in columns[4:-1]:
            total[c] = sum(r[c] for r in records)
        total["Conserved"] = all(r["Conserved"] for r in records)
        return pd.DataFrame.from_records([*records, total], columns=columns)

    def share_bases(self) -> list[str]:
        """The share bases of the schedule, oldest first, as the summary's column labels name
        them: ``[""]`` without a split; with one on 2023-09-12, ``["before 2023-09-12",
        "from 2023-09-12"]``; with two, ``["before D1", "D1 to D2", "from D2"]`` (D2's day
        excluded)."""
        days = [d for d, _ in self.state.splits]
        if not days:
            return [""]
        labels = [f"before {days[0]}"]
        labels += [f"{a} to {b - dt.timedelta(days=1)}" for a, b in zip(days, days[1:], strict=False)]
        return [*labels, f"from {days[-1]}"]

    def conversion_shares_text(self) -> str:
        """The shares issued on conversion as issued, one count per share basis, in words:
        ``4,853,767 before 2023-09-12; 1,250 from 2023-09-12`` (``25,519`` without a split)."""
        bases = self.share_bases()
        counts = [0] * len(bases)
        for n in self.state.notes.values():
            for k, count in n.shares_by_basis.items():
                counts[k] += count
        if len(bases) == 1:
            return f"{counts[0]:,}"
        return "; ".join(f"{c:,} {b}" for c, b in zip(counts, bases, strict=True))

    def share_basis_note(self) -> str:
        """What ``Shares Restated`` means for this schedule, in words."""
        splits = self.state.splits
        if not splits:
            return "no split: shares restated = shares as issued"
        parts = ", ".join(f"{ratio_text(r)} on {d}" for d, r in splits)
        return f"on the share basis after every split: {parts}"

    def totals(self) -> dict[str, float]:
        """Deal totals by summary column (the ``Total`` row), plus shares outstanding and the
        holder's ownership after the last row."""
        s = self.summary().iloc[-1].to_dict()
        s["Shares Outstanding"] = self.state.shares_outstanding
        s["Holder Ownership"] = self.state.holder_ownership
        s["Cash Paid"] = float(sum(r["Cash Paid"] or 0.0 for r in self.rows))
        s["Cash Received"] = float(sum(r["Cash Received"] or 0.0 for r in self.rows))
        return s


def summary_record(n: NoteState) -> dict[str, Any]:
    """The summary row of one note."""
    return {
        "Note": n.name,
        "Kind": n.kind,
        "Issue Date": n.issue_date,
        "Maturity": n.maturity,
        "Principal Issued": n.principal_issued,
        "Principal Converted": n.converted,
        "Principal Repaid": n.repaid,
        "Principal Outstanding": n.principal,
        "Shares Issued": n.shares_issued,
        "Shares Restated": n.shares_issued_restated,
        "Floor Payments": n.floor_payments,
        "Interest Paid Cash": n.interest_cash,
        "Interest PIK": n.interest_pik,
        "Interest Converted": n.interest_converted,
        "Premiums Paid": n.premiums,
        "Default Amounts": n.default_amounts,
        "Accrued Interest": n.accrued,
        "Conserved": n.conserved,
    }


def ratio_text(ratio: float) -> str:
    """``1:200`` for a ratio of 0.005, ``2:1`` for 2."""
    return f"1:{1 / ratio:g}" if ratio < 1 else f"{ratio:g}:1"
