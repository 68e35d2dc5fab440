/* SPDX-License-Identifier: MIT */
/* agenda.c - 'tiara agenda': what is coming, in the user's zone */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ics.h"
#include "rules.h"
#include "tz.h"
#include "util.h"
#include "when.h"

static const char agenda_usage[] =
    "usage: tiara agenda [--from WHEN] [--to WHEN] [-d|--days N]\n"
    "                    [-j|--json] [-o FILE]\n"
    "\n"
    "What is coming: interviews, preparation and thank-you deadlines,\n"
    "check-ins and follow-ups, in your zone (and the host's, when it\n"
    "differs). Overdue thank-you notes come first. Default: the next 14 "
    "days.\n"
    "Your own events in synced calendars show as 'busy' lines\n"
    "([defaults] agenda_busy = no in the settings file hides them).\n"
    "--json prints the items as JSON (docs/json.md), every overdue one.\n";

/* Deadlines reach this far around an interview: preparation the day
 * before, the thank-you note by the end of the next day. */
#define REACH (3 * 86400)
/* Overdue items are listed one by one up to this many. */
#define MAX_OVERDUE 10

struct item {
    const char *kind; /* for --json: "interview", "prepare", ... */
    utc_t t;
    int minutes; /* 0 for a deadline */
    int overdue;
    int64_t id;         /* interview id, 0 for none */
    int64_t contact_id; /* 0 for none */
    char *contact;      /* the host's name, or NULL */
    char *zone;         /* the zone 't' belongs to, or NULL */
    char *text;
    char *host_tz; /* to show the host's clock as well */
};

struct agenda {
    struct cli *cli;
    utc_t from, to;
    struct item *items;
    size_t n, cap;
    int overdue, failed;
    int all_overdue; /* --json lists every one */
};

/* A copy of 'proto' (its strings borrowed) with the text of 'fmt'. */
static int add_item(struct agenda *a, const struct item *proto, const char *fmt,
                    ...) __attribute__((format(printf, 3, 4)));

static int add_item(struct agenda *a, const struct item *proto, const char *fmt,
                    ...)
{
    struct item *it;
    va_list ap;
    char *text;
    int n;

    if (ALLOC_GROW(a->items, a->n + 1, a->cap) < 0)
        return a->failed = -1;
    va_start(ap, fmt);
    n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return a->failed = -1;
    it = &a->items[a->n++];
    *it = *proto;
    it->text = text;
    it->host_tz = util_strdup(proto->host_tz);
    it->contact = util_strdup(proto->contact);
    it->zone = util_strdup(proto->zone);
    return 0;
}

/* An item about interview 'iv' with 'host'. */
static struct item about(const char *kind, utc_t t, const struct interview *iv,
                         const struct contact *host, const char *zone)
{
    struct item it = {
        kind,         t,    0,       0, iv ? iv->id : 0, host->id, host->name,
        (char *)zone, NULL, host->tz};

    return it;
}

static int in_window(const struct agenda *a, utc_t t)
{
    return t >= a->from && t < a->to;
}

static int on_meeting(const struct interview *iv, const struct contact *host,
                      const struct contact *referrer, void *arg)
{
    struct agenda *a = arg;
    utc_t prep, thanks;
    const char *company = host->company;

    (void)referrer;
    if (in_window(a, iv->start)) {
        char said[96];
        struct item it = about("interview", iv->start, iv, host, iv->tz);

        it.minutes = iv->minutes;
        cli_itip_hint(a->cli, iv, said, sizeof(said));
        add_item(a, &it, "%s%s%sinterview with %s%s%s%s, %s%s%s%s",
                 iv->title ? "\"" : "", iv->title ? iv->title : "",
                 iv->title ? "\": " : "", host->name, company ? " (" : "",
                 company ? company : "", company ? ")" : "",
                 model_mode_name(iv->mode), iv->location ? ": " : "",
                 iv->location ? iv->location : "", said);
    }
    if (!iv->prep_done && rules_prep_due(iv, &prep, NULL) == 0 &&
        in_window(a, prep) && prep >= a->cli->now) {
        struct item it = about("prepare", prep, iv, host, iv->tz);

        add_item(a, &it, "preparation for %s due", host->name);
    }
    if (!iv->thanked &&
        rules_thanks_due(iv, rules_thanks_zone(iv), &thanks, NULL) == 0 &&
        in_window(a, thanks) && thanks >= a->cli->now) {
        char notes[CLI_NOTES_SHOWN + 16];
        struct item it =
            about("thanks", thanks, iv, host, rules_thanks_zone(iv));

        cli_notes_hint(iv, notes, sizeof(notes));
        add_item(a, &it, "thank-you note to %s due%s", host->name, notes);
    }
    return a->failed;
}

