/* SPDX-License-Identifier: MIT */
/* store_meta.c - small facts kept in the meta table: which reminders were
 * sent, so a desktop notification is not repeated */
#include <stdio.h>

#include "store_priv.h"

/* Remembered this long, then forgotten: a reminder may come again. */
#define NOTIFIED_KEEP (2 * 86400)

int store_notified_since(struct store *st, const char *key, utc_t since,
                         struct err *err)
{
    sqlite3_stmt *s;
    int rc;

    if (store_prepare(st,
                      "SELECT 1 FROM meta WHERE key = 'notified:' || ?1"
                      " AND CAST(value AS INTEGER) >= ?2",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, since);
    rc = store_step_one(st, s, "cannot read reminders", err);
    sqlite3_finalize(s);
    return rc < 0 ? -1 : rc == 0;
}

int store_notified_mark(struct store *st, const char *key, utc_t now,
                        struct err *err)
{
    sqlite3_stmt *s;
    int rc;

    if (store_prepare(st,
                      "INSERT INTO meta (key, value) VALUES ('notified:' || ?1,"
                      " ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    rc = store_step_done(st, s, "cannot remember a reminder", err);
    if (rc < 0)
        return -1;
    if (store_prepare(st,
                      "DELETE FROM meta WHERE key LIKE 'notified:%'"
                      " AND CAST(value AS INTEGER) < ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, now - NOTIFIED_KEEP);
    return store_step_done(st, s, "cannot forget old reminders", err);
}
