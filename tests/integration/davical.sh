# SPDX-License-Identifier: MIT
# davical.sh - start and stop DAViCal for servers.sh (sourced by it).
#
# DAViCal is PHP on PostgreSQL. Everything lives in SERVER_DIR: a private
# PostgreSQL cluster made with initdb, listening on a unix socket in
# SERVER_DIR/pg only (no TCP port, so no clash with anything else), and
# PHP's built-in web server on 127.0.0.1:SERVER_PORT with a router script
# that points DAViCal at a configuration file in SERVER_DIR. Nothing is
# written outside SERVER_DIR and no system service is used.
#
# davical_run starts PostgreSQL (and makes the database) the first time,
# then PHP; server_stop stops PHP only, so a scenario can stop and restart
# the web server and keep its data. davical_cleanup stops PostgreSQL.
#
# The calendars are DAViCal's usual /caldav.php/USER/NAME/. The user is
# DAVICAL_USER with password DAVICAL_PASSWORD; a netrc file for them is
# SERVER_NETRC (curl --netrc-file "$SERVER_NETRC").
#
# DAVICAL_AUTH picks how requests without credentials are treated:
#   anonymous (the default) - they act as DAVICAL_USER, as if the web
#       server had authenticated them (DAViCal's "webserver does auth"
#       mode), so curl and tiara need no credentials, like Radicale with
#       --auth-type=none. Requests that do carry credentials are still
#       checked by DAViCal: a wrong password gets a 401.
#   basic - DAViCal asks for Basic auth on every request. curl in the test
#       scripts then reads SERVER_NETRC through CURL_HOME/.curlrc, and
#       python-requests and tiara (libcurl's netrc) through NETRC; or give
#       tiara --user "$SERVER_USER" on 'calendar add' and TIARA_PASSWORD.

DAVICAL_HTDOCS=/usr/share/davical/htdocs
DAVICAL_DBA=/usr/share/davical/dba
DAVICAL_USER=${DAVICAL_USER:-tiara}
DAVICAL_PASSWORD=${DAVICAL_PASSWORD:-tiara-test-pw}
DAVICAL_PG_UP=

# Run a PostgreSQL server program: as the postgres user when we are root
# (postgres refuses to run as root), from / so it can read its cwd.
davical_as_pg()
{
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

# Say what failed, then show the ends of the logs named after it.
davical_fail()
{
    echo "davical: $1" >&2
    shift
    local f
    for f in "$@"; do
        if [ -s "$f" ]; then
            echo "--- $f" >&2
            tail -n 40 "$f" >&2
        fi
    done
    return 1
}

# Make and start the cluster, the database and the test user.
davical_db_start()
{
    local bin pg=$SERVER_DIR/pg
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$bin/initdb" ] || { davical_fail "no PostgreSQL server (apt install postgresql)"; return 1; }
    [ -f "$DAVICAL_DBA/create-database.sh" ] || { davical_fail "no DAViCal (apt install davical)"; return 1; }
    DAVICAL_PG_CTL=$bin/pg_ctl
    DAVICAL_PG_DATA=$pg/data
    mkdir -p "$pg"
    if [ "$(id -u)" = 0 ]; then
        chmod 711 "$SERVER_DIR" # postgres only passes through
        chown postgres: "$pg"
    fi
    davical_as_pg "$bin/initdb" -D "$DAVICAL_PG_DATA" -A trust -U postgres \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$pg/initdb.log" 2>&1 ||
        { davical_fail "initdb failed" "$pg/initdb.log"; return 1; }
    cat >>"$DAVICAL_PG_DATA/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$pg'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    davical_as_pg "$DAVICAL_PG_CTL" -D "$DAVICAL_PG_DATA" -l "$pg/log" -w -t 30 start \
        >/dev/null 2>&1 || { davical_fail "PostgreSQL did not start" "$pg/log"; return 1; }
    DAVICAL_PG_UP=1
    # DAViCal's own script: roles davical_dba and davical_app, the
    # database, its schema and base data, and the admin password
    local log=$SERVER_DIR/davical/create.log
    PGHOST=$pg PGUSER=postgres "$DAVICAL_DBA/create-database.sh" davical \
        "admin-$DAVICAL_PASSWORD" >"$log" 2>&1 ||
        { davical_fail "create-database.sh failed" "$log" "$pg/log"; return 1; }
    # the test user, as the admin pages would make it ('**' = plain text)
    PGHOST=$pg psql -qXAt -U postgres -v ON_ERROR_STOP=1 davical >>"$log" 2>&1 <<EOF ||
INSERT INTO dav_principal (type_id, username, password, fullname, email, displayname)
    VALUES (1, '$DAVICAL_USER', '**$DAVICAL_PASSWORD', 'Tiara Test',
            '$DAVICAL_USER@example.com', 'Tiara Test');
EOF
        { davical_fail "cannot make the DAViCal user" "$log" "$pg/log"; return 1; }
}

# The router and the configuration, in SERVER_DIR/davical.
davical_write_config()
{
    local d=$SERVER_DIR/davical
    mkdir -p "$d"
    # DAViCal includes '/etc/davical/<SERVER_NAME>-conf.php' when it
    # exists; the router sets SERVER_NAME to a path that climbs out of
    # /etc/davical to our file, and the file puts the real name back.
    cat >"$d/router.php" <<'EOF'
<?php
$conf = getenv('DAVICAL_TEST_CONF');
$_SERVER['SERVER_NAME'] = '../..' . substr($conf, 0, -strlen('-conf.php'));
if (getenv('DAVICAL_TEST_ANON') !== '' && empty($_SERVER['HTTP_AUTHORIZATION'])) {
    $_SERVER['AUTH_TYPE'] = 'tiara-test-anonymous';
    $_SERVER['REMOTE_USER'] = getenv('DAVICAL_TEST_USER');
}
$uri = $_SERVER['REQUEST_URI'];
if (preg_match('#^/\.well-known/#', $uri)) {
    // as Debian's Apache configuration for DAViCal rewrites it
    $_SERVER['SCRIPT_NAME'] = '/caldav.php';
    $_SERVER['SCRIPT_FILENAME'] = getcwd() . '/caldav.php';
    $_SERVER['PATH_INFO'] = parse_url($uri, PHP_URL_PATH);
    $_SERVER['PHP_SELF'] = '/caldav.php' . $_SERVER['PATH_INFO'];
    $_SERVER['REQUEST_URI'] = '/caldav.php' . $uri;
    require 'caldav.php';
    return true;
}
return false; // the built-in server runs caldav.php etc. as usual
EOF
    cat >"$d/davical-conf.php" <<EOF
<?php
\$_SERVER['SERVER_NAME'] = '127.0.0.1';
\$c->domain_name = '127.0.0.1';
\$c->pg_connect[] = 'host=$SERVER_DIR/pg dbname=davical user=davical_app';
\$c->admin_email = 'admin@example.com';
// requests without credentials, marked by the router: the test user
\$c->authenticate_hook['server_auth_type'] = 'tiara-test-anonymous';
include_once('AuthPlugins.php');
EOF
    printf 'machine 127.0.0.1 login %s password %s\n' \
        "$DAVICAL_USER" "$DAVICAL_PASSWORD" >"$d/netrc"
    chmod 600 "$d/netrc"
    SERVER_NETRC=$d/netrc
    export SERVER_NETRC SERVER_USER=$DAVICAL_USER SERVER_PASSWORD=$DAVICAL_PASSWORD
    case "${DAVICAL_AUTH:-anonymous}" in
    anonymous) DAVICAL_ANON=1 ;;
    basic)
        DAVICAL_ANON=
        mkdir -p "$d/curlhome"
        printf 'netrc-file = "%s"\n' "$SERVER_NETRC" >"$d/curlhome/.curlrc"
        export CURL_HOME=$d/curlhome NETRC=$SERVER_NETRC
        ;;
    *) davical_fail "DAVICAL_AUTH is anonymous or basic, not '$DAVICAL_AUTH'"; return 1 ;;
    esac
}

