/* SPDX-License-Identifier: MIT */
/* remind.c - 'tiara remind': what needs doing now, for a prompt, a script
 * or a desktop notification */
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "rules.h"
#include "tz.h"
#include "util.h"
#include "when.h"

extern char **environ;

static const char remind_usage[] =
    "usage: tiara remind [--within LENGTH] [--notify] [-q|--quiet]\n"
    "                    [-j|--json] [-o FILE]\n"
    "\n"
    "What needs doing now: thank-you notes first (the sooner the better;\n"
    "each is due by the end of the day after the meeting), then\n"
    "preparation, check-ins and \"landed a job\" follow-ups that are\n"
    "overdue or due within the next 24 hours (--within, e.g. 3d).\n"
    "\n"
    "  --notify      a desktop notification (notify-send) for each, at\n"
    "                most once a day; nothing at all when nothing is due\n"
    "  -q, --quiet   print nothing: the exit status says\n"
    "  --json        print every one as JSON (docs/json.md)\n"
    "\n"
    "Exit status: 0 when something is due, 3 when nothing is, 1 on an\n"
    "error, 2 on a usage error.\n";

/* Exit status when nothing is due, apart from errors (1) and usage (2). */
#define NOTHING_DUE 3
/* Each kind lists at most this many, then says how many more. */
#define MAX_LISTED 10

enum kind { KIND_THANKS, KIND_PREP, KIND_CHECKIN, KIND_LANDED };
static const char *const kind_names[] = {"thanks", "prepare", "checkin",
                                         "landed"};

struct reminder {
    enum kind kind;
    utc_t due;
    int overdue;
    int64_t id;         /* interview, 0 for none */
    int64_t contact_id; /* the host */
    char *contact;      /* the host's name */
    char *text;         /* what to do */
    char key[160];      /* the same reminder on every run, for --notify */
};

struct remind {
    struct cli *cli;
    utc_t until;       /* due before this counts as soon */
    utc_t today_start; /* check-ins from here on */
    struct reminder *v;
    size_t n, cap;
    int failed;
};

static void add(struct remind *r, enum kind kind, utc_t due, int64_t id,
                const char *uid, const struct contact *host, const char *fmt,
                ...) __attribute__((format(printf, 7, 8)));

static void add(struct remind *r, enum kind kind, utc_t due, int64_t id,
                const char *uid, const struct contact *host, const char *fmt,
                ...)
{
    struct reminder *it;
    va_list ap;
    char *text, *name;

    if (r->failed || ALLOC_GROW(r->v, r->n + 1, r->cap) < 0) {
        r->failed = 1;
        return;
    }
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);
    name = util_strdup(host->name);
    if (!text || !name) {
        free(text);
        free(name);
        r->failed = 1;
        return;
    }
    it = &r->v[r->n++];
    it->kind = kind;
    it->due = due;
    it->overdue = due < r->cli->now;
    it->id = id;
    it->contact_id = host->id;
    it->contact = name;
    it->text = text;
    snprintf(it->key, sizeof(it->key), "%d:%s:%lld", (int)kind, uid,
             (long long)due);
}

/* A thank-you is due once the meeting is over; preparation once its day
 * comes. */
static int on_meeting(const struct interview *iv, const struct contact *host,
                      const struct contact *referrer, void *arg)
{
    struct remind *r = arg;
    utc_t due;

    (void)referrer;
    if (iv->status != STATUS_SCHEDULED)
        return 0;
    if (!iv->thanked && iv->start + iv->minutes * 60 <= r->cli->now &&
        rules_thanks_due(iv, rules_thanks_zone(iv), &due, NULL) == 0)
        add(r, KIND_THANKS, due, iv->id, iv->uid, host, "thank-you note to %s",
            host->name);
    if (!iv->prep_done && iv->start > r->cli->now &&
        rules_prep_due(iv, &due, NULL) == 0 && due < r->until)
        add(r, KIND_PREP, due, iv->id, iv->uid, host,
            "prepare for the interview with %s", host->name);
    return r->failed;
}

struct checkin_ctx {
    struct remind *r;
    const struct contact *host;
};

