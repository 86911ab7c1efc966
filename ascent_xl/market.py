"""Market data: daily VWAPs (and optionally dollar volume and market cap) on trading days.

:class:`MarketData` checks its rows once when built — every date a trading day of the deal's
exchange calendar, no date twice, every VWAP a positive number — and lays them on the calendar's
sessions, so that a look-back window is an array slice. A blank VWAP is allowed in the data; it
becomes an error only when a window needs it, and the error names the missing day.

VWAPs are *as traded*: prices before a stock split are not adjusted. The ledger adjusts them
(:meth:`MarketData.adjusted_for_split`) when a split takes effect.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ascent_xl.calendar import (
    TradingCalendar,
    as_day,
    as_days,
    day_text,
    read_date,
    trading_calendar,
)
from ascent_xl.csvfile import read_csv
from ascent_xl.errors import MarketDataError
from ascent_xl.money import read_number

if TYPE_CHECKING:
    import pandas as pd

# Column names accepted when reading a table (lower-cased, spaces and underscores ignored).
_COLUMN_ALIASES = {
    "date": "date",
    "day": "date",
    "vwap": "vwap",
    "close": "close",
    "closeprice": "close",
    "closingprice": "close",
    "dailyvwap": "vwap",
    "dollarvolume": "dollar_volume",
    "dollarvol": "dollar_volume",
    "tradingvalue": "dollar_volume",
    "marketcap": "market_cap",
    "marketcapitalisation": "market_cap",
    "marketcapitalization": "market_cap",
    "mktcap": "market_cap",
}


_MAX_VALUE = 1e15
"""Largest VWAP, dollar volume or market cap read (USD); beyond it a value is a typo."""


def _column_key(name: Any) -> str:
    return "".join(ch for ch in str(name).lower() if ch.isalnum())


@dataclass(frozen=True, eq=False)
class MarketData:
    """Daily market data laid on the exchange's sessions from the first to the last data date.

    Attributes
    ----------
    calendar:
        The exchange calendar the dates were checked against.
    dates:
        Every session from the first to the last data date (``datetime64[D]``).
    vwap:
        VWAP per session in USD/share; ``NaN`` where the data has no value.
    dollar_volume, market_cap:
        USD per session, or ``None`` when not given; ``NaN`` where missing.
    close:
        Closing price per session in USD/share, or ``None`` when not given.
    price_name:
        What the ``vwap`` column holds, in messages: ``VWAP``, or ``closing price`` for the
        data :meth:`priced_by` gives for a deal priced on closing prices.
    """

    calendar: TradingCalendar
    start: int
    dates: np.ndarray
    vwap: np.ndarray
    dollar_volume: np.ndarray | None = None
    market_cap: np.ndarray | None = None
    close: np.ndarray | None = None
    price_name: str = "VWAP"
    _cache: dict[Any, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        dates: Sequence[Any] | np.ndarray,
        vwap: Sequence[Any] | np.ndarray,
        *,
        dollar_volume: Sequence[Any] | np.ndarray | None = None,
        market_cap: Sequence[Any] | np.ndarray | None = None,
        calendar: str | TradingCalendar = "XNAS",
        labels: Sequence[str] | None = None,
        decimal_comma: bool = False,
        close: Sequence[Any] | np.ndarray | None = None,
    ) -> MarketData:
        """Check rows of (date, VWAP[, dollar volume, market cap]) and build the data.

        ``labels`` names each row in error messages (default ``row 1``, ``row 2`` ...); the
        Excel layer passes cell addresses such as ``VWAP!A14``.

        Examples
        --------
        >>> m = MarketData.from_arrays(["2022-12-12", "2022-12-13"], [3.154, 3.089])
        >>> float(m.vwap_on("2022-12-13")[0])
        3.089
        """
        cal = calendar if isinstance(calendar, TradingCalendar) else trading_calendar(calendar)
        n = len(dates)
        if len(vwap) != n:
            raise MarketDataError(f"{n} dates but {len(vwap)} VWAPs; give one VWAP per date")
        if n == 0:
            raise MarketDataError("no VWAP data: give at least one row of date and VWAP")
        names: Sequence[str] = labels if labels is not None else _RowNames(n)
        days = _parse_dates(dates, names)
        values = _numbers(vwap, "VWAP", days, names, allow_blank=True, decimal_comma=decimal_comma)
        extra = {}
        for key, column in (("dollar_volume", dollar_volume), ("market_cap", market_cap)):
            if column is not None:
                if len(column) != n:
                    raise MarketDataError(f"{n} dates but {len(column)} values of {key}")
                extra[key] = _numbers(
                    column, key.replace("_", " "), days, names, allow_blank=True,
                    decimal_comma=decimal_comma,
                )
                _check_non_negative(extra[key], key.replace("_", " "), days, names)

        _check_positive(values, days, names)
        if close is not None:
            if len(close) != n:
                raise MarketDataError(f"{n} dates but {len(close)} closing prices; give one per date")
            extra["close"] = _numbers(close, "Close", days, names, allow_blank=True, decimal_comma=decimal_comma)
            _check_positive(extra["close"], days, names, what="closing price")
        _check_duplicates(days, names)
        outside = (days < cal.first) | (days > cal.last)
        if outside.any():
            i = int(np.argmax(outside))
            try:
                cal.check_range(days[i], "VWAP date")
            except MarketDataError as exc:
                raise MarketDataError(f"{names[i]}: {exc}; correct the date") from None
        not_session = ~cal.sessions_mask(days)
        if not_session.any():
            first, *more = np.flatnonzero(not_session)[:3]
            also = ", ".join(f"{day_text(days[i])} ({names[i]})" for i in more)
            raise MarketDataError(
                f"{names[first]}: {day_text(days[first])} is not a {cal.name} trading day; the "
                "market was closed, so remove the row or correct the date"
                + (f" (also {also})" if also else "")
            )

        order = np.argsort(days, kind="stable")
        days = days[order]
        first = int(cal.count_before(days[0]))
        last = int(cal.count_before(days[-1]))
        grid = cal.sessions[first : last + 1]
        pos = np.asarray(cal.count_before(days)) - first

        def lay(column: np.ndarray) -> np.ndarray:
            out = np.full(len(grid), np.nan)
            out[pos] = column[order]
            return out

        return cls(
            calendar=cal,
            start=first,
            dates=grid,
            vwap=lay(values),
            dollar_volume=lay(extra["dollar_volume"]) if "dollar_volume" in extra else None,
            market_cap=lay(extra["market_cap"]) if "market_cap" in extra else None,
            close=lay(extra["close"]) if "close" in extra else None,
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, calendar: str | TradingCalendar = "XNAS") -> MarketData:
        """Build from a DataFrame with columns ``Date``, ``VWAP`` and optionally
        ``Dollar Volume`` and ``Market Cap`` (names matched loosely), or indexed by date."""
        cols = {}
        for col in frame.columns:
            key = _COLUMN_ALIASES.get(_column_key(col))
            if key and key not in cols:
                cols[key] = col
        if "date" not in cols:
            if "vwap" in cols:
                dates = list(frame.index)
            else:
                raise MarketDataError(
                    f"no Date column among {list(frame.columns)}; name the columns Date and VWAP"
                )
        else:
            dates = list(frame[cols["date"]])
        if "vwap" not in cols:
            raise MarketDataError(f"no VWAP column among {list(frame.columns)}; add a VWAP column")
        return cls.from_arrays(
            dates,
            list(frame[cols["vwap"]]),
            dollar_volume=list(frame[cols["dollar_volume"]]) if "dollar_volume" in cols else None,
            market_cap=list(frame[cols["market_cap"]]) if "market_cap" in cols else None,
            close=list(frame[cols["close"]]) if "close" in cols else None,
            calendar=calendar,
            labels=[f"row {i + 1}" for i in range(len(frame))],
        )

    @classmethod
    def from_series(cls, vwap: pd.Series, *, calendar: str | TradingCalendar = "XNAS") -> MarketData:
        """Build from a VWAP series indexed by date."""
        return cls.from_arrays(list(vwap.index), list(vwap.to_numpy()), calendar=calendar)

    @classmethod
    def from_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        calendar: str | TradingCalendar = "XNAS",
        decimal_comma: bool = False,
    ) -> MarketData:
        """Read a CSV file with a header (``Date,VWAP[,Dollar Volume,Market Cap][,Close]``); lines that
        start with ``#`` and blank lines are skipped. Errors name the file and line number
        (``prices.csv line 5 (2022-12-12): VWAP '4,2347' has an ambiguous comma ...``).

        Numbers are read by :func:`ascent_xl.money.to_float` (no percent: a VWAP is a price),
        dates by :func:`ascent_xl.calendar.parse_date`. ``decimal_comma=True`` reads ``4,2347``
        as 4.2347 (and ``1.250,50`` as 1250.5), for files written with a decimal comma."""
        table = read_csv(path, what="VWAP file", error=MarketDataError, expected="Date,VWAP")
        cols: dict[str, int] = {}
        for i, col in enumerate(table.header):
            key = _COLUMN_ALIASES.get(_column_key(col))
            if key and key not in cols:
                cols[key] = i
        for need in ("date", "vwap"):
            if need not in cols:
                raise MarketDataError(
                    f"{table.name} line {table.header_line}: no {need.upper() if need == 'vwap' else 'Date'} "
                    f"column in the header {table.header}; the header must name Date and VWAP"
                )

        def column(key: str) -> list[Any] | None:
            return table.column(cols[key]) if key in cols else None

        base = os.path.basename(table.name)

        try:
            return cls.from_arrays(
                column("date"),  # type: ignore[arg-type]
                column("vwap"),  # type: ignore[arg-type]
                dollar_volume=column("dollar_volume"),
                market_cap=column("market_cap"),
                close=column("close"),
                calendar=calendar,
                labels=[f"{base} line {n}" for n in table.lines],
                decimal_comma=decimal_comma,
            )
        except MarketDataError as exc:
            if str(exc).startswith(base):
                raise
            raise MarketDataError(f"{table.name}: {exc}") from None

    @classmethod
    def from_lists(
        cls,
        dates: Sequence[Any],
        vwaps: Sequence[Any],
        *,
        dollar_volumes: Sequence[Any] | None = None,
        market_caps: Sequence[Any] | None = None,
        calendar: str | TradingCalendar = "XNAS",
    ) -> MarketData:
        """Build from plain Python lists (see :meth:`from_arrays`)."""
        return cls.from_arrays(
            dates, vwaps, dollar_volume=dollar_volumes, market_cap=market_caps, calendar=calendar
        )

    # -- queries --------------------------------------------------------------------------
    @property
    def first_date(self) -> dt.date:
        """First data date."""
        return self.dates[0].item()

    @property
    def last_date(self) -> dt.date:
        """Last data date."""
        return self.dates[-1].item()

    def __len__(self) -> int:
        return len(self.dates)

    def window(
        self, refs: np.ndarray | Any, days: int, *, what: str = "date", column: str = "vwap",
        through: bool = False,
    ) -> np.ndarray:
        """Values of the ``days`` sessions strictly before each reference date (with
        ``through``, the ``days`` sessions ending on and including it).

        Returns an array of shape ``(len(refs), days)`` (oldest first). A window that reaches
        before the first or after the last data date, or holds a blank value, raises a
        :class:`MarketDataError` naming the date; ``what`` names the reference date in it
        (e.g. ``"notice date"``).
        """
        ref, lo = self._window_starts(refs, days, what, column, through)
        return self._gather(ref, lo, days, what, column, through)

    def _gather(self, ref: np.ndarray, lo: np.ndarray, days: int, what: str, column: str,
                through: bool = False) -> np.ndarray:
        values = self._column(column)
        if ref.size == 1:
            start = int(lo[0])
            win = values[start : start + days][None, :]
        else:
            win = np.lib.stride_tricks.sliding_window_view(values, days)[lo]
        if np.isnan(win.sum()):
            row = int(np.argmax(np.isnan(win).any(axis=1)))
            self._raise_missing(ref[row], lo[row], days, what, column, through)
        return win

    def lowest_averages(
        self, refs: np.ndarray | Any, days: int, lowest: int, *, what: str = "date", cached: bool = False,
        through: bool = False,
    ) -> np.ndarray:
        """Average of the ``lowest`` lowest VWAPs in the ``days`` sessions before each reference
        date (with ``through``, ending on and including it; errors as :meth:`window`).

        For many dates (or with ``cached``, for callers that ask date by date) the averages of
        every window in the data are computed once and cached, so each date costs one lookup.
        """
        ref, lo = self._window_starts(refs, days, what, "vwap", through)
        if not cached and ref.size * 4 < len(self.vwap):  # few dates: average their windows
            return lowest_average(self._gather(ref, lo, days, what, "vwap", through), lowest)
        key = ("lowest", days, lowest)
        table = self._cache.get(key)
        if table is None:
            table = lowest_average(np.lib.stride_tricks.sliding_window_view(self.vwap, days), lowest)
            self._cache[key] = table
        out = table[lo]
        if np.isnan(out.sum()):
            row = int(np.argmax(np.isnan(out)))
            self._raise_missing(ref[row], lo[row], days, what, "vwap", through)
        return out

    def lowest_average_on(self, day: dt.date, days: int, lowest: int, *, what: str = "date",
                          through: bool = False) -> float:
        """:meth:`lowest_averages` for one :class:`datetime.date`, from the cached table: the
        fast path for callers that price one date at a time (the ledger). Errors as there."""
        found = self.calendar.date_index(day) if type(day) is dt.date else None
        table = self._cache.get(("lowest", days, lowest))
        if found is not None and table is not None:
            lo = found[0] - self.start - days + (1 if through and found[1] else 0)
            if 0 <= lo < len(table):
                value = float(table[lo])
                if value == value:
                    return value
        return float(self.lowest_averages(np.array([as_day(day)]), days, lowest, what=what, cached=True,
                                          through=through)[0])

    def vwap_on_date(self, day: dt.date, *, what: str = "date") -> float:
        """:meth:`vwap_on` for one :class:`datetime.date` (fast path; errors as there)."""
        found = self.calendar.date_index(day) if type(day) is dt.date else None
        if found is not None and found[1]:
            pos = found[0] - self.start
            if 0 <= pos < len(self.vwap):
                value = float(self.vwap[pos])
                if value == value:
                    return value
        return float(self.vwap_on(as_day(day), what=what)[0])

    def _window_starts(self, refs: Any, days: int, what: str, column: str,
                       through: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The reference dates and the data position where each one's window starts (with
        ``through``, a window ending on a reference date that is a session)."""
        values = self._column(column)
        ref = as_days(refs)
        if ref.size == 0:
            return ref, np.empty(0, dtype=np.int64)
        self.calendar.check_span(ref, what)
        lo = np.asarray(self.calendar.count_before(ref), dtype=np.int64) - self.start - days
        if through:
            lo = lo + self.calendar.sessions_mask(ref)
        lo = np.atleast_1d(lo)
        lo_min, lo_max = (int(lo[0]), int(lo[0])) if lo.size == 1 else (int(lo.min()), int(lo.max()))
        if lo_min < 0:
            k = int(np.argmin(lo))
            need = self.calendar.sessions[self.start + lo[k]]
            raise MarketDataError(
                f"{what} {day_text(ref[k])} needs {days} trading days of {self._label(column)} "
                f"from {day_text(need)}, but the data start on {day_text(self.dates[0])}; "
                "add earlier data or use a later date"
            )
        if lo_max + days > len(values):
            k = int(np.argmax(lo))
            raise MarketDataError(
                f"{what} {day_text(ref[k])} is outside the data: its {days}-day window runs past "
                f"the last {self._label(column)} on {day_text(self.dates[-1])}; add later data"
            )
        return ref, lo

    def _raise_missing(self, ref: np.datetime64, lo: int, days: int, what: str, column: str,
                       through: bool = False) -> None:
        values = self._column(column)[lo : lo + days]
        missing = self.dates[lo + int(np.argmax(np.isnan(values)))]
        span = "up to and including" if through else "before"
        raise MarketDataError(
            f"{self._label(column)} missing for {day_text(missing)} (a trading day in the {days} "
            f"{span} {what} {day_text(ref)}); add it to the data"
        )

    def vwap_on(self, days: np.ndarray | Any, *, what: str = "date") -> np.ndarray:
        """The VWAP on each of ``days``, which must be trading days inside the data."""
        return self.value_on(days, what=what, column="vwap")

    def value_on(self, days: np.ndarray | Any, *, what: str = "date", column: str = "vwap") -> np.ndarray:
        """The value of ``column`` on each of ``days`` (trading days inside the data)."""
        values = self._column(column)
        ref = as_days(days)
        self.calendar.check_span(ref, what)
        idx = np.asarray(self.calendar.count_before(ref), dtype=np.int64)
        closed = ~self.calendar.sessions_mask(ref)
        if closed.any():
            raise MarketDataError(
                f"{what} {day_text(ref[np.argmax(closed)])}: not a trading day; use a day the "
                f"{self.calendar.name} market was open"
            )
        pos = idx - self.start
        outside = (pos < 0) | (pos >= len(values))
        if outside.any():
            k = int(np.argmax(outside))
            raise MarketDataError(
                f"{what} {day_text(ref[k])} is outside the data ({day_text(self.dates[0])} to "
                f"{day_text(self.dates[-1])}); add {self._label(column)}s that cover it"
            )
        out = values[pos]
        if np.isnan(out).any():
            k = int(np.argmax(np.isnan(out)))
            raise MarketDataError(
                f"{self._label(column)} missing for {day_text(ref[k])} ({what}); add it to the data"
            )
        return out

    def adjusted_for_split(self, effective: Any, ratio: float) -> MarketData:
        """The data with per-share values before ``effective`` restated for a split.

        ``ratio`` is new shares per old share (a 1-for-200 reverse split is 1/200): VWAPs before
        the effective date are divided by it. Dollar volume and market cap do not change.
        """
        if not ratio > 0:
            raise MarketDataError(f"split ratio {ratio}: must be positive")
        cut = int(np.searchsorted(self.dates, as_day(effective)))
        vwap = self.vwap.copy()
        vwap[:cut] = vwap[:cut] / ratio
        close = None
        if self.close is not None:
            close = self.close.copy()
            close[:cut] = close[:cut] / ratio
        return MarketData(
            calendar=self.calendar,
            start=self.start,
            dates=self.dates,
            vwap=vwap,
            dollar_volume=self.dollar_volume,
            market_cap=self.market_cap,
            close=close,
            price_name=self.price_name,
        )

    def priced_by(self, source: str) -> MarketData:
        """The data a deal's windows read (term ``conversion.price_source``): itself for
        ``vwap``; for ``close`` the closing prices in the place of the VWAPs (messages then say
        "closing price"). Without a Close column ``close`` is refused, naming what to add.

        Examples
        --------
        >>> m = MarketData.from_arrays(["2022-12-12", "2022-12-13"], [3.15, 3.09], close=[3.20, 3.00])
        >>> float(m.priced_by("close").vwap_on("2022-12-13")[0])
        3.0
        """
        if source == "vwap":
            return self
        if source != "close":
            raise MarketDataError(f"price source {source!r}: use vwap or close")
        if self.close is None:
            raise MarketDataError("the deal prices on closing prices (conversion.price_source = close): "
                                  "add a Close column to the market data")
        if self.price_name == "closing price":
            return self
        return MarketData(calendar=self.calendar, start=self.start, dates=self.dates, vwap=self.close,
                          dollar_volume=self.dollar_volume, market_cap=self.market_cap, close=self.close,
                          price_name="closing price")

    def to_frame(self) -> pd.DataFrame:
        """The data as a DataFrame with columns Date, VWAP, Dollar Volume, Market Cap."""
        import pandas as pd

        data: dict[str, Any] = {"Date": self.dates.astype("datetime64[ns]"), "VWAP": self.vwap}
        if self.dollar_volume is not None:
            data["Dollar Volume"] = self.dollar_volume
        if self.market_cap is not None:
            data["Market Cap"] = self.market_cap
        if self.close is not None:
            data["Close"] = self.close
        return pd.DataFrame(data)

    def _label(self, column: str) -> str:
        return self.price_name if column == "vwap" else _label(column)

    def _column(self, column: str) -> np.ndarray:
        values = getattr(self, column, None)
        if values is None:
            raise MarketDataError(f"no {self._label(column)} data; add a {self._label(column)} column")
        return values


