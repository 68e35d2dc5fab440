/* SPDX-License-Identifier: MIT */
/* test_timer.c - the meeting clock's schedule at fixed instants: scaling,
 * warnings, extension, pause, overtime, a sleeping laptop */
#include <stdint.h>
#include <string.h>

#include "../check.h"
#include "timer.h"

#define SEC 1000LL
#define MIN (60 * SEC)
/* 2026-12-03 10:00:00 UTC: any fixed instant will do. */
#define T0 (1796292000LL * SEC)

/* Every event of a run from 'from' to 'to', found the way the command
 * finds them: sleeping until timer_next_change, never stepping. */
struct seen {
    int n;
    struct timer_event ev[32];
    int64_t at[32];
};

static void run(struct timer *t, int64_t from, int64_t to, struct seen *s)
{
    int64_t now = from;

    while (now <= to) {
        struct timer_event ev;
        int64_t next;

        while (timer_next_event(t, now, &ev)) {
            if (s->n < 32) {
                s->ev[s->n] = ev;
                s->at[s->n] = now;
                s->n++;
            }
        }
        next = timer_next_change(t, now, 0);
        CHECK(next > now);
        if (next == TIMER_NEVER)
            break;
        now = next;
    }
}

static void init_default(struct timer *t, int64_t start, int64_t len)
{
    struct timer_agenda ag;
    struct timer_warnings w;

    timer_agenda_default(&ag);
    timer_warnings_default(&w);
    timer_init(t, start, start + len, &ag, &w);
}

static void test_format(void)
{
    char buf[16];

    timer_format_left(30 * MIN, buf, sizeof(buf));
    CHECK_STR(buf, "30:00");
    timer_format_left(10 * MIN, buf, sizeof(buf));
    CHECK_STR(buf, "10:00");
    /* Rounded up: "10:00" stays until a whole second has gone. */
    timer_format_left(10 * MIN - 999, buf, sizeof(buf));
    CHECK_STR(buf, "10:00");
    timer_format_left(10 * MIN - 1000, buf, sizeof(buf));
    CHECK_STR(buf, "09:59");
    timer_format_left(1, buf, sizeof(buf));
    CHECK_STR(buf, "00:01");
    timer_format_left(0, buf, sizeof(buf));
    CHECK_STR(buf, "+00:00");
    timer_format_left(-(4 * MIN + 12 * SEC + 999), buf, sizeof(buf));
    CHECK_STR(buf, "+04:12");
    timer_format_left(62 * MIN + 3 * SEC, buf, sizeof(buf));
    CHECK_STR(buf, "1:02:03");
    timer_format_len(31 * MIN + 30 * SEC + 400, buf, sizeof(buf));
    CHECK_STR(buf, "31:30");
}

static void test_parse(void)
{
    struct timer_agenda ag;
    struct timer_warnings w;
    struct err e;

    CHECK_INT(timer_agenda_parse("intro:5,questions:20,next:5", &ag, &e), 0);
    CHECK_INT(ag.n, 3);
    CHECK_STR(ag.phase[0].name, "intro");
    CHECK_STR(ag.phase[2].name, "next");
    CHECK_INT(ag.phase[1].weight, 20 * 60);
    CHECK_INT(timer_agenda_parse(" warm up : 7m30s , talk:20", &ag, &e), 0);
    CHECK_STR(ag.phase[0].name, "warm up");
    CHECK_INT(ag.phase[0].weight, 450);
    CHECK_INT(timer_agenda_parse("intro", &ag, &e), -1);
    CHECK_INT(e.kind, ERR_INPUT);
    CHECK(strstr(e.msg, "'intro'") != NULL);
    CHECK_INT(timer_agenda_parse("intro:x", &ag, &e), -1);
    CHECK_INT(timer_agenda_parse(":5", &ag, &e), -1);
    CHECK_INT(timer_agenda_parse("a:5,", &ag, &e), -1);
    CHECK_INT(timer_agenda_parse("a:0,b:0", &ag, &e), -1);
    CHECK_INT(timer_agenda_parse("", &ag, &e), -1);
    CHECK_INT(timer_agenda_parse("a:-5", &ag, &e), -1);
    CHECK_INT(timer_agenda_parse("a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1,j:1,"
                                 "k:1,l:1,m:1",
                                 &ag, &e),
              -1);

    CHECK_INT(timer_warnings_parse("2m,10m,5m", &w, &e), 0);
    CHECK_INT(w.n, 3);
    CHECK_INT(w.offset_ms[0], 10 * MIN);
    CHECK_INT(w.offset_ms[2], 2 * MIN);
    CHECK_INT(timer_warnings_parse("60s,30s,30s,0", &w, &e), 0);
    CHECK_INT(w.n, 2);
    CHECK_INT(w.offset_ms[1], 30 * SEC);
    CHECK_INT(timer_warnings_parse("3", &w, &e), 0);
    CHECK_INT(w.offset_ms[0], 3 * MIN);
    CHECK_INT(timer_warnings_parse("none", &w, &e), 0);
    CHECK_INT(w.n, 0);
    CHECK_INT(timer_warnings_parse("5m,soon", &w, &e), -1);
    CHECK(strstr(e.msg, "'soon'") != NULL);
    CHECK_INT(timer_warnings_parse("-5m", &w, &e), -1);
}

