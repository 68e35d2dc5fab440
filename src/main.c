/* SPDX-License-Identifier: MIT */
/* main.c - global options, command dispatch, errors to exit codes */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "crash.h"
#include "http.h"
#include "tz.h"
#include "util.h"
#include "when.h"

static const struct cmd commands[] = {
    {"contact", cmd_contact, NEED_STORE,
     "add, list, show, edit and remove contacts"},
    {"schedule", cmd_schedule, NEED_STORE, "book an informational interview"},
    {"reschedule", cmd_reschedule, NEED_STORE,
     "move an interview; its tasks move with it"},
    {"edit", cmd_edit, NEED_STORE,
     "change an interview's place, link, mode, agenda or notes"},
    {"cancel", cmd_cancel, NEED_STORE, "cancel an interview (it is kept)"},
    {"rm", cmd_rm, NEED_STORE, "remove an interview for good"},
    {"show", cmd_show, NEED_STORE, "show an interview, its tasks and notes"},
    {"log", cmd_log, NEED_STORE,
     "the interviews that took place, newest first"},
    {"prepared", cmd_prepared, NEED_STORE, "mark the preparation as done"},
    {"thank", cmd_thank, NEED_STORE,
     "draft the thank-you email; print, link, file or send it"},
    {"thanked", cmd_thanked, NEED_STORE, "mark the thank-you note as sent"},
    {"checkin", cmd_checkin, NEED_STORE,
     "stop, resume or change check-ins with a contact"},
    {"landed", cmd_landed, NEED_STORE,
     "landed a job: a follow-up for every host met"},
    {"told", cmd_told, NEED_STORE, "mark a host's landed follow-up as done"},
    {"agenda", cmd_agenda, NEED_STORE, "what is coming, check-ins included"},
    {"remind", cmd_remind, NEED_STORE,
     "what is due now: for a prompt, a script or notifications"},
    {"export", cmd_export, NEED_STORE, "write an .ics calendar"},
    {"import", cmd_import, NEED_STORE,
     "read an .ics invitation or tiara export"},
    {"adopt", cmd_adopt, NEED_STORE,
     "make an event of the synced calendar an interview"},
    {"timer", cmd_timer, NEED_STORE, "run the in-meeting clock"},
    {"calendar", cmd_calendar, NEED_STORE | NEED_NET,
     "add or discover CalDAV calendars"},
    {"sync", cmd_sync, NEED_STORE | NEED_NET, "sync with CalDAV calendars"},
    {"config", cmd_config, OWN_CONFIG,
     "the settings in force and where each came from"},
    {"conflicts", cmd_conflicts, NEED_STORE,
     "list, show and restore versions that lost a conflict"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tiara [--db FILE] [--color[=WHEN]] COMMAND [ARGS]\n"
            "\n"
            "The calendar and timing companion for informational interviews.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n"
               "Options:\n"
               "  --db FILE      database (default $TIARA_DB, else\n"
               "                 $XDG_DATA_HOME/tiara/tiara.db)\n"
               "  --color[=WHEN] colour on a terminal: auto (default),\n"
               "                 always or never; NO_COLOR turns it off\n"
               "  -V, --version  print the version\n"
               "  -h, --help     this help; 'tiara COMMAND --help' for a "
               "command\n");
}

/* Default database path under XDG_DATA_HOME (caller frees). */
static char *default_db(struct err *err)
{
    const char *env = getenv("TIARA_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    struct buf dir, path;

    if (!util_empty(env))
        return strdup(env);
    buf_init(&dir);
    buf_init(&path);
    if (!util_empty(xdg) && xdg[0] == '/')
        buf_printf(&dir, "%s/tiara", xdg);
    else if (!util_empty(home))
        buf_printf(&dir, "%s/.local/share/tiara", home);
    else {
        err_set(err, ERR_INPUT,
                "cannot find a home for the database: set "
                "HOME, XDG_DATA_HOME or TIARA_DB, or pass --db");
        return NULL;
    }
    if (util_mkdirs(dir.data, err) < 0) {
        buf_release(&dir);
        return NULL;
    }
    buf_printf(&path, "%s/tiara.db", dir.data);
    buf_release(&dir);
    return buf_steal(&path);
}

/* Tests fix the clock with TIARA_NOW (ISO 8601 or seconds). */
static int session_now(utc_t *now, struct err *err)
{
    const char *env = getenv("TIARA_NOW");
    struct when w;
    long v;

    if (util_empty(env)) {
        *now = (utc_t)time(NULL);
        return 0;
    }
    if (util_parse_long(env, 0, 0x7fffffffL, &v) == 0) {
        *now = v;
        return 0;
    }
    if (when_parse(env, 0, "UTC", 0, &w, err) < 0)
        return err_prefix(err, "TIARA_NOW");
    *now = w.t;
    return 0;
}

/* What a command printed must have reached its destination: a full disk
 * or a closed pipe is an error, not a silent exit 0. */
static int finish_output(int status)
{
    if (fflush(stdout) == EOF || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "tiara: cannot write the output: %s\n",
                    strerror(errno ? errno : EIO));
        return status ? status : 1;
    }
    return status;
}

