/* SPDX-License-Identifier: MIT */
/* sync.c - 'tiara sync': each calendar in agreement with the store */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

#include "caldav.h"
#include "cli.h"
#include "config.h"
#include "http.h"
#include "tz.h"
#include "util.h"

static const char sync_usage[] =
    "usage: tiara sync [CALENDAR] [-n|--dry-run] [--force-delete]\n"
    "\n"
    "Send local changes to each calendar and take in the changes made\n"
    "there, without losing or duplicating an entry (see docs/sync.md).\n"
    "\n"
    "  --dry-run        say what would be sent and received; change nothing\n"
    "  --force-delete   allow deleting many entries, or all of them, at once\n"
    "\n"
    "Settings (conflict policy, private notes, passwords) are in\n"
    "$XDG_CONFIG_HOME/tiara/config.ini; see docs/sync.md.\n";

struct sync_run {
    struct cli *cli;
    const struct config *cfg;
    int dry_run;
    int force_delete;
    int bar; /* a progress bar is showing */
    const char *name;
    int failures;
    int count;
    struct store_sync_calendar *cal;
    struct caldav_sync_stats stats;
};

static void on_note(void *ctx, const char *msg)
{
    struct sync_run *r = ctx;
    char safe[1024];

    if (r->bar) {
        fputs("\r\033[K", stderr);
        r->bar = 0;
    }
    /* a server's names and texts are quoted here: no controls */
    snprintf(safe, sizeof(safe), "%s: %s", r->name, msg);
    cli_neutralise(safe);
    fprintf(stderr, "tiara: %s\n", safe);
}

static void on_progress(void *ctx, long done, long total)
{
    struct sync_run *r = ctx;
    int width = 30, fill;

    /* only for long runs, and only on a terminal */
    if (total < 50 || !isatty(STDERR_FILENO))
        return;
    fill = (int)(done * width / total);
    fprintf(stderr, "\r%s [%.*s%*s] %ld/%ld", r->name, fill,
            "##############################", width - fill, "", done, total);
    r->bar = 1;
    if (done >= total) {
        fputs("\r\033[K", stderr);
        r->bar = 0;
    }
}

/* The settings' words, in the sync engine's terms. */
static enum caldav_conflict engine_conflict(enum config_conflict c)
{
    switch (c) {
    case CONFIG_CONFLICT_LOCAL:
        return CALDAV_CONFLICT_LOCAL;
    case CONFIG_CONFLICT_REMOTE:
        return CALDAV_CONFLICT_REMOTE;
    case CONFIG_CONFLICT_BOTH:
        return CALDAV_CONFLICT_BOTH;
    case CONFIG_CONFLICT_NEWEST:
    default:
        return CALDAV_CONFLICT_NEWEST;
    }
}

static enum caldav_todo engine_todo(enum config_todo t)
{
    switch (t) {
    case CONFIG_TODO_VTODO:
        return CALDAV_TODO_VTODO;
    case CONFIG_TODO_VEVENT:
        return CALDAV_TODO_VEVENT;
    case CONFIG_TODO_AUTO:
    default:
        return CALDAV_TODO_AUTO;
    }
}

