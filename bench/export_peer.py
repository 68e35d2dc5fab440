#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# export_peer.py - the benchmark's peer for 'tiara export': the same
# calendar built in Python with python3-icalendar (Debian 12: 4.0.3, pytz).
#
# usage: /usr/bin/python3 bench/export_peer.py DB OUT.ics
#
# It reads the tiara database with the sqlite3 module and writes, like
# src/ics/ics_write.c: the VTIMEZONEs in use, then for each interview (by start) its
# VEVENT with VALARM and, when scheduled, the preparation and thank-you
# VTODOs (DUE, RELATED-TO, VALARM), then one check-in VEVENT with RRULE
# per contact, then the "landed a job" VTODOs. Same UIDs, same times, same
# properties; only the VTIMEZONE bodies differ (built from pytz's
# transitions since 1970 instead of libical's RRULEs) and icalendar
# escapes commas in X- values where libical does not.
#
# It is written the way one would naturally use icalendar: build the
# whole Calendar, then to_ical() it into the file.
import datetime as dt
import os
import sqlite3
import sys

import pytz
from icalendar import (Alarm, Calendar, Event, Timezone, TimezoneDaylight,
                       TimezoneStandard, Todo, vCalAddress, vRecur, vText)

PRODID = "-//tiara//tiara 0.1.0//EN"
CHECKIN_MINUTES = 15
ALARM_MINUTES = 15
UTC = pytz.utc

INTERVIEW_DESC = ("Small talk, then your questions (TIARA: Trends, Insights, "
                  "Advice, Resources, Assignments), then next steps.\n"
                  "Before the end ask: Can you suggest other people I could "
                  "speak to? May I mention your name?")
PREP_DESC = ("Research the host and the company. Prepare a few "
             "stories and questions:\n"
             "- Trends: where is the field going?\n"
             "- Insights: what do you wish you had known?\n"
             "- Advice: what would you do in my place?\n"
             "- Resources: what should I read or join?\n"
             "- Assignments: what could I try next?\n"
             "Bring copies of your resume; offer one only if asked.")
THANKS_DESC = ("Thank the host by email or by hand, mention something "
               "useful you learned, and follow through on anything "
               "promised.")

CONTACT_COLS = ("id, uid, name, email, company, role, phone, linkedin, notes,"
                " tz, referred_by, cadence, checkin_stopped, seq, created,"
                " modified")
CONTACT_KEYS = [k.strip() for k in CONTACT_COLS.split(",")]
INTERVIEW_COLS = ("id, uid, contact_id, start, minutes, tz, mode, location,"
                  " video_url, agenda, status, prep_done, thanked,"
                  " actual_start, actual_end, notes, seq, created, modified")
INTERVIEW_KEYS = [k.strip() for k in INTERVIEW_COLS.split(",")]


def prefixed(cols, p):
    return ", ".join(p + "." + k.strip() for k in cols.split(","))


_zones = {}


def zone(name):
    z = _zones.get(name)
    if z is None:
        z = _zones[name] = UTC if name in ("UTC", "Etc/UTC") else \
            pytz.timezone(name)
    return z


def from_utc(name, t):
    """Wall time (naive) in zone 'name' at UTC instant t."""
    return dt.datetime.fromtimestamp(t, zone(name)).replace(tzinfo=None)


def to_utc(name, wall):
    """RFC 5545 3.3.5: a repeated wall time is the first one; one in a gap
    takes the offset from before the gap (tz_to_utc's TZ_RFC5545)."""
    z = zone(name)
    if z is UTC:
        return int(UTC.localize(wall).timestamp())
    try:
        aware = z.localize(wall, is_dst=None)
    except pytz.AmbiguousTimeError:
        aware = z.localize(wall, is_dst=True)
    except pytz.NonExistentTimeError:
        aware = z.localize(wall, is_dst=False)
    return int(aware.timestamp())


def utc_dt(t):
    return dt.datetime.fromtimestamp(t, UTC)


def zoned(name, t):
    """A DATE-TIME with TZID (pytz tzinfo gives icalendar the TZID)."""
    return dt.datetime.fromtimestamp(t, zone(name))


def days_in_month(y, m):
    if m == 12:
        return 31
    return (dt.date(y, m + 1, 1) - dt.date(y, m, 1)).days


