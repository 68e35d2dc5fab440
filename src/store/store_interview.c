/* SPDX-License-Identifier: MIT */
/* store_interview.c - interviews: saving, finding, windows, clashes, joins */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "util.h"

static int read_interview(sqlite3_stmt *s, struct interview *iv)
{
    return store_read_interview_at(s, 0, iv);
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
    sqlite3_bind_text(s, 10, model_status_name(iv->status), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 11, iv->prep_done);
    sqlite3_bind_int64(s, 12, iv->thanked);
    sqlite3_bind_int64(s, 13, iv->actual_start);
    sqlite3_bind_int64(s, 14, iv->actual_end);
    store_bind_text(s, 15, iv->notes);
    sqlite3_bind_int(s, 16, iv->seq);
    sqlite3_bind_int64(s, 17, iv->created);
    sqlite3_bind_int64(s, 18, iv->modified);
    store_bind_text(s, 19, iv->thanks_tz);
    store_bind_text(s, 20, iv->title);
}

int store_interview_add(struct store *st, struct interview *iv, struct err *err)
{
    sqlite3_stmt *s;
    int ret = -1;

    if (!iv->uid && store_new_uid(&iv->uid, "tiara-", err) < 0)
        return -1;
    if (store_prepare_kept(
            st,
            "INSERT INTO interviews (uid, contact_id, start, minutes,"
            " tz, mode, location, video_url, agenda, status,"
            " prep_done, thanked, actual_start, actual_end, notes,"
            " seq, created, modified, thanks_tz, title) VALUES"
            " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
            " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            &s, err) < 0)
        return -1;
    bind_interview(s, iv);
    if (store_step_write(st, s, "cannot save interview", err) == 0) {
        iv->id = sqlite3_last_insert_rowid(st->db);
        ret = 0;
    }
    store_finalize(st, s);
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
                      " seq = ?16, created = ?17, modified = ?18,"
                      " thanks_tz = ?19, title = ?20 WHERE id = ?21",
                      &s, err) < 0)
        return -1;
    bind_interview(s, iv);
    sqlite3_bind_int64(s, 21, iv->id);
    ret = store_step_write(st, s, "cannot save interview", err);
    sqlite3_finalize(s);
    return ret;
}

