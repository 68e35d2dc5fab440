/* SPDX-License-Identifier: MIT */
/* tzif.c - a zone's offset changes read from its TZif file (RFC 8536):
 * the 64-bit transitions, then the POSIX TZ footer for the years after.
 * libical's zones come from the 32-bit data, which stops in 2038. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"
#include "tzif.h"
#include "util.h"

#define DAY 86400

struct ttype {
    int off, dst;
    char abbr[16];
};

/* A POSIX TZ rule date: Jn (1-365, no Feb 29), n (0-365) or Mm.w.d. */
struct rule_date {
    char form; /* 'J', 'N' or 'M' */
    int n, month, week, wday;
    long time; /* seconds into the day, -167h to 167h (RFC 8536 3.3.1) */
};

struct posix {
    int std_off, dst_off;
    char std_abbr[16], dst_abbr[16];
    int has_dst;
    int std_is_dst; /* daylight time all year, kept as one offset */
    struct rule_date start, end; /* into and out of daylight time */
};

struct tzif {
    int64_t *at;
    unsigned char *idx;
    size_t n;
    struct ttype *types;
    size_t ntypes;
    int has_rule;
    struct posix rule;
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* POSIX TZ: a name, "<+0530>" or letters. */
static const char *posix_name(const char *s, char *out, size_t n)
{
    const char *start = s, *end;

    if (*s == '<') {
        start = ++s;
        while (*s && *s != '>')
            s++;
        if (*s != '>')
            return NULL;
        end = s++;
    } else {
        while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
            s++;
        end = s;
    }
    if (end - start < 3 || (size_t)(end - start) >= n)
        return NULL;
    snprintf(out, n, "%.*s", (int)(end - start), start);
    return s;
}

/* [+-]h[:mm[:ss]] with hours up to 'max_hours'. */
static const char *posix_hms(const char *s, int max_hours, long *out)
{
    long sign = 1, v = 0, part;
    int i;

    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    for (i = 0; i < 3; i++) {
        if (i > 0) {
            if (*s != ':')
                break;
            s++;
        }
        if (*s < '0' || *s > '9')
            return NULL;
        part = 0;
        while (*s >= '0' && *s <= '9' && part <= 1000)
            part = part * 10 + (*s++ - '0');
        if (part > (i == 0 ? max_hours : 59))
            return NULL;
        v = v * 60 + part;
    }
    for (; i < 3; i++)
        v *= 60;
    *out = sign * v;
    return s;
}

static const char *posix_number(const char *s, int *out)
{
    long v = 0;

    if (*s < '0' || *s > '9')
        return NULL;
    while (*s >= '0' && *s <= '9' && v <= 1000)
        v = v * 10 + (*s++ - '0');
    *out = (int)v;
    return s;
}

static const char *posix_date(const char *s, struct rule_date *d)
{
    d->time = 2 * 3600;
    if (*s == 'M') {
        d->form = 'M';
        if (!(s = posix_number(s + 1, &d->month)) || *s++ != '.' ||
            !(s = posix_number(s, &d->week)) || *s++ != '.' ||
            !(s = posix_number(s, &d->wday)))
            return NULL;
        if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 ||
            d->wday > 6)
            return NULL;
    } else {
        d->form = *s == 'J' ? 'J' : 'N';
        if (!(s = posix_number(s + (*s == 'J'), &d->n)) ||
            d->n < (d->form == 'J') || d->n > 365)
            return NULL;
    }
    if (*s == '/')
        s = posix_hms(s + 1, 167, &d->time);
    return s;
}

static int posix_parse(const char *s, struct posix *p)
{
    long off;

    memset(p, 0, sizeof(*p));
    if (!(s = posix_name(s, p->std_abbr, sizeof(p->std_abbr))) ||
        !(s = posix_hms(s, 24, &off)))
        return -1;
    p->std_off = (int)-off; /* POSIX counts west of Greenwich */
    if (!*s)
        return 0;
    if (!(s = posix_name(s, p->dst_abbr, sizeof(p->dst_abbr))))
        return -1;
    p->has_dst = 1;
    p->dst_off = p->std_off + 3600;
    if (*s && *s != ',') {
        if (!(s = posix_hms(s, 24, &off)))
            return -1;
        p->dst_off = (int)-off;
    }
    if (!*s) /* tzcode's default rule, the US one */
        s = ",M3.2.0,M11.1.0";
    if (*s++ != ',' || !(s = posix_date(s, &p->start)) || *s++ != ',' ||
        !(s = posix_date(s, &p->end)))
        return -1;
    return *s ? -1 : 0;
}

