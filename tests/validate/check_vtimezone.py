#!/usr/bin/python3
"""For every zone in the system's tzdata, read the VTIMEZONE tiara writes
(tests/tools/vtz_dump) as RFC 5545 3.6.5 says, with icalendar's parser and
dateutil's RRULE expansion, and compare its UTC offsets with Python's
zoneinfo over 1970-2100 (and over 2026-2100, as a file written now):
at every onset it states and every change zoneinfo has (a second before
and at each), and weekly in between.

icalendar's own Timezone.to_tz() is not used: it stops every RRULE without
an end at 2038, the very bug this test is about.

Usage: check_vtimezone.py VTZ_DUMP [ZONE...]
Left out: posix/ and right/ (copies; right/ counts leap seconds), and
localtime and posixrules, which are not zone names."""
import bisect
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import rrule
from icalendar import Calendar, vRecur

ZONEINFO = os.environ.get("TZDIR", "/usr/share/zoneinfo")
LAST = 2100
WEEK = 7 * 86400
EPOCH = datetime(1970, 1, 1)


def all_zones():
    names = []
    for root, dirs, files in os.walk(ZONEINFO):
        rel = os.path.relpath(root, ZONEINFO)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in ("posix", "right")]
        for f in files:
            name = os.path.normpath(os.path.join(rel, f))
            if name in ("localtime", "posixrules"):
                continue
            with open(os.path.join(root, f), "rb") as fh:
                if fh.read(4) == b"TZif":
                    names.append(name)
    return sorted(names)


def seconds(td):
    return td.days * 86400 + td.seconds


def expand(recur, start, frm, end):
    """An observance's RRULE from its local DTSTART. RFC 5545 3.3.10: its
    UNTIL is in UTC, so it is moved to the clock before the onset."""
    recur = vRecur(recur)
    until = recur.get("UNTIL")
    if until and isinstance(until[0], datetime) and until[0].tzinfo:
        recur["UNTIL"] = [until[0].astimezone(timezone.utc).replace(
            tzinfo=None) + timedelta(seconds=frm)]
    rule = rrule.rrulestr(recur.to_ical().decode(), dtstart=start)
    return rule.between(start, end, inc=True)


def onsets(vtz, end):
    """(UTC second, offset after) of every onset before 'end', sorted."""
    out = []
    for obs in vtz.subcomponents:
        frm = seconds(obs["TZOFFSETFROM"].td)
        to = seconds(obs["TZOFFSETTO"].td)
        start = obs["DTSTART"].dt
        times = [start]
        if "RRULE" in obs:
            times = expand(obs["RRULE"], start, frm, end)
        rdates = obs.get("RDATE", [])
        for prop in rdates if isinstance(rdates, list) else [rdates]:
            times += [d.dt for d in prop.dts]
        out += [(seconds(t - EPOCH) - frm, to) for t in times]
    out.sort()
    return out


FIRST = int((datetime(1970, 1, 1) - EPOCH).total_seconds())
END = int((datetime(LAST + 1, 1, 1) - EPOCH).total_seconds())
_truth = {}


def truth(name):
    """zoneinfo's offset function, its offsets at weekly steps over
    1970-2100 and its changes, found between the steps by bisection."""
    if name in _truth:
        return _truth[name]
    zone = ZoneInfo(name)

    def off(t):
        return seconds(datetime.fromtimestamp(t, zone).utcoffset())

    grid, changes = {}, []
    prev_t, prev = FIRST, off(FIRST)
    grid[FIRST] = prev
    for t in range(FIRST + WEEK, END + WEEK, WEEK):
        cur = grid[t] = off(t)
        if cur != prev:
            lo, hi = prev_t, t  # off(lo) == prev, off(hi) != prev
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if off(mid) == prev:
                    lo = mid
                else:
                    hi = mid
            changes.append(hi)
        prev_t, prev = t, cur
    _truth[name] = off, grid, changes
    return _truth[name]


