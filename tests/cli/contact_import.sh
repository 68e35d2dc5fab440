#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# contact_import.sh - 'contact import': LinkedIn's Connections.csv and any
# CSV with a header row; duplicates skipped and listed, bad rows named by
# line, the good ones added in one go, a dry run changing nothing.
. "$(dirname "$0")/../lib.sh"

# same TEXT: the last stdout is exactly TEXT.
same() {
    [ "$out" = "$1" ] || fail "output differs:"$'\n'"$(diff <(printf '%s\n' "$1") <(printf '%s\n' "$out"))"
}
# errs TEXT: the last stderr contains TEXT.
errs() {
    case "$errout" in
    *"$1"*) ;;
    *) fail "stderr lacks '$1': $errout" ;;
    esac
}

ok contact add "Dee Known" --email dee@example.org --company Initech

# LinkedIn's export as it comes: notes, a quoted paragraph, a blank line,
# then the header. Row 9 repeats row 6's email in another case, row 10 is
# Dee (known by email), row 11 is bad, row 12 is Bob again by name and
# company (no email either time), and a spreadsheet's empty padding row.
cat >"$WORK/Connections.csv" <<'CSV'
Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connected members who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ana,Pérez Núñez,https://www.linkedin.com/in/ana-perez,ana@example.com,"Acme, Inc.",Data Analyst,12 Jan 2024
Bob,Stone,https://www.linkedin.com/in/bobstone,,Globex,CTO,03 Feb 2023
Chloé,Martin,https://www.linkedin.com/in/chloe-martin,chloe@example.fr,Société Générale,"Head of ""Data""",28 Mar 2022
Ana,Perez,https://www.linkedin.com/in/ana-perez-2,ANA@Example.com,Acme,Analyst,12 Jan 2024
Dee,Known,https://www.linkedin.com/in/dee,DEE@example.org,Initech,PM,01 Jun 2021
Zed,Bad,https://www.linkedin.com/in/zed,not-an-email,Hooli,Dev,01 Jan 2020
bob,STONE,https://www.linkedin.com/in/bobstone,,GLOBEX,CTO,03 Feb 2023
,,,,,,
CSV

# A dry run says all of it and changes nothing.
before=$(db_state)
t contact import --dry-run "$WORK/Connections.csv"
[ "$rc" -eq 1 ] || fail "dry run with a bad row exited $rc, want 1"
same "would add Ana Pérez Núñez (Acme, Inc.)
would add Bob Stone (Globex)
would add Chloé Martin (Société Générale)
would skip line 8 Ana Perez: same email as line 5
would skip line 9 Dee Known: same email as #1 Dee Known
would skip line 11 bob STONE: same name and company as line 6
dry run: would add 3, skip 3 (duplicates), refuse 1; nothing changed"
errs "tiara: '$WORK/Connections.csv' line 10: 'not-an-email' is not an email address"
[ "$(db_state)" = "$before" ] || fail "--dry-run changed the database"

# The real thing: the good rows are added, the bad one is refused.
t contact import "$WORK/Connections.csv"
[ "$rc" -eq 1 ] || fail "import with a bad row exited $rc, want 1"
same "added #2 Ana Pérez Núñez (Acme, Inc.)
added #3 Bob Stone (Globex)
added #4 Chloé Martin (Société Générale)
skipped line 8 Ana Perez: same email as line 5
skipped line 9 Dee Known: same email as #1 Dee Known
skipped line 11 bob STONE: same name and company as line 6
added 3, skipped 3 (duplicates), refused 1"
[ "$(grep -c '^tiara: ' <<<"$errout")" -eq 1 ] || fail "want one refusal line: $errout"
errs "line 10: 'not-an-email' is not an email address"
ok contact show "Chloé"
has "Head of \"Data\" at Société Générale"
has "email:     chloe@example.fr"
has "linkedin:  https://www.linkedin.com/in/chloe-martin"
has "check-ins: quarterly"
ok contact show "Bob Stone"
lacks "email:"
[ "$(sqlite3 "$TIARA_DB" 'select count(*) from contacts')" -eq 4 ] ||
    fail "want 4 contacts"

# "Connected On" is kept as the notes' last line, as an ISO date.
[ "$(sqlite3 "$TIARA_DB" "select notes from contacts where name = 'Chloé Martin'")" = "Connected on LinkedIn: 2022-03-28" ] ||
    fail "Connected On not kept: $(sqlite3 "$TIARA_DB" "select notes from contacts where name = 'Chloé Martin'")"

# Again: everything is a duplicate now, and nothing changes.
before=$(db_state)
t contact import "$WORK/Connections.csv"
[ "$rc" -eq 1 ] || fail "rerun exited $rc"
has "added 0, skipped 6 (duplicates), refused 1"
has "skipped line 5 Ana Pérez Núñez: same email as #2 Ana Pérez Núñez"
has "skipped line 6 Bob Stone: same name and company as #3 Bob Stone"
[ "$(db_state)" = "$before" ] || fail "rerun changed the database"

# --strict: one bad row, nothing added.
printf 'Name,Email\nEve Ok,eve@example.com\nBad Mail,nope@\n' >"$WORK/strict.csv"
before=$(db_state)
t contact import --strict "$WORK/strict.csv"
[ "$rc" -eq 1 ] || fail "--strict exited $rc"
same "added 0, skipped 0 (duplicates), refused 1: nothing added (--strict)"
errs "line 3: 'nope@' is not an email address"
[ "$(db_state)" = "$before" ] || fail "--strict with a refused row changed the database"

