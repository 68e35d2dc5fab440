#!/bin/sh
# SPDX-License-Identifier: MIT
# tty.sh - the full-screen 'tiara timer' in a private tmux server, under the
# test-only accelerated clock: what the screen shows at each warning, after
# pause/resume and '+', on resize and in overtime; the terminal given back
# on q; the actual times and typed notes kept with the interview.
set -eu
TIARA=$1
command -v tmux >/dev/null 2>&1 || { echo "no tmux"; exit 77; }
tmp=$(mktemp -d)
sock=tiara-timer-$$
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
export TIARA_TZ=Europe/London LANG=C.UTF-8
unset TIARA_TIMER_SPEED TIARA_DB NO_COLOR LC_ALL || true
db=$tmp/t.db

fail() {
    echo "FAIL: $*" >&2
    echo "--- screen:" >&2
    cat "$tmp/screen" >&2 2>/dev/null || true
    exit 1
}
capture() {
    tmux -L "$sock" capture-pane -p -t timer >"$tmp/screen"
}
# wait_for PATTERN SECONDS: poll the screen until PATTERN shows.
wait_for() {
    n=0
    while :; do
        capture
        grep -q -- "$1" "$tmp/screen" && return 0
        n=$((n + 1))
        [ "$n" -le $(($2 * 50)) ] || fail "'$1' never showed"
        sleep 0.02
    done
}
shows() {
    grep -q -- "$1" "$tmp/screen" || fail "'$1' not on screen"
}
# The large clock: rows 3-7 of the screen.
clock_rows() {
    capture
    sed -n 3,7p "$tmp/screen"
}
# "ends HH:MM[:SS]" on the status line, as seconds since midnight (the
# end has seconds once a pause has moved it).
end_seconds() {
    capture
    sed -n 's/.*ends \([0-9][0-9]\):\([0-9][0-9]\)\(:[0-9][0-9]\)\{0,1\} GMT.*/\1 \2 \3/p' \
        "$tmp/screen" | tr -d : |
        {
            read -r h m sec
            sec=${sec#0}
            echo $((${h#0} * 3600 + ${m#0} * 60 + ${sec:-0}))
        }
}

TIARA_NOW=2026-12-01T09:00:00Z "$TIARA" --db "$db" contact add "Ana Perez" \
    --email ana@example.com --tz America/New_York >/dev/null
TIARA_NOW=2026-12-01T09:00:00Z "$TIARA" --db "$db" schedule "Ana Perez" \
    --at "2026-12-03 10:00" --for 30m >/dev/null

# 120 times the speed: a meeting minute is half a second.
cat >"$tmp/run.sh" <<RUN
TIARA_NOW=2026-12-03T10:00:00Z TIARA_TIMER_SPEED=120 LANG=C.UTF-8 \
    "$TIARA" --db "$db" timer Ana --bell
echo "EXIT=\$?" >"$tmp/exit"
stty -a >"$tmp/stty"
sleep 60
RUN
tmux -u -L "$sock" -f /dev/null new-session -d -s timer -x 80 -y 24 "sh $tmp/run.sh"

wait_for 'now: small talk' 5
shows 'Ana Perez'
shows 'then: questions'
shows 'left · ends 10:30 GMT (05:30 EST for the host)'
shows 'q end'
grep -q '██' "$tmp/screen" || fail "no large digits"

# Pause: the clock stands still; resuming moves the end by the pause.
tmux -L "$sock" send-keys -t timer ' '
wait_for 'paused' 2
before=$(clock_rows)
sleep 1
[ "$(clock_rows)" = "$before" ] || fail "the clock moved while paused"
# 'n': on to the questions, even while paused.
tmux -L "$sock" send-keys -t timer n
wait_for 'now: questions' 2
shows 'then: next steps'
tmux -L "$sock" send-keys -t timer ' '
wait_for 'left · ends' 2
e1=$(end_seconds)
[ "$e1" -ge $((10 * 3600 + 31 * 60)) ] || fail "pause did not move the end ($e1)"

# '+': five more minutes.
tmux -L "$sock" send-keys -t timer '+'
n=0
while e2=$(end_seconds) && [ "$e2" -ne $((e1 + 300)) ]; do
    n=$((n + 1))
    [ "$n" -le 100 ] || fail "'+' moved the end from $e1 to $e2"
    sleep 0.02
done

# A resize redraws the whole frame for the new size.
tmux -L "$sock" resize-window -t timer -x 100 -y 30
n=0
until capture && [ "$(wc -l <"$tmp/screen")" -eq 30 ] &&
    sed -n 30p "$tmp/screen" | grep -q 'q end'; do
    n=$((n + 1))
    [ "$n" -le 100 ] || fail "key help not on row 30 after resize"
    sleep 0.02
done

# The warnings: a quiet change of colour, and the time left in words.
wait_for '10 minutes left' 20
shows 'now: questions'
tmux -L "$sock" capture-pane -e -p -t timer >"$tmp/color"
grep -q "$(printf '\033')\\[33m" "$tmp/color" || fail "no quiet colour at 10 minutes"
grep -q 'Can you suggest' "$tmp/screen" && fail "reminder too early"

wait_for '5 minutes left' 10
shows 'now: next steps'
shows 'Before the end, ask:'
shows 'Can you suggest other people I could speak to?'
shows 'May I mention your name?'
shows 'let the host know the end is near'

wait_for '2 minutes left' 10
shows 'Can you suggest other people I could speak to?'

# Overtime is counted up, plainly.
wait_for 'overtime +00:' 10
shows 'over the agreed time'
wait_for 'overtime +01:' 5

# q ends: the terminal is back to normal and asks for notes.
tmux -L "$sock" send-keys -t timer q
wait_for 'an empty line ends' 5
shows 'Met Ana Perez: '
tmux -L "$sock" send-keys -t timer 'Team hires in spring' Enter
tmux -L "$sock" send-keys -t timer 'Follow up with Bo' Enter Enter
# Then the people the host suggested, each a contact referred by the host.
# Ctrl-D twice after some text ends the list there; what follows starts
# on a line of its own.
wait_for 'Ana Perez suggested you speak to' 5
tmux -L "$sock" send-keys -t timer 'Dee Noon' Enter 'Eli Park' C-d C-d
n=0
while [ ! -s "$tmp/exit" ]; do
    n=$((n + 1))
    [ "$n" -le 100 ] || fail "the timer did not exit"
    sleep 0.05
done
grep -qx 'EXIT=0' "$tmp/exit" || fail "$(cat "$tmp/exit")"
sleep 0.1
grep -q ' icanon' "$tmp/stty" || fail "terminal left in raw mode"
grep -q ' echo ' "$tmp/stty" || fail "terminal left without echo"
capture
shows 'Kept the actual times and your notes with interview #1.'
grep -q '^Kept the actual times' "$tmp/screen" || fail "no newline after Ctrl-D"
shows 'Added contact #2 Dee Noon, suggested by Ana Perez.'
"$TIARA" --db "$db" contact show "Eli Park" >"$tmp/eli"
grep -q 'referred by #1 Ana Perez' "$tmp/eli" || fail "Eli was not referred by Ana: $(cat "$tmp/eli")"

"$TIARA" --db "$db" show 1 >"$tmp/show"
grep -q '^  held:      2026-12-03 10:00 to 10:[34][0-9] ([34][0-9] min [0-5][0-9] s)$' "$tmp/show" ||
    fail "actual times: $(cat "$tmp/show")"
grep -q '^  notes:     Team hires in spring$' "$tmp/show" ||
    fail "notes: $(cat "$tmp/show")"
grep -q '^             Follow up with Bo$' "$tmp/show" ||
    fail "second line of notes not under the first: $(cat "$tmp/show")"

# Ctrl-C, SIGTERM and SIGHUP give the terminal back too.
for how in ctrl-c term hup; do
    rm -f "$tmp/exit" "$tmp/stty" "$tmp/pid"
    cat >"$tmp/run.sh" <<RUN
TIARA_NOW=2026-12-03T12:00:00Z LANG=C.UTF-8 sh -c 'echo \$\$ >"$tmp/pid"; exec "\$0" "\$@"' "$TIARA" --db "$db" timer --for 30m
echo "EXIT=\$?" >"$tmp/exit"
stty -a >"$tmp/stty"
sleep 60
RUN
    tmux -L "$sock" new-window -t timer -n "$how" "sh $tmp/run.sh"
    sleep 0.2
    tmux -L "$sock" select-window -t "timer:$how"
    wait_for 'now: small talk' 5
    if [ "$how" = ctrl-c ]; then
        tmux -L "$sock" send-keys -t "timer:$how" C-c
    else
        kill -"$(echo "$how" | tr a-z A-Z)" "$(cat "$tmp/pid")" ||
            fail "no timer to stop"
    fi
    n=0
    while [ ! -s "$tmp/stty" ]; do
        n=$((n + 1))
        [ "$n" -le 100 ] || fail "$how: the timer did not exit"
        sleep 0.05
    done
    grep -qx 'EXIT=0' "$tmp/exit" || fail "$how: $(cat "$tmp/exit")"
    grep -q ' icanon' "$tmp/stty" || fail "$how: terminal left raw"
    grep -q ' echo ' "$tmp/stty" || fail "$how: terminal left without echo"
done
echo ok