def lowest_average(windows: np.ndarray, lowest: int) -> np.ndarray:
    """Mean of the ``lowest`` smallest values of each row of ``windows`` (shape (m, n)); NaN
    where a row holds a NaN."""
    windows = np.asarray(windows, dtype=float)
    m, n = windows.shape
    if m == 1:  # one window: plain Python sorts ten floats faster than numpy's dispatch
        row = windows[0].tolist()
        return np.array([sum(sorted(row)[:lowest]) / min(lowest, n)])
    if lowest >= n:
        return windows.mean(axis=1)
    part = np.partition(windows, lowest - 1, axis=1)[:, :lowest].mean(axis=1)
    part[np.isnan(windows).any(axis=1)] = np.nan  # partition may move a NaN out of the head
    return part


def _label(column: str) -> str:
    return {"vwap": "VWAP", "dollar_volume": "dollar volume", "market_cap": "market cap",
            "close": "closing price"}[column]


class _RowNames(Sequence[str]):
    """``row 1``, ``row 2`` ... made on demand (they appear only in error messages)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [f"row {k + 1}" for k in range(*i.indices(self.n))]
        return f"row {i + 1}"


def _parse_dates(dates: Sequence[Any] | np.ndarray, names: Sequence[str]) -> np.ndarray:
    if isinstance(dates, np.ndarray) and np.issubdtype(dates.dtype, np.datetime64):
        days = dates.astype("datetime64[D]")
        if np.isnat(days).any():
            i = int(np.argmax(np.isnat(days)))
            raise MarketDataError(f"{names[i]}: date missing; fill in the date or delete the row")
        return days
    kinds = set(map(type, dates))
    if kinds and kinds <= {dt.date, dt.datetime}:  # the common case, in one pass
        return as_days(dates)
    out = np.empty(len(dates), dtype="datetime64[D]")
    for i, value in enumerate(dates):
        if value is None or (isinstance(value, float) and math.isnan(value)) or (
            isinstance(value, str) and not value.strip()
        ):
            raise MarketDataError(f"{names[i]}: date missing; fill in the date or delete the row")
        out[i] = as_day(read_date(value, f"{names[i]}: date", error=MarketDataError))
    return out


def _numbers(
    values: Sequence[Any] | np.ndarray,
    what: str,
    days: np.ndarray,
    names: Sequence[str],
    *,
    allow_blank: bool,
    decimal_comma: bool = False,
) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype.kind in "fi":
        out = values.astype(float)
    elif set(map(type, values)) <= {float, int}:
        out = np.array(values, dtype=float)
    else:
        out = np.empty(len(values))
        for i, v in enumerate(values):
            if v is None or (isinstance(v, str) and not v.strip()):
                if not allow_blank:
                    raise MarketDataError(f"{names[i]} ({day_text(days[i])}): {what} missing")
                out[i] = np.nan
            elif type(v) is float and math.isnan(v):
                out[i] = np.nan  # an empty cell as a DataFrame or pycel holds it
            else:
                out[i] = read_number(
                    v, f"{names[i]} ({day_text(days[i])}): {what}", error=MarketDataError,
                    decimal_comma=decimal_comma,
                )
    big = ~(np.abs(out) <= _MAX_VALUE) & ~np.isnan(out)
    if big.any():
        i = int(np.argmax(big))
        raise MarketDataError(
            f"{names[i]} ({day_text(days[i])}): {what} {out[i]:g} is not a finite number "
            f"of at most {_MAX_VALUE:g}; correct it or leave the cell blank"
        )
    return out


def _check_positive(values: np.ndarray, days: np.ndarray, names: Sequence[str], what: str = "VWAP") -> None:
    bad = values <= 0
    if bad.any():
        i = int(np.argmax(bad))
        raise MarketDataError(
            f"{names[i]} ({day_text(days[i])}): {what} {values[i]:g} is not a price; a {what} must be "
            "positive (USD per share) — correct it or leave the cell blank"
        )


def _check_non_negative(values: np.ndarray, what: str, days: np.ndarray, names: Sequence[str]) -> None:
    bad = values < 0
    if bad.any():
        i = int(np.argmax(bad))
        raise MarketDataError(f"{names[i]} ({day_text(days[i])}): {what} {values[i]:g} is negative")


def _check_duplicates(days: np.ndarray, names: Sequence[str]) -> None:
    uniq, first_idx, counts = np.unique(days, return_index=True, return_counts=True)
    if (counts > 1).any():
        d = uniq[np.argmax(counts > 1)]
        rows = [names[int(i)] for i in np.flatnonzero(days == d)]
        raise MarketDataError(
            f"{day_text(d)} appears {len(rows)} times ({', '.join(rows)}); keep one row per trading day"
        )
