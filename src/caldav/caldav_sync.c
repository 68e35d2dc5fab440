/* SPDX-License-Identifier: MIT */
/* caldav_sync.c - two-way sync of the store with one CalDAV calendar */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caldav_priv.h"
#include "ics.h"
#include "util.h"

#define FETCH_BATCH 100  /* hrefs per calendar-multiget */
#define JOURNAL_BATCH 32 /* remote writes recorded per transaction */

/* One UID: what was last agreed (as stored) and what this run found. */
struct row {
    struct store_sync_item it;
    int stored;   /* the database has a row for it */
    int dirty;    /* save it */
    int drop;     /* delete its row */
    /* remote, this run */
    int listed;   /* named by the listing */
    int removed;  /* deleted on the server */
    int want;     /* to fetch */
    /* local, this run */
    int local;    /* the store implies it now */
    char lnow[CALDAV_HASH_LEN];
    char lastmod[24];
    long spool_off;
    size_t spool_len;
    int adopt;    /* taken in from the server: the local text that follows
                     from it is agreed, not an edit to send */
    int refused;  /* a deletion held back */
    int push;     /* 1: PUT, 2: DELETE */
    int recreate; /* PUT with If-None-Match even though href is known */
};

/* A tiny open-addressing map from strings to row indices. */
struct map {
    char **keys;
    int *vals;
    size_t cap, used;
};

static char tomb[] = "";

static size_t map_hash(const char *s)
{
    size_t h = 5381;

    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static void map_release(struct map *m)
{
    size_t i;

    for (i = 0; i < m->cap; i++)
        if (m->keys[i] && m->keys[i] != tomb)
            free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static int map_get(const struct map *m, const char *key)
{
    size_t i;

    if (!m->cap || !key)
        return -1;
    for (i = map_hash(key) & (m->cap - 1); m->keys[i];
         i = (i + 1) & (m->cap - 1))
        if (m->keys[i] != tomb && strcmp(m->keys[i], key) == 0)
            return m->vals[i];
    return -1;
}

static int map_put(struct map *m, const char *key, int val);

static int map_grow(struct map *m)
{
    struct map n;
    size_t i;

    memset(&n, 0, sizeof(n));
    n.cap = m->cap ? m->cap * 2 : 256;
    n.keys = calloc(n.cap, sizeof(*n.keys));
    n.vals = calloc(n.cap, sizeof(*n.vals));
    if (!n.keys || !n.vals) {
        free(n.keys);
        free(n.vals);
        return -1;
    }
    for (i = 0; i < m->cap; i++) {
        if (m->keys[i] && m->keys[i] != tomb) {
            size_t j = map_hash(m->keys[i]) & (n.cap - 1);
            while (n.keys[j])
                j = (j + 1) & (n.cap - 1);
            n.keys[j] = m->keys[i];
            n.vals[j] = m->vals[i];
            n.used++;
        }
    }
    free(m->keys);
    free(m->vals);
    *m = n;
    return 0;
}

static int map_put(struct map *m, const char *key, int val)
{
    size_t i;

    if ((m->used + 1) * 2 > m->cap && map_grow(m) < 0)
        return -1;
    for (i = map_hash(key) & (m->cap - 1); m->keys[i];
         i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] != tomb && strcmp(m->keys[i], key) == 0) {
            m->vals[i] = val;
            return 0;
        }
    }
    if (!(m->keys[i] = strdup(key)))
        return -1;
    m->vals[i] = val;
    m->used++;
    return 0;
}

static void map_del(struct map *m, const char *key)
{
    size_t i;

    if (!m->cap || !key)
        return;
    for (i = map_hash(key) & (m->cap - 1); m->keys[i];
         i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] != tomb && strcmp(m->keys[i], key) == 0) {
            free(m->keys[i]);
            m->keys[i] = tomb;
            return;
        }
    }
}

/* What the listing said about one href. */
struct listed {
    char *href;
    char *etag;
    int removed;
};

struct sync {
    struct store *st;
    struct http *h;
    const struct store_sync_calendar *cal;
    const struct caldav_sync_options *opt;
    struct caldav_sync_stats *stats;
    struct err *err;
    struct ics_options iopt;
    char *coll;        /* canonical path of the collection */
    struct row *rows;
    size_t n, cap;
    struct map by_uid, by_href;
    FILE *spool;       /* local texts that may be sent */
    int scanned;
    int full;          /* the listing named every item */
    struct listed *list;
    size_t nlist, caplist;
    char *token;       /* where the listing ended */
    char *ctag;
    int use_ctag;      /* the server has no sync-collection */
    int unsettled;     /* something failed: keep the old token and mark */
    int imported;
    int aborted;       /* the server went away */
    long fetched_total;
    long fetch_goal;
    int lazy;          /* only the rows a small delta names are loaded */
    int all_loaded;
};

static void note(struct sync *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(struct sync *s, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (!s->opt->note)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    s->opt->note(s->opt->ctx, msg);
}

static struct row *row_at(struct sync *s, int i)
{
    return i >= 0 ? &s->rows[i] : NULL;
}

static int add_row(struct sync *s, const char *uid)
{
    struct row *r;

    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct row *n = realloc(s->rows, cap * sizeof(*n));
        if (!n)
            return -1;
        s->rows = n;
        s->cap = cap;
    }
    r = &s->rows[s->n];
    memset(r, 0, sizeof(*r));
    r->spool_off = -1;
    if (!(r->it.uid = strdup(uid)) || map_put(&s->by_uid, uid, (int)s->n) < 0)
        return -1;
    return (int)s->n++;
}

static int set_href(struct sync *s, struct row *r, const char *href)
{
    if (r->it.href && href && strcmp(r->it.href, href) == 0)
        return 0;
    if (r->it.href)
        map_del(&s->by_href, r->it.href);
    if (util_set_str(&r->it.href, href) < 0)
        return -1;
    if (href && map_put(&s->by_href, href, (int)(r - s->rows)) < 0)
        return -1;
    r->dirty = 1;
    return 0;
}

static int oom(struct sync *s)
{
    return err_set(s->err, ERR_NOMEM, "out of memory");
}

/* Hrefs to fetch, copied: rows may change theirs while fetching. */
struct hrefs {
    char **v;
    size_t n, cap;
};

static int hrefs_add(struct hrefs *h, const char *href)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        char **v = realloc(h->v, cap * sizeof(*v));
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
    if (!(h->v[h->n] = strdup(href)))
        return -1;
    h->n++;
    return 0;
}

static void hrefs_release(struct hrefs *h)
{
    size_t i;

    for (i = 0; i < h->n; i++)
        free(h->v[i]);
    free(h->v);
    memset(h, 0, sizeof(*h));
}

static int is_interview(struct store *st, const char *uid)
{
    struct interview iv;
    int yes;

    model_interview_init(&iv);
    yes = store_interview_get_uid(st, uid, &iv, NULL) == 0;
    if (yes)
        model_interview_release(&iv);
    return yes;
}