static int on_checkin(utc_t start, void *arg)
{
    struct checkin_ctx *c = arg;

    add(c->r, KIND_CHECKIN, start, 0, c->host->uid, c->host, "check in with %s",
        c->host->name);
    return c->r->failed;
}

static int on_anchor(const struct contact *host, const struct interview *anchor,
                     void *arg)
{
    struct remind *r = arg;
    struct rules_checkin ci;
    struct checkin_ctx c = {r, host};

    if (rules_checkin(host, anchor, &ci, NULL) != 1)
        return 0;
    rules_checkin_each(&ci, r->today_start, r->until, on_checkin, &c, NULL);
    return r->failed;
}

static int on_followup(const struct followup *f, void *arg)
{
    struct remind *r = arg;
    struct contact host;

    if (f->done || f->due >= r->until)
        return 0;
    if (store_contact_get(r->cli->st, f->contact_id, &host, NULL) < 0)
        return 0;
    add(r, KIND_LANDED, f->due, 0, f->uid, &host, "tell %s you landed a job",
        host.name);
    model_contact_release(&host);
    return r->failed;
}

static int by_kind_then_due(const void *x, const void *y)
{
    const struct reminder *a = x, *b = y;

    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    return a->due < b->due ? -1 : a->due > b->due;
}

static void print_all(const struct remind *r)
{
    char when[32];
    size_t i, shown = 0;
    int color = cli_color_on(r->cli, stdout);

    for (i = 0; i < r->n; i++) {
        const struct reminder *it = &r->v[i];

        if (i > 0 && it->kind != r->v[i - 1].kind)
            shown = 0;
        if (shown++ >= MAX_LISTED) {
            size_t more = 1;
            while (i + more < r->n && r->v[i + more].kind == it->kind)
                more++;
            printf("  ... and %zu more\n", more);
            i += more - 1;
            continue;
        }
        tz_format_time(r->cli->zone, it->due, when, sizeof(when));
        printf("%s: ", it->text);
        cli_sgr(stdout, color && it->overdue, CLI_SGR_OVERDUE);
        printf("%s %s",
               it->overdue                ? "overdue since"
               : it->kind == KIND_CHECKIN ? "at"
                                          : "due",
               when);
        cli_sgr(stdout, color && it->overdue, CLI_SGR_RESET);
        if (it->id)
            printf("  #%lld", (long long)it->id);
        putchar('\n');
    }
}

static int print_json(const struct remind *r, struct err *err)
{
    struct cli_json *items = cli_json_array();

    for (size_t i = 0; i < r->n; i++) {
        const struct reminder *it = &r->v[i];
        struct cli_json *o = cli_json_object();

        cli_json_str(o, "kind", kind_names[it->kind]);
        cli_json_time(o, "due", it->due);
        cli_json_bool(o, "overdue", it->overdue);
        cli_json_id(o, "interview_id", it->id);
        cli_json_id(o, "contact_id", it->contact_id);
        cli_json_str(o, "contact", it->contact);
        cli_json_str(o, "text", it->text);
        cli_json_push(items, o);
    }
    return cli_json_print_items(items, err);
}

static int notify_send(const char *path, const char *text)
{
    char *argv[] = {(char *)"notify-send", (char *)"--app-name=tiara",
                    (char *)"tiara", (char *)text, NULL};
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status = -1, ok;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    ok = posix_spawn(&pid, path, &fa, NULL, argv, environ) == 0 &&
         waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
    posix_spawn_file_actions_destroy(&fa);
    return ok ? 0 : -1;
}

/* One notification per reminder a day: the store remembers what was sent,
 * and only what notify-send took. */
