/* SPDX-License-Identifier: MIT */
/* caldav_sync_push.c - CalDAV sync: planning and sending local changes
 * (PUT and DELETE) with the write journal */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldav_sync_priv.h"
#include "crash.h"
#include "util.h"

#define JOURNAL_BATCH 32 /* remote writes recorded per transaction */

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

static int put_one(struct sync *s, struct row *r, const char *text,
                   const char *local, int attempt);

/* What to send for 'local' (tiara's rendering): merged into the text the
 * server holds ('remote', else the one kept at the agreement), so that
 * what other clients wrote there stays; 'local' itself for a new entry or
 * when nothing is kept. Caller frees; NULL when out of memory. */
static char *text_to_send(struct sync *s, const struct row *r,
                          const char *local, const char *remote)
{
    char *base = NULL, *kept = NULL, *merged = NULL;

    if (r->it.href && !r->recreate &&
        store_sync_item_texts(s->st, s->cal->id, r->it.uid, &base, &kept,
                              NULL) == 0 &&
        (remote || kept))
        merged = caldav_merge(base, local, remote ? remote : kept);
    free(base);
    free(kept);
    return merged ? merged : strdup(local);
}

/* A gateway whose backend is down, or a server out of service, answers
 * every request alike: after a few such answers in a row the calendar's
 * sync stops with one message instead of trying each entry. What was
 * sent is recorded and the journal lets the next run go on. Returns 1
 * for the first refusal of a streak (worth its own note). */
enum { FAIL_BUDGET = 3 };

static int refused(struct sync *s, long status)
{
    char where[512];

    if (status < 500 && status != 429) {
        s->fail_streak = 0;
        return 1;
    }
    if (status == s->fail_status) {
        s->fail_streak++;
    } else {
        s->fail_status = status;
        s->fail_streak = 1;
    }
    if (s->fail_streak >= FAIL_BUDGET && !s->aborted) {
        http_redact_url(s->cal->url, where, sizeof(where));
        s->aborted = 1;
        err_set(s->err, ERR_NET,
                "'%s' answered HTTP %ld to %d writes in a row: stopped; what "
                "was sent is kept, and the next sync goes on from there",
                where, status, FAIL_BUDGET);
    }
    return s->fail_streak == 1;
}

/* 412 on a write: the server's version moved on since we looked. */
static int after_412(struct sync *s, struct row *r, const char *text,
                     const char *local, const char *url, int attempt)
{
    struct http_response rs;
    char *href = caldav_href_normalise(url);
    int ret = -1;

    http_response_init(&rs);
    if (!href)
        return sync_oom(s);
    if (sync_get_one(s, url, &rs) < 0)
        goto out;
    crash_point("conflict-after-get");
    if (rs.status == 404 && text) {
        /* deleted there meanwhile: a modification beats a deletion */
        free(r->it.etag);
        r->it.etag = NULL;
        r->recreate = 1;
        ret = attempt < 1 ? put_one(s, r, text, local, attempt + 1) : 0;
        goto out;
    }
    if (rs.status != 200 || !rs.body.data) {
        s->stats->failed++;
        sync_note(s, "cannot read back '%s' after a conflict (HTTP %ld)", href,
                  rs.status);
        ret = 0;
        goto out;
    }
    {
        char *etag = rs.etag ? strdup(rs.etag) : etag_of(s, url);
        if (!text)
            r->local = 0; /* a DELETE: the local side has none */
        ret = sync_reconcile(s, href, etag, rs.body.data);
        free(etag);
    }
    if (ret == 0 && text && r->it.rhash && !r->adopt && attempt < 1 &&
        r->local && strcmp(r->lnow, r->it.rhash) != 0 &&
        (!r->it.lhash || strcmp(r->lnow, r->it.lhash) != 0)) {
        /* the local version won: send it over the one just read */
        char *again = text_to_send(s, r, local, rs.body.data);

        r->recreate = 0;
        ret = again ? put_one(s, r, again, local, attempt + 1) : sync_oom(s);
        free(again);
    }
out:
    free(href);
    http_response_release(&rs);
    return ret;
}

