/* SPDX-License-Identifier: MIT */
/* ics_import_stream.c - importing a file one component at a time: the
 * scan finds them, each is parsed on its own inside a calendar of the
 * file's own lines and zones, and any file the scan or libical finds odd
 * goes to the whole-file reader instead, which says what is wrong */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "ics_priv.h"
#include "tz.h"
#include "util.h"

#define WINDOW (1 << 20) /* bytes read from the file at a time */

struct held_note {
    enum ics_note_kind kind;
    char *line;
};

struct stream {
    struct ics_import im;
    struct ics_import_options opt; /* the caller's, notes held here */
    const struct ics_import_options *caller;
    struct ics_scan scan;
    struct ics_series series;
    int fd;
    char *win; /* file bytes [win_at, win_at + win_len) */
    long long win_at;
    size_t win_len, win_cap;
    FILE *sink; /* what libical prints while it parses */
    int saved_err;
    uint64_t context; /* what reading a component depends on beside it */
    struct held_note *notes;
    size_t nnotes, notes_cap;
    int failed_note, odd; /* odd: the whole-file reader must take it */
};

/* Held until the end: a file found odd halfway is read again whole, and
 * the notes of that reading are the ones that count. */
static void hold_note(void *ctx, enum ics_note_kind kind, const char *line)
{
    struct stream *s = ctx;
    char *copy = strdup(line);

    if (!copy || ALLOC_GROW(s->notes, s->nnotes + 1, s->notes_cap) < 0) {
        free(copy);
        s->failed_note = 1;
        return;
    }
    s->notes[s->nnotes].kind = kind;
    s->notes[s->nnotes++].line = copy;
}

static void drop_notes(struct stream *s, int tell)
{
    for (size_t i = 0; i < s->nnotes; i++) {
        if (tell && s->caller->note)
            s->caller->note(s->caller->note_ctx, s->notes[i].kind,
                            s->notes[i].line);
        free(s->notes[i].line);
    }
    free(s->notes);
    s->notes = NULL;
    s->nnotes = s->notes_cap = 0;
}

/* The text of block 'b', NUL-terminated in the window (caller restores
 * the byte at b->len through *kept). */
static char *block_text(struct stream *s, const struct ics_block *b, char *kept)
{
    char *p;

    if (b->at < s->win_at ||
        b->at + (long long)b->len >= s->win_at + (long long)s->win_len) {
        size_t want = b->len + 1 > WINDOW ? b->len + 1 : WINDOW;
        ssize_t got;

        if (ALLOC_GROW(s->win, want, s->win_cap) < 0) {
            err_set(s->im.err, ERR_NOMEM, "out of memory");
            return NULL;
        }
        got = pread(s->fd, s->win, want, (off_t)b->at);
        if (got < (ssize_t)b->len) {
            err_set(s->im.err, ERR_IO, "cannot read '%s': %s", s->im.source,
                    got < 0 ? strerror(errno) : "it changed while read");
            return NULL;
        }
        s->win_at = b->at;
        s->win_len = (size_t)got;
    }
    p = s->win + (b->at - s->win_at);
    *kept = p[b->len];
    p[b->len] = '\0';
    return p;
}

/* libical's parse of one text, or NULL when it complains (it prints to
 * stderr: anything it says makes the file one for the whole reader). */
static icalcomponent *parse(struct stream *s, const char *text)
{
    icalcomponent *c;
    long before, after;

    fflush(stderr);
    before = ftell(s->sink);
    dup2(fileno(s->sink), STDERR_FILENO);
    c = icalparser_parse_string(text);
    fflush(stderr);
    dup2(s->saved_err, STDERR_FILENO);
    fseek(s->sink, 0, SEEK_END);
    after = ftell(s->sink);
    if (after != before || !c) {
        if (c)
            icalcomponent_free(c);
        s->odd = 1;
        return NULL;
    }
    return c;
}

/* Parse block 'b': NULL with s->odd set, or with im.err set. */
static icalcomponent *parse_block(struct stream *s, const struct ics_block *b)
{
    char kept, *text = block_text(s, b, &kept);
    icalcomponent *c;

    if (!text)
        return NULL;
    c = parse(s, text);
    text[b->len] = kept;
    return c;
}

static int by_uid(const void *a, const void *b)
{
    const struct ics_series_start *x = a, *y = b;
    int d = strcmp(x->uid, y->uid);

    return d ? d : (x->order > y->order) - (x->order < y->order);
}

