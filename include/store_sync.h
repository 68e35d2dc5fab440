/* SPDX-License-Identifier: MIT */
/* store_sync.h - what sync remembers per calendar: the listing position,
 * the last agreement on each entry, and kept conflict losers */
#ifndef TIARA_STORE_SYNC_H
#define TIARA_STORE_SYNC_H

#include "store.h"

/* A calendar tiara syncs with, and where its last listing ended. */
struct store_sync_calendar {
    int64_t id;
    char *name;
    char *url;           /* collection URL, never with credentials */
    char *user;          /* or NULL */
    char *display_name;  /* or NULL */
    unsigned components; /* CALDAV_COMP_* it accepts; 0 when unknown */
    char *sync_token;    /* RFC 6578 token of the last full agreement */
    char *ctag;          /* getctag at that point, for servers without */
    char *local_mark;    /* store_sync_fingerprint at that point */
    int auth;            /* how the server took credentials last time: an
                            enum http_auth, 0 when unknown */
};
void store_sync_calendar_release(struct store_sync_calendar *c);
/* Add 'c' (sets c->id); ERR_CONFLICT when the name is taken. */
int store_sync_calendar_add(struct store *st, struct store_sync_calendar *c,
                            struct err *err);
/* ERR_NOT_FOUND when missing; *out filled only on success. */
int store_sync_calendar_get(struct store *st, const char *name,
                            struct store_sync_calendar *out, struct err *err);
typedef int (*store_sync_calendar_fn)(const struct store_sync_calendar *c,
                                      void *ctx);
int store_sync_calendar_each(struct store *st, store_sync_calendar_fn fn,
                             void *ctx, struct err *err);
/* Remember the listing position; NULL clears. */
int store_sync_calendar_set_token(struct store *st, int64_t id,
                                  const char *token, const char *ctag,
                                  struct err *err);
int store_sync_calendar_set_mark(struct store *st, int64_t id, const char *mark,
                                 struct err *err);
int store_sync_calendar_set_auth(struct store *st, int64_t id, int auth,
                                 struct err *err);
/* A short string that changes whenever contacts, interviews or follow-ups
 * change: equal marks mean the entries are as they were. Caller frees. */
int store_sync_fingerprint(struct store *st, char **out, struct err *err);
/* Rows with a PUT or DELETE that may or may not have reached the server. */
int store_sync_pending_count(struct store *st, int64_t calendar_id, int *count,
                             struct err *err);
/* Forget a calendar and everything synced with it (nothing remote). */
int store_sync_calendar_remove(struct store *st, const char *name,
                               struct err *err);

enum {
    STORE_SYNC_REMOTE_ONLY = 1 << 0, /* lives only on the server: never
                                        deleted for being absent here */
    STORE_SYNC_GONE_REMOTE = 1 << 1, /* deleted on the server; not sent again
                                        until it changes here */
    STORE_SYNC_FOREIGN = 1 << 2,     /* not tiara's and not adopted: read,
                                        never written, its text kept */
    STORE_SYNC_RETIRED = 1 << 3,     /* tiara's entry for an interview that
                                        was never one: deleted from the
                                        server outside the deletion limit */
};

/* What both sides last agreed on for one UID in one calendar. Hashes are
 * of the normalised content (caldav_content_hash). */
struct store_sync_item {
    char *uid;
    char *href;          /* canonical; NULL when not on the server */
    char *etag;          /* NULL: unknown, fetch before trusting */
    char *lhash;         /* local content at the last agreement */
    char *rhash;         /* remote content at the last agreement */
    char *pending;       /* "put" or "delete" in flight, or NULL */
    char *pending_hash;  /* hash of what the pending PUT sends */
    char *pending_lhash; /* the local hash that PUT stands for */
    int flags;           /* STORE_SYNC_* */
};
void store_sync_item_release(struct store_sync_item *it);
typedef int (*store_sync_item_fn)(const struct store_sync_item *it, void *ctx);
int store_sync_item_each(struct store *st, int64_t calendar_id,
                         store_sync_item_fn fn, void *ctx, struct err *err);
/* The row for 'uid', or else the rows at 'href' (0 or 1 in practice). */
int store_sync_item_find(struct store *st, int64_t calendar_id, const char *uid,
                         const char *href, store_sync_item_fn fn, void *ctx,
                         struct err *err);
