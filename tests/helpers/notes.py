"""A whole [[notes]] table for terms files in tests: a new note must list every term."""

from __future__ import annotations

from typing import Any

_NOTE: dict[str, Any] = {
    "kind": "additional", "face": 1_000_000, "purchase_price_pct": 0.9, "issue_date": "2023-03-01",
    "maturity_months": 12, "rate": 0.06, "day_count": "30/360", "interest_months": [3, 6, 9, 12],
    "interest_payment": "cash", "pik_style": "pik_note", "pik_note_rate": 0.0, "pik_fallback": "cash",
    "holder": "Fund B", "ownership_cap_notice_days": 61, "change_of_control_on_interest": False,
}


def note_table(name: str, **changes: Any) -> str:
    """A ``[[notes]]`` table of TOML for a new note ``name`` with every term (``changes`` over
    the defaults above; dates unquoted, as TOML dates)."""
    lines = ["", "[[notes]]", f'name = "{name}"']
    for key, value in {**_NOTE, **changes}.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str) and key != "issue_date":
            text = f'"{value}"'
        else:
            text = str(value)
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"