/* default < [defaults] color < NO_COLOR (https://no-color.org: any
 * value) < --color; cli->color holds the option's value already. */
static void choose_color(struct cli *cli, const char *opt)
{
    if (opt) {
        cli->color_whence = "--color";
    } else if (getenv("NO_COLOR")) {
        cli->color = CONFIG_COLOR_NEVER;
        cli->color_whence = "NO_COLOR";
    } else {
        cli->color = cli->cfg->defaults.color;
        cli->color_whence = config_from_file(cli->cfg, "defaults", "color")
                                ? "file"
                                : "default";
    }
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"color", optional_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct cli cli;
    struct config cfg;
    struct err err;
    const struct cmd *cmd = NULL;
    char *db = NULL;
    const char *db_opt = NULL, *color_opt = NULL;
    int c, status;

    memset(&cli, 0, sizeof(cli));
    memset(&cfg, 0, sizeof(cfg));
    err_clear(&err);
    cli.prog = "tiara";
#ifdef TIARA_CRASH_POINTS
    /* the tests enumerate the points of the build they run */
    if (getenv("TIARA_CRASH_LIST")) {
        size_t n;
        const char *const *names = crash_point_names(&n);
        for (size_t i = 0; i < n; i++)
            printf("%s\n", names[i]);
        return 0;
    }
#endif
    /* '+': stop at the command so its options are its own. */
    while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db_opt = optarg;
            break;
        case 'c':
            /* bare --color is --color=always, as in ls and git */
            color_opt = optarg ? optarg : "always";
            if (config_color_parse(color_opt, &cli.color) < 0) {
                fprintf(stderr,
                        "tiara: --color is auto, always or never, not "
                        "'%s'\nTry 'tiara --help'.\n",
                        color_opt);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("tiara %s\n", TIARA_VERSION);
            return 0;
        default:
            fprintf(stderr, "Try 'tiara --help'.\n");
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[optind], "help") == 0) {
        if (optind + 1 < argc) {
            char *help_argv[] = {argv[optind + 1], (char *)"--help", NULL};

            for (size_t i = 0; i < NCOMMANDS; i++)
                if (strcmp(commands[i].name, argv[optind + 1]) == 0)
                    return finish_output(commands[i].run(&cli, 2, help_argv));
            fprintf(
                stderr,
                "tiara: no command '%s' to help with\nTry 'tiara --help'.\n",
                argv[optind + 1]);
            return 2;
        }
        usage(stdout);
        return finish_output(0);
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, argv[optind]) == 0)
            cmd = &commands[i];
    if (!cmd) {
        fprintf(stderr, "tiara: unknown command '%s'\nTry 'tiara --help'.\n",
                argv[optind]);
        return 2;
    }
    argc -= optind;
    argv += optind;
    /* People read what tiara prints: no terminal controls from names,
     * notes or invitations. Not for export (its CRLF lines are the
     * format) nor the timer, whose screen is drawn with controls (its
     * plain lines go through the same filter, set by the timer). */
    if (strcmp(cmd->name, "export") && strcmp(cmd->name, "timer"))
        cli_safe_stdout();
    if (session_now(&cli.now, &err) < 0)
        return cli_fail(&err);
    {
        char warning[256];

        if (tz_user_zone_check(warning, sizeof(warning), &err) < 0)
            return cli_fail(&err);
        if (warning[0])
            fprintf(stderr, "tiara: %s\n", warning);
    }
    cli.zone = tz_user_zone();
    /* --help needs no database. */
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return finish_output(cmd->run(&cli, argc, argv));
    /* Settings first: a bad line is reported before anything changes. */
    if (config_load(NULL, &cfg, &err) < 0) {
        if (!(cmd->needs & OWN_CONFIG))
            return cli_fail(&err);
        if (config_load("/dev/null", &cfg, &err) < 0)
            return cli_fail(&err);
        free(cfg.path);
        cfg.path = config_default_path();
    }
    if (config_take_env_secrets(&cfg, &err) < 0) {
        config_release(&cfg);
        return cli_fail(&err);
    }
    cli.cfg = &cfg;
    cli.db_opt = db_opt;
    choose_color(&cli, color_opt);
    if (cmd->needs & NEED_STORE) {
        db = db_opt ? strdup(db_opt) : default_db(&err);
        if (!db) {
            config_release(&cfg);
            return cli_fail(&err);
        }
        cli.db_path = db;
        if (store_open(db, &cli.st, &err) < 0) {
            free(db);
            config_release(&cfg);
            return cli_fail(&err);
        }
    }
    if ((cmd->needs & NEED_NET) && http_global_init(&err) < 0)
        status = cli_fail(&err);
    else
        status = cmd->run(&cli, argc, argv);
    /* an -o file is kept for what a command answers (remind's 3, nothing
     * due, among them), dropped on a failure or a usage error */
    if (cli_output_end(status != 1 && status != 2, &err) < 0) {
        int failed = cli_fail(&err);
        if (status == 0)
            status = failed;
    }
    http_global_cleanup();
    store_close(cli.st);
    config_release(&cfg);
    free(db);
    return finish_output(status);
}