/* ---- the state table ---- */

static int load_row(const struct store_sync_item *it, void *ctx)
{
    struct sync *s = ctx;
    int i;
    struct row *r;

    if (map_get(&s->by_uid, it->uid) >= 0)
        return 0; /* loaded already, maybe changed since: keep that */
    if ((i = add_row(s, it->uid)) < 0)
        return oom(s);

    r = &s->rows[i];
    r->stored = 1;
    if (util_set_str(&r->it.etag, it->etag) < 0 ||
        util_set_str(&r->it.lhash, it->lhash) < 0 ||
        util_set_str(&r->it.rhash, it->rhash) < 0 ||
        util_set_str(&r->it.pending, it->pending) < 0 ||
        util_set_str(&r->it.pending_hash, it->pending_hash) < 0 ||
        set_href(s, r, it->href) < 0)
        return oom(s);
    r->it.flags = it->flags;
    r->dirty = 0;
    if (r->it.pending) {
        /* A write was in flight when the last run stopped: whether it
         * landed is learnt from the server, so the ETag is not trusted. */
        free(r->it.etag);
        r->it.etag = NULL;
    }
    return 0;
}

/* Every row, when the work needs them all (a scan, deletions). */
static int load_all(struct sync *s)
{
    if (s->all_loaded)
        return 0;
    if (store_sync_item_each(s->st, s->cal->id, load_row, s, s->err) != 0)
        return -1;
    s->all_loaded = 1;
    return 0;
}

/* The row for 'uid' or 'href' (one of them NULL), loading it if need be;
 * -1 when there is none, -2 on failure. */
static int find_row(struct sync *s, const char *uid, const char *href)
{
    int i = uid ? map_get(&s->by_uid, uid) : map_get(&s->by_href, href);

    if (i >= 0 || s->all_loaded)
        return i;
    if (store_sync_item_find(s->st, s->cal->id, uid, href, load_row, s,
                             s->err) != 0)
        return -2;
    return uid ? map_get(&s->by_uid, uid) : map_get(&s->by_href, href);
}

static int save_row(struct sync *s, struct row *r)
{
    if (s->opt->dry_run)
        return 0;
    if (r->drop) {
        if (r->stored &&
            store_sync_item_delete(s->st, s->cal->id, r->it.uid, s->err) < 0)
            return -1;
        r->stored = 0;
    } else {
        if (store_sync_item_put(s->st, s->cal->id, &r->it, s->err) < 0)
            return -1;
        r->stored = 1;
    }
    r->dirty = 0;
    return 0;
}

static int flush_rows(struct sync *s)
{
    size_t i;

    if (s->opt->dry_run)
        return 0;
    if (store_begin(s->st, s->err) < 0)
        return -1;
    for (i = 0; i < s->n; i++) {
        struct row *r = &s->rows[i];
        if ((r->dirty || (r->drop && r->stored)) && save_row(s, r) < 0) {
            store_rollback(s->st);
            return -1;
        }
    }
    return store_commit(s->st, s->err);
}

/* ---- the local side ---- */

static int on_entry(const struct ics_entry *e, void *ctx)
{
    struct sync *s = ctx;
    int i = map_get(&s->by_uid, e->uid);
    struct row *r;
    char *lm;

    if (i < 0 && (i = add_row(s, e->uid)) < 0)
        return oom(s);
    r = &s->rows[i];
    r->local = 1;
    caldav_content_hash(e->text, r->lnow);
    lm = caldav_ics_prop(e->text, "LAST-MODIFIED");
    snprintf(r->lastmod, sizeof(r->lastmod), "%s", lm ? lm : "");
    free(lm);
    r->spool_off = -1;
    if (!r->it.lhash || strcmp(r->it.lhash, r->lnow) != 0) {
        /* it may be sent: keep the text out of memory until then */
        size_t n = strlen(e->text);
        if (fseek(s->spool, 0, SEEK_END) < 0)
            return err_set(s->err, ERR_IO, "cannot write a temporary file");
        r->spool_off = ftell(s->spool);
        r->spool_len = n;
        if (fwrite(e->text, 1, n, s->spool) != n)
            return err_set(s->err, ERR_IO, "cannot write a temporary file");
    }
    return 0;
}

static int scan_local(struct sync *s)
{
    size_t i;

    if (load_all(s) < 0)
        return -1;
    for (i = 0; i < s->n; i++)
        s->rows[i].local = 0;
    if (fflush(s->spool) != 0 || ftruncate(fileno(s->spool), 0) < 0 ||
        fseek(s->spool, 0, SEEK_SET) < 0)
        return err_set(s->err, ERR_IO, "cannot reset a temporary file");
    if (ics_each_entry(s->st, &s->iopt, on_entry, s, s->err) != 0)
        return -1;
    s->scanned = 1;
    return 0;
}

/* The local text of row 'r' from the spool; caller frees. */
static char *spooled(struct sync *s, const struct row *r)
{
    char *t;

    if (r->spool_off < 0)
        return NULL;
    t = malloc(r->spool_len + 1);
    if (!t)
        return NULL;
    if (fflush(s->spool) != 0 || fseek(s->spool, r->spool_off, SEEK_SET) < 0 ||
        fread(t, 1, r->spool_len, s->spool) != r->spool_len) {
        free(t);
        return NULL;
    }
    t[r->spool_len] = '\0';
    return t;
}

/* The local hash now: scanned, or else unchanged since the agreement. */
static const char *local_hash(const struct sync *s, const struct row *r)
{
    if (s->scanned)
        return r->local ? r->lnow : NULL;
    if (r->it.flags & (STORE_SYNC_REMOTE_ONLY))
        return NULL;
    return r->it.lhash;
}

static int fingerprint(struct sync *s, char **out)
{
    char *f = NULL;
    struct buf b;

    if (store_sync_fingerprint(s->st, &f, s->err) < 0)
        return -1;
    buf_init(&b);
    /* the options change the texts too */
    if (buf_printf(&b, "%s|t%d|n%d", f, s->iopt.todo_as_event,
                   s->iopt.with_notes) < 0) {
        free(f);
        return oom(s);
    }
    free(f);
    *out = buf_steal(&b);
    return 0;
}

/* ---- listing ---- */

static int add_listed(struct sync *s, const char *href, const char *etag,
                      int removed)
{
    struct listed *l;

    if (s->nlist == s->caplist) {
        size_t cap = s->caplist ? s->caplist * 2 : 64;
        l = realloc(s->list, cap * sizeof(*l));
        if (!l)
            return -1;
        s->list = l;
        s->caplist = cap;
    }
    l = &s->list[s->nlist];
    memset(l, 0, sizeof(*l));
    if (!(l->href = caldav_href_normalise(href)) ||
        util_set_str(&l->etag, etag) < 0)
        return -1;
    l->removed = removed;
    s->nlist++;
    return 0;
}

