#!/bin/bash
# SPDX-License-Identifier: MIT
# caldav-foreign.sh - a calendar that is mostly the user's own: N foreign
# events (timed, all-day, weekly series, tasks) beside M interviews.
# Measures the first sync, a no-op sync (requests, wall time, peak RSS),
# and what the foreign events cost 'schedule' (clash check) and 'agenda'.
# usage: bench/caldav-foreign.sh TIARA radicale|xandikos [N] [M]
# Needs curl, /usr/bin/time and Debian's /usr/bin/python3 with
# python3-requests, and the server package (scripts/install-deps.sh --test).
set -u
TIARA=$(realpath "$1")
KIND=$2
N=${3:-5000}
M=${4:-100}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/integration/servers.sh"
for need in curl /usr/bin/time; do
    command -v "$need" >/dev/null || { echo "caldav-foreign: needs $need" >&2; exit 1; }
done
"$PY" -c 'import requests' 2>/dev/null ||
    { echo "caldav-foreign: needs python3-requests for $PY" >&2; exit 1; }
B=$(mktemp -d)
SERVERS_KEEP_TRAP=1
trap 'server_cleanup; rm -rf "$B"' EXIT
export TZ=Europe/Paris TIARA_NOW="2026-11-20 09:00" TIARA_CONFIG=/dev/null
export TIARA_DB=$B/tiara.db
unset TIARA_PASSWORD

timed()
{
    /usr/bin/time -v -o "$B/time" "$@" >"$B/cmd.out" 2>"$B/cmd.err" || {
        cat "$B/cmd.err" >&2
        return 1
    }
    WALL=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$B/time")
    RSS=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$B/time")
}

server_start "$KIND" >/dev/null || exit 1
t0=$SECONDS
"$PY" - "$CAL_URL" "$N" <<'PYTHON' || exit 1
import sys, requests
url, n = sys.argv[1], int(sys.argv[2])
s = requests.Session()
shapes = [
    "DTSTART:2026{m:02d}{d:02d}T{h:02d}0000Z\r\nDURATION:PT45M\r\n",
    "DTSTART;VALUE=DATE:2026{m:02d}{d:02d}\r\n",
    "DTSTART:2026{m:02d}{d:02d}T{h:02d}3000Z\r\nDURATION:PT15M\r\nRRULE:FREQ=WEEKLY\r\n",
]
for i in range(n):
    if i % 10 == 9:
        comp = ("BEGIN:VTODO\r\nUID:todo-%d@phone\r\nDTSTAMP:20260101T000000Z\r\n"
                "SUMMARY:Errand %d\r\nEND:VTODO\r\n" % (i, i))
    else:
        when = shapes[i % 3].format(m=1 + i % 12, d=1 + i % 28, h=7 + i % 11)
        comp = ("BEGIN:VEVENT\r\nUID:ev-%d@phone\r\nDTSTAMP:20260101T000000Z\r\n%s"
                "SUMMARY:Own event %d\r\nEND:VEVENT\r\n" % (i, when, i))
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\n" + comp + "END:VCALENDAR\r\n"
    r = s.put(url + "f%d.ics" % i, data=body, headers={"Content-Type": "text/calendar"})
    if r.status_code not in (201, 204):
        sys.exit("PUT %d: HTTP %d" % (i, r.status_code))
PYTHON
echo "# $N foreign objects put in $((SECONDS - t0)) s" >&2
for i in $(seq 1 "$M"); do
    "$TIARA" contact add "Host $i" >/dev/null
    "$TIARA" schedule "Host $i" --at "$(printf "2026-12-%02d %02d:15" $((1 + i % 28)) $((8 + i % 9)))" --force >/dev/null
done
"$TIARA" calendar add b --url "$CAL_URL" >/dev/null
timed "$TIARA" sync || exit 1
echo "first_sync_s $WALL"
echo "first_sync_rss_kb $RSS"
echo "first_sync_line $(head -2 "$B/cmd.out" | tr '\n' ' ')"
timed "$TIARA" sync || exit 1
echo "noop_sync_s $WALL"
echo "noop_sync_rss_kb $RSS"
echo "noop_sync_line $(head -1 "$B/cmd.out")"
timed "$TIARA" schedule "Host 1" --at "2026-12-29 10:00" || exit 1
echo "schedule_with_clash_check_s $WALL"
echo "schedule_rss_kb $RSS"
timed "$TIARA" agenda --days 14 || exit 1
echo "agenda_14d_s $WALL"
echo "agenda_rss_kb $RSS"
echo "agenda_busy_lines $(grep -c 'busy (' "$B/cmd.out")"
