#!/bin/bash
# SPDX-License-Identifier: MIT
# crash.sh - a sync killed anywhere loses nothing: tiara-crash stopped at
# each of its crash points (TIARA_CRASH_LIST), then at random moments with
# kill -9, against a real server with the user's own events in the
# calendar. After each kill the next sync converges and the one after
# writes nothing; each UID is on the server once, the foreign objects keep
# their bytes and ETags, no interview is lost and the database is sound.
# usage: crash.sh TIARA TIARA_CRASH radicale|xandikos|davical
# Each point runs with one change mix: the one that reaches it (mix_for:
# a conflict, a phone's delete, a quiet run, ...), else local, remote or
# both rotated by server; every point a sync has must be reached.
# CRASH_FULL=1 runs every mix at every point, and 200 random kills
# instead of 20 (CRASH_KILLS sets the number). Against Radicale, s_faults
# fails database writes and fsyncs during syncs with tiara-fault (beside
# tiara-crash, or FAULT_BIN); FAULT_FULL=1 for every one, against each
# server (FAULT_STEP=N: every Nth write).
set -u
TIARA=$(realpath "$1")
CRASH=$(realpath "$2")
KIND=$3
FAULT_BIN=$(realpath "${FAULT_BIN:-$(dirname "$CRASH")/tiara-fault}")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/servers.sh"

WORK_DIR=$(mktemp -d)
server_start "$KIND" || exit 1
BASE=${CAL_URL%/*/}
export TIARA_CONFIG=$WORK_DIR/config.ini TZ=Europe/Paris
: >"$TIARA_CONFIG"
export TIARA_NOW="2026-11-20 09:00"
unset TIARA_PASSWORD TIARA_CRASH_AT
FAILED=0
CURRENT=
. "$here/helpers.sh"

# "href uid" for every component of every object in the calendar, from
# one calendar-query.
server_uids()
{
    "$PY" - "$CAL" <<'EOF'
import sys, requests, xml.etree.ElementTree as ET
body = ('<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" '
        'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/>'
        '</D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter>'
        '</C:calendar-query>')
r = requests.request('REPORT', sys.argv[1], data=body, headers={
    'Depth': '1', 'Content-Type': 'application/xml'})
for resp in ET.fromstring(r.content).iter('{DAV:}response'):
    href = resp.findtext('{DAV:}href')
    data = resp.findtext('.//{urn:ietf:params:xml:ns:caldav}calendar-data')
    if not data:
        continue
    uids = {l[4:].strip() for l in data.replace('\r\n ', '').splitlines()
            if l.startswith('UID:')}
    for u in sorted(uids):
        print(href.rsplit('/', 1)[-1], u)
EOF
}

# The UIDs tiara's side implies: the export, less what was removed for
# good (exported as cancelled, deleted on the server). converged() also
# leaves out the tasks the phone deleted, which stay deleted there.
implied_uids()
{
    T export | tr -d '\r' | awk '
        /^BEGIN:(VEVENT|VTODO)/ { uid = ""; gone = 0 }
        /^UID:/ { uid = substr($0, 5) }
        /^X-TIARA-REMOVED/ { gone = 1 }
        /^END:(VEVENT|VTODO)/ { if (!gone) print uid }' | sort -u
}

# The checks after a kill and two syncs; $1 names the case.
converged()
{
    local what=$1 uids
    uids=$(server_uids)
    [ -n "$(awk '{ print $2 }' <<<"$uids" | sort | uniq -d)" ] &&
        fail "$what: a UID is on the server twice: $(awk '{ print $2 }' <<<"$uids" | sort | uniq -d | head -3)"
    diff <(comm -23 <(implied_uids) <(q 'select uid from sync_items where flags & 2' | sort -u)) <(grep -v '^foreign-' <<<"$uids" | awk '{ print $2 }' | sort -u) >&2 ||
        fail "$what: the server's entries and the store's differ"
    [ "$(foreign_state)" = "$FOREIGN_BEFORE" ] || fail "$what: a foreign object changed"
    [ "$(q 'PRAGMA integrity_check')" = ok ] || fail "$what: integrity check failed"
    [ "$(q 'select count(*) from sync_items where pending is not null')" = 0 ] ||
        fail "$what: writes still journalled"
}

ROUND=0
LAST_NEW=

# The change mixes: what changes here, there, or on both sides before the
# sync that is killed. Each sets WANT_* for the checks.
mix_local()
{
    local iv=${1:-1} day=$((10 + ROUND % 15)) hour=$((10 + ROUND % 8))
    T reschedule "$iv" --at "2026-12-$day $hour:00" --force >/dev/null ||
        fail "reschedule $iv"
    WANT_START="$iv|202612${day}T${hour}0000"
    T contact add "Host $ROUND" --email "host$ROUND@example.com" >/dev/null
    T schedule "host$ROUND@example.com" --at "2027-01-$day 10:00" --force >/dev/null ||
        fail "schedule host $ROUND"
    # the one added last time goes: a DELETE
    [ -n "$LAST_NEW" ] && { T rm "$LAST_NEW" --force >/dev/null || fail "rm $LAST_NEW"; }
    LAST_NEW=$(q "select max(id) from interviews")
}

mix_remote()
{
    phone_edit "${CALPATH}$(iv_uid 1).ics" "s/^LOCATION:.*/LOCATION:Hall $ROUND/"
    WANT_LOCATION="Hall $ROUND"
    [ "${1:-}" = one ] && return
    phone_edit "${CALPATH}$(iv_uid 2)-prep.ics" "s/^SUMMARY:.*/SUMMARY:Read up $ROUND/"
}

