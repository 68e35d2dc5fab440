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
    "usage: tiara log [CONTACT] [-n|--max-count N] [--cancelled]\n"
    "                 [-j|--json] [-o FILE]\n"
    "\n"
    "The interviews that have taken place, newest first, with where the\n"
    "thank-you note stands and the start of the notes. CONTACT keeps to\n"
    "one contact; -n N shows at most N; --cancelled lists cancelled ones\n"
    "too; --json prints them as JSON (docs/json.md).\n";

struct log {
    struct cli *cli;
    long limit, shown;      /* limit 0: all */
    struct cli_json *items; /* --json: the array being filled, else NULL */
};

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

/* One line per interview, as the store gives them: newest first. */
static int print_entry(const struct interview *iv, const struct contact *host,
                       const struct contact *referrer, void *arg)
{
    struct log *l = arg;
    char when[32], state[64], notes[CLI_NOTES_SHOWN + 16];

    (void)referrer;
    if (l->limit && l->shown >= l->limit)
        return 1; /* enough: stop the walk */
    l->shown++;
    if (l->items) {
        cli_json_push(l->items, cli_json_interview(l->cli, iv, host->name));
        return 0;
    }
    tz_format_time(l->cli->zone, iv->start, when, sizeof(when));
    thanks_state(l->cli, iv, state, sizeof(state));
    cli_notes_hint(iv, notes, sizeof(notes));
    printf("#%-4lld %s  %s, %d min, %s; %s%s\n", (long long)iv->id, when,
           host->name, iv->minutes, model_mode_name(iv->mode), state, notes);
    return 0;
}

/* The same entries, newest first, as interview objects. */
int cmd_log(struct cli *cli, int argc, char **argv)
{
    const char *limit_text = NULL;
    int cancelled = 0, json = 0, first, rc;
    const struct cli_opt opts[] = {
        {"max-count", 'n', CLI_STRING, &limit_text},
        {"cancelled", 0, CLI_FLAG, &cancelled},
        {"json", 'j', CLI_FLAG, &json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"log", log_usage, "at most one CONTACT", 0,
                                  1};
    struct log l = {cli, 0, 0, NULL};
    struct contact who;
    struct err err;
    int64_t contact_id = 0;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (limit_text && util_parse_long(limit_text, 1, 1000000, &l.limit) < 0)
        return cli_errorf("-n wants a number of interviews, not '%s'",
                          limit_text);
    err_clear(&err);
    if (first < argc) {
        if (store_contact_find(cli->st, argv[first], &who, &err) < 0)
            return cli_fail(&err);
        contact_id = who.id;
        model_contact_release(&who);
    }
    if (json)
        l.items = cli_json_array();
    rc = store_meeting_each(cli->st, INT64_MIN, cli->now, contact_id,
                            STORE_NEWEST_FIRST |
                                (cancelled ? STORE_WITH_CANCELLED : 0),
                            print_entry, &l, &err);
    if (rc < 0) {
        cli_json_free(l.items);
        return cli_fail(&err);
    }
    if (json)
        return cli_json_print_items(l.items, &err) < 0 ? cli_fail(&err) : 0;
    if (l.shown == 0)
        printf("no interview has taken place yet\n");
    return 0;
}
