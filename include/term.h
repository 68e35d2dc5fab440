/* SPDX-License-Identifier: MIT */
/* term.h - the full-screen terminal for the meeting timer: raw keys, the
 * alternate screen, flicker-free frames, and a restore that always runs */
#ifndef TIARA_TERM_H
#define TIARA_TERM_H

#include <stddef.h>

#include "err.h"

struct term; /* opaque */

/* Take over the terminal on 'fd' (read and written): raw keys without
 * echo, the alternate screen, a hidden cursor. Ctrl-C arrives as a key
 * (0x03), not as SIGINT. The terminal is put back by term_close, at exit,
 * and on a crash (SIGSEGV, SIGABRT, ...); term_restore is there for the
 * caller's own signal handlers. Fails with ERR_IO when 'fd' is not a
 * terminal. */
int term_open(int fd, struct term **out, struct err *err);
/* Put the terminal back and free 't'; NULL is allowed. */
void term_close(struct term *t);
/* Put back whatever terminal term_open took over; async-signal-safe and
 * harmless when there is none. */
void term_restore(void);

/* Colours on or off (term_open turns them off when NO_COLOR is set):
 * for --color. */
void term_set_color(struct term *t, int color);

/* Rows and columns now; 24x80 when the terminal will not say. */
void term_size(const struct term *t, int *rows, int *cols);

/* Read the keys waiting on the terminal into 'keys' (at most n) and their
 * number into *got; escape sequences (arrows, function keys) are dropped.
 * Returns 1 when something was read, 0 at end of input (a hung-up
 * terminal), -1 with ERR_IO. */
int term_read_keys(struct term *t, char *keys, size_t n, size_t *got,
                   struct err *err);

/* One soft terminal bell. */
void term_bell(struct term *t);

/* What the timer shows; every string may be NULL. */
struct term_screen {
    const char *title;      /* who and when, dim, at the top */
    const char *clock;      /* "29:59", "+04:12": large digits */
    const char *status;     /* one line under the clock */
    const char *zones;      /* the end in both zones, when they differ */
    const char *phase;      /* "questions" */
    const char *phase_left; /* "12:34" */
    const char *next;       /* "next steps" */
    const char *notice;     /* "5 minutes left": the quiet cue */
    const char *remind[4];  /* the two questions and the cue to the host */
    const char *keys;       /* key help, dim, at the bottom */
    int level;              /* warnings passed: colours shift quietly */
    int overtime;
    int paused;
};

/* Lay 's' out on a rows x cols screen into lines[0..rows-1], each a
 * NUL-terminated string of at most TERM_LINE_MAX bytes holding text and
 * SGR colour codes, no cursor moves. Pure: tests call it directly.
 * 'utf8' chooses block characters for the large digits; 'color' allows
 * colours (otherwise bold and dim only). */
#define TERM_LINE_MAX 2048
#define TERM_MAX_ROWS 200
void term_layout(const struct term_screen *s, int rows, int cols, int utf8,
                 int color, char (*lines)[TERM_LINE_MAX]);

/* Draw 's' to fill the terminal in one write, rewriting only the lines
 * that changed since the last frame (all of them after a resize or when
 * 'force' is set). */
int term_draw(struct term *t, const struct term_screen *s, int force,
              struct err *err);

#endif
