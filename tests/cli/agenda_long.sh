#!/usr/bin/env bash
# A long agenda is read and printed 128 days at a time: it must say what
# the agendas of its months say, in the same order, with nothing lost or
# repeated where one stretch ends and the next begins.
. "$(dirname "$0")/../lib.sh"

ok contact add "Ana Pérez" --tz America/New_York
ok contact add "Bob Stone"
ok contact add "Cy Sato" --tz Asia/Tokyo
ok contact add "Dee Lund" --cadence semiannual
ok contact add "Eve Berg" --cadence none

# From 2026-12-01 (00:00 GMT) the stretches end at 2027-04-08 01:00 BST
# and 2027-08-14 01:00 BST. Ana's interview is just before the first
# end, its preparation and thank-you on either side of it; Bob's and
# Cy's start at it, at the same time; Dee's check-in falls on the second,
# with Eve's interview (which comes first at the same time).
ok schedule ana --at "2027-04-08 00:30" --video https://meet.example.com/a
ok schedule bob --at "2027-04-08 01:00" --for 45m --where "Café Nero"
ok schedule cy --at "2027-04-08 01:00" --force --phone
ok schedule dee --at "2027-02-14 01:00" --video https://meet.example.com/d
ok schedule bob --at "2026-12-04 10:00" --for 45m --phone
ok schedule eve --at "2027-08-14 01:00" --phone

ok agenda --from 2026-12-01 --days 400
long=$out
has "interview with Ana Pérez"
has "check in with Dee Lund"
[ "$(grep -c "check in with" <<<"$long")" -eq 7 ] ||
    fail "want 7 check-ins in:"$'\n'"$long"
[ "$(grep -c '^Thu 2027-04-08$' <<<"$long")" -eq 1 ] ||
    fail "the day across the first stretch's end is not one heading"

# The same window month by month: each month is one stretch.
months=""
for m in 2026-12 2027-01 2027-02 2027-03 2027-04 2027-05 2027-06 2027-07 \
    2027-08 2027-09 2027-10 2027-11 2027-12; do
    last=$(date -d "$m-01 +1 month -1 day" +%F)
    ok agenda --from "$m-01" --to "$last"
    [ "$out" = "nothing scheduled" ] || months+="$out"$'\n'
done
ok agenda --from 2028-01-01 --to 2028-01-04
[ "$out" = "nothing scheduled" ] || months+="$out"$'\n'
[ "$long"$'\n' = "$months" ] ||
    fail "the long agenda differs from its months:"$'\n'"$(diff <(echo "$long") <(printf '%s' "$months"))"

finish
