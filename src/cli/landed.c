/* SPDX-License-Identifier: MIT */
/* landed.c - landed a job: a follow-up for every host met */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"
#include "when.h"

enum {
    OPT_DUE = 256,
    OPT_NOTE,
};

struct landed_ctx {
    struct cli *cli;
    utc_t due;
    const char *note;
    struct err *err;
    int added, existing;
};

/* One follow-up per host met: interviews come sorted by start, so a host
 * met twice is skipped by the UNIQUE (contact, kind) rule. */
static int landed_one(const struct interview *iv, const struct contact *host,
                      const struct contact *referrer, void *arg)
{
    struct landed_ctx *l = arg;
    struct followup f;
    int ret;

    (void)referrer;
    model_followup_init(&f);
    f.contact_id = host->id;
    f.due = l->due;
    f.note = util_strdup(l->note);
    f.created = f.modified = l->cli->now;
    (void)iv;
    ret = store_followup_add(l->cli->st, &f, l->err);
    if (ret == 0) {
        char due[32];

        tz_format_time(l->cli->zone, l->due, due, sizeof(due));
        printf("  tell %s (due %s)\n", host->name, due);
        l->added++;
    } else if (l->err->kind == ERR_CONFLICT) {
        err_clear(l->err);
        l->existing++;
        ret = 0;
    }
    model_followup_release(&f);
    return ret;
}

int cmd_landed(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara landed [--due WHEN] [--note TEXT]\n"
        "\n"
        "You landed a job: every host you met hears the good news. Adds one\n"
        "follow-up task per host met (once; running it again adds only new\n"
        "hosts). Due in a week unless --due says otherwise.\n";
    static const struct option opts[] = {
        {"due", required_argument, NULL, OPT_DUE},
        {"note", required_argument, NULL, OPT_NOTE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct landed_ctx l;
    struct err err;
    struct when w;
    int opt;
    const char *due = NULL;

    memset(&l, 0, sizeof(l));
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_DUE:
            due = optarg;
            break;
        case OPT_NOTE:
            l.note = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return cli_usage_error("landed", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("landed", "'landed' takes no arguments");
    err_clear(&err);
    l.cli = cli;
    l.err = &err;
    l.due = cli->now + 7 * 86400;
    if (due) {
        if (when_parse(due, cli->now, cli->zone, 0, &w, &err) < 0)
            return cli_fail(&err);
        l.due = w.has_time ? w.t : w.t + 86400 - 60;
    }
    if (store_begin(cli->st, &err) < 0)
        return cli_fail(&err);
    printf("congratulations! follow-ups:\n");
    if (store_meeting_each(cli->st, INT64_MIN, cli->now, 0, 0, landed_one, &l,
                           &err) != 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        return cli_fail(&err);
    }
    if (!l.added && !l.existing)
        printf("  none: no host met yet\n");
    else if (l.existing)
        printf("  (%d host%s already had one)\n", l.existing,
               l.existing == 1 ? "" : "s");
    return 0;
}
