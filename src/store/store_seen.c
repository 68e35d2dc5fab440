/* SPDX-License-Identifier: MIT */
/* store_seen.c - invitations an import took before, so that the same
 * text imported again costs a lookup instead of a rewrite */
#include <stdlib.h>

#include "store_priv.h"
#include "util.h"

/* A record stands while the rows it left are as they were: migration 14's
 * triggers drop it on any write to what a take reads (the interview's
 * fields, its host's name, the newest request applied). */
struct store_seen {
    struct store *st;
    sqlite3_stmt *check, *put;
};

int store_seen_open(struct store *st, struct store_seen **out, struct err *err)
{
    struct store_seen *s = calloc(1, sizeof(*s));

    if (!s)
        return err_set(err, ERR_NOMEM, "out of memory");
    s->st = st;
    if (store_prepare(st, "SELECT 1 FROM import_seen WHERE hash = ?1 LIMIT 1",
                      &s->check, err) < 0 ||
        store_prepare(st,
                      "INSERT OR REPLACE INTO import_seen (uid, hash)"
                      " SELECT uid, ?2 FROM itip WHERE uid = ?1",
                      &s->put, err) < 0) {
        store_seen_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void store_seen_close(struct store_seen *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->check);
    sqlite3_finalize(s->put);
    free(s);
}

int store_seen_check(struct store_seen *s, int64_t hash, struct err *err)
{
    int ret;

    sqlite3_bind_int64(s->check, 1, hash);
    ret = store_step_one(s->st, s->check, "cannot read what was imported", err);
    sqlite3_reset(s->check);
    return ret < 0 ? -1 : ret == 0;
}

int store_seen_put(struct store_seen *s, const char *uid, int64_t hash,
                   struct err *err)
{
    int rc;

    sqlite3_bind_text(s->put, 1, uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s->put, 2, hash);
    rc = sqlite3_step(s->put);
    sqlite3_reset(s->put);
    sqlite3_clear_bindings(s->put);
    if (rc != SQLITE_DONE)
        return store_db_err(s->st, err, "cannot record what was imported");
    return 0;
}
