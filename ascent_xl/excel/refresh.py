"""Refresh a deal book: read its inputs (Inputs, VWAP, Events), run the engine, write its outputs
(Schedule, Summary values, the price history behind the chart, Checks, the refresh stamp).

The same code serves Excel (through xlwings) and headless runs (through openpyxl): it talks to a
:class:`~ascent_xl.excel.book.BookIO`. It writes output areas only (see
:mod:`ascent_xl.excel.layout`). When an input is bad it writes nothing but the status cell,
which lists every problem found with its sheet and cell, and the last good results stay.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ascent_xl import __version__
from ascent_xl.errors import (
    AscentError,
    TermsError,
    UnmodelledError,
    UnmodelledStateError,
    WorkbookError,
)
from ascent_xl.events import Event, parse_events
from ascent_xl.excel import layout as L
from ascent_xl.excel.book import BookIO, TableRead, parse_ref
from ascent_xl.excel.cells import is_blank, to_day, to_number, to_whole
from ascent_xl.excel.formats import (
    COUNT,
    PERCENT,
    PRICE,
    SCHEDULE_FORMATS,
    SHARES,
    SHOWN_UNITS,
    USD,
    page_rows,
    table_page_breaks,
    text_lines,
)
from ascent_xl.excel.formats import DATE as DATE_FORMAT
from ascent_xl.fees import deal_placement_fee, offering_proceeds
from ascent_xl.ledger import SCHEDULE_COLUMNS, Schedule, run_ledger
from ascent_xl.ledger.history import price_history
from ascent_xl.market import MarketData
from ascent_xl.terms import DealTerms, check_term
from ascent_xl.terms_io import read_terms as read_terms_values
from ascent_xl.valuation.model import ModelParams
from ascent_xl.valuation.presets import (
    DEMO_BEHAVIOUR,
    DEMO_MODEL,
    DEMO_PATHS,
    MAX_PATHS_PER_CELL,
    PATHS_PER_CELL_LIMIT,
)

MAX_LISTED = 8  # problems listed in the status cell; the rest are counted


@dataclass
class BookInputs:
    """Everything the engine needs, read from the book, and a fingerprint of it."""

    terms: DealTerms
    market: MarketData
    events: list[Event]
    fingerprint: str
    valuation: ValuationSettings | None = None  # None: the book has no valuation inputs
    ranges: BookRanges | None = None  # the cells the book's ASCENT_* array formulas read


@dataclass(frozen=True)
class BookRanges:
    """The cells the book's ``ASCENT_*`` array formulas read, as Excel hands them over: the
    Events table with its header, the VWAP dates and the VWAP, Dollar Volume and Market Cap
    columns (:func:`_market_columns`), the Terms' Term and Value columns,
    and the inputs of the Position, Conversions and Notice sheets (those the book has)."""

    events: list[list[Any]]
    dates: list[list[Any]]
    vwaps: list[list[Any]]
    terms: list[list[Any]]
    position: bool = False  # the book has a Position sheet
    as_of: Any = None
    notices: list[list[Any]] | None = None  # Conversions rows: Notice Date, Amount, Note
    notice: tuple[Any, ...] | None = None  # the Notice sheet's date, amount, note
    close: bool = False  # the VWAP table has a Close column: the formulas read VWAP[[VWAP]:[Close]]


@dataclass(frozen=True)
class ValuationSettings:
    """The Valuation sheet's inputs: the market model and the simulation's size and seed."""

    model: ModelParams
    paths: int
    seed: int
    given: tuple[str, ...] = ()  # the settings the sheet gives (the others: the demo's or the data's)
    cells: tuple[tuple[str, str], ...] = ()  # (setting, its Value cell "Valuation!B8"), for messages

    def cell(self, name: str) -> str:
        """The Value cell of the setting ``name`` (``Valuation!B8``), or the sheet's name."""
        return dict(self.cells).get(name, L.VALUATION)


