/* SPDX-License-Identifier: MIT */
/* timer.h - the meeting clock: phases, warnings and overtime (pure: the
 * caller passes 'now', in milliseconds, and does all I/O) */
#ifndef TIARA_TIMER_H
#define TIARA_TIMER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define TIMER_MAX_PHASES 12
#define TIMER_MAX_WARNINGS 12
#define TIMER_NAME_MAX 32
/* What '+' and '-' move the end by. */
#define TIMER_STEP_MS (5 * 60000LL)
/* Without a separate closing phase, the reminder comes this long before
 * the end (DOMAIN.md: the two questions before the end). */
#define TIMER_REMIND_MS (5 * 60000LL)
/* "Never" for timer_next_change while nothing can happen. */
#define TIMER_NEVER INT64_MAX

/* The two questions not to forget (DOMAIN.md). */
#define TIMER_QUESTION_1 "Can you suggest other people I could speak to?"
#define TIMER_QUESTION_2 "May I mention your name?"

struct timer_phase {
    char name[TIMER_NAME_MAX];
    long weight; /* seconds as written; scaled to the slot */
};

/* An agenda: phases in order. The last one, when there are two or more,
 * is the closing "next steps" phase. */
struct timer_agenda {
    int n;
    struct timer_phase phase[TIMER_MAX_PHASES];
};

/* End-of-slot warnings: offsets before the end, largest first, all > 0.
 * The end itself is always signalled and needs no entry. */
struct timer_warnings {
    int n;
    int64_t offset_ms[TIMER_MAX_WARNINGS];
};

/* The DOMAIN.md split of 30 minutes: small talk 5, questions 20, next
 * steps 5. */
void timer_agenda_default(struct timer_agenda *out);
/* Parse "intro:5,questions:20,next:5" (minutes, or any length that
 * util_parse_duration reads: "7m30s"). A name alone is not allowed; a
 * weight of zero is. Fails with ERR_INPUT naming the bad part. */
int timer_agenda_parse(const char *s, struct timer_agenda *out,
                       struct err *err);

/* 10, 5 and 2 minutes before the end. */
void timer_warnings_default(struct timer_warnings *out);
/* Parse "10m,5m,2m" or "90s,30s" (a bare number is minutes); sorted and
 * de-duplicated; "0" is dropped because the end is always signalled.
 * "none" or "" means no warnings. Fails with ERR_INPUT. */
int timer_warnings_parse(const char *s, struct timer_warnings *out,
                         struct err *err);

/* The clock's state. A plain record so that callers can keep it on the
 * stack; change it only through the functions below. All times are
 * milliseconds since the epoch on the meeting's clock. */
struct timer {
    int64_t began; /* when timing began; never moves */
    int64_t start; /* 'began' shifted by every pause */
    int64_t end;   /* the agreed end: moved by +/- and pauses */
    int64_t slot;  /* end - start when planned: for scaling */
    int64_t cum[TIMER_MAX_PHASES + 1]; /* scaled phase starts from start */
    struct timer_agenda agenda;
    struct timer_warnings warn;
    unsigned warned; /* bit i: warning i was signalled */
    int forced;      /* lowest phase allowed, raised by 'n' */
    int shown;       /* the phase last reported */
    int reminded;    /* the two questions were shown */
    int ended;       /* the end was signalled */
    int paused;
    int64_t paused_at;
    int64_t paused_total;
};

/* Start timing at 'now' towards 'end'. A start at or after the end is
 * allowed and is overtime at once. 'ag' needs at least one phase; 'w'
 * may be NULL for none. */
void timer_init(struct timer *t, int64_t now, int64_t end,
                const struct timer_agenda *ag, const struct timer_warnings *w);

/* Space: pause or resume; returns 1 when now paused. Resuming moves the
 * end (and every deadline) by the length of the pause. */
int timer_toggle_pause(struct timer *t, int64_t now);
/* '+' and '-': move the end by 'delta' ms. The end never moves back past
 * 'now'. Warnings and the end whose time is again in the future are
 * re-armed; the closing phase stays anchored to the end. */
void timer_extend(struct timer *t, int64_t now, int64_t delta);
/* 'n': go to the next phase now (no effect in the last one). */
void timer_next_phase(struct timer *t, int64_t now);

enum timer_event_kind {
    TIMER_EV_NONE,
    TIMER_EV_PHASE,  /* a new phase began: 'phase' */
    TIMER_EV_REMIND, /* show the two questions; let the host know */
    TIMER_EV_WARN,   /* 'offset_ms' before the end */
    TIMER_EV_END,    /* the agreed end: overtime from here */
};

struct timer_event {
    enum timer_event_kind kind;
    int64_t due;       /* when it was due: lateness is now - due */
    int phase;         /* TIMER_EV_PHASE */
    int64_t offset_ms; /* TIMER_EV_WARN */
};

/* The next event due at 'now', marking it done. Returns 1 and fills *ev,
 * or 0 when nothing is due. Call until it returns 0. When several
 * warnings are due at once (after '-' or a sleeping laptop), only the
 * nearest the end is returned and the others are dropped; past the end,
 * only the end is returned. */
int timer_next_event(struct timer *t, int64_t now, struct timer_event *ev);

/* The first instant after 'now' at which an event falls due or, with
 * 'ticks', the time shown changes (a whole second of time left, counted
 * from the end). TIMER_NEVER while paused. */
int64_t timer_next_change(const struct timer *t, int64_t now, int ticks);

/* What to show at 'now'. */
struct timer_view {
    int64_t left_ms; /* until the end; negative in overtime */
    int overtime;    /* now >= end */
    int paused;
    int phase;              /* index into the agenda */
    int next;               /* the phase after it, or -1 */
    const char *phase_name; /* borrowed from the timer */
    const char *next_name;  /* NULL when none */
    int64_t phase_left_ms;  /* until the next phase or the end */
    int level;              /* warnings passed so far: 0 = none */
    int64_t warn_ms;        /* offset of the latest passed warning */
    int remind;             /* show the two questions */
};
void timer_view(const struct timer *t, int64_t now, struct timer_view *v);

/* Format time left: "29:59" (rounded up, so the warning at 10 minutes
 * comes as "10:00" appears), "1:02:03"; overtime is "+04:12" (rounded
 * down). 'n' >= 16. */
void timer_format_left(int64_t left_ms, char *out, size_t n);
/* A length: "30:00", "1:02:03" (rounded to the nearest second). */
void timer_format_len(int64_t ms, char *out, size_t n);

#endif
