/* SPDX-License-Identifier: MIT */
/* caldav_merge.c - a local change applied to the text a server holds, so
 * that what other clients wrote there survives byte for byte */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caldav_priv.h"
#include "util.h"

/* One content line as written (folded, with its line end) and unfolded
 * without the line end, for comparing. */
struct line {
    const char *raw;
    size_t len;
    char name[64]; /* upper case, up to ';' or ':' */
    char *norm;
};

/* A component: its BEGIN and END lines, properties and children. */
struct comp {
    char name[32];
    struct line begin, end;
    struct line *props;
    size_t np, capp;
    struct comp *kids;
    size_t nk, capk;
    char *key; /* UID and RECURRENCE-ID of an event, task or journal */
};

static void comp_release(struct comp *c)
{
    for (size_t i = 0; i < c->np; i++)
        free(c->props[i].norm);
    free(c->props);
    for (size_t i = 0; i < c->nk; i++)
        comp_release(&c->kids[i]);
    free(c->kids);
    free(c->begin.norm);
    free(c->end.norm);
    free(c->key);
    memset(c, 0, sizeof(*c));
}

/* The next logical line at *p: a physical line and its continuations. */
static int next_line(const char **p, struct line *out)
{
    const char *s = *p, *e = s;
    struct buf b;
    size_t n;

    if (!*s)
        return 0;
    for (;;) {
        const char *nl = strchr(e, '\n');

        e = nl ? nl + 1 : e + strlen(e);
        if (*e != ' ' && *e != '\t')
            break;
    }
    out->raw = s;
    out->len = (size_t)(e - s);
    buf_init(&b);
    for (const char *q = s; q < e; q++) {
        if (*q == '\r')
            continue;
        if (*q == '\n') {
            if (q + 1 < e)
                q++; /* the continuation's leading space */
            continue;
        }
        buf_add(&b, q, 1);
    }
    out->norm = buf_steal(&b);
    if (!out->norm)
        return -1;
    n = strcspn(out->norm, ";:");
    if (n >= sizeof(out->name))
        n = sizeof(out->name) - 1;
    for (size_t i = 0; i < n; i++)
        out->name[i] = (char)toupper((unsigned char)out->norm[i]);
    out->name[n] = '\0';
    *p = e;
    return 1;
}

static const char *value_of(const struct line *l)
{
    const char *colon = strchr(l->norm, ':');

    return colon ? colon + 1 : "";
}

static int set_key(struct comp *c)
{
    const char *uid = "", *rid = "";
    struct buf b;

    if (strcmp(c->name, "VEVENT") && strcmp(c->name, "VTODO") &&
        strcmp(c->name, "VJOURNAL"))
        return 0;
    for (size_t i = 0; i < c->np; i++) {
        if (strcmp(c->props[i].name, "UID") == 0)
            uid = value_of(&c->props[i]);
        else if (strcmp(c->props[i].name, "RECURRENCE-ID") == 0)
            rid = value_of(&c->props[i]);
    }
    buf_init(&b);
    buf_printf(&b, "%s\n%s", uid, rid);
    c->key = buf_steal(&b);
    return c->key ? 0 : -1;
}

/* Read one component whose BEGIN line is 'begin'; -1 when malformed. */
static int parse_comp(const char **p, struct line *begin, struct comp *c,
                      int depth)
{
    struct line l;
    int rc;

    memset(c, 0, sizeof(*c));
    c->begin = *begin;
    snprintf(c->name, sizeof(c->name), "%s", value_of(begin));
    for (char *q = c->name; *q; q++)
        *q = (char)toupper((unsigned char)*q);
    while ((rc = next_line(p, &l)) == 1) {
        if (strcmp(l.name, "END") == 0) {
            c->end = l;
            return set_key(c);
        }
        if (strcmp(l.name, "BEGIN") == 0) {
            if (depth > 4 || ALLOC_GROW(c->kids, c->nk + 1, c->capk) < 0 ||
                parse_comp(p, &l, &c->kids[c->nk], depth + 1) < 0) {
                free(l.norm);
                return -1;
            }
            c->nk++;
            continue;
        }
        if (ALLOC_GROW(c->props, c->np + 1, c->capp) < 0) {
            free(l.norm);
            return -1;
        }
        c->props[c->np++] = l;
    }
    return -1; /* no END */
}