@dataclass
class RefreshResult:
    """Outcome of a refresh: ``ok``, the problems found, and the engine's results when ok."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    schedule: Schedule | None = None
    inputs: BookInputs | None = None
    status: str = ""
    module: Path | None = None  # the Refresh button's NAME.py written beside a new copy (--out)
    written: bool = True  # False: the book already held these results and was left as it is
    not_valued: str | None = None  # why the Valuation sheet says "Not valued" (None: it is valued)


# ---------------------------------------------------------------------------------------------
# reading


def read_inputs(book: BookIO) -> BookInputs:
    """Read and check the book's inputs; a :class:`WorkbookError` lists every problem found,
    each naming its sheet and cell."""
    problems: list[str] = []
    terms = _collect(problems, lambda: read_terms(book))
    market = _collect(problems, lambda: read_market(book, terms.calendar if terms else "XNAS"))
    events = _collect(problems, lambda: read_events(book))
    valuation = _collect(problems, lambda: read_valuation(book, market)) if L.VALUATION in book.sheet_names() else None
    missing = closes_missing(terms, market, book=True) if terms is not None and market is not None else None
    if missing:  # the term's cell looked up only then
        problems.append(f"{_term_address(book, 'conversion.price_source')}: {missing}")
    if problems:
        raise WorkbookError(_summarise(problems))
    assert terms is not None and market is not None and events is not None
    return BookInputs(terms, market, events, _fingerprint(terms, market, events, valuation), valuation,
                      read_ranges(book))


def read_ranges(book: BookIO) -> BookRanges:
    """The ranges the book's array formulas read (see :class:`BookRanges`)."""

    def columns(table: TableRead, names: tuple[str, ...]) -> list[list[Any]]:
        index = [table.header.index(n) for n in names]
        return [[row[i] for i in index] for row in [table.header, *table.rows]]

    events = book.read_table(L.EVENTS, L.EVENTS_TABLE)
    vwap = book.read_table(L.VWAP, L.VWAP_TABLE)
    terms = book.read_table(L.INPUTS, L.TERMS_TABLE)
    sheets = book.sheet_names()
    notices = None
    if L.CONVERSIONS in sheets:
        table = book.read_table(L.CONVERSIONS, L.CONVERSIONS_TABLE)
        _check_header(table, L.CONVERSION_INPUTS)
        notices = columns(table, L.CONVERSION_INPUTS)[1:]
    market = _market_columns(vwap.header)
    return BookRanges(
        events=[list(table_row) for table_row in [events.header, *events.rows]],
        dates=[[r[0]] for r in columns(vwap, ("Date",))[1:]],
        vwaps=columns(vwap, market)[1:],
        terms=columns(terms, ("Term", "Value")),
        position=L.POSITION in sheets,
        as_of=book.read_cell(*L.POSITION_AS_OF) if L.POSITION in sheets else None,
        notices=notices,
        notice=tuple(book.read_cell(L.NOTICE, c) for _, c in L.NOTICE_INPUTS) if L.NOTICE in sheets else None,
        close=L.CLOSE_COLUMN in market,
    )


def _market_columns(header: list[str]) -> tuple[str, ...]:
    """The VWAP table's columns the book's functions read, as ``VWAP[[VWAP]:[Market Cap]]``
    hands them over: VWAP, Dollar Volume and Market Cap when the table has the three (the
    template's), and Close after them when it has that too (``VWAP[[VWAP]:[Close]]``), else the
    VWAP alone (a Market Cap column alone is not taken for volumes)."""
    market = L.VWAP_COLUMNS[1:]
    if not all(c in header for c in market):
        return market[:1]
    return (*market, L.CLOSE_COLUMN) if L.CLOSE_COLUMN in header else market


def _collect(problems: list[str], read: Any) -> Any:
    try:
        return read()
    except _Problems as exc:
        problems.extend(exc.items)
    except AscentError as exc:
        problems.append(str(exc))
    return None


class _Problems(Exception):
    def __init__(self, items: list[str]) -> None:
        super().__init__("; ".join(items))
        self.items = items


def _check_header(table: TableRead, expected: tuple[str, ...]) -> None:
    missing = [c for c in expected if c not in table.header]
    if missing:
        raise WorkbookError(
            f"{table.sheet}: table {table.name} has no column {', '.join(missing)} "
            f"(columns: {', '.join(table.header)}); restore the header {', '.join(expected)}"
        )


def read_terms(book: BookIO) -> DealTerms:
    """The deal terms from the Inputs sheet's ``Terms`` table (Term and Value columns)."""
    table = book.read_table(L.INPUTS, L.TERMS_TABLE)
    _check_header(table, ("Term", "Value"))
    flat: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for i, row in enumerate(table.rows):
        name = row[table.header.index("Term")]
        if is_blank(name):
            continue
        name = str(name).strip()
        if name in flat:
            raise WorkbookError(f"{table.address(i, 'Term')}: term {name} appears twice; keep one row")
        flat[name] = row[table.header.index("Value")]
        cells[name] = table.address(i, "Value")
    try:
        terms = read_terms_values({k: None if is_blank(v) else v for k, v in flat.items()})
    except TermsError as exc:
        where = _term_cell(exc.field, cells)
        raise WorkbookError(f"{where}: {exc}" if where else f"{L.INPUTS}: {exc}") from None
    return terms


def closes_missing(terms: DealTerms, market: MarketData | None, *, book: bool) -> str | None:
    """What to write when a deal priced on closing prices (``conversion.price_source = close``)
    comes without them (the caller names the place before it): in a book (``book``), a Close
    column in the VWAP table; else a Close column in the VWAP file. None when nothing is missing."""
    if terms.conversion.price_source != "close" or (market is not None and market.close is not None):
        return None
    add = (f"add a {L.CLOSE_COLUMN} column to the VWAP table, after Market Cap, with each day's closing price"
           if book else f"give --vwaps FILE with a {L.CLOSE_COLUMN} column, each day's closing price "
           f"(Date,VWAP,Dollar Volume,Market Cap,{L.CLOSE_COLUMN})")
    return f"conversion.price_source = close: this deal's windows read closing prices; {add}"


def _term_address(book: BookIO, name: str) -> str:
    """The Value cell of the term ``name`` in the Inputs' Terms table (the sheet if it has none)."""
    table = book.read_table(L.INPUTS, L.TERMS_TABLE)
    column = table.header.index("Term")
    found = [i for i, row in enumerate(table.rows) if str(row[column]).strip() == name]
    return table.address(found[0], "Value") if found else L.INPUTS


