/* SPDX-License-Identifier: MIT */
/* conflicts.c - 'tiara conflicts list|show|restore': the versions that
 * lost a sync conflict, kept so that nothing is lost */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldav.h"
#include "cli.h"
#include "ics.h"
#include "tz.h"
#include "util.h"

static const char conflicts_usage[] =
    "usage: tiara conflicts [list] [-j|--json] [-o FILE]\n"
    "       tiara conflicts show ID [-j|--json] [-o FILE]\n"
    "       tiara conflicts restore ID\n"
    "\n"
    "When an entry changed on both sides between two syncs, one version\n"
    "wins (see [sync] conflict in docs/sync.md) and the other is kept here.\n"
    "'show' prints the kept version as a diff against what won; 'restore'\n"
    "takes the kept version back into the store, and the next sync sends\n"
    "it. --json prints list and show as JSON (docs/json.md).\n";

/* A diff this large is printed as the two texts instead. */
#define MAX_DIFF_LINES 2000

static const char *whose(const struct store_sync_conflict *c)
{
    return strcmp(c->side, "local") == 0 ? "this computer's" : "the server's";
}

static int print_row(const struct store_sync_conflict *c, void *ctx)
{
    char when[32], *summary = caldav_ics_prop(c->text, "SUMMARY");
    int *n = ctx;

    tz_format_time(tz_user_zone(), c->at, when, sizeof(when));
    printf("#%-4lld %s  %s version of '%s' lost (%s, calendar %s)\n",
           (long long)c->id, when, whose(c), summary ? summary : c->uid,
           c->policy, c->calendar ? c->calendar : "removed");
    free(summary);
    (*n)++;
    return 0;
}

/* A kept loser as JSON; 'show' adds both texts. */
static struct cli_json *json_conflict(const struct store_sync_conflict *c,
                                      int texts)
{
    struct cli_json *o = cli_json_object();
    char *summary = caldav_ics_prop(c->text, "SUMMARY");

    cli_json_int(o, "id", c->id);
    cli_json_time(o, "at", c->at);
    cli_json_str(o, "side", c->side);
    cli_json_str(o, "uid", c->uid);
    cli_json_str(o, "summary", summary);
    cli_json_str(o, "policy", c->policy);
    cli_json_str(o, "calendar", c->calendar);
    if (texts) {
        cli_json_str(o, "text", c->text);
        cli_json_str(o, "winner", c->winner);
    }
    free(summary);
    return o;
}

static int json_row(const struct store_sync_conflict *c, void *ctx)
{
    cli_json_push(ctx, json_conflict(c, 0));
    return 0;
}

