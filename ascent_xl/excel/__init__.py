"""The Excel layer: converts cells to engine calls and engine results to cells; no deal logic.

- :mod:`~ascent_xl.excel.udfs` - the ``ASCENT_*`` worksheet functions (xlwings);
- :mod:`~ascent_xl.excel.cells` - cell values to engine arguments and back;
- :mod:`~ascent_xl.excel.layout` - where things are in a deal book (sheets, tables, names);
- :mod:`~ascent_xl.excel.template` - builds the deal-book template from code;
- :mod:`~ascent_xl.excel.book` - one read/write interface over openpyxl and xlwings books;
- :mod:`~ascent_xl.excel.refresh` - reads a book's inputs, runs the engine, writes its outputs;
- :mod:`~ascent_xl.excel.macros` - the Refresh button (xlwings);
- :mod:`~ascent_xl.excel.workbook_io` - headless refresh and new deal books on disk;
- :mod:`~ascent_xl.excel.vba` - xlwings' VBA project, its config sheet, form-control buttons;
- :mod:`~ascent_xl.excel.safety` - refusing hostile or broken files before openpyxl opens them;
- :mod:`~ascent_xl.excel.recalc` / :mod:`~ascent_xl.excel.render` - LibreOffice headless
  recalculation and rendering (tests, docs);
- :mod:`~ascent_xl.excel.evaluate` - pycel evaluation of ``ASCENT_*`` cells (tests);
- :mod:`~ascent_xl.excel.export` / :mod:`~ascent_xl.excel.formats` - schedule export, formats.
"""
