#!/usr/bin/env bash
# What ends is exported as ended: a calendar that imported an earlier
# file replaces each entry by UID with a higher SEQUENCE, so cancel,
# checkin --stop and contact rm must come back as STATUS:CANCELLED (or a
# series with UNTIL), and cancel --undo as live again, higher still.
. "$(dirname "$0")/../lib.sh"
: "${ICS_LINT:?}" "${VALIDATE:?}"
PY=/usr/bin/python3

check_file() {
    local f=$1
    "$ICS_LINT" "$f" >/dev/null || fail "libical strict parse of $f"
    "$PY" "$VALIDATE/check_icalendar.py" "$f" >"$WORK/py.txt" ||
        fail "python icalendar rejected $f"
    node "$VALIDATE/check_icaljs.mjs" "$f" >"$WORK/js.txt" ||
        fail "ical.js rejected $f"
    diff -u "$WORK/py.txt" "$WORK/js.txt" >&2 ||
        fail "python icalendar and ical.js read different instants in $f"
}

# comp FILE UID: the lines of the VEVENT or VTODO with that UID.
comp() {
    tr -d '\r' <"$1" | awk -v uid="$2" '
        /^BEGIN:(VEVENT|VTODO)$/ { buf = ""; on = 1; keep = 0 }
        on { buf = buf $0 "\n" }
        $0 == "UID:" uid { keep = 1 }
        /^END:(VEVENT|VTODO)$/ { if (keep) printf "%s", buf; on = 0 }'
}
# prop FILE UID NAME: the value of NAME in that component ("" if none).
prop() { comp "$1" "$2" | sed -n "s/^$3[;:]\(.*:\)\{0,1\}//p" | head -1; }
# uid_by FILE SUMMARY: the UID of the component with that SUMMARY.
uid_by() {
    tr -d '\r' <"$1" | awk -v s="SUMMARY:$2" '
        /^UID:/ { u = substr($0, 5) } $0 == s { print u; exit }'
}
# once FILE UID: the UID is in the file exactly once.
once() {
    [ "$(tr -d '\r' <"$1" | grep -c "^UID:$2\$")" -eq 1 ] ||
        fail "$2 is not in $1 exactly once"
}
# rose OLD NEW UID: the entry's SEQUENCE went up from OLD's to NEW's.
rose() {
    local a b
    a=$(prop "$1" "$3" SEQUENCE) b=$(prop "$2" "$3" SEQUENCE)
    [ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] ||
        fail "$3: SEQUENCE '$a' in $(basename "$1"), '$b' in $(basename "$2")"
}
# status FILE UID WANT
status() {
    local s
    s=$(prop "$1" "$2" STATUS)
    [ "$s" = "$3" ] || fail "$2 in $(basename "$1"): STATUS '$s', want $3"
}

ok contact add "Ana Pérez" --email ana@example.com --tz America/New_York
ok contact add "Bob Stone" --email bob@example.org
ok contact add "Cy Lord"
ok contact add "Dee Noon" --email dee@example.net --company "Noon Ltd"
ok schedule ana --at "2026-12-03 15:00"
ok schedule bob --at "2026-12-10 10:00"
ok schedule cy --at "2026-12-14 11:00"
ok schedule dee --at "2026-12-16 09:00"
ok export -o "$WORK/e0.ics"
check_file "$WORK/e0.ics"
A=$(uid_by "$WORK/e0.ics" "Informational interview with Ana Pérez")
D=$(uid_by "$WORK/e0.ics" "Informational interview with Dee Noon (Noon Ltd)")
ANA=$(prop "$WORK/e0.ics" "$A" X-TIARA-HOST-UID)
BOB=$(prop "$WORK/e0.ics" "$(uid_by "$WORK/e0.ics" \
    "Informational interview with Bob Stone")" X-TIARA-HOST-UID)
[ -n "$A" ] && [ -n "$D" ] && [ -n "$ANA" ] && [ -n "$BOB" ] ||
    fail "UIDs not found in the first export"

# cancel: the meeting, both tasks and the contact's only series end.
TIARA_NOW=2026-12-02T08:00:00Z ok cancel 1
ok export -o "$WORK/e1.ics"
check_file "$WORK/e1.ics"
status "$WORK/e1.ics" "$A" CANCELLED
for u in "$A" "$A-prep" "$A-thanks" "$ANA-checkin"; do
    once "$WORK/e1.ics" "$u"
    rose "$WORK/e0.ics" "$WORK/e1.ics" "$u"
