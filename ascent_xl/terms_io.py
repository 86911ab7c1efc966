"""Terms files: load deal terms from TOML or JSON and save them back.

A file either lists every term, or names a preset in ``base`` and lists only what differs::

    base = "ASTI_2022"
    name = "Ascent Solar, floor amended"

    [conversion]
    floor_price = 0.20

    [[notes]]          # the deal's notes: this list replaces the base's
    name = "Registered"  # a base note's name: its terms, changed only where listed

    [[notes]]
    name = "Private"
    rate = 0.05

Loading validates every term; an error names the file and the field
(``terms.toml: conversion.floor_price: -1 USD/share must be above 0``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ascent_xl.errors import TermsError
from ascent_xl.fileio import atomic_write_text
from ascent_xl.presets import preset
from ascent_xl.terms import DealTerms, resolve_term_name


def read_terms(values: Mapping[str, Any], *, base: DealTerms | None = None) -> DealTerms:
    """Deal terms from values read anywhere: the one reader of terms files, the book's Inputs
    sheet and a UDF's terms range.

    ``values`` holds sections as a file has them (``{"conversion": {"floor_price": 0.2}}``,
    ``"notes": [...]``), dotted names (``"conversion.floor_price"``,
    ``"notes.Registered.rate"``) or, with a ``base``, unique short names (``"floor_price"``),
    and optionally ``"base"``: a preset's name. Terms not given are the base's; without a base
    every term is needed. A ``[[notes]]`` list replaces the base's notes; dotted names change
    only the notes they name (:func:`ascent_xl.records.coerce_named_list`). Every term is
    checked; an error is a :class:`TermsError` naming the term's dotted name.
    """
    data = dict(values)
    base_name = data.pop("base", None)
    if base_name:
        if base is not None:
            raise TermsError("base", f"{base_name!r}: the terms already start from {base.name!r}; "
                             "leave base out")
        base = preset(base_name)
    known = set(DealTerms.__dataclass_fields__)
    nested: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key).strip()
        if name in known or (base is None and "." not in name):
            if isinstance(nested.get(name), dict) and isinstance(value, Mapping):
                nested[name].update(value)
            else:
                nested[name] = value
            continue
        full = resolve_term_name(base, name) if base is not None else name
        node = nested
        parts = full.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise TermsError(full, "given both as a section and as a dotted name; give it once")
        node[parts[-1]] = value
    if base is not None:
        conversion = nested.get("conversion")
        _check_fixed_price_days(conversion, base)
        if (isinstance(conversion, dict) and "fixed_price_average" not in conversion
                and str(conversion.get("fixed_price", "")).strip().lower() not in ("", "none")):
            # a fixed price given by itself is stated, not computed from the base's average
            nested["conversion"] = {**conversion, "fixed_price_average": None}
    return DealTerms.from_mapping(nested, base=base)


def terms_from_mapping(data: dict[str, Any]) -> DealTerms:
    """Deal terms from a parsed file: a full set, or ``base`` (a preset name) plus overrides
    (:func:`read_terms`)."""
    return read_terms(data)


def _check_fixed_price_days(conversion: Any, base: DealTerms) -> None:
    """Refuse a file that changes ``fixed_price_days`` and keeps the base's fixed price (or the
    average it came from): that price was computed over the base's days, not the file's."""
    if not isinstance(conversion, dict) or "fixed_price_days" not in conversion:
        return
    b = base.conversion
    if conversion["fixed_price_days"] == b.fixed_price_days:
        return
    kept = [k for k in ("fixed_price", "fixed_price_average")
            if k not in conversion and getattr(b, k) is not None]
    if kept:
        raise TermsError(
            "conversion.fixed_price_days",
            f"{conversion['fixed_price_days']!r} days, but the base's {' and '.join(kept)} came "
            f"from {b.fixed_price_days} days; give {' and '.join(kept)} for the new days too, or "
            'write them as "none" to compute the fixed price from the VWAPs',
        )


def load_terms(path: str | os.PathLike[str]) -> DealTerms:
    """Read and validate a ``.toml`` or ``.json`` terms file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "deal.toml"
    >>> _ = p.write_text('base = "ASTI_2022"\\n[conversion]\\nfloor_price = 0.20\\n')
    >>> load_terms(p).conversion.floor_price
    0.2
    """
    p = Path(path)
    if not p.exists() and p.suffix == "" and str(p) in shipped_deals():
        p = shipped_deals()[str(p)]
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise TermsError("", f"{p}: terms file not found; check the path and the file name") from None
    try:
        if ".json" in (x.lower() for x in p.suffixes):
            data = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TermsError("", f"{p}: not a valid {p.suffix.lstrip('.').upper() or 'TOML'} file: {exc}") from None
    except RecursionError:
        raise TermsError("", f"{p}: {_TOO_DEEP}") from None
    if not isinstance(data, dict):
        raise TermsError("", f"{p}: expected a table of terms at the top level")
    if _depth(data) > _MAX_DEPTH:
        raise TermsError("", f"{p}: {_TOO_DEEP}")
    try:
        return terms_from_mapping(data)
    except TermsError as exc:
        raise TermsError(f"{p.name}: {exc.field}" if exc.field else p.name, exc.problem) from None


DEALS_DIR = Path(__file__).parent / "data" / "deals"
"""Terms files of real deals of the family shipped with the package (each names its source)."""


def shipped_deals() -> dict[str, Path]:
    """The shipped deals' terms files by name (the file name without ``.toml``); a name works
    wherever a terms file is asked (``--terms bbby_2023_series_a``)."""
    return {p.stem: p for p in sorted(DEALS_DIR.glob("*.toml"))}


_MAX_DEPTH = 8
_TOO_DEEP = (
    f"tables or lists nested more than {_MAX_DEPTH} deep; a terms file has sections such as "
    "[conversion] and [[notes]] holding plain values (see `ascent-xl terms export`)"
)


def _depth(value: Any, limit: int = _MAX_DEPTH + 1) -> int:
    """How deep ``value`` nests (a plain value is 0), counted no further than ``limit``."""
    if limit <= 0 or not isinstance(value, (dict, list)):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(v, limit - 1) for v in items), default=0)


def dumps_terms(terms: DealTerms, *, fmt: str = "toml") -> str:
    """The terms as TOML or JSON text (blank optional terms are left out of TOML)."""
    data = terms.to_mapping()
    if fmt == "json":
        return json.dumps(data, indent=2, default=_json_default) + "\n"
    import tomli_w

    header = "# ascent-xl deal terms. Units: see `ascent-xl terms show`.\n"
    return header + tomli_w.dumps(_drop_none(data))


def save_terms(terms: DealTerms, path: str | os.PathLike[str]) -> Path:
    """Write the terms to ``path`` (``.toml`` or ``.json``), atomically, keeping a backup."""
    p = Path(path)
    fmt = "json" if p.suffix.lower() == ".json" else "toml"
    return atomic_write_text(p, dumps_terms(terms, fmt=fmt))


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value
