/* SPDX-License-Identifier: MIT */
/* timer_loop.h - the meeting run loop: the clock, signals, keys, drawing */
#ifndef TIARA_TIMER_LOOP_H
#define TIARA_TIMER_LOOP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "model.h"
#include "timer.h"

struct term;

/* The meeting's clock: the wall clock (so a sleeping laptop wakes to the
 * true time), or for tests TIARA_NOW running TIARA_TIMER_SPEED times
 * faster. Deadlines are meeting times turned back into absolute wall
 * times, never sums of sleeps. */
struct mclock {
    struct timespec real0;
    int64_t base_ms;
    long speed;
};

/* Everything the loop needs to know and say. The caller owns
 * the struct and everything it points to, and frees notify_path; the loop
 * changes t as keys are pressed and fills input_open, quit_key and
 * end_ms. */
/* Write SGR 'code' around the output filter (cli_sgr). */
typedef void (*timer_loop_sgr_fn)(const char *code);

struct run {
    struct timer t;
    struct mclock clk;
    struct term *term;     /* NULL in plain mode */
    const char *zone;      /* the user's */
    const char *host_zone; /* NULL when not known or the same */
    char who[160];         /* "Ana Perez", or "" for an ad-hoc slot */
    char *notify_path;     /* notify-send, when asked for and found */
    int input_fd;          /* keys: the terminal, or stdin in plain mode */
    int input_open;
    int bell;       /* --bell: ring at each warning and at the end */
    int quit_key;   /* ended with q or Ctrl-C */
    int trace;      /* TIARA_TIMER_TRACE: due times in the log */
    int plain;      /* one line per event, no full screen */
    int64_t end_ms; /* when the timer stopped */
    /* plain warnings in colour; NULL for none */
    timer_loop_sgr_fn sgr;
};

/* Start the clock at the session's 'session_now' (or the wall clock when
 * TIARA_NOW is unset); fails on a bad TIARA_TIMER_SPEED. */
int timer_loop_clock_init(struct mclock *c, utc_t session_now, struct err *err);
/* The meeting time now, in milliseconds. */
int64_t timer_loop_clock_now(const struct mclock *c);

/* Block the stop signals (SIGINT, SIGTERM, SIGHUP) and SIGWINCH and catch
 * them, and ignore SIGPIPE. *orig is the mask before; *waitmask is what
 * the loop's wait lets through, and what the notes prompt should run
 * under. */
void timer_loop_catch_signals(sigset_t *waitmask, sigset_t *orig);
/* The stop signal caught (or SIGPIPE for a reader gone away), else 0. */
int timer_loop_stop_signal(void);

/* Into 'out': the end time "10:30 GMT", and " (05:30 EST for the host)"
 * when the host's zone differs. */
void timer_loop_end_time(const struct run *r, int64_t ms, char *out, size_t n);
/* One plain-mode line on stdout, stamped with 'due' (and 'now' when seen
 * much later). */
void timer_loop_plain_line(const struct run *r, int64_t due, int64_t now,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Run the meeting until q, a stop signal or a reader gone away: draw or
 * print each event, apply keys, sleep until the next change. Sets
 * r->end_ms on success; fails only on a timer or wait error. */
int timer_loop_run(struct run *r, const sigset_t *waitmask, struct err *err);

#endif