done
status "$WORK/e1.ics" "$A-prep" CANCELLED
status "$WORK/e1.ics" "$A-thanks" CANCELLED
status "$WORK/e1.ics" "$ANA-checkin" CANCELLED
[ -z "$(prop "$WORK/e1.ics" "$ANA-checkin" RRULE)" ] ||
    fail "a cancelled series still recurs"
comp "$WORK/e1.ics" "$A-prep" | grep -q '^BEGIN:VALARM' &&
    fail "a cancelled task still has its alarm"
[ "$(prop "$WORK/e1.ics" "$A-prep" LAST-MODIFIED)" = 20261202T080000Z ] ||
    fail "cancelled task's LAST-MODIFIED is not the cancellation"
[ "$(prop "$WORK/e1.ics" "$A-prep" DTSTAMP)" = 20261202T080000Z ] ||
    fail "cancelled task's DTSTAMP is not the cancellation"
status "$WORK/e1.ics" "$D-prep" NEEDS-ACTION
# The event form for calendars without tasks says it too.
ok export --todo-as-event -o "$WORK/e1ev.ics"
check_file "$WORK/e1ev.ics"
status "$WORK/e1ev.ics" "$A-thanks" CANCELLED
# Sync is unchanged: a server still has the entries deleted, so the
# store's own listing of live entries is what it was (no cancelled tasks
# in an export window past the meeting either).
ok export --from 2026-12-04 -o "$WORK/e1w.ics"
check_file "$WORK/e1w.ics"
tr -d '\r' <"$WORK/e1w.ics" | grep -q "^UID:$A-prep\$" &&
    fail "a cancelled interview's task outside the window was exported"

# A cancelled task read back says nothing about being done: importing
# one, however new, leaves the preparation ticked off.
ok prepared bob
B=$(uid_by "$WORK/e0.ics" "Informational interview with Bob Stone")
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 PRODID:-//test//EN BEGIN:VTODO \
    "UID:$B-prep" DTSTAMP:20300101T000000Z LAST-MODIFIED:20300101T000000Z \
    SEQUENCE:9 X-TIARA-KIND:prep DUE:20261209T100000Z STATUS:CANCELLED \
    END:VTODO END:VCALENDAR >"$WORK/cancelled-task.ics"
ok import "$WORK/cancelled-task.ics"
ok show bob
has "prepared:  yes"

# cancel --undo: everything is live again, with a higher SEQUENCE still.
ok cancel 1 --undo
ok export -o "$WORK/e2.ics"
check_file "$WORK/e2.ics"
for u in "$A" "$A-prep" "$A-thanks" "$ANA-checkin"; do
    rose "$WORK/e1.ics" "$WORK/e2.ics" "$u"
done
status "$WORK/e2.ics" "$A" CONFIRMED
status "$WORK/e2.ics" "$A-prep" NEEDS-ACTION
status "$WORK/e2.ics" "$A-thanks" NEEDS-ACTION
status "$WORK/e2.ics" "$ANA-checkin" ""
[ "$(prop "$WORK/e2.ics" "$ANA-checkin" RRULE)" = "FREQ=MONTHLY;INTERVAL=3" ] ||
    fail "the restored series does not recur"

# checkin --stop before the first check-in: the series is cancelled.
ok checkin bob --stop
ok export -o "$WORK/e3.ics"
check_file "$WORK/e3.ics"
once "$WORK/e3.ics" "$BOB-checkin"
rose "$WORK/e2.ics" "$WORK/e3.ics" "$BOB-checkin"
status "$WORK/e3.ics" "$BOB-checkin" CANCELLED
[ -z "$(prop "$WORK/e3.ics" "$BOB-checkin" RRULE)" ] ||
    fail "a stopped series still recurs"
ok checkin bob --resume
ok export -o "$WORK/e3b.ics"
rose "$WORK/e3.ics" "$WORK/e3b.ics" "$BOB-checkin"
status "$WORK/e3b.ics" "$BOB-checkin" ""
# ... and after check-ins have happened: those stay, the series ends.
TIARA_NOW=2027-04-01T09:00:00Z ok checkin bob --stop
ok export -o "$WORK/e3c.ics"
check_file "$WORK/e3c.ics"
rose "$WORK/e3b.ics" "$WORK/e3c.ics" "$BOB-checkin"
[ "$(prop "$WORK/e3c.ics" "$BOB-checkin" RRULE)" = \
    "FREQ=MONTHLY;INTERVAL=3;UNTIL=20270401T090000Z" ] ||
    fail "a series stopped after its first check-in has no UNTIL"

