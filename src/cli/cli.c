/* SPDX-License-Identifier: MIT */
/* cli.c - what the commands share: errors, verbs, one interview, its plan */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rules.h"
#include "tz.h"
#include "util.h"

int cli_fail(const struct err *e)
{
    fprintf(stderr, "tiara: %s\n", e->msg[0] ? e->msg : "failed");
    return e->kind == ERR_NONE ? 1 : err_exit_code(e->kind);
}

int cli_errorf(const char *fmt, ...)
{
    va_list ap;

    fputs("tiara: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fputs("tiara: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'tiara %s --help'.\n", cmd);
    return 2;
}

int cli_dispatch_verb(struct cli *cli, const char *cmd, const struct cmd *verbs,
                      size_t n, const char *usage, int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    /* A verb's help needs neither the store nor the settings, which are
     * not open when main.c runs a command for its help. */
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(verbs[i].name, argv[1]) == 0)
            return verbs[i].run(cli, argc - 1, argv + 1);
    }
    return cli_usage_error(cmd, "unknown '%s' verb '%s'", cmd, argv[1]);
}

int cli_touch_interview(struct cli *cli, struct interview *iv, struct err *err)
{
    iv->seq++;
    iv->modified = cli->now;
    return store_interview_revise(cli->st, iv, cli->now, err);
}

void cli_print_padded(const char *s, int width)
{
    int cols = 0;

    for (const char *p = s; *p; p++)
        if (((unsigned char)*p & 0xc0) != 0x80) /* not a UTF-8 continuation */
            cols++;
    fputs(s, stdout);
    for (; cols < width; cols++)
        putchar(' ');
}

void cli_print_plan(struct cli *cli, const struct interview *iv,
                    const struct contact *host)
{
    char day[32], start[64], end[16], due[32];
    utc_t t;
    struct rules_checkin ci;
    struct civil c;

    tz_format_day(iv->tz, iv->start, day, sizeof(day));
    tz_format_dual(iv->tz, host->tz, iv->start, start, sizeof(start));
    tz_format_clock(iv->tz, iv->start + iv->minutes * 60, 0, end, sizeof(end));
    printf("  when:      %s %s, until %s (%d min, %s)\n", day, start, end,
           iv->minutes, iv->tz);
    if (strcmp(iv->tz, cli->zone) != 0 &&
        tz_zones_differ(iv->tz, cli->zone, iv->start)) {
        tz_format_time(cli->zone, iv->start, due, sizeof(due));
        printf("             %s your time (%s)\n", due, cli->zone);
    }
    if (rules_prep_due(iv, &t, NULL) == 0) {
        tz_format_time(iv->tz, t, due, sizeof(due));
        printf("  prepare:   by %s\n", due);
    }
    if (rules_thanks_due(iv, rules_thanks_zone(iv), &t, NULL) == 0) {
        tz_format_time(rules_thanks_zone(iv), t, due, sizeof(due));
        if (strcmp(rules_thanks_zone(iv), iv->tz) == 0)
            printf("  thank-you: by %s\n", due);
        else
            printf("  thank-you: by %s %s time\n", due, rules_thanks_zone(iv));
    }
    if (rules_checkin(host, iv, &ci, NULL) == 1) {
        c = ci.first;
        printf("  check-ins: %s from %04d-%02d-%02d %02d:%02d\n",
               model_cadence_name(host->cadence), c.year, c.month, c.day,
               c.hour, c.minute);
    }
}

enum { OPT_UNDO = 256 };

int cli_one_interview(struct cli *cli, int argc, char **argv, const char *cmd,
                      const char *usage, int *undo, struct interview *iv,
                      struct err *err)
{
    static const struct option opts[] = {
        {"undo", no_argument, NULL, OPT_UNDO},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;

    *undo = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_UNDO) {
            *undo = 1;
        } else if (opt == 'h') {
            fputs(usage, stdout);
            return CLI_HELP_SHOWN;
        } else {
            return cli_usage_error(cmd, "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(cmd, "'%s' takes one INTERVIEW", cmd);
    if (store_interview_find(cli->st, argv[optind], cli->now, iv, err) < 0)
        return cli_fail(err);
    return -1; /* found: the caller goes on */
}

int cli_save_interview(struct cli *cli, struct interview *iv, struct err *err)
{
    if (store_begin(cli->st, err) < 0)
        return -1;
    if (cli_touch_interview(cli, iv, err) < 0 ||
        store_commit(cli->st, err) < 0) {
        store_rollback(cli->st);
        return -1;
    }
    return 0;
}
