/* SPDX-License-Identifier: MIT */
/* caldav_sync_own.c - CalDAV sync: whose each object is (tiara's own,
 * adopted, or foreign), and what is kept of the foreign ones */
#include <stdlib.h>
#include <string.h>

#include "caldav_sync_priv.h"
#include "ics.h"
#include "util.h"

int sync_is_interview(struct store *st, const char *uid)
{
    struct interview iv;
    int yes;

    model_interview_init(&iv);
    yes = store_interview_get_uid(st, uid, &iv, NULL) == 0;
    if (yes)
        model_interview_release(&iv);
    return yes;
}

static int is_followup(struct store *st, const char *uid)
{
    struct followup f;

    model_followup_init(&f);
    if (store_followup_get_uid(st, uid, &f, NULL) < 0)
        return 0;
    model_followup_release(&f);
    return 1;
}

static int has_prop(const char *text, const char *name)
{
    char *v = caldav_ics_prop(text, name);

    free(v);
    return v != NULL;
}

/* Ownership (docs/sync.md): tiara's own objects carry its UIDs or its
 * X-TIARA-KIND, or were sent by it; adopted ones are the interviews and
 * follow-ups the store knows by UID, and invitations when the calendar
 * adopts them. Everything else is foreign: read, kept, never written. */
int sync_is_foreign(struct sync *s, const struct row *r, const char *uid,
                    const char *text)
{
    if (strncmp(uid, "tiara-", 6) == 0 || has_prop(text, "X-TIARA-KIND"))
        return 0;
    if (r->stored && r->it.lhash &&
        !(r->it.flags & (STORE_SYNC_REMOTE_ONLY | STORE_SYNC_FOREIGN)))
        return 0; /* tiara sent it */
    if (sync_is_interview(s->st, uid) || is_followup(s->st, uid))
        return 0;
    return !(s->opt->adopt_invitations && has_prop(text, "ORGANIZER"));
}

/* A foreign object: remember where it is and what it says, touch nothing. */
int sync_keep_foreign(struct sync *s, struct row *r, const char *href,
                      const char *etag, const char *text, const char *rhash)
{
    int changed = !r->it.rhash || strcmp(r->it.rhash, rhash) != 0;

    if (changed)
        s->stats->foreign++;
    if (s->opt->dry_run)
        return 0;
    if (sync_set_href(s, r, href) < 0 || util_set_str(&r->it.etag, etag) < 0 ||
        util_set_str(&r->it.rhash, rhash) < 0 ||
        util_set_str(&r->it.lhash, NULL) < 0)
        return sync_oom(s);
    sync_clear_pending(r);
    r->it.flags = STORE_SYNC_REMOTE_ONLY | STORE_SYNC_FOREIGN;
    r->drop = r->removed = 0;
    r->dirty = 1;
    if (!changed && r->stored)
        return 0;
    return sync_keep_text(s, (size_t)(r - s->rows), text);
}

/* Invitations kept as foreign before adopt_invitations was turned on
 * are taken in now, from the text kept for them: the server need not
 * change them first. The plan then records what the server holds as
 * the agreement, so nothing is sent. */
struct kept_invitation {
    struct kept_one {
        char *uid, *text;
    } * v;
    size_t n, cap;
};

static int on_kept(const char *uid, const char *text, void *ctx)
{
    struct kept_invitation *k = ctx;

    if (!has_prop(text, "ORGANIZER"))
        return 0;
    if (ALLOC_GROW(k->v, k->n + 1, k->cap) < 0)
        return -1;
    k->v[k->n].uid = strdup(uid);
    k->v[k->n].text = strdup(text);
    k->n++;
    return k->v[k->n - 1].uid && k->v[k->n - 1].text ? 0 : -1;
}

int sync_adopt_kept(struct sync *s)
{
    struct kept_invitation k = {NULL, 0, 0};
    size_t i;
    int ret = 0;

    if (!s->opt->adopt_invitations)
        return 0;
    /* the store narrows it down: no foreign text is copied out for
     * nothing */
    if (store_sync_kept_invitations(s->st, s->cal->id, on_kept, &k, s->err) < 0)
        ret = -1;
    for (i = 0; ret == 0 && i < k.n; i++) {
        const struct ics_import_options io = {
            .me = s->opt->me, .newer = 1, .strict = 1, .plain_events = 1};
        struct ics_import_report rep;
        struct err e;

        s->stats->got_new++;
        if (s->opt->dry_run)
            continue;
        if (store_begin(s->st, s->err) < 0) {
            ret = -1;
            break;
        }
        if (ics_import(s->st, k.v[i].text, k.v[i].uid, s->opt->now, &io, &rep,
                       &e) < 0) {
            s->stats->got_new--;
            s->stats->failed++;
            s->unsettled = 1;
            sync_note(s, "cannot take in '%s': %s", k.v[i].uid, e.msg);
            continue;
        }
        if (store_commit(s->st, s->err) < 0)
            ret = -1;
    }
    for (i = 0; i < k.n; i++) {
        free(k.v[i].uid);
        free(k.v[i].text);
    }
    free(k.v);
    return ret;
}
