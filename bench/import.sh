#!/bin/sh
# SPDX-License-Identifier: MIT
# import.sh - issue 14's import benchmark: 'tiara import' of 100,000
# invitations (bench/make-ics.py, ~49 MiB) into a fresh database, then
# the same file again (nothing changes), each timed with hyperfine and
# its peak memory taken with /usr/bin/time -v. Targets: 3 s and 64 MB
# for the first, 1.5 s for the repeat.
#
# usage: bench/import.sh            (from anywhere in the repository)
#
# Environment:
#   BUILD=DIR     release build dir (default: build-bench at the top)
#   EVENTS=N      events in the file (default 100000)
#   RUNS=N        timed runs of each import (default 3)
#   OLD=BINARY    another tiara to time the same way, run by turns with
#                 this one (the import before streaming took 20 minutes
#                 here: set RUNS=1)
#
# Needs meson, ninja, hyperfine, /usr/bin/time and Debian's /usr/bin/python3.
# Nothing is written outside $BUILD/bench.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
EVENTS=${EVENTS:-100000}
RUNS=${RUNS:-3}
OLD=${OLD:-}
OUT=$BUILD/bench
TIARA_NOW=2026-12-01T09:00:00Z
TIARA_TZ=Europe/London
export TIARA_NOW TIARA_TZ
unset TIARA_DB TIARA_EMAIL

. "$ROOT/bench/need.sh"
need hyperfine hyperfine
need /usr/bin/time time
need /usr/bin/python3 python3
need meson meson

say() { printf '== %s\n' "$*" >&2; }

release_build "$BUILD" "$ROOT"
mkdir -p "$OUT"
ICS=$OUT/import-$EVENTS.ics
[ -f "$ICS" ] || /usr/bin/python3 "$ROOT/bench/make-ics.py" --events "$EVENTS" "$ICS"
printf 'file: %s events, %s bytes\n' "$EVENTS" "$(wc -c <"$ICS")"

# peak NAME TIARA DB: one import under /usr/bin/time -v, its wall time
# and peak resident memory, with the load beside them.
peak() {
    /usr/bin/time -v "$2" --db "$3" import "$ICS" >"$OUT/$1.out" 2>"$OUT/$1.time" || true
    printf '%-14s %s, %s MB peak; %s\n' "$1" \
        "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/$1.time")" \
        "$(awk '/Maximum resident/ { printf "%.1f", $6 / 1024 }' "$OUT/$1.time")" \
        "$(uptime | sed 's/.*load/load/')" | tee -a "$OUT/import.txt"
    tail -n 1 "$OUT/$1.out"
}

: >"$OUT/import.txt"
set -- "new:$BUILD/tiara"
[ -n "$OLD" ] && set -- "$@" "old:$OLD"
for run in $(seq 1 "$RUNS"); do
    for who in "$@"; do # by turns, so the load falls on both alike
        name=${who%%:*} bin=${who#*:}
        rm -f "$OUT/$name.db"*
        peak "$name-first" "$bin" "$OUT/$name.db"
        peak "$name-repeat" "$bin" "$OUT/$name.db"
    done
done

for who in "$@"; do
    name=${who%%:*} bin=${who#*:}
    say "hyperfine: $name, first import into a fresh database"
    hyperfine --runs "$RUNS" --prepare "rm -f '$OUT/$name.db' '$OUT/$name.db-wal' '$OUT/$name.db-shm'" \
        --export-markdown "$OUT/import-$name-first.md" \
        "'$bin' --db '$OUT/$name.db' import '$ICS'" -i
    say "hyperfine: $name, the same file again"
    hyperfine --runs "$RUNS" --warmup 1 \
        --export-markdown "$OUT/import-$name-repeat.md" \
        "'$bin' --db '$OUT/$name.db' import '$ICS'" -i
done
cat "$OUT/import.txt"
