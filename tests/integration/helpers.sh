# SPDX-License-Identifier: MIT
# helpers.sh - what the CalDAV integration tests share: failures, running
# tiara and its sync, the database, the calendar's hrefs, the phone (curl)
# and the foreign objects. Sourced after servers.sh, with TIARA, KIND,
# WORK_DIR, BASE and 'here' set; counts failures in FAILED.

fail()
{
    echo "FAIL [$KIND/$CURRENT]: $*" >&2
    [ -f "$WORK_DIR/out" ] && sed 's/^/  out: /' "$WORK_DIR/out" >&2
    [ -f "$WORK_DIR/err" ] && sed 's/^/  err: /' "$WORK_DIR/err" >&2
    FAILED=$((FAILED + 1))
}

T() { "$TIARA" "$@"; }

# A new calendar on the server and a new database for scenario $1.
fresh()
{
    CURRENT=$1
    CAL="$BASE/tiara-$1/"
    CALPATH=${CAL#$SERVER_URL}
    make_calendar "$CAL" || fail "cannot make the calendar"
    export TIARA_DB=$WORK_DIR/$1.db
    T calendar add work --url "$CAL" >/dev/null 2>"$WORK_DIR/err" ||
        fail "calendar add"
}

# Run 'tiara sync ARGS'; SYNC_RC, SYNC_OUT and SYNC_ERR say how it went.
run_sync()
{
    T sync "$@" >"$WORK_DIR/out" 2>"$WORK_DIR/err"
    SYNC_RC=$?
    SYNC_OUT=$(cat "$WORK_DIR/out")
    SYNC_ERR=$(cat "$WORK_DIR/err")
}

sync_ok()
{
    run_sync "$@"
    [ "$SYNC_RC" = 0 ] || fail "sync $* exited $SYNC_RC"
}

expect_out()
{
    grep -qF -- "$1" <<<"$SYNC_OUT" || fail "sync output lacks '$1'"
}

expect_err()
{
    grep -qiF -- "$1" <<<"$SYNC_ERR" || fail "sync messages lack '$1'"
}

# A second sync with nothing changed: one request, nothing sent.
quiet_sync()
{
    sync_ok
    expect_out "sent 0 (0 new, 0 changed, 0 deleted), received 0"
    expect_out " 1 request,"
}

q()
{
    "$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]):
    print("|".join("" if x is None else str(x) for x in r))
c.commit()' "$TIARA_DB" "$1"
}

# The .ics hrefs in the calendar, one a line.
hrefs()
{
    curl -s -X PROPFIND -H 'Depth: 1' -H 'Content-Type: application/xml' \
        --data '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>' \
        "$CAL" | grep -o '<[^>]*href>[^<]*</[^>]*href>' |
        sed 's/<[^>]*>//g' | grep '\.ics$' | sort
}

count_hrefs() { hrefs | wc -l; }

phone_get() { curl -s "$SERVER_URL$1"; }
phone_put()
{
    curl -s -o /dev/null -w '%{http_code}' -X PUT \
        -H 'Content-Type: text/calendar' --data-binary @"$2" "$SERVER_URL$1"
}
phone_delete() { curl -s -o /dev/null -w '%{http_code}' -X DELETE "$SERVER_URL$1"; }

# Edit the item at href $1 with the sed script $2, stamping a later
# LAST-MODIFIED as a phone would.
phone_edit()
{
    phone_get "$1" | tr -d '\r' |
        sed -e "$2" -e 's/^LAST-MODIFIED:.*/LAST-MODIFIED:20261121T120000Z/' |
        sed 's/$/\r/' >"$WORK_DIR/edit.ics"
    local code
    code=$(phone_put "$1" "$WORK_DIR/edit.ics")
    case "$code" in
    200 | 201 | 204) ;;
    *) fail "the phone could not save $1 (HTTP $code)" ;;
    esac
}

two_interviews()
{
    T contact add "Ada Lovelace" --email ada@example.com --tz Europe/London >/dev/null
    T schedule Ada --at "2026-12-03 10:00" --where Cafe >/dev/null
    T contact add "Bob Smith" --email bob@example.com >/dev/null
    T schedule Bob --at "2026-12-04 15:00" --video https://meet.example.com/x >/dev/null
}

iv_uid() { q "select uid from interviews where id = $1"; }

expected_uids() { T export | tr -d '\r' | sed -n 's/^UID://p' | sort -u; }

# The user's own objects, of every shape, as a phone or desktop client
# writes them; each file is put at $CALPATH/foreign-N.ics.
# Put every file of foreign/ but those matching $1, as foreign-N.ics.
put_foreign()
{
    local n=0 f
    for f in "$here"/foreign/*.ics; do
        [ -n "${1:-}" ] && [[ $(basename "$f") == $1 ]] && continue
        n=$((n + 1))
        [ "$(phone_put "${CALPATH}foreign-$n.ics" "$f")" = 201 ] ||
            fail "the phone could not put $(basename "$f")"
    done
    FOREIGN_N=$n
}

# The bytes and ETag of every foreign object, one line each.
foreign_state()
{
    local i
    for i in $(seq 1 "$FOREIGN_N"); do
        curl -s -D "$WORK_DIR/hdr" "$SERVER_URL${CALPATH}foreign-$i.ics" | sha256sum | cut -c1-16
        grep -i '^etag:' "$WORK_DIR/hdr" | tr -d '\r'
    done
}
