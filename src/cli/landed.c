/* SPDX-License-Identifier: MIT */
/* landed.c - landed a job: a follow-up for every host met, ticked by told */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"
#include "when.h"

struct landed_ctx {
    struct cli *cli;
    utc_t due;
    const char *note;
    struct err *err;
    int added, existing;
    int64_t *seen; /* hosts met, each counted once */
    size_t nseen, capseen;
};

/* One follow-up per host met, however often: a host met again in this
 * walk is skipped, one who has a follow-up already is counted once. */
static int landed_one(const struct interview *iv, const struct contact *host,
                      const struct contact *referrer, void *arg)
{
    struct landed_ctx *l = arg;
    struct followup f;
    int ret;

    (void)referrer;
    for (size_t i = 0; i < l->nseen; i++)
        if (l->seen[i] == host->id)
            return 0; /* met again: one follow-up per host */
    if (ALLOC_GROW(l->seen, l->nseen + 1, l->capseen) < 0)
        return err_set(l->err, ERR_NOMEM, "out of memory");
    l->seen[l->nseen++] = host->id;
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
    struct landed_ctx l;
    struct err err;
    struct when w;
    const char *due = NULL;
    const struct cli_opt opts[] = {
        {"due", 0, CLI_STRING, &due},
        {"note", 0, CLI_STRING, &l.note},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"landed", usage, "no arguments", 0, 0};
    int first, rc;

    memset(&l, 0, sizeof(l));
    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    err_clear(&err);
    l.cli = cli;
    l.err = &err;
    l.due = cli->now + 7 * 86400;
    if (due) {
        if (when_parse(due, cli->now, cli->zone, 0, &w, &err) < 0)
            return cli_fail(&err);
        /* the day's last minute, 23, 24 or 25 hours on */
        l.due = w.has_time ? w.t : when_day_end(&w) - 60;
        if (model_check_start(l.due, &err) < 0)
            return cli_fail(&err);
    }
    if (store_begin(cli->st, &err) < 0)
        return cli_fail(&err);
    printf("congratulations! follow-ups:\n");
    if (store_meeting_each(cli->st, INT64_MIN, cli->now, 0, 0, landed_one, &l,
                           &err) != 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        free(l.seen);
        return cli_fail(&err);
    }
    free(l.seen);
    if (!l.added && !l.existing)
        printf("  none: no host met yet\n");
    else if (l.existing)
        printf("  (%d host%s already had one)\n", l.existing,
               l.existing == 1 ? "" : "s");
    return 0;
}

int cmd_told(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara told CONTACT [--undo]\n"
        "\n"
        "Mark the \"landed a job\" follow-up for a host as done: you told\n"
        "them. --undo reopens it.\n";
    const char *verb;
    struct contact c;
    struct followup f;
    struct err err;
    int undo = 0, first, rc;
    const struct cli_opt opts[] = {
        {"undo", 0, CLI_FLAG, &undo},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"told", usage, "one CONTACT", 1, 1};

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    err_clear(&err);
    if (store_contact_find(cli->st, argv[first], &c, &err) < 0)
        return cli_fail(&err);
    model_followup_init(&f);
    if (store_followup_get_contact(cli->st, c.id, &f, &err) < 0) {
        if (err.kind == ERR_NOT_FOUND)
            rc = cli_errorf("%s has no follow-up: 'tiara landed' adds one "
                            "for every host met",
                            c.name);
        else
            rc = cli_fail(&err);
        model_contact_release(&c);
        return rc;
    }
    verb = undo ? "is open again" : "done";
    if ((f.done != 0) != !undo) {
        f.done = undo ? 0 : cli->now;
        f.seq++;
        f.modified = cli->now;
        if (store_followup_update(cli->st, &f, &err) < 0) {
            rc = cli_fail(&err);
            goto out;
        }
    } else {
        verb = undo ? "was open already" : "was done already";
    }
    printf("follow-up to %s %s\n", c.name, verb);
    rc = 0;
out:
    model_followup_release(&f);
    model_contact_release(&c);
    return rc;
}
