/* SPDX-License-Identifier: MIT */
/* agenda.c - 'tiara agenda': what is coming, in the user's zone */
#include <stdarg.h>
#include <stdint.h>
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
/* The window is read and printed this much at a time, so that an agenda
 * over years holds one stretch of it in memory, never all of it. The
 * default 14 days and --days 90 are one stretch. */
#define STRETCH (128 * 86400)

/* Where an item came from. With its sequence number, this is the order of
 * items at the same time: that of a stable sort of everything in the
 * order it was found, as the agenda has always listed them. */
enum source { SRC_MEETING, SRC_CHECKIN, SRC_FOLLOWUP, SRC_BUSY };

/* The strings of an item, offsets + 1 into its batch's pool (0 for
 * NULL): one growing allocation per stretch instead of four per item. */
enum { S_CONTACT, S_ZONE, S_TEXT, S_HOST_TZ, S_COUNT };

struct item {
    const char *kind; /* for --json: "interview", "prepare", ... */
    utc_t t;
    int minutes; /* 0 for a deadline */
    int overdue;
    int64_t id;         /* interview id, 0 for none */
    int64_t contact_id; /* 0 for none */
    enum source src;
    size_t seq;
    const struct buf *pool;
    size_t str[S_COUNT];
};

/* Who an item is about, borrowed for add_item. */
struct who {
    const char *contact, *zone, *host_tz;
};

struct batch {
    struct item *items;
    size_t n, cap;
    struct buf pool;
};

/* A check-in series the window shows, and its next occurrence there. */
struct series {
    struct rules_checkin ci; /* ci.zone points into agenda.zones */
    utc_t next;
    int64_t contact_id;
    size_t name, host_tz; /* offsets + 1 into agenda.series_pool */
};

struct agenda {
    struct cli *cli;
    utc_t from, to;
    utc_t lo, hi; /* the stretch being read, within [from, to) */
    struct batch over, stretch, followups, busy;
    struct series *series;
    size_t nseries, cap_series;
    size_t *heap; /* indexes into 'series', soonest first */
    size_t nheap, cap_heap;
    struct buf series_pool;
    char **zones; /* the series' zone names, each once */
    size_t nzones, cap_zones;
    size_t seq;
    int overdue, failed;
    int all_overdue;       /* --json lists every one */
    struct cli_json *json; /* --json: the items so far */
    size_t shown;          /* items printed */
    int color;             /* overdue in colour (cli_color_on) */
    char last_day[32];     /* the day heading printed last */
};

static const char *pool_str(const struct buf *pool, size_t off)
{
    return off ? pool->data + off - 1 : NULL;
}

static const char *str(const struct item *it, int k)
{
    return pool_str(it->pool, it->str[k]);
}

/* Copy 's' into 'pool' and set *off to its offset + 1 (0 for NULL);
 * -1 when out of memory. */
static int pool_put(struct buf *pool, const char *s, size_t *off)
{
    *off = 0;
    if (!s)
        return 0;
    *off = pool->len + 1;
    return buf_add(pool, s, strlen(s) + 1);
}

/* A copy of 'proto' about 'w' in batch 'b', with the text of 'fmt'. */
static int add_item(struct agenda *a, struct batch *b, const struct item *proto,
                    const struct who *w, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int add_item(struct agenda *a, struct batch *b, const struct item *proto,
                    const struct who *w, const char *fmt, ...)
{
    struct item *it;
    va_list ap;
    char line[512], *text = line;
    int n;

    if (ALLOC_GROW(b->items, b->n + 1, b->cap) < 0)
        return a->failed = -1;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(line)) {
        va_start(ap, fmt);
        n = vasprintf(&text, fmt, ap);
        va_end(ap);
    }
    if (n < 0)
        return a->failed = -1;
    it = &b->items[b->n];
    *it = *proto;
    it->pool = &b->pool;
    it->seq = a->seq++;
    it->str[S_TEXT] = b->pool.len + 1;
    n = buf_add(&b->pool, text, (size_t)n + 1);
    if (text != line)
        free(text);
    if (n < 0 || pool_put(&b->pool, w->contact, &it->str[S_CONTACT]) < 0 ||
        pool_put(&b->pool, w->zone, &it->str[S_ZONE]) < 0 ||
        pool_put(&b->pool, w->host_tz, &it->str[S_HOST_TZ]) < 0)
        return a->failed = -1;
    b->n++;
    return 0;
}