static int on_overdue(const struct interview *iv, const struct contact *host,
                      const struct contact *referrer, void *arg)
{
    struct agenda *a = arg;
    utc_t thanks;

    (void)referrer;
    if (rules_thanks_due(iv, rules_thanks_zone(iv), &thanks, NULL) < 0 ||
        thanks >= a->cli->now)
        return 0;
    if (a->overdue++ < MAX_OVERDUE || a->all_overdue) {
        char notes[CLI_NOTES_SHOWN + 16];
        struct item it =
            about("thanks", thanks, iv, host, rules_thanks_zone(iv));

        it.overdue = 1;
        cli_notes_hint(iv, notes, sizeof(notes));
        add_item(a, &it, "thank-you note to %s was due%s", host->name, notes);
    }
    return a->failed;
}

struct checkin_ctx {
    struct agenda *a;
    const struct contact *host;
    const char *zone; /* the series' */
};

static int on_checkin_instant(utc_t start, void *arg)
{
    struct checkin_ctx *c = arg;
    struct item it = about("checkin", start, NULL, c->host, c->zone);

    it.minutes = RULES_CHECKIN_MINUTES;
    return add_item(c->a, &it, "check in with %s", c->host->name);
}

static int on_anchor(const struct contact *host, const struct interview *anchor,
                     void *arg)
{
    struct agenda *a = arg;
    struct rules_checkin ci;
    struct checkin_ctx c = {a, host, NULL};

    if (rules_checkin(host, anchor, &ci, NULL) != 1)
        return 0;
    c.zone = ci.zone;
    return rules_checkin_each(&ci, a->from, a->to, on_checkin_instant, &c,
                              NULL) < 0
               ? 0
               : a->failed;
}

static int on_followup(const struct followup *f, void *arg)
{
    struct agenda *a = arg;
    struct contact host;
    int overdue = f->due < a->cli->now;

    if (f->done || (!overdue && !in_window(a, f->due)))
        return 0;
    if (store_contact_get(a->cli->st, f->contact_id, &host, NULL) < 0)
        return 0;
    {
        struct item it = about("landed", f->due, NULL, &host, NULL);

        it.overdue = overdue;
        add_item(a, &it, "tell %s you landed a job%s", host.name,
                 overdue ? " (overdue)" : "");
    }
    model_contact_release(&host);
    return a->failed;
}

static int by_time(const void *x, const void *y)
{
    const struct item *a = x, *b = y;

    if (a->overdue != b->overdue)
        return b->overdue - a->overdue;
    return a->t < b->t ? -1 : a->t > b->t;
}

static void print_items(struct agenda *a)
{
    const char *zone = a->cli->zone;
    char day[32], last_day[32] = "", clock[64], end[16], slot[96];
    int color = cli_color_on(a->cli, stdout);

    if (a->n == 0) {
        printf("nothing scheduled\n");
        return;
    }
    for (size_t i = 0; i < a->n; i++) {
        struct item *it = &a->items[i];

        if (it->overdue && i == 0) {
            cli_sgr(stdout, color, CLI_SGR_OVERDUE);
            printf("Overdue");
            cli_sgr(stdout, color, CLI_SGR_RESET);
            putchar('\n');
        }
        if (!it->overdue) {
            tz_format_day(zone, it->t, day, sizeof(day));
            if (strcmp(day, last_day) != 0) {
                printf("%s\n", day);
                snprintf(last_day, sizeof(last_day), "%s", day);
            }
        }
        if (it->overdue) {
            tz_format_time(zone, it->t, slot, sizeof(slot));
        } else if (it->minutes) {
            tz_format_clock(zone, it->t, 0, clock, sizeof(clock));
            tz_format_clock(zone, it->t + it->minutes * 60, 0, end,
                            sizeof(end));
            snprintf(slot, sizeof(slot), "%s-%s", clock, end);
        } else {
            tz_format_clock(zone, it->t, 0, slot, sizeof(slot));
        }
        printf("  %-16s %s", slot, it->text);
        if (it->id)
            printf("  #%lld", (long long)it->id);
        if (it->minutes && tz_zones_differ(zone, it->host_tz, it->t)) {
            tz_format_dual(zone, it->host_tz, it->t, clock, sizeof(clock));
            printf("  [%s]", clock);
        }
        if (it->overdue) {
            printf("  ");
            cli_sgr(stdout, color, CLI_SGR_OVERDUE);
            printf("OVERDUE");
            cli_sgr(stdout, color, CLI_SGR_RESET);
        }
        putchar('\n');
        if (it->overdue && a->overdue > MAX_OVERDUE &&
            (i + 1 == a->n || !a->items[i + 1].overdue))
            printf("  ... and %d more overdue\n", a->overdue - MAX_OVERDUE);
    }
}