static int wanted_uid(const struct ics_scan *sc, uint64_t h)
{
    if (sc->rid_unsure || !h)
        return 1;
    for (size_t i = 0; i < sc->nrid; i++)
        if (sc->rid_uids[i] == h)
            return 1;
    return 0;
}

/* The series that the file's changed occurrences may belong to, read
 * before any is taken (wanted() in ics_import_event.c compares them). */
static int find_series(struct stream *s, icalcomponent *cal)
{
    struct ics_series *se = &s->series;
    size_t i, k;

    if (!s->scan.nrid && !s->scan.rid_unsure)
        return 0;
    for (i = 0; i < s->scan.n; i++) {
        const struct ics_block *b = &s->scan.v[i];
        icalcomponent *c;
        const char *uid;

        if (!b->event || b->rid == 1 || !wanted_uid(&s->scan, b->uid_hash))
            continue;
        if (!(c = parse_block(s, b)))
            return -1;
        uid = icalcomponent_get_uid(c);
        if (icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT &&
            !icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY)) {
            icalcomponent_add_component(cal, c);
            ics_give_uid(c);
            uid = icalcomponent_get_uid(c);
            if (uid && ALLOC_GROW(se->v, se->n + 1, se->cap) == 0 &&
                (se->v[se->n].uid = strdup(uid))) {
                se->v[se->n].start =
                    ics_prop_instant(&s->im, cal, c, ICAL_DTSTART_PROPERTY);
                se->v[se->n].order = i;
                se->n++;
            } else if (uid) {
                err_set(s->im.err, ERR_NOMEM, "out of memory");
            }
            icalcomponent_remove_component(cal, c);
        }
        icalcomponent_free(c);
        if (s->im.err->kind == ERR_NOMEM)
            return -1;
    }
    if (se->n > 1)
        qsort(se->v, se->n, sizeof(se->v[0]), by_uid);
    for (i = k = 0; i < se->n; i++) { /* the first of each UID stays */
        if (k && strcmp(se->v[k - 1].uid, se->v[i].uid) == 0)
            free(se->v[i].uid);
        else
            se->v[k++] = se->v[i];
    }
    se->n = k;
    s->im.series = se;
    return 0;
}

/* One block in pass 'pass': skipped when the store has it as it is,
 * put off when parsing shows it belongs to a later pass. */
static int take_block(struct stream *s, icalcomponent *cal, struct ics_block *b,
                      int pass)
{
    uint64_t hash = 0;
    icalcomponent *c;
    char kept, *text = block_text(s, b, &kept);
    int real, ret = 0;

    if (!text)
        return -1;
    if (s->im.seen && pass == 0 && b->event) {
        hash = ics_hash(s->context, text, b->len);
        ret = store_seen_check(s->im.seen, (int64_t)hash, s->im.err);
    }
    c = ret == 0 ? parse(s, text) : NULL;
    text[b->len] = kept;
    if (ret != 0)
        return ret < 0 ? -1 : 0; /* unchanged since it was taken */
    if (!c)
        return -1;
    real = ics_entry_pass(c);
    if (real != pass) {
        icalcomponent_free(c);
        if (real < pass) {
            s->odd = 1; /* the scan could not tell: take the file whole */
            return -1;
        }
        b->pass = (unsigned char)real;
        return 0;
    }
    icalcomponent_add_component(cal, c);
    if (icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT)
        ics_give_uid(c);
    s->im.block_hash = hash;
    ret = ics_take_entry(&s->im, cal, c);
    s->im.block_hash = 0;
    icalcomponent_remove_component(cal, c);
    icalcomponent_free(c);
    return ret;
}

/* What reading a component depends on beside its own text: the file's
 * own lines and zones, the options, the user's zone. */
static uint64_t context_hash(const struct stream *s)
{
    const struct ics_import_options *o = s->caller;
    const char *me = o->me ? o->me : "", *zone = tz_user_zone();
    int flags[] = {o->default_minutes, o->newer, o->plain_events};
    uint64_t h = ICS_HASH_SEED;

    h = ics_hash(h, s->scan.shell.data, s->scan.shell.len);
    h = ics_hash(h, me, strlen(me) + 1);
    h = ics_hash(h, zone, strlen(zone) + 1);
    return ics_hash(h, flags, sizeof(flags));
}

static int run_passes(struct stream *s, icalcomponent *cal)
{
    int pass;

    if (find_series(s, cal) < 0)
        return -1;
    for (pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < s->scan.n; i++)
            if (s->scan.v[i].pass == pass &&
                take_block(s, cal, &s->scan.v[i], pass) < 0)
                return -1;
    return 0;
}

