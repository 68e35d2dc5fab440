/* SPDX-License-Identifier: MIT */
/* caldav_sync_state.c - what one sync run knows: the row per UID, its maps
 * by UID and by href, and the spool of local texts that may be sent */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caldav_sync_priv.h"
#include "crash.h"
#include "ics.h"
#include "util.h"

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

int sync_map_get(const struct map *m, const char *key)
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

void sync_note(struct sync *s, const char *fmt, ...)
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

struct row *sync_row_at(struct sync *s, int i)
{
    return i >= 0 ? &s->rows[i] : NULL;
}

int sync_add_row(struct sync *s, const char *uid)
{
    struct row *r;

    if (ALLOC_GROW(s->rows, s->n + 1, s->cap) < 0)
        return -1;
    r = &s->rows[s->n];
    memset(r, 0, sizeof(*r));
    r->spool_off = -1;
    if (!(r->it.uid = strdup(uid)) || map_put(&s->by_uid, uid, (int)s->n) < 0)
        return -1;
    return (int)s->n++;
}

int sync_set_href(struct sync *s, struct row *r, const char *href)
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

int sync_remember(struct sync *s, const struct row *r,
                  enum store_sync_text which, const char *text)
{
    if (s->opt->dry_run)
        return 0;
    return store_sync_item_set_text(s->st, s->cal->id, r->it.uid, which, text,
                                    s->err);
}

void sync_clear_pending(struct row *r)
{
    free(r->it.pending);
    free(r->it.pending_hash);
    free(r->it.pending_lhash);
    r->it.pending = r->it.pending_hash = r->it.pending_lhash = NULL;
    r->dirty = 1;
}

int sync_oom(struct sync *s)
{
    return err_set(s->err, ERR_NOMEM, "out of memory");
}

/* ---- the state table ---- */

static int load_row(const struct store_sync_item *it, void *ctx)
{
    struct sync *s = ctx;
    int i;
    struct row *r;

    if (sync_map_get(&s->by_uid, it->uid) >= 0)
        return 0; /* loaded already, maybe changed since: keep that */
    if ((i = sync_add_row(s, it->uid)) < 0)
        return sync_oom(s);

    r = &s->rows[i];
    r->stored = 1;
    if (util_set_str(&r->it.etag, it->etag) < 0 ||
        util_set_str(&r->it.lhash, it->lhash) < 0 ||
        util_set_str(&r->it.rhash, it->rhash) < 0 ||
        util_set_str(&r->it.pending, it->pending) < 0 ||
        util_set_str(&r->it.pending_hash, it->pending_hash) < 0 ||
        util_set_str(&r->it.pending_lhash, it->pending_lhash) < 0 ||
        sync_set_href(s, r, it->href) < 0)
        return sync_oom(s);
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
int sync_load_all(struct sync *s)
{
    if (s->all_loaded)
        return 0;
    if (store_sync_item_each(s->st, s->cal->id, load_row, s, s->err) != 0)
        return -1;
    s->all_loaded = 1;
    return 0;
}

int sync_find_row(struct sync *s, const char *uid, const char *href)
{
    int i =
        uid ? sync_map_get(&s->by_uid, uid) : sync_map_get(&s->by_href, href);

    if (i >= 0 || s->all_loaded)
        return i;
    if (store_sync_item_find(s->st, s->cal->id, uid, href, load_row, s,
                             s->err) != 0)
        return -2;
    return uid ? sync_map_get(&s->by_uid, uid)
               : sync_map_get(&s->by_href, href);
}

int sync_save_row(struct sync *s, struct row *r)
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

/* Texts kept before one transaction saves them. */
#define KEPT_BATCH 100

int sync_keep_text(struct sync *s, size_t row, const char *text)
{
    if (ALLOC_GROW(s->kept, s->nkept + 1, s->capkept) < 0 ||
        !(s->kept[s->nkept].text = strdup(text)))
        return sync_oom(s);
    s->kept[s->nkept++].row = row;
    return s->nkept >= KEPT_BATCH ? sync_flush_kept(s) : 0;
}

static void kept_release(struct sync *s)
{
    for (size_t i = 0; i < s->nkept; i++)
        free(s->kept[i].text);
    s->nkept = 0;
}

int sync_flush_kept(struct sync *s)
{
    if (!s->nkept)
        return 0;
    if (store_begin(s->st, s->err) < 0)
        return -1;
    for (size_t i = 0; i < s->nkept; i++) {
        struct row *r = &s->rows[s->kept[i].row];

        if (sync_save_row(s, r) < 0 ||
            (!r->drop &&
             store_sync_item_set_text(s->st, s->cal->id, r->it.uid,
                                      STORE_SYNC_REMOTE_TEXT, s->kept[i].text,
                                      s->err) < 0)) {
            store_rollback(s->st);
            kept_release(s);
            return -1;
        }
    }
    kept_release(s);
    return store_commit(s->st, s->err);
}

int sync_flush_rows(struct sync *s)
{
    size_t i;

    if (s->opt->dry_run)
        return 0;
    if (store_begin(s->st, s->err) < 0)
        return -1;
    if (sync_flush_kept(s) < 0)
        return -1; /* rolled back */
    for (i = 0; i < s->n; i++) {
        struct row *r = &s->rows[i];
        if ((r->dirty || (r->drop && r->stored)) && sync_save_row(s, r) < 0) {
            store_rollback(s->st);
            return -1;
        }
    }
    crash_point("rows-before-commit");
    if (store_commit(s->st, s->err) < 0)
        return -1;
    crash_point("rows-after-commit");
    return 0;
}

/* ---- the spool: local texts that may be sent ---- */

static int on_entry(const struct ics_entry *e, void *ctx)
{
    struct sync *s = ctx;
    int i = sync_map_get(&s->by_uid, e->uid);
    struct row *r;
    char *lm;

    if (i < 0 && (i = sync_add_row(s, e->uid)) < 0)
        return sync_oom(s);
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

int sync_scan_local(struct sync *s)
{
    size_t i;

    if (sync_load_all(s) < 0)
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

char *sync_spooled(struct sync *s, const struct row *r)
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

const char *sync_local_hash(const struct sync *s, const struct row *r)
{
    if (s->scanned)
        return r->local ? r->lnow : NULL;
    if (r->it.flags & (STORE_SYNC_REMOTE_ONLY))
        return NULL;
    return r->it.lhash;
}

void sync_rows_release(struct sync *s)
{
    kept_release(s);
    free(s->kept);
    for (size_t i = 0; i < s->n; i++)
        store_sync_item_release(&s->rows[i].it);
    free(s->rows);
    map_release(&s->by_uid);
    map_release(&s->by_href);
    if (s->spool)
        fclose(s->spool);
}
