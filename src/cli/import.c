/* SPDX-License-Identifier: MIT */
/* import.c - 'tiara import': an invitation or a tiara export into the store */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ics.h"
#include "util.h"

int cmd_import(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara import FILE\n"
        "\n"
        "Read an .ics file: an invitation becomes an interview with its host\n"
        "(a new contact unless the email is known); a tiara export is\n"
        "restored with nothing lost. Importing again updates, never\n"
        "duplicates. All or nothing: a bad file changes nothing.\n";
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ics_import_report rep;
    struct err err;
    char *text = NULL;
    size_t len;
    int opt;

    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage, stdout);
            return 0;
        }
        return cli_usage_error("import", "bad option");
    }
    if (optind != argc - 1)
        return cli_usage_error("import", "'import' takes one FILE");
    err_clear(&err);
    if (util_read_file(argv[optind], &text, &len, &err) < 0)
        return cli_fail(&err);
    if (strlen(text) != len) {
        free(text);
        return cli_errorf("'%s' is not an iCalendar file (it has NUL bytes)",
                          argv[optind]);
    }
    if (ics_import_text(cli->st, text, argv[optind], cli->now, &rep, &err) <
        0) {
        free(text);
        return cli_fail(&err);
    }
    free(text);
    printf("imported %s: %d interview%s added, %d updated, %d cancelled, "
           "%d contact%s added, %d task%s updated",
           argv[optind], rep.interviews_added,
           rep.interviews_added == 1 ? "" : "s", rep.interviews_updated,
           rep.interviews_cancelled, rep.contacts_added,
           rep.contacts_added == 1 ? "" : "s", rep.tasks_updated,
           rep.tasks_updated == 1 ? "" : "s");
    if (rep.skipped)
        printf(", %d skipped", rep.skipped);
    printf("\n");
    return 0;
}
