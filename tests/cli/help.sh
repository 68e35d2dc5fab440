#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# help.sh - every command and verb answers --help, -h and 'help CMD' with
# its usage (exit 0, no database made), with and without --db; a bad
# option or too many operands is a usage error (exit 2); never a signal.
. "$(dirname "$0")/../lib.sh"

cmds=$("$TIARA" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')
[ "$(wc -w <<<"$cmds")" -ge 15 ] || fail "tiara --help lists only: $cmds"
verbs="contact add|contact list|contact show|contact edit|contact rm|contact import|calendar add|calendar list|calendar rm|calendar discover|conflicts list|conflicts show|conflicts restore"

helps() {
    local what=$1
    shift
    t "$@"
    [ "$rc" -eq 0 ] || fail "tiara $* ($what) exited $rc: $errout"
    case "$out" in usage:*) ;; *) fail "tiara $* ($what): no usage on stdout: $out" ;; esac
}
# One line that names the problem, then where to look.
usage_error() {
    t "$@" </dev/null
    [ "$rc" -eq 2 ] || fail "tiara $* exited $rc, want 2 ($errout)"
    case "$errout" in
    "tiara: "*$'\n'"Try 'tiara "*" --help'.") ;;
    *) fail "tiara $*: not a one-line usage error: $errout" ;;
    esac
    [ "$(wc -l <<<"$errout")" -eq 2 ] || fail "tiara $*: $errout"
}

for c in $cmds; do
    for db in "" "--db $WORK/help.db"; do
        # shellcheck disable=SC2086
        helps help $db help "$c"
        # shellcheck disable=SC2086
        helps --help $db "$c" --help
        # shellcheck disable=SC2086
        helps -h $db "$c" -h
    done
    usage_error "$c" --no-such-option
    usage_error "$c" a b c d e f
done
IFS='|'
for v in $verbs; do
    IFS=' '
    # shellcheck disable=SC2086
    helps --help $v --help
    # shellcheck disable=SC2086
    helps -h --db "$WORK/help.db" $v -h
    # shellcheck disable=SC2086
    usage_error $v --no-such-option
    # shellcheck disable=SC2086
    usage_error $v a b c d e f
    IFS='|'
done
IFS=' '
usage_error agenda --days
[ "${errout%%$'\n'*}" = "tiara: --days needs a value" ] || fail "missing value: $errout"
usage_error cancel --undo=yes 1
[ "${errout%%$'\n'*}" = "tiara: --undo takes no value" ] || fail "flag value: $errout"
usage_error export -x
[ "${errout%%$'\n'*}" = "tiara: unknown option '-x'" ] || fail "short option: $errout"
usage_error show 1 --undo
[ "${errout%%$'\n'*}" = "tiara: unknown option '--undo'" ] || fail "show --undo: $errout"
[ ! -e "$WORK/help.db" ] || fail "help created a database"
# The version, long and short.
for v in --version -V; do
    t $v
    [ "$rc" -eq 0 ] && [ "$out" = "tiara $("$TIARA" --version | cut -d' ' -f2)" ] &&
        case "$out" in "tiara "[0-9]*) ;; *) false ;; esac || fail "tiara $v: $rc '$out'"
done

finish
