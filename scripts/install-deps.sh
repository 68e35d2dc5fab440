#!/usr/bin/env bash
# Install what tiara needs to build and test, skipping what is present.
# Debian 12 packages only (plus ical.js from npm for one of the .ics checks).
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential meson ninja-build pkg-config
            libical-dev libsqlite3-dev libcurl4-openssl-dev libxml2-dev libinih-dev
            libicu-dev scdoc libcsv-dev libjansson-dev)
# man-db and groff-base: tests/cli/install.sh renders every installed page;
# zsh and fish: it runs their completion scripts too
test_pkgs=(sqlite3 tmux time radicale xandikos python3-icalendar python3-caldav
           python3-requests curl openssl man-db groff-base zsh fish)
# DAViCal, served by 'php -S' on a private PostgreSQL cluster that the test
# makes and removes (tests/integration/davical.sh). php8.2-cgi comes first
# so that apt takes it, not Apache's module or FPM, for php8.2's
# "a PHP SAPI" dependency: neither web server is wanted.
davical_pkgs=(php8.2-cgi davical php-cli php-pgsql php-xml postgresql)
# The fuzzing smoke run (scripts/fuzz.sh): clang, and libFuzzer and the
# sanitizers' runtime, which clang only recommends.
fuzz_pkgs=(clang libclang-rt-dev)
want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then
    want+=("${test_pkgs[@]}" "${davical_pkgs[@]}" "${fuzz_pkgs[@]}")
    command -v node >/dev/null 2>&1 || want+=(nodejs)
    command -v npm >/dev/null 2>&1 || want+=(npm)
    command -v clang-format >/dev/null 2>&1 || want+=(clang-format)
fi

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
# nodejs/npm may come from outside Debian on this machine: trust the command.
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    # and say it outright: no Apache module, no FPM service (a trailing
    # '-' tells apt not to install a package; only for absent ones)
    if [ "${1:-}" = "--test" ]; then
        for p in libapache2-mod-php8.2 php8.2-fpm; do
            dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
                missing+=("$p-")
        done
    fi
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # The packages' scripts would start PostgreSQL (and others) as system
    # services; the tests start their own. policy-rc.d says no (Debian's
    # invoke-rc.d policy), for the install only.
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
        $SUDO chmod 755 "$policy"
        trap '$SUDO rm -f "$policy"' EXIT
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ] && [ ! -d tests/validate/node_modules/ical.js ]; then
    (cd tests/validate && npm ci --silent --no-audit --no-fund)
fi
