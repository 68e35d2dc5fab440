#!/usr/bin/env bash
# tiara import as hosts' programs write invitations: a line for each event
# not taken as it came, what becomes an interview, iTIP, zones, quirks.
. "$(dirname "$0")/../lib.sh"
DATA=${DATA:-$(dirname "$0")/../data}
IN=$DATA/import
export TIARA_EMAIL=me@example.com

# count SQL: one number from the database
count() {
    sqlite3 "$TIARA_DB" "$1"
}

# An Exchange free/busy export: nobody is invited, so nothing is an
# interview, and each event says why on its own line.
ok import "$IN/exchange-freebusy.ics"
has "skipped event '040000008200E00074C5B7101A82E0080000000010F1': not an invitation: it names no organizer or attendee other than you (--all-events takes it as an interview)"
has "skipped event '040000008200E00074C5B7101A82E0080000000010F2': not an invitation"
has "skipped event '040000008200E00074C5B7101A82E0080000000010F3': an all-day event, not a meeting"
has "0 interviews added, 0 updated, 0 cancelled, 0 contacts added, 0 tasks updated, 3 skipped"
[ "$(count 'select count(*) from interviews')" = 0 ] || fail "free/busy made interviews"
# --dry-run says what --all-events would do and changes nothing.
before=$(db_state)
ok import --dry-run --all-events "$IN/exchange-freebusy.ics"
has "would import $IN/exchange-freebusy.ics: 2 interviews added"
[ "$(db_state)" = "$before" ] || fail "--dry-run changed the database"
ok import --all-events "$IN/exchange-freebusy.ics"
has "imported $IN/exchange-freebusy.ics: 2 interviews added"
[ "$(count 'select count(*) from interviews')" = 2 ] || fail "--all-events took no events"

# iTIP, as Thunderbird, Apple Mail and Outlook send it (RFC 5546): a
# request, the host's answer and a proposed time, a move, a cancel, and
# an old request arriving late.
J=4f1a9c3e-7b2d-4e8a-9c1f-tb-jonas
jstart() {
    count "select start || ' ' || minutes || ' ' || status || ' ' || tz from interviews where uid = '$J'"
}
ok import "$IN/thunderbird-request-1.ics"
has "1 interview added, 0 updated, 0 cancelled, 1 contact added"
jid=$(count "select id from interviews where uid = '$J'")
booked=$(jstart)
# 14:00 in Berlin is 13:00 UTC
[ "$booked" = "1797253200 30 scheduled Europe/Berlin" ] || fail "request 1 booked '$booked'"
# An answer is recorded and changes nothing else, whatever it carries.
ok import "$IN/apple-reply-accepted.ics"
has "note: event '$J': the host accepted interview #$jid"
has "0 interviews added, 0 updated, 0 cancelled, 0 contacts added, 0 tasks updated, 1 answer"
[ "$(jstart)" = "$booked" ] || fail "a reply moved the interview: $(jstart)"
ok show "$jid"
has "host:      accepted"
lacks "Apple Park"
ok agenda --days 30
has "interview with Jonas Weber, in-person: Jitsi https://meet.jit.si/tiara-jonas, host accepted  #$jid"
# A proposed time is shown and moves nothing.
ok import "$IN/outlook-counter.ics"
has "note: event '$J': the host proposes 2026-12-14 15:00 for 45 minutes; nothing moved ('tiara reschedule $jid --at \"2026-12-14 15:00\"' takes it)"
[ "$(jstart)" = "$booked" ] || fail "a counter moved the interview: $(jstart)"
ok show "$jid"
has "host:      proposes Mon 2026-12-14 15:00 (45 min)"
ok export
has "DTSTART;TZID=Europe/Berlin:20261214T140000"
# The moved request (SEQUENCE 2) moves it; the proposal is moot.
ok import "$IN/thunderbird-request-2.ics"
has "0 interviews added, 1 updated"
[ "$(jstart)" = "1797346800 30 scheduled Europe/Berlin" ] || fail "request 2 left '$(jstart)'"
ok show "$jid"
lacks "proposes"
# A cancel with no DTSTART (RFC 5546 3.2.5 does not need one).
ok import "$IN/thunderbird-cancel-2.ics"
has "0 updated, 1 cancelled"
# The old request arriving late changes nothing, and says so.
ok import "$IN/thunderbird-request-1.ics"
has "skipped event '$J': older than the version kept (SEQUENCE 1, kept 2): it changes nothing"
has "0 interviews added, 0 updated, 0 cancelled"
[ "$(jstart)" = "1797346800 30 cancelled Europe/Berlin" ] || fail "a stale request undid the cancel: $(jstart)"
ok export
lacks "20261214T140000"
ok show "$jid"
has "(cancelled)"
# The same request again is no change: SEQUENCE does not climb.
seq=$(count "select seq from interviews where uid = '$J'")
ok import "$IN/thunderbird-cancel-2.ics"
[ "$(count "select seq from interviews where uid = '$J'")" = "$seq" ] || fail "a repeated cancel bumped SEQUENCE"
# A reply about a meeting tiara does not have creates nothing.
ok import "$IN/exchange-reply-declined.ics"
has "skipped event '040000008200E00074C5B7101A82E00800000000DECLINED01': it answers an interview this database does not have"
[ "$(count "select count(*) from interviews where uid like '%DECLINED01'")" = 0 ] || fail "a reply became an interview"

finish
