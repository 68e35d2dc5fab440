/* SPDX-License-Identifier: MIT */
/* ics_export.c - walking the store into entries: the streaming .ics
 * export and one VCALENDAR per CalDAV resource */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crash.h"
#include "ics_priv.h"
#include "rules.h"
#include "tz.h"
#include "tzif.h"
#include "util.h"

/* The year a VTIMEZONE must cover from, for times from 't' on. */
static int first_year(utc_t t)
{
    struct civil c;

    tz_civil_from_epoch(t - 2 * 86400, &c); /* any zone's offset fits */
    return c.year < 1970 ? 1970 : c.year;
}

/* Zone text cache: building a VTIMEZONE costs more than an interview. */
struct zone_cache {
    char *names[64];
    int years[64];
    char *texts[64];
    size_t n;
};

static void zone_cache_release(struct zone_cache *zc);

static const char *zone_text(struct zone_cache *zc, const char *zone, int year)
{
    for (size_t i = 0; i < zc->n; i++)
        if (zc->years[i] == year && strcmp(zc->names[i], zone) == 0)
            return zc->texts[i];
    if (zc->n == sizeof(zc->names) / sizeof(zc->names[0]))
        zone_cache_release(zc); /* many zones and years: start over */
    /* RFC 5545 3.6.5 needs only the observances the object's times use,
     * and a zone's whole history is kilobytes in every CalDAV resource;
     * no end, as check-ins recur without one. */
    if (strcmp(zone, "UTC") == 0)
        return "";
    zc->texts[zc->n] = tz_vtimezone(zone, year, NULL);
    if (!zc->texts[zc->n])
        return "";
    zc->names[zc->n] = strdup(zone);
    zc->years[zc->n] = year;
    if (!zc->names[zc->n] || !zc->texts[zc->n]) {
        free(zc->names[zc->n]);
        free(zc->texts[zc->n]);
        return "";
    }
    return zc->texts[zc->n++];
}

static void zone_cache_release(struct zone_cache *zc)
{
    for (size_t i = 0; i < zc->n; i++) {
        free(zc->names[i]);
        free(zc->texts[i]);
    }
    zc->n = 0;
}

/* One component's text, handed to an emit_fn with what it belongs to. */
struct component {
    const struct buf *text;
    const char *uid;
    enum ics_kind kind;
    const char *zone; /* the zone its times are written in */
    utc_t earliest;   /* its earliest time, for the VTIMEZONE's reach */
    const struct interview *iv;
    const struct contact *host;
};

typedef int (*emit_fn)(const struct component *c, void *ctx);

/* Hand a component on unless building it (or its UID) ran out of memory:
 * the writers only append, and struct buf remembers a failed append. */
static int emit_built(emit_fn emit, const struct component *c, void *ctx,
                      const struct buf *uid, struct err *err)
{
    if (c->text->failed || (uid && uid->failed))
        return err_set(err, ERR_NOMEM, "out of memory");
    return emit(c, ctx);
}

/* The components implied by one interview, handed one by one to 'emit';
 * 'scratch' holds each in turn. A cancelled interview's tasks come
 * (cancelled) only 'with_cancelled'. */
static int emit_interview(const struct interview *iv,
                          const struct contact *host,
                          const struct contact *referrer,
                          const struct ics_options *opt, int with_cancelled,
                          struct buf *scratch, emit_fn emit, void *ctx,
                          struct err *err)
{
    struct component c = {
        scratch, iv->uid, ICS_KIND_INTERVIEW, iv->tz, iv->start, iv, host};
    struct buf uid;
    int ret;

    scratch->len = 0;
    ics_write_interview(scratch, iv, host, referrer, opt);
    ret = emit_built(emit, &c, ctx, NULL, err);
    if (ret || (iv->status != STATUS_SCHEDULED && !with_cancelled))
        return ret;
    buf_init(&uid);
    scratch->len = 0;
    buf_printf(&uid, "%s%s", iv->uid, ICS_PREP_SUFFIX);
    c.uid = uid.data;
    c.kind = ICS_KIND_PREP;
    ret = ics_write_prep(scratch, iv, host, opt, err);
    if (ret == 0)
        ret = emit_built(emit, &c, ctx, &uid, err);
    else if (ret > 0)
        ret = 0; /* no preparation for a meeting recorded afterwards */
    if (!ret) {
        scratch->len = 0;
        uid.len = 0;
        buf_printf(&uid, "%s%s", iv->uid, ICS_THANKS_SUFFIX);
        c.uid = uid.data;
        c.kind = ICS_KIND_THANKS;
        ret = ics_write_thanks(scratch, iv, host, opt, err);
        if (!ret)
            ret = emit_built(emit, &c, ctx, &uid, err);
    }
    buf_release(&uid);
    return ret;
}

