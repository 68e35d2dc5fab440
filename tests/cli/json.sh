#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# json.sh - every listing and show command's --json: one document that a
# JSON parser reads, whose objects have exactly the fields docs/json.md
# lists, of the types it gives, with the values the store holds; control
# characters in stored text come out escaped and read back exactly.
. "$(dirname "$0")/../lib.sh"
DOC="$(dirname "$0")/../../docs/json.md"
PY=/usr/bin/python3

booked() { TIARA_NOW=2026-10-01T09:00:00Z ok "$@"; }
ok contact add "Ana Pérez" --email ana@example.com --company Acme \
    --role "Head of Data" --tz America/New_York
ok contact add "Bo Stone" --referred-by ana
ok contact add "Cy Lee" --referred-by bo --cadence semiannual
booked schedule ana --at "2026-11-12 10:00" --video https://meet.example/a
booked schedule bo --at "2026-11-30 16:00" --for 45m --where "Café Nero"
booked schedule cy --at "2026-11-20 09:00"
booked schedule ana --at "2026-12-03 10:00 America/New_York" --phone
ok cancel 3
ok thanked 1
sqlite3 "$TIARA_DB" "update interviews set notes = 'Hiring in spring' || char(10) || 'ask about the data team' where id = 2"
ok landed --due "2026-12-01 18:00"
ok calendar add phone --url https://cal.example.com/dav/me/ --user me --no-check
sqlite3 "$TIARA_DB" "update sync_calendars set components = 3 where name = 'phone'"
sqlite3 "$TIARA_DB" "insert into sync_conflicts (calendar_id, uid, side, policy, text, at) values ((select id from sync_calendars where name = 'phone'), 'u-lunch', 'remote', 'newest', 'BEGIN:VEVENT' || char(13, 10) || 'SUMMARY:Lunch' || char(13, 10) || 'END:VEVENT' || char(13, 10), 1796000000)"
# What a terminal would obey: ESC, DEL, CSI in its C1 form, a
# right-to-left override; and what JSON itself escapes.
ok contact add "Eve"
sqlite3 "$TIARA_DB" "update contacts set name = 'Eve ' || char(27) || '[31m red ' || char(127) || char(155) || '2J ' || char(8238) || 'x \"q\" \\ end' where name = 'Eve'"

# j NAME ARGS...: run tiara ARGS, keep stdout byte for byte in NAME.json.
j() {
    local name=$1
    shift
    "$TIARA" "$@" >"$WORK/$name.json" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
}
j contacts contact list --json
j show_ana contact show ana --json
j show_cy contact show cy --json
j show2 show 2 --json
j show3 show 3 --json
j show4 show "#4" --json
j log log --json
j log_all log --cancelled --json
j log_one log -n 1 --json
j agenda agenda --json
j remind remind --json
TIARA_NOW=2026-10-01T09:00:00Z j remind_none remind --json
j calendars calendar list --json
j conflicts conflicts --json
j conflicts_list conflicts list --json
j conflict1 conflicts show 1 --json

WORK="$WORK" DOC="$DOC" "$PY" - <<'EOF' || fail "the JSON checks failed"
import json, os, re, sys

work, doc = os.environ["WORK"], os.environ["DOC"]
bad = []


def check(cond, what):
    if not cond:
        bad.append(what)


# The documented objects: "### name" and its table's `field` | type rows.
schemas, cur = {}, None
for line in open(doc, encoding="utf-8"):
    m = re.match(r"### (.+)", line)
    if m:
        cur = schemas.setdefault(m.group(1).strip(), {})
        continue
    m = re.match(r"\| `(\w+)` \| ([^|]+) \|", line)
    if m and cur is not None:
        cur[m.group(1)] = m.group(2).strip()
# show commands: the base object's fields and their own
schemas["contact show"] = {**schemas["contact"], **schemas["contact show"]}
schemas["conflicts show"] = {**schemas["conflict"], **schemas["conflicts show"]}
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ARRAYS = {"contact refs": "contact ref", "interviews": "interview"}


