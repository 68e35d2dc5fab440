#!/usr/bin/env bash
# Exported files pass three independent readers (libical strict, Python's
# icalendar, ical.js), which must agree on every instant; tiara's own
# export round-trips through an empty database unchanged.
. "$(dirname "$0")/../lib.sh"
: "${ICS_LINT:?}" "${VALIDATE:?}"
PY=/usr/bin/python3

ok contact add "Ana Pérez" --email ana@example.com --company "Acme, Inc." \
    --tz America/New_York --notes "private: met at the meetup"
ok contact add "Bob Stone; Jr." --referred-by ana --cadence semiannual
ok contact add "Cy Lord" --tz Australia/Lord_Howe --phone "+61 2 5555 0100" --referred-by bob
ok contact add "Dee Noon" --email dee@example.org --cadence none
ok schedule ana --at "2026-12-03 15:00" --video https://meet.example.com/a?b=c --thanks-in host
ok schedule bob --at "2027-01-31 10:00" --for 45m --where "Café Nero, Leeds"
ok schedule cy --at "2026-10-04 02:30" --tz Australia/Lord_Howe --for 60m --phone="+61 2 5555 0100"
ok schedule dee --at "2026-03-29 00:30" --for 30m
ok schedule dee --at "2028-02-29 09:00 America/New_York"
ok thanked cy
ok reschedule ana --at "2026-12-04 15:00"
ok cancel 4
export TIARA_NOW=2028-03-05T09:00:00Z
ok landed --note "Tell them about the new role, with thanks"
export TIARA_NOW=2026-12-01T09:00:00Z

check_file() {
    local f=$1
    "$ICS_LINT" "$f" >/dev/null || fail "libical strict parse of $f"
    "$PY" "$VALIDATE/check_icalendar.py" "$f" > "$WORK/py.txt" ||
        fail "python icalendar rejected $f"
    node "$VALIDATE/check_icaljs.mjs" "$f" > "$WORK/js.txt" ||
        fail "ical.js rejected $f"
    diff -u "$WORK/py.txt" "$WORK/js.txt" >&2 ||
        fail "python icalendar and ical.js read different instants in $f"
    [ -s "$WORK/py.txt" ] || fail "no components read from $f"
}

ok export -o "$WORK/all.ics"
check_file "$WORK/all.ics"
out=$(cat "$WORK/all.ics")
lacks "meetup"
has "SEQUENCE:1"
has "X-TIARA-THANKS-TZ:America/New_York"
has "STATUS:CANCELLED"
has "X-TIARA-KIND:landed"
has "DTSTART;TZID=Australia/Lord_Howe:20261004T023000"
has "RRULE:FREQ=MONTHLY;INTERVAL=3"
has "RRULE:FREQ=MONTHLY;INTERVAL=6"
# Lines end in CRLF and are folded at 75 octets (RFC 5545 3.1).
[ "$(awk '{ if (length($0) > 76) n++ } END { print n + 0 }' "$WORK/all.ics")" -eq 0 ] ||
    fail "unfolded long lines"
grep -q $'\r$' "$WORK/all.ics" || fail "no CRLF line ends"
# The Python reader sees the moved interview at its new time.
grep -q "2026-12-04T15:00:00Z" "$WORK/py.txt" || fail "rescheduled time missing"
# The check-in is at 15:00 London in winter and 15:00 London in summer.
grep -q -- "-checkin 2027-03-04T15:00:00Z" "$WORK/js.txt" || fail "winter check-in"
grep -q -- "-checkin 2027-06-04T14:00:00Z" "$WORK/js.txt" || fail "summer check-in (BST)"

# Renaming a host changes its interviews' entries: a new revision.
ok contact edit dee --name "Dee Noon-Okafor"
ok export -o "$WORK/renamed.ics"
grep -A4 "^SUMMARY:Informational interview with Dee Noon-Okafor" "$WORK/renamed.ics" >/dev/null ||
    fail "rename not in the export"
# Dee's two interviews (one cancelled) and their tasks: the cancelled
# one's two, and the thank-you of the one booked after it took place (it
# has nothing to prepare): five entries.
seqsum() { tr -d '\r' <"$1" | awk -F: '/^SEQUENCE:/ { n += $2 } END { print n + 0 }'; }
[ "$(seqsum "$WORK/renamed.ics")" -eq $(($(seqsum "$WORK/all.ics") + 5)) ] ||
    fail "rename did not bump SEQUENCE: sum $(seqsum "$WORK/renamed.ics"), was $(seqsum "$WORK/all.ics")"
ok contact edit "Dee Noon-Okafor" --name "Dee Noon"

