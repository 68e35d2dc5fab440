/* SPDX-License-Identifier: MIT */
/* log.c - 'tiara log': the interviews that took place, newest first */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rules.h"
#include "tz.h"
#include "util.h"

static const char log_usage[] =
    "usage: tiara log [CONTACT] [-n|--max-count N] [--cancelled] [--json]\n"
    "\n"
    "The interviews that have taken place, newest first, with where the\n"
    "thank-you note stands and the start of the notes. CONTACT keeps to\n"
    "one contact; -n N shows at most N; --cancelled lists cancelled ones\n"
    "too; --json prints them as JSON (docs/json.md).\n";

struct entry {
    struct interview iv;
    char *host;
};

struct log {
    struct entry *v;
    size_t n, cap;
    int failed;
};

static int keep(const struct interview *iv, const struct contact *host,
                const struct contact *referrer, void *arg)
{
    struct log *l = arg;
    struct entry *e;

    (void)referrer;
    if (ALLOC_GROW(l->v, l->n + 1, l->cap) < 0)
        return l->failed = -1;
    e = &l->v[l->n];
    if (model_interview_copy(&e->iv, iv) < 0)
        return l->failed = -1;
    e->host = util_strdup(host->name);
    if (!e->host) {
        model_interview_release(&e->iv);
        return l->failed = -1;
    }
    l->n++;
    return 0;
}

/* "thanked 2026-11-30", "thank-you due 2026-12-01 23:59", "thank-you
 * overdue since ...", or "cancelled". */
static void thanks_state(const struct cli *cli, const struct interview *iv,
                         char *out, size_t n)
{
    char when[32];
    utc_t due;

    if (iv->status == STATUS_CANCELLED) {
        snprintf(out, n, "cancelled");
    } else if (iv->thanked) {
        tz_format_time(cli->zone, iv->thanked, when, sizeof(when));
        snprintf(out, n, "thanked %.10s", when);
    } else if (rules_thanks_due(iv, rules_thanks_zone(iv), &due, NULL) == 0) {
        tz_format_time(cli->zone, due, when, sizeof(when));
        snprintf(out, n, "thank-you %s %s",
                 due < cli->now ? "overdue since" : "due", when);
    } else {
        snprintf(out, n, "thank-you not sent");
    }
}

static void print_entry(const struct cli *cli, const struct entry *e)
{
    char when[32], state[64], notes[CLI_NOTES_SHOWN + 16];

    tz_format_time(cli->zone, e->iv.start, when, sizeof(when));
    thanks_state(cli, &e->iv, state, sizeof(state));
    cli_notes_hint(&e->iv, notes, sizeof(notes));
    printf("#%-4lld %s  %s, %d min, %s; %s%s\n", (long long)e->iv.id, when,
           e->host, e->iv.minutes, model_mode_name(e->iv.mode), state, notes);
}

/* The same entries, newest first, as interview objects. */
static int print_json(struct cli *cli, const struct log *l, size_t limit,
                      struct err *err)
{
    struct cli_json *items = cli_json_array();

    for (size_t i = l->n; i-- > 0 && (!limit || l->n - i <= limit);)
        cli_json_push(items,
                      cli_json_interview(cli, &l->v[i].iv, l->v[i].host));
    return cli_json_print_items(items, err);
}

int cmd_log(struct cli *cli, int argc, char **argv)
{
    const char *limit_text = NULL;
    int cancelled = 0, json = 0, first, rc;
    const struct cli_opt opts[] = {
        {"max-count", 'n', CLI_STRING, &limit_text},
        {"cancelled", 0, CLI_FLAG, &cancelled},
        {"json", 0, CLI_FLAG, &json},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"log", log_usage, "at most one CONTACT", 0,
                                  1};
    struct log l = {NULL, 0, 0, 0};
    struct contact who;
    struct err err;
    long limit = 0;
    int64_t contact_id = 0;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (limit_text && util_parse_long(limit_text, 1, 1000000, &limit) < 0)
        return cli_errorf("-n wants a number of interviews, not '%s'",
                          limit_text);
    err_clear(&err);
    if (first < argc) {
        if (store_contact_find(cli->st, argv[first], &who, &err) < 0)
            return cli_fail(&err);
        contact_id = who.id;
        model_contact_release(&who);
    }
    if (store_meeting_each(cli->st, INT64_MIN, cli->now, contact_id,
                           cancelled ? STORE_WITH_CANCELLED : 0, keep, &l,
                           &err) != 0) {
        if (l.failed)
            err_set(&err, ERR_NOMEM, "out of memory");
        rc = cli_fail(&err);
        goto out;
    }
    if (json) {
        rc = print_json(cli, &l, (size_t)limit, &err) < 0 ? cli_fail(&err) : 0;
        goto out;
    }
    if (l.n == 0)
        printf("no interview has taken place yet\n");
    /* the store gives them oldest first */
    for (size_t i = l.n; i-- > 0 && (!limit || l.n - i <= (size_t)limit);)
        print_entry(cli, &l.v[i]);
    rc = 0;
out:
    for (size_t i = 0; i < l.n; i++) {
        model_interview_release(&l.v[i].iv);
        free(l.v[i].host);
    }
    free(l.v);
    return rc;
}
