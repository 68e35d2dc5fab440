#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Storage faults: tiara-fault (argument 1) fails the Nth write or fsync
# of the database (TIARA_FAULT) during a schedule, an import and a
# migration. After each: the database passes its integrity check and
# opens; a run that failed exits 1 with one line naming the cause and
# changed nothing, and the same command run again ends where a run that
# never failed ends; a run that succeeded (the fault came after its
# commit) ends there too. Every write and fsync of the schedule and the
# import, every other write of the migration (every sixth of each under
# the sanitizers: argument 2 or FAULT_STEP), and both kinds at all with FAULT_FULL=1.
. "$(dirname "$0")/../lib.sh"
FAULT=$1
FAULT_STEP=${FAULT_STEP:-${2:-}}
FULL=${FAULT_FULL:-}
injected=0

# The database as text, its random UIDs numbered in order of appearance.
state() {
    sqlite3 "$TIARA_DB" .dump |
        perl -pe 's/(tiara-(?:contact-)?[0-9a-f]{32})/$m{$1} ||= "U" . ++$n/ge'
}

# check WHAT: the integrity check passes; $now is the state.
check() {
    now=$(sqlite3 "$TIARA_DB" 'PRAGMA integrity_check' .dump 2>&1 |
        perl -pe 's/(tiara-(?:contact-)?[0-9a-f]{32})/$m{$1} ||= "U" . ++$n/ge')
    [ "${now%%$'\n'*}" = ok ] || fail "$1: integrity check: ${now%%$'\n'*}"
    now=${now#*$'\n'}
}

# counts ARGS...: "WRITES FSYNCS" that ARGS make on a copy of base.db.
counts() {
    rm -f "$TIARA_DB"*
    cp "$WORK/base.db" "$TIARA_DB"
    TIARA_FAULT=count "$FAULT" "$@" >/dev/null 2>"$WORK/count.err" ||
        fail "counting: tiara $* failed: $(cat "$WORK/count.err")"
    sed -n 's/^tiara-fault: \([0-9]*\) writes, \([0-9]*\) fsyncs$/\1 \2/p' \
        "$WORK/count.err"
}

# inject SPEC CAUSE ARGS...: run ARGS on a copy of base.db with the fault
# SPEC; CAUSE is the words the error must hold.
inject() {
    local spec=$1 cause=$2 what n
    shift 2
    what="$spec: tiara $*"
    rm -f "$TIARA_DB"*
    cp "$WORK/base.db" "$TIARA_DB"
    out=$(TIARA_FAULT=$spec "$FAULT" "$@" 2>"$WORK/stderr")
    rc=$?
    n=${spec#*:}
    grep -q "^tiara-fault: ${spec%%:*} ${n%%[+:]*} fails" "$WORK/stderr" ||
        fail "$what: the fault did not come"
    errout=$(grep -v '^tiara-fault: ' "$WORK/stderr")
    injected=$((injected + 1))
    check "$what"
    if [ "$rc" -eq 0 ]; then
        # only after the commit, in the checkpoint at the close (an fsync
        # of either file, a write to the database file); what it did not
        # copy stays in the log for the next open
        [ "${spec%%:*}" = fsync ] ||
            grep -q "fails .* in $(basename "$TIARA_DB")\$" "$WORK/stderr" ||
            fail "$what: succeeded though a write to the log failed"
        after=$((after + 1))
        [ -z "$errout" ] || fail "$what: succeeded with '$errout'"
        [ "$now" = "$want" ] || fail "$what: succeeded, but the database differs"
        return
    fi
    failed=$((failed + 1))
    [ "$rc" -eq 1 ] || fail "$what: exited $rc"
    case "$errout" in
    "tiara: "*"$cause"*) ;;
    *) fail "$what: error '$errout' lacks '$cause'" ;;
    esac
    [ "$(printf '%s\n' "$errout" | wc -l)" -eq 1 ] ||
        fail "$what: more than one line: $errout"
    [ "$now" = "$base" ] || fail "$what: a failed run changed the database"
    ok "$@"
    check "$what, run again"
    [ "$now" = "$want" ] || fail "$what: the run after the fault ends elsewhere"
}

# walk NAME STEP ARGS...: every STEPth write (1 with FAULT_FULL) of ARGS
# run on base.db fails, by turns as a full disk (which stays full) and as
# an I/O error (once), both with FAULT_FULL; then each fsync.
walk() {
    local name=$1 step=${FAULT_STEP:-$2} n w s
    shift 2
    [ -n "$FULL" ] && step=1
    rm -f "$TIARA_DB"*
    cp "$WORK/base.db" "$TIARA_DB"
    base=$(state)
    ok "$@"
    want=$(state)
    read -r w s <<<"$(counts "$@")"
    [ "${w:-0}" -ge 2 ] && [ "${s:-0}" -ge 1 ] ||
        fail "$name: counted ${w:-no} writes and ${s:-no} fsyncs"
    failed=0 after=0
    for n in $(seq 1 "$step" "${w:-0}"); do
        [ -n "$FULL" ] || [ $((n / step % 2)) = 0 ] &&
            inject "write:$n+:full" "is full: nothing was changed" "$@"
        [ -n "$FULL" ] || [ $((n / step % 2)) = 1 ] &&
            inject "write:$n:eio" "I/O error writing '$TIARA_DB'" "$@"
    done
    for n in $(seq 1 "${s:-0}"); do
        inject "fsync:$n:eio" "I/O error flushing to disk '$TIARA_DB'" "$@"
    done
    echo "$name: $w writes, $s fsyncs: $failed runs failed, $after succeeded (fault in the checkpoint after the commit)"
    [ "$failed" -ge 1 ] || fail "$name: no fault made the run fail"
}

# An unknown TIARA_FAULT is refused, not ignored.
TIARA_FAULT=write:x:full "$FAULT" contact list >/dev/null 2>&1
[ $? -eq 2 ] || fail "a bad TIARA_FAULT was not refused"

ok contact add "Ana Perez" --email ana@example.com --tz America/New_York
ok schedule ana --at "2026-12-03 10:00" --where Cafe
cp "$TIARA_DB" "$WORK/base.db"
walk schedule 1 schedule ana --at "2026-12-08 15:00" --video https://meet.example.com/a
walk import 1 import "$DATA/invite-google.ics"

# An old database (schema 5): what steps 6 onwards made taken out again
# (triggers first: they name the columns), so that opening it runs those
# steps over real rows.
rm -f "$WORK/base.db"*
cp "$TIARA_DB" "$WORK/base.db"
sqlite3 "$WORK/base.db" "DROP TRIGGER import_seen_interview;
    DROP TRIGGER import_seen_interview_gone; DROP TRIGGER import_seen_contact;
    DROP TRIGGER import_seen_itip; DROP TRIGGER import_seen_itip_set;
    DROP TRIGGER import_seen_itip_gone; DROP TABLE import_seen;
    DROP INDEX interviews_anchor;
    ALTER TABLE sync_items DROP COLUMN ltext;
    ALTER TABLE sync_items DROP COLUMN pending_lhash;
    ALTER TABLE interviews DROP COLUMN title;
    ALTER TABLE sync_calendars DROP COLUMN auth;
    DROP TABLE removed_entries; DROP TABLE itip;
    PRAGMA user_version = 5;" || fail "cannot make the old database"
walk migration 2 contact list
[ "$(sqlite3 "$TIARA_DB" 'PRAGMA user_version')" -gt 5 ] ||
    fail "the migration did not run"
echo "storage faults injected: $injected"
finish
