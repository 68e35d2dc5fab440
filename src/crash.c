/* SPDX-License-Identifier: MIT */
/* crash.c - the crash points of a test build (meson -Dcrash_points=true,
 * or the tests' tiara-crash) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "util.h"

/* One line per crash_point() in the sources; tests/cli/crash_points.sh
 * checks that the two agree. */
static const char *const names[] = {
    "sync-listed",
    "sync-quiet-token-saved",
    "sync-scanned",
    "get-before",
    "get-after",
    "multiget-before",
    "multiget-after",
    "fetch-kept-saved",
    "remote-delete-saved",
    "journal-before-commit",
    "journal-after-commit",
    "put-before",
    "put-after",
    "put-recorded",
    "delete-before",
    "delete-after",
    "conflict-after-get",
    "send-batch-saved",
    "rows-before-commit",
    "rows-after-commit",
    "token-confirm-before",
    "agreement-before-commit",
    "agreement-after-commit",
    "import-between-entries",
    "import-before-commit",
    "export-mid-write",
    "export-before-end",
    "migrate-between-steps",
    "migrate-before-commit",
};

#ifdef TIARA_CRASH_POINTS
const char *const *crash_point_names(size_t *n)
{
    *n = ARRAY_SIZE(names);
    return names;
}

/* TIARA_PAUSE_AT=name stops the process (SIGSTOP) the first time 'name'
 * is reached, so that a test can change the server at that moment (a
 * phone's edit between the listing and the PUT) and then SIGCONT it. */
static void pause_point(const char *name)
{
    static int paused;
    const char *env = getenv("TIARA_PAUSE_AT");

    if (!paused && env && strcmp(env, name) == 0) {
        paused = 1;
        raise(SIGSTOP);
    }
}

void crash_point(const char *name)
{
    static int parsed, hits;
    static long want = 1;
    static char target[64];
    size_t i, len;

    for (i = 0; i < ARRAY_SIZE(names) && strcmp(names[i], name) != 0; i++)
        ;
    if (i == ARRAY_SIZE(names)) {
        fprintf(stderr, "tiara: crash point '%s' is not in crash.c\n", name);
        abort();
    }
    if (!parsed) {
        const char *env = getenv("TIARA_CRASH_AT");
        const char *colon = env ? strchr(env, ':') : NULL;

        parsed = 1;
        if (env) {
            len = colon ? (size_t)(colon - env) : strlen(env);
            if (len < sizeof(target))
                memcpy(target, env, len);
            if (colon && (want = strtol(colon + 1, NULL, 10)) < 1)
                want = 1;
        }
    }
    pause_point(name);
    if (target[0] && strcmp(target, name) == 0 && ++hits == want)
        kill(getpid(), SIGKILL);
}
#else
const char *const *crash_point_names(size_t *n)
{
    *n = 0;
    return names;
}
#endif
