#!/usr/bin/env bash
# Contacts, scheduling, the agenda and every follow-up command end to end.
. "$(dirname "$0")/../lib.sh"

# Every command has --help, also after global options (a getopt reset bug
# once made 'tiara --db X CMD --help' misread its arguments).
ok --help
for cmd in $(printf '%s\n' "$out" | awk '/^Commands:/ { on = 1; next } on && NF { print $1 } /^$/ && on { exit }'); do
    ok --db "$TIARA_DB" "$cmd" --help
    has "usage: tiara $cmd"
done

ok contact add "Ana Pérez" --email ana@example.com --company Acme \
    --role "Data lead" --tz America/New_York --linkedin https://www.linkedin.com/in/ana
has "added contact #1 Ana Pérez"
ok contact add "Bob Stone" --email bob@example.org --referred-by ana --cadence semiannual
ok contact add "Cy Lord" --referred-by bob --tz Australia/Lord_Howe --phone "+61 2 5555 0100"

ok contact show cy
has "referred by #2 Bob Stone"
has "who was referred by #1 Ana Pérez"
ok contact show ana
has "#2 Bob Stone"
has "Data lead at Acme"

# Tuesday 2026-12-01 09:00 UTC is "now": 'thu 15:00' is 2026-12-03.
ok schedule ana --at "thu 15:00" --video https://meet.example.com/abc
has "scheduled interview #1 with Ana Pérez"
has "Thu 2026-12-03 15:00 GMT / 10:00 EST"
has "prepare:   by 2026-12-02 15:00"
has "thank-you: by 2026-12-04 23:59"
has "check-ins: quarterly from 2027-03-03 15:00"

ok schedule bob --at "2026-12-08T10:00" --for 45m --where "Café Nero, Leeds"
has "until 10:45 (45 min"
# Booked less than a day ahead: preparation two hours before.
ok schedule cy --at "today 18:00" --for 1h --phone
has "prepare:   by 2026-12-01 16:00"

t schedule bob --at "2026-12-03 15:15"
[ "$rc" -eq 1 ] || fail "a clash must be refused (rc $rc)"
case "$errout" in *"clashes with interview #1 with Ana Pérez"*) ;; *) fail "clash: $errout" ;; esac
ok schedule bob --at "2026-12-03 15:15" --force
has "interview #4"
ok cancel 4
has "cancelled interview #4"
# --undo books it again only where schedule would: #1 holds that slot
refused 1 "clashes with interview #1 with Ana Pérez" cancel 4 --undo
case "$errout" in *"tiara reschedule 4 --at WHEN"*) ;; *) fail "undo hint: $errout" ;; esac


ok agenda --days 10
has "Tue 2026-12-01"
has "18:00-19:00      interview with Cy Lord, phone"
has "15:00-15:30      interview with Ana Pérez (Acme), video  #1  [15:00 GMT / 10:00 EST]"
has "thank-you note to Ana Pérez due  #1"
lacks "#4"

# Reschedule moves every derived deadline with it.
ok reschedule ana --at "2026-12-10 16:30"
has "moved interview #1 with Ana Pérez"
has "prepare:   by 2026-12-09 16:30"
has "thank-you: by 2026-12-11 23:59"
has "check-ins: quarterly from 2027-03-10 16:30"
ok show 1
has "uid:       tiara-"
has "(sequence 1)"

# Later: the thank-you for Cy is overdue until it is marked.
export TIARA_NOW=2026-12-05T09:00:00Z
sqlite3 "$TIARA_DB" "UPDATE interviews SET notes = 'Try the data-eng meetup; read Designing Data-Int...ve Applications
second line' WHERE id = 3"
ok agenda --days 7
has "Overdue"
has "thank-you note to Cy Lord was due (notes: \"Try the data-eng meetup; read Designing Data-Int...\")"
ok thanked cy
has "thank-you for interview #3 done"
ok prepared 1
has "preparation for interview #1 done"
ok agenda --days 10
lacks "preparation for Ana"
ok agenda --days 7
lacks "Overdue"

# Check-ins: expanded in the agenda, stopped on request.
ok agenda --from 2027-03-01 --to 2027-03-31
has "Wed 2027-03-10"
has "16:30-16:45      check in with Ana Pérez"
ok checkin ana --stop
has "check-ins with Ana Pérez stopped"
ok agenda --from 2027-03-01 --to 2027-03-31
lacks "check in with Ana Pérez"
ok checkin ana --cadence semiannual
ok agenda --from 2027-06-01 --to 2027-06-30
has "check in with Ana Pérez"

# Landed: one follow-up per host met, once.
export TIARA_NOW=2026-12-20T09:00:00Z
ok landed
has "tell Ana Pérez"
has "tell Bob Stone"
has "tell Cy Lord"
ok landed
has "(3 hosts already had one)"
ok agenda --days 10
has "tell Bob Stone you landed a job"

