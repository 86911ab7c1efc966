"""Helpers for tests of the Excel plumbing: skip (or, on CI, fail) tests that need LibreOffice.

Set ``ASCENT_XL_REQUIRE_LIBREOFFICE=1`` (CI installs libreoffice-calc-nogui and poppler-utils) to
turn a missing ``soffice`` or ``pdftoppm`` into a failure instead of a skip.
"""

from __future__ import annotations

import os
import shutil

import pytest

from ascent_xl.excel.render import INSTALL_HINT, soffice_available

REQUIRE_ENV = "ASCENT_XL_REQUIRE_LIBREOFFICE"


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in ("1", "true", "yes")


def require_soffice() -> None:
    """Skip the calling test when LibreOffice is missing, or fail it when
    ``ASCENT_XL_REQUIRE_LIBREOFFICE=1``."""
    if soffice_available():
        return
    message = f"LibreOffice (soffice) not found; {INSTALL_HINT}"
    if _required():
        pytest.fail(f"{message} ({REQUIRE_ENV} is set)")
    pytest.skip(message)


def require_pdftoppm() -> None:
    """Like :func:`require_soffice`, for poppler's ``pdftoppm`` (and LibreOffice)."""
    require_soffice()
    if shutil.which("pdftoppm"):
        return
    message = "pdftoppm not found; install poppler-utils"
    if _required():
        pytest.fail(f"{message} ({REQUIRE_ENV} is set)")
    pytest.skip(message)