static void batch_release(struct batch *b)
{
    free(b->items);
    buf_release(&b->pool);
}

/* An item about interview 'iv' (or none) with 'host'. */
static struct item about(const char *kind, utc_t t, enum source src,
                         const struct interview *iv, const struct contact *host,
                         const char *zone, struct who *w)
{
    struct item it = {kind,     t,   0, 0,    iv ? iv->id : 0,
                      host->id, src, 0, NULL, {0}};

    w->contact = host->name;
    w->zone = zone;
    w->host_tz = host->tz;
    return it;
}

static int in_stretch(const struct agenda *a, utc_t t)
{
    return t >= a->lo && t < a->hi;
}

static int on_meeting(const struct interview *iv, const struct contact *host,
                      const struct contact *referrer, void *arg)
{
    struct agenda *a = arg;
    struct batch *b = &a->stretch;
    struct who w;
    utc_t prep, thanks;
    const char *company = host->company;

    (void)referrer;
    if (in_stretch(a, iv->start)) {
        char said[96];
        struct item it =
            about("interview", iv->start, SRC_MEETING, iv, host, iv->tz, &w);

        it.minutes = iv->minutes;
        cli_itip_hint(a->cli, iv, said, sizeof(said));
        add_item(a, b, &it, &w, "%s%s%sinterview with %s%s%s%s, %s%s%s%s",
                 iv->title ? "\"" : "", iv->title ? iv->title : "",
                 iv->title ? "\": " : "", host->name, company ? " (" : "",
                 company ? company : "", company ? ")" : "",
                 model_mode_name(iv->mode), iv->location ? ": " : "",
                 iv->location ? iv->location : "", said);
    }
    if (!iv->prep_done && rules_prep_due(iv, &prep, NULL) == 0 &&
        in_stretch(a, prep) && prep >= a->cli->now) {
        struct item it =
            about("prepare", prep, SRC_MEETING, iv, host, iv->tz, &w);

        add_item(a, b, &it, &w, "preparation for %s due", host->name);
    }
    if (!iv->thanked &&
        rules_thanks_due(iv, rules_thanks_zone(iv), &thanks, NULL) == 0 &&
        in_stretch(a, thanks) && thanks >= a->cli->now) {
        char notes[CLI_NOTES_SHOWN + 16];
        struct item it = about("thanks", thanks, SRC_MEETING, iv, host,
                               rules_thanks_zone(iv), &w);

        cli_notes_hint(iv, notes, sizeof(notes));
        add_item(a, b, &it, &w, "thank-you note to %s due%s", host->name,
                 notes);
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
        struct who w;
        struct item it = about("thanks", thanks, SRC_MEETING, iv, host,
                               rules_thanks_zone(iv), &w);

        it.overdue = 1;
        cli_notes_hint(iv, notes, sizeof(notes));
        add_item(a, &a->over, &it, &w, "thank-you note to %s was due%s",
                 host->name, notes);
    }
    return a->failed;
}

/* The zone name 'zone', kept for the life of the agenda. */
static const char *zone_keep(struct agenda *a, const char *zone)
{
    for (size_t i = 0; i < a->nzones; i++)
        if (strcmp(a->zones[i], zone) == 0)
            return a->zones[i];
    if (ALLOC_GROW(a->zones, a->nzones + 1, a->cap_zones) < 0 ||
        !(a->zones[a->nzones] = strdup(zone)))
        return NULL;
    return a->zones[a->nzones++];
}