mix_both()
{
    mix_local 2
    mix_remote one # a single change there: fetched with a GET
}

# Nothing changes on either side: the sync killed is the quiet one.
mix_none() { :; }

# The phone deletes a task tiara made (a new interview's preparation,
# so that the other mixes keep theirs).
mix_remote_delete()
{
    local iv
    T contact add "Gone $ROUND" --email "gone$ROUND@example.com" >/dev/null
    T schedule "gone$ROUND@example.com" --at "2027-01-20 11:00" --force >/dev/null ||
        fail "schedule gone $ROUND"
    iv=$(q "select max(id) from interviews")
    sync_ok
    [[ "$(phone_delete "${CALPATH}$(iv_uid "$iv")-prep.ics")" = 20[04] ]] ||
        fail "the phone could not delete the preparation of $iv"
}

# Both sides change interview 1, the phone's edit landing after tiara
# listed the calendar: its PUT meets a 412 (see crash_sync).
mix_conflict()
{
    mix_local 1
    # the phone's LAST-MODIFIED is later: it wins, and tiara's version is
    # kept as the conflict's loser (docs/sync.md "Conflicts")
    WANT_START=
    WANT_CONFLICTS=$(($(q 'select count(*) from sync_conflicts') + 1))
    PAUSED_EDIT=conflict_edit
}
conflict_edit()
{
    phone_edit "${CALPATH}$(iv_uid 1).ics" "s/^LOCATION:.*/LOCATION:Hall $ROUND/"
    WANT_LOCATION="Hall $ROUND"
}

# The mix a point needs to be reached at all; the others rotate.
mix_for()
{
    case "$1" in
    conflict-after-get) echo conflict ;;
    remote-delete-saved) echo remote_delete ;;
    sync-quiet-token-saved) echo none ;;
    get-*) echo both ;;                   # one change there: a GET
    multiget-* | fetch-kept-saved | import-between-entries)
        echo remote ;;                    # two changes there: a multiget
    put-* | journal-* | delete-* | send-batch-saved | token-confirm-before)
        echo local ;;
    esac
}

# tiara-crash stopped (TIARA_PAUSE_AT) once it has listed the server,
# $PAUSED_EDIT run, then let go.
paused_sync()
{
    TIARA_PAUSE_AT=sync-listed TIARA_CRASH_AT=$1 "$CRASH" sync \
        >"$WORK_DIR/out" 2>"$WORK_DIR/err" &
    local pid=$! i
    for i in $(seq 1 200); do
        [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = T ] && break
        sleep 0.05
    done
    "$PAUSED_EDIT"
    kill -CONT "$pid"
    wait "$pid" 2>/dev/null
}

