#!/usr/bin/env bash
# RFC 6764 discovery from a domain or an address: the SRV record names the
# host and port, the TXT record the path; without SRV, the domain's
# well-known URI. The resolver is one the test runs, on port 53 of a
# private network namespace whose resolv.conf names it (a private mount
# namespace): nothing of the system's changes. Needs root, else skips.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" != 0 ] || ! unshare -m -n true 2>/dev/null; then
    echo "SKIP: private namespaces need root"
    exit 77
fi
printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:2\n' >"$WORK/resolv.conf"

# 'tiara calendar discover $1' with the test's resolver; nothing listens
# where the records point, so the error names where discovery went.
discover() {
    t_err=$(unshare -m -n sh -c '
        ip link set lo up 2>/dev/null || ifconfig lo up 2>/dev/null
        mount --bind "$1" /etc/resolv.conf || exit 90
        python3 "$2" example.test 127.0.0.1 8443 /dav/cal/ >"$5" &
        # it prints its port once listening: a fixed sleep lost the race
        # on a busy machine
        i=0
        while [ ! -s "$5" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
        "$3" calendar discover "$4"; rc=$?
        kill $! 2>/dev/null
        exit $rc' sh "$WORK/resolv.conf" "$here/dns_answer.py" "$TIARA" "$1" \
        "$WORK/dns.ready" 2>&1)
    rc=$?
    rm -f "$WORK/dns.ready"
}

discover example.test
[ "$rc" != 90 ] || fail "cannot make a private resolv.conf"
[ "$rc" = 1 ] || fail "discover example.test exited $rc: $t_err"
case "$t_err" in *"https://127.0.0.1:8443/dav/cal/"*) ;;
*) fail "SRV and TXT were not followed: $t_err" ;; esac

discover carol@example.test
case "$t_err" in *"https://127.0.0.1:8443/dav/cal/"*) ;;
*) fail "an address's domain was not asked: $t_err" ;; esac

discover other.test
case "$t_err" in *"https://other.test/.well-known/caldav"*) ;;
*) fail "without SRV, the well-known URI was not tried: $t_err" ;; esac
finish
