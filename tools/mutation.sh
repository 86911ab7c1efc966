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
# (default 2), under `nice -n ${MUTATION_NICE:-19}` (the machine is shared). The four modules are
# about 5,500 mutants (pricing 1,408, interest 199, fees 113, ledger/ 3,800: engine 2,526,
# position 653, checks 254, history 152, schedule 112, state 45). CPU cost, measured with `time`
# (user + sys, mutmut and its test processes) on this project's 2-core machine, 2026-12-02:
# 1,334 mutants (fees, interest, history and parts of engine and checks) took 185 s of CPU
# (0.14 s a mutant, generation and the first pass included), so the whole run is about 13 CPU
# minutes, 6-7 minutes on 2 idle cores, an estimate: on an idle machine each mutant that loops
# for ever (34 of those 1,334 timed out) burns CPU up to mutmut's limit (15 x its tests' time
# + 1 s), which the starved run did not; at nice 19 on the shared machine (load 13-18) the same
# 1,334 took 18 minutes of wall time and the whole run could not be timed to its end (see
# tools/mutation_focus.txt for a quick run of the rules issue 16 names). Results stay in mutants/ (ignored by
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