/* The DOMAIN.md split and the default warnings over 30 minutes. */
static void test_default_slot(void)
{
    struct timer t;
    struct timer_view v;
    struct seen s = {0};

    init_default(&t, T0, 30 * MIN);
    timer_view(&t, T0, &v);
    CHECK_STR(v.phase_name, "small talk");
    CHECK_STR(v.next_name, "questions");
    CHECK_INT(v.left_ms, 30 * MIN);
    CHECK_INT(v.phase_left_ms, 5 * MIN);
    CHECK_INT(v.level, 0);
    CHECK(!v.overtime && !v.remind);

    run(&t, T0, T0 + 31 * MIN, &s);
    CHECK_INT(s.n, 7);
    CHECK_INT(s.ev[0].kind, TIMER_EV_PHASE);
    CHECK_INT(s.ev[0].phase, 1);
    CHECK_INT(s.ev[0].due, T0 + 5 * MIN);
    CHECK_INT(s.ev[1].kind, TIMER_EV_WARN);
    CHECK_INT(s.ev[1].offset_ms, 10 * MIN);
    CHECK_INT(s.ev[1].due, T0 + 20 * MIN);
    CHECK_INT(s.ev[2].kind, TIMER_EV_PHASE);
    CHECK_INT(s.ev[2].phase, 2);
    CHECK_INT(s.ev[2].due, T0 + 25 * MIN);
    CHECK_INT(s.ev[3].kind, TIMER_EV_REMIND);
    CHECK_INT(s.ev[3].due, T0 + 25 * MIN);
    CHECK_INT(s.ev[4].kind, TIMER_EV_WARN);
    CHECK_INT(s.ev[4].offset_ms, 5 * MIN);
    CHECK_INT(s.ev[5].kind, TIMER_EV_WARN);
    CHECK_INT(s.ev[5].due, T0 + 28 * MIN);
    CHECK_INT(s.ev[6].kind, TIMER_EV_END);
    CHECK_INT(s.ev[6].due, T0 + 30 * MIN);
    /* Sleeping until the next change wakes exactly on each deadline. */
    for (int i = 0; i < s.n; i++)
        CHECK_INT(s.at[i], s.ev[i].due);

    timer_view(&t, T0 + 34 * MIN + 12 * SEC + 500, &v);
    CHECK(v.overtime);
    CHECK_INT(v.level, 3);
    CHECK(v.remind);
    CHECK_STR(v.phase_name, "next steps");
    CHECK(v.next_name == NULL);
    CHECK_INT(v.left_ms, -(4 * MIN + 12 * SEC + 500));
}