def _term_cell(field_name: str, cells: dict[str, str]) -> str | None:
    if field_name in cells:
        return cells[field_name]
    # A field naming a group (``notes.Private``) points at the group's first row.
    matches = [c for name, c in cells.items() if name.startswith(field_name + ".")]
    return matches[0] if matches else None


def read_market(book: BookIO, calendar: str) -> MarketData:
    """The VWAP table (Date, VWAP, Dollar Volume, Market Cap) as market data; errors name cells."""
    table = book.read_table(L.VWAP, L.VWAP_TABLE)
    _check_header(table, ("Date", "VWAP"))
    rows = _trim(table.rows)
    problems: list[str] = []
    dates: list[Any] = []
    columns: dict[str, list[float | None]] = {c: [] for c in L.vwap_columns(close=True)[1:] if c in table.header}
    labels = []
    for i, row in enumerate(rows):
        get = dict(zip(table.header, row, strict=False))
        if all(is_blank(v) for v in row):
            continue
        try:
            dates.append(to_day(get["Date"], table.address(i, "Date")).item())
        except AscentError as exc:
            problems.append(str(exc))
            continue
        labels.append(table.address(i, "Date"))
        for col in columns:
            value = get.get(col)
            if is_blank(value):
                columns[col].append(None)
                continue
            try:
                x = to_number(value, table.address(i, col))
            except AscentError as exc:
                problems.append(f"{exc}; type a number or leave the cell blank")
                columns[col].append(None)
                continue
            if (col in ("VWAP", L.CLOSE_COLUMN) and x <= 0) or x < 0:
                problems.append(f"{table.address(i, col)}: {col} {x:g} must be a positive number")
            columns[col].append(x)
        if len(problems) > MAX_LISTED:
            break
    if problems:
        raise _Problems(problems)
    return MarketData.from_arrays(
        dates,
        columns["VWAP"],
        dollar_volume=columns.get("Dollar Volume"),
        market_cap=columns.get("Market Cap"),
        close=columns.get(L.CLOSE_COLUMN),
        calendar=calendar,
        labels=labels,
    )


def read_events(book: BookIO) -> list[Event]:
    """The Events table as events; a bad row is named by its cell."""
    table = book.read_table(L.EVENTS, L.EVENTS_TABLE)
    _check_header(table, ("Date", "Event"))
    rows = _trim(table.rows)
    records, labels, cells = [], [], []
    for i, row in enumerate(rows):
        records.append({c: row[table.header.index(c)] if c in table.header else None for c in L.EVENTS_COLUMNS})
        labels.append(table.address(i, "Date"))
        cells.append({c: table.address(i, c) for c in L.EVENTS_COLUMNS if c in table.header})
    problems = []
    events: list[Event] = []
    for rec, label, cell in zip(records, labels, cells, strict=True):
        try:
            events.extend(parse_events([rec], labels=[label], cells=[cell]))
        except AscentError as exc:
            problems.append(str(exc))
    if problems:
        raise _Problems(problems)
    return events


def read_valuation(book: BookIO, market: MarketData | None) -> ValuationSettings | None:
    """The Valuation sheet's settings (blank: the demo's model; a blank spot is the VWAP on the
    valuation date when the VWAP table has it); None when the sheet has no settings table."""
    try:
        table = book.read_table(L.VALUATION, L.VALUATION_TABLE)
    except WorkbookError:
        return None
    _check_header(table, ("Setting", "Value"))
    given: dict[str, tuple[Any, str]] = {}
    for i, row in enumerate(table.rows):
        name = row[table.header.index("Setting")]
        if not is_blank(name):
            given[str(name).strip()] = (row[table.header.index("Value")], table.address(i, "Value"))
    unknown = [n for n in given if n not in L.VALUATION_SETTINGS]
    if unknown:
        raise WorkbookError(f"{L.VALUATION}: unknown setting {unknown[0]!r}; settings: {', '.join(L.VALUATION_SETTINGS)}")
    changes: dict[str, Any] = {}
    problems = []
    for name, (value, cell) in given.items():
        if name in ("paths", "seed") or is_blank(value):
            continue
        try:
            if name == "valuation_date":
                changes[name] = to_day(value, cell).item()
            else:
                changes[name] = check_term(ModelParams, name, to_number(value, cell))
        except AscentError as exc:
            problems.append(f"{cell}: {exc}" if cell not in str(exc) else str(exc))
    counts = {}
    for name, default in (("paths", DEMO_PATHS), ("seed", 0)):
        value, cell = given.get(name, (None, f"{L.VALUATION}!{name}"))
        try:
            counts[name] = to_whole(value, cell, default)
            if counts[name] < (1 if name == "paths" else 0):
                problems.append(f"{cell}: {name} must be {'at least 1' if name == 'paths' else 'zero or more'}")
            if name == "paths" and counts[name] > MAX_PATHS_PER_CELL:
                problems.append(f"{cell}: paths {counts[name]:,}: {PATHS_PER_CELL_LIMIT}")
        except AscentError as exc:
            problems.append(str(exc))
    if problems:
        raise _Problems(problems)
    return ValuationSettings(DEMO_MODEL.replace(**changes), counts["paths"], counts["seed"], tuple(changes),
                             tuple((name, cell) for name, (_, cell) in given.items()))


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows without the blank ones at the end (a table often ends with an empty row)."""
    end = len(rows)
    while end and all(is_blank(v) for v in rows[end - 1]):
        end -= 1
    return rows[:end]


def _fingerprint(terms: DealTerms, market: MarketData, events: list[Event],
                 valuation: ValuationSettings | None) -> str:
    payload = json.dumps(
        {
            "valuation": None if valuation is None else [valuation.model.to_mapping(), valuation.paths, valuation.seed,
                                                         valuation.given],
            "terms": terms.to_mapping(),
            "vwap": [str(market.dates[0]), market.vwap.tolist(),
                     None if market.dollar_volume is None else market.dollar_volume.tolist(),
                     None if market.market_cap is None else market.market_cap.tolist()]
                    + ([] if market.close is None else [market.close.tolist()]),  # a book without closes: as before
            "events": [[str(e.date), e.kind.value, e.note, e.amount, str(e.value)] for e in events],
        },
        default=str,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def _summarise(problems: list[str]) -> str:
    listed = problems[:MAX_LISTED]
    more = len(problems) - len(listed)
    head = f"{len(problems)} problem{'s' if len(problems) > 1 else ''} - fix and refresh again: "
    text = head + " | ".join(listed)
    return text + (f" | and {more} more" if more > 0 else "")


# ---------------------------------------------------------------------------------------------
# computing and writing


def compute(inputs: BookInputs) -> Schedule:
    """Run the ledger on the book's inputs."""
    return run_ledger(inputs.terms, inputs.events, inputs.market)


