/* SPDX-License-Identifier: MIT */
/* cli.c - what the commands share: errors, verbs, one interview, its plan */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ics.h"
#include "rules.h"
#include "timer.h"
#include "tz.h"
#include "util.h"

int cli_fail(const struct err *e)
{
    char msg[sizeof(e->msg)];

    /* messages quote what the user or a server gave: no controls */
    snprintf(msg, sizeof(msg), "%s", e->msg[0] ? e->msg : "failed");
    cli_neutralise(msg);
    fprintf(stderr, "tiara: %s\n", msg);
    return e->kind == ERR_NONE ? 1 : err_exit_code(e->kind);
}

int cli_errorf(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cli_neutralise(msg);
    fprintf(stderr, "tiara: %s\n", msg);
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

#define CLI_MAX_OPTS 24

/* The option getopt stopped at, as the user wrote it, without "=value". */
static void bad_option_name(char **argv, char *out, size_t n)
{
    const char *arg = argv[optind - 1];

    if (strncmp(arg, "--", 2) == 0 || !optopt)
        snprintf(out, n, "%.*s", (int)strcspn(arg, "="), arg);
    else
        snprintf(out, n, "-%c", optopt);
}

int cli_parse(const struct cli_args *args, const struct cli_opt *opts, int argc,
              char **argv, int *first)
{
    struct option lopts[CLI_MAX_OPTS + 2];
    char shorts[2 * CLI_MAX_OPTS + 4] = ":h";
    size_t nshort = 2, n = 0;
    char name[64];
    const char *output = NULL;
    int code, operands;

    for (; opts[n].name; n++) {
        const struct cli_opt *o = &opts[n];

        if (n == CLI_MAX_OPTS)
            abort(); /* a programming error: raise CLI_MAX_OPTS */
        lopts[n].name = o->name;
        lopts[n].has_arg = o->type == CLI_STRING || o->type == CLI_OUTPUT
                               ? required_argument
                           : o->type == CLI_OPTIONAL ? optional_argument
                                                     : no_argument;
        lopts[n].flag = NULL;
        lopts[n].val = o->short_name ? o->short_name : 256 + (int)n;
        if (o->short_name) {
            shorts[nshort++] = (char)o->short_name;
            if (o->type == CLI_STRING || o->type == CLI_OUTPUT)
                shorts[nshort++] = ':';
        }
    }
    shorts[nshort] = '\0';
    lopts[n] = (struct option){"help", no_argument, NULL, 'h'};
    lopts[n + 1] = (struct option){NULL, 0, NULL, 0};
    optind = 0; /* glibc: start afresh, whoever parsed before */
    opterr = 0; /* the messages below say it in tiara's words */
    while ((code = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
        const struct cli_opt *o = NULL;

        if (code == 'h') {
            fputs(args->usage, stdout);
            return 0;
        }
        if (code == '?' || code == ':') {
            bad_option_name(argv, name, sizeof(name));
            if (code == ':')
                return cli_usage_error(args->cmd, "%s needs a value", name);
            if (optopt && name[1] == '-') /* "--flag=value" */
                return cli_usage_error(args->cmd, "%s takes no value", name);
            return cli_usage_error(args->cmd, "unknown option '%s'", name);
        }
        for (size_t i = 0; i < n && !o; i++)
            if (lopts[i].val == code)
                o = &opts[i];
        if (o->type == CLI_OUTPUT)
            output = optarg;
        else if (o->type == CLI_FLAG)
            *(int *)o->value = 1;
        else
            *(const char **)o->value = optarg ? optarg : "";
    }
    operands = argc - optind;
    if (operands < args->min || (args->max >= 0 && operands > args->max))
        return cli_usage_error(args->cmd, "'%s' takes %s", args->cmd,
                               args->operands);
    if (output) {
        struct err err;

        err_clear(&err);
        if (cli_output_begin(output, &err) < 0)
            return cli_fail(&err);
    }
    *first = optind;
    return CLI_CONTINUE;
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

int cli_check_video(const char *url, struct err *err)
{
    if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
        return err_set(err, ERR_INPUT,
                       "video link '%s' must start with https://", url);
    return 0;
}

int cli_check_agenda(const char *spec, struct err *err)
{
    struct timer_agenda ag;

    return timer_agenda_parse(spec, &ag, err);
}

struct busy_walk {
    utc_t from, to;
    ics_busy_fn fn;
    void *ctx;
};

static int on_foreign(const char *uid, const char *text, void *arg)
{
    struct busy_walk *w = arg;

    (void)uid;
    return ics_busy_each(text, w->from, w->to, w->fn, w->ctx);
}

int cli_busy_each(struct cli *cli, utc_t from, utc_t to, ics_busy_fn fn,
                  void *ctx, struct err *err)
{
    struct busy_walk w = {from, to, fn, ctx};

    return store_sync_foreign_each(cli->st, 0, on_foreign, &w, err);
}

struct busy_find {
    struct ics_busy *out;
    char *summary;
    size_t n;
};

static int on_span(const struct ics_busy *b, void *ctx)
{
    struct busy_find *f = ctx;

    *f->out = *b;
    snprintf(f->summary, f->n, "%s", b->summary ? b->summary : "busy");
    f->out->summary = f->summary;
    return 1; /* the first one is enough */
}

int cli_busy_clash(struct cli *cli, utc_t start, utc_t end,
                   struct ics_busy *out, char *summary, size_t n,
                   struct err *err)
{
    struct busy_find f = {out, summary, n};
    int rc = cli_busy_each(cli, start, end, on_span, &f, err);

    return rc < 0 ? -1 : rc > 0;
}

void cli_print_padded(const char *s, int width)
{
    int cols = util_display_width(s);

    if (cols > width) {
        /* cut on a character, and say so */
        size_t n = util_display_cut(s, width - 1, &cols);
        fwrite(s, 1, n, stdout);
        fputs("\u2026", stdout);
        cols++;
    } else {
        fputs(s, stdout);
    }
    for (; cols < width; cols++)
        putchar(' ');
}

/* The series follows the contact's latest interview, which need not be
 * the one shown. */
static void print_checkins(struct cli *cli, const struct interview *iv,
                           const struct contact *host)
{
    struct interview anchor;
    struct rules_checkin ci;
    int found = store_interview_anchor(cli->st, host->id, &anchor, NULL);
    const struct interview *from = found == 1 ? &anchor : iv;

    if (rules_checkin(host, from, &ci, NULL) == 1) {
        struct civil c = ci.first;
        printf("  check-ins: %s from %04d-%02d-%02d %02d:%02d",
               model_cadence_name(host->cadence), c.year, c.month, c.day,
               c.hour, c.minute);
        if (from->id != iv->id) {
            char day[32];
            tz_format_day(from->tz, from->start, day, sizeof(day));
            printf(" (after #%lld on %s)", (long long)from->id, day);
        }
        putchar('\n');
    }
    if (found == 1)
        model_interview_release(&anchor);
}

void cli_print_plan(struct cli *cli, const struct interview *iv,
                    const struct contact *host)
{
    char day[32], start[64], end[16], due[32];
    utc_t t;

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
    print_checkins(cli, iv, host);
}

int cli_one_interview(struct cli *cli, int argc, char **argv, const char *cmd,
                      const char *usage, int *undo, struct interview *iv,
                      struct err *err)
{
    /* Without 'undo' the command has no --undo. */
    const struct cli_opt opts[] = {
        {undo ? "undo" : NULL, 0, CLI_FLAG, undo},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {cmd, usage, "one INTERVIEW", 1, 1};
    int first, status;

    if (undo)
        *undo = 0;
    status = cli_parse(&args, opts, argc, argv, &first);
    if (status != CLI_CONTINUE)
        return status;
    if (store_interview_find(cli->st, argv[first], cli->now, iv, err) < 0)
        return cli_fail(err);
    return CLI_CONTINUE; /* found: the caller goes on */
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

void cli_notes_hint(const struct interview *iv, char *out, size_t n)
{
    size_t len;

    out[0] = '\0';
    if (util_empty(iv->notes))
        return;
    len = strcspn(iv->notes, "\n");
    if (len > CLI_NOTES_SHOWN) {
        /* Cut at a character boundary, not inside a UTF-8 sequence. */
        len = CLI_NOTES_SHOWN;
        while (len > 0 && ((unsigned char)iv->notes[len] & 0xc0) == 0x80)
            len--;
        snprintf(out, n, " (notes: \"%.*s...\")", (int)len, iv->notes);
    } else {
        snprintf(out, n, " (notes: \"%.*s\")", (int)len, iv->notes);
    }
}

void cli_import_options(const struct cli *cli, struct ics_import_options *o)
{
    memset(o, 0, sizeof(*o));
    o->me = config_email(cli->cfg);
    o->default_minutes = cli->cfg ? cli->cfg->defaults.minutes : 0;
}

void cli_itip_hint(struct cli *cli, const struct interview *iv, char *out,
                   size_t n)
{
    struct store_itip it;
    char day[24], clock[16];
    int len = 0;

    out[0] = '\0';
    if (store_itip_get(cli->st, iv->uid, &it, NULL) < 0)
        return;
    if (it.answer[0])
        len = snprintf(out, n, ", host %s", it.answer);
    /* a proposal the user took is no longer one */
    if (it.proposed_start && it.proposed_start != iv->start && len >= 0 &&
        (size_t)len < n) {
        tz_format_day(cli->zone, it.proposed_start, day, sizeof(day));
        tz_format_clock(cli->zone, it.proposed_start, 0, clock, sizeof(clock));
        snprintf(out + len, n - (size_t)len, ", host proposes %s %s (%d min)",
                 day, clock, it.proposed_minutes);
    }
}
