/* SPDX-License-Identifier: MIT */
/* csvin.h - records of a CSV file as spreadsheets write them, read with
 * libcsv */
#ifndef TIARA_CSVIN_H
#define TIARA_CSVIN_H

#include <stddef.h>

#include "err.h"

/* One record. The fields are NUL-terminated and borrowed for the call. */
struct csvin_row {
    char **fields;
    size_t n;
    long line; /* the line the record starts on, from 1 */
};

/* Called for each record; a non-zero return stops the walk. */
typedef int (*csvin_row_fn)(const struct csvin_row *row, void *ctx,
                            struct err *err);

/* Call 'fn' for every record of text[0..len), fields separated by
 * 'delim'. A UTF-8 byte order mark is skipped, lines may end in CRLF, LF
 * or CR, blank lines are no records, and a quoted field may hold the
 * separator, newlines and doubled quotes. Returns 0 at the end, what
 * 'fn' returned when it stopped the walk, or -1 (ERR_PARSE naming the
 * line) for a stray or unclosed quote. */
int csvin_each(const char *text, size_t len, char delim, csvin_row_fn fn,
               void *ctx, struct err *err);

/* The separator a file uses: ',', ';' (Excel's where the comma is the
 * decimal mark) or a tab, whichever is most common outside quotes in its
 * first lines; ',' when none is. */
char csvin_guess_delim(const char *text, size_t len);

#endif