def typed(v, t, where):
    if t.endswith(" or null"):
        if v is None:
            return
        t = t[: -len(" or null")]
    if t == "number":
        check(type(v) is int, f"{where}: {v!r} is not a number")
    elif t == "string":
        check(type(v) is str, f"{where}: {v!r} is not a string")
    elif t == "boolean":
        check(type(v) is bool, f"{where}: {v!r} is not a boolean")
    elif t == "time":
        check(type(v) is str and TIME.match(v), f"{where}: {v!r} is not a time")
    elif t == "array of strings":
        check(type(v) is list and all(type(x) is str for x in v),
              f"{where}: {v!r} is not an array of strings")
    elif t.startswith("array of ") and t[9:] in ARRAYS:
        check(type(v) is list, f"{where}: {v!r} is not an array")
        for i, x in enumerate(v if type(v) is list else []):
            shape(x, ARRAYS[t[9:]], f"{where}[{i}]")
    else:
        check(False, f"{where}: docs/json.md names an unknown type {t!r}")


used = set()


def shape(obj, schema, where):
    want = schemas[schema]
    used.add(schema)
    if type(obj) is not dict:
        return check(False, f"{where}: not an object: {obj!r}")
    check(set(obj) == set(want),
          f"{where} ({schema}): fields {sorted(set(obj) ^ set(want))} "
          "differ from docs/json.md")
    for k, t in want.items():
        if k in obj:
            typed(obj[k], t, f"{where}.{k}")


def load(name, want_rc=0):
    rc = int(open(f"{work}/{name}.rc").read())
    err = open(f"{work}/{name}.err").read()
    check(rc == want_rc, f"{name}: exit {rc}, want {want_rc}: {err}")
    raw = open(f"{work}/{name}.json", "rb").read()
    try:
        return json.loads(raw.decode("utf-8")), raw
    except ValueError as e:
        check(False, f"{name}: not JSON ({e}): {raw[:200]!r}")
        return None, raw


def items(name, schema, want_rc=0):
    d, _ = load(name, want_rc)
    check(type(d) is dict and list(d) == ["items"],
          f"{name}: not a listing: {d!r}")
    v = d.get("items", []) if type(d) is dict else []
    for i, x in enumerate(v):
        shape(x, schema, f"{name}[{i}]")
    return v


def one(name, schema):
    d, _ = load(name)
    shape(d, schema, name)
    return d if type(d) is dict else {}


# contacts, the referral chain both ways
cs = items("contacts", "contact")
by = {c.get("name"): c for c in cs}
check(len(cs) == 4, f"contacts: {len(cs)} of 4")
ana, bo, cy = by.get("Ana Pérez", {}), by.get("Bo Stone", {}), by.get("Cy Lee", {})
check(ana.get("id") == 1 and ana.get("referred_by") is None, f"ana: {ana}")
check(ana.get("zone") == "America/New_York" and ana.get("company") == "Acme"
      and ana.get("email") == "ana@example.com", f"ana: {ana}")
check(bo.get("referred_by") == 1 and bo.get("email") is None, f"bo: {bo}")
check(cy.get("referred_by") == 2 and cy.get("cadence") == "semiannual", f"cy: {cy}")
check(ana.get("cadence") == "quarterly" and ana.get("checkins_stopped") is None,
      f"ana: {ana}")
eve = [c for c in cs if c.get("id") == 4]
want = 'Eve \x1b[31m red \x7f\x9b2J \u202ex "q" \\ end'
check(eve and eve[0].get("name") == want,
      f"eve's name read back as {eve[0].get('name') if eve else None!r}")
_, raw = load("contacts")
for esc in (rb"\u001b", rb"\u007f", rb"\u009b", rb"\u202e", rb'\"q\"'):
    check(esc.lower() in raw.lower(), f"contacts: {esc!r} not in the output")
for ctl in (b"\x1b", b"\x7f", b"\xc2\x9b", b"\xe2\x80\xae", b"?2J"):
    check(ctl not in raw, f"contacts: raw {ctl!r} in the output")

