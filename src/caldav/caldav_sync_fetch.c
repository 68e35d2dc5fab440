/* SPDX-License-Identifier: MIT */
/* caldav_sync_fetch.c - CalDAV sync: listing and fetching remote items
 * and deciding what each one means for the store */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldav_sync_priv.h"
#include "crash.h"
#include "ics.h"
#include "util.h"

#define FETCH_BATCH 100 /* hrefs per calendar-multiget */

const char *caldav_conflict_name(enum caldav_conflict p)
{
    switch (p) {
    case CALDAV_CONFLICT_LOCAL:
        return "local";
    case CALDAV_CONFLICT_REMOTE:
        return "remote";
    case CALDAV_CONFLICT_BOTH:
        return "both";
    case CALDAV_CONFLICT_NEWEST:
    default:
        return "newest";
    }
}

/* ---- listing ---- */

/* A listing larger than this is refused, not held: memory stays bounded
 * whatever a server sends. Calendars are thousands of entries. */
enum { LISTING_MAX_ITEMS = 200000 };
#define LISTING_MAX_BYTES (64L << 20)

static int add_listed(struct sync *s, const char *href, const char *etag,
                      int removed)
{
    struct listed *l;

    s->listed_bytes += (long)strlen(href) + (etag ? (long)strlen(etag) : 0);
    if (s->nlist >= (size_t)LISTING_MAX_ITEMS ||
        s->listed_bytes > LISTING_MAX_BYTES) {
        char where[512];
        http_redact_url(s->cal->url, where, sizeof(where));
        return err_set(s->err, ERR_NET,
                       "'%s' lists more than %d items or %ld MiB of names: "
                       "larger than any calendar tiara syncs; nothing was "
                       "changed",
                       where, LISTING_MAX_ITEMS, LISTING_MAX_BYTES >> 20);
    }

    if (ALLOC_GROW(s->list, s->nlist + 1, s->caplist) < 0)
        return sync_oom(s);
    l = &s->list[s->nlist];
    memset(l, 0, sizeof(*l));
    if (!(l->href = caldav_href_normalise(href)) ||
        util_set_str(&l->etag, etag) < 0) {
        free(l->href);
        return sync_oom(s);
    }
    l->removed = removed;
    s->nlist++;
    return 0;
}

void sync_clear_listed(struct sync *s)
{
    size_t i;

    s->listed_bytes = 0;
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
    return add_listed(s, it->href, it->etag, it->status == 404);
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
    if (http_retry_status(status))
        return err_set(s->err, ERR_NET,
                       "%s of '%s' failed: the server is unavailable (HTTP "
                       "%ld), also after retries; try again later",
                       what, where, status);
    return err_set(s->err, ERR_NET, "%s of '%s' failed (HTTP %ld)", what, where,
                   status);
}

/* RFC 6578: changes since 'token' (all items for NULL), following 507
 * continuations. Returns 1 when the server would not answer (the caller
 * falls back), 0 when listed, -1 on failure. */
