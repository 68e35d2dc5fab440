#!/bin/bash
# SPDX-License-Identifier: MIT
# integration.sh - 'tiara sync' against a real server started here.
# usage: integration.sh TIARA radicale|xandikos [SCENARIO...]
# Each scenario gets its own calendar and database; curl plays the phone.
set -u
TIARA=$(realpath "$1")
KIND=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/servers.sh"

WORK_DIR=$(mktemp -d)
server_start "$KIND" || exit 1
BASE=${CAL_URL%/*/}
export TIARA_CONFIG=$WORK_DIR/config.ini TZ=Europe/Paris
: >"$TIARA_CONFIG" # no settings until a scenario writes some
export TIARA_NOW="2026-11-20 09:00"
unset TIARA_PASSWORD
FAILED=0
CURRENT=

. "$here/helpers.sh"

# ---- scenarios ----

s_push_pull_noop()
{
    fresh push
    two_interviews
    sync_ok
    expect_out "sent 8 (8 new"
    [ "$(count_hrefs)" = 8 ] || fail "the server holds $(count_hrefs) items, not 8"
    quiet_sync
    # a new event made on the phone is the user's, not an interview...
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\nUID:phone-1@example.com\r\nDTSTAMP:20261120T100000Z\r\nDTSTART:20261210T140000Z\r\nDURATION:PT45M\r\nSUMMARY:Coffee with Carol\r\nORGANIZER;CN=Carol Jones:mailto:carol@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$WORK_DIR/new.ics"
    phone_put "${CALPATH}phone-1.ics" "$WORK_DIR/new.ics" >/dev/null
    sync_ok
    expect_out "received 0"
    expect_out "work: 1 entry not tiara's, read and left as it is"
    [ "$(q "select count(*) from interviews where uid = 'phone-1@example.com'")" = 0 ] ||
        fail "the phone's event became an interview"
    quiet_sync
    # ...unless the calendar adopts invitations (it has an ORGANIZER):
    # turned on later, the setting takes in the invitation kept unchanged
    printf '[sync]\nadopt_invitations = yes\n' >"$TIARA_CONFIG"
    local kept
    kept=$(phone_get "${CALPATH}phone-1.ics")
    sync_ok --dry-run
    expect_out "received 1 (1 new"
    [ "$(q "select count(*) from interviews where uid = 'phone-1@example.com'")" = 0 ] ||
        fail "a dry run adopted the invitation"
    sync_ok
    # the invitation itself is not sent back, only what follows from it
    expect_out "sent 3 (3 new, 0 changed, 0 deleted), received 1 (1 new"
    [ "$(q "select count(*) from interviews where uid = 'phone-1@example.com'")" = 1 ] ||
        fail "the adopted invitation did not become an interview"
    [ "$(phone_get "${CALPATH}phone-1.ics")" = "$kept" ] ||
        fail "adopting the invitation changed it on the server"
    T agenda --from 2026-12-10 --days 1 | grep -q '"Coffee with Carol": interview with Carol Jones' ||
        fail "the adopted invitation lost its title: $(T agenda --from 2026-12-10 --days 1)"
    sync_ok
    [ "$(phone_get "${CALPATH}phone-1.ics")" = "$kept" ] ||
        fail "the adopted invitation was rewritten on the server"
    : >"$TIARA_CONFIG"
    quiet_sync
}

s_two_calendars()
{
    fresh twocal
    two_interviews
    local second="$BASE/tiara-twocal-b/"
    make_calendar "$second"
    T calendar add home --url "$second" >/dev/null || fail "second calendar add"
    run_sync work
    [ "$SYNC_RC" = 0 ] || fail "sync of one calendar exited $SYNC_RC"
    grep -q "^home:" <<<"$SYNC_OUT" && fail "sync NAME synced another calendar"
    sync_ok
    expect_out "home: sent 8 (8 new"
    expect_out "work: sent 0"
    [ "$(curl -s -X PROPFIND -H 'Depth: 1' "$second" | grep -o '\.ics<' | wc -l)" = 8 ] ||
        fail "the second calendar did not get every entry"
    run_sync
    [ "$SYNC_RC" = 0 ] || fail "no-op sync of two calendars exited $SYNC_RC"
    [ "$(grep -c "sent 0 (0 new, 0 changed, 0 deleted), received 0" <<<"$SYNC_OUT")" = 2 ] ||
        fail "a second sync of two calendars was not quiet"
}

s_rewrite_is_not_an_edit()
{
    fresh rewrite
    two_interviews
    sync_ok
    local uid href
    uid=$(iv_uid 1)
    href="${CALPATH}$uid.ics"
    # the same content written back in another order: a new ETag only
    phone_get "$href" | tr -d '\r' | tac | "$PY" -c '
import sys
lines = sys.stdin.read().split("\n")[::-1]
# move SUMMARY to the end of its component, keep the structure
out, held = [], None
for l in lines:
    if l.startswith("SUMMARY:"):
        held = l
        continue
    if l == "END:VEVENT" and held:
        out.append(held)
        held = None
    out.append(l)
sys.stdout.write("\r\n".join(x for x in out if x) + "\r\n")' >"$WORK_DIR/same.ics"
    phone_put "$href" "$WORK_DIR/same.ics" >/dev/null
    sync_ok
    expect_out "sent 0 (0 new, 0 changed, 0 deleted), received 0"
    quiet_sync
}

s_remote_move()
{
    fresh rmove
    two_interviews
    sync_ok
    local uid old_thanks new_thanks
    uid=$(iv_uid 1)
    old_thanks=$(phone_get "${CALPATH}$uid-thanks.ics" | grep '^DUE')
    phone_edit "${CALPATH}$uid.ics" 's/^DTSTART;TZID=Europe\/Paris:20261203T100000/DTSTART;TZID=Europe\/Paris:20261205T140000/'
    sync_ok
    expect_out "received 1 (0 new, 1 changed"
    [ "$(q "select start from interviews where id = 1")" = 1796475600 ] ||
        fail "the interview did not move (start $(q "select start from interviews where id = 1"))"
    new_thanks=$(phone_get "${CALPATH}$uid-thanks.ics" | grep '^DUE')
    [ "$old_thanks" != "$new_thanks" ] || fail "the thank-you deadline did not follow"
    grep -q "sent [1-9]" <<<"$SYNC_OUT" || fail "the derived entries were not sent"
    quiet_sync
}

s_remote_summary()
{
    fresh rsummary
    two_interviews
    sync_ok
    local uid
    uid=$(iv_uid 1)
    phone_edit "${CALPATH}$uid.ics" 's/^SUMMARY:.*/SUMMARY:Coffee with Ada (phone)/'
    sync_ok
    expect_out "sent 0 (0 new, 0 changed, 0 deleted), received 1"
    expect_out " 2 requests"
    quiet_sync
}

s_local_edit()
{
    fresh ledit
    two_interviews
    sync_ok
    local uid
    uid=$(iv_uid 2)
    T reschedule 2 --at "2026-12-08 11:00" >/dev/null || fail "reschedule"
    sync_ok
    expect_out "changed"
    phone_get "${CALPATH}$uid.ics" | grep -q 'DTSTART;TZID=Europe/Paris:20261208T110000' ||
        fail "the server did not get the new time"
    quiet_sync
}

s_thanks_ticked()
{
    fresh thanks
    two_interviews
    sync_ok
    local uid
    uid=$(iv_uid 1)
    phone_edit "${CALPATH}$uid-thanks.ics" 's/^STATUS:NEEDS-ACTION/STATUS:COMPLETED\nCOMPLETED:20261121T120000Z/'
    sync_ok
    [ "$(q "select thanked != 0 from interviews where id = 1")" = 1 ] ||
        fail "the interview was not marked thanked"
    sync_ok
    quiet_sync
}