static int run_sync(struct http *h, void *ctx, struct err *err)
{
    struct sync_run *r = ctx;
    const struct config_calendar *cc = config_calendar(r->cfg, r->name);
    struct caldav_sync_options o;
    struct err e;
    int rc;

    memset(&o, 0, sizeof(o));
    o.dry_run = r->dry_run;
    o.force_delete = r->force_delete;
    o.conflict = engine_conflict(cc && cc->conflict >= 0
                                     ? (enum config_conflict)cc->conflict
                                     : r->cfg->conflict);
    o.notes = cc && cc->notes >= 0 ? cc->notes : r->cfg->notes;
    o.adopt_invitations = cc && cc->adopt >= 0 ? cc->adopt : r->cfg->adopt;
    o.me = config_email(r->cfg);
    o.todo = engine_todo(cc ? cc->todo : CONFIG_TODO_AUTO);
    o.max_delete = r->cfg->max_delete;
    o.now = r->cli->now;
    o.note = on_note;
    o.progress = on_progress;
    o.ctx = r;
    http_set_auth(h, (enum http_auth)r->cal->auth);
    rc = caldav_sync(r->cli->st, h, r->cal, &o, &r->stats, err);
    /* a scheme learnt (or changed) is sent up front next time */
    if (!r->dry_run && (int)http_auth_used(h) != r->cal->auth &&
        store_sync_calendar_set_auth(r->cli->st, r->cal->id,
                                     (int)http_auth_used(h), &e) == 0)
        r->cal->auth = (int)http_auth_used(h);
    return rc;
}

static int sync_one(const struct store_sync_calendar *c, void *ctx)
{
    struct sync_run *r = ctx;
    struct store_sync_calendar copy = *c;
    struct err err;
    int rc;
    const struct caldav_sync_stats *s = &r->stats;
    int sent, got;

    r->name = c->name;
    r->cal = &copy;
    r->count++;
    memset(&r->stats, 0, sizeof(r->stats));
    rc = cli_with_http(r->cfg, c->name, c->user, c->url, run_sync, r, &err);
    if (r->bar) {
        fputs("\r\033[K", stderr);
        r->bar = 0;
    }
    sent = s->sent_new + s->sent_changed + s->sent_deleted;
    got = s->got_new + s->got_changed + s->got_deleted;
    printf("%s%s: sent %d (%d new, %d changed, %d deleted), received %d (%d "
           "new, %d changed, %d deleted), %d conflict%s, %d failed; %ld "
           "request%s, %lld bytes out, %lld bytes in\n",
           r->dry_run ? "dry run: " : "", c->name, sent, s->sent_new,
           s->sent_changed, s->sent_deleted, got, s->got_new, s->got_changed,
           s->got_deleted, s->conflicts, s->conflicts == 1 ? "" : "s",
           s->failed, s->http.requests, s->http.requests == 1 ? "" : "s",
           s->http.bytes_sent, s->http.bytes_received);
    if (s->foreign)
        printf("%s%s: %d entr%s not tiara's, read and left as %s\n",
               r->dry_run ? "dry run: " : "", c->name, s->foreign,
               s->foreign == 1 ? "y" : "ies",
               s->foreign == 1 ? "it is" : "they are");
    fflush(stdout);
    if (rc < 0) {
        fprintf(stderr, "tiara: %s: %s\n", c->name, err.msg);
        r->failures++;
    } else if (s->failed || s->refused_deletes) {
        r->failures++;
    }
    return 0;
}

struct names {
    char **v;
    size_t n, cap;
};

static int collect_name(const struct store_sync_calendar *c, void *ctx)
{
    struct names *n = ctx;

    if (ALLOC_GROW(n->v, n->n + 1, n->cap) < 0 ||
        !(n->v[n->n] = strdup(c->name)))
        return -1;
    n->n++;
    return 0;
}

/* One sync at a time per database: two would race each other's writes
 * to the server. The lock goes with the process, even on kill -9. */
static int lock_sync(const char *db_path)
{
    struct buf b;
    int fd;

    if (!db_path || strcmp(db_path, ":memory:") == 0)
        return -2;
    buf_init(&b);
    if (buf_printf(&b, "%s.sync-lock", db_path) < 0)
        return -1;
    fd = open(b.data, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    buf_release(&b);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        close(fd);
        return -3;
    }
    return fd;
}

static void on_reviewed(void *ctx, const struct interview *iv,
                        const struct contact *host,
                        enum caldav_review_verdict v)
{
    const struct sync_run *r = ctx;
    const char *name = util_empty(iv->title) ? host->name : iv->title;
    char when[32];

