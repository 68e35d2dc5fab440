/* SPDX-License-Identifier: MIT */
/* export.c - 'tiara export': the store as an .ics calendar */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ics.h"
#include "util.h"
#include "when.h"

static const char export_usage[] =
    "usage: tiara export [-o FILE] [--from WHEN] [--to WHEN] [--contact C]\n"
    "                    [--todo-as-event] [--with-notes]\n"
    "\n"
    "Write an iCalendar (.ics) file: each interview with its reminder, its\n"
    "preparation and thank-you tasks, the check-in series and follow-ups.\n"
    "Without -o, writes to standard output.\n"
    "\n"
    "  -o, --output FILE   write FILE (replaced whole, never half-written;\n"
    "                      through a symlink, keeping its mode; '-' is\n"
    "                      standard output)\n"
    "  --from, --to WHEN   only interviews starting in this window\n"
    "  --contact C         only this contact's\n"
    "  --todo-as-event     deadlines as short events, for calendars that\n"
    "                      take no tasks\n"
    "  --with-notes        include private notes (left out by default)\n";

static int export_to_file(struct cli *cli, const struct ics_filter *f,
                          const struct ics_options *o, const char *path,
                          struct err *err)
{
    struct util_output out;

    if (util_output_open(path, &out, err) < 0)
        return -1;
    if (ics_export(cli->st, f, o, out.out, err) < 0) {
        util_output_abort(&out);
        return -1;
    }
    return util_output_commit(&out, err);
}

static void on_skip(void *ctx, const char *what, const char *why)
{
    (void)ctx;
    fprintf(stderr, "tiara: %s not fully written: %s; the rest is\n", what,
            why);
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
    struct ics_filter f = {0, 0, 0, 0};
    struct ics_options o = {.skip = on_skip};
    struct err err;
    struct when w;
    struct contact c;
    const char *path = NULL, *from = NULL, *to = NULL, *contact = NULL;
    const struct cli_opt opts[] = {
        {"output", 'o', CLI_STRING, &path},
        {"from", 0, CLI_STRING, &from},
        {"to", 0, CLI_STRING, &to},
        {"contact", 0, CLI_STRING, &contact},
        {"todo-as-event", 0, CLI_FLAG, &o.todo_as_event},
        {"with-notes", 0, CLI_FLAG, &o.with_notes},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"export", export_usage, "no arguments", 0, 0};
    int first, rc;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    err_clear(&err);
    f.now = cli->now;
    if (from || to) {
        f.from = INT64_MIN;
        f.to = INT64_MAX;
    }
    if (from) {
        if (when_parse(from, cli->now, cli->zone, 0, &w, &err) < 0)
            return cli_fail(&err);
        f.from = w.t;
    }
    if (to) {
        if (when_parse(to, cli->now, cli->zone, 0, &w, &err) < 0)
            return cli_fail(&err);
        f.to = w.has_time ? w.t : when_day_end(&w);
        if (f.to <= f.from)
            return cli_errorf("--to is not after --from");
    }
    if (contact) {
        if (store_contact_find(cli->st, contact, &c, &err) < 0)
            return cli_fail(&err);
        f.contact_id = c.id;
        model_contact_release(&c);
    }
    if (!path || strcmp(path, "-") == 0) {
        if (ics_export(cli->st, &f, &o, stdout, &err) < 0)
            return cli_fail(&err);
        return 0;
    }
    if (export_to_file(cli, &f, &o, path, &err) < 0)
        return cli_fail(&err);
    fprintf(stderr, "wrote %s\n", path);
    return 0;
}
