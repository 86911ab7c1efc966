#!/usr/bin/env bash
# Mutation testing of the core money code with mutmut (configuration: [tool.mutmut] in
# pyproject.toml). One command:
#
#     tools/mutation.sh                  # pricing, interest, fees and the ledger
#     tools/mutation.sh pricing ledger   # only these modules (pricing, interest, fees, ledger)
#     tools/mutation.sh 'ascent_xl.ledger.engine.*_convert*'   # mutants by mutmut name pattern
#
# Needs mutmut: pip install -e ".[mutation]". Each mutant runs only the tests that call the
# mutated function (mutmut records them in a first pass over tests/pricing, tests/interest,
# tests/fees, tests/ledger, tests/market, tests/terms and the doctests), fastest first, stopping at
# the first failure; hypothesis tests run a fifth of their examples. MUTATION_JOBS processes
# (default 2), under `nice -n ${MUTATION_NICE:-10}`. Measured on this project's 2-core machine
# while seven other developers used it (load 15-19): the focus list (tools/mutation_focus.txt,
# 655 mutants) took 830 s wall and 2.7 min of CPU (user + sys, as `time` reports); the four modules together are about 3,400
# mutants (the full run was not timed to the end here). Results stay in mutants/ (ignored by
# git); a module name or pattern given reruns those mutants. Prints the score per module;
# `python tools/mutation_summary.py --survivors [PATTERN ...]` lists the survivors, `mutmut show
# NAME` shows one, `mutmut apply NAME` writes it into the source (undo with git checkout).
# Equivalent mutants (left out of the score, each with its reason): tools/mutation_equivalent.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mutmut >/dev/null 2>&1; then
    echo "mutmut not found: pip install -e \".[mutation]\"" >&2
    exit 2
fi
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then modules=(pricing interest fees ledger); fi
patterns=()
for m in "${modules[@]}"; do
    case "$m" in
        pricing|interest|fees|ledger) patterns+=("ascent_xl.${m}.*") ;;
        ascent_xl.*) patterns+=("$m") ;;
        *) echo "unknown module '$m': give pricing, interest, fees, ledger or a mutant name pattern" >&2; exit 2 ;;
    esac
done
export ASCENT_XL_MUTATION=1  # hypothesis tests run a fifth of their examples (tests/helpers/budget.py)
start=$(date +%s)
nice -n "${MUTATION_NICE:-19}" mutmut run --max-children "${MUTATION_JOBS:-2}" "${patterns[@]}" > mutants-run.log 2>&1 || {
    tail -n 30 mutants-run.log >&2
    exit 1
}
echo "mutmut run ${modules[*]}: $(( $(date +%s) - start )) s (log: mutants-run.log)"
python tools/mutation_summary.py "${patterns[@]}"