# --cadence none ends a series as --stop does: exported cancelled, and
# back with a still higher SEQUENCE when turned on again.
ok checkin ana --cadence none
ok export -o "$WORK/e3d.ics"
check_file "$WORK/e3d.ics"
once "$WORK/e3d.ics" "$ANA-checkin"
rose "$WORK/e3c.ics" "$WORK/e3d.ics" "$ANA-checkin"
status "$WORK/e3d.ics" "$ANA-checkin" CANCELLED
[ -z "$(prop "$WORK/e3d.ics" "$ANA-checkin" RRULE)" ] ||
    fail "a series turned off still recurs"
ok checkin ana --cadence quarterly
ok export -o "$WORK/e3e.ics"
rose "$WORK/e3d.ics" "$WORK/e3e.ics" "$ANA-checkin"
status "$WORK/e3e.ics" "$ANA-checkin" ""
# A contact that never had check-ins has no cancelled series to send.
ok contact add "Never Met" --cadence none
ok export -o "$WORK/e3f.ics"
grep -c -- "-checkin" "$WORK/e3f.ics" | grep -qx "$(grep -c -- "-checkin" "$WORK/e3e.ics")" ||
    fail "a contact without check-ins got a series"

# contact rm: every entry of the contact, cancelled, for a year.
TIARA_NOW=2026-12-20T09:00:00Z ok landed
TIARA_NOW=2026-12-20T09:00:00Z ok export -o "$WORK/e4.ics"
L=$(uid_by "$WORK/e4.ics" "Tell Dee Noon you landed a job")
DEE=$(prop "$WORK/e4.ics" "$D" X-TIARA-HOST-UID)
[ -n "$L" ] && [ -n "$DEE" ] || fail "no follow-up for Dee"
TIARA_NOW=2026-12-21T09:00:00Z ok contact rm dee --force
export TIARA_NOW=2026-12-22T09:00:00Z
ok export -o "$WORK/e5.ics"
check_file "$WORK/e5.ics"
for u in "$D" "$D-prep" "$D-thanks" "$DEE-checkin" "$L"; do
    once "$WORK/e5.ics" "$u"
    status "$WORK/e5.ics" "$u" CANCELLED
    [ "$(prop "$WORK/e5.ics" "$u" SEQUENCE)" -eq \
        $(($(prop "$WORK/e4.ics" "$u" SEQUENCE) + 1)) ] ||
        fail "$u: SEQUENCE not one above the last exported"
    [ "$(prop "$WORK/e5.ics" "$u" LAST-MODIFIED)" = 20261221T090000Z ] ||
        fail "$u: LAST-MODIFIED is not the removal"
done
[ "$(prop "$WORK/e5.ics" "$D" DTSTART)" = "$(prop "$WORK/e4.ics" "$D" DTSTART)" ] ||
    fail "the removed interview moved"
[ "$(prop "$WORK/e5.ics" "$L" DUE)" = "$(prop "$WORK/e4.ics" "$L" DUE)" ] ||
    fail "the removed follow-up's due time moved"
grep -q "dee@example.net" "$WORK/e5.ics" &&
    fail "a removed contact's email is still exported"
ok export --todo-as-event -o "$WORK/e5ev.ics"
check_file "$WORK/e5ev.ics"
status "$WORK/e5ev.ics" "$D-thanks" CANCELLED
# A filtered export names a contact: a removed one is no one's.
ok export --contact ana -o "$WORK/e5a.ics"
tr -d '\r' <"$WORK/e5a.ics" | grep -q "^UID:$D" && fail "Dee's entries in Ana's export"

# Round trip: the cancelled entries come back exactly, and import does
# not bring the removed contact back.
TIARA_DB="$WORK/other.db" ok import "$WORK/e5.ics"
TIARA_DB="$WORK/other.db" ok export -o "$WORK/e6.ics"
cmp -s "$WORK/e5.ics" "$WORK/e6.ics" ||
    { diff "$WORK/e5.ics" "$WORK/e6.ics" | head -20 >&2; fail "round trip changed the export"; }
TIARA_DB="$WORK/other.db" ok contact list
lacks "Dee"
# An older file that still has Dee brings Dee back: exported live, once.
ok import "$WORK/e4.ics"
ok export -o "$WORK/e7.ics"
check_file "$WORK/e7.ics"
once "$WORK/e7.ics" "$D"
status "$WORK/e7.ics" "$D" CONFIRMED
ok contact rm dee --force

# A year after the removal they are left out.
TIARA_NOW=2027-12-24T09:00:00Z ok export -o "$WORK/e8.ics"
check_file "$WORK/e8.ics"
tr -d '\r' <"$WORK/e8.ics" | grep -q "^UID:$D" && fail "removed entries kept past a year"

finish
