/* SPDX-License-Identifier: MIT */
/* calendar.c - 'tiara calendar': add, discover, list and rm CalDAV calendars */
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
#include "util.h"

static const char calendar_usage[] =
    "usage: tiara calendar add NAME --url URL [--user USER] [--no-check]\n"
    "       tiara calendar discover URL|DOMAIN|EMAIL [--user USER]\n"
    "       tiara calendar list [-j|--json] [-o FILE]\n"
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
    "  --no-check    add without asking the server (offline)\n"
    "  --json        list: JSON instead (docs/json.md)\n";

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

#define NO_PASSWORD_IN_URL                                                     \
    "put the user in --user and the password in the config, not in the URL"

/* Does 'url' carry a password (argv, shell history)? 'where' gets the
 * URL without it, for messages. */
static int password_in_url(const char *url, char *where, size_t n)
{
    http_redact_url(url, where, n);
    return strcmp(where, url) != 0;
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
    const char *user = NULL;
    const struct cli_opt opts[] = {
        {"user", 0, CLI_STRING, &user},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"calendar discover", calendar_usage,
                                  "one URL", 1, 1};
    struct err err;
    struct discover_ctx d;
    char where[512];
    int first, rc;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    memset(&d, 0, sizeof(d));
    d.start = argv[first];
    if (password_in_url(d.start, where, sizeof(where)))
        return cli_errorf(NO_PASSWORD_IN_URL);
    if (cli_with_http(cli->cfg, NULL, user, d.start, run_discover, &d, &err) <
        0)
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
    int no_check = 0, first, rc;
    const struct cli_opt opts[] = {
        {"url", 0, CLI_STRING, &url},
        {"user", 0, CLI_STRING, &user},
        {"no-check", 0, CLI_FLAG, &no_check},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"calendar add", calendar_usage, "one NAME", 1,
                                  1};
    struct err err;
    struct probe_ctx p;
    struct store_sync_calendar c;
    char where[512];

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (!url)
        return cli_usage_error("calendar add", "--url URL is required");
    if (strstr(url, "://") == NULL)
        return cli_errorf("'%s' is not an http(s) URL", url);
    if (password_in_url(url, where, sizeof(where)))
        return cli_errorf(NO_PASSWORD_IN_URL);
    memset(&p, 0, sizeof(p));
    p.url = url;
    if (!no_check && cli_with_http(cli->cfg, argv[first], user, url, run_probe,
                                   &p, &err) < 0)
        return cli_fail(&err);
    memset(&c, 0, sizeof(c));
    c.name = argv[first];
    /* Where the server says the calendar is counts only on the origin the
     * user gave: credentials must not follow a name to another host. */
    c.url = (char *)url;
    if (p.ci.url && http_may_move(url, p.ci.url))
        c.url = p.ci.url;
    else if (p.ci.url && strcmp(p.ci.url, url) != 0)
        fprintf(stderr,
                "tiara: the server names its calendar on another origin; "
                "keeping '%s'\n",
                where);
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

/* --json: the components as lowercase names, none when the server did
 * not say. */
static int json_row(const struct store_sync_calendar *c, void *ctx)
{
    static const struct {
        unsigned bit;
        const char *name;
    } comps[] = {{CALDAV_COMP_VEVENT, "vevent"},
                 {CALDAV_COMP_VTODO, "vtodo"},
                 {CALDAV_COMP_VJOURNAL, "vjournal"}};
    struct cli_json *o = cli_json_object(), *accepts = cli_json_array();

    for (size_t i = 0; i < ARRAY_SIZE(comps); i++)
        if (c->components & comps[i].bit)
            cli_json_push_str(accepts, comps[i].name);
    cli_json_str(o, "name", c->name);
    cli_json_str(o, "url", c->url);
    cli_json_str(o, "user", c->user);
    cli_json_str(o, "display_name", c->display_name);
    cli_json_set(o, "components", accepts);
    cli_json_push(ctx, o);
    return 0;
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
    int json = 0, first, rc;
    const struct cli_opt opts[] = {
        {"json", 'j', CLI_FLAG, &json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"calendar list", calendar_usage,
                                  "no arguments", 0, 0};
    struct err err;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (json) {
        struct cli_json *items = cli_json_array();

        if (store_sync_calendar_each(cli->st, json_row, items, &err) < 0) {
            cli_json_free(items);
            return cli_fail(&err);
        }
        return cli_json_print_items(items, &err) < 0 ? cli_fail(&err) : 0;
    }
    if (store_sync_calendar_each(cli->st, print_row, NULL, &err) < 0)
        return cli_fail(&err);
    return 0;
}

static int calendar_rm(struct cli *cli, int argc, char **argv)
{
    const struct cli_opt opts[] = {{NULL, 0, 0, NULL}};
    const struct cli_args args = {"calendar rm", calendar_usage, "one NAME", 1,
                                  1};
    struct err err;
    int first, rc;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (store_sync_calendar_remove(cli->st, argv[first], &err) < 0)
        return cli_fail(&err);
    printf("removed calendar '%s' (nothing was deleted on the server)\n",
           argv[first]);
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
