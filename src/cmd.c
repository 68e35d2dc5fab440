/* SPDX-License-Identifier: MIT */
/* cmd.c - helpers the commands share: errors, verbs, time formatting */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
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
    for (size_t i = 0; i < n; i++) {
        if (strcmp(verbs[i].name, argv[1]) == 0)
            return verbs[i].run(cli, argc - 1, argv + 1);
    }
    return cli_usage_error(cmd, "unknown '%s' verb '%s'", cmd, argv[1]);
}

void cli_format_time(const char *zone, utc_t t, char *out, size_t n)
{
    struct civil c;

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    snprintf(out, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour,
             c.minute);
}

void cli_format_day(const char *zone, utc_t t, char *out, size_t n)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed",
                                     "Thu", "Fri", "Sat"};
    struct civil c;

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    snprintf(out, n, "%s %04d-%02d-%02d", wd[tz_weekday(&c)], c.year, c.month,
             c.day);
}

void cli_format_clock(const char *zone, utc_t t, int with_abbrev, char *out,
                      size_t n)
{
    struct civil c;
    char abbrev[16];

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    if (!with_abbrev) {
        snprintf(out, n, "%02d:%02d", c.hour, c.minute);
        return;
    }
    tz_abbrev(zone, t, abbrev, sizeof(abbrev));
    snprintf(out, n, "%02d:%02d %s", c.hour, c.minute, abbrev);
}

int cli_zones_differ(const char *a, const char *b, utc_t t)
{
    int oa, ob;
    struct civil c;

    if (util_empty(a) || util_empty(b) || strcmp(a, b) == 0)
        return 0;
    if (tz_from_utc(a, t, &c, &oa, NULL) < 0 ||
        tz_from_utc(b, t, &c, &ob, NULL) < 0)
        return 0;
    return oa != ob;
}

void cli_format_dual(const char *zone, const char *host_zone, utc_t t,
                     char *out, size_t n)
{
    char mine[32], theirs[32];

    if (!cli_zones_differ(zone, host_zone, t)) {
        cli_format_clock(zone, t, 0, out, n);
        return;
    }
    cli_format_clock(zone, t, 1, mine, sizeof(mine));
    cli_format_clock(host_zone, t, 1, theirs, sizeof(theirs));
    snprintf(out, n, "%s / %s", mine, theirs);
}

int cli_touch_interview(struct cli *cli, struct interview *iv, struct err *err)
{
    struct contact c;
    int ret;

    iv->seq++;
    iv->modified = cli->now;
    if (store_interview_update(cli->st, iv, err) < 0)
        return -1;
    /* The contact's check-in series derives from its interviews. */
    if (store_contact_get(cli->st, iv->contact_id, &c, err) < 0)
        return -1;
    c.seq++;
    c.modified = cli->now;
    ret = store_contact_update(cli->st, &c, err);
    model_contact_release(&c);
    return ret;
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
