#!/usr/bin/env bash
# The tour in samples/ runs as the README promises, at a fixed instant, and
# prints what samples/tour.expected holds (UIDs aside, which are random).
. "$(dirname "$0")/../lib.sh"
: "${SAMPLES:?}"
export TIARA_NOW=2026-12-01T09:00:00Z TIARA_TZ=Europe/London
OUT="$WORK/tour" TIARA="$TIARA" bash "$SAMPLES/tour.sh" > "$WORK/tour.out" 2>&1 ||
    fail "samples/tour.sh failed: $(tail -3 "$WORK/tour.out")"
sed "s|$WORK/tour|OUT|g" "$WORK/tour.out" > "$WORK/tour.norm"
if [ -n "${TIARA_UPDATE_GOLDEN:-}" ]; then
    cp "$WORK/tour.norm" "$SAMPLES/tour.expected"
fi
diff -u "$SAMPLES/tour.expected" "$WORK/tour.norm" >&2 || fail "tour output changed"
"$ICS_LINT" "$WORK/tour/tiara.ics" >/dev/null || fail "tour calendar fails libical"
grep -q "UID:sample-invitation-4f2a9c@example.de" "$WORK/tour/tiara.ics" ||
    fail "the imported invitation is not in the calendar"
finish