ok export --todo-as-event -o "$WORK/events.ics"
check_file "$WORK/events.ics"
grep -q "BEGIN:VTODO" "$WORK/events.ics" && fail "VTODO in --todo-as-event export"
# the deadlines as events keep their reminders
grep -q "DESCRIPTION:Send your thank-you note today" "$WORK/events.ics" ||
    fail "the thank-you deadline as an event lost its alarm"
grep -q "DESCRIPTION:Prepare for your interview" "$WORK/events.ics" ||
    fail "the preparation deadline as an event lost its alarm"

ok export --contact cy --from 2026-10-01 --to 2026-10-31 -o "$WORK/cy.ics"
check_file "$WORK/cy.ics"
[ "$(grep -c '^BEGIN:VEVENT' "$WORK/cy.ics")" -eq 2 ] || fail "cy: want interview + check-in"

# Round trip through an empty database, notes included.
ok export --with-notes -o "$WORK/a.ics"
grep -q "meetup" "$WORK/a.ics" || fail "--with-notes left the notes out"
TIARA_DB="$WORK/other.db" ok import "$WORK/a.ics"
has "4 interviews added, 0 updated, 1 cancelled, 4 contacts added"
TIARA_DB="$WORK/other.db" ok export --with-notes -o "$WORK/b.ics"
cmp -s "$WORK/a.ics" "$WORK/b.ics" || { diff "$WORK/a.ics" "$WORK/b.ics" | head -20 >&2; fail "round trip changed the export"; }
TIARA_DB="$WORK/other.db" ok contact show cy
has "who was referred by #"
# Importing again changes nothing.
TIARA_DB="$WORK/other.db" ok import "$WORK/a.ics"
has "0 interviews added, 0 updated, 0 cancelled, 0 contacts added, 0 tasks updated"

# An invitation from Outlook becomes an interview with a new contact.
export TIARA_EMAIL=me@example.com
ok import "$VALIDATE/../data/invite-outlook.ics"
has "1 interview added"
ok show clara
has "Thu 2026-12-10 09:00, until 09:45 (45 min, Europe/Berlin)"

# -o writes where the user points: through a symlink, keeping the mode,
# never over a read-only file, into a pipe as a stream; nothing is left
# beside it.
mkdir "$WORK/out"
: >"$WORK/out/real.ics"
chmod 644 "$WORK/out/real.ics"
ln -s real.ics "$WORK/out/link.ics"
ok export -o "$WORK/out/link.ics"
[ -L "$WORK/out/link.ics" ] || fail "the symlink was replaced by a file"
grep -q "BEGIN:VCALENDAR" "$WORK/out/real.ics" || fail "the link's target was not written"
[ "$(stat -c %a "$WORK/out/real.ics")" = 644 ] || fail "the export's mode changed to $(stat -c %a "$WORK/out/real.ics")"
chmod 444 "$WORK/out/real.ics"
cp "$WORK/out/real.ics" "$WORK/out/before"
t export -o "$WORK/out/real.ics"
[ "$rc" = 1 ] || fail "a read-only file was overwritten (rc $rc)"
case "$errout" in *"is read-only: not replaced"*) ;; *) fail "read-only: $errout" ;; esac
cmp -s "$WORK/out/real.ics" "$WORK/out/before" || fail "the read-only file changed"
mkfifo "$WORK/out/pipe"
cat "$WORK/out/pipe" >"$WORK/out/from-pipe" &
ok export -o "$WORK/out/pipe"
wait
[ -p "$WORK/out/pipe" ] || fail "the pipe was replaced"
grep -q "END:VCALENDAR" "$WORK/out/from-pipe" || fail "nothing came through the pipe"
ok export -o -
has "BEGIN:VCALENDAR"
t export -o /dev/full
[ "$rc" = 1 ] || fail "a full device took the export (rc $rc)"
ls -a "$WORK/out" | grep -q '\.tmp-' && fail "a temporary file was left: $(ls -a "$WORK/out")"
# The second 01:30 of a night the clocks go back is written in UTC: a
# TZID wall time would be read as the first by every client.
TIARA_DB="$WORK/fold.db" ok contact add "Fold Host"
TIARA_DB="$WORK/fold.db" ok schedule fold --at "2027-11-07T01:30-05:00" --tz America/New_York
TIARA_DB="$WORK/fold.db" ok export -o "$WORK/fold.ics"
check_file "$WORK/fold.ics"
tr -d '\r' <"$WORK/fold.ics" | grep -q '^DTSTART:20271107T063000Z$' ||
    fail "the second 01:30 was not written as 06:30Z: $(grep DTSTART "$WORK/fold.ics" | head -3)"

finish
