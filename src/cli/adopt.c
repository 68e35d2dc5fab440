/* SPDX-License-Identifier: MIT */
/* adopt.c - 'tiara adopt': make one of the calendar's other events an
 * interview, chosen by UID, date or words of its title */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldav.h"
#include "cli.h"
#include "ics.h"
#include "tz.h"
#include "util.h"
#include "when.h"

static const char adopt_usage[] =
    "usage: tiara adopt [WHAT]\n"
    "\n"
    "Without WHAT, list the events in your synced calendars that are not\n"
    "tiara's and could become interviews (single, timed events from today\n"
    "on). With WHAT, make the one event it names an interview: WHAT is its\n"
    "UID, its date (2026-12-10, tomorrow), or words of its title. The event\n"
    "stays on the server as it is; the next sync sends the preparation,\n"
    "thank-you and check-in entries that follow from it.\n";

/* One event that could become an interview. */
struct candidate {
    char *uid;
    char *text;
    char *summary;
    utc_t start;
};

struct candidates {
    struct candidate *v;
    size_t n, cap;
    int oom;
};

static int first_span(const struct ics_busy *b, void *ctx)
{
    *(utc_t *)ctx = b->start;
    return 1;
}

static int collect(const char *uid, const char *text, void *ctx)
{
    struct candidates *c = ctx;
    struct candidate *k;
    char *rrule = caldav_ics_prop(text, "RRULE");
    int series = rrule != NULL;
    utc_t start = 0;

    free(rrule);
    /* a series is not one meeting; all-day, free and cancelled events
     * hold no time */
    if (series || ics_busy_each(text, 0, INT64_MAX, first_span, &start) != 1)
        return 0;
    if (ALLOC_GROW(c->v, c->n + 1, c->cap) < 0) {
        c->oom = 1;
        return 1;
    }
    k = &c->v[c->n++];
    k->uid = strdup(uid);
    k->text = strdup(text);
    k->summary = caldav_ics_prop(text, "SUMMARY");
    k->start = start;
    if (!k->uid || !k->text)
        c->oom = 1;
    return c->oom;
}

static int by_start(const void *a, const void *b)
{
    const struct candidate *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

static void candidates_release(struct candidates *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].uid);
        free(c->v[i].text);
        free(c->v[i].summary);
    }
    free(c->v);
}

static void print_candidate(const struct candidate *k)
{
    char when[32];

    tz_format_time(tz_user_zone(), k->start, when, sizeof(when));
    printf("  %s  %s  (UID %s)\n", when, k->summary ? k->summary : "(no title)",
           k->uid);
}

/* Does 'k' answer to 'what'? By UID, by the day it starts on, or by
 * words of its title, in that order of strength. */
static int matches(const struct candidate *k, const char *what, const char *day)
{
    if (day) {
        char on[32];

        tz_format_day(tz_user_zone(), k->start, on, sizeof(on));
        return strcmp(on, day) == 0;
    }
    return k->summary && util_contains_ci(k->summary, what);
}

static int adopt_one(struct cli *cli, const struct candidate *k)
{
    struct ics_import_options io;
    struct ics_import_report rep;
    struct interview iv;
    struct contact host;
    struct err err;
    char when[32];

    /* the user chose this event: it is an interview, invitation or not */
    cli_import_options(cli, &io);
    io.strict = io.plain_events = 1;
    if (ics_import(cli->st, k->text, "the calendar", cli->now, &io, &rep,
                   &err) < 0)
        return cli_fail(&err);
    model_interview_init(&iv);
    model_contact_init(&host);
    if (store_interview_get_uid(cli->st, k->uid, &iv, &err) < 0 ||
        store_contact_get(cli->st, iv.contact_id, &host, &err) < 0) {
        model_interview_release(&iv);
        return cli_fail(&err);
    }
    tz_format_time(tz_user_zone(), iv.start, when, sizeof(when));
    printf("adopted '%s' on %s as interview #%lld with %s; the next sync "
           "sends what follows from it\n",
           k->summary ? k->summary : k->uid, when, (long long)iv.id, host.name);
    model_interview_release(&iv);
    model_contact_release(&host);
    return 0;
}

int cmd_adopt(struct cli *cli, int argc, char **argv)
{
    const struct cli_opt opts[] = {{NULL, 0, 0, NULL}};
    const struct cli_args args = {"adopt", adopt_usage, "at most one WHAT", 0,
                                  1};
    struct candidates c = {NULL, 0, 0, 0};
    struct err err;
    struct when when;
    char on_day[32];
    const char *what, *day = NULL;
    size_t i, hits = 0, hit = 0;
    int first, rc;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    what = first < argc ? argv[first] : NULL;
    if (store_sync_foreign_each(cli->st, 0, collect, &c, &err) < 0) {
        candidates_release(&c);
        return cli_fail(&err);
    }
    if (c.oom) {
        candidates_release(&c);
        return cli_errorf("out of memory");
    }
    if (c.n) /* qsort wants an array, even for none */
        qsort(c.v, c.n, sizeof(*c.v), by_start);
    if (!what) {
        for (i = 0; i < c.n; i++) {
            if (c.v[i].start >= cli->now - 86400) {
                print_candidate(&c.v[i]);
                hits++;
            }
        }
        if (!hits)
            printf("no events of others to adopt (tiara sync keeps them)\n");
        candidates_release(&c);
        return 0;
    }
    for (i = 0; i < c.n; i++) {
        if (strcmp(c.v[i].uid, what) == 0) {
            rc = adopt_one(cli, &c.v[i]);
            candidates_release(&c);
            return rc;
        }
    }
    if (when_parse(what, cli->now, tz_user_zone(), 0, &when, NULL) == 0 &&
        !when.has_time) {
        tz_format_day(tz_user_zone(), when.t, on_day, sizeof(on_day));
        day = on_day;
    }
    for (i = 0; i < c.n; i++) {
        if (matches(&c.v[i], what, day)) {
            hits++;
            hit = i;
        }
    }
    if (hits == 1) {
        rc = adopt_one(cli, &c.v[hit]);
    } else if (hits == 0) {
        rc = cli_errorf("no event of others matches '%s' ('tiara adopt' "
                        "lists them)",
                        what);
    } else {
        fprintf(stderr, "tiara: %zu events match '%s'; give one's UID:\n", hits,
                what);
        for (i = 0; i < c.n; i++)
            if (matches(&c.v[i], what, day))
                print_candidate(&c.v[i]);
        rc = 1;
    }
    candidates_release(&c);
    return rc;
}
