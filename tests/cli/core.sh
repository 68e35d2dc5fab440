#!/usr/bin/env bash
# Defects a new user met, each pinned by the case that showed it.
. "$(dirname "$0")/../lib.sh"

ok contact add "Ana Pérez" --email ana@example.com
ok schedule "Ana Pérez" --at "2026-12-03 10:00"

# An interview number that is not one is named as such, not looked up as
# a contact.
for q in "#" "#x" "#0" "#1x"; do
    refused 1 "'$q' is not an interview number" show "$q"
done

# The host's weekday is shown when the meeting falls on another day there.
ok contact add "Bo Stone" --tz America/New_York
ok schedule "Bo Stone" --at "2026-12-08 23:00" --tz America/New_York
ok agenda --days 10
has "[04:00 GMT Wed / 23:00 EST Tue]"
ok contact add "Di Berg" --tz Europe/Berlin
ok schedule "Di Berg" --at "2026-12-09 10:00"
ok agenda --days 10
has "[10:00 GMT / 11:00 CET]"

# Check-ins follow the contact's latest interview, whichever is booked
# last, and schedule says so.
ok contact add "Cy Long"
ok schedule "Cy Long" --at "2027-05-05 10:00"
has "check-ins: quarterly from 2027-08-05 10:00"
ok schedule "Cy Long" --at "2027-01-05 10:00"
has "check-ins: quarterly from 2027-08-05 10:00 (after #"
lacks "2027-04-05"

# A meeting recorded after it took place has nothing to prepare: no
# preparation line, no task in the export, none in the agenda.
ok schedule "Cy Long" --at "2026-10-05 10:00"
lacks "prepare:"
id=$(sqlite3 "$TIARA_DB" "select uid from interviews where start = strftime('%s','2026-10-05 09:00:00')")
[ -n "$id" ] || fail "the past booking is not stored"
ok export
has "UID:$id-thanks"
lacks "UID:$id-prep"

# A landed follow-up is ticked by 'told', shown done in the export, and
# reopened by --undo; saying it twice changes nothing.
TIARA_NOW=2026-12-10T09:00:00Z ok landed
has "tell Ana Pérez"
ok agenda --days 30
has "tell Ana Pérez you landed a job"
ok told "Ana Pérez"
has "follow-up to Ana Pérez done"
ok agenda --days 30
lacks "tell Ana Pérez"
fu=$(sqlite3 "$TIARA_DB" "select f.uid from followups f join contacts c on c.id = f.contact_id where c.name = 'Ana Pérez'")
ok export
[ -n "$fu" ] || fail "no follow-up for Ana"
tr -d '\r' <<<"$out" | sed -n "/^UID:$fu\$/,/^END:VTODO/p" > "$WORK/fu.ics"
grep -q "^STATUS:COMPLETED" "$WORK/fu.ics" || fail "the told follow-up is not COMPLETED: $(cat "$WORK/fu.ics")"
grep -q "^SEQUENCE:1" "$WORK/fu.ics" || fail "the told follow-up kept its SEQUENCE"
before=$(db_state)
ok told "Ana Pérez"
has "was done already"
[ "$(db_state)" = "$before" ] || fail "telling twice changed the database"
ok told "Ana Pérez" --undo
has "is open again"
ok agenda --days 30
has "tell Ana Pérez you landed a job"
ok contact add "Eve Never"
refused 1 "Eve Never has no follow-up: 'tiara landed' adds one" told "Eve Never"
refused 1 "no contact matches 'Zed'" told Zed
refused 2 "" told

# The settings file: one that was asked for must exist, and a line that
# inih would misread is named, at its own line number.
TIARA_CONFIG=$WORK/none.ini refused 1 \
    "TIARA_CONFIG names '$WORK/none.ini', which does not exist" agenda
printf '[defaults\nagenda_busy = no\n' >"$WORK/open.ini"
TIARA_CONFIG=$WORK/open.ini refused 1 \
    "$WORK/open.ini:1: '[' opens a section name that no ']' closes" agenda
printf '[defaults]\nagenda_busy = n\0o\n' >"$WORK/nul.ini"
TIARA_CONFIG=$WORK/nul.ini refused 1 "$WORK/nul.ini:2: holds a NUL byte" agenda
{ printf '[sync]\ntimeout = '; printf '1%.0s' $(seq 300); echo; } >"$WORK/long.ini"
TIARA_CONFIG=$WORK/long.ini refused 1 "$WORK/long.ini:2: is longer than" agenda
TIARA_CONFIG=/dev/null ok agenda

# Two people may share a name or an email: tiara says so, and each stays
# reachable by number.
ok contact add "Ana Pérez" --email ana2@example.com
has "note: also 'Ana Pérez' (#1, same name); name this one as #"
twin=$(sqlite3 "$TIARA_DB" "select max(id) from contacts")
ok contact add "Fay Lin" --email ANA@example.com
has "note: also 'Ana Pérez' (#1, same email)"
lacks "name this one"
refused 1 "'Ana Pérez' is ambiguous: 'Ana Pérez' (#1), 'Ana Pérez' (#$twin); say which with #N" \
    schedule "Ana Pérez" --at "2026-12-21 10:00"
