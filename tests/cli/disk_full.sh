#!/usr/bin/env bash
# A full disk is named as such, changes nothing, and the next run after
# space is freed goes on as if nothing happened. Needs a small tmpfs:
# skipped where this user may not mount one.
. "$(dirname "$0")/../lib.sh"

small=$WORK/small
mkdir "$small"
mount -t tmpfs -o size=512k tmpfs "$small" 2>/dev/null || {
    echo "cannot mount a tmpfs here: skipped"
    exit 77
}
trap 'umount "$small" 2>/dev/null; rm -rf "$WORK"' EXIT
export TIARA_DB=$small/tiara.db
ok contact add "Ana Pérez"
ok schedule "Ana Pérez" --at "2026-12-03 10:00"
before=$(db_state)
dd if=/dev/zero of="$small/fill" bs=4k count=1000 2>/dev/null

big=$(head -c 30000 /dev/urandom | base64 -w0)
full() {
    t "$@"
    [ "$rc" -eq 1 ] || fail "disk full: tiara $* exited $rc ($errout)"
    case "$errout" in
    "tiara: the disk holding '$TIARA_DB' is full: nothing was changed"*) ;;
    *) fail "disk full: tiara $*: $errout" ;;
    esac
}
full contact add "Bo Stone" --notes "$big"
full schedule "Ana Pérez" --at "2026-12-04 10:00"
full thanked 1
full import "$DATA/invite-google.ics"

# Temporary files go where TMPDIR says, and a full one is named.
python3 "$(dirname "$0")/../tools/http_stub.py" bigbody >"$WORK/dav.port" &
server=$!
for _ in $(seq 100); do [ -s "$WORK/dav.port" ] && break; sleep 0.05; done
export TIARA_DB=$WORK/elsewhere.db
TMPDIR=$small t calendar add dav --url "http://127.0.0.1:$(cat "$WORK/dav.port")/cal/"
[ "$rc" -eq 1 ] || fail "a full TMPDIR: calendar add exited $rc ($errout)"
case "$errout" in
"tiara: cannot keep the answer from 'http://127.0.0.1:"*"/cal/': No space left on device") ;;
*) fail "a full TMPDIR: $errout" ;;
esac
ls "$small" | grep -q tiara- && fail "a temporary file was left in TMPDIR"
kill "$server"
wait "$server" 2>/dev/null
export TIARA_DB=$small/tiara.db

rm "$small/fill"
[ "$(sqlite3 "$TIARA_DB" "PRAGMA integrity_check")" = ok ] || fail "integrity"
[ "$(db_state)" = "$before" ] || fail "a failed write changed the database"
ok contact add "Bo Stone" --notes "$big"
ok schedule "Ana Pérez" --at "2026-12-04 10:00"

finish
