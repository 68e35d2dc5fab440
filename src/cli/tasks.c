/* SPDX-License-Identifier: MIT */
/* tasks.c - tick off an interview's tasks: prepared, thanked */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

/* thanked and prepared: tick off (or reopen) one of an interview's tasks. */
static int mark_task(struct cli *cli, int argc, char **argv, const char *cmd,
                     const char *usage, const char *task, int thanks)
{
    struct interview iv;
    struct err err;
    int undo, rc;
    utc_t *slot;

    err_clear(&err);
    rc = cli_one_interview(cli, argc, argv, cmd, usage, &undo, &iv, &err);
    if (rc != CLI_CONTINUE)
        return rc;
    if (iv.status == STATUS_CANCELLED) {
        long long id = (long long)iv.id;

        model_interview_release(&iv);
        return cli_errorf("interview #%lld was cancelled: nothing to tick "
                          "('tiara cancel %lld --undo' books it again)",
                          id, id);
    }
    slot = thanks ? &iv.thanked : &iv.prep_done;
    *slot = undo ? 0 : cli->now;
    if (cli_save_interview(cli, &iv, &err) < 0) {
        model_interview_release(&iv);
        return cli_fail(&err);
    }
    printf("%s for interview #%lld %s\n", task, (long long)iv.id,
           undo ? "is open again" : "done");
    model_interview_release(&iv);
    return 0;
}

int cmd_thanked(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara thanked INTERVIEW [--undo]\n"
        "\n"
        "Mark the thank-you note for an interview as sent (completes its\n"
        "task); --undo reopens it.\n";

    return mark_task(cli, argc, argv, "thanked", usage, "thank-you", 1);
}

int cmd_prepared(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara prepared INTERVIEW [--undo]\n"
        "\n"
        "Mark the preparation for an interview as done (completes its\n"
        "task); --undo reopens it.\n";

    return mark_task(cli, argc, argv, "prepared", usage, "preparation", 0);
}
