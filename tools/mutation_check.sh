#!/usr/bin/env bash
# Check that tests kill given mutants, one mutant at a time, without a whole mutmut run:
#
#     tools/mutation_check.sh tests/ledger/test_ledger_limits.py -- NAME [NAME ...]
#
# NAME is a mutmut mutant name (mutmut show NAME). Needs the mutants/ folder a `tools/mutation.sh`
# run made (mutmut's copy of the package with every mutant behind a switch): the tests given are
# copied into it and run there with MUTANT_UNDER_TEST=NAME, as mutmut runs them, at most 60 s
# each (a mutant that loops for ever counts as killed, as mutmut's timeout does). Prints "killed"
# or "SURVIVED" per mutant; the tests must pass with no mutant (checked first).
set -euo pipefail
cd "$(dirname "$0")/.."
tests=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do tests+=("$1"); shift; done
if [ $# -eq 0 ] || [ ${#tests[@]} -eq 0 ]; then
    echo "usage: tools/mutation_check.sh TEST... -- MUTANT..." >&2
    exit 2
fi
shift
if [ ! -d mutants/ascent_xl ]; then
    echo "no mutants/ folder: run tools/mutation.sh first (its mutants are what this checks)" >&2
    exit 2
fi
rm -rf mutants/tests && cp -r tests mutants/tests
cd mutants
run() {
    ASCENT_XL_MUTATION=1 MUTANT_UNDER_TEST="$1" timeout 60 nice -n "${MUTATION_NICE:-19}" \
        python -m pytest -x -q -p no:cacheprovider -p no:xdist "${tests[@]}" >/dev/null 2>&1
}
if ! run ""; then
    echo "the tests fail without a mutant: fix them first" >&2
    exit 1
fi
for m in "$@"; do
    if run "$m"; then echo "SURVIVED $m"; else echo "killed   $m"; fi
done
