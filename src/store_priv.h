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

#endif
