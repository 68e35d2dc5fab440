#!/bin/bash
# SPDX-License-Identifier: MIT
# caldav-foreign.sh - a calendar that is mostly the user's own: N foreign
# events (timed, all-day, weekly series, tasks) beside M interviews.
# Measures the first sync, a no-op sync (requests, wall and CPU time, peak
# RSS), and what the foreign events cost 'schedule' (clash check) and
# 'agenda'; then, by curl, the server's own time for the no-op's REPORT,
# one PUT and one multiget of 100, to tell its time from tiara's.
# usage: bench/caldav-foreign.sh TIARA radicale|xandikos|davical [N] [M]
# (the issue's case: N=20000 M=100; TIMEOUT=seconds, default 300)
# Needs curl, /usr/bin/time, Debian's /usr/bin/python3 and the server
# package (scripts/install-deps.sh --test).
set -u
TIARA=$(realpath "$1")
KIND=$2
N=${3:-5000}
M=${4:-100}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/integration/servers.sh"
. "$here/need.sh"
need curl curl
need /usr/bin/time time
B=$(mktemp -d)
SERVERS_KEEP_TRAP=1
trap 'server_cleanup; rm -rf "$B"' EXIT
# a server answering 20,000 items on a loaded machine may think for
# longer than the default 30 s before its first byte
printf '[sync]\ntimeout = %s\n' "${TIMEOUT:-300}" >"$B/config.ini"
export TZ=Europe/Paris TIARA_NOW="2026-11-20 09:00" TIARA_CONFIG=$B/config.ini
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
    CPU=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$B/time")
}

server_start "$KIND" >/dev/null || exit 1
t0=$SECONDS
case "$KIND" in
radicale | xandikos)
    # straight into the stopped server's store: N PUTs would take most of
    # an hour at N = 20000; SEED=put measures that way
    case "$KIND" in
    radicale) coll=$SERVER_DIR/store/collection-root${CAL_URL#"$SERVER_URL"} ;;
    xandikos) coll=$SERVER_DIR/store${CAL_URL#"$SERVER_URL"} ;;
    esac
    ;;
esac
if [ "${SEED:-}" = put ] || [ -z "${coll:-}" ]; then
    "$PY" "$here/seed-foreign.py" put "$CAL_URL" "$N" || exit 1
else
    server_stop
    "$PY" "$here/seed-foreign.py" "$KIND" "$coll" "$N" || exit 1
    server_run "$KIND" >/dev/null || exit 1
    # the first listing after a restart builds the server's own cache:
    # do it here, untimed, as a server that has been running would have
    t1=$SECONDS
    curl -s -o /dev/null -X PROPFIND -H 'Depth: 1' "$CAL_URL" || exit 1
    echo "# server warmed in $((SECONDS - t1)) s" >&2
fi
echo "# $N foreign objects seeded in $((SECONDS - t0)) s" >&2
for i in $(seq 1 "$M"); do
    "$TIARA" contact add "Host $i" >/dev/null
    "$TIARA" schedule "Host $i" --at "$(printf "2026-12-%02d %02d:15" $((1 + i % 28)) $((8 + i % 9)))" --force >/dev/null
done
"$TIARA" calendar add b --url "$CAL_URL" >/dev/null
echo "load_before $(uptime | sed 's/.*load average: //')"
timed "$TIARA" sync || exit 1
echo "first_sync_s $WALL"
echo "first_sync_cpu_s $CPU"
echo "first_sync_rss_kb $RSS"
echo "first_sync_line $(head -2 "$B/cmd.out" | tr '\n' ' ')"
timed "$TIARA" sync || exit 1
echo "noop_sync_s $WALL"
echo "noop_sync_cpu_s $CPU"
echo "noop_sync_rss_kb $RSS"
echo "noop_sync_line $(head -1 "$B/cmd.out")"
# the floor: the same REPORT from the stored token, by curl
token=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT sync_token FROM sync_calendars").fetchone()[0] or "")' "$TIARA_DB")
echo "noop_floor_curl_s $(curl -s -o /dev/null -w '%{time_total}' -X REPORT -H 'Depth: 1' \
    -H 'Content-Type: application/xml' --data-binary "<?xml version=\"1.0\" encoding=\"utf-8\"?>
<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>$token</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>" "$CAL_URL")"
timed "$TIARA" schedule "Host 1" --at "2026-12-29 10:00" || exit 1
echo "schedule_with_clash_check_s $WALL"
echo "schedule_cpu_s $CPU"
echo "schedule_rss_kb $RSS"
timed "$TIARA" agenda --days 14 || exit 1
echo "agenda_14d_s $WALL"
echo "agenda_cpu_s $CPU"
echo "agenda_rss_kb $RSS"
echo "agenda_busy_lines $(grep -c 'busy (' "$B/cmd.out")"

# where the first sync's time goes: the server's answer to one PUT and to
# one multiget of 100 items in this calendar, by curl (after the timings)
echo "floor_put_curl_s $(printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//floor//EN\r\nBEGIN:VEVENT\r\nUID:floor@bench\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T100000Z\r\nSUMMARY:floor\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' |
    curl -s -o /dev/null -w '%{time_total}' -X PUT -H 'If-None-Match: *' \
        -H 'Content-Type: text/calendar' --data-binary @- "${CAL_URL}floor.ics")"
path=${CAL_URL#"$SERVER_URL"}
mg="<?xml version=\"1.0\" encoding=\"utf-8\"?><C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/><C:calendar-data/></D:prop>"
for i in $(seq 0 99); do mg="$mg<D:href>${path}f$i.ics</D:href>"; done
echo "floor_multiget100_curl_s $(curl -s -o /dev/null -w '%{time_total}' -X REPORT -H 'Depth: 1' \
    -H 'Content-Type: application/xml' --data-binary "$mg</C:calendar-multiget>" "$CAL_URL")"
echo "load_after $(uptime | sed 's/.*load average: //')"
