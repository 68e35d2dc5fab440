/* SPDX-License-Identifier: MIT */
/* test_store.c - the SQLite store: lookups, clashes, migrations */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "store.h"

static int64_t add_contact(struct store *st, const char *name,
                           const char *email)
{
    struct contact c;
    int64_t id;

    model_contact_init(&c);
    c.name = strdup(name);
    c.email = email ? strdup(email) : NULL;
    c.created = c.modified = 1000;
    if (store_contact_add(st, &c, NULL) < 0)
        return -1;
    id = c.id;
    model_contact_release(&c);
    return id;
}

static int64_t add_interview(struct store *st, int64_t contact, utc_t start,
                             int minutes)
{
    struct interview iv;
    int64_t id;

    model_interview_init(&iv);
    iv.contact_id = contact;
    iv.start = start;
    iv.minutes = minutes;
    iv.tz = strdup("Europe/London");
    iv.created = iv.modified = 1000;
    if (store_interview_add(st, &iv, NULL) < 0)
        return -1;
    id = iv.id;
    model_interview_release(&iv);
    return id;
}

/* The store's own connection and the last statement it finished, seen
 * through SQLite's hooks: the tests below read the plans of the store's
 * real queries. */
static sqlite3 *store_db;
static char last_sql[2048];
static long last_steps;
static int peeking; /* plan_has's own statements are not the store's */

static int on_profile(unsigned type, void *ctx, void *p, void *x)
{
    sqlite3_stmt *s = p;

    (void)type, (void)ctx, (void)x;
    if (peeking)
        return 0;
    snprintf(last_sql, sizeof(last_sql), "%s", sqlite3_sql(s));
    last_steps = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0);
    return 0;
}

static int grab_db(sqlite3 *db, char **msg, const void *api)
{
    (void)msg, (void)api;
    store_db = db;
    sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, on_profile, NULL);
    return SQLITE_OK;
}

/* Does the plan of 'sql' on the store's connection mention 'what'? */
static int plan_has(const char *sql, const char *what)
{
    char eqp[2100];
    sqlite3_stmt *s = NULL;
    int found = 0;

    snprintf(eqp, sizeof(eqp), "EXPLAIN QUERY PLAN %s", sql);
    peeking = 1;
    if (sqlite3_prepare_v2(store_db, eqp, -1, &s, NULL) == SQLITE_OK) {
        while (sqlite3_step(s) == SQLITE_ROW)
            if (strstr((const char *)sqlite3_column_text(s, 3), what))
                found = 1;
        found |= sqlite3_step(s) != SQLITE_DONE ? 2 : 0;
    }
    sqlite3_finalize(s);
    peeking = 0;
    return found;
}

static int count_meeting(const struct interview *iv, const struct contact *c,
                         const struct contact *r, void *arg)
{
    (void)iv, (void)c, (void)r;
    ++*(int *)arg;
    return 0;
}

struct anchors {
    int64_t ids[8];
    int n;
};

static int keep_anchor(const struct contact *c, const struct interview *iv,
                       void *arg)
{
    struct anchors *a = arg;

    CHECK(c->name && c->uid && iv->tz && iv->start > 0);
    if (a->n < 8)
        a->ids[a->n++] = c->id;
    return 0;
}

