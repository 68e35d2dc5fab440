# SPDX-License-Identifier: MIT
# servers.sh - start and stop Radicale, Xandikos or DAViCal on 127.0.0.1
# for a test. Source it, then: server_start radicale|xandikos|davical; it
# sets SERVER_URL (the server root), CAL_URL (an empty calendar made for
# this run), SERVER_PID and SERVER_DIR, and installs a trap that stops the
# server and removes its store whatever happens. Debian's python runs
# Radicale and Xandikos; DAViCal is in davical.sh.

PY=/usr/bin/python3
. "$(dirname "${BASH_SOURCE[0]}")/davical.sh"

free_port()
{
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

server_stop()
{
    if [ -n "${SERVER_PID:-}" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        SERVER_PID=
    fi
}

server_cleanup()
{
    server_stop
    [ -n "${PROXY_PID:-}" ] && kill "$PROXY_PID" 2>/dev/null
    case "${SERVER_KIND:-}" in
    davical) davical_cleanup ;;
    esac
    [ -n "${SERVER_DIR:-}" ] && rm -rf "$SERVER_DIR"
    [ -n "${WORK_DIR:-}" ] && rm -rf "$WORK_DIR"
    return 0
}

# Wait until 'url' answers an OPTIONS request (any HTTP status).
server_wait()
{
    local i
    for i in $(seq 1 100); do
        if curl -s -o /dev/null -X OPTIONS --max-time 1 "$1"; then
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "server exited early; log:" >&2
            cat "$SERVER_DIR/log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "server did not answer at $1" >&2
    return 1
}

# (Re)start the server kind $1 on SERVER_PORT with the store in SERVER_DIR.
server_run()
{
    case "$1" in
    radicale)
        "$PY" -m radicale --config "" \
            --storage-filesystem-folder="$SERVER_DIR/store" \
            --server-hosts="127.0.0.1:$SERVER_PORT" --auth-type=none \
            --logging-level="${RADICALE_LOG:-warning}" \
            >>"$SERVER_DIR/log" 2>&1 &
        SERVER_PID=$!
        SERVER_URL="http://127.0.0.1:$SERVER_PORT"
        ;;
    xandikos)
        "$PY" -m xandikos.web -d "$SERVER_DIR/store" --defaults \
            -l 127.0.0.1 -p "$SERVER_PORT" >>"$SERVER_DIR/log" 2>&1 &
        SERVER_PID=$!
        SERVER_URL="http://127.0.0.1:$SERVER_PORT"
        ;;
    davical)
        davical_run || return 1
        ;;
    *)
        echo "unknown server '$1'" >&2
        return 1
        ;;
    esac
    server_wait "$SERVER_URL/"
}

# Make a new calendar collection at $1 (a URL ending in '/').
make_calendar()
{
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -X MKCOL \
        -H 'Content-Type: application/xml' --data-binary @- "$1" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
    <D:displayname>tiara test</D:displayname>
  </D:prop></D:set>
</D:mkcol>
XML
    )
    case "$code" in
    201 | 200) return 0 ;;
    *) echo "MKCOL $1 answered $code" >&2; return 1 ;;
    esac
}

server_start()
{
    SERVER_KIND=$1
    SERVER_DIR=$(mktemp -d)
    SERVER_PORT=$(free_port)
    # a caller with its own EXIT trap (the bench) sets SERVERS_KEEP_TRAP
    # and calls server_cleanup from it
    if [ -z "${SERVERS_KEEP_TRAP:-}" ]; then
        trap server_cleanup EXIT
    fi
    trap 'exit 1' INT TERM
    server_run "$SERVER_KIND" || return 1
    case "$SERVER_KIND" in
    radicale)
        # Radicale wants the parent (the user's home) to exist first.
        curl -s -o /dev/null -X MKCOL "$SERVER_URL/test/"
        CAL_URL="$SERVER_URL/test/tiara-$$/"
        ;;
    xandikos)
        CAL_URL="$SERVER_URL/user/calendars/tiara-$$/"
        ;;
    davical)
        CAL_URL="$SERVER_URL/caldav.php/$DAVICAL_USER/tiara-$$/"
        ;;
    esac
    make_calendar "$CAL_URL"
}