int store_interview_revise(struct store *st, const struct interview *iv,
                           utc_t now, struct err *err)
{
    sqlite3_stmt *s;
    int ret;

    if (store_interview_update(st, iv, err) < 0 ||
        store_prepare(st,
                      "UPDATE contacts SET seq = seq + 1,"
                      " modified = MAX(modified, ?2) WHERE id = ?1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, iv->contact_id);
    sqlite3_bind_int64(s, 2, now);
    ret = store_step_write(st, s, "cannot save contact", err);
    sqlite3_finalize(s);
    return ret;
}

static int one_interview(struct store *st, sqlite3_stmt *s,
                         struct interview *out, struct err *err,
                         const char *missing)
{
    int ret = store_step_one(st, s, "cannot read interview", err);

    if (ret == 1)
        ret = err_set(err, ERR_NOT_FOUND, "%s", missing);
    else if (ret == 0 && read_interview(s, out) < 0)
        ret = err_set(err, ERR_NOMEM, "out of memory");
    store_finalize(st, s);
    return ret;
}

int store_interview_get(struct store *st, int64_t id, struct interview *out,
                        struct err *err)
{
    sqlite3_stmt *s;
    char missing[64];

    if (store_prepare(st,
                      "SELECT " STORE_INTERVIEW_COLS
                      " FROM interviews i WHERE id = ?1",
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

    if (store_prepare_kept(st,
                           "SELECT " STORE_INTERVIEW_COLS
                           " FROM interviews i WHERE uid = ?1",
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
    if (store_parse_id(query, &id) == 0) {
        if (store_interview_get(st, id, out, err) < 0) {
            if (err && err->kind == ERR_NOT_FOUND)
                err_set(err, ERR_INPUT, "no interview #%lld", (long long)id);
            return -1;
        }
        return 0;
    }
    if (query[0] == '#')
        return err_set(err, ERR_INPUT,
                       "'%s' is not an interview number: give #N as agenda "
                       "shows it, or a contact's name",
                       query);
    if (store_contact_find(st, query, &c, err) < 0)
        return -1;
    /* The next one to come, else the latest one held, cancelled last. */
    if (store_prepare(st,
                      "SELECT " STORE_INTERVIEW_COLS " FROM interviews i"
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

/* A caller's callback and its context, for a row function. */
struct each_interview {
    store_interview_fn fn;
    void *ctx;
};

static int interview_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_interview *e = arg;
    struct interview iv;
    int ret;

    if (read_interview(s, &iv) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    ret = e->fn(&iv, e->ctx);
    model_interview_release(&iv);
    return ret;
}

static int each_interview(struct store *st, sqlite3_stmt *s,
                          store_interview_fn fn, void *ctx, struct err *err)
{
    struct each_interview e = {fn, ctx};

    return store_each_row(st, s, interview_row, &e, "cannot list interviews",
                          err);
}

int store_interview_each(struct store *st, utc_t from, utc_t to,
                         int64_t contact_id, int flags, store_interview_fn fn,
                         void *ctx, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare(st,
                      "SELECT " STORE_INTERVIEW_COLS " FROM interviews i"
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
                      "SELECT " STORE_INTERVIEW_COLS " FROM interviews i"
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
                      "SELECT " STORE_INTERVIEW_COLS " FROM interviews i"
                      " WHERE contact_id = ?1 AND status = 'scheduled'"
                      " ORDER BY start DESC, id DESC LIMIT 1",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, contact_id);
    return maybe_interview(st, s, out, err);
}

/* Text of column 'col', borrowed from the row (NULL stays NULL). */
static char *peek_text(sqlite3_stmt *s, int col)
{
    return (char *)sqlite3_column_text(s, col);
}

void store_peek_interview_at(sqlite3_stmt *s, int o, struct interview *iv)
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
    iv->uid = peek_text(s, o + 1);
    iv->tz = peek_text(s, o + 5);
    iv->location = peek_text(s, o + 7);
    iv->video_url = peek_text(s, o + 8);
    iv->agenda = peek_text(s, o + 9);
    iv->notes = peek_text(s, o + 15);
    iv->thanks_tz = peek_text(s, o + 19);
    iv->title = peek_text(s, o + 20);
}

int store_read_interview_at(sqlite3_stmt *s, int o, struct interview *iv)
{
    struct interview row;

    store_peek_interview_at(s, o, &row);
    return model_interview_copy(iv, &row);
}

struct each_zone {
    store_zone_fn fn;
    void *ctx;
    utc_t *earliest;
};

static int zone_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_zone *e = arg;

    (void)err;
    if (sqlite3_column_int64(s, 1) < *e->earliest)
        *e->earliest = sqlite3_column_int64(s, 1);
    return e->fn((const char *)sqlite3_column_text(s, 0), e->ctx);
}

int store_interview_zones(struct store *st, utc_t from, utc_t to,
                          int64_t contact_id, int flags, store_zone_fn fn,
                          void *ctx, utc_t *earliest, struct err *err)
{
    sqlite3_stmt *s;
    struct each_zone e = {fn, ctx, earliest};

    *earliest = INT64_MAX;
    if (store_prepare(st,
                      "SELECT tz, min(start) FROM interviews"
                      " WHERE start >= ?1 AND start < ?2"
                      " AND (?3 = 0 OR contact_id = ?3)"
                      " AND (?4 OR status = 'scheduled')"
                      " GROUP BY tz ORDER BY tz",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    sqlite3_bind_int64(s, 3, contact_id);
    sqlite3_bind_int(s, 4, !!(flags & STORE_WITH_CANCELLED));
    return store_each_row(st, s, zone_row, &e, "cannot list zones", err);
}

struct each_meeting {
    store_meeting_fn fn;
    void *ctx;
};

/* An interview, its host and the host's referrer (id, uid and name),
 * borrowed from the row: the callback sees them for the call only, and
 * an agenda over years reads a hundred thousand rows. */
static int meeting_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_meeting *e = arg;
    struct interview iv;
    struct contact host, ref;
    int r0 = NINTERVIEW + NCONTACT;
    int has_ref = sqlite3_column_type(s, r0) != SQLITE_NULL;

    (void)err;
    model_contact_init(&ref);
    store_peek_interview_at(s, 0, &iv);
    store_peek_contact_at(s, NINTERVIEW, &host);
    ref.id = sqlite3_column_int64(s, r0);
    ref.uid = peek_text(s, r0 + 1);
    ref.name = peek_text(s, r0 + 2);
    return e->fn(&iv, &host, has_ref ? &ref : NULL, e->ctx);
}

int store_meeting_each(struct store *st, utc_t from, utc_t to,
                       int64_t contact_id, int flags, store_meeting_fn fn,
                       void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct each_meeting e = {fn, ctx};
    char sql[1024];

    /* The filters are written into the SQL rather than bound, so that the
     * planner can use the partial index of open thank-you notes. */
    snprintf(sql, sizeof(sql),
             "SELECT " STORE_INTERVIEW_COLS ", " STORE_CONTACT_COLS
             ", r.id, r.uid, r.name"
             " FROM interviews i JOIN contacts c ON c.id = i.contact_id"
             " LEFT JOIN contacts r ON r.id = c.referred_by"
             " WHERE i.start >= ?1 AND i.start < ?2"
             " AND (?3 = 0 OR i.contact_id = ?3)%s%s"
             " ORDER BY i.start%s, i.uid%s",
             flags & STORE_WITH_CANCELLED ? "" : " AND i.status = 'scheduled'",
             flags & STORE_UNTHANKED_ONLY ? " AND i.thanked = 0" : "",
             flags & STORE_NEWEST_FIRST ? " DESC" : "",
             flags & STORE_NEWEST_FIRST ? " DESC" : "");
    if (store_prepare(st, sql, &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    sqlite3_bind_int64(s, 3, contact_id);
    return store_each_row(st, s, meeting_row, &e, "cannot list interviews",
                          err);
}

struct each_anchor {
    store_anchor_fn fn;
    void *ctx;
};

/* A contact and the interview its check-ins are anchored on. */
static int anchor_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_anchor *e = arg;
    struct interview iv;
    struct contact c;
    int ret;

    if (store_read_contact_at(s, 0, &c) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    if (store_read_interview_at(s, NCONTACT, &iv) < 0) {
        model_contact_release(&c);
        return err_set(err, ERR_NOMEM, "out of memory");
    }
    ret = e->fn(&c, &iv, e->ctx);
    model_interview_release(&iv);
    model_contact_release(&c);
    return ret;
}

/* The anchor query: 'pick' orders a contact's interviews, best first. */
#define ANCHOR_SQL(pick, who)                                                  \
    "SELECT " STORE_CONTACT_COLS ", " STORE_INTERVIEW_COLS                     \
    " FROM contacts c JOIN interviews i ON i.id ="                             \
    " (SELECT id FROM interviews WHERE contact_id = c.id" pick                 \
    "  start DESC, id DESC LIMIT 1)"                                           \
    " WHERE " who " AND (?1 = 0 OR c.id = ?1)"                                 \
    " ORDER BY c.uid"

int store_anchor_each(struct store *st, int64_t contact_id, int flags,
                      store_anchor_fn fn, void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct each_anchor e = {fn, ctx};

    /* The anchor is found through interviews_contact(contact_id, start).
     * Rows come by UID, not row id, so an export imported into another
     * store exports again byte for byte. A scheduled interview is the
     * anchor whenever there is one. */
    if (store_prepare(st,
                      flags & STORE_WITH_CANCELLED
                          /* a series turned off is still told of */
                          ? ANCHOR_SQL(" ORDER BY status = 'scheduled' DESC,",
                                       "(c.cadence <> 'none' OR"
                                       " c.checkin_stopped > 0)")
                          : ANCHOR_SQL(" AND status = 'scheduled' ORDER BY",
                                       "c.cadence <> 'none'"),
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, contact_id);
    return store_each_row(st, s, anchor_row, &e, "cannot list check-ins", err);
}

/* A contact and its anchor as store_anchor_window_each fills them. */
static int series_row(sqlite3_stmt *s, void *arg, struct err *err)
{
    struct each_anchor *e = arg;
    struct interview iv;
    struct contact c;
    enum cadence cad = CADENCE_QUARTERLY;

    (void)err;
    model_contact_init(&c);
    model_interview_init(&iv);
    c.id = sqlite3_column_int64(s, 0);
    c.uid = peek_text(s, 1);
    c.name = peek_text(s, 2);
    c.tz = peek_text(s, 3);
    model_cadence_parse((const char *)sqlite3_column_text(s, 4), &cad, NULL);
    c.cadence = cad;
    c.checkin_stopped = sqlite3_column_int64(s, 5);
    iv.id = sqlite3_column_int64(s, 6);
    iv.contact_id = c.id;
    iv.start = sqlite3_column_int64(s, 7);
    iv.tz = peek_text(s, 8);
    return e->fn(&c, &iv, e->ctx);
}

int store_anchor_window_each(struct store *st, utc_t from, utc_t to,
                             store_anchor_fn fn, void *ctx, struct err *err)
{
    sqlite3_stmt *s;
    struct each_anchor e = {fn, ctx};

    /* store_anchor_each's rows and order, without the columns no
     * check-in needs. A series starts a cadence after its anchor and
     * stops at checkin_stopped, so anchors from 'to' on and series
     * stopped before 'from' cannot reach the window. */
    if (store_prepare(st,
                      "SELECT c.id, c.uid, c.name, c.tz, c.cadence,"
                      " c.checkin_stopped, i.id, i.start, i.tz"
                      " FROM contacts c JOIN interviews i ON i.id ="
                      " (SELECT id FROM interviews WHERE contact_id = c.id"
                      "  AND status = 'scheduled'"
                      "  ORDER BY start DESC, id DESC LIMIT 1)"
                      " WHERE c.cadence <> 'none' AND i.start < ?2"
                      " AND (c.checkin_stopped = 0 OR c.checkin_stopped >= ?1)"
                      " ORDER BY c.uid",
                      &s, err) < 0)
        return -1;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    return store_each_row(st, s, series_row, &e, "cannot list check-ins", err);
}
