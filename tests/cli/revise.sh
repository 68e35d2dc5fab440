#!/usr/bin/env bash
# The touch rule: whatever path changes an interview, its host's check-ins
# (derived from the interviews) get a new SEQUENCE with it.
. "$(dirname "$0")/../lib.sh"
DATA=${DATA:-$(dirname "$0")/../data}

host_seq() {
    sqlite3 "$TIARA_DB" "SELECT seq FROM contacts WHERE name = '$1'"
}
# revised NAME BEFORE WHAT: the host's seq rose past BEFORE.
revised() {
    local now
    now=$(host_seq "$1")
    [ "$now" -gt "$2" ] || fail "$3 left $1 unrevised (seq $2 -> $now)"
}

ok contact add "Ana Pérez" --tz America/New_York
ok schedule ana --at "2026-12-03 15:00"

for step in "reschedule ana --at 2026-12-04T15:00" "prepared ana" \
    "thanked ana"; do
    before=$(host_seq "Ana Pérez")
    # shellcheck disable=SC2086 # the step is words
    ok $step
    revised "Ana Pérez" "$before" "'$step'"
done

# The check-in entry carries the host's SEQUENCE, so a client sees it.
ok export
seq_line=$(printf '%s\n' "$out" | awk '/^UID:.*checkin/ { on = 1 } on && /^SEQUENCE:/ { print; exit }')
[ "$seq_line" = "SEQUENCE:$(host_seq "Ana Pérez")"$'\r' ] ||
    fail "check-in SEQUENCE '$seq_line' is not the host's $(host_seq "Ana Pérez")"

before=$(host_seq "Ana Pérez")
ok cancel ana
revised "Ana Pérez" "$before" "'cancel ana'"

# An invitation moved by its organiser, then cancelled.
ok import "$DATA/invite-google.ics"
before=$(host_seq "Dev Patel")
sed -e 's/^DTSTART:20261211T150000Z$/DTSTART:20261212T150000Z/' \
    -e 's/^DTEND:20261211T153000Z$/DTEND:20261212T153000Z/' \
    -e 's/^SEQUENCE:0$/SEQUENCE:1/' "$DATA/invite-google.ics" >"$WORK/moved.ics"
ok import "$WORK/moved.ics"
has "1 updated"
revised "Dev Patel" "$before" "an imported move"
before=$(host_seq "Dev Patel")
ok import "$DATA/cancel-google.ics"
revised "Dev Patel" "$before" "an imported cancellation"
# The same again is no change: no new SEQUENCE, nothing rewritten.
iv_seq() { sqlite3 "$TIARA_DB" "SELECT seq FROM interviews WHERE id = 1"; }
ok reschedule 1 --at "2026-12-09 10:00"
before=$(host_seq "Ana Pérez")
ivb=$(iv_seq)
ok reschedule 1 --at "2026-12-09 10:00"
has "is already so: nothing changed"
[ "$(iv_seq)" = "$ivb" ] || fail "a reschedule to the same time bumped SEQUENCE"
ok contact edit ana --tz America/New_York
has "is already so: nothing changed"
[ "$(host_seq "Ana Pérez")" = "$before" ] || fail "a no-op contact edit bumped SEQUENCE"
ok contact edit ana --tz Europe/Madrid
revised "Ana Pérez" "$before" "a real contact edit"

finish