/* Days since 1970-01-01 of the rule's day in 'year' (before its time). */
static int64_t rule_day(const struct rule_date *d, int year)
{
    struct civil c = {year, 1, 1, 0, 0, 0};
    int first, day, dim;

    if (d->form != 'M') {
        int n = d->n - (d->form == 'J');

        if (d->form == 'J' && tz_days_in_month(year, 2) == 29 && d->n >= 60)
            n++; /* Jn never counts February 29 */
        return tz_epoch_from_civil(&c) / DAY + n;
    }
    c.month = d->month;
    dim = tz_days_in_month(year, d->month);
    first = 1 + (d->wday - tz_weekday(&c) + 7) % 7;
    day = first + 7 * (d->week - 1);
    while (day > dim)
        day -= 7; /* week 5 is the last */
    c.day = day;
    return tz_epoch_from_civil(&c) / DAY;
}

/* The rule's change in 'year': into daylight time or out of it. */
static struct tz_change rule_change(const struct posix *p, int year, int into)
{
    const struct rule_date *d = into ? &p->start : &p->end;
    struct tz_change c;

    c.before = into ? p->std_off : p->dst_off;
    c.after = into ? p->dst_off : p->std_off;
    c.is_dst = into;
    snprintf(c.abbrev, sizeof(c.abbrev), "%s",
             into ? p->dst_abbr : p->std_abbr);
    c.at = rule_day(d, year) * DAY + d->time - c.before;
    return c;
}

/* The rule's first change after 't'. */
static struct tz_change rule_next(const struct posix *p, utc_t t)
{
    struct tz_change best = {0}, c;
    struct civil civ;
    int have = 0;

    tz_civil_from_epoch(t, &civ);
    for (int y = civ.year - 1; y <= civ.year + 1; y++)
        for (int into = 0; into < 2; into++) {
            c = rule_change(p, y, into);
            if (c.at > t && (!have || c.at < best.at)) {
                best = c;
                have = 1;
            }
        }
    return best;
}

/* RFC 8536 3.3.1: daylight time all year is a rule whose standard time
 * lasts no time; read it (or its opposite) as one fixed offset. */
static void posix_settle(struct posix *p)
{
    struct tz_change s1 = rule_change(p, 2001, 1), e1 = rule_change(p, 2001, 0);
    struct tz_change s2 = rule_change(p, 2002, 1), e2 = rule_change(p, 2002, 0);
    utc_t std_len, dst_len;

    if (s1.at < e1.at) {
        dst_len = e1.at - s1.at;
        std_len = s2.at - e1.at;
    } else {
        std_len = s1.at - e1.at;
        dst_len = e2.at - s1.at;
    }
    if (std_len <= 0) {
        p->std_off = p->dst_off;
        snprintf(p->std_abbr, sizeof(p->std_abbr), "%s", p->dst_abbr);
        p->has_dst = 0;
        p->std_is_dst = 1;
    } else if (dst_len <= 0) {
        p->has_dst = 0;
    }
}

