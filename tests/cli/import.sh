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

# Google's feed: empty DESCRIPTION and LOCATION, floating times in the
# calendar's X-WR-TIMEZONE, a lunch longer than the usual hour.
ok import "$IN/google-feed-floating.ics"
has "note: event '6nq1r9s3t5u7@google.com': lasts 90 minutes, outside the usual 30-60: taken as the host set it"
has "2 interviews added, 0 updated, 0 cancelled, 1 contact added"
# 10:00 in Chicago is 16:00 UTC, not 10:00 UTC
[ "$(count "select start || ' ' || tz from interviews where uid = '5mp0q8r2s4t6@google.com'")" = "1797436800 America/Chicago" ] ||
    fail "floating time with X-WR-TIMEZONE: $(count "select start, tz from interviews where uid = '5mp0q8r2s4t6@google.com'")"
[ "$(count "select minutes from interviews where uid = '6nq1r9s3t5u7@google.com'")" = 90 ] || fail "the 90-minute lunch was cut"
ok export
has "DTSTART;TZID=America/Chicago:20261216T100000"
# Without X-WR-TIMEZONE a floating time is the user's own wall clock.
sed -e '/^X-WR-TIMEZONE/d' -e 's/@google.com/@google.com-nowr/' "$IN/google-feed-floating.ics" >"$WORK/nowr.ics"
TIARA_TZ=America/New_York ok import "$WORK/nowr.ics"
[ "$(count "select start || ' ' || tz from interviews where uid = '5mp0q8r2s4t6@google.com-nowr'")" = "1797433200 America/New_York" ] ||
    fail "floating time in the user's zone: $(count "select start, tz from interviews where uid = '5mp0q8r2s4t6@google.com-nowr'")"

# Apple: CN="" on the organizer, an RFC 9253 LINK, an empty URL, no DTEND
# nor DURATION (the default length).
ok import "$IN/apple-invite.ics"
has "1 interview added, 0 updated, 0 cancelled, 1 contact added"
ok show sam.okafor@example.org
has "interview #"
[ "$(count "select minutes || ' ' || tz from interviews where uid = 'A1B2C3D4-E5F6-4789-ABCD-APPLE0000001'")" = "30 America/Los_Angeles" ] ||
    fail "apple: $(count "select minutes, tz from interviews where uid = 'A1B2C3D4-E5F6-4789-ABCD-APPLE0000001'")"
[ "$(count "select name from contacts where email = 'sam.okafor@example.org'")" = "sam.okafor@example.org" ] ||
    fail "an empty CN did not fall back to the address"
# The default length is the user's setting.
mkdir -p "$WORK/.config/tiara"
printf '[defaults]\nlength = 45m\n' >"$WORK/.config/tiara/config.ini"
sed 's/APPLE0000001/APPLE0000002/' "$IN/apple-invite.ics" >"$WORK/apple2.ics"
ok import "$WORK/apple2.ics"
[ "$(count "select minutes from interviews where uid like '%APPLE0000002'")" = 45 ] || fail "[defaults] length was not the default"
rm "$WORK/.config/tiara/config.ini"

# Evolution: a weekly series is one interview (its first date, said so);
# the override of another date and a cancel of one date leave it alone.
ok import "$IN/evolution-weekly.ics"
has "note: event '20261120T100000Z-1234-1000-1-7@evolution-host': repeats: its first occurrence, 2026-12-21 10:00, is the interview; tiara does not keep the others"
has "skipped event '20261120T100000Z-1234-1000-1-7@evolution-host': changes only its occurrence of 2026-12-28 10:00; tiara keeps the one of 2026-12-21 10:00"
E=20261120T100000Z-1234-1000-1-7@evolution-host
[ "$(count "select start || ' ' || status || ' ' || tz from interviews where uid = '$E'")" = "1797847200 scheduled Europe/Madrid" ] ||
    fail "evolution: $(count "select start, status, tz from interviews where uid = '$E'")"
ok import "$IN/evolution-cancel-one.ics"
has "skipped event '$E': cancels only its occurrence of 2027-01-04 10:00; the interview of 2026-12-21 10:00 stays"
[ "$(count "select status from interviews where uid = '$E'")" = scheduled ] || fail "one cancelled occurrence cancelled the interview"
# A cancel of the date kept cancels it.
sed 's/RECURRENCE-ID:20270104T100000Z/RECURRENCE-ID:20261221T100000Z/' "$IN/evolution-cancel-one.ics" >"$WORK/cancel-first.ics"
ok import "$WORK/cancel-first.ics"
has "1 cancelled"
[ "$(count "select status from interviews where uid = '$E'")" = cancelled ] || fail "the cancel of the date kept did not cancel"

