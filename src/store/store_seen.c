/* SPDX-License-Identifier: MIT */
/* store_seen.c - invitations an import took before, so that the same
 * text imported again costs a lookup instead of a rewrite */
#include <stdlib.h>

#include "store_priv.h"
#include "util.h"

/* What taking an invitation reads and writes: the interview's fields the
 * calendar carries, its host's name, the newest request applied. A local
 * edit to any of them makes the next import take the text again. */
#define SEEN_STATE                                                             \
    "quote(i.seq) || ',' || quote(i.modified) || ',' || quote(i.start) ||"     \
    " ',' || quote(i.minutes) || ',' || quote(i.tz) || ',' || quote(i.mode)"   \
    " || ',' || quote(i.location) || ',' || quote(i.video_url) || ',' ||"      \
    " quote(i.status) || ',' || quote(i.title) || ',' || quote(i.thanks_tz)"   \
    " || ',' || quote(i.contact_id) || ',' || quote(c.modified) || ',' ||"     \
    " quote(c.name) || ',' || quote(c.company) || ',' || quote(t.seq) ||"      \
    " ',' || quote(t.stamp)"
#define SEEN_JOIN                                                              \
    " JOIN contacts c ON c.id = i.contact_id JOIN itip t ON t.uid = i.uid"

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
    if (store_prepare(st,
                      "SELECT 1 FROM import_seen s JOIN interviews i"
                      " ON i.uid = s.uid" SEEN_JOIN
                      " WHERE s.hash = ?1 AND s.state = " SEEN_STATE " LIMIT 1",
                      &s->check, err) < 0 ||
        store_prepare(st,
                      "INSERT OR REPLACE INTO import_seen (uid, hash, state)"
                      " SELECT i.uid, ?2, " SEEN_STATE
                      " FROM interviews i" SEEN_JOIN " WHERE i.uid = ?1",
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
