/* SPDX-License-Identifier: MIT */
/* checkin.c - stop, resume or change the check-ins with a contact */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

int cmd_checkin(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara checkin CONTACT (--stop | --resume | --cadence C)\n"
        "\n"
        "Stop or resume the recurring check-ins with a contact, or change\n"
        "how often they come: quarterly, semiannual or none.\n";
    struct contact c;
    struct err err;
    int stop = 0, resume = 0, first, rc;
    const char *cadence = NULL;
    const struct cli_opt opts[] = {
        {"stop", 0, CLI_FLAG, &stop},
        {"resume", 0, CLI_FLAG, &resume},
        {"cadence", 0, CLI_STRING, &cadence},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"checkin", usage, "one CONTACT", 1, 1};
    enum cadence cad;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (stop + resume + !!cadence != 1)
        return cli_usage_error("checkin", "give one of --stop, --resume or "
                                          "--cadence");
    err_clear(&err);
    if (cadence && model_cadence_parse(cadence, &cad, &err) < 0)
        return cli_fail(&err);
    if (store_contact_find(cli->st, argv[first], &c, &err) < 0)
        return cli_fail(&err);
    if (resume && c.cadence == CADENCE_NONE) {
        /* nothing to resume: say how to turn them on */
        rc = cli_errorf("check-ins with %s are off (cadence none): "
                        "'tiara checkin CONTACT --cadence quarterly' turns "
                        "them on",
                        c.name);
        model_contact_release(&c);
        return rc;
    }
    if (stop) {
        c.checkin_stopped = cli->now;
    } else if (cadence && cad == CADENCE_NONE) {
        /* a series calendars may hold ends now: exports cancel it */
        if (c.cadence != CADENCE_NONE && !c.checkin_stopped)
            c.checkin_stopped = cli->now;
        c.cadence = cad;
    } else {
        c.checkin_stopped = 0;
        if (cadence)
            c.cadence = cad;
    }
    c.seq++;
    c.modified = cli->now;
    if (store_begin(cli->st, &err) < 0 ||
        store_contact_update(cli->st, &c, &err) < 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        model_contact_release(&c);
        return cli_fail(&err);
    }
    if (stop)
        printf("check-ins with %s stopped\n", c.name);
    else
        printf("check-ins with %s: %s\n", c.name,
               model_cadence_name(c.cadence));
    model_contact_release(&c);
    return 0;
}