def engine_values(inputs: BookInputs, schedule: Schedule) -> dict[str, Any]:
    """The Summary's engine-written values by their layout key."""
    fee = deal_placement_fee(inputs.terms)
    proceeds = offering_proceeds(inputs.terms)
    codes: dict[str, int] = {}
    for f in schedule.flags:
        codes[f.code] = codes.get(f.code, 0) + 1
    flags = ", ".join(f"{code} {n}" for code, n in codes.items()) or "none"
    return {
        "deal": inputs.terms.name,
        "gross": fee.gross_proceeds,
        "fee": fee.total,
        "before_expenses": proceeds.before_expenses,
        "other_expenses": proceeds.other_expenses,
        "net": proceeds.net,
        "flags": flags,
        "shares_as_issued": schedule.conversion_shares_text(),
    }


def write_outputs(book: BookIO, inputs: BookInputs, schedule: Schedule, *, now: dt.datetime | None = None) -> str:
    """Write every output area; returns the refresh stamp text. Everything is computed (and
    checked to fit its area) before the first cell is written: an error while computing writes
    nothing."""
    writes, stamp = plan_outputs(inputs, schedule, now=now)
    for write in writes:
        write(book)
    return stamp


Write = Callable[[BookIO], None]


def plan_outputs(inputs: BookInputs, schedule: Schedule, *, now: dt.datetime | None = None,
                 keep_valuation: bool = False, valuation_kept: str | None = None) -> tuple[list[Write], str]:
    """Every output of the refresh, computed now and written later: the writes to make, in
    order (the status cell "OK" last), and the refresh stamp text. With ``keep_valuation`` the
    Valuation sheet's results are left as they are (see :func:`valuation_is_current`);
    ``valuation_kept`` is the valuation fingerprint of the results the sheet holds (see
    :func:`stored_valuation`): when the valuation's own inputs have that fingerprint (the
    deal's state on the valuation date, the model, the behaviour, paths and seed: e.g. an event
    after the valuation date that the simulation does not read), the results are kept too."""
    writes: list[Write] = []
    schedule_rows = [[r[c] for c in SCHEDULE_COLUMNS] for r in schedule.rows]
    writes.append(lambda b: b.write_table(L.SCHEDULE, L.SCHEDULE_TABLE, schedule_rows, SCHEDULE_FORMATS))
    values = engine_values(inputs, schedule)
    for i, (_, _, source) in enumerate(L.SUMMARY_VALUES):
        kind, key = source.split(":", 1)
        if kind == "engine":
            value = values[key]
            address, fmt = f"B{L.SUMMARY_FIRST_ROW + i}", USD if isinstance(value, float) else None
            writes.append(functools.partial(_write_cell, L.SUMMARY, address, value, fmt))
    history = _chart_rows(price_history(schedule, inputs.market, inputs.events).rows(),
                          inputs.terms)
    chart_formats = {c: PRICE for c in (*L.CHART_COLUMNS[1:], L.CLOSE_COLUMN)} | {"Date": SCHEDULE_FORMATS["Date"]}
    # the price column is named for what the deal's windows read, whatever the book was built for
    chart_header = L.chart_columns(price=inputs.terms.conversion.price_name)
    writes.append(lambda b: b.write_table(L.SUMMARY, L.CHART_TABLE, history, chart_formats, header=chart_header))
    maturities = [n.maturity for n in schedule.notes.values()]
    # a note without maturity (a convertible preferred) is never repaid at one: no check (blank)
    latest = None if None in maturities else max(d for d in maturities if d is not None)
    writes.append(lambda b: b.write_cell(*L.LATEST_MATURITY_CELL, latest, SCHEDULE_FORMATS["Date"]))
    valued = valuation_kept if keep_valuation else None
    if inputs.valuation is not None and not keep_valuation:
        unmodelled: UnmodelledError | UnmodelledStateError | None = None
        try:
            setup = valuation_setup(inputs.terms, inputs.events, inputs.market, settings=inputs.valuation)
        except (UnmodelledError, UnmodelledStateError) as exc:  # a valid deal, or state, the Monte Carlo lacks
            setup, unmodelled = None, exc
        valued = None if setup is None else valuation_fingerprint(setup, inputs.valuation)
        keep_valuation = valued is not None and valued == valuation_kept
    if inputs.valuation is not None and not keep_valuation:
        area_rows: list[list[Any]]
        area_formats: list[list[str | None]]
        area_aligns: list[list[str | None]]
        note_rows: list[list[Any]] = []
        if setup is None:  # say why under the settings (printed with them), value nothing
            reason = text_lines(str(unmodelled), L.VALUATION_NOTE_WIDTH)
            note_rows = [[NOT_VALUED], *([line] for line in reason)]
            area_rows, area_formats, area_aligns = [], [], []
        else:
            area_rows, area_formats, area_aligns = valuation_area(inputs, setup)
        for (sheet, area), block, what in ((L.VALUATION_OUTPUT, area_rows, "the valuation results"),
                                           (L.VALUATION_NOTE, note_rows, "the reason the deal is not valued")):
            r1, c1, r2, c2 = parse_ref(area)
            if len(block) > r2 - r1 + 1 or any(len(r) > c2 - c1 + 1 for r in block):
                raise WorkbookError(f"{sheet}!{area}: too small for {what}; nothing was written")
        # a results table that would run over a printed page's end starts the next page
        breaks = table_page_breaks(area_rows, page_rows(L.VALUATION_OUTPUT_WIDTHS, portrait=True))
        writes.append(lambda b: b.write_area(*L.VALUATION_OUTPUT, area_rows, area_formats, area_aligns,
                                             page_breaks=breaks))
        plain: list[list[str | None]] = [[None] for _ in note_rows]
        writes.append(lambda b: b.write_area(*L.VALUATION_NOTE, note_rows, plain, plain))
    if inputs.ranges is not None:
        writes.extend(plan_arrays(inputs.ranges))
    moment = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    stamp = f"Refreshed {moment} by {_stamp_tail(inputs.fingerprint)}" + (f"; valuation {valued}" if valued else "")
    writes.append(lambda b: b.write_cell(*L.CELLS[L.STAMP], stamp))
    writes.append(lambda b: b.write_cell(*L.CELLS[L.INPUT_HASH], inputs.fingerprint))
    writes.append(lambda b: b.write_cell(*L.CELLS[L.STATUS], "OK"))
    return writes, stamp