/* The conditional PUT of 'text' to 'url' for row 'r'. */
static void put_request(const struct row *r, const char *url, const char *text,
                        struct http_request *rq)
{
    memset(rq, 0, sizeof(*rq));
    rq->method = "PUT";
    rq->url = url;
    /* RFC 5545 8.1: UTF-8 is the default charset; saying so made
     * Xandikos slower per PUT in our measurements */
    rq->content_type = "text/calendar";
    rq->body = text;
    rq->body_len = strlen(text);
    if (!r->it.etag || r->recreate)
        rq->if_none_match_any = 1; /* RFC 9110 13.1.2: never overwrite */
    else
        rq->if_match = r->it.etag; /* RFC 9110 13.1.1: only what we saw */
}

/* What the server answered to the PUT of 'text' for 'r' at 'url'. */
static int put_answer(struct sync *s, struct row *r, const char *text,
                      const char *local, const char *url, int attempt,
                      const struct http_response *rs)
{
    int ret = -1, is_new = !r->it.etag || r->recreate;

    if (rs->status == 200 || rs->status == 201 || rs->status == 204) {
        char *etag = rs->etag ? strdup(rs->etag) : etag_of(s, url);
        char sent[CALDAV_HASH_LEN];

        s->fail_streak = 0;
        free(r->it.etag);
        r->it.etag = etag;
        caldav_content_hash(text, sent);
        if (util_set_str(&r->it.lhash, r->lnow) < 0 ||
            util_set_str(&r->it.rhash, sent) < 0)
            return sync_oom(s);
        if (sync_remember(s, r, STORE_SYNC_REMOTE_TEXT, text) < 0 ||
            sync_remember(s, r, STORE_SYNC_LOCAL_TEXT, local) < 0)
            return -1;
        sync_clear_pending(r);
        r->it.flags = 0;
        r->recreate = 0;
        r->dirty = 1;
        if (is_new)
            s->stats->sent_new++;
        else
            s->stats->sent_changed++;
        crash_point("put-recorded");
        ret = 0;
    } else if (rs->status == 412 && attempt < 2) {
        ret = after_412(s, r, text, local, url, attempt);
    } else {
        /* RFC 4791 5.3.2: only 201/204 (and 200) say it was stored; a 207
         * or anything else is a refusal of this one item */
        s->stats->failed++;
        if (refused(s, rs->status))
            sync_note(s, "the server refused '%s' (HTTP %ld)", r->it.uid,
                      rs->status);
        if (rs->status < 500) {
            sync_clear_pending(r);
        }
        r->dirty = 1;
        ret = 0;
    }
    return ret;
}

static int put_one(struct sync *s, struct row *r, const char *text,
                   const char *local, int attempt)
{
    struct http_request rq;
    struct http_response rs;
    char *url = caldav_url_for(s->cal->url, r->it.href);
    int ret = -1;

    http_response_init(&rs);
    if (!url)
        return sync_oom(s);
    put_request(r, url, text, &rq);
    crash_point("put-before");
    if (http_request(s->h, &rq, &rs, s->err) < 0) {
        s->aborted = 1;
        goto out;
    }
    crash_point("put-after");
    ret = put_answer(s, r, text, local, url, attempt, &rs);
out:
    free(url);
    http_response_release(&rs);
    return ret;
}

static void delete_request(const struct row *r, const char *url,
                           struct http_request *rq)
{
    memset(rq, 0, sizeof(*rq));
    rq->method = "DELETE";
    rq->url = url;
    rq->if_match = r->it.etag;
}

