/* SPDX-License-Identifier: MIT */
/* err.h - one-line errors passed up from modules to the command line */
#ifndef TIARA_ERR_H
#define TIARA_ERR_H

/* A usage error (a bad option, a wrong operand count) never travels in
 * a struct err: the command line is checked where it is read (cli_parse)
 * and exits 2 there. Every kind here exits 1. */
enum err_kind {
    ERR_NONE,
    ERR_INPUT, /* bad value from the user */
    ERR_NOMEM,
    ERR_IO,
    ERR_DB,
    ERR_PARSE,
    ERR_NET,
    ERR_AUTH,
    ERR_CONFLICT,
    ERR_NOT_FOUND,
};

struct err {
    enum err_kind kind;
    char msg[256];
};

/* Format into 'e' (if not NULL); always returns -1. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put "prefix: " in front of the message already in 'e' (if not NULL),
 * keeping its kind; always returns -1. Wrap with this, never with
 * err_set(e, ..., "%s", e->msg), which formats a buffer into itself. */
int err_prefix(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Clear 'e' (if not NULL). */
void err_clear(struct err *e);

/* Exit status for a kind: 2 for usage errors, 1 for everything else. */
int err_exit_code(enum err_kind kind);

#endif
