/* SPDX-License-Identifier: MIT */
/* timer.c - the meeting clock's schedule: phases, warnings, overtime; pure,
 * so every case can be tested at a fixed instant */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timer.h"
#include "util.h"

void timer_agenda_default(struct timer_agenda *out)
{
    static const struct timer_phase split[] = {
        {"small talk", 5 * 60L},
        {"questions", 20 * 60L},
        {"next steps", 5 * 60L},
    };

    memset(out, 0, sizeof(*out));
    out->n = 3;
    memcpy(out->phase, split, sizeof(split));
}

/* Copy [s, e) trimmed of blanks into 'out' (size n); 0 if empty. */
static size_t copy_trimmed(const char *s, const char *e, char *out, size_t n)
{
    size_t len;

    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    len = (size_t)(e - s);
    if (len >= n)
        return len; /* the caller reports it as too long */
    memcpy(out, s, len);
    out[len] = '\0';
    return len;
}

/* A length in seconds: a bare number is minutes, as everywhere in tiara. */
static int parse_len(const char *s, long *secs, struct err *err)
{
    long v;

    if (util_parse_long(s, 0, 24 * 60L, &v) == 0) {
        *secs = v * 60;
        return 0;
    }
    return util_parse_duration(s, secs, err);
}

int timer_agenda_parse(const char *s, struct timer_agenda *out, struct err *err)
{
    struct timer_agenda ag;
    const char *p = s;
    long total = 0;

    memset(&ag, 0, sizeof(ag));
    if (util_empty(s))
        return err_set(err, ERR_INPUT, "empty agenda");
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *colon = memchr(p, ':', (size_t)(end - p));
        char num[32];
        struct timer_phase *ph;
        size_t len;
        long secs;

        if (ag.n == TIMER_MAX_PHASES)
            return err_set(err, ERR_INPUT, "agenda has more than %d phases",
                           TIMER_MAX_PHASES);
        ph = &ag.phase[ag.n];
        if (!colon)
            return err_set(err, ERR_INPUT,
                           "agenda part '%.*s' has no length (try "
                           "\"intro:5,questions:20,next:5\")",
                           (int)(end - p), p);
        len = copy_trimmed(p, colon, ph->name, sizeof(ph->name));
        if (len == 0)
            return err_set(err, ERR_INPUT, "agenda part '%.*s' has no name",
                           (int)(end - p), p);
        if (len >= sizeof(ph->name))
            return err_set(err, ERR_INPUT,
                           "agenda phase name '%.*s' is too long",
                           (int)(colon - p), p);
        if (copy_trimmed(colon + 1, end, num, sizeof(num)) >= sizeof(num))
            return err_set(err, ERR_INPUT, "cannot read agenda length '%.*s'",
                           (int)(end - colon - 1), colon + 1);
        if (parse_len(num, &secs, err) < 0)
            return err_set(err, ERR_INPUT,
                           "cannot read agenda length '%s' "
                           "for '%s'",
                           num, ph->name);
        /* Weights are kept in seconds so "7m30s" and "7" mix. */
        ph->weight = secs;
        total += secs;
        ag.n++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (total <= 0)
        return err_set(err, ERR_INPUT, "agenda '%s' adds up to no time", s);
    *out = ag;
    return 0;
}

void timer_warnings_default(struct timer_warnings *out)
{
    memset(out, 0, sizeof(*out));
    out->n = 3;
    out->offset_ms[0] = 10 * 60000LL;
    out->offset_ms[1] = 5 * 60000LL;
    out->offset_ms[2] = 2 * 60000LL;
}

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? 1 : x > y ? -1 : 0;
}

int timer_warnings_parse(const char *s, struct timer_warnings *out,
                         struct err *err)
{
    struct timer_warnings w;
    const char *p = s;
    int i, j;

    memset(&w, 0, sizeof(w));
    if (s && (*s == '\0' || strcmp(s, "none") == 0)) {
        *out = w;
        return 0;
    }
    if (!s)
        return err_set(err, ERR_INPUT, "empty list of warnings");
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        char num[32];
        long secs;

