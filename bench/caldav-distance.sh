#!/bin/bash
# SPDX-License-Identifier: MIT
# caldav-distance.sh - the CalDAV bench at internet distance: tiara, the
# floor (the same PUTs from one curl process over one connection) and
# vdirsyncer each reach a fresh Radicale or Xandikos through
# bench/latency-proxy.py, which adds RTT ms to every round trip and counts
# requests. Times the initial upload of N entries, then the no-op sync and
# a sync after one remote SUMMARY change (made on the server directly).
# usage: bench/caldav-distance.sh TIARA radicale|xandikos [N] [RTT_MS]
# N defaults to 1000, RTT_MS to 50. CONNECTIONS=K sets tiara's
# 'connections' (default: tiara's own default); SERIAL=1 adds a tiara run
# with connections = 1. Prints "key value" lines and a summary with the
# ratios and the load (uptime) at each figure.
set -u
TIARA=$(realpath "$1")
KIND=$2
N=${3:-1000}
RTT=${4:-50}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/need.sh"
need curl curl
need /usr/bin/time time
need vdirsyncer vdirsyncer
need /usr/bin/python3 python3
. "$here/../tests/integration/servers.sh"
B=$(mktemp -d)
SERVERS_KEEP_TRAP=1
trap 'server_cleanup; [ -n "${LP_PID:-}" ] && kill "$LP_PID" 2>/dev/null; rm -rf "$B"' EXIT
export TZ=Europe/Paris TIARA_NOW="2026-11-20 09:00" TIARA_CONFIG=$B/config.ini
unset TIARA_PASSWORD
: >"$TIARA_CONFIG"
[ -n "${CONNECTIONS:-}" ] && printf '[sync]\nconnections = %s\n' "$CONNECTIONS" >"$TIARA_CONFIG"

load() { uptime | sed 's/.*load average: //; s/,.*//'; }
say() { echo "$*" | tee -a "$B/results"; }

timed()
{
    /usr/bin/time -f '%e %M' -o "$B/time" "$@" >"$B/cmd.out" 2>"$B/cmd.err"
    local rc=$?
    read -r WALL RSS <"$B/time"
    return $rc
}

# The proxy in front of the running server; sets LP_URL (the calendar
# through it). Requests are counted in $B/lp.stats.
proxy_start()
{
    proxy_stop
    rm -f "$B/lp.port" "$B/lp.stats"
    "$PY" "$here/latency-proxy.py" "$SERVER_PORT" --rtt-ms "$RTT" \
        --time-limit 1800 --stats "$B/lp.stats" >"$B/lp.port" &
    LP_PID=$!
    for _ in $(seq 1 50); do [ -s "$B/lp.port" ] && [ -s "$B/lp.stats" ] && break; sleep 0.1; done
    LP_URL="http://127.0.0.1:$(cat "$B/lp.port")${CAL_URL#"$SERVER_URL"}"
    mark
}

proxy_stop()
{
    [ -n "${LP_PID:-}" ] && kill "$LP_PID" 2>/dev/null && wait "$LP_PID" 2>/dev/null
    LP_PID=
}

# Requests and connections since the last 'mark' (the proxy's counts
# only grow).
mark() { read -r _ MARK_REQ _ MARK_CONN <"$B/lp.stats"; }
requests() { awk -v m="$MARK_REQ" '{ print $2 - m }' "$B/lp.stats"; }
conns() { awk -v m="$MARK_CONN" '{ print $4 - m }' "$B/lp.stats"; }

# Change the SUMMARY of one item on the server itself, as a phone would.
edit_one()
{
    curl -s "$SERVER_URL$1" | tr -d '\r' | sed "s/^SUMMARY:.*/SUMMARY:Edited $RANDOM$RANDOM/" |
        sed 's/$/\r/' | curl -s -o /dev/null -X PUT -H 'Content-Type: text/calendar' \
        --data-binary @- "$SERVER_URL$1"
}

