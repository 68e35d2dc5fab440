/* SPDX-License-Identifier: MIT */
/* timer.c - 'tiara timer': what to time and how, and afterwards the actual
 * times and notes kept with the interview (timer_loop.c runs the meeting) */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "term.h"
#include "timer.h"
#include "timer_loop.h"
#include "tz.h"
#include "util.h"

static const char usage_text[] =
    "usage: tiara timer [OPTION]... [INTERVIEW]\n"
    "Time a meeting: the interview named (an id or a contact), or the one\n"
    "under way or starting within 15 minutes, or an ad-hoc slot (--for).\n"
    "The slot's end is the agreed end; overtime is counted up.\n"
    "\n"
    "  -f, --for LENGTH     time a slot of LENGTH from now (45m, 1h, 90s)\n"
    "  -a, --agenda LIST    phases scaled to the slot, e.g.\n"
    "                       \"intro:5,questions:20,next:5\" (default: the\n"
    "                       interview's agenda, else small talk 5, questions\n"
    "                       20, next steps 5)\n"
    "  -w, --warn LIST      warnings before the end (default 10m,5m,2m;\n"
    "                       seconds allowed: 90s; \"none\"); offsets longer\n"
    "                       than the slot are skipped\n"
    "      --bell           one soft terminal bell at each warning\n"
    "      --notify         a desktop notification too (notify-send)\n"
    "      --plain          one line per event instead of the full screen\n"
    "                       (also when not on a terminal)\n"
    "  -n, --notes FILE     keep FILE as the meeting notes (no prompt)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Keys: space pause/resume, + / - move the end by 5 minutes, n next\n"
    "phase, q end. On ending, the actual start and end are kept with the\n"
    "interview, and you can type notes for the thank-you note.\n"
    "\n"
    "Test only: TIARA_TIMER_SPEED=N runs the clock N times faster (from\n"
    "TIARA_NOW when set); TIARA_TIMER_TRACE=1 adds each event's due time\n"
    "(seconds since the epoch) to the plain lines.\n";

/* An interview may be timed from this long before its start. */
#define EARLY_S (15 * 60L)
struct opts {
    const char *query;
    long for_s; /* 0 when not given */
    const char *agenda;
    const char *warn;
    const char *notes_file;
    int bell, notify, plain;
};

/* The interview under way now, or else the next one starting within 15
 * minutes. */
struct pick {
    utc_t now;
    int64_t current, soon;
    utc_t soon_start;
};

static int pick_one(const struct interview *iv, void *ctx)
{
    struct pick *p = ctx;
    utc_t end = iv->start + (utc_t)iv->minutes * 60;

    if (iv->status == STATUS_CANCELLED)
        return 0;
    if (iv->start <= p->now && p->now < end)
        p->current = iv->id;
    else if (iv->start > p->now && iv->start <= p->now + EARLY_S &&
             (!p->soon || iv->start < p->soon_start)) {
        p->soon = iv->id;
        p->soon_start = iv->start;
    }
    return 0;
}

static int find_interview(struct cli *cli, const char *query,
                          struct interview *iv, struct err *err)
{
    struct pick p;

    if (query)
        return store_interview_find(cli->st, query, cli->now, iv, err);
    memset(&p, 0, sizeof(p));
    p.now = cli->now;
    if (store_interview_each(
            cli->st, cli->now - (long)MODEL_ABSURD_MINUTES * 60,
            cli->now + EARLY_S + 1, 0, 0, pick_one, &p, err) < 0)
        return -1;
    if (!p.current && !p.soon)
        return err_set(err, ERR_NOT_FOUND,
                       "no interview now or in the next 15 minutes; name "
                       "one, or time a slot with --for 30m");
    return store_interview_get(cli->st, p.current ? p.current : p.soon, iv,
                               err);
}

/* Lines typed after the meeting under 'header', until an empty line,
 * Ctrl-D or Ctrl-C (caller frees; NULL when none). */
static char *prompt_lines(const char *header)
{
    struct buf b;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int mid_line = 0;

    buf_init(&b);
    fputs(header, stdout);
    fflush(stdout);
    while (!timer_loop_stop_signal() && (n = getline(&line, &cap, stdin)) > 0) {
        /* Ctrl-D after some text ends it without a newline: give one, so
         * what follows starts on a line of its own */
        mid_line = line[n - 1] != '\n';
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            break;
        if ((b.len && buf_adds(&b, "\n") < 0) || buf_adds(&b, line) < 0)
            break;
    }
    free(line);
    if (timer_loop_stop_signal() == SIGINT || mid_line)
        putchar('\n');
    return b.len ? buf_steal(&b) : (buf_release(&b), NULL);
}

