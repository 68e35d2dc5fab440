#!/usr/bin/env bash
# Every bad input gets one clear line, a non-zero exit, and the database
# stays exactly as it was.
. "$(dirname "$0")/../lib.sh"
DATA=${DATA:-$(dirname "$0")/../data}

ok contact add "Ana Pérez" --email ana@example.com
ok contact add "Anabel Ruiz"
ok schedule "Ana Pérez" --at "2026-12-03 10:00"

refused 1 "no contact matches 'Zed'" schedule Zed --at "2026-12-04 10:00"
refused 1 "'ana' is ambiguous: 'Ana Pérez' (#1), 'Anabel Ruiz' (#2)" \
    schedule ana --at "2026-12-04 10:00"
refused 1 "2026-02-30 10:00 does not exist" \
    schedule Anabel --at "2026-02-30 10:00"
refused 1 "2026-03-29 01:30 does not exist in Europe/London" \
    schedule Anabel --at "2026-03-29 01:30"
refused 1 "2026-03-08 02:30 does not exist in America/New_York" \
    schedule Anabel --at "2026-03-08 02:30" --tz America/New_York
refused 1 "unknown time zone 'Mars/Olympus'" \
    schedule Anabel --at "2026-12-04 10:00" --tz Mars/Olympus
refused 1 "unknown time zone 'Mars/Olympus'" contact add "Zoe" --tz Mars/Olympus
refused 1 "length '-30m' is negative" schedule Anabel --at "2026-12-04 10:00" --for -30m
refused 1 "not a plausible interview length" \
    schedule Anabel --at "2026-12-04 10:00" --for 900m --force
refused 1 "cannot read length '30 minutes please'" \
    schedule Anabel --at "2026-12-04 10:00" --for "30 minutes please"
refused 1 "shorter than the usual 30-60 minute" \
    schedule Anabel --at "2026-12-04 10:00" --for 15m
refused 1 "cannot read date 'next blursday'" schedule Anabel --at "next blursday"
refused 1 "'2026-12-04' has no time of day" schedule Anabel --at 2026-12-04
refused 1 "'not-an-email' is not an email address" contact add Zoe --email not-an-email
refused 1 "unknown cadence 'weekly'" contact add Zoe --cadence weekly
refused 1 "no interview #42" thanked 42
refused 2 "--at WHEN is required" schedule Anabel
refused 2 "unknown command 'sched'" sched Anabel

refused 1 "cannot read '$WORK/missing.ics'" import "$WORK/missing.ics"
printf 'hello, not a calendar\n' > "$WORK/note.txt"
refused 1 "'$WORK/note.txt' is not an iCalendar file" import "$WORK/note.txt"
refused 1 "$DATA/malformed.ics: event 'x': DTSTART '2026X' is not a DATE-TIME" import "$DATA/malformed.ics"
printf 'BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' > "$WORK/end.ics"
refused 1 "'$WORK/end.ics' is malformed: Encountered END before BEGIN" import "$WORK/end.ics"
: > "$WORK/empty.ics"
refused 1 "is not an iCalendar file" import "$WORK/empty.ics"
# A file whose second event is broken: --strict imports nothing at all;
# without, the good one is taken and the bad one named, exit 1.
sed 's/^DTSTART:20261211T150000Z$/DTSTART:garbage/' "$DATA/invite-google.ics" \
    > "$WORK/half.ics"
cat "$DATA/invite-outlook.ics" "$WORK/half.ics" > "$WORK/two.ics"
refused 1 "$WORK/two.ics: event '7kq2v1b3n4m5@google.com': DTSTART 'garbage' is not a DATE-TIME (--strict: nothing imported)" \
    import --strict "$WORK/two.ics"
t contact list
lacks "Clara"
t import "$WORK/two.ics"
[ "$rc" = 1 ] || fail "a file with one bad event: rc $rc"
[ "$errout" = "tiara: $WORK/two.ics: event '7kq2v1b3n4m5@google.com': DTSTART 'garbage' is not a DATE-TIME" ] ||
    fail "the bad event was not named on its own line: '$errout'"
