#!/bin/bash
# SPDX-License-Identifier: MIT
# caldav-bench.sh - time 'tiara sync' against Radicale or Xandikos on
# 127.0.0.1, side by side with the floor (the same PUTs from one curl
# process over one connection) and vdirsyncer syncing the same entries,
# each to a fresh server.
# usage: bench/caldav-bench.sh TIARA radicale|xandikos N [RUNS]
# N entries come from N/4 interviews (each: event, preparation, thank-you
# and its host's check-in series). Prints one "key value" line per figure
# and a summary with the ratios.
set -u
TIARA=$(realpath "$1")
KIND=$2
N=$3
RUNS=${4:-10}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/need.sh"
need hyperfine hyperfine
need curl curl
need /usr/bin/time time
need vdirsyncer vdirsyncer
. "$here/../tests/integration/servers.sh"
B=$(mktemp -d)
SERVERS_KEEP_TRAP=1
trap 'server_cleanup; [ -n "${PROXY_PID:-}" ] && kill "$PROXY_PID" 2>/dev/null; rm -rf "$B"' EXIT
export TZ=Europe/Paris TIARA_NOW="2026-11-20 09:00" TIARA_CONFIG=/dev/null
unset TIARA_PASSWORD

say() { echo "$*" | tee -a "$B/results"; }

secs() { "$PY" -c "import json,sys; print('%.4f' % json.load(open(sys.argv[1]))['results'][0]['mean'])" "$1"; }

