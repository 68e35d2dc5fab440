/* SPDX-License-Identifier: MIT */
/* store_query.c - reading and writing contacts, interviews and follow-ups */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "util.h"

#define CONTACT_COLS                                                           \
    "id, uid, name, email, company, role, phone, linkedin, notes, tz, "        \
    "referred_by, cadence, checkin_stopped, seq, created, modified"

static int read_contact_at(sqlite3_stmt *s, int o, struct contact *c);
static int read_interview_at(sqlite3_stmt *s, int o, struct interview *iv);

static int read_contact(sqlite3_stmt *s, struct contact *c)
{
    return read_contact_at(s, 0, c);
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
    sqlite3_bind_text(s, 11, model_cadence_name(c->cadence), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(s, 12, c->checkin_stopped);
    sqlite3_bind_int(s, 13, c->seq);
    sqlite3_bind_int64(s, 14, c->created);
    sqlite3_bind_int64(s, 15, c->modified);
}

/* Step a write statement; a UNIQUE clash becomes ERR_CONFLICT. */
static int step_write(struct store *st, sqlite3_stmt *s, const char *what,
                      struct err *err)
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_DONE)
        return 0;
    if (rc == SQLITE_CONSTRAINT &&
        strstr(sqlite3_errmsg(st->db), "UNIQUE"))
        return err_set(err, ERR_CONFLICT, "%s: already exists", what);
    return store_db_err(st, err, what);
}

/* A fresh random UID: 'prefix' and 128 bits in hex. */
static int new_uid(char **slot, const char *prefix, struct err *err)
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

    if (!c->uid && new_uid(&c->uid, "tiara-contact-", err) < 0)
        return -1;
    if (store_prepare(st,
                      "INSERT INTO contacts (uid, name, email, company, role,"
                      " phone, linkedin, notes, tz, referred_by, cadence,"
                      " checkin_stopped, seq, created, modified) VALUES"
                      " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                      " ?13, ?14, ?15)",
                      &s, err) < 0)
        return -1;
    bind_contact(s, c);
    if (step_write(st, s, "cannot save contact", err) == 0) {
        c->id = sqlite3_last_insert_rowid(st->db);
        ret = 0;
    }
    sqlite3_finalize(s);
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
    ret = step_write(st, s, "cannot save contact", err);
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
                      "contact #%lld still has interviews; cancel or remove "
                      "them first (or use --force)",
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
    int rc = sqlite3_step(s), ret = -1;

    if (rc == SQLITE_ROW) {
        if (read_contact(s, out) < 0)
            err_set(err, ERR_NOMEM, "out of memory");
        else
            ret = 0;
    } else if (rc == SQLITE_DONE) {
        err_set(err, ERR_NOT_FOUND, "%s", missing);
    } else {
        store_db_err(st, err, "cannot read contact");
    }
    sqlite3_finalize(s);
    return ret;
}

int store_contact_get(struct store *st, int64_t id, struct contact *out,
                      struct err *err)
{
    sqlite3_stmt *s;
    char missing[64];

