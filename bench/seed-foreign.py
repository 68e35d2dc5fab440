#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# seed-foreign.py - write N objects that are not tiara's (timed, all-day,
# weekly series, tasks) straight into a stopped server's calendar store:
# 20,000 PUTs would take Radicale or Xandikos most of an hour, and the
# bench measures tiara's sync, not the seeding.
# usage: seed-foreign.py radicale|xandikos COLLECTION_DIR N
#        seed-foreign.py put CALENDAR_URL N   (any server, one PUT each)
import http.client
import os
import sys
import urllib.parse

SHAPES = [
    "DTSTART:2026{m:02d}{d:02d}T{h:02d}0000Z\r\nDURATION:PT45M\r\n",
    "DTSTART;VALUE=DATE:2026{m:02d}{d:02d}\r\n",
    "DTSTART:2026{m:02d}{d:02d}T{h:02d}3000Z\r\nDURATION:PT15M\r\n"
    "RRULE:FREQ=WEEKLY\r\n",
]


def body(i):
    if i % 10 == 9:
        comp = ("BEGIN:VTODO\r\nUID:todo-%d@phone\r\nDTSTAMP:20260101T000000Z"
                "\r\nSUMMARY:Errand %d\r\nEND:VTODO\r\n" % (i, i))
    else:
        when = SHAPES[i % 3].format(m=1 + i % 12, d=1 + i % 28, h=7 + i % 11)
        comp = ("BEGIN:VEVENT\r\nUID:ev-%d@phone\r\nDTSTAMP:20260101T000000Z"
                "\r\n%sSUMMARY:Own event %d\r\nEND:VEVENT\r\n" % (i, when, i))
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\n" + comp +
            "END:VCALENDAR\r\n").encode()


def seed_files(coll, n):
    for i in range(n):
        with open(os.path.join(coll, "f%d.ics" % i), "wb") as f:
            f.write(body(i))


def seed_git(coll, n):
    # Xandikos keeps a calendar as a git work tree: the index and one
    # commit are what it serves from
    from dulwich.index import IndexEntry, index_entry_from_stat
    from dulwich.objects import Blob
    from dulwich.repo import Repo

    repo = Repo(coll)
    index = repo.open_index()
    blobs = []
    for i in range(n):
        name = "f%d.ics" % i
        data = body(i)
        path = os.path.join(coll, name)
        with open(path, "wb") as f:
            f.write(data)
        blob = Blob.from_string(data)
        blobs.append((blob, None))
        index[name.encode()] = IndexEntry(
            *index_entry_from_stat(os.lstat(path), blob.id, 0))
    repo.object_store.add_objects(blobs)
    index.write()
    tree = index.commit(repo.object_store)
    repo.do_commit(message=b"seed %d foreign objects" % n, tree=tree)


def seed_put(url, n):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80)
    for i in range(n):
        conn.request("PUT", u.path + "f%d.ics" % i, body(i),
                     {"Content-Type": "text/calendar"})
        r = conn.getresponse()
        r.read()
        if r.status not in (201, 204):
            sys.exit("seed-foreign: PUT %d: HTTP %d" % (i, r.status))


def main():
    kind, coll, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kind == "put":
        seed_put(coll, n)
        return
    if not os.path.isdir(coll):
        sys.exit("seed-foreign: no collection at '%s'" % coll)
    if kind == "radicale":
        seed_files(coll, n)
    elif kind == "xandikos":
        seed_git(coll, n)
    else:
        sys.exit("seed-foreign: cannot seed '%s' directly" % kind)


if __name__ == "__main__":
    main()
