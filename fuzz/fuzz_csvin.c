/* SPDX-License-Identifier: MIT */
/* fuzz_csvin.c - libFuzzer harness for the CSV reader: any bytes, with
 * each separator, give records or a clean error */
#include <stdint.h>
#include <string.h>

#include "csvin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touch every field, so sanitizers see a bad one. */
static int on_row(const struct csvin_row *row, void *ctx, struct err *err)
{
    size_t *sum = ctx;

    (void)err;
    for (size_t i = 0; i < row->n; i++)
        *sum += strlen(row->fields[i]) + (size_t)row->line;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t sum = 0;

    csvin_each(text, size, csvin_guess_delim(text, size), on_row, &sum, NULL);
    csvin_each(text, size, ';', on_row, &sum, NULL);
    return 0;
}
