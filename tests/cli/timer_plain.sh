#!/bin/sh
# SPDX-License-Identifier: MIT
# plain.sh - 'tiara timer' without a terminal: one stamped line per event,
# printed as it happens; a closed or empty stdin does not end it; the
# actual times and notes are kept; options and user errors.
set -eu
TIARA=$1
tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
export TIARA_TZ=Europe/London
unset TIARA_TIMER_SPEED TIARA_DB || true
db=$tmp/t.db

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# wait_for FILE PATTERN SECONDS
wait_for() {
    n=0
    while ! grep -q -- "$2" "$1" 2>/dev/null; do
        n=$((n + 1))
        [ "$n" -le $(($3 * 20)) ] || fail "no '$2' in $1: $(cat "$1")"
        sleep 0.05
    done
}
# expect_status WANT OUTFILE -- COMMAND...
expect_status() {
    want=$1
    out=$2
    shift 3
    if "$@" >"$out" 2>&1; then st=0; else st=$?; fi
    [ "$st" = "$want" ] || fail "exit $st, want $want: $* ($(cat "$out"))"
}

TIARA_NOW=2026-12-01T09:00:00Z "$TIARA" --db "$db" contact add "Ana Perez" \
    --email ana@example.com --tz America/New_York >/dev/null
TIARA_NOW=2026-12-01T09:00:00Z "$TIARA" --db "$db" schedule "Ana Perez" \
    --at "2026-12-03 10:00" --for 30m >/dev/null

# 1. The interview starting now, found without naming it, at 600 times
# the speed (30 minutes in 3 s). Standard input is closed: the clock runs
# on into overtime until a signal.
printf 'Spring hiring; ask Bo about the data team\n' >"$tmp/notes"
TIARA_NOW=2026-12-03T10:00:00Z TIARA_TIMER_SPEED=600 \
    "$TIARA" --db "$db" timer --notes "$tmp/notes" <&- >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_for "$tmp/out" ' end: ' 20
sleep 0.3
kill -0 "$pid" || fail "the timer stopped on its own"
grep -q ' end: ' "$tmp/out"
kill -TERM "$pid"
if wait "$pid"; then st=0; else st=$?; fi
pid=
[ "$st" = 0 ] || fail "exit $st after SIGTERM: $(cat "$tmp/err")"
head -n 8 "$tmp/out" >"$tmp/got"
cat >"$tmp/want" <<'OUT'
2026-12-03 10:00:00 start: 30:00 with Ana Perez until 10:30 GMT (05:30 EST for the host); phase: small talk
2026-12-03 10:05:00 phase: questions (20:00)
2026-12-03 10:20:00 warning: 10 minutes left
2026-12-03 10:25:00 phase: next steps (05:00)
2026-12-03 10:25:00 reminder: ask "Can you suggest other people I could speak to?" and "May I mention your name?"; let the host know the end is near
2026-12-03 10:25:00 warning: 5 minutes left
2026-12-03 10:28:00 warning: 2 minutes left
2026-12-03 10:30:00 end: the agreed time is up; overtime counts from here
OUT
diff -u "$tmp/want" "$tmp/got" || fail "plain lines differ"
grep -Eq '^2026-12-03 10:3[0-9]:[0-9]{2} stop: 3[0-9]:[0-9]{2} in all, 10:00-10:3[0-9] GMT \(0[0-9]:[0-9]{2} past the agreed end\)$' "$tmp/out" ||
    fail "no stop line: $(cat "$tmp/out")"
grep -q ' saved: actual times and notes with interview #1$' "$tmp/out" ||
    fail "no saved line: $(cat "$tmp/out")"
"$TIARA" --db "$db" show 1 >"$tmp/show"
grep -q '^  held:      2026-12-03 10:00 to 10:3[0-9] (3[0-9] min [0-5][0-9] s)$' "$tmp/show" ||
    fail "actual times not kept: $(cat "$tmp/show")"
grep -q '^  notes:     Spring hiring; ask Bo about the data team$' "$tmp/show" ||
    fail "notes not kept: $(cat "$tmp/show")"

# 2. An ad-hoc slot of 3 minutes with its own agenda; the 5-minute
# warning is longer than the slot and skipped. Standard input is empty.
# A stand-in notify-send records the desktop notifications.
mkdir "$tmp/bin"
cat >"$tmp/bin/notify-send" <<NOTIFY
#!/bin/sh
printf '%s|' "\$@" >>"$tmp/notified"
echo >>"$tmp/notified"
NOTIFY
chmod +x "$tmp/bin/notify-send"
PATH=$tmp/bin:$PATH TIARA_NOW=2026-12-03T12:00:00Z TIARA_TIMER_SPEED=600 \
    "$TIARA" --db "$db" timer --for 3m --agenda "intro:1,talk:1,wrap:1" \
    --warn 5m,90s,30s --notify --bell </dev/null >"$tmp/adhoc.out" 2>&1 &
