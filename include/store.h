/* SPDX-License-Identifier: MIT */
/* store.h - contacts, interviews and follow-ups kept in one SQLite file */
#ifndef TIARA_STORE_H
#define TIARA_STORE_H

#include "err.h"
#include "model.h"

struct store; /* opaque */

/* Open the database at 'path' (":memory:" allowed), creating it 0600 and
 * migrating it if needed. Refuses a database from a newer tiara, and one
 * that needs an upgrade but may not be written. */
int store_open(const char *path, struct store **out, struct err *err);
void store_close(struct store *st); /* NULL is allowed */
/* A database this process may not write is opened read-only: the reading
 * commands work, and this (like every store_begin) fails naming it. For a
 * command that must know before it starts, such as the timer. */
int store_writable(const struct store *st, struct err *err);

/* One user action is one transaction: begin, then commit or rollback.
 * A begin inside a begun transaction joins it (only the outermost commit
 * commits), and a rollback abandons the whole outermost transaction:
 * code that must be able to fail alone runs in a transaction of its own. */
int store_begin(struct store *st, struct err *err);
int store_commit(struct store *st, struct err *err);
void store_rollback(struct store *st);
/* One step inside a begun transaction that can be undone alone (an
 * imported event refused while the others are kept). Not nested. */
int store_savepoint(struct store *st, struct err *err);
/* Rows inserted, changed or deleted through 'st' so far. */
int64_t store_changes(struct store *st);
int store_savepoint_release(struct store *st, struct err *err);
void store_savepoint_rollback(struct store *st);

/* What the host's iTIP messages (RFC 5546) said of an invitation, by
 * its UID: the newest request or cancel applied, the host's answer, a
 * time they proposed. */
struct store_itip {
    int seq;              /* SEQUENCE of the newest request applied */
    utc_t stamp;          /* its DTSTAMP */
    char answer[16];      /* "accepted", "declined", "tentative" or "" */
    utc_t answered;       /* the reply's DTSTAMP */
    utc_t proposed_start; /* a COUNTER's time; 0 when none */
    int proposed_minutes;
};
/* ERR_NOT_FOUND when nothing was recorded; then *out is all zero. */
int store_itip_get(struct store *st, const char *uid, struct store_itip *out,
                   struct err *err);
int store_itip_set(struct store *st, const char *uid,
                   const struct store_itip *in, struct err *err);

/* Contacts. add sets c->id (and c->uid when NULL). Timestamps and seq are
 * stored as given: callers set them from their 'now'. */
int store_contact_add(struct store *st, struct contact *c, struct err *err);
int store_contact_update(struct store *st, const struct contact *c,
                         struct err *err);
/* Other contacts with c's name (in any case) or email, listed in 'out' as
 * "'Ana' (#1, same name)"; returns how many. */
struct buf;
int store_contact_twins(struct store *st, const struct contact *c,
                        struct buf *out, struct err *err);
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

/* Interviews. add sets iv->id. delete removes one for good (tiara rm). */
int store_interview_delete(struct store *st, int64_t id, struct err *err);
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
    STORE_NEWEST_FIRST = 1 << 2, /* store_meeting_each: latest start first */
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
 * store_interview_anchor); contact_id 0 means all. With
 * STORE_WITH_CANCELLED, a contact whose interviews are all cancelled
 * comes too, with the latest of them. */
typedef int (*store_anchor_fn)(const struct contact *c,
                               const struct interview *anchor, void *ctx);
int store_anchor_each(struct store *st, int64_t contact_id, int flags,
                      store_anchor_fn fn, void *ctx, struct err *err);

/* The anchors whose check-ins may fall in [from, to), in
 * store_anchor_each's order (no flags): the others cannot reach it. Only
 * the contact's id, uid, name, tz, cadence and checkin_stopped and the
 * anchor's id, contact_id, start and tz are filled, borrowed for the
 * call. */
int store_anchor_window_each(struct store *st, utc_t from, utc_t to,
                             store_anchor_fn fn, void *ctx, struct err *err);

/* Reminders sent (remind --notify): was 'key' sent at or after 'since'
 * (1 yes, 0 no, -1 error)? mark records it now, and forgets marks over
 * two days old. */
int store_notified_since(struct store *st, const char *key, utc_t since,
                         struct err *err);
int store_notified_mark(struct store *st, const char *key, utc_t now,
                        struct err *err);

/* "Landed a job" follow-ups: one per contact; add fails with
 * ERR_CONFLICT when the contact already has one. */
int store_followup_add(struct store *st, struct followup *f, struct err *err);
int store_followup_update(struct store *st, const struct followup *f,
                          struct err *err);
int store_followup_get_uid(struct store *st, const char *uid,
                           struct followup *out, struct err *err);
/* The contact's "landed a job" follow-up; ERR_NOT_FOUND when none. */
int store_followup_get_contact(struct store *st, int64_t contact_id,
                               struct followup *out, struct err *err);
typedef int (*store_followup_fn)(const struct followup *f, void *ctx);
int store_followup_each(struct store *st, store_followup_fn fn, void *ctx,
                        struct err *err);

/* An entry of a removed contact, kept so that later exports can say it
 * was cancelled to calendars that imported it before. 'kind' is
 * ics_kind's name ("interview", "prep", ...), 'owner_uid' the UID of
 * the interview, contact or follow-up it came from, 'start' its
 * DTSTART or DUE, 'minutes' its length (0 for a deadline), 'seq' and
 * 'removed' the SEQUENCE and time of its cancellation. */
struct store_removed {
    const char *uid, *owner_uid, *kind, *summary, *tz;
    utc_t start;
    int minutes;
    int seq;
    utc_t created, removed;
};
/* Keep 'r' (strings borrowed for the call), replacing one with its UID. */
int store_removed_put(struct store *st, const struct store_removed *r,
                      struct err *err);
typedef int (*store_removed_fn)(const struct store_removed *r, void *ctx);
/* Call 'fn' for each kept entry starting in [from, to), removed at or
 * after 'since', by UID; entries whose owner is back in the store (an
 * import restored it) are left out. The record is borrowed for the call.
 * A non-zero return from 'fn' stops the walk and is returned. */
int store_removed_each(struct store *st, utc_t from, utc_t to, utc_t since,
                       store_removed_fn fn, void *ctx, struct err *err);

/* Invitations an import took before (store_seen.c), by a hash of their
 * text and of what it was read with. A write to the rows that taking one
 * left drops its record, so while it stands, taking the text again would
 * change nothing. One handle serves a whole import, its statements prepared
 * once; open and use it inside the import's transaction. */
struct store_seen;
int store_seen_open(struct store *st, struct store_seen **out, struct err *err);
void store_seen_close(struct store_seen *s); /* NULL is allowed */
/* 1 when 'hash' was recorded and its rows are as it left them (one
 * index probe), else 0;
 * -1 with 'err' set on a database error. */
int store_seen_check(struct store_seen *s, int64_t hash, struct err *err);
/* Record that interview 'uid' (with its contact and iTIP state) is as
 * taking the text 'hash' left it. */
int store_seen_put(struct store_seen *s, const char *uid, int64_t hash,
                   struct err *err);

#endif
