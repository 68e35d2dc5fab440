/* SPDX-License-Identifier: MIT */
/* sync.c - 'tiara calendar' (add, discover, list, rm) and 'tiara sync' */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "caldav.h"
#include "cmd.h"
#include "config.h"
#include "http.h"
#include "util.h"

static const char calendar_usage[] =
    "usage: tiara calendar add NAME --url URL [--user USER] [--no-check]\n"
    "       tiara calendar discover URL|DOMAIN|EMAIL [--user USER]\n"
    "       tiara calendar list\n"
    "       tiara calendar rm NAME\n"
    "\n"
    "Calendars that 'tiara sync' keeps in agreement with the store.\n"
    "'discover' follows RFC 6764 (DNS SRV, /.well-known/caldav, the\n"
    "principal and its calendar home) and lists each calendar with the\n"
    "components it accepts. Passwords never go on the command line: they\n"
    "come from ~/.netrc, a password_command or password_env in the config\n"
    "file, $TIARA_PASSWORD, or a prompt on a terminal.\n"
    "\n"
    "  --url URL     the calendar collection (add), checked with PROPFIND\n"
    "  --user USER   the account on the server\n"
    "  --no-check    add without asking the server (offline)\n";

static const char sync_usage[] =
    "usage: tiara sync [CALENDAR] [--dry-run] [--force-delete]\n"
    "\n"
    "Send local changes to each calendar and take in the changes made\n"
    "there, without losing or duplicating an entry (see docs/sync.md).\n"
    "\n"
    "  --dry-run        say what would be sent and received; change nothing\n"
    "  --force-delete   allow deleting many entries, or all of them, at once\n"
    "\n"
    "Settings (conflict policy, private notes, passwords) are in\n"
    "$XDG_CONFIG_HOME/tiara/config.ini; see docs/sync.md.\n";

/* Read a password from the terminal without echo; NULL if there is no
 * terminal. Caller frees. */
static char *prompt_password(const char *user, const char *url)
{
    struct termios old, quiet;
    char line[512], where[256];
    FILE *tty = fopen("/dev/tty", "r+");
    char *pw = NULL;
    size_t n;

    if (!tty)
        return NULL;
    http_redact_url(url, where, sizeof(where));
    fprintf(tty, "Password for %s at %s: ", user ? user : "(netrc)", where);
    fflush(tty);
    if (tcgetattr(fileno(tty), &old) < 0) {
        fclose(tty);
        return NULL;
    }
    quiet = old;
    quiet.c_lflag &= (tcflag_t)~ECHO;
    tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    if (fgets(line, sizeof(line), tty)) {
        n = strcspn(line, "\r\n");
        line[n] = '\0';
        pw = strdup(line);
    }
    tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    memset(line, 0, sizeof(line));
    return pw;
}

static void wipe(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

/* Open a connection for calendar 'name' (may be NULL) with the password
 * from the config or environment, or 'typed'. */
static int open_http(const struct config *cfg, const char *name,
                     const char *user, const char *typed, struct http **out,
                     struct err *err)
{
    struct http_options o;
    const struct config_calendar *cc = name ? config_calendar(cfg, name) : NULL;
    char *pw = NULL;
    int ret;

    if (!typed && config_password(cfg, name ? name : "", &pw, err) < 0)
        return -1;
    memset(&o, 0, sizeof(o));
    o.user = user ? user : (cc ? cc->user : NULL);
    o.password = typed ? typed : pw;
    o.ca_file = cc ? cc->ca_file : NULL;
    o.use_netrc = 1;
    o.retries = 3;
    o.backoff_ms = 200;
    ret = http_open(&o, out, err);
    wipe(pw);
    return ret;
}

struct listing {
    int n;
};

static void comps(unsigned c, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s%s", c & CALDAV_COMP_VEVENT ? "VEVENT " : "",
             c & CALDAV_COMP_VTODO ? "VTODO " : "",
             c & CALDAV_COMP_VJOURNAL ? "VJOURNAL " : "",
             c ? "" : "(not said) ");
    if (strlen(out))
        out[strlen(out) - 1] = '\0';
}

static int print_calendar(const struct caldav_calendar_info *ci, void *ctx)
{
    struct listing *l = ctx;
    char c[64], where[512];

    comps(ci->components, c, sizeof(c));
    http_redact_url(ci->url, where, sizeof(where));
    printf("%s\n  name: %s\n  accepts: %s%s\n", where,
           ci->display_name ? ci->display_name : "(none)", c,
           ci->components && !(ci->components & CALDAV_COMP_VTODO)
               ? " (deadlines go as events)"
               : "");
    l->n++;
    return 0;
}

