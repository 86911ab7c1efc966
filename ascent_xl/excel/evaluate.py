"""Calculate a saved book's formulas in Python with pycel, ``ASCENT_*`` functions included: the
values :mod:`ascent_xl.excel.cached` stores beside the formulas of every book it writes.

This module is also the pycel *plugin*: pycel looks a formula's functions up by lower-cased
name in the plugin modules first, and ``ascent_conversion_price`` here is
:func:`ascent_xl.excel.udfs.ASCENT_CONVERSION_PRICE` (resolved on demand by the module's
``__getattr__``, so every UDF is available without a list to keep in step), with a column
result (a numpy array) handed over as rows of plain values.

pycel is imported inside the functions.
With openpyxl 3.1, pycel 1.0b30 reads defined names through an attribute openpyxl removed
(``workbook.defined_names.definedName``); :func:`compiler` uses a wrapper that reads them the
3.1 way (workbook- and sheet-scoped names).

pycel hands the functions what it reads from the file: dates as serial numbers, a range as a
tuple of rows, a blank as ``None``. It has no dynamic arrays: a function that returns a column
spills only when the formula is entered as an array formula over the target cells.

``compiler("deal.xlsx").evaluate("Calc!B2")`` gives the cell's calculated value (the tests'
``evaluate`` helper, tests/helpers/recalc.py, does it for a list of cells).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

import numpy as np

PLUGIN = __name__
"""The module path to give pycel's ``plugins`` argument."""

_PREFIX = "ascent_"


def rows(array: Any) -> int:
    """Excel's ``ROWS``, which pycel 1.0b30 lacks (the book's ``INDEX(col, ROWS(col))``)."""
    return len(array) if isinstance(array, tuple) else 1


def __getattr__(name: str) -> Any:
    """``ascent_xxx`` is the UDF ``ASCENT_XXX`` (pycel's lower-cased lookup)."""
    if name.startswith(_PREFIX):
        from ascent_xl.excel import udfs

        f = getattr(udfs, name.upper(), None)
        if f is not None:
            return _for_pycel(f)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _for_pycel(f: Callable[..., Any]) -> Callable[..., Any]:
    """``f`` with a numpy column result given to pycel as rows of plain values."""

    @functools.wraps(f)
    def call(*args: Any) -> Any:
        result = f(*args)
        return result.tolist() if isinstance(result, np.ndarray) else result

    return call


def compiler(path: str | os.PathLike[str], *, no_values: bool = False) -> Any:
    """A pycel ``ExcelCompiler`` for the workbook at ``path`` with the ``ASCENT_*`` functions
    and openpyxl-3.1 defined names. ``no_values``: the book's formulas hold no values (it was
    just saved by openpyxl), so it is read once, not a second time for the values."""
    from pycel import ExcelCompiler

    wrapper = _wrapper_class()(filename=os.fspath(path))
    wrapper.no_values = no_values
    wrapper.load()
    return ExcelCompiler(excel=wrapper, plugins=[PLUGIN])


_WRAPPER: type | None = None


def _wrapper_class() -> type:
    """pycel's openpyxl wrapper with defined names read the openpyxl 3.1 way (built once)."""
    global _WRAPPER
    if _WRAPPER is None:
        from pycel.excelwrapper import ExcelOpxWrapper, ExcelOpxWrapperNoData

        class NamesWrapper(ExcelOpxWrapper):
            """pycel's workbook wrapper reading defined names from openpyxl 3.1, and the file
            through an open file (openpyxl refuses a name without an Excel extension, such as
            the temporary file a book is written to)."""

            def load(self) -> None:
                from unittest import mock

                from openpyxl import load_workbook

                with mock.patch("openpyxl.worksheet._reader.from_excel", self.from_excel):
                    with open(self.filename, "rb") as f:
                        self.workbook = load_workbook(f)
                    if getattr(self, "no_values", False):
                        self.workbook_dataonly = self.workbook  # see get_range
                    else:
                        with open(self.filename, "rb") as f:
                            self.workbook_dataonly = load_workbook(f, data_only=True)
                self.load_array_formulas()

            def get_range(self, address: Any) -> Any:
                data = super().get_range(address)
                if not getattr(self, "no_values", False):
                    return data
                # A formula cell has no value yet (pycel's ExcelOpxWrapperNoData reading)
                if isinstance(data.values, tuple):
                    return ExcelOpxWrapperNoData.OpxRange(data)
                return ExcelOpxWrapperNoData.OpxCell(data)

            @property
            def defined_names(self) -> dict[str, list[tuple[str, str]]]:
                if self.workbook is not None and self._defined_names is None:  # type: ignore[has-type]
                    self._defined_names = _defined_names(self.workbook)
                return self._defined_names

        _WRAPPER = NamesWrapper
    return _WRAPPER


def _defined_names(workbook: Any) -> dict[str, list[tuple[str, str]]]:
    """``{name: [(range, sheet), ...]}`` for workbook-scoped names, then sheet-scoped ones
    (a sheet's own name wins over a workbook name of the same spelling only on that sheet in
    Excel; pycel has one namespace, so the workbook-scoped name is kept)."""
    out: dict[str, list[tuple[str, str]]] = {}
    scoped = [(None, workbook.defined_names)]
    scoped += [(ws.title, ws.defined_names) for ws in workbook.worksheets]
    for _, names in scoped:
        for d in names.values():
            try:
                dests = [(alias, sheet) for sheet, alias in d.destinations if sheet in workbook]
            except (AttributeError, TypeError, ValueError):  # constants, formulas: not ranges
                continue
            if dests and str(d.name) not in out:
                out[str(d.name)] = dests
    return out
