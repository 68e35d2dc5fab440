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

finish