# Start DAViCal on SERVER_PORT (PostgreSQL too, the first time); sets
# SERVER_PID (PHP's) and SERVER_URL, and waits until DAViCal answers for
# the test user.
davical_run()
{
    [ -d /etc/davical ] || { davical_fail "no /etc/davical (apt install davical)"; return 1; }
    command -v php >/dev/null || { davical_fail "no php (apt install php-cli)"; return 1; }
    if [ -z "$DAVICAL_PG_UP" ]; then
        davical_write_config || return 1
        davical_db_start || return 1
    fi
    (cd "$DAVICAL_HTDOCS" &&
        DAVICAL_TEST_CONF=$SERVER_DIR/davical/davical-conf.php \
            DAVICAL_TEST_ANON=$DAVICAL_ANON DAVICAL_TEST_USER=$DAVICAL_USER \
            exec php -S "127.0.0.1:$SERVER_PORT" -t "$DAVICAL_HTDOCS" \
            "$SERVER_DIR/davical/router.php") >>"$SERVER_DIR/log" 2>&1 &
    SERVER_PID=$!
    SERVER_URL="http://127.0.0.1:$SERVER_PORT"
    local i code
    for i in $(seq 1 100); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS --max-time 2 \
            --netrc-file "$SERVER_NETRC" "$SERVER_URL/caldav.php/$DAVICAL_USER/")
        case "$code" in
        200) return 0 ;;
        000) ;; # not listening yet
        *)
            davical_fail "OPTIONS as $DAVICAL_USER answered $code" \
                "$SERVER_DIR/log" "$SERVER_DIR/pg/log"
            return 1
            ;;
        esac
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            davical_fail "php exited early" "$SERVER_DIR/log"
            return 1
        fi
        sleep 0.1
    done
    davical_fail "no answer at $SERVER_URL" "$SERVER_DIR/log"
}

# Stop PostgreSQL (server_stop has stopped PHP).
davical_cleanup()
{
    if [ -n "$DAVICAL_PG_UP" ]; then
        davical_as_pg "$DAVICAL_PG_CTL" -D "$DAVICAL_PG_DATA" -m immediate stop \
            >/dev/null 2>&1
        DAVICAL_PG_UP=
    fi
    return 0
}
