"""Example counts of the hypothesis tests of the core money code.

``tools/mutation.sh`` reruns those tests on every mutant; it sets ``ASCENT_XL_MUTATION=1`` and the
counts drop to a fifth (at least 10). Everywhere else a test runs the count it names.
"""

from __future__ import annotations

import os

MUTATION = os.environ.get("ASCENT_XL_MUTATION", "").strip() == "1"


def examples(n: int) -> int:
    """``n`` hypothesis examples, or a fifth of them (at least 10) in a mutation run."""
    return max(10, n // 5) if MUTATION else n
