/* SPDX-License-Identifier: MIT */
/* check.h - tiny assertions for the unit tests */
#ifndef TIARA_CHECK_H
#define TIARA_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            check_failures++;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *check_a_ = (a), *check_b_ = (b);                           \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {       \
            fprintf(stderr, "%s:%d: CHECK_STR failed: '%s' != '%s'\n",         \
                    __FILE__, __LINE__, check_a_ ? check_a_ : "(null)",        \
                    check_b_ ? check_b_ : "(null)");                           \
            check_failures++;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
        if (check_a_ != check_b_) {                                            \
            fprintf(stderr, "%s:%d: CHECK_INT failed: %s = %lld, want %lld\n", \
                    __FILE__, __LINE__, #a, check_a_, check_b_);               \
            check_failures++;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_DONE() (check_failures ? 1 : 0)

#endif
