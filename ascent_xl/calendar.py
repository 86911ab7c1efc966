"""Trading days from a real exchange calendar (``exchange_calendars``), as a numpy array.

A *trading day* (session) is a day the exchange is open. Look-back windows count sessions strictly
before a reference date. The calendar is built once per process and name and then answered from
day-indexed tables.

The sessions of the usual exchanges (:data:`CACHED_CALENDARS`) ship as session tables in
``ascent_xl/data/calendars/NAME.txt`` (every weekday of the span except the days listed closed),
written from ``exchange_calendars`` by :func:`write_session_table`: reading one takes about a
millisecond, where importing the library and pandas and building the calendar take 0.4 s or more.
A table that does not cover the span (``CALENDAR_START`` to ``CALENDAR_END``), and any other
exchange, is built from the library. ``tests/market/test_calendar_cache.py`` checks each table
against the installed library; ``python -m ascent_xl.calendar`` writes them again.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import reprlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ascent_xl.errors import AscentError, InputError, MarketDataError, TermsError

CALENDAR_START = "2000-01-01"
CALENDAR_END = "2040-12-31"

DateLike = dt.date | np.datetime64 | str
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


class DateFormatError(InputError):
    """A value that is not a date in the one format every reader takes (see
    :func:`parse_date`); the message starts with the value and says what to write instead."""

    def __init__(self, value: object, problem: str) -> None:
        self.value = value
        self.problem = problem
        shown = repr(value) if isinstance(value, str) else reprlib.repr(value)
        if isinstance(value, (float, np.floating)):
            shown = f"{value:g}"
        super().__init__(f"{shown if len(shown) <= 40 else shown[:37] + '...'} {problem}")


# Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the 29 February 1900 that
# Lotus 1-2-3 invented; from serial 61 (1900-03-01) on, day = 1899-12-30 + serial.
SERIAL_EPOCH = np.datetime64("1899-12-30", "D")
FAKE_LEAP_DAY = 60
LAST_SERIAL = 2958465  # 9999-12-31
_SERIAL_EPOCH_ORDINAL = dt.date(1899, 12, 30).toordinal()
_ISO = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)?",
    re.ASCII,
)
_SERIAL_TEXT = re.compile(r"[0-9]{5,7}(?:\.[0-9]+)?", re.ASCII)
_WRITE = "write it as YYYY-MM-DD"


def parse_date(value: Any) -> dt.date:
    """A date from a file or a cell, in the one set every reader takes, or a
    :class:`DateFormatError` saying what to write instead.

    Taken: a ``date``, a ``datetime`` or pandas ``Timestamp`` (an Excel date cell; the time of
    day is dropped), a ``numpy.datetime64``, ISO text ``YYYY-MM-DD`` (optionally followed by a
    time, ``2023-01-10 00:00:00``), or an Excel serial number in the 1900 date system, as a
    number or as text of 5 to 7 digits (``44914`` is 2022-12-19; a fraction is a time of day).
    Refused: partial dates (``2022-12``), trailing text (``2023-01-10xyz``, ``2023-01-100``),
    impossible days, four-digit numbers (a year, not a date), booleans, NaN.

    Examples
    --------
    >>> parse_date("2022-12-19"), parse_date(44914), parse_date("44914")
    (datetime.date(2022, 12, 19), datetime.date(2022, 12, 19), datetime.date(2022, 12, 19))
    """
    if isinstance(value, dt.datetime):
        if value != value:  # pandas NaT
            raise DateFormatError(value, f"is not a date; {_WRITE}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise DateFormatError(value, f"is not a date; {_WRITE}")
        return value.astype("datetime64[D]").item()
    if isinstance(value, (bool, np.bool_)):
        raise DateFormatError(value, f"is TRUE/FALSE, not a date; {_WRITE}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return serial_date(value)
    if not isinstance(value, str):
        raise DateFormatError(value, f"is not a date; {_WRITE}")
    text = value.strip()
    m = _ISO.fullmatch(text)
    if m is not None:
        try:
            return dt.date.fromisoformat(m["date"])
        except ValueError:
            raise DateFormatError(value, f"is not a day of the calendar; {_WRITE}") from None
    if _SERIAL_TEXT.fullmatch(text):
        return serial_date(float(text), shown=value)
    if re.fullmatch(r"[0-9]{4}", text, re.ASCII):
        raise DateFormatError(value, f"is a year, not a date; {_WRITE}")
    head = _ISO.match(text)
    if head is not None and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", head[0], re.ASCII):
        raise DateFormatError(
            value, f"has {text[len(head[0]):]!r} after the date; {_WRITE} and nothing else"
        )
    if re.fullmatch(r"[0-9]{4}-[0-9]{1,2}", text, re.ASCII):
        raise DateFormatError(value, f"has no day; {_WRITE} ({text[:4]}-{int(text[5:]):02d}-01?)")
    raise DateFormatError(value, f"is not a date; {_WRITE} (or use an Excel date)")


def serial_date(serial: Any, *, shown: Any = None) -> dt.date:
    """The day of an Excel serial number (1900 date system; a fraction is a time of day)."""
    shown = serial if shown is None else shown
    x = float(serial)
    whole = math.floor(x) if math.isfinite(x) else 0
    if whole == FAKE_LEAP_DAY:
        raise DateFormatError(shown, "is 1900-02-29, a day Excel counts but that never was")
    if not 1 <= whole <= LAST_SERIAL:
        raise DateFormatError(
            shown, f"is not a date (Excel dates are serial numbers from 1 = 1900-01-01); {_WRITE}"
        )
    return dt.date.fromordinal(_SERIAL_EPOCH_ORDINAL + whole + (whole < FAKE_LEAP_DAY))


def serials_to_days(serials: np.ndarray) -> np.ndarray:
    """Excel serial numbers as ``datetime64[D]`` in one pass (the rule of :func:`serial_date`);
    a :class:`DateFormatError` with ``.index`` set for the first serial that is not a date."""
    whole = np.floor(serials)
    bad = ~np.isfinite(serials) | (whole < 1) | (whole > LAST_SERIAL) | (whole == FAKE_LEAP_DAY)
    if bad.any():
        i = int(np.argmax(bad))
        try:
            serial_date(serials[i].item())
        except DateFormatError as exc:
            exc.index = i  # type: ignore[attr-defined]
            raise
    offset = whole.astype(np.int64)
    offset[offset < FAKE_LEAP_DAY] += 1
    return SERIAL_EPOCH + offset


def read_date(value: Any, where: str, *, error: type[AscentError] = InputError) -> dt.date:
    """:func:`parse_date`, or ``error`` naming ``where`` (``events.csv line 4: Date``) then the
    value and what to write instead."""
    try:
        return parse_date(value)
    except DateFormatError as exc:
        raise error(f"{where} {exc}") from None


def as_day(value: Any) -> np.datetime64:
    """A date as ``numpy.datetime64[D]``: any value :func:`parse_date` takes."""
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]")
    try:
        day = parse_date(value)
    except DateFormatError as exc:
        raise MarketDataError(str(exc)) from None
    return np.datetime64(day.toordinal() - _EPOCH_ORDINAL, "D")


def as_days(values: Iterable[Any] | np.ndarray | Any) -> np.ndarray:
    """One or many dates as a 1-D ``datetime64[D]`` array (see :func:`as_day`)."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return np.atleast_1d(values.astype("datetime64[D]"))
    if isinstance(values, (str, dt.date, np.datetime64)) or not hasattr(values, "__iter__"):
        return np.array([as_day(values)])
    values = list(values)
    kinds = set(map(type, values))
    if kinds and kinds <= {dt.date, dt.datetime}:  # the common case, in one pass
        return days_of_dates(values)
    return np.array([as_day(v) for v in values], dtype="datetime64[D]")


