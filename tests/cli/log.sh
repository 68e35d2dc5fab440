#!/usr/bin/env bash
# tiara log: past interviews, newest first, with the thank-you state and
# the start of the notes.
. "$(dirname "$0")/../lib.sh"

booked() { TIARA_NOW=2026-10-01T09:00:00Z ok "$@"; }
ok contact add "Ana Pérez" --company Acme
ok contact add "Bo Stone"
booked schedule "Ana Pérez" --at "2026-11-12 10:00"
booked schedule "Bo Stone" --at "2026-11-30 16:00" --video https://meet.example/b
booked schedule "Bo Stone" --at "2026-11-20 09:00" --for 45m
booked schedule "Ana Pérez" --at "2026-12-20 10:00"
ok cancel 3
ok thanked 1
sqlite3 "$TIARA_DB" "update interviews set notes = 'Hiring in spring; ask about the data team and its lead' where id = 2"

ok log
want="#2    2026-11-30 16:00  Bo Stone, 30 min, video; thank-you due 2026-12-01 23:59 (notes: \"Hiring in spring; ask about the data team and it...\")
#1    2026-11-12 10:00  Ana Pérez, 30 min, in-person; thanked 2026-12-01"
[ "$out" = "$want" ] || fail "log:"$'\n'"$out"
ok log -n 1
[ "$out" = "$(head -1 <<<"$want")" ] || fail "log -n 1: $out"
ok log --cancelled
has "#3    2026-11-20 09:00  Bo Stone, 45 min, in-person; cancelled"
ok log Ana
[ "$out" = "$(tail -1 <<<"$want")" ] || fail "log Ana: $out"
TIARA_NOW=2026-12-03T09:00:00Z ok log Bo
has "thank-you overdue since 2026-12-01 23:59"
TIARA_NOW=2026-10-02T09:00:00Z ok log
has "no interview has taken place yet"
refused 1 "-n wants a number of interviews, not 'x'" log -n x
refused 1 "no contact matches 'Zed'" log Zed

finish