/* The 64-bit data block (RFC 8536 3.2) of the file in 'b'. */
static int tzif_parse(const unsigned char *b, size_t len, struct tzif *z)
{
    size_t cnt[6], need, tsize = 4, pos = 0, i;
    const unsigned char *p;

    for (int pass = 0; pass < 2; pass++) {
        if (len - pos < 44 || memcmp(b + pos, "TZif", 4) != 0)
            return -1;
        for (i = 0; i < 6; i++)
            cnt[i] = be32(b + pos + 20 + 4 * i);
        if (cnt[3] > 100000 || cnt[4] > 256 || cnt[5] > 10000 ||
            cnt[2] > 10000 || cnt[0] > 256 || cnt[1] > 256)
            return -1;
        need = cnt[3] * (tsize + 1) + cnt[4] * 6 + cnt[5] +
               cnt[2] * (tsize + 4) + cnt[1] + cnt[0];
        if (len - pos - 44 < need)
            return -1;
        if (pass == 0 && b[pos + 4] < '2')
            break; /* version 1: the 32-bit data is all there is */
        if (pass == 0) {
            pos += 44 + need;
            tsize = 8;
        }
    }
    if (cnt[4] == 0 || cnt[5] == 0 || cnt[2] != 0)
        return -1; /* no types, or leap seconds (the right/ zones) */
    z->n = cnt[3];
    z->ntypes = cnt[4];
    z->at = calloc(z->n + 1, sizeof(*z->at));
    z->idx = calloc(z->n + 1, 1);
    z->types = calloc(z->ntypes, sizeof(*z->types));
    if (!z->at || !z->idx || !z->types)
        return -1;
    p = b + pos + 44;
    for (i = 0; i < z->n; i++, p += tsize) {
        z->at[i] = tsize == 8 ? be64(p) : (int32_t)be32(p);
        /* Past year 30000 the local-time arithmetic would overflow. */
        if ((i > 0 && z->at[i] <= z->at[i - 1]) || z->at[i] > 900000000000)
            return -1;
    }
    for (i = 0; i < z->n; i++)
        if ((z->idx[i] = *p++) >= z->ntypes)
            return -1;
    for (i = 0; i < z->ntypes; i++, p += 6) {
        const unsigned char *chars = p + (z->ntypes - i) * 6;
        int32_t off = (int32_t)be32(p);

        if (p[5] >= cnt[5] || off < -89999 || off > 93599)
            return -1;
        z->types[i].off = off;
        z->types[i].dst = p[4] != 0;
        snprintf(z->types[i].abbr, sizeof(z->types[i].abbr), "%.*s",
                 (int)strnlen((const char *)chars + p[5], cnt[5] - p[5]),
                 (const char *)chars + p[5]);
    }
    if (tsize == 4)
        return 0;
    /* The footer: "\n" TZ "\n" after the data. */
    p = b + pos + 44 + need;
    if (p >= b + len || *p != '\n')
        return -1;
    {
        const char *s = (const char *)p + 1;
        const char *nl = memchr(s, '\n', (size_t)(b + len - (p + 1)));
        char tz[128];

        if (!nl || nl - s >= (long)sizeof(tz))
            return -1;
        snprintf(tz, sizeof(tz), "%.*s", (int)(nl - s), s);
        if (!*tz)
            return 0;
        if (posix_parse(tz, &z->rule) < 0)
            return -1;
        z->has_rule = 1;
        if (z->rule.has_dst)
            posix_settle(&z->rule);
    }
    return 0;
}

static void tzif_release(struct tzif *z)
{
    free(z->at);
    free(z->idx);
    free(z->types);
}

static int tzif_load(const char *zone, struct tzif *z, struct err *err)
{
    const char *dir = getenv("TZDIR");
    char path[512];
    char *data = NULL;
    size_t len = 0;
    int ret;

    memset(z, 0, sizeof(*z));
    if (util_empty(zone) || zone[0] == '/' || strstr(zone, "..") ||
        strlen(zone) > 200)
        return err_set(err, ERR_INPUT, "'%s' is not a zone name",
                       zone ? zone : "");
    snprintf(path, sizeof(path), "%s/%s",
             util_empty(dir) ? "/usr/share/zoneinfo" : dir, zone);
    if (util_read_file(path, &data, &len, err) < 0)
        return -1;
    ret = tzif_parse((const unsigned char *)data, len, z);
    free(data);
    if (ret < 0) {
        tzif_release(z);
        return err_set(err, ERR_PARSE, "'%s' is not a valid zone file", path);
    }
    return 0;
}

static struct tz_change change_to(const struct tz_change *prev, utc_t at,
                                  const struct ttype *t)
{
    struct tz_change c = {at, prev->after, t->off, t->dst, {0}};

    snprintf(c.abbrev, sizeof(c.abbrev), "%s", t->abbr);
    return c;
}

static int same_state(const struct tz_change *a, const struct tz_change *b)
{
    return a->after == b->after && a->is_dst == b->is_dst &&
           strcmp(a->abbrev, b->abbrev) == 0;
}

/* Is 'c' exactly one of the rule's changes, offset before included? */
static int rule_says(const struct posix *p, const struct tz_change *c)
{
    struct tz_change r = rule_next(p, c->at - 1);

    return r.at == c->at && r.before == c->before && same_state(&r, c);
}

static int floor_div(long a, long b)
{
    return (int)(a / b - (a % b != 0 && (a < 0) != (b < 0)));
}

/* Day of the year, 1-365, in a year without February 29. */
static int plain_yday(int month, int day)
{
    static const int before[] = {0,   31,  59,  90,  120, 151,
                                 181, 212, 243, 273, 304, 334};

    return before[month - 1] + day;
}

/* Move a day of the year (negative: from its end) by 'shift' days. One
 * pushed into the next or last year is that year's day: the rule recurs
 * yearly, so the days it names are the same. */
static int shift_yday(int v, int shift)
{
    int w = v + shift;

    if (v < 0 && w >= 0)
        return w + 1;
    if (v > 0 && w <= 0)
        return w - 1;
    return w;
}