static int conflicts_list(struct cli *cli, int argc, char **argv)
{
    int json = 0, first, rc, n = 0;
    const struct cli_opt opts[] = {
        {"json", 'j', CLI_FLAG, &json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"conflicts list", conflicts_usage,
                                  "no arguments", 0, 0};
    struct err err;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (json) {
        struct cli_json *items = cli_json_array();

        if (store_sync_conflict_each(cli->st, json_row, items, &err) < 0) {
            cli_json_free(items);
            return cli_fail(&err);
        }
        return cli_json_print_items(items, &err) < 0 ? cli_fail(&err) : 0;
    }
    if (store_sync_conflict_each(cli->st, print_row, &n, &err) < 0)
        return cli_fail(&err);
    if (n == 0)
        printf("no conflicts kept: every sync so far agreed\n");
    return 0;
}

/* The content lines of 'text', unfolded, without line ends. */
struct lines {
    char **v;
    size_t n, cap;
};

static int split_lines(const char *text, struct lines *out)
{
    struct buf cur;
    const char *p = text;

    memset(out, 0, sizeof(*out));
    buf_init(&cur);
    while (*p) {
        size_t n = strcspn(p, "\r\n");

        buf_add(&cur, p, n);
        p += n;
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
        if (*p == ' ' || *p == '\t') {
            p++; /* a folded line goes on */
            continue;
        }
        if (ALLOC_GROW(out->v, out->n + 1, out->cap) < 0 ||
            !(out->v[out->n] = buf_steal(&cur)))
            return -1;
        out->n++;
    }
    buf_release(&cur);
    return 0;
}

static void lines_release(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* A line diff by longest common subsequence: ' ' both, '-' only in the
 * kept version, '+' only in the one that won. */
static int print_diff(const struct lines *a, const struct lines *b)
{
    size_t n = a->n, m = b->n, i = 0, j = 0;
    unsigned *len;

    if (n > MAX_DIFF_LINES || m > MAX_DIFF_LINES)
        return -1;
    len = calloc((n + 1) * (m + 1), sizeof(*len));
    if (!len)
        return -1;
#define LEN(x, y) len[(x) * (m + 1) + (y)]
    for (size_t x = n; x-- > 0;)
        for (size_t y = m; y-- > 0;)
            LEN(x, y) = strcmp(a->v[x], b->v[y]) == 0
                            ? LEN(x + 1, y + 1) + 1
                            : (LEN(x + 1, y) > LEN(x, y + 1) ? LEN(x + 1, y)
                                                             : LEN(x, y + 1));
    while (i < n || j < m) {
        if (i < n && j < m && strcmp(a->v[i], b->v[j]) == 0) {
            printf(" %s\n", a->v[i++]);
            j++;
        } else if (j < m && (i == n || LEN(i, j + 1) >= LEN(i + 1, j))) {
            printf("+%s\n", b->v[j++]);
        } else {
            printf("-%s\n", a->v[i++]);
        }
    }
#undef LEN
    free(len);
    return 0;
}

/* "3" or "#3". */
static int read_id(const char *s, int64_t *id)
{
    long v;

    if (*s == '#')
        s++;
    if (util_parse_long(s, 1, 0x7fffffffL, &v) < 0)
        return cli_usage_error("conflicts", "'%s' is not a conflict id", s);
    *id = v;
    return CLI_CONTINUE;
}

/* 'json' is NULL for a verb without --json. */
static int one_conflict(struct cli *cli, const char *verb, int argc,
                        char **argv, int *json, struct store_sync_conflict *c)
{
    const struct cli_opt opts[] = {
        /* show prints a document; restore changes the store */
        {json ? "json" : NULL, 'j', CLI_FLAG, json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    char cmd[32];
    struct cli_args args = {cmd, conflicts_usage, "one ID", 1, 1};
    struct err err;
    int64_t id = 0;
    int first, rc;

    snprintf(cmd, sizeof(cmd), "conflicts %s", verb);
    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE || (rc = read_id(argv[first], &id)) != CLI_CONTINUE)
        return rc;
    if (store_sync_conflict_get(cli->st, id, c, &err) < 0)
        return cli_fail(&err);
    return CLI_CONTINUE;
}

static int conflicts_show(struct cli *cli, int argc, char **argv)
{
    struct store_sync_conflict c;
    struct lines kept, won;
    struct err err;
    int json = 0, rc = one_conflict(cli, "show", argc, argv, &json, &c);

    if (rc != CLI_CONTINUE)
        return rc;
    if (json) {
        rc =
            cli_json_print(json_conflict(&c, 1), &err) < 0 ? cli_fail(&err) : 0;
        store_sync_conflict_release(&c);
        return rc;
    }
    print_row(&c, &(int){0});
    if (!c.winner) {
        printf("what won is no longer kept; the losing version:\n%s", c.text);
        store_sync_conflict_release(&c);
        return 0;
    }
    rc = split_lines(c.text, &kept);
    if (split_lines(c.winner, &won) < 0)
        rc = -1;
    printf("--- kept: %s version\n+++ won: the calendar's now\n", whose(&c));
    if (rc || print_diff(&kept, &won) < 0)
        printf("(too long to compare) kept:\n%s\nwon:\n%s", c.text, c.winner);
    lines_release(&kept);
    lines_release(&won);
    store_sync_conflict_release(&c);
    return 0;
}

static int conflicts_restore(struct cli *cli, int argc, char **argv)
{
    struct store_sync_conflict c;
    struct ics_import_options io;
    struct ics_import_report rep;
    struct err err;
    char source[48];
    int rc = one_conflict(cli, "restore", argc, argv, NULL, &c);

    if (rc != CLI_CONTINUE)
        return rc;
    cli_import_options(cli, &io);
    io.newer = io.strict = io.plain_events = 1;
    snprintf(source, sizeof(source), "conflict #%lld", (long long)c.id);
    /* One transaction: the version comes back and stops being a loser. */
    if (store_begin(cli->st, &err) < 0 ||
        ics_import(cli->st, c.text, source, cli->now, &io, &rep, &err) < 0 ||
        store_sync_conflict_delete(cli->st, c.id, &err) < 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        store_sync_conflict_release(&c);
        return cli_fail(&err);
    }
    printf("restored %s version of '%s' from conflict #%lld; the next sync "
           "sends it\n",
           whose(&c), c.uid, (long long)c.id);
    store_sync_conflict_release(&c);
    return 0;
}

int cmd_conflicts(struct cli *cli, int argc, char **argv)
{
    static const struct cmd verbs[] = {
        {"list", conflicts_list, NEED_STORE, "list the kept losers"},
        {"show", conflicts_show, NEED_STORE, "one, as a diff"},
        {"restore", conflicts_restore, NEED_STORE, "take one back"},
    };

    /* "tiara conflicts" and "tiara conflicts --json" list */
    if (argc == 1 || (argv[1][0] == '-' && strcmp(argv[1], "-h") &&
                      strcmp(argv[1], "--help")))
        return conflicts_list(cli, argc, argv);
    return cli_dispatch_verb(cli, "conflicts", verbs, ARRAY_SIZE(verbs),
                             conflicts_usage, argc, argv);
}