def _chart_rows(history: list[list[Any]], terms: DealTerms) -> list[list[Any]]:
    """The price history as the Summary chart draws it: no Floor Price point on a day the deal
    has no floor (``floor_mode`` none, or a floor of 0): blank, not 0, which a log axis cannot
    draw (LibreOffice then dropped the axis to $1 and cut the prices below it); no Alternate
    Price point on a day the deal's alternate price does not apply (NaN in the history)."""
    floor = L.CHART_COLUMNS.index("Floor Price")
    none = terms.conversion.floor_mode == "none"
    for row in history:
        if none or not row[floor] or not row[floor] > 0:  # NaN too
            row[floor] = None
        for i, v in enumerate(row):
            if isinstance(v, float) and math.isnan(v):
                row[i] = None
    return history


def plan_arrays(ranges: BookRanges) -> list[Write]:
    """The array formulas of the Position (the position and the holders tables), Conversions and
    Notice sheets, each with its result computed now by the formula's own function on the book's
    cells (a refusal is the text the cell shows), to be entered over the cells the result fills."""
    from ascent_xl.excel import udfs

    with udfs.ranges_held():  # the ranges stay as read until every formula is computed
        return _plan_arrays(ranges)


def _plan_arrays(ranges: BookRanges) -> list[Write]:
    from ascent_xl.excel import udfs
    from ascent_xl.ledger.position import QUOTE_COLUMNS

    book = (ranges.events, ranges.dates, ranges.vwaps)
    writes: list[Write] = []

    def array(sheet: str, area: str, formula: str, result: Any, *, header: bool,
              names: tuple[str, ...] = ()) -> int:
        """Plan the array formula's write; the number of rows its result fills."""
        formula = L.with_close(formula, ranges.close)
        rows = [list(r) for r in result] if isinstance(result, list) else [[result]]
        r1, c1, r2, c2 = parse_ref(area)
        if len(rows) > r2 - r1 + 1 or any(len(r) > c2 - c1 + 1 for r in rows):
            raise WorkbookError(f"{sheet}!{area}: the results of {formula} need more room; nothing was written")
        formats = array_formats(rows, header=header, names=names)
        writes.append(lambda b: b.write_array(sheet, area, formula, rows, formats))
        return len(rows)

    if ranges.notices is not None:
        block = L.conversions_output(len(ranges.notices))
        writes.append(lambda b: b.write_area(L.CONVERSIONS, block, [], []))
        for i, (day, amount, note) in enumerate(ranges.notices):
            if is_blank(day) and is_blank(amount):
                continue
            row = L.TABLE_HEADER_ROW + 1 + i
            result = udfs.ASCENT_QUOTE(*book, day, amount, note, ranges.terms, None, False)
            array(L.CONVERSIONS, L.conversions_output(1, row=row), L.quote_formula(row), result, header=False,
                  names=QUOTE_COLUMNS)
    if ranges.notice is not None:
        array(L.NOTICE, L.NOTICE_AREA, L.NOTICE_FORMULA,
              udfs.ASCENT_NOTICE(*book, *ranges.notice, ranges.terms), header=True)
    if ranges.position:  # after the quotes, on the ledger pass they leave; written first, as ever
        height = array(L.POSITION, L.POSITION_AREA, L.POSITION_FORMULA,
                       udfs.ASCENT_POSITION(*book, ranges.as_of, ranges.terms), header=True)
        # the holders below the position's rows (its write clears the whole area: after it)
        array(L.POSITION, L.holders_area(height), L.HOLDERS_FORMULA,
              udfs.ASCENT_HOLDERS(*book, ranges.as_of, ranges.terms), header=True)
        writes[:0] = [writes.pop(-2), writes.pop()]
    return writes


