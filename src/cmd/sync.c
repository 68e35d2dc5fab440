/* SPDX-License-Identifier: MIT */
/* sync.c - 'tiara calendar' and 'tiara sync': CalDAV (being built) */
#include "cmd.h"

int cmd_calendar(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_errorf("CalDAV calendars are not built yet");
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_errorf("CalDAV sync is not built yet");
}