static void clear_listed(struct sync *s)
{
    size_t i;

    for (i = 0; i < s->nlist; i++) {
        free(s->list[i].href);
        free(s->list[i].etag);
    }
    s->nlist = 0;
}

static int is_collection_href(struct sync *s, const char *href)
{
    char *n = caldav_href_normalise(href);
    size_t k = n ? strlen(n) : 0;
    int same = n && (strcmp(n, s->coll) == 0 ||
                     (strncmp(n, s->coll, k) == 0 && s->coll[k] == '/' &&
                      s->coll[k + 1] == '\0'));

    free(n);
    return same;
}

static int on_listed(const struct caldav_item *it, void *ctx)
{
    struct sync *s = ctx;

    if (is_collection_href(s, it->href) || it->is_collection)
        return 0;
    if (add_listed(s, it->href, it->etag, it->status == 404) < 0)
        return oom(s);
    return 0;
}

static char *sync_body(const char *token)
{
    char *t = caldav_xml_escape(token ? token : "");
    struct buf b;

    if (!t)
        return NULL;
    buf_init(&b);
    /* RFC 6578 3.2: an empty token asks for everything */
    if (buf_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>%s"
                   "</D:sync-token><D:sync-level>1</D:sync-level><D:prop>"
                   "<D:getetag/></D:prop></D:sync-collection>",
                   t) < 0) {
        free(t);
        return NULL;
    }
    free(t);
    return buf_steal(&b);
}

static int status_error(struct sync *s, long status, const char *what)
{
    char where[512];

    http_redact_url(s->cal->url, where, sizeof(where));
    if (status == 401)
        return err_set(s->err, ERR_AUTH,
                       "'%s' refused the credentials (HTTP 401): check the "
                       "user and the password source",
                       where);
    if (status == 403)
        return err_set(s->err, ERR_AUTH, "'%s' forbids %s (HTTP 403)", where,
                       what);
    return err_set(s->err, ERR_NET, "%s of '%s' failed (HTTP %ld)", what,
                   where, status);
}

/* RFC 6578: changes since 'token' (all items for NULL), following 507
 * continuations. Returns 1 when the server would not answer (the caller
 * falls back), 0 when listed, -1 on failure. */
static int sync_collection(struct sync *s, const char *token, long *status)
{
    char *tok = token ? strdup(token) : NULL;
    int rounds, ret = -1;

    if (token && !tok)
        return oom(s);
    for (rounds = 0; rounds < 50; rounds++) {
        struct caldav_multistatus ms;
        char *body = sync_body(tok);
        int rc;

        if (!body) {
            oom(s);
            goto out;
        }
        rc = caldav_dav(s->h, "REPORT", s->cal->url, "1", body, on_listed, s,
                        &ms, status, s->err);
        free(body);
        if (rc != 0) {
            caldav_multistatus_release(&ms);
            if (rc > 0)
                oom(s);
            goto out;
        }
        if (*status != 207) {
            /* RFC 6578 3.2: a token the server does not know is a 403 with
             * DAV:valid-sync-token (Radicale) or, in practice, anything
             * else (Xandikos: 500): fall back. Without a token, only a
             * refusal of the credentials is final. */
            if (*status == 401 || (!tok && *status == 403))
                ret = status_error(s, *status, "listing");
            else
                ret = 1;
            goto out;
        }
        if (!ms.sync_token) {
            caldav_multistatus_release(&ms);
            ret = 1; /* not RFC 6578 after all */
            goto out;
        }
        free(tok);
        tok = ms.sync_token;
        ms.sync_token = NULL;
        if (!ms.truncated) {
            caldav_multistatus_release(&ms);
            free(s->token);
            s->token = tok;
            tok = NULL;
            ret = 0;
            goto out;
        }
        /* RFC 6578 3.6: more to come from the new token; a full listing
         * cut short no longer tells what is absent */
        s->full = 0;
        caldav_multistatus_release(&ms);
    }
    err_set(s->err, ERR_NET, "the server never finished its listing");
out:
    free(tok);
    return ret;
}

struct ctag_probe {
    char *ctag;
};

static int on_ctag(const struct caldav_item *it, void *ctx)
{
    struct ctag_probe *p = ctx;

    if (it->ctag && !p->ctag && !(p->ctag = strdup(it->ctag)))
        return 1;
    return 0;
}

