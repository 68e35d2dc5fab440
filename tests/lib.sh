# Shared by the CLI tests: a private database, a fixed clock, assertions.
# Sourced with TIARA set to the binary under test.
set -u
: "${TIARA:?TIARA must name the tiara binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiara-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export TIARA_DB="$WORK/tiara.db"
export TIARA_NOW="${TIARA_NOW:-2026-12-01T09:00:00Z}"
export TIARA_TZ="${TIARA_TZ:-Europe/London}"
export HOME="$WORK"        # no stray config or database from the machine
unset XDG_DATA_HOME XDG_CONFIG_HOME TIARA_EMAIL
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# t ARGS...: run tiara, keep stdout in $out, stderr in $errout, status in $rc.
t() {
    out=$("$TIARA" "$@" 2>"$WORK/stderr")
    rc=$?
    errout=$(cat "$WORK/stderr")
}

# ok ARGS...: tiara must succeed.
ok() {
    t "$@"
    [ "$rc" -eq 0 ] || fail "tiara $* exited $rc: $errout"
}

# has TEXT: the last stdout contains TEXT.
has() {
    case "$out" in
    *"$1"*) ;;
    *) fail "output lacks '$1':"$'\n'"$out" ;;
    esac
}

lacks() {
    case "$out" in
    *"$1"*) fail "output should not contain '$1':"$'\n'"$out" ;;
    esac
}

# db_state: a digest of everything in the database.
db_state() {
    sqlite3 "$TIARA_DB" .dump 2>/dev/null | sha256sum
}

# refused CODE MESSAGE ARGS...: tiara fails with exit CODE, a one-line
# "tiara: ..." error containing MESSAGE, and the database is unchanged.
refused() {
    local code=$1 msg=$2 before
    shift 2
    before=$(db_state)
    t "$@"
    [ "$rc" -eq "$code" ] || fail "tiara $* exited $rc, want $code ($errout)"
    case "$errout" in
    "tiara: "*"$msg"*) ;;
    *) fail "tiara $*: error '$errout' lacks '$msg'" ;;
    esac
    [ "$(printf '%s\n' "$errout" | grep -c '^tiara: ')" -eq 1 ] ||
        fail "tiara $*: want exactly one error line, got: $errout"
    [ "$(db_state)" = "$before" ] || fail "tiara $* changed the database"
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures failure(s)" >&2
        exit 1
    fi
    exit 0
}