pid=$!
wait_for "$tmp/adhoc.out" ' end: ' 10
kill -HUP "$pid"
wait "$pid" || fail "exit $? after SIGHUP"
pid=
head -n 7 "$tmp/adhoc.out" >"$tmp/got"
cat >"$tmp/want" <<'OUT'
2026-12-03 12:00:00 start: 03:00 until 12:03 GMT; phase: intro
2026-12-03 12:01:00 phase: talk (01:00)
2026-12-03 12:01:30 warning: 90 seconds left
2026-12-03 12:02:00 phase: wrap (01:00)
2026-12-03 12:02:00 reminder: ask "Can you suggest other people I could speak to?" and "May I mention your name?"; let the host know the end is near
2026-12-03 12:02:30 warning: 30 seconds left
2026-12-03 12:03:00 end: the agreed time is up; overtime counts from here
OUT
diff -u "$tmp/want" "$tmp/got" || fail "ad-hoc lines differ"
# Sorted: each notify-send runs on its own and may finish out of order.
sort >"$tmp/want" <<'OUT'
--urgency=low|--app-name=tiara|tiara|90 seconds left|
--urgency=low|--app-name=tiara|tiara|Time to ask for referrals and let the host know the end is near|
--urgency=low|--app-name=tiara|tiara|30 seconds left|
--urgency=low|--app-name=tiara|tiara|The agreed time is up|
OUT
sleep 0.2
sort "$tmp/notified" | diff -u "$tmp/want" - || fail "notifications differ"

# 3. Keys work from a pipe too: '+' moves the end by 5 minutes, 'q' ends.
(printf '+'; sleep 1; printf 'q') |
    TIARA_NOW=2026-12-03T12:00:00Z TIARA_TIMER_SPEED=600 \
        "$TIARA" --db "$db" timer --for 3m --warn 1m >"$tmp/keys.out" 2>&1 ||
    fail "keys from a pipe: exit $?"
grep -q ' end moved: 12:08 GMT, [0-9:+]* left$' "$tmp/keys.out" ||
    fail "no end moved line: $(cat "$tmp/keys.out")"
grep -q '^2026-12-03 12:07:00 warning: 1 minute left$' "$tmp/keys.out" ||
    fail "warning not moved: $(cat "$tmp/keys.out")"
grep -q '^2026-12-03 12:08:00 end: ' "$tmp/keys.out" || fail "end not moved"
grep -q ' stop: ' "$tmp/keys.out" || fail "q did not stop it"

# 4. A laptop that sleeps through the rest of the slot (SIGSTOP stands in
# for the lid): on waking, the true time, the end only, no stale warnings,
# and the line says when it was seen.
TIARA_NOW=2026-12-03T12:00:00Z TIARA_TIMER_SPEED=600 \
    "$TIARA" --db "$db" timer --for 10m --agenda talk:1 --warn 5m \
    </dev/null >"$tmp/sleep.out" 2>&1 &
pid=$!
wait_for "$tmp/sleep.out" ' start: ' 5
kill -STOP "$pid"
grep -q ' reminder: ' "$tmp/sleep.out" && fail "stopped too late: $(cat "$tmp/sleep.out")"
sleep 3
kill -CONT "$pid"
wait_for "$tmp/sleep.out" ' end: ' 5
kill -TERM "$pid"
wait "$pid" || fail "exit $? after waking"
pid=
grep -q ' warning: ' "$tmp/sleep.out" && fail "stale warning: $(cat "$tmp/sleep.out")"
grep -Eq '^2026-12-03 12:05:00 reminder: .* \(seen 2026-12-03 12:[23][0-9]:[0-9]{2}\)$' "$tmp/sleep.out" ||
    fail "reminder on waking: $(cat "$tmp/sleep.out")"
grep -Eq '^2026-12-03 12:10:00 end: .* \(seen 2026-12-03 12:[23][0-9]:[0-9]{2}\)$' "$tmp/sleep.out" ||
    fail "end on waking: $(cat "$tmp/sleep.out")"