def array_formats(rows: list[list[Any]], *, header: bool, names: tuple[str, ...] = ()) -> list[list[str | None]]:
    """Number formats of an array formula's result: by its column names (its header row's, or
    ``names``); a Unit column (the Notice's) gives its row's format."""
    from ascent_xl.excel.formats import format_by_header

    if not rows or not isinstance(rows[0], list):
        return []
    names = tuple(str(h) for h in rows[0]) if header else names
    out: list[list[str | None]] = [[None] * len(rows[0])] if header else []
    for row in rows[1:] if header else rows:
        unit = _UNIT_FORMAT.get(str(row[names.index("Unit")])) if "Unit" in names else None
        shown: list[str | None] = []
        for j, v in enumerate(row):
            if isinstance(v, dt.date):
                shown.append(DATE_FORMAT)
            elif isinstance(v, int | float) and not isinstance(v, bool):
                shown.append(unit if "Unit" in names else format_by_header(names[j] if j < len(names) else ""))
            else:
                shown.append(None)
        out.append(shown)
    return out


def _stamp_tail(fingerprint: str) -> str:
    return f"ascent-xl {__version__}; inputs {fingerprint}"


_VALUED = re.compile(r"; valuation ([0-9a-f]{12})$")


def stamp_matches(stamp: Any, fingerprint: str) -> bool:
    """Whether the refresh stamp ``stamp`` is this version's, for inputs ``fingerprint`` (and
    any valuation fingerprint after it)."""
    if not isinstance(stamp, str):
        return False
    stamp = _VALUED.sub("", stamp)
    return stamp.startswith("Refreshed ") and stamp.endswith(" by " + _stamp_tail(fingerprint))


def valuation_fingerprint(setup: Any, settings: ValuationSettings) -> str | None:
    """A fingerprint of everything the Valuation sheet's results are computed from: the prepared
    valuation (terms, model, behaviour, the deal's state and contract on the valuation date, the
    days and discount factors, the sources named), paths, seed and this version; None when it
    cannot be taken (then the valuation is always run)."""
    grid = setup.grid
    try:
        payload = pickle.dumps((__version__, settings.paths, settings.seed, setup.terms, setup.model, setup.behaviour,
                                setup.contract, setup.start, setup.sources, setup.history_assumed, grid.calendar.name,
                                grid.dates.tobytes(), grid.years.tobytes(), grid.df_equity.tobytes(),
                                grid.df_cash.tobytes()), protocol=5)
    except (TypeError, AttributeError, pickle.PicklingError):
        return None
    return hashlib.sha256(payload).hexdigest()[:12]


def _last_refresh(book: BookIO) -> tuple[str, str] | None:
    """(input fingerprint, stamp) of the last refresh when it succeeded (status OK) by this
    version (the stamp) and filled the Valuation sheet's results area (or said why not, under
    the settings); else None."""
    try:
        status = book.read_cell(*L.CELLS[L.STATUS])
        stored = book.read_cell(*L.CELLS[L.INPUT_HASH])
        stamp = book.read_cell(*L.CELLS[L.STAMP])
        # the results, or why there are none
        first = [book.read_cell(sheet, area.split(":")[0]) for sheet, area in (L.VALUATION_OUTPUT, L.VALUATION_NOTE)]
    except AscentError:
        return None
    if status != "OK" or not isinstance(stored, str) or not stamp_matches(stamp, stored) or all(map(is_blank, first)):
        return None
    return stored, stamp


def stored_valuation(book: BookIO) -> str | None:
    """The valuation fingerprint of the results the Valuation sheet holds: from the refresh
    stamp of a successful refresh by this version whose results area is filled; else None."""
    last = _last_refresh(book)
    found = None if last is None else _VALUED.search(last[1])
    return found.group(1) if found else None


