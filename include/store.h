/* SPDX-License-Identifier: MIT */
/* store.h - contacts, interviews and follow-ups kept in one SQLite file */
#ifndef TIARA_STORE_H
#define TIARA_STORE_H

#include "err.h"
#include "model.h"

struct store; /* opaque */

/* Open the database at 'path' (":memory:" allowed), creating it 0600 and
 * migrating it if needed. Refuses a database from a newer tiara. */
int store_open(const char *path, struct store **out, struct err *err);
void store_close(struct store *st); /* NULL is allowed */

/* One user action is one transaction: begin, then commit or rollback.
 * A begin inside a begun transaction joins it (only the outermost commit
 * commits), and a rollback abandons the whole outermost transaction:
 * code that must be able to fail alone runs in a transaction of its own. */
int store_begin(struct store *st, struct err *err);
int store_commit(struct store *st, struct err *err);
void store_rollback(struct store *st);

/* Contacts. add sets c->id (and c->uid when NULL). Timestamps and seq are
 * stored as given: callers set them from their 'now'. */
int store_contact_add(struct store *st, struct contact *c, struct err *err);
int store_contact_update(struct store *st, const struct contact *c,
                         struct err *err);
/* Fails with ERR_INPUT while interviews still refer to the contact. */
int store_contact_delete(struct store *st, int64_t id, struct err *err);
/* ERR_NOT_FOUND when missing; *out is filled only on success. */
int store_contact_get(struct store *st, int64_t id, struct contact *out,
                      struct err *err);
int store_contact_get_uid(struct store *st, const char *uid,
                          struct contact *out, struct err *err);
/* Resolve what a user typed: an id ("3" or "#3"), an exact name or email
 * (any case), or a unique part of a name. Ambiguity is an ERR_INPUT that
 * names the candidates. */
int store_contact_find(struct store *st, const char *query, struct contact *out,
                       struct err *err);
/* Contact by email (any case); ERR_NOT_FOUND when none. */
int store_contact_by_email(struct store *st, const char *email,
                           struct contact *out, struct err *err);

typedef int (*store_contact_fn)(const struct contact *c, void *ctx);
/* Call 'fn' for every contact by name; a non-zero return stops the walk
 * and is returned. */
int store_contact_each(struct store *st, store_contact_fn fn, void *ctx,
                       struct err *err);

/* Bump SEQUENCE and LAST-MODIFIED of every interview with contact 'id':
 * their entries show the contact's name, company and email. */
int store_contact_touch_interviews(struct store *st, int64_t id, utc_t now,
                                   struct err *err);
/* Delete every interview with contact 'id' (for contact rm --force);
 * *count gets how many. */
int store_contact_purge_interviews(struct store *st, int64_t id, int *count,
                                   struct err *err);

/* Interviews. add sets iv->id. */
int store_interview_add(struct store *st, struct interview *iv,
                        struct err *err);
int store_interview_update(struct store *st, const struct interview *iv,
                           struct err *err);
/* Save a revision of an interview (the caller has set its seq and
 * modified) and revise its contact with it: the contact's check-ins
 * derive from its interviews, so their SEQUENCE must rise too. The
 * contact's modified time never goes back. Every path that changes an
 * interview's meeting or status goes through here. */
int store_interview_revise(struct store *st, const struct interview *iv,
                           utc_t now, struct err *err);
int store_interview_get(struct store *st, int64_t id, struct interview *out,
                        struct err *err);
int store_interview_get_uid(struct store *st, const char *uid,
                            struct interview *out, struct err *err);
/* Resolve what a user typed: an id ("3" or "#3"), or a contact, meaning
 * that contact's next scheduled interview after 'now' or, failing that,
 * the most recent one. */
int store_interview_find(struct store *st, const char *query, utc_t now,
                         struct interview *out, struct err *err);

typedef int (*store_interview_fn)(const struct interview *iv, void *ctx);

enum {
    STORE_WITH_CANCELLED = 1 << 0,
    STORE_UNTHANKED_ONLY = 1 << 1,
};
/* Interviews starting in [from, to), by start time; contact_id 0 means
 * all contacts; 'flags' from the enum above. */
int store_interview_each(struct store *st, utc_t from, utc_t to,
                         int64_t contact_id, int flags, store_interview_fn fn,
                         void *ctx, struct err *err);
/* The first scheduled interview overlapping [start, end) other than
 * 'exclude_id'. Returns 1 and fills *out when there is one, 0 if none. */
int store_interview_clash(struct store *st, utc_t start, utc_t end,
                          int64_t exclude_id, struct interview *out,
                          struct err *err);
/* The latest scheduled interview with contact 'id': the anchor of its
 * check-ins. Returns 1 and fills *out, or 0 when there is none. */
int store_interview_anchor(struct store *st, int64_t contact_id,
                           struct interview *out, struct err *err);

/* Interviews with their host (and the host's referrer, with only id, uid
 * and name filled, or NULL), as store_interview_each selects them: one
 * query instead of one per row. */
typedef int (*store_meeting_fn)(const struct interview *iv,
                                const struct contact *host,
                                const struct contact *referrer, void *ctx);
int store_meeting_each(struct store *st, utc_t from, utc_t to,
                       int64_t contact_id, int flags, store_meeting_fn fn,
                       void *ctx, struct err *err);

/* The zones interviews starting in [from, to) are booked in, and the
 * earliest start among them (INT64_MAX when none), as
 * store_interview_each would select them. */
typedef int (*store_zone_fn)(const char *zone, void *ctx);
int store_interview_zones(struct store *st, utc_t from, utc_t to,
                          int64_t contact_id, int flags, store_zone_fn fn,
                          void *ctx, utc_t *earliest, struct err *err);

/* Every contact whose check-ins are on, with its anchor interview (see
 * store_interview_anchor); contact_id 0 means all. */
typedef int (*store_anchor_fn)(const struct contact *c,
                               const struct interview *anchor, void *ctx);
int store_anchor_each(struct store *st, int64_t contact_id, store_anchor_fn fn,
                      void *ctx, struct err *err);

/* "Landed a job" follow-ups: one per contact; add fails with
 * ERR_CONFLICT when the contact already has one. */
int store_followup_add(struct store *st, struct followup *f, struct err *err);
int store_followup_update(struct store *st, const struct followup *f,
                          struct err *err);
int store_followup_get_uid(struct store *st, const char *uid,
                           struct followup *out, struct err *err);
typedef int (*store_followup_fn)(const struct followup *f, void *ctx);
int store_followup_each(struct store *st, store_followup_fn fn, void *ctx,
                        struct err *err);

/* ==== CalDAV sync state (issue 3; src/store_sync.c) ==== */

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
int store_sync_calendar_set_info(struct store *st, int64_t id,
                                 const char *display_name, unsigned components,
                                 struct err *err);
int store_sync_calendar_set_mark(struct store *st, int64_t id, const char *mark,
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
};

/* What both sides last agreed on for one UID in one calendar. Hashes are
 * of the normalised content (caldav_content_hash). */
struct store_sync_item {
    char *uid;
    char *href;         /* canonical; NULL when not on the server */
    char *etag;         /* NULL: unknown, fetch before trusting */
    char *lhash;        /* local content at the last agreement */
    char *rhash;        /* remote content at the last agreement */
    char *pending;      /* "put" or "delete" in flight, or NULL */
    char *pending_hash; /* hash of what the pending PUT sends */
    int flags;          /* STORE_SYNC_* */
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

/* The schema step that adds the tables above (a migration in store.c). */
extern const char store_sync_schema[];
/* ==== end of CalDAV sync state ==== */

#endif