sa = one("show_ana", "contact show")
check(sa.get("referral_chain") == [], f"ana's chain: {sa.get('referral_chain')}")
check(sa.get("referred") == [{"id": 2, "name": "Bo Stone"}],
      f"ana referred: {sa.get('referred')}")
check([i.get("id") for i in sa.get("interviews", [])] == [1, 4],
      f"ana's interviews: {sa.get('interviews')}")
sc = one("show_cy", "contact show")
check(sc.get("referral_chain") == [{"id": 2, "name": "Bo Stone"},
                                   {"id": 1, "name": "Ana Pérez"}],
      f"cy's chain: {sc.get('referral_chain')}")
check([(i.get("id"), i.get("status")) for i in sc.get("interviews", [])]
      == [(3, "cancelled")], f"cy's interviews: {sc.get('interviews')}")

# one interview each way: past and unthanked, cancelled, ahead in New York
s2 = one("show2", "interview")
for k, v in {"id": 2, "contact_id": 2, "contact": "Bo Stone",
             "start": "2026-11-30T16:00:00Z", "end": "2026-11-30T16:45:00Z",
             "minutes": 45, "zone": "Europe/London", "mode": "in-person",
             "location": "Café Nero", "video_url": None, "status": "scheduled",
             "thanked": None, "thanks_due": "2026-12-01T23:59:00Z",
             "thanks_zone": "Europe/London", "held_start": None,
             "notes": "Hiring in spring\nask about the data team",
             "created": "2026-10-01T09:00:00Z"}.items():
    check(s2.get(k) == v, f"show 2: {k} is {s2.get(k)!r}, want {v!r}")
check(s2.get("uid", "").startswith("tiara-"), f"show 2: uid {s2.get('uid')}")
s3 = one("show3", "interview")
check(s3.get("status") == "cancelled" and s3.get("thanks_due") is None
      and s3.get("prepare_due") is None, f"show 3: {s3}")
s4 = one("show4", "interview")
for k, v in {"start": "2026-12-03T15:00:00Z", "zone": "America/New_York",
             "mode": "phone", "prepare_due": "2026-12-02T15:00:00Z",
             "prepared": None, "title": None}.items():
    check(s4.get(k) == v, f"show 4: {k} is {s4.get(k)!r}, want {v!r}")

# log: held ones newest first; the cancelled one only when asked
lg = items("log", "interview")
check([i.get("id") for i in lg] == [2, 1], f"log: {[i.get('id') for i in lg]}")
check(lg[-1:] and lg[-1].get("thanked") == "2026-12-01T09:00:00Z", f"log: {lg}")
check([i.get("id") for i in items("log_all", "interview")] == [2, 3, 1],
      "log --cancelled")
check([i.get("id") for i in items("log_one", "interview")] == [2], "log -n 1")

# agenda: the kinds, in time order, with the zone each time belongs to
ag = items("agenda", "agenda item")
kinds = [(a.get("kind"), a.get("interview_id"), a.get("contact_id")) for a in ag]
for want in [("thanks", 2, 2), ("landed", None, 1), ("landed", None, 2),
             ("prepare", 4, 1), ("interview", 4, 1)]:
    check(want in kinds, f"agenda lacks {want}: {kinds}")
iv = [a for a in ag if a.get("kind") == "interview"]
check(iv and iv[0].get("at") == "2026-12-03T15:00:00Z"
      and iv[0].get("end") == "2026-12-03T15:30:00Z"
      and iv[0].get("zone") == "America/New_York"
      and iv[0].get("host_zone") == "America/New_York"
      and iv[0].get("contact") == "Ana Pérez", f"agenda interview: {iv}")
th = [a for a in ag if a.get("kind") == "thanks"]
check(th and th[0].get("at") == "2026-12-01T23:59:00Z" and th[0].get("end") is None
      and th[0].get("overdue") is False and th[0].get("host_zone") is None,
      f"agenda thanks: {th}")
