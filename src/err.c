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
    case ERR_USAGE:
        return 2;
    default:
        return 1;
    }
}
