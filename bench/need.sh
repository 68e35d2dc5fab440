# SPDX-License-Identifier: MIT
# need.sh - sourced by the bench scripts: 'need TOOL PACKAGE' makes sure a
# command is there before anything is timed. As root it installs the
# Debian package, saying so; otherwise it names the package and stops.
need()
{
    local tool=$1 pkg=$2
    command -v "$tool" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: $tool is missing; installing Debian package $pkg" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null 2>&1 ||
            { echo "bench: could not install $pkg; install it and run again" >&2; exit 1; }
        command -v "$tool" >/dev/null 2>&1 && return 0
    fi
    echo "bench: needs $tool (Debian package $pkg): apt-get install $pkg" >&2
    exit 1
}

# 'release_build BUILD ROOT': tiara built in release mode in BUILD.
release_build()
{
    printf '== build (release) in %s\n' "$1" >&2
    if [ -f "$1/build.ninja" ]; then
        meson configure "$1" -Dbuildtype=release >/dev/null
    else
        meson setup "$1" "$2" --buildtype=release >/dev/null
    fi
    meson compile -C "$1" tiara >/dev/null
}
