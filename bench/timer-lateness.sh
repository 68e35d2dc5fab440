#!/bin/sh
# SPDX-License-Identifier: MIT
# timer-lateness.sh - real-time check of 'tiara timer' (no accelerated
# clock): a 2-minute slot with warnings at 60 s and 30 s before the end.
#  - plain mode: each line is stamped as it arrives (Perl, Time::HiRes) and
#    compared with the due time the timer logs under TIARA_TIMER_TRACE;
#  - full screen, in a private tmux server at the same time: CPU use over
#    the run from /usr/bin/time.
# Fails when a warning is 100 ms late or either run uses 1% CPU or more.
# Usage: bench/timer-lateness.sh [path/to/tiara]   (about 2 min 10 s)
set -eu
TIARA=${1:-build/tiara}
case $TIARA in /*) ;; *) TIARA=$(pwd)/$TIARA ;; esac
for tool in perl tmux /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "no $tool"; exit 77; }
done
tmp=$(mktemp -d)
sock=tiara-bench-$$
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    tmux -L "$sock" kill-server 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
unset TIARA_NOW TIARA_TIMER_SPEED || true
export TIARA_TZ=UTC

# The full-screen view, idle but for its one redraw a second.
cat >"$tmp/tty.sh" <<RUN
LANG=C.UTF-8 /usr/bin/time -f '%U %S %e' -o "$tmp/tty.time" \
    "$TIARA" --db "$tmp/tty.db" timer --for 2m --warn 60s,30s
sleep 60
RUN
tmux -L "$sock" -f /dev/null new-session -d -s bench -x 80 -y 24 "sh $tmp/tty.sh"

# Plain mode, every line stamped on arrival; 'q' on its stdin ends it in
# overtime, as the full-screen one is ended by the same key.
{ sleep 124; printf q; } |
    TIARA_TIMER_TRACE=1 /usr/bin/time -f '%U %S %e' -o "$tmp/plain.time" \
        "$TIARA" --db "$tmp/plain.db" timer --plain --for 2m --warn 60s,30s \
        2>"$tmp/err" |
    perl -MTime::HiRes=time -ne 'BEGIN { $| = 1 } printf "%.6f %s", time, $_' \
        >"$tmp/lines" &
pid=$!
sleep 124
tmux -L "$sock" send-keys -t bench q
wait "$pid" || { echo "FAIL: plain run"; cat "$tmp/lines" "$tmp/err"; exit 1; }
pid=
n=0
while [ ! -s "$tmp/tty.time" ]; do
    n=$((n + 1))
    [ "$n" -le 100 ] || { echo "FAIL: the full-screen timer did not end"; exit 1; }
    sleep 0.1
done
grep -q ' end: ' "$tmp/lines" || { echo "FAIL: no end line"; cat "$tmp/lines"; exit 1; }

echo "event lateness (arrival - due), plain mode:"
awk '
    / \[due / {
        due = $NF; sub(/^\[due /, "", due); sub(/\]$/, "", due)
        ms = ($1 - due) * 1000
        line = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", line); sub(/ \[due .*/, "", line)
        if (line ~ /^(start|stop|saved):/) next
        printf "  %8.2f ms  %s\n", ms, line
        if (ms > worst) worst = ms
        if (line ~ /^warning:/ && ms > wworst) wworst = ms
    }
    END {
        printf "worst warning lateness: %.2f ms\n", wworst
        printf "worst event lateness: %.2f ms\n", worst
        if (wworst >= 100 || worst >= 100) exit 1
    }' "$tmp/lines" || { echo "FAIL: an event was 100 ms late or more"; exit 1; }

status=0
for run in plain tty; do
    read -r user sys elapsed <"$tmp/$run.time"
    pct=$(awk -v u="$user" -v s="$sys" -v e="$elapsed" \
        'BEGIN { printf "%.3f", (u + s) / e * 100 }')
    echo "$run: user ${user}s sys ${sys}s over ${elapsed}s: CPU ${pct}%"
    awk -v p="$pct" 'BEGIN { exit !(p < 1) }' || {
        echo "FAIL: $run used 1% CPU or more"
        status=1
    }
done
exit $status