has "1 interview added"
has "1 refused"
t contact list
has "Clara"
lacks "Dev Patel"
# A truncated file says so.
head -c 300 "$DATA/invite-google.ics" >"$WORK/cut.ics"
refused 1 "'$WORK/cut.ics' ends before END:VCALENDAR: the file is cut short" import "$WORK/cut.ics"

# A database from a newer tiara is refused and left alone.
version=$(sqlite3 "$TIARA_DB" "PRAGMA user_version")
sqlite3 "$TIARA_DB" "PRAGMA user_version = 99"
refused 1 "is from a newer tiara (schema 99" contact list
sqlite3 "$TIARA_DB" "PRAGMA user_version = $version"

printf 'not sqlite at all' > "$WORK/junk.db"
t --db "$WORK/junk.db" contact list
[ "$rc" -eq 1 ] || fail "junk database: rc $rc"
case "$errout" in "tiara: '$WORK/junk.db' is not a tiara database"*) ;; *) fail "junk db: $errout" ;; esac

# Export never leaves a half-written file behind.
mkdir "$WORK/dir.ics"
t export -o "$WORK/dir.ics"
[ "$rc" -eq 1 ] || fail "export over a directory: rc $rc"
case "$errout" in "tiara: '$WORK/dir.ics' is a folder"*) ;; *) fail "export over a directory: $errout" ;; esac
[ -z "$(ls "$WORK" | grep 'tmp-')" ] || fail "export left a temp file"
# Wrapped messages say the reason once, and the reason itself.
TIARA_NOW=garbage refused 1 "TIARA_NOW: cannot read date 'garbage' (try" agenda
case "$errout" in *"TIARA_NOW: TIARA_NOW"*) fail "TIARA_NOW wrapped twice: $errout" ;; esac
cat >"$WORK/backwards.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
METHOD:REQUEST
BEGIN:VEVENT
UID:backwards-1@example.com
DTSTAMP:20261201T090000Z
DTSTART:20261210T150000Z
DTEND:20261210T140000Z
SUMMARY:Coffee
ORGANIZER;CN=Ana:mailto:ana@example.com
END:VEVENT
END:VCALENDAR
ICS
refused 1 "$WORK/backwards.ics: event 'backwards-1@example.com': an interview must last more than 0 minutes" \
    import "$WORK/backwards.ics"
[ "$out" = "imported $WORK/backwards.ics: 0 interviews added, 0 updated, 0 cancelled, 0 contacts added, 0 tasks updated, 1 refused" ] ||
    fail "import of a backwards event said: '$out'"
[ "$errout" = "tiara: $WORK/backwards.ics: event 'backwards-1@example.com': an interview must last more than 0 minutes" ] ||
    fail "import of a backwards event: '$errout'"

# Kept conflict losers: a missing one, a bad id.
refused 1 "no kept conflict #99" conflicts show 99
refused 2 "'abc' is not a conflict id" conflicts restore abc
ok conflicts
has "no conflicts kept"

# A password in a URL is refused everywhere, before anything is sent.
refused 1 "the password in the config, not in the URL" \
    calendar discover "https://me:s3cret@dav.example.com/"
refused 1 "the password in the config, not in the URL" \
    calendar add x --url "https://me:s3cret@dav.example.com/cal/" --no-check
case "$errout" in *s3cret*) fail "the password was printed: $errout" ;; esac

# Dates tiara cannot carry through its deadlines and check-ins are
# refused at the door, and one already stored spoils no export.
refused 1 "a date in 9999 is out of range: tiara keeps 1970 to 2098" \
    schedule ana@example.com --at "9999-12-31 23:00"
refused 1 "a date in 1969 is out of range" \
    schedule ana@example.com --at "1969-12-31 10:00"