/* The rule date 'd' as a yearly calendar rule. A time of day past 24:00
 * or before 0:00 moves the day: "the Friday after the last Thursday". */
static int yearly_of(const struct rule_date *d, struct tz_yearly *y)
{
    int shift = floor_div(d->time, DAY), lo, hi, dim, feb_last;

    memset(y, 0, sizeof(*y));
    y->secs = (int)(d->time - (long)shift * DAY);
    if (d->form != 'M') {
        /* Jn has no February 29: only days from March on (counted from
         * the year's end) or before it keep their place. */
        int v = d->form == 'N' ? d->n + 1 : d->n >= 60 ? d->n - 366 : d->n;
        int w = shift_yday(v, shift);

        if ((d->form == 'J' && (v > 0 ? v + shift >= 60 : v + shift < -306)) ||
            w > 365 || w < -365)
            return -1;
        y->wday = -1;
        y->days[y->ndays++] = w;
        return 0;
    }
    if (shift == 0) {
        y->month = d->month;
        y->week = d->week == 5 ? -1 : d->week;
        y->wday = d->wday;
        return 0;
    }
    y->wday = ((d->wday + shift) % 7 + 7) % 7;
    feb_last = d->month == 2 && d->week == 5;
    dim = d->month == 2 ? 28 : tz_days_in_month(2001, d->month);
    lo = feb_last ? -7 : d->week == 5 ? dim - 6 : 7 * d->week - 6;
    hi = lo + 6;
    if (feb_last ? lo + shift >= -28 && hi + shift <= -1
                 : lo + shift >= 1 && hi + shift <= dim) {
        y->month = d->month;
        for (int v = lo; v <= hi; v++)
            y->days[y->ndays++] = v + shift;
        return 0;
    }
    /* Into the month before or after: days of the year, counted from
     * the end from March on so that February 29 moves nothing. */
    for (int v = lo; v <= hi; v++) {
        int base = feb_last        ? v - 306
                   : d->month <= 2 ? plain_yday(d->month, v)
                                   : plain_yday(d->month, v) - 366;

        y->days[y->ndays++] = shift_yday(base, shift);
    }
    return 0;
}

static int push(struct tz_story *s, size_t *cap, const struct tz_change *c)
{
    if (ALLOC_GROW(s->changes, s->n + 1, *cap) < 0)
        return -1;
    s->changes[s->n++] = *c;
    return 0;
}

/* What the footer says is in force at 't', after the last transition. */
static struct tz_change rule_state(const struct posix *p, utc_t t)
{
    struct tz_change c = {t, p->std_off, p->std_off, p->std_is_dst, {0}};

    snprintf(c.abbrev, sizeof(c.abbrev), "%s", p->std_abbr);
    if (p->has_dst) {
        struct tz_change next = rule_next(p, t);

        c.before = c.after = next.before;
        c.is_dst = !next.is_dst;
        snprintf(c.abbrev, sizeof(c.abbrev), "%s",
                 next.is_dst ? p->std_abbr : p->dst_abbr);
    }
    return c;
}

/* Hand the yearly rule over from the earliest change from which the
 * transitions and the rule agree: fat zone files repeat the rule's
 * changes up to 2037, and a long explicit list helps nobody. */
static int take_rule(const struct posix *p, struct tz_story *s)
{
    size_t k = s->n - 3;

    if (!rule_says(p, &s->changes[k]))
        k++; /* the offset before the first one was not the rule's */
    if (!rule_says(p, &s->changes[k]))
        return -1;
    while (k > 0 && rule_says(p, &s->changes[k - 1]) &&
           rule_next(p, s->changes[k - 1].at).at == s->changes[k].at)
        k--;
    for (int i = 0; i < 2; i++) {
        const struct tz_change *c = &s->changes[k + (size_t)i];

        s->first[i] = *c;
        if (yearly_of(c->is_dst ? &p->start : &p->end, &s->yearly[i]) < 0)
            return -1;
    }
    s->n = k;
    s->nyearly = 2;
    return 0;
}

int tz_story_load(const char *zone, utc_t from, struct tz_story *out,
                  struct err *err)
{
    struct tzif z;
    struct tz_story s;
    struct tz_change prev, c;
    const struct ttype *t;
    size_t cap = 0, i = 0;
    int ret = -1;