/* 0 done, -1 failed (im.err set), or 1: take the file whole instead. */
static int stream_import(struct stream *s)
{
    icalcomponent *cal;
    const char *perr;
    int ret = -1;

    if (!(cal = parse(s, s->scan.shell.data)) ||
        icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        if (cal)
            icalcomponent_free(cal);
        return 1;
    }
    if ((perr = ics_calendar_error(cal))) {
        err_set(s->im.err, ERR_PARSE, "'%s' is malformed: %s", s->im.source,
                perr);
        icalcomponent_free(cal);
        return -1;
    }
    ics_begin_calendar(&s->im, cal);
    s->context = context_hash(s);
    s->im.rep->entries = (int)s->scan.n;
    if (store_begin(s->im.st, s->im.err) < 0)
        goto out;
    if (store_seen_open(s->im.st, &s->im.seen, s->im.err) < 0 ||
        run_passes(s, cal) < 0 || s->failed_note) {
        if (s->failed_note)
            err_set(s->im.err, ERR_NOMEM, "out of memory");
        store_rollback(s->im.st);
        goto out;
    }
    crash_point("import-before-commit");
    if (s->opt.dry_run)
        store_rollback(s->im.st);
    else if (store_commit(s->im.st, s->im.err) < 0)
        goto out;
    ret = 0;
out:
    store_seen_close(s->im.seen);
    s->im.seen = NULL;
    icalcomponent_free(cal);
    return s->odd ? 1 : ret;
}

/* The file as one text for ics_import (caller frees), or NULL. */
static char *read_whole(FILE *f, const char *source, struct err *err)
{
    struct buf b;
    char chunk[65536];
    size_t n;

    buf_init(&b);
    rewind(f);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(&b, chunk, n);
    if (ferror(f)) {
        err_set(err, ERR_IO, "cannot read '%s': %s", source, strerror(errno));
        buf_release(&b);
        return NULL;
    }
    if (b.failed || buf_adds(&b, "") < 0) {
        err_set(err, ERR_NOMEM, "out of memory reading '%s'", source);
        buf_release(&b);
        return NULL;
    }
    if (strlen(b.data) != b.len) {
        err_set(err, ERR_PARSE,
                "'%s' is not an iCalendar file (it has NUL "
                "bytes)",
                source);
        buf_release(&b);
        return NULL;
    }
    return buf_steal(&b);
}

static int import_whole(struct store *st, FILE *f, const char *source,
                        utc_t now, const struct ics_import_options *opt,
                        struct ics_import_report *rep, struct err *err)
{
    char *text = read_whole(f, source, err);
    int ret;

    if (!text)
        return -1;
    ret = ics_import(st, text, source, now, opt, rep, err);
    free(text);
    return ret;
}

static void stream_release(struct stream *s)
{
    for (size_t i = 0; i < s->series.n; i++)
        free(s->series.v[i].uid);
    free(s->series.v);
    free(s->win);
    if (s->saved_err >= 0)
        close(s->saved_err);
    if (s->sink)
        fclose(s->sink);
    ics_scan_release(&s->scan);
}

int ics_import_file(struct store *st, FILE *f, const char *source, utc_t now,
                    const struct ics_import_options *opt,
                    struct ics_import_report *rep, struct err *err)
{
    struct err local;
    struct stream s;
    int ret = -1;

    memset(&s, 0, sizeof(s));
    memset(rep, 0, sizeof(*rep));
    s.saved_err = -1;
    s.caller = opt;
    s.opt = *opt;
    s.opt.note = hold_note;
    s.opt.note_ctx = &s;
    s.im.st = st;
    s.im.source = source;
    s.im.now = now;
    s.im.opt = &s.opt;
    s.im.rep = rep;
    s.im.err = err ? err : &local;
    err_clear(s.im.err);
    if (ics_scan_file(f, source, &s.scan, s.im.err) < 0)
        goto out;
    s.fd = fileno(f);
    if (s.scan.stream && s.fd >= 0 && (s.sink = util_tmpfile()) &&
        (s.saved_err = dup(STDERR_FILENO)) >= 0) {
        ret = stream_import(&s);
        drop_notes(&s, ret <= 0);
        if (ret <= 0)
            goto out;
        memset(rep, 0, sizeof(*rep));
        err_clear(s.im.err);
    }
    ret = import_whole(st, f, source, now, opt, rep, s.im.err);
out:
    stream_release(&s);
    return ret;
}