# Ticks from clients that leave LAST-MODIFIED alone: python-caldav's
# Todo.complete() for the thank-you, PERCENT-COMPLETE:100 alone for the
# preparation. A later reschedule keeps both ticked on the server.
s_tick_keeps_lastmod()
{
    fresh ticklm
    two_interviews
    sync_ok
    local uid lm
    uid=$(iv_uid 1)
    lm=$(phone_get "${CALPATH}$uid-thanks.ics" | grep '^LAST-MODIFIED')
    "$PY" - "$CAL" "$uid-thanks" <<'PYTHON' || fail "python-caldav could not tick the task"
import sys, caldav
cal = caldav.Calendar(client=caldav.DAVClient(sys.argv[1]), url=sys.argv[1])
todo = cal.todo_by_uid(sys.argv[2])
todo.complete()
PYTHON
    [ "$(phone_get "${CALPATH}$uid-thanks.ics" | grep '^LAST-MODIFIED')" = "$lm" ] ||
        fail "the phone moved LAST-MODIFIED; the case is not tested"
    phone_get "${CALPATH}$uid-prep.ics" | tr -d '\r' |
        sed 's/^STATUS:NEEDS-ACTION/PERCENT-COMPLETE:100/' | sed 's/$/\r/' >"$WORK_DIR/prep.ics"
    phone_put "${CALPATH}$uid-prep.ics" "$WORK_DIR/prep.ics" >/dev/null
    sync_ok
    expect_out "received 2 (0 new, 2 changed"
    [ "$(q "select thanked != 0, prep_done != 0 from interviews where id = 1")" = "1|1" ] ||
        fail "the ticks were ignored: $(q "select thanked, prep_done from interviews where id = 1")"
    T reschedule 1 --at "2026-12-03 10:30" >/dev/null || fail "reschedule"
    sync_ok
    phone_get "${CALPATH}$uid-thanks.ics" | grep -q '^STATUS:COMPLETED' ||
        fail "the reschedule reopened the thank-you on the server"
    quiet_sync
}

s_local_cancel()
{
    fresh lcancel
    two_interviews
    sync_ok
    local uid
    uid=$(iv_uid 1)
    T cancel 1 >/dev/null || fail "cancel"
    sync_ok
    expect_out "deleted)"
    hrefs | grep -q "$uid" && fail "the cancelled interview's entries are still on the server"
    [ "$(count_hrefs)" -ge 4 ] || fail "too much was deleted"
    quiet_sync
}

# An interview removed for good takes tiara's server copies with it.
s_local_rm()
{
    fresh lrm
    two_interviews
    sync_ok
    local uid before
    uid=$(iv_uid 1)
    before=$(count_hrefs)
    T rm 1 >/dev/null || fail "rm"
    sync_ok
    expect_out "deleted)"
    hrefs | grep -q "$uid" && fail "the removed interview's entries are still on the server"
    # the interview, its two tasks, and its host's check-ins (no other
    # interview anchors them)
    [ "$(count_hrefs)" -eq $((before - 4)) ] ||
        fail "$(count_hrefs) left of $before: want four entries gone"
    quiet_sync
}

s_remote_delete()
{
    fresh rdelete
    two_interviews
    sync_ok
    local uid
    local seq
    uid=$(iv_uid 1)
    seq=$(q "select c.seq from contacts c join interviews i on i.contact_id = c.id where i.id = 1")
    phone_delete "${CALPATH}$uid.ics" >/dev/null
    sync_ok
    [ "$(q "select status from interviews where id = 1")" = cancelled ] ||
        fail "the interview deleted on the phone was not cancelled here"
    # Its host's check-ins derive from it, so the host is revised too.
    [ "$(q "select c.seq from contacts c join interviews i on i.contact_id = c.id where i.id = 1")" -gt "$seq" ] ||
        fail "the host of the cancelled interview was not revised"
    [ "$(q "select count(*) from interviews where id = 1")" = 1 ] ||
        fail "the interview was not kept"
    hrefs | grep -q "$uid-" && fail "its tasks are still on the server"
    quiet_sync
}

s_conflict()
{
    fresh conflict
    two_interviews
    sync_ok
    local uid
    uid=$(iv_uid 1)
    T reschedule 1 --at "2026-12-03 16:00" >/dev/null
    phone_edit "${CALPATH}$uid.ics" 's/^LOCATION:.*/LOCATION:Library/'
    sync_ok
    expect_out "1 conflict,"
    expect_err "conflict on '$uid'"
    [ "$(q "select count(*) from sync_conflicts where uid = '$uid'")" = 1 ] ||
        fail "the losing version was not kept"
    sync_ok
    quiet_sync
    # the loser can be seen, compared and restored without sqlite3
    local out id
    out=$(T conflicts)
    grep -q "this computer's version of 'Informational interview with Ada Lovelace' lost (newest, calendar work)" <<<"$out" ||
        fail "conflicts lists: $out"
    id=$(sed -n 's/^#\([0-9]*\) .*/\1/p' <<<"$out" | head -1)
    out=$(T conflicts show "$id")
    grep -q '^-DTSTART;TZID=Europe/Paris:20261203T160000' <<<"$out" &&
        grep -q '^+LOCATION:Library' <<<"$out" || fail "conflicts show: $out"
    T conflicts restore "$id" >"$WORK_DIR/out" || fail "conflicts restore"
    grep -q "the next sync sends it" "$WORK_DIR/out" || fail "restore said: $(cat "$WORK_DIR/out")"
    [ "$(T conflicts)" = "no conflicts kept: every sync so far agreed" ] ||
        fail "the restored conflict is still listed"
    sync_ok
    expect_out "sent 3 (0 new, 3 changed" # the event and its two tasks
    phone_get "${CALPATH}$uid.ics" | grep -q 'DTSTART;TZID=Europe/Paris:20261203T160000' ||
        fail "the restored version did not reach the server"
    quiet_sync
    # local wins, from the config
    printf '[sync]\nconflict = local\n' >"$TIARA_CONFIG"
    T reschedule 1 --at "2026-12-03 17:00" >/dev/null
    phone_edit "${CALPATH}$uid.ics" 's/^LOCATION:.*/LOCATION:Park/'
    sync_ok
    expect_out "1 conflict,"
    phone_get "${CALPATH}$uid.ics" | grep -q 'T170000' ||
        fail "local did not win under conflict = local"
    : >"$TIARA_CONFIG"
    sync_ok
    quiet_sync
}

# A conflict on a derived task ends in agreement: the phone's newer edit
# of the thank-you wins, and the due date that the local reschedule moved
# still reaches the server, with the phone's title.
s_conflict_derived()
{
    fresh conflictd
    two_interviews
    sync_ok
    local uid thanks
    uid=$(iv_uid 1)
    T reschedule 1 --at "2026-12-14 10:00" >/dev/null
    phone_edit "${CALPATH}$uid-thanks.ics" 's/^SUMMARY:.*/SUMMARY:Thank Ada (the book!)/'
    sync_ok
    expect_out "1 conflict,"
    [ "$(q "select count(*) from sync_conflicts where uid = '$uid-thanks'")" = 1 ] ||
        fail "the losing version was not kept"
    thanks=$(phone_get "${CALPATH}$uid-thanks.ics" | tr -d '\r')
    grep -q '^DUE.*20261215T2359' <<<"$thanks" ||
        fail "the server kept a stale due date: $(grep '^DUE' <<<"$thanks")"
    grep -qxF 'SUMMARY:Thank Ada (the book!)' <<<"$thanks" ||
        fail "the phone's title was lost"
    quiet_sync
}

s_edit_vs_delete()
{
    fresh editdel
    two_interviews
    sync_ok
    local uid
    uid=$(iv_uid 2)
    T reschedule 2 --at "2026-12-09 09:30" >/dev/null
    phone_delete "${CALPATH}$uid.ics" >/dev/null
    sync_ok
    phone_get "${CALPATH}$uid.ics" | grep -q 'T093000' ||
        fail "the edited entry did not come back on the server"
    [ "$(q "select status from interviews where id = 2")" = scheduled ] ||
        fail "the edited interview was cancelled"
    quiet_sync
}

