/* SPDX-License-Identifier: MIT */
/* checkin.c - stop, resume or change the check-ins with a contact */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

enum {
    OPT_STOP = 256,
    OPT_RESUME,
    OPT_CADENCE,
};

int cmd_checkin(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara checkin CONTACT (--stop | --resume | --cadence C)\n"
        "\n"
        "Stop or resume the recurring check-ins with a contact, or change\n"
        "how often they come: quarterly, semiannual or none.\n";
    static const struct option opts[] = {
        {"stop", no_argument, NULL, OPT_STOP},
        {"resume", no_argument, NULL, OPT_RESUME},
        {"cadence", required_argument, NULL, OPT_CADENCE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct contact c;
    struct err err;
    int opt, stop = 0, resume = 0;
    const char *cadence = NULL;
    enum cadence cad;

    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_STOP:
            stop = 1;
            break;
        case OPT_RESUME:
            resume = 1;
            break;
        case OPT_CADENCE:
            cadence = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return cli_usage_error("checkin", "bad option");
        }
    }
    if (stop + resume + !!cadence != 1)
        return cli_usage_error("checkin", "give one of --stop, --resume or "
                                          "--cadence");
    if (optind != argc - 1)
        return cli_usage_error("checkin", "'checkin' takes one CONTACT");
    err_clear(&err);
    if (cadence && model_cadence_parse(cadence, &cad, &err) < 0)
        return cli_fail(&err);
    if (store_contact_find(cli->st, argv[optind], &c, &err) < 0)
        return cli_fail(&err);
    if (stop) {
        c.checkin_stopped = cli->now;
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