# Any CSV: a BOM, CRLF, columns found by --map, a quoted newline kept in
# the notes, --cadence for all, an unknown column ignored.
printf '\xef\xbb\xbfFull Name,E-mail,Org,Job,Remarks,Mood\r\n' >"$WORK/generic.csv"
printf 'Carl Ek,carl@example.se,Volvo,Engineer,"met at\r\nthe fair",happy\r\n' >>"$WORK/generic.csv"
printf 'Dana Li,,,,,\r\n' >>"$WORK/generic.csv"
ok contact import "$WORK/generic.csv" --cadence none \
    --map 'name=full name, email=E-mail,company=Org,role=Job,notes=Remarks'
same "added #5 Carl Ek (Volvo)
added #6 Dana Li
added 2, skipped 0 (duplicates), refused 0"
ok contact show "Carl Ek"
has "Engineer at Volvo"
has "check-ins: none"
[ "$(sqlite3 "$TIARA_DB" "select notes from contacts where name = 'Carl Ek'")" = $'met at\nthe fair' ] ||
    fail "the notes lost their line break"

# Names and companies match in any case the Unicode way, not only ASCII:
# ÉLODIE at SOCIÉTÉ is élodie at Société, and a decomposed É is the same.
# A date LinkedIn did not write is kept as written, after any notes.
printf 'Name,Company,Notes,Connected On\nélodie Dupont,Société X,met at a fair,last spring\n' >"$WORK/fold1.csv"
ok contact import "$WORK/fold1.csv"
has "added 1, skipped 0"
[ "$(sqlite3 "$TIARA_DB" "select notes from contacts where name = 'élodie Dupont'")" = $'met at a fair\nConnected on LinkedIn: last spring' ] ||
    fail "a free-form Connected On was not kept after the notes"
printf 'Name,Company\nÉLODIE DUPONT,SOCIÉTÉ X\nE\xcc\x81lodie Dupont,Socie\xcc\x81te\xcc\x81 X\nElodie Dupont,Societe X\n' >"$WORK/fold2.csv"
t contact import "$WORK/fold2.csv"
has "skipped line 2 ÉLODIE DUPONT: same name and company as #"
has "skipped line 3 "
has "added 1, skipped 2 (duplicates)"

# Excel's semicolons where the comma is the decimal mark: found alone.
printf 'Name;Email;Company;Phone\nLuisa Gómez;luisa@example.es;"Acme; S.A.";+34 600 000 000\n' >"$WORK/semi.csv"
ok contact import "$WORK/semi.csv"
same "added #9 Luisa Gómez (Acme; S.A.)
added 1, skipped 0 (duplicates), refused 0"
ok contact show Luisa
has "phone:     +34 600 000 000"
# ... or said: a pipe-separated file whose commas are text.
printf 'name|company\nMo, Jr.|Umbrella, Ltd\n' >"$WORK/pipe.csv"
ok contact import --delimiter '|' "$WORK/pipe.csv"
has "added #10 Mo, Jr. (Umbrella, Ltd)"

# A row whose text carries a terminal control is kept, the control gone.
printf 'Name,Company\nEsc\033[31mape,Red\n' >"$WORK/ctl.csv"
ok contact import "$WORK/ctl.csv"
[ "$(sqlite3 "$TIARA_DB" "select name from contacts where company = 'Red'")" = "Esc [31mape" ] ||
    fail "a control character was stored"

# Whole files refused: one line, nothing changed.
printf 'Name,Email\nAna,a@example.com\nJos\xe9 Ruiz,jose@example.com\n' >"$WORK/latin1.csv"
refused 1 "'$WORK/latin1.csv' line 3 is not UTF-8 text; if the file is Latin-1, convert it first: iconv -f latin1 -t utf8" \
    contact import "$WORK/latin1.csv"
printf 'a,b\n1,2\n' >"$WORK/nohead.csv"
refused 1 "'$WORK/nohead.csv' has no header row: it needs a column Name" \
    contact import "$WORK/nohead.csv"
refused 1 "has no header row with the column 'Nom' (--map name)" \
    contact import --map name=Nom "$WORK/semi.csv"
refused 1 "--map: no column 'Mail' in the header on line 1" \
    contact import --map email=Mail "$WORK/semi.csv"
refused 1 "--map: unknown field 'mail' (name, first" \
    contact import --map mail=Email "$WORK/semi.csv"
refused 1 "--map: 'name' is not FIELD=COLUMN" \
    contact import --map name "$WORK/semi.csv"
printf 'Name,Email\nNew One,new@example.com\nAna "A" B,a@example.com\n' >"$WORK/stray.csv"
refused 1 "'$WORK/stray.csv': a stray quote on line 3" contact import "$WORK/stray.csv"
printf 'Name,Notes\nNew One,"open\nand on\n' >"$WORK/open.csv"
refused 1 "the quoted field on line 2 is never closed" contact import "$WORK/open.csv"
printf 'Name\nA\0B\n' >"$WORK/nul.csv"
refused 1 "is not a CSV file (it has NUL bytes)" contact import "$WORK/nul.csv"
refused 1 "cannot read '$WORK/missing.csv'" contact import "$WORK/missing.csv"
refused 1 "--delimiter: 'x' is not a separator" \
    contact import --delimiter x "$WORK/semi.csv"
refused 1 "unknown cadence 'weekly'" contact import --cadence weekly "$WORK/semi.csv"
refused 2 "takes one FILE" contact import
finish
