#!/usr/bin/env bash
# A short tour of tiara on the files in samples/: two contacts (one referred
# by the other), two interviews, an invitation imported, the agenda, and
# an .ics calendar written. Uses its own database under $OUT.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TIARA=${TIARA:-$here/../build/tiara}
OUT=${OUT:-$here/../build/tour}
mkdir -p "$OUT"
rm -f "$OUT/tour.db" "$OUT/tour.db-wal" "$OUT/tour.db-shm"
export TIARA_DB="$OUT/tour.db"
export TIARA_EMAIL=${TIARA_EMAIL:-me@example.com}

run() {
    echo "\$ tiara $*"
    "$TIARA" "$@"
    echo
}

run contact add "Ana Pérez" --email ana@example.com --company "Acme Analytics" \
    --role "Head of Data" --tz America/New_York
run contact add "Bob Stone" --email bob@example.org --company Northwind \
    --referred-by "Ana Pérez" --cadence semiannual
run schedule "Ana Pérez" --at "tomorrow 15:00" --for 30m \
    --video https://meet.example.com/ana-perez
run schedule bob --at "fri 10:00" --for 45m --where "Café Nero, Leeds"
cd "$here"
run import invitation.ics
run contact list
run agenda --days 21
run export -o "$OUT/tiara.ics" 2>/dev/null
echo "calendar written to $OUT/tiara.ics"
