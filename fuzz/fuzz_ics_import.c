/* SPDX-License-Identifier: MIT */
/* fuzz_ics_import.c - libFuzzer harness for the .ics importer: any bytes
 * must give an import or a clean error, never a crash or a leak */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ics.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct store *st;
    const struct ics_import_options opt = {.me = "me@example.com"};
    struct ics_import_report rep;
    char *text;

    /* A fresh store per input: what one input stored must not steer the
     * next, or a crash would not reproduce alone. */
    if (store_open(":memory:", &st, NULL) < 0)
        abort();
    text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    ics_import(st, text, "fuzz", 1796115600, &opt, &rep, NULL);
    free(text);
    store_close(st);
    return 0;
}