ok schedule "#$twin" --at "2026-12-21 10:00"
has "with Ana Pérez"
[ "$(sqlite3 "$TIARA_DB" "select contact_id from interviews order by id desc limit 1")" = "$twin" ] ||
    fail "#$twin did not pick the second Ana"
ok contact edit "Fay Lin" --email fay@example.com
lacks "note:"

# An interview's own text is checked on the way in, as a contact's is.
refused 1 "the place has control characters" schedule "Fay Lin" \
    --at "2026-12-22 10:00" --where "$(printf 'Cafe\033[31m')"
refused 1 "the title is not valid UTF-8" schedule "Fay Lin" \
    --at "2026-12-22 10:00" --title "$(printf 'Chat \377')"
refused 1 "the video link has control characters" schedule "Fay Lin" \
    --at "2026-12-22 10:00" --video "$(printf 'https://meet.example/x\a')"
refused 1 "the title has a text-direction override" reschedule "#$twin" \
    --title "$(printf 'a\342\200\256b')"
refused 1 "the place is longer than 500 bytes" reschedule "#$twin" \
    --where "$(printf 'x%.0s' $(seq 600))"

# A server answering with one 200 KB header is named as such, not as the
# "Out of memory" libcurl reports it with.
python3 "$(dirname "$0")/../tools/http_stub.py" bigheader >"$WORK/big.port" &
server=$!
for _ in $(seq 100); do [ -s "$WORK/big.port" ] && break; sleep 0.05; done
refused 1 "/cal/': the answer could not be taken (a header over 100 KB?)" \
    calendar add big --url "http://127.0.0.1:$(cat "$WORK/big.port")/cal/"
kill "$server"
wait "$server" 2>/dev/null

# An invitation's text is kept to the same rules: no escape sequences, no
# title without end.
long=$(printf 'Chat%.0s ' $(seq 300))
{
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nMETHOD:REQUEST\r\n'
    printf 'BEGIN:VEVENT\r\nUID:inj-1@example.com\r\nDTSTAMP:20261101T000000Z\r\n'
    printf 'DTSTART:20261223T100000Z\r\nDTEND:20261223T103000Z\r\n'
    printf 'SUMMARY:%s\r\n' "$long"
    printf 'LOCATION:Cafe \033]0;owned\007 Nero\r\n'
    printf 'ORGANIZER;CN=Gil Host:mailto:gil@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'
} >"$WORK/inject.ics"
ok import "$WORK/inject.ics"
loc=$(sqlite3 "$TIARA_DB" "select location from interviews where uid = 'inj-1@example.com'")
[ "$loc" = "Cafe  ]0;owned  Nero" ] || fail "the place kept control characters: $(printf '%q' "$loc")"
[ "$(sqlite3 "$TIARA_DB" "select length(title) from interviews where uid = 'inj-1@example.com'")" -le 500 ] ||
    fail "the title was kept whole"

# Discovery sends the password only where it was pointed: a home set on
# another host is named, not followed.
tools=$(dirname "$0")/../tools
STUB_HOST=127.0.0.2 python3 "$tools/http_stub.py" log "$WORK/other.log" >"$WORK/other.port" &
other=$!
for _ in $(seq 100); do [ -s "$WORK/other.port" ] && break; sleep 0.05; done
python3 "$tools/http_stub.py" elsewhere "http://127.0.0.2:$(cat "$WORK/other.port")/cal/" >"$WORK/here.port" &
here=$!
for _ in $(seq 100); do [ -s "$WORK/here.port" ] && break; sleep 0.05; done
TIARA_PASSWORD=s3cret-pw refused 1 \
    "the server keeps your calendars at 'http://127.0.0.2:$(cat "$WORK/other.port")/cal/', on another host" \
    calendar discover "http://127.0.0.1:$(cat "$WORK/here.port")/" --user sam
[ ! -s "$WORK/other.log" ] || fail "the other host was asked: $(cat "$WORK/other.log")"
kill "$other" "$here"
wait "$other" "$here" 2>/dev/null

# contact list keeps its columns with wide characters, combining accents
# and names longer than the column.
export TIARA_DB=$WORK/width.db
ok contact add "山田太郎" --company "株式会社サンプル商事ホールディングス"
ok contact add "$(printf 'Jose\xcc\x81 Mari\xcc\x81a')"
ok contact add "Maximiliana Konstantinopoulou-Smithson"
ok contact list
has "1    山田太郎                 株式会社サンプル商…  -    "
has "2    $(printf 'Jose\xcc\x81 Mari\xcc\x81a')               -                    -    "
has "3    Maximiliana Konstantino… -                    -    "

finish
