#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# layers.sh - the layer check passes on the tree, and names the file and
# line of each kind of breach planted in a copy of it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$root/scripts/check-layers.sh" || { echo "FAIL: the tree breaks the layer rule" >&2; exit 1; }

mkdir -p "$tmp/scripts"
cp "$root/scripts/check-layers.sh" "$tmp/scripts/"
cp -r "$root/src" "$root/include" "$tmp/"
# One of each: up a level, another folder's private header, a library
# outside its module, a header nobody knows.
printf '#include "caldav.h"\n' >>"$tmp/src/store/store.c"
printf '#include "store_priv.h"\n' >>"$tmp/src/ics/ics_write.c"
printf '#include <sqlite3.h>\n' >>"$tmp/src/cli/agenda.c"
printf '#include "nowhere.h"\n' >>"$tmp/src/tz.c"
if out=$("$tmp/scripts/check-layers.sh"); then
    echo "FAIL: planted breaches passed" >&2
    exit 1
fi
expect() {
    grep -qF -- "$1" <<<"$out" || { printf 'FAIL: no "%s" in:\n%s\n' "$1" "$out" >&2; exit 1; }
}
n=$(wc -l <"$root/src/store/store.c")
expect "src/store/store.c:$((n + 1)): includes include/caldav.h (level 4) from level 2"
expect "src/ics/ics_write.c:"
expect "another folder's private header"
expect "src/cli/agenda.c:"
expect "includes <sqlite3.h>: only src/store/* may"
expect "includes \"nowhere.h\", which is not in src/ or include/"
[ "$(wc -l <<<"$out")" -eq 4 ] || { printf 'FAIL: expected 4 lines:\n%s\n' "$out" >&2; exit 1; }
echo "layers: ok"
