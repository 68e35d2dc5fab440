/* SPDX-License-Identifier: MIT */
/* store_priv.h - what the store's source files share; not a public header */
#ifndef TIARA_STORE_PRIV_H
#define TIARA_STORE_PRIV_H

#include <sqlite3.h>

#include "store.h"

#define STORE_KEPT 24

struct store {
    sqlite3 *db;
    char *path;
    int depth;    /* nesting of store_begin, so helpers can join an action */
    int readonly; /* opened without write access: reading commands only */
    struct {      /* store_prepare_kept's statements, by their SQL */
        const char *sql;
        sqlite3_stmt *s;
        int busy;
    } kept[STORE_KEPT];
    int nkept;
};

/* Prepare 'sql' or fill 'err' naming the database's complaint. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out,
                  struct err *err);
/* store_prepare for a statement run once per entry of an import: it is
 * prepared once and kept (by the address of 'sql', a literal) for the
 * handle's life. Give it back with store_finalize. */
int store_prepare_kept(struct store *st, const char *sql, sqlite3_stmt **out,
                       struct err *err);
/* Reset a kept statement for its next use, finalize any other. */
void store_finalize(struct store *st, sqlite3_stmt *s);
/* Bind NULL for NULL or "" so optional text stays absent. */
int store_bind_text(sqlite3_stmt *s, int idx, const char *v);
/* Copy column text (NULL stays NULL); -1 on OOM. */
int store_column_dup(sqlite3_stmt *s, int col, char **out);
/* Fill err from the database's last error. */
int store_db_err(struct store *st, struct err *err, const char *what);
/* Step a write statement; a UNIQUE clash becomes ERR_CONFLICT. */
int store_step_write(struct store *st, sqlite3_stmt *s, const char *what,
                     struct err *err);
/* Walk the rows of 's', then finalize it: 'row' is called for each, and a
 * non-zero return stops the walk and is returned. A database error fills
 * 'err' with 'what' and returns -1. */
typedef int (*store_row_fn)(sqlite3_stmt *s, void *ctx, struct err *err);
int store_each_row(struct store *st, sqlite3_stmt *s, store_row_fn row,
                   void *ctx, const char *what, struct err *err);
/* Step a bound write statement to its end and finalize it; a database
 * error fills 'err' with 'what'. */
int store_step_done(struct store *st, sqlite3_stmt *s, const char *what,
                    struct err *err);
/* Step a query that gives at most one row: 0 with the row ready, 1 when
 * there is none, -1 with 'err' ('what') on a database error. The caller
 * finalizes. */
int store_step_one(struct store *st, sqlite3_stmt *s, const char *what,
                   struct err *err);
/* A fresh random UID: 'prefix' and 128 bits in hex. */
int store_new_uid(char **slot, const char *prefix, struct err *err);
/* "3" or "#3" as a row id; -1 when it is not one. */
int store_parse_id(const char *q, int64_t *id);
/* Read a contact or an interview from columns starting at 'o', in the
 * order of the tables' definitions. */
int store_read_contact_at(sqlite3_stmt *s, int o, struct contact *c);
int store_read_interview_at(sqlite3_stmt *s, int o, struct interview *iv);
/* The same with the text borrowed from the row, valid until the next step
 * of 's': nothing to release, nothing allocated per row. */
void store_peek_contact_at(sqlite3_stmt *s, int o, struct contact *c);
void store_peek_interview_at(sqlite3_stmt *s, int o, struct interview *iv);

/* The columns of a record, in the order store_read_*_at reads them; a
 * query names the table 'c' (contacts) or 'i' (interviews). */
#define STORE_CONTACT_COLS                                                     \
    "c.id, c.uid, c.name, c.email, c.company, c.role, c.phone, c.linkedin, "   \
    "c.notes, c.tz, c.referred_by, c.cadence, c.checkin_stopped, c.seq, "      \
    "c.created, c.modified"
#define STORE_INTERVIEW_COLS                                                   \
    "i.id, i.uid, i.contact_id, i.start, i.minutes, i.tz, i.mode, "            \
    "i.location, i.video_url, i.agenda, i.status, i.prep_done, i.thanked, "    \
    "i.actual_start, i.actual_end, i.notes, i.seq, i.created, i.modified, "    \
    "i.thanks_tz, i.title"

/* Columns per record, for rows that join several. */
#define NCONTACT 16
#define NINTERVIEW 21

#endif