def valuation_is_current(book: BookIO, inputs: BookInputs) -> bool:
    """True when the Valuation sheet's results are those of ``inputs``: the last refresh
    succeeded (status OK) with the same input fingerprint (``Checks!B4`` and the stamp) and this
    version of ascent-xl (the stamp), and its results area is filled. The Monte Carlo is then
    not run again: same inputs, same seed, same numbers."""
    if inputs.valuation is None:
        return False
    last = _last_refresh(book)
    return last is not None and last[0] == inputs.fingerprint


def _write_cell(sheet: str, address: str, value: Any, number_format: str | None, book: BookIO) -> None:
    book.write_cell(sheet, address, value, number_format)


def valuation_area(inputs: BookInputs, setup: Any
                   ) -> tuple[list[list[Any]], list[list[str | None]], list[list[str | None]]]:
    """The valuation's result tables, stacked with a title row each and a blank row between, a
    number format for each cell (from the column's header) and the alignment of each value
    (:func:`_value_alignments`: a text reads from the left, broken into lines that fit);
    ``setup``: the valuation prepared already (:func:`valuation_setup`)."""
    from ascent_xl.valuation.run import run_valuation

    v = inputs.valuation
    assert v is not None
    result = run_valuation(setup, paths=v.paths, seed=v.seed, sample_paths=0)
    rows: list[list[Any]] = []
    formats: list[list[str | None]] = []
    for title, table in result.tables().items():
        rows.append([title])
        formats.append([None])
        header = table[0]
        fmts = [_valuation_format(h) for h in header]
        for k, row in enumerate(table):
            formats.append([None] * len(row) if k == 0 else _valuation_row_formats(title, row, fmts))
            shown = list(row)
            if title == "Inputs" and k and len(shown) > 2 and isinstance(shown[2], str):
                shown[2] = SHOWN_UNITS.get(shown[2], shown[2])  # "% a year" beside 110.00%
            rows.append(shown)
        rows.append([])
        formats.append([])
    return _value_alignments(rows, formats)


def _value_alignments(rows: list[list[Any]], formats: list[list[str | None]]
                      ) -> tuple[list[list[Any]], list[list[str | None]], list[list[str | None]]]:
    """The Valuation results with the alignment of each row's value (the second column: right,
    a number under its header; left, a text such as the deal's name or an assumption, which
    right-aligned ran over the label before it and was cut) and each text that runs past the
    area's last column (K, the print width) broken into lines, the rest on the rows below it
    (nothing else on them)."""
    out_rows: list[list[Any]] = []
    out_formats: list[list[str | None]] = []
    aligns: list[list[str | None]] = []
    for i, (row, fmt) in enumerate(zip(rows, formats, strict=True)):
        header = i > 0 and len(rows[i - 1]) == 1  # the row after a title
        side: list[str | None] = [None] * len(row)
        if len(row) > 1:
            side[1] = "left" if isinstance(row[1], str) and not header else "right"
        last = max((j for j, v in enumerate(row) if v is not None), default=-1)
        lines = []
        if last >= 0 and isinstance(row[last], str):  # it may run on to K: as many lines as it takes
            lines = text_lines(row[last], sum(L.VALUATION_OUTPUT_WIDTHS[last:]) - (1 if side[last] else 0))
        out_rows.append([*row[:last], lines[0], *row[last + 1:]] if lines else list(row))
        out_formats.append(fmt)
        aligns.append(side)
        for line in lines[1:]:
            out_rows.append([None] * last + [line])
            out_formats.append([])
            aligns.append(side[: last + 1])
    return out_rows, out_formats, aligns


_UNIT_FORMAT = {"USD/share": PRICE, "USD": USD, "shares": SHARES, "shares/day": SHARES, "fraction": PERCENT,
                "fraction/yr": PERCENT, "paths": COUNT, "ratio": "0.00", "date": DATE_FORMAT, "%": PERCENT}
"""Formats of the Valuation sheet's inputs by their unit."""


def _valuation_row_formats(title: str, row: list[Any], by_header: list[str | None]) -> list[str | None]:
    """Number formats of one row of a Valuation results table: by the column's header, except a
    probability and its standard error (percent), the inputs (by their unit) and counts."""
    label = str(row[0]) if row else ""
    if title == "Inputs" and len(row) > 2:
        return [None, _UNIT_FORMAT.get(str(row[2])), *[None] * (len(row) - 2)]
    if label.startswith(("Probability", "Std error of the probability")):
        return [None, *[PERCENT] * (len(row) - 1)]
    if label in ("Paths", "Trading days", "Seed"):
        return [None, *[COUNT] * (len(row) - 1)]
    if label.startswith("Warrants, Black-Scholes"):
        return [None, *[USD] * (len(row) - 1)]
    return list(by_header)