# Run the sync under TIARA_CRASH_AT=$1; FIRED says whether it died there.
crash_sync()
{
    if [ -n "${PAUSED_EDIT:-}" ]; then
        paused_sync "$1"
    else
        (TIARA_CRASH_AT=$1 "$CRASH" sync >"$WORK_DIR/out" 2>"$WORK_DIR/err"
            exit $?) 2>/dev/null
    fi
    local rc=$?
    PAUSED_EDIT=
    FIRED=0
    case "$rc" in
    137) FIRED=1 ;;
    0) ;;
    *) fail "the sync to be killed at $1 exited $rc" ;;
    esac
}

one_case()
{
    local point=$1 mix=$2 ivs what="$1/$2"
    CURRENT=$what
    ROUND=$((ROUND + 1))
    WANT_START= WANT_LOCATION= PAUSED_EDIT= WANT_CONFLICTS=
    "mix_$mix"
    ivs=$(q "select uid from interviews order by uid")
    crash_sync "$point"
    [ "$FIRED" = 1 ] && fired+=("$point")
    after_checks "$what" "$ivs"
}

# After a sync that was stopped: the next converges, the one after
# writes nothing, and both sides' changes of the mix are where they go.
after_checks()
{
    local what=$1 ivs=$2
    sync_ok
    quiet_sync
    [ "$(q "select uid from interviews order by uid")" = "$ivs" ] ||
        fail "$what: the interviews here changed"
    if [ -n "$WANT_START" ]; then
        phone_get "${CALPATH}$(iv_uid "${WANT_START%%|*}").ics" | tr -d '\r' |
            grep -q "^DTSTART;TZID=Europe/Paris:${WANT_START#*|}" ||
            fail "$what: the reschedule did not reach the server"
    fi
    if [ -n "$WANT_LOCATION" ]; then
        [ "$(q "select location from interviews where id = 1")" = "$WANT_LOCATION" ] ||
            fail "$what: the phone's edit did not arrive"
    fi
    if [ -n "$WANT_CONFLICTS" ]; then
        [ "$(q 'select count(*) from sync_conflicts')" -ge "$WANT_CONFLICTS" ] ||
            fail "$what: the losing version was not kept"
    fi
    converged "$what"
}

s_points()
{
    local points i=0 off mixes=(local remote both) point m
    fired=()
    points=$(TIARA_CRASH_LIST=1 "$CRASH")
    [ "$(wc -l <<<"$points")" -ge 25 ] || fail "fewer than 25 crash points"
    case "$KIND" in
    radicale) off=0 ;;
    xandikos) off=1 ;;
    *) off=2 ;;
    esac
    fresh points
    put_foreign
    two_interviews
    sync_ok
    quiet_sync
    FOREIGN_BEFORE=$(foreign_state)
    for point in $points; do
        m=$(mix_for "$point")
        if [ -n "$m" ]; then
            one_case "$point" "$m"
        elif [ -n "${CRASH_FULL:-}" ]; then
            for m in "${mixes[@]}"; do one_case "$point" "$m"; done
        else
            one_case "$point" "${mixes[$(((i + off) % 3))]}"
        fi
        i=$((i + 1))
    done
    local distinct
    distinct=$(printf '%s\n' "${fired[@]}" | sort -u)
    echo "   killed at $(wc -l <<<"$distinct") of $(wc -l <<<"$points") points;" \
        "not reached:" $(comm -23 <(sort <<<"$points") <(echo "$distinct"))
    # a sync reaches every point but the export's, the migration's and a
    # file import's commit (tests/cli/crash.sh stops at those)
    for point in $points; do
        case "$point" in
        export-* | migrate-* | import-before-commit) ;;
        *) grep -qx "$point" <<<"$distinct" || fail "$point was not reached" ;;
        esac
    done
}

