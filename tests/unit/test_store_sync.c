/* SPDX-License-Identifier: MIT */
/* test_store_sync.c - the sync state tables */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store_sync.h"

struct walk {
    int n;
    char uids[4][32];
    char pending[4][16];
};

static int each_item(const struct store_sync_item *it, void *ctx)
{
    struct walk *w = ctx;

    if (w->n < 4) {
        snprintf(w->uids[w->n], sizeof(w->uids[0]), "%s", it->uid);
        snprintf(w->pending[w->n], sizeof(w->pending[0]), "%s",
                 it->pending ? it->pending : "-");
    }
    w->n++;
    return 0;
}

static int each_cal(const struct store_sync_calendar *c, void *ctx)
{
    (void)c;
    (*(int *)ctx)++;
    return 0;
}

int main(void)
{
    struct store *st = NULL;
    struct err e;
    struct store_sync_calendar c, got;
    struct store_sync_item it;
    struct walk w;
    int n = 0;

    CHECK(store_open(":memory:", &st, &e) == 0);
    if (!st) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    memset(&c, 0, sizeof(c));
    c.name = (char *)"work";
    c.url = (char *)"http://127.0.0.1:1/c/";
    c.components = 3;
    CHECK(store_sync_calendar_add(st, &c, &e) == 0);
    CHECK(c.id > 0);
    CHECK(store_sync_calendar_add(st, &c, &e) < 0);
    CHECK_INT(e.kind, ERR_CONFLICT);
    CHECK(store_sync_calendar_set_token(st, c.id, "tok1", "ctag1", &e) == 0);
    CHECK(store_sync_calendar_get(st, "work", &got, &e) == 0);
    CHECK_STR(got.sync_token, "tok1");
    CHECK_STR(got.url, "http://127.0.0.1:1/c/");
    CHECK_INT(got.components, 3);
    store_sync_calendar_release(&got);
    CHECK(store_sync_calendar_get(st, "home", &got, &e) < 0);
    CHECK_INT(e.kind, ERR_NOT_FOUND);
    CHECK(store_sync_calendar_each(st, each_cal, &n, &e) == 0);
    CHECK_INT(n, 1);

    memset(&it, 0, sizeof(it));
    it.uid = (char *)"a";
    it.href = (char *)"/c/a.ics";
    it.lhash = (char *)"h1";
    it.pending = (char *)"put";
    CHECK(store_sync_item_put(st, c.id, &it, &e) == 0);
    it.uid = (char *)"b";
    it.pending = NULL;
    CHECK(store_sync_item_put(st, c.id, &it, &e) == 0);
    /* replacing keeps one row per UID */
    it.etag = (char *)"\"e2\"";
    CHECK(store_sync_item_put(st, c.id, &it, &e) == 0);
    memset(&w, 0, sizeof(w));
    CHECK(store_sync_item_each(st, c.id, each_item, &w, &e) == 0);
    CHECK_INT(w.n, 2);
    CHECK_STR(w.uids[0], "a");
    CHECK_STR(w.pending[0], "put");
    CHECK_STR(w.pending[1], "-");
    CHECK(store_sync_item_delete(st, c.id, "a", &e) == 0);
    CHECK(store_sync_item_count(st, c.id, &n, &e) == 0);
    CHECK_INT(n, 1);
    CHECK(store_sync_conflict_add(st, c.id, "b", "remote", "newest",
                                  "BEGIN:VCALENDAR", 1000, &e) == 0);
    CHECK(store_sync_conflict_count(st, &n, &e) == 0);
    CHECK_INT(n, 1);
    /* removing the calendar forgets its state, keeps the lost versions */
    CHECK(store_sync_calendar_remove(st, "work", &e) == 0);
    CHECK(store_sync_item_count(st, c.id, &n, &e) == 0);
    CHECK_INT(n, 0);
    CHECK(store_sync_conflict_count(st, &n, &e) == 0);
    CHECK_INT(n, 1);
    store_close(st);
    return CHECK_DONE();
}
