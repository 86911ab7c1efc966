"""The Excel layer: converts cells to engine calls and engine results to cells; no deal logic.

- :mod:`~ascent_xl.excel.udfs` - the ``ASCENT_*`` worksheet functions (xlwings);
- :mod:`~ascent_xl.excel.cells` - cell values to engine arguments and back;
- :mod:`~ascent_xl.excel.layout` - where things are in a deal book (sheets, tables, names);
- :mod:`~ascent_xl.excel.template` - builds the deal-book template from code;
- :mod:`~ascent_xl.excel.book` - one read/write interface over openpyxl and xlwings books;
- :mod:`~ascent_xl.excel.refresh` - reads a book's inputs, runs the engine, writes its outputs;
- :mod:`~ascent_xl.excel.macros` - the Refresh button (xlwings);
- :mod:`~ascent_xl.excel.workbook_io` - headless refresh and new deal books on disk;
- :mod:`~ascent_xl.excel.vba` - the ``.xlsm`` skeleton (XlsxWriter): xlwings' VBA project with
  the Refresh macro (pyOpenVBA), its config sheet, the Refresh buttons;
- :mod:`~ascent_xl.excel.safety` - refusing hostile or broken files before openpyxl opens them;
- :mod:`~ascent_xl.excel.cached` / :mod:`~ascent_xl.excel.evaluate` - the formulas' values
  stored in every saved book, calculated by pycel with the ``ASCENT_*`` functions;
- :mod:`~ascent_xl.excel.render` - sheets to PNG with LibreOffice headless (``template render``);
- :mod:`~ascent_xl.excel.export` / :mod:`~ascent_xl.excel.formats` - schedule export, formats.
"""