static int sync_collection(struct sync *s, const char *token, long *status)
{
    char *tok = token ? strdup(token) : NULL;
    int rounds, ret = -1;

    if (token && !tok)
        return sync_oom(s);
    for (rounds = 0; rounds < 50; rounds++) {
        struct caldav_multistatus ms;
        char *body = sync_body(tok);
        int rc;

        if (!body) {
            sync_oom(s);
            goto out;
        }
        rc = caldav_dav(s->h, "REPORT", s->cal->url, "1", body, on_listed, s,
                        &ms, status, s->err);
        free(body);
        if (rc != 0) {
            caldav_multistatus_release(&ms);
            if (rc > 0)
                sync_oom(s);
            goto out;
        }
        if (*status != 207) {
            /* RFC 6578 3.2: a token the server does not know is a 403 with
             * DAV:valid-sync-token (Radicale) or, in practice, anything
             * else (Xandikos: 500): fall back. Without a token, only a
             * refusal of the credentials is final. */
            if (*status == 401 || (!tok && *status == 403) ||
                http_retry_status(*status))
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
    rc = caldav_dav(s->h, "PROPFIND", s->cal->url, "0", ctag_body, on_ctag, &p,
                    &ms, &status, s->err);
    caldav_multistatus_release(&ms);
    if (rc != 0) {
        free(p.ctag);
        return rc > 0 ? sync_oom(s) : -1;
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
    rc = caldav_dav(s->h, "PROPFIND", s->cal->url, "1", etag_body, on_listed, s,
                    &ms, &status, s->err);
    caldav_multistatus_release(&ms);
    if (rc != 0)
        return rc > 0 ? sync_oom(s) : -1;
    if (status != 207)
        return status_error(s, status, "PROPFIND");
    return 0;
}

int sync_list_remote(struct sync *s, int delta, int *unchanged)
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
        sync_note(s,
                  "the server refused the sync token (HTTP %ld); listing "
                  "everything",
                  status);
        sync_clear_listed(s);
    }
    s->full = 1;
    rc = sync_collection(s, NULL, &status);
    if (rc <= 0)
        return rc;
    sync_clear_listed(s);
    s->use_ctag = 1;
    return propfind_listing(s, unchanged);
}

int sync_get_one(struct sync *s, const char *url, struct http_response *rs)
{
    struct http_request rq;

    memset(&rq, 0, sizeof(rq));
    rq.method = "GET";
    rq.url = url;
    return http_request(s->h, &rq, rs, s->err);
}

/* ---- fetching and taking in ---- */

static int import_remote(struct sync *s, struct row *r, const char *href,
                         const char *etag, const char *text, const char *rhash)
{
    /* what is taken in was chosen by ownership; all of it or nothing */
    const struct ics_import_options io = {
        .me = s->opt->me, .newer = 1, .strict = 1, .plain_events = 1};
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
    if (ics_import(s->st, text, where, s->opt->now, &io, &rep, &e) < 0) {
        /* the import rolled the transaction back: nothing was kept */
        s->stats->failed++;
        s->unsettled = 1;
        sync_note(s, "cannot take in '%s': %s", href, e.msg);
        return 0;
    }
    if (sync_set_href(s, r, href) < 0 || util_set_str(&r->it.etag, etag) < 0 ||
        util_set_str(&r->it.rhash, rhash) < 0) {
        store_rollback(s->st);
        return sync_oom(s);
    }
    sync_clear_pending(r);
    r->it.flags &= ~STORE_SYNC_GONE_REMOTE;
    if (!r->it.lhash)
        r->it.flags |= STORE_SYNC_REMOTE_ONLY;
    r->adopt = 1;
    r->drop = 0;
    r->removed = 0;
    if (sync_save_row(s, r) < 0 ||
        sync_remember(s, r, STORE_SYNC_REMOTE_TEXT, text) < 0) {
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
                                   caldav_conflict_name(s->opt->conflict), text,
                                   s->opt->now, s->err);
}

/* Both sides changed 'r' since the last agreement. */
static int conflict(struct sync *s, struct row *r, const char *href,
                    const char *etag, const char *text, const char *rhash)
{
    enum caldav_conflict p = s->opt->conflict;
    int remote_wins = 0;
    char *local = sync_spooled(s, r);
    int ret = -1;

    s->stats->conflicts++;
    if (p == CALDAV_CONFLICT_NEWEST) {
        char *rl = caldav_ics_prop(text, "LAST-MODIFIED");
        /* RFC 5545 3.8.7.3: UTC date-times compare as text */
        remote_wins = rl && (!r->lastmod[0] || strcmp(rl, r->lastmod) > 0);
        free(rl);
    } else if (p == CALDAV_CONFLICT_REMOTE) {
        remote_wins = 1;
    }
    if (remote_wins) {
        sync_note(s,
                  "conflict on '%s': the server's version wins (%s); the local "
                  "one is kept in the store",
                  r->it.uid, caldav_conflict_name(p));
        if (keep_loser(s, r, "local", local) < 0)
            goto out;
        ret = import_remote(s, r, href, etag, text, rhash);
        goto out;
    }
    /* The local version is sent over the server's: If-Match its ETag. */
    if (keep_loser(s, r, "remote", text) < 0)
        goto out;
    if (p == CALDAV_CONFLICT_BOTH && sync_is_interview(s->st, r->it.uid)) {
        /* keep both: the server's version comes in as a second interview
         * under a new UID, and goes out again as its own entry */
        struct buf nu;
        char *copy;
        const struct ics_import_options io = {
            .me = s->opt->me, .strict = 1, .plain_events = 1};
        struct ics_import_report rep;
        struct err e;

        buf_init(&nu);
        if (buf_printf(&nu, "%s-conflict-%.8s", r->it.uid, rhash) < 0) {
            sync_oom(s);
            goto out;
        }
        copy = caldav_ics_with_uid(text, nu.data);
        if (copy && !s->opt->dry_run &&
            ics_import(s->st, copy, href, s->opt->now, &io, &rep, &e) < 0)
            sync_note(s, "cannot keep the server's copy of '%s': %s", r->it.uid,
                      e.msg);
        else
            s->imported = 1;
        free(copy);
        buf_release(&nu);
        sync_note(s,
                  "conflict on '%s': both versions kept, the server's as a "
                  "second entry",
                  r->it.uid);
    } else {
        sync_note(s,
                  "conflict on '%s': the local version wins (%s); the server's "
                  "is kept in the store",
                  r->it.uid, caldav_conflict_name(p));
    }
    if (sync_set_href(s, r, href) < 0 || util_set_str(&r->it.etag, etag) < 0 ||
        util_set_str(&r->it.rhash, rhash) < 0) {
        sync_oom(s);
        goto out;
    }
    r->dirty = 1;
    ret = 0;
out:
    free(local);
    return ret;
}

/* A write journalled by a run that stopped: did it land? */
static int settle_pending(struct sync *s, struct row *r, const char *rh)
{
    if (!r->it.pending)
        return 0;
    if (strcmp(r->it.pending, "put") == 0 && r->it.pending_hash &&
        strcmp(r->it.pending_hash, rh) == 0) {
        /* the PUT did land: that is the agreement (what tiara had
         * rendered is no longer known) */
        if (util_set_str(&r->it.lhash,
                         r->it.pending_lhash ? r->it.pending_lhash : rh) < 0 ||
            util_set_str(&r->it.rhash, rh) < 0)
            return sync_oom(s);
        if (sync_remember(s, r, STORE_SYNC_LOCAL_TEXT, NULL) < 0)
            return -1;
    }
    sync_clear_pending(r);
    return 0;
}

int sync_reconcile(struct sync *s, const char *href, const char *etag,
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
        sync_note(s,
                  "'%s' from the server has no UID or is not iCalendar: left "
                  "alone",
                  href);
        free(uid);
        return 0;
    }
    caldav_content_hash(text, rh);
    i = sync_find_row(s, uid, NULL);
    j = sync_find_row(s, NULL, href);
    if (i == -2 || j == -2)
        goto out;
    other = sync_row_at(s, j);
    if (other && strcmp(other->it.uid, uid) != 0) {
        /* another UID now lives at this href: the old one is gone */
        other->removed = 1;
        if (sync_set_href(s, other, NULL) < 0)
            goto oom;
    }
    r = sync_row_at(s, i);
    if (r && r->it.href && strcmp(r->it.href, href) != 0) {
        int still_there = !r->removed && (r->listed || !s->full);
        if (still_there) {
            /* identity is the UID: one entry, wherever copies are */
            sync_note(s,
                      "'%s' is also at '%s' on the server: that copy is left "
                      "alone",
                      uid, href);
            ret = 0;
            goto out;
        }
        /* it moved: the href is only a locator */
        r->removed = 0;
    }
    if (!r) {
        if ((i = sync_add_row(s, uid)) < 0)
            goto oom;
        r = &s->rows[i];
    }
    r->listed = 1;
    if (sync_is_foreign(s, r, uid, text)) {
        ret = sync_keep_foreign(s, r, href, etag, text, rh);
        goto out;
    }
    if (settle_pending(s, r, rh) < 0)
        goto fail;
    if (r->it.rhash && strcmp(r->it.rhash, rh) == 0 &&
        !(r->it.flags & STORE_SYNC_GONE_REMOTE)) {
        /* a new ETag for the same content: a server rewrite, not an edit */
        if (sync_set_href(s, r, href) < 0 ||
            util_set_str(&r->it.etag, etag) < 0)
            goto oom;
        r->dirty = 1;
        ret = sync_remember(s, r, STORE_SYNC_REMOTE_TEXT, text);
        goto out;
    }
    L = sync_local_hash(s, r);
    if (L && strcmp(L, rh) == 0) {
        /* both sides hold the same thing */
        if (sync_set_href(s, r, href) < 0 ||
            util_set_str(&r->it.etag, etag) < 0 ||
            util_set_str(&r->it.rhash, rh) < 0 ||
            util_set_str(&r->it.lhash, rh) < 0)
            goto oom;
        r->it.flags = 0;
        r->dirty = 1;
        ret = sync_remember(s, r, STORE_SYNC_REMOTE_TEXT, text) < 0 ||
                      sync_remember(s, r, STORE_SYNC_LOCAL_TEXT, text) < 0
                  ? -1
                  : 0;
        goto out;
    }
    if (!L || (r->it.lhash && strcmp(L, r->it.lhash) == 0)) {
        /* only the server changed it, or it was deleted here and changed
         * there: a modification beats a deletion */
        ret = import_remote(s, r, href, etag, text, rh);
        goto out;
    }
    ret = conflict(s, r, href, etag, text, rh);
    /* Whoever won, the server's text is the one to merge into; the base
     * stays what tiara rendered at the last agreement. */
    if (ret == 0 && !r->drop &&
        sync_remember(s, r, STORE_SYNC_REMOTE_TEXT, text) < 0)
        ret = -1;
    goto out;
fail:
    ret = -1;
    goto out;
oom:
    sync_oom(s);
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
        return sync_oom(s);
    i = sync_map_get(&s->by_href, href);
    if (it->status == 404 || (!it->calendar_data && it->status >= 400)) {
        /* gone between the listing and the fetch */
        if (i >= 0)
            s->rows[i].removed = 1;
    } else if (!it->calendar_data) {
        if (i >= 0)
            s->rows[i].want = 0;
        s->stats->failed++;
        s->unsettled = 1;
        sync_note(s, "the server sent no calendar data for '%s'", href);
    } else {
        if (i >= 0)
            s->rows[i].want = 0;
        ret = sync_reconcile(s, href, it->etag, it->calendar_data);
    }
    s->fetched_total++;
    if (s->opt->progress)
        s->opt->progress(s->opt->ctx, s->fetched_total, s->fetch_goal);
    free(href);
    return ret;
}

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
        return sync_oom(s);
    crash_point("get-before");
    if (sync_get_one(s, url, &rs) < 0)
        goto out;
    crash_point("get-after");
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