static void test_scaling(void)
{
    struct timer t;
    struct timer_view v;

    /* 45 minutes: 7:30, 30:00, 7:30. */
    init_default(&t, T0, 45 * MIN);
    timer_view(&t, T0 + 7 * MIN + 29 * SEC, &v);
    CHECK_STR(v.phase_name, "small talk");
    CHECK_INT(v.phase_left_ms, SEC);
    timer_view(&t, T0 + 7 * MIN + 30 * SEC, &v);
    CHECK_STR(v.phase_name, "questions");
    CHECK_INT(v.phase_left_ms, 30 * MIN);
    timer_view(&t, T0 + 37 * MIN + 30 * SEC, &v);
    CHECK_STR(v.phase_name, "next steps");

    /* 60 minutes: 10, 40, 10. */
    init_default(&t, T0, 60 * MIN);
    timer_view(&t, T0 + 10 * MIN, &v);
    CHECK_STR(v.phase_name, "questions");
    timer_view(&t, T0 + 50 * MIN - 1, &v);
    CHECK_STR(v.phase_name, "questions");
    timer_view(&t, T0 + 50 * MIN, &v);
    CHECK_STR(v.phase_name, "next steps");

    /* A user agenda scaled to 20 minutes: 1:1:2 -> 5, 5, 10. */
    {
        struct timer_agenda ag;

        CHECK_INT(timer_agenda_parse("a:1,b:1,c:2", &ag, NULL), 0);
        timer_init(&t, T0, T0 + 20 * MIN, &ag, NULL);
        timer_view(&t, T0 + 5 * MIN, &v);
        CHECK_STR(v.phase_name, "b");
        timer_view(&t, T0 + 10 * MIN, &v);
        CHECK_STR(v.phase_name, "c");
        CHECK_INT(v.phase_left_ms, 10 * MIN);
    }

    /* A late start: 8 minutes left of a 30-minute slot. The phases share
     * what is left; warnings longer than that are skipped. */
    {
        struct seen s = {0};

        init_default(&t, T0 + 22 * MIN, 8 * MIN);
        run(&t, t.start, t.end, &s);
        /* questions, 5m, 2m, next steps, reminder, end */
        CHECK_INT(s.n, 6);
        CHECK_INT(s.ev[0].due, T0 + 22 * MIN + 80 * SEC);
        CHECK_INT(s.ev[1].kind, TIMER_EV_WARN);
        CHECK_INT(s.ev[1].offset_ms, 5 * MIN);
        CHECK_INT(s.ev[2].offset_ms, 2 * MIN);
        CHECK_INT(s.ev[3].due, T0 + 22 * MIN + 400 * SEC);
    }
}

/* An ad-hoc slot of any length: offsets longer than it are skipped. */
static void test_short_slot(void)
{
    struct timer t;
    struct timer_warnings w;
    struct timer_agenda ag;
    struct seen s = {0};

    timer_agenda_default(&ag);
    CHECK_INT(timer_warnings_parse("60s,30s", &w, NULL), 0);
    timer_init(&t, T0, T0 + 2 * MIN, &ag, &w);
    run(&t, T0, T0 + 3 * MIN, &s);
    /* 2 minutes: small talk 20 s, questions 80 s, next steps 20 s. */
    CHECK_INT(s.n, 6);
    CHECK_INT(s.ev[0].due, T0 + 20 * SEC);
    CHECK_INT(s.ev[1].kind, TIMER_EV_WARN);
    CHECK_INT(s.ev[1].due, T0 + 60 * SEC);
    CHECK_INT(s.ev[2].kind, TIMER_EV_WARN);
    CHECK_INT(s.ev[2].due, T0 + 90 * SEC);
    CHECK_INT(s.ev[3].kind, TIMER_EV_PHASE);
    CHECK_INT(s.ev[3].due, T0 + 100 * SEC);
    CHECK_INT(s.ev[4].kind, TIMER_EV_REMIND);
    CHECK_INT(s.ev[5].kind, TIMER_EV_END);
    CHECK_INT(s.ev[5].due, T0 + 2 * MIN);

    /* 3 minutes with the default warnings: only the 2-minute one. */
    memset(&s, 0, sizeof(s));
    timer_warnings_default(&w);
    timer_init(&t, T0, T0 + 3 * MIN, &ag, &w);
    run(&t, T0, T0 + 4 * MIN, &s);
    {
        int warns = 0;

        for (int i = 0; i < s.n; i++)
            if (s.ev[i].kind == TIMER_EV_WARN) {
                warns++;
                CHECK_INT(s.ev[i].offset_ms, 2 * MIN);
            }
        CHECK_INT(warns, 1);
    }
}