# Settings change DOMAIN.md's rules of thumb: length, check-ins, and the
# zone whose day the thank-you note is due by.
mkdir -p "$HOME/.config/tiara"
printf '[defaults]\nlength = 45m\nthanks_zone = host\ncadence = semiannual\n' \
    > "$HOME/.config/tiara/config.ini"
ok contact add "Eve Sato" --tz Asia/Tokyo
ok schedule eve --at "2027-01-12 10:00"
has "until 10:45 (45 min"
has "thank-you: by 2027-01-13 23:59 Asia/Tokyo time"
has "check-ins: semiannual from 2027-07-12 10:00"
ok agenda --from 2027-01-13 --to 2027-01-14
has "14:59            thank-you note to Eve Sato due"
ok reschedule eve --thanks-in mine
has "thank-you: by 2027-01-13 23:59"
lacks "Tokyo time"
t schedule bob --at "2027-01-20 10:00" --thanks-in host
[ "$rc" -eq 1 ] && case "$errout" in *"the zone of Bob Stone is not known"*) ;; *) false ;; esac ||
    fail "--thanks-in host without a zone: $rc $errout"
printf '[defaults]\nlength = forever\n' > "$HOME/.config/tiara/config.ini"
refused 1 "config.ini:2: key 'length' in [defaults] must be a length such as 30m" agenda
printf '[defaults]\nthanks_zone = yours\n' > "$HOME/.config/tiara/config.ini"
refused 1 "config.ini:2: key 'thanks_zone' in [defaults] must be mine or host" contact list
rm "$HOME/.config/tiara/config.ini"

ok contact edit bob --company "Stone & Co" --email ""
ok contact list
has "Stone & Co"
ok contact rm cy --force
has "removed contact #3 Cy Lord and 1 interview"
# An interview may carry a title of its own; "" gives tiara's back.
ok contact add "Dee Title" --company "Nova"
ok schedule dee --at "2026-12-20 10:00" --title "Coffee with Dee"
ok show dee
has "  title:     Coffee with Dee"
ok agenda --from 2026-12-20 --days 1
has '"Coffee with Dee": interview with Dee Title (Nova)'
ok export
has "SUMMARY:Coffee with Dee"
printf '%s\n' "$out" >"$WORK/titled.ics"
TIARA_DB="$WORK/titled.db" ok import "$WORK/titled.ics"
TIARA_DB="$WORK/titled.db" ok show dee
has "  title:     Coffee with Dee"
ok reschedule dee --title ""
ok show dee
lacks "title:"
ok export
has "SUMMARY:Informational interview with Dee Title (Nova)"

ok contact add "Race One"
ok contact add "Race Two"
# Two bookings of one slot at the same moment: exactly one gets it.
for i in 1 2 3 4 5 6 7 8 9 10; do
    at="2027-01-0$((i % 9 + 1)) 1$((i % 10)):00"
    [ "$i" = 10 ] && at="2027-01-20 10:00"
    "$TIARA" schedule "Race One" --at "$at" >"$WORK/race1" 2>&1 &
    p1=$!
    "$TIARA" schedule "Race Two" --at "$at" >"$WORK/race2" 2>&1 &
    p2=$!
    wait "$p1"; r1=$?
    wait "$p2"; r2=$?
    [ $((r1 + r2)) = 1 ] || fail "two bookings at $at: exit $r1 and $r2 ($(cat "$WORK/race1" "$WORK/race2"))"
done
ok agenda --from 2027-01-01 --days 25
n=$(printf '%s\n' "$out" | grep -c "interview with Race")
[ "$n" = 10 ] || fail "$n interviews in ten contested slots: $out"
# A bare --due date means that day's last minute, on the days the clocks
# change too (25 and 23 hours long in London).
for day in 2027-10-31 2027-03-28; do
    TIARA_DB="$WORK/dst-$day.db" ok contact add "Dee Ess"
    TIARA_DB="$WORK/dst-$day.db" ok schedule dee --at "2026-12-10 10:00"
    TIARA_DB="$WORK/dst-$day.db" ok landed --due "$day"
    has "tell Dee Ess (due $day 23:59)"
done

# A host met twice gets one follow-up and is counted once.
TIARA_DB="$WORK/twice.db" ok contact add "Twice Met"
TIARA_DB="$WORK/twice.db" ok schedule twice --at "2026-12-08 10:00"
TIARA_DB="$WORK/twice.db" ok schedule twice --at "2026-12-15 10:00"
TIARA_DB="$WORK/twice.db" ok landed
[ "$(printf '%s\n' "$out" | grep -c 'tell Twice Met')" = 1 ] || fail "one host, two follow-ups: $out"
lacks "already had one"
TIARA_DB="$WORK/twice.db" ok landed
has "(1 host already had one)"

finish