static int print_json(const struct agenda *a, struct err *err)
{
    struct cli_json *items = cli_json_array();

    for (size_t i = 0; i < a->n; i++) {
        const struct item *it = &a->items[i];
        struct cli_json *o = cli_json_object();

        cli_json_str(o, "kind", it->kind);
        cli_json_time(o, "at", it->t);
        cli_json_time_or_null(o, "end",
                              it->minutes ? it->t + it->minutes * 60 : 0);
        cli_json_str(o, "zone", it->zone);
        cli_json_str(o, "host_zone", it->host_tz);
        cli_json_bool(o, "overdue", it->overdue);
        cli_json_id(o, "interview_id", it->id);
        cli_json_id(o, "contact_id", it->contact_id);
        cli_json_str(o, "contact", it->contact);
        cli_json_str(o, "text", it->text);
        cli_json_push(items, o);
    }
    return cli_json_print_items(items, err);
}

/* The user's own events in synced calendars, quietly: when they are. */
static int on_busy(const struct ics_busy *b, void *arg)
{
    struct agenda *a = arg;
    struct item it = {
        "busy", b->start, (int)((b->end - b->start) / 60), 0, 0, 0, NULL, NULL,
        NULL,   NULL};

    return add_item(a, &it, "busy (%s)",
                    b->summary ? b->summary : "your calendar");
}

int cmd_agenda(struct cli *cli, int argc, char **argv)
{
    struct agenda a;
    struct err err;
    struct when w;
    const char *from = NULL, *to = NULL, *days_text = NULL;
    int json = 0, first, status = 1;
    const struct cli_opt opts[] = {
        {"from", 0, CLI_STRING, &from},
        {"to", 0, CLI_STRING, &to},
        {"days", 'd', CLI_STRING, &days_text},
        {"json", 'j', CLI_FLAG, &json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"agenda", agenda_usage, "no arguments", 0, 0};
    long days = 14;

    status = cli_parse(&args, opts, argc, argv, &first);
    if (status != CLI_CONTINUE)
        return status;
    status = 1;
    if (days_text && util_parse_long(days_text, 1, 3660, &days) < 0)
        return cli_errorf("--days wants 1 to 3660, not '%s'", days_text);
    err_clear(&err);
    memset(&a, 0, sizeof(a));
    a.cli = cli;
    a.all_overdue = json;
    a.from = cli->now;
    if (from) {
        if (when_parse(from, cli->now, cli->zone, 0, &w, &err) < 0)
            return cli_fail(&err);
        a.from = w.t;
    }
    a.to = a.from + days * 86400;
    if (to) {
        if (when_parse(to, cli->now, cli->zone, 0, &w, &err) < 0)
            return cli_fail(&err);
        /* A bare date includes that whole day. */
        a.to = w.has_time ? w.t : when_day_end(&w);
        if (a.to <= a.from)
            return cli_errorf("--to is not after --from");
    }
    if (store_meeting_each(cli->st, INT64_MIN, cli->now, 0,
                           STORE_UNTHANKED_ONLY, on_overdue, &a, &err) ||
        store_meeting_each(cli->st, a.from - REACH, a.to + REACH, 0, 0,
                           on_meeting, &a, &err) ||
        store_anchor_each(cli->st, 0, 0, on_anchor, &a, &err) ||
        store_followup_each(cli->st, on_followup, &a, &err) ||
        (cli->cfg->defaults.agenda_busy &&
         cli_busy_each(cli, a.from, a.to, on_busy, &a, &err))) {
        if (a.failed)
            err_set(&err, ERR_NOMEM, "out of memory");
        status = cli_fail(&err);
        goto out;
    }
    if (a.n) /* qsort wants an array, even for none */
        qsort(a.items, a.n, sizeof(*a.items), by_time);
    if (json) {
        status = print_json(&a, &err) < 0 ? cli_fail(&err) : 0;
        goto out;
    }
    print_items(&a);
    status = 0;
out:
    for (size_t i = 0; i < a.n; i++) {
        free(a.items[i].text);
        free(a.items[i].host_tz);
        free(a.items[i].contact);
        free(a.items[i].zone);
    }
    free(a.items);
    return status;
}
