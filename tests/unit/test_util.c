/* SPDX-License-Identifier: MIT */
/* test_util.c - lengths, numbers and buffers */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "model.h"
#include "util.h"

static long secs(const char *s)
{
    long v;

    return util_parse_duration(s, &v, NULL) < 0 ? -1 : v;
}

int main(void)
{
    struct buf b;
    long v;
    struct err err;

    /* text fit to keep */
    CHECK(util_text_problem("Ana Pérez 李", 0) == NULL);
    CHECK(util_text_problem("line one\nline two", 1) == NULL);
    CHECK_STR(util_text_problem("line one\nline two", 0),
              "has control characters");
    CHECK_STR(util_text_problem("\xc0\xaf", 0), "is not valid UTF-8");
    CHECK_STR(util_text_problem("\xed\xa0\x80", 0), "is not valid UTF-8");
    CHECK_STR(util_text_problem("a\xc2\x9b"
                                "31m",
                                0),
              "has control characters");
    CHECK_STR(util_text_problem("a\x7f", 0), "has control characters");
    CHECK_STR(util_text_problem("x\xe2\x80\xaey", 0),
              "has a text-direction override");
    {
        char t[] = "a\x1b[31m\xff"
                   "b\xc3\xa9\xc3\xa9";
        util_text_clean(t, 9);
        CHECK_STR(t, "a [31m b"); /* the accent would cross the cut */
    }
    CHECK_INT(secs("30m"), 1800);
    CHECK_INT(secs("45"), 2700);
    CHECK_INT(secs("1h"), 3600);
    CHECK_INT(secs("1h30m"), 5400);
    CHECK_INT(secs("90s"), 90);
    CHECK_INT(secs("30min"), 1800);
    CHECK_INT(secs("-30m"), -1);
    CHECK_INT(secs("m"), -1);
    CHECK_INT(secs("30x"), -1);
    CHECK_INT(secs("1h30"), -1);
    CHECK_INT(secs("99999999999h"), -1);
    CHECK(util_parse_duration("-5m", &v, &err) < 0);
    CHECK(strstr(err.msg, "negative") != NULL);

    CHECK(util_parse_long("42", 0, 100, &v) == 0 && v == 42);
    CHECK(util_parse_long("101", 0, 100, &v) < 0);
    CHECK(util_parse_long("4x", 0, 100, &v) < 0);
    CHECK(util_parse_long(" 4", 0, 100, &v) < 0);

    CHECK(model_check_minutes(30, 0, NULL) == 0);
    CHECK(model_check_minutes(60, 0, NULL) == 0);
    CHECK(model_check_minutes(20, 0, &err) < 0);
    CHECK(strstr(err.msg, "--force") != NULL);
    CHECK(model_check_minutes(20, 1, NULL) == 0);
    CHECK(model_check_minutes(0, 1, NULL) < 0);
    CHECK(model_check_minutes(24 * 60, 1, &err) < 0);
    CHECK(strstr(err.msg, "not a plausible") != NULL);

    buf_init(&b);
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%d,", i);
    CHECK(b.len == strlen(b.data));
    CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
    buf_release(&b);

    CHECK(util_contains_ci("Ana Pérez", "pér") == 0 ||
          util_contains_ci("Ana Pérez", "ana"));
    CHECK(util_contains_ci("Ana Perez", "PEREZ"));

    /* util_fold: Unicode's case fold, composed or not, and no failure on
     * bytes that are not UTF-8 */
    {
        const char *same[][2] = {
            {"ÉLODIE", "élodie"},
            {"Élodie", "e\xcc\x81lodie"}, /* E with a combining acute */
            {"STRASSE", "straße"},
            {"ΣΟΦΊΑ", "σοφία"},
            {"\xef\xac\x83x", "FFIX"}, /* the ligature U+FB03 */
        };
        char *a1, *b1;

        for (size_t i = 0; i < ARRAY_SIZE(same); i++) {
            a1 = util_fold(same[i][0]);
            b1 = util_fold(same[i][1]);
            CHECK(a1 && b1 && strcmp(a1, b1) == 0);
            free(a1);
            free(b1);
        }
        a1 = util_fold("Élodie");
        b1 = util_fold("Elodie");
        CHECK(a1 && b1 && strcmp(a1, b1) != 0); /* accents still count */
        free(a1);
        free(b1);
        a1 = util_fold("a\xff"
                       "b");
        CHECK(a1 && strcmp(a1, "a\xef\xbf\xbd"
                               "b") == 0);
        free(a1);
        a1 = util_fold("");
        CHECK(a1 && !*a1);
        free(a1);
    }

    /* err_prefix wraps the message once and keeps its kind. */
    err_set(&err, ERR_NOT_FOUND, "no contact matches '%s'", "Zed");
    CHECK(err_prefix(&err, "%s: line %d", "a.ics", 3) == -1);
    CHECK_STR(err.msg, "a.ics: line 3: no contact matches 'Zed'");
    CHECK(err.kind == ERR_NOT_FOUND);
    CHECK(err_prefix(NULL, "ignored") == -1);
    err_clear(&err);
    err_prefix(&err, "alone");
    CHECK_STR(err.msg, "alone");
    /* A long message is cut to fit, the prefix first. */
    memset(err.msg, 'x', sizeof(err.msg) - 1);
    err.msg[sizeof(err.msg) - 1] = '\0';
    err_prefix(&err, "p");
    CHECK(strlen(err.msg) == sizeof(err.msg) - 1);
    CHECK(strncmp(err.msg, "p: xxx", 6) == 0);

    /* A failed write sticks: the text is never handed on cut short. */
    {
        struct buf fb;
        char *got;

        buf_init(&fb);
        CHECK(buf_adds(&fb, "BEGIN:VEVENT") == 0);
        CHECK(buf_add(&fb, "x", SIZE_MAX) == -1);
        CHECK(fb.failed);
        CHECK(buf_adds(&fb, "END:VEVENT") == -1);
        CHECK(buf_printf(&fb, "%d", 1) == -1);
        CHECK_STR(fb.data, "BEGIN:VEVENT");
        got = buf_steal(&fb);
        CHECK(got == NULL);
        CHECK(!fb.failed && fb.len == 0); /* reset for reuse */
        CHECK(buf_adds(&fb, "ok") == 0);
        got = buf_steal(&fb);
        CHECK_STR(got, "ok");
        free(got);
    }
    /* One growable-array helper: half again each time, never past the
     * size_t range. */
    {
        int *arr = NULL, *kept;
        size_t cap = 0;

        CHECK(ALLOC_GROW(arr, 1, cap) == 0 && cap == 16);
        for (int i = 0; i < 1000; i++) {
            CHECK(ALLOC_GROW(arr, (size_t)i + 1, cap) == 0);
            arr[i] = i;
        }
        CHECK(cap >= 1000 && arr[999] == 999);
        kept = arr;
        CHECK(ALLOC_GROW(arr, SIZE_MAX / 2, cap) == -1);
        CHECK(arr == kept && arr[500] == 500);
        free(arr);
        CHECK(ARRAY_SIZE((int[7]){0}) == 7);
    }
    return CHECK_DONE();
}
