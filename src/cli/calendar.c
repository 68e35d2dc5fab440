/* SPDX-License-Identifier: MIT */
/* calendar.c - 'tiara calendar': add, discover, list and rm CalDAV calendars */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

struct listing {
    int n;
};

static int print_calendar(const struct caldav_calendar_info *ci, void *ctx)
{
    struct listing *l = ctx;
    char c[64], where[512];

    cli_components(ci->components, c, sizeof(c));
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
    if ((rc = parse_user_opt(argc, argv, "discover", &url, &user, &no_check)) >=
        0)
        return rc;
    if (optind != argc - 1)
        return cli_usage_error("calendar", "discover needs one URL");
    if (config_load(NULL, &cfg, &err) < 0)
        return cli_fail(&err);
    memset(&d, 0, sizeof(d));
    d.start = argv[optind];
    rc = cli_with_http(&cfg, NULL, user, d.start, run_discover, &d, &err);
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
        cli_with_http(&cfg, argv[optind], user, url, run_probe, &p, &err) < 0) {
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
        cli_components(c.components, cs, sizeof(cs));
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
    cli_components(c->components, cs, sizeof(cs));
    printf("%s\t%s\t%s\t%s\n", c->name, c->url, c->user ? c->user : "-", cs);
    return 0;
}

static int calendar_list(struct cli *cli, int argc, char **argv)
{
    struct err err;

    if (argc != 1)
        return cli_usage_error("calendar",
                               "'calendar list' takes no "
                               "arguments, not '%s'",
                               argv[1]);
    if (store_sync_calendar_each(cli->st, print_row, NULL, &err) < 0)
        return cli_fail(&err);
    return 0;
}

static int calendar_rm(struct cli *cli, int argc, char **argv)
{
    struct err err;

    if (argc != 2 || argv[1][0] == '-')
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
