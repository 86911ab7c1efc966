"""The typed-record machinery (ascent_xl.records) on records that are not a deal's: field
metadata, coercion, validation with the field named, suggestions, named lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Literal

import pytest

from ascent_xl.errors import TermsError
from ascent_xl.records import Record, check_term, set_path, term


@dataclass(frozen=True, slots=True, kw_only=True)
class Leg(Record):
    record_label: ClassVar[str] = "leg"
    name: str = term(unit="text", doc="name")
    length: float = term(unit="USD", doc="a length", gt=0)
    start: dt.date = term(unit="date", doc="start")


@dataclass(frozen=True, slots=True, kw_only=True)
class Trip(Record):
    rate: float = term(unit="fraction", doc="a rate", ge=0, lt=1)
    days: int = term(unit="trading days", doc="days", ge=1)
    legs: tuple[Leg, ...] = term(unit="", doc="the legs")


BASE = Trip(rate=0.05, days=3, legs=(Leg(name="A", length=1.0, start=dt.date(2024, 1, 2)),
                                     Leg(name="B", length=2.0, start=dt.date(2024, 2, 1))))


def test_coercion_of_file_and_cell_values():
    t = Trip.from_mapping({"rate": "4.5%", "days": "10", "legs": [
        {"name": "A", "length": "1,250.50", "start": "2024-01-02"}]})
    assert (t.rate, t.days, t.legs[0].length, t.legs[0].start) == (0.045, 10, 1250.5, dt.date(2024, 1, 2))


def test_errors_name_the_field_and_suggest():
    with pytest.raises(TermsError, match=r"^rate: 1.5 fraction must be below 1$"):
        Trip.from_mapping({"rate": 1.5}, base=BASE)
    with pytest.raises(TermsError, match=r"^rat: unknown term; did you mean 'rate'\?$"):
        Trip.from_mapping({"rat": 0.1}, base=BASE)
    with pytest.raises(TermsError, match=r"^days: 2000 trading days must be at most 1260 \(five years of trading days\)$"):
        Trip.from_mapping({"days": 2000}, base=BASE)
    with pytest.raises(TermsError, match=r"^legs.C.length: missing; add it \(a length\); 'C' is a new leg "
                       r"\(the base's legs: A, B\), so it lists every term$"):
        Trip.from_mapping({"legs": [{"name": "C"}]}, base=BASE)


def test_a_list_replaces_and_a_table_by_name_amends():
    # a list is the whole list: B alone, from B's terms with its length changed
    t = Trip.from_mapping({"legs": [{"name": "B", "length": 5}]}, base=BASE)
    assert [(x.name, x.length) for x in t.legs] == [("B", 5.0)]
    # a table by name (what dotted names make) changes B and keeps A
    t = Trip.from_mapping({"legs": {"B": {"length": 5}}}, base=BASE)
    assert [(x.name, x.length) for x in t.legs] == [("A", 1.0), ("B", 5.0)]


def test_flat_names_and_one_change_by_path():
    assert BASE.flat()["legs.B.length"] == 2.0
    assert Trip.describe("legs.A.length") == ("USD", "a length")
    t = set_path(BASE, ["legs", "b", "length"], "7", "legs.b.length")
    assert t.legs[1].length == 7.0
    with pytest.raises(TermsError, match=r"legs: no leg named 'Z'; legs: \['A', 'B'\]"):
        set_path(BASE, ["legs", "Z", "length"], 1, "legs.Z.length")


def test_flat_names_are_walked_once_per_record_and_each_call_gets_its_own_dict(monkeypatch):
    import ascent_xl.records as records

    trip = Trip(rate=0.05, days=3, legs=(Leg(name="A", length=1.0, start=dt.date(2024, 1, 2)),))
    walks = []
    real = records._walk
    monkeypatch.setattr(records, "_walk", lambda obj, prefix: walks.append(prefix) or real(obj, prefix))
    first = trip.flat()
    first["rate"] = 0.9  # the caller's own dict: the next call is not changed by it
    assert trip.flat() == {"rate": 0.05, "days": 3, "legs.A.name": "A", "legs.A.length": 1.0,
                           "legs.A.start": dt.date(2024, 1, 2)}
    assert walks.count("") == 1  # one walk from the top (and one into the leg): none for the second call
    changed = set_path(trip, ["legs", "A", "length"], "7", "legs.A.length")  # a new record: its own names
    assert changed.flat()["legs.A.length"] == 7.0 and trip.flat()["legs.A.length"] == 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice(Record):
    rounding: Literal["up", "down"] = term(unit="text", doc="a choice")
    odd: Literal["A", "a", " b"] = term(unit="text", doc="choices a value does not name as it is")
    size: float = term(unit="USD", doc="a size", gt=0, le=10)


def test_check_term_takes_a_choice_as_spelled_and_reads_the_rest_as_before():
    assert check_term(Choice, "rounding", "down") == "down"
    assert check_term(Choice, "rounding", " Up ") == "up"  # read: stripped, matched without case
    with pytest.raises(TermsError, match=r"^r: 'sideways': choose one of up, down$"):
        check_term(Choice, "rounding", "sideways", label="r")
    assert check_term(Choice, "odd", "a") == "A"  # the first choice in any case, as ever
    with pytest.raises(TermsError, match=r"^odd: ' b': choose one of A, a,  b$"):
        check_term(Choice, "odd", " b")  # read stripped, so never the choice " b": refused, as ever
    assert check_term(Choice, "size", 10) == 10 and check_term(Choice, "size", 2.5) == 2.5
    with pytest.raises(TermsError, match=r"^size: 10.5 USD must be at most 10$"):
        check_term(Choice, "size", 10.5)
    with pytest.raises(TermsError, match=r"^size: 0 USD must be above 0$"):
        check_term(Choice, "size", 0)
    with pytest.raises(TermsError, match=r"^size: is not a number \(NaN\)$"):
        check_term(Choice, "size", float("nan"))


def test_check_term_has_the_fields_range():
    assert check_term(Trip, "days", 4) == 4
    with pytest.raises(TermsError, match=r"^n: 0 trading days must be at least 1$"):
        check_term(Trip, "days", 0, label="n")
