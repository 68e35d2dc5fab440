/* SPDX-License-Identifier: MIT */
/* csvin.c - CSV records through libcsv, each with the line it starts on */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "util.h"

struct walk {
    csvin_row_fn fn;
    void *ctx;
    struct err *err;
    char **fields;
    size_t n, cap;
    long line;  /* the line being fed */
    long start; /* where the record under way began; 0 between records */
    int stop;   /* what fn returned to stop, or -1 when out of memory */
};

static void drop_fields(struct walk *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->fields[i]);
    w->n = 0;
}

static void on_field(void *s, size_t len, void *arg)
{
    struct walk *w = arg;
    char *copy;

    if (w->stop)
        return;
    if (ALLOC_GROW(w->fields, w->n + 1, w->cap) < 0 ||
        !(copy = malloc(len + 1))) {
        w->stop = err_set(w->err, ERR_NOMEM, "out of memory");
        return;
    }
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    w->fields[w->n++] = copy;
}

static void on_row(int term, void *arg)
{
    struct walk *w = arg;
    struct csvin_row row;

    (void)term;
    if (!w->stop) {
        /* a lone CR ends a record inside one fed line */
        row.line = w->start ? w->start : w->line;
        row.fields = w->fields;
        row.n = w->n;
        w->stop = w->fn(&row, w->ctx, w->err);
    }
    drop_fields(w);
    w->start = 0;
}

/* libcsv skips lines of only blanks, so they start no record. */
static int blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (!strchr(" \t\r\n", *p))
            return 0;
    return 1;
}

/* Feed the text a line at a time, so that each record knows its line. */
static int feed(struct csv_parser *p, const char *s, const char *end,
                struct walk *w)
{
    while (s < end && !w->stop) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *stop = nl ? nl + 1 : end;
        size_t want = (size_t)(stop - s);

        if (!w->start && !blank(s, stop))
            w->start = w->line;
        if (csv_parse(p, s, want, on_field, on_row, w) != want && !w->stop) {
            if (csv_error(p) == CSV_ENOMEM || csv_error(p) == CSV_ETOOBIG)
                return err_set(w->err, ERR_NOMEM, "out of memory");
            /* RFC 4180 2.5-2.7: a quote only opens, closes or doubles */
            return err_set(w->err, ERR_PARSE,
                           "a stray quote on line %ld (a field with a quote "
                           "in it is quoted whole, its quotes doubled)",
                           w->line);
        }
        s = stop;
        w->line++;
    }
    return w->stop;
}

int csvin_each(const char *text, size_t len, char delim, csvin_row_fn fn,
               void *ctx, struct err *err)
{
    struct csv_parser p;
    struct walk w = {fn, ctx, err, NULL, 0, 0, 1, 0, 0};
    const char *s = text, *end = text + len;
    int ret;

    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    csv_set_delim(&p, (unsigned char)delim);
    if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
        s += 3;
    ret = feed(&p, s, end, &w);
    if (ret == 0 && csv_fini(&p, on_field, on_row, &w) != 0)
        ret = err_set(err, ERR_PARSE,
                      "the quoted field on line %ld is never closed", w.start);
    else if (ret == 0)
        ret = w.stop;
    drop_fields(&w);
    free(w.fields);
    csv_free(&p);
    return ret;
}

char csvin_guess_delim(const char *text, size_t len)
{
    static const char seps[] = ",;\t";
    size_t count[sizeof(seps)] = {0};
    int quoted = 0, lines = 0;
    size_t best = 0;

    /* the first lines decide: LinkedIn's notes are quoted, so their
     * commas do not count */
    for (size_t i = 0; i < len && lines < 20; i++) {
        const char *hit;

        if (text[i] == '"')
            quoted = !quoted;
        else if (!quoted && text[i] == '\n')
            lines++;
        else if (!quoted && text[i] && (hit = strchr(seps, text[i])))
            count[hit - seps]++;
    }
    for (size_t i = 1; i < sizeof(seps) - 1; i++)
        if (count[i] > count[best])
            best = i;
    return seps[best];
}
