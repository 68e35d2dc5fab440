/* SPDX-License-Identifier: MIT */
/* import.c - 'tiara import': an invitation or a tiara export into the store */
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
    const struct cli_opt opts[] = {{NULL, 0, 0, NULL}};
    const struct cli_args args = {"import", usage, "one FILE", 1, 1};
    struct ics_import_report rep;
    struct err err;
    char *text = NULL;
    const char *path;
    size_t len;
    int first, rc;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    path = argv[first];
    err_clear(&err);
    if (util_read_file(path, &text, &len, &err) < 0)
        return cli_fail(&err);
    if (strlen(text) != len) {
        free(text);
        return cli_errorf("'%s' is not an iCalendar file (it has NUL bytes)",
                          path);
    }
    if (ics_import_text(cli->st, text, path, cli->now, &rep, &err) < 0) {
        free(text);
        return cli_fail(&err);
    }
    free(text);
    printf("imported %s: %d interview%s added, %d updated, %d cancelled, "
           "%d contact%s added, %d task%s updated",
           path, rep.interviews_added, rep.interviews_added == 1 ? "" : "s",
           rep.interviews_updated, rep.interviews_cancelled, rep.contacts_added,
           rep.contacts_added == 1 ? "" : "s", rep.tasks_updated,
           rep.tasks_updated == 1 ? "" : "s");
    if (rep.skipped)
        printf(", %d skipped", rep.skipped);
    printf("\n");
    return 0;
}
