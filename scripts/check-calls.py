#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""No two source files call each other, directly or round a circle.

Reads the symbols each object file of the core library defines and uses
(nm), links each use to the file that defines it, and fails naming every
circle of files. Usage: check-calls.py BUILD_DIR
"""
import glob
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True,
                         check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDRB":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
    return defined, used


def source_name(obj):
    # meson names src/caldav/caldav_sync.c as caldav_caldav_sync.c.o
    return os.path.basename(obj)[:-2]


def circles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-calls.py BUILD_DIR")
    objs = (glob.glob(os.path.join(sys.argv[1], "src", "*.p", "*.o")) +
            glob.glob(os.path.join(sys.argv[1], "tiara.p", "*.o")))
    if not objs:
        sys.exit(f"check-calls: no object files under {sys.argv[1]}/src")
    table = {source_name(o): symbols(o) for o in objs}
    owner = {s: f for f, (d, _) in table.items() for s in d}
    graph = {f: {owner[s] for s in u if s in owner and owner[s] != f}
             for f, (_, u) in table.items()}
    bad = circles(graph)
    for comp in bad:
        calls = []
        for f in comp:
            for g in sorted(graph[f] & set(comp)):
                what = sorted(s for s in table[f][1] if owner.get(s) == g)
                calls.append(f"  {f} -> {g}: {', '.join(what)}")
        print("check-calls: these files call each other in a circle:\n" +
              "\n".join(calls), file=sys.stderr)
    if bad:
        sys.exit(1)
    print(f"check-calls: {len(table)} files, no circle of calls")


if __name__ == "__main__":
    main()