refused 1 "a date in 9999 is out of range" landed --due 9999-12-31
sed 's/^DTSTART\(.*\):2026/DTSTART\1:9999/; s/^DTEND\(.*\):2026/DTEND\1:9999/' \
    "$DATA/invite-google.ics" >"$WORK/far.ics"
refused 1 "a date in 9999 is out of range" import "$WORK/far.ics"
ok schedule ana@example.com --at "2026-12-20 10:00"
ok schedule anabel --at "2026-12-21 10:00"
sqlite3 "$TIARA_DB" "update interviews set start = 253402297200 where id = (select max(id) from interviews)"
t export
[ "$rc" = 0 ] || fail "one bad stored date failed the export ($errout)"
case "$errout" in *"not fully written: 10000-01-01 23:59 is not a real date"*) ;;
*) fail "the bad entry was not named: $errout" ;; esac
has "SUMMARY:Informational interview with Ana Pérez"
ok agenda --days 30

# Another program's database is refused and left byte for byte.
sqlite3 "$WORK/other.sqlite" "create table notes (x); insert into notes values ('mine');"
cp "$WORK/other.sqlite" "$WORK/other.before"
TIARA_DB="$WORK/other.sqlite" t agenda
[ "$rc" = 1 ] || fail "another program's database was used (rc $rc)"
case "$errout" in *"is not a tiara database"*) ;; *) fail "other db: $errout" ;; esac
cmp -s "$WORK/other.sqlite" "$WORK/other.before" || fail "another program's database was changed"
[ -e "$WORK/other.sqlite-wal" ] && fail "another program's database was switched to WAL"
# a new file becomes tiara's, marked as such
TIARA_DB="$WORK/new.db" ok agenda
[ "$(sqlite3 "$WORK/new.db" 'pragma application_id')" = 1414086994 ] ||
    fail "a new database is not marked as tiara's"

# A cancelled interview's tasks are not ticked, and the message names it.
ok schedule anabel --at "2026-12-22 10:00"
id=$(sqlite3 "$TIARA_DB" "select max(id) from interviews")
ok cancel "$id"
refused 1 "interview #$id was cancelled: nothing to tick" thanked "$id"
refused 1 "interview #$id was cancelled" prepared "$id"
# rescheduled, it is booked again, and says so
ok reschedule "$id" --at "2026-12-23 10:00"
has "it was cancelled; it is booked again"

# Help for no such command is an error; output that cannot be written
# is one too.
t help frobnicate
[ "$rc" = 2 ] || fail "help for no command exited $rc"
case "$errout" in *"no command 'frobnicate' to help with"*) ;; *) fail "help frobnicate: $errout" ;; esac
"$TIARA" agenda --days 30 >/dev/full 2>"$WORK/full.err"
[ $? = 1 ] || fail "an agenda written to a full disk exited 0"
grep -q "cannot write the output: No space left on device" "$WORK/full.err" ||
    fail "full disk: $(cat "$WORK/full.err")"

refused 1 "--to is not after --from" export --from 2026-12-10 --to 2026-12-01

# Resuming check-ins that are off says how to turn them on.
ok contact add "Cad Off" --cadence none
refused 1 "check-ins with Cad Off are off (cadence none)" checkin "Cad Off" --resume
refused 1 "has interviews: 'tiara contact rm --force' removes the contact with them" \
    contact rm anabel

# Referrals never go in a circle.
ok contact add "Ref A"
ok contact add "Ref B" --referred-by "Ref A"
ok contact add "Ref C" --referred-by "Ref B"
refused 1 "referrals cannot go in a circle" contact edit "Ref A" --referred-by "Ref C"