/* Is series 'x' due before series 'y'? On a tie the one found first (by
 * contact UID) comes first. */
static int sooner(const struct agenda *a, size_t x, size_t y)
{
    utc_t tx = a->series[x].next, ty = a->series[y].next;

    return tx < ty || (tx == ty && x < y);
}

/* Restore the heap from position 'i' down after its series moved later. */
static void heap_down(struct agenda *a, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i, tmp;

        if (l < a->nheap && sooner(a, a->heap[l], a->heap[m]))
            m = l;
        if (r < a->nheap && sooner(a, a->heap[r], a->heap[m]))
            m = r;
        if (m == i)
            return;
        tmp = a->heap[i];
        a->heap[i] = a->heap[m];
        a->heap[m] = tmp;
        i = m;
    }
}

/* A series with a check-in in the window, kept with the first one there. */
static int on_anchor(const struct contact *host, const struct interview *anchor,
                     void *arg)
{
    struct agenda *a = arg;
    struct series *s;
    struct rules_checkin ci;
    utc_t first;

    if (rules_checkin(host, anchor, &ci, NULL) != 1 ||
        rules_checkin_next(&ci, a->from, &first, NULL) != 1 || first >= a->to)
        return 0;
    if (ALLOC_GROW(a->series, a->nseries + 1, a->cap_series) < 0 ||
        !(ci.zone = zone_keep(a, ci.zone)))
        return a->failed = -1;
    s = &a->series[a->nseries];
    s->ci = ci;
    s->next = first;
    s->contact_id = host->id;
    if (pool_put(&a->series_pool, host->name, &s->name) < 0 ||
        pool_put(&a->series_pool, host->tz, &s->host_tz) < 0)
        return a->failed = -1;
    a->nseries++;
    return 0;
}

static int heap_build(struct agenda *a)
{
    if (a->nseries == 0)
        return 0;
    if (ALLOC_GROW(a->heap, a->nseries, a->cap_heap) < 0)
        return a->failed = -1;
    for (size_t i = 0; i < a->nseries; i++)
        a->heap[i] = i;
    a->nheap = a->nseries;
    for (size_t i = a->nheap / 2; i-- > 0;)
        heap_down(a, i);
    return 0;
}

/* The check-ins of the stretch, from the series due in it, each then
 * moved on to its next occurrence: only occurrences in the window are
 * ever worked out. */
static int checkins_in_stretch(struct agenda *a)
{
    while (a->nheap && a->series[a->heap[0]].next < a->hi) {
        size_t i = a->heap[0];
        struct series *s = &a->series[i];
        struct who w = {pool_str(&a->series_pool, s->name), s->ci.zone,
                        pool_str(&a->series_pool, s->host_tz)};
        struct item it = {"checkin",   s->next, RULES_CHECKIN_MINUTES,
                          0,           0,       s->contact_id,
                          SRC_CHECKIN, 0,       NULL,
                          {0}};

        if (add_item(a, &a->stretch, &it, &w, "check in with %s", w.contact))
            return -1;
        a->stretch.items[a->stretch.n - 1].seq = i;
        if (rules_checkin_next(&s->ci, s->next + 1, &s->next, NULL) != 1 ||
            s->next >= a->to)
            a->heap[0] = a->heap[--a->nheap];
        heap_down(a, 0);
    }
    return 0;
}

static int on_followup(const struct followup *f, void *arg)
{
    struct agenda *a = arg;
    struct contact host;
    struct who w;
    int overdue = f->due < a->cli->now;

    if (f->done || (!overdue && (f->due < a->from || f->due >= a->to)))
        return 0;
    if (store_contact_get(a->cli->st, f->contact_id, &host, NULL) < 0)
        return 0;
    {
        struct item it =
            about("landed", f->due, SRC_FOLLOWUP, NULL, &host, NULL, &w);

        it.overdue = overdue;
        add_item(a, overdue ? &a->over : &a->followups, &it, &w,
                 "tell %s you landed a job%s", host.name,
                 overdue ? " (overdue)" : "");
    }
    model_contact_release(&host);
    return a->failed;
}