def add_months(wall, months):
    i = wall.year * 12 + wall.month - 1 + months
    y, m = i // 12, i % 12 + 1
    d = min(wall.day, days_in_month(y, m))
    return wall.replace(year=y, month=m, day=d)


def component(cls, uid, kind, seq, created, modified):
    c = cls()
    c.add("uid", uid)
    c.add("dtstamp", utc_dt(modified))
    c.add("created", utc_dt(created))
    c.add("last-modified", utc_dt(modified))
    c.add("sequence", seq)
    c.add("x-tiara-kind", kind)
    return c


def add_x(c, name, value):
    if value not in (None, ""):
        c.add(name, value)


def add_x_int(c, name, value):
    if value:
        c.add(name, str(value))


def add_alarm(parent, minutes_before, related_end, text):
    a = Alarm()
    a.add("action", "DISPLAY")
    params = {"RELATED": "END"} if related_end else None
    a.add("trigger", dt.timedelta(minutes=-minutes_before), parameters=params)
    a.add("description", text)
    parent.add_component(a)


def add_related(c, parent_uid):
    c.add("related-to", parent_uid, parameters={"RELTYPE": "PARENT"})


def host_label(h):
    return h["name"] + (f" ({h['company']})" if h["company"] else "")


def add_host_x(c, h, ref):
    add_x(c, "x-tiara-host-uid", h["uid"])
    add_x(c, "x-tiara-host-name", h["name"])
    add_x(c, "x-tiara-host-email", h["email"])
    add_x(c, "x-tiara-host-company", h["company"])
    add_x(c, "x-tiara-host-role", h["role"])
    add_x(c, "x-tiara-host-phone", h["phone"])
    add_x(c, "x-tiara-host-linkedin", h["linkedin"])
    add_x(c, "x-tiara-host-tz", h["tz"])
    add_x(c, "x-tiara-host-cadence", h["cadence"])
    add_x_int(c, "x-tiara-host-checkin-stopped", h["checkin_stopped"])
    add_x_int(c, "x-tiara-host-seq", h["seq"])
    add_x_int(c, "x-tiara-host-created", h["created"])
    add_x_int(c, "x-tiara-host-modified", h["modified"])
    if ref:
        add_x(c, "x-tiara-referrer-uid", ref[1])
        add_x(c, "x-tiara-referrer-name", ref[2])


def build_interview(iv, h, ref):
    c = component(Event, iv["uid"], "interview", iv["seq"], iv["created"],
                  iv["modified"])
    c.add("summary", "Informational interview with " + host_label(h))
    c.add("dtstart", zoned(iv["tz"], iv["start"]))
    c.add("duration", dt.timedelta(minutes=iv["minutes"]))
    if iv["mode"] == "phone":
        c.add("location", "Phone call" + (f": {iv['location']}"
                                          if iv["location"] else ""))
    elif iv["location"]:
        c.add("location", iv["location"])
    elif iv["mode"] == "video" and iv["video_url"]:
        c.add("location", iv["video_url"])
    if iv["video_url"]:
        c.add("url", iv["video_url"])
    c.add("description", INTERVIEW_DESC)
    c.add("status", "CANCELLED" if iv["status"] == "cancelled"
          else "CONFIRMED")
    c.add("transp", "OPAQUE")
    c.add("categories", ["Interview"])
    if h["email"]:
        who = vCalAddress("mailto:" + h["email"])
        who.params["CN"] = vText(h["name"])
        who.params["ROLE"] = vText("REQ-PARTICIPANT")
        who.params["SCHEDULE-AGENT"] = vText("CLIENT")
        c.add("attendee", who)
    add_x(c, "x-tiara-mode", iv["mode"])
    add_x(c, "x-tiara-tz", iv["tz"])
    add_x(c, "x-tiara-agenda", iv["agenda"])
    add_x_int(c, "x-tiara-prep-done", iv["prep_done"])
    add_x_int(c, "x-tiara-thanked", iv["thanked"])
    add_x_int(c, "x-tiara-actual-start", iv["actual_start"])
    add_x_int(c, "x-tiara-actual-end", iv["actual_end"])
    add_host_x(c, h, ref)
    if iv["status"] == "scheduled":
        add_alarm(c, ALARM_MINUTES, False, "Informational interview soon")
    return c