/* A contact's check-in series; 'with_cancelled', one that has ended
 * before its first check-in, or whose interviews were all cancelled,
 * comes cancelled instead of not at all. */
static int emit_checkin(const struct contact *host,
                        const struct interview *anchor, int with_cancelled,
                        struct buf *scratch, emit_fn emit, void *ctx,
                        struct err *err)
{
    struct rules_checkin ci;
    struct component c = {scratch,    NULL,          ICS_KIND_CHECKIN,
                          anchor->tz, anchor->start, anchor,
                          host};
    struct buf uid;
    int found, ret, cancelled = anchor->status != STATUS_SCHEDULED;

    found = rules_checkin(host, anchor, &ci, err);
    if (found == 0 && with_cancelled && host->checkin_stopped) {
        struct contact open = *host;

        open.checkin_stopped = 0; /* where the series would have started */
        if (open.cadence == CADENCE_NONE)
            open.cadence = CADENCE_QUARTERLY; /* turned off: any date will do */
        found = rules_checkin(&open, anchor, &ci, err);
        cancelled = 1;
    }
    if (found <= 0 || (cancelled && !with_cancelled))
        return found < 0 ? found : 0;
    buf_init(&uid);
    buf_printf(&uid, "%s%s", host->uid, ICS_CHECKIN_SUFFIX);
    c.uid = uid.data;
    scratch->len = 0;
    ics_write_checkin(scratch, host, anchor, &ci, cancelled);
    ret = emit_built(emit, &c, ctx, &uid, err);
    buf_release(&uid);
    return ret;
}

/* Walk state shared by export and per-entry iteration. */
struct walk {
    struct store *st;
    const struct ics_options *opt;
    struct err *err;
    emit_fn emit;
    void *ctx;
    utc_t from, to;     /* anchors outside are skipped (export windows) */
    struct buf scratch; /* the component being written */
    int64_t contact_id; /* 0 for all */
    /* What a calendar that imported an earlier file must hear was
     * cancelled (a file's walk; sync deletes such entries instead). */
    int with_cancelled;
    utc_t since; /* removed contacts' entries removed before are left out */
    int64_t interview_id; /* only this interview's entries; 0 for all */
};

/* A bad stored value (ERR_INPUT) spoils one entry, not the walk, when
 * the caller can be told. */
static int skipped(struct walk *w, int ret, const char *what, int64_t id)
{
    char name[64];

    if (ret >= 0 || !w->opt->skip || !w->err || w->err->kind != ERR_INPUT)
        return ret;
    snprintf(name, sizeof(name), "%s #%lld", what, (long long)id);
    w->opt->skip(w->opt->skip_ctx, name, w->err->msg);
    err_clear(w->err);
    return 0;
}

static int walk_meeting(const struct interview *iv, const struct contact *host,
                        const struct contact *referrer, void *arg)
{
    struct walk *w = arg;

    if (w->interview_id && iv->id != w->interview_id)
        return 0;
    return skipped(w,
                   emit_interview(iv, host, referrer, w->opt, w->with_cancelled,
                                  &w->scratch, w->emit, w->ctx, w->err),
                   "interview", iv->id);
}

static int walk_anchor(const struct contact *host,
                       const struct interview *anchor, void *arg)
{
    struct walk *w = arg;

    if (anchor->start < w->from || anchor->start >= w->to)
        return 0;
    return skipped(w,
                   emit_checkin(host, anchor, w->with_cancelled, &w->scratch,
                                w->emit, w->ctx, w->err),
                   "check-ins with contact", host->id);
}

static int walk_removed(const struct store_removed *r, void *arg)
{
    struct walk *w = arg;
    struct component c = {
        &w->scratch, r->uid, ICS_KIND_INTERVIEW, r->tz, r->start - 15 * 60,
        NULL,        NULL};

    ics_kind_parse(r->kind, &c.kind);
    w->scratch.len = 0;
    ics_write_removed(&w->scratch, r, w->opt);
    return emit_built(w->emit, &c, w->ctx, NULL, w->err);
}

static int walk_followup(const struct followup *f, void *arg)
{
    struct walk *w = arg;
    struct contact host;
    struct component c = {&w->scratch, f->uid, ICS_KIND_LANDED, NULL, f->due,
                          NULL,        NULL};
    int ret;

    if (w->contact_id && f->contact_id != w->contact_id)
        return 0;
    if (store_contact_get(w->st, f->contact_id, &host, w->err) < 0)
        return -1;
    c.zone = host.tz ? host.tz : "UTC";
    c.host = &host;
    w->scratch.len = 0;
    ics_write_landed(&w->scratch, f, &host, w->opt);
    ret = emit_built(w->emit, &c, w->ctx, NULL, w->err);
    model_contact_release(&host);
    return ret;
}

