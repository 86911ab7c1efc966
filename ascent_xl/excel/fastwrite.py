"""openpyxl's save with its worksheet rows written faster, byte for byte the same file.

openpyxl (without lxml) writes every cell by building an ``xml.etree`` element and handing it to
et_xmlfile's serializer, which works out namespaces and escapes each attribute again: about
10 microseconds a cell, 0.6 s of CPU for the 63,000 cells of a 1,000-event deal book, most of a
refresh's save. :func:`quick_save` writes the same markup for the plain cells (numbers, text,
dates, formulas, blanks, as :func:`openpyxl.cell._writer.etree_write_cell` writes them) and the
``<row>`` elements straight to the sheet's output, and leaves every other cell (array formulas,
rich text, booleans, errors, hyperlinks, anything unexpected) to openpyxl's own writer.

It applies only where that was checked: openpyxl 3.1 writing through et_xmlfile (no lxml), its
writer functions not replaced by someone else; otherwise openpyxl saves as usual. The tests save
books both ways and compare every part of the files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

from openpyxl.cell._writer import _set_attributes, etree_write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string


@contextlib.contextmanager
def quick_save() -> Iterator[None]:
    """Within the block, openpyxl's worksheet writer uses :func:`_write_row` (same bytes)."""
    from openpyxl.worksheet import _writer as ww

    stock = _stock()
    if stock is None:
        yield
        return
    ww.WorksheetWriter.write_row = _write_row
    try:
        yield
    finally:
        ww.WorksheetWriter.write_row = stock


_STOCK: list[Any] = []


def _stock() -> Callable[..., None] | None:
    """openpyxl's own ``WorksheetWriter.write_row`` when this module's writer applies, else None."""
    import openpyxl
    from openpyxl.cell import _writer as cw
    from openpyxl.worksheet import _writer as ww

    if not _STOCK:
        _STOCK.append(ww.WorksheetWriter.write_row)
    stock = _STOCK[0]
    if (not openpyxl.__version__.startswith("3.1.") or ww.write_cell is not cw.etree_write_cell
            or ww.WorksheetWriter.write_row is not stock or stock.__module__ != ww.__name__):
        return None
    return stock


def _write_row(self: Any, xf: Any, row: list[Any], row_idx: int) -> None:
    """``WorksheetWriter.write_row``: the ``<row>`` element and its cells, as openpyxl writes them."""
    write = getattr(xf, "_file", None)
    stack = getattr(xf, "_element_stack", None)
    if write is None or not stack:
        _STOCK[0](self, xf, row, row_idx)
        return
    attrs = {"r": f"{row_idx}"}
    attrs.update(self.ws.row_dimensions.get(row_idx, {}))
    write("<row" + "".join([f' {k}="{_escape_attrib(v)}"' for k, v in attrs.items()]) + ">")
    for cell in row:
        if cell._comment is not None:
            self.ws._comments.append(CommentRecord.from_cell(cell))
        if cell._value is None and not cell.has_style and not cell._comment:
            continue
        styled = cell.has_style
        markup = _cell(cell, styled)
        if markup is None:
            etree_write_cell(xf, self.ws, cell, styled)
        else:
            write(markup)
    write("</row>")


def _cell(cell: Any, styled: bool) -> str | None:
    """The ``<c>`` markup openpyxl's ``etree_write_cell`` writes for ``cell``, or None for a cell
    left to it. Attributes in its order (r, s, t); a coordinate, a style number and a type need
    no escaping."""
    kind = cell.data_type
    value = cell._value
    if cell.hyperlink is not None:  # (a MergedCell has no _hyperlink)
        return None
    if kind == "d":
        value, attrs = _set_attributes(cell, styled)  # the date as a serial number (or ISO text)
        if type(value) not in (int, float, str):
            return None
        head = "<c" + "".join([f' {k}="{v}"' for k, v in attrs.items()])
    else:
        vt = type(value)
        if not (value is None or (kind == "n" and vt in (int, float)) or (kind in ("s", "f") and vt is str)):
            return None
        head = f'<c r="{cell.coordinate}"' + (f' s="{cell.style_id}"' if styled else "")
        if kind == "s":
            head += ' t="inlineStr"'
        elif kind != "f":
            head += f' t="{kind}"'
    if value is None or value == "":
        return head + " />"
    if kind == "f":
        return f"{head}><f>{_escape_cdata(value[1:])}</f><v /></c>"
    if kind == "s":
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        return f"{head}><is><t{space}>{_escape_cdata(value)}</t></is></c>"
    text = safe_string(value)
    return f"{head}><v>{_escape_cdata(text)}</v></c>" if text else f"{head}><v /></c>"
