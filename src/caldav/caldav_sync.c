/* SPDX-License-Identifier: MIT */
/* caldav_sync.c - two-way sync of the store with one CalDAV calendar:
 * the run, step by step, and remote deletions */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caldav_sync_priv.h"
#include "crash.h"
#include "ics.h"
#include "util.h"

/* Hrefs to fetch, copied: rows may change theirs while fetching. */
struct hrefs {
    char **v;
    size_t n, cap;
};

static int hrefs_add(struct hrefs *h, const char *href)
{
    if (ALLOC_GROW(h->v, h->n + 1, h->cap) < 0)
        return -1;
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
        return sync_oom(s);
    }
    free(f);
    *out = buf_steal(&b);
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
        if (store_interview_revise(s->st, &iv, s->opt->now, s->err) < 0)
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
    if (sync_load_all(s) < 0)
        return -1;

    for (i = 0; i < s->n; i++) {
        struct row *r = &s->rows[i];
        const char *L;

        /* tiara's entries only: the user's own do not make deleting all
         * of tiara's look small */
        if (r->it.href && r->stored && !(r->it.flags & STORE_SYNC_FOREIGN))
            known++;
        if (!r->removed)
            continue;
        L = sync_local_hash(s, r);
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
        sync_note(s,
                  "%d entries are gone from the server; not deleting them here "
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
            if (sync_set_href(s, r, NULL) < 0) {
                store_rollback(s->st);
                return sync_oom(s);
            }
        }
        if (sync_save_row(s, r) < 0) {
            store_rollback(s->st);
            return -1;
        }
        if (store_commit(s->st, s->err) < 0)
            return -1;
        crash_point("remote-delete-saved");
    }
    return 0;
}

/* Is a delta the whole listing in disguise? A true one names what
 * changed; DAViCal, at its token's boundary, may add one or two of
 * tiara's own last writes. A listing where half or more of the entries
 * tiara knows stand at their agreed ETag is the whole collection. */
static int delta_looks_full(struct sync *s, int *looks)
{
    size_t i;
    int same = 0, known = 0;

    *looks = 0;
    for (i = 0; i < s->nlist; i++) {
        const struct listed *l = &s->list[i];
        const struct row *r =
            sync_row_at(s, sync_map_get(&s->by_href, l->href));

        if (!l->removed && r && r->it.etag && l->etag &&
            strcmp(r->it.etag, l->etag) == 0)
            same++;
    }
    if (same == 0)
        return 0;
    if (store_sync_item_count(s->st, s->cal->id, &known, s->err) < 0)
        return -1;
    *looks = 2 * same >= known;
    return 0;
}

/* Step 2: which rows the listing names, which were removed there, and
 * the hrefs to fetch into 'want'. */
static int match_listing(struct sync *s, struct hrefs *want)
{
    size_t i;

    for (i = 0; i < s->nlist; i++) {
        struct listed *l = &s->list[i];
        struct row *r = sync_row_at(s, sync_map_get(&s->by_href, l->href));

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
        if (hrefs_add(want, l->href) < 0)
            return sync_oom(s);
    }
    for (i = 0; !s->lazy && i < s->n; i++) {
        struct row *r = &s->rows[i];

        if (!r->it.href || r->listed || r->removed)
            continue;
        if (s->full) {
            r->removed = 1; /* absent from a complete listing */
        } else if (!r->it.etag && !(r->it.flags & STORE_SYNC_GONE_REMOTE)) {
            /* not changed there, but its ETag is unknown: look */
            if (hrefs_add(want, r->it.href) < 0)
                return sync_oom(s);
        }
    }

    return 0;
}

/* Step 7: remember where both sides agree, in one transaction. 'mark' is
 * the store's fingerprint when the run began. */
static int save_agreement(struct sync *s, const char *mark, int local_maybe)
{
    const struct caldav_sync_options *opt = s->opt;
    struct caldav_sync_stats *stats = s->stats;
    char *mark2 = NULL, *old_token = NULL;
    int sent = stats->sent_new || stats->sent_changed || stats->sent_deleted;
    int ret = -1;

    if (opt->dry_run)
        return 0;
    /* the network first: no write transaction waits on a server, so a
     * local command meanwhile never finds the database locked */
    if (!s->unsettled && !s->use_ctag) {
        old_token = s->token ? strdup(s->token) : NULL;
        if (sent)
            crash_point("token-confirm-before");
        if (sent && sync_confirm_token(s) != 0) {
            free(s->token);
            s->token = old_token;
            old_token = NULL;
        }
    }
    if (store_begin(s->st, s->err) < 0) {
        free(old_token);
        return -1;
    }
    if (!s->unsettled && !s->use_ctag) {
        if (store_sync_calendar_set_token(s->st, s->cal->id, s->token, NULL,
                                          s->err) < 0)
            goto out;
    } else if (!s->unsettled && s->use_ctag && !sent) {
        if (store_sync_calendar_set_token(s->st, s->cal->id, NULL, s->ctag,
                                          s->err) < 0)
            goto out;
    }
    if (!s->unsettled && !stats->failed) {
        /* what is sent does not move the store; only what came in does */
        if (s->imported && fingerprint(s, &mark2) < 0)
            goto out;
        if ((s->imported || local_maybe) &&
            store_sync_calendar_set_mark(s->st, s->cal->id,
                                         mark2 ? mark2 : mark, s->err) < 0)
            goto out;
    }
    crash_point("agreement-before-commit");
    ret = store_commit(s->st, s->err);
    if (ret == 0)
        crash_point("agreement-after-commit");
out:
    if (ret < 0)
        store_rollback(s->st);
    free(mark2);
    free(old_token);
    return ret;
}

