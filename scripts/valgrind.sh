#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# valgrind.sh - the unit, cli and integration suites with tiara itself under
# valgrind: the unit tests directly, the scripts through
# tests/tools/valgrind-tiara.sh (-Dvalgrind=true), so bash is never checked.
# Fails on any memory error or definitely lost byte; ends with how many runs
# of tiara were checked and which logs hold findings.
# usage: scripts/valgrind.sh [SUITE...]   (default: unit cli integration)
set -uo pipefail
cd "$(dirname "$0")/.."
dir=build-valgrind
[ -d "$dir" ] || meson setup "$dir" -Dwerror=true -Dvalgrind=true \
    --buildtype=debugoptimized >/dev/null || exit 1
meson compile -C "$dir" >/dev/null || exit 1
logs=$dir/valgrind
rm -rf "$logs"
mkdir -p "$logs"
vg="valgrind -q --error-exitcode=99 --leak-check=full"
vg+=" --errors-for-leak-kinds=definite --track-fds=no --vgdb=no"

status=0
for suite in ${@:-unit cli integration}; do
    wrap=()
    # a unit test is the C program itself; a script calls tiara through
    # the wrapper (tests/meson.build)
    [ "$suite" = unit ] && wrap=(--wrapper "$vg")
    # valgrind runs tiara 20 to 50 times slower
    meson test -C "$dir" --suite "$suite" "${wrap[@]}" --print-errorlogs \
        --timeout-multiplier 10 --num-processes 2 || status=1
done

runs=$(find "$logs" -name '*.args' | wc -l)
found=0
for f in "$logs"/tiara.*; do
    case $f in *.args | *"*") continue ;; esac
    [ -s "$f" ] || continue
    found=$((found + 1))
    echo "== $f: tiara $(cat "$f.args")"
    cat "$f"
done
echo "valgrind: $runs runs of tiara checked, $found with findings"
[ "$found" -eq 0 ] || status=1
exit $status
