/* SPDX-License-Identifier: MIT */
/* ics_import_scan.c - the first pass of a streamed import: where each
 * component of the file starts and ends, which pass takes it, and the
 * calendar's own lines and VTIMEZONEs, without parsing any component */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics_priv.h"
#include "util.h"

#define MAX_DEPTH 16

/* What one component's own lines said (those of its subcomponents
 * aside), as far as the raw text can tell. */
struct looks {
    int removed; /* an X-TIARA-REMOVED line */
    int kind;    /* 0 none, 1 "interview", 2 another, 3 cannot tell */
    int rid;     /* 0 none, 1 a plain RECURRENCE-ID, 2 cannot tell */
    int uid;     /* 0 none, 1 a plain UID, 2 cannot tell */
    uint64_t uid_hash;
};

struct scanner {
    struct ics_scan *out;
    struct buf line; /* the logical line, unfolded (RFC 5545 3.1) */
    struct buf raw;  /* the same line as the file has it */
    long long line_at, pos;
    int depth; /* 1 inside VCALENDAR, 2 inside a top-level component */
    char names[MAX_DEPTH][32];
    int in_zone, done;
    struct looks lk;
};

uint64_t ics_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;

    while (n--)
        h = (h ^ *s++) * 1099511628211ULL; /* FNV-1a */
    return h;
}

static int odd(struct scanner *sc)
{
    sc->out->stream = 0;
    return 0;
}

/* "NAME:VALUE" with no parameters, the value in 'set' characters only. */
static const char *plain_value(const char *line, size_t nl, const char *set)
{
    const char *v = line + nl + 1;

    if (line[nl] != ':' || !*v || strspn(v, set) != strlen(v))
        return NULL;
    return v;
}

static int name_is(const char *line, size_t nl, const char *name)
{
    return strlen(name) == nl && strncmp(line, name, nl) == 0;
}

/* Only the lines that decide its pass (import_calendar's order): the
 * lowest pass it can be in is chosen when the text leaves a doubt. */
static void look_at(struct looks *lk, const char *line, size_t nl)
{
    static const char digits[] = "0123456789TZ";
    const char *v;

    if (name_is(line, nl, X_REMOVED)) {
        lk->removed = 1;
    } else if (name_is(line, nl, X_KIND) && !lk->kind) {
        v = plain_value(line, nl, "abcdefghijklmnopqrstuvwxyz");
        lk->kind = !v ? 3 : strcmp(v, "interview") == 0 ? 1 : 2;
    } else if (nl == 13 && strncasecmp(line, "RECURRENCE-ID", nl) == 0) {
        v = strrchr(line, ':');
        /* A date or date-time libical cannot fail to read: a plain one,
         * or one with its TZID alone */
        if (lk->rid != 2 && v && name_is(line, nl, "RECURRENCE-ID") &&
            (line[nl] == ':' ||
             (strncmp(line + nl, ";TZID=", 6) == 0 &&
              strcspn(line + nl + 1, ";:\"") == (size_t)(v - line - nl - 1))) &&
            (strlen(v + 1) == 8 || strlen(v + 1) == 15 ||
             strlen(v + 1) == 16) &&
            strspn(v + 1, digits) == strlen(v + 1))
            lk->rid = 1;
        else
            lk->rid = 2;
    } else if (nl == 3 && strncasecmp(line, "UID", 3) == 0 && !lk->uid) {
        /* libical trims the value and reads escapes: only a UID with
         * neither is known before it parses it */
        v = line[nl] == ':' ? line + nl + 1 : NULL;
        if (v && (!*v || strpbrk(v, "\\,; \t") || !name_is(line, nl, "UID")))
            v = NULL;
        lk->uid = v ? 1 : 2;
        if (lk->uid == 1)
            lk->uid_hash = ics_hash(ICS_HASH_SEED, v, strlen(v));
    }
}

static int block_pass(const char *name, const struct looks *lk)
{
    if (lk->removed)
        return 0;
    if (strcmp(name, "VEVENT") != 0 || lk->kind == 2)
        return 2;
    return lk->rid == 1 ? 1 : 0;
}

static int end_block(struct scanner *sc)
{
    struct ics_scan *s = sc->out;
    struct ics_block *b = &s->v[s->n - 1];
    const struct looks *lk = &sc->lk;

    b->len = (size_t)(sc->pos - b->at);
    b->pass = (unsigned char)block_pass(sc->names[1], lk);
    b->event = strcmp(sc->names[1], "VEVENT") == 0;
    b->rid = lk->rid;
    b->uid_hash = lk->uid == 1 ? lk->uid_hash : 0;
    if (b->event && lk->rid) {
        if (lk->uid != 1)
            s->rid_unsure = 1;
        else if (ALLOC_GROW(s->rid_uids, s->nrid + 1, s->rid_cap) < 0)
            return -1;
        else
            s->rid_uids[s->nrid++] = lk->uid_hash;
    }
    return 0;
}

/* A BEGIN or END line: "BEGIN:NAME", the name in capitals; any other
 * form is left to the whole-file reader. */