static int parse_user_opt(int argc, char **argv, const char *verb,
                          const char **url, const char **user, int *no_check)
{
    static const struct option opts[] = {
        {"url", required_argument, NULL, 'u'},
        {"user", required_argument, NULL, 'U'},
        {"no-check", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0; /* glibc: start over on a new argv */
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'u':
            *url = optarg;
            break;
        case 'U':
            *user = optarg;
            break;
        case 'n':
            *no_check = 1;
            break;
        case 'h':
            fputs(calendar_usage, stdout);
            return 0;
        default:
            return cli_usage_error("calendar", "bad option for '%s'", verb);
        }
    }
    return -1;
}

/* Run 'fn' with a connection, asking for a password once on a 401 when
 * a terminal is there to ask. */
typedef int (*with_http_fn)(struct http *h, void *ctx, struct err *err);

static int with_http(const struct config *cfg, const char *name,
                     const char *user, const char *url, with_http_fn fn,
                     void *ctx, struct err *err)
{
    struct http *h = NULL;
    char *typed = NULL;
    int rc;

    if (open_http(cfg, name, user, NULL, &h, err) < 0)
        return -1;
    rc = fn(h, ctx, err);
    http_close(h);
    h = NULL;
    if (rc < 0 && err->kind == ERR_AUTH && isatty(STDIN_FILENO) &&
        (typed = prompt_password(user, url))) {
        if (open_http(cfg, name, user, typed, &h, err) == 0)
            rc = fn(h, ctx, err);
        http_close(h);
        wipe(typed);
    }
    return rc;
}

struct discover_ctx {
    const char *start;
    struct listing l;
};

static int run_discover(struct http *h, void *ctx, struct err *err)
{
    struct discover_ctx *d = ctx;

    return caldav_discover(h, d->start, print_calendar, &d->l, err);
}

static int calendar_discover(struct cli *cli, int argc, char **argv)
{
    const char *url = NULL, *user = NULL;
    int no_check = 0, rc;
    struct config cfg;
    struct err err;
    struct discover_ctx d;

    (void)cli;
    if ((rc = parse_user_opt(argc, argv, "discover", &url, &user,
                             &no_check)) >= 0)
        return rc;
    if (optind != argc - 1)
        return cli_usage_error("calendar", "discover needs one URL");
    if (config_load(NULL, &cfg, &err) < 0)
        return cli_fail(&err);
    memset(&d, 0, sizeof(d));
    d.start = argv[optind];
    rc = with_http(&cfg, NULL, user, d.start, run_discover, &d, &err);
    config_release(&cfg);
    if (rc < 0)
        return cli_fail(&err);
    return 0;
}

struct probe_ctx {
    const char *url;
    struct caldav_calendar_info ci;
};

static int run_probe(struct http *h, void *ctx, struct err *err)
{
    struct probe_ctx *p = ctx;

    return caldav_probe(h, p->url, &p->ci, err);
}

static int calendar_add(struct cli *cli, int argc, char **argv)
{
    const char *url = NULL, *user = NULL;
    int no_check = 0, rc;
    struct config cfg;
    struct err err;
    struct probe_ctx p;
    struct store_sync_calendar c;
    char where[512];

    if ((rc = parse_user_opt(argc, argv, "add", &url, &user, &no_check)) >= 0)
        return rc;
    if (optind != argc - 1 || !url)
        return cli_usage_error("calendar", "add needs NAME and --url URL");
    if (strstr(url, "://") == NULL)
        return cli_usage_error("calendar", "'%s' is not an http(s) URL", url);
    http_redact_url(url, where, sizeof(where));
    if (strcmp(where, url) != 0)
        return cli_errorf("put the user in --user and the password in the "
                          "config, not in the URL");
    if (config_load(NULL, &cfg, &err) < 0)
        return cli_fail(&err);
    memset(&p, 0, sizeof(p));
    p.url = url;
    if (!no_check &&
        with_http(&cfg, argv[optind], user, url, run_probe, &p, &err) < 0) {
        config_release(&cfg);
        return cli_fail(&err);
    }
    config_release(&cfg);
    memset(&c, 0, sizeof(c));
    c.name = argv[optind];
    c.url = p.ci.url ? p.ci.url : (char *)url;
    c.user = (char *)user;
    c.display_name = p.ci.display_name;
    c.components = p.ci.components;
    rc = store_sync_calendar_add(cli->st, &c, &err);
    if (rc == 0) {
        char cs[64];
        comps(c.components, cs, sizeof(cs));
        printf("added calendar '%s' (%s), accepts %s%s\n", c.name,
               c.display_name ? c.display_name : where, cs,
               c.components && !(c.components & CALDAV_COMP_VTODO)
                   ? "; deadlines go as events"
                   : "");
    }
    caldav_calendar_info_release(&p.ci);
    return rc < 0 ? cli_fail(&err) : 0;
}

