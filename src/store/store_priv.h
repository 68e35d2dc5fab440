/* SPDX-License-Identifier: MIT */
/* store_priv.h - what the store's source files share; not a public header */
#ifndef TIARA_STORE_PRIV_H
#define TIARA_STORE_PRIV_H

#include <sqlite3.h>

#include "store.h"

struct store {
    sqlite3 *db;
    char *path;
    int depth; /* nesting of store_begin, so helpers can join an action */
};

/* Prepare 'sql' or fill 'err' naming the database's complaint. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out,
                  struct err *err);
/* Bind NULL for NULL or "" so optional text stays absent. */
int store_bind_text(sqlite3_stmt *s, int idx, const char *v);
/* Copy column text (NULL stays NULL); -1 on OOM. */
int store_column_dup(sqlite3_stmt *s, int col, char **out);
/* Fill err from the database's last error. */
int store_db_err(struct store *st, struct err *err, const char *what);
/* Step a write statement; a UNIQUE clash becomes ERR_CONFLICT. */
int store_step_write(struct store *st, sqlite3_stmt *s, const char *what,
                     struct err *err);
/* A fresh random UID: 'prefix' and 128 bits in hex. */
int store_new_uid(char **slot, const char *prefix, struct err *err);
/* "3" or "#3" as a row id; -1 when it is not one. */
int store_parse_id(const char *q, int64_t *id);
/* Read a contact or an interview from columns starting at 'o', in the
 * order of the tables' definitions. */
int store_read_contact_at(sqlite3_stmt *s, int o, struct contact *c);
int store_read_interview_at(sqlite3_stmt *s, int o, struct interview *iv);

/* The schema step that adds the sync tables (a migration in store.c). */
extern const char store_sync_schema[];

/* Columns per record, for rows that join several. */
#define NCONTACT 16
#define NINTERVIEW 20

#endif