# wall seconds and peak RSS (kB) of one command, from /usr/bin/time -v
timed()
{
    /usr/bin/time -v -o "$B/time" "$@" >"$B/cmd.out" 2>"$B/cmd.err"
    local rc=$?
    WALL=$("$PY" -c '
import sys
for l in open(sys.argv[1]):
    if "Elapsed (wall clock)" in l:
        t = l.rsplit(" ", 1)[1].strip().split(":")
        s = 0.0
        for p in t:
            s = s * 60 + float(p)
        print("%.3f" % s)' "$B/time")
    RSS=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$B/time")
    CPU=$("$PY" -c '
import sys
t = 0.0
for l in open(sys.argv[1]):
    if "User time" in l or "System time" in l:
        t += float(l.rsplit(" ", 1)[1])
print("%.2f" % t)' "$B/time")
    return $rc
}

# Change the SUMMARY of one item, as a phone would (nothing else moves).
cat >"$B/edit.sh" <<'EOF'
#!/bin/bash
curl -s "$1" | tr -d '\r' | sed "s/^SUMMARY:.*/SUMMARY:Edited $RANDOM$RANDOM/" |
    sed 's/$/\r/' | curl -s -o /dev/null -X PUT -H 'Content-Type: text/calendar' --data-binary @- "$1"
EOF
chmod +x "$B/edit.sh"

# ---- the entries ----
DB=$B/tiara.db
export TIARA_DB=$DB
t0=$SECONDS
for i in $(seq 1 $((N / 4))); do
    day=$(date -u -d "2027-01-01 + $((i % 700)) days" +%Y-%m-%d)
    hour=$((8 + i % 9))
    "$TIARA" contact add "Host $i" --email "host$i@example.com" >/dev/null
    "$TIARA" schedule "host$i@example.com" --at "$day $hour:00" --force >/dev/null
done
echo "# $N entries made in $((SECONDS - t0)) s" >&2
cp "$DB" "$B/fresh.db"

# ---- tiara ----
server_start "$KIND" >/dev/null || exit 1
"$TIARA" calendar add b --url "$CAL_URL" >/dev/null
timed "$TIARA" sync || { cat "$B/cmd.out" "$B/cmd.err" "$B/time" >&2; exit 1; }
say "tiara_upload_s $WALL"
say "tiara_upload_cpu_s $CPU"
say "tiara_upload_rss_kb $RSS"
say "tiara_upload_line $(cat "$B/cmd.out")"
timed "$TIARA" sync
say "tiara_noop_rss_kb $RSS"
say "tiara_noop_line $(cat "$B/cmd.out")"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$B/h.json" "$TIARA sync" >/dev/null 2>&1
say "tiara_noop_s $(secs "$B/h.json")"
first=$(curl -s -X PROPFIND -H 'Depth: 1' "$CAL_URL" | grep -o '<[^>]*href>[^<]*\.ics</[^>]*href>' | sed 's/<[^>]*>//g' | head -1)
hyperfine -N --runs "$RUNS" --prepare "$B/edit.sh $SERVER_URL$first" \
    --export-json "$B/h.json" "$TIARA sync" >/dev/null 2>&1
say "tiara_onechange_s $(secs "$B/h.json")"
"$B/edit.sh" "$SERVER_URL$first"
say "tiara_onechange_line $("$TIARA" sync)"
count=$("$PY" "$here/caldav-dump.py" "$CAL_URL" "$B/files")
echo "# dumped $count items" >&2
server_cleanup >/dev/null 2>&1
SERVER_DIR=

# ---- the floor: one curl process, one connection, the same PUTs ----
# (QUICK=1 skips the floor and the second round: syncs only)
if [ -z "${QUICK:-}" ]; then
server_start "$KIND" >/dev/null || exit 1
: >"$B/curl.cfg"
for f in "$B"/files/*.ics; do
    name=$(basename "$f")
    enc=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$name")
    printf 'url = "%s%s"\nupload-file = "%s"\noutput = "/dev/null"\n' "$CAL_URL" "$enc" "$f" >>"$B/curl.cfg"
done
timed curl -s -K "$B/curl.cfg" -H 'Content-Type: text/calendar' -H 'If-None-Match: *' -H 'Expect:'
say "floor_upload_s $WALL"
say "floor_upload_cpu_s $CPU"
server_cleanup >/dev/null 2>&1
SERVER_DIR=
else
    say "floor_upload_s 0"
    say "floor_upload_cpu_s 0"
fi

# ---- vdirsyncer ----
server_start "$KIND" >/dev/null || exit 1
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
url = "$CAL_URL"
EOF
VD="vdirsyncer -c $B/vdir.cfg"
$VD discover p >/dev/null 2>&1 </dev/null
timed $VD sync p || { cat "$B/cmd.err" | tail -5; }
say "vdirsyncer_upload_s $WALL"
say "vdirsyncer_upload_rss_kb $RSS"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$B/h.json" "$VD sync p" >/dev/null 2>&1
say "vdirsyncer_noop_s $(secs "$B/h.json")"
hyperfine -N --runs "$RUNS" --prepare "$B/edit.sh $SERVER_URL$first" \
    --export-json "$B/h.json" "$VD sync p" >/dev/null 2>&1
say "vdirsyncer_onechange_s $(secs "$B/h.json")"

# request counts for vdirsyncer, through the counting proxy
: >"$B/rules"
: >"$B/proxy.log"
"$PY" "$here/../tests/integration/faultproxy.py" "$SERVER_PORT" "$B/rules" "$B/proxy.log" "$B/pport" &
PROXY_PID=$!
for i in $(seq 1 50); do [ -s "$B/pport" ] && break; sleep 0.1; done
sed -i "s#^url = .*#url = \"http://127.0.0.1:$(cat "$B/pport")${CAL_URL#$SERVER_URL}\"#" "$B/vdir.cfg"
$VD discover p >/dev/null 2>&1 </dev/null
$VD sync p >/dev/null 2>&1
: >"$B/proxy.log"
$VD sync p >/dev/null 2>&1
say "vdirsyncer_noop_requests $(wc -l <"$B/proxy.log") bytes $(awk '{i+=$4; o+=$5} END {print i+o}' "$B/proxy.log")"
"$B/edit.sh" "$SERVER_URL$first"
: >"$B/proxy.log"
$VD sync p >/dev/null 2>&1
say "vdirsyncer_onechange_requests $(wc -l <"$B/proxy.log") bytes $(awk '{i+=$4; o+=$5} END {print i+o}' "$B/proxy.log")"
kill "$PROXY_PID" 2>/dev/null
PROXY_PID=
server_cleanup >/dev/null 2>&1
SERVER_DIR=

# ---- second round of uploads, so a load spike on this machine does not
# decide the ratio: tiara and the floor again, each on a fresh server ----
if [ -z "${QUICK:-}" ]; then
server_start "$KIND" >/dev/null || exit 1
cp "$B/fresh.db" "$DB"
"$TIARA" calendar add b --url "$CAL_URL" >/dev/null
timed "$TIARA" sync
say "tiara_upload2_s $WALL"
server_cleanup >/dev/null 2>&1
SERVER_DIR=
server_start "$KIND" >/dev/null || exit 1
sed -i "s#http://127.0.0.1:[0-9]*/#$SERVER_URL/#" "$B/curl.cfg"
timed curl -s -K "$B/curl.cfg" -H 'Content-Type: text/calendar' -H 'If-None-Match: *' -H 'Expect:'
say "floor_upload2_s $WALL"
server_cleanup >/dev/null 2>&1
SERVER_DIR=
fi

# ---- summary ----
"$PY" - "$B/results" "$KIND" "$N" <<'EOF'
import sys
r = {}
for l in open(sys.argv[1]):
    k, _, v = l.strip().partition(" ")
    r[k] = v
f = lambda k: float(r[k].split()[0])
for k in ("tiara_upload_s", "floor_upload_s"):
    k2 = k.replace("_upload_", "_upload2_")
    if k2 in r:
        print(f"# {k}: {r[k].split()[0]} and {r[k2].split()[0]}; the lower is used")
        r[k] = str(min(f(k), f(k2)))
print(f"== {sys.argv[2]}, N = {sys.argv[3]}")
print(f"upload: tiara {f('tiara_upload_s'):.2f} s, floor {f('floor_upload_s'):.2f} s, "
      f"vdirsyncer {f('vdirsyncer_upload_s'):.2f} s; tiara/floor "
      f"{f('tiara_upload_s') / max(f('floor_upload_s'), 1e-9):.2f}, vdirsyncer/floor "
      f"{f('vdirsyncer_upload_s') / max(f('floor_upload_s'), 1e-9):.2f}")
print(f"client CPU for the upload: tiara {f('tiara_upload_cpu_s'):.2f} s, "
      f"curl {f('floor_upload_cpu_s'):.2f} s")
print(f"no-op sync: tiara {f('tiara_noop_s') * 1000:.1f} ms, vdirsyncer "
      f"{f('vdirsyncer_noop_s') * 1000:.1f} ms: "
      f"{f('vdirsyncer_noop_s') / f('tiara_noop_s'):.1f}x faster")
print(f"one remote change: tiara {f('tiara_onechange_s') * 1000:.1f} ms, "
      f"vdirsyncer {f('vdirsyncer_onechange_s') * 1000:.1f} ms: "
      f"{f('vdirsyncer_onechange_s') / f('tiara_onechange_s'):.1f}x faster")
print(f"peak RSS: tiara upload {f('tiara_upload_rss_kb') / 1024:.1f} MB, "
      f"no-op {f('tiara_noop_rss_kb') / 1024:.1f} MB; vdirsyncer upload "
      f"{f('vdirsyncer_upload_rss_kb') / 1024:.1f} MB")
for k in ("tiara_upload_line", "tiara_noop_line", "tiara_onechange_line",
          "vdirsyncer_noop_requests", "vdirsyncer_onechange_requests"):
    print(f"{k}: {r.get(k, '?')}")
EOF