# The median wall time of 'runs' runs of a command, each after 'prep'.
median()
{
    local runs=$1 prep=$2 t=()
    shift 2
    for _ in $(seq 1 "$runs"); do
        $prep
        timed "$@"
        t+=("$WALL")
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

# ---- the entries (N/4 interviews: event, preparation, thank-you and the
# host's check-in series) ----
DB=$B/tiara.db
export TIARA_DB=$DB
for i in $(seq 1 $((N / 4))); do
    day=$(date -u -d "2027-01-01 + $((i % 700)) days" +%Y-%m-%d)
    "$TIARA" contact add "Host $i" --email "host$i@example.com" >/dev/null
    "$TIARA" schedule "host$i@example.com" --at "$day $((8 + i % 9)):00" --force >/dev/null
done
cp "$DB" "$B/fresh.db"
say "rtt_ms $RTT"
say "entries $N"

# ---- tiara: upload, no-op, one remote change ----
tiara_upload()
{
    local key=$1
    server_start "$KIND" >/dev/null || exit 1
    proxy_start
    cp "$B/fresh.db" "$DB"
    "$TIARA" calendar add b --url "$LP_URL" >/dev/null
    mark
    local l0
    l0=$(load)
    timed "$TIARA" sync || { cat "$B/cmd.out" "$B/cmd.err" >&2; exit 1; }
    say "${key}_upload_s $WALL load $l0 requests $(requests) connections $(conns)"
    say "${key}_upload_line $(cat "$B/cmd.out")"
}
tiara_upload tiara
"$TIARA" sync >/dev/null
mark
"$TIARA" sync >"$B/noop.out"
say "tiara_noop_requests $(requests)"
say "tiara_noop_s $(median 5 true "$TIARA" sync) load $(load)"
first=$(curl -s -X PROPFIND -H 'Depth: 1' "$CAL_URL" | grep -o '<[^>]*href>[^<]*\.ics</[^>]*href>' | sed 's/<[^>]*>//g' | head -1)
edit_one "$first"
mark
"$TIARA" sync >"$B/one.out"
say "tiara_onechange_requests $(requests) ($(cat "$B/one.out"))"
say "tiara_onechange_s $(median 5 "edit_one $first" "$TIARA" sync) load $(load)"
"$PY" "$here/caldav-dump.py" "$CAL_URL" "$B/files" >/dev/null
proxy_stop
server_cleanup >/dev/null 2>&1
SERVER_DIR=

# ---- the floor: one curl process, one connection, the same PUTs ----
floor_upload()
{
    server_start "$KIND" >/dev/null || exit 1
    proxy_start
    : >"$B/curl.cfg"
    for f in "$B"/files/*.ics; do
        name=$(basename "$f")
        enc=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$name")
        printf 'url = "%s%s"\nupload-file = "%s"\noutput = "/dev/null"\n' "$LP_URL" "$enc" "$f" >>"$B/curl.cfg"
    done
    local l0
    l0=$(load)
    timed curl -s -K "$B/curl.cfg" -H 'Content-Type: text/calendar' -H 'If-None-Match: *' -H 'Expect:'
    say "floor_upload_s $WALL load $l0 requests $(requests) connections $(conns)"
    proxy_stop
    server_cleanup >/dev/null 2>&1
    SERVER_DIR=
}
floor_upload

# ---- vdirsyncer: upload, no-op, one remote change ----
server_start "$KIND" >/dev/null || exit 1
proxy_start
rm -rf "$B/vfiles" "$B/vstatus"
mkdir -p "$B/vfiles" "$B/vstatus"
cp "$B"/files/*.ics "$B/vfiles/"
cat >"$B/vdir.cfg" <<EOF
[general]
status_path = "$B/vstatus/"

[pair p]
a = "local"
b = "remote"
collections = null

[storage local]
type = "filesystem"
path = "$B/vfiles/"
fileext = ".ics"

[storage remote]
type = "caldav"
url = "$LP_URL"
EOF
VD="vdirsyncer -c $B/vdir.cfg"
$VD discover p >/dev/null 2>&1 </dev/null
mark
l0=$(load)
timed $VD sync p || tail -5 "$B/cmd.err"
say "vdirsyncer_upload_s $WALL load $l0 requests $(requests) connections $(conns)"
$VD sync p >/dev/null 2>&1
mark
$VD sync p >/dev/null 2>&1
say "vdirsyncer_noop_requests $(requests)"
say "vdirsyncer_noop_s $(median 3 true $VD sync p) load $(load)"
vfirst=$(curl -s -X PROPFIND -H 'Depth: 1' "$CAL_URL" | grep -o '<[^>]*href>[^<]*\.ics</[^>]*href>' | sed 's/<[^>]*>//g' | head -1)
edit_one "$vfirst"
mark
$VD sync p >/dev/null 2>&1
say "vdirsyncer_onechange_requests $(requests)"
say "vdirsyncer_onechange_s $(median 3 "edit_one $vfirst" $VD sync p) load $(load)"
proxy_stop
server_cleanup >/dev/null 2>&1
SERVER_DIR=

# ---- second round of uploads (alternated, so one load spike does not
# decide a ratio) ----
tiara_upload tiara2
proxy_stop
server_cleanup >/dev/null 2>&1
SERVER_DIR=
if [ -n "${SERIAL:-}" ]; then
    printf '[sync]\nconnections = 1\n' >"$TIARA_CONFIG"
    tiara_upload serial
    proxy_stop
    server_cleanup >/dev/null 2>&1
    SERVER_DIR=
fi

# ---- summary ----
"$PY" - "$B/results" "$KIND" <<'EOF'
import sys
r = {}
for l in open(sys.argv[1]):
    k, _, v = l.strip().partition(" ")
    r[k] = v
f = lambda k: float(r[k].split()[0])
up = min(f("tiara_upload_s"), f("tiara2_upload_s"))
print(f"== {sys.argv[2]}, N = {r['entries']}, RTT {r['rtt_ms']} ms")
print(f"upload: tiara {up:.2f} s ({f('tiara_upload_s'):.2f} and {f('tiara2_upload_s'):.2f}), "
      f"floor {f('floor_upload_s'):.2f} s, vdirsyncer {f('vdirsyncer_upload_s'):.2f} s; "
      f"vdirsyncer/tiara {f('vdirsyncer_upload_s') / up:.2f}, floor/tiara "
      f"{f('floor_upload_s') / up:.2f}")
if "serial_upload_s" in r:
    print(f"tiara with connections = 1: {f('serial_upload_s'):.2f} s")
print(f"no-op: tiara {f('tiara_noop_s') * 1000:.0f} ms in {r['tiara_noop_requests']} "
      f"request(s), vdirsyncer {f('vdirsyncer_noop_s') * 1000:.0f} ms in "
      f"{r['vdirsyncer_noop_requests']}: {f('vdirsyncer_noop_s') / f('tiara_noop_s'):.1f}x")
print(f"one remote change: tiara {f('tiara_onechange_s') * 1000:.0f} ms in "
      f"{r['tiara_onechange_requests'].split()[0]} request(s), vdirsyncer "
      f"{f('vdirsyncer_onechange_s') * 1000:.0f} ms in {r['vdirsyncer_onechange_requests']}: "
      f"{f('vdirsyncer_onechange_s') / f('tiara_onechange_s'):.1f}x")
for k in ("tiara_upload_s", "tiara2_upload_s", "floor_upload_s", "vdirsyncer_upload_s",
          "tiara_noop_s", "vdirsyncer_noop_s", "tiara_upload_line"):
    print(f"{k}: {r.get(k, '?')}")
EOF
