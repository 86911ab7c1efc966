"""What a user waits for when refreshing a deal book (issue 15): the whole process of
``ascent-xl refresh BOOK`` (Python start, imports, the calendar, safety checks, openpyxl load,
the engine, the valuation, save, cached formula values, the atomic rename), against a bare
``python -c "import openpyxl; openpyxl.load_workbook(BOOK)"`` of the same book in the same run.

Books: a copy of the shipped ``workbooks/ascent_advance_notes.xlsm``, and a 5-year, 1,000-event
book (``bench_ledger.build``). Two refreshes of each: one whose inputs did not change since its
last refresh (the book as a refresh left it), one after an event's amount was changed (the
first amount above 1: on the shipped book the issue on the closing day, the valuation date, so the
Monte Carlo runs again; on the 5-year book a conversion after it, so its results are kept: the
"Monte Carlo" column says which). Each run
starts from the same file (copied before the clock starts); runs are interleaved with the
baseline, and the ratio is taken run by run. Targets: unchanged inputs <= 1.5x the baseline,
changed events <= 3x.

The package is byte-compiled first (``compileall``), as an installed copy is: where
``PYTHONDONTWRITEBYTECODE`` is set (this sandbox sets it), an editable install never writes its
``.pyc`` files and every ``ascent-xl`` process compiled the whole package from source again
(0.33 s a refresh, measured with ``python -X importtime``), which no user's refresh pays after
its first.

Run: python benchmarks/bench_refresh.py [--quick]   (--quick: one run, the shipped book only)
"""

from __future__ import annotations

import compileall
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_ledger import build
from harness import quick, report

import ascent_xl
from ascent_xl.excel import layout as L
from ascent_xl.excel.book import OpenpyxlBook
from ascent_xl.excel.cached import save_with_values
from ascent_xl.excel.template import build_template
from ascent_xl.excel.workbook_io import load_book, refresh_file

SHIPPED = Path(__file__).resolve().parents[1] / "workbooks" / "ascent_advance_notes.xlsm"
TARGETS = {"unchanged": 1.5, "changed events": 3.0}


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("ascent-xl")
    if script.exists():
        return [str(script)]
    found = shutil.which("ascent-xl")
    if found is None:
        raise SystemExit("ascent-xl is not installed in this environment (pip install -e .)")
    return [found]


def _wall(command: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def _changed_event(source: Path, target: Path) -> None:
    """``source`` with the first event amount above 1 lowered by 1."""
    wb = load_book(source)
    io = OpenpyxlBook(wb)
    table = io.read_table(L.EVENTS, L.EVENTS_TABLE)
    col = table.header.index("Amount")
    for i, row in enumerate(table.rows):
        if isinstance(row[col], (int, float)) and row[col] > 1:
            io.write_cell(L.EVENTS, table.address(i, "Amount").split("!")[1], row[col] - 1)
            break
    else:
        raise SystemExit(f"{source.name}: no event with an amount to change")
    save_with_values(wb, target)


def _stats(values: list[float]) -> str:
    return f"{min(values):.2f}/{statistics.median(values):.2f}/{max(values):.2f}"


def _case(name: str, book: Path, work: Path, runs: int) -> list[dict]:
    """Time the baseline and both refreshes of ``book`` (already refreshed once)."""
    cli = _cli()
    changed = work / f"changed{book.suffix}"
    _changed_event(book, changed)
    target = work / f"run{book.suffix}"
    sources: dict[str, Path] = {"unchanged": book, "changed events": changed}
    load = [sys.executable, "-c", f"import openpyxl; openpyxl.load_workbook({str(target)!r})"]
    times: dict[str, list[float]] = {"baseline": [], **{k: [] for k in sources}}

    def run(key: str, source: Path, command: list[str]) -> None:
        shutil.copyfile(source, target)
        target.with_name(target.name + ".bak").unlink(missing_ok=True)
        times[key].append(_wall(command))

    steps: list[tuple[str, Path, list[str]]] = [("baseline", book, load)]
    steps += [(k, src, [*cli, "refresh", str(target)]) for k, src in sources.items()]
    for _ in range(runs):
        for key, source, command in steps:
            run(key, source, command)
    rows = []
    for key, source in sources.items():
        ratios = [r / b for r, b in zip(times[key], times["baseline"], strict=True)]
        shutil.copyfile(source, target)
        refresh_file(target)
        rows.append({
            "case": f"{name}, {key}",
            "refresh s (min/med/max)": _stats(times[key]),
            "load_workbook s": _stats(times["baseline"]),
            "ratio (min/med/max)": _stats(ratios),
            "target": f"<={TARGETS[key]}x",
            "Monte Carlo": "kept" if _valuation(target) == _valuation(book) else "ran",
        })
    return rows


def _valuation(book: Path) -> str | None:
    """The valuation fingerprint in the book's refresh stamp (None: none there)."""
    found = re.search(r"; valuation ([0-9a-f]{12})$", str(OpenpyxlBook(load_book(book)).read_cell(*L.CELLS[L.STAMP])))
    return found.group(1) if found else None


def main() -> list[dict]:
    runs = 1 if quick() else 3
    n_events = 1_000
    compileall.compile_dir(Path(ascent_xl.__file__).parent, quiet=1)  # as installed (see the doc)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
        work = Path(tmp)
        shipped = work / "shipped" / SHIPPED.name
        shipped.parent.mkdir()
        shutil.copyfile(SHIPPED, shipped)
        shutil.copyfile(SHIPPED.with_suffix(".py"), shipped.with_suffix(".py"))
        refresh_file(shipped, full=True)  # as this version's refresh leaves it (the valuation's fingerprint too)
        cases: list[tuple[str, Path]] = [("shipped book", shipped)]
        if not quick():
            terms, market, events = build(n_events, seed=5)
            big = build_template(work / "big", terms=terms, market=market, events=events, xlsm=False)[0]
            refresh_file(big)
            cases.append((f"5-year book, {n_events:,} events", big))
        for name, book in cases:
            rows += _case(name, book, book.parent, runs)
    report(f"refresh, whole process, {runs} run{'s' if runs > 1 else ''} "
           f"(ratio to python -c 'openpyxl.load_workbook(BOOK)')", rows)
    return rows


if __name__ == "__main__":
    main()