check([a.get("at") for a in ag] == sorted(a.get("at") for a in ag),
      f"agenda not in time order: {[a.get('at') for a in ag]}")

# remind: due now, thank-you notes first; nothing due exits 3
rm = items("remind", "reminder")
# (the two follow-ups are due at the same minute, in either order)
check([(r.get("kind"), r.get("contact_id")) for r in rm][:1] == [("thanks", 2)]
      and sorted((r.get("kind"), r.get("contact_id")) for r in rm[1:])
      == [("landed", 1), ("landed", 2)], f"remind: {rm}")
check(rm and rm[0].get("due") == "2026-12-01T23:59:00Z"
      and rm[0].get("interview_id") == 2 and rm[0].get("overdue") is False,
      f"remind: {rm}")
check(rm[1:] and rm[1].get("due") == "2026-12-01T18:00:00Z"
      and rm[1].get("interview_id") is None, f"remind landed: {rm}")
check(items("remind_none", "reminder", 3) == [], "remind with nothing due")

cal = items("calendars", "calendar")
check(cal == [{"name": "phone", "url": "https://cal.example.com/dav/me/",
               "user": "me", "display_name": None,
               "components": ["vevent", "vtodo"]}], f"calendars: {cal}")

for name in ("conflicts", "conflicts_list"):
    cf = items(name, "conflict")
    check(len(cf) == 1 and cf[0].get("id") == 1 and cf[0].get("side") == "remote"
          and cf[0].get("summary") == "Lunch" and cf[0].get("calendar") == "phone"
          and cf[0].get("at") == "2026-11-30T00:53:20Z", f"{name}: {cf}")
c1 = one("conflict1", "conflicts show")
check(c1.get("text") == "BEGIN:VEVENT\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\n"
      and c1.get("winner") is None and c1.get("uid") == "u-lunch",
      f"conflicts show: {c1}")

# every documented object was printed and checked
check(set(schemas) == used, f"not checked: {set(schemas) - used}")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

# Bad input: one line on stderr, nothing on stdout.
refused 1 "no interview" show 99 --json
[ -z "$out" ] || fail "show 99 --json printed: $out"
refused 1 "no contact matches 'Zed'" contact show Zed --json
[ -z "$out" ] || fail "contact show Zed --json printed: $out"
t remind --json --quiet
[ "$rc" -eq 2 ] && [ -z "$out" ] || fail "remind --json --quiet: $rc $out"
case "$errout" in "tiara: --json cannot go with --quiet"*) ;; *) fail "remind --json -q: $errout" ;; esac

# Short forms and -o: -j is --json; -o FILE takes what would be printed,
# whole, without colour; a failure leaves no file.
for cmd in "agenda" "remind" "log" "show 1" "contact list" "contact show 1" \
    "calendar list" "conflicts list"; do
    # shellcheck disable=SC2086 # the command is words
    t $cmd --json
    long=$out
    # shellcheck disable=SC2086
    t --color=always $cmd -j -o "$WORK/out.json"
    [ -z "$out" ] || fail "$cmd -o printed: $out"
    [ "$(cat "$WORK/out.json")" = "$long" ] || fail "$cmd -j -o differs from --json"
    rm -f "$WORK/out.json"
done
ok --color=always agenda -d 30 -o "$WORK/agenda.txt"
ok --color=always agenda --days 30
[ "$(cat "$WORK/agenda.txt")" = "$(printf '%s' "$out" | sed 's/\x1b\[[0-9;]*m//g')" ] ||
    fail "agenda -o differs from its output"
grep -q $'\033' "$WORK/agenda.txt" && fail "colour went into an -o file"
ok config -o "$WORK/config.txt"
grep -q '^\[defaults\]' "$WORK/config.txt" || fail "config -o: $(cat "$WORK/config.txt")"
refused 1 "no interview #99" show 99 -o "$WORK/none.txt"
[ -e "$WORK/none.txt" ] && fail "a failed show left its -o file"
refused 2 "-o needs a value" log -o
finish