# 5. Usage errors exit 2, user errors 1 with one line.
expect_status 0 "$tmp/o" -- "$TIARA" --db "$db" timer --help
grep -q '^usage: tiara timer' "$tmp/o" || fail "no usage"
expect_status 2 "$tmp/o" -- "$TIARA" --db "$db" timer --for
expect_status 2 "$tmp/o" -- "$TIARA" --db "$db" timer --bogus
expect_status 2 "$tmp/o" -- "$TIARA" --db "$db" timer Ana Bo
expect_status 1 "$tmp/o" -- "$TIARA" --db "$db" timer --for 5m --warn soon
grep -qx "tiara: cannot read warning 'soon' (try 10m,5m,2m or 90s)" "$tmp/o" ||
    fail "bad --warn message: $(cat "$tmp/o")"
expect_status 1 "$tmp/o" -- "$TIARA" --db "$db" timer --for 5m --agenda intro
expect_status 1 "$tmp/o" -- "$TIARA" --db "$db" timer --for 0
expect_status 1 "$tmp/o" -- "$TIARA" --db "$db" timer --for 5m --notes "$tmp/notes"
expect_status 1 "$tmp/o" -- env TIARA_NOW=2026-12-05T10:00:00Z \
    "$TIARA" --db "$db" timer
grep -qx 'tiara: no interview now or in the next 15 minutes; name one, or time a slot with --for 30m' "$tmp/o" ||
    fail "no-interview message: $(cat "$tmp/o")"
expect_status 1 "$tmp/o" -- env TIARA_NOW=2026-12-02T10:00:00Z \
    "$TIARA" --db "$db" timer Ana
grep -q "starts at 2026-12-03 10:00; the timer opens 15 minutes before" "$tmp/o" ||
    fail "early message: $(cat "$tmp/o")"
expect_status 1 "$tmp/o" -- "$TIARA" --db "$db" timer Nobody
[ "$(wc -l <"$tmp/o")" -eq 1 ] || fail "more than one line: $(cat "$tmp/o")"
# One agenda parser: what schedule stores, timer runs; what timer
# refuses, schedule refuses with the same words.
TIARA_NOW=2026-12-01T09:00:00Z "$TIARA" --db "$db" contact add "Bo Li" >/dev/null
expect_status 0 "$tmp/o" -- env TIARA_NOW=2026-12-01T09:00:00Z \
    "$TIARA" --db "$db" schedule "Bo Li" --at "2026-12-04 10:00" --for 30m \
    --agenda "warm up:7m30s,talk:15,next:7m30s"
TIARA_NOW=2026-12-04T10:00:00Z TIARA_TIMER_SPEED=600 \
    "$TIARA" --db "$db" timer "Bo Li" </dev/null >"$tmp/bo.out" 2>&1 &
pid=$!
wait_for "$tmp/bo.out" ' phase: next ' 10
kill -TERM "$pid"
wait "$pid" || fail "exit $? after SIGTERM: $(cat "$tmp/bo.out")"
pid=
grep -q '^2026-12-04 10:07:30 phase: talk (15:00)$' "$tmp/bo.out" ||
    fail "7m30s agenda not run: $(cat "$tmp/bo.out")"
thirteen=a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1,j:1,k:1,l:1,m:1
expect_status 1 "$tmp/o" -- "$TIARA" --db "$db" timer --for 13m --agenda "$thirteen"
cp "$tmp/o" "$tmp/timer13"
grep -qx 'tiara: agenda has more than 12 phases' "$tmp/timer13" ||
    fail "timer 13 phases: $(cat "$tmp/timer13")"
expect_status 1 "$tmp/o" -- "$TIARA" --db "$db" schedule "Bo Li" \
    --at "2026-12-09 10:00" --agenda "$thirteen"
diff -u "$tmp/timer13" "$tmp/o" || fail "schedule and timer disagree on 13 phases"
expect_status 1 "$tmp/o" -- "$TIARA" --db "$db" reschedule "Bo Li" \
    --at "2026-12-09 10:00" --agenda "$thirteen"
diff -u "$tmp/timer13" "$tmp/o" || fail "reschedule and timer disagree"
# The agenda alone is something to change.
expect_status 0 "$tmp/o" -- "$TIARA" --db "$db" reschedule "Bo Li" \
    --agenda "intro:2m30s,talk:25,next:2m30s"
"$TIARA" --db "$db" show "Bo Li" >"$tmp/show"
grep -q 'intro:2m30s,talk:25,next:2m30s' "$tmp/show" ||
    fail "reschedule agenda not kept: $(cat "$tmp/show")"
expect_status 1 "$tmp/o" -- env TIARA_TIMER_SPEED=fast "$TIARA" --db "$db" \
    timer --for 1m
echo ok