static int parse_calendar(const char *text, struct comp *cal)
{
    const char *p = text;
    struct line l;

    memset(cal, 0, sizeof(*cal));
    if (next_line(&p, &l) != 1)
        return -1;
    if (strcmp(l.norm, "BEGIN:VCALENDAR") != 0 &&
        strcasecmp(l.norm, "BEGIN:VCALENDAR") != 0) {
        free(l.norm);
        return -1;
    }
    if (parse_comp(&p, &l, cal, 0) < 0) {
        comp_release(cal);
        return -1;
    }
    return 0;
}

static struct comp *find_kid(const struct comp *cal, const char *key)
{
    for (size_t i = 0; i < cal->nk; i++)
        if (cal->kids[i].key && strcmp(cal->kids[i].key, key) == 0)
            return &cal->kids[i];
    return NULL;
}

static const struct comp *find_zone(const struct comp *cal, const char *tzid)
{
    for (size_t i = 0; i < cal->nk; i++) {
        const struct comp *z = &cal->kids[i];

        if (strcmp(z->name, "VTIMEZONE") != 0)
            continue;
        for (size_t j = 0; j < z->np; j++)
            if (strcmp(z->props[j].name, "TZID") == 0 &&
                strcmp(value_of(&z->props[j]), tzid) == 0)
                return z;
    }
    return NULL;
}

/* Do 'a' and 'b' hold the same lines called 'name', in the same order? */
static int same_prop(const struct comp *a, const struct comp *b,
                     const char *name)
{
    size_t i = 0, j = 0;

    for (;;) {
        while (i < a->np && strcmp(a->props[i].name, name) != 0)
            i++;
        while (j < b->np && strcmp(b->props[j].name, name) != 0)
            j++;
        if (i == a->np || j == b->np)
            return i == a->np && j == b->np;
        if (strcmp(a->props[i].norm, b->props[j].norm) != 0)
            return 0;
        i++;
        j++;
    }
}

static int has_prop(const struct comp *c, const char *name)
{
    for (size_t i = 0; i < c->np; i++)
        if (strcmp(c->props[i].name, name) == 0)
            return 1;
    return 0;
}

/* The component as text, unfolded, for comparing whole alarms. */
static void comp_norm(const struct comp *c, struct buf *out)
{
    buf_adds(out, c->begin.norm);
    buf_adds(out, "\n");
    for (size_t i = 0; i < c->np; i++) {
        buf_adds(out, c->props[i].norm);
        buf_adds(out, "\n");
    }
    for (size_t i = 0; i < c->nk; i++)
        comp_norm(&c->kids[i], out);
    buf_adds(out, c->end.norm);
    buf_adds(out, "\n");
}

static int comp_equal(const struct comp *a, const struct comp *b)
{
    struct buf x, y;
    int eq;

    buf_init(&x);
    buf_init(&y);
    comp_norm(a, &x);
    comp_norm(b, &y);
    eq = !x.failed && !y.failed && x.data && y.data &&
         strcmp(x.data, y.data) == 0;
    buf_release(&x);
    buf_release(&y);
    return eq;
}

static int in_kids(const struct comp *set, const struct comp *c)
{
    for (size_t i = 0; set && i < set->nk; i++)
        if (comp_equal(&set->kids[i], c))
            return 1;
    return 0;
}

static void emit_raw(struct buf *out, const struct comp *c)
{
    buf_add(out, c->begin.raw, c->begin.len);
    for (size_t i = 0; i < c->np; i++)
        buf_add(out, c->props[i].raw, c->props[i].len);
    for (size_t i = 0; i < c->nk; i++)
        emit_raw(out, &c->kids[i]);
    buf_add(out, c->end.raw, c->end.len);
}

static void emit_lines(struct buf *out, const struct comp *c, const char *name)
{
    for (size_t i = 0; i < c->np; i++)
        if (strcmp(c->props[i].name, name) == 0)
            buf_add(out, c->props[i].raw, c->props[i].len);
}

/* A property tiara changed since the agreement ('base'), or has and the
 * base lacked: local's lines replace the server's. */
