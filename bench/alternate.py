#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# alternate.py - time pairs of commands in alternation (before, after,
# before, ...) so that a shared machine's changing load falls on both;
# writes the medians of wall time per pair as JSON and prints them with
# the load average beside each round.
#
# usage: bench/alternate.py ROUNDS OUT.json NAME BEFORE AFTER [NAME ...]
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    t = time.perf_counter()
    subprocess.run(shlex.split(cmd), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    rounds, out, rest = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    if len(rest) % 3:
        sys.exit("alternate.py: wants NAME BEFORE AFTER triples")
    result = {}
    for i in range(0, len(rest), 3):
        name, before, after = rest[i:i + 3]
        run(before), run(after)  # warm the page cache
        times = {"before": [], "after": []}
        for r in range(rounds):
            times["before"].append(run(before))
            times["after"].append(run(after))
            print(f"{name} round {r + 1}: before "
                  f"{times['before'][-1] * 1000:.1f} ms, after "
                  f"{times['after'][-1] * 1000:.1f} ms, load "
                  f"{os.getloadavg()[0]:.2f}", file=sys.stderr)
        result[name] = {k: statistics.median(v) for k, v in times.items()}
    json.dump(result, open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