static void test_extend(void)
{
    struct timer t;
    struct timer_view v;
    struct timer_event ev;
    struct seen s = {0};
    int64_t now = T0 + 28 * MIN;

    init_default(&t, T0, 30 * MIN);
    run(&t, T0, now, &s);
    CHECK_INT(s.n, 6); /* up to and including the 2-minute warning */

    /* The host has five more minutes: 7 minutes left, and the 5 and 2
     * minute warnings come again at the new times. */
    timer_extend(&t, now, TIMER_STEP_MS);
    timer_view(&t, now, &v);
    CHECK_INT(v.left_ms, 7 * MIN);
    CHECK_INT(v.level, 1);
    CHECK(v.remind); /* once shown, the two questions stay */
    /* The extra time goes to the conversation; the closing phase keeps
     * its 5 minutes before the new end. */
    CHECK_STR(v.phase_name, "questions");
    CHECK_INT(timer_next_event(&t, now, &ev), 1);
    CHECK_INT(ev.kind, TIMER_EV_PHASE);
    CHECK_INT(ev.due, now);
    CHECK_INT(timer_next_event(&t, now, &ev), 0);
    CHECK_INT(timer_next_change(&t, now, 0), T0 + 30 * MIN);

    memset(&s, 0, sizeof(s));
    run(&t, now, T0 + 36 * MIN, &s);
    CHECK_INT(s.n, 4);
    CHECK_INT(s.ev[0].kind, TIMER_EV_PHASE);
    CHECK_INT(s.ev[0].due, T0 + 30 * MIN);
    CHECK_INT(s.ev[1].kind, TIMER_EV_WARN);
    CHECK_INT(s.ev[1].due, T0 + 30 * MIN);
    CHECK_INT(s.ev[2].due, T0 + 33 * MIN);
    CHECK_INT(s.ev[3].kind, TIMER_EV_END);
    CHECK_INT(s.ev[3].due, T0 + 35 * MIN);

    /* '-' early on: 12 minutes in, the end moves to 20 minutes; the
     * 10-minute warning is due at once, the 5-minute one later. */
    init_default(&t, T0, 30 * MIN);
    memset(&s, 0, sizeof(s));
    now = T0 + 12 * MIN;
    run(&t, T0, now, &s);
    timer_extend(&t, now, -TIMER_STEP_MS);
    timer_extend(&t, now, -TIMER_STEP_MS);
    CHECK_INT(timer_next_event(&t, now, &ev), 1);
    CHECK_INT(ev.kind, TIMER_EV_WARN);
    CHECK_INT(ev.offset_ms, 10 * MIN);
    CHECK_INT(timer_next_event(&t, now, &ev), 0);
    CHECK_INT(timer_next_change(&t, now, 0), T0 + 15 * MIN);

    /* '-' never moves the end before now: it becomes the end. */
    timer_extend(&t, now, -TIMER_STEP_MS * 3);
    timer_view(&t, now, &v);
    CHECK_INT(v.left_ms, 0);
    CHECK(v.overtime);
    /* Straight to the end: the skipped warnings and closing phase are
     * reported once, the warnings not at all. */
    memset(&s, 0, sizeof(s));
    run(&t, now, now, &s);
    CHECK_INT(s.ev[s.n - 1].kind, TIMER_EV_END);
    for (int i = 0; i < s.n; i++)
        CHECK(s.ev[i].kind != TIMER_EV_WARN);
    /* And in overtime '-' does nothing. */
    timer_extend(&t, now + MIN, -TIMER_STEP_MS);
    CHECK_INT(t.end, now);
}

static void test_pause(void)
{
    struct timer t;
    struct timer_view v;
    struct seen s = {0};

    init_default(&t, T0, 30 * MIN);
    run(&t, T0, T0 + 10 * MIN, &s);
    memset(&s, 0, sizeof(s));
    CHECK_INT(timer_toggle_pause(&t, T0 + 10 * MIN), 1);
    timer_view(&t, T0 + 13 * MIN, &v);
    CHECK(v.paused);
    CHECK_INT(v.left_ms, 20 * MIN);
    CHECK_INT(timer_next_change(&t, T0 + 13 * MIN, 1), TIMER_NEVER);
    /* '+' while paused counts from the paused instant. */
    timer_extend(&t, T0 + 13 * MIN, TIMER_STEP_MS);
    timer_view(&t, T0 + 14 * MIN, &v);
    CHECK_INT(v.left_ms, 25 * MIN);
    timer_extend(&t, T0 + 14 * MIN, -TIMER_STEP_MS);
    CHECK_INT(timer_toggle_pause(&t, T0 + 13 * MIN), 0);
    timer_view(&t, T0 + 13 * MIN, &v);
    CHECK(!v.paused);
    CHECK_INT(v.left_ms, 20 * MIN);
    CHECK_INT(t.end, T0 + 33 * MIN);
    CHECK_INT(t.paused_total, 3 * MIN);
    CHECK_INT(t.began, T0);
    run(&t, T0 + 13 * MIN, T0 + 34 * MIN, &s);
    CHECK_INT(s.ev[0].kind, TIMER_EV_WARN);
    CHECK_INT(s.ev[0].due, T0 + 23 * MIN);
    CHECK_INT(s.ev[1].kind, TIMER_EV_PHASE);
    CHECK_INT(s.ev[1].due, T0 + 28 * MIN);
    CHECK_INT(s.ev[s.n - 1].kind, TIMER_EV_END);
    CHECK_INT(s.ev[s.n - 1].due, T0 + 33 * MIN);
}