/* Free what one run allocated. */
static void sync_release(struct sync *s)
{
    sync_clear_listed(s);
    free(s->list);
    sync_rows_release(s);
    free(s->coll);
    free(s->token);
    free(s->ctag);
}

/* The run's state, with the collection URL ending in a slash so that
 * member hrefs compare by prefix. */
static int sync_begin(struct sync *s, struct store *st, struct http *h,
                      const struct store_sync_calendar *cal,
                      const struct caldav_sync_options *opt,
                      struct caldav_sync_stats *stats, struct err *err)
{
    memset(s, 0, sizeof(*s));
    memset(stats, 0, sizeof(*stats));
    s->st = st;
    s->h = h;
    s->cal = cal;
    s->opt = opt;
    s->stats = stats;
    s->err = err;
    s->iopt.with_notes = opt->notes;
    s->iopt.todo_as_event = opt->todo == CALDAV_TODO_VEVENT ||
                            (opt->todo == CALDAV_TODO_AUTO && cal->components &&
                             !(cal->components & CALDAV_COMP_VTODO));
    s->coll = caldav_href_normalise(cal->url);
    if (!s->coll)
        return sync_oom(s);
    if (!(s->spool = util_tmpfile()))
        return err_set(err, ERR_IO,
                       "cannot start the sync: no temporary file in %s: %s",
                       util_tmpdir(), strerror(errno));
    if (s->coll[strlen(s->coll) - 1] != '/') {
        struct buf b;
        buf_init(&b);
        if (buf_printf(&b, "%s/", s->coll) < 0)
            return sync_oom(s);
        free(s->coll);
        s->coll = buf_steal(&b);
    }
    return 0;
}

/* Step 2: a small delta with nothing changed here needs only the rows it
 * names; a delta that names unchanged items is really a whole listing. */
static int load_agreed(struct sync *s, int local_maybe, struct hrefs *want)
{
    int looks_full = 0, unchanged = 0;
    size_t i;

    s->lazy = !local_maybe && !s->full && s->nlist <= 64;
    if (!s->lazy && sync_load_all(s) < 0)
        return -1;
    for (i = 0; s->lazy && i < s->nlist; i++)
        if (sync_find_row(s, NULL, s->list[i].href) == -2)
            return -1;
    if (!s->full && delta_looks_full(s, &looks_full) < 0)
        return -1;
    if (looks_full) {
        /* a delta names only what changed: one naming unchanged items is
         * a whole listing (DAViCal answers a token it lost so), and what
         * it leaves out may be deleted. List everything, knowingly. */
        sync_clear_listed(s);
        if (sync_list_remote(s, 0, &unchanged) < 0)
            return -1;
        if (s->lazy) {
            s->lazy = 0;
            if (sync_load_all(s) < 0)
                return -1;
        }
    }
    if (match_listing(s, want) < 0)
        return -1;
    return 0;
}

int caldav_sync(struct store *st, struct http *h,
                const struct store_sync_calendar *cal,
                const struct caldav_sync_options *opt,
                struct caldav_sync_stats *stats, struct err *err)
{
    struct sync s;
    int ret = -1, pending = 0, unchanged = 0, local_maybe, nput = 0, ndel = 0;
    char *mark = NULL, *mark2 = NULL;
    struct hrefs want = {NULL, 0, 0};
    size_t i;

    if (sync_begin(&s, st, h, cal, opt, stats, err) < 0)
        goto out;
    if (sync_adopt_kept(&s) < 0 || fingerprint(&s, &mark) < 0 ||
        store_sync_pending_count(st, cal->id, &pending, err) < 0)
        goto out;
    local_maybe =
        !cal->local_mark || strcmp(mark, cal->local_mark) != 0 || pending > 0;

    /* 1. what changed on the server: a delta from the token when there is
     * one and nothing is in doubt, else everything */
    if (sync_list_remote(&s, cal->sync_token && !pending, &unchanged) < 0)
        goto out;
    crash_point("sync-listed");
    if (!local_maybe && (unchanged || (s.nlist == 0 && !s.full))) {
        /* nothing here, nothing there: one request in all */
        if (!opt->dry_run && s.token &&
            (!cal->sync_token || strcmp(s.token, cal->sync_token) != 0) &&
            store_sync_calendar_set_token(st, cal->id, s.token, s.ctag, err) <
                0)
            goto out;
        crash_point("sync-quiet-token-saved");
        ret = 0;
        goto out;
    }

    /* 2. the agreed state, and what the listing says about it */
    if (load_agreed(&s, local_maybe, &want) < 0)
        goto out;

    /* 3. the local side, when it may have moved */
    if (local_maybe && sync_scan_local(&s) < 0)
        goto out;
    crash_point("sync-scanned");

    /* 4. fetch what changed there and take it in */
    s.fetch_goal = (long)want.n;
    if (want.n && sync_fetch(&s, want.v, want.n) < 0)
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
        if (strcmp(mark, mark2) != 0 && sync_scan_local(&s) < 0)
            goto out;
    }

    /* 6. send what changed here */
    if (s.scanned) {
        if (sync_plan(&s, &nput, &ndel) < 0)
            goto out;
        if (sync_flush_rows(&s) < 0)
            goto out;
        if ((nput || ndel) && sync_send_all(&s, nput + ndel) < 0) {
            sync_flush_rows(&s);
            goto out;
        }
    }
    if (sync_flush_rows(&s) < 0)
        goto out;

    /* 7. remember where both sides agree, in one transaction */
    if (save_agreement(&s, mark, local_maybe) < 0)
        goto out;
    ret = 0;
out:
    http_get_stats(h, &stats->http);
    hrefs_release(&want);
    free(mark);
    free(mark2);
    sync_release(&s);
    return ret;
}
