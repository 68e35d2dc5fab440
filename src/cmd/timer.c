/* SPDX-License-Identifier: MIT */
/* timer.c - 'tiara timer': the in-meeting clock, full screen or one line
 * per event, and the actual times and notes kept with the interview */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "store.h"
#include "term.h"
#include "timer.h"
#include "tz.h"
#include "util.h"

extern char **environ;

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

/* Signals seen by the loop; set by handlers, read between waits. */
static volatile sig_atomic_t g_stop_sig;
static volatile sig_atomic_t g_winch;

static void on_stop(int sig)
{
    g_stop_sig = sig;
}

static void on_winch(int sig)
{
    (void)sig;
    g_winch = 1;
}

/* The meeting's clock: the wall clock (so a sleeping laptop wakes to the
 * true time), or for tests TIARA_NOW running TIARA_TIMER_SPEED times
 * faster. Deadlines are meeting times turned back into absolute wall
 * times, never sums of sleeps. */
struct mclock {
    struct timespec real0;
    int64_t base_ms;
    long speed;
};

static int64_t ts_ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static int64_t mclock_now(const struct mclock *c)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return c->base_ms + (ts_ns(&ts) - ts_ns(&c->real0)) * c->speed / 1000000;
}

/* The wall time at which the meeting clock reads 'm' (rounded up, so a
 * wake-up is never early). */
static struct timespec mclock_real(const struct mclock *c, int64_t m)
{
    int64_t ns = ts_ns(&c->real0) +
                 ((m - c->base_ms) * 1000000 + c->speed - 1) / c->speed;
    struct timespec ts;

    ts.tv_sec = (time_t)(ns / 1000000000LL);
    ts.tv_nsec = (long)(ns % 1000000000LL);
    return ts;
}

static int mclock_init(struct mclock *c, utc_t session_now, struct err *err)
{
    const char *speed = getenv("TIARA_TIMER_SPEED");
    long v = 1;

    clock_gettime(CLOCK_REALTIME, &c->real0);
    if (!util_empty(speed) && util_parse_long(speed, 1, 10000, &v) < 0)
        return err_set(err, ERR_INPUT,
                       "TIARA_TIMER_SPEED must be a whole number 1-10000");
    c->speed = v;
    /* Without TIARA_NOW the session's time is the clock in whole seconds:
     * take the wall clock itself, to the millisecond. */
    if (util_empty(getenv("TIARA_NOW")))
        c->base_ms = ts_ns(&c->real0) / 1000000;
    else
        c->base_ms = (int64_t)session_now * 1000;
    return 0;
}

struct opts {
    const char *query;
    long for_s; /* 0 when not given */
    const char *agenda;
    const char *warn;
    const char *notes_file;
    int bell, notify, plain;
};

/* Everything the loop needs to know and say. */
struct run {
    struct cli *cli;
    const struct opts *o;
    struct timer t;
    struct mclock clk;
    struct term *term;     /* NULL in plain mode */
    const char *zone;      /* the user's */
    const char *host_zone; /* NULL when not known or the same */
    char who[160];         /* "Ana Perez", or "" for an ad-hoc slot */
    char *notify_path;     /* notify-send, when asked for and found */
    int input_fd;          /* keys: the terminal, or stdin in plain mode */
    int input_open;
    int quit_key;   /* ended with q or Ctrl-C */
    int trace;      /* TIARA_TIMER_TRACE: due times in the log */
    int plain;      /* one line per event, no full screen */
    int64_t end_ms; /* when the timer stopped */
};