# Text encodings: a UTF-8 BOM is read, UTF-16 is read, Latin-1 is refused
# naming the line, and nothing of it is stored.
sed 's/7kq2v1b3n4m5/bom-1/' "$DATA/invite-google.ics" >"$WORK/plain.ics"
{ printf '\357\273\277'; cat "$WORK/plain.ics"; } >"$WORK/bom.ics"
ok import "$WORK/bom.ics"
has "1 interview added"
sed 's/bom-1/utf16-1/' "$WORK/plain.ics" | iconv -f UTF-8 -t UTF-16 >"$WORK/utf16.ics"
ok import "$WORK/utf16.ics"
has "1 interview added"
sed -e 's/bom-1/latin1-1/' -e 's/^SUMMARY:.*/SUMMARY:Caf\xe9 chat/' "$WORK/plain.ics" >"$WORK/latin1.ics"
refused 1 "'$WORK/latin1.ics' has line 21 not in UTF-8 (Latin-1?): save the file as UTF-8 and import it again" import "$WORK/latin1.ics"
# BEGIN and END names in any case (RFC 5545 2: names are case-insensitive).
sed -e 's/bom-1/case-1/' -e 's/^BEGIN:VCALENDAR/BEGIN:vCalendar/' -e 's/^END:VEVENT/end:vevent/' "$WORK/plain.ics" >"$WORK/case.ics"
ok import "$WORK/case.ics"
has "1 interview added"

# Outlook and Exchange zone names: the Windows name (no VTIMEZONE), the
# older short one, the display name with its VTIMEZONE; the host keeps
# their clock. A name that is nothing known nor defined is named.
zone_of() {
    count "select i.start || ' ' || i.tz || ' ' || coalesce(c.tz, '-') from interviews i join contacts c on c.id = i.contact_id where i.uid like '%$1'"
}
ok import "$IN/outlook-windows-zone.ics"
has "1 interview added"
# 10:00 in Amsterdam is 09:00 UTC
[ "$(zone_of WINZONE01)" = "1797930000 Europe/Berlin Europe/Berlin" ] || fail "Windows zone: $(zone_of WINZONE01)"
ok show pieter
has "Tue 2026-12-22 10:00, until 10:45 (45 min, Europe/Berlin)"
has "2026-12-22 09:00 your time (Europe/London)"
ok import "$IN/outlook-eastern.ics"
[ "$(zone_of EASTERN01)" = "1797951600 America/New_York America/New_York" ] || fail "Eastern: $(zone_of EASTERN01)"
ok import "$IN/outlook-display-zone.ics"
[ "$(zone_of DISPLAY01)" = "1798020000 Europe/Brussels Europe/Brussels" ] || fail "display-name zone: $(zone_of DISPLAY01)"
ok export
has "DTSTART;TZID=Europe/Brussels:20261223T110000"
sed -e 's/W. Europe Standard Time/Olympus Mons Standard Time/g' -e 's/WINZONE01/MARS01/' "$IN/outlook-windows-zone.ics" >"$WORK/mars.ics"
t import "$WORK/mars.ics"
[ "$rc" = 1 ] || fail "an unknown zone: rc $rc"
[ "$errout" = "tiara: $WORK/mars.ics: event '040000008200E00074C5B7101A82E0080000000MARS01': the zone 'Olympus Mons Standard Time' is neither an IANA or Windows zone nor defined in the file (no VTIMEZONE)" ] ||
    fail "an unknown zone: '$errout'"

# A calendar of zones alone is said to hold nothing.
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nEND:VCALENDAR\r\n' >"$WORK/none.ics"
ok import "$WORK/none.ics"
has "0 tasks updated: it holds no events or tasks"

# A VEVENT copied out on its own is read as its calendar would be; a
# value libical cannot read in a calendar property tiara does not use
# (a BOOLEAN of "MAYBE") drops that property, not the file.
sed -n '/^BEGIN:VEVENT/,/^END:VEVENT/p' "$DATA/invite-google.ics" | sed 's/7kq2v1b3n4m5/bare-1/' >"$WORK/bare.ics"
ok import "$WORK/bare.ics"
has "1 interview added"
sed -e 's/7kq2v1b3n4m5/bool-1/' -e 's/^CALSCALE:GREGORIAN/X-FLAG;VALUE=BOOLEAN:MAYBE/' "$DATA/invite-google.ics" >"$WORK/bool.ics"
ok import "$WORK/bool.ics"
has "1 interview added"

# An event without a UID (older writers) is given one made of what it
# says, so importing the file again updates it instead of doubling it.
sed -e '/^UID:/d' -e 's/^SUMMARY:.*/SUMMARY:Coffee, no UID/' "$DATA/invite-google.ics" >"$WORK/nouid.ics"
ok import "$WORK/nouid.ics"
has "interview added"
n=$(sqlite3 "$TIARA_DB" "select count(*) from interviews where uid like 'tiara-nouid-%'")
[ "$n" -ge 1 ] || fail "no interview from the event without a UID"
ok import "$WORK/nouid.ics"
[ "$(sqlite3 "$TIARA_DB" "select count(*) from interviews where uid like 'tiara-nouid-%'")" = "$n" ] ||
    fail "importing the file again doubled the events without a UID"

finish