def valuation_setup(terms: DealTerms, events: list[Event], market: MarketData, *,
                    settings: ValuationSettings) -> Any:
    """The valuation of the Valuation sheet: from the deal's state at the end of its valuation
    date (blank: the notes' issue date), after the book's events up to that day; a blank spot is
    the VWAP on (or the last before) that date, a blank daily volume the VWAP table's median
    dollar volume over the spot; the planned events after the date are applied."""
    from ascent_xl.valuation.behaviour import planned_events
    from ascent_xl.valuation.run import prepare_valuation
    from ascent_xl.valuation.start import deal_start, market_inputs

    closing = terms.closing
    model = settings.model
    when = closing if model.valuation_date is None else model.valuation_date
    if when < closing:
        raise WorkbookError(f"{settings.cell('valuation_date')}: valuation date {when} is before the notes' issue on {closing}; "
                            "give a date on or after it, or leave it blank")
    start = deal_start(terms, events, market, as_of=when)
    found = market_inputs(start, source=f"{L.VWAP} sheet")
    sources = {name: f"{L.VALUATION}!{name}" for name in settings.given}
    changes = {}
    for name, (value, source) in found.items():
        if name not in settings.given:
            changes[name], sources[name] = value, source
    if "spot" not in settings.given and "spot" not in found:
        raise WorkbookError(f"{settings.cell('spot')}: spot blank and no VWAP on or before {when} in the {L.VWAP} sheet; "
                            "give the share price on the valuation date")
    model = model.replace(valuation_date=when, **changes)
    used, _ = planned_events(events, start=when)
    behaviour = DEMO_BEHAVIOUR.with_events(used, terms=terms)
    # VWAPs that do not reach back over the first day's look-back windows: the model takes the
    # spot for the sessions before the data's first, and its assumptions (written below) say so
    return prepare_valuation(terms, model=model, behaviour=behaviour, start=start, sources=sources)


def _valuation_format(header: str) -> str | None:
    text = str(header)
    if "%" in text or "Dilution" in text:
        return PERCENT
    if "USD" in text:
        return USD
    if text.startswith("Shares"):
        return SHARES
    return None


def refresh_book(book: BookIO, *, now: dt.datetime | None = None, full: bool = False) -> RefreshResult:
    """Read, compute, write, all or nothing: every result (the valuation too) is computed
    before the first output cell is written. On bad input, or when a result cannot be computed,
    only the status cell is written (with every problem found) and the previous results stay;
    on success every output is rewritten and the status says OK. While the results are being
    written the status says so, so a write that stops half-way never leaves "OK" behind.
    The valuation is not run again when its results are those of the same inputs
    (:func:`valuation_is_current`), or of a valuation with the same inputs of its own (its
    fingerprint in the stamp, :func:`stored_valuation`); they are kept as they are (with
    ``full``, it is run)."""
    try:
        inputs = read_inputs(book)
        if inputs.valuation is not None:
            check_note_area(book)
        schedule = compute(inputs)
        current = not full and valuation_is_current(book, inputs)
        writes, stamp = plan_outputs(inputs, schedule, now=now, keep_valuation=current,
                                     valuation_kept=None if full else stored_valuation(book))
    except WorkbookError as exc:
        return _failed(book, str(exc))
    except AscentError as exc:
        return _failed(book, f"1 problem - fix and refresh again: {exc}")
    book.write_cell(*L.CELLS[L.STATUS], "writing the results... (if this stays, refresh again)")
    try:
        for write in writes:
            write(book)
    except AscentError as exc:
        return _failed(book, f"writing the results failed, some are new and some old: {exc}; "
                             "fix it and refresh again")
    return RefreshResult(True, [], schedule, inputs, stamp, not_valued=not_valued_reason(book) if inputs.valuation else None)


NOT_VALUED = "Not valued"
"""The title of :data:`~ascent_xl.excel.layout.VALUATION_NOTE` when the valuation could not be
done (the reason below it)."""


def not_valued_reason(book: BookIO) -> str | None:
    """The reason the Valuation sheet gives for not valuing (under its settings), or None when valued."""
    sheet, area = L.VALUATION_NOTE
    r1, c1, r2, _ = parse_ref(area)
    column = L.column_letter(c1)
    (title,), *rest = book.read_area(sheet, f"{column}{r1}:{column}{r2}")  # the title and its lines, one read
    if title != NOT_VALUED:
        return None
    lines = []
    for (text,) in rest:
        if not isinstance(text, str):
            break
        lines.append(text)
    return " ".join(lines)


def check_note_area(book: BookIO) -> None:
    """Refuse (:class:`WorkbookError`, naming the cell) to write why a deal is not valued over
    what someone typed under the Valuation settings (:data:`~ascent_xl.excel.layout.VALUATION_NOTE`,
    e.g. in a book made before the reason was written there): the area may hold only blanks or
    the refresh's own "Not valued" and the lines of its reason below it, in its first column."""
    sheet, area = L.VALUATION_NOTE
    r1, c1, _, _ = parse_ref(area)
    ours = False
    for r, row in enumerate(book.read_area(sheet, area), start=r1):  # one read: a round trip in Excel
        for c, value in enumerate(row, start=c1):
            address = f"{L.column_letter(c)}{r}"
            if is_blank(value):
                continue
            if c == c1 and r == r1 and value == NOT_VALUED:
                ours = True
            elif not (c == c1 and ours and isinstance(value, str)):
                raise WorkbookError(
                    f"{sheet}!{address}: holds {' '.join(str(value).split())[:40]!r}, where the refresh writes why a deal "
                    f"is not valued ({area}, under the settings); move it elsewhere and refresh")


def _failed(book: BookIO, message: str) -> RefreshResult:
    try:
        book.write_cell(*L.CELLS[L.STATUS], message)
    except WorkbookError:
        pass  # the Summary sheet itself is gone; the message is returned all the same
    return RefreshResult(False, [message], None, None, message)
