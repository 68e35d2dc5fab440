#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# make-db.py - a deterministic tiara database for the benchmarks: ~3,000
# contacts and 10,000 interviews over 2024-2028 in several zones by
# default; bench/scale.sh asks for 30,000 and 100,000 over 2008-2028.
#
# usage: bench/make-db.py TIARA_BINARY OUT.db [--contacts N] [--interviews N]
#            [--first-year Y] [--last-year Y]
#
# tiara itself creates the file (so the schema and migrations are the
# program's own); the rows are then bulk-inserted with one SQL script fed
# to the sqlite3 command line, in one transaction. The same seed always
# gives the same database, UIDs included.
import argparse
import datetime as dt
import os
import random
import subprocess
import sys
from zoneinfo import ZoneInfo

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)  # TIARA_NOW
ZONES = ["Europe/London", "America/New_York", "Europe/Berlin", "Asia/Tokyo",
         "Australia/Sydney"]
FIRST = ["Ana", "Bo", "Chiara", "Dmitri", "Emeka", "Fatima", "Goran", "Hana",
         "Ines", "Jonas", "Keiko", "Liam", "Maya", "Nils", "Olga", "Priya",
         "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Ximena",
         "Yusuf", "Zoe"]
LAST = ["Lima", "Chen", "Rossi", "Ivanov", "Okafor", "Haddad", "Petrovic",
        "Sato", "Garcia", "Berg", "Tanaka", "Walsh", "Cohen", "Larsen",
        "Novak", "Iyer", "Martin", "Silva", "Lund", "Aziz", "Das", "Moreau",
        "Zhang", "Lopez", "Demir", "Kelly"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella Labs", "Stark Industries",
             "Wayne Enterprises", "Hooli", "Vandelay Import, Export",
             "Soylent", "Cyberdyne", "Tyrell", "Wonka; Sweets", "Aperture",
             "Black Mesa", "Massive Dynamic", "Pied Piper"]
ROLES = ["Engineering Manager", "Staff Engineer", "Product Lead",
         "Data Scientist", "Designer", "CTO", "Recruiter", "Researcher"]
PLACES = ["Cafe Nero, Kings Cross", "Their office, 3rd floor",
          "Blue Bottle, Market St", "Library cafe"]
AGENDAS = ["intro:5,questions:20,next:5", "intro:5,questions:30,next:10"]


