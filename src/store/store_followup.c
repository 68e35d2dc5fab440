/* SPDX-License-Identifier: MIT */
/* store_followup.c - the "landed a job" follow-ups */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "util.h"

#define FOLLOWUP_COLS                                                          \
    "id, uid, contact_id, due, done, note, seq, created, modified"

static int read_followup(sqlite3_stmt *s, struct followup *f)
{
    model_followup_init(f);
    f->id = sqlite3_column_int64(s, 0);
    f->contact_id = sqlite3_column_int64(s, 2);
    f->due = sqlite3_column_int64(s, 3);
    f->done = sqlite3_column_int64(s, 4);
    f->seq = sqlite3_column_int(s, 6);
    f->created = sqlite3_column_int64(s, 7);
    f->modified = sqlite3_column_int64(s, 8);
    if (store_column_dup(s, 1, &f->uid) < 0 ||
        store_column_dup(s, 5, &f->note) < 0) {
        model_followup_release(f);
        return -1;
    }
    return 0;
}

static void bind_followup(sqlite3_stmt *s, const struct followup *f)
{
    store_bind_text(s, 1, f->uid);
    sqlite3_bind_int64(s, 2, f->contact_id);
    sqlite3_bind_int64(s, 3, f->due);
    sqlite3_bind_int64(s, 4, f->done);
    store_bind_text(s, 5, f->note);
    sqlite3_bind_int(s, 6, f->seq);
    sqlite3_bind_int64(s, 7, f->created);
    sqlite3_bind_int64(s, 8, f->modified);
}

int store_followup_add(struct store *st, struct followup *f, struct err *err)
{
    sqlite3_stmt *s;
    int ret = -1;

    if (!f->uid && store_new_uid(&f->uid, "tiara-landed-", err) < 0)
        return -1;
    if (store_prepare(st,
                      "INSERT INTO followups (uid, contact_id, due, done, note,"
                      " seq, created, modified) VALUES (?1, ?2, ?3, ?4, ?5,"
                      " ?6, ?7, ?8)",
                      &s, err) < 0)
        return -1;
    bind_followup(s, f);
    if (store_step_write(st, s, "cannot save follow-up", err) == 0) {
        f->id = sqlite3_last_insert_rowid(st->db);
        ret = 0;
    }
    sqlite3_finalize(s);
    return ret;
}

int store_followup_update(struct store *st, const struct followup *f,
                          struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    if (store_prepare(st,
                      "UPDATE followups SET uid = ?1, contact_id = ?2,"
                      " due = ?3, done = ?4, note = ?5, seq = ?6,"
                      " created = ?7, modified = ?8 WHERE id = ?9",
                      &s, err) < 0)
        return -1;
    bind_followup(s, f);
    sqlite3_bind_int64(s, 9, f->id);
    ret = store_step_write(st, s, "cannot save follow-up", err);
    sqlite3_finalize(s);
    return ret;
}

int store_followup_get_uid(struct store *st, const char *uid,
                           struct followup *out, struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    if (store_prepare(st,
                      "SELECT " FOLLOWUP_COLS " FROM followups WHERE uid = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, uid, -1, SQLITE_STATIC);
    ret = store_step_one(st, s, "cannot read follow-up", err);
    if (ret == 1)
        ret = err_set(err, ERR_NOT_FOUND, "no follow-up with that uid");
    else if (ret == 0 && read_followup(s, out) < 0)
        ret = err_set(err, ERR_NOMEM, "out of memory");
    sqlite3_finalize(s);
    return ret;
}

int store_followup_get_contact(struct store *st, int64_t contact_id,
                               struct followup *out, struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    if (store_prepare(st,
                      "SELECT " FOLLOWUP_COLS " FROM followups"
                      " WHERE contact_id = ?1 AND kind = 'landed'",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, contact_id);
    ret = store_step_one(st, s, "cannot read follow-up", err);
    if (ret == 1)
        ret = err_set(err, ERR_NOT_FOUND, "no follow-up for that contact");
    else if (ret == 0 && read_followup(s, out) < 0)
        ret = err_set(err, ERR_NOMEM, "out of memory");
    sqlite3_finalize(s);
    return ret;
}

struct each_followup {
    store_followup_fn fn;
    void *ctx;
};

static int followup_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_followup *e = arg;
    struct followup f;
    int ret;

    if (read_followup(s, &f) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    ret = e->fn(&f, e->ctx);
    model_followup_release(&f);
    return ret;
}

int store_followup_each(struct store *st, store_followup_fn fn, void *ctx,
                        struct err *err)
{
    sqlite3_stmt *s;
    struct each_followup e = {fn, ctx};

    if (store_prepare(st,
                      "SELECT " FOLLOWUP_COLS " FROM followups"
                      " ORDER BY due, uid",
                      &s, err) < 0)
        return -1;
    return store_each_row(st, s, followup_row, &e, "cannot list follow-ups",
                          err);
}