/* "2026-12-03 10:05:00" for a meeting time in the user's zone. */
static void stamp(const struct run *r, int64_t ms, char *out, size_t n)
{
    struct civil c;
    utc_t s = (utc_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);

    if (tz_from_utc(r->zone, s, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(s, &c);
    snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day,
             c.hour, c.minute, c.second);
}

/* "10:30 GMT", with seconds when the time is not on a whole minute (an
 * ad-hoc slot of 90s), as cli_format_clock would otherwise hide them. */
static void clock_text(const char *zone, utc_t s, char *out, size_t n)
{
    struct civil c;
    char abbrev[16];

    if (tz_from_utc(zone, s, &c, NULL, NULL) < 0 || c.second == 0) {
        cli_format_clock(zone, s, 1, out, n);
        return;
    }
    tz_abbrev(zone, s, abbrev, sizeof(abbrev));
    snprintf(out, n, "%02d:%02d:%02d %s", c.hour, c.minute, c.second, abbrev);
}

/* "10:30 GMT", and " (05:30 EST for the host)" when the zones differ. */
static void end_time(const struct run *r, int64_t ms, char *out, size_t n)
{
    char mine[32], theirs[32];
    /* To the nearest second: a slot begun a millisecond after the second
     * still ends "at 12:03". */
    utc_t s = (utc_t)((ms + 500) / 1000);

    clock_text(r->zone, s, mine, sizeof(mine));
    if (r->host_zone && cli_zones_differ(r->zone, r->host_zone, s)) {
        clock_text(r->host_zone, s, theirs, sizeof(theirs));
        snprintf(out, n, "%s (%s for the host)", mine, theirs);
    } else {
        snprintf(out, n, "%s", mine);
    }
}

/* "10 minutes", "1 minute", "90 seconds". */
static void offset_words(int64_t ms, char *out, size_t n)
{
    int64_t s = ms / 1000;

    if (s % 60 == 0)
        snprintf(out, n, "%lld minute%s", (long long)(s / 60),
                 s == 60 ? "" : "s");
    else
        snprintf(out, n, "%lld seconds", (long long)s);
}

static void plain_line(const struct run *r, int64_t due, int64_t now,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One line per event, printed the moment it happens. Stamped with the time
 * it was due; when it is seen much later (a sleeping laptop), that too. */
static void plain_line(const struct run *r, int64_t due, int64_t now,
                       const char *fmt, ...)
{
    char when[32], seen[32];
    va_list ap;

    stamp(r, due, when, sizeof(when));
    printf("%s ", when);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if ((now - due) / r->clk.speed > 1000) {
        stamp(r, now, seen, sizeof(seen));
        printf(" (seen %s)", seen);
    }
    /* Test only: the exact due time, for bench/timer-lateness.sh. */
    if (r->trace)
        printf(" [due %lld.%03lld]", (long long)(due / 1000),
               (long long)(due % 1000));
    putchar('\n');
    /* A reader that went away (| head) ends the meeting like a signal,
     * so the actual times are still kept. */
    if (fflush(stdout) == EOF || ferror(stdout))
        g_stop_sig = SIGPIPE;
}

static char *find_in_path(const char *name)
{
    const char *path = getenv("PATH");
    struct buf b;

    if (!path || !*path)
        path = "/usr/bin:/bin";
    buf_init(&b);
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);

        b.len = 0;
        if (len > 0 && buf_add(&b, path, len) == 0 &&
            buf_printf(&b, "/%s", name) == 0 && access(b.data, X_OK) == 0)
            return buf_steal(&b);
        path += len + (colon ? 1 : 0);
    }
    buf_release(&b);
    return NULL;
}

/* A desktop notification without waiting for it; its output goes nowhere
 * so it cannot scribble on the screen. Reaped in the loop. */
static void notify(const struct run *r, const char *text)
{
    char *argv[] = {(char *)"notify-send",
                    (char *)"--urgency=low",
                    (char *)"--app-name=tiara",
                    (char *)"tiara",
                    (char *)text,
                    NULL};
    posix_spawn_file_actions_t fa;
    pid_t pid;

    if (!r->notify_path)
        return;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid, r->notify_path, &fa, NULL, argv, environ) != 0) {
        /* no notification is better than an error mid-meeting */
    }
    posix_spawn_file_actions_destroy(&fa);
}

static void bell(const struct run *r)
{
    if (!r->o->bell)
        return;
    if (r->term)
        term_bell(r->term);
    else if (isatty(STDERR_FILENO) && write(STDERR_FILENO, "\a", 1) < 0) {
        /* a bell that cannot ring is no reason to stop */
    }
}

