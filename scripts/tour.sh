#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the tour on
# samples/ (contacts, interviews, an invitation, the agenda, an .ics file).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -d build ] || meson setup build --buildtype=debugoptimized >/dev/null
meson compile -C build >/dev/null
OUT="$PWD/build/tour" TIARA="$PWD/build/tiara" samples/tour.sh
