/* SPDX-License-Identifier: MIT */
/* caldav_sync_priv.h - what the CalDAV sync source files share; not a public
 * header */
#ifndef TIARA_CALDAV_SYNC_PRIV_H
#define TIARA_CALDAV_SYNC_PRIV_H

#include <stdio.h>

#include "caldav_priv.h"
#include "ics.h"

/* One UID: what was last agreed (as stored) and what this run found. */
struct row {
    struct store_sync_item it;
    int stored; /* the database has a row for it */
    int dirty;  /* save it */
    int drop;   /* delete its row */
    /* remote, this run */
    int listed;  /* named by the listing */
    int removed; /* deleted on the server */
    int want;    /* to fetch */
    /* local, this run */
    int local; /* the store implies it now */
    char lnow[CALDAV_HASH_LEN];
    char lastmod[24];
    long spool_off;
    size_t spool_len;
    int adopt;    /* taken in from the server: the local text that follows
                     from it is agreed, not an edit to send */
    int refused;  /* a deletion held back */
    int push;     /* 1: PUT, 2: DELETE */
    int recreate; /* PUT with If-None-Match even though href is known */
};

/* A tiny open-addressing map from strings to row indices. */
struct map {
    char **keys;
    int *vals;
    size_t cap, used;
};

/* What the listing said about one href. */
struct listed {
    char *href;
    char *etag;
    int removed;
};

/* A foreign object's text waiting to be saved with its row. */
struct kept_text {
    size_t row;
    char *text;
};

/* Everything one caldav_sync() run knows. */
struct sync {
    struct store *st;
    struct http *h;
    const struct store_sync_calendar *cal;
    const struct caldav_sync_options *opt;
    struct caldav_sync_stats *stats;
    struct err *err;
    struct ics_options iopt;
    char *coll; /* canonical path of the collection */
    struct row *rows;
    size_t n, cap;
    struct map by_uid, by_href;
    FILE *spool; /* local texts that may be sent */
    int scanned;
    int full; /* the listing named every item */
    struct listed *list;
    size_t nlist, caplist;
    long listed_bytes; /* of the hrefs and ETags in 'list' */
    char *token;       /* where the listing ended */
    char *ctag;
    int use_ctag;  /* the server has no sync-collection */
    int unsettled; /* something failed: keep the old token and mark */
    int imported;
    int aborted; /* the server went away */
    long fetched_total;
    long fetch_goal;
    int lazy;               /* only the rows a small delta names are loaded */
    struct kept_text *kept; /* saved together, not one transaction each */
    size_t nkept, capkept;
    int all_loaded;
    /* consecutive refusals alike (a gateway's 502 for every request) */
    long fail_status;
    int fail_streak;
};

/* ---- caldav_sync_state.c: rows, maps and the spool (calls nothing
 * below; the fetch and push files call it, caldav_sync.c calls all) ---- */

/* Format a message for the caller's note callback, if there is one. */
void sync_note(struct sync *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keep a text of row 'r' (what the server holds, or what tiara had
 * rendered at the agreement) as the next merge's input; nothing in a dry
 * run. */
int sync_remember(struct sync *s, const struct row *r,
                  enum store_sync_text which, const char *text);
/* Forget the write journalled for 'r' (it landed, or will not). */
void sync_clear_pending(struct row *r);
/* Sets ERR_NOMEM in s->err; always returns -1. */
int sync_oom(struct sync *s);
/* The row index for 'key' in 'm', or -1 when absent. */
int sync_map_get(const struct map *m, const char *key);
/* The row at index 'i', or NULL for a negative index. */
struct row *sync_row_at(struct sync *s, int i);
/* A new row for 'uid'; its index, or -1 when out of memory. */
int sync_add_row(struct sync *s, const char *uid);
/* Point 'r' at 'href' (NULL for none), keeping s->by_href in step. */
int sync_set_href(struct sync *s, struct row *r, const char *href);
/* The row for 'uid' or 'href' (one of them NULL), loading it if need be;
 * -1 when there is none, -2 on failure. */
int sync_find_row(struct sync *s, const char *uid, const char *href);
/* Write row 'r' to the store (or delete it when r->drop). */
int sync_save_row(struct sync *s, struct row *r);
/* Keep the text of foreign row 'row' to save with it; saved in batches. */
int sync_keep_text(struct sync *s, size_t row, const char *text);
/* Save the kept texts and their rows in one transaction. */
int sync_flush_kept(struct sync *s);
/* Save every changed row (and kept text) in one transaction. */
int sync_flush_rows(struct sync *s);
/* The local text of row 'r' from the spool; caller frees; NULL when
 * there is none or it cannot be read. */
char *sync_spooled(struct sync *s, const struct row *r);
/* The local hash now: scanned, or else unchanged since the agreement. */
const char *sync_local_hash(const struct sync *s, const struct row *r);
/* Load every stored row (the lazy start loads only what a delta names). */
int sync_load_all(struct sync *s);
/* Load every row, then mark and hash what the store implies now,
 * spooling the texts that differ from the agreement. */
int sync_scan_local(struct sync *s);
/* Free the rows, the maps and the spool. */
void sync_rows_release(struct sync *s);

/* ---- caldav_sync_fetch.c: listing, fetching and taking in ---- */

/* Fill s->list with the server's items: a delta from the stored token when
 * 'delta', else everything; *unchanged when the ctag says nothing moved. */
/* ---- caldav_sync_own.c: whose an object is (calls the state file) ---- */

/* Does the store know an interview by this UID? */
int sync_is_interview(struct store *st, const char *uid);
/* Is the object at row 'r' (or new) with 'text' someone else's? */
int sync_is_foreign(struct sync *s, const struct row *r, const char *uid,
                    const char *text);
/* A foreign object: remember where it is and what it says, touch nothing. */
int sync_keep_foreign(struct sync *s, struct row *r, const char *href,
                      const char *etag, const char *text, const char *rhash);
/* With adopt_invitations on, invitations kept as foreign become
 * interviews from their kept text. */
int sync_adopt_kept(struct sync *s);
int sync_list_remote(struct sync *s, int delta, int *unchanged);
/* Empty s->list, keeping its storage. */
void sync_clear_listed(struct sync *s);
/* Fetch the 'n' hrefs and reconcile each item with the store. */
int sync_fetch(struct sync *s, char **hrefs, size_t n);
/* One item fetched from the server: decide what it means. */
int sync_reconcile(struct sync *s, const char *href, const char *etag,
                   const char *text);
/* GET 'url' into 'rs' (initialised by the caller). */
int sync_get_one(struct sync *s, const char *url, struct http_response *rs);
/* After our own writes, 1 when something else came in since s->token. */
int sync_confirm_token(struct sync *s);

/* ---- caldav_sync_push.c: sending (calls the fetch file to take in
 * what a failed precondition shows) ---- */

/* Mark what goes out from the local scan; counts PUTs and DELETEs. */
int sync_plan(struct sync *s, int *nput, int *ndel);
/* Send the planned writes, journalled in batches; 'total' for progress. */
int sync_send_all(struct sync *s, long total);

#endif
