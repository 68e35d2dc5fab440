/* SPDX-License-Identifier: MIT */
/* store_contact.c - contacts: saving, finding what people type, listing */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "util.h"

static int read_contact(sqlite3_stmt *s, struct contact *c)
{
    return store_read_contact_at(s, 0, c);
}

static void bind_contact(sqlite3_stmt *s, const struct contact *c)
{
    store_bind_text(s, 1, c->uid);
    store_bind_text(s, 2, c->name);
    store_bind_text(s, 3, c->email);
    store_bind_text(s, 4, c->company);
    store_bind_text(s, 5, c->role);
    store_bind_text(s, 6, c->phone);
    store_bind_text(s, 7, c->linkedin);
    store_bind_text(s, 8, c->notes);
    store_bind_text(s, 9, c->tz);
    if (c->referred_by)
        sqlite3_bind_int64(s, 10, c->referred_by);
    else
        sqlite3_bind_null(s, 10);
    sqlite3_bind_text(s, 11, model_cadence_name(c->cadence), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 12, c->checkin_stopped);
    sqlite3_bind_int(s, 13, c->seq);
    sqlite3_bind_int64(s, 14, c->created);
    sqlite3_bind_int64(s, 15, c->modified);
}

int store_step_write(struct store *st, sqlite3_stmt *s, const char *what,
                     struct err *err)
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_DONE)
        return 0;
    if (rc == SQLITE_CONSTRAINT && strstr(sqlite3_errmsg(st->db), "UNIQUE"))
        return err_set(err, ERR_CONFLICT, "%s: already exists", what);
    return store_db_err(st, err, what);
}

int store_new_uid(char **slot, const char *prefix, struct err *err)
{
    char *hex = util_random_hex(16);
    struct buf b;

    buf_init(&b);
    if (!hex || buf_printf(&b, "%s%s", prefix, hex) < 0) {
        free(hex);
        buf_release(&b);
        return err_set(err, ERR_NOMEM, "out of memory");
    }
    free(hex);
    *slot = buf_steal(&b);
    return 0;
}

int store_contact_add(struct store *st, struct contact *c, struct err *err)
{
    sqlite3_stmt *s;
    int ret = -1;

    if (!c->uid && store_new_uid(&c->uid, "tiara-contact-", err) < 0)
        return -1;
    if (store_prepare_kept(
            st,
            "INSERT INTO contacts (uid, name, email, company, role,"
            " phone, linkedin, notes, tz, referred_by, cadence,"
            " checkin_stopped, seq, created, modified) VALUES"
            " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
            " ?13, ?14, ?15)",
            &s, err) < 0)
        return -1;
    bind_contact(s, c);
    if (store_step_write(st, s, "cannot save contact", err) == 0) {
        c->id = sqlite3_last_insert_rowid(st->db);
        ret = 0;
    }
    store_finalize(st, s);
    return ret;
}

int store_contact_update(struct store *st, const struct contact *c,
                         struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    if (store_prepare(st,
                      "UPDATE contacts SET uid = ?1, name = ?2, email = ?3,"
                      " company = ?4, role = ?5, phone = ?6, linkedin = ?7,"
                      " notes = ?8, tz = ?9, referred_by = ?10, cadence = ?11,"
                      " checkin_stopped = ?12, seq = ?13, created = ?14,"
                      " modified = ?15 WHERE id = ?16",
                      &s, err) < 0)
        return -1;
    bind_contact(s, c);
    sqlite3_bind_int64(s, 16, c->id);
    ret = store_step_write(st, s, "cannot save contact", err);
    sqlite3_finalize(s);
    return ret;
}

