"""ascent-xl in xlwings Lite: paste this into the xlwings Lite editor's main.py.

It registers the ASCENT_* worksheet functions (the same names and arguments as the classic
Windows functions) and the `ascent_refresh` script (the Refresh button of the deal book).
requirements.txt (beside this file) installs ascent-xl into the add-in's Python.
"""

from ascent_xl.excel.lite import *  # noqa: F403 - the ASCENT_* functions and ascent_refresh