# kill -9 at random moments of a two-way sync of 300 entries.
s_random()
{
    local kills=${CRASH_KILLS:-20} k i ms hit=0 pid
    [ -n "${CRASH_FULL:-}" ] && kills=${CRASH_KILLS:-200}
    fresh random
    put_foreign
    FOREIGN_BEFORE=$(foreign_state)
    for i in $(seq 1 75); do
        T contact add "Host $i" --email "host$i@example.com" >/dev/null
        T schedule "host$i@example.com" --at "2027-02-01 10:00" --force >/dev/null ||
            fail "schedule $i"
    done
    for k in $(seq 1 "$kills"); do
        # both sides move each time: a few reschedules, a phone edit
        for i in 1 2 3; do
            T reschedule $((RANDOM % 75 + 1)) --at "2027-02-0$((RANDOM % 9 + 1)) 1$((RANDOM % 8)):00" --force >/dev/null
        done
        i=$((RANDOM % 75 + 1))
        [ -n "$(q "select href from sync_items where uid = '$(iv_uid "$i")' and etag is not null")" ] &&
            phone_edit "${CALPATH}$(iv_uid "$i").ics" "s/^LOCATION:.*/LOCATION:Room $k/"
        "$TIARA" sync >>"$WORK_DIR/kill.log" 2>&1 &
        pid=$!
        ms=$((RANDOM % 1500))
        sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
        kill -9 "$pid" 2>/dev/null && hit=$((hit + 1))
        wait "$pid" 2>/dev/null
    done
    echo "   $hit of $kills kills stopped a sync"
    sync_ok
    quiet_sync
    [ "$(q 'select count(*) from interviews')" = 75 ] || fail "interviews were lost"
    converged "random kills"
}

# Storage faults: the sync of each mix run by tiara-fault ($FAULT_BIN),
# its Nth database write failing as a full disk (which stays full) or an
# I/O error, or its Nth fsync failing. A run that fails says why in one
# line; then the checks of a kill. A sample of the writes and fsyncs
# counted in a sync of both sides' changes; all with FAULT_FULL=1.
s_faults()
{
    local w s n specs=() i=0 mixes=(local remote both) spec rc what cause
    local failed=0 ivs unreached=0 CURRENT_DB
    fresh faults
    CURRENT_DB=$(basename "$TIARA_DB")
    LAST_NEW= # an interview of the last scenario's database
    put_foreign
    two_interviews
    sync_ok
    quiet_sync
    FOREIGN_BEFORE=$(foreign_state)
    mix_both
    TIARA_FAULT=count "$FAULT_BIN" sync >"$WORK_DIR/out" 2>"$WORK_DIR/err" ||
        fail "the counted sync failed"
    read -r w s <<<"$(sed -n 's/^tiara-fault: \([0-9]*\) writes, \([0-9]*\) fsyncs$/\1 \2/p' "$WORK_DIR/err")"
    echo "   a sync of both sides' changes: ${w:-?} writes, ${s:-?} fsyncs"
    [ "${w:-0}" -ge 4 ] && [ "${s:-0}" -ge 1 ] || { fail "counting"; return; }
    quiet_sync
    if [ -n "${FAULT_FULL:-}${FAULT_STEP:-}" ]; then
        for n in $(seq 1 "${FAULT_STEP:-1}" "$w"); do
            specs+=("write:$n+:full" "write:$n:eio")
        done
        for n in $(seq 1 "$s"); do specs+=("fsync:$n:eio"); done
    else
        specs=("write:1+:full" "write:$((w / 3)):eio" "write:$((w * 2 / 3))+:full"
            "fsync:1:eio")
    fi
    for spec in "${specs[@]}"; do
        what="$spec/${mixes[$((i % 3))]}"
        CURRENT=$what
        ROUND=$((ROUND + 1))
        WANT_START= WANT_LOCATION=
        "mix_${mixes[$((i % 3))]}"
        i=$((i + 1))
        ivs=$(q "select uid from interviews order by uid")
        TIARA_FAULT=$spec "$FAULT_BIN" sync >"$WORK_DIR/out" 2>"$WORK_DIR/err"
        rc=$?
        grep -q '^tiara-fault: .* fails' "$WORK_DIR/err" || unreached=$((unreached + 1))
        [ -n "${FAULT_VERBOSE:-}" ] && echo "   $what: exit $rc: $(tr '\n' ' ' <"$WORK_DIR/err")"
        case "$spec" in
        *full) cause="is full" ;;
        write*) cause="I/O error writing" ;;
        *) cause="I/O error flushing to disk" ;;
        esac
        if [ "$rc" = 0 ]; then
            # a fault after the last commit, in the checkpoint at the
            # close (an fsync, a write to the database file); no failed
            # write to the log may pass unsaid
            [ "${spec%%:*}" = fsync ] ||
                grep -q "^tiara-fault: .* fails .* in $CURRENT_DB\$" "$WORK_DIR/err" ||
                ! grep -q '^tiara-fault: .* fails' "$WORK_DIR/err" ||
                fail "$what: the sync succeeded though a write to the log failed"
        else
            failed=$((failed + 1))
            [ "$rc" = 1 ] || fail "$what: the sync exited $rc"
            [ "$(grep -v '^tiara-fault: ' "$WORK_DIR/err" | grep -c .)" = 1 ] ||
                fail "$what: want one line of error"
            grep -q "^tiara: .*$cause" "$WORK_DIR/err" ||
                fail "$what: the error does not say '$cause'"
        fi
        [ "$(q 'PRAGMA integrity_check')" = ok ] || fail "$what: integrity check failed"
        after_checks "$what" "$ivs"
    done
    echo "   ${#specs[@]} faults: $failed syncs failed, $unreached ended before" \
        "the Nth, the others failed after their last commit"
    [ "$failed" -ge 1 ] || fail "no fault made a sync fail"
}