static void plain_sgr(const char *code)
{
    cli_sgr(stdout, 1, code);
}

static char *prompt_notes(const char *who)
{
    char header[256];

    snprintf(header, sizeof(header),
             "Notes on the meeting with %s, for the thank-you note\n"
             "(kept on this machine; an empty line ends):\n",
             who);
    return prompt_lines(header);
}

/* "Can you suggest other people I could speak to?": each name given
 * becomes a contact referred by the host, unless one has that name. */
static int add_suggested(struct cli *cli, int64_t host_id, const char *who,
                         char *names, struct err *err)
{
    int added = 0;

    if (store_begin(cli->st, err) < 0)
        return -1;
    for (char *name = names, *next; name; name = next) {
        struct contact c, twin;

        if ((next = strchr(name, '\n')))
            *next++ = '\0';
        while (*name == ' ' || *name == '\t')
            name++;
        if (!*name)
            continue;
        if (store_contact_find(cli->st, name, &twin, NULL) == 0 &&
            strcmp(twin.name, name) == 0) {
            printf("%s is a contact already (#%lld)\n", twin.name,
                   (long long)twin.id);
            model_contact_release(&twin);
            continue;
        }
        model_contact_init(&c);
        c.name = strdup(name);
        c.referred_by = host_id;
        c.cadence = (enum cadence)cli->cfg->defaults.cadence;
        c.created = c.modified = cli->now;
        if (!c.name || model_contact_validate(&c, err) < 0 ||
            store_contact_add(cli->st, &c, err) < 0) {
            if (!c.name)
                err_set(err, ERR_NOMEM, "out of memory");
            model_contact_release(&c);
            store_rollback(cli->st);
            return -1;
        }
        printf("Added contact #%lld %s, suggested by %s.\n", (long long)c.id,
               c.name, who);
        added++;
        model_contact_release(&c);
    }
    return store_commit(cli->st, err) < 0 ? -1 : added;
}

static int save(struct cli *cli, const struct run *r, int64_t iv_id,
                const char *notes, struct err *err)
{
    struct interview iv;
    struct cli at = *cli;
    utc_t start = (utc_t)(r->t.began / 1000), end = (utc_t)(r->end_ms / 1000);
    int ret = -1;

    model_interview_init(&iv);
    if (store_begin(cli->st, err) < 0)
        return -1;
    /* Read it again: a sync may have changed it during the meeting. */
    if (store_interview_get(cli->st, iv_id, &iv, err) < 0)
        goto out;
    /* A timer restarted for the same meeting keeps the first start. */
    if (!(iv.actual_start && iv.actual_start >= iv.start - EARLY_S &&
          iv.actual_start <= start))
        iv.actual_start = start;
    iv.actual_end = end;
    if (!util_empty(notes)) {
        struct buf b;

        buf_init(&b);
        if ((!util_empty(iv.notes) && buf_printf(&b, "%s\n\n", iv.notes) < 0) ||
            buf_adds(&b, notes) < 0) {
            buf_release(&b);
            err_set(err, ERR_NOMEM, "out of memory");
            goto out;
        }
        free(iv.notes);
        iv.notes = buf_steal(&b);
    }
    at.now = end;
    if (cli_touch_interview(&at, &iv, err) < 0)
        goto out;
    if (store_commit(cli->st, err) < 0)
        goto out;
    ret = 0;
out:
    if (ret < 0)
        store_rollback(cli->st);
    model_interview_release(&iv);
    return ret;
}

/* Returns CLI_CONTINUE, or an exit status after printing the help or
 * the error. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    const char *length = NULL;
    const struct cli_opt opts[] = {
        {"for", 'f', CLI_STRING, &length},
        {"agenda", 'a', CLI_STRING, &o->agenda},
        {"warn", 'w', CLI_STRING, &o->warn},
        {"bell", 0, CLI_FLAG, &o->bell},
        {"notify", 0, CLI_FLAG, &o->notify},
        {"plain", 0, CLI_FLAG, &o->plain},
        {"notes", 'n', CLI_STRING, &o->notes_file},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"timer", usage_text,
                                  "one interview at a time", 0, 1};
    struct err e;
    int first, status;

    memset(o, 0, sizeof(*o));
    status = cli_parse(&args, opts, argc, argv, &first);
    if (status != CLI_CONTINUE)
        return status;
    if (length) {
        if (util_parse_duration(length, &o->for_s, &e) < 0)
            return cli_fail(&e);
        if (o->for_s <= 0 || o->for_s > (long)MODEL_ABSURD_MINUTES * 60)
            return cli_errorf("--for '%s': give a length from 1s to 12h",
                              length);
    }
    o->query = first < argc ? argv[first] : NULL;
    return CLI_CONTINUE;
}

/* Which slot to time: the interview (filling *iv, *host and r->who) or an
 * ad-hoc one; *end is the agreed end in meeting milliseconds. */