def days_of_dates(values: Iterable[dt.date], count: int = -1) -> np.ndarray:
    """``date`` / ``datetime`` objects as a ``datetime64[D]`` array, in one pass (a time of day
    is dropped); anything else raises TypeError. ``count`` is the number of values when
    ``values`` has no length."""
    n = len(values) if isinstance(values, Sequence) else count
    ordinals = np.fromiter(map(dt.date.toordinal, values), dtype=np.int64, count=n)
    return (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")


def day_text(day: np.datetime64 | dt.date) -> str:
    """ISO text of a day, for messages."""
    return str(np.datetime64(day, "D"))  # type: ignore[call-overload]


class TradingCalendar:
    """The sessions of one exchange between ``CALENDAR_START`` and ``CALENDAR_END``."""

    def __init__(self, name: str, sessions: np.ndarray) -> None:
        self.name = name
        self.sessions = sessions.astype("datetime64[D]")
        self.first = self.sessions[0]
        self.last = self.sessions[-1]
        self._span = (int(self.first.astype("int64")), int(self.last.astype("int64")))
        # Day-indexed lookup tables: for every calendar day in the span, the number of sessions
        # before it and whether it is a session. O(1) per date instead of a binary search.
        all_days = np.arange(self.first, self.last + np.timedelta64(1, "D"))
        self._before = np.searchsorted(self.sessions, all_days, side="left")
        self._open = np.zeros(len(all_days), dtype=bool)
        self._open[(self.sessions - self.first).astype("int64")] = True
        # The same tables as Python lists, for one-date-at-a-time callers such as the ledger.
        self._ordinal0 = self.first.item().toordinal()
        self._before_list: list[int] = self._before.tolist()
        self._open_list: list[bool] = self._open.tolist()

    def __repr__(self) -> str:
        return f"TradingCalendar({self.name!r}, {day_text(self.first)}..{day_text(self.last)})"

    def check_range(self, day: np.datetime64, what: str = "date") -> None:
        """Raise if ``day`` lies outside the calendar's span."""
        if day < self.first or day > self.last:
            raise MarketDataError(
                f"{what} {day_text(day)} is outside the {self.name} calendar "
                f"({day_text(self.first)} to {day_text(self.last)})"
            )

    def date_index(self, day: dt.date) -> tuple[int, bool] | None:
        """(sessions before ``day``, whether ``day`` is a session) for a :class:`datetime.date`
        inside the calendar's span, else None. The fast path for one date at a time."""
        off = day.toordinal() - self._ordinal0
        if 0 <= off < len(self._before_list):
            return self._before_list[off], self._open_list[off]
        return None

    def check_span(self, days: np.ndarray, what: str = "date") -> None:
        """Raise if any of ``days`` (a ``datetime64[D]`` array) lies outside the calendar."""
        v = days.view("int64")
        lo, hi = (int(v[0]), int(v[0])) if v.size == 1 else (int(v.min()), int(v.max()))
        if lo < self._span[0] or hi > self._span[1]:
            self.check_range(days.min(), what)
            self.check_range(days.max(), what)

    def is_session(self, day: DateLike) -> bool:
        """True when the exchange is open on ``day``."""
        d = as_day(day)
        i = int(np.searchsorted(self.sessions, d))
        return bool(i < len(self.sessions) and self.sessions[i] == d)

    def _offsets(self, days: np.ndarray | np.datetime64) -> tuple[np.ndarray, np.ndarray]:
        """Offsets of ``days`` from the first session, clipped into the tables, and which were
        inside the span."""
        off = np.asarray(days, dtype="datetime64[D]").view("int64") - self._span[0]
        inside = (off >= 0) & (off < len(self._open))
        return np.clip(off, 0, len(self._open) - 1), inside

    def _offset_one(self, days: np.ndarray | np.datetime64) -> int | None:
        """Offset of a single day from the first session (None when ``days`` is not one day)."""
        arr = np.asarray(days, dtype="datetime64[D]")
        if arr.size != 1:
            return None
        return int(arr.reshape(-1).view("int64")[0]) - self._span[0]

    def sessions_mask(self, days: np.ndarray) -> np.ndarray:
        """Boolean array: which of ``days`` are sessions."""
        one = self._offset_one(days)
        if one is not None:
            is_open = 0 <= one < len(self._open) and bool(self._open[one])
            return np.full(np.shape(days), is_open)
        off, inside = self._offsets(days)
        return self._open[off] & inside

    def count_before(self, days: np.ndarray | np.datetime64) -> np.ndarray | int:
        """Number of sessions strictly before each day (the index of the day's session)."""
        one = self._offset_one(days)
        if one is not None:
            if 0 <= one < len(self._before):
                n = int(self._before[one])
            else:
                n = 0 if one < 0 else len(self.sessions)
            return np.full(np.shape(days), n) if np.ndim(days) else n
        off, inside = self._offsets(days)
        out = np.where(inside, self._before[off], np.where(off <= 0, 0, len(self.sessions)))
        return int(out) if np.ndim(out) == 0 else out

    def sessions_before(self, day: DateLike, n: int) -> np.ndarray:
        """The ``n`` sessions strictly before ``day``, oldest first."""
        d = as_day(day)
        self.check_range(d)
        i = int(np.searchsorted(self.sessions, d))
        if i < n:
            raise MarketDataError(f"fewer than {n} {self.name} trading days before {day_text(d)}")
        return self.sessions[i - n : i]

    def sessions_between(self, start: DateLike, end: DateLike) -> np.ndarray:
        """Sessions from ``start`` to ``end``, both included."""
        a, b = as_day(start), as_day(end)
        i = np.searchsorted(self.sessions, a, side="left")
        j = np.searchsorted(self.sessions, b, side="right")
        return self.sessions[i:j]

    def on_or_after(self, day: DateLike) -> np.datetime64:
        """The first session on or after ``day``."""
        d = as_day(day)
        self.check_range(d)
        return self.sessions[int(np.searchsorted(self.sessions, d, side="left"))]

    def on_or_before(self, day: DateLike) -> np.datetime64:
        """The last session on or before ``day``."""
        d = as_day(day)
        self.check_range(d)
        return self.sessions[int(np.searchsorted(self.sessions, d, side="right")) - 1]

    def offset(self, day: DateLike, n: int) -> np.datetime64:
        """The session ``n`` sessions after ``day``'s session (``day`` rolled forward first)."""
        d = self.on_or_after(day)
        i = int(np.searchsorted(self.sessions, d)) + n
        if not 0 <= i < len(self.sessions):
            raise MarketDataError(f"{n} trading days from {day_text(d)} is outside the calendar")
        return self.sessions[i]


CACHED_CALENDARS = ("XNAS", "XNYS")
"""Exchanges whose sessions ship as a table (see the module's doc)."""

_TABLES = Path(__file__).with_name("data") / "calendars"


@functools.lru_cache(maxsize=8)
def trading_calendar(name: str = "XNAS") -> TradingCalendar:
    """The exchange calendar ``name`` (an ``exchange_calendars`` code such as ``XNAS``).

    Built once per process, from the shipped session table when there is one covering the
    span, else from ``exchange_calendars``. An unknown name raises a :class:`TermsError` on
    ``calendar``.

    Examples
    --------
    >>> cal = trading_calendar("XNAS")
    >>> cal.is_session("2022-12-26"), cal.is_session("2022-12-27")
    (False, True)
    """
    key = name.strip().upper()
    sessions = cached_sessions(key)
    if sessions is None:
        sessions = library_sessions(name)
    return TradingCalendar(key, sessions)


def cached_sessions(name: str, folder: Path | None = None) -> np.ndarray | None:
    """The sessions of the shipped table ``NAME.txt`` as ``datetime64[D]``, or None when there
    is no table or it does not cover ``CALENDAR_START`` to ``CALENDAR_END``."""
    path = (folder or _TABLES) / f"{name}.txt"
    try:
        text = path.read_text(encoding="ascii")
    except OSError:
        return None
    fields: dict[str, list[str]] = {"first": [], "last": [], "covers": [], "closed": [], "open": []}
    for line in text.splitlines():
        word, _, rest = line.partition(" ")
        if word in fields:
            fields[word].append(rest.strip())
    try:
        first, last = np.datetime64(fields["first"][0], "D"), np.datetime64(fields["last"][0], "D")
        covers = [np.datetime64(d, "D") for d in fields["covers"][0].split()]
        closed = np.array(fields["closed"], dtype="datetime64[D]")
        extra = np.array(fields["open"], dtype="datetime64[D]")
    except (IndexError, ValueError):
        return None
    if len(covers) != 2 or covers[0] > np.datetime64(CALENDAR_START) or covers[1] < np.datetime64(CALENDAR_END):
        return None  # out of range: the library builds it
    days = np.arange(first, last + np.timedelta64(1, "D"))
    weekdays = days[(days.view("int64") + 3) % 7 < 5]  # 1970-01-01 was a Thursday
    return np.union1d(np.setdiff1d(weekdays, closed, assume_unique=True), extra)


def library_sessions(name: str) -> np.ndarray:
    """The sessions of ``name`` from ``exchange_calendars`` over the span (``datetime64[D]``)."""
    import warnings

    import exchange_calendars as xcals
    from exchange_calendars.errors import InvalidCalendarName

    key = name.strip().upper()
    try:
        with warnings.catch_warnings():
            # exchange_calendars still uses pandas APIs that pandas 3 deprecates; not ours to fix.
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            cal = xcals.get_calendar(key, start=CALENDAR_START, end=CALENDAR_END)
    except InvalidCalendarName:
        known = ", ".join(n for n in ("XNAS", "XNYS", "XASE", "XTSE", "XLON") if n != key)
        raise TermsError("calendar", f"{name!r} is not an exchange calendar; try {known}") from None
    return np.asarray(cal.sessions.values.astype("datetime64[D]"))


def write_session_table(name: str, folder: Path | None = None) -> Path:
    """Write ``NAME.txt``, the session table of ``name`` from ``exchange_calendars``."""
    import exchange_calendars as xcals

    sessions = library_sessions(name)
    days = np.arange(sessions[0], sessions[-1] + np.timedelta64(1, "D"))
    weekdays = days[(days.view("int64") + 3) % 7 < 5]
    closed = np.setdiff1d(weekdays, sessions)
    extra = np.setdiff1d(sessions, weekdays)
    lines = [
        f"# {name} sessions from exchange_calendars {xcals.__version__}: every weekday from 'first' to",
        "# 'last' except the days listed 'closed', and the weekend days listed 'open'. Written by",
        "# python -m ascent_xl.calendar; tests/market/test_calendar_cache.py checks it against the library.",
        f"covers {CALENDAR_START} {CALENDAR_END}",
        f"first {day_text(sessions[0])}",
        f"last {day_text(sessions[-1])}",
        *(f"closed {day_text(d)}" for d in closed),
        *(f"open {day_text(d)}" for d in extra),
    ]
    path = (folder or _TABLES) / f"{name.strip().upper()}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


if __name__ == "__main__":
    for exchange in CACHED_CALENDARS:
        print(f"wrote {write_session_table(exchange)}")