/* Servers without sync-collection: getctag, then every ETag (Depth 1). */
static int propfind_listing(struct sync *s, int *unchanged)
{
    static const char ctag_body[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<D:propfind xmlns:D=\"DAV:\" xmlns:CS=\"http://calendarserver.org/"
        "ns/\"><D:prop><CS:getctag/></D:prop></D:propfind>";
    static const char etag_body[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:resourcetype/><D:getetag/>"
        "</D:prop></D:propfind>";
    struct caldav_multistatus ms;
    struct ctag_probe p = {NULL};
    long status = 0;
    int rc;

    *unchanged = 0;
    rc = caldav_dav(s->h, "PROPFIND", s->cal->url, "0", ctag_body, on_ctag,
                    &p, &ms, &status, s->err);
    caldav_multistatus_release(&ms);
    if (rc != 0) {
        free(p.ctag);
        return rc > 0 ? oom(s) : -1;
    }
    if (status != 207) {
        free(p.ctag);
        return status_error(s, status, "PROPFIND");
    }
    s->ctag = p.ctag;
    if (p.ctag && s->cal->ctag && strcmp(p.ctag, s->cal->ctag) == 0) {
        *unchanged = 1;
        return 0;
    }
    s->full = 1;
    rc = caldav_dav(s->h, "PROPFIND", s->cal->url, "1", etag_body, on_listed,
                    s, &ms, &status, s->err);
    caldav_multistatus_release(&ms);
    if (rc != 0)
        return rc > 0 ? oom(s) : -1;
    if (status != 207)
        return status_error(s, status, "PROPFIND");
    return 0;
}

static int list_remote(struct sync *s, int delta, int *unchanged)
{
    long status = 0;
    int rc;

    *unchanged = 0;
    if (delta) {
        s->full = 0;
        rc = sync_collection(s, s->cal->sync_token, &status);
        if (rc <= 0)
            return rc;
        /* RFC 6578 3.2: a token the server no longer knows (Radicale 4xx,
         * Xandikos 500) means listing everything once */
        note(s, "the server refused the sync token (HTTP %ld); listing "
                "everything",
             status);
        clear_listed(s);
    }
    s->full = 1;
    rc = sync_collection(s, NULL, &status);
    if (rc <= 0)
        return rc;
    clear_listed(s);
    s->use_ctag = 1;
    return propfind_listing(s, unchanged);
}

/* ---- fetching and taking in ---- */

static int import_remote(struct sync *s, struct row *r, const char *href,
                         const char *etag, const char *text,
                         const char *rhash)
{
    struct ics_import_report rep;
    struct err e;
    char where[512];
    int was_agreed = r->stored && r->it.lhash;

    snprintf(where, sizeof(where), "%s", href);
    if (s->opt->dry_run) {
        if (r->stored)
            s->stats->got_changed++;
        else
            s->stats->got_new++;
        return 0;
    }
    if (store_begin(s->st, s->err) < 0)
        return -1;
    if (ics_import_text(s->st, text, where, s->opt->now, &rep, &e) < 0) {
        /* the import rolled the transaction back: nothing was kept */
        s->stats->failed++;
        s->unsettled = 1;
        note(s, "cannot take in '%s': %s", href, e.msg);
        return 0;
    }
    if (set_href(s, r, href) < 0 || util_set_str(&r->it.etag, etag) < 0 ||
        util_set_str(&r->it.rhash, rhash) < 0) {
        store_rollback(s->st);
        return oom(s);
    }
    free(r->it.pending);
    free(r->it.pending_hash);
    r->it.pending = r->it.pending_hash = NULL;
    r->it.flags &= ~STORE_SYNC_GONE_REMOTE;
    if (!r->it.lhash)
        r->it.flags |= STORE_SYNC_REMOTE_ONLY;
    r->adopt = 1;
    r->drop = 0;
    r->removed = 0;
    if (save_row(s, r) < 0) {
        store_rollback(s->st);
        return -1;
    }
    if (store_commit(s->st, s->err) < 0)
        return -1;
    if (was_agreed)
        s->stats->got_changed++;
    else
        s->stats->got_new++;
    /* only a change to the store can change what it implies */
    if (rep.interviews_added || rep.interviews_updated ||
        rep.interviews_cancelled || rep.contacts_added || rep.tasks_updated)
        s->imported = 1;
    return 0;
}

static int keep_loser(struct sync *s, struct row *r, const char *side,
                      const char *text)
{
    if (s->opt->dry_run || !text)
        return 0;
    return store_sync_conflict_add(s->st, s->cal->id, r->it.uid, side,
                                   config_conflict_name(s->opt->conflict),
                                   text, s->opt->now, s->err);
}

/* Both sides changed 'r' since the last agreement. */
static int conflict(struct sync *s, struct row *r, const char *href,
                    const char *etag, const char *text, const char *rhash)
{
    enum config_conflict p = s->opt->conflict;
    int remote_wins = 0;
    char *local = spooled(s, r);
    int ret = -1;

    s->stats->conflicts++;
    if (p == CONFIG_CONFLICT_NEWEST) {
        char *rl = caldav_ics_prop(text, "LAST-MODIFIED");
        /* RFC 5545 3.8.7.3: UTC date-times compare as text */
        remote_wins = rl && (!r->lastmod[0] || strcmp(rl, r->lastmod) > 0);
        free(rl);
    } else if (p == CONFIG_CONFLICT_REMOTE) {
        remote_wins = 1;
    }
    if (remote_wins) {
        note(s, "conflict on '%s': the server's version wins (%s); the local "
                "one is kept in the store",
             r->it.uid, config_conflict_name(p));
        if (keep_loser(s, r, "local", local) < 0)
            goto out;
        ret = import_remote(s, r, href, etag, text, rhash);
        goto out;
    }
    /* The local version is sent over the server's: If-Match its ETag. */
    if (keep_loser(s, r, "remote", text) < 0)
        goto out;
    if (p == CONFIG_CONFLICT_BOTH && is_interview(s->st, r->it.uid)) {
        /* keep both: the server's version comes in as a second interview
         * under a new UID, and goes out again as its own entry */
        struct buf nu;
        char *copy;
        struct ics_import_report rep;
        struct err e;

        buf_init(&nu);
        if (buf_printf(&nu, "%s-conflict-%.8s", r->it.uid, rhash) < 0) {
            oom(s);
            goto out;
        }
        copy = caldav_ics_with_uid(text, nu.data);
        if (copy && !s->opt->dry_run &&
            ics_import_text(s->st, copy, href, s->opt->now, &rep, &e) < 0)
            note(s, "cannot keep the server's copy of '%s': %s", r->it.uid,
                 e.msg);
        else
            s->imported = 1;
        free(copy);
        buf_release(&nu);
        note(s, "conflict on '%s': both versions kept, the server's as a "
                "second entry",
             r->it.uid);
    } else {
        note(s, "conflict on '%s': the local version wins (%s); the server's "
                "is kept in the store",
             r->it.uid, config_conflict_name(p));
    }
    if (set_href(s, r, href) < 0 || util_set_str(&r->it.etag, etag) < 0 ||
        util_set_str(&r->it.rhash, rhash) < 0) {
        oom(s);
        goto out;
    }
    r->dirty = 1;
    ret = 0;
out:
    free(local);
    return ret;
}

/* One item fetched from the server: decide what it means. */
static int reconcile(struct sync *s, const char *href, const char *etag,
                     const char *text)
{
    char rh[CALDAV_HASH_LEN];
    char *uid = caldav_ics_uid(text);
    int i, j, ret = -1;
    struct row *r, *other;
    const char *L;

    if (!uid || !*uid) {
        s->stats->failed++;
        s->unsettled = 1;
        note(s, "'%s' from the server has no UID or is not iCalendar: left "
                "alone",
             href);
        free(uid);
        return 0;
    }
    caldav_content_hash(text, rh);
    i = find_row(s, uid, NULL);
    j = find_row(s, NULL, href);
    if (i == -2 || j == -2)
        goto out;
    other = row_at(s, j);
    if (other && strcmp(other->it.uid, uid) != 0) {
        /* another UID now lives at this href: the old one is gone */
        other->removed = 1;
        if (set_href(s, other, NULL) < 0)
            goto oom;
    }
    r = row_at(s, i);
    if (r && r->it.href && strcmp(r->it.href, href) != 0) {
        int still_there = !r->removed && (r->listed || !s->full);
        if (still_there) {
            /* identity is the UID: one entry, wherever copies are */
            note(s, "'%s' is also at '%s' on the server: that copy is left "
                    "alone",
                 uid, href);
            ret = 0;
            goto out;
        }
        /* it moved: the href is only a locator */
        r->removed = 0;
    }
    if (!r) {
        if ((i = add_row(s, uid)) < 0)
            goto oom;
        r = &s->rows[i];
    }
    r->listed = 1;
    if (r->it.pending && strcmp(r->it.pending, "put") == 0 &&
        r->it.pending_hash && strcmp(r->it.pending_hash, rh) == 0) {
        /* the PUT of a run that was stopped did land */
        if (util_set_str(&r->it.lhash, rh) < 0)
            goto oom;
    }
    if (r->it.pending) {
        free(r->it.pending);
        free(r->it.pending_hash);
        r->it.pending = r->it.pending_hash = NULL;
        r->dirty = 1;
    }
    if (r->it.rhash && strcmp(r->it.rhash, rh) == 0 &&
        !(r->it.flags & STORE_SYNC_GONE_REMOTE)) {
        /* a new ETag for the same content: a server rewrite, not an edit */
        if (set_href(s, r, href) < 0 || util_set_str(&r->it.etag, etag) < 0)
            goto oom;
        r->dirty = 1;
        ret = 0;
        goto out;
    }
    L = local_hash(s, r);
    if (L && strcmp(L, rh) == 0) {
        /* both sides hold the same thing */
        if (set_href(s, r, href) < 0 || util_set_str(&r->it.etag, etag) < 0 ||
            util_set_str(&r->it.rhash, rh) < 0 ||
            util_set_str(&r->it.lhash, rh) < 0)
            goto oom;
        r->it.flags = 0;
        r->dirty = 1;
        ret = 0;
        goto out;
    }
    if (!L || (r->it.lhash && strcmp(L, r->it.lhash) == 0)) {
        /* only the server changed it, or it was deleted here and changed
         * there: a modification beats a deletion */
        ret = import_remote(s, r, href, etag, text, rh);
        goto out;
    }
    ret = conflict(s, r, href, etag, text, rh);
    goto out;
oom:
    oom(s);
out:
    free(uid);
    return ret;
}

static int on_fetched(const struct caldav_item *it, void *ctx)
{
    struct sync *s = ctx;
    char *href = caldav_href_normalise(it->href);
    int i, ret = 0;

    if (!href)
        return oom(s);
    i = map_get(&s->by_href, href);
    if (it->status == 404 || (!it->calendar_data && it->status >= 400)) {
        /* gone between the listing and the fetch */
        if (i >= 0)
            s->rows[i].removed = 1;
    } else if (!it->calendar_data) {
        s->stats->failed++;
        s->unsettled = 1;
        note(s, "the server sent no calendar data for '%s'", href);
    } else {
        if (i >= 0)
            s->rows[i].want = 0;
        ret = reconcile(s, href, it->etag, it->calendar_data);
    }
    s->fetched_total++;
    if (s->opt->progress)
        s->opt->progress(s->opt->ctx, s->fetched_total, s->fetch_goal);
    free(href);
    return ret;
}

static int get_one(struct sync *s, const char *url, struct http_response *rs);

/* One item: a GET costs the server less than a multiget (Xandikos: 13 ms
 * against 21 at 1000 items), still one request. Returns 1 when the
 * answer has no ETag, so the multiget should be used instead. */
static int fetch_single(struct sync *s, const char *href)
{
    struct http_response rs;
    char *url = caldav_url_for(s->cal->url, href);
    int ret = -1;

    http_response_init(&rs);
    if (!url)
        return oom(s);
    if (get_one(s, url, &rs) < 0)
        goto out;
    if (rs.status == 404 || rs.status == 410) {
        struct caldav_item it;
        memset(&it, 0, sizeof(it));
        it.href = href;
        it.status = 404;
        ret = on_fetched(&it, s);
    } else if (rs.status == 200 && rs.etag && rs.body.data) {
        struct caldav_item it;
        memset(&it, 0, sizeof(it));
        it.href = href;
        it.etag = rs.etag;
        it.calendar_data = rs.body.data;
        ret = on_fetched(&it, s);
    } else {
        ret = 1;
    }
out:
    free(url);
    http_response_release(&rs);
    return ret;
}

/* RFC 4791 7.9: calendar-multiget, FETCH_BATCH hrefs per request. */
static int fetch(struct sync *s, char **hrefs, size_t n)
{
    size_t at = 0;

    if (n == 1) {
        int rc = fetch_single(s, hrefs[0]);
        if (rc <= 0)
            return rc;
    }

    while (at < n) {
        struct buf b;
        size_t k;
        struct caldav_multistatus ms;
        long status = 0;
        int rc;

        buf_init(&b);
        if (buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                         "<C:calendar-multiget xmlns:D=\"DAV:\" "
                         "xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>"
                         "<D:getetag/><C:calendar-data/></D:prop>") < 0)
            return oom(s);
        for (k = at; k < n && k < at + FETCH_BATCH; k++) {
            char *e = caldav_xml_escape(hrefs[k]);
            if (!e || buf_printf(&b, "<D:href>%s</D:href>", e) < 0) {
                free(e);
                buf_release(&b);
                return oom(s);
            }
            free(e);
        }
        if (buf_adds(&b, "</C:calendar-multiget>") < 0) {
            buf_release(&b);
            return oom(s);
        }
        rc = caldav_dav(s->h, "REPORT", s->cal->url, "1", b.data, on_fetched,
                        s, &ms, &status, s->err);
        buf_release(&b);
        caldav_multistatus_release(&ms);
        if (rc < 0 && s->err->kind == ERR_PARSE) {
            /* a malformed answer spoils one batch, not the sync; what it
             * did not say is not taken as deleted */
            size_t m;
            s->stats->failed++;
            s->unsettled = 1;
            note(s, "%s", s->err->msg);
            for (m = at; m < k; m++) {
                struct row *r = row_at(s, map_get(&s->by_href, hrefs[m]));
                if (r)
                    r->want = 0;
            }
        } else if (rc != 0) {
            return rc > 0 ? -1 : rc;
        } else if (status != 207) {
            return status_error(s, status, "calendar-multiget");
        }
        at = k;
    }
    return 0;
}

/* ---- deletions on the server ---- */

static int too_many(struct sync *s, int count, int known)
{
    if (s->opt->force_delete || count == 0)
        return 0;
    return count > s->opt->max_delete || (count >= 2 && count >= known);
}

static int cancel_interview(struct sync *s, struct row *r)
{
    struct interview iv;
    int ret = -1;

    model_interview_init(&iv);
    if (store_interview_get_uid(s->st, r->it.uid, &iv, NULL) < 0)
        return 1; /* not an interview */
    if (iv.status != STATUS_CANCELLED) {
        iv.status = STATUS_CANCELLED;
        iv.seq++;
        iv.modified = s->opt->now;
        if (store_interview_update(s->st, &iv, s->err) < 0)
            goto out;
    }
    ret = 0;
out:
    model_interview_release(&iv);
    return ret;
}

static int apply_remote_deletions(struct sync *s)
{
    size_t i;
    int honour = 0, known = 0, any = 0;

    for (i = 0; i < s->n; i++)
        any |= s->rows[i].removed;
    if (!any)
        return 0;
    /* the safety counts need every row */
    if (load_all(s) < 0)
        return -1;

    for (i = 0; i < s->n; i++) {
        struct row *r = &s->rows[i];
        const char *L;

        if (r->it.href && r->stored)
            known++;
        if (!r->removed)
            continue;
        L = local_hash(s, r);
        if (r->it.pending && strcmp(r->it.pending, "delete") == 0)
            L = NULL; /* our own DELETE from a stopped run landed */
        if (!L) {
            r->drop = 1;
            continue;
        }
        if (!r->it.lhash || strcmp(L, r->it.lhash) != 0) {
            /* changed here, deleted there: the modification wins */
            r->recreate = 1;
            continue;
        }
        honour++;
    }
    if (too_many(s, honour, known) ||
        (s->full && s->nlist == 0 && known > 0 && !s->opt->force_delete)) {
        for (i = 0; i < s->n; i++) {
            struct row *r = &s->rows[i];
            if (r->removed && !r->drop && !r->recreate) {
                r->refused = 1;
                s->stats->refused_deletes++;
            }
        }
        s->unsettled = 1;
        note(s, "%d entries are gone from the server; not deleting them here "
                "without --force-delete",
             s->stats->refused_deletes);
        return 0;
    }
    for (i = 0; i < s->n; i++) {
        struct row *r = &s->rows[i];
        int rc;

        if (!r->removed || r->drop || r->recreate)
            continue;
        s->stats->got_deleted++;
        if (s->opt->dry_run)
            continue;
        if (store_begin(s->st, s->err) < 0)
            return -1;
        rc = cancel_interview(s, r);
        if (rc < 0) {
            store_rollback(s->st);
            return -1;
        }
        if (rc == 0) {
            /* an interview deleted there is cancelled here, kept in the
             * store; its tasks go from both sides on the way out */
            r->drop = 1;
            s->imported = 1;
        } else {
            /* a task deleted there stays deleted until it changes here */
            r->it.flags |= STORE_SYNC_GONE_REMOTE;
            free(r->it.etag);
            free(r->it.rhash);
            r->it.etag = r->it.rhash = NULL;
            if (set_href(s, r, NULL) < 0) {
                store_rollback(s->st);
                return oom(s);
            }
        }
        if (save_row(s, r) < 0) {
            store_rollback(s->st);
            return -1;
        }
        if (store_commit(s->st, s->err) < 0)
            return -1;
    }
    return 0;
}

/* ---- sending ---- */

struct etag_probe {
    char *etag;
};

static int on_etag(const struct caldav_item *it, void *ctx)
{
    struct etag_probe *p = ctx;

    if (it->etag && !p->etag && !(p->etag = strdup(it->etag)))
        return 1;
    return 0;
}

/* Some servers answer a PUT without an ETag: ask for it (Depth 0). */
static char *etag_of(struct sync *s, const char *url)
{
    static const char body[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:getetag/></D:prop>"
        "</D:propfind>";
    struct etag_probe p = {NULL};
    struct caldav_multistatus ms;
    long status = 0;
    struct err e;

    if (caldav_dav(s->h, "PROPFIND", url, "0", body, on_etag, &p, &ms, &status,
                   &e) != 0) {
        free(p.etag);
        p.etag = NULL;
    }
    caldav_multistatus_release(&ms);
    return p.etag;
}

static int get_one(struct sync *s, const char *url, struct http_response *rs)
{
    struct http_request rq;

    memset(&rq, 0, sizeof(rq));
    rq.method = "GET";
    rq.url = url;
    return http_request(s->h, &rq, rs, s->err);
}

static int put_one(struct sync *s, struct row *r, const char *text,
                   int attempt);

/* 412 on a write: the server's version moved on since we looked. */
static int after_412(struct sync *s, struct row *r, const char *text,
                     const char *url, int attempt)
{
    struct http_response rs;
    char *href = caldav_href_normalise(url);
    int ret = -1;

    http_response_init(&rs);
    if (!href)
        return oom(s);
    if (get_one(s, url, &rs) < 0)
        goto out;
    if (rs.status == 404 && text) {
        /* deleted there meanwhile: a modification beats a deletion */
        free(r->it.etag);
        r->it.etag = NULL;
        r->recreate = 1;
        ret = attempt < 1 ? put_one(s, r, text, attempt + 1) : 0;
        goto out;
    }
    if (rs.status != 200 || !rs.body.data) {
        s->stats->failed++;
        note(s, "cannot read back '%s' after a conflict (HTTP %ld)", href,
             rs.status);
        ret = 0;
        goto out;
    }
    {
        char *etag = rs.etag ? strdup(rs.etag) : etag_of(s, url);
        if (!text)
            r->local = 0; /* a DELETE: the local side has none */
        ret = reconcile(s, href, etag, rs.body.data);
        free(etag);
    }
    if (ret == 0 && text && r->it.rhash && !r->adopt && attempt < 1 &&
        r->local && strcmp(r->lnow, r->it.rhash) != 0 &&
        (!r->it.lhash || strcmp(r->lnow, r->it.lhash) != 0)) {
        /* the local version won: send it over the one just read */
        r->recreate = 0;
        ret = put_one(s, r, text, attempt + 1);
    }
out:
    free(href);
    http_response_release(&rs);
    return ret;
}

static int put_one(struct sync *s, struct row *r, const char *text,
                   int attempt)
{
    struct http_request rq;
    struct http_response rs;
    char *url = caldav_url_for(s->cal->url, r->it.href);
    int ret = -1, is_new = !r->it.etag || r->recreate;

    http_response_init(&rs);
    if (!url)
        return oom(s);
    memset(&rq, 0, sizeof(rq));
    rq.method = "PUT";
    rq.url = url;
    /* RFC 5545 8.1: UTF-8 is the default charset; saying so made
     * Xandikos slower per PUT in our measurements */
    rq.content_type = "text/calendar";
    rq.body = text;
    rq.body_len = strlen(text);
    if (is_new)
        rq.if_none_match_any = 1; /* RFC 9110 13.1.2: never overwrite */
    else
        rq.if_match = r->it.etag; /* RFC 9110 13.1.1: only what we saw */
    if (http_request(s->h, &rq, &rs, s->err) < 0) {
        s->aborted = 1;
        goto out;
    }
    if (rs.status == 200 || rs.status == 201 || rs.status == 204) {
        char *etag = rs.etag ? strdup(rs.etag) : etag_of(s, url);

        free(r->it.etag);
        r->it.etag = etag;
        if (util_set_str(&r->it.lhash, r->lnow) < 0 ||
            util_set_str(&r->it.rhash, r->lnow) < 0) {
            oom(s);
            goto out;
        }
        free(r->it.pending);
        free(r->it.pending_hash);
        r->it.pending = r->it.pending_hash = NULL;
        r->it.flags = 0;
        r->recreate = 0;
        r->dirty = 1;
        if (is_new)
            s->stats->sent_new++;
        else
            s->stats->sent_changed++;
        ret = 0;
    } else if (rs.status == 412 && attempt < 2) {
        ret = after_412(s, r, text, url, attempt);
    } else {
        /* RFC 4791 5.3.2: only 201/204 (and 200) say it was stored; a 207
         * or anything else is a refusal of this one item */
        s->stats->failed++;
        note(s, "the server refused '%s' (HTTP %ld)", r->it.uid, rs.status);
        if (rs.status < 500) {
            free(r->it.pending);
            free(r->it.pending_hash);
            r->it.pending = r->it.pending_hash = NULL;
        }
        r->dirty = 1;
        ret = 0;
    }
out:
    free(url);
    http_response_release(&rs);
    return ret;
}

static int delete_one(struct sync *s, struct row *r)
{
    struct http_request rq;
    struct http_response rs;
    char *url = caldav_url_for(s->cal->url, r->it.href);
    int ret = -1;

    http_response_init(&rs);
    if (!url)
        return oom(s);
    memset(&rq, 0, sizeof(rq));
    rq.method = "DELETE";
    rq.url = url;
    rq.if_match = r->it.etag;
    if (http_request(s->h, &rq, &rs, s->err) < 0) {
        s->aborted = 1;
        goto out;
    }
    if (rs.status == 200 || rs.status == 204 || rs.status == 404) {
        r->drop = 1;
        s->stats->sent_deleted++;
        ret = 0;
    } else if (rs.status == 412) {
        ret = after_412(s, r, NULL, url, 0);
    } else {
        s->stats->failed++;
        note(s, "the server refused to delete '%s' (HTTP %ld)", r->it.uid,
             rs.status);
        r->dirty = 1;
        ret = 0;
    }
out:
    free(url);
    http_response_release(&rs);
    return ret;
}

/* What goes out: decided from the local scan. */
static int plan(struct sync *s, int *nput, int *ndel)
{
    size_t i;
    int known = 0, gone = 0;

    *nput = *ndel = 0;
    for (i = 0; i < s->n; i++) {
        struct row *r = &s->rows[i];

        if (r->it.href && r->stored)
            known++;
        if (r->drop || r->refused)
            continue;
        if (r->adopt && !r->local) {
            r->it.flags |= STORE_SYNC_REMOTE_ONLY;
            free(r->it.lhash);
            r->it.lhash = NULL;
            r->dirty = 1;
            continue;
        }
        if (r->local) {
            if (r->adopt || (r->it.flags & STORE_SYNC_REMOTE_ONLY)) {
                /* what the server sent, as the store now says it */
                if (util_set_str(&r->it.lhash, r->lnow) < 0)
                    return oom(s);
                r->it.flags &= ~STORE_SYNC_REMOTE_ONLY;
                r->dirty = 1;
                continue;
            }
            if (r->it.lhash && strcmp(r->it.lhash, r->lnow) == 0 &&
                !r->recreate)
                continue;
            if (!r->it.href) {
                char *href = caldav_href_for_uid(s->coll, r->it.uid);
                if (!href || set_href(s, r, href) < 0) {
                    free(href);
                    return oom(s);
                }
                free(href);
                r->recreate = 1;
            }
            if (!r->it.etag)
                r->recreate = 1;
            r->it.flags &= ~STORE_SYNC_GONE_REMOTE;
            r->push = 1;
            (*nput)++;
            continue;
        }
        /* not implied by the store any more */
        if (r->it.flags & STORE_SYNC_REMOTE_ONLY)
            continue;
        if (!r->it.href || (r->it.flags & STORE_SYNC_GONE_REMOTE)) {
            r->drop = 1;
            continue;
        }
        r->push = 2;
        gone++;
    }
    /* Deletions made here go out freely up to a point: many at once, or
     * every entry, look like a wrong or empty store instead. */
    if (!s->opt->force_delete && gone > 0 &&
        (gone > 4 * s->opt->max_delete || (gone >= 2 && gone >= known))) {
        for (i = 0; i < s->n; i++) {
            if (s->rows[i].push == 2) {
                s->rows[i].push = 0;
                s->rows[i].refused = 1;
            }
        }
        s->stats->refused_deletes += gone;
        s->unsettled = 1;
        note(s, "%d entries would be deleted from the server; not without "
                "--force-delete",
             gone);
        gone = 0;
    }
    *ndel = gone;
    return 0;
}

static int send_all(struct sync *s, long total)
{
    size_t i = 0, k;
    long done = 0;

    while (i < s->n && !s->aborted) {
        size_t batch[JOURNAL_BATCH];
        size_t nb = 0;

        for (; i < s->n && nb < JOURNAL_BATCH; i++)
            if (s->rows[i].push)
                batch[nb++] = i;
        if (!nb)
            break;
        if (s->opt->dry_run) {
            for (k = 0; k < nb; k++) {
                struct row *r = &s->rows[batch[k]];
                if (r->push == 2)
                    s->stats->sent_deleted++;
                else if (r->recreate)
                    s->stats->sent_new++;
                else
                    s->stats->sent_changed++;
            }
            continue;
        }
        /* the journal first: a run stopped after this point finds out
         * from the server what landed */
        if (store_begin(s->st, s->err) < 0)
            return -1;
        for (k = 0; k < nb; k++) {
            struct row *r = &s->rows[batch[k]];
            if (util_set_str(&r->it.pending,
                             r->push == 2 ? "delete" : "put") < 0 ||
                util_set_str(&r->it.pending_hash,
                             r->push == 2 ? NULL : r->lnow) < 0) {
                store_rollback(s->st);
                return oom(s);
            }
            if (save_row(s, r) < 0) {
                store_rollback(s->st);
                return -1;
            }
        }
        if (store_commit(s->st, s->err) < 0)
            return -1;
        for (k = 0; k < nb && !s->aborted; k++) {
            struct row *r = &s->rows[batch[k]];
            int rc;

            if (r->push == 2) {
                rc = delete_one(s, r);
            } else {
                char *text = spooled(s, r);
                if (!text)
                    return err_set(s->err, ERR_IO,
                                   "cannot read a temporary file");
                rc = put_one(s, r, text, 0);
                free(text);
            }
            r->push = 0;
            if (rc < 0 && !s->aborted)
                return -1;
            done++;
            if (s->opt->progress)
                s->opt->progress(s->opt->ctx, done, total);
        }
        if (flush_rows(s) < 0)
            return -1;
    }
    return s->aborted ? -1 : 0;
}

/* After our own writes, move the token past them if nothing else came in
 * meanwhile; otherwise keep the older one and see the rest next time. */
static int confirm_token(struct sync *s)
{
    long status = 0;
    size_t i;
    int rc;

    clear_listed(s);
    rc = sync_collection(s, s->token, &status);
    if (rc != 0)
        return 0; /* keep s->token: the next run lists a little more */
    for (i = 0; i < s->nlist; i++) {
        struct listed *l = &s->list[i];
        struct row *r = row_at(s, map_get(&s->by_href, l->href));

        if (l->removed ? (r && !r->drop)
                       : (!r || !r->it.etag || !l->etag ||
                          strcmp(r->it.etag, l->etag) != 0))
            return 1; /* something we did not write: not past it */
    }
    return 0;
}

int caldav_sync(struct store *st, struct http *h,
                const struct store_sync_calendar *cal,
                const struct caldav_sync_options *opt,
                struct caldav_sync_stats *stats, struct err *err)
{
    struct sync s;
    int ret = -1, pending = 0, unchanged = 0, local_maybe, nput = 0, ndel = 0;
    char *mark = NULL, *mark2 = NULL, *old_token = NULL;
    struct hrefs want = {NULL, 0, 0};
    size_t i;

    memset(&s, 0, sizeof(s));
    memset(stats, 0, sizeof(*stats));
    s.st = st;
    s.h = h;
    s.cal = cal;
    s.opt = opt;
    s.stats = stats;
    s.err = err;
    s.iopt.with_notes = opt->notes;
    s.iopt.todo_as_event =
        opt->todo == CONFIG_TODO_VEVENT ||
        (opt->todo == CONFIG_TODO_AUTO && cal->components &&
         !(cal->components & CALDAV_COMP_VTODO));
    s.coll = caldav_href_normalise(cal->url);
    if (!s.coll || !(s.spool = tmpfile())) {
        err_set(err, ERR_IO, "cannot start the sync");
        goto out;
    }
    if (s.coll[strlen(s.coll) - 1] != '/') {
        struct buf b;
        buf_init(&b);
        if (buf_printf(&b, "%s/", s.coll) < 0)
            goto nomem;
        free(s.coll);
        s.coll = buf_steal(&b);
    }
    if (fingerprint(&s, &mark) < 0 ||
        store_sync_pending_count(st, cal->id, &pending, err) < 0)
        goto out;
    local_maybe = !cal->local_mark || strcmp(mark, cal->local_mark) != 0 ||
                  pending > 0;

    /* 1. what changed on the server: a delta from the token when there is
     * one and nothing is in doubt, else everything */
    if (list_remote(&s, cal->sync_token && !pending, &unchanged) < 0)
        goto out;
    if (!local_maybe && (unchanged || (s.nlist == 0 && !s.full))) {
        /* nothing here, nothing there: one request in all */
        if (!opt->dry_run && s.token &&
            (!cal->sync_token || strcmp(s.token, cal->sync_token) != 0) &&
            store_sync_calendar_set_token(st, cal->id, s.token, s.ctag, err) <
                0)
            goto out;
        ret = 0;
        goto out;
    }

    /* 2. the agreed state, and what the listing says about it: a small
     * delta with nothing changed here needs only the rows it names */
    s.lazy = !local_maybe && !s.full && s.nlist <= 64;
    if (!s.lazy && load_all(&s) < 0)
        goto out;
    for (i = 0; s.lazy && i < s.nlist; i++)
        if (find_row(&s, NULL, s.list[i].href) == -2)
            goto out;
    for (i = 0; i < s.nlist; i++) {
        struct listed *l = &s.list[i];
        struct row *r = row_at(&s, map_get(&s.by_href, l->href));

        if (l->removed) {
            if (r)
                r->removed = 1;
            continue;
        }
        if (r) {
            r->listed = 1;
            if (r->it.etag && l->etag && strcmp(r->it.etag, l->etag) == 0)
                continue;
            r->want = 1;
        }
        /* new to us, or its ETag moved: fetch it */
        if (hrefs_add(&want, l->href) < 0)
            goto nomem;
    }
    for (i = 0; !s.lazy && i < s.n; i++) {
        struct row *r = &s.rows[i];

        if (!r->it.href || r->listed || r->removed)
            continue;
        if (s.full) {
            r->removed = 1; /* absent from a complete listing */
        } else if (!r->it.etag && !(r->it.flags & STORE_SYNC_GONE_REMOTE)) {
            /* not changed there, but its ETag is unknown: look */
            if (hrefs_add(&want, r->it.href) < 0)
                goto nomem;
        }
    }

    /* 3. the local side, when it may have moved */
    if (local_maybe && scan_local(&s) < 0)
        goto out;

    /* 4. fetch what changed there and take it in */
    s.fetch_goal = (long)want.n;
    if (want.n && fetch(&s, want.v, want.n) < 0)
        goto out;
    for (i = 0; i < s.n; i++)
        if (s.rows[i].want)
            s.rows[i].removed = 1; /* listed, but gone when fetched */
    if (apply_remote_deletions(&s) < 0)
        goto out;

    /* 5. what comes in may move the store: then look again */
    if (s.imported) {
        if (fingerprint(&s, &mark2) < 0)
            goto out;
        if (strcmp(mark, mark2) != 0 && scan_local(&s) < 0)
            goto out;
    }

    /* 6. send what changed here */
    if (s.scanned) {
        if (plan(&s, &nput, &ndel) < 0)
            goto out;
        if (flush_rows(&s) < 0)
            goto out;
        if ((nput || ndel) && send_all(&s, nput + ndel) < 0) {
            flush_rows(&s);
            goto out;
        }
    }
    if (flush_rows(&s) < 0)
        goto out;

    /* 7. remember where both sides agree, in one transaction */
    if (!opt->dry_run && store_begin(st, err) < 0)
        goto out;
    if (!opt->dry_run && !s.unsettled && !s.use_ctag) {
        old_token = s.token ? strdup(s.token) : NULL;
        if ((stats->sent_new || stats->sent_changed || stats->sent_deleted) &&
            confirm_token(&s) != 0) {
            free(s.token);
            s.token = old_token;
            old_token = NULL;
        }
        if (store_sync_calendar_set_token(st, cal->id, s.token, NULL, err) < 0)
            goto rollback;
    } else if (!opt->dry_run && !s.unsettled && s.use_ctag &&
               !(stats->sent_new || stats->sent_changed ||
                 stats->sent_deleted)) {
        if (store_sync_calendar_set_token(st, cal->id, NULL, s.ctag, err) < 0)
            goto rollback;
    }
    if (!opt->dry_run && !s.unsettled && !stats->failed) {
        /* what is sent does not move the store; only what came in does */
        free(mark2);
        mark2 = NULL;
        if (s.imported && fingerprint(&s, &mark2) < 0)
            goto rollback;
        if ((s.imported || local_maybe) &&
            store_sync_calendar_set_mark(st, cal->id, mark2 ? mark2 : mark,
                                         err) < 0)
            goto rollback;
    }
    if (!opt->dry_run && store_commit(st, err) < 0)
        goto out;
    ret = 0;
    goto out;
rollback:
    store_rollback(st);
    goto out;
nomem:
    oom(&s);
out:
    http_get_stats(h, &stats->http);
    hrefs_release(&want);
    free(mark);
    free(mark2);
    free(old_token);
    clear_listed(&s);
    free(s.list);
    for (i = 0; i < s.n; i++) {
        store_sync_item_release(&s.rows[i].it);
    }
    free(s.rows);
    map_release(&s.by_uid);
    map_release(&s.by_href);
    if (s.spool)
        fclose(s.spool);
    free(s.coll);
    free(s.token);
    free(s.ctag);
    return ret;
}
