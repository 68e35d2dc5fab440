#!/bin/sh
# SPDX-License-Identifier: MIT
# scale.sh - issue 14's scale targets: 'tiara agenda' and 'tiara export'
# over a career centre's 100,000 interviews and 30,000 contacts
# (2008-2028), and agenda --days 90 over the foundation's 10,000.
#
# usage: bench/scale.sh                 (from anywhere in the repository)
#
# Environment:
#   BUILD=DIR        release build dir (default: build-bench at the top)
#   BEFORE=BINARY    an older tiara to compare with: its output must be
#                    byte-identical, and both are timed in alternation
#   RUNS=N           hyperfine runs of agenda --days 90 (default 30)
#   LONG_RUNS=N      runs of the all-years agenda and export (default 3)
#   ROUNDS=N         alternating before/after rounds (default 5)
#   CALLGRIND=0      skip the callgrind instruction counts
#
# The databases take about a minute to generate; they are kept in
# $BUILD/bench and made again only when bench/make-db.py changes.
# Nothing is written outside $BUILD/bench and a mktemp directory in /tmp.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
BEFORE=${BEFORE:-}
RUNS=${RUNS:-30}
LONG_RUNS=${LONG_RUNS:-3}
ROUNDS=${ROUNDS:-5}
CALLGRIND=${CALLGRIND:-1}
PY=/usr/bin/python3
OUT=$BUILD/bench
TMP=$(mktemp -d /tmp/tiara-scale.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM

TIARA_NOW=2026-12-01T09:00:00Z
TIARA_TZ=Europe/London
export TIARA_NOW TIARA_TZ
unset TIARA_DB

. "$ROOT/bench/need.sh"
need meson meson
need ninja ninja-build
need hyperfine hyperfine
need sqlite3 sqlite3
need /usr/bin/time time
need cmp diffutils
need "$PY" python3
"$PY" -c 'import zoneinfo; zoneinfo.ZoneInfo("Asia/Tokyo")' 2>/dev/null || {
    echo "bench: $PY needs zoneinfo data (Debian package tzdata)" >&2
    exit 1
}
if [ "$CALLGRIND" != 0 ]; then
    need valgrind valgrind
    need callgrind_annotate valgrind
fi
if [ -n "$BEFORE" ] && [ ! -x "$BEFORE" ]; then
    echo "bench: BEFORE='$BEFORE' is not a program" >&2
    exit 1
fi

say() { printf '== %s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

release_build "$BUILD" "$ROOT"
TIARA=$BUILD/tiara
mkdir -p "$OUT"

# A database per size, made by the binary that is oldest (its schema),
# and one copy per binary: a newer tiara migrates its copy, which an
# older one would then refuse.
MAKER=${BEFORE:-$TIARA}
STAMP=$(cat "$ROOT/bench/make-db.py" "$MAKER" | cksum | cut -d' ' -f1)
makedb() { # name, make-db.py arguments...
    name=$1
    shift
    if [ "$(cat "$OUT/$name.stamp" 2>/dev/null)" != "$STAMP" ]; then
        say "database $name: $*"
        "$PY" "$ROOT/bench/make-db.py" "$MAKER" "$OUT/$name.db" "$@"
        echo "$STAMP" >"$OUT/$name.stamp"
    fi
    cp "$OUT/$name.db" "$TMP/$name.db"
    [ -z "$BEFORE" ] || cp "$OUT/$name.db" "$TMP/$name-before.db"
}
makedb big --contacts 30000 --interviews 100000 --first-year 2008 \
    --last-year 2028
makedb small

# Every year the big database holds, and a day either side.
ALL="--from 2007-12-31 --to 2029-01-01"
BIG=$TMP/big.db
SMALL=$TMP/small.db

say "validate: outputs (and, with BEFORE, the same bytes as before)"
same() { # name, command args...: run on both binaries, compare
    name=$1
    shift
    "$TIARA" --db "$BIG" "$@" >"$TMP/$name.after"
    if [ -n "$BEFORE" ]; then
        "$BEFORE" --db "$TMP/big-before.db" "$@" >"$TMP/$name.before"
        cmp "$TMP/$name.before" "$TMP/$name.after" || {
            echo "bench: '$*' differs from BEFORE's" >&2
            exit 1
        }
    fi
    printf '%s: %s lines, %s bytes\n' "$name" \
        "$(wc -l <"$TMP/$name.after")" "$(wc -c <"$TMP/$name.after")"
}
same agenda90 agenda --days 90
# shellcheck disable=SC2086
same agenda-all agenda $ALL
same agenda-json agenda --days 90 --json
"$TIARA" --db "$BIG" export -o "$TMP/after.ics" 2>/dev/null
if [ -n "$BEFORE" ]; then
    "$BEFORE" --db "$TMP/big-before.db" export -o "$TMP/before.ics" \
        2>/dev/null
    cmp "$TMP/before.ics" "$TMP/after.ics" || {
        echo "bench: export differs from BEFORE's" >&2
        exit 1
    }
fi
printf 'export: %s bytes\n' "$(wc -c <"$TMP/after.ics")"
rm -f "$TMP"/*.after "$TMP"/*.before "$TMP/before.ics"

say "hyperfine: agenda --days 90 (load $(load))"
echo "load before hyperfine: $(load)" >"$OUT/scale-load.txt"
hyperfine -N --warmup 3 --runs "$RUNS" --style basic \
    --export-json "$OUT/scale-agenda90.json" \
    -n "agenda --days 90, 100k" "$TIARA --db $BIG agenda --days 90" \
    -n "agenda --days 90, 10k" "$TIARA --db $SMALL agenda --days 90"
echo "load after agenda --days 90: $(load)" >>"$OUT/scale-load.txt"

say "hyperfine: every year, agenda and export (load $(load))"
hyperfine -N --warmup 1 --runs "$LONG_RUNS" --style basic \
    --export-json "$OUT/scale-all.json" \
    -n "agenda, every year" \
    "sh -c '$TIARA --db $BIG agenda $ALL >/dev/null'" \
    -n "export, every year" "$TIARA --db $BIG export -o $TMP/x.ics"
echo "load after every year: $(load)" >>"$OUT/scale-load.txt"

say "/usr/bin/time -v: peak memory"
peak() { # name, command...: peak RSS in KiB, kept in $OUT/scale-time-NAME.txt
    name=$1
    shift
    /usr/bin/time -v "$@" >/dev/null 2>"$OUT/scale-time-$name.txt"
    sed -n 's/.*Maximum resident set size (kbytes): //p' \
        "$OUT/scale-time-$name.txt"
}
# shellcheck disable=SC2086
RSS_ALL=$(peak agenda-all "$TIARA" --db "$BIG" agenda $ALL)
RSS_EXPORT=$(peak export "$TIARA" --db "$BIG" export -o "$TMP/x.ics")
RSS_90=$(peak agenda90 "$TIARA" --db "$BIG" agenda --days 90)
RSS_BEFORE=-
if [ -n "$BEFORE" ]; then
    # shellcheck disable=SC2086
    RSS_BEFORE=$(peak agenda-all-before "$BEFORE" --db "$TMP/big-before.db" \
        agenda $ALL)
fi

if [ -n "$BEFORE" ]; then
    say "before and after, in alternation ($ROUNDS rounds, load $(load))"
    # shellcheck disable=SC2086
    "$PY" "$ROOT/bench/alternate.py" "$ROUNDS" "$OUT/scale-alternate.json" \
        "agenda90-100k" "$BEFORE --db $TMP/big-before.db agenda --days 90" \
        "$TIARA --db $BIG agenda --days 90" \
        "agenda90-10k" "$BEFORE --db $TMP/small-before.db agenda --days 90" \
        "$TIARA --db $SMALL agenda --days 90" \
        "agenda-all" "$BEFORE --db $TMP/big-before.db agenda $ALL" \
        "$TIARA --db $BIG agenda $ALL" \
        "export-all" "$BEFORE --db $TMP/big-before.db export -o $TMP/b.ics" \
        "$TIARA --db $BIG export -o $TMP/a.ics"
fi

IR_90=- IR_10K=-
if [ "$CALLGRIND" != 0 ]; then
    say "callgrind: instructions of agenda --days 90"
    ir() { # name, command...: total instructions (Ir)
        name=$1
        shift
        valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$name" \
            "$@" >/dev/null 2>"$OUT/callgrind-$name.log"
        sed -n 's/.*Collected : //p' "$OUT/callgrind-$name.log" | tr -d ' '
    }
    IR_90=$(ir scale-agenda90 "$TIARA" --db "$BIG" agenda --days 90)
    IR_10K=$(ir scale-agenda90-10k "$TIARA" --db "$SMALL" agenda --days 90)
fi
echo "load at the end: $(load)" >>"$OUT/scale-load.txt"

say "summary"
"$PY" - "$OUT" "$RSS_90" "$RSS_ALL" "$RSS_EXPORT" "$RSS_BEFORE" "$IR_90" \
    "$IR_10K" <<'EOF' | tee "$OUT/scale-summary.txt"
import json, os, platform, sys

out, rss_90, rss_all, rss_exp, rss_before, ir_90, ir_10k = sys.argv[1:]
res = lambda f: json.load(open(os.path.join(out, f)))["results"]
a90, a10 = res("scale-agenda90.json")
all_a, all_e = res("scale-all.json")
mb = lambda kib: int(kib) * 1024 / 1e6  # MB = 10^6 bytes
ms = lambda r: r["median"] * 1000
cpu = lambda r: (r["user"] + r["system"]) * 1000
ok = lambda good: "met" if good else "NOT met"
name = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
             if l.startswith("model name")), platform.machine())
print(f"machine: {name}, {os.cpu_count()} CPUs")
print(open(os.path.join(out, "scale-load.txt")).read().rstrip())
for label, r, target in (("agenda --days 90, 100k", a90, 50),
                         ("agenda --days 90, 10k", a10, 30)):
    print(f"{label}: median {ms(r):.1f} ms (min {r['min'] * 1000:.1f}, "
          f"CPU {cpu(r):.1f} ms, {len(r['times'])} runs); target {target} "
          f"ms: {ms(r) / target:.2f}x, {ok(ms(r) <= target)}")
for label, r, rss in (("agenda, every year", all_a, rss_all),
                      ("export, every year", all_e, rss_exp)):
    print(f"{label}: median {ms(r):.0f} ms (CPU {cpu(r):.0f} ms), peak "
          f"{mb(rss):.1f} MB; target 1 s: {ms(r) / 1000:.2f}x, "
          f"{ok(ms(r) <= 1000)}; 64 MB: {mb(rss) / 64:.2f}x, "
          f"{ok(mb(rss) <= 64)}")
print(f"agenda --days 90, 100k: peak {mb(rss_90):.1f} MB")
if rss_before != "-":
    print(f"agenda, every year, before: peak {mb(rss_before):.1f} MB")
alt = os.path.join(out, "scale-alternate.json")
if os.path.exists(alt) and os.path.getmtime(alt) > \
        os.path.getmtime(os.path.join(out, "scale-all.json")):
    for k, v in json.load(open(alt)).items():
        print(f"{k}: before {v['before'] * 1000:.1f} ms, after "
              f"{v['after'] * 1000:.1f} ms (medians), after/before "
              f"{v['after'] / v['before']:.2f}")
if ir_90 != "-":
    print(f"callgrind agenda --days 90: 100k {int(ir_90):,} Ir, "
          f"10k {int(ir_10k):,} Ir")
EOF
say "results in $OUT"