/* The user's own events in synced calendars, quietly: when they are. */
static int on_busy(const struct ics_busy *b, void *arg)
{
    struct agenda *a = arg;
    struct who w = {NULL, NULL, NULL};
    struct item it = {
        "busy", b->start, (int)((b->end - b->start) / 60), 0, 0, 0, SRC_BUSY, 0,
        NULL,   {0}};

    return add_item(a, &a->busy, &it, &w, "busy (%s)",
                    b->summary ? b->summary : "your calendar");
}

static int by_time(const void *x, const void *y)
{
    const struct item *a = x, *b = y;

    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void sort_batch(struct batch *b)
{
    if (b->n) /* qsort wants an array, even for none */
        qsort(b->items, b->n, sizeof(*b->items), by_time);
}

static void print_item(struct agenda *a, const struct item *it)
{
    const char *zone = a->cli->zone, *host_tz = str(it, S_HOST_TZ);
    char day[32], clock[64], slot[96];

    size_t len;

    if (it->overdue && a->shown == 0) {
        cli_sgr(stdout, a->color, CLI_SGR_OVERDUE);
        fputs("Overdue", stdout);
        cli_sgr(stdout, a->color, CLI_SGR_RESET);
        putchar('\n');
    }
    a->shown++;
    if (!it->overdue) {
        tz_format_day(zone, it->t, day, sizeof(day));
        if (strcmp(day, a->last_day) != 0) {
            puts(day);
            snprintf(a->last_day, sizeof(a->last_day), "%s", day);
        }
    }
    if (it->overdue) {
        tz_format_time(zone, it->t, slot, sizeof(slot));
    } else if (it->minutes) {
        tz_format_clock(zone, it->t, 0, slot, sizeof(slot));
        len = strlen(slot);
        slot[len] = '-';
        tz_format_clock(zone, it->t + it->minutes * 60, 0, slot + len + 1,
                        sizeof(slot) - len - 1);
    } else {
        tz_format_clock(zone, it->t, 0, slot, sizeof(slot));
    }
    /* printf costs more than the rest of the line: by hand, as
     * "  %-16s %s" would lay it out */
    fputs("  ", stdout);
    fputs(slot, stdout);
    for (len = strlen(slot); len < 16; len++)
        putchar(' ');
    putchar(' ');
    fputs(str(it, S_TEXT), stdout);
    if (it->id > 0) {
        char digits[24], *p = digits + sizeof(digits);
        long long v = it->id;

        *--p = '\0';
        for (; v; v /= 10)
            *--p = (char)('0' + v % 10);
        fputs("  #", stdout);
        fputs(p, stdout);
    } else if (it->id) {
        printf("  #%lld", (long long)it->id);
    }
    if (it->minutes && tz_zones_differ(zone, host_tz, it->t)) {
        tz_format_dual(zone, host_tz, it->t, clock, sizeof(clock));
        fputs("  [", stdout);
        fputs(clock, stdout);
        putchar(']');
    }
    if (it->overdue) {
        fputs("  ", stdout);
        cli_sgr(stdout, a->color, CLI_SGR_OVERDUE);
        fputs("OVERDUE", stdout);
        cli_sgr(stdout, a->color, CLI_SGR_RESET);
    }
    putchar('\n');
}

static void json_item(struct agenda *a, const struct item *it)
{
    struct cli_json *o = cli_json_object();

    cli_json_str(o, "kind", it->kind);
    cli_json_time(o, "at", it->t);
    cli_json_time_or_null(o, "end", it->minutes ? it->t + it->minutes * 60 : 0);
    cli_json_str(o, "zone", str(it, S_ZONE));
    cli_json_str(o, "host_zone", str(it, S_HOST_TZ));
    cli_json_bool(o, "overdue", it->overdue);
    cli_json_id(o, "interview_id", it->id);
    cli_json_id(o, "contact_id", it->contact_id);
    cli_json_str(o, "contact", str(it, S_CONTACT));
    cli_json_str(o, "text", str(it, S_TEXT));
    cli_json_push(a->json, o);
}

static void show(struct agenda *a, const struct item *it)
{
    if (a->json)
        json_item(a, it);
    else
        print_item(a, it);
}

static void show_overdue(struct agenda *a)
{
    sort_batch(&a->over);
    for (size_t i = 0; i < a->over.n; i++)
        show(a, &a->over.items[i]);
    if (!a->json && a->overdue > MAX_OVERDUE && a->over.n)
        printf("  ... and %d more overdue\n", a->overdue - MAX_OVERDUE);
}

/* Move the items of sorted batch 'from' due before the stretch's end,
 * from position *next on, into the stretch. */
static int take_until(struct agenda *a, const struct batch *from, size_t *next)
{
    for (; *next < from->n && from->items[*next].t < a->hi; ++*next) {
        if (ALLOC_GROW(a->stretch.items, a->stretch.n + 1, a->stretch.cap) < 0)
            return a->failed = -1;
        a->stretch.items[a->stretch.n++] = from->items[*next];
    }
    return 0;
}

/* Read and show the window a stretch at a time, in time order. */
static int show_window(struct agenda *a, struct err *err)
{
    size_t next_followup = 0, next_busy = 0;

    sort_batch(&a->followups);
    sort_batch(&a->busy);
    for (a->lo = a->from; a->lo < a->to; a->lo = a->hi) {
        a->hi = a->to - a->lo > STRETCH ? a->lo + STRETCH : a->to;
        a->stretch.n = 0;
        a->stretch.pool.len = 0;
        if (store_meeting_each(a->cli->st, a->lo - REACH, a->hi + REACH, 0, 0,
                               on_meeting, a, err) ||
            checkins_in_stretch(a) < 0 ||
            take_until(a, &a->followups, &next_followup) < 0 ||
            take_until(a, &a->busy, &next_busy) < 0)
            return -1;
        sort_batch(&a->stretch);
        for (size_t i = 0; i < a->stretch.n; i++)
            show(a, &a->stretch.items[i]);
    }
    return 0;
}

static void agenda_release(struct agenda *a)
{
    batch_release(&a->over);
    batch_release(&a->stretch);
    batch_release(&a->followups);
    batch_release(&a->busy);
    free(a->series);
    free(a->heap);
    buf_release(&a->series_pool);
    for (size_t i = 0; i < a->nzones; i++)
        free(a->zones[i]);
    free(a->zones);
    cli_json_free(a->json);
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
    a.color = cli_color_on(cli, stdout);
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
    if (json && !(a.json = cli_json_array())) {
        err_set(&err, ERR_NOMEM, "out of memory");
        goto fail;
    }
    /* Overdue items first, then the window in time order; the check-in
     * series, follow-ups and busy times are few enough to hold. */
    if (store_meeting_each(cli->st, INT64_MIN, cli->now, 0,
                           STORE_UNTHANKED_ONLY, on_overdue, &a, &err) ||
        store_followup_each(cli->st, on_followup, &a, &err) ||
        (cli->cfg->defaults.agenda_busy &&
         cli_busy_each(cli, a.from, a.to, on_busy, &a, &err)) ||
        store_anchor_window_each(cli->st, a.from, a.to, on_anchor, &a, &err) ||
        heap_build(&a) < 0)
        goto fail;
    show_overdue(&a);
    if (show_window(&a, &err) < 0)
        goto fail;
    if (json) {
        status = cli_json_print_items(a.json, &err) < 0 ? cli_fail(&err) : 0;
        a.json = NULL;
        goto out;
    }
    if (a.shown == 0)
        printf("nothing scheduled\n");
    status = 0;
    goto out;
fail:
    if (a.failed)
        err_set(&err, ERR_NOMEM, "out of memory");
    status = cli_fail(&err);
out:
    agenda_release(&a);
    return status;
}