/* Migration 12's indexes at work, and the anchors a window can see. */
static void test_scale(void)
{
    struct store *st;
    struct contact c;
    struct anchors got = {{0}, 0};
    int64_t ana, bob, cy, dee;
    int n = 0;

    CHECK(sqlite3_auto_extension((void (*)(void))grab_db) == SQLITE_OK);
    CHECK(store_open(":memory:", &st, NULL) == 0);
    CHECK(store_db != NULL);
    ana = add_contact(st, "Ana", NULL);
    bob = add_contact(st, "Bob", NULL);
    cy = add_contact(st, "Cy", NULL);
    dee = add_contact(st, "Dee", NULL);
    CHECK(sqlite3_exec(store_db,
                       "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1"
                       " FROM k WHERE n < 2000) INSERT INTO interviews (uid,"
                       " contact_id, start, minutes, tz, mode, thanked,"
                       " created, modified) SELECT 'past-' || n, 1,"
                       " 100000 + n * 3600, 30, 'UTC', 'phone', 1, 1, 1"
                       " FROM k",
                       NULL, NULL, NULL) == SQLITE_OK);
    add_interview(st, ana, 200000, 30);
    add_interview(st, bob, 300000, 30);
    /* The overdue notes come from their index, not a walk of the 2,000
     * thanked interviews before them. */
    CHECK(store_meeting_each(st, INT64_MIN, 9000000, 0, STORE_UNTHANKED_ONLY,
                             count_meeting, &n, NULL) == 0);
    CHECK_INT(n, 2);
    CHECK(strstr(last_sql, "i.thanked = 0") != NULL);
    CHECK(last_steps < 500);
    CHECK(plan_has(last_sql, "interviews_unthanked") == 1);
    CHECK(plan_has(last_sql, "TEMP B-TREE") == 0);

    /* Anchors: Ana's is before the window's end, Bob's after it; Cy's
     * series stopped before the window, Dee has none. */
    add_interview(st, cy, 400000, 30);
    add_interview(st, dee, 500000, 30);
    add_interview(st, bob, 9500000, 30);
    CHECK(store_contact_get(st, cy, &c, NULL) == 0);
    c.checkin_stopped = 1000;
    CHECK(store_contact_update(st, &c, NULL) == 0);
    model_contact_release(&c);
    CHECK(store_contact_get(st, dee, &c, NULL) == 0);
    c.cadence = CADENCE_NONE;
    CHECK(store_contact_update(st, &c, NULL) == 0);
    model_contact_release(&c);
    CHECK(store_anchor_window_each(st, 5000, 9000000, keep_anchor, &got,
                                   NULL) == 0);
    CHECK_INT(got.n, 1);
    CHECK_INT(got.ids[0], ana);
    CHECK(strstr(last_sql, "c.checkin_stopped >=") != NULL);
    CHECK(plan_has(last_sql, "COVERING INDEX interviews_anchor") == 1);
    store_close(st);
    sqlite3_reset_auto_extension();
    store_db = NULL;
}

/* An import's record of a taken invitation stands until a write changes
 * what the take read: then the next import takes the text again. */
static void test_seen(void)
{
    struct store *st;
    struct store_seen *seen;
    struct store_itip t = {.seq = 1, .stamp = 5};
    struct interview iv;
    struct contact c;
    int64_t host, id;

    CHECK(store_open(":memory:", &st, NULL) == 0);
    host = add_contact(st, "Dana Kim", "dana@example.com");
    id = add_interview(st, host, 100000, 30);
    CHECK(store_interview_get(st, id, &iv, NULL) == 0);
    CHECK(store_seen_open(st, &seen, NULL) == 0);
    /* no answers kept: nothing a later take could compare, no record */
    CHECK(store_seen_put(seen, iv.uid, 42, NULL) == 0);
    CHECK_INT(store_seen_check(seen, 42, NULL), 0);
    CHECK(store_itip_set(st, iv.uid, &t, NULL) == 0);
    CHECK(store_seen_put(seen, iv.uid, 42, NULL) == 0);
    CHECK_INT(store_seen_check(seen, 42, NULL), 1);
    CHECK_INT(store_seen_check(seen, 43, NULL), 0);

    /* what the calendar does not carry leaves the record */
    free(iv.notes);
    iv.notes = strdup("asked about the team");
    CHECK(store_interview_update(st, &iv, NULL) == 0);
    CHECK_INT(store_seen_check(seen, 42, NULL), 1);
    /* a new title, a new host name, a newer request: each drops it */
    iv.title = strdup("Coffee with Dana");
    CHECK(store_interview_update(st, &iv, NULL) == 0);
    CHECK_INT(store_seen_check(seen, 42, NULL), 0);
    CHECK(store_seen_put(seen, iv.uid, 42, NULL) == 0);
    CHECK(store_contact_get(st, host, &c, NULL) == 0);
    free(c.name);
    c.name = strdup("Dana Kim-Lee");
    CHECK(store_contact_update(st, &c, NULL) == 0);
    model_contact_release(&c);
    CHECK_INT(store_seen_check(seen, 42, NULL), 0);
    CHECK(store_seen_put(seen, iv.uid, 42, NULL) == 0);
    t.seq = 2;
    CHECK(store_itip_set(st, iv.uid, &t, NULL) == 0);
    CHECK_INT(store_seen_check(seen, 42, NULL), 0);
    CHECK(store_seen_put(seen, iv.uid, 42, NULL) == 0);
    CHECK(store_interview_delete(st, id, NULL) == 0);
    CHECK_INT(store_seen_check(seen, 42, NULL), 0);
    model_interview_release(&iv);
    store_seen_close(seen);
    store_close(st);
}

