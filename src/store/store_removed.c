/* SPDX-License-Identifier: MIT */
/* store_removed.c - the entries of removed contacts, kept for exports */
#include <stdint.h>

#include "store_priv.h"

int store_removed_put(struct store *st, const struct store_removed *r,
                      struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "INSERT OR REPLACE INTO removed_entries (uid, owner_uid,"
                      " kind, summary, tz, start, minutes, seq, created,"
                      " removed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                      " ?10)",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, r->uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->owner_uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->summary ? r->summary : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, r->tz, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, r->start);
    sqlite3_bind_int(s, 7, r->minutes);
    sqlite3_bind_int(s, 8, r->seq);
    sqlite3_bind_int64(s, 9, r->created);
    sqlite3_bind_int64(s, 10, r->removed);
    return store_step_done(st, s, "cannot keep a removed entry", err);
}

struct each_removed {
    store_removed_fn fn;
    void *ctx;
};

static int removed_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_removed *e = arg;
    struct store_removed r;

    (void)err;
    /* column text stays valid until the next step: borrowed for 'fn' */
    r.uid = (const char *)sqlite3_column_text(s, 0);
    r.owner_uid = (const char *)sqlite3_column_text(s, 1);
    r.kind = (const char *)sqlite3_column_text(s, 2);
    r.summary = (const char *)sqlite3_column_text(s, 3);
    r.tz = (const char *)sqlite3_column_text(s, 4);
    r.start = sqlite3_column_int64(s, 5);
    r.minutes = sqlite3_column_int(s, 6);
    r.seq = sqlite3_column_int(s, 7);
    r.created = sqlite3_column_int64(s, 8);
    r.removed = sqlite3_column_int64(s, 9);
    if (!r.uid || !r.owner_uid || !r.kind || !r.summary || !r.tz)
        return err_set(err, ERR_NOMEM, "out of memory");
    return e->fn(&r, e->ctx);
}

int store_removed_each(struct store *st, utc_t from, utc_t to, utc_t since,
                       store_removed_fn fn, void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct each_removed e = {fn, ctx};

    /* An owner back under its UID exports its own entries: one UID must
     * not appear twice in a file. */
    if (store_prepare(
            st,
            "SELECT uid, owner_uid, kind, summary, tz, start, minutes, seq,"
            " created, removed FROM removed_entries r"
            " WHERE start >= ?1 AND start < ?2 AND removed >= ?3"
            " AND NOT EXISTS (SELECT 1 FROM interviews WHERE uid = r.owner_uid)"
            " AND NOT EXISTS (SELECT 1 FROM contacts WHERE uid = r.owner_uid)"
            " AND NOT EXISTS (SELECT 1 FROM followups WHERE uid = r.owner_uid)"
            " ORDER BY uid",
            &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    sqlite3_bind_int64(s, 3, since);
    return store_each_row(st, s, removed_row, &e, "cannot list removed entries",
                          err);
}
