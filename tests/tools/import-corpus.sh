#!/usr/bin/env bash
# Run every .ics under a folder through 'tiara import', each into a fresh
# database, and print how many ended each way. Meant for a sanitizer build
# (build-asan/tiara) over other projects' test files, which are fetched
# for the run and never committed:
#   tests/tools/import-corpus.sh build-asan/tiara /tmp/corpus [-v]
# Outcomes: imported (an interview or more), nothing (exit 0, every event
# named as skipped), partly (some taken, some refused), refused (the whole
# file, one reason), silent (exit 0, nothing taken, no reason: a bug),
# unclear (a message that is not one line naming the file), crash
# (a signal or a sanitizer report: a bug), timeout (a bug).
set -u
tiara=${1:?usage: import-corpus.sh TIARA FOLDER [-v]}
dir=${2:?usage: import-corpus.sh TIARA FOLDER [-v]}
verbose=${3:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/tiara-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME=$work TIARA_NOW=2026-12-01T09:00:00Z TIARA_TZ=America/Chicago
export TIARA_EMAIL=me@example.com
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
unset XDG_DATA_HOME XDG_CONFIG_HOME TIARA_DB TIARA_CONFIG
declare -A n
total=0

classify() { # file -> outcome on stdout
    local f=$1 rc out err
    rm -f "$work/db"
    out=$(timeout 20 "$tiara" --db "$work/db" import "$f" 2>"$work/err")
    rc=$?
    err=$(cat "$work/err")
    if [ "$rc" -eq 124 ]; then
        echo timeout
    elif [ "$rc" -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$work/err"; then
        echo crash
    elif grep -v '^tiara: ' "$work/err" | grep -q . ||
        grep -q 'Removing entire property\|\.c:[0-9]' "$work/err"; then
        echo unclear
    elif [ "$rc" -ne 0 ] && [ -z "$out" ]; then
        echo refused
    elif [ "$rc" -ne 0 ]; then
        echo partly
    elif printf '%s\n' "$out" | grep -q ': [1-9][0-9]* interviews\? added\|[1-9][0-9]* updated\|[1-9][0-9]* cancelled\|[1-9][0-9]* answer\|[1-9][0-9]* proposal'; then
        echo imported
    elif printf '%s\n' "$out" | grep -q '^skipped \|holds no events or tasks$'; then
        echo nothing
    else
        echo silent
    fi
}

while IFS= read -r -d '' f; do
    o=$(classify "$f")
    n[$o]=$(( ${n[$o]:-0} + 1 ))
    total=$((total + 1))
    if [ -n "$verbose" ] && [ "$o" != imported ] && [ "$o" != nothing ]; then
        printf '%-8s %s\n' "$o" "$f"
        sed 's/^/         /' "$work/err" | head -3
    fi
done < <(find "$dir" -type f -iname '*.ics' -print0 | sort -z)

printf '%d files:' "$total"
for o in imported nothing partly refused silent unclear crash timeout; do
    printf ' %s %d' "$o" "${n[$o]:-0}"
done
printf '\n'
[ "${n[crash]:-0}" -eq 0 ] && [ "${n[timeout]:-0}" -eq 0 ]
