/* SPDX-License-Identifier: MIT */
/* cli.h - the command table and what the commands share (private to cli/) */
#ifndef TIARA_CLI_H
#define TIARA_CLI_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "ics.h"
#include "model.h"
#include "store.h"
#include "store_sync.h"

/* What main.c opens for a command before running it. The settings file
 * is read for every command, so a typo in it is reported at once rather
 * than on the day sync runs. */
enum {
    NEED_STORE = 1 << 0,
    NEED_NET = 1 << 1, /* the HTTP library, started once for the process */
    /* reads the settings itself: a bad file is its to report */
    OWN_CONFIG = 1 << 2,
};

/* What every command gets: the open store and the session's clock. */
struct cli {
    const char *db_path;
    const char *db_opt;       /* --db, or NULL */
    struct store *st;         /* open when the command asked for NEED_STORE */
    utc_t now;                /* $TIARA_NOW (tests) or the clock, read once */
    const char *zone;         /* the user's zone */
    const char *prog;         /* "tiara" */
    const struct config *cfg; /* the settings file, read once */
    /* enum config_color from, in rising order, the default, [defaults]
     * color, NO_COLOR and --color; 'color_whence' names the winner */
    int color;
    const char *color_whence;
};

struct cmd {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    unsigned needs;
    const char *summary;
};

/* Print "tiara: <msg>" for 'e' and return its exit code. */
int cli_fail(const struct err *e);
/* safe_out.c: replace terminal controls (C0 but newline and tab, DEL,
 * C1, direction overrides) in 's' by '?', in place. */
void cli_neutralise(char *s);
/* The bytes 's' of 'n' hold a terminal control (as cli_neutralise sees
 * one) starting at 'i': its length in bytes, 0 for none, -1 when the
 * bytes end inside it. */
int cli_control_at(const char *s, size_t n, size_t i);
/* From now on stdout neutralises what goes through it. */
void cli_safe_stdout(void);
/* -o FILE: from now on stdout goes to 'path', written whole or not at
 * all (util_output). cli_output_end puts it in place when 'keep', else
 * drops it; without a cli_output_begin it does nothing. -1 with 'err'
 * when the file cannot be put in place. */
int cli_output_begin(const char *path, struct err *err);
int cli_output_end(int keep, struct err *err);
/* Colour (safe_out.c): whether what goes to 'f' (stdout or stderr) may
 * be coloured: never into an -o file, always or never as asked, else
 * only on a terminal. --json output never asks. */
int cli_color_on(const struct cli *cli, FILE *f);
/* Write SGR 'code' ("1;31", "0") to 'f' when 'on', past the
 * neutralising stdout, in order with what was printed before. */
void cli_sgr(FILE *f, int on, const char *code);
/* The SGR codes tiara uses: red for what is overdue, yellow for the
 * timer's warnings, and the reset. */
