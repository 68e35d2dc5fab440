/* SPDX-License-Identifier: MIT */
/* caldav_ident.c - what makes two iCalendar texts the same entry: the UID
 * and a hash of the content as servers may rewrite it */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caldav_priv.h"
#include "util.h"

/* Walk the unfolded content lines of 'text' (RFC 5545 3.1), calling 'fn'
 * with each; a non-zero return stops the walk. */
typedef int (*line_fn)(const char *line, size_t n, void *ctx);

static int each_line(const char *text, struct buf *b, line_fn fn, void *ctx)
{
    const char *s = text;
    int rc;

    b->len = 0;
    while (*s) {
        if (*s == '\r') {
            s++;
            continue;
        }
        if (*s == '\n') {
            s++;
            /* RFC 5545 3.1: a line end then a space or tab continues */
            if (*s == ' ' || *s == '\t') {
                s++;
                continue;
            }
            if (b->len && (rc = fn(b->data, b->len, ctx)) != 0)
                return rc;
            b->len = 0;
            continue;
        }
        if (buf_add(b, s, 1) < 0)
            return -1;
        s++;
    }
    if (b->len)
        return fn(b->data, b->len, ctx);
    return 0;
}

static int name_is(const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);

    return n > k && strncasecmp(line, name, k) == 0 &&
           (line[k] == ':' || line[k] == ';');
}

struct hashing {
    uint64_t *h;
    size_t n, cap;
    int in_tz;
    int oom;
};

static uint64_t mix(uint64_t h, unsigned char c)
{
    return (h ^ c) * 1099511628211ULL; /* FNV-1a 64 */
}

static int hash_line(const char *line, size_t n, void *ctx)
{
    struct hashing *hs = ctx;
    uint64_t a = 14695981039346656037ULL, b = 0x9e3779b97f4a7c15ULL;
    size_t i;
    int in_value = 0, in_quote = 0;

    if (name_is(line, n, "BEGIN") && n >= 15 &&
        strncasecmp(line + 6, "VTIMEZONE", 9) == 0) {
        hs->in_tz = 1;
        return 0;
    }
    if (hs->in_tz) {
        if (name_is(line, n, "END") && n >= 13 &&
            strncasecmp(line + 4, "VTIMEZONE", 9) == 0)
            hs->in_tz = 0;
        return 0;
    }
    /* What servers stamp or rewrite on their own, and revision counters
     * that move without the content moving (tiara bumps SEQUENCE and
     * LAST-MODIFIED, and its host counters, when it takes in an edit that
     * changes nothing it keeps): none of these is an edit. */
    if (name_is(line, n, "DTSTAMP") || name_is(line, n, "PRODID") ||
        name_is(line, n, "CALSCALE") || name_is(line, n, "LAST-MODIFIED") ||
        name_is(line, n, "SEQUENCE") || name_is(line, n, "X-TIARA-HOST-SEQ") ||
        name_is(line, n, "X-TIARA-HOST-MODIFIED") ||
        (n > 6 && !strncasecmp(line, "X-LIC-", 6)))
        return 0;
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)line[i];

        if (!in_value) {
            if (c == '"') {
                /* quotes around parameter values are optional
                 * (RFC 5545 3.2) and servers add or drop them */
                in_quote = !in_quote;
                continue;
            }
            if (!in_quote && c == ':') {
                in_value = 1;
            } else if (c >= 'a' && c <= 'z') {
                /* names and parameters are case-insensitive (3.1); a case
                 * change in a quoted value is not worth a conflict */
                c = (unsigned char)(c - 'a' + 'A');
            }
        }
        a = mix(a, c);
        b = (b ^ c) * 0x100000001b3ULL + (b >> 29);
    }
    if (ALLOC_GROW(hs->h, hs->n + 2, hs->cap) < 0) {
        hs->oom = 1;
        return -1;
    }
    hs->h[hs->n++] = a;
    hs->h[hs->n++] = b;
    return 0;
}

static int cmp_pair(const void *x, const void *y)
{
    const uint64_t *a = x, *b = y;

    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    if (a[1] != b[1])
        return a[1] < b[1] ? -1 : 1;
    return 0;
}

void caldav_content_hash(const char *text, char out[CALDAV_HASH_LEN])
{
    struct hashing hs;
    struct buf b;
    uint64_t a = 14695981039346656037ULL, c = 0x84222325cbf29ce4ULL;
    size_t i, k;

    memset(&hs, 0, sizeof(hs));
    buf_init(&b);
    each_line(text ? text : "", &b, hash_line, &hs);
    /* Order does not matter: Xandikos and Radicale reorder properties.
     * Sorting the per-line hashes makes the whole a multiset hash. */
    if (hs.n) /* qsort wants an array, even for none */
        qsort(hs.h, hs.n / 2, 2 * sizeof(uint64_t), cmp_pair);
    for (i = 0; i < hs.n; i++) {
        for (k = 0; k < 8; k++) {
            unsigned char byte = (unsigned char)(hs.h[i] >> (8 * k));
            a = mix(a, byte);
            c = (c ^ byte) * 0x100000001b3ULL + (c >> 31);
        }
    }
    if (hs.oom) {
        /* cannot hash: a value no content has, so it counts as changed */
        snprintf(out, CALDAV_HASH_LEN, "%032x", 0);
    } else {
        snprintf(out, CALDAV_HASH_LEN, "%016llx%016llx", (unsigned long long)a,
                 (unsigned long long)c);
    }
    free(hs.h);
    buf_release(&b);
}

struct find_prop {
    const char *name;
    int in_tz;
    char *value;
};

static int prop_line(const char *line, size_t n, void *ctx)
{
    struct find_prop *f = ctx;

    if (name_is(line, n, "BEGIN") && n >= 15 &&
        strncasecmp(line + 6, "VTIMEZONE", 9) == 0)
        f->in_tz = 1;
    else if (name_is(line, n, "END") && n >= 13 &&
             strncasecmp(line + 4, "VTIMEZONE", 9) == 0)
        f->in_tz = 0;
    else if (!f->in_tz && name_is(line, n, f->name)) {
        const char *colon = memchr(line, ':', n);
        if (!colon)
            return 0;
        f->value = strndup(colon + 1, n - (size_t)(colon + 1 - line));
        return 1;
    }
    return 0;
}

char *caldav_ics_prop(const char *text, const char *name)
{
    struct find_prop f = {name, 0, NULL};
    struct buf b;

    buf_init(&b);
    each_line(text ? text : "", &b, prop_line, &f);
    buf_release(&b);
    return f.value;
}

char *caldav_ics_uid(const char *text)
{
    return caldav_ics_prop(text, "UID");
}

char *caldav_ics_with_uid(const char *text, const char *uid)
{
    struct buf b;
    const char *s = text;
    int rc = 0;

    buf_init(&b);
    while (*s && rc == 0) {
        const char *eol = strchr(s, '\n');
        size_t n = eol ? (size_t)(eol - s + 1) : strlen(s);

        if (strncasecmp(s, "UID:", 4) == 0) {
            rc = buf_printf(&b, "UID:%s\r\n", uid);
            /* drop folded continuation lines of the old UID */
            while (rc == 0 && eol && (eol[1] == ' ' || eol[1] == '\t')) {
                const char *next = strchr(eol + 1, '\n');
                n += next ? (size_t)(next - eol) : strlen(eol + 1);
                eol = next;
            }
        } else {
            rc = buf_add(&b, s, n);
        }
        s += n;
    }
    if (rc < 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_steal(&b);
}
