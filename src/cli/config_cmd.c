/* SPDX-License-Identifier: MIT */
/* config_cmd.c - 'tiara config': the settings in force and where each
 * came from; 'tiara config check' reads a file and says what is wrong */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "model.h"
#include "util.h"

static const char config_usage[] =
    "usage: tiara config [check [FILE] | path] [-o FILE]\n"
    "\n"
    "The settings in force, each with where it came from: an option, the\n"
    "environment, the settings file or tiara's default (each wins over\n"
    "the next). 'check' reads FILE (or the settings file) and names its\n"
    "first bad line; 'path' prints where the settings file is.\n";

/* One line: the name, the value, and whence. */
static void row(const char *name, const char *value, const char *whence)
{
    printf("  %-20s %s (%s)\n", name, util_empty(value) ? "-" : value, whence);
}

/* A key of the file: its value as the file gave it, else the default. */
static void keyed(const struct config *c, const char *section, const char *key,
                  const char *dflt)
{
    const char *v = config_from_file(c, section, key);

    row(key, v ? v : dflt, v ? "file" : "default");
}

static void show_where(const struct cli *cli)
{
    const char *env_db = getenv("TIARA_DB");
    const char *tiara_tz = getenv("TIARA_TZ"), *tz = getenv("TZ");
    const char *env_mail = getenv("TIARA_EMAIL");
    const char *file_mail = config_from_file(cli->cfg, "defaults", "email");

    printf("settings file %s (%s)\n", cli->cfg->path,
           cli->cfg->read ? "read" : "none there: the defaults");
    if (cli->db_opt)
        row("database", cli->db_opt, "--db");
    else if (!util_empty(env_db))
        row("database", env_db, "TIARA_DB");
    else
        row("database", "$XDG_DATA_HOME/tiara/tiara.db", "default");
    row("zone", cli->zone,
        !util_empty(tiara_tz) ? "TIARA_TZ"
        : !util_empty(tz)     ? "TZ"
                              : "the system's");
    row("your address", config_email(cli->cfg),
        !util_empty(env_mail) ? "TIARA_EMAIL"
        : file_mail           ? "file"
                              : "default");
    if (config_getenv(cli->cfg, "TIARA_PASSWORD"))
        row("password", "(set, not shown)", "TIARA_PASSWORD");
}

static void show(const struct cli *cli)
{
    const struct config *c = cli->cfg;
    char n[16];

    show_where(cli);
    printf("[defaults]\n");
    snprintf(n, sizeof(n), "%d", MODEL_MIN_MINUTES);
    keyed(c, "defaults", "length", n);
    keyed(c, "defaults", "cadence", "quarterly");
    keyed(c, "defaults", "thanks_zone", "mine");
    keyed(c, "defaults", "agenda_busy", "yes");
    keyed(c, "defaults", "email", NULL);
    {
        static const char *const colors[] = {"auto", "always", "never"};

        row("color", colors[cli->color], cli->color_whence);
    }
    printf("[sync]\n");
    keyed(c, "sync", "conflict", "newest");
    keyed(c, "sync", "notes", "no");
    keyed(c, "sync", "adopt_invitations", "no");
    keyed(c, "sync", "timeout", "30");
    keyed(c, "sync", "connections", "4");
    keyed(c, "sync", "max_delete", "5");
    keyed(c, "sync", "password_command", NULL);
    printf("[mail]\n");
    keyed(c, "mail", "name", NULL);
    keyed(c, "mail", "command", NULL);
    /* calendars: what the file says of each, in its order */
    for (size_t i = 0; i < c->ncals; i++) {
        char section[160];

        snprintf(section, sizeof(section), "calendar %s", c->cals[i].name);
        printf("[%s]\n", section);
        for (size_t k = 0; k < c->npairs; k++)
            if (strcmp(c->pairs[k].section, section) == 0)
                row(c->pairs[k].key, c->pairs[k].value, "file");
    }
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
    const struct cli_opt opts[] = {CLI_OUTPUT_OPT, {NULL, 0, 0, NULL}};
    const struct cli_args args = {"config", config_usage,
                                  "check [FILE] or path", 0, 2};
    struct config c;
    struct err err;
    int first, rc;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    err_clear(&err);
    if (first == argc) {
        /* main went on past a bad file for 'check': say it here too */
        if (config_load(NULL, &c, &err) < 0)
            return cli_fail(&err);
        config_release(&c);
        show(cli);
        return 0;
    }
    if (strcmp(argv[first], "path") == 0 && first + 1 == argc) {
        printf("%s\n", cli->cfg->path);
        return 0;
    }
    if (strcmp(argv[first], "check") != 0)
        return cli_usage_error("config", "'%s' is not check or path",
                               argv[first]);
    if (first + 1 < argc && access(argv[first + 1], R_OK) != 0)
        return cli_errorf("cannot read '%s'", argv[first + 1]);
    if (config_load(first + 1 < argc ? argv[first + 1] : NULL, &c, &err) < 0)
        return cli_fail(&err);
    printf("%s: %s (%zu setting%s)\n", c.path, c.read ? "good" : "not there",
           c.npairs, c.npairs == 1 ? "" : "s");
    rc = c.read ? 0 : 1;
    config_release(&c);
    return rc;
}