s_odd_hrefs()
{
    fresh oddhref
    two_interviews
    sync_ok
    local n href='a b@c%25d.ics'
    n=$(q "select count(*) from interviews")
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\nUID:odd b@c%%d\r\nDTSTAMP:20261120T100000Z\r\nDTSTART:20261211T140000Z\r\nDURATION:PT30M\r\nSUMMARY:Odd\r\nORGANIZER;CN=Dan Odd:mailto:dan@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$WORK_DIR/odd.ics"
    printf '[sync]\nadopt_invitations = yes\n' >"$TIARA_CONFIG"
    [ "$(phone_put "${CALPATH}a%20b%40c%25d.ics" "$WORK_DIR/odd.ics")" = 201 ] ||
        fail "the phone could not create the odd href"
    sync_ok
    [ "$(q "select count(*) from interviews")" = $((n + 1)) ] ||
        fail "the odd item did not come in"
    sync_ok
    quiet_sync
    # a copy of an entry at a second href: still one entry here
    local uid
    uid=$(iv_uid 1)
    phone_get "${CALPATH}$uid.ics" >"$WORK_DIR/copy.ics"
    phone_put "${CALPATH}copy-of-one.ics" "$WORK_DIR/copy.ics" >/dev/null
    sync_ok
    [ "$(q "select count(*) from interviews")" = $((n + 1)) ] ||
        fail "the copy at a second href made a duplicate"
    # and the odd one deleted there is cancelled here
    phone_delete "${CALPATH}a%20b%40c%25d.ics" >/dev/null
    sync_ok
    [ "$(q "select status from interviews where uid = 'odd b@c%d'")" = cancelled ] ||
        fail "deleting the odd href did not cancel it"
    : >"$TIARA_CONFIG"
    : "$href"
}

s_bad_token()
{
    fresh badtoken
    two_interviews
    sync_ok
    q "update sync_calendars set sync_token = 'http://example.com/ns/sync/bogus'" >/dev/null
    sync_ok
    # Radicale and Xandikos refuse it; DAViCal answers with everything,
    # which is taken as the whole listing it is
    [ "$KIND" = davical ] || expect_err "refused the sync token"
    expect_out "sent 0 (0 new, 0 changed, 0 deleted), received 0"
    quiet_sync
    # and what the phone deleted meanwhile is seen, whichever answer
    local uid
    uid=$(iv_uid 2)
    phone_delete "${CALPATH}$uid.ics" >/dev/null
    q "update sync_calendars set sync_token = 'http://example.com/ns/sync/bogus2'" >/dev/null
    sync_ok
    expect_out "received 1 (0 new, 0 changed, 1 deleted)"
    [ "$(q "select status from interviews where id = 2")" = cancelled ] ||
        fail "the interview deleted on the phone stayed booked"
    quiet_sync
}

s_dry_run()
{
    fresh dryrun
    two_interviews
    run_sync --dry-run
    [ "$SYNC_RC" = 0 ] || fail "dry run exited $SYNC_RC"
    expect_out "dry run: work: sent 8"
    [ "$(count_hrefs)" = 0 ] || fail "the dry run wrote to the server"
    [ "$(q "select count(*) from sync_items")" = 0 ] || fail "the dry run wrote state"
    sync_ok
    expect_out "sent 8"
}

s_delete_safety()
{
    fresh safety
    two_interviews
    sync_ok
    local h
    for h in $(hrefs); do phone_delete "$h" >/dev/null; done
    run_sync
    [ "$SYNC_RC" != 0 ] || fail "emptying the server was applied without --force-delete"
    expect_err "force-delete"
    [ "$(q "select count(*) from interviews where status = 'scheduled'")" = 2 ] ||
        fail "local interviews were cancelled"
    sync_ok --force-delete
    [ "$(q "select count(*) from interviews where status = 'scheduled'")" = 0 ] ||
        fail "--force-delete did not apply the deletions"
}

# 125 contacts with one interview each: 500 entries.
make_500()
{
    local i day
    for i in $(seq 1 125); do
        day=$(date -u -d "2027-01-01 + $i days" +%Y-%m-%d)
        T contact add "Host $i" --email "host$i@example.com" >/dev/null
        T schedule "host$i@example.com" --at "$day 10:00" --force >/dev/null ||
            fail "schedule $i"
    done
}

converged_500()
{
    local want got
    want=$(expected_uids | wc -l)
    got=$(count_hrefs)
    [ "$want" = 500 ] || fail "the store implies $want entries, not 500"
    [ "$got" = "$want" ] || fail "the server holds $got items, the store $want"
    diff <(expected_uids | sed 's/$/.ics/' | sort) <(hrefs | sed 's#.*/##' | sort) >&2 ||
        fail "server and store hold different entries"
}

s_kill9()
{
    fresh kill9
    local t0=$SECONDS
    make_500
    echo "   (500 entries made in $((SECONDS - t0)) s)"
    cp "$TIARA_DB" "$WORK_DIR/500.db"
    local delay
    for delay in 0.3 1.1 2.3 0.05; do
        # tiara itself, not a subshell: kill -9 must hit the sync
        "$TIARA" sync >>"$WORK_DIR/kill.log" 2>&1 &
        local pid=$!
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    sync_ok
    [ -n "${VERBOSE:-}" ] && cat "$WORK_DIR/kill.log" "$WORK_DIR/out" "$WORK_DIR/err"
    converged_500
    quiet_sync
}

