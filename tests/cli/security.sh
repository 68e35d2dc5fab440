#!/usr/bin/env bash
# Security checks on the real binary: a password reaches no other program,
# no output and no file; what tiara writes is the user's alone (umask
# 022); TLS is verified, and trusted only as ca_file says; hostile
# servers are refused at once, and credentials never follow a redirect.
. "$(dirname "$0")/../lib.sh"
tools=$(cd "$(dirname "$0")/../tools" && pwd)
ptyans=$(cd "$(dirname "$0")/../integration" && pwd)/pty_answer.py
PY=/usr/bin/python3
umask 022
unset TIARA_DB TIARA_CONFIG TIARA_PASSWORD NETRC
export TMPDIR=$WORK/tmp TIARA_EMAIL=sam@example.org
mkdir -p "$TMPDIR" "$WORK/keys" "$WORK/probe" "$WORK/bin" "$WORK/.config/tiara"
DB=$WORK/.local/share/tiara/tiara.db
CONF=$WORK/.config/tiara/config.ini
PROBE=$WORK/probe
# One unique prefix: found anywhere it should not be, it is one of these.
P="s3c-$$-$RANDOM-"
S_ENV=${P}env S_TIARA=${P}tiara S_CMD=${P}cmd S_NETRC=${P}netrc S_TYPED=${P}typed
printf '%s\n' "$S_CMD" >"$WORK/keys/cmd.secret"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT

# stub VAR MODE [ARG]: start tests/tools/http_stub.py, its port in $VAR;
# it asks for the credentials in $AUTH (not exported: tiara's children
# must not see them there).
AUTH=
stub() {
    local var=$1 file=$WORK/port.$1
    shift
    STUB_AUTH=$AUTH STUB_HOST=${STUB_HOST:-} "$PY" "$tools/http_stub.py" "$@" >"$file" 2>>"$WORK/stub.err" &
    pids+=($!)
    for _ in $(seq 200); do [ -s "$file" ] && break; sleep 0.05; done
    printf -v "$var" '%s' "$(cat "$file")"
}

# run ARGS...: like t, and every output is kept to be searched.
run() {
    t "$@"
    printf '%s\n%s\n' "$out" "$errout" >>"$PROBE/outputs"
}

# nowhere WHAT FILE...: no secret in the files.
nowhere() {
    local what=$1
    shift
    if grep -a -l -F "$P" "$@" 2>/dev/null; then
        fail "a password is in $what: $(grep -a -o -h "$P[a-z]*" "$@" | sort -u)"
    fi
}

# A child records what it was given: its environment and command line.
cat >"$WORK/keys/pw.sh" <<'SH'
#!/bin/sh
tr '\0' '\n' </proc/$$/environ >"$PROBE/pwcmd.env"
tr '\0' ' ' </proc/$$/cmdline >"$PROBE/pwcmd.cmdline"
cat "$(dirname "$0")/cmd.secret"
SH
cat >"$WORK/keys/mail.sh" <<'SH'
#!/bin/sh
cat >"$PROBE/mail.eml"
tr '\0' '\n' </proc/$$/environ >"$PROBE/mail.env"
SH
cat >"$WORK/bin/notify-send" <<'SH'
#!/bin/sh
tr '\0' '\n' </proc/$$/environ >"$PROBE/notify.env"
SH
chmod +x "$WORK/keys/pw.sh" "$WORK/keys/mail.sh" "$WORK/bin/notify-send"
export PROBE PATH="$WORK/bin:$PATH"

# --- Files: the database and its folder, made by tiara, are private.
run contact add "Ada Lovelace" --email ada@example.com
[ "$rc" = 0 ] || fail "contact add: $errout"
[ "$(stat -c %a "$WORK/.local/share/tiara")" = 700 ] ||
    fail "the database folder is $(stat -c %a "$WORK/.local/share/tiara")"
[ "$(stat -c %a "$DB")" = 600 ] || fail "the database is $(stat -c %a "$DB")"
export TIARA_DB=$DB
TIARA_NOW=2026-11-01T09:00:00Z run schedule Ada --at "2026-11-30 10:00"
TIARA_NOW=2026-11-01T09:00:00Z run schedule Ada --at "2026-12-03 10:00"

# --- Settings: a password has no place there; no switch turns TLS off.
printf '[calendar w]\npassword = %s\n' "$S_ENV" >"$WORK/keys/pw.ini"
refused 1 "key 'password' in [calendar w]: passwords are not kept in the settings file" \
    config check "$WORK/keys/pw.ini"
printf '%s\n' "$errout" >>"$PROBE/outputs"
for key in insecure ssl_verify verify tls_verify; do
    printf '[calendar w]\n%s = no\n' "$key" >"$WORK/tls.ini"
    refused 1 "unknown key '$key' in [calendar w]" config check "$WORK/tls.ini"
done