static void report(struct run *r, const struct timer_event *ev, int64_t now)
{
    char a[64], b[160];

    switch (ev->kind) {
    case TIMER_EV_PHASE: {
        const struct timer_phase *ph = &r->t.agenda.phase[ev->phase];
        struct timer_view v;

        /* At the due time, so the log says the phase's planned length
         * however late the loop woke. */
        timer_view(&r->t, ev->due, &v);
        timer_format_left(v.phase_left_ms, a, sizeof(a));
        if (!r->term)
            plain_line(r, ev->due, now, "phase: %s (%s)", ph->name, a);
        break;
    }
    case TIMER_EV_REMIND:
        if (!r->term)
            plain_line(r, ev->due, now,
                       "reminder: ask \"%s\" and \"%s\"; let the host know "
                       "the end is near",
                       TIMER_QUESTION_1, TIMER_QUESTION_2);
        notify(r, "Time to ask for referrals and let the host know the end "
                  "is near");
        break;
    case TIMER_EV_WARN:
        offset_words(ev->offset_ms, a, sizeof(a));
        if (!r->term)
            plain_line(r, ev->due, now, "warning: %s left", a);
        snprintf(b, sizeof(b), "%s left", a);
        notify(r, b);
        bell(r);
        break;
    case TIMER_EV_END:
        if (!r->term)
            plain_line(r, ev->due, now,
                       "end: the agreed time is up; overtime counts from "
                       "here");
        notify(r, "The agreed time is up");
        bell(r);
        break;
    case TIMER_EV_NONE:
        break;
    }
}

static int draw(struct run *r, int64_t now, int force, struct err *err)
{
    struct term_screen s;
    struct timer_view v;
    char title[256], clock[16], status[256], pleft[16];
    char next[128], notice[128], endt[128], words[64], began[32];

    timer_view(&r->t, now, &v);
    memset(&s, 0, sizeof(s));
    timer_format_left(v.left_ms, clock, sizeof(clock));
    cli_format_clock(r->zone, (utc_t)(r->t.began / 1000), 0, began,
                     sizeof(began));
    end_time(r, r->t.end, endt, sizeof(endt));
    if (r->who[0])
        snprintf(title, sizeof(title), "%s \xc2\xb7 from %s", r->who, began);
    else
        snprintf(title, sizeof(title), "from %s", began);
    if (v.paused)
        snprintf(status, sizeof(status), "paused \xc2\xb7 space resumes");
    else if (v.overtime)
        snprintf(status, sizeof(status),
                 "over the agreed time \xc2\xb7 "
                 "ended %s",
                 endt);
    else
        snprintf(status, sizeof(status), "left \xc2\xb7 ends %s", endt);
    timer_format_left(v.phase_left_ms, pleft, sizeof(pleft));
    if (v.next_name)
        snprintf(next, sizeof(next), "then: %s", v.next_name);
    notice[0] = '\0';
    if (v.overtime) {
        snprintf(notice, sizeof(notice), "overtime %s", clock);
    } else if (v.level > 0) {
        offset_words(v.warn_ms, words, sizeof(words));
        snprintf(notice, sizeof(notice), "%s left", words);
    }
    s.title = title;
    s.clock = clock;
    s.status = status;
    s.phase = v.phase_name;
    s.phase_left = v.overtime ? NULL : pleft;
    s.next = v.next_name ? next : NULL;
    s.notice = notice[0] ? notice : NULL;
    if (v.remind) {
        s.remind[0] = "Before the end, ask:";
        s.remind[1] = TIMER_QUESTION_1;
        s.remind[2] = TIMER_QUESTION_2;
        s.remind[3] = "and let the host know the end is near.";
    }
    s.keys = "space pause \xc2\xb7 +/- end \xc2\xb1"
             "5 min \xc2\xb7 n next phase \xc2\xb7 q end";
    s.level = v.level;
    s.overtime = v.overtime;
    s.paused = v.paused;
    return term_draw(r->term, &s, force, err);
}

/* Apply one key; returns 1 to stop. */
static int key(struct run *r, char k, int64_t now)
{
    char a[32], b[128];
    struct timer_view v;

    switch (k) {
    case 'q':
    case 'Q':
    case 0x03: /* Ctrl-C, a key in raw mode */
        r->quit_key = 1;
        return 1;
    case ' ':
    case 'p':
        timer_toggle_pause(&r->t, now);
        timer_view(&r->t, now, &v);
        timer_format_left(v.left_ms, a, sizeof(a));
        if (!r->term && v.paused)
            plain_line(r, now, now, "paused: %s left", a);
        else if (!r->term) {
            end_time(r, r->t.end, b, sizeof(b));
            plain_line(r, now, now, "resumed: %s left, until %s", a, b);
        }
        return 0;
    case '+':
    case '=':
    case '-':
    case '_':
        timer_extend(&r->t, now,
                     k == '+' || k == '=' ? TIMER_STEP_MS : -TIMER_STEP_MS);
        timer_view(&r->t, now, &v);
        timer_format_left(v.left_ms, a, sizeof(a));
        end_time(r, r->t.end, b, sizeof(b));
        if (!r->term)
            plain_line(r, now, now, "end moved: %s, %s left", b, a);
        return 0;
    case 'n':
    case 'N':
        timer_next_phase(&r->t, now);
        return 0;
    default:
        return 0;
    }
}

