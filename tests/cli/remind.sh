#!/usr/bin/env bash
# tiara remind: what is due now, thank-you notes first; its exit status;
# desktop notifications at most once a day per reminder.
. "$(dirname "$0")/../lib.sh"

# Booked well ahead, so each has its preparation task.
booked() { TIARA_NOW=2026-10-01T09:00:00Z ok "$@"; }
ok contact add "Ana Pérez"
ok contact add "Bo Stone"
ok contact add "Cy Lord" --cadence none
booked schedule "Ana Pérez" --at "2026-11-29 10:00"
booked schedule "Bo Stone" --at "2026-11-30 16:00"
booked schedule "Cy Lord" --at "2026-12-02 08:00"
booked schedule "Cy Lord" --at "2026-12-20 08:00"

# Nothing is due before any meeting has taken place or come close.
TIARA_NOW=2026-10-02T09:00:00Z t remind
[ "$rc" -eq 3 ] || fail "nothing due: remind exited $rc"
has "nothing due"

# 1 Dec 09:00: Ana's note is overdue, Bo's is due tonight, Cy's meeting
# tomorrow needs preparing; the later one is not close yet.
ok remind
[ "$(sed -n 1p <<<"$out")" = "thank-you note to Ana Pérez: overdue since 2026-11-30 23:59  #1" ] ||
    fail "first line: $out"
[ "$(sed -n 2p <<<"$out")" = "thank-you note to Bo Stone: due 2026-12-01 23:59  #2" ] ||
    fail "second line: $out"
[ "$(sed -n 3p <<<"$out")" = "prepare for the interview with Cy Lord: overdue since 2026-12-01 08:00  #3" ] ||
    fail "third line: $out"
[ "$(wc -l <<<"$out")" -eq 3 ] || fail "more than was due: $out"
ok thanked 1
ok remind
lacks "Ana"
ok remind --within 30d
has "prepare for the interview with Cy Lord: due 2026-12-19 08:00  #4"
# Ana's quarterly check-in after her interview, in the window.
ok remind --within 100d
has "check in with Ana Pérez: at 2027-02-28 10:00"
before=$(db_state)
t remind -q
[ "$rc" -eq 0 ] && [ -z "$out" ] || fail "--quiet: rc $rc, out '$out'"
[ "$(db_state)" = "$before" ] || fail "remind changed the database"
refused 1 "--within wants a length such as 12h or 3d" remind --within 3x4d
refused 1 "--within wants a length such as 12h or 3d" remind --within 400d

# --notify: a stand-in notify-send records what it is given.
mkdir "$WORK/bin"
cat >"$WORK/bin/notify-send" <<'SH'
#!/bin/sh
printf '%s|' "$@" >>"$NOTIFY_LOG"
echo >>"$NOTIFY_LOG"
SH
chmod +x "$WORK/bin/notify-send"
export NOTIFY_LOG=$WORK/notified PATH="$WORK/bin:$PATH"
ok remind --notify
[ -z "$out" ] || fail "--notify printed: $out"
[ "$(wc -l <"$NOTIFY_LOG")" -eq 2 ] || fail "notified: $(cat "$NOTIFY_LOG")"
grep -q '^--app-name=tiara|tiara|thank-you note to Bo Stone (due 2026-12-01 23:59)|$' "$NOTIFY_LOG" ||
    fail "notification text: $(cat "$NOTIFY_LOG")"
# Not again the same day; again the next.
TIARA_NOW=2026-12-01T18:00:00Z ok remind --notify
[ "$(wc -l <"$NOTIFY_LOG")" -eq 2 ] || fail "notified twice in a day: $(cat "$NOTIFY_LOG")"
TIARA_NOW=2026-12-02T09:30:00Z ok remind --notify
[ "$(grep -c 'Bo Stone' "$NOTIFY_LOG")" -eq 2 ] || fail "not reminded the next day: $(cat "$NOTIFY_LOG")"
# Silent when nothing is due.
: >"$NOTIFY_LOG"
TIARA_NOW=2026-10-02T09:00:00Z t remind --notify
[ "$rc" -eq 3 ] && [ ! -s "$NOTIFY_LOG" ] || fail "nothing due: rc $rc, $(cat "$NOTIFY_LOG")"
# Without notify-send, a clear error.
PATH=/usr/bin:/bin refused 1 "notify-send not found (Debian package libnotify-bin)" remind --notify

# The sample systemd units pass systemd-analyze (where there is one), and
# the command the reminder service runs is the one tested above.
units=$SAMPLES/systemd
if command -v systemd-analyze >/dev/null; then
    mkdir "$WORK/units"
    for u in "$units"/*.service "$units"/*.timer; do
        sed "s|/usr/local/bin/tiara|$TIARA|" "$u" >"$WORK/units/${u##*/}"
    done
    systemd-analyze verify --man=no "$WORK/units"/* >"$WORK/verify" 2>&1 ||
        fail "systemd-analyze: $(cat "$WORK/verify")"
fi
cmd=$(sed -n 's|^ExecStart=/usr/local/bin/tiara ||p' "$units/tiara-remind.service")
[ "$cmd" = "remind --notify" ] || fail "the service runs '$cmd'"
grep -q '^SuccessExitStatus=3$' "$units/tiara-remind.service" ||
    fail "nothing due (exit 3) would count as the service failing"
grep -q "tiara remind --notify" "$units/crontab" || fail "the crontab line"

finish