def check_zone(name, vtz, year):
    """Both readers are constant between their changes: comparing a
    second before and at each change of either, and weekly, finds any
    difference but a pair of zoneinfo changes less than a week apart
    that the VTIMEZONE lacks too."""
    first = int((datetime(year, 1, 1) - EPOCH).total_seconds())
    ons = onsets(vtz, datetime(LAST + 2, 1, 1))
    times = [t for t, _ in ons]
    off, grid, changes = truth(name)
    points = {t: want for t, want in grid.items() if first <= t < END}
    for t in changes + times:
        for p in (t - 1, t):
            if first <= p < END and p not in points:
                points[p] = off(p)
    for t in sorted(points):
        i = bisect.bisect_right(times, t) - 1
        got = ons[i][1] if i >= 0 else None
        if got != points[t]:
            when = datetime.fromtimestamp(t, timezone.utc)
            return f"{name}: at {when:%Y-%m-%dT%H:%M:%SZ} VTIMEZONE " \
                   f"says {got}, zoneinfo {points[t]}", times
    return None, times


def check_tz_c(tool, names, onsets_of):
    """tz.c's own conversions (libical reading the same VTIMEZONEs from
    1900) at each change of either reader, a second before and at it,
    and mid-month: the agenda and the check-ins' times come from them."""
    asked = []
    for name in names:
        off, _, changes = truth(name)
        points = set(range(FIRST + 14 * 86400, END, 30 * 86400))
        for t in changes + onsets_of.get(name, []):
            points.update(p for p in (t - 1, t) if FIRST <= p < END)
        asked += [(name, t, off(t)) for t in sorted(points)]
    run = subprocess.run([tool, "--offsets"], capture_output=True, text=True,
                         input="".join(f"{n} {t}\n" for n, t, _ in asked))
    sys.stderr.write(run.stderr)
    got = run.stdout.split()
    bad = set()
    if run.returncode != 0 or len(got) != len(asked):
        print(f"check_vtimezone: vtz_dump --offsets exited {run.returncode}")
        bad.add("(vtz_dump --offsets)")
    for (name, t, want), g in zip(asked, got):
        if int(g) != want and name not in bad:
            when = datetime.fromtimestamp(t, timezone.utc)
            print(f"check_vtimezone: tz.c: {name}: at "
                  f"{when:%Y-%m-%dT%H:%M:%SZ} {g}, zoneinfo {want}")
            bad.add(name)
    return bad


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: check_vtimezone.py VTZ_DUMP [ZONE...]")
    names = sys.argv[2:] or all_zones()
    if not names:
        sys.exit(f"check_vtimezone: no zone files in {ZONEINFO}")
    bad = set()
    onsets_of = {}
    # 1970: the widest file; 2026: a file written now, whose rule takes
    # over from the zone file's transitions at another year.
    for year in (1970, 2026):
        run = subprocess.run([sys.argv[1], str(year)], input="\n".join(names),
                             capture_output=True, text=True)
        sys.stderr.write(run.stderr)
        if run.returncode != 0:  # a zone it could not write, or a leak
            print(f"check_vtimezone: vtz_dump {year} exited {run.returncode}")
            bad.add(f"(vtz_dump {year})")
        zones = {str(z["TZID"]): z
                 for z in Calendar.from_ical(run.stdout).walk("VTIMEZONE")}
        for name in names:
            if name not in zones:
                problem = f"{name}: no VTIMEZONE written"
            else:
                problem, times = check_zone(name, zones[name], year)
                if year == 1970:
                    onsets_of[name] = times
            if problem:
                print(f"check_vtimezone: from {year}: {problem}")
                bad.add(name)
    bad_tz = check_tz_c(sys.argv[1], names, onsets_of)
    print(f"check_vtimezone: {len(names)} zones, {len(bad)} VTIMEZONEs and "
          f"{len(bad_tz)} of tz.c's zones disagree")
    bad |= bad_tz
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
