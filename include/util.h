/* SPDX-License-Identifier: MIT */
/* util.h - small string, number and file helpers shared by every module */
#ifndef TIARA_UTIL_H
#define TIARA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Make room for 'need' items in the array *arrp (a pointer to any
 * pointer) whose capacity is *cap: it grows by half at least, from 16.
 * Returns -1 on overflow or out of memory, leaving the array as it was. */
int util_grow(void *arrp, size_t *cap, size_t need, size_t size);
#define ALLOC_GROW(arr, need, cap)                                             \
    ((need) <= (cap) ? 0 : util_grow(&(arr), &(cap), (need), sizeof(*(arr))))

/* A growable string; 'data' is always NUL-terminated once anything is added. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
    int failed; /* a write ran out of memory: later writes do nothing,
                   steal gives NULL */
};

void buf_init(struct buf *b);
void buf_release(struct buf *b); /* frees the contents; NULL is allowed */
int buf_add(struct buf *b, const char *s, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hand the contents to the caller (caller frees) and reset 'b'; NULL
 * when any write ran out of memory. */
char *buf_steal(struct buf *b);

/* strdup that accepts NULL (returning NULL). */
char *util_strdup(const char *s);
/* Replace *slot with a copy of 's' (which may be NULL); -1 on OOM. */
int util_set_str(char **slot, const char *s);
/* NULL and "" are both "empty". */
int util_empty(const char *s);
/* Case-insensitive ASCII comparison of whole strings. */
int util_streq_ci(const char *a, const char *b);
/* Case-insensitive ASCII substring search. */
int util_contains_ci(const char *hay, const char *needle);
/* 's' folded for comparing, not for showing (caller frees): Unicode's
 * NFKC case fold, so "ÉLODIE", "élodie" and a decomposed "élodie" are
 * one; bytes that are not UTF-8 become U+FFFD. NULL on out of memory. */
char *util_fold(const char *s);

/* Parse a whole decimal integer in [min, max]; -1 if anything is off. */
int util_parse_long(const char *s, long min, long max, long *out);

/* Parse a length such as "30m", "1h", "1h30m", "90s" or "45" (minutes)
 * into seconds. Fails on negative, empty or malformed text. */
int util_parse_duration(const char *s, long *seconds, struct err *err);

/* Random hex string of 'nbytes' bytes from the kernel (caller frees). */
char *util_random_hex(size_t nbytes);

/* NULL when 's' is fit to keep: valid UTF-8 with no control characters
 * (a newline and a tab allowed when 'lines') and no direction overrides;
 * else what is wrong, as words that follow a field's name. */
const char *util_text_problem(const char *s, int lines);
/* Make 's' fit to keep, in place: what util_text_problem would name
 * becomes a space; cut to at most 'max' bytes on a character boundary. */
void util_text_clean(char *s, size_t max);
/* The same, keeping newlines and tabs (notes). */
void util_text_clean_lines(char *s, size_t max);
/* Bytes of the longest start of 's' that is valid UTF-8: strlen(s) when
 * all of it is. */
size_t util_utf8_prefix(const char *s);

/* Terminal columns 's' takes: wide (CJK) characters two, combining marks
 * none. */
int util_display_width(const char *s);
/* Bytes of the longest start of 's' that fits in 'cols' columns, with the
 * columns it takes in *used (if not NULL). */
size_t util_display_cut(const char *s, int cols, int *used);

/* The executable 'name' on $PATH (or /usr/bin:/bin), caller frees; NULL
 * when there is none. */
char *util_find_in_path(const char *name);

/* $TMPDIR when it is an absolute path, else /tmp: where temporary files
 * go, named in messages about them. */
const char *util_tmpdir(void);
/* tmpfile(3) in util_tmpdir() (glibc's ignores TMPDIR): an unnamed file
 * open for update; NULL with errno set. */
FILE *util_tmpfile(void);

/* "path.tmp-XXXXXX" next to 'path', created 0600; caller frees *tmp and
 * closes *fd. */
int util_temp_beside(const char *path, char **tmp, int *fd, struct err *err);

/* A file the user named, written whole or not at all (util_file.c): a
 * symlink is written through to its target, an existing file keeps its
 * mode, a read-only one is refused, a device or pipe is written as a
 * stream; the text goes to an unnamed file until commit, so a kill
 * leaves nothing behind. */
struct util_output {
    FILE *out; /* write here */
    char *target;
    char *tmp; /* its name while it has one */
    int fd;
    int stream;
    unsigned mode;
};
int util_output_open(const char *path, struct util_output *o, struct err *err);
/* Flush, sync and put it in place; releases 'o' either way. */
int util_output_commit(struct util_output *o, struct err *err);
/* Drop what was written; releases 'o'. */
void util_output_abort(struct util_output *o);

/* Create every missing directory in 'dir' (mode 0700). */
int util_mkdirs(const char *dir, struct err *err);

/* Read a whole file (caller frees); the length goes to *len if not NULL. */
int util_read_file(const char *path, char **out, size_t *len, struct err *err);

/* The unsafe libc functions are poisoned after the system headers. */
#pragma GCC poison sprintf strcpy strcat strtok gets atoi localtime gmtime

#endif
