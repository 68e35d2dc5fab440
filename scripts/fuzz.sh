#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh - build the libFuzzer harnesses (clang, ASan and UBSan) in
# build-fuzz/ and run each for SECONDS, two at a time (CI has 2 cores).
# Exits 1 naming the harness and the input saved when any finds a crash,
# a leak, undefined behaviour, a broken invariant or an input slower than
# 10 s.   usage: scripts/fuzz.sh SECONDS [HARNESS...]  (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:?usage: scripts/fuzz.sh SECONDS [HARNESS...]}
shift
all=(fuzz_ics_import fuzz_caldav_xml fuzz_when fuzz_agenda fuzz_config
     fuzz_url fuzz_dns fuzz_csvin)
targets=("${@:-${all[@]}}")

# The seeds each harness starts from.
seeds() {
    case $1 in
    fuzz_ics_import) echo fuzz/corpus-ics ;;
    fuzz_caldav_xml) echo tests/data/caldav ;;
    *) echo "fuzz/corpus-${1#fuzz_}" ;;
    esac
}

[ -d build-fuzz ] || CC=clang meson setup build-fuzz -Dfuzz=true \
    -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
meson compile -C build-fuzz >/dev/null

# What a run finds, and the inputs it adds, stay out of the seed folders.
out=$(mktemp -d "${TMPDIR:-/tmp}/tiara-fuzz.XXXXXX")
trap 'rm -rf "$out"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

run() {
    local name=$1 dir
    dir=$(seeds "$name")
    [ -d "$dir" ] || { echo "fuzz.sh: no seeds for $name in $dir" >&2; return 1; }
    mkdir -p "$out/$name/corpus" "$out/$name/found"
    build-fuzz/fuzz/"$name" -max_total_time="$secs" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$out/$name/found/" \
        "$out/$name/corpus" "$dir" >"$out/$name/log" 2>&1
}

report() {
    local name=$1 rc=$2 runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name/log")
    if [ "$rc" = 0 ]; then
        echo "$name: ${runs:-?} inputs in ${secs}s, nothing found"
        return 0
    fi
    tail -n 40 "$out/$name/log" >&2
    mkdir -p build-fuzz/found
    cp "$out/$name"/found/* build-fuzz/found/ 2>/dev/null || true
    echo "fuzz.sh: $name found a problem (exit $rc); inputs in build-fuzz/found/" >&2
    return 1
}

bad=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    a=${targets[i]}
    b=${targets[i + 1]:-}
    run "$a" & pa=$!
    [ -z "$b" ] || { run "$b" & pb=$!; }
    rc=0; wait "$pa" || rc=$?
    report "$a" "$rc" || bad=1
    if [ -n "$b" ]; then
        rc=0; wait "$pb" || rc=$?
        report "$b" "$rc" || bad=1
    fi
done
exit "$bad"