        if (copy_trimmed(p, end, num, sizeof(num)) >= sizeof(num) ||
            parse_len(num, &secs, NULL) < 0)
            return err_set(err, ERR_INPUT,
                           "cannot read warning '%.*s' (try 10m,5m,2m or 90s)",
                           (int)(end - p), p);
        if (secs > 0) {
            if (w.n == TIMER_MAX_WARNINGS)
                return err_set(err, ERR_INPUT, "more than %d warnings",
                               TIMER_MAX_WARNINGS);
            w.offset_ms[w.n++] = (int64_t)secs * 1000;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    qsort(w.offset_ms, (size_t)w.n, sizeof(w.offset_ms[0]), cmp_desc);
    for (i = j = 0; i < w.n; i++)
        if (j == 0 || w.offset_ms[j - 1] != w.offset_ms[i])
            w.offset_ms[j++] = w.offset_ms[i];
    w.n = j;
    *out = w;
    return 0;
}

static void bounds(const struct timer *t, int64_t b[TIMER_MAX_PHASES]);
static int phase_at(const struct timer *t, const int64_t *b, int64_t now);

void timer_init(struct timer *t, int64_t now, int64_t end,
                const struct timer_agenda *ag, const struct timer_warnings *w)
{
    int64_t total = 0, before = 0;
    int i;

    memset(t, 0, sizeof(*t));
    t->began = t->start = now;
    t->end = end;
    t->slot = end > now ? end - now : 0;
    t->agenda = *ag;
    if (t->agenda.n < 1) {
        /* Callers always pass a parsed or default agenda; keep one phase
         * rather than divide by nothing. */
        timer_agenda_default(&t->agenda);
    }
    if (w)
        t->warn = *w;
    for (i = 0; i < t->agenda.n; i++)
        total += t->agenda.phase[i].weight;
    /* Scale each phase's start to the slot, rounding its distance from the
     * end to whole seconds: the phases add up to the slot exactly, and
     * every boundary falls on a second of the countdown, so the display
     * needs one wake-up a second and no more. */
    for (i = 0; i < t->agenda.n; i++) {
        int64_t c = total > 0 ? (t->slot * before + total / 2) / total : 0;
        int64_t rest = (t->slot - c + 500) / 1000 * 1000;

        c = t->slot - rest;
        t->cum[i] = c < 0 ? 0 : c > t->slot ? t->slot : c;
        before += t->agenda.phase[i].weight;
    }
    t->cum[0] = 0;
    t->cum[t->agenda.n] = t->slot;
    {
        /* The caller announces the start with its phase: no event. */
        int64_t b[TIMER_MAX_PHASES];

        bounds(t, b);
        t->shown = phase_at(t, b, now);
    }
}

/* Where each phase begins now. The phases before the last keep their
 * scaled starts from the start; the closing phase keeps its length and
 * stays anchored to the end, so '+' gives the extra time to the
 * conversation and the closing still comes before the end. */
static void bounds(const struct timer *t, int64_t b[TIMER_MAX_PHASES])
{
    int n = t->agenda.n, i;

    b[0] = t->start;
    for (i = 1; i < n; i++)
        b[i] = t->start + t->cum[i];
    if (n >= 2) {
        b[n - 1] = t->end - (t->slot - t->cum[n - 1]);
        if (b[n - 1] < t->start)
            b[n - 1] = t->start;
        for (i = n - 2; i >= 1; i--)
            if (b[i] > b[i + 1])
                b[i] = b[i + 1];
    }
}

static int64_t eff_now(const struct timer *t, int64_t now)
{
    return t->paused ? t->paused_at : now;
}

static int phase_at(const struct timer *t, const int64_t *b, int64_t now)
{
    int p = 0, i;

    for (i = 1; i < t->agenda.n; i++)
        if (b[i] <= now)
            p = i;
    return p > t->forced ? p : t->forced;
}

static int64_t remind_at(const struct timer *t, const int64_t *b)
{
    int64_t r;

    if (t->agenda.n >= 2)
        return b[t->agenda.n - 1];
    r = t->end - TIMER_REMIND_MS;
    return r > t->start ? r : t->start;
}

/* A warning counts only while it falls inside the slot as now planned:
 * one longer than the slot is skipped. */
static int warn_active(const struct timer *t, int i)
{
    return t->warn.offset_ms[i] < t->end - t->start;
}

int timer_next_event(struct timer *t, int64_t now, struct timer_event *ev)
{
    int64_t b[TIMER_MAX_PHASES], at = eff_now(t, now), r;
    int n = t->agenda.n, p, i, last = -1;

    bounds(t, b);
    memset(ev, 0, sizeof(*ev));
    p = phase_at(t, b, at);
    if (p != t->shown) {
        ev->kind = TIMER_EV_PHASE;
        ev->phase = p;
        ev->due = p > t->shown && b[p] <= at ? b[p] : at;
        t->shown = p;
        return 1;
    }
    r = remind_at(t, b);
    if (!t->reminded && (at >= r || (n >= 2 && p == n - 1))) {
        ev->kind = TIMER_EV_REMIND;
        ev->due = r <= at ? r : at;
        t->reminded = 1;
        return 1;
    }
    for (i = 0; i < t->warn.n; i++) {
        if ((t->warned & (1u << i)) || !warn_active(t, i) ||
            t->end - t->warn.offset_ms[i] > at)
            continue;
        t->warned |= 1u << i;
        last = i; /* offsets are sorted: the last due is nearest the end */
    }
    if (last >= 0 && at < t->end) {
        ev->kind = TIMER_EV_WARN;
        ev->offset_ms = t->warn.offset_ms[last];
        ev->due = t->end - ev->offset_ms;
        return 1;
    }
    if (!t->ended && at >= t->end) {
        ev->kind = TIMER_EV_END;
        ev->due = t->end;
        t->ended = 1;
        return 1;
    }
    return 0;
}

static void earliest(int64_t *best, int64_t x, int64_t now)
{
    if (x > now && x < *best)
        *best = x;
}

/* The next instant after 'now' at which ceil((to - x) / 1000) changes,
 * or floor((x - to) / 1000) once 'to' has passed. */
static int64_t next_tick(int64_t to, int64_t now)
{
    int64_t d = to - now;

    if (d > 0)
        return to - (d - 1) / 1000 * 1000;
    return to + ((now - to) / 1000 + 1) * 1000;
}

int64_t timer_next_change(const struct timer *t, int64_t now, int ticks)
{
    int64_t b[TIMER_MAX_PHASES], best = TIMER_NEVER;
    int n = t->agenda.n, i, p;

    if (t->paused)
        return TIMER_NEVER;
    bounds(t, b);
    for (i = 1; i < n; i++)
        earliest(&best, b[i], now);
    if (!t->reminded)
        earliest(&best, remind_at(t, b), now);
    for (i = 0; i < t->warn.n; i++)
        if (!(t->warned & (1u << i)) && warn_active(t, i))
            earliest(&best, t->end - t->warn.offset_ms[i], now);
    if (!t->ended)
        earliest(&best, t->end, now);
    if (ticks) {
        earliest(&best, next_tick(t->end, now), now);
        p = phase_at(t, b, now);
        if (p + 1 < n && b[p + 1] > now)
            earliest(&best, next_tick(b[p + 1], now), now);
    }
    return best;
}

void timer_view(const struct timer *t, int64_t now, struct timer_view *v)
{
    int64_t b[TIMER_MAX_PHASES], at = eff_now(t, now);
    int n = t->agenda.n, i;

    bounds(t, b);
    memset(v, 0, sizeof(*v));
    v->left_ms = t->end - at;
    v->overtime = at >= t->end;
    v->paused = t->paused;
    v->phase = phase_at(t, b, at);
    v->phase_name = t->agenda.phase[v->phase].name;
    v->next = v->phase + 1 < n ? v->phase + 1 : -1;
    v->next_name = v->next >= 0 ? t->agenda.phase[v->next].name : NULL;
    v->phase_left_ms = (v->next >= 0 ? b[v->next] : t->end) - at;
    if (v->phase_left_ms < 0)
        v->phase_left_ms = 0;
    for (i = 0; i < t->warn.n; i++) {
        if (warn_active(t, i) && t->end - t->warn.offset_ms[i] <= at) {
            v->level++;
            v->warn_ms = t->warn.offset_ms[i];
        }
    }
    v->remind =
        t->reminded || at >= remind_at(t, b) || (n >= 2 && v->phase == n - 1);
}

int timer_toggle_pause(struct timer *t, int64_t now)
{
    int64_t d;

    if (!t->paused) {
        t->paused = 1;
        t->paused_at = now;
        return 1;
    }
    d = now > t->paused_at ? now - t->paused_at : 0;
    /* The pause did not use up the host's time: every deadline moves. */
    t->start += d;
    t->end += d;
    t->paused_total += d;
    t->paused = 0;
    return 0;
}

void timer_extend(struct timer *t, int64_t now, int64_t delta)
{
    int64_t at = eff_now(t, now), e = t->end + delta;
    int i;

    if (delta < 0 && e < at)
        e = t->end > at ? at : t->end;
    t->end = e;
    for (i = 0; i < t->warn.n; i++)
        if (t->end - t->warn.offset_ms[i] > at)
            t->warned &= ~(1u << i);
    if (t->end > at)
        t->ended = 0;
}

void timer_next_phase(struct timer *t, int64_t now)
{
    int64_t b[TIMER_MAX_PHASES];
    int p;

    bounds(t, b);
    p = phase_at(t, b, eff_now(t, now));
    if (p + 1 < t->agenda.n)
        t->forced = p + 1;
}

static void format_secs(int64_t s, const char *sign, char *out, size_t n)
{
    if (s >= 3600)
        snprintf(out, n, "%s%lld:%02lld:%02lld", sign, (long long)(s / 3600),
                 (long long)(s / 60 % 60), (long long)(s % 60));
    else
        snprintf(out, n, "%s%02lld:%02lld", sign, (long long)(s / 60),
                 (long long)(s % 60));
}

void timer_format_left(int64_t left_ms, char *out, size_t n)
{
    if (left_ms > 0)
        format_secs((left_ms + 999) / 1000, "", out, n);
    else
        format_secs(-left_ms / 1000, "+", out, n);
}

void timer_format_len(int64_t ms, char *out, size_t n)
{
    format_secs(ms > 0 ? (ms + 500) / 1000 : 0, "", out, n);
}
