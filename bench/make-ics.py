#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# make-ics.py - a deterministic .ics file of invitations for the import
# benchmark: 100,000 VEVENTs over 2008-2026 from ~25,000 hosts, each with
# an ORGANIZER and ATTENDEEs (so tiara takes it as an interview), times in
# a few zones (a VTIMEZONE for each, one of them after the events that use
# it, as Google writes them; an Outlook zone name; some UTC), descriptions
# of a realistic length, and a few weekly series whose changed occurrences
# (RECURRENCE-ID) come far from the series in the file.
#
# usage: bench/make-ics.py OUT.ics [--events N]
#
# The same seed always gives the same bytes. Standard library only.
import argparse
import datetime as dt
import random

ZONES = {
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", 3, 10),
    "America/New_York": ("-0500", "-0400", "EST", "EDT", 3, 11),
    "W. Europe Standard Time": ("+0100", "+0200", "W. Europe Standard Time",
                                "W. Europe Daylight Time", 3, 10),
}
LATE_ZONE = "Asia/Tokyo"  # its VTIMEZONE comes after the events
FIRST = ["Ana", "Bo", "Chiara", "Dmitri", "Emeka", "Fatima", "Goran", "Hana",
         "Ines", "Jonas", "Keiko", "Liam", "Maya", "Nils", "Olga", "Priya",
         "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Ximena",
         "Yusuf", "Zoe"]
LAST = ["Lima", "Chen", "Rossi", "Ivanov", "Okafor", "Haddad", "Petrovic",
        "Sato", "Garcia", "Berg", "Tanaka", "Walsh", "Cohen", "Larsen",
        "Novak", "Iyer", "Martin", "Silva", "Lund", "Aziz", "Das", "Moreau",
        "Zhang", "Lopez", "Demir", "Kelly"]
TOPICS = ["analytics careers", "moving into product", "life at a startup",
          "research engineering", "design leadership", "data platforms",
          "consulting vs. industry", "developer relations", "security work"]
PLACES = ["Café Einstein\\, Unter den Linden 42\\, Berlin",
          "Blue Bottle\\, Market St\\, San Francisco",
          "Their office\\, 3rd floor", "https://meet.example.com/abc-defg-hij",
          "Library café"]
WORDS = ("thanks for making time to talk about the team and how you got "
         "there I would love to hear what a typical week looks like which "
         "skills mattered most early on and who else I should speak to the "
         "agenda is short small talk questions and next steps looking "
         "forward to it").split()


def fold(line):
    """RFC 5545 3.1: lines of at most 75 octets, continued with a space."""
    raw = line.encode()
    out, first = [], True
    while raw:
        n = 75 if first else 74
        cut = min(n, len(raw))
        while cut < len(raw) and (raw[cut] & 0xC0) == 0x80:
            cut -= 1  # never inside a UTF-8 sequence
        out.append((b"" if first else b" ") + raw[:cut])
        raw, first = raw[cut:], False
    return b"\r\n".join(out) + b"\r\n"


def vtimezone(tzid, std, dst, sname, dname, dmon, smon):
    return (f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n"
            f"BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
            f"TZOFFSETFROM:{dst}\r\nTZOFFSETTO:{std}\r\n"
            f"RRULE:FREQ=YEARLY;BYMONTH={smon};BYDAY=-1SU\r\n"
            f"TZNAME:{sname}\r\nEND:STANDARD\r\n"
            f"BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\n"
            f"TZOFFSETFROM:{std}\r\nTZOFFSETTO:{dst}\r\n"
            f"RRULE:FREQ=YEARLY;BYMONTH={dmon};BYDAY=-1SU\r\n"
            f"TZNAME:{dname}\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n").encode()


def tokyo():
    return (f"BEGIN:VTIMEZONE\r\nTZID:{LATE_ZONE}\r\n"
            "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
            "TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\n"
            "END:STANDARD\r\nEND:VTIMEZONE\r\n").encode()


def stamp(t):
    return t.strftime("%Y%m%dT%H%M%S")


def event(rnd, i, host, start, zone, rid=None, rrule=None, uid=None):
    first, last, email = host
    minutes = rnd.choice([30, 30, 30, 45, 60])
    end = start + dt.timedelta(minutes=minutes)
    words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(4, 10)))
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid or 'bench-%06d-%08x@example.org' % (i, rnd.getrandbits(32))}",
        f"DTSTAMP:{stamp(start - dt.timedelta(days=9))}Z",
    ]
    if zone is None:
        lines += [f"DTSTART:{stamp(start)}Z", f"DTEND:{stamp(end)}Z"]
    else:
        lines += [f"DTSTART;TZID={zone}:{stamp(start)}",
                  f"DTEND;TZID={zone}:{stamp(end)}"]
    if rid is not None:
        lines.append(f"RECURRENCE-ID;TZID={zone}:{stamp(rid)}")
    if rrule:
        lines.append(rrule)
    lines += [
        f"ORGANIZER;CN={first} {last}:mailto:{email}",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Sam Student:"
        "mailto:sam.student@example.org",
        f"SUMMARY:Coffee chat: {rnd.choice(TOPICS)}",
        f"LOCATION:{rnd.choice(PLACES)}",
        f"DESCRIPTION:Hi {first}\\, {words}.\\n\\nSam",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "END:VEVENT",
    ]
    return b"".join(fold(x) for x in lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--events", type=int, default=100000)
    a = ap.parse_args()
    rnd = random.Random(14)
    hosts = []
    for h in range(max(1, a.events // 4)):
        f, l = rnd.choice(FIRST), rnd.choice(LAST)
        hosts.append((f, l, f"{f}.{l}.{h}@example.com".lower()))
    zones = list(ZONES) + [LATE_ZONE, None]  # None: UTC
    base = dt.datetime(2008, 1, 7, 8, 0)
    days = 19 * 365  # 2008-2026, in working hours (none in a DST gap)
    series = []  # (uid, zone, first start): overridden at the end
    with open(a.out, "wb") as out:
        out.write(b"BEGIN:VCALENDAR\r\nPRODID:-//tiara bench//make-ics//EN\r\n"
                  b"VERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
                  b"X-WR-CALNAME:Interviews\r\n")
        for z, rules in ZONES.items():
            out.write(vtimezone(z, *rules))
        for i in range(a.events - a.events // 1000):
            start = base + dt.timedelta(days=rnd.randrange(days),
                                        minutes=15 * rnd.randrange(48))
            zone = rnd.choice(zones)
            if i % 2000 == 0 and zone is not None:
                uid = f"bench-series-{i:06d}@example.org"
                series.append((uid, zone, start, rnd.choice(hosts)))
                out.write(event(rnd, i, series[-1][3], start, zone,
                                rrule="RRULE:FREQ=WEEKLY;COUNT=10", uid=uid))
            else:
                out.write(event(rnd, i, rnd.choice(hosts), start, zone))
        # Changed occurrences, far from their series: the first one moves
        # the interview, the others change occurrences tiara does not keep.
        n, k = a.events - a.events // 1000, 0
        while n < a.events and series:
            for uid, zone, start, host in series:
                if n >= a.events:
                    break
                rid = start + dt.timedelta(weeks=k % 10)
                out.write(event(rnd, n, host, rid + dt.timedelta(hours=1),
                                zone, rid=rid, uid=uid))
                n += 1
            k += 1
        out.write(tokyo())
        out.write(b"END:VCALENDAR\r\n")


if __name__ == "__main__":
    main()