def build_deadline(kind, uid, summary, desc, zone_name, due, done, seq,
                   created, modified):
    c = component(Todo, uid, kind, seq, created, modified)
    c.add("summary", summary)
    c.add("due", zoned(zone_name, due))
    if done:
        c.add("status", "COMPLETED")
        c.add("completed", utc_dt(done))
        c.add("percent-complete", 100)
    else:
        c.add("status", "NEEDS-ACTION")
    if desc:
        c.add("description", desc)
    return c


def prep_due(iv):
    if iv["start"] - iv["created"] < 86400:
        return max(iv["start"] - 2 * 3600, iv["created"])
    # The day before at the same wall time, whatever DST does.
    return to_utc(iv["tz"], from_utc(iv["tz"], iv["start"])
                  - dt.timedelta(days=1))


def thanks_due(iv):
    w = from_utc(iv["tz"], iv["start"]) + dt.timedelta(days=1)
    return to_utc(iv["tz"], w.replace(hour=23, minute=59, second=0))


def build_prep(iv, h):
    c = build_deadline("prep", iv["uid"] + "-prep",
                       "Prepare for the interview with " + host_label(h),
                       PREP_DESC, iv["tz"], prep_due(iv), iv["prep_done"],
                       iv["seq"], iv["created"], iv["modified"])
    add_related(c, iv["uid"])
    add_alarm(c, 60, True, "Prepare for your interview")
    return c


def build_thanks(iv, h):
    c = build_deadline("thanks", iv["uid"] + "-thanks",
                       "Send a thank-you note to " + h["name"], THANKS_DESC,
                       iv["tz"], thanks_due(iv), iv["thanked"], iv["seq"],
                       iv["created"], iv["modified"])
    add_related(c, iv["uid"])
    add_alarm(c, 6 * 60, True, "Send your thank-you note today")
    return c


def build_checkin(h, anchor):
    months = {"quarterly": 3, "semiannual": 6}.get(h["cadence"], 0)
    if not months:
        return None
    tz = anchor["tz"]
    start = from_utc(tz, anchor["start"])
    # Days past the 28th become the 28th (rules_checkin), so the RRULE
    # needs no clamping.
    first = add_months(start.replace(day=min(start.day, 28)), months)
    first_utc = to_utc(tz, first)
    until = h["checkin_stopped"]
    if until and first_utc > until:
        return None
    rule = f"FREQ=MONTHLY;INTERVAL={months}"
    if until:
        rule += ";UNTIL=" + utc_dt(until).strftime("%Y%m%dT%H%M%SZ")
    c = component(Event, h["uid"] + "-checkin", "checkin", h["seq"],
                  h["created"], max(h["modified"], anchor["modified"]))
    c.add("summary", "Check in with " + h["name"])
    c.add("dtstart", zoned(tz, first_utc))
    c.add("duration", dt.timedelta(minutes=CHECKIN_MINUTES))
    c.add("rrule", vRecur.from_ical(rule))
    c.add("description", "A short email to keep in touch: share an article "
          "or news about " + (h["company"] or "their field"))
    c.add("transp", "TRANSPARENT")
    add_related(c, anchor["uid"])
    add_x(c, "x-tiara-host-uid", h["uid"])
    return c


def build_landed(f, h):
    c = build_deadline("landed", f["uid"], f"Tell {h['name']} you landed a job",
                       f["note"] or "Share the good news and thank them "
                       "again for their time.", h["tz"] or "UTC", f["due"],
                       f["done"], f["seq"], f["created"], f["modified"])
    add_x(c, "x-tiara-host-uid", h["uid"])
    add_x(c, "x-tiara-host-name", h["name"])
    return c


