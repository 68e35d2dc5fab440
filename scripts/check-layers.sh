#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check-layers.sh - keep the one-way rule of STYLE.md true: every
# '#include "..."' in src/ and include/ goes to the same or a lower level,
# never into another folder's private header, and each library is
# included only by the module that wraps it. Prints FILE:LINE: reason for
# each breach and exits 1; silent and 0 when the house is in order.
set -euo pipefail
cd "$(dirname "$0")/.."

# Level of a public header (include/NAME) or of a source folder.
declare -A level=(
    [err.h]=0 [util.h]=0 [proc.h]=0 [crash.h]=0
    [model.h]=1 [tz.h]=1 [tzif.h]=1 [when.h]=1 [rules.h]=1 [config.h]=1
    [csvin.h]=1
    [store.h]=2 [store_sync.h]=2 [timer.h]=2 [term.h]=2 [timer_loop.h]=2
    [http.h]=2
    [ics.h]=3
    [caldav.h]=4
    [src]=1 [src/store]=2 [src/timer]=2 [src/net]=2 [src/ics]=3
    [src/caldav]=4 [src/cli]=5
)
# Level-0 sources sit plainly in src/ beside level 1.
declare -A file_level=([src/err.c]=0 [src/util.c]=0 [src/proc.c]=0 [src/crash.c]=0
    [src/main.c]=5)
# Which files may include a library's headers (a glob on the path).
declare -A library=(
    [sqlite3.h]='src/store/*'
    [libical/]='src/ics/* src/tz.c'
    [curl/]='src/net/*'
    [libxml/]='src/caldav/caldav_xml.c'
    [ini.h]='src/config.c'
    [csv.h]='src/csvin.c'
    [jansson.h]='src/cli/json.c'
)

bad=0
breach() {
    printf '%s:%s: %s\n' "$1" "$2" "$3"
    bad=1
}

level_of_file() {
    local f=$1
    if [ -n "${file_level[$f]:-}" ]; then
        echo "${file_level[$f]}"
    elif [[ $f == include/* ]]; then
        echo "${level[${f#include/}]:-}"
    else
        echo "${level[$(dirname "$f")]:-}"
    fi
}

# The file an include names, as the compiler would find it: the
# including file's folder first, then a path under src/, then include/.
resolve() {
    local from=$1 name=$2
    if [ -f "$(dirname "$from")/$name" ]; then
        echo "$(dirname "$from")/$name"
    elif [ -f "src/$name" ]; then
        echo "src/$name"
    elif [ -f "include/$name" ]; then
        echo "include/$name"
    else
        # Not reachable by the build's paths; name it if it lives elsewhere.
        find src -name "$(basename "$name")" -print -quit
    fi
}

allowed_library() {
    local f=$1 globs=$2 g
    for g in $globs; do
        # shellcheck disable=SC2053
        [[ $f == $g ]] && return 0
    done
    return 1
}

while IFS= read -r f; do
    mine=$(level_of_file "$f")
    if [ -z "$mine" ]; then
        breach "$f" 1 "not in the level table of scripts/check-layers.sh"
        continue
    fi
    while IFS=: read -r line text; do
        if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
            name=${BASH_REMATCH[1]}
            target=$(resolve "$f" "$name")
            if [ -z "$target" ]; then
                breach "$f" "$line" "includes \"$name\", which is not in src/ or include/"
                continue
            fi
            if [[ $target == *_priv.h && $(dirname "$target") != "$(dirname "$f")" ]]; then
                breach "$f" "$line" "includes $target, another folder's private header"
                continue
            fi
            theirs=$(level_of_file "$target")
            if [ -z "$theirs" ]; then
                breach "$f" "$line" "includes $target, which has no level"
            elif [ "$theirs" -gt "$mine" ]; then
                breach "$f" "$line" "includes $target (level $theirs) from level $mine"
            fi
        elif [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
            name=${BASH_REMATCH[1]}
            for lib in "${!library[@]}"; do
                if [[ $name == "$lib"* ]] && ! allowed_library "$f" "${library[$lib]}"; then
                    breach "$f" "$line" "includes <$name>: only ${library[$lib]} may"
                fi
            done
        fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$f" || true)
done < <(find src include -name '*.[ch]' | sort)

exit "$bad"
