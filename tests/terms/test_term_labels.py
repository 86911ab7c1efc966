"""Every declared term carries its own short plain-English label, whole within LABEL_MAX."""

from __future__ import annotations

import dataclasses

import ascent_xl.terms as T
from ascent_xl.presets import ASTI_2022
from ascent_xl.records import Record
from ascent_xl.terms import LABEL_MAX, DealTerms, term_label


def _records() -> list[type[Record]]:
    return [c for c in vars(T).values()
            if isinstance(c, type) and issubclass(c, Record) and c is not Record and c.__module__ == T.__name__]


def test_every_declared_term_has_its_own_label():
    unlabelled = [f"{c.__name__}.{f.name}" for c in _records() for f in dataclasses.fields(c)
                  if f.metadata.get("unit") != "" and not f.metadata.get("label")]  # unit "": a group of terms
    assert unlabelled == []
    assert len(_records()) >= 10  # the note, the eight sections and the deal


def test_every_term_label_is_whole_and_its_own():
    names = list(ASTI_2022.flat())
    assert len(names) >= 100
    for name in names:
        found = DealTerms.term_field(name)
        assert found is not None and found[0].metadata["label"], name
        label = term_label(name)
        assert label == term_label(name, cut=False) and len(label) <= LABEL_MAX, label
        assert not label.endswith("..."), label


def test_the_older_terms_read_as_a_finance_user_names_them():
    assert term_label("conversion.fixed_price") == "Conversion: fixed conversion price"
    assert term_label("conversion.alternate_price_discount") == "Conversion: alternate price discount"
    assert term_label("conversion.ownership_cap") == "Conversion: ownership cap"
    assert term_label("default.redemption_premium") == "Default: mandatory default amount premium"
    assert term_label("notes.Private.purchase_price_pct") == "Private note: purchase price (fraction of face)"
    assert term_label("covenants.leak_out_pct") == "Covenants: leak-out: monthly sales limit"
    assert term_label("placement.fee_tier_rates") == "Placement: fee tier rates"
    assert term_label("shares_outstanding") == "Deal: shares outstanding before the issue"
