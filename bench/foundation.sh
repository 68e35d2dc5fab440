#!/bin/sh
# SPDX-License-Identifier: MIT
# foundation.sh - the foundation issue's benchmark: 'tiara agenda' over 90
# days and 'tiara export' of 10,000 interviews, against their targets and
# against a Python peer (python3-icalendar) building the same calendar.
#
# usage: bench/foundation.sh            (from anywhere in the repository)
#
# Environment:
#   BUILD=DIR        release build dir (default: build-bench at the top)
#   EXPORT_RUNS=N    timed runs of each export command (default 5; the
#                    Python peer takes tens of seconds per run)
#   AGENDA_RUNS=N    timed runs of agenda (default 50)
#   CALLGRIND=0      skip the callgrind instruction counts
#
# Needs meson, ninja, sqlite3, hyperfine, /usr/bin/time, gcc and libical's
# headers (for tests/tools/ics_lint.c), valgrind (optional), and Debian's
# /usr/bin/python3 with python3-icalendar and python3-tz.
# Nothing is written outside $BUILD/bench and a mktemp directory in /tmp.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
EXPORT_RUNS=${EXPORT_RUNS:-5}
AGENDA_RUNS=${AGENDA_RUNS:-50}
CALLGRIND=${CALLGRIND:-1}
PY=/usr/bin/python3
OUT=$BUILD/bench
TMP=$(mktemp -d /tmp/tiara-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM

# The clock and the user's zone are fixed, so every run sees the same
# "now" against the same database.
TIARA_NOW=2026-12-01T09:00:00Z
TIARA_TZ=Europe/London
export TIARA_NOW TIARA_TZ
unset TIARA_DB

. "$ROOT/bench/need.sh"
need hyperfine hyperfine
need sqlite3 sqlite3
need /usr/bin/time time

say() { printf '== %s\n' "$*" >&2; }

release_build "$BUILD" "$ROOT"
TIARA=$BUILD/tiara
mkdir -p "$OUT"
gcc -O2 -o "$OUT/ics_lint" "$ROOT/tests/tools/ics_lint.c" \
    $(pkg-config --cflags --libs libical)

say "database: 3,000 contacts, 10,000 interviews"
DB=$OUT/bench.db
"$PY" "$ROOT/bench/make-db.py" "$TIARA" "$DB"

say "validate: agenda runs, export parses, the peer writes the same calendar"
"$TIARA" --db "$DB" agenda --days 90 >"$OUT/agenda.txt"
"$TIARA" --db "$DB" export -o "$TMP/tiara.ics" 2>/dev/null
"$OUT/ics_lint" "$TMP/tiara.ics"
"$PY" "$ROOT/bench/export_peer.py" "$DB" "$TMP/peer.ics"
# A peer that no longer writes the same calendar (src/ics/ics_write.c changed) is
# still timed, but the summary says so.
if "$PY" "$ROOT/bench/compare_exports.py" "$TMP/tiara.ics" "$TMP/peer.ics" \
    >"$OUT/compare.txt"; then
    FIDELITY=same
else
    FIDELITY=MISMATCH
fi
cat "$OUT/compare.txt"
printf 'agenda: %s lines; export: %s bytes, peer: %s bytes\n' \
    "$(wc -l <"$OUT/agenda.txt")" "$(wc -c <"$TMP/tiara.ics")" \
    "$(wc -c <"$TMP/peer.ics")" | tee -a "$OUT/compare.txt"

say "hyperfine: agenda --days 90"
hyperfine -N --warmup 3 --runs "$AGENDA_RUNS" --style basic \
    --export-json "$OUT/agenda.json" \
    -n "tiara agenda --days 90" \
    "$TIARA --db $DB agenda --days 90"

say "hyperfine: export, tiara and the Python peer side by side"
hyperfine -N --warmup 3 --runs "$EXPORT_RUNS" --style basic \
    --export-json "$OUT/export.json" \
    -n "tiara export" "$TIARA --db $DB export -o $TMP/x.ics" \
    -n "python3-icalendar peer" \
    "$PY $ROOT/bench/export_peer.py $DB $TMP/peer-x.ics"

say "/usr/bin/time -v: peak memory"
peak() { # name, command...: peak RSS in KiB, also kept in $OUT/time-NAME.txt
    name=$1
    shift
    /usr/bin/time -v "$@" >/dev/null 2>"$OUT/time-$name.txt"
    sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time-$name.txt"
}
RSS_AGENDA=$(peak agenda "$TIARA" --db "$DB" agenda --days 90)
RSS_EXPORT=$(peak export "$TIARA" --db "$DB" export -o "$TMP/x.ics")
RSS_PEER=$(peak peer "$PY" "$ROOT/bench/export_peer.py" "$DB" "$TMP/peer-x.ics")

IR_AGENDA=- IR_EXPORT=-
if [ "$CALLGRIND" != 0 ] && command -v valgrind >/dev/null; then
    say "callgrind: instructions of one agenda and one export"
    ir() { # name, command...: total instructions (Ir)
        name=$1
        shift
        valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$name" \
            "$@" >/dev/null 2>"$OUT/callgrind-$name.log"
        sed -n 's/.*Collected : //p' "$OUT/callgrind-$name.log" | tr -d ' '
    }
    IR_AGENDA=$(ir agenda "$TIARA" --db "$DB" agenda --days 90)
    IR_EXPORT=$(ir export "$TIARA" --db "$DB" export -o "$TMP/x.ics")
fi

say "summary"
"$PY" - "$OUT" "$RSS_AGENDA" "$RSS_EXPORT" "$RSS_PEER" "$IR_AGENDA" \
    "$IR_EXPORT" "$FIDELITY" <<'EOF' | tee "$OUT/summary.txt"
import json, os, platform, subprocess, sys

out, rss_a, rss_e, rss_p, ir_a, ir_e, fidelity = sys.argv[1:]
ag = json.load(open(os.path.join(out, "agenda.json")))["results"][0]
ex = json.load(open(os.path.join(out, "export.json")))["results"]
t, p = ex[0], ex[1]
cpu_ms = lambda r: (r["user"] + r["system"]) * 1000
mb = lambda kib: int(kib) * 1024 / 1e6  # MB = 10^6 bytes
ok = lambda good: "met" if good else "NOT met"
agenda_ms = ag["median"] * 1000
speed = p["median"] / t["median"]
rss = mb(rss_e)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
            if l.startswith("model name")), platform.machine())