    tz_format_time(iv->tz, iv->start, when, sizeof(when));
    switch (v) {
    case CALDAV_REVIEW_UNDONE:
        printf("%supgrade: '%s' on %s %s someone else's event, not an "
               "interview: it %s left as it is in the calendar\n",
               r->dry_run ? "dry run: " : "", name, when,
               r->dry_run ? "is" : "was", r->dry_run ? "will be" : "is");
        break;
    case CALDAV_REVIEW_KEPT_USED:
        printf("%supgrade: '%s' on %s looks like someone else's event but "
               "has notes, a timer run or a tick: kept as an interview\n",
               r->dry_run ? "dry run: " : "", name, when);
        break;
    case CALDAV_REVIEW_KEPT_INVITATION:
        break; /* adopted under today's rules too */
    }
}

/* Once, after an upgrade from a tiara that took every event as its own. */
static int review_upgrade(struct sync_run *r, struct err *err)
{
    struct caldav_review_options o;
    struct caldav_review rep;
    size_t i;

    memset(&o, 0, sizeof(o));
    o.dry_run = r->dry_run;
    o.adopt_invitations = r->cfg->adopt;
    for (i = 0; i < r->cfg->ncals; i++)
        if (r->cfg->cals[i].adopt > 0)
            o.adopt_invitations = 1;
    o.report = on_reviewed;
    o.ctx = r;
    if (caldav_review_upgrade(r->cli->st, &o, &rep, err) < 0)
        return -1;
    if (rep.interviews)
        printf("%supgrade: %d interview%s that %s other people's events, "
               "%d contact%s made for them and %d entr%s tiara derived %s "
               "removed; the events themselves stay untouched\n",
               r->dry_run ? "dry run: " : "", rep.interviews,
               rep.interviews == 1 ? "" : "s",
               rep.interviews == 1 ? "was" : "were", rep.contacts,
               rep.contacts == 1 ? "" : "s", rep.entries,
               rep.entries == 1 ? "y" : "ies", r->dry_run ? "would be" : "are");
    fflush(stdout);
    return 0;
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
    struct sync_run r;
    const struct cli_opt opts[] = {
        {"dry-run", 'n', CLI_FLAG, &r.dry_run},
        {"force-delete", 0, CLI_FLAG, &r.force_delete},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"sync", sync_usage, "at most one CALENDAR", 0,
                                  1};
    struct err err;
    int first, rc, lock;

    memset(&r, 0, sizeof(r));
    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    lock = lock_sync(cli->db_path);
    if (lock == -3)
        return cli_errorf("another 'tiara sync' is running on '%s'",
                          cli->db_path);
    r.cli = cli;
    r.cfg = cli->cfg;
    if (review_upgrade(&r, &err) < 0) {
        rc = -1;
    } else if (first < argc) {
        struct store_sync_calendar one;

        rc = store_sync_calendar_get(cli->st, argv[first], &one, &err);
        if (rc == 0) {
            sync_one(&one, &r);
            store_sync_calendar_release(&one);
        }
    } else {
        /* names first: a sync writes to the table being walked */
        struct names names = {NULL, 0, 0};
        size_t i;

        rc = store_sync_calendar_each(cli->st, collect_name, &names, &err);
        for (i = 0; rc == 0 && i < names.n; i++) {
            struct store_sync_calendar one;
            if (store_sync_calendar_get(cli->st, names.v[i], &one, &err) < 0) {
                rc = -1;
                break;
            }
            sync_one(&one, &r);
            store_sync_calendar_release(&one);
        }
        for (i = 0; i < names.n; i++)
            free(names.v[i]);
        free(names.v);
        if (rc == 0 && r.count == 0)
            rc = err_set(&err, ERR_INPUT,
                         "no calendars yet: add one with 'tiara calendar add "
                         "NAME --url URL'");
    }
    if (lock >= 0)
        close(lock);
    if (rc < 0)
        return cli_fail(&err);
    return r.failures ? 1 : 0;
}