int store_contact_delete(struct store *st, int64_t id, struct err *err)
{
    sqlite3_stmt *s;
    int ret = 0, rc;

    if (store_prepare(st, "DELETE FROM contacts WHERE id = ?1", &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_CONSTRAINT)
        ret = err_set(err, ERR_INPUT,
                      "contact #%lld has interviews: 'tiara contact rm "
                      "--force' removes the contact with them",
                      (long long)id);
    else if (rc != SQLITE_DONE)
        ret = store_db_err(st, err, "cannot remove contact");
    else if (sqlite3_changes(st->db) == 0)
        ret = err_set(err, ERR_NOT_FOUND, "no contact #%lld", (long long)id);
    sqlite3_finalize(s);
    return ret;
}

/* Run a query expected to return at most one contact. */
static int one_contact(struct store *st, sqlite3_stmt *s, struct contact *out,
                       struct err *err, const char *missing)
{
    int ret = store_step_one(st, s, "cannot read contact", err);

    if (ret == 1)
        ret = err_set(err, ERR_NOT_FOUND, "%s", missing);
    else if (ret == 0 && read_contact(s, out) < 0)
        ret = err_set(err, ERR_NOMEM, "out of memory");
    store_finalize(st, s);
    return ret;
}

int store_contact_get(struct store *st, int64_t id, struct contact *out,
                      struct err *err)
{
    sqlite3_stmt *s;
    char missing[64];

    if (store_prepare_kept(
            st, "SELECT " STORE_CONTACT_COLS " FROM contacts c WHERE id = ?1",
            &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    snprintf(missing, sizeof(missing), "no contact #%lld", (long long)id);
    return one_contact(st, s, out, err, missing);
}

int store_contact_get_uid(struct store *st, const char *uid,
                          struct contact *out, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare_kept(
            st, "SELECT " STORE_CONTACT_COLS " FROM contacts c WHERE uid = ?1",
            &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, uid, -1, SQLITE_STATIC);
    return one_contact(st, s, out, err, "no contact with that uid");
}

int store_contact_by_email(struct store *st, const char *email,
                           struct contact *out, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare_kept(
            st,
            "SELECT " STORE_CONTACT_COLS " FROM contacts c"
            " WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
            &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, email, -1, SQLITE_STATIC);
    return one_contact(st, s, out, err, "no contact with that email");
}

int store_parse_id(const char *q, int64_t *id)
{
    long v;

    if (*q == '#')
        q++;
    if (util_parse_long(q, 1, 0x7fffffffL, &v) < 0)
        return -1;
    *id = v;
    return 0;
}

int store_contact_find(struct store *st, const char *query, struct contact *out,
                       struct err *err)
{
    sqlite3_stmt *s;
    int64_t id;
    int rc, n = 0, ret = -1;
    struct buf names;
    struct contact found;

    if (util_empty(query))
        return err_set(err, ERR_INPUT, "no contact given");
    if (store_parse_id(query, &id) == 0) {
        if (store_contact_get(st, id, out, err) < 0) {
            if (err && err->kind == ERR_NOT_FOUND)
                err_set(err, ERR_INPUT, "no contact #%lld", (long long)id);
            return -1;
        }
        return 0;
    }
    /* Exact name or email first; a partial name only if nothing matches
     * exactly, so "Ana" still finds "Ana" when "Anabel" exists. */
    if (store_prepare(st,
                      "SELECT " STORE_CONTACT_COLS ", 0 AS rank FROM contacts c"
                      " WHERE name = ?1 COLLATE NOCASE"
                      " OR email = ?1 COLLATE NOCASE"
                      " UNION ALL SELECT " STORE_CONTACT_COLS
                      ", 1 FROM contacts c"
                      " WHERE instr(lower(name), lower(?1)) > 0"
                      " AND name <> ?1 COLLATE NOCASE"
                      " AND coalesce(email, '') <> ?1 COLLATE NOCASE"
                      " ORDER BY rank, name COLLATE NOCASE, id",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, query, -1, SQLITE_STATIC);
    buf_init(&names);
    model_contact_init(&found);
    int best_rank = -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int rank = sqlite3_column_int(s, 16);

        if (best_rank >= 0 && rank != best_rank)
            break;
        best_rank = rank;
        if (n == 0) {
            if (read_contact(s, &found) < 0) {
                err_set(err, ERR_NOMEM, "out of memory");
                goto out;
            }
        }
        buf_printf(&names, "%s'%s' (#%lld)", n ? ", " : "",
                   sqlite3_column_text(s, 2),
                   (long long)sqlite3_column_int64(s, 0));
        n++;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        store_db_err(st, err, "cannot look up contact");
        goto out;
    }
    if (n == 0) {
        err_set(err, ERR_INPUT, "no contact matches '%s'", query);
        goto out;
    }
    if (n > 1) {
        err_set(err, ERR_INPUT, "'%s' is ambiguous: %s; say which with #N",
                query, names.data);
        goto out;
    }
    *out = found;
    model_contact_init(&found);
    ret = 0;
out:
    sqlite3_finalize(s);
    model_contact_release(&found);
    buf_release(&names);
    return ret;
}

struct each_contact {
    store_contact_fn fn;
    void *ctx;
};

static int contact_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_contact *e = arg;
    struct contact c;
    int ret;

    if (read_contact(s, &c) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    ret = e->fn(&c, e->ctx);
    model_contact_release(&c);
    return ret;
}

int store_contact_each(struct store *st, store_contact_fn fn, void *ctx,
                       struct err *err)
{
    sqlite3_stmt *s;
    struct each_contact e = {fn, ctx};

    if (store_prepare(st,
                      "SELECT " STORE_CONTACT_COLS
                      " FROM contacts c ORDER BY name COLLATE NOCASE, id",
                      &s, err) < 0)
        return -1;
    return store_each_row(st, s, contact_row, &e, "cannot list contacts", err);
}

int store_contact_touch_interviews(struct store *st, int64_t id, utc_t now,
                                   struct err *err)
{
    sqlite3_stmt *s;
    int ret = 0;

    if (store_prepare(st,
                      "UPDATE interviews SET seq = seq + 1, modified = ?2"
                      " WHERE contact_id = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    if (sqlite3_step(s) != SQLITE_DONE)
        ret = store_db_err(st, err, "cannot update interviews");
    sqlite3_finalize(s);
    return ret;
}

int store_contact_purge_interviews(struct store *st, int64_t id, int *count,
                                   struct err *err)
{
    sqlite3_stmt *s;
    int ret = 0;

    if (store_prepare(st, "DELETE FROM interviews WHERE contact_id = ?1", &s,
                      err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_DONE)
        ret = store_db_err(st, err, "cannot remove interviews");
    else
        *count = sqlite3_changes(st->db);
    sqlite3_finalize(s);
    return ret;
}

int store_interview_delete(struct store *st, int64_t id, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st, "DELETE FROM interviews WHERE id = ?1", &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    return store_step_done(st, s, "cannot remove the interview", err);
}

void store_peek_contact_at(sqlite3_stmt *s, int o, struct contact *c)
{
    enum cadence cad = CADENCE_QUARTERLY;

    model_contact_init(c);
    c->id = sqlite3_column_int64(s, o + 0);
    c->referred_by = sqlite3_column_int64(s, o + 10);
    model_cadence_parse((const char *)sqlite3_column_text(s, o + 11), &cad,
                        NULL);
    c->cadence = cad;
    c->checkin_stopped = sqlite3_column_int64(s, o + 12);
    c->seq = sqlite3_column_int(s, o + 13);
    c->created = sqlite3_column_int64(s, o + 14);
    c->modified = sqlite3_column_int64(s, o + 15);
    c->uid = (char *)sqlite3_column_text(s, o + 1);
    c->name = (char *)sqlite3_column_text(s, o + 2);
    c->email = (char *)sqlite3_column_text(s, o + 3);
    c->company = (char *)sqlite3_column_text(s, o + 4);
    c->role = (char *)sqlite3_column_text(s, o + 5);
    c->phone = (char *)sqlite3_column_text(s, o + 6);
    c->linkedin = (char *)sqlite3_column_text(s, o + 7);
    c->notes = (char *)sqlite3_column_text(s, o + 8);
    c->tz = (char *)sqlite3_column_text(s, o + 9);
}

int store_read_contact_at(sqlite3_stmt *s, int o, struct contact *c)
{
    struct contact row;
    char **from[] = {&row.uid,      &row.name,  &row.email,
                     &row.company,  &row.role,  &row.phone,
                     &row.linkedin, &row.notes, &row.tz};
    char **to[] = {&c->uid,   &c->name,     &c->email, &c->company, &c->role,
                   &c->phone, &c->linkedin, &c->notes, &c->tz};

    store_peek_contact_at(s, o, &row);
    *c = row;
    for (size_t i = 0; i < ARRAY_SIZE(from); i++) {
        *to[i] = NULL;
        if (*from[i] && !(*to[i] = strdup(*from[i]))) {
            model_contact_release(c);
            return -1;
        }
    }
    return 0;
}

int store_contact_twins(struct store *st, const struct contact *c,
                        struct buf *out, struct err *err)
{
    sqlite3_stmt *s;
    int rc, n = 0;

    if (store_prepare(st,
                      "SELECT id, name, name = ?2 COLLATE NOCASE FROM contacts"
                      " WHERE id != ?1 AND (name = ?2 COLLATE NOCASE OR"
                      " (?3 IS NOT NULL AND email = ?3 COLLATE NOCASE))"
                      " ORDER BY id",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, c->id);
    sqlite3_bind_text(s, 2, c->name, -1, SQLITE_STATIC);
    store_bind_text(s, 3, c->email);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        buf_printf(out, "%s'%s' (#%lld, same %s)", n++ ? ", " : "",
                   (const char *)sqlite3_column_text(s, 1),
                   (long long)sqlite3_column_int64(s, 0),
                   sqlite3_column_int(s, 2) ? "name" : "email");
    }
    if (rc != SQLITE_DONE)
        n = store_db_err(st, err, "cannot look up contacts");
    sqlite3_finalize(s);
    return out->failed ? err_set(err, ERR_NOMEM, "out of memory") : n;
}