    if (tzif_load(zone, &z, err) < 0)
        return -1;
    memset(&s, 0, sizeof(s));
    while (i < z.n && z.at[i] <= from)
        i++;
    /* RFC 8536 3.2: type 0 is in force before the first transition. */
    t = &z.types[i ? z.idx[i - 1] : 0];
    s.now = (struct tz_change){from, t->off, t->off, t->dst, {0}};
    snprintf(s.now.abbrev, sizeof(s.now.abbrev), "%s", t->abbr);
    if (i == z.n && z.has_rule)
        s.now = rule_state(&z.rule, from);
    prev = s.now;
    for (; i < z.n; i++) {
        c = change_to(&prev, z.at[i], &z.types[z.idx[i]]);
        if (same_state(&c, &prev))
            continue;
        if (push(&s, &cap, &c) < 0)
            goto nomem;
        prev = c;
    }
    if (z.has_rule && z.rule.has_dst) {
        utc_t after = z.n && z.at[z.n - 1] > from ? z.at[z.n - 1] : from;

        for (int j = 0; j < 3; j++) {
            c = rule_next(&z.rule, after);
            c.before = prev.after;
            if (push(&s, &cap, &c) < 0)
                goto nomem;
            prev = c;
            after = c.at;
        }
        if (take_rule(&z.rule, &s) < 0) {
            err_set(err, ERR_PARSE,
                    "zone '%s': its yearly rule cannot be written as a "
                    "calendar rule",
                    zone);
            goto out;
        }
    }
    *out = s;
    s.changes = NULL;
    ret = 0;
    goto out;
nomem:
    err_set(err, ERR_NOMEM, "out of memory");
out:
    free(s.changes);
    tzif_release(&z);
    return ret;
}

void tz_story_release(struct tz_story *s)
{
    if (!s)
        return;
    free(s->changes);
    s->changes = NULL;
    s->n = 0;
}

static int mark_push(struct tz_table *t, size_t *cap, utc_t at, int off,
                     int dst)
{
    if (ALLOC_GROW(t->marks, t->n + 1, *cap) < 0)
        return -1;
    t->marks[t->n++] = (struct tz_mark){at, off, dst};
    return 0;
}

/* The story's changes, then (with a yearly rule) the rule's own changes
 * for one whole 400-year cycle past the first of them, after which the
 * lookup folds an instant back by whole cycles. */
int tz_table_load(const char *zone, utc_t from, struct tz_table *out,
                  struct err *err)
{
    struct tz_story s;
    struct tzif z;
    struct tz_table t = {0};
    size_t cap = 0;
    int ret = -1;

    if (tz_story_load(zone, from, &s, err) < 0)
        return -1;
    if (s.nyearly && tzif_load(zone, &z, err) < 0) {
        tz_story_release(&s);
        return -1;
    }
    if (mark_push(&t, &cap, from, s.now.after, s.now.is_dst) < 0)
        goto out;
    for (size_t i = 0; i < s.n; i++)
        if (mark_push(&t, &cap, s.changes[i].at, s.changes[i].after,
                      s.changes[i].is_dst) < 0)
            goto out;
    if (s.nyearly) {
        struct tz_change c = s.first[0];

        t.cycle_from = c.at;
        while (c.at <= t.cycle_from + TZ_CYCLE) {
            if (mark_push(&t, &cap, c.at, c.after, c.is_dst) < 0)
                goto out;
            c = rule_next(&z.rule, c.at);
        }
    }
    *out = t;
    t.marks = NULL;
    ret = 0;
out:
    if (ret < 0)
        err_set(err, ERR_NOMEM, "out of memory");
    free(t.marks);
    if (s.nyearly)
        tzif_release(&z);
    tz_story_release(&s);
    return ret;
}

void tz_table_release(struct tz_table *t)
{
    if (!t)
        return;
    free(t->marks);
    t->marks = NULL;
    t->n = 0;
}

int tz_table_offset(struct tz_table *t, utc_t at, int *is_dst)
{
    size_t lo = 0, hi = t->n, k = t->last;

    if (t->cycle_from && at >= t->cycle_from + TZ_CYCLE)
        at -= (at - t->cycle_from) / TZ_CYCLE * TZ_CYCLE;
    /* a listing's instants come close together: try the last mark first */
    if (k < t->n && (k == 0 || t->marks[k].at <= at) &&
        (k + 1 == t->n || at < t->marks[k + 1].at))
        lo = hi = k;
    /* the last mark at or before 'at'; marks[0] also holds before */
    while (hi > lo + 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (t->marks[mid].at <= at)
            lo = mid;
        else
            hi = mid;
    }
    t->last = lo;
    if (is_dst)
        *is_dst = t->marks[lo].dst;
    return t->marks[lo].off;
}