static int read_input(struct run *r, struct err *err)
{
    char keys[64];
    size_t got = 0, i;
    int rc;

    if (r->term) {
        rc = term_read_keys(r->term, keys, sizeof(keys), &got, err);
        if (rc < 0)
            return -1;
    } else {
        ssize_t n;

        do
            n = read(r->input_fd, keys, sizeof(keys));
        while (n < 0 && errno == EINTR);
        rc = n > 0;
        got = n > 0 ? (size_t)n : 0;
    }
    if (rc == 0) {
        /* A closed or empty input is not a request to quit: the clock runs
         * on, into overtime, until q or a signal. */
        r->input_open = 0;
        return 0;
    }
    for (i = 0; i < got; i++)
        if (key(r, keys[i], mclock_now(&r->clk)))
            return 1;
    return 0;
}

static int arm(int tfd, const struct run *r, int64_t next, struct err *err)
{
    struct itimerspec its;

    memset(&its, 0, sizeof(its));
    if (next != TIMER_NEVER)
        its.it_value = mclock_real(&r->clk, next);
    /* CANCEL_ON_SET: a change of the wall clock wakes the loop, which
     * then shows the true time left. */
    if (timerfd_settime(tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its,
                        NULL) < 0)
        return err_set(err, ERR_IO, "cannot set the timer: %s",
                       strerror(errno));
    return 0;
}

static int loop(struct run *r, const sigset_t *waitmask, struct err *err)
{
    int tfd, ret = -1, force = 1;

    tfd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
    if (tfd < 0)
        return err_set(err, ERR_IO, "cannot create a timer: %s",
                       strerror(errno));
    for (;;) {
        struct pollfd pfd[2] = {{.fd = -1}, {.fd = -1}};
        struct timer_event ev;
        int64_t now = mclock_now(&r->clk);
        nfds_t n = 0;

        while (timer_next_event(&r->t, now, &ev))
            report(r, &ev, now);
        if (r->term && draw(r, now, force, err) < 0)
            goto out;
        force = 0;
        if (arm(tfd, r, timer_next_change(&r->t, now, r->term != NULL), err) <
            0)
            goto out;
        pfd[n].fd = tfd;
        pfd[n++].events = POLLIN;
        if (r->input_open) {
            pfd[n].fd = r->input_fd;
            pfd[n++].events = POLLIN;
        }
        /* The stop signals are blocked everywhere but here, so none is
         * lost between checking the flags and going to sleep. */
        if (!g_stop_sig && !g_winch && ppoll(pfd, n, NULL, waitmask) < 0 &&
            errno != EINTR) {
            err_set(err, ERR_IO, "cannot wait: %s", strerror(errno));
            goto out;
        }
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ; /* finished notify-send */
        if (g_stop_sig)
            break;
        if (g_winch) {
            g_winch = 0;
            force = 1;
        }
        if (pfd[0].revents & POLLIN) {
            uint64_t expirations;

            /* ECANCELED after a clock change: re-armed above anyway. */
            if (read(tfd, &expirations, sizeof(expirations)) < 0 &&
                errno != EAGAIN && errno != ECANCELED && errno != EINTR) {
                err_set(err, ERR_IO, "cannot read the timer: %s",
                        strerror(errno));
                goto out;
            }
        }
        if (n > 1 && (pfd[1].revents & (POLLNVAL)))
            r->input_open = 0;
        else if (n > 1 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            int rc = read_input(r, err);

            if (rc < 0)
                goto out;
            if (rc > 0)
                break;
        }
    }
    r->end_ms = mclock_now(&r->clk);
    ret = 0;
out:
    close(tfd);
    return ret;
}

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
    if (store_interview_each(cli->st, cli->now - (long)MODEL_ABSURD_MINUTES * 60,
                             cli->now + EARLY_S + 1, 0, 0, pick_one, &p,
                             err) < 0)
        return -1;
    if (!p.current && !p.soon)
        return err_set(err, ERR_NOT_FOUND,
                       "no interview now or in the next 15 minutes; name "
                       "one, or time a slot with --for 30m");
    return store_interview_get(cli->st, p.current ? p.current : p.soon, iv,
                               err);
}

