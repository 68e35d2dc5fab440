#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# compare_exports.py - check that the Python peer wrote the same calendar
# as 'tiara export': same components, and for every VEVENT/VTODO (by UID)
# the same properties and alarms. VTIMEZONE bodies are only counted: the
# peer builds them from pytz, tiara from libical.
#
# usage: bench/compare_exports.py TIARA.ics PEER.ics
# Prints the component counts; exits 1 on the first differences.
import collections
import sys


def unfold(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def split_line(line):
    """name, sorted params, value; values compared unescaped, params without
    quoting or VALUE=DATE-TIME (icalendar adds it, libical does not)."""
    head, _, value = line.partition(":")
    if '"' in head:  # a quoted parameter may hold ':'
        i, inq = 0, False
        for i, ch in enumerate(line):
            if ch == '"':
                inq = not inq
            elif ch == ":" and not inq:
                break
        head, value = line[:i], line[i + 1:]
    parts = head.split(";")
    params = sorted(p.replace('"', "").upper() for p in parts[1:]
                    if p.upper() != "VALUE=DATE-TIME")
    for a, b in (("\\,", ","), ("\\;", ";"), ("\\N", "\n"), ("\\n", "\n"),
                 ("\\\\", "\\")):
        value = value.replace(a, b)
    if parts[0].upper() == "RRULE":
        # RFC 5545 3.3.10: the rule parts may come in any order.
        value = ";".join(sorted(value.split(";")))
    return parts[0].upper(), tuple(params), value


def components(path):
    counts = collections.Counter()
    items = {}
    stack, cur = [], None
    for line in unfold(path):
        if not line:
            continue
        if line.startswith("BEGIN:"):
            kind = line[6:]
            counts[kind] += 1
            stack.append(kind)
            if kind in ("VEVENT", "VTODO") and len(stack) == 2:
                cur = [kind]
            elif cur is not None:
                cur.append(("BEGIN", (), kind))
            continue
        if line.startswith("END:"):
            kind = stack.pop()
            if cur is not None and kind in ("VEVENT", "VTODO") and \
                    len(stack) == 1:
                uid = next(v for n, _, v in cur[1:] if n == "UID")
                if uid in items:
                    sys.exit(f"{path}: UID {uid} twice")
                items[uid] = (cur[0], sorted(cur[1:]))
                cur = None
            elif cur is not None:
                cur.append(("END", (), kind))
            continue
        if cur is not None:
            cur.append(split_line(line))
    return counts, items


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare_exports.py TIARA.ics PEER.ics")
    (ca, ia), (cb, ib) = components(sys.argv[1]), components(sys.argv[2])
    kinds = ["VTIMEZONE", "VEVENT", "VTODO", "VALARM"]
    print("components  " + "  ".join(f"{k} {ca[k]}/{cb[k]}" for k in kinds)
          + "  (tiara/peer)")
    bad = [k for k in kinds if ca[k] != cb[k]]
    missing = sorted(set(ia) ^ set(ib))
    diff = [u for u in ia if u in ib and ia[u] != ib[u]]
    for u in missing[:5]:
        print(f"only in {'tiara' if u in ia else 'peer'}: {u}")
    for u in diff[:3]:
        a, b = ia[u][1], ib[u][1]
        print(f"{u} differs:")
        for p in sorted(set(a) - set(b)):
            print(f"  tiara: {p}")
        for p in sorted(set(b) - set(a)):
            print(f"  peer:  {p}")
    if bad or missing or diff:
        print(f"MISMATCH: {len(missing)} UIDs in one file only, "
              f"{len(diff)} components differ")
        sys.exit(1)
    print(f"same {len(ia)} VEVENT/VTODO components, property for property")


if __name__ == "__main__":
    main()
