#!/usr/bin/python3
"""Read a tiara .ics with Python's icalendar (Debian python3-icalendar) and
print every component's instants in UTC, check-ins expanded with dateutil,
so the test can compare them with ical.js's reading of the same file."""
import sys
from datetime import datetime, timezone, timedelta

from zoneinfo import ZoneInfo

from dateutil import rrule
from icalendar import Calendar

EXPAND = 6  # occurrences of a recurring component to compare


def fail(msg):
    print(f"check_icalendar: {msg}", file=sys.stderr)
    sys.exit(1)


def utc(value):
    dt = value.dt
    if not isinstance(dt, datetime):
        fail(f"date-only value {dt!r} where tiara writes date-times")
    if dt.tzinfo is None:
        fail(f"floating time {dt!r}")
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    cal = Calendar.from_ical(data)
    if cal.name != "VCALENDAR":
        fail("not a VCALENDAR")
    for key in ("VERSION", "PRODID"):
        if key not in cal:
            fail(f"VCALENDAR without {key}")
    zones = {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
    uids = set()
    rows = []
    parents = []
    for comp in cal.walk():
        if comp.name not in ("VEVENT", "VTODO"):
            continue
        uid = str(comp.get("UID", ""))
        if not uid:
            fail(f"{comp.name} without UID")
        if uid in uids:
            fail(f"duplicate UID {uid}")
        uids.add(uid)
        for key in ("DTSTAMP", "SEQUENCE"):
            if key not in comp:
                fail(f"{uid}: no {key}")
        prop = comp.get("DTSTART") or comp.get("DUE")
        if prop is None:
            fail(f"{uid}: neither DTSTART nor DUE")
        tzid = prop.params.get("TZID")
        if tzid and tzid not in zones:
            fail(f"{uid}: TZID {tzid} has no VTIMEZONE")
        if "RELATED-TO" in comp:
            parents.append((uid, str(comp["RELATED-TO"])))
        if "RRULE" in comp:
            # RFC 5545 recurrences step in wall-clock time: expand naive
            # local times, then place each in the zone (pytz arithmetic
            # would keep the first instance's UTC offset across DST).
            start = comp["DTSTART"].dt
            zone = ZoneInfo(tzid) if tzid else timezone.utc
            wall = start.astimezone(zone).replace(tzinfo=None)
            text = comp["RRULE"].to_ical().decode()
            rule = rrule.rrulestr(text.replace("Z", "") if "UNTIL" in text
                                  else text, dtstart=wall)
            for n, occ in enumerate(rule):
                if n >= EXPAND:
                    break
                occ = occ.replace(tzinfo=zone).astimezone(timezone.utc)
                rows.append(f"{uid} {occ:%Y-%m-%dT%H:%M:%SZ}")
        else:
            rows.append(f"{uid} {utc(prop)}")
    for child, parent in parents:
        if parent not in uids:
            fail(f"{child}: RELATED-TO {parent} is not in the file")
    print("\n".join(sorted(rows)))


if __name__ == "__main__":
    main(sys.argv[1])
