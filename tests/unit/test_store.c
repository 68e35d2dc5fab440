/* SPDX-License-Identifier: MIT */
/* test_store.c - the SQLite store: lookups, clashes, migrations */
#include <sqlite3.h>
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
    return CHECK_DONE();
}