static int notify_all(struct remind *r, struct err *err)
{
    char *path = util_find_in_path("notify-send"), when[32];
    int ret = -1;

    if (!path)
        return err_set(err, ERR_INPUT,
                       "notify-send not found (Debian package libnotify-bin)");
    if (store_begin(r->cli->st, err) < 0)
        goto out;
    for (size_t i = 0; i < r->n; i++) {
        const struct reminder *it = &r->v[i];
        char line[512];
        int sent =
            store_notified_since(r->cli->st, it->key, r->cli->now - 86400, err);

        if (sent < 0)
            goto fail;
        if (sent)
            continue;
        tz_format_time(r->cli->zone, it->due, when, sizeof(when));
        snprintf(line, sizeof(line), "%s (%s %s)", it->text,
                 it->overdue ? "overdue since" : "due", when);
        if (notify_send(path, line) < 0) {
            err_set(err, ERR_IO, "notify-send failed for '%s'", it->text);
            goto fail;
        }
        if (store_notified_mark(r->cli->st, it->key, r->cli->now, err) < 0)
            goto fail;
    }
    ret = store_commit(r->cli->st, err);
    goto out;
fail:
    /* what was shown is remembered: a failure later must not repeat it */
    if (store_commit(r->cli->st, NULL) < 0)
        store_rollback(r->cli->st);
out:
    free(path);
    return ret;
}

static int start_of_today(struct cli *cli, utc_t *out, struct err *err)
{
    struct civil c;

    if (tz_from_utc(cli->zone, cli->now, &c, NULL, err) < 0)
        return -1;
    c.hour = c.minute = c.second = 0;
    return tz_to_utc(cli->zone, &c, TZ_RFC5545, out, err);
}

int cmd_remind(struct cli *cli, int argc, char **argv)
{
    const char *within = NULL;
    int notify = 0, quiet = 0, json = 0, first, status;
    const struct cli_opt opts[] = {
        {"within", 0, CLI_STRING, &within},
        {"notify", 0, CLI_FLAG, &notify},
        {"quiet", 'q', CLI_FLAG, &quiet},
        {"json", 'j', CLI_FLAG, &json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"remind", remind_usage, "no arguments", 0, 0};
    struct remind r;
    struct err err;
    long soon = 86400;

    status = cli_parse(&args, opts, argc, argv, &first);
    if (status != CLI_CONTINUE)
        return status;
    if (json && (quiet || notify))
        return cli_usage_error("remind", "--json cannot go with %s",
                               quiet ? "--quiet" : "--notify");
    err_clear(&err);
    if (within && within[0] && within[strlen(within) - 1] == 'd') {
        /* whole days, which lengths of a meeting have no need of */
        char days[16];
        long n;

        snprintf(days, sizeof(days), "%.*s", (int)strlen(within) - 1, within);
        if (strlen(within) > 8 || util_parse_long(days, 1, 366, &n) < 0)
            return cli_errorf("--within wants a length such as 12h or 3d, "
                              "not '%s'",
                              within);
        soon = n * 86400;
    } else if (within && util_parse_duration(within, &soon, &err) < 0) {
        return cli_fail(&err);
    }
    memset(&r, 0, sizeof(r));
    r.cli = cli;
    r.until = cli->now + soon;
    status = 1;
    /* preparation is due at most a day before the meeting */
    if (start_of_today(cli, &r.today_start, &err) < 0 ||
        store_meeting_each(cli->st, INT64_MIN, cli->now, 0,
                           STORE_UNTHANKED_ONLY, on_meeting, &r, &err) ||
        store_meeting_each(cli->st, cli->now, r.until + 2 * 86400, 0, 0,
                           on_meeting, &r, &err) ||
        store_anchor_each(cli->st, 0, 0, on_anchor, &r, &err) ||
        store_followup_each(cli->st, on_followup, &r, &err)) {
        if (r.failed)
            err_set(&err, ERR_NOMEM, "out of memory");
        status = cli_fail(&err);
        goto out;
    }
    if (r.n)
        qsort(r.v, r.n, sizeof(*r.v), by_kind_then_due);
    if (notify && r.n && notify_all(&r, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    if (json && print_json(&r, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    if (!json && !quiet && !notify && r.n)
        print_all(&r);
    else if (!json && !quiet && !notify)
        printf("nothing due\n");
    status = r.n ? 0 : NOTHING_DUE;
out:
    for (size_t i = 0; i < r.n; i++) {
        free(r.v[i].text);
        free(r.v[i].contact);
    }
    free(r.v);
    return status;
}
