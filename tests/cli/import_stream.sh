#!/usr/bin/env bash
# tiara import of a file, read a component at a time, against the same
# text read whole (as from a pipe): the same lines, the same database,
# whatever order the file keeps its zones, series and tasks in; and the
# quick way through an invitation imported before and unchanged since.
. "$(dirname "$0")/../lib.sh"
DATA=${DATA:-$(dirname "$0")/../data}
SAMPLES=${SAMPLES:-$(dirname "$0")/../../samples}
IN=$DATA/import
export TIARA_EMAIL=me@example.com

# What an import leaves, the random contact UIDs and the record of
# invitations taken (only a streamed import keeps one) aside.
rows() {
    sqlite3 "$1" "select uid, contact_id, start, minutes, tz, mode,
      location, video_url, status, seq, title, prep_done, thanked, created,
      modified from interviews order by uid;
      select id, name, email, tz, referred_by, created, modified
      from contacts order by id;
      select * from itip order by uid;
      select uid, due, done, modified from followups order by uid;
      select uid, kind, start from removed_entries order by uid"
}

# Each file twice (the second time is the quick way for what is
# unchanged), in the order that lets iTIP messages find their interviews.
# Files the scan leaves to the whole-file reader: BEGIN and END that do
# not pair, text after the calendar, a bare VEVENT, a cut file.
sed 's/^END:VTODO/END:VEVENT/' "$IN/stream-order.ics" >"$WORK/unpaired.ics"
{ cat "$IN/stream-order.ics"; echo "trailing text"; } >"$WORK/after.ics"
sed -n '/^BEGIN:VEVENT/,/^END:VEVENT/p' "$DATA/invite-google.ics" >"$WORK/bare.ics"
head -c 900 "$IN/stream-order.ics" >"$WORK/cut.ics"
STREAM=$WORK/stream.db WHOLE=$WORK/whole.db
for f in "$IN"/stream-order.ics "$IN"/*.ics "$DATA"/*.ics \
    "$SAMPLES"/invitation.ics "$WORK"/unpaired.ics "$WORK"/after.ics \
    "$WORK"/bare.ics "$WORK"/cut.ics; do
    for round in 1 2; do
        TIARA_DB=$STREAM t import "$f"
        s_out=$out s_err=$errout s_rc=$rc
        TIARA_DB=$WHOLE t import /dev/stdin <<<"$(cat "$f")"
        w_out=${out//\/dev\/stdin/$f} w_err=${errout//\/dev\/stdin/$f}
        [ "$s_rc" = "$rc" ] || fail "$f ($round): exit $s_rc, whole $rc"
        [ "$s_out" = "$w_out" ] ||
            fail "$f ($round): streamed said"$'\n'"$s_out"$'\n'"read whole:"$'\n'"$w_out"
        [ "$s_err" = "$w_err" ] ||
            fail "$f ($round): streamed told"$'\n'"$s_err"$'\n'"read whole:"$'\n'"$w_err"
    done
done
[ "$(rows "$STREAM")" = "$(rows "$WHOLE")" ] ||
    fail "the databases differ:"$'\n'"$(diff <(rows "$STREAM") <(rows "$WHOLE"))"

# A changed occurrence before its series, the zone defined after both, a
# task before its interview, an event without UID, one UID twice.
ok import "$IN/stream-order.ics"
S=stream-series-1@example.org
[ "$(sqlite3 "$TIARA_DB" "select start || ' ' || tz || ' ' || thanked from interviews where uid = '$S'")" = "1797242400 Europe/Berlin 1795597200" ] ||
    fail "series: $(sqlite3 "$TIARA_DB" "select * from interviews where uid = '$S'")"
has "skipped event '$S': changes only its occurrence of 2026-12-21 09:00; tiara keeps the one of 2026-12-14 09:00"
[ "$(sqlite3 "$TIARA_DB" "select seq from interviews where uid = 'stream-twice@example.org'")" = 1 ] ||
    fail "the later of one UID's two requests did not win"

# Unchanged since: looked up, not taken again; the same report.
taken=$(sqlite3 "$TIARA_DB" "select count(*) from import_seen")
[ "$taken" = 2 ] || fail "$taken invitations recorded as taken, want 2"
before=$(db_state)
ok import "$IN/stream-order.ics"
has "0 interviews added, 0 updated, 0 cancelled, 0 contacts added, 0 tasks updated, 3 skipped"
[ "$(db_state)" = "$before" ] || fail "an unchanged file changed the database"
# Moved here since: the file's time comes back, as when read whole.
id=$(sqlite3 "$TIARA_DB" "select id from interviews where uid like 'tiara-nouid-%'")
ok reschedule "$id" --at "2026-12-16 17:00"
ok import "$IN/stream-order.ics"
has "0 interviews added, 1 updated"
[ "$(sqlite3 "$TIARA_DB" "select start from interviews where id = $id")" = 1797433200 ] ||
    fail "a local move survived the import of the file"
# The host renamed since: the title is read again.
sqlite3 "$TIARA_DB" "update contacts set name = 'Per' where email = 'per.holm@example.dk'"
ok import "$IN/stream-order.ics"
has "0 interviews added, 0 updated"
finish