static void walk_init(struct walk *w, struct store *st,
                      const struct ics_filter *f, const struct ics_options *opt,
                      emit_fn emit, void *ctx, struct err *err)
{
    memset(w, 0, sizeof(*w));
    w->st = st;
    w->opt = opt;
    w->err = err;
    w->emit = emit;
    w->ctx = ctx;
    w->from = f && (f->from || f->to) ? f->from : INT64_MIN;
    w->to = f && (f->from || f->to) ? f->to : INT64_MAX;
    w->contact_id = f ? f->contact_id : 0;
    /* RFC 5545 gives no lifetime; a year reaches anyone who imports
     * tiara's file now and then */
    w->since = f && f->now ? f->now - ICS_REMOVED_KEPT : INT64_MIN;
    buf_init(&w->scratch);
}

static void walk_release(struct walk *w)
{
    buf_release(&w->scratch);
}

static int walk_all(struct walk *w, int flags)
{
    int ret;

    ret = store_meeting_each(w->st, w->from, w->to, w->contact_id, flags,
                             walk_meeting, w, w->err);
    if (w->interview_id)
        return ret; /* the contact's check-ins are not the interview's */
    if (!ret)
        ret = store_anchor_each(w->st, w->contact_id, flags, walk_anchor, w,
                                w->err);
    /* follow-ups belong to no time window */
    if (!ret && w->from == INT64_MIN && w->to == INT64_MAX)
        ret = store_followup_each(w->st, walk_followup, w, w->err);
    if (ret || !w->with_cancelled || w->contact_id)
        return ret; /* a removed contact is no one's to filter by */
    return store_removed_each(w->st, w->from, w->to, w->since, walk_removed, w,
                              w->err);
}

/* Export: components are written as they are built. */
struct export_ctx {
    FILE *out;
    int failed;
};

static int export_emit(const struct component *c, void *arg)
{
    struct export_ctx *x = arg;

    if (fwrite(c->text->data, 1, c->text->len, x->out) != c->text->len)
        x->failed = 1;
    crash_point("export-mid-write");
    return x->failed ? -1 : 0;
}

struct zones_ctx {
    char **names;
    size_t n, cap;
    utc_t earliest;
    int failed;
};

/* Every zone in use, once: each needs its VTIMEZONE in the file. */
static int collect_zone(struct zones_ctx *z, const char *zone)
{
    if (!zone || strcmp(zone, "UTC") == 0)
        return 0;
    for (size_t i = 0; i < z->n; i++)
        if (strcmp(z->names[i], zone) == 0)
            return 0;
    if (ALLOC_GROW(z->names, z->n + 1, z->cap) < 0 ||
        !(z->names[z->n] = strdup(zone))) {
        z->failed = 1;
        return -1;
    }
    z->n++;
    return 0;
}

static int zone_in_use(const char *zone, void *arg)
{
    return collect_zone(arg, zone);
}

static int zones_of_contact(const struct contact *c, void *arg)
{
    return collect_zone(arg, c->tz);
}

static int zones_of_followup(const struct followup *f, void *arg)
{
    struct zones_ctx *z = arg;

    if (f->due < z->earliest)
        z->earliest = f->due;
    return 0;
}

static int zones_of_removed(const struct store_removed *r, void *arg)
{
    struct zones_ctx *z = arg;

    if (r->start - 15 * 60 < z->earliest)
        z->earliest = r->start - 15 * 60; /* a deadline's event form */
    return collect_zone(z, r->tz);
}

int ics_export(struct store *st, const struct ics_filter *f,
               const struct ics_options *opt, FILE *out, struct err *err)
{
    struct walk w;
    struct export_ctx x = {out, 0};
    struct zones_ctx zones = {NULL, 0, 0, INT64_MAX, 0};
    struct zone_cache zc;
    int ret = -1;

    memset(&zc, 0, sizeof(zc));
    walk_init(&w, st, f, opt, export_emit, &x, err);
    w.with_cancelled = 1;
    /* VTIMEZONEs come first (RFC 5545 3.6.5 wants them in the object;
     * clients read them before the components that use them). */
    if (store_interview_zones(st, w.from, w.to, w.contact_id,
                              STORE_WITH_CANCELLED, zone_in_use, &zones,
                              &zones.earliest, err) ||
        store_contact_each(st, zones_of_contact, &zones, err) ||
        store_followup_each(st, zones_of_followup, &zones, err) ||
        (!w.contact_id && store_removed_each(st, w.from, w.to, w.since,
                                             zones_of_removed, &zones, err))) {
        if (zones.failed)
            err_set(err, ERR_NOMEM, "out of memory");
        goto out;
    }
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" ICS_PRODID
          "\r\nCALSCALE:GREGORIAN\r\n",
          out);
    for (size_t i = 0; i < zones.n; i++)
        fputs(zone_text(&zc, zones.names[i], first_year(zones.earliest)), out);
    /* A file keeps cancelled interviews too: nothing is lost on import,
     * and a calendar that imported an earlier file learns what ended. */
    if (walk_all(&w, STORE_WITH_CANCELLED) != 0) {
        if (x.failed)
            err_set(err, ERR_IO, "cannot write calendar: %s", strerror(errno));
        goto out;
    }
    crash_point("export-before-end");
    if (fputs("END:VCALENDAR\r\n", out) == EOF || fflush(out) == EOF) {
        err_set(err, ERR_IO, "cannot write calendar: %s", strerror(errno));
        goto out;
    }
    ret = 0;