static int choose_slot(struct cli *cli, struct run *r, const struct opts *o,
                       int64_t now, struct interview *iv, struct contact *host,
                       int *have_iv, int64_t *end, struct err *err)
{
    char when[32];
    utc_t iv_end;

    if (!o->query && o->for_s) {
        *end = now + (int64_t)o->for_s * 1000;
        return 0;
    }
    /* the notes and times are saved at the end: know now that they can be */
    if (find_interview(cli, o->query, iv, err) < 0 ||
        store_writable(cli->st, err) < 0)
        return -1;
    *have_iv = 1;
    if (iv->status == STATUS_CANCELLED)
        return err_set(err, ERR_INPUT, "interview #%lld is cancelled",
                       (long long)iv->id);
    if (store_contact_get(cli->st, iv->contact_id, host, err) < 0)
        return -1;
    snprintf(r->who, sizeof(r->who), "%s", host->name ? host->name : "");
    r->host_zone = !util_empty(host->tz) ? host->tz
                   : !util_empty(iv->tz) ? iv->tz
                                         : NULL;
    if (o->for_s) {
        *end = now + (int64_t)o->for_s * 1000;
        return 0;
    }
    iv_end = iv->start + (utc_t)iv->minutes * 60;
    if (now / 1000 < iv->start - EARLY_S) {
        tz_format_time(cli->zone, iv->start, when, sizeof(when));
        return err_set(err, ERR_INPUT,
                       "the interview with %s starts at %s; the timer opens "
                       "15 minutes before (or time a slot with --for)",
                       r->who, when);
    }
    /* Restarting a timer in overtime is fine; a meeting long past is a
     * mistake. */
    if (now / 1000 >= iv_end + (utc_t)iv->minutes * 60) {
        tz_format_time(cli->zone, iv_end, when, sizeof(when));
        return err_set(err, ERR_INPUT,
                       "the interview with %s ended at %s; time a new slot "
                       "with --for",
                       r->who, when);
    }
    /* The agreed end, not the start plus the length: a late start leaves
     * less time, and the phases share what is left. */
    *end = (int64_t)iv_end * 1000;
    return 0;
}

static int choose_plan(const struct opts *o, const struct interview *iv,
                       struct timer_agenda *ag, struct timer_warnings *w,
                       struct err *err)
{
    if (o->agenda) {
        if (timer_agenda_parse(o->agenda, ag, err) < 0)
            return -1;
    } else if (iv && !util_empty(iv->agenda)) {
        if (timer_agenda_parse(iv->agenda, ag, err) < 0)
            return err_prefix(err, "the interview's agenda");
    } else {
        timer_agenda_default(ag);
    }
    if (o->warn)
        return timer_warnings_parse(o->warn, w, err);
    timer_warnings_default(w);
    return 0;
}

/* How long it took, printed as it ended; the times are saved after. */
static void summary(const struct run *r)
{
    char len[32], from[32], to[32], over[64];

    timer_format_len(r->end_ms - r->t.began, len, sizeof(len));
    tz_format_clock(r->zone, (utc_t)(r->t.began / 1000), 0, from, sizeof(from));
    tz_format_clock(r->zone, (utc_t)(r->end_ms / 1000), 1, to, sizeof(to));
    over[0] = '\0';
    if (r->end_ms > r->t.end) {
        char d[32];

        timer_format_len(r->end_ms - r->t.end, d, sizeof(d));
        snprintf(over, sizeof(over), " (%s past the agreed end)", d);
    }
    if (r->plain) {
        timer_loop_plain_line(r, r->end_ms, r->end_ms,
                              "stop: %s in all, %s-%s%s", len, from, to, over);
        return;
    }
    printf("%s%s: %s in all, %s-%s%s\n", r->who[0] ? "Met " : "Timed ",
           r->who[0] ? r->who : "a slot", len, from, to, over);
    fflush(stdout);
}

/* After the meeting: the notes (typed now unless --notes gave them), the
 * people the host suggested, and the actual times, kept with the
 * interview. */
static int keep_results(struct cli *cli, struct run *r,
                        const struct interview *iv, char **notes,
                        struct err *err)
{
    char *suggested = NULL;
    int ret = -1;

