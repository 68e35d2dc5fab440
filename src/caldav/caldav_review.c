/* SPDX-License-Identifier: MIT */
/* caldav_review.c - the upgrade from a tiara before ownership: interviews
 * it made of other people's events go back to being theirs */
#include <stdlib.h>
#include <string.h>

#include "caldav.h"
#include "ics.h"
#include "store_sync.h"
#include "util.h"

struct uids {
    char **v;
    size_t n, cap;
};

static void uids_release(struct uids *u)
{
    for (size_t i = 0; i < u->n; i++)
        free(u->v[i]);
    free(u->v);
    memset(u, 0, sizeof(*u));
}

static int add_uid(const struct ics_entry *e, void *ctx)
{
    struct uids *u = ctx;

    /* 1, not -1: out of memory, told apart from the walk's own errors */
    if (ALLOC_GROW(u->v, u->n + 1, u->cap) < 0 ||
        !(u->v[u->n] = strdup(e->uid)))
        return 1;
    u->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every UID the store implies now, sorted. */
static int implied(struct store *st, struct uids *u, struct err *err)
{
    struct ics_options opt = {0};

    int rc = ics_each_entry(st, &opt, add_uid, u, err);

    if (rc != 0)
        return rc > 0 ? err_set(err, ERR_NOMEM, "out of memory") : -1;
    if (u->n) /* qsort wants an array, even for none */
        qsort(u->v, u->n, sizeof(*u->v), cmp_str);
    return 0;
}

struct strays {
    struct store_sync_stray *v;
    size_t n, cap;
};

static int keep_stray(const struct store_sync_stray *sy, void *ctx)
{
    struct strays *s = ctx;
    struct store_sync_stray *c;

    if (ALLOC_GROW(s->v, s->n + 1, s->cap) < 0)
        return 1;
    c = &s->v[s->n];
    *c = *sy;
    model_interview_init(&c->iv);
    model_contact_init(&c->host);
    s->n++;
    /* of the contact, what the undo and the report need */
    c->host.id = sy->host.id;
    return model_interview_copy(&c->iv, &sy->iv) < 0 ||
                   util_set_str(&c->host.name, sy->host.name) < 0 ||
                   util_set_str(&c->host.email, sy->host.email) < 0
               ? 1
               : 0;
}

static void strays_release(struct strays *s)
{
    for (size_t i = 0; i < s->n; i++) {
        model_interview_release(&s->v[i].iv);
        model_contact_release(&s->v[i].host);
    }
    free(s->v);
}

/* Undo each stray that nobody worked with; report every one. */
static int undo_strays(struct store *st, const struct caldav_review_options *o,
                       struct strays *s, struct caldav_review *rep,
                       struct err *err)
{
    for (size_t i = 0; i < s->n; i++) {
        struct store_sync_stray *sy = &s->v[i];
        int removed = 0;
        enum caldav_review_verdict v = CALDAV_REVIEW_UNDONE;

        if (sy->used)
            v = CALDAV_REVIEW_KEPT_USED;
        else if (o->adopt_invitations && !util_empty(sy->host.email))
            v = CALDAV_REVIEW_KEPT_INVITATION;
        if (v == CALDAV_REVIEW_UNDONE) {
            if (store_sync_stray_undo(st, sy, &removed, err) < 0)
                return -1;
            rep->interviews++;
            rep->contacts += removed;
        } else {
            rep->kept++;
        }
        if (o->report)
            o->report(o->ctx, &sy->iv, &sy->host, v);
    }
    return 0;
}

/* What no longer follows from the store was tiara's for the strays. */
static int retire_gone(struct store *st, const struct uids *before,
                       const struct uids *after, struct caldav_review *rep,
                       struct err *err)
{
    for (size_t i = 0; i < before->n; i++) {
        int n;

        if (after->n && bsearch(&before->v[i], after->v, after->n,
                                sizeof(*after->v), cmp_str))
            continue;
        if ((n = store_sync_retire(st, before->v[i], err)) < 0)
            return -1;
        rep->entries += n;
    }
    return 0;
}

int caldav_review_upgrade(struct store *st,
                          const struct caldav_review_options *o,
                          struct caldav_review *rep, struct err *err)
{
    struct uids before = {NULL, 0, 0}, after = {NULL, 0, 0};
    struct strays s = {NULL, 0, 0};
    int pending, ret = -1;

    memset(rep, 0, sizeof(*rep));
    if (store_sync_review_pending(st, &pending, err) < 0)
        return -1;
    if (!pending)
        return 0;
    /* A dry run does it all and rolls back: the counts are the real ones. */
    if (store_begin(st, err) < 0)
        return -1;
    if ((pending = store_sync_stray_each(st, keep_stray, &s, err)) != 0) {
        if (pending > 0)
            err_set(err, ERR_NOMEM, "out of memory");
        goto out;
    }
    if (implied(st, &before, err) < 0 || undo_strays(st, o, &s, rep, err) < 0 ||
        implied(st, &after, err) < 0 ||
        retire_gone(st, &before, &after, rep, err) < 0 ||
        store_sync_review_recheck(st, err) < 0)
        goto out;
    if (!o->dry_run && store_sync_review_done(st, err) < 0)
        goto out;
    ret = 0;
out:
    if (ret == 0 && !o->dry_run)
        ret = store_commit(st, err);
    else
        store_rollback(st);
    uids_release(&before);
    uids_release(&after);
    strays_release(&s);
    return ret;
}