/* Notes typed after the meeting, until an empty line, Ctrl-D or Ctrl-C
 * (caller frees; NULL when none). */
static char *prompt_notes(const char *who)
{
    struct buf b;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    buf_init(&b);
    printf("Notes on the meeting with %s, for the thank-you note\n"
           "(kept on this machine; an empty line ends):\n",
           who);
    fflush(stdout);
    while (!g_stop_sig && (n = getline(&line, &cap, stdin)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            break;
        if ((b.len && buf_adds(&b, "\n") < 0) || buf_adds(&b, line) < 0)
            break;
    }
    free(line);
    if (g_stop_sig == SIGINT)
        putchar('\n');
    return b.len ? buf_steal(&b) : (buf_release(&b), NULL);
}

static int save(struct run *r, int64_t iv_id, const char *notes,
                struct err *err)
{
    struct interview iv;
    struct cli at = *r->cli;
    utc_t start = (utc_t)(r->t.began / 1000), end = (utc_t)(r->end_ms / 1000);
    int ret = -1;

    model_interview_init(&iv);
    if (store_begin(r->cli->st, err) < 0)
        return -1;
    /* Read it again: a sync may have changed it during the meeting. */
    if (store_interview_get(r->cli->st, iv_id, &iv, err) < 0)
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
    if (store_commit(r->cli->st, err) < 0)
        goto out;
    ret = 0;
out:
    if (ret < 0)
        store_rollback(r->cli->st);
    model_interview_release(&iv);
    return ret;
}

static int parse_opts(int argc, char **argv, struct opts *o, int *status)
{
    static const struct option longopts[] = {
        {"for", required_argument, NULL, 'f'},
        {"agenda", required_argument, NULL, 'a'},
        {"warn", required_argument, NULL, 'w'},
        {"bell", no_argument, NULL, 'B'},
        {"notify", no_argument, NULL, 'N'},
        {"plain", no_argument, NULL, 'P'},
        {"notes", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct err e;
    int c;

    memset(o, 0, sizeof(*o));
    /* glibc: start over; main.c may not have reset it (the --help path) */
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:a:w:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (util_parse_duration(optarg, &o->for_s, &e) < 0) {
                *status = cli_fail(&e);
                return -1;
            }
            if (o->for_s <= 0 || o->for_s > (long)MODEL_ABSURD_MINUTES * 60) {
                *status = cli_errorf("--for '%s': give a length from 1s to "
                                     "12h",
                                     optarg);
                return -1;
            }
            break;
        case 'a':
            o->agenda = optarg;
            break;
        case 'w':
            o->warn = optarg;
            break;
        case 'B':
            o->bell = 1;
            break;
        case 'N':
            o->notify = 1;
            break;
        case 'P':
            o->plain = 1;
            break;
        case 'n':
            o->notes_file = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            *status = 0;
            return -1;
        default:
            *status = cli_usage_error("timer", "bad option");
            return -1;
        }
    }
    if (argc - optind > 1) {
        *status = cli_usage_error("timer", "one interview at a time");
        return -1;
    }
    o->query = optind < argc ? argv[optind] : NULL;
    return 0;
}

/* Block the stop signals and catch them; 'waitmask' is what ppoll lets
 * through. SA_RESTART is left out so a read at the notes prompt ends. */
static void catch_signals(sigset_t *waitmask, sigset_t *orig)
{
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    sigset_t block;
    size_t i;

    sigemptyset(&block);
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
        sigaction(stops[i], &sa, NULL);
        sigaddset(&block, stops[i]);
    }
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    sigaddset(&block, SIGWINCH);
    sigprocmask(SIG_BLOCK, &block, orig);
    *waitmask = *orig;
    for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
        sigdelset(waitmask, stops[i]);
    sigdelset(waitmask, SIGWINCH);
}

/* Which slot to time: the interview (filling *iv, *host and r->who) or an
 * ad-hoc one; *end is the agreed end in meeting milliseconds. */
static int choose_slot(struct run *r, int64_t now, struct interview *iv,
                       struct contact *host, int *have_iv, int64_t *end,
                       struct err *err)
{
    const struct opts *o = r->o;
    struct cli *cli = r->cli;
    char when[32];
    utc_t iv_end;

