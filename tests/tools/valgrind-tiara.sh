#!/bin/sh
# SPDX-License-Identifier: MIT
# valgrind-tiara.sh - run the tiara named by $TIARA_VALGRIND_BIN under
# valgrind with this script's arguments, for tests that take "the tiara
# binary" (scripts/valgrind.sh). stdin, stdout, stderr and the exit status
# are tiara's; a memory error or a definite leak makes it 99. Each run logs
# to its own file in $TIARA_VALGRIND_LOGS, empty when valgrind found nothing,
# so a test that ignores the status still leaves the finding behind.
set -eu
: "${TIARA_VALGRIND_BIN:?TIARA_VALGRIND_BIN must name the tiara binary}"
: "${TIARA_VALGRIND_LOGS:?TIARA_VALGRIND_LOGS must name a folder for logs}"
# mktemp, not the pid alone: pids repeat over a long run. The folder is
# open to all because the read-only test runs tiara as 'nobody'.
mkdir -p "$TIARA_VALGRIND_LOGS"
chmod 1777 "$TIARA_VALGRIND_LOGS" 2>/dev/null || true
log=$(mktemp "$TIARA_VALGRIND_LOGS/tiara.XXXXXXXX")
printf '%s\n' "$*" >"$log.args" # which run it was, for the report
# --vgdb=no: no FIFOs in $TMPDIR, which some tests fill or inspect.
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --track-fds=no --vgdb=no --log-file="$log" \
    "$TIARA_VALGRIND_BIN" "$@"