def q(v):
    """An SQL literal."""
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def ts(d):
    return int(d.timestamp())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tiara")
    ap.add_argument("out")
    ap.add_argument("--contacts", type=int, default=3000)
    ap.add_argument("--interviews", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--first-year", type=int, default=2024)
    ap.add_argument("--last-year", type=int, default=2028)
    a = ap.parse_args()
    if not 1971 <= a.first_year <= a.last_year <= 9998:
        ap.error("--first-year and --last-year want 1971 <= first <= last")
    rng = random.Random(a.seed)
    now = ts(NOW)

    if os.path.exists(a.out):
        os.unlink(a.out)
    env = dict(os.environ, TIARA_NOW="2026-12-01T09:00:00Z",
               TIARA_TZ="Europe/London")
    # An empty listing creates and migrates the database.
    subprocess.run([a.tiara, "--db", a.out, "contact", "list"], env=env,
                   check=True, stdout=subprocess.DEVNULL)

    sql = ["PRAGMA foreign_keys = ON;", "BEGIN;"]
    contacts = []
    for cid in range(1, a.contacts + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last} {cid}"  # unique, so names resolve
        email = f"{first}.{last}.{cid}@example.com".lower()
        company = rng.choice(COMPANIES) if rng.random() < 0.85 else None
        role = rng.choice(ROLES) if rng.random() < 0.6 else None
        phone = f"+44 20 7946 {cid:04d}" if rng.random() < 0.3 else None
        linkedin = (f"https://www.linkedin.com/in/{first}{last}{cid}".lower()
                    if rng.random() < 0.4 else None)
        notes = "Met at a meetup." if rng.random() < 0.2 else None
        tz = rng.choice(ZONES)
        referred = (rng.randrange(1, cid) if cid > 1 and rng.random() < 0.2
                    else None)
        r = rng.random()
        cadence = ("quarterly" if r < 0.7 else
                   "semiannual" if r < 0.9 else "none")
        # Added from a quarter before the first interviews; the defaults
        # give 2023-10-01 plus up to three years, as before.
        created = ts(dt.datetime(a.first_year - 1, 10, 1,
                                 tzinfo=dt.timezone.utc)) + \
            rng.randrange(0, max(1, a.last_year - a.first_year - 1) * 365
                          * 86400)
        created = min(created, now - 86400)
        stopped = 0
        if cadence != "none" and rng.random() < 0.05:
            stopped = created + rng.randrange(90, 700) * 86400
        modified = created + rng.randrange(0, 30) * 86400
        modified = min(modified, now)
        contacts.append((cid, created))
        sql.append(
            "INSERT INTO contacts (id, uid, name, email, company, role, phone,"
            " linkedin, notes, tz, referred_by, cadence, checkin_stopped, seq,"
            " created, modified) VALUES (" + ", ".join(q(v) for v in (
                cid, f"tiara-contact-{rng.getrandbits(128):032x}", name,
                email, company, role, phone, linkedin, notes, tz, referred,
                cadence, stopped, 0, created, modified)) + ");")

    lo = dt.date(a.first_year, 1, 1).toordinal()
    hi = dt.date(a.last_year, 12, 31).toordinal()
    for iid in range(1, a.interviews + 1):
        # Every contact met at least once, then a random mix.
        cid = iid if iid <= a.contacts else rng.randrange(1, a.contacts + 1)
        zone = "Europe/London" if rng.random() < 0.4 else rng.choice(ZONES)
        day = dt.date.fromordinal(rng.randrange(lo, hi + 1))
        local = dt.datetime(day.year, day.month, day.day, rng.randrange(8, 18),
                            rng.choice([0, 30]), tzinfo=ZoneInfo(zone))
        start = ts(local)
        minutes = rng.choice([30, 30, 45, 60])
        r = rng.random()
        mode = "in-person" if r < 0.35 else "video" if r < 0.85 else "phone"
        location = video = None
        if mode == "in-person":
            location = rng.choice(PLACES)
        elif mode == "video":
            video = f"https://meet.example.com/{rng.getrandbits(40):010x}"
        elif rng.random() < 0.7:
            location = f"+1 555 01{iid % 100:02d}"
        agenda = rng.choice(AGENDAS) if rng.random() < 0.3 else None
        status = "cancelled" if rng.random() < 0.03 else "scheduled"
        # Booked a few days to two months ahead, never after 'now'.
        created = min(start - rng.randrange(2, 60) * 86400
                      - rng.randrange(0, 86400), now - rng.randrange(0, 86400))
        prep_done = thanked = actual_start = actual_end = 0
        modified = created
        past = start + minutes * 60 < now
        if past and status == "scheduled":
            if rng.random() < 0.85:
                prep_done = start - rng.randrange(3600, 86400)
            if rng.random() < 0.92:
                thanked = start + rng.randrange(3600, 2 * 86400)
            if rng.random() < 0.5:
                actual_start = start + rng.randrange(0, 300)
                actual_end = actual_start + minutes * 60 + \
                    rng.randrange(-300, 600)
            modified = max(modified, prep_done, thanked, actual_end)
        elif status == "scheduled" and start - now < 3 * 86400 and \
                rng.random() < 0.5:
            prep_done = now - rng.randrange(0, 86400)
            modified = max(modified, prep_done)
        elif status == "cancelled":
            modified = min(created + rng.randrange(1, 20) * 86400, now)
        notes = "Suggested I talk to their data team." \
            if past and rng.random() < 0.3 else None
        sql.append(
            "INSERT INTO interviews (id, uid, contact_id, start, minutes, tz,"
            " mode, location, video_url, agenda, status, prep_done, thanked,"
            " actual_start, actual_end, notes, seq, created, modified) VALUES"
            " (" + ", ".join(q(v) for v in (
                iid, f"tiara-{rng.getrandbits(128):032x}", cid, start,
                minutes, zone, mode, location, video, agenda, status,
                prep_done, thanked, actual_start, actual_end, notes, 0,
                created, modified)) + ");")
    sql.append("COMMIT;")
    script = "\n".join(sql) + "\n"
    subprocess.run(["sqlite3", "-bail", a.out], input=script.encode(),
                   check=True)
    print(f"{a.out}: {a.contacts} contacts, {a.interviews} interviews, "
          f"{a.first_year}-{a.last_year}", file=sys.stderr)


if __name__ == "__main__":
    main()