def vtimezone(name, year):
    """The zone's offsets from 'year' on (as far as pytz lists them) as
    STANDARD/DAYLIGHT observances, each with the RDATEs of its
    transitions."""
    z = zone(name)
    lo, hi = dt.datetime(year, 1, 1), dt.datetime(9999, 1, 1)
    trans = getattr(z, "_utc_transition_times", [])
    info = getattr(z, "_transition_info", [])
    # The offset in force at 1970, then every transition until 2038.
    prev = None
    for t, i in zip(trans, info):
        if t > lo:
            break
        prev = i
    if prev is None:
        prev = info[0] if info else (z.utcoffset(lo), dt.timedelta(0),
                                     z.tzname(lo))
    groups = {}
    order = []
    key = (bool(prev[1]), prev[0], prev[0], prev[2])
    groups[key] = [lo + prev[0]]
    order.append(key)
    for t, i in zip(trans, info):
        if t <= lo or t >= hi:
            continue
        key = (bool(i[1]), prev[0], i[0], i[2])
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(t + prev[0])  # wall time before the change
        prev = i
    vtz = Timezone()
    vtz.add("tzid", name)
    vtz.add("x-lic-location", name)
    for key in order:
        dst, off_from, off_to, abbr = key
        sub = TimezoneDaylight() if dst else TimezoneStandard()
        sub.add("tzname", abbr)
        sub.add("tzoffsetfrom", off_from)
        sub.add("tzoffsetto", off_to)
        starts = groups[key]
        sub.add("dtstart", starts[0])
        if len(starts) > 1:
            sub.add("rdate", starts[1:])
        vtz.add_component(sub)
    return vtz


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: export_peer.py DB OUT.ics")
    db, out = sys.argv[1], sys.argv[2]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")

    # VTIMEZONEs first, for every zone an interview or a contact uses,
    # from the year of the earliest time in the file (two days' margin).
    zones = []
    earliest = None
    for (tz, start) in con.execute("SELECT tz, start FROM interviews"
                                   " ORDER BY start, id"):
        earliest = start if earliest is None else min(earliest, start)
        if tz and tz != "UTC" and tz not in zones:
            zones.append(tz)
    for (due,) in con.execute("SELECT due FROM followups"):
        earliest = due if earliest is None else min(earliest, due)
    for (tz,) in con.execute("SELECT tz FROM contacts"
                             " ORDER BY name COLLATE NOCASE, id"):
        if tz and tz != "UTC" and tz not in zones:
            zones.append(tz)
    year = max(1970, utc_dt((earliest or 0) - 2 * 86400).year)
    for name in zones:
        cal.add_component(vtimezone(name, year))

    ni, nc = len(INTERVIEW_KEYS), len(CONTACT_KEYS)
    rows = con.execute(
        "SELECT " + prefixed(INTERVIEW_COLS, "i") + ", " +
        prefixed(CONTACT_COLS, "c") + ", r.id, r.uid, r.name"
        " FROM interviews i JOIN contacts c ON c.id = i.contact_id"
        " LEFT JOIN contacts r ON r.id = c.referred_by"
        " ORDER BY i.start, i.uid")
    for row in rows:
        iv = dict(zip(INTERVIEW_KEYS, row[:ni]))
        h = dict(zip(CONTACT_KEYS, row[ni:ni + nc]))
        ref = row[ni + nc:] if row[ni + nc] is not None else None
        cal.add_component(build_interview(iv, h, ref))
        if iv["status"] != "scheduled":
            continue
        cal.add_component(build_prep(iv, h))
        cal.add_component(build_thanks(iv, h))

    rows = con.execute(
        "SELECT " + prefixed(CONTACT_COLS, "c") + ", " +
        prefixed(INTERVIEW_COLS, "i") +
        " FROM contacts c JOIN interviews i ON i.id ="
        " (SELECT id FROM interviews WHERE contact_id = c.id"
        "  AND status = 'scheduled' ORDER BY start DESC, id DESC LIMIT 1)"
        " WHERE c.cadence <> 'none' ORDER BY c.uid")
    for row in rows:
        h = dict(zip(CONTACT_KEYS, row[:nc]))
        anchor = dict(zip(INTERVIEW_KEYS, row[nc:]))
        c = build_checkin(h, anchor)
        if c is not None:
            cal.add_component(c)

    rows = con.execute(
        "SELECT f.uid, f.due, f.done, f.note, f.seq, f.created, f.modified, " +
        prefixed(CONTACT_COLS, "c") + " FROM followups f"
        " JOIN contacts c ON c.id = f.contact_id ORDER BY f.due, f.uid")
    for row in rows:
        f = dict(zip(["uid", "due", "done", "note", "seq", "created",
                      "modified"], row[:7]))
        cal.add_component(build_landed(f, dict(zip(CONTACT_KEYS, row[7:]))))
    con.close()

    # Like tiara: a temporary file beside the target, renamed over it.
    tmp = f"{out}.tmp-{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(cal.to_ical())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
