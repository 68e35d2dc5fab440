#!/bin/bash
# SPDX-License-Identifier: MIT
# caldav-foreign.sh - a calendar that is mostly the user's own: N foreign
# events (timed, all-day, weekly series, tasks) beside M interviews.
# Measures the first sync, a no-op sync (requests, wall time, peak RSS),
# and what the foreign events cost 'schedule' (clash check) and 'agenda'.
# usage: bench/caldav-foreign.sh TIARA radicale|xandikos [N] [M]
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
echo "load_after $(uptime | sed 's/.*load average: //')"
