#!/usr/bin/env bash
# tiara thank: the thank-you email from the interview and its notes;
# printed, as a mailto: link, as an .eml file, or sent by a command, which
# marks the thank-you done only when it succeeds.
. "$(dirname "$0")/../lib.sh"

export TIARA_EMAIL=sam@example.org
cat >"$WORK/config.ini" <<INI
[mail]
name = Sam Ødegård
command = cat >"$WORK/sent.eml"
INI
chmod 600 "$WORK/config.ini"
export TIARA_CONFIG=$WORK/config.ini

ok contact add "Bo Lee"
ok contact add "Ana Pérez" --email ana@example.com --company "Acme Inc." --referred-by Bo
ok contact add "Cy Lord"
booked() { TIARA_NOW=2026-11-01T09:00:00Z ok "$@"; }
booked schedule "Ana Pérez" --at "2026-11-30 10:00"
booked schedule "Cy Lord" --at "2026-11-30 15:00"
booked schedule "Ana Pérez" --at "2026-12-20 10:00"
sqlite3 "$TIARA_DB" "update interviews set notes = 'how the data team plans a year ahead' || char(10) || 'second line' where id = 1"

# Printed: headers and a body that says something learned.
ok thank 1
printf '%s\n' "$out" >"$WORK/printed.eml"
python3 - "$WORK/printed.eml" <<'PY' || fail "the printed draft: $out"
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert m["To"].addresses[0].display_name == "Ana Pérez", m["To"]
assert m["To"].addresses[0].addr_spec == "ana@example.com"
assert m["From"].addresses[0].display_name == "Sam Ødegård", m["From"]
assert m["Subject"] == "Thank you, Ana", m["Subject"]
body = m.get_content()
assert body.startswith("Dear Ana,\n"), body
assert "on Monday 30 November" in body, body
assert "your work at Acme Inc. I especially" in body, body
assert "how the data team plans a year ahead." in body, body
assert "second line" not in body, body
assert "Thank you also to Bo Lee for putting us in touch." in body, body
assert body.rstrip().endswith("Sam Ødegård"), body
assert all(len(l) <= 72 for l in body.splitlines()), body
PY

# A mailto: link that decodes to the same subject and body.
ok thank 1 --mailto
python3 - "$out" <<'PY' || fail "mailto: $out"
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
assert u.scheme == "mailto" and u.path == "ana@example.com", u
q = urllib.parse.parse_qs(u.query)
assert q["subject"] == ["Thank you, Ana"], q
assert q["body"][0].startswith("Dear Ana,\r\n"), q
PY

# An .eml file, with CRLF line ends.
ok thank 1 -o "$WORK/ana.eml"
grep -q $'^Subject: Thank you, Ana\r$' "$WORK/ana.eml" || fail "the .eml lacks CRLF headers"
[ "$(sqlite3 "$TIARA_DB" "select thanked from interviews where id = 1")" = 0 ] ||
    fail "writing a draft marked the thank-you done"

# Sent: the command gets the message, and then the thank-you is done.
ok thank 1 --send
has "sent to ana@example.com; the thank-you for interview #1 is done"
grep -q '^To: =?UTF-8?B?' "$WORK/sent.eml" || fail "the sent message: $(head -3 "$WORK/sent.eml")"
[ "$(sqlite3 "$TIARA_DB" "select thanked > 0 from interviews where id = 1")" = 1 ] ||
    fail "sending did not mark the thank-you done"

# A command that fails leaves it open.
sqlite3 "$TIARA_DB" "update interviews set thanked = 0 where id = 1"
sed -i 's|^command = .*|command = cat >/dev/null; exit 75|' "$WORK/config.ini"
refused 1 "the mail command ([mail] command) failed with a non-zero exit: the thank-you is still open" \
    thank 1 --send

refused 1 "Cy Lord has no email: 'tiara contact edit' with --email adds one" thank 2 --send
refused 1 "interview #3 has not taken place: no thank-you yet" thank 3
refused 2 "one of them" thank 1 --mailto --send
TIARA_EMAIL= TIARA_CONFIG=/dev/null refused 1 "--send needs [mail] command" thank 1 --send

finish
