"""The deal ledger: events in, schedule out (see :mod:`ascent_xl.ledger.engine`).

>>> from ascent_xl.ledger import deal_state, run_ledger
"""

from ascent_xl.ledger.engine import Ledger, LedgerCursor, run_ledger
from ascent_xl.ledger.position import (
    DealPosition,
    NotePosition,
    SharesByBasis,
    conversion_quote,
    deal_state,
)
from ascent_xl.ledger.schedule import SCHEDULE_COLUMNS, SUMMARY_COLUMNS, Flag, Schedule

__all__ = [
    "SCHEDULE_COLUMNS",
    "SUMMARY_COLUMNS",
    "DealPosition",
    "Flag",
    "Ledger",
    "LedgerCursor",
    "NotePosition",
    "Schedule",
    "SharesByBasis",
    "conversion_quote",
    "deal_state",
    "run_ledger",
]
