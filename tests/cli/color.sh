#!/usr/bin/env bash
# Colour: overdue items in agenda and remind, the timer's warnings; only
# on a terminal with auto, never with NO_COLOR (unless --color says so),
# never in --json or in a pipe.
. "$(dirname "$0")/../lib.sh"
unset NO_COLOR
ESC=$'\033'
RED="$ESC[1;31m"
# on_tty ARGS...: tiara on a pseudo-terminal, output in $out
on_tty() {
    out=$(python3 "$(dirname "$0")/../tools/on_tty.py" "$TIARA" "$@" </dev/null)
}
colored() { case "$out" in *"$ESC["*) ;; *) fail "$1: no colour in: $out" ;; esac; }
plain() { case "$out" in *"$ESC"*) fail "$1: an escape in: $(printf %q "$out")" ;; esac; }

ok contact add "Ana Pérez"
# held yesterday, the thank-you overdue; and one to come
TIARA_NOW=2026-11-20T09:00:00Z ok schedule ana --at "2026-11-25 10:00"
ok schedule ana --at "2026-12-03 10:00"

ok --color=always agenda
has "${RED}Overdue$ESC[0m"
has "  ${RED}OVERDUE$ESC[0m"
t --color=always remind
has "${RED}overdue since "
ok agenda
plain "auto on a pipe"
ok --color=always agenda --json
plain "--json"
ok --color=always remind --json
plain "remind --json"
ok --color=never agenda
plain "--color=never"
ok --color=always agenda -o "$WORK/agenda.txt"
out=$(cat "$WORK/agenda.txt")
has "OVERDUE"
plain "an -o file"

on_tty agenda
colored "auto on a terminal"
NO_COLOR=1 on_tty agenda
plain "NO_COLOR on a terminal"
NO_COLOR= on_tty remind
plain "an empty NO_COLOR on a terminal"
# the option wins over the environment, the environment over the file
NO_COLOR=1 ok --color=always agenda
has "$RED"
export TIARA_CONFIG=$WORK/config.ini
printf '[defaults]\ncolor = always\n' >"$TIARA_CONFIG"
ok agenda
has "$RED"
NO_COLOR=1 ok agenda
plain "NO_COLOR over [defaults] color = always"
printf '[defaults]\ncolor = never\n' >"$TIARA_CONFIG"
on_tty agenda
plain "[defaults] color = never on a terminal"
unset TIARA_CONFIG

# The timer's plain warnings, at 3600 times the speed (30 min in 0.5 s).
# One SIGTERM to tiara itself once the slot has ended: timeout(1) would
# signal the whole process group a second time, and under ASan that
# second signal can reach LeakSanitizer's tracer at exit and leave tiara
# spinning.
timed_slot() {
    local pid i
    TIARA_TIMER_SPEED=3600 "$TIARA" "$@" timer --plain --for 30m \
        </dev/null >"$WORK/timer.out" 2>&1 &
    pid=$!
    for i in $(seq 200); do grep -q ' end: ' "$WORK/timer.out" && break; sleep 0.05; done
    kill "$pid" 2>/dev/null
    for i in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null && fail "the timer did not stop on SIGTERM"
    wait "$pid"
}
timed_slot --color=always
grep -q "^$ESC\[33m.* warning: 5 minutes left" "$WORK/timer.out" ||
    fail "no coloured warning: $(cat -v "$WORK/timer.out")"
grep -q "^$ESC\[33m.* end: " "$WORK/timer.out" || fail "no coloured end: $(cat -v "$WORK/timer.out")"
grep -q "^[^$ESC]* phase: " "$WORK/timer.out" || fail "a phase line was coloured: $(cat -v "$WORK/timer.out")"
timed_slot
grep -q "$ESC" "$WORK/timer.out" && fail "the timer coloured a pipe: $(cat -v "$WORK/timer.out")"

finish
