#!/usr/bin/env bash
# Install what tiara needs to build and test, skipping what is present.
# Debian 12 packages only (plus ical.js from npm for one of the .ics checks).
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential meson ninja-build pkg-config
            libical-dev libsqlite3-dev libcurl4-openssl-dev libxml2-dev libinih-dev)
test_pkgs=(sqlite3 tmux time radicale xandikos python3-icalendar python3-caldav
           python3-requests curl openssl)
want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then
    want+=("${test_pkgs[@]}")
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
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ] && [ ! -d tests/validate/node_modules/ical.js ]; then
    (cd tests/validate && npm ci --silent --no-audit --no-fund)
fi