    if (store_prepare(st, "SELECT " CONTACT_COLS " FROM contacts WHERE id = ?1",
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

    if (store_prepare(st,
                      "SELECT " CONTACT_COLS " FROM contacts WHERE uid = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, uid, -1, SQLITE_STATIC);
    return one_contact(st, s, out, err, "no contact with that uid");
}

int store_contact_by_email(struct store *st, const char *email,
                           struct contact *out, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "SELECT " CONTACT_COLS " FROM contacts"
                      " WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, email, -1, SQLITE_STATIC);
    return one_contact(st, s, out, err, "no contact with that email");
}

static int parse_id(const char *q, int64_t *id)
{
    long v;

    if (*q == '#')
        q++;
    if (util_parse_long(q, 1, 0x7fffffffL, &v) < 0)
        return -1;
    *id = v;
    return 0;
}

int store_contact_find(struct store *st, const char *query,
                       struct contact *out, struct err *err)
{
    sqlite3_stmt *s;
    int64_t id;
    int rc, n = 0, ret = -1;
    struct buf names;
    struct contact found;

    if (util_empty(query))
        return err_set(err, ERR_INPUT, "no contact given");
    if (parse_id(query, &id) == 0) {
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
                      "SELECT " CONTACT_COLS ", 0 AS rank FROM contacts"
                      " WHERE name = ?1 COLLATE NOCASE"
                      " OR email = ?1 COLLATE NOCASE"
                      " UNION ALL SELECT " CONTACT_COLS ", 1 FROM contacts"
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
        err_set(err, ERR_INPUT, "'%s' is ambiguous: %s", query, names.data);
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

int store_contact_each(struct store *st, store_contact_fn fn, void *ctx,
                       struct err *err)
{
    sqlite3_stmt *s;
    int rc, ret = 0;
    struct contact c;

    if (store_prepare(st,
                      "SELECT " CONTACT_COLS
                      " FROM contacts ORDER BY name COLLATE NOCASE, id",
                      &s, err) < 0)
        return -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (read_contact(s, &c) < 0) {
            ret = err_set(err, ERR_NOMEM, "out of memory");
            break;
        }
        ret = fn(&c, ctx);
        model_contact_release(&c);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = store_db_err(st, err, "cannot list contacts");
    sqlite3_finalize(s);
    return ret;
}

int store_contact_interview_count(struct store *st, int64_t id, int *count,
                                  struct err *err)
{
    sqlite3_stmt *s;
    int ret = 0;

    if (store_prepare(st,
                      "SELECT count(*) FROM interviews WHERE contact_id = ?1"
                      " AND status = 'scheduled'",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW)
        *count = sqlite3_column_int(s, 0);
    else
        ret = store_db_err(st, err, "cannot count interviews");
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

#define INTERVIEW_COLS                                                         \
    "id, uid, contact_id, start, minutes, tz, mode, location, video_url, "     \
    "agenda, status, prep_done, thanked, actual_start, actual_end, notes, "    \
    "seq, created, modified"

static int read_interview(sqlite3_stmt *s, struct interview *iv)
{
    return read_interview_at(s, 0, iv);
}

static void bind_interview(sqlite3_stmt *s, const struct interview *iv)
{
    store_bind_text(s, 1, iv->uid);
    sqlite3_bind_int64(s, 2, iv->contact_id);
    sqlite3_bind_int64(s, 3, iv->start);
    sqlite3_bind_int(s, 4, iv->minutes);
    store_bind_text(s, 5, iv->tz);
    sqlite3_bind_text(s, 6, model_mode_name(iv->mode), -1, SQLITE_STATIC);
    store_bind_text(s, 7, iv->location);
    store_bind_text(s, 8, iv->video_url);
    store_bind_text(s, 9, iv->agenda);
    sqlite3_bind_text(s, 10, model_status_name(iv->status), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(s, 11, iv->prep_done);
    sqlite3_bind_int64(s, 12, iv->thanked);
    sqlite3_bind_int64(s, 13, iv->actual_start);
    sqlite3_bind_int64(s, 14, iv->actual_end);
    store_bind_text(s, 15, iv->notes);
    sqlite3_bind_int(s, 16, iv->seq);
    sqlite3_bind_int64(s, 17, iv->created);
    sqlite3_bind_int64(s, 18, iv->modified);
}

int store_interview_add(struct store *st, struct interview *iv,
                        struct err *err)
{
    sqlite3_stmt *s;
    int ret = -1;

    if (!iv->uid && new_uid(&iv->uid, "tiara-", err) < 0)
        return -1;
    if (store_prepare(st,
                      "INSERT INTO interviews (uid, contact_id, start, minutes,"
                      " tz, mode, location, video_url, agenda, status,"
                      " prep_done, thanked, actual_start, actual_end, notes,"
                      " seq, created, modified) VALUES (?1, ?2, ?3, ?4, ?5,"
                      " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                      " ?17, ?18)",
                      &s, err) < 0)
        return -1;
    bind_interview(s, iv);
    if (step_write(st, s, "cannot save interview", err) == 0) {
        iv->id = sqlite3_last_insert_rowid(st->db);
        ret = 0;
    }
    sqlite3_finalize(s);
    return ret;
}

int store_interview_update(struct store *st, const struct interview *iv,
                           struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    if (store_prepare(st,
                      "UPDATE interviews SET uid = ?1, contact_id = ?2,"
                      " start = ?3, minutes = ?4, tz = ?5, mode = ?6,"
                      " location = ?7, video_url = ?8, agenda = ?9,"
                      " status = ?10, prep_done = ?11, thanked = ?12,"
                      " actual_start = ?13, actual_end = ?14, notes = ?15,"
                      " seq = ?16, created = ?17, modified = ?18"
                      " WHERE id = ?19",
                      &s, err) < 0)
        return -1;
    bind_interview(s, iv);
    sqlite3_bind_int64(s, 19, iv->id);
    ret = step_write(st, s, "cannot save interview", err);
    sqlite3_finalize(s);
    return ret;
}

static int one_interview(struct store *st, sqlite3_stmt *s,
                         struct interview *out, struct err *err,
                         const char *missing)
{
    int rc = sqlite3_step(s), ret = -1;

    if (rc == SQLITE_ROW) {
        if (read_interview(s, out) < 0)
            err_set(err, ERR_NOMEM, "out of memory");
        else
            ret = 0;
    } else if (rc == SQLITE_DONE) {
        err_set(err, ERR_NOT_FOUND, "%s", missing);
    } else {
        store_db_err(st, err, "cannot read interview");
    }
    sqlite3_finalize(s);
    return ret;
}

int store_interview_get(struct store *st, int64_t id, struct interview *out,
                        struct err *err)
{
    sqlite3_stmt *s;
    char missing[64];

    if (store_prepare(st,
                      "SELECT " INTERVIEW_COLS " FROM interviews WHERE id = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    snprintf(missing, sizeof(missing), "no interview #%lld", (long long)id);
    return one_interview(st, s, out, err, missing);
}

int store_interview_get_uid(struct store *st, const char *uid,
                            struct interview *out, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "SELECT " INTERVIEW_COLS
                      " FROM interviews WHERE uid = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, uid, -1, SQLITE_STATIC);
    return one_interview(st, s, out, err, "no interview with that uid");
}

int store_interview_find(struct store *st, const char *query, utc_t now,
                         struct interview *out, struct err *err)
{
    sqlite3_stmt *s;
    struct contact c;
    int64_t id;
    char missing[300];

    if (util_empty(query))
        return err_set(err, ERR_INPUT, "no interview given");
    if (parse_id(query, &id) == 0) {
        if (store_interview_get(st, id, out, err) < 0) {
            if (err && err->kind == ERR_NOT_FOUND)
                err_set(err, ERR_INPUT, "no interview #%lld", (long long)id);
            return -1;
        }
        return 0;
    }
    if (store_contact_find(st, query, &c, err) < 0)
        return -1;
    /* The next one to come, else the latest one held, cancelled last. */
    if (store_prepare(st,
                      "SELECT " INTERVIEW_COLS " FROM interviews"
                      " WHERE contact_id = ?1 ORDER BY"
                      " status = 'cancelled',"
                      " start + minutes * 60 < ?2,"
                      " CASE WHEN start + minutes * 60 >= ?2 THEN start"
                      " ELSE -start END LIMIT 1",
                      &s, err) < 0) {
        model_contact_release(&c);
        return -1;
    }
    sqlite3_bind_int64(s, 1, c.id);
    sqlite3_bind_int64(s, 2, now);
    snprintf(missing, sizeof(missing), "no interview with '%s'", c.name);
    model_contact_release(&c);
    if (one_interview(st, s, out, err, missing) < 0) {
        if (err && err->kind == ERR_NOT_FOUND)
            err->kind = ERR_INPUT;
        return -1;
    }
    return 0;
}

static int each_interview(struct store *st, sqlite3_stmt *s,
                          store_interview_fn fn, void *ctx, struct err *err)
{
    struct interview iv;
    int rc, ret = 0;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (read_interview(s, &iv) < 0) {
            ret = err_set(err, ERR_NOMEM, "out of memory");
            break;
        }
        ret = fn(&iv, ctx);
        model_interview_release(&iv);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = store_db_err(st, err, "cannot list interviews");
    sqlite3_finalize(s);
    return ret;
}

int store_interview_each(struct store *st, utc_t from, utc_t to,
                         int64_t contact_id, int flags, store_interview_fn fn,
                         void *ctx, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "SELECT " INTERVIEW_COLS " FROM interviews"
                      " WHERE start >= ?1 AND start < ?2"
                      " AND (?3 = 0 OR contact_id = ?3)"
                      " AND (?4 OR status = 'scheduled')"
                      " AND (NOT ?5 OR thanked = 0)"
                      " ORDER BY start, id",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    sqlite3_bind_int64(s, 3, contact_id);
    sqlite3_bind_int(s, 4, !!(flags & STORE_WITH_CANCELLED));
    sqlite3_bind_int(s, 5, !!(flags & STORE_UNTHANKED_ONLY));
    return each_interview(st, s, fn, ctx, err);
}

/* 1 and *out for a row, 0 for none, -1 on error. */
static int maybe_interview(struct store *st, sqlite3_stmt *s,
                           struct interview *out, struct err *err)
{
    struct err local;

    err_clear(&local);
    if (one_interview(st, s, out, &local, "") == 0)
        return 1;
    if (local.kind == ERR_NOT_FOUND)
        return 0;
    if (err)
        *err = local;
    return -1;
}

int store_interview_clash(struct store *st, utc_t start, utc_t end,
                          int64_t exclude_id, struct interview *out,
                          struct err *err)
{
    sqlite3_stmt *s;

    /* Interviews are at most MODEL_ABSURD_MINUTES long, which bounds the
     * index range to search. */
    if (store_prepare(st,
                      "SELECT " INTERVIEW_COLS " FROM interviews"
                      " WHERE start < ?2 AND start >= ?1 - ?4"
                      " AND start + minutes * 60 > ?1"
                      " AND status = 'scheduled' AND id <> ?3"
                      " ORDER BY start LIMIT 1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, start);
    sqlite3_bind_int64(s, 2, end);
    sqlite3_bind_int64(s, 3, exclude_id);
    sqlite3_bind_int64(s, 4, (int64_t)MODEL_ABSURD_MINUTES * 60);
    return maybe_interview(st, s, out, err);
}

int store_interview_anchor(struct store *st, int64_t contact_id,
                           struct interview *out, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "SELECT " INTERVIEW_COLS " FROM interviews"
                      " WHERE contact_id = ?1 AND status = 'scheduled'"
                      " ORDER BY start DESC, id DESC LIMIT 1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, contact_id);
    return maybe_interview(st, s, out, err);
}

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

    if (!f->uid && new_uid(&f->uid, "tiara-landed-", err) < 0)
        return -1;
    if (store_prepare(st,
                      "INSERT INTO followups (uid, contact_id, due, done, note,"
                      " seq, created, modified) VALUES (?1, ?2, ?3, ?4, ?5,"
                      " ?6, ?7, ?8)",
                      &s, err) < 0)
        return -1;
    bind_followup(s, f);
    if (step_write(st, s, "cannot save follow-up", err) == 0) {
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
    ret = step_write(st, s, "cannot save follow-up", err);
    sqlite3_finalize(s);
    return ret;
}

int store_followup_get_uid(struct store *st, const char *uid,
                           struct followup *out, struct err *err)
{
    sqlite3_stmt *s;
    int rc, ret = -1;

    if (store_prepare(st,
                      "SELECT " FOLLOWUP_COLS " FROM followups WHERE uid = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_text(s, 1, uid, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (read_followup(s, out) < 0)
            err_set(err, ERR_NOMEM, "out of memory");
        else
            ret = 0;
    } else if (rc == SQLITE_DONE) {
        err_set(err, ERR_NOT_FOUND, "no follow-up with that uid");
    } else {
        store_db_err(st, err, "cannot read follow-up");
    }
    sqlite3_finalize(s);
    return ret;
}

int store_followup_each(struct store *st, store_followup_fn fn, void *ctx,
                        struct err *err)
{
    sqlite3_stmt *s;
    struct followup f;
    int rc, ret = 0;

    if (store_prepare(st,
                      "SELECT " FOLLOWUP_COLS " FROM followups"
                      " ORDER BY due, uid",
                      &s, err) < 0)
        return -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (read_followup(s, &f) < 0) {
            ret = err_set(err, ERR_NOMEM, "out of memory");
            break;
        }
        ret = fn(&f, ctx);
        model_followup_release(&f);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = store_db_err(st, err, "cannot list follow-ups");
    sqlite3_finalize(s);
    return ret;
}

/* Column lists with a table alias, for joins. */
#define CONTACT_COLS_C                                                         \
    "c.id, c.uid, c.name, c.email, c.company, c.role, c.phone, c.linkedin, "   \
    "c.notes, c.tz, c.referred_by, c.cadence, c.checkin_stopped, c.seq, "      \
    "c.created, c.modified"
#define INTERVIEW_COLS_I                                                       \
    "i.id, i.uid, i.contact_id, i.start, i.minutes, i.tz, i.mode, "            \
    "i.location, i.video_url, i.agenda, i.status, i.prep_done, i.thanked, "    \
    "i.actual_start, i.actual_end, i.notes, i.seq, i.created, i.modified"
#define NCONTACT 16
#define NINTERVIEW 19

/* Read a row whose columns start at 'first' (the shared readers start at
 * 0): step through a shifted view by re-reading with offsets. */
static int read_interview_at(sqlite3_stmt *s, int o, struct interview *iv)
{
    enum interview_mode mode = MODE_IN_PERSON;
    enum interview_status status = STATUS_SCHEDULED;

    model_interview_init(iv);
    iv->id = sqlite3_column_int64(s, o + 0);
    iv->contact_id = sqlite3_column_int64(s, o + 2);
    iv->start = sqlite3_column_int64(s, o + 3);
    iv->minutes = sqlite3_column_int(s, o + 4);
    model_mode_parse((const char *)sqlite3_column_text(s, o + 6), &mode);
    iv->mode = mode;
    model_status_parse((const char *)sqlite3_column_text(s, o + 10), &status);
    iv->status = status;
    iv->prep_done = sqlite3_column_int64(s, o + 11);
    iv->thanked = sqlite3_column_int64(s, o + 12);
    iv->actual_start = sqlite3_column_int64(s, o + 13);
    iv->actual_end = sqlite3_column_int64(s, o + 14);
    iv->seq = sqlite3_column_int(s, o + 16);
    iv->created = sqlite3_column_int64(s, o + 17);
    iv->modified = sqlite3_column_int64(s, o + 18);
    if (store_column_dup(s, o + 1, &iv->uid) < 0 ||
        store_column_dup(s, o + 5, &iv->tz) < 0 ||
        store_column_dup(s, o + 7, &iv->location) < 0 ||
        store_column_dup(s, o + 8, &iv->video_url) < 0 ||
        store_column_dup(s, o + 9, &iv->agenda) < 0 ||
        store_column_dup(s, o + 15, &iv->notes) < 0) {
        model_interview_release(iv);
        return -1;
    }
    return 0;
}

static int read_contact_at(sqlite3_stmt *s, int o, struct contact *c)
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
    if (store_column_dup(s, o + 1, &c->uid) < 0 ||
        store_column_dup(s, o + 2, &c->name) < 0 ||
        store_column_dup(s, o + 3, &c->email) < 0 ||
        store_column_dup(s, o + 4, &c->company) < 0 ||
        store_column_dup(s, o + 5, &c->role) < 0 ||
        store_column_dup(s, o + 6, &c->phone) < 0 ||
        store_column_dup(s, o + 7, &c->linkedin) < 0 ||
        store_column_dup(s, o + 8, &c->notes) < 0 ||
        store_column_dup(s, o + 9, &c->tz) < 0) {
        model_contact_release(c);
        return -1;
    }
    return 0;
}

int store_meeting_each(struct store *st, utc_t from, utc_t to,
                       int64_t contact_id, int flags, store_meeting_fn fn,
                       void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct interview iv;
    struct contact host, ref;
    int rc, ret = 0, has_ref;

    if (store_prepare(st,
                      "SELECT " INTERVIEW_COLS_I ", " CONTACT_COLS_C
                      ", r.id, r.uid, r.name"
                      " FROM interviews i JOIN contacts c ON c.id = i.contact_id"
                      " LEFT JOIN contacts r ON r.id = c.referred_by"
                      " WHERE i.start >= ?1 AND i.start < ?2"
                      " AND (?3 = 0 OR i.contact_id = ?3)"
                      " AND (?4 OR i.status = 'scheduled')"
                      " AND (NOT ?5 OR i.thanked = 0)"
                      " ORDER BY i.start, i.uid",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    sqlite3_bind_int64(s, 3, contact_id);
    sqlite3_bind_int(s, 4, !!(flags & STORE_WITH_CANCELLED));
    sqlite3_bind_int(s, 5, !!(flags & STORE_UNTHANKED_ONLY));
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int r0 = NINTERVIEW + NCONTACT;

        model_contact_init(&ref);
        has_ref = sqlite3_column_type(s, r0) != SQLITE_NULL;
        if (read_interview_at(s, 0, &iv) < 0) {
            ret = err_set(err, ERR_NOMEM, "out of memory");
            break;
        }
        if (read_contact_at(s, NINTERVIEW, &host) < 0 ||
            (has_ref && (store_column_dup(s, r0 + 1, &ref.uid) < 0 ||
                         store_column_dup(s, r0 + 2, &ref.name) < 0))) {
            model_interview_release(&iv);
            model_contact_release(&ref);
            ret = err_set(err, ERR_NOMEM, "out of memory");
            break;
        }
        ref.id = sqlite3_column_int64(s, r0);
        ret = fn(&iv, &host, has_ref ? &ref : NULL, ctx);
        model_interview_release(&iv);
        model_contact_release(&host);
        model_contact_release(&ref);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = store_db_err(st, err, "cannot list interviews");
    sqlite3_finalize(s);
    return ret;
}

int store_anchor_each(struct store *st, int64_t contact_id,
                      store_anchor_fn fn, void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct interview iv;
    struct contact c;
    int rc, ret = 0;

    /* The anchor is found through interviews_contact(contact_id, start).
     * Rows come by UID, not row id, so an export imported into another
     * store exports again byte for byte. */
    if (store_prepare(st,
                      "SELECT " CONTACT_COLS_C ", " INTERVIEW_COLS_I
                      " FROM contacts c JOIN interviews i ON i.id ="
                      " (SELECT id FROM interviews WHERE contact_id = c.id"
                      "  AND status = 'scheduled'"
                      "  ORDER BY start DESC, id DESC LIMIT 1)"
                      " WHERE c.cadence <> 'none' AND (?1 = 0 OR c.id = ?1)"
                      " ORDER BY c.uid",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, contact_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (read_contact_at(s, 0, &c) < 0) {
            ret = err_set(err, ERR_NOMEM, "out of memory");
            break;
        }
        if (read_interview_at(s, NCONTACT, &iv) < 0) {
            model_contact_release(&c);
            ret = err_set(err, ERR_NOMEM, "out of memory");
            break;
        }
        ret = fn(&c, &iv, ctx);
        model_interview_release(&iv);
        model_contact_release(&c);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = store_db_err(st, err, "cannot list check-ins");
    sqlite3_finalize(s);
    return ret;
}
