"""xlwings Lite adapter: the ``ASCENT_*`` functions and a Refresh script in Excel on Windows,
macOS and the web, with Python running in the browser (Office.js + Pyodide), no local Python.

A Lite user pastes ``workbooks/lite/main.py`` (``from ascent_xl.excel.lite import *``) and
``workbooks/lite/requirements.txt`` into the xlwings Lite task pane. This module registers, with
xlwings' ``func`` / ``arg`` decorators, every function of :mod:`ascent_xl.excel.udfs` under the
same name, with the same arguments in the same order and the same argument descriptions, and a
``@script`` ``ascent_refresh`` that refreshes the book like its Refresh button. It is thin: each
function adapts what Office.js hands over and calls the classic UDF, which reads the cells and
calls the engine.

What Office.js hands over, and what is done with it:

- a one-cell argument may arrive as a 1 x 1 list (``[[5]]``): it is read as the value;
- a range argument arrives as rows (a 2-D list); a single value becomes one row of one cell;
- dates arrive as Excel serial numbers (the UDFs read serials, dates and ISO text alike);
- an empty cell arrives as ``None`` (Pyodide's ``JsNull`` too) or ``""``, both read as blank;
  inside a range, blank cells keep their place;
- an Excel error (``#N/A``...) arrives as its text or as an object with a ``code`` (or ``type``)
  attribute or key; it is passed on as its text, which the UDF reports, never as a blank;
- **an empty cell may arrive as 0** (Office.js on desktop Excel, office-js issues #4702, #1951).
  An optional argument left blank takes the deal's value, so a 0 that stood for a blank would
  silently change the result. Hence, for each optional one-cell argument that arrives as 0, the
  function is computed both ways, with 0 and with a blank: where both give the same result (the
  argument's blank value is 0, as for ``seed``, or 0 does not reach the result) that result is
  returned; where they differ the cell says so and names the argument
  (``floor_price is 0: ...``), and the user types the value meant (or leaves the argument out).
  So in Lite, 0 in an optional argument means "the same as blank" or is refused, never a
  silent guess. Required arguments (``amount``, ``principal``...) read 0 as 0.

Not run in Excel here: the module is tested on Linux by calling its functions with Office.js-
shaped values, and through xlwings' own server call path where an xlwings licence key is set
(``XLWINGS_LICENSE_KEY``). xlwings itself is provided by the Lite add-in (it is not installed
from ``requirements.txt``); Pyodide has one thread, and ``app.alert`` is not available there, so
the Refresh script prints its status to the task pane's output.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import xlwings as xw
from xlwings import arg, func, script

from ascent_xl.excel import udfs

ZERO_IS_AMBIGUOUS = (
    "{name} is 0: Excel passes a blank cell as 0 here, and 0 gives another result than a blank "
    "(the deal's value); type the value you mean, or leave the argument out"
)
"""The cell's text when an optional argument arrives as 0 and 0 and blank differ."""


def office_value(value: Any) -> Any:
    """One value as Office.js / Pyodide hands it over, as the classic UDFs read a cell: JS null
    and ``""`` as ``None``; an error object as its text (``"#N/A"``); anything else as it is."""
    if value is None or value == "":
        return None
    if type(value).__name__ in ("JsNull", "JsUndefined"):
        return None
    if isinstance(value, dict):
        code = value.get("code", value.get("type"))
        if isinstance(code, str) and code.startswith("#"):
            return code
        return value
    code = getattr(value, "code", None)
    if isinstance(code, str) and code.startswith("#"):
        return code
    return value


def office_scalar(value: Any) -> Any:
    """A one-cell argument: a 1 x 1 list (or one-item list) is its value."""
    while isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    return office_value(value)


def office_rows(value: Any) -> list[list[Any]] | None:
    """A range argument as rows of cell values (a single value is one row of one cell)."""
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        value = [[value]]
    elif value and not isinstance(value[0], list | tuple):
        value = [list(value)]
    rows = [[office_value(v) for v in row] for row in value]
    return None if all(v is None for row in rows for v in row) else rows


def _is_zero(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


def _same(a: Any, b: Any) -> bool:
    """Whether two UDF results are the same (numpy columns compared as lists)."""
    a, b = (x.tolist() if hasattr(x, "tolist") else x for x in (a, b))
    return bool(a == b)


def adapt(udf: Callable[..., Any]) -> Callable[..., Any]:
    """The Lite function for the classic ``udf``: same name, arguments, defaults and docstring;
    Office.js values read as described in the module docstring."""
    signature = inspect.signature(udf)
    params = list(signature.parameters.values())
    ranges = {name for name, spec in udfs.argument_specs(udf).items() if spec.get("ndim") == 2}
    optional = [i for i, p in enumerate(params) if p.default is not inspect.Parameter.empty
                and p.name not in ranges]

    @functools.wraps(udf)
    def call(*args: Any) -> Any:
        values = [office_rows(a) if p.name in ranges else office_scalar(a) for p, a in zip(params, args, strict=False)]
        result = udf(*values)
        for i in optional:
            if i < len(values) and _is_zero(values[i]):
                blank = udf(*values[:i], None, *values[i + 1:])
                if not _same(blank, result):
                    return ZERO_IS_AMBIGUOUS.format(name=params[i].name)
        return result

    del call.__wrapped__  # xlwings reads the signature below, not the classic function's
    call.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(annotation=inspect.Parameter.empty) for p in params],
        return_annotation=inspect.Signature.empty)
    call.__annotations__ = {}
    decorated: Callable[..., Any] = call
    for name, spec in reversed(list(udfs.argument_specs(udf).items())):
        options = {"doc": spec["doc"]}
        if name in ranges:
            options["ndim"] = 2
        decorated = arg(name, **options)(decorated)
    return func(decorated)


def _register() -> dict[str, Callable[..., Any]]:
    return {f.__name__: adapt(f) for f in udfs.UDFS}


FUNCTIONS = _register()
"""The Lite functions by name (the same names as :data:`ascent_xl.excel.udfs.UDFS`)."""
globals().update(FUNCTIONS)


@script
def ascent_refresh(book: xw.Book) -> None:
    """Refresh the deal book: read Inputs, VWAP and Events, run the engine, write the Schedule,
    Summary, chart data, Checks, Valuation and the stamp (the same as the Refresh button and
    ``ascent-xl refresh``). The status (OK, or each cell to fix) is printed to the task pane."""
    from ascent_xl.excel.macros import refresh

    result = refresh(book)
    print(result.status if not result.ok else "Refreshed: OK")


__all__ = [*FUNCTIONS, "ascent_refresh"]