static int delete_answer(struct sync *s, struct row *r, const char *url,
                         const struct http_response *rs)
{
    if (rs->status == 200 || rs->status == 204 || rs->status == 404) {
        s->fail_streak = 0;
        r->drop = 1;
        s->stats->sent_deleted++;
        return 0;
    }
    if (rs->status == 412)
        return after_412(s, r, NULL, NULL, url, 0);
    s->stats->failed++;
    if (refused(s, rs->status))
        sync_note(s, "the server refused to delete '%s' (HTTP %ld)", r->it.uid,
                  rs->status);
    r->dirty = 1;
    return 0;
}

static int delete_one(struct sync *s, struct row *r)
{
    struct http_request rq;
    struct http_response rs;
    char *url = caldav_url_for(s->cal->url, r->it.href);
    int ret = -1;

    http_response_init(&rs);
    if (!url)
        return sync_oom(s);
    delete_request(r, url, &rq);
    crash_point("delete-before");
    if (http_request(s->h, &rq, &rs, s->err) < 0) {
        s->aborted = 1;
        goto out;
    }
    crash_point("delete-after");
    ret = delete_answer(s, r, url, &rs);
out:
    free(url);
    http_response_release(&rs);
    return ret;
}

/* After taking in the server's version of an entry of tiara's own, does
 * the server still lack something tiara changed since the last agreement
 * (a derived task's due date after a reschedule that lost a conflict)?
 * Entries without a base (adopted ones) are left as the server has them. */
static int server_behind(struct sync *s, const struct row *r)
{
    char *base = NULL, *kept = NULL, *local = NULL, *merged = NULL;
    char h[CALDAV_HASH_LEN];
    int behind = 0;

    if (!r->it.rhash || store_sync_item_texts(s->st, s->cal->id, r->it.uid,
                                              &base, &kept, s->err) < 0)
        return r->it.rhash ? -1 : 0;
    if (base && kept && (local = sync_spooled(s, r)) &&
        (merged = caldav_merge(base, local, kept))) {
        caldav_content_hash(merged, h);
        behind = strcmp(h, r->it.rhash) != 0;
    }
    free(base);
    free(kept);
    free(local);
    free(merged);
    return behind;
}

