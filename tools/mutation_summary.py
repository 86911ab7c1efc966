"""Per-module summary of the last mutation run (mutmut's results in ``mutants/``).

Run by ``tools/mutation.sh``; on its own: ``python tools/mutation_summary.py [--survivors]
[PATTERN ...]`` (mutant name patterns: only those mutants are counted).

The score counts a mutant killed when a test failed on it (or it timed out); the denominator
leaves out the mutants listed in ``tools/mutation_equivalent/*.txt`` (equivalent mutants: no
input can change a result), each of which must still exist and show the recorded change.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
EQUIVALENT = ROOT / "tools" / "mutation_equivalent"  # one NAME.txt per module
MODULES = {  # module shown -> mutant-name prefix
    "pricing.py": "ascent_xl.pricing.",
    "interest.py": "ascent_xl.interest.",
    "fees.py": "ascent_xl.fees.",
    "family.py": "ascent_xl.family.",
    "ledger/": "ascent_xl.ledger.",
    "  engine": "ascent_xl.ledger.engine.",
    "  position": "ascent_xl.ledger.position.",
    "  checks": "ascent_xl.ledger.checks.",
    "  history": "ascent_xl.ledger.history.",
    "  schedule": "ascent_xl.ledger.schedule.",
    "  state": "ascent_xl.ledger.state.",
}
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout", None: "not run"}


def results() -> dict[str, str]:
    """Mutant name -> status, from every ``*.meta`` file of the last run."""
    out: dict[str, str] = {}
    for meta in sorted(MUTANTS.glob("ascent_xl/**/*.py.meta")):
        for name, code in json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].items():
            out[name] = STATUS.get(code, "suspicious")
    return out


def equivalent() -> dict[str, tuple[str, str]]:
    """Mutant name -> (the changed line as mutmut shows it, why it cannot change a result)."""
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(EQUIVALENT.glob("*.txt")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                name, changed, why = (x.strip() for x in line.split(" | ", 2))
            except ValueError:
                sys.exit(f"{path} line {n}: write NAME | CHANGED LINE | WHY")
            out[name] = (changed, why)
    return out


_SOURCES: dict[str, dict[str, list[str]]] = {}


def _functions(module: str) -> dict[str, list[str]]:
    """Function name -> its source lines, for every function of mutmut's copy of ``module``."""
    if module not in _SOURCES:
        path = MUTANTS / (module.replace(".", "/") + ".py")
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        lines = text.splitlines()
        _SOURCES[module] = {
            node.name: lines[node.lineno - 1:node.end_lineno]
            for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "__mutmut_" in node.name
        }
    return _SOURCES[module]


def shown_change(name: str) -> str:
    """The changed line(s) of mutant ``name`` against the original, stripped (what ``mutmut show
    NAME`` prints as '+' lines), read from mutmut's copy of the source (one parse a module)."""
    module, _, function = name.rpartition(".")
    funcs = _functions(module)
    original = funcs.get(function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig", [])[1:]
    mutant = funcs.get(function, [])[1:]
    diff = difflib.unified_diff(original, mutant, lineterm="", n=0)
    return " ".join(x[1:].strip() for x in diff if x.startswith("+") and not x.startswith("+++"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    ap.add_argument("patterns", nargs="*", help="count only the mutants whose names match")
    args = ap.parse_args()
    if not MUTANTS.exists():
        print("no mutants/ folder: run tools/mutation.sh first")
        return 1
    status = results()
    if args.patterns:
        status = {k: v for k, v in status.items() if any(fnmatch.fnmatch(k, p) for p in args.patterns)}
    equiv = equivalent()
    stale = []
    for name, (changed, _why) in equiv.items():
        if name not in status:
            continue  # not in this run
        if status[name] != "survived" or changed not in shown_change(name):
            stale.append(name)
    print(f"{'module':<12}{'mutants':>8}{'killed':>8}{'survived':>9}{'no tests':>9}{'equiv.':>7}{'score':>8}")
    for module, prefix in MODULES.items():
        mine = {k: v for k, v in status.items() if k.startswith(prefix)}
        ran = {k: v for k, v in mine.items() if v != "not run"}
        if not ran:
            continue
        c = Counter(ran.values())
        eq = sum(1 for k in ran if k in equiv and k not in stale)
        killed = c["killed"] + c["timeout"]
        denominator = len(ran) - eq - c["skipped"]
        score = f"{100 * killed / denominator:.1f}%" if denominator else "-"
        print(f"{module:<12}{len(ran):>8}{killed:>8}{c['survived']:>9}{c['no tests']:>9}{eq:>7}{score:>8}")
    if stale:
        print(f"\n{len(stale)} entries of tools/mutation_equivalent/ no longer match a surviving mutant (code changed?):")
        for name in stale:
            print(f"  {name}")
    if args.survivors:
        print("\nsurvivors (not listed as equivalent):")
        for name, v in sorted(status.items()):
            if v in ("survived", "no tests") and (name not in equiv or name in stale):
                print(f"  {v:<9} {name}\n            {shown_change(name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
