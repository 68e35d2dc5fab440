/* SPDX-License-Identifier: MIT */
/* store_sync.c - CalDAV sync state: calendars, per-UID agreement, conflicts */
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "store_sync.h"
#include "util.h"

void store_sync_calendar_release(struct store_sync_calendar *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->url);
    free(c->user);
    free(c->display_name);
    free(c->sync_token);
    free(c->ctag);
    free(c->local_mark);
    memset(c, 0, sizeof(*c));
}

int store_sync_calendar_add(struct store *st, struct store_sync_calendar *c,
                            struct err *err)
{
    sqlite3_stmt *s;
    int rc;

    if (store_prepare(st,
                      "INSERT INTO sync_calendars (name, url, user, "
                      "display_name, components) VALUES (?1, ?2, ?3, ?4, ?5)",
                      &s, err) < 0)
        return -1;
    store_bind_text(s, 1, c->name);
    store_bind_text(s, 2, c->url);
    store_bind_text(s, 3, c->user);
    store_bind_text(s, 4, c->display_name);
    sqlite3_bind_int64(s, 5, c->components);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_CONSTRAINT)
        return err_set(err, ERR_CONFLICT, "a calendar named '%s' exists",
                       c->name);
    if (rc != SQLITE_DONE)
        return store_db_err(st, err, "cannot add the calendar");
    c->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

#define CAL_COLS                                                               \
    "id, name, url, user, display_name, components, sync_token, ctag, "        \
    "local_mark, auth"

static int read_calendar(sqlite3_stmt *s, struct store_sync_calendar *c)
{
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(s, 0);
    c->components = (unsigned)sqlite3_column_int64(s, 5);
    c->auth = sqlite3_column_int(s, 9);
    if (store_column_dup(s, 1, &c->name) < 0 ||
        store_column_dup(s, 2, &c->url) < 0 ||
        store_column_dup(s, 3, &c->user) < 0 ||
        store_column_dup(s, 4, &c->display_name) < 0 ||
        store_column_dup(s, 6, &c->sync_token) < 0 ||
        store_column_dup(s, 7, &c->ctag) < 0 ||
        store_column_dup(s, 8, &c->local_mark) < 0) {
        store_sync_calendar_release(c);
        return -1;
    }
    return 0;
}

int store_sync_calendar_get(struct store *st, const char *name,
                            struct store_sync_calendar *out, struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    if (store_prepare(st,
                      "SELECT " CAL_COLS " FROM sync_calendars WHERE name = ?1",
                      &s, err) < 0)
        return -1;
    store_bind_text(s, 1, name);
    ret = store_step_one(st, s, "cannot read calendars", err);
    if (ret == 1)
        ret = err_set(err, ERR_NOT_FOUND, "no calendar named '%s'", name);
    else if (ret == 0 && read_calendar(s, out) < 0)
        ret = err_set(err, ERR_NOMEM, "out of memory");
    sqlite3_finalize(s);
    return ret;
}

struct each_calendar {
    store_sync_calendar_fn fn;
    void *ctx;
};

static int calendar_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_calendar *e = arg;
    struct store_sync_calendar c;
    int ret;

    if (read_calendar(s, &c) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    ret = e->fn(&c, e->ctx);
    store_sync_calendar_release(&c);
    return ret;
}

int store_sync_calendar_each(struct store *st, store_sync_calendar_fn fn,
                             void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct each_calendar e = {fn, ctx};

    if (store_prepare(st,
                      "SELECT " CAL_COLS " FROM sync_calendars ORDER BY "
                      "name",
                      &s, err) < 0)
        return -1;
    return store_each_row(st, s, calendar_row, &e, "cannot read calendars",
                          err);
}

int store_sync_calendar_set_token(struct store *st, int64_t id,
                                  const char *token, const char *ctag,
                                  struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "UPDATE sync_calendars SET sync_token = ?2, ctag = ?3 "
                      "WHERE id = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, token);
    store_bind_text(s, 3, ctag);
    return store_step_done(st, s, "cannot save the sync token", err);
}

int store_sync_calendar_remove(struct store *st, const char *name,
                               struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st, "DELETE FROM sync_calendars WHERE name = ?1", &s,
                      err) < 0)
        return -1;
    store_bind_text(s, 1, name);
    if (store_step_done(st, s, "cannot remove the calendar", err) < 0)
        return -1;
    if (sqlite3_changes(st->db) == 0)
        return err_set(err, ERR_NOT_FOUND, "no calendar named '%s'", name);
    return 0;
}