static const char *component_name(const char *line, size_t nl)
{
    const char *v =
        plain_value(line, nl, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

    return v && strlen(v) < 32 ? v : NULL;
}

static int add_shell(struct scanner *sc)
{
    return buf_add(&sc->out->shell, sc->raw.data, sc->raw.len);
}

static int begin(struct scanner *sc, const char *name)
{
    struct ics_scan *s = sc->out;

    if (sc->depth == 0) {
        if (strcmp(name, "VCALENDAR") != 0 || sc->done)
            return odd(sc);
        sc->depth = 1;
        return 0;
    }
    if (sc->depth >= MAX_DEPTH || strcmp(name, "VCALENDAR") == 0)
        return odd(sc);
    snprintf(sc->names[sc->depth], sizeof(sc->names[0]), "%s", name);
    if (++sc->depth > 2)
        return sc->in_zone ? add_shell(sc) : 0;
    if (strcmp(name, "VTIMEZONE") == 0) {
        sc->in_zone = 1;
        return add_shell(sc);
    }
    if (ALLOC_GROW(s->v, s->n + 1, s->cap) < 0)
        return -1;
    memset(&s->v[s->n], 0, sizeof(s->v[0]));
    s->v[s->n++].at = sc->line_at;
    memset(&sc->lk, 0, sizeof(sc->lk));
    return 0;
}

static int end(struct scanner *sc, const char *name)
{
    if (sc->depth == 0)
        return odd(sc);
    if (sc->depth == 1) {
        if (strcmp(name, "VCALENDAR") != 0)
            return odd(sc);
        sc->depth = 0;
        sc->done = 1;
        return 0;
    }
    if (strcmp(name, sc->names[sc->depth - 1]) != 0)
        return odd(sc);
    if (--sc->depth > 1)
        return sc->in_zone ? add_shell(sc) : 0;
    if (sc->in_zone) {
        sc->in_zone = 0;
        return add_shell(sc);
    }
    return end_block(sc);
}

/* One logical line, unfolded, without its line end. */
static int logical(struct scanner *sc)
{
    const char *line = sc->line.data ? sc->line.data : "";
    size_t nl = strcspn(line, ";:");
    const char *name;

    if (strspn(line, " \t") == strlen(line))
        return sc->depth >= 2 && sc->in_zone ? add_shell(sc) : 0;
    if (nl == 5 && strncasecmp(line, "BEGIN", 5) == 0) {
        if (!(name = component_name(line, nl)))
            return odd(sc);
        return begin(sc, name);
    }
    if (nl == 3 && strncasecmp(line, "END", 3) == 0) {
        if (!(name = component_name(line, nl)))
            return odd(sc);
        return end(sc, name);
    }
    if (sc->depth == 0)
        return odd(sc); /* text outside the calendar */
    if (sc->depth == 1 || sc->in_zone)
        return add_shell(sc);
    if (sc->depth == 2)
        look_at(&sc->lk, line, nl);
    return 0;
}

/* A physical line: checked, then joined to the logical line it
 * continues, or the start of the next. */
static int physical(struct scanner *sc, char *p, size_t n)
{
    struct ics_scan *s = sc->out;
    size_t body = n;

    if (memchr(p, '\0', n) || util_utf8_prefix(p) != n)
        return odd(sc); /* the whole-file reader names the line */
    if (!s->has_begin && strcasestr(p, "BEGIN:VCALENDAR"))
        s->has_begin = 1;
    while (body && (p[body - 1] == '\n' || p[body - 1] == '\r'))
        body--;
    if (n && (*p == ' ' || *p == '\t') && sc->raw.len) {
        if (buf_add(&sc->line, p + 1, body - 1) < 0 ||
            buf_add(&sc->raw, p, n) < 0)
            return -1;
        return 0;
    }
    if (sc->raw.len && logical(sc) < 0)
        return -1;
    sc->line.len = sc->raw.len = 0;
    sc->line_at = sc->pos;
    if (buf_add(&sc->line, p, body) < 0 || buf_add(&sc->raw, p, n) < 0 ||
        (!sc->line.data && buf_adds(&sc->line, "") < 0))
        return -1;
    return 0;
}

int ics_scan_file(FILE *f, const char *source, struct ics_scan *s,
                  struct err *err)
{
    struct scanner sc;
    char *p = NULL;
    size_t cap = 0;
    ssize_t n;
    int ret = -1;

    memset(s, 0, sizeof(*s));
    memset(&sc, 0, sizeof(sc));
    sc.out = s;
    s->stream = 1;
    buf_init(&sc.line);
    buf_init(&sc.raw);
    buf_init(&s->shell);
    buf_adds(&s->shell, "BEGIN:VCALENDAR\r\n");
    while (s->stream && (n = getline(&p, &cap, f)) > 0) {
        char *q = p;

        if (sc.pos == 0 && strncmp(p, "\xef\xbb\xbf", 3) == 0)
            q += 3, n -= 3; /* a UTF-8 byte order mark, as Windows writes it */
        if (physical(&sc, q, (size_t)n) < 0)
            goto nomem;
        sc.pos += q - p + n;
    }
    if (ferror(f)) {
        err_set(err, ERR_IO, "cannot read '%s': %s", source, strerror(errno));
        goto out;
    }
    if (s->stream && sc.raw.len && logical(&sc) < 0)
        goto nomem;
    if (!sc.done || !s->has_begin)
        s->stream = 0;
    if (buf_adds(&s->shell, "END:VCALENDAR\r\n") < 0 || s->shell.failed)
        goto nomem;
    ret = 0;
    goto out;
nomem:
    err_set(err, ERR_NOMEM, "out of memory");
out:
    free(p);
    buf_release(&sc.line);
    buf_release(&sc.raw);
    if (ret < 0)
        ics_scan_release(s);
    return ret;
}

void ics_scan_release(struct ics_scan *s)
{
    if (!s)
        return;
    free(s->v);
    free(s->rid_uids);
    buf_release(&s->shell);
    memset(s, 0, sizeof(*s));
}
