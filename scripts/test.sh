#!/usr/bin/env bash
# README command 2: install what is missing, build with warnings as errors,
# and run every test suite, then again under ASan and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test

# The house rules first: one-way includes, and the one format.
scripts/check-layers.sh
git ls-files -z 'src/*.[ch]' 'include/*.h' 'tests/*.[ch]' 'fuzz/*.c' |
    xargs -0 clang-format --dry-run -Werror

# run_suite DIR "SUITES TO SKIP" SETUP-ARGS...
run_suite() {
    local dir=$1 skip=()
    for s in $2; do skip+=(--no-suite "$s"); done
    shift 2
    [ -d "$dir" ] || meson setup "$dir" -Dwerror=true "$@" >/dev/null
    meson compile -C "$dir" >/dev/null
    # 'realtime' is a two-minute wall-clock check, run by bench/ instead.
    meson test -C "$dir" --no-suite realtime "${skip[@]}" --print-errorlogs \
        --num-processes 2
}

# The CalDAV integration suites run once, in the sanitizers' build below,
# where they check memory as well (run twice they would not fit CI's 15
# minutes beside the new tests).
run_suite build-test integration --buildtype=debugoptimized
# No circle of calls between files, read from what was just built.
python3 scripts/check-calls.py build-test
# The kill -9 runs are not built there (meson.build: crash_build), and the
# tzdata comparison checks data, not memory: both run once, above.
# The integration suites run here only.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run_suite build-asan tzdata -Db_sanitize=address,undefined -Db_lundef=false
# Every parser's libFuzzer harness for 10 s, two at a time (CI's 15
# minutes leave no more): a finding fails the run (an hour each: README
# "Fuzzing").
scripts/fuzz.sh 10
echo "all tests passed"