# Names and text are fit to keep: no blank names, invalid UTF-8, tabs,
# escape codes or direction overrides, nothing absurdly long.
refused 1 "a contact needs a name" contact add "   "
refused 1 "the contact name is not valid UTF-8" contact add "$(printf 'Bad\xff name')"
refused 1 "the contact name has control characters" contact add "$(printf 'Tab\there')"
refused 1 "the contact name has control characters" contact add "$(printf 'Esc \033[31mred')"
refused 1 "the contact name has a text-direction override" contact add "$(printf 'Evil \xe2\x80\xaegnp.exe')"
refused 1 "the company is longer than 200 bytes" contact add "Long Co" --company "$(head -c 300 /dev/zero | tr '\0' x)"
# an invitation's organiser name of 100 KB and escape codes is made fit
{
    sed -n '1,/^ORGANIZER/{/^ORGANIZER/!p}' "$DATA/invite-google.ics"
    printf 'ORGANIZER;CN="%s\033]0;pwned\007":mailto:long@example.com\r\n' "$(head -c 100000 /dev/zero | tr '\0' y)"
    sed -n '/^ORGANIZER/,$p' "$DATA/invite-google.ics" | sed 1d
} | sed 's/^UID:.*/UID:long-name@example.com/' >"$WORK/long.ics"
ok import "$WORK/long.ics"
n=$(sqlite3 "$TIARA_DB" "select length(name) from contacts where email = 'long@example.com'")
[ -n "$n" ] && [ "$n" -le 200 ] || fail "the organiser's name was kept at $n bytes"
sqlite3 "$TIARA_DB" "select name from contacts where email = 'long@example.com'" | grep -q "$(printf '\033')" &&
    fail "an escape code was kept in a name"

refused 1 "the year 0001 is out of range" schedule anabel --at "0001-01-01 10:00"

# A zone setting that names no zone is never silently replaced.
TIARA_TZ=Mars/Olympus t agenda
[ "$rc" = 1 ] || fail "TIARA_TZ=Mars/Olympus was used (rc $rc)"
case "$errout" in *"TIARA_TZ='Mars/Olympus' is not a time zone"*) ;; *) fail "TIARA_TZ: $errout" ;; esac
TIARA_TZ= TZ=GMT+5 t agenda
[ "$rc" = 0 ] || fail "TZ=GMT+5 stopped the agenda (rc $rc)"
case "$errout" in *"TZ='GMT+5' is not an IANA time zone: using "*) ;; *) fail "TZ: $errout" ;; esac

# Other people's text never reaches the terminal as a command: ESC, OSC,
# CSI in its C1 form, DEL and a direction override in an invitation.
sed -e 's/^SUMMARY:.*/SUMMARY:Chat \x1b]0;pwned\x07 \x1b[2J now \xc2\x9b31m red \x7f\xe2\x80\xae/' \
    -e 's/^UID:.*/UID:evil-text@example.com/' "$DATA/invite-google.ics" >"$WORK/evil.ics"
ok import "$WORK/evil.ics"
evil=$(sqlite3 "$TIARA_DB" "select id from interviews where uid = 'evil-text@example.com'")
for cmd in "agenda --days 40" "show $evil"; do
    # shellcheck disable=SC2086 # the command is words
    "$TIARA" $cmd >"$WORK/shown" 2>&1
    if LC_ALL=C grep -q "$(printf '\033')\|$(printf '\302\233')\|$(printf '\177')\|$(printf '\342\200\256')" "$WORK/shown"; then
        fail "'$cmd' printed a terminal control: $(od -c "$WORK/shown" | head -5)"
    fi
done
"$TIARA" schedule "$(printf 'Nobody \033[31mred')" --at "2026-12-30 10:00" 2>"$WORK/shown"
LC_ALL=C grep -q "$(printf '\033')" "$WORK/shown" && fail "an error message printed ESC"
grep -q "no contact matches 'Nobody ?\[31mred'" "$WORK/shown" || fail "the message lost its text: $(cat "$WORK/shown")"

# A wall time the clocks pass twice is refused until the offset says which.
refused 1 "2027-11-07 01:30 happens twice in America/New_York (the clocks go back): give its offset, 2027-11-07T01:30-04:00 for the first or -05:00 for the second" \
    schedule anabel --at "2027-11-07 01:30" --tz America/New_York

finish