/* What goes out: decided from the local scan. */
int sync_plan(struct sync *s, int *nput, int *ndel)
{
    size_t i;
    int known = 0, gone = 0, retired = 0;

    *nput = *ndel = 0;
    for (i = 0; i < s->n; i++) {
        struct row *r = &s->rows[i];

        /* tiara's entries only: the user's own do not make deleting all
         * of tiara's look small */
        if (r->it.href && r->stored && !(r->it.flags & STORE_SYNC_FOREIGN))
            known++;
        if (r->drop || r->refused)
            continue;
        if (r->it.flags & STORE_SYNC_FOREIGN) {
            /* never written; implied here only once the user adopted it,
             * and then what the server holds is the agreed text */
            if (r->local) {
                r->it.flags &= ~STORE_SYNC_FOREIGN;
                r->it.flags |= STORE_SYNC_REMOTE_ONLY;
            } else {
                continue;
            }
        }
        if (r->adopt && !r->local) {
            r->it.flags |= STORE_SYNC_REMOTE_ONLY;
            free(r->it.lhash);
            r->it.lhash = NULL;
            r->dirty = 1;
            continue;
        }
        if (r->local) {
            int taken = r->adopt || (r->it.flags & STORE_SYNC_REMOTE_ONLY);
            int behind = taken ? server_behind(s, r) : 0;

            r->it.flags &= ~STORE_SYNC_RETIRED;
            if (behind < 0)
                return -1;
            if (taken && !behind) {
                /* what the server sent, as the store now says it: the
                 * base of the next merge */
                char *text = sync_spooled(s, r);
                int rc =
                    text ? sync_remember(s, r, STORE_SYNC_LOCAL_TEXT, text) : 0;

                free(text);
                if (rc < 0)
                    return -1;
                if (util_set_str(&r->it.lhash, r->lnow) < 0)
                    return sync_oom(s);
                r->it.flags &= ~STORE_SYNC_REMOTE_ONLY;
                r->dirty = 1;
                continue;
            }
            if (r->it.lhash && strcmp(r->it.lhash, r->lnow) == 0 &&
                !r->recreate)
                continue;
            if (!r->it.href) {
                char *href = caldav_href_for_uid(s->coll, r->it.uid);
                if (!href || sync_set_href(s, r, href) < 0) {
                    free(href);
                    return sync_oom(s);
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
        /* the upgrade's undoing of strays is not a deletion to doubt */
        if (r->it.flags & STORE_SYNC_RETIRED)
            retired++;
        else
            gone++;
    }
    /* Deletions made here go out freely up to a point: many at once, or
     * every entry, look like a wrong or empty store instead. */
    if (!s->opt->force_delete && gone > 0 &&
        (gone > 4 * s->opt->max_delete || (gone >= 2 && gone >= known))) {
        for (i = 0; i < s->n; i++) {
            if (s->rows[i].push == 2 &&
                !(s->rows[i].it.flags & STORE_SYNC_RETIRED)) {
                s->rows[i].push = 0;
                s->rows[i].refused = 1;
            }
        }
        s->stats->refused_deletes += gone;
        s->unsettled = 1;
        sync_note(s,
                  "%d entries would be deleted from the server; not without "
                  "--force-delete",
                  gone);
        gone = 0;
    }
    *ndel = gone + retired;
    return 0;
}

/* The texts of one batch: tiara's rendering and what is sent for it. */
struct batch {
    size_t row[JOURNAL_BATCH];
    char *local[JOURNAL_BATCH];
    char *sent[JOURNAL_BATCH];
    size_t n;
};

static void batch_release(struct batch *b)
{
    for (size_t k = 0; k < b->n; k++) {
        free(b->local[k]);
        free(b->sent[k]);
    }
    b->n = 0;
}

static void count_dry(struct sync *s, const struct row *r)
{
    if (r->push == 2)
        s->stats->sent_deleted++;
    else if (r->recreate)
        s->stats->sent_new++;
    else
        s->stats->sent_changed++;
}

/* Read and merge each PUT's text, then journal the batch: a run stopped
 * after this point finds out from the server what landed. */
static int journal_batch(struct sync *s, struct batch *b)
{
    char sent_hash[CALDAV_HASH_LEN];

    for (size_t k = 0; k < b->n; k++)
        b->local[k] = b->sent[k] = NULL;
    for (size_t k = 0; k < b->n; k++) {
        struct row *r = &s->rows[b->row[k]];

        if (r->push == 2)
            continue;
        if (!(b->local[k] = sync_spooled(s, r)))
            return err_set(s->err, ERR_IO, "cannot read a temporary file");
        if (!(b->sent[k] = text_to_send(s, r, b->local[k], NULL)))
            return sync_oom(s);
    }
    if (store_begin(s->st, s->err) < 0)
        return -1;
    for (size_t k = 0; k < b->n; k++) {
        struct row *r = &s->rows[b->row[k]];

        if (b->sent[k])
            caldav_content_hash(b->sent[k], sent_hash);
        if (util_set_str(&r->it.pending, r->push == 2 ? "delete" : "put") < 0 ||
            util_set_str(&r->it.pending_hash, b->sent[k] ? sent_hash : NULL) <
                0 ||
            util_set_str(&r->it.pending_lhash, b->sent[k] ? r->lnow : NULL) <
                0) {
            store_rollback(s->st);
            return sync_oom(s);
        }
        if (sync_save_row(s, r) < 0) {
            store_rollback(s->st);
            return -1;
        }
    }
    crash_point("journal-before-commit");
    return store_commit(s->st, s->err);
}

static void batch_done(struct sync *s, long *done, long total)
{
    (*done)++;
    if (s->opt->progress)
        s->opt->progress(s->opt->ctx, *done, total);
}

/* One at a time, as the connection allows when it takes one request. */
static int send_in_turn(struct sync *s, struct batch *b, long *done, long total)
{
    for (size_t k = 0; k < b->n && !s->aborted; k++) {
        struct row *r = &s->rows[b->row[k]];
        int rc = r->push == 2 ? delete_one(s, r)
                              : put_one(s, r, b->sent[k], b->local[k], 0);

        r->push = 0;
        if (rc < 0 && !s->aborted)
            return -1;
        batch_done(s, done, total);
    }
    return 0;
}

struct wave {
    struct sync *s;
    const struct batch *b;
};

/* The crash points of one at a time, around each request of a wave. */
static void on_wave_event(void *ctx, size_t k, int done)
{
    const struct wave *w = ctx;
    int del = w->s->rows[w->b->row[k]].push == 2;

    (void)del; /* a build without crash points has none to name */
    if (!done)
        crash_point(del ? "delete-before" : "put-before");
    else
        crash_point(del ? "delete-after" : "put-after");
}

/* The batch's writes at once, as many as the connection allows, each as
 * conditional as one alone; the answers are then taken in row order, so
 * the store ends the same whatever order they came in. */
static int send_at_once(struct sync *s, struct batch *b, long *done, long total)
{
    struct http_request rq[JOURNAL_BATCH];
    struct http_exchange x[JOURNAL_BATCH];
    char *url[JOURNAL_BATCH];
    struct wave w = {s, b};
    size_t k;
    int ret = -1;

    for (k = 0; k < b->n; k++) {
        http_response_init(&x[k].resp);
        x[k].req = &rq[k];
        url[k] = NULL;
    }
    for (k = 0; k < b->n; k++) {
        struct row *r = &s->rows[b->row[k]];

        if (!(url[k] = caldav_url_for(s->cal->url, r->it.href))) {
            sync_oom(s);
            goto out;
        }
        if (r->push == 2)
            delete_request(r, url[k], &rq[k]);
        else
            put_request(r, url[k], b->sent[k], &rq[k]);
    }
    http_request_all(s->h, x, b->n, on_wave_event, &w);
    for (k = 0; k < b->n && !s->aborted; k++) {
        struct row *r = &s->rows[b->row[k]];
        int rc, del = r->push == 2;

        if (x[k].outcome == HTTP_ANSWERED) {
            rc = del ? delete_answer(s, r, url[k], &x[k].resp)
                     : put_answer(s, r, b->sent[k], b->local[k], url[k], 0,
                                  &x[k].resp);
        } else if (x[k].outcome == HTTP_FAILED) {
            if (s->err)
                *s->err = x[k].err;
            s->aborted = 1;
            rc = -1;
        } else {
            rc = del ? delete_one(s, r)
                     : put_one(s, r, b->sent[k], b->local[k], 0);
        }
        r->push = 0;
        if (rc < 0 && !s->aborted)
            goto out;
        batch_done(s, done, total);
    }
    ret = 0;
out:
    for (k = 0; k < b->n; k++) {
        free(url[k]);
        http_response_release(&x[k].resp);
    }
    return ret;
}

int sync_send_all(struct sync *s, long total)
{
    struct batch b;
    size_t i = 0;
    long done = 0;

    b.n = 0;
    while (i < s->n && !s->aborted) {
        int rc;

        for (; i < s->n && b.n < JOURNAL_BATCH; i++)
            if (s->rows[i].push)
                b.row[b.n++] = i;
        if (!b.n)
            break;
        if (s->opt->dry_run) {
            for (size_t k = 0; k < b.n; k++)
                count_dry(s, &s->rows[b.row[k]]);
            b.n = 0;
            continue;
        }
        if (journal_batch(s, &b) < 0)
            goto fail;
        crash_point("journal-after-commit");
        rc = http_connections(s->h) > 1 && b.n > 1
                 ? send_at_once(s, &b, &done, total)
                 : send_in_turn(s, &b, &done, total);
        if (rc < 0)
            goto fail;
        batch_release(&b);
        if (sync_flush_rows(s) < 0)
            return -1;
        crash_point("send-batch-saved");
    }
    return s->aborted ? -1 : 0;
fail:
    batch_release(&b);
    return -1;
}
