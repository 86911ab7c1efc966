"""Python code run in a fresh interpreter (what a module imports at start, numba or not)."""

from __future__ import annotations

import os
import subprocess
import sys


def fresh_words(code: str, *, numba: str | None = None) -> list[str]:
    """The words ``code`` prints, run by this interpreter in a new process with this
    environment; ``numba``: ``ASCENT_XL_NUMBA`` set to it (None: left out, the default choice)."""
    env = {k: v for k, v in os.environ.items() if k != "ASCENT_XL_NUMBA"}
    if numba is not None:
        env["ASCENT_XL_NUMBA"] = numba
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return out.stdout.split()