s_server_stop()
{
    CURRENT=serverstop
    CAL="$BASE/tiara-serverstop/"
    CALPATH=${CAL#$SERVER_URL}
    make_calendar "$CAL"
    export TIARA_DB=$WORK_DIR/serverstop.db
    cp "$WORK_DIR/500.db" "$TIARA_DB"
    T calendar rm work >/dev/null
    T calendar add work --url "$CAL" >/dev/null || fail "calendar add"
    "$TIARA" sync >"$WORK_DIR/out" 2>"$WORK_DIR/err" &
    local pid=$!
    sleep 1.5
    server_stop
    wait "$pid"
    local rc=$?
    [ "$rc" != 0 ] || fail "sync did not notice the server going away"
    grep -qi "failed\|refused\|cannot" "$WORK_DIR/err" ||
        fail "no clear message when the server went away"
    server_run "$KIND" || fail "cannot restart the server"
    sync_ok
    converged_500
    quiet_sync
}

s_events_only_and_notes()
{
    CURRENT=evonly
    CAL="$BASE/tiara-evonly/"
    CALPATH=${CAL#$SERVER_URL}
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -X MKCOL \
        -H 'Content-Type: application/xml' --data-binary @- "$CAL" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
    <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</D:mkcol>
XML
    )
    [ "$code" = 201 ] || fail "MKCOL of an events-only calendar answered $code"
    export TIARA_DB=$WORK_DIR/evonly.db
    T calendar add work --url "$CAL" >"$WORK_DIR/out" 2>"$WORK_DIR/err" || fail "calendar add"
    if [ "$KIND" = xandikos ]; then
        # Xandikos keeps all components whatever MKCOL asks: the
        # per-calendar option says it instead
        printf '[calendar work]\ntodo = vevent\n' >"$TIARA_CONFIG"
    else
        grep -q "deadlines go as events" "$WORK_DIR/out" ||
            fail "calendar add did not see VEVENT only"
    fi
    T contact add "Eve Notes" --email eve@example.com --notes "private-contact-note" >/dev/null
    T schedule Eve --at "2026-12-03 10:00" >/dev/null
    sync_ok
    expect_out "sent 4 (4 new"
    local h all=""
    for h in $(hrefs); do all+=$(phone_get "$h"); done
    grep -q "BEGIN:VTODO" <<<"$all" && fail "a VTODO went to an events-only calendar"
    grep -q "private-contact-note" <<<"$all" && fail "private notes went to the server"
    quiet_sync
    : >"$TIARA_CONFIG"
}

start_proxy()
{
    : >"$WORK_DIR/rules"
    : >"$WORK_DIR/proxy.log"
    rm -f "$WORK_DIR/pport"
    "$PY" "$here/faultproxy.py" "$SERVER_PORT" "$WORK_DIR/rules" \
        "$WORK_DIR/proxy.log" "$WORK_DIR/pport" &
    PROXY_PID=$!
    local i
    for i in $(seq 1 50); do
        [ -s "$WORK_DIR/pport" ] && break
        sleep 0.1
    done
    PROXY_URL="http://127.0.0.1:$(cat "$WORK_DIR/pport")"
}

# A new calendar for scenario $1 reached through the fault proxy;
# further arguments go to 'calendar add'.
fresh_proxied()
{
    fresh "$1"
    start_proxy
    T calendar rm work >/dev/null
    T calendar add work --url "$PROXY_URL$CALPATH" "${@:2}" >/dev/null ||
        fail "add via proxy"
}

stop_proxy()
{
    kill "$PROXY_PID" 2>/dev/null
    wait "$PROXY_PID" 2>/dev/null
    PROXY_PID=
}

rules() { printf '%s\n' "$@" >"$WORK_DIR/rules"; }

s_faults()
{
    fresh_proxied faults
    two_interviews
    # 503 twice: retried with backoff, then all is sent
    rules "PUT 503 2"
    sync_ok
    expect_out "sent 8 (8 new"
    [ "$(grep -c '^PUT .* 503 ' "$WORK_DIR/proxy.log")" = 2 ] || fail "no 503 was injected"
    [ "$(count_hrefs)" = 8 ] || fail "not everything arrived after 503s"
    # a connection reset during a PUT
    T reschedule 2 --at "2026-12-08 11:00" >/dev/null
    rules "PUT reset 1"
    sync_ok
    grep -q '^PUT .* reset ' "$WORK_DIR/proxy.log" || fail "no reset was injected"
    phone_get "${CALPATH}$(iv_uid 2).ics" | grep -q 'T110000' || fail "the change did not arrive after a reset"
    quiet_sync
    # redirects are followed, method and body kept
    T reschedule 2 --at "2026-12-08 10:30" >/dev/null
    rules "REPORT redirect 1" "PUT redirect 1"
    sync_ok
    [ "$(grep -c ' 307 ' "$WORK_DIR/proxy.log")" = 2 ] || fail "no redirect was injected"
    phone_get "${CALPATH}$(iv_uid 2).ics" | grep -q 'T103000' || fail "the change did not arrive through a redirect"
    quiet_sync
    # ...but not to another origin: the body would go where it was not given.
    # Several PUTs may be in flight; the one redirected must be unchanged.
    T reschedule 2 --at "2026-12-08 10:15" >/dev/null
    local h moved
    mkdir -p "$WORK_DIR/before"
    for h in $(hrefs); do phone_get "$h" >"$WORK_DIR/before/${h##*/}"; done
    : >"$WORK_DIR/proxy.log"
    rules "PUT redirectaway 1"
    run_sync </dev/null
    [ "$SYNC_RC" != 0 ] || fail "a redirect to another server went unnoticed"
    expect_err "was redirected to another server"
    moved=$(awk '$1 == "PUT" && $3 == "307" { print $2 }' "$WORK_DIR/proxy.log")
    [ -n "$moved" ] && [ -f "$WORK_DIR/before/${moved##*/}" ] ||
        fail "no PUT of a known entry was redirected: $(cat "$WORK_DIR/proxy.log")"
    phone_get "$moved" | cmp -s - "$WORK_DIR/before/${moved##*/}" ||
        fail "the body was sent to another origin"
    rules
    sync_ok
    phone_get "${CALPATH}$(iv_uid 2).ics" | grep -q 'T101500' ||
        fail "the change did not arrive after the refused redirect"
    quiet_sync
    # RFC 6578 3.6: a listing truncated with 507 is followed up
    phone_edit "${CALPATH}$(iv_uid 1).ics" 's/^LOCATION:.*/LOCATION:Hall A/'
    phone_edit "${CALPATH}$(iv_uid 2).ics" 's/^LOCATION:.*/LOCATION:Hall B/'
    rules "REPORT trunc507 1"
    : >"$WORK_DIR/proxy.log"
    sync_ok
    expect_out "received 2"
    # the cut listing, the follow-up listing and one multiget
    [ "$(grep -c '^REPORT ' "$WORK_DIR/proxy.log")" = 3 ] ||
        fail "the 507 was not followed up ($(grep -c '^REPORT ' "$WORK_DIR/proxy.log") REPORTs)"
    [ "$(q "select location from interviews where id = 1")$(q "select location from interviews where id = 2")" = "Hall AHall B" ] ||
        fail "a change was lost after a 507"
    quiet_sync
    # an answer cut short by a dropped connection is asked for again
    phone_edit "${CALPATH}$(iv_uid 2).ics" 's/^LOCATION:.*/LOCATION:Garden/'
    rules "REPORT truncate 1"
    sync_ok
    grep -q '^REPORT .* truncated ' "$WORK_DIR/proxy.log" || fail "no truncation was injected"
    expect_out "received 1"
    # malformed XML from the server: a clear error, the next run converges
    # (two items, so they come in one multiget)
    phone_edit "${CALPATH}$(iv_uid 1).ics" 's/^LOCATION:.*/LOCATION:Tea room/'
    phone_edit "${CALPATH}$(iv_uid 2).ics" 's/^LOCATION:.*/LOCATION:Tea room 2/'
    rules "REPORT pass 1" "REPORT garble 1"
    run_sync
    [ "$SYNC_RC" != 0 ] || fail "a truncated answer went unnoticed"
    expect_err "malformed XML"
    rules
    sync_ok
    [ "$(q "select location from interviews where id = 1")" = "Tea room" ] ||
        fail "the edit did not come in after the truncated answer"
    quiet_sync
    # a 207 answer to a PUT is a failure; the other items still go
    T reschedule 1 --at "2026-12-03 12:00" >/dev/null
    T reschedule 2 --at "2026-12-08 12:00" >/dev/null
    rules "PUT 207 1"
    run_sync
    [ "$SYNC_RC" != 0 ] || fail "a 207 to a PUT counted as success"
    expect_err "refused"
    grep -q "sent [1-9]" <<<"$SYNC_OUT" || fail "one refusal stopped the others"
    sync_ok
    quiet_sync
    # a server that keeps failing: bounded retries, a clear error
    T reschedule 2 --at "2026-12-08 13:00" >/dev/null
    rules "ANY 503 100"
    local t0=$SECONDS
    run_sync
    [ "$SYNC_RC" != 0 ] || fail "a failing server went unnoticed"
    [ $((SECONDS - t0)) -lt 30 ] || fail "retries took $((SECONDS - t0)) s"
    rules
    sync_ok
    quiet_sync
    # a server without sync-collection: getctag, then a PROPFIND of ETags
    rules "SYNCREPORT 501 1000"
    T reschedule 1 --at "2026-12-03 09:00" >/dev/null
    sync_ok
    expect_out "sent 3 (0 new, 3 changed"
    sync_ok
    sync_ok
    expect_out "sent 0 (0 new, 0 changed, 0 deleted), received 0"
    expect_out " 2 requests"
    phone_edit "${CALPATH}$(iv_uid 2).ics" 's/^LOCATION:.*/LOCATION:Roof/'
    sync_ok
    expect_out "received 1 (0 new, 1 changed"
    [ "$(q "select location from interviews where id = 2")" = Roof ] ||
        fail "an edit did not come in through the PROPFIND listing"
    rules
    sync_ok
    quiet_sync
    # Basic auth: a clear 401, the secret nowhere
    rules "ANY auth:me:s3cret-pw 0"
    T calendar rm work >/dev/null
    T calendar add work --url "$PROXY_URL$CALPATH" --user me --no-check >/dev/null
    TIARA_PASSWORD=wrong-pw run_sync </dev/null
    [ "$SYNC_RC" != 0 ] || fail "a refused password went unnoticed"
    expect_err "401"
    grep -q "wrong-pw" "$WORK_DIR/err" "$WORK_DIR/out" && fail "the password was printed"
    printf '[calendar work]\npassword_command = echo s3cret-pw\n' >"$TIARA_CONFIG"
    chmod 600 "$TIARA_CONFIG"
    run_sync </dev/null
    [ "$SYNC_RC" = 0 ] || fail "password_command credentials were not used"
    : >"$TIARA_CONFIG"
    grep -q "s3cret-pw" "$TIARA_DB"* && fail "the password reached the database"
    stop_proxy
}

# What the phone adds to tiara's own entries survives a local change
# there: only the properties tiara changed are replaced.
s_fidelity()
{
    fresh fidelity
    two_interviews
    sync_ok
    local uid
    uid=$(iv_uid 1)
    phone_edit "${CALPATH}$uid.ics" 's/^SUMMARY:.*/SUMMARY:Coffee with Ada (bring the CV)\nX-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\nCATEGORIES:Career,Coffee\nCOLOR:teal\nATTACH;FMTTYPE=application\/pdf:https:\/\/example.org\/cv.pdf/;s/^END:VEVENT/BEGIN:VALARM\nACTION:AUDIO\nTRIGGER:-PT1H\nX-WR-ALARMUID:phone-1\nEND:VALARM\nEND:VEVENT/'
    phone_edit "${CALPATH}$uid-thanks.ics" 's/^SUMMARY:.*/SUMMARY:Thank Ada (mention the book)/'
    sync_ok
    expect_out "received 2 (0 new, 2 changed"
    T show 1 | grep -qxF '  title:     Coffee with Ada (bring the CV)' ||
        fail "the phone's title was not taken in: $(T show 1)"
    quiet_sync
    T reschedule 1 --at "2026-12-05 11:00" >/dev/null || fail "reschedule"
    sync_ok
    expect_out "sent 4 (0 new, 4 changed" # the event, its tasks, the check-ins
    local got thanks line
    got=$(phone_get "${CALPATH}$uid.ics" | tr -d '\r')
    grep -q '^DTSTART;TZID=Europe/Paris:20261205T110000' <<<"$got" ||
        fail "the server did not get the new time"
    for line in 'SUMMARY:Coffee with Ada (bring the CV)' \
        'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC' 'CATEGORIES:Career,Coffee' \
        'COLOR:teal' 'ATTACH;FMTTYPE=application/pdf:https://example.org/cv.pdf' \
        'TRIGGER:-PT1H' 'X-WR-ALARMUID:phone-1'; do
        grep -qxF "$line" <<<"$got" || fail "the phone's '$line' was lost"
    done
    [ "$(grep -c '^BEGIN:VALARM' <<<"$got")" = 2 ] ||
        fail "alarms: $(grep -c '^BEGIN:VALARM' <<<"$got"), want tiara's and the phone's"
    thanks=$(phone_get "${CALPATH}$uid-thanks.ics" | tr -d '\r')
    grep -qxF 'SUMMARY:Thank Ada (mention the book)' <<<"$thanks" ||
        fail "the phone's title of the thank-you was lost"
    grep -q '^DUE.*20261206T2359' <<<"$thanks" ||
        fail "the thank-you did not move: $(grep '^DUE' <<<"$thanks")"
    quiet_sync
}

# A server that takes the connection and never answers, or answers a
# byte at a time, fails the sync in about the timeout, not minutes.
s_hung()
{
    CURRENT=hung
    export TIARA_DB=$WORK_DIR/hung.db
    local mode port pid t0
    for mode in silent trickle; do
        # the background shell truncates the file only when it gets to it:
        # remove the last mode's port first, or it may be read again
        rm -f "$WORK_DIR/hung.port"
        "$PY" - "$mode" >"$WORK_DIR/hung.port" <<'PYTHON' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)
    if sys.argv[1] == "trickle":
        c.sendall(b"HTTP/1.1 207 Multi-Status\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(60):
            time.sleep(1)
            try:
                c.sendall(b"<")
            except OSError:
                break
PYTHON
        pid=$!
        for _ in $(seq 50); do [ -s "$WORK_DIR/hung.port" ] && break; sleep 0.1; done
        read -r port <"$WORK_DIR/hung.port"
        rm -f "$TIARA_DB"
        printf '[sync]\ntimeout = 2\n' >"$TIARA_CONFIG"
        T calendar add h --url "http://127.0.0.1:$port/cal/" --no-check >/dev/null ||
            fail "calendar add"
        t0=$SECONDS
        run_sync </dev/null
        [ "$SYNC_RC" != 0 ] || fail "$mode: a hung server went unnoticed"
        [ $((SECONDS - t0)) -le 6 ] || fail "$mode: it took $((SECONDS - t0)) s to give up"
        expect_err "no answer within 2 s"
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    : >"$TIARA_CONFIG"
}

# A server that lists more than any calendar holds is refused in a
# moment, within bounded memory, and nothing is changed.
s_huge_listing()
{
    CURRENT=huge
    export TIARA_DB=$WORK_DIR/huge.db
    "$PY" - >"$WORK_DIR/huge.port" <<'PYTHON' &
from http.server import BaseHTTPRequestHandler, HTTPServer
item = ('<D:response><D:href>/cal/i%d.ics</D:href><D:propstat><D:prop>'
        '<D:getetag>"e"</D:getetag></D:prop><D:status>HTTP/1.1 200 OK'
        '</D:status></D:propstat></D:response>')
body = ('<?xml version="1.0"?><D:multistatus xmlns:D="DAV:">'
        + "".join(item % i for i in range(200001))
        + '<D:sync-token>t</D:sync-token></D:multistatus>').encode()
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_REPORT(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(207)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PYTHON
    local pid=$! port i
    for i in $(seq 100); do [ -s "$WORK_DIR/huge.port" ] && break; sleep 0.1; done
    read -r port <"$WORK_DIR/huge.port"
    rm -f "$TIARA_DB"
    T calendar add h --url "http://127.0.0.1:$port/cal/" --no-check >/dev/null ||
        fail "calendar add"
    T contact add "Ada Lovelace" >/dev/null
    T schedule Ada --at "2026-12-03 10:00" >/dev/null
    /usr/bin/time -f '%M' -o "$WORK_DIR/huge.rss" "$TIARA" sync \
        >"$WORK_DIR/out" 2>"$WORK_DIR/err" </dev/null
    SYNC_RC=$?
    SYNC_ERR=$(cat "$WORK_DIR/err")
    [ "$SYNC_RC" != 0 ] || fail "a listing of 200001 items was taken"
    expect_err "lists more than 200000 items"
    [ "$(tail -1 "$WORK_DIR/huge.rss")" -lt 250000 ] ||
        fail "$(tail -1 "$WORK_DIR/huge.rss") KiB held for a refused listing"
    [ "$(q "select count(*) from sync_items")" = 0 ] || fail "the refused listing left rows"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# An https server that redirects to plain http is not followed: nothing,
# neither the entries nor the credentials, goes out in clear.
s_https_downgrade()
{
    CURRENT=downgrade
    export TIARA_DB=$WORK_DIR/downgrade.db
    local d=$WORK_DIR/tls ports pid
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/key.pem" \
        -out "$d/cert.pem" -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
        { fail "openssl could not make a certificate"; return; }
    "$PY" "$here/tlsredirect.py" "$d/cert.pem" "$d/key.pem" "$d/plain.log" \
        >"$d/ports" &
    pid=$!
    for _ in $(seq 50); do [ -s "$d/ports" ] && break; sleep 0.1; done
    read -r ports _ <"$d/ports"
    printf '[calendar tls]\nca_file = %s\n' "$d/cert.pem" >"$TIARA_CONFIG"
    T calendar add tls --url "https://127.0.0.1:$ports/cal/" --user me \
        --no-check >/dev/null || fail "calendar add"
    two_interviews
    TIARA_PASSWORD=s3cret run_sync </dev/null
    [ "$SYNC_RC" != 0 ] || fail "a redirect to plain http went unnoticed"
    expect_err "was redirected to plain http ("
    expect_err "not followed, nothing was sent there"
    [ ! -s "$d/plain.log" ] ||
        fail "requests reached plain http: $(cat "$d/plain.log")"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    : >"$TIARA_CONFIG"
}

# Random sequences of local commands and phone edits, against a model
# (tests/integration/model.py); MODEL_SEQS and MODEL_STEPS make it longer.
s_model()
{
    fresh model
    "$PY" "$here/model.py" "$TIARA" "$CAL" "${MODEL_SEQS:-4}" \
        "${MODEL_STEPS:-60}" >"$WORK_DIR/out" 2>"$WORK_DIR/err" ||
        fail "the model found a difference"
    cat "$WORK_DIR/out"
    grep -q "foreign objects touched: 0, failed: 0" "$WORK_DIR/out" ||
        fail "model: $(cat "$WORK_DIR/out")"
}

# Objects that are not tiara's are read and never written, whatever the
# user does here, and are not copied to another calendar.
s_foreign()
{
    fresh foreign
    two_interviews
    put_foreign
    local before contacts
    before=$(foreign_state)
    contacts=$(q "select count(*) from contacts")
    sync_ok
    expect_out "received 0"
    expect_out "work: $FOREIGN_N entries not tiara's, read and left as they are"
    [ "$(q "select count(*) from contacts")" = "$contacts" ] ||
        fail "foreign objects became contacts"
    [ "$(q "select count(*) from interviews")" = 2 ] ||
        fail "foreign objects became interviews"
    [ "$(count_hrefs)" = $((8 + FOREIGN_N)) ] ||
        fail "the server holds $(count_hrefs) items, not $((8 + FOREIGN_N))"
    [ "$(q "select count(*) from sync_items where flags & 4 and rtext is not null")" = "$FOREIGN_N" ] ||
        fail "the foreign objects' texts were not kept"
    quiet_sync
    # they are busy time: the dentist (11:00-11:30 Paris on 12-03) blocks
    # a booking, the stand-up's moved Friday instance is busy at its new
    # time only, the free holiday blocks nothing
    local out
    out=$(T schedule Bob --at "2026-12-03 11:15" 2>&1) &&
        fail "a booking over the dentist was accepted"
    grep -q "clashes with 'Dentist' at .* in your calendar" <<<"$out" ||
        fail "no clash with the dentist: $out"
    out=$(T schedule Bob --at "2026-12-04 10:40" 2>&1) &&
        fail "a booking over the moved stand-up was accepted"
    grep -q "Team stand-up (moved)" <<<"$out" || fail "moved stand-up: $out"
    T schedule Bob --at "2026-12-04 09:35" --for 30m >/dev/null 2>&1 ||
        fail "the stand-up's old Friday slot is still busy"
    T cancel 3 >/dev/null
    T schedule Bob --at "2026-12-25 10:00" >/dev/null 2>&1 ||
        fail "a free all-day holiday blocked a booking"
    T cancel 4 >/dev/null
    out=$(T agenda --from 2026-12-03 --days 1)
    grep -q "11:00-11:30 *busy (Dentist)" <<<"$out" || fail "agenda: no busy line: $out"
    printf '[defaults]\nagenda_busy = no\n' >"$TIARA_CONFIG"
    T agenda --from 2026-12-03 --days 1 | grep -q busy && fail "agenda_busy = no was ignored"
    : >"$TIARA_CONFIG"
    sync_ok
    # every local command, each followed by a sync
    local step
    for step in "schedule Ada --at 2026-12-10T10:00 --force" \
        "reschedule 1 --at 2026-12-05T11:00" "cancel 2" "cancel 2 --undo" \
        "contact edit Ada --company Acme" "checkin Bob --stop" \
        "contact add Zed" "contact rm Zed" "landed"; do
        # shellcheck disable=SC2086 # the step is words
        T $step >/dev/null 2>"$WORK_DIR/err" || fail "tiara $step"
        sync_ok
        [ "$(foreign_state)" = "$before" ] || fail "'$step' changed a foreign object"
    done
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do sync_ok; done
    [ "$(foreign_state)" = "$before" ] || fail "ten syncs changed a foreign object"
    quiet_sync
    # a second calendar gets tiara's entries only
    local second="$BASE/tiara-foreign-b/"
    make_calendar "$second"
    T calendar add home --url "$second" >/dev/null || fail "second calendar add"
    sync_ok
    curl -s -X PROPFIND -H 'Depth: 1' "$second" | grep -q 'foreign-[0-9]*\.ics' &&
        fail "a foreign object was copied to the second calendar"
    [ "$(curl -s -X PROPFIND -H 'Depth: 1' "$second" | grep -o '\.ics<' | wc -l)" = \
        "$(hrefs | grep -vc 'foreign-[0-9]*\.ics')" ] || fail "the second calendar differs"
    T calendar rm home >/dev/null
    # a foreign object deleted on the phone is forgotten, nothing cancelled
    phone_delete "${CALPATH}foreign-1.ics" >/dev/null
    sync_ok
    [ "$(q "select count(*) from sync_items where flags & 4")" = $((FOREIGN_N - 1)) ] ||
        fail "the deleted foreign object is still remembered"
    [ "$(q "select count(*) from interviews where status = 'scheduled'")" = 3 ] ||
        fail "deleting a foreign object cancelled an interview"
    T schedule Bob --at "2026-12-03 11:15" >/dev/null 2>&1 ||
        fail "the deleted dentist still blocks its slot"
}

# Several PUTs at once, and the server answers one of them 503 with
# Retry-After: the whole calendar waits that long before it sends anything
# new (the others already on their way may land), then everything arrives
# once, each PUT still conditional.
s_retry_after()
{
    fresh_proxied retryafter
    printf '[sync]\nconnections = 4\n' >"$TIARA_CONFIG"
    two_interviews
    rules "PUT pass 2" "PUT 503ra:2 1"
    sync_ok
    expect_out "sent 8 (8 new"
    [ "$(count_hrefs)" = 8 ] || fail "the server holds $(count_hrefs) items, not 8"
    [ "$(grep -c '^PUT .* 503 ' "$WORK_DIR/proxy.log")" = 1 ] || fail "no 503 was injected"
    # eight, and the one refused sent again
    [ "$(grep -c '^PUT ' "$WORK_DIR/proxy.log")" = 9 ] ||
        fail "not one PUT per entry: $(cat "$WORK_DIR/proxy.log")"
    "$PY" - "$WORK_DIR/proxy.log" <<'EOF2' || fail "the 503 did not hold the calendar back"
import sys
puts = [l.split() for l in open(sys.argv[1]) if l.startswith("PUT ")]
refused = [p for p in puts if p[2] == "503"][0]
at = int(refused[6])
# another PUT was on its way when the 503 went out: they went at once
assert any(int(p[5]) <= int(refused[5]) <= int(p[6]) for p in puts if p is not refused), puts
# none set out in the 2 s that followed, apart from those already sent
late = [p for p in puts if at + 300 < int(p[5]) < at + 1900]
assert not late, late
assert any(int(p[5]) >= at + 1900 for p in puts), puts
EOF2
    rules
    quiet_sync
    stop_proxy
    : >"$TIARA_CONFIG"
}

# A gateway whose backend is down (502 for every write), then a server
# out of service (503 on the listing): the sync stops in a few requests
# with one message that names what failed, and the next one finishes.
s_gateway()
{
    fresh_proxied gateway
    two_interviews
    rules "PUT 502 1000"
    local t0=$SECONDS
    run_sync </dev/null
    [ "$SYNC_RC" != 0 ] || fail "a gateway refusing every write went unnoticed"
    [ $((SECONDS - t0)) -le 6 ] || fail "it took $((SECONDS - t0)) s to stop"
    expect_err "answered HTTP 502 to 3 writes in a row: stopped"
    [ "$(grep -c '^PUT .* 502 ' "$WORK_DIR/proxy.log")" -le 6 ] ||
        fail "$(grep -c '^PUT .* 502 ' "$WORK_DIR/proxy.log") PUTs against a dead backend"
    [ "$(wc -l <"$WORK_DIR/err")" -le 2 ] || fail "$(wc -l <"$WORK_DIR/err") lines of errors"
    rules "REPORT 503 1000"
    run_sync </dev/null
    [ "$SYNC_RC" != 0 ] || fail "a server out of service went unnoticed"
    expect_err "the server is unavailable (HTTP 503)"
    grep -qi "sync token" "$WORK_DIR/err" && fail "a 503 was called a refused sync token"
    rules
    sync_ok
    expect_out "sent 8 (8 new"
    [ "$(count_hrefs)" = 8 ] || fail "the server holds $(count_hrefs) items, not 8"
    quiet_sync
    stop_proxy
}

# Discovery from the server's root (where the server has a principal for
# an anonymous user), the calendar home and the calendar itself; a
# server that fails a property (DAViCal: sync-token at the root) is asked
# again for less.
s_discover()
{
    fresh discover
    local u out
    local urls="$BASE/ $CAL"
    [ "$KIND" = radicale ] || urls="$SERVER_URL/ $SERVER_URL/.well-known/caldav $urls"
    for u in $urls; do
        out=$(T calendar discover "$u" 2>&1) || fail "discover $u: $out"
        grep -qxF "$CAL" <<<"$out" || fail "discover $u did not list $CAL: $out"
    done
    # a failure names the URL given, not only the one tried after it
    out=$(T calendar discover "$SERVER_URL/nowhere/at/all/" 2>&1) ||
        grep -q "nowhere/at/all" <<<"$out" || fail "the failing URL is not named: $out"
}

# A local command while a sync waits on the server (its last listing,
# delayed) goes through: no write transaction spans a request.
s_busy_store()
{
    fresh_proxied busy
    two_interviews
    rules "SYNCREPORT pass 1" "SYNCREPORT slow 1"
    T sync >"$WORK_DIR/out" 2>"$WORK_DIR/err" &
    local pid=$! i out
    for i in $(seq 1 60); do
        grep -q '^PUT .*checkin' "$WORK_DIR/proxy.log" 2>/dev/null &&
            [ "$(grep -c '^PUT ' "$WORK_DIR/proxy.log")" = 8 ] && break
        sleep 0.1
    done
    sleep 0.5
    out=$(T schedule Ada --at "2026-12-12 10:00" 2>&1) ||
        fail "a local command during a sync failed: $out"
    wait "$pid" || fail "the sync failed"
    sync_ok
    expect_out "sent 4 (3 new, 1 changed"
    quiet_sync
    stop_proxy
}

# Servers that answer less than RFC 6578 says: a lost token answered
# with the whole listing (DAViCal) still shows what the phone deleted,
# and an href left out of a multiget is asked for alone, not taken as
# deleted.
s_listing_shapes()
{
    fresh_proxied shapes
    two_interviews
    sync_ok
    local uid
    uid=$(iv_uid 2)
    phone_delete "${CALPATH}$uid.ics" >/dev/null
    phone_edit "${CALPATH}$(iv_uid 1).ics" 's/^LOCATION:.*/LOCATION:Library/'
    rules "SYNCREPORT forgettoken 1"
    sync_ok
    expect_out "received 2 (0 new, 1 changed, 1 deleted)"
    [ "$(q "select status from interviews where id = 2")" = cancelled ] ||
        fail "an interview deleted on the phone stayed booked behind a whole listing"
    hrefs | grep -q "$uid" && fail "the deleted interview's tasks stayed on the server"
    quiet_sync
    # a multiget that leaves out one of two changed items
    phone_edit "${CALPATH}$(iv_uid 1).ics" 's/^LOCATION:.*/LOCATION:Hall C/'
    phone_edit "${CALPATH}$(iv_uid 1)-prep.ics" 's/^SUMMARY:.*/SUMMARY:Read up on Ada/'
    rules "MULTIGET dropone 1"
    sync_ok
    expect_out "received 2 (0 new, 2 changed, 0 deleted)"
    [ "$(q "select status from interviews where id = 1")" = scheduled ] ||
        fail "an item left out of a multiget was taken as deleted"
    [ "$(q "select location from interviews where id = 1")" = "Hall C" ] ||
        fail "the change was not taken in"
    quiet_sync
    stop_proxy
}

# Credentials from netrc, with --user and without, from $NETRC and from
# ~/.netrc; once a calendar's scheme is known they go with the first
# request, so a sync with nothing to do is one exchange, no 401.
s_auth()
{
    fresh_proxied auth --user me --no-check
    rules "ANY auth:me:s3cret-pw 0"
    printf 'machine 127.0.0.1\nlogin me\npassword s3cret-pw\n' >"$WORK_DIR/netrc"
    chmod 600 "$WORK_DIR/netrc"
    two_interviews
    NETRC=$WORK_DIR/netrc run_sync </dev/null
    [ "$SYNC_RC" = 0 ] || fail "--user with a netrc entry did not authenticate"
    expect_out "sent 8 (8 new"
    : >"$WORK_DIR/proxy.log"
    NETRC=$WORK_DIR/netrc run_sync </dev/null
    [ "$SYNC_RC" = 0 ] || fail "the second sync failed"
    expect_out " 1 request,"
    [ "$(wc -l <"$WORK_DIR/proxy.log")" = 1 ] ||
        fail "a sync with nothing to do took $(wc -l <"$WORK_DIR/proxy.log") exchanges: $(cat "$WORK_DIR/proxy.log")"
    T reschedule 1 --at "2026-12-03 09:00" >/dev/null
    : >"$WORK_DIR/proxy.log"
    NETRC=$WORK_DIR/netrc run_sync </dev/null
    expect_out "sent 3 (0 new, 3 changed"
    grep -q ' 401 ' "$WORK_DIR/proxy.log" && fail "credentials were probed for again: $(cat "$WORK_DIR/proxy.log")"
    ONE_CHANGE_REQUESTS=$(wc -l <"$WORK_DIR/proxy.log")
    echo "   (auth via netrc: no-op 1 request, one change $ONE_CHANGE_REQUESTS)"
    # no --user: the netrc entry for the host, from ~/.netrc
    T calendar rm work >/dev/null
    T calendar add work --url "$PROXY_URL$CALPATH" --no-check >/dev/null
    mkdir -p "$WORK_DIR/home"
    cp "$WORK_DIR/netrc" "$WORK_DIR/home/.netrc"
    HOME=$WORK_DIR/home run_sync </dev/null
    [ "$SYNC_RC" = 0 ] || fail "~/.netrc without --user did not authenticate"
    : >"$WORK_DIR/proxy.log"
    HOME=$WORK_DIR/home run_sync </dev/null
    expect_out " 1 request,"
    # no netrc entry, no password source: asked on the terminal, once,
    # without echo
    T calendar rm work >/dev/null
    T calendar add work --url "$PROXY_URL$CALPATH" --user me --no-check >/dev/null
    local shown
    shown=$(NETRC=/dev/null "$PY" "$here/pty_answer.py" "Password for me at" \
        s3cret-pw "$TIARA" sync) || fail "the typed password did not work: $shown"
    grep -q "Password for me at $PROXY_URL" <<<"$shown" || fail "no prompt: $shown"
    grep -q "s3cret-pw" <<<"$shown" && fail "the typed password was echoed"
    grep -q "work: sent" <<<"$shown" || fail "no sync after the prompt: $shown"
    # Digest (RFC 7616), the server having moved from Basic: it works, and
    # within a run only the first request is challenged (again, for the
    # scheme remembered from Basic), so no body is sent twice; with
    # connections = 1 every request goes over the one handle
    rules "ANY auth:me:s3cret-pw:digest 0"
    T reschedule 2 --at "2026-12-04 16:00" >/dev/null
    : >"$WORK_DIR/proxy.log"
    printf '[sync]\nconnections = 1\n' >"$TIARA_CONFIG"
    TIARA_PASSWORD=s3cret-pw run_sync </dev/null
    [ "$SYNC_RC" = 0 ] || fail "Digest authentication failed"
    expect_out "sent 3 (0 new, 3 changed"
    [ "$(grep -c ' 401 ' "$WORK_DIR/proxy.log")" -le 2 ] &&
        [ "$(grep -c '^PUT .* 401 ' "$WORK_DIR/proxy.log")" = 0 ] ||
        fail "Digest was challenged beyond the first request: $(cat "$WORK_DIR/proxy.log")"
    # with PUTs at once, each further handle gets its nonce once, by a
    # challenge that carries no body (Content-Length 0)
    T reschedule 2 --at "2026-12-04 16:30" >/dev/null
    : >"$WORK_DIR/proxy.log"
    printf '[sync]\nconnections = 4\n' >"$TIARA_CONFIG"
    TIARA_PASSWORD=s3cret-pw run_sync </dev/null
    [ "$SYNC_RC" = 0 ] || fail "Digest authentication failed with PUTs at once"
    expect_out "sent 3 (0 new, 3 changed"
    [ "$(grep -c ' 401 ' "$WORK_DIR/proxy.log")" -le 5 ] &&
        awk '$1 == "PUT" && $3 == 401 && $4 > 400 { bad = 1 } END { exit bad }' "$WORK_DIR/proxy.log" ||
        fail "a body went twice to a Digest server: $(cat "$WORK_DIR/proxy.log")"
    : >"$TIARA_CONFIG"
    grep -q "s3cret-pw" "$WORK_DIR/err" "$WORK_DIR/out" "$TIARA_DB"* &&
        fail "the Digest password was printed or stored"
    rules "ANY auth:me:s3cret-pw 0"
    # a wrong netrc password is a clear 401, and it is never printed
    printf 'machine 127.0.0.1\nlogin me\npassword nope-pw\n' >"$WORK_DIR/netrc"
    NETRC=$WORK_DIR/netrc run_sync </dev/null
    [ "$SYNC_RC" != 0 ] || fail "a wrong netrc password went unnoticed"
    expect_err "401"
    grep -q "nope-pw\|s3cret-pw" "$WORK_DIR/err" "$WORK_DIR/out" "$TIARA_DB"* &&
        fail "a password was printed or stored"
    stop_proxy
}

# The user makes one of their own events an interview: by words of its
# title or by its date. The event stays as it is on the server; what
# follows from it is sent; once adopted, it is tiara's to change.
s_adopt()
{
    fresh adopt
    two_interviews
    put_foreign
    sync_ok
    local before out rc
    before=$(foreign_state)
    out=$(T adopt)
    grep -q "Dentist" <<<"$out" && grep -q "Gym" <<<"$out" &&
        grep -q "Lunch with Mum" <<<"$out" || fail "adopt lists: $out"
    grep -q "stand-up\|Holiday\|Buy milk\|A good day" <<<"$out" &&
        fail "a series, an all-day event, a task or a journal offered: $out"
    out=$(T adopt nosuch 2>&1) && fail "adopting nothing succeeded"
    grep -q "no event of others matches 'nosuch'" <<<"$out" || fail "adopt nosuch: $out"
    out=$(T adopt m 2>&1)
    rc=$?
    [ "$rc" = 1 ] && grep -q "2 events match 'm'" <<<"$out" || fail "an ambiguous adopt: $rc $out"
    [ "$(q "select count(*) from interviews")" = 2 ] || fail "a failed adopt made an interview"
    out=$(T adopt dentist) || fail "adopt dentist: $out"
    grep -q "adopted 'Dentist' on 2026-12-03 11:00 as interview #3" <<<"$out" || fail "adopt said: $out"
    T agenda --from 2026-12-03 --days 1 | grep -q '"Dentist": interview' ||
        fail "the adopted event is not in the agenda: $(T agenda --from 2026-12-03 --days 1)"
    sync_ok
    expect_out "sent 3 (3 new, 0 changed, 0 deleted), received 0"
    [ "$(foreign_state)" = "$before" ] || fail "adopting changed the event on the server"
    quiet_sync
    out=$(T adopt 2026-12-04) || fail "adopt by date: $out"
    grep -q "adopted 'Gym'" <<<"$out" || fail "adopt by date said: $out"
    sync_ok
    [ "$(foreign_state)" = "$before" ] || fail "adopting by date changed the event"
    # adopted, it moves with a reschedule, keeping what the phone wrote
    T reschedule 3 --at "2026-12-03 14:00" --force >/dev/null || fail "reschedule"
    sync_ok
    expect_out "sent 3 (0 new, 3 changed"
    out=$(phone_get "${CALPATH}foreign-1.ics" | tr -d '\r')
    grep -q "^DTSTART;TZID=Europe/Paris:20261203T140000" <<<"$out" ||
        fail "the adopted dentist did not move: $out"
    grep -q "^X-WR-ALARMUID:0F1E2D3C" <<<"$out" || fail "the phone's alarm was lost: $out"
    quiet_sync
}

# The release before ownership, built from the history: it took every
# event in a calendar as an interview of its own.
OLD_RELEASE=7df21db
old_tiara_build()
{
    local root src
    root=$(cd "$here/../.." && pwd)
    src=$WORK_DIR/old-src
    mkdir -p "$src"
    git -C "$root" archive "$OLD_RELEASE" 2>/dev/null | tar -x -C "$src" ||
        { fail "the upgrade test needs the history (commit $OLD_RELEASE)"; return 1; }
    (cd "$src" && meson setup b --buildtype=release >/dev/null &&
        ninja -C b tiara >/dev/null) ||
        { fail "the release before ownership did not build"; return 1; }
    OLD_TIARA=$src/b/tiara
}

# A database from that release, where the user's events became interviews
# and tiara sent tasks for them, upgrades without loss: they go back to
# being foreign, the tasks go, the events stay byte for byte; one that
# the user worked with (prepared) stays an interview.
s_upgrade()
{
    CURRENT=upgrade
    old_tiara_build || return
    CAL="$BASE/tiara-upgrade/"
    CALPATH=${CAL#$SERVER_URL}
    make_calendar "$CAL" || fail "cannot make the calendar"
    export TIARA_DB=$WORK_DIR/upgrade.db
    local old=$OLD_TIARA
    "$old" calendar add work --url "$CAL" >/dev/null 2>&1 || fail "old calendar add"
    "$old" contact add "Ada Lovelace" --email ada@example.com >/dev/null
    "$old" schedule Ada --at "2026-12-03 10:00" >/dev/null || fail "old schedule"
    # (the holiday's empty DESCRIPTION stopped that release's sync)
    put_foreign '*holiday*'
    local before
    before=$(foreign_state)
    "$old" sync >"$WORK_DIR/out" 2>&1 || fail "the old release could not sync"
    local made worked
    made=$(q "select count(*) from interviews")
    [ "$made" -gt 2 ] || fail "the old release made no interviews of the events ($made)"
    # the user prepared for the first (the dentist): the old release sent
    # it back as an interview, so it is tiara's now
    worked=$(q "select id from interviews where uid not like 'tiara-%' order by start limit 1")
    "$old" prepared "$worked" >/dev/null || fail "old prepared"
    "$old" sync >/dev/null 2>&1 || fail "old second sync"
    # the next, the stand-up, has the timer's notes, which stay here
    q "update interviews set notes = 'met the team' where uid not like 'tiara-%' and id <> $worked and start = (select min(start) from interviews where uid not like 'tiara-%' and id <> $worked)"
    before=$(foreign_state | sed 1,2d)
    [ "$(foreign_state | sed 1,2d)" = "$before" ] || fail "test premise"
    local items contacts
    items=$(count_hrefs)
    contacts=$(q "select count(*) from contacts")
    # the dry run says what the upgrade does, and does nothing
    sync_ok --dry-run
    expect_out "dry run: upgrade: $((made - 3)) interviews that were other people's events"
    expect_out "looks like someone else's event but has notes, a timer run or a tick: kept"
    [ "$(q "select count(*) from interviews")" = "$made" ] || fail "the dry run removed interviews"
    [ "$(count_hrefs)" = "$items" ] || fail "the dry run changed the server"
    sync_ok
    expect_out "upgrade: $((made - 3)) interviews that were other people's events"
    [ "$(q "select count(*) from interviews")" = 3 ] ||
        fail "$(q "select count(*) from interviews") interviews left, not Ada's, the dentist and the stand-up"
    [ "$(q "select count(*) from contacts")" -lt "$contacts" ] || fail "no made-up contact went"
    [ "$(foreign_state | sed 1,2d)" = "$before" ] || fail "the upgrade changed someone else's event"
    # on the server: the events, and the entries of the two interviews left
    local want
    # (the dentist and the stand-up are both events and interviews)
    want=$((FOREIGN_N + $(expected_uids | wc -l) - 2))
    [ "$(count_hrefs)" = "$want" ] ||
        fail "the server holds $(count_hrefs) items, not the events and tiara's $want"
    [ "$(q "select count(*) from sync_items where flags & 4 and rtext is not null")" = $((FOREIGN_N - 2)) ] ||
        fail "the events' texts are not kept as foreign: $(q "select uid, flags from sync_items")"
    sync_ok
    grep -q upgrade <<<"$SYNC_OUT" && fail "the upgrade ran twice"
    quiet_sync
    [ "$(foreign_state | sed 1,2d)" = "$before" ] || fail "a later sync changed someone else's event"
}

all="s_push_pull_noop s_foreign s_fidelity s_model s_two_calendars s_rewrite_is_not_an_edit s_remote_move s_remote_summary
s_local_edit s_thanks_ticked s_tick_keeps_lastmod s_local_cancel s_local_rm s_remote_delete s_conflict
s_conflict_derived s_edit_vs_delete s_odd_hrefs s_bad_token s_dry_run s_delete_safety
s_events_only_and_notes s_faults s_https_downgrade s_hung s_huge_listing
s_discover s_busy_store s_gateway s_listing_shapes s_auth s_adopt s_upgrade s_kill9 s_server_stop"
# the client's pacing, not the server's: one server is enough
[ "$KIND" = radicale ] && all+=" s_retry_after"
for s in ${@:-$all}; do
    # the valgrind run names the scenarios too slow or too measured for it
    case " ${TIARA_SKIP_SCENARIOS:-} " in
    *" $s "*)
        echo "== $KIND $s: skipped (TIARA_SKIP_SCENARIOS)"
        continue
        ;;
    esac
    echo "== $KIND $s"
    $s
done
if [ "$FAILED" != 0 ]; then
    echo "$FAILED checks failed against $KIND" >&2
    exit 1
fi
echo "all scenarios passed against $KIND"
