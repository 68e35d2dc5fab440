#!/usr/bin/env bash
# tiara edit: an interview's place, link, mode, agenda, title or notes on
# their own, the notes in the user's editor; a no-op changes nothing.
. "$(dirname "$0")/../lib.sh"
unset VISUAL EDITOR

iv_seq() { sqlite3 "$TIARA_DB" "SELECT seq FROM interviews WHERE id = 1"; }
host_seq() { sqlite3 "$TIARA_DB" "SELECT seq FROM contacts WHERE id = 1"; }
notes() { sqlite3 "$TIARA_DB" "SELECT coalesce(notes, '<null>') FROM interviews WHERE id = 1"; }
# the interview's VEVENT in an export
event() {
    local uid
    uid=$(sqlite3 "$TIARA_DB" "SELECT uid FROM interviews WHERE id = 1")
    "$TIARA" export | tr -d '\r' | sed -n "/^UID:$uid\$/,/^END:VEVENT/p"
}

ok contact add "Ana Pérez" --tz America/New_York
ok schedule ana --at "2026-12-03 15:00" --where "Café Nero"
start=$(sqlite3 "$TIARA_DB" "SELECT start FROM interviews WHERE id = 1")

# One field on its own: the time, mode and the rest stay; a revision.
ivb=$(iv_seq) hostb=$(host_seq)
ok edit 1 --where "Bar Italia, Soho"
has "edited interview #1 with Ana Pérez: place"
[ "$(iv_seq)" -gt "$ivb" ] || fail "a real edit left SEQUENCE at $ivb"
[ "$(host_seq)" -gt "$hostb" ] || fail "a real edit left the host's check-ins unrevised"
[ "$(sqlite3 "$TIARA_DB" "SELECT start || ' ' || mode FROM interviews WHERE id = 1")" = "$start in-person" ] ||
    fail "editing the place moved the interview or changed its mode"
ev=$(event)
grep -q '^LOCATION:Bar Italia\\, Soho$' <<<"$ev" || fail "export lacks the new place: $ev"
grep -q "^SEQUENCE:$(iv_seq)\$" <<<"$ev" || fail "export SEQUENCE is not $(iv_seq): $ev"

# The same again is no change: the database is untouched, byte for byte.
before=$(db_state)
ok edit ana --where "Bar Italia, Soho"
has "is already so: nothing changed"
[ "$(db_state)" = "$before" ] || fail "a no-op edit changed the database"

# Mode and link, agenda and title; the validators schedule uses.
ok edit 1 --mode video --video https://meet.example.com/ana --agenda "intro:5,questions:20,next:5" --title "Coffee, virtually"
has "edited interview #1 with Ana Pérez: mode, link, agenda, title"
ok show 1
has "how:       video, Bar Italia, Soho"
has "link:      https://meet.example.com/ana"
has "agenda:    intro:5,questions:20,next:5"
refused 1 "video link 'ftp://x' must start with https://" edit 1 --video ftp://x
refused 1 "video link 'ftp://x' must start with https://" reschedule 1 --video ftp://x
refused 1 "unknown mode 'fax'" edit 1 --mode fax
refused 1 "agenda" edit 1 --agenda "intro:zz"
refused 1 "is by video but has no link" edit 1 --video ""
refused 1 "place has control characters" edit 1 --where $'a\033[2Jb'
refused 2 "nothing to change" edit 1
refused 2 "choose one of --notes, --notes-file" edit 1 --notes=x --notes-file /dev/null
refused 1 "no interview #9" edit 9 --where x
ok edit 1 --mode in-person --video "" --agenda "" --title ""
ok show 1
lacks "link:"
lacks "agenda:"

# Notes from the command line, a file and standard input.
ok edit 1 --notes="Hiring in spring"
[ "$(notes)" = "Hiring in spring" ] || fail "--notes=TEXT kept '$(notes)'"
printf 'From a file\nsecond line\n\n' >"$WORK/notes.txt"
ok edit 1 --notes-file "$WORK/notes.txt"
[ "$(notes)" = $'From a file\nsecond line' ] || fail "--notes-file kept '$(notes)'"
out=$(printf 'From stdin\n' | "$TIARA" edit 1 --notes-file - 2>&1) || fail "--notes-file - failed: $out"
[ "$(notes)" = "From stdin" ] || fail "--notes-file - kept '$(notes)'"
printf 'a\0b' >"$WORK/nul.txt"
refused 1 "NUL byte" edit 1 --notes-file "$WORK/nul.txt"
refused 1 "cannot read '$WORK/none.txt'" edit 1 --notes-file "$WORK/none.txt"

# The editor: stand-ins that append a line, fail, or change nothing.
# Each records the file it was given, to check its mode and its removal.
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
cat >"$WORK/append.sh" <<'EOF'
#!/bin/sh
[ "$1" = "--wait" ] && shift && waited=1
printf '%s\n' "$1" >"$WORK/edited"
[ -n "${waited:-}" ] && echo "waited" >>"$WORK/edited"
stat -c %a "$1" >"$WORK/mode"
echo "Ask about the data team" >>"$1"
EOF
printf '#!/bin/sh\necho garbage >>"$1"\nexit 1\n' >"$WORK/fail.sh"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >"$WORK/edited"\n' >"$WORK/same.sh"
chmod +x "$WORK"/*.sh
export WORK

ivb=$(iv_seq)
EDITOR="$WORK/append.sh" ok edit 1 -e
has "edited interview #1 with Ana Pérez: notes"
[ "$(notes)" = $'From stdin\nAsk about the data team' ] || fail "the editor's notes: '$(notes)'"
[ "$(cat "$WORK/mode")" = 600 ] || fail "the notes file was mode $(cat "$WORK/mode")"
case $(head -n1 "$WORK/edited") in
"$TMPDIR"/tiara-notes-*.txt) ;;
*) fail "the notes file '$(cat "$WORK/edited")' is not in \$TMPDIR" ;;
esac
[ -e "$(head -n1 "$WORK/edited")" ] && fail "the notes file was left behind"
[ "$(iv_seq)" -gt "$ivb" ] || fail "an edit in the editor left SEQUENCE at $ivb"

# $VISUAL wins over $EDITOR, through the shell: a setting with words.
VISUAL="$WORK/append.sh --wait" EDITOR="$WORK/fail.sh" ok edit 1 --notes
grep -q waited "$WORK/edited" || fail "\$VISUAL with an argument was not run through sh"

before=$(db_state)
EDITOR="$WORK/fail.sh" refused 1 "the editor '$WORK/fail.sh' exited with status 1: nothing changed" edit 1 -e
EDITOR="$WORK/same.sh" ok edit 1 --notes
has "the notes were left as they were: nothing changed"
[ "$(db_state)" = "$before" ] || fail "an unchanged or failed edit changed the database"
[ -z "$(ls -A "$TMPDIR")" ] || fail "files left in \$TMPDIR: $(ls -A "$TMPDIR")"

# No $VISUAL or $EDITOR: vi, found on $PATH.
mkdir -p "$WORK/bin"
cp "$WORK/append.sh" "$WORK/bin/vi"
PATH="$WORK/bin:$PATH" ok edit 1 -e
[ "$(notes | tail -n1)" = "Ask about the data team" ] || fail "vi was not the editor"

finish
