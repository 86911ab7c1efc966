"""Work bounds for tests that used to assert a wall-clock time.

A time limit flakes on a loaded 2-core machine; the work a refusal does does not. These helpers
count it: the bytes read out of zip members (what a zip bomb or an entity bomb would make huge),
and whether a function was called at all (openpyxl must never be reached for a refused file).
The speed itself is measured in benchmarks/ as a ratio against a baseline in the same run.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Unzipped:
    """Bytes read out of zip members, in all and per member name."""

    total: int = 0
    by_member: dict[str, int] = field(default_factory=dict)


@contextmanager
def counting_unzip() -> Iterator[Unzipped]:
    """Count every byte ``zipfile.ZipExtFile.read``/``read1`` return while the block runs."""
    counter = Unzipped()
    originals = {name: getattr(zipfile.ZipExtFile, name) for name in ("read", "read1")}

    def counting(name: str):
        original = originals[name]

        def read(self, n=-1):
            data = original(self, n)
            counter.total += len(data)
            counter.by_member[self.name] = counter.by_member.get(self.name, 0) + len(data)
            return data

        return read

    try:
        for name in originals:
            setattr(zipfile.ZipExtFile, name, counting(name))
        yield counter
    finally:
        for name, original in originals.items():
            setattr(zipfile.ZipExtFile, name, original)