static int print_row(const struct store_sync_calendar *c, void *ctx)
{
    char cs[64];

    (void)ctx;
    comps(c->components, cs, sizeof(cs));
    printf("%s\t%s\t%s\t%s\n", c->name, c->url, c->user ? c->user : "-", cs);
    return 0;
}

static int calendar_list(struct cli *cli, int argc, char **argv)
{
    struct err err;

    (void)argc;
    (void)argv;
    if (store_sync_calendar_each(cli->st, print_row, NULL, &err) < 0)
        return cli_fail(&err);
    return 0;
}

static int calendar_rm(struct cli *cli, int argc, char **argv)
{
    struct err err;

    if (argc != 2)
        return cli_usage_error("calendar", "rm needs one NAME");
    if (store_sync_calendar_remove(cli->st, argv[1], &err) < 0)
        return cli_fail(&err);
    printf("removed calendar '%s' (nothing was deleted on the server)\n",
           argv[1]);
    return 0;
}

int cmd_calendar(struct cli *cli, int argc, char **argv)
{
    static const struct cmd verbs[] = {
        {"add", calendar_add, 0, "add a calendar"},
        {"discover", calendar_discover, 0, "find calendars"},
        {"list", calendar_list, 0, "list calendars"},
        {"rm", calendar_rm, 0, "forget a calendar"},
    };

    return cli_dispatch_verb(cli, "calendar", verbs,
                             sizeof(verbs) / sizeof(verbs[0]), calendar_usage,
                             argc, argv);
}

/* ---- sync ---- */

struct sync_run {
    struct cli *cli;
    const struct config *cfg;
    int dry_run;
    int force_delete;
    int bar;          /* a progress bar is showing */
    const char *name;
    int failures;
    int count;
    struct store_sync_calendar *cal;
    struct caldav_sync_stats stats;
};

static void on_note(void *ctx, const char *msg)
{
    struct sync_run *r = ctx;

    if (r->bar) {
        fputs("\r\033[K", stderr);
        r->bar = 0;
    }
    fprintf(stderr, "tiara: %s: %s\n", r->name, msg);
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

static int run_sync(struct http *h, void *ctx, struct err *err)
{
    struct sync_run *r = ctx;
    const struct config_calendar *cc = config_calendar(r->cfg, r->name);
    struct caldav_sync_options o;

    memset(&o, 0, sizeof(o));
    o.dry_run = r->dry_run;
    o.force_delete = r->force_delete;
    o.conflict = cc && cc->conflict >= 0 ? (enum config_conflict)cc->conflict
                                         : r->cfg->conflict;
    o.notes = cc && cc->notes >= 0 ? cc->notes : r->cfg->notes;
    o.todo = cc ? cc->todo : CONFIG_TODO_AUTO;
    o.max_delete = r->cfg->max_delete;
    o.now = r->cli->now;
    o.note = on_note;
    o.progress = on_progress;
    o.ctx = r;
    return caldav_sync(r->cli->st, h, r->cal, &o, &r->stats, err);
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
    rc = with_http(r->cfg, c->name, c->user, c->url, run_sync, r, &err);
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
    size_t n;
};

static int collect_name(const struct store_sync_calendar *c, void *ctx)
{
    struct names *n = ctx;
    char **v = realloc(n->v, (n->n + 1) * sizeof(*v));

    if (!v)
        return -1;
    n->v = v;
    if (!(v[n->n] = strdup(c->name)))
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

int cmd_sync(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},
        {"force-delete", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct sync_run r;
    struct config cfg;
    struct err err;
    int c, rc, lock;

    memset(&r, 0, sizeof(r));
    optind = 0; /* glibc: start over on a new argv */
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            r.dry_run = 1;
            break;
        case 'f':
            r.force_delete = 1;
            break;
        case 'h':
            fputs(sync_usage, stdout);
            return 0;
        default:
            return cli_usage_error("sync", "bad option");
        }
    }
    if (argc - optind > 1)
        return cli_usage_error("sync", "at most one CALENDAR");
    lock = lock_sync(cli->db_path);
    if (lock == -3)
        return cli_errorf("another 'tiara sync' is running on '%s'",
                          cli->db_path);
    if (config_load(NULL, &cfg, &err) < 0) {
        if (lock >= 0)
            close(lock);
        return cli_fail(&err);
    }
    r.cli = cli;
    r.cfg = &cfg;
    if (optind < argc) {
        struct store_sync_calendar one;

        rc = store_sync_calendar_get(cli->st, argv[optind], &one, &err);
        if (rc == 0) {
            sync_one(&one, &r);
            store_sync_calendar_release(&one);
        }
    } else {
        /* names first: a sync writes to the table being walked */
        struct names names = {NULL, 0};
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
    config_release(&cfg);
    if (lock >= 0)
        close(lock);
    if (rc < 0)
        return cli_fail(&err);
    return r.failures ? 1 : 0;
}
