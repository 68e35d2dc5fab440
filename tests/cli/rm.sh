#!/usr/bin/env bash
# tiara rm: an interview removed for good, its tasks with it; later
# exports say it was cancelled, so calendars that imported it drop it.
. "$(dirname "$0")/../lib.sh"

ok contact add "Ana Pérez"
ok schedule "Ana Pérez" --at "2026-12-10 10:00"
ok schedule "Ana Pérez" --at "2026-12-20 10:00"
uid=$(sqlite3 "$TIARA_DB" "select uid from interviews where id = 2")
ok export -o "$WORK/before.ics"
ok rm 2
has "removed interview #2 with Ana Pérez"
[ "$(sqlite3 "$TIARA_DB" "select count(*) from interviews where id = 2")" = 0 ] ||
    fail "the interview is still stored"
ok export -o "$WORK/after.ics"
"$ICS_LINT" "$WORK/after.ics" >/dev/null || fail "the export is not valid"
for u in "$uid" "$uid-prep" "$uid-thanks"; do
    block=$(tr -d '\r' <"$WORK/after.ics" | sed -n "/^UID:$u\$/,/^END:V/p")
    grep -q '^STATUS:CANCELLED$' <<<"$block" || fail "$u not cancelled: $block"
    grep -q '^SEQUENCE:1$' <<<"$block" || fail "$u SEQUENCE not raised: $block"
    grep -q '^BEGIN:VALARM' <<<"$block" && fail "$u keeps its alarm"
done
# The check-in series follows the interview that is left, as a revision.
series=$(tr -d '\r' <"$WORK/after.ics" | sed -n '/-checkin$/,/^END:VEVENT/p')
grep -q '^DTSTART;TZID=Europe/London:20270310T100000$' <<<"$series" ||
    fail "the check-ins did not move back: $series"
refused 1 "no interview #2" show 2

# One with notes asks for --force; cancel would keep them.
sqlite3 "$TIARA_DB" "update interviews set notes = 'Hiring in spring' where id = 1"
refused 1 "interview #1 has notes that would be lost: --force removes it anyway" rm 1
ok rm 1 --force
refused 2 "" rm
refused 1 "no interview #9" rm 9

finish