#define CLI_SGR_OVERDUE "1;31"
#define CLI_SGR_WARN "33"
#define CLI_SGR_RESET "0"
/* Print "tiara: <fmt>" and return 1 (a user error). */
int cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error and a hint to try --help; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Options, one table per command (git's parse_options): the helper resets
 * getopt, answers -h/--help, and refuses an unknown option, a missing
 * value and a wrong operand count, so every command does it alike. */
enum cli_opt_type {
    CLI_STRING,   /* --name VALUE: *(const char **)value */
    CLI_FLAG,     /* --name: *(int *)value = 1 */
    CLI_OPTIONAL, /* --name[=VALUE]: *(const char **)value, "" when bare */
    /* -o FILE for a command that prints a listing or a document: once
     * the parse succeeds, stdout goes there (cli_output_begin); 'value'
     * is NULL. CLI_OUTPUT_OPT is the entry. */
    CLI_OUTPUT,
};
#define CLI_OUTPUT_OPT                                                         \
    {                                                                          \
        "output", 'o', CLI_OUTPUT, NULL                                        \
    }

struct cli_opt {
    const char *name; /* long name without "--"; NULL ends the table */
    int short_name;   /* a letter, or 0 */
    enum cli_opt_type type;
    void *value;
};

struct cli_args {
    const char *cmd;      /* "contact add": named in the errors */
    const char *usage;    /* printed for -h and --help */
    const char *operands; /* "one CONTACT": what "takes" says */
    int min, max;         /* operand count; max < 0 for any number */
};

/* The answer of a parse that leaves the command to go on. */
#define CLI_CONTINUE (-1)

/* Parse argv[1..] against 'opts'. Returns CLI_CONTINUE with *first set to
 * the index of the first operand, 0 after printing the usage, or 2 after
 * a one-line usage error. */
int cli_parse(const struct cli_args *args, const struct cli_opt *opts, int argc,
              char **argv, int *first);

/* Dispatch argv[1] through a verb table (the same shape as commands). */
int cli_dispatch_verb(struct cli *cli, const char *cmd, const struct cmd *verbs,
                      size_t n, const char *usage, int argc, char **argv);

/* Save a changed interview: bump its SEQUENCE and LAST-MODIFIED, and its
 * contact's (whose check-in series follows its interviews). Call inside a
 * transaction. */
int cli_touch_interview(struct cli *cli, struct interview *iv, struct err *err);

/* Commands that take one INTERVIEW and, when 'undo' is given, --undo.
 * Returns CLI_CONTINUE with *iv found, or an exit status after printing
 * the help or the error. */
int cli_one_interview(struct cli *cli, int argc, char **argv, const char *cmd,
                      const char *usage, int *undo, struct interview *iv,
                      struct err *err);
/* The checks schedule, reschedule and edit share: a video link is
 * http(s), and an agenda is one the timer will run (it parses it). */
int cli_check_video(const char *url, struct err *err);
int cli_check_agenda(const char *spec, struct err *err);
/* cli_touch_interview in a transaction of its own. */
int cli_save_interview(struct cli *cli, struct interview *iv, struct err *err);
/* The "when:", "prepare:", "thank-you:" and "check-ins:" lines. */
void cli_print_plan(struct cli *cli, const struct interview *iv,
                    const struct contact *host);

struct http;
/* Run 'fn' with a connection for calendar 'name' (NULL when none is
 * named yet), asking for a password once on a 401 when a terminal is
 * there to ask. */
typedef int (*cli_http_fn)(struct http *h, void *ctx, struct err *err);
int cli_with_http(const struct config *cfg, const char *name, const char *user,
                  const char *url, cli_http_fn fn, void *ctx, struct err *err);
/* "VEVENT VTODO", or "(not said)", for CALDAV_COMP_* bits. */
void cli_components(unsigned c, char *out, size_t n);

/* Every busy span of the user's own events (from synced calendars, not
 * tiara's) overlapping [from, to); a non-zero return from 'fn' stops the
 * walk and is returned. */
int cli_busy_each(struct cli *cli, utc_t from, utc_t to, ics_busy_fn fn,
                  void *ctx, struct err *err);
/* The first of the user's own events (from a synced calendar, not
 * tiara's) that overlaps [start, end): 1 with *out and its summary in
 * 'summary', 0 when the time is free, -1 with 'err'. */
int cli_busy_clash(struct cli *cli, utc_t start, utc_t end,
                   struct ics_busy *out, char *summary, size_t n,
                   struct err *err);

/* How much of the meeting notes a line about an interview shows. */
#define CLI_NOTES_SHOWN 48
/* The start of the meeting's notes, so the thank-you note can mention
 * what was learned: ' (notes: "...")', or "" without notes; 'n' at least
 * CLI_NOTES_SHOWN + 16. */
void cli_notes_hint(const struct interview *iv, char *out, size_t n);

/* What the host's messages said of 'iv': ", host accepted", ", host
 * proposes Fri 2026-12-11 10:00" (in the user's zone), or "". */
void cli_itip_hint(struct cli *cli, const struct interview *iv, char *out,
                   size_t n);

/* Import options from the settings: the user's address, the default
 * length; the rest zero. */
void cli_import_options(const struct cli *cli, struct ics_import_options *o);

/* Print 's' in exactly 'width' terminal columns: padded with spaces, or
 * cut on a character with an ellipsis when it is wider. */
void cli_print_padded(const char *s, int width);

/* json.c: --json output (docs/json.md), built through these so that only
 * json.c includes jansson.h. A document is an object; a listing keeps its
 * entries in the array "items". The setters take NULL for 'o' (a failed
 * allocation) and remember the failure, which cli_json_print reports. */
struct cli_json; /* an object or an array */
struct cli_json *cli_json_object(void);
struct cli_json *cli_json_array(void);
/* Set 'key' of object 'o'. A NULL string is null; text that is not UTF-8
 * is cleaned as stored text would be. */
void cli_json_str(struct cli_json *o, const char *key, const char *v);
void cli_json_int(struct cli_json *o, const char *key, int64_t v);
void cli_json_bool(struct cli_json *o, const char *key, int v);
/* A record's id; 0 (none) is null. */
void cli_json_id(struct cli_json *o, const char *key, int64_t id);
/* RFC 3339 in UTC, "2026-12-03T10:00:00Z". */
void cli_json_time(struct cli_json *o, const char *key, utc_t t);
/* The same, with 0 (never, not yet) as null. */
void cli_json_time_or_null(struct cli_json *o, const char *key, utc_t t);
/* Put 'v' under 'key' of object 'o', or at the end of array 'a'; both
 * take 'v' (a NULL 'v' counts as a failure). */
void cli_json_set(struct cli_json *o, const char *key, struct cli_json *v);
void cli_json_push(struct cli_json *a, struct cli_json *v);
/* Put string 's' at the end of array 'a'. */
void cli_json_push_str(struct cli_json *a, const char *s);
void cli_json_free(struct cli_json *j);
/* Print 'doc' on stdout as one document and free it. Terminal controls
 * that JSON allows raw (DEL, C1, direction overrides) go as \u escapes,
 * so the neutralising stdout passes every byte unchanged. */
int cli_json_print(struct cli_json *doc, struct err *err);
/* Print {"items": items} and free it. */
int cli_json_print_items(struct cli_json *items, struct err *err);
/* The objects more than one command prints (docs/json.md). */
struct cli_json *cli_json_interview(struct cli *cli, const struct interview *iv,
                                    const char *host_name);
struct cli_json *cli_json_contact(const struct contact *c);

int cmd_contact(struct cli *cli, int argc, char **argv);
/* contact_import.c: 'contact import FILE.csv', with contact's 'usage'. */
int cli_contact_import(struct cli *cli, int argc, char **argv,
                       const char *usage);
int cmd_schedule(struct cli *cli, int argc, char **argv);
int cmd_reschedule(struct cli *cli, int argc, char **argv);
int cmd_edit(struct cli *cli, int argc, char **argv);
int cmd_cancel(struct cli *cli, int argc, char **argv);
int cmd_thanked(struct cli *cli, int argc, char **argv);
int cmd_prepared(struct cli *cli, int argc, char **argv);
int cmd_checkin(struct cli *cli, int argc, char **argv);
int cmd_landed(struct cli *cli, int argc, char **argv);
int cmd_told(struct cli *cli, int argc, char **argv);
int cmd_remind(struct cli *cli, int argc, char **argv);
int cmd_log(struct cli *cli, int argc, char **argv);
int cmd_rm(struct cli *cli, int argc, char **argv);
int cmd_thank(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_agenda(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_timer(struct cli *cli, int argc, char **argv);
int cmd_calendar(struct cli *cli, int argc, char **argv);
int cmd_sync(struct cli *cli, int argc, char **argv);
int cmd_conflicts(struct cli *cli, int argc, char **argv);
int cmd_adopt(struct cli *cli, int argc, char **argv);

#endif
