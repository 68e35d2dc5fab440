/* SPDX-License-Identifier: MIT */
/* fuzz_ics_import.c - libFuzzer harness for the .ics importer: any bytes
 * must give an import or a clean error, never a crash or a leak, and a
 * file read a component at a time must give what the text read whole
 * gives */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics.h"
#include "store.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every note, in order, one a line. */
static void keep_note(void *ctx, enum ics_note_kind kind, const char *line)
{
    buf_printf(ctx, "%d %s\n", (int)kind, line);
}

/* One import into a fresh store: what one input stored must not steer
 * the next, or a crash would not reproduce alone. */
static int import(const char *text, FILE *f, struct ics_import_report *rep,
                  struct buf *notes, struct err *err)
{
    struct store *st;
    const struct ics_import_options opt = {
        .me = "me@example.com", .note = keep_note, .note_ctx = notes};
    int rc;

    if (store_open(":memory:", &st, NULL) < 0)
        abort();
    err_clear(err);
    rc = f ? ics_import_file(st, f, "fuzz", 1796115600, &opt, rep, err)
           : ics_import(st, text, "fuzz", 1796115600, &opt, rep, err);
    store_close(st);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ics_import_report whole, streamed;
    struct buf wn, sn;
    struct err we, se;
    char *text;
    FILE *f;
    int wrc, src;

    text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    buf_init(&wn);
    buf_init(&sn);
    wrc = import(text, NULL, &whole, &wn, &we);
    /* A NUL byte ends the text but not the file: the CLI reads those
     * whole, so only text without one is compared. */
    if (!memchr(data, '\0', size) && (f = util_tmpfile())) {
        if (fwrite(data, 1, size, f) != size || fflush(f) != 0)
            abort();
        rewind(f);
        src = import(NULL, f, &streamed, &sn, &se);
        fclose(f);
        if (src != wrc || memcmp(&whole, &streamed, sizeof(whole)) != 0 ||
            strcmp(wn.data ? wn.data : "", sn.data ? sn.data : "") != 0 ||
            (wrc < 0 && strcmp(we.msg, se.msg) != 0)) {
            fprintf(stderr,
                    "streamed import differs: %d %s\n%s\nwhole: %d %s\n%s\n",
                    src, se.msg, sn.data ? sn.data : "", wrc, we.msg,
                    wn.data ? wn.data : "");
            abort();
        }
    }
    buf_release(&wn);
    buf_release(&sn);
    free(text);
    return 0;
}