void store_sync_item_release(struct store_sync_item *it)
{
    if (!it)
        return;
    free(it->uid);
    free(it->href);
    free(it->etag);
    free(it->lhash);
    free(it->rhash);
    free(it->pending);
    free(it->pending_hash);
    free(it->pending_lhash);
    memset(it, 0, sizeof(*it));
}

struct each_item {
    store_sync_item_fn fn;
    void *ctx;
};

static int item_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_item *e = arg;
    struct store_sync_item it;
    int ret;

    memset(&it, 0, sizeof(it));
    it.flags = sqlite3_column_int(s, 7);
    if (store_column_dup(s, 0, &it.uid) < 0 ||
        store_column_dup(s, 1, &it.href) < 0 ||
        store_column_dup(s, 2, &it.etag) < 0 ||
        store_column_dup(s, 3, &it.lhash) < 0 ||
        store_column_dup(s, 4, &it.rhash) < 0 ||
        store_column_dup(s, 5, &it.pending) < 0 ||
        store_column_dup(s, 6, &it.pending_hash) < 0 ||
        store_column_dup(s, 8, &it.pending_lhash) < 0) {
        store_sync_item_release(&it);
        return err_set(err, ERR_NOMEM, "out of memory");
    }
    ret = e->fn(&it, e->ctx);
    store_sync_item_release(&it);
    return ret;
}

static int walk_items(struct store *st, sqlite3_stmt *s, store_sync_item_fn fn,
                      void *ctx, struct err *err)
{
    struct each_item e = {fn, ctx};

    return store_each_row(st, s, item_row, &e, "cannot read the sync state",
                          err);
}

#define ITEM_COLS                                                              \
    "SELECT uid, href, etag, lhash, rhash, pending, pending_hash, flags, "     \
    "pending_lhash FROM sync_items WHERE calendar_id = ?1"

int store_sync_item_each(struct store *st, int64_t calendar_id,
                         store_sync_item_fn fn, void *ctx, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st, ITEM_COLS " ORDER BY uid", &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, calendar_id);
    return walk_items(st, s, fn, ctx, err);
}

int store_sync_item_find(struct store *st, int64_t calendar_id, const char *uid,
                         const char *href, store_sync_item_fn fn, void *ctx,
                         struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(
            st, uid ? ITEM_COLS " AND uid = ?2" : ITEM_COLS " AND href = ?2",
            &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, calendar_id);
    sqlite3_bind_text(s, 2, uid ? uid : href, -1, SQLITE_TRANSIENT);
    return walk_items(st, s, fn, ctx, err);
}

int store_sync_item_put(struct store *st, int64_t calendar_id,
                        const struct store_sync_item *it, struct err *err)
{
    sqlite3_stmt *s;

    /* An upsert, not a replace: the row's kept text stays. */
    if (store_prepare(st,
                      "INSERT INTO sync_items (calendar_id, uid, href, etag,"
                      " lhash, rhash, pending, pending_hash, flags,"
                      " pending_lhash)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                      " ON CONFLICT (calendar_id, uid) DO UPDATE SET"
                      " href = ?3, etag = ?4, lhash = ?5, rhash = ?6,"
                      " pending = ?7, pending_hash = ?8, flags = ?9,"
                      " pending_lhash = ?10",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, calendar_id);
    /* the UID is identity: bind it even when empty */
    sqlite3_bind_text(s, 2, it->uid ? it->uid : "", -1, SQLITE_TRANSIENT);
    store_bind_text(s, 3, it->href);
    store_bind_text(s, 4, it->etag);
    store_bind_text(s, 5, it->lhash);
    store_bind_text(s, 6, it->rhash);
    store_bind_text(s, 7, it->pending);
    store_bind_text(s, 8, it->pending_hash);
    sqlite3_bind_int(s, 9, it->flags);
    store_bind_text(s, 10, it->pending_lhash);
    return store_step_done(st, s, "cannot save the sync state", err);
}

int store_sync_item_set_text(struct store *st, int64_t calendar_id,
                             const char *uid, enum store_sync_text which,
                             const char *text, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      /* an upsert: the row itself may be saved later */
                      which == STORE_SYNC_LOCAL_TEXT
                          ? "INSERT INTO sync_items (calendar_id, uid, ltext)"
                            " VALUES (?1, ?2, ?3) ON CONFLICT (calendar_id,"
                            " uid) DO UPDATE SET ltext = ?3"
                          : "INSERT INTO sync_items (calendar_id, uid, rtext)"
                            " VALUES (?1, ?2, ?3) ON CONFLICT (calendar_id,"
                            " uid) DO UPDATE SET rtext = ?3",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, calendar_id);
    sqlite3_bind_text(s, 2, uid, -1, SQLITE_TRANSIENT);
    store_bind_text(s, 3, text);
    return store_step_done(st, s, "cannot save the sync state", err);
}

