"""docs/deal-terms.md names real terms, with the preset's values."""

from __future__ import annotations

import re
from pathlib import Path

from ascent_xl.presets import ASTI_2022

DOC = Path(__file__).resolve().parents[1] / "docs" / "deal-terms.md"
SECTIONS = ("conversion", "default", "redemption", "additional_notes", "equity_conditions",
            "warrants", "placement", "covenants", "notes")


def _term_names() -> set[str]:
    names = set(ASTI_2022.flat())
    for name in list(names):
        parts = name.split(".")
        if parts[0] == "notes":  # notes.Registered.rate -> notes.*.rate and the bare field
            names.add(f"notes.*.{parts[2]}")
            names.add(parts[2])
        elif len(parts) == 2:
            names.add(parts[1])  # a field named after its section was named (`trim_lowest`)
    return names


def test_every_term_the_page_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = {m.split(" ")[0] for m in re.findall(r"`([a-z_][a-zA-Z_.*]*[a-zA-Z_*](?: = [^`]+)?)`", text)}
    candidates = {n for n in named if "." in n and n.split(".")[0] in SECTIONS}
    candidates |= {n for n in named if "_" in n and "." not in n}
    unknown = sorted(candidates - _term_names())
    assert unknown == []
    assert len(candidates) > 60


def test_the_page_quotes_the_presets_figures() -> None:
    text = DOC.read_text(encoding="utf-8")
    # the supplement's figures, as the preset holds them
    assert ASTI_2022.conversion.fixed_price == 3.93042 and "$3.93042" in text
    assert ASTI_2022.conversion.floor_price == 0.29 and "$0.29" in text
    assert ASTI_2022.shares_outstanding == 33_930_812 and "33,930,812" in text
    # 12,500,000 / 3.93042 = 3,180,321.7, rounded up
    assert "**3,180,322**" in text
    # 8% x 5,000,000 + 4% x 5,000,000 + 6% x 1,250,000 + 25,000
    assert 400_000 + 200_000 + 75_000 + 25_000 == 700_000 and "**$700,000**" in text


def test_the_readme_points_at_the_page() -> None:
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "(docs/deal-terms.md)" in readme
