"""The Excel layer: converts cells to engine calls and engine results to cells; no deal logic.

- :mod:`ascent_xl.excel.udfs` — the ``ASCENT_*`` worksheet functions (xlwings);
- :mod:`ascent_xl.excel.cells` — cell values to engine arguments and back;
- :mod:`ascent_xl.excel.evaluate` — a workbook's formulas calculated by pycel, UDFs included;
"""
