#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Seeded random sequences of local commands and phone edits against a
real server, checked against a model after every sync.

The model: a foreign object keeps the bytes and ETag the server gave it
when the phone last wrote it;
a line the phone added to one of tiara's own entries is still there while
the entry is; no UID is on the server twice; and one sync brings the two
sides into agreement, so the next one writes nothing.

usage: model.py TIARA CALENDAR_URL SEQUENCES STEPS [FIRST_SEED]
(TIARA_DB, TIARA_NOW and TZ come from the environment; each sequence
uses a database of its own under TIARA_DB's directory.)
"""
import os
import random
import re
import subprocess
import sys

import requests

TIARA, CAL = sys.argv[1], sys.argv[2]
SEQS, STEPS = int(sys.argv[3]), int(sys.argv[4])
FIRST = int(sys.argv[5]) if len(sys.argv) > 5 else 1
PROPFIND = ('<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>'
            '<D:getetag/></D:prop></D:propfind>')
FOREIGN = [
    "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T080000Z\r\n"
    "DTSTART:202612{day:02d}T{hour:02d}0000Z\r\nDURATION:PT45M\r\n"
    "SUMMARY:Own plan {k}\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T080000Z\r\n"
    "DTSTART;VALUE=DATE:202612{day:02d}\r\nSUMMARY:Day off {k}\r\n"
    "X-MOZ-GENERATION:1\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T080000Z\r\n"
    "DTSTART:202611{day:02d}T{hour:02d}3000Z\r\nDURATION:PT15M\r\n"
    "RRULE:FREQ=WEEKLY\r\nSUMMARY:Series {k}\r\nEND:VEVENT\r\n",
    "BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20261101T080000Z\r\n"
    "SUMMARY:Errand {k}\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\n",
    "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T080000Z\r\n"
    "DTSTART:202612{day:02d}T{hour:02d}0000Z\r\nDURATION:PT1H\r\n"
    "ORGANIZER;CN=Friend:mailto:friend{k}@example.org\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com\r\n"
    "SUMMARY:Invited {k}\r\nEND:VEVENT\r\n",
]


class Failure(Exception):
    pass


class Run:
    def __init__(self, seed, db):
        self.rnd = random.Random(seed)
        self.seed = seed
        self.env = dict(os.environ, TIARA_DB=db)
        self.cal = CAL
        self.foreign = {}   # href -> (body, etag) as the phone wrote it
        self.marks = {}     # own uid -> lines the phone added
        self.contacts = 0
        self.interviews = 0
        self.k = 0
        self.syncs = 0
        self.touched = 0

    # ---- the two clients ----
    def tiara(self, *args, ok=True):
        p = subprocess.run([TIARA, *args], env=self.env, capture_output=True,
                           text=True)
        if ok and p.returncode != 0:
            raise Failure(f"tiara {' '.join(args)}: {p.stderr.strip()}")
        return p

    def listing(self):
        r = requests.request("PROPFIND", self.cal, data=PROPFIND,
                             headers={"Depth": "1"})
        hrefs = re.findall(r"<[^>]*href>([^<]*\.ics)</[^>]*href>", r.text)
        return sorted(set(hrefs))

    def url(self, href):
        base = re.match(r"https?://[^/]+", self.cal).group(0)
        return base + href

    def get(self, href):
        r = requests.get(self.url(href))
        return r.status_code, r.content, r.headers.get("ETag")

    def put(self, href, body, etag=None):
        headers = {"Content-Type": "text/calendar"}
        if etag:
            headers["If-Match"] = etag
        else:
            headers["If-None-Match"] = "*"
        r = requests.put(self.url(href), data=body, headers=headers)
        return r.status_code in (200, 201, 204)

    # ---- steps ----
    def local_step(self):
        r = self.rnd
        op = r.choice(["schedule", "schedule", "reschedule", "cancel",
                       "undo", "thanked", "edit", "checkin"])
        if op == "schedule" or self.interviews == 0:
            self.contacts += 1
            self.tiara("contact", "add", f"Host {self.contacts}")
            when = f"2026-12-{r.randint(2, 27):02d} {r.randint(8, 17):02d}:00"
            self.tiara("schedule", f"Host {self.contacts}", "--at", when,
                       "--force")
            self.interviews += 1
            return
        iv = str(r.randint(1, self.interviews))
        if op == "reschedule":
            when = f"2026-12-{r.randint(2, 27):02d} {r.randint(8, 17):02d}:30"
            self.tiara("reschedule", iv, "--at", when, "--force", ok=False)
        elif op == "cancel":
            self.tiara("cancel", iv, ok=False)
        elif op == "undo":
            self.tiara("cancel", iv, "--undo", ok=False)
        elif op == "thanked":
            self.tiara("thanked", iv, ok=False)
        elif op == "edit":
            self.tiara("contact", "edit", f"#{r.randint(1, self.contacts)}",
                       "--company", f"Co {r.randint(1, 99)}")
        else:
            self.tiara("checkin", f"#{r.randint(1, self.contacts)}",
                       r.choice(["--stop", "--resume"]))

    def phone_step(self):
        r = self.rnd
        op = r.choice(["new", "new", "edit", "delete", "mark", "mark"])
        if op == "new" or not self.foreign and op in ("edit", "delete"):
            self.k += 1
            uid = f"phone-{self.seed}-{self.k}@example.org"
            body = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\n"
                    + r.choice(FOREIGN).format(uid=uid, k=self.k,
                                               day=r.randint(2, 27),
                                               hour=r.randint(8, 17))
                    + "END:VCALENDAR\r\n").encode()
            href = f"{self.cal.split('//', 1)[1].split('/', 1)[1]}"
            href = "/" + href + f"p{self.seed}-{self.k}.ics"
            if self.put(href, body):
                self.foreign[href] = self.get(href)[1:]  # as the server keeps it
        elif op == "edit":
            href = r.choice(sorted(self.foreign))
            body, etag = self.foreign[href]
            body = body.replace(b"SUMMARY:", b"SUMMARY:Moved ", 1)
            if self.put(href, body, etag):
                self.foreign[href] = self.get(href)[1:]
        elif op == "delete":
            href = r.choice(sorted(self.foreign))
            requests.delete(self.url(href))
            del self.foreign[href]
        else:
            own = [h for h in self.listing() if h not in self.foreign]
            if not own:
                return
            href = r.choice(own)
            status, body, etag = self.get(href)
            m = re.search(rb"UID:([^\r\n]+)", body)
            if status != 200 or not m:
                return
            self.k += 1
            mark = f"X-PHONE-MARK:{self.k}".encode()
            body = re.sub(rb"\r?\nEND:(VEVENT|VTODO)",
                          b"\r\n" + mark + rb"\r\nEND:\1", body, count=1)
            if self.put(href, body, etag):
                self.marks.setdefault(m.group(1).decode(), []).append(mark)

    def sync(self):
        # --force-delete: cancelling the only interview deletes every entry
        # tiara has there, which the safety net (s_delete_safety) refuses
        self.syncs += 1
        p = self.tiara("sync", "--force-delete")
        return p.stdout

    # ---- the model ----
    def check(self):
        for href, (body, etag) in sorted(self.foreign.items()):
            status, now, now_etag = self.get(href)
            if status != 200 or now != body or now_etag != etag:
                self.touched += 1
                raise Failure(f"foreign {href} changed (HTTP {status})")
        uids = {}
        for href in self.listing():
            status, body, _ = self.get(href)
            m = re.search(rb"\nUID:([^\r\n]+)", body)
            if not m:
                continue
            uid = m.group(1).decode()
            if uid in uids:
                raise Failure(f"UID {uid} at {uids[uid]} and {href}")
            uids[uid] = href
        for uid in [u for u in self.marks if u not in uids]:
            del self.marks[uid]  # gone from the server: nothing to keep
        for uid, href in uids.items():
            status, body, _ = self.get(href)
            for mark in self.marks.get(uid, []):
                if mark not in body:
                    raise Failure(f"the phone's {mark.decode()} on {uid} "
                                  "was lost")
        out = self.sync()
        if "sent 0 (0 new, 0 changed, 0 deleted), received 0" not in out:
            raise Failure(f"a second sync was not quiet: {out.strip()}")

    def run(self):
        self.tiara("calendar", "add", "work", "--url", self.cal, "--no-check")
        for step in range(STEPS):
            what = self.rnd.random()
            if what < 0.45:
                self.local_step()
            elif what < 0.8:
                self.phone_step()
            else:
                self.sync()
                self.check()
        self.sync()
        self.check()


def main():
    db_dir = os.path.dirname(os.environ["TIARA_DB"])
    failed = touched = syncs = 0
    for seed in range(FIRST, FIRST + SEQS):
        cal = CAL.rstrip("/") + f"-m{seed}/"
        requests.request("MKCOL", cal, data=(
            '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
            '<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>'
            '</D:prop></D:set></D:mkcol>'))
        run = Run(seed, os.path.join(db_dir, f"model-{seed}.db"))
        run.cal = cal
        try:
            run.run()
        except Failure as e:
            failed += 1
            print(f"model: seed {seed}: {e}", file=sys.stderr)
        touched += run.touched
        syncs += run.syncs
    print(f"model: {SEQS} sequences of {STEPS} steps, {syncs} syncs, "
          f"foreign objects touched: {touched}, failed: {failed}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
