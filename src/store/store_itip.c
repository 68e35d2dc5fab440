/* SPDX-License-Identifier: MIT */
/* store_itip.c - what a host's iTIP messages said of an invitation */
#include <stdio.h>
#include <string.h>

#include "store_priv.h"
#include "util.h"

int store_itip_get(struct store *st, const char *uid, struct store_itip *out,
                   struct err *err)
{
    sqlite3_stmt *s;
    const unsigned char *a;
    int ret;

    memset(out, 0, sizeof(*out));
    /* The agenda asks once per interview it shows. */
    if (store_prepare_cached(st, STORE_CACHED_ITIP_GET,
                             "SELECT seq, stamp, answer, answered,"
                             " proposed_start, proposed_minutes FROM itip"
                             " WHERE uid = ?1",
                             &s, err) < 0)
        return -1;
    store_bind_text(s, 1, uid);
    ret = store_step_one(st, s, "cannot read an invitation's answers", err);
    if (ret == 0) {
        out->seq = sqlite3_column_int(s, 0);
        out->stamp = sqlite3_column_int64(s, 1);
        a = sqlite3_column_text(s, 2);
        snprintf(out->answer, sizeof(out->answer), "%s",
                 a ? (const char *)a : "");
        out->answered = sqlite3_column_int64(s, 3);
        out->proposed_start = sqlite3_column_int64(s, 4);
        out->proposed_minutes = sqlite3_column_int(s, 5);
    } else if (ret == 1) {
        ret = err_set(err, ERR_NOT_FOUND, "no answers kept for '%s'", uid);
    }
    sqlite3_reset(s);
    return ret;
}

int store_itip_set(struct store *st, const char *uid,
                   const struct store_itip *in, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "INSERT OR REPLACE INTO itip (uid, seq, stamp, answer,"
                      " answered, proposed_start, proposed_minutes) VALUES"
                      " (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      &s, err) < 0)
        return -1;
    store_bind_text(s, 1, uid);
    sqlite3_bind_int(s, 2, in->seq);
    sqlite3_bind_int64(s, 3, in->stamp);
    store_bind_text(s, 4, in->answer);
    sqlite3_bind_int64(s, 5, in->answered);
    sqlite3_bind_int64(s, 6, in->proposed_start);
    sqlite3_bind_int(s, 7, in->proposed_minutes);
    return store_step_done(st, s, "cannot save an invitation's answers", err);
}