# The calendars, one per way a password comes; the server knows them all.
cat >"$CONF" <<INI
[sync]
timeout = 30
[mail]
command = $WORK/keys/mail.sh
[calendar env]
user = env
password_env = SEC_VAR
[calendar pw]
user = pw
[calendar cmd]
user = cmd
password_command = $WORK/keys/pw.sh
[calendar net]
user = net
[calendar typed]
user = typed
[calendar hang]
user = cmd
password_command = $WORK/keys/pw.sh
INI
chmod 600 "$CONF"
printf 'machine 127.0.0.1\nlogin net\npassword %s\n' "$S_NETRC" >"$WORK/.netrc"
chmod 600 "$WORK/.netrc"
AUTH="env:$S_ENV,pw:$S_TIARA,cmd:$S_CMD,net:$S_NETRC,typed:$S_TYPED"
stub cal calendar "$WORK/cal.log"
stub hang hang "$WORK/hang.log"
for c in env pw cmd net typed; do
    run calendar add $c --url "http://127.0.0.1:$cal/$c/" --user $c --no-check
done
run calendar add hang --url "http://127.0.0.1:$hang/hang/" --user cmd --no-check

# --- Secrets: each way in, sent to the server, and then nowhere else.
SEC_VAR=$S_ENV TIARA_PASSWORD=$S_TIARA run sync env
[ "$rc" = 0 ] || fail "sync with password_env: $errout"
SEC_VAR=$S_ENV TIARA_PASSWORD=$S_TIARA run sync pw
[ "$rc" = 0 ] || fail "sync with TIARA_PASSWORD: $errout"
SEC_VAR=$S_ENV run sync cmd
[ "$rc" = 0 ] || fail "sync with password_command: $errout"
run sync net
[ "$rc" = 0 ] || fail "sync with ~/.netrc: $errout"
chmod 644 "$WORK/.netrc"
run sync net
case "$errout" in
*"tiara: warning: '$WORK/.netrc' holds passwords and others can read it (chmod 600 it)"*) ;;
*) fail "a netrc others can read was not warned of: $errout" ;;
esac
chmod 600 "$WORK/.netrc"
NETRC=/dev/null "$PY" "$ptyans" "Password for typed at" "$S_TYPED" \
    "$TIARA" sync typed >"$PROBE/typed.out" 2>&1 ||
    fail "sync with a typed password: $(cat "$PROBE/typed.out")"
for u in env pw cmd net typed; do
    [ "$(grep -c "^PUT /$u/" "$WORK/cal.log")" -ge 1 ] &&
        grep -q "^PROPFIND /$u/ 401\|^REPORT /$u/ 401" "$WORK/cal.log" ||
        fail "calendar $u: no authenticated exchange took place"
done
# The children tiara runs: the password_command, the mail command and
# notify-send, while tiara holds both password variables.
grep -q '^PROBE=' "$PROBE/pwcmd.env" || fail "the password_command did not run"
SEC_VAR=$S_ENV TIARA_PASSWORD=$S_TIARA run remind --notify
[ -s "$PROBE/notify.env" ] || fail "notify-send did not run: $errout"
SEC_VAR=$S_ENV TIARA_PASSWORD=$S_TIARA run thank 1 --send
[ "$rc" = 0 ] || fail "thank --send: $errout"
for f in pwcmd.env pwcmd.cmdline mail.env notify.env; do
    [ -s "$PROBE/$f" ] || fail "no $f"
    nowhere "the child's $f" "$PROBE/$f"
done
grep -q '^SEC_VAR=\|^TIARA_PASSWORD=' "$PROBE/mail.env" "$PROBE/notify.env" &&
    fail "a child inherited a password variable"
grep -q '^PATH=' "$PROBE/mail.env" || fail "the mail command lost its environment"

# Mid-sync, held by a server that never answers, the password from the
# password_command (which runs again, without SEC_VAR): tiara's own
# command line and environment, its children's, and the files it holds.
rm "$PROBE/pwcmd.env"
SEC_VAR=$S_ENV "$TIARA" sync hang \
    >"$PROBE/hang.out" 2>&1 &
tpid=$!
pids+=($tpid)
for _ in $(seq 600); do
    grep -q '^REPORT /hang/$\|^PROPFIND /hang/$' "$WORK/hang.log" 2>/dev/null && break
    sleep 0.05
done
grep -q '^REPORT /hang/$\|^PROPFIND /hang/$' "$WORK/hang.log" || fail "the sync never reached the server"
tr '\0' '\n' </proc/$tpid/cmdline >"$PROBE/tiara.cmdline"
tr '\0' '\n' </proc/$tpid/environ >"$WORK/keys/tiara.environ"
nowhere "tiara's command line" "$PROBE/tiara.cmdline"
# what the user gave tiara itself is there, and nothing else
[ "$(grep -a -o "$P[a-z]*" "$WORK/keys/tiara.environ")" = "$S_ENV" ] ||
    fail "tiara's environment: $(grep -a -o "$P[a-z]*" "$WORK/keys/tiara.environ")"
