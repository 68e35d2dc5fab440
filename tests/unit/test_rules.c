/* SPDX-License-Identifier: MIT */
/* test_rules.c - deadlines and check-in series across zones and DST */
#include "check.h"
#include "rules.h"

static utc_t iso(int y, int mo, int d, int h, int mi)
{
    struct civil c = {y, mo, d, h, mi, 0};

    return tz_epoch_from_civil(&c);
}

static struct interview at(const char *zone, utc_t start, utc_t booked)
{
    struct interview iv;

    model_interview_init(&iv);
    iv.tz = (char *)zone;
    iv.start = start;
    iv.minutes = 30;
    iv.created = booked;
    return iv;
}

struct collect {
    utc_t t[64];
    int n;
};

static int collect(utc_t t, void *arg)
{
    struct collect *c = arg;

    if (c->n < 64)
        c->t[c->n++] = t;
    return 0;
}

int main(void)
{
    struct interview iv;
    struct contact host;
    struct rules_checkin ci;
    struct collect got;
    struct civil w;
    utc_t t;

    /* Preparation: the same wall time the day before, even across the
     * DST change (23 hours earlier here). */
    iv = at("America/New_York", iso(2026, 3, 8, 14, 0), iso(2026, 1, 1, 0, 0));
    CHECK(rules_prep_due(&iv, &t, NULL) == 0);
    CHECK_INT(t, iso(2026, 3, 7, 15, 0));
    /* Booked less than a day ahead: two hours before. */
    iv = at("Europe/London", iso(2026, 12, 3, 15, 0), iso(2026, 12, 3, 9, 0));
    CHECK(rules_prep_due(&iv, &t, NULL) == 0);
    CHECK_INT(t, iso(2026, 12, 3, 13, 0));
    /* Booked an hour ahead: due at once, never before the booking. */
    iv = at("Europe/London", iso(2026, 12, 3, 15, 0), iso(2026, 12, 3, 14, 0));
    CHECK(rules_prep_due(&iv, &t, NULL) == 0);
    CHECK_INT(t, iso(2026, 12, 3, 14, 0));

    /* Thank-you: 23:59 the next day, local. */
    iv = at("Europe/London", iso(2026, 12, 3, 15, 0), 0);
    CHECK(rules_thanks_due(&iv, "Europe/London", &t, NULL) == 0);
    CHECK_INT(t, iso(2026, 12, 4, 23, 59));
    CHECK(rules_thanks_due(&iv, "America/New_York", &t, NULL) == 0);
    CHECK_INT(t, iso(2026, 12, 5, 4, 59)); /* 23:59 EST on the 4th */
    iv = at("Australia/Lord_Howe", iso(2026, 1, 30, 23, 0), 0); /* 31st 10:00 */
    CHECK(rules_thanks_due(&iv, "Australia/Lord_Howe", &t, NULL) == 0);
    CHECK_INT(t, iso(2026, 2, 1, 12, 59)); /* Feb 1st 23:59 at +11 */
    iv = at("UTC", iso(2028, 2, 28, 10, 0), 0);
    CHECK(rules_thanks_due(&iv, "UTC", &t, NULL) == 0);
    CHECK_INT(t, iso(2028, 2, 29, 23, 59));
    iv = at("UTC", iso(2026, 12, 31, 10, 0), 0);
    CHECK(rules_thanks_due(&iv, "UTC", &t, NULL) == 0);
    CHECK_INT(t, iso(2027, 1, 1, 23, 59));
    /* The night DST starts in London: 23:59 still exists. */
    iv = at("Europe/London", iso(2026, 3, 28, 10, 0), 0);
    CHECK(rules_thanks_due(&iv, "Europe/London", &t, NULL) == 0);
    CHECK_INT(t, iso(2026, 3, 29, 22, 59));

    /* Check-ins: one cadence after the interview, at 10:00 local whatever
     * DST does. */
    model_contact_init(&host);
    host.cadence = CADENCE_QUARTERLY;
    iv = at("America/New_York", iso(2026, 1, 15, 15, 0), 0); /* 10:00 EST */
    CHECK(rules_checkin(&host, &iv, &ci, NULL) == 1);
    CHECK_INT(ci.first.month, 4);
    CHECK_INT(ci.first.hour, 10);
    got.n = 0;
    CHECK(rules_checkin_each(&ci, iso(2026, 1, 1, 0, 0), iso(2027, 6, 1, 0, 0),
                             collect, &got, NULL) == 0);
    CHECK_INT(got.n, 5);
    CHECK_INT(got.t[0], iso(2026, 4, 15, 14, 0));  /* EDT */
    CHECK_INT(got.t[1], iso(2026, 7, 15, 14, 0));  /* EDT */
    CHECK_INT(got.t[2], iso(2026, 10, 15, 14, 0)); /* EDT */
    CHECK_INT(got.t[3], iso(2027, 1, 15, 15, 0));  /* EST */
    CHECK_INT(got.t[4], iso(2027, 4, 15, 14, 0));

    /* rules_checkin_next agrees with rules_checkin_each across the DST
     * changes, from any instant: an occurrence itself, just after one,
     * and between two. */
    {
        utc_t nx;

        CHECK(rules_checkin_next(&ci, iso(2026, 1, 1, 0, 0), &nx, NULL) == 1);
        CHECK_INT(nx, got.t[0]);
        for (int k = 0; k + 1 < got.n; k++) {
            CHECK(rules_checkin_next(&ci, got.t[k], &nx, NULL) == 1);
            CHECK_INT(nx, got.t[k]);
            CHECK(rules_checkin_next(&ci, got.t[k] + 1, &nx, NULL) == 1);
            CHECK_INT(nx, got.t[k + 1]);
            CHECK(rules_checkin_next(&ci, got.t[k] + 40 * 86400, &nx, NULL) ==
                  1);
            CHECK_INT(nx, got.t[k + 1]);
        }
    }

    /* An anchor stored late in 9999 (tz reads up to 9999): no series,
     * rather than a first instant left unset. */
    {
        struct err e = {0};

        iv = at("Europe/London", iso(9999, 12, 31, 23, 0), 0);
        CHECK(rules_checkin(&host, &iv, &ci, &e) == -1);
        CHECK_INT(e.kind, ERR_INPUT);
    }

    /* Month ends: late days become the 28th, so no month is skipped. */
    iv = at("Europe/London", iso(2026, 11, 30, 10, 0), 0);
    CHECK(rules_checkin(&host, &iv, &ci, NULL) == 1);
    CHECK_INT(ci.day, 28);
    rules_checkin_nth(&ci, 0, &w);
    CHECK(w.year == 2027 && w.month == 2 && w.day == 28);
    rules_checkin_nth(&ci, 1, &w);
    CHECK(w.month == 5 && w.day == 28);
    rules_checkin_nth(&ci, 4, &w);
    CHECK(w.year == 2028 && w.month == 2 && w.day == 28);
    /* Leap day interview, semiannual: the 28th from then on. */
    host.cadence = CADENCE_SEMIANNUAL;
    iv = at("UTC", iso(2028, 2, 29, 9, 0), 0);
    CHECK(rules_checkin(&host, &iv, &ci, NULL) == 1);
    rules_checkin_nth(&ci, 0, &w);
    CHECK(w.month == 8 && w.day == 28);
    rules_checkin_nth(&ci, 1, &w);
    CHECK(w.year == 2029 && w.month == 2 && w.day == 28);
    /* Up to the 28th the day is kept. */
    iv = at("UTC", iso(2026, 11, 28, 9, 0), 0);
    CHECK(rules_checkin(&host, &iv, &ci, NULL) == 1);
    rules_checkin_nth(&ci, 0, &w);
    CHECK(w.year == 2027 && w.month == 5 && w.day == 28);

    /* A window years later lands on the right occurrence. */
    host.cadence = CADENCE_QUARTERLY;
    iv = at("Europe/London", iso(2026, 1, 31, 10, 0), 0);
    CHECK(rules_checkin(&host, &iv, &ci, NULL) == 1);
    got.n = 0;
    CHECK(rules_checkin_each(&ci, iso(2035, 1, 1, 0, 0),
                             iso(2035, 12, 31, 0, 0), collect, &got,
                             NULL) == 0);
    CHECK_INT(got.n, 4);
    CHECK_INT(got.t[0], iso(2035, 1, 28, 10, 0));
    CHECK_INT(got.t[1], iso(2035, 4, 28, 9, 0)); /* BST */

    /* Stopped: no occurrence after the stop; stopped before the first: no
     * series at all. Off: none. */
    host.checkin_stopped = iso(2026, 9, 1, 0, 0);
    CHECK(rules_checkin(&host, &iv, &ci, NULL) == 1);
    got.n = 0;
    rules_checkin_each(&ci, 0, iso(2030, 1, 1, 0, 0), collect, &got, NULL);
    CHECK_INT(got.n, 2); /* April and July 2026 */
    /* Stepping with rules_checkin_next gives the same occurrences, and
     * nothing after the stop. */
    {
        utc_t nx = 0;
        int n = 0;

        while (rules_checkin_next(&ci, nx, &nx, NULL) == 1 && n < 64)
            CHECK_INT(nx++, got.t[n++]);
        CHECK_INT(n, 2);
    }
    host.checkin_stopped = iso(2026, 2, 1, 0, 0);
    CHECK(rules_checkin(&host, &iv, &ci, NULL) == 0);
    host.checkin_stopped = 0;
    host.cadence = CADENCE_NONE;
    CHECK(rules_checkin(&host, &iv, &ci, NULL) == 0);
    return CHECK_DONE();
}