static int changed_here(const struct comp *base, const struct comp *local,
                        const char *name)
{
    return !base || !same_prop(base, local, name);
}

/* The server's component with the properties and alarms tiara changed. */
static void emit_merged(struct buf *out, const struct comp *base,
                        const struct comp *local, const struct comp *remote)
{
    int alarms_changed = 0;
    size_t nb = 0, nl = 0;

    buf_add(out, remote->begin.raw, remote->begin.len);
    for (size_t i = 0; i < remote->np; i++) {
        const char *name = remote->props[i].name;
        int first = 1;

        for (size_t j = 0; j < i && first; j++)
            first = strcmp(remote->props[j].name, name) != 0;
        if (!(has_prop(local, name) || (base && has_prop(base, name))) ||
            !changed_here(base, local, name))
            buf_add(out, remote->props[i].raw, remote->props[i].len);
        else if (first)
            emit_lines(out, local, name); /* in the server's place */
    }
    /* what tiara added that the server does not have at all */
    for (size_t i = 0; i < local->np; i++) {
        const char *name = local->props[i].name;
        int first = 1;

        for (size_t j = 0; j < i && first; j++)
            first = strcmp(local->props[j].name, name) != 0;
        if (first && !has_prop(remote, name) && changed_here(base, local, name))
            emit_lines(out, local, name);
    }
    /* Alarms as sets: the server's own stay; tiara's old ones give way to
     * its new ones when they changed. */
    for (size_t i = 0; base && i < base->nk; i++)
        nb += strcmp(base->kids[i].name, "VALARM") == 0;
    for (size_t i = 0; i < local->nk; i++)
        nl += strcmp(local->kids[i].name, "VALARM") == 0;
    alarms_changed = !base || nb != nl;
    for (size_t i = 0; !alarms_changed && i < local->nk; i++)
        alarms_changed = !in_kids(base, &local->kids[i]);
    for (size_t i = 0; i < remote->nk; i++) {
        const struct comp *k = &remote->kids[i];

        if (!alarms_changed || strcmp(k->name, "VALARM") != 0 ||
            !in_kids(base, k))
            emit_raw(out, k);
    }
    for (size_t i = 0; alarms_changed && i < local->nk; i++)
        if (!in_kids(remote, &local->kids[i]) || in_kids(base, &local->kids[i]))
            emit_raw(out, &local->kids[i]);
    buf_add(out, remote->end.raw, remote->end.len);
}

char *caldav_merge(const char *base, const char *local, const char *remote)
{
    struct comp b, l, r;
    struct buf out;
    char *text = NULL;
    int have_base;

    if (!local || !remote || parse_calendar(local, &l) < 0)
        return NULL;
    if (parse_calendar(remote, &r) < 0) {
        comp_release(&l);
        return NULL;
    }
    have_base = base && parse_calendar(base, &b) == 0;
    buf_init(&out);
    buf_add(&out, r.begin.raw, r.begin.len);
    for (size_t i = 0; i < r.np; i++)
        buf_add(&out, r.props[i].raw, r.props[i].len);
    for (size_t i = 0; i < r.nk; i++) {
        const struct comp *rk = &r.kids[i];
        const struct comp *lk = rk->key ? find_kid(&l, rk->key) : NULL;
        const struct comp *bk =
            rk->key && have_base ? find_kid(&b, rk->key) : NULL;

        if (lk)
            emit_merged(&out, bk, lk, rk);
        else if (!bk)
            emit_raw(&out, rk); /* the server's own, or a zone */
        /* else: tiara removed it since the agreement */
    }
    for (size_t i = 0; i < l.nk; i++) {
        const struct comp *lk = &l.kids[i];

        if (lk->key && !find_kid(&r, lk->key)) {
            emit_raw(&out, lk);
        } else if (strcmp(lk->name, "VTIMEZONE") == 0) {
            for (size_t j = 0; j < lk->np; j++)
                if (strcmp(lk->props[j].name, "TZID") == 0 &&
                    !find_zone(&r, value_of(&lk->props[j])))
                    emit_raw(&out, lk);
        }
    }
    buf_add(&out, r.end.raw, r.end.len);
    text = buf_steal(&out);
    comp_release(&l);
    comp_release(&r);
    if (have_base)
        comp_release(&b);
    return text;
}