    if (!*notes && r->quit_key && isatty(STDIN_FILENO) &&
        !timer_loop_stop_signal()) {
        char header[256];

        *notes = prompt_notes(r->who);
        snprintf(header, sizeof(header),
                 "People %s suggested you speak to, one per line (each "
                 "becomes a contact; an empty line ends):\n",
                 r->who);
        if (!timer_loop_stop_signal())
            suggested = prompt_lines(header);
    }
    if (save(cli, r, iv->id, *notes, err) < 0 ||
        (suggested &&
         add_suggested(cli, iv->contact_id, r->who, suggested, err) < 0))
        goto out;
    if (r->plain)
        timer_loop_plain_line(r, r->end_ms, r->end_ms,
                              "saved: actual times%s with interview #%lld",
                              *notes ? " and notes" : "", (long long)iv->id);
    else
        printf("Kept the actual times%s with interview #%lld.\n",
               *notes ? " and your notes" : "", (long long)iv->id);
    ret = 0;
out:
    free(suggested);
    return ret;
}

int cmd_timer(struct cli *cli, int argc, char **argv)
{
    struct opts o;
    struct run r;
    struct err err;
    struct interview iv;
    struct contact host;
    struct timer_agenda ag;
    struct timer_warnings w;
    sigset_t waitmask, orig;
    char *notes = NULL;
    int64_t now, end = 0;
    int ret = -1, status, have_iv = 0, tty_fd = -1, sigs = 0;

    status = parse_opts(argc, argv, &o);
    if (status != CLI_CONTINUE)
        return status;
    err_clear(&err);
    model_interview_init(&iv);
    model_contact_init(&host);
    memset(&r, 0, sizeof(r));
    r.bell = o.bell;
    r.zone = cli->zone;
    r.input_fd = -1;
    r.trace = !util_empty(getenv("TIARA_TIMER_TRACE"));
    if (timer_loop_clock_init(&r.clk, cli->now, &err) < 0)
        goto out;
    now = timer_loop_clock_now(&r.clk);
    if (choose_slot(cli, &r, &o, now, &iv, &host, &have_iv, &end, &err) < 0)
        goto out;
    if (choose_plan(&o, have_iv ? &iv : NULL, &ag, &w, &err) < 0)
        goto out;
    if (o.notes_file) {
        if (!have_iv) {
            err_set(&err, ERR_INPUT,
                    "--notes needs an interview to keep them with");
            goto out;
        }
        if (util_read_file(o.notes_file, &notes, NULL, &err) < 0)
            goto out;
    }
    if (o.notify) {
        r.notify_path = util_find_in_path("notify-send");
        if (!r.notify_path)
            fprintf(stderr, "tiara: notify-send not found; no desktop "
                            "notifications\n");
    }

    timer_init(&r.t, now, end, &ag, &w);
    timer_loop_catch_signals(&waitmask, &orig);
    sigs = 1;
    if (!o.plain && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        tty_fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    r.plain = tty_fd < 0;
    /* plain lines carry no controls of their own: neutralise the host's
     * name and the agenda's words like every other command */
    if (r.plain)
        cli_safe_stdout();
    if (r.plain && cli_color_on(cli, stdout))
        r.sgr = plain_sgr;
    r.input_open = 1;
    if (!r.plain) {
        if (term_open(tty_fd, &r.term, &err) < 0)
            goto out;
        /* a terminal of its own: only never (or NO_COLOR) turns it off */
        term_set_color(r.term, cli->color != CONFIG_COLOR_NEVER);
        r.input_fd = tty_fd;
    } else {
        struct timer_view v;
        char left[32], until[160];

        r.input_fd = STDIN_FILENO;
        timer_view(&r.t, now, &v);
        timer_format_left(v.left_ms, left, sizeof(left));
        timer_loop_end_time(&r, end, until, sizeof(until));
        timer_loop_plain_line(&r, now, now, "start: %s%s%s until %s; phase: %s",
                              left, r.who[0] ? " with " : "", r.who, until,
                              v.phase_name);
    }

    if (timer_loop_run(&r, &waitmask, &err) < 0)
        goto out;
    term_close(r.term);
    r.term = NULL;
    /* Let Ctrl-C end the notes prompt instead of waiting. */
    sigprocmask(SIG_SETMASK, &waitmask, NULL);
    summary(&r);
    if (have_iv && keep_results(cli, &r, &iv, &notes, &err) < 0)
        goto out;
    ret = 0;
out:
    /* On every way out, the terminal first, so the message is readable. */
    term_close(r.term);
    if (sigs)
        sigprocmask(SIG_SETMASK, &orig, NULL);
    if (tty_fd >= 0)
        close(tty_fd);
    free(notes);
    free(r.notify_path);
    model_contact_release(&host);
    model_interview_release(&iv);
    return ret < 0 ? cli_fail(&err) : 0;
}
