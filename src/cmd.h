/* SPDX-License-Identifier: MIT */
/* cmd.h - the command table and helpers shared by the commands (private) */
#ifndef TIARA_CMD_H
#define TIARA_CMD_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "model.h"
#include "store.h"

enum {
    NEED_STORE = 1 << 0,
    NEED_CONFIG = 1 << 1,
    NEED_NET = 1 << 2,
};

/* What every command gets: the open store and the session's clock. */
struct cli {
    const char *db_path;
    struct store *st;         /* open when the command asked for NEED_STORE */
    utc_t now;                /* $TIARA_NOW (tests) or the clock, read once */
    const char *zone;         /* the user's zone */
    const char *prog;         /* "tiara" */
    const struct config *cfg; /* the settings file, read once */
};

struct cmd {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    unsigned needs;
    const char *summary;
};

/* Print "tiara: <msg>" for 'e' and return its exit code. */
int cli_fail(const struct err *e);
/* Print "tiara: <fmt>" and return 1 (a user error). */
int cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error and a hint to try --help; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Dispatch argv[1] through a verb table (the same shape as commands). */
int cli_dispatch_verb(struct cli *cli, const char *cmd, const struct cmd *verbs,
                      size_t n, const char *usage, int argc, char **argv);

/* Format a UTC time in 'zone' as "2026-12-03 10:00" (n >= 20). */
void cli_format_time(const char *zone, utc_t t, char *out, size_t n);

/* "Thu 2026-12-03" for 't' in 'zone' (n >= 16). */
void cli_format_day(const char *zone, utc_t t, char *out, size_t n);
/* "10:00", or "10:00 EST" with the zone's abbreviation. */
void cli_format_clock(const char *zone, utc_t t, int with_abbrev, char *out,
                      size_t n);
/* Do the zones show different clocks at 't'? */
int cli_zones_differ(const char *a, const char *b, utc_t t);
/* "10:00", or "10:00 EST / 16:00 CET" when the host's zone differs. */
void cli_format_dual(const char *zone, const char *host_zone, utc_t t,
                     char *out, size_t n);
/* Save a changed interview: bump its SEQUENCE and LAST-MODIFIED, and its
 * contact's (whose check-in series follows its interviews). Call inside a
 * transaction. */
int cli_touch_interview(struct cli *cli, struct interview *iv, struct err *err);

/* Print 's' and pad it with spaces to 'width' characters (UTF-8). */
void cli_print_padded(const char *s, int width);

int cmd_contact(struct cli *cli, int argc, char **argv);
int cmd_schedule(struct cli *cli, int argc, char **argv);
int cmd_reschedule(struct cli *cli, int argc, char **argv);
int cmd_cancel(struct cli *cli, int argc, char **argv);
int cmd_thanked(struct cli *cli, int argc, char **argv);
int cmd_prepared(struct cli *cli, int argc, char **argv);
int cmd_checkin(struct cli *cli, int argc, char **argv);
int cmd_landed(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_agenda(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_timer(struct cli *cli, int argc, char **argv);
int cmd_calendar(struct cli *cli, int argc, char **argv);
int cmd_sync(struct cli *cli, int argc, char **argv);

#endif
