/* SPDX-License-Identifier: MIT */
/* timer_loop.c - the running meeting for 'tiara timer': the clock, the
 * screen or the plain lines, keys, warnings and signals until it ends */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "term.h"
#include "timer.h"
#include "timer_loop.h"
#include "tz.h"
#include "util.h"

extern char **environ;

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

int timer_loop_stop_signal(void)
{
    return g_stop_sig;
}

static int64_t ts_ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

int64_t timer_loop_clock_now(const struct mclock *c)
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

int timer_loop_clock_init(struct mclock *c, utc_t session_now, struct err *err)
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
 * ad-hoc slot of 90s), as tz_format_clock would otherwise hide them. */
static void clock_text(const char *zone, utc_t s, char *out, size_t n)
{
    struct civil c;
    char abbrev[16];

    if (tz_from_utc(zone, s, &c, NULL, NULL) < 0 || c.second == 0) {
        tz_format_clock(zone, s, 1, out, n);
        return;
    }
    tz_abbrev(zone, s, abbrev, sizeof(abbrev));
    snprintf(out, n, "%02d:%02d:%02d %s", c.hour, c.minute, c.second, abbrev);
}

void timer_loop_end_time(const struct run *r, int64_t ms, char *out, size_t n)
{
    char mine[32], theirs[32];
    /* To the nearest second: a slot begun a millisecond after the second
     * still ends "at 12:03". */
    utc_t s = (utc_t)((ms + 500) / 1000);

    clock_text(r->zone, s, mine, sizeof(mine));
    if (r->host_zone && tz_zones_differ(r->zone, r->host_zone, s)) {
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

/* One line per event, printed the moment it happens. Stamped with the time
 * it was due; when it is seen much later (a sleeping laptop), that too.
 * In SGR colour 'sgr' (NULL for none) when r->sgr is set: a quiet change
 * of colour for a warning (DOMAIN.md: cues, never alarms), reset before
 * the line ends. */
__attribute__((format(printf, 5, 0))) static void
plain_linev(const struct run *r, const char *sgr, int64_t due, int64_t now,
            const char *fmt, va_list ap)
{
    char when[32], seen[32];

    if (r->sgr && sgr)
        r->sgr(sgr);
    stamp(r, due, when, sizeof(when));
    printf("%s ", when);
    vprintf(fmt, ap);
    if ((now - due) / r->clk.speed > 1000) {
        stamp(r, now, seen, sizeof(seen));
        printf(" (seen %s)", seen);
    }
    /* Test only: the exact due time, for bench/timer-lateness.sh. */
    if (r->trace)
        printf(" [due %lld.%03lld]", (long long)(due / 1000),
               (long long)(due % 1000));
    if (r->sgr && sgr)
        r->sgr("0");
    putchar('\n');
    /* A reader that went away (| head) ends the meeting like a signal,
     * so the actual times are still kept. */
    if (fflush(stdout) == EOF || ferror(stdout))
        g_stop_sig = SIGPIPE;
}

void timer_loop_plain_line(const struct run *r, int64_t due, int64_t now,
                           const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    plain_linev(r, NULL, due, now, fmt, ap);
    va_end(ap);
}

static void warn_line(const struct run *r, int64_t due, int64_t now,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void warn_line(const struct run *r, int64_t due, int64_t now,
                      const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    plain_linev(r, "33", due, now, fmt, ap);
    va_end(ap);
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
    if (!r->bell)
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
            timer_loop_plain_line(r, ev->due, now, "phase: %s (%s)", ph->name,
                                  a);
        break;
    }
    case TIMER_EV_REMIND:
        if (!r->term)
            timer_loop_plain_line(
                r, ev->due, now,
                "reminder: ask \"%s\" and \"%s\"; let the host know "
                "the end is near",
                TIMER_QUESTION_1, TIMER_QUESTION_2);
        notify(r, "Time to ask for referrals and let the host know the end "
                  "is near");
        break;
    case TIMER_EV_WARN:
        offset_words(ev->offset_ms, a, sizeof(a));
        if (!r->term)
            warn_line(r, ev->due, now, "warning: %s left", a);
        snprintf(b, sizeof(b), "%s left", a);
        notify(r, b);
        bell(r);
        break;
    case TIMER_EV_END:
        if (!r->term)
            warn_line(r, ev->due, now,
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
    tz_format_clock(r->zone, (utc_t)(r->t.began / 1000), 0, began,
                    sizeof(began));
    timer_loop_end_time(r, r->t.end, endt, sizeof(endt));
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
            timer_loop_plain_line(r, now, now, "paused: %s left", a);
        else if (!r->term) {
            timer_loop_end_time(r, r->t.end, b, sizeof(b));
            timer_loop_plain_line(r, now, now, "resumed: %s left, until %s", a,
                                  b);
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
        timer_loop_end_time(r, r->t.end, b, sizeof(b));
        if (!r->term)
            timer_loop_plain_line(r, now, now, "end moved: %s, %s left", b, a);
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
        if (key(r, keys[i], timer_loop_clock_now(&r->clk)))
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

int timer_loop_run(struct run *r, const sigset_t *waitmask, struct err *err)
{
    int tfd, ret = -1, force = 1;

    tfd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
    if (tfd < 0)
        return err_set(err, ERR_IO, "cannot create a timer: %s",
                       strerror(errno));
    for (;;) {
        struct pollfd pfd[2] = {{.fd = -1}, {.fd = -1}};
        struct timer_event ev;
        int64_t now = timer_loop_clock_now(&r->clk);
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
    r->end_ms = timer_loop_clock_now(&r->clk);
    ret = 0;
out:
    close(tfd);
    return ret;
}

void timer_loop_catch_signals(sigset_t *waitmask, sigset_t *orig)
{
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    sigset_t block;
    size_t i;

    sigemptyset(&block);
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART, so a read at the notes prompt ends. */
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
