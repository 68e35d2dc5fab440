#!/bin/bash
# SPDX-License-Identifier: MIT
# caldav-noop-large.sh - peak memory of a large upload and the no-op sync
# at N entries (5000 in the issue), tiara and vdirsyncer on one server:
# uploading N entries three times over would take most of an hour.
# usage: bench/caldav-noop-large.sh TIARA radicale|xandikos N [RUNS]
set -u
TIARA=$(realpath "$1")
KIND=$2
N=$3
RUNS=${4:-5}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/need.sh"
need hyperfine hyperfine
need /usr/bin/time time
need vdirsyncer vdirsyncer
. "$here/../tests/integration/servers.sh"
B=$(mktemp -d)
SERVERS_KEEP_TRAP=1
trap 'server_cleanup; rm -rf "$B"' EXIT
export TZ=Europe/Paris TIARA_NOW="2026-11-20 09:00" TIARA_CONFIG=/dev/null
export TIARA_DB=$B/tiara.db
unset TIARA_PASSWORD

say() { echo "$*"; }
secs() { "$PY" -c "import json,sys; print('%.4f' % json.load(open(sys.argv[1]))['results'][0]['mean'])" "$1"; }

for i in $(seq 1 $((N / 4))); do
    day=$(date -u -d "2027-01-01 + $((i % 700)) days" +%Y-%m-%d)
    "$TIARA" contact add "Host $i" --email "host$i@example.com" >/dev/null
    "$TIARA" schedule "host$i@example.com" --at "$day $((8 + i % 9)):00" --force >/dev/null
done
server_start "$KIND" >/dev/null || exit 1
"$TIARA" calendar add b --url "$CAL_URL" >/dev/null
/usr/bin/time -f "%e %M" -o "$B/t" "$TIARA" sync >"$B/out" 2>&1
read -r wall rss <"$B/t"
say "tiara_upload_s $wall"
say "tiara_upload_rss_kb $rss"
say "tiara_upload_line $(cat "$B/out")"
/usr/bin/time -f "%e %M" -o "$B/t" "$TIARA" sync >"$B/out" 2>&1
read -r wall rss <"$B/t"
say "tiara_noop_rss_kb $rss"
say "tiara_noop_line $(cat "$B/out")"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$B/h.json" "$TIARA sync" >/dev/null 2>&1
say "tiara_noop_s $(secs "$B/h.json")"

# vdirsyncer: the same entries on disk, paired with the same calendar
"$PY" "$here/caldav-dump.py" "$CAL_URL" "$B/files" >/dev/null
mkdir -p "$B/vstatus"
cat >"$B/vdir.cfg" <<EOF
[general]
status_path = "$B/vstatus/"

[pair p]
a = "local"
b = "remote"
collections = null
conflict_resolution = "a wins"

[storage local]
type = "filesystem"
path = "$B/files/"
fileext = ".ics"

[storage remote]
type = "caldav"
url = "$CAL_URL"
EOF
VD="vdirsyncer -c $B/vdir.cfg"
$VD discover p >/dev/null 2>&1 </dev/null
$VD sync p >/dev/null 2>&1
/usr/bin/time -f "%e %M" -o "$B/t" $VD sync p >/dev/null 2>&1
read -r wall rss <"$B/t"
say "vdirsyncer_noop_rss_kb $rss"
hyperfine -N --runs "$RUNS" --export-json "$B/h.json" "$VD sync p" >/dev/null 2>&1
say "vdirsyncer_noop_s $(secs "$B/h.json")"