# The first upload of 80 entries, four PUTs at once, killed while a wave
# is in flight (at a crash point after a few answers, and at random): the
# journal holds every PUT that may have landed, so the next sync finds
# them by hash, sends the rest with If-None-Match, and no UID is there
# twice.
s_wave()
{
    local n at pid ms
    fresh wave
    printf '[sync]\nconnections = 4\n' >"$TIARA_CONFIG"
    put_foreign
    FOREIGN_BEFORE=$(foreign_state)
    for i in $(seq 1 20); do
        T contact add "Host $i" --email "host$i@example.com" >/dev/null
        T schedule "host$i@example.com" --at "2027-03-0$((i % 9 + 1)) 10:00" --force >/dev/null ||
            fail "schedule $i"
    done
    for at in put-after:3 put-before:38 put-recorded:30; do
        crash_sync "$at"
        [ "$FIRED" = 1 ] || fail "the upload did not reach $at"
        [ "$(q 'select count(*) from sync_items where pending is not null')" -gt 0 ] ||
            fail "killed at $at with nothing journalled"
    done
    # at random, during a wave
    for ms in 200 500; do
        T reschedule $((RANDOM % 20 + 1)) --at "2027-03-1$((RANDOM % 9)) 11:00" --force >/dev/null
        "$TIARA" sync >>"$WORK_DIR/kill.log" 2>&1 &
        pid=$!
        sleep "0.$(printf %03d "$ms")"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    sync_ok
    quiet_sync
    n=$(server_uids | grep -vc '^foreign-')
    [ "$n" = 80 ] || fail "the server holds $n of tiara's entries, not 80"
    converged "upload at once, killed"
    : >"$TIARA_CONFIG"
}

all="s_points"
[ "$KIND" = radicale ] || [ -n "${CRASH_FULL:-}" ] && all+=" s_random s_wave"
[ "$KIND" = radicale ] || [ -n "${FAULT_FULL:-}" ] && all+=" s_faults"
for s in ${4:-$all}; do
    echo "== $KIND $s"
    t0=$SECONDS
    $s
    echo "   ($((SECONDS - t0)) s)"
done
if [ "$FAILED" != 0 ]; then
    echo "$FAILED checks failed against $KIND" >&2
    exit 1
fi
echo "all crash scenarios passed against $KIND"