for child in $(cat /proc/$tpid/task/*/children); do
    tr '\0' '\n' </proc/$child/environ >"$PROBE/child.env" 2>/dev/null
    tr '\0' '\n' </proc/$child/cmdline >"$PROBE/child.cmdline" 2>/dev/null
    nowhere "a child's environment or command line" "$PROBE/child.env" "$PROBE/child.cmdline"
done
# (0-2 are the test's own redirections; outside $WORK, valgrind's when
# scripts/valgrind.sh runs it)
modes=$(for fd in /proc/$tpid/fd/*; do
    [ "${fd##*/}" -gt 2 ] && [ -f "$fd" ] || continue
    case "$(readlink "$fd")" in "$WORK"/*) ;; *) continue ;; esac
    printf '%s:%s\n' "$(stat -L -c %a "$fd")" "$(readlink "$fd")"
done)
grep -qx "600:$DB-wal" <<<"$modes" || fail "no WAL open mid-sync: $modes"
grep -v '^600:' <<<"$modes" && fail "tiara holds a file others may read: $modes"
for f in "$DB" "$DB-wal" "$DB-shm" "$DB.sync-lock"; do
    [ "$(stat -c %a "$f")" = 600 ] || fail "$f is $(stat -c %a "$f")"
done
nowhere "the database, its WAL or shm, mid-sync" "$DB" "$DB-wal" "$DB-shm"
kill "$tpid"
wait "$tpid" 2>/dev/null
[ -s "$PROBE/pwcmd.env" ] || fail "the password_command did not run for the sync held"
nowhere "the password_command's environment" "$PROBE/pwcmd.env"
cat "$PROBE/hang.out" "$PROBE/typed.out" >>"$PROBE/outputs"

# Every output, the database and every file under HOME but the secrets'
# own (keys/, ~/.netrc).
run config
run export "$WORK/out.ics"
nowhere "an output" "$PROBE/outputs"
nowhere "the database" "$DB"*
nowhere "a file under HOME" $(find "$WORK" -type f ! -path "$WORK/keys/*" ! -path "$WORK/.netrc")

# --- TLS: a self-signed server is refused, and trusted through ca_file.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$WORK/keys/key.pem" -out "$WORK/cert.pem" -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
    fail "openssl could not make a certificate"
STUB_CERT=$WORK/cert.pem STUB_KEY=$WORK/keys/key.pem stub tls calendar "$WORK/tls.log"
export TIARA_DB=$WORK/tls.db
ok contact add "Bo Stone"
refused 1 "PROPFIND 'https://127.0.0.1:$tls/cal/': certificate verification failed (SSL certificate problem: self-signed certificate): if you trust this server, name its CA with ca_file in [calendar NAME]" \
    calendar add tls --url "https://127.0.0.1:$tls/cal/" --user pw
printf '[calendar tls]\nca_file = %s\n' "$WORK/cert.pem" >"$CONF"
TIARA_PASSWORD=$S_TIARA ok calendar add tls --url "https://127.0.0.1:$tls/cal/" --user pw
has "added calendar 'tls' (https://127.0.0.1:$tls/cal/)"
ok schedule Bo --at "2026-12-04 10:00"
TIARA_PASSWORD=$S_TIARA ok sync
has "tls: sent 4 (4 new"
# the CA vouches for 127.0.0.1, not for another name
printf '[calendar tls2]\nca_file = %s\n' "$WORK/cert.pem" >"$CONF"
refused 1 "certificate verification failed (SSL: no alternative certificate subject name matches target host name 'localhost'), with ca_file $WORK/cert.pem" \
    calendar add tls2 --url "https://localhost:$tls/cal/" --user pw
: >"$CONF"

# --- Hostile servers: refused at once, in one line, nothing kept.
export TIARA_DB=$WORK/hostile.db
ok contact add "Cy Hill"
AUTH=
stub len length
refused 1 "answer from 'http://127.0.0.1:$len/cal/' is too large" \
    calendar add h --url "http://127.0.0.1:$len/cal/"
stub hdr headers
refused 1 "PROPFIND 'http://127.0.0.1:$hdr/cal/': the answer's header lines run past 256 KB" \
    calendar add h --url "http://127.0.0.1:$hdr/cal/"
stub lol laughs
refused 1 "malformed XML from 'http://127.0.0.1:$lol/cal/'" \
    calendar add h --url "http://127.0.0.1:$lol/cal/"
stub loop loop
refused 1 "PROPFIND 'http://127.0.0.1:$loop/cal/': more than 5 redirects" \
    calendar add h --url "http://127.0.0.1:$loop/cal/"
# A sync redirected to another host: not followed, so neither the
# entries nor the password go there.
STUB_HOST=127.0.0.2 stub other log "$WORK/other.log"
AUTH=pw:$S_TIARA stub away redirect "http://127.0.0.2:$other/cal/"
ok calendar add away --url "http://127.0.0.1:$away/cal/" --user pw --no-check
TIARA_PASSWORD=$S_TIARA t sync
[ "$rc" = 1 ] || fail "a sync redirected away exited $rc: $errout"
case "$errout" in
*"was redirected to another server ('http://127.0.0.2:$other/cal/'): not followed, nothing was sent there"*) ;;
*) fail "the redirect away: $errout" ;;
esac
[ ! -s "$WORK/other.log" ] || fail "the other host was asked: $(cat "$WORK/other.log")"
nowhere "the hostile servers' outputs" <(printf '%s\n' "$out" "$errout")

finish
