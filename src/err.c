/* SPDX-License-Identifier: MIT */
/* err.c - one-line error records */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return -1;
    e->kind = kind;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
    char prefix[sizeof(e->msg)], old[sizeof(e->msg)];
    size_t n, m;
    va_list ap;

    if (!e)
        return -1;
    /* Copy first: formatting a buffer into itself is undefined. */
    memcpy(old, e->msg, sizeof(old));
    old[sizeof(old) - 1] = '\0';
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    /* Cut to fit: a long message keeps its prefix and loses its tail. */
    n = strlen(prefix);
    memcpy(e->msg, prefix, n + 1);
    if (old[0] && n + 2 < sizeof(e->msg)) {
        memcpy(e->msg + n, ": ", 2);
        n += 2;
        m = strnlen(old, sizeof(e->msg) - n - 1);
        memcpy(e->msg + n, old, m);
        e->msg[n + m] = '\0';
    }
    return -1;
}

void err_clear(struct err *e)
{
    if (!e)
        return;
    e->kind = ERR_NONE;
    e->msg[0] = '\0';
}

int err_exit_code(enum err_kind kind)
{
    switch (kind) {
    case ERR_NONE:
        return 0;
    default:
        return 1;
    }
}