/* The lid closes at 1:00 and opens at 29:00: the true time is shown and
 * only what matters now is signalled. */
static void test_sleep(void)
{
    struct timer t;
    struct timer_view v;
    struct seen s = {0};
    int64_t wake = T0 + 29 * MIN;

    init_default(&t, T0, 30 * MIN);
    run(&t, T0, T0 + MIN, &s);
    CHECK_INT(s.n, 0);
    run(&t, wake, wake, &s);
    CHECK_INT(s.n, 3);
    CHECK_INT(s.ev[0].kind, TIMER_EV_PHASE);
    CHECK_INT(s.ev[0].phase, 2);
    CHECK_INT(s.ev[1].kind, TIMER_EV_REMIND);
    CHECK_INT(s.ev[2].kind, TIMER_EV_WARN);
    CHECK_INT(s.ev[2].offset_ms, 2 * MIN);
    timer_view(&t, wake, &v);
    CHECK_INT(v.left_ms, MIN);

    /* Waking after the end: only the end. */
    init_default(&t, T0, 30 * MIN);
    memset(&s, 0, sizeof(s));
    run(&t, T0 + 40 * MIN, T0 + 40 * MIN, &s);
    CHECK_INT(s.ev[s.n - 1].kind, TIMER_EV_END);
    for (int i = 0; i < s.n; i++)
        CHECK(s.ev[i].kind != TIMER_EV_WARN);
}

static void test_next_phase_and_ticks(void)
{
    struct timer t;
    struct timer_view v;
    struct timer_event ev;
    struct timer_agenda ag;

    init_default(&t, T0, 30 * MIN);
    timer_next_phase(&t, T0 + 2 * MIN);
    CHECK_INT(timer_next_event(&t, T0 + 2 * MIN, &ev), 1);
    CHECK_INT(ev.kind, TIMER_EV_PHASE);
    CHECK_INT(ev.phase, 1);
    CHECK_INT(ev.due, T0 + 2 * MIN);
    timer_view(&t, T0 + 2 * MIN, &v);
    CHECK_STR(v.phase_name, "questions");
    CHECK_INT(v.phase_left_ms, 23 * MIN);
    timer_next_phase(&t, T0 + 3 * MIN);
    timer_next_phase(&t, T0 + 3 * MIN); /* already last: no effect */
    CHECK_INT(t.forced, 2);
    CHECK_INT(timer_next_event(&t, T0 + 3 * MIN, &ev), 1);
    CHECK_INT(ev.phase, 2);
    CHECK_INT(timer_next_event(&t, T0 + 3 * MIN, &ev), 1);
    CHECK_INT(ev.kind, TIMER_EV_REMIND);

    /* A start off the second: the display still ticks on the end's
     * seconds, so "10:00" and its warning arrive together. */
    init_default(&t, T0 + 456, 30 * MIN - 456);
    CHECK_INT(timer_next_change(&t, T0 + 456, 1), T0 + SEC);
    CHECK_INT(timer_next_change(&t, T0 + SEC, 1), T0 + 2 * SEC);
    CHECK_INT(timer_next_change(&t, T0 + 5 * MIN - 1, 0), T0 + 5 * MIN);
    CHECK_INT(timer_next_change(&t, T0 + 30 * MIN, 1), T0 + 30 * MIN + SEC);
    CHECK_INT(timer_next_change(&t, T0 + 31 * MIN + 1, 1), T0 + 31 * MIN + SEC);

    /* One phase only: the reminder comes 5 minutes before the end. */
    CHECK_INT(timer_agenda_parse("talk:30", &ag, NULL), 0);
    timer_init(&t, T0, T0 + 30 * MIN, &ag, NULL);
    CHECK_INT(timer_next_change(&t, T0, 0), T0 + 25 * MIN);
    CHECK_INT(timer_next_event(&t, T0 + 25 * MIN, &ev), 1);
    CHECK_INT(ev.kind, TIMER_EV_REMIND);
    timer_view(&t, T0 + 25 * MIN, &v);
    CHECK(v.remind);
    CHECK(v.next_name == NULL);
}

int main(void)
{
    test_format();
    test_parse();
    test_default_slot();
    test_scaling();
    test_short_slot();
    test_extend();
    test_pause();
    test_sleep();
    test_next_phase_and_ticks();
    return CHECK_DONE();
}