/* A server may leave out of a multiget an href it holds (DAViCal, for
 * some spellings) instead of answering 404 for it: ask for each such
 * one alone before taking it as deleted. */
static int ask_left_out(struct sync *s, char **hrefs, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        struct row *r = sync_row_at(s, sync_map_get(&s->by_href, hrefs[k]));
        int rc;

        if (!r || !r->want || r->removed)
            continue;
        if ((rc = fetch_single(s, hrefs[k])) < 0)
            return -1;
        if (rc > 0 || r->want) {
            /* no clear answer: neither taken in nor deleted this time */
            r->want = 0;
            s->unsettled = 1;
        }
    }
    return sync_flush_kept(s);
}

/* RFC 4791 7.9: calendar-multiget, FETCH_BATCH hrefs per request. */
int sync_fetch(struct sync *s, char **hrefs, size_t n)
{
    size_t at = 0;

    if (n == 1) {
        int rc = fetch_single(s, hrefs[0]);
        if (rc <= 0)
            return rc < 0 ? rc : sync_flush_kept(s);
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
            return sync_oom(s);
        for (k = at; k < n && k < at + FETCH_BATCH; k++) {
            char *e = caldav_xml_escape(hrefs[k]);
            if (!e || buf_printf(&b, "<D:href>%s</D:href>", e) < 0) {
                free(e);
                buf_release(&b);
                return sync_oom(s);
            }
            free(e);
        }
        if (buf_adds(&b, "</C:calendar-multiget>") < 0) {
            buf_release(&b);
            return sync_oom(s);
        }
        crash_point("multiget-before");
        rc = caldav_dav(s->h, "REPORT", s->cal->url, "1", b.data, on_fetched, s,
                        &ms, &status, s->err);
        crash_point("multiget-after");
        buf_release(&b);
        caldav_multistatus_release(&ms);
        if (rc < 0 && s->err->kind == ERR_PARSE) {
            /* a malformed answer spoils one batch, not the sync; what it
             * did not say is not taken as deleted */
            size_t m;
            s->stats->failed++;
            s->unsettled = 1;
            sync_note(s, "%s", s->err->msg);
            for (m = at; m < k; m++) {
                struct row *r =
                    sync_row_at(s, sync_map_get(&s->by_href, hrefs[m]));
                if (r)
                    r->want = 0;
            }
        } else if (rc != 0) {
            return rc > 0 ? -1 : rc;
        } else if (status != 207) {
            return status_error(s, status, "calendar-multiget");
        }
        if (sync_flush_kept(s) < 0)
            return -1;
        crash_point("fetch-kept-saved");
        at = k;
    }
    return ask_left_out(s, hrefs, n);
}

/* After our own writes, move the token past them if nothing else came in
 * meanwhile; otherwise keep the older one and see the rest next time. */
int sync_confirm_token(struct sync *s)
{
    long status = 0;
    size_t i;
    int rc;

    sync_clear_listed(s);
    rc = sync_collection(s, s->token, &status);
    if (rc != 0)
        return 0; /* keep s->token: the next run lists a little more */
    for (i = 0; i < s->nlist; i++) {
        struct listed *l = &s->list[i];
        struct row *r = sync_row_at(s, sync_map_get(&s->by_href, l->href));

        if (l->removed ? (r && !r->drop)
                       : (!r || !r->it.etag || !l->etag ||
                          strcmp(r->it.etag, l->etag) != 0))
            return 1; /* something we did not write: not past it */
    }
    return 0;
}
