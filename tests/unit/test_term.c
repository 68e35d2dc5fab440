/* SPDX-License-Identifier: MIT */
/* test_term.c - the timer screen's layout at 80x24, larger and smaller: what
 * is on which row, and that nothing runs past the right edge */
#include <string.h>

#include "../check.h"
#include "term.h"

static char lines[TERM_MAX_ROWS][TERM_LINE_MAX];

/* Columns a line takes on screen: code points outside SGR sequences. */
static int visible(const char *s)
{
    int w = 0;

    while (*s) {
        if (*s == '\033') {
            while (*s && *s != 'm')
                s++;
            if (*s)
                s++;
            continue;
        }
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
        s++;
    }
    return w;
}

static int find(int rows, const char *text)
{
    for (int i = 0; i < rows; i++)
        if (strstr(lines[i], text))
            return i;
    return -1;
}

static void fill(struct term_screen *s)
{
    memset(s, 0, sizeof(*s));
    s->title = "Ana Perez \xc2\xb7 from 10:00";
    s->clock = "04:59";
    s->status = "left \xc2\xb7 ends 10:30 GMT (05:30 EST for the host)";
    s->phase = "next steps";
    s->phase_left = "04:59";
    s->notice = "5 minutes left";
    s->remind[0] = "Before the end, ask:";
    s->remind[1] = "Can you suggest other people I could speak to?";
    s->remind[2] = "May I mention your name?";
    s->remind[3] = "and let the host know the end is near.";
    s->keys = "space pause \xc2\xb7 q end";
    s->level = 2;
}

int main(void)
{
    struct term_screen s;
    int i;

    fill(&s);
    term_layout(&s, 24, 80, 0, 1, lines);
    CHECK_INT(find(24, "Ana Perez"), 0);
    /* "04:59" in 3x5 glyphs of '#': the top row of 0, 4, colon gap, 5, 9 */
    CHECK(strstr(lines[2], "######") != NULL);
    CHECK(strstr(lines[2], "\033[33;1m") != NULL); /* the quiet cue */
    CHECK_INT(find(24, "now: next steps  04:59"), 10);
    CHECK(find(24, "May I mention your name?") > 9);
    CHECK_INT(find(24, "q end"), 23);
    for (i = 0; i < 24; i++)
        CHECK(visible(lines[i]) <= 80);

    /* Larger: the same, with the key help on the last row. */
    term_layout(&s, 50, 200, 1, 1, lines);
    CHECK(strstr(lines[2], "\xe2\x96\x88") != NULL);
    CHECK_INT(find(50, "q end"), 49);

    /* Small: no blank rows, then a one-line clock; the questions stay. */
    term_layout(&s, 14, 40, 0, 0, lines);
    CHECK(strstr(lines[1], "###") != NULL);
    CHECK(find(14, "May I mention your name?") > 0);
    term_layout(&s, 10, 40, 0, 0, lines);
    CHECK_INT(find(10, "04:59"), 1);
    CHECK(strstr(lines[1], "\033[1m") != NULL); /* bold without colour */
    CHECK_INT(find(10, "May I mention your name?"), 7);
    CHECK_INT(find(10, "q end"), 9);
    for (i = 0; i < 10; i++)
        CHECK(visible(lines[i]) <= 40);

    /* Overtime without the reminder or a next phase. */
    memset(&s, 0, sizeof(s));
    s.clock = "+04:12";
    s.status = "over the agreed time";
    s.overtime = 1;
    term_layout(&s, 24, 80, 0, 1, lines);
    CHECK(strstr(lines[0], "\033[36m") != NULL);
    CHECK(find(24, "over the agreed time") > 4);

    /* Nothing at all fits in no room, and nothing breaks. */
    term_layout(&s, 1, 5, 0, 1, lines);
    CHECK(visible(lines[0]) <= 5);
    return CHECK_DONE();
}
