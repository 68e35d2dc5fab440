#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The crash points of tiara-crash (argument 1): the list agrees with the
# sources, and a kill between migration steps, between imported entries
# or in the middle of an export leaves the database and the file either
# as they were or wholly changed, never half.
. "$(dirname "$0")/../lib.sh"
CRASH=$1
SRC=$(cd "$(dirname "$0")/../../src" && pwd)

points=$(TIARA_CRASH_LIST=1 "$CRASH")
n=$(wc -l <<<"$points")
[ "$n" -ge 25 ] || fail "only $n crash points"
[ "$(sort -u <<<"$points" | wc -l)" = "$n" ] || fail "a crash point is listed twice"
in_src=$(grep -rhoE 'crash_point\("[a-z-]+"\)' "$SRC" | sed 's/.*("//; s/")//' | sort -u)
diff <(sort <<<"$points") <(echo "$in_src") >&2 ||
    fail "the points listed differ from those in src/"
# the program built without them has none and ignores the variable
t contact list
TIARA_CRASH_AT=migrate-before-commit "$TIARA" contact list >/dev/null ||
    fail "plain tiara stopped at a crash point"
rm -f "$TIARA_DB"*

integrity() {
    [ "$(sqlite3 "$1" 'PRAGMA integrity_check')" = ok ] ||
        fail "$2: integrity check: $(sqlite3 "$1" 'PRAGMA integrity_check')"
}

# crashed CONTEXT POINT ARGS...: tiara-crash must die at POINT (run in a
# subshell, whose "Killed" goes to /dev/null).
crashed() {
    local what=$1 at=$2
    shift 2
    (TIARA_CRASH_AT=$at "$CRASH" "$@" >/dev/null 2>"$WORK/crash.err"; exit $?) 2>/dev/null
    rc=$?
    [ "$rc" = 137 ] || fail "$what: $at did not kill tiara (exit $rc)"
}

# reached POINT ARGS...: does a run of ARGS get to the Nth POINT? Run on
# a copy of the database, so that the loops below find how many there
# are instead of being told.
reached() {
    local at=$1 db=$WORK/probe.db
    shift
    rm -f "$db"*
    [ -f "$TIARA_DB" ] && cp "$TIARA_DB" "$db"
    (TIARA_DB=$db TIARA_CRASH_AT=$at "$CRASH" "$@" >/dev/null 2>&1; exit $?) 2>/dev/null
    [ $? = 137 ]
}

# Migration: every step of a new database, and the commit.
steps=0
for i in $(seq 1 100); do
    reached "migrate-between-steps:$i" contact list || break
    steps=$i
done
[ "$steps" -ge 2 ] || fail "the migration passed $steps crash points"
echo "migration: $steps steps"
full=
for at in $(seq -f 'migrate-between-steps:%g' 1 "$steps") migrate-before-commit; do
    rm -f "$TIARA_DB"*
    crashed migration "$at" contact list
    integrity "$TIARA_DB" "$at"
    [ "$(sqlite3 "$TIARA_DB" 'PRAGMA user_version')" = 0 ] &&
        [ "$(sqlite3 "$TIARA_DB" 'select count(*) from sqlite_master')" = 0 ] ||
        fail "$at: a half-migrated database was left"
    ok contact add "Ana Perez" --email ana@example.com
    [ -n "$full" ] || full=$(sqlite3 "$TIARA_DB" 'PRAGMA user_version')
    [ "$(sqlite3 "$TIARA_DB" 'PRAGMA user_version')" = "$full" ] ||
        fail "$at: the next run did not finish the migration"
done

# A calendar of three interviews with their tasks, made by tiara.
SOURCE_DB=$WORK/source.db
rm -f "$TIARA_DB"*
TIARA_DB=$SOURCE_DB
ok contact add "Ana Perez" --email ana@example.com --tz America/New_York
ok contact add "Bob Stone" --email bob@example.org --referred-by ana
ok schedule ana --at "2026-12-03 10:00" --where Cafe
ok schedule bob --at "2026-12-04 15:00" --video https://meet.example.com/b
ok schedule ana --at "2026-12-10 11:00" --phone
"$TIARA" export >"$WORK/cal.ics" || fail "export"
TIARA_DB=$WORK/tiara.db

# Import: killed between any two entries or before the commit, the
# database is as before; the next import takes everything.
ok contact add "Zoe Old" --email zoe@example.net
cp "$TIARA_DB" "$WORK/base.db"
ok import "$WORK/cal.ics"
want=$("$TIARA" export)
entries=0
for i in $(seq 1 100); do
    cp "$WORK/base.db" "$TIARA_DB"
    reached "import-between-entries:$i" import "$WORK/cal.ics" || break
    entries=$i
done
echo "import: $entries entries"
[ "$entries" -ge 3 ] || fail "the import passed $entries crash points"
for at in $(seq -f 'import-between-entries:%g' 1 "$entries") import-before-commit; do
    rm -f "$TIARA_DB"*
    cp "$WORK/base.db" "$TIARA_DB"
    before=$(db_state)
    crashed import "$at" import "$WORK/cal.ics"
    integrity "$TIARA_DB" "$at"
    [ "$(db_state)" = "$before" ] || fail "$at: a killed import changed the database"
    ok import "$WORK/cal.ics"
    [ "$("$TIARA" export)" = "$want" ] || fail "$at: the import after a kill differs"
done

# Export: killed at any component, the file is the old one, whole.
TIARA_DB=$SOURCE_DB
printf 'the old file\n' >"$WORK/out.ics"
cp "$WORK/out.ics" "$WORK/old.ics"
parts=0
for i in $(seq 1 200); do
    reached "export-mid-write:$i" export -o "$WORK/probe.ics" || break
    parts=$i
done
echo "export: $parts components"
[ "$parts" -ge 10 ] || fail "the export passed $parts crash points"
for at in $(seq -f 'export-mid-write:%g' 1 "$parts") export-before-end; do
    crashed export "$at" export -o "$WORK/out.ics"
    cmp -s "$WORK/out.ics" "$WORK/old.ics" || fail "$at: a killed export changed the file"
done
[ "$(ls "$WORK" | grep -c 'out\.ics')" = 1 ] || fail "a killed export left files: $(ls "$WORK")"
ok export -o "$WORK/out.ics"
cmp -s "$WORK/out.ics" "$WORK/cal.ics" || fail "the export after the kills is not whole"

# An invitation imported before and unchanged since is looked up, not
# taken again: the second import passes no point between entries.
TIARA_DB=$WORK/seen.db
INVITE=${DATA:-$(dirname "$0")/../data}/import/thunderbird-request-1.ics
ok import "$INVITE"
(TIARA_CRASH_AT=import-between-entries "$CRASH" import "$INVITE" >/dev/null 2>&1; exit $?) 2>/dev/null
[ $? = 0 ] || fail "an unchanged invitation was taken again"
crashed "a changed invitation" import-between-entries import \
    "$(dirname "$INVITE")/thunderbird-request-2.ics"
finish