    if (!o->query && o->for_s) {
        *end = now + (int64_t)o->for_s * 1000;
        return 0;
    }
    if (find_interview(cli, o->query, iv, err) < 0)
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
        cli_format_time(cli->zone, iv->start, when, sizeof(when));
        return err_set(err, ERR_INPUT,
                       "the interview with %s starts at %s; the timer opens "
                       "15 minutes before (or time a slot with --for)",
                       r->who, when);
    }
    /* Restarting a timer in overtime is fine; a meeting long past is a
     * mistake. */
    if (now / 1000 >= iv_end + (utc_t)iv->minutes * 60) {
        cli_format_time(cli->zone, iv_end, when, sizeof(when));
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
        if (timer_agenda_parse(iv->agenda, ag, err) < 0) {
            char why[sizeof(err->msg)];

            snprintf(why, sizeof(why), "%s", err->msg);
            return err_set(err, ERR_INPUT, "the interview's agenda: %.200s",
                           why);
        }
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
    cli_format_clock(r->zone, (utc_t)(r->t.began / 1000), 0, from,
                     sizeof(from));
    cli_format_clock(r->zone, (utc_t)(r->end_ms / 1000), 1, to, sizeof(to));
    over[0] = '\0';
    if (r->end_ms > r->t.end) {
        char d[32];

        timer_format_len(r->end_ms - r->t.end, d, sizeof(d));
        snprintf(over, sizeof(over), " (%s past the agreed end)", d);
    }
    if (r->plain) {
        plain_line(r, r->end_ms, r->end_ms, "stop: %s in all, %s-%s%s", len,
                   from, to, over);
        return;
    }
    printf("%s%s: %s in all, %s-%s%s\n", r->who[0] ? "Met " : "Timed ",
           r->who[0] ? r->who : "a slot", len, from, to, over);
    fflush(stdout);
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

    if (parse_opts(argc, argv, &o, &status) < 0)
        return status;
    err_clear(&err);
    model_interview_init(&iv);
    model_contact_init(&host);
    memset(&r, 0, sizeof(r));
    r.cli = cli;
    r.o = &o;
    r.zone = cli->zone;
    r.input_fd = -1;
    r.trace = !util_empty(getenv("TIARA_TIMER_TRACE"));
    if (mclock_init(&r.clk, cli->now, &err) < 0)
        goto out;
    now = mclock_now(&r.clk);
    if (choose_slot(&r, now, &iv, &host, &have_iv, &end, &err) < 0)
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
        r.notify_path = find_in_path("notify-send");
        if (!r.notify_path)
            fprintf(stderr, "tiara: notify-send not found; no desktop "
                            "notifications\n");
    }

    timer_init(&r.t, now, end, &ag, &w);
    catch_signals(&waitmask, &orig);
    sigs = 1;
    if (!o.plain && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        tty_fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    r.plain = tty_fd < 0;
    r.input_open = 1;
    if (!r.plain) {
        if (term_open(tty_fd, &r.term, &err) < 0)
            goto out;
        r.input_fd = tty_fd;
    } else {
        struct timer_view v;
        char left[32], until[160];

        r.input_fd = STDIN_FILENO;
        timer_view(&r.t, now, &v);
        timer_format_left(v.left_ms, left, sizeof(left));
        end_time(&r, end, until, sizeof(until));
        plain_line(&r, now, now, "start: %s%s%s until %s; phase: %s", left,
                   r.who[0] ? " with " : "", r.who, until, v.phase_name);
    }

    if (loop(&r, &waitmask, &err) < 0)
        goto out;
    term_close(r.term);
    r.term = NULL;
    /* Let Ctrl-C end the notes prompt instead of waiting. */
    sigprocmask(SIG_SETMASK, &waitmask, NULL);
    summary(&r);
    if (have_iv && !notes && r.quit_key && isatty(STDIN_FILENO) && !g_stop_sig)
        notes = prompt_notes(r.who);
    if (have_iv) {
        if (save(&r, iv.id, notes, &err) < 0)
            goto out;
        if (r.plain)
            plain_line(&r, r.end_ms, r.end_ms,
                       "saved: actual times%s with interview #%lld",
                       notes ? " and notes" : "", (long long)iv.id);
        else
            printf("Kept the actual times%s with interview #%lld.\n",
                   notes ? " and your notes" : "", (long long)iv.id);
    }
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