int main(void)
{
    struct store *st;
    struct contact c;
    struct interview iv;
    struct followup f;
    struct err err;
    int64_t ana, anabel, bob, i1, i2;
    char path[] = "/tmp/tiara-test-store-XXXXXX";
    int fd;
    struct stat sb;
    sqlite3 *db;

    CHECK(store_open(":memory:", &st, &err) == 0);
    ana = add_contact(st, "Ana Pérez", "ana@example.com");
    anabel = add_contact(st, "Anabel Ruiz", NULL);
    bob = add_contact(st, "Bob Stone", "bob@example.org");
    CHECK(ana > 0 && anabel > 0 && bob > 0);

    /* Exact names beat partial ones; partial ones must be unique. */
    CHECK(store_contact_find(st, "ana pérez", &c, NULL) == 0);
    CHECK_INT(c.id, ana);
    CHECK(c.uid && strncmp(c.uid, "tiara-contact-", 14) == 0);
    model_contact_release(&c);
    CHECK(store_contact_find(st, "BOB@example.org", &c, NULL) == 0);
    CHECK_INT(c.id, bob);
    model_contact_release(&c);
    CHECK(store_contact_find(st, "#2", &c, NULL) == 0);
    CHECK_INT(c.id, anabel);
    model_contact_release(&c);
    CHECK(store_contact_find(st, "ana", &c, &err) < 0);
    CHECK(strstr(err.msg, "ambiguous") && strstr(err.msg, "Anabel Ruiz"));
    CHECK(store_contact_find(st, "zed", &c, &err) < 0);
    CHECK(strstr(err.msg, "no contact matches 'zed'") != NULL);
    CHECK(store_contact_find(st, "99", &c, &err) < 0);
    CHECK_INT(err.kind, ERR_INPUT);

    /* Clashes: overlapping, not touching. */
    i1 = add_interview(st, ana, 100000, 30);
    CHECK(store_interview_clash(st, 100000 + 29 * 60, 100000 + 60 * 60, 0, &iv,
                                NULL) == 1);
    CHECK_INT(iv.id, i1);
    model_interview_release(&iv);
    CHECK(store_interview_clash(st, 100000 + 30 * 60, 100000 + 60 * 60, 0, &iv,
                                NULL) == 0);
    CHECK(store_interview_clash(st, 100000 - 3600, 100000, 0, &iv, NULL) == 0);
    CHECK(store_interview_clash(st, 100000, 100000 + 60, i1, &iv, NULL) == 0);

    /* By contact: the next one, else the latest. */
    i2 = add_interview(st, ana, 500000, 45);
    CHECK(store_interview_find(st, "ana pérez", 200000, &iv, NULL) == 0);
    CHECK_INT(iv.id, i2);
    model_interview_release(&iv);
    CHECK(store_interview_find(st, "ana pérez", 900000, &iv, NULL) == 0);
    CHECK_INT(iv.id, i2);
    model_interview_release(&iv);
    CHECK(store_interview_find(st, "bob", 0, &iv, &err) < 0);
    CHECK(strstr(err.msg, "no interview with 'Bob Stone'") != NULL);
    CHECK(store_interview_anchor(st, ana, &iv, NULL) == 1);
    CHECK_INT(iv.id, i2);
    model_interview_release(&iv);

    /* A contact with interviews stays until they go. */
    CHECK(store_contact_delete(st, ana, &err) < 0);
    CHECK(strstr(err.msg, "has interviews: ") != NULL);

    /* One "landed" follow-up per contact. */
    model_followup_init(&f);
    f.contact_id = bob;
    f.due = 1;
    CHECK(store_followup_add(st, &f, NULL) == 0);
    model_followup_release(&f);
    f.contact_id = bob;
    CHECK(store_followup_add(st, &f, &err) < 0);
    CHECK_INT(err.kind, ERR_CONFLICT);
    model_followup_release(&f);
    store_close(st);

    /* A file is created 0600 and a newer schema is refused. */
    fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unlink(path);
    CHECK(store_open(path, &st, NULL) == 0);
    store_close(st);
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) ==
          SQLITE_OK);
    sqlite3_close(db);
    CHECK(store_open(path, &st, &err) < 0);
    CHECK(strstr(err.msg, "newer tiara (schema 99") != NULL);
    unlink(path);
    test_scale();
    test_seen();
    return CHECK_DONE();
}