int store_sync_item_texts(struct store *st, int64_t calendar_id,
                          const char *uid, char **ltext, char **rtext,
                          struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    *ltext = *rtext = NULL;
    if (store_prepare(st,
                      "SELECT ltext, rtext FROM sync_items"
                      " WHERE calendar_id = ?1 AND uid = ?2",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, calendar_id);
    sqlite3_bind_text(s, 2, uid, -1, SQLITE_TRANSIENT);
    ret = store_step_one(st, s, "cannot read the sync state", err);
    if (ret == 0 && (store_column_dup(s, 0, ltext) < 0 ||
                     store_column_dup(s, 1, rtext) < 0)) {
        free(*ltext);
        *ltext = NULL;
        ret = err_set(err, ERR_NOMEM, "out of memory");
    }
    sqlite3_finalize(s);
    return ret < 0 ? -1 : 0;
}

struct each_foreign {
    store_sync_text_fn fn;
    void *ctx;
};

static int foreign_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_foreign *e = arg;

    (void)err;
    return e->fn((const char *)sqlite3_column_text(s, 0),
                 (const char *)sqlite3_column_text(s, 1), e->ctx);
}

int store_sync_foreign_each(struct store *st, int64_t calendar_id,
                            store_sync_text_fn fn, void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct each_foreign e = {fn, ctx};

    if (store_prepare(st,
                      "SELECT uid, rtext FROM sync_items"
                      " WHERE flags & ?1 AND rtext IS NOT NULL"
                      " AND (?2 = 0 OR calendar_id = ?2)"
                      " ORDER BY calendar_id, uid",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int(s, 1, STORE_SYNC_FOREIGN);
    sqlite3_bind_int64(s, 2, calendar_id);
    return store_each_row(st, s, foreign_row, &e, "cannot read the sync state",
                          err);
}

int store_sync_kept_invitations(struct store *st, int64_t calendar_id,
                                store_sync_text_fn fn, void *ctx,
                                struct err *err)
{
    sqlite3_stmt *s;
    struct each_foreign e = {fn, ctx};

    /* a cheap first cut on the text; the caller reads ORGANIZER itself */
    if (store_prepare(st,
                      "SELECT s.uid, s.rtext FROM sync_items s"
                      " WHERE s.calendar_id = ?1 AND s.flags & ?2"
                      " AND s.rtext LIKE '%ORGANIZER%'"
                      " AND NOT EXISTS (SELECT 1 FROM interviews i"
                      "  WHERE i.uid = s.uid)"
                      " ORDER BY s.uid",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, calendar_id);
    sqlite3_bind_int(s, 2, STORE_SYNC_FOREIGN);
    return store_each_row(st, s, foreign_row, &e, "cannot read the sync state",
                          err);
}

int store_sync_item_delete(struct store *st, int64_t calendar_id,
                           const char *uid, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "DELETE FROM sync_items WHERE calendar_id = ?1 AND "
                      "uid = ?2",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, calendar_id);
    sqlite3_bind_text(s, 2, uid, -1, SQLITE_TRANSIENT);
    return store_step_done(st, s, "cannot save the sync state", err);
}

static int count_query(struct store *st, const char *sql, int64_t id,
                       int *count, struct err *err)
{
    sqlite3_stmt *s;
    int rc;

    if (store_prepare(st, sql, &s, err) < 0)
        return -1;
    if (id)
        sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW)
        return store_db_err(st, err, "cannot count the sync state");
    return 0;
}

int store_sync_item_count(struct store *st, int64_t calendar_id, int *count,
                          struct err *err)
{
    return count_query(st,
                       "SELECT count(*) FROM sync_items WHERE calendar_id = ?1",
                       calendar_id, count, err);
}

int store_sync_conflict_add(struct store *st, int64_t calendar_id,
                            const char *uid, const char *side,
                            const char *policy, const char *text, utc_t now,
                            struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "INSERT INTO sync_conflicts (calendar_id, uid, side, "
                      "policy, text, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, calendar_id);
    sqlite3_bind_text(s, 2, uid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, side, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, policy, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, text ? text : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 6, now);
    return store_step_done(st, s, "cannot keep the conflicting version", err);
}

int store_sync_conflict_count(struct store *st, int *count, struct err *err)
{
    return count_query(st, "SELECT count(*) FROM sync_conflicts", 0, count,
                       err);
}

void store_sync_conflict_release(struct store_sync_conflict *c)
{
    free(c->calendar);
    free(c->uid);
    free(c->side);
    free(c->policy);
    free(c->text);
    free(c->winner);
    memset(c, 0, sizeof(*c));
}

#define CONFLICT_QUERY                                                         \
    "SELECT k.id, c.name, k.uid, k.side, k.policy, k.text, i.rtext, k.at"      \
    " FROM sync_conflicts k"                                                   \
    " LEFT JOIN sync_calendars c ON c.id = k.calendar_id"                      \
    " LEFT JOIN sync_items i ON i.calendar_id = k.calendar_id"                 \
    " AND i.uid = k.uid"

static int read_conflict(sqlite3_stmt *s, struct store_sync_conflict *c)
{
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(s, 0);
    c->at = sqlite3_column_int64(s, 7);
    if (store_column_dup(s, 1, &c->calendar) < 0 ||
        store_column_dup(s, 2, &c->uid) < 0 ||
        store_column_dup(s, 3, &c->side) < 0 ||
        store_column_dup(s, 4, &c->policy) < 0 ||
        store_column_dup(s, 5, &c->text) < 0 ||
        store_column_dup(s, 6, &c->winner) < 0) {
        store_sync_conflict_release(c);
        return -1;
    }
    return 0;
}

struct each_conflict {
    store_sync_conflict_fn fn;
    void *ctx;
};

static int conflict_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_conflict *e = arg;
    struct store_sync_conflict c;
    int ret;

    if (read_conflict(s, &c) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    ret = e->fn(&c, e->ctx);
    store_sync_conflict_release(&c);
    return ret;
}

int store_sync_conflict_each(struct store *st, store_sync_conflict_fn fn,
                             void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct each_conflict e = {fn, ctx};

    if (store_prepare(st, CONFLICT_QUERY " ORDER BY k.at DESC, k.id DESC", &s,
                      err) < 0)
        return -1;
    return store_each_row(st, s, conflict_row, &e, "cannot read conflicts",
                          err);
}

int store_sync_conflict_get(struct store *st, int64_t id,
                            struct store_sync_conflict *out, struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    if (store_prepare(st, CONFLICT_QUERY " WHERE k.id = ?1", &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    ret = store_step_one(st, s, "cannot read conflicts", err);
    if (ret == 1)
        ret = err_set(err, ERR_NOT_FOUND, "no kept conflict #%lld",
                      (long long)id);
    else if (ret == 0 && read_conflict(s, out) < 0)
        ret = err_set(err, ERR_NOMEM, "out of memory");
    sqlite3_finalize(s);
    return ret;
}

int store_sync_conflict_delete(struct store *st, int64_t id, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st, "DELETE FROM sync_conflicts WHERE id = ?1", &s, err) <
        0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    return store_step_done(st, s, "cannot forget the conflict", err);
}

int store_sync_calendar_set_mark(struct store *st, int64_t id, const char *mark,
                                 struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "UPDATE sync_calendars SET local_mark = ?2 WHERE id = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, mark);
    return store_step_done(st, s, "cannot save the sync state", err);
}

int store_sync_calendar_set_auth(struct store *st, int64_t id, int auth,
                                 struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st, "UPDATE sync_calendars SET auth = ?2 WHERE id = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, auth);
    return store_step_done(st, s, "cannot save the sync state", err);
}

int store_sync_pending_count(struct store *st, int64_t calendar_id, int *count,
                             struct err *err)
{
    return count_query(st,
                       "SELECT count(*) FROM sync_items WHERE calendar_id = ?1 "
                       "AND pending IS NOT NULL",
                       calendar_id, count, err);
}

/* Every change through the store bumps a record's seq and modified, so
 * these sums move whenever anything the entries are made of moves. */
int store_sync_fingerprint(struct store *st, char **out, struct err *err)
{
    static const char sql[] =
        "SELECT (SELECT count(*) || '.' || total(seq) || '.' || "
        "total(modified) || '.' || total(id * (seq + 1)) FROM contacts) || "
        "'/' || (SELECT count(*) || '.' || total(seq) || '.' || "
        "total(modified) || '.' || total(id * (seq + 1)) || '.' || "
        "total(start) FROM interviews) || '/' || (SELECT count(*) || '.' || "
        "total(seq) || '.' || total(modified) || '.' || total(done) FROM "
        "followups)";
    sqlite3_stmt *s;
    int rc, ret = -1;

    if (store_prepare(st, sql, &s, err) < 0)
        return -1;
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        store_db_err(st, err, "cannot read the store");
    else if (store_column_dup(s, 0, out) < 0)
        err_set(err, ERR_NOMEM, "out of memory");
    else
        ret = 0;
    sqlite3_finalize(s);
    return ret;
}