/* Insert or replace the row for it->uid. */
int store_sync_item_put(struct store *st, int64_t calendar_id,
                        const struct store_sync_item *it, struct err *err);
/* The texts kept with a row: what the server held and what tiara had
 * rendered when the two last agreed (the base of a merge). */
enum store_sync_text {
    STORE_SYNC_REMOTE_TEXT,
    STORE_SYNC_LOCAL_TEXT,
};
/* Keep text 'which' of the object 'uid' (NULL clears). */
int store_sync_item_set_text(struct store *st, int64_t calendar_id,
                             const char *uid, enum store_sync_text which,
                             const char *text, struct err *err);
/* Both texts of 'uid' (each NULL when not kept); caller frees. */
int store_sync_item_texts(struct store *st, int64_t calendar_id,
                          const char *uid, char **ltext, char **rtext,
                          struct err *err);
/* Every foreign object's UID and kept text, in one calendar or, when
 * calendar_id is 0, in every calendar. */
typedef int (*store_sync_text_fn)(const char *uid, const char *text, void *ctx);
int store_sync_foreign_each(struct store *st, int64_t calendar_id,
                            store_sync_text_fn fn, void *ctx, struct err *err);
/* The foreign objects of one calendar that may be invitations (their
 * kept text names an ORGANIZER) and are no interview yet. */
int store_sync_kept_invitations(struct store *st, int64_t calendar_id,
                                store_sync_text_fn fn, void *ctx,
                                struct err *err);
int store_sync_item_delete(struct store *st, int64_t calendar_id,
                           const char *uid, struct err *err);
int store_sync_item_count(struct store *st, int64_t calendar_id, int *count,
                          struct err *err);

/* Keep the version that lost a conflict ('side' is "local" or "remote"). */
int store_sync_conflict_add(struct store *st, int64_t calendar_id,
                            const char *uid, const char *side,
                            const char *policy, const char *text, utc_t now,
                            struct err *err);
int store_sync_conflict_count(struct store *st, int *count, struct err *err);

/* A kept conflict loser, with what won (the server's text now). */
struct store_sync_conflict {
    int64_t id;
    char *calendar; /* its name; NULL once the calendar is removed */
    char *uid;
    char *side;   /* "local" or "remote": whose version lost */
    char *policy; /* the rule that decided */
    char *text;   /* the losing version */
    char *winner; /* the server's text now, or NULL when not kept */
    utc_t at;
};
void store_sync_conflict_release(struct store_sync_conflict *c);
typedef int (*store_sync_conflict_fn)(const struct store_sync_conflict *c,
                                      void *ctx);
/* Every kept loser, the newest first. */
int store_sync_conflict_each(struct store *st, store_sync_conflict_fn fn,
                             void *ctx, struct err *err);
/* ERR_NOT_FOUND when there is no loser #id. */
int store_sync_conflict_get(struct store *st, int64_t id,
                            struct store_sync_conflict *out, struct err *err);
int store_sync_conflict_delete(struct store *st, int64_t id, struct err *err);

/* The upgrade review (docs/sync.md): interviews that a tiara before
 * ownership made out of other people's events, found by their sync rows. */
int store_sync_review_pending(struct store *st, int *pending, struct err *err);
int store_sync_review_done(struct store *st, struct err *err);
struct store_sync_stray {
    struct interview iv; /* what the event became */
    struct contact host; /* the contact made for it */
    int used;            /* notes, the timer, a tick: worked with */
    int host_used;       /* the contact holds more than the event gave */
};
typedef int (*store_sync_stray_fn)(const struct store_sync_stray *s, void *ctx);
int store_sync_stray_each(struct store *st, store_sync_stray_fn fn, void *ctx,
                          struct err *err);
/* Make 'sy' foreign again: its interview goes, its contact too unless
 * used or still met; the server's event is fetched and kept again. */
int store_sync_stray_undo(struct store *st, const struct store_sync_stray *sy,
                          int *host_removed, struct err *err);
/* Mark tiara's entry 'uid' in every calendar that holds it as one to
 * delete outright; returns how many rows, or -1. */
int store_sync_retire(struct store *st, const char *uid, struct err *err);
/* What the old release took in but never showed (tasks and journals of
 * other clients) is fetched again and sorted by today's rules. */
int store_sync_review_recheck(struct store *st, struct err *err);

#endif
