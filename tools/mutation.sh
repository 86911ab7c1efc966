#!/usr/bin/env bash
# Mutation testing of the core money code with mutmut (configuration: [tool.mutmut] in
# pyproject.toml). One command:
#
#     tools/mutation.sh                  # pricing, interest, fees, family and the ledger
#     tools/mutation.sh pricing ledger   # only these modules (pricing, interest, fees, family, ledger)
#     tools/mutation.sh 'ascent_xl.ledger.engine.*_convert*'   # mutants by mutmut name pattern
#
# Needs mutmut: pip install -e ".[mutation]". Each mutant runs only the tests that call the
# mutated function (mutmut records them in a first pass over tests/pricing, tests/interest,
# tests/fees, tests/ledger, tests/market, tests/terms, the doctests and the two position tests,
# tests/cli/test_cli_position.py and tests/excel/test_udfs_position.py), fastest first, stopping
# at the first failure; hypothesis tests run a fifth of their examples. MUTATION_JOBS processes
# (default 2), under `nice -n ${MUTATION_NICE:-19}` (the machine is shared). The five modules are
# about 6,700 mutants (pricing 1,507, interest 200, fees 113, family 522, ledger/ 4,379). Measured
# on this project's 2-core machine, idle, fresh clone of main at 8c227eb, 2026-12-02, with
# `/usr/bin/time env MUTATION_NICE=0 tools/mutation.sh`: 6,721 mutants in 886 s wall (14.8 min;
# 1,258 s user + 437 s sys CPU), generation, mutmut's first pass and the clean run included.
# Before tests/conftest.py's mutation-mode gc.freeze() and fastest-first ordering: 2,664 s CPU
# (about 22 min on 2 idle cores). A mutant that loops for ever stops at mutmut's CPU limit,
# 2 x 5 (timeout_multiplier) x (its tests' time + 1 s). See
# tools/mutation_focus.txt for a quick run of the rules issue 16 names. Results stay in mutants/ (ignored by
# git); a module name or pattern given reruns those mutants. Prints the score per module;
# `python tools/mutation_summary.py --survivors [PATTERN ...]` lists the survivors, `mutmut show
# NAME` shows one, `mutmut apply NAME` writes it into the source (undo with git checkout).
# Equivalent mutants (left out of the score, each with its reason): tools/mutation_equivalent/ (one file per module).
# Whether a test kills given mutants, without a whole run: tools/mutation_check.sh TEST -- NAME...
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mutmut >/dev/null 2>&1; then
    echo "mutmut not found: pip install -e \".[mutation]\"" >&2
    exit 2
fi
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then modules=(pricing interest fees family ledger); fi
patterns=()
for m in "${modules[@]}"; do
    case "$m" in
        pricing|interest|fees|family|ledger) patterns+=("ascent_xl.${m}.*") ;;
        ascent_xl.*) patterns+=("$m") ;;
        *) echo "unknown module '$m': give pricing, interest, fees, family, ledger or a mutant name pattern" >&2; exit 2 ;;
    esac
done
export ASCENT_XL_MUTATION=1  # hypothesis tests run a fifth of their examples (tests/helpers/budget.py)
# mutmut copies only the .py files it mutates again: refresh the package's data files (deal terms,
# samples) in its copy, or a terms file changed since the last run makes its clean test run fail
if [ -d mutants/ascent_xl ]; then cp -r ascent_xl/data/. mutants/ascent_xl/data/; fi
start=$(date +%s)
nice -n "${MUTATION_NICE:-19}" mutmut run --max-children "${MUTATION_JOBS:-2}" "${patterns[@]}" > mutants-run.log 2>&1 || {
    tail -n 30 mutants-run.log >&2
    exit 1
}
echo "mutmut run ${modules[*]}: $(( $(date +%s) - start )) s (log: mutants-run.log)"
python tools/mutation_summary.py "${patterns[@]}"