print(f"machine: {cpu}, {os.cpu_count()} CPUs, load average "
      f"{os.getloadavg()[0]:.2f} at the end")
print(f"agenda --days 90: median {agenda_ms:.1f} ms "
      f"(min {ag['min'] * 1000:.1f}, max {ag['max'] * 1000:.1f}, "
      f"{len(ag['times'])} runs; CPU user+sys {cpu_ms(ag):.1f} ms); "
      f"target 50 ms: {agenda_ms / 50:.2f}x the target, {ok(agenda_ms < 50)}")
print(f"export: tiara median {t['median'] * 1000:.0f} ms (CPU "
      f"{cpu_ms(t):.0f} ms), python3-icalendar median "
      f"{p['median'] * 1000:.0f} ms (CPU {cpu_ms(p):.0f} ms), "
      f"{len(t['times'])} runs each; peer output: {fidelity} calendar")
print(f"export speed: python/tiara = {speed:.1f}x (CPU time: "
      f"{cpu_ms(p) / cpu_ms(t):.1f}x); target at least 20x: "
      f"{speed / 20:.2f}x the target, {ok(speed >= 20)}")
print(f"peak RSS: agenda {mb(rss_a):.1f} MB, tiara export {rss:.1f} MB, "
      f"python peer {mb(rss_p):.1f} MB")
print(f"export peak RSS target 64 MB: {rss / 64:.2f}x the target, "
      f"{ok(rss < 64)}")
load = os.getloadavg()[0]
if load > os.cpu_count():
    print(f"note: the machine was busy (load {load:.1f} on {os.cpu_count()} "
          "CPUs): wall times include waiting; CPU times are steadier")
if ir_a != "-":
    print(f"callgrind: agenda {int(ir_a):,} Ir, export {int(ir_e):,} Ir")
EOF
say "results in $OUT"
