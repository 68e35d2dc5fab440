/* SPDX-License-Identifier: MIT */
/* test_csvin.c - CSV records, their lines and the separator a file uses */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csvin.h"
#include "util.h"

/* Each record as "LINE:field|field|..." on a line of its own. */
static int collect(const struct csvin_row *row, void *ctx, struct err *err)
{
    struct buf *b = ctx;

    (void)err;
    buf_printf(b, "%ld:", row->line);
    for (size_t i = 0; i < row->n; i++)
        buf_printf(b, "%s%s", i ? "|" : "", row->fields[i]);
    buf_adds(b, "\n");
    return 0;
}

static char *records(const char *text, char delim, int *rc, struct err *e)
{
    struct buf b;

    buf_init(&b);
    buf_adds(&b, "");
    *rc = csvin_each(text, strlen(text), delim, collect, &b, e);
    return buf_steal(&b);
}

static void test_shapes(void)
{
    struct err e;
    char *got;
    int rc;

    /* a BOM, CRLF, a quoted comma, a quoted newline, doubled quotes, a
     * blank line and no final newline */
    got = records("\xef\xbb\xbfName,Company\r\n"
                  "Ana,\"Acme, Inc.\"\r\n"
                  "\r\n"
                  "\"Bo\r\nB\",\"say \"\"hi\"\"\"\r\n"
                  "Cy,",
                  ',', &rc, &e);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "1:Name|Company\n2:Ana|Acme, Inc.\n"
                   "4:Bo\r\nB|say \"hi\"\n6:Cy|\n");
    free(got);

    got = records("a;b,c\nd;\"e;f\"\n", ';', &rc, &e);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "1:a|b,c\n2:d|e;f\n");
    free(got);
}

static void test_errors(void)
{
    struct err e;
    char *got;
    int rc;

    got = records("a,b\nc,d\"x\ne,f\n", ',', &rc, &e);
    CHECK_INT(rc, -1);
    CHECK_INT(e.kind, ERR_PARSE);
    CHECK(strstr(e.msg, "a stray quote on line 2 (") == e.msg);
    free(got);

    got = records("a,b\n\nc,\"open\nand on\n", ',', &rc, &e);
    CHECK_INT(rc, -1);
    CHECK_STR(e.msg, "the quoted field on line 3 is never closed");
    free(got);
}

static int stop_at_second(const struct csvin_row *row, void *ctx,
                          struct err *err)
{
    int *seen = ctx;

    (void)row;
    (void)err;
    return ++*seen == 2 ? 7 : 0;
}

static void test_stop(void)
{
    int seen = 0;

    CHECK_INT(csvin_each("a\nb\nc\n", 6, ',', stop_at_second, &seen, NULL), 7);
    CHECK_INT(seen, 2);
}

static void test_guess(void)
{
    static const char linkedin[] =
        "Notes:\n\"When exporting, you may notice; some, emails, missing\"\n"
        "\nFirst Name,Last Name,URL\nAna,P,https://x\n";

    CHECK_INT(csvin_guess_delim(linkedin, strlen(linkedin)), ',');
    CHECK_INT(csvin_guess_delim("Name;Email\nAna;a@x\n", 19), ';');
    CHECK_INT(csvin_guess_delim("Name\tEmail\n", 11), '\t');
    CHECK_INT(csvin_guess_delim("Name\n", 5), ',');
}

int main(void)
{
    test_shapes();
    test_errors();
    test_stop();
    test_guess();
    return CHECK_DONE();
}
