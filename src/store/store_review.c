/* SPDX-License-Identifier: MIT */
/* store_review.c - finding and undoing what a tiara before ownership made
 * of other people's events: interviews, contacts and tasks */
#include <stdlib.h>

#include "store_priv.h"
#include "store_sync.h"

/* The sync row of an object taken in from the server before the upgrade
 * and never sent back: the server still holds the other client's text
 * (its hash is not what tiara rendered), and the upgrade left its texts
 * empty. Rows agreed since then keep both texts. */
_Static_assert(STORE_SYNC_REMOTE_ONLY == 1 && STORE_SYNC_FOREIGN == 4 &&
                   STORE_SYNC_RETIRED == 8,
               "the SQL here spells the flags out");

#define STRAY_ROW                                                              \
    "s.rhash IS NOT NULL AND (s.lhash IS NULL OR s.lhash <> s.rhash)"          \
    " AND s.ltext IS NULL AND s.rtext IS NULL AND s.flags & 4 = 0"

int store_sync_review_pending(struct store *st, int *pending, struct err *err)
{
    sqlite3_stmt *s;
    int rc;

    *pending = 0;
    if (store_prepare(st,
                      "SELECT 1 FROM meta WHERE key = 'foreign_review'"
                      " AND value = 'pending'",
                      &s, err) < 0)
        return -1;
    rc = store_step_one(st, s, "cannot read the database's state", err);
    sqlite3_finalize(s);
    if (rc < 0)
        return -1;
    *pending = rc == 0;
    return 0;
}

int store_sync_review_done(struct store *st, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "UPDATE meta SET value = 'done'"
                      " WHERE key = 'foreign_review'",
                      &s, err) < 0)
        return -1;
    return store_step_done(st, s, "cannot save the database's state", err);
}

struct each_stray {
    store_sync_stray_fn fn;
    void *ctx;
};

static int stray_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_stray *e = arg;
    struct store_sync_stray st;
    int ret;

    model_interview_init(&st.iv);
    model_contact_init(&st.host);
    if (store_read_interview_at(s, 0, &st.iv) < 0 ||
        store_read_contact_at(s, NINTERVIEW, &st.host) < 0) {
        ret = err_set(err, ERR_NOMEM, "out of memory");
    } else {
        st.used = sqlite3_column_int(s, NINTERVIEW + NCONTACT);
        st.host_used = sqlite3_column_int(s, NINTERVIEW + NCONTACT + 1);
        ret = e->fn(&st, e->ctx);
    }
    model_interview_release(&st.iv);
    model_contact_release(&st.host);
    return ret;
}

int store_sync_stray_each(struct store *st, store_sync_stray_fn fn, void *ctx,
                          struct err *err)
{
    sqlite3_stmt *s;
    struct each_stray e = {fn, ctx};

    if (store_prepare(
            st,
            "SELECT " STORE_INTERVIEW_COLS ", " STORE_CONTACT_COLS ","
            /* worked with as an interview: the timer, notes, ticks */
            " (coalesce(i.notes, '') <> '' OR i.actual_start <> 0"
            "  OR i.thanked OR i.prep_done OR i.title IS NOT NULL),"
            /* the contact holds what the event could not have given */
            " (coalesce(c.company, '') <> '' OR coalesce(c.role, '') <> ''"
            "  OR coalesce(c.phone, '') <> '' OR coalesce(c.linkedin, '') <> ''"
            "  OR coalesce(c.notes, '') <> '' OR c.referred_by IS NOT NULL"
            "  OR c.checkin_stopped OR c.cadence <> 'quarterly'"
            "  OR EXISTS (SELECT 1 FROM contacts r WHERE r.referred_by = c.id)"
            "  OR EXISTS (SELECT 1 FROM followups f WHERE f.contact_id = c.id"
            "   AND (f.done OR coalesce(f.note, '') <> '')))"
            " FROM interviews i JOIN contacts c ON c.id = i.contact_id"
            " WHERE i.uid NOT LIKE 'tiara-%'"
            " AND EXISTS (SELECT 1 FROM sync_items s WHERE s.uid = i.uid"
            " AND " STRAY_ROW ")"
            " ORDER BY i.start, i.uid",
            &s, err) < 0)
        return -1;
    return store_each_row(st, s, stray_row, &e, "cannot read the interviews",
                          err);
}

/* Run 'sql' with ?1 bound to 'uid', or to 'id' when uid is NULL; the
 * rows it changed, or -1. */
static int run(struct store *st, const char *sql, const char *uid, int64_t id,
               struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st, sql, &s, err) < 0)
        return -1;
    if (uid)
        sqlite3_bind_text(s, 1, uid, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(s, 1, id);
    if (store_step_done(st, s, "cannot undo an interview", err) < 0)
        return -1;
    return sqlite3_changes(st->db);
}

int store_sync_stray_undo(struct store *st, const struct store_sync_stray *sy,
                          int *host_removed, struct err *err)
{
    int gone;

    *host_removed = 0;
    /* where the server holds the other client's text: foreign again, its
     * ETag and hash forgotten so the next sync fetches and keeps it;
     * copies tiara made in other calendars are its own: they go */
    if (run(st,
            "UPDATE sync_items AS s SET flags = 5, lhash = NULL, etag = NULL,"
            " rhash = NULL, pending = NULL, pending_hash = NULL,"
            " pending_lhash = NULL"
            " WHERE s.uid = ?1 AND " STRAY_ROW,
            sy->iv.uid, 0, err) < 0 ||
        store_sync_retire(st, sy->iv.uid, err) < 0 ||
        run(st, "DELETE FROM interviews WHERE id = ?1", NULL, sy->iv.id, err) <
            0)
        return -1;
    if (sy->host_used)
        return 0;
    /* the made-up contact, unless it still has interviews */
    gone = run(st,
               "DELETE FROM contacts WHERE id = ?1 AND NOT EXISTS"
               " (SELECT 1 FROM interviews WHERE contact_id = ?1)",
               NULL, sy->host.id, err);
    if (gone < 0)
        return -1;
    *host_removed = gone > 0;
    return 0;
}

int store_sync_retire(struct store *st, const char *uid, struct err *err)
{
    return run(st,
               "UPDATE sync_items SET flags = flags | 8"
               " WHERE uid = ?1 AND flags & 4 = 0 AND href IS NOT NULL",
               uid, 0, err);
}

int store_sync_review_recheck(struct store *st, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "UPDATE sync_items SET etag = NULL, rhash = NULL"
                      " WHERE flags & 1 AND flags & 12 = 0 AND lhash IS NULL"
                      " AND ltext IS NULL AND rtext IS NULL",
                      &s, err) < 0)
        return -1;
    return store_step_done(st, s, "cannot save the sync state", err);
}
