"""Price history of a deal: VWAP, alternate price, fixed price, floor and conversion price on every
trading day, restated to the latest share basis (after every split), for charts and reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ascent_xl.events import Event, EventKind
from ascent_xl.family import alternate_applies, alternate_discount
from ascent_xl.ledger.schedule import Schedule
from ascent_xl.market import MarketData
from ascent_xl.pricing import alternate_conversion_price, floor_binds, unfloored_price


@dataclass(frozen=True)
class PriceHistory:
    """Arrays over the trading days with a full look-back window; prices in USD/share on the
    latest share basis."""

    dates: np.ndarray  # datetime64[D]
    vwap: np.ndarray
    alternate: np.ndarray
    fixed: np.ndarray
    floor: np.ndarray
    conversion: np.ndarray

    def rows(self) -> list[list[object]]:
        """``[date, VWAP, alternate, fixed, floor, conversion price]`` per day."""
        out = []
        for i, d in enumerate(self.dates):
            out.append([d.item(), float(self.vwap[i]), float(self.alternate[i]), float(self.fixed[i]),
                        float(self.floor[i]), float(self.conversion[i])])
        return out


def price_history(schedule: Schedule, market: MarketData, events: list[Event]) -> PriceHistory:
    """Each trading day's conversion price as the ledger would compute it that day: the lower of
    the fixed and the alternate price, not below the floor, with the fixed price and the floor
    of the deal's first note as the ledger set them (after amendments, resets, ratchets; a note
    with a price of its own is not on this series: its rows in the Schedule show its prices),
    all restated by the splits that follow the day so that the series is continuous.

    Where the deal's alternate price applies only on some days (``alternate_price_applies``
    ``in_default``, ``alternate_price_start_days``) or deepens in default
    (``default_discount``), each day asks :func:`ascent_xl.family.alternate_applies` and
    :func:`ascent_xl.family.alternate_discount` for the deal's first note, its default state
    that day read from the ledger's record of the note's defaults and waivers
    (``NoteState.default_changes``: a Default or Waiver of a day applies before that day's
    conversions); on a day it does not apply, the alternate series is blank and the price is
    the fixed price.

    VWAP gaps are skipped (those days are left out)."""
    c = schedule.terms.conversion
    splits = sorted((e.date, e.value.ratio) for e in events if e.kind is EventKind.SPLIT)  # SplitRatio
    adjusted = market.priced_by(c.price_source)
    for day, ratio in splits:
        adjusted = adjusted.adjusted_for_split(day, ratio)
    days = c.alternate_price_days
    usable = adjusted.dates[days:]
    windows = np.lib.stride_tricks.sliding_window_view(adjusted.vwap, days)[: len(usable)]
    ok = ~np.isnan(windows).any(axis=1) & ~np.isnan(adjusted.vwap[days:])
    dates = usable[ok]

    def alternate_at(discount: float) -> np.ndarray:
        return np.asarray(alternate_conversion_price(
            adjusted, notice_date=dates, discount=discount, days=days,
            lowest=c.alternate_price_lowest, include_notice_day=c.window_includes_notice_day,
        ), dtype=float)

    alternate = alternate_at(c.alternate_price_discount)
    conditional = (c.alternate_price_applies != "always" or c.alternate_price_start_days
                   or c.default_discount > c.alternate_price_discount)
    if conditional and len(dates) and schedule.terms.notes:
        first = schedule.terms.notes[0]
        in_default = _in_default(schedule, first.name, dates)
        deeper = alternate_discount(discount=c.alternate_price_discount,
                                    default_discount=c.default_discount, in_default=True)
        if deeper != c.alternate_price_discount:
            alternate = np.where(in_default, alternate_at(deeper), alternate)
        applies = np.broadcast_to(alternate_applies(
            applies=c.alternate_price_applies, start_days=c.alternate_price_start_days,
            issue_date=first.issue_date, notice_date=dates, in_default=in_default), dates.shape)
        alternate = np.where(applies, alternate, np.nan)
    restate = _restatement(dates, splits)
    fixed, floor = _followed_prices(schedule, dates)
    fixed, floor = fixed * restate, floor * restate
    # a day with no alternate price prices at the fixed price: lower of the fixed and itself
    raw = unfloored_price(fixed_price=fixed, alternate_price=np.where(np.isnan(alternate), fixed, alternate))
    conversion = np.where(floor_binds(unfloored_price=raw, floor_price=floor, floor_mode=c.floor_mode),
                          floor, raw)
    return PriceHistory(dates, adjusted.vwap[days:][ok], alternate, fixed, floor, conversion)


def _in_default(schedule: Schedule, note: str, dates: np.ndarray) -> np.ndarray:
    """Whether ``note`` is in default on each date, before that day's conversions (as a quote
    sees it): the last of its default changes on or before the date (none: not in default)."""
    n = schedule.state.notes.get(note)
    if n is None or not n.default_changes:
        return np.zeros(len(dates), dtype=bool)
    return _in_force(n.default_changes, dates, before=False)


def _restatement(dates: np.ndarray, splits: list[tuple[dt.date, float]]) -> np.ndarray:
    """Factor that restates a price on each date to the latest share basis (1 / ratio of every
    later split)."""
    factor = np.ones(len(dates))
    for day, ratio in splits:
        factor[dates < np.datetime64(day, "D")] /= ratio
    return factor


def _followed_prices(schedule: Schedule, dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fixed and floor prices in force on each date, on that date's share basis: the deal's
    first note's (``NoteState.price_changes``), so that a note with a price of its own (a tranche
    at its own fixed price, an Amendment naming a note) does not make the series jump between
    notes; before that note is issued, the schedule's rows (the deal's prices)."""
    fixed, floor = _step(schedule, dates, "Fixed Price"), _step(schedule, dates, "Floor Price")
    n = schedule.state.notes.get(schedule.terms.notes[0].name)  # a deal has a note (DealTerms)
    if n is None or not n.price_changes:
        return fixed, floor
    changes = n.price_changes
    issued = dates >= np.datetime64(changes[0][0], "D")
    fixed = np.where(issued, _in_force([(d, f) for d, f, _ in changes], dates, before=np.nan), fixed)
    floor = np.where(issued, _in_force([(d, f) for d, _, f in changes], dates, before=np.nan), floor)
    return fixed, floor


def _step(schedule: Schedule, dates: np.ndarray, column: str) -> np.ndarray:
    """The value of ``column`` in force on each date (the last schedule row on or before it that
    has one; before the first row, the first value), on that date's share basis."""
    known = [(r["Date"], float(r[column])) for r in schedule.rows if r[column] is not None]
    if not known:
        return np.full(len(dates), np.nan)
    return _in_force(known, dates, before=known[0][1])


def _in_force(changes: Sequence[tuple[dt.date, float]], dates: np.ndarray, *, before: float) -> np.ndarray:
    """The value in force on each of ``dates`` from ``changes`` (day, value from that day),
    in day order: the last change on or before the date; ``before`` before the first."""
    days = np.array([d for d, _ in changes], dtype="datetime64[D]")
    values = np.array([v for _, v in changes])
    idx = np.searchsorted(days, dates, side="right") - 1
    return np.where(idx >= 0, values[np.clip(idx, 0, None)], before)
