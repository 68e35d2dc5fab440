/* SPDX-License-Identifier: MIT */
/* crash.h - named points where a test build kills itself, to prove that
 * a run stopped anywhere loses nothing */
#ifndef TIARA_CRASH_H
#define TIARA_CRASH_H

#include <stddef.h>

#ifdef TIARA_CRASH_POINTS
/* When TIARA_CRASH_AT is 'name', or 'name:N' and this is the Nth time
 * 'name' is reached, send SIGKILL to this process. 'name' must be one of
 * crash_point_names(); any other aborts, so that a misspelt point cannot
 * silently never fire. TIARA_PAUSE_AT=name stops the process there
 * once with SIGSTOP, for a test to act before it goes on. */
void crash_point(const char *name);
#else
#define crash_point(name) ((void)0)
#endif

/* Every point's name, in order; *n is their count. Empty (n 0) in a
 * build without crash points. */
const char *const *crash_point_names(size_t *n);

#endif
