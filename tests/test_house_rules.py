"""House rules that code review alone would miss."""

from __future__ import annotations

import ast
import tokenize
from pathlib import Path

import ascent_xl
from ascent_xl.presets import ASTI_2022

PACKAGE = Path(ascent_xl.__file__).parent
# Every distinctive number of the deal; none may appear as a number in code outside the preset
# (in messages and docstrings they may: those are strings).
DEAL_NUMBERS = {0.925, 0.075, 0.29, 0.57, 0.045, 3.93042, 3.93, 0.0499, 0.0999, 1.05, 1.2, 1.3, 0.8,
                0.9, 0.35, 0.66, 12_500_000, 2_500_000, 33_930_812, 2_513_406, 700_000, 250_000,
                75_000_000, 35_000_000, 649_000, 300_000, 3_000_000, 25_000}
# (5,000,000 and 10,000,000, the fee tiers, are left out: too common as round limits elsewhere.)


def test_no_deal_number_outside_the_preset():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("presets.py", "samples.py"):
            continue
        with tokenize.open(path) as fh:
            for tok in tokenize.generate_tokens(fh.readline):
                if tok.type == tokenize.NUMBER and not tok.string.lower().endswith("j"):
                    if ast.literal_eval(tok.string) in DEAL_NUMBERS and "# not a deal term" not in tok.line:
                        offenders.append(f"{path.relative_to(PACKAGE)}:{tok.start[0]}: {tok.line.strip()}")
    assert not offenders, (
        "deal numbers in code (move them to the preset; if one is not a deal term, e.g. a chart's "
        "line width, say so with a '# not a deal term' comment on its line):\n" + "\n".join(offenders)
    )


def test_every_public_function_has_a_docstring():
    import importlib
    import inspect
    import pkgutil

    missing = []
    for info in pkgutil.walk_packages(ascent_xl.__path__, "ascent_xl."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                if not (obj.__doc__ or "").strip():
                    missing.append(f"{module.__name__}.{name}")
    assert not missing, missing


def test_preset_flat_terms_are_all_set():
    assert all(v is not None for k, v in ASTI_2022.flat().items()), "preset leaves no term blank"


def test_every_declared_term_is_read_outside_the_terms_and_the_preset():
    """A term a user edits must change something: each leaf term of the preset is read (as
    ``.name``) by code outside terms.py and presets.py, directly or through a property of
    terms.py that reads it (``maturity`` reads ``maturity_months``)."""
    import re

    sources = {p: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
               if p.name not in ("terms.py", "presets.py")}
    terms_src = (PACKAGE / "terms.py").read_text(encoding="utf-8")
    # properties of terms.py and the fields they read
    properties: dict[str, set[str]] = {}
    for m in re.finditer(r"@property\s+def (\w+)\(self\)[^:]*:(.*?)(?=\n    @|\n    def |\nclass |\n\n\n)", terms_src, re.S):
        properties[m.group(1)] = set(re.findall(r"self\.(\w+)", m.group(2)))

    def read(name: str) -> bool:
        return any(re.search(r"\." + name + r"\b", text) for text in sources.values())

    unused = []
    for leaf in sorted({k.rsplit(".", 1)[-1] for k in ASTI_2022.flat()}):
        if read(leaf) or any(leaf in fields and read(prop) for prop, fields in properties.items()):
            continue
        unused.append(leaf)
    assert not unused, f"declared terms read nowhere outside terms.py/presets.py: {unused}"