out:
    walk_release(&w);
    zone_cache_release(&zc);
    for (size_t i = 0; i < zones.n; i++)
        free(zones.names[i]);
    free(zones.names);
    return ret;
}

/* Per-entry iteration: each component wrapped in its own VCALENDAR. */
struct entry_ctx {
    ics_entry_fn fn;
    void *ctx;
    struct err *err;
    struct zone_cache zc;
    struct buf text;
};

static int entry_emit(const struct component *c, void *arg)
{
    struct entry_ctx *e = arg;
    struct ics_entry entry;

    e->text.len = 0;
    buf_adds(&e->text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" ICS_PRODID
                       "\r\nCALSCALE:GREGORIAN\r\n");
    if (c->zone && strcmp(c->zone, "UTC") != 0)
        buf_adds(&e->text, zone_text(&e->zc, c->zone, first_year(c->earliest)));
    buf_add(&e->text, c->text->data, c->text->len);
    if (buf_adds(&e->text, "END:VCALENDAR\r\n") < 0)
        return err_set(e->err, ERR_NOMEM, "out of memory");
    entry.kind = c->kind;
    entry.uid = c->uid;
    entry.text = e->text.data;
    entry.interview_id =
        c->kind == ICS_KIND_LANDED || c->kind == ICS_KIND_CHECKIN || !c->iv
            ? 0
            : c->iv->id;
    entry.contact_id = c->host ? c->host->id : 0;
    return e->fn(&entry, e->ctx);
}

int ics_each_entry(struct store *st, const struct ics_options *opt,
                   ics_entry_fn fn, void *ctx, struct err *err)
{
    struct walk w;
    struct entry_ctx e;
    int ret;

    memset(&e, 0, sizeof(e));
    e.fn = fn;
    e.ctx = ctx;
    e.err = err;
    buf_init(&e.text);
    walk_init(&w, st, NULL, opt, entry_emit, &e, err);
    /* Cancelled interviews are not entries: their resources go away. */
    ret = walk_all(&w, 0);
    walk_release(&w);
    zone_cache_release(&e.zc);
    buf_release(&e.text);
    return ret;
}

/* Removing a contact: each entry it implies now, kept as cancelled. */
struct entomb {
    struct store *st;
    utc_t now;
    struct err *err;
};

static int entomb_emit(const struct component *c, void *arg)
{
    struct entomb *t = arg;
    struct store_removed r;
    char owner[512];
    icalcomponent *ic;
    int ret = 0;

    /* read back with the reader import uses, so both keep the same */
    ic = icalparser_parse_string(c->text->data);
    if (!ic)
        return err_set(t->err, ERR_NOMEM, "out of memory");
    if (ics_removed_read(ic, &r, owner, sizeof(owner)) == 0) {
        r.seq++; /* above the last one exported */
        r.removed = t->now;
        ret = store_removed_put(t->st, &r, t->err);
    }
    icalcomponent_free(ic);
    return ret;
}

/* An entry that cannot be written was never exported: nothing to cancel. */
static void skip_quietly(void *ctx, const char *what, const char *why)
{
    (void)ctx;
    (void)what;
    (void)why;
}

/* Keep, cancelled, what the filter's walk would export now. */
static int entomb_all(struct store *st, const struct ics_filter *f,
                      int64_t interview_id, utc_t now, struct err *err)
{
    struct ics_options opt = {0, 0, skip_quietly, NULL};
    struct entomb t = {st, now, err};
    struct walk w;
    int ret;

    walk_init(&w, st, f, &opt, entomb_emit, &t, err);
    w.with_cancelled = 1;
    w.interview_id = interview_id;
    ret = walk_all(&w, STORE_WITH_CANCELLED);
    walk_release(&w);
    return ret;
}

int ics_remove_contact(struct store *st, int64_t contact_id, utc_t now,
                       struct err *err)
{
    struct ics_filter f = {0, 0, contact_id, 0};

    return entomb_all(st, &f, 0, now, err);
}

int ics_remove_interview(struct store *st, const struct interview *iv,
                         utc_t now, struct err *err)
{
    struct ics_filter f = {iv->start, iv->start + 1, iv->contact_id, 0};

    return entomb_all(st, &f, iv->id, now, err);
}
