#!/usr/bin/env bash
# A database the user may read but not write (a read-only folder, file or
# file system) serves every reading command; the others say why not.
. "$(dirname "$0")/../lib.sh"

ok contact add "Ana Pérez" --email ana@example.com
ok schedule "Ana Pérez" --at "2026-12-03 10:00"
ok contact add "Bo Stone" --tz America/New_York
ok schedule "Bo Stone" --at "2026-12-08 23:00" --tz America/New_York

reads=("agenda --days 30" "export" "contact list" "contact show Ana" "show 1"
    "show Bo")
declare -A want
for r in "${reads[@]}"; do
    # shellcheck disable=SC2086
    ok $r
    want[$r]=$out
done

# The database in a folder of its own that this user cannot write. As root
# (CI), access checks pass, so the commands run as 'nobody' instead.
ro=$(mktemp -d /tmp/tiara-ro.XXXXXX)
trap 'chmod -R u+w "$ro"; rm -rf "$ro" "$WORK"' EXIT
cp "$TIARA_DB" "$ro/tiara.db"
as_reader=()
if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$ro"
    chmod 644 "$ro/tiara.db"
    as_reader=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
else
    chmod 444 "$ro/tiara.db"
    chmod 555 "$ro"
fi
export TIARA_DB=$ro/tiara.db
reader() {
    out=$("${as_reader[@]}" "$TIARA" "$@" 2>"$WORK/stderr" </dev/null)
    rc=$?
    errout=$(cat "$WORK/stderr")
}
chmod 777 "$WORK" # the reader writes its stderr there

before=$(db_state)
for r in "${reads[@]}"; do
    # shellcheck disable=SC2086
    reader $r
    [ "$rc" -eq 0 ] || fail "read-only: tiara $r exited $rc: $errout"
    [ "$out" = "${want[$r]}" ] || fail "read-only: tiara $r printed something else:"$'\n'"$out"
done
for w in "schedule Ana --at 2026-12-05T10:00" "thanked 1" "cancel 1" \
    "contact add Cy" "timer Bo --plain"; do
    # shellcheck disable=SC2086
    reader $w
    [ "$rc" -eq 1 ] || fail "read-only: tiara $w exited $rc, want 1"
    case "$errout" in
    "tiara: '$ro/tiara.db' is read-only: this command would change it"*) ;;
    *) fail "read-only: tiara $w: $errout" ;;
    esac
done
[ "$(db_state)" = "$before" ] || fail "the read-only database changed"
ls "$ro" | grep -qv '^tiara.db$' && fail "files appeared beside it: $(ls "$ro")"

# One that would need an upgrade cannot be upgraded, and says so.
chmod u+w "$ro" "$ro/tiara.db"
version=$(sqlite3 "$TIARA_DB" "PRAGMA user_version")
sqlite3 "$TIARA_DB" "PRAGMA user_version = $((version - 1))"
[ "$(id -u)" -eq 0 ] || chmod a-w "$ro" "$ro/tiara.db"
reader agenda
[ "$rc" -eq 1 ] || fail "an old read-only database: agenda exited $rc"
case "$errout" in
*"is read-only and from an older tiara (schema $((version - 1))): open it once with write access"*) ;;
*) fail "an old read-only database: $errout" ;;
esac

finish
