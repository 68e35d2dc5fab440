/* SPDX-License-Identifier: MIT */
/* term.c - terminal I/O for the meeting timer: raw mode, the alternate
 * screen, line-diffed frames and a restore on every way out */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"
#include "util.h"

/* The alternate screen (xterm's 1049) keeps the user's scrollback intact;
 * 25 hides the cursor so nothing blinks under the digits. */
#define ENTER_SEQ "\033[?1049h\033[?25l\033[H\033[2J"
#define LEAVE_SEQ "\033[0m\033[?25h\033[?1049l"

struct term {
    int fd;
    int rows, cols;
    char (*prev)[TERM_LINE_MAX]; /* the frame on screen, for the diff */
    char (*next)[TERM_LINE_MAX];
    int have_prev;
    int utf8, color;
};

/* The one terminal taken over, as signal handlers must see it. */
static volatile sig_atomic_t g_active;
static int g_fd = -1;
static struct termios g_saved;
static int g_hooks_done;

static const int fatal_signals[] = {SIGSEGV, SIGBUS,  SIGFPE,
                                    SIGILL,  SIGABRT, SIGQUIT};
static struct sigaction g_old[sizeof(fatal_signals) / sizeof(int)];

void term_restore(void)
{
    if (!g_active)
        return;
    g_active = 0;
    /* Only async-signal-safe calls: this runs from handlers. */
    if (write(g_fd, LEAVE_SEQ, sizeof(LEAVE_SEQ) - 1) < 0) {
        /* nothing more can be done for a terminal that is gone */
    }
    tcsetattr(g_fd, TCSAFLUSH, &g_saved);
}

static void on_fatal(int sig)
{
    size_t i;

    term_restore();
    for (i = 0; i < sizeof(fatal_signals) / sizeof(int); i++) {
        if (fatal_signals[i] != sig)
            continue;
        sigaction(sig, &g_old[i], NULL);
        /* A fault repeats when the handler returns and reaches the old
         * action; a sent or raised signal has to be raised again. */
        if (sig == SIGABRT || sig == SIGQUIT)
            raise(sig);
        return;
    }
}

static void install_hooks(void)
{
    struct sigaction sa;
    size_t i;

    if (g_hooks_done)
        return;
    g_hooks_done = 1;
    atexit(term_restore);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fatal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER | SA_RESETHAND;
    for (i = 0; i < sizeof(fatal_signals) / sizeof(int); i++)
        sigaction(fatal_signals[i], &sa, &g_old[i]);
}

static int write_all(int fd, const char *s, size_t n, struct err *err)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return err_set(err, ERR_IO, "cannot write to the terminal: %s",
                           strerror(errno));
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

static int locale_utf8(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    size_t i;

    for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i]);

        if (!util_empty(v))
            return util_contains_ci(v, "utf-8") || util_contains_ci(v, "utf8");
    }
    return 0;
}

int term_open(int fd, struct term **out, struct err *err)
{
    struct termios raw;
    struct term *t = NULL;
    int ret = -1;

    if (g_active)
        return err_set(err, ERR_IO, "the terminal is already in use");
    if (!isatty(fd))
        return err_set(err, ERR_IO, "not a terminal");
    t = calloc(1, sizeof(*t));
    if (!t || !(t->prev = calloc(TERM_MAX_ROWS, TERM_LINE_MAX)) ||
        !(t->next = calloc(TERM_MAX_ROWS, TERM_LINE_MAX))) {
        err_set(err, ERR_NOMEM, "out of memory");
        goto out;
    }
    t->fd = fd;
    t->utf8 = locale_utf8();
    /* https://no-color.org: any value turns colour off */
    t->color = getenv("NO_COLOR") == NULL;
    if (tcgetattr(fd, &g_saved) < 0) {
        err_set(err, ERR_IO, "cannot read the terminal settings: %s",
                strerror(errno));
        goto out;
    }
    raw = g_saved;
    /* No echo, no line editing, and Ctrl-C / Ctrl-Z as keys: the loop
     * ends cleanly on them instead of leaving a raw terminal behind. */
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    install_hooks();
    g_fd = fd;
    g_active = 1;
    if (tcsetattr(fd, TCSAFLUSH, &raw) < 0) {
        err_set(err, ERR_IO, "cannot set up the terminal: %s", strerror(errno));
        goto out;
    }
    if (write_all(fd, ENTER_SEQ, sizeof(ENTER_SEQ) - 1, err) < 0)
        goto out;
    term_size(t, &t->rows, &t->cols);
    *out = t;
    ret = 0;
out:
    if (ret < 0) {
        term_restore();
        if (t) {
            free(t->next);
            free(t->prev);
        }
        free(t);
    }
    return ret;
}

void term_close(struct term *t)
{
    if (!t)
        return;
    term_restore();
    free(t->next);
    free(t->prev);
    free(t);
}

void term_set_color(struct term *t, int color)
{
    if (t)
        t->color = color;
}

void term_size(const struct term *t, int *rows, int *cols)
{
    struct winsize ws;

    *rows = 24;
    *cols = 80;
    if (ioctl(t->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        *rows = ws.ws_row < TERM_MAX_ROWS ? ws.ws_row : TERM_MAX_ROWS;
        *cols = ws.ws_col < 400 ? ws.ws_col : 400;
    }
}

int term_read_keys(struct term *t, char *keys, size_t n, size_t *got,
                   struct err *err)
{
    char buf[64];
    ssize_t r;
    size_t i, k = 0;

    if (n > sizeof(buf))
        n = sizeof(buf);
    do
        r = read(t->fd, buf, n);
    while (r < 0 && errno == EINTR);
    *got = 0;
    if (r < 0 && errno == EAGAIN)
        return 1;
    if (r < 0)
        return err_set(err, ERR_IO, "cannot read the terminal: %s",
                       strerror(errno));
    for (i = 0; i < (size_t)r; i++) {
        if (buf[i] == '\033') {
            /* ECMA-48 5.4: CSI parameters end at a byte in 0x40-0x7e;
             * SS3 (ESC O) takes one more byte. */
            if (i + 1 < (size_t)r && (buf[i + 1] == '[' || buf[i + 1] == 'O')) {
                int ss3 = buf[i + 1] == 'O';

                i += 2;
                if (ss3)
                    continue;
                while (i < (size_t)r && !(buf[i] >= 0x40 && buf[i] <= 0x7e))
                    i++;
            }
            continue;
        }
        keys[k++] = buf[i];
    }
    *got = k;
    return r == 0 ? 0 : 1;
}

void term_bell(struct term *t)
{
    write_all(t->fd, "\a", 1, NULL);
}

/* 3x5 glyphs for the large clock; '#' is a lit cell. */
static const char *glyph(char c)
{
    switch (c) {
    case '0':
        return "###"
               "# #"
               "# #"
               "# #"
               "###";
    case '1':
        return "  #"
               "  #"
               "  #"
               "  #"
               "  #";
    case '2':
        return "###"
               "  #"
               "###"
               "#  "
               "###";
    case '3':
        return "###"
               "  #"
               "###"
               "  #"
               "###";
    case '4':
        return "# #"
               "# #"
               "###"
               "  #"
               "  #";
    case '5':
        return "###"
               "#  "
               "###"
               "  #"
               "###";
    case '6':
        return "###"
               "#  "
               "###"
               "# #"
               "###";
    case '7':
        return "###"
               "  #"
               "  #"
               "  #"
               "  #";
    case '8':
        return "###"
               "# #"
               "###"
               "# #"
               "###";
    case '9':
        return "###"
               "# #"
               "###"
               "  #"
               "###";
    case '+':
        return "   "
               " # "
               "###"
               " # "
               "   ";
    default:
        return "   "
               "   "
               "   "
               "   "
               "   ";
    }
}

/* Display width of UTF-8 text: one column per code point, which holds for
 * everything the timer prints itself. */
static int text_width(const char *s)
{
    int w = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

/* Append 's' to 'line' (bounded), stopping after 'max' columns. */
static void put_text(char *line, const char *s, int max)
{
    size_t len = strlen(line);
    int w = 0;

    for (; *s && len + 8 < TERM_LINE_MAX; s++) {
        if (((unsigned char)*s & 0xc0) != 0x80 && ++w > max)
            break;
        line[len++] = *s;
    }
    line[len] = '\0';
}

static void put_raw(char *line, const char *s)
{
    size_t len = strlen(line), n = strlen(s);

    if (len + n + 8 < TERM_LINE_MAX) {
        memcpy(line + len, s, n + 1);
    }
}

static void put_pad(char *line, int n)
{
    while (n-- > 0)
        put_raw(line, " ");
}

/* A centred line in the SGR style 'sgr' ("" for none). */
static void centred(char *line, const char *text, const char *sgr, int cols)
{
    int w = text_width(text), pad = w < cols ? (cols - w) / 2 : 0;
    char esc[32];

    line[0] = '\0';
    put_pad(line, pad);
    if (*sgr) {
        snprintf(esc, sizeof(esc), "\033[%sm", sgr);
        put_raw(line, esc);
    }
    put_text(line, text, cols - pad);
    if (*sgr)
        put_raw(line, "\033[0m");
}

static int big_width(const char *clock, int pw)
{
    int w = 0;

    for (; *clock; clock++)
        w += (*clock == ':' ? 1 : 3) * pw + pw;
    return w > 0 ? w - pw : 0;
}

/* Row 'r' (0-4) of the large clock. */
static void big_row(char *line, const char *clock, int r, int pw, int utf8,
                    const char *sgr, int cols)
{
    const char *on = utf8 ? "\xe2\x96\x88" : "#";
    int w = big_width(clock, pw), pad = w < cols ? (cols - w) / 2 : 0;
    char esc[32];
    const char *c;

    line[0] = '\0';
    put_pad(line, pad);
    if (*sgr) {
        snprintf(esc, sizeof(esc), "\033[%sm", sgr);
        put_raw(line, esc);
    }
    for (c = clock; *c; c++) {
        const char *g = glyph(*c);
        int gw = *c == ':' ? 1 : 3, x, k;

        for (x = 0; x < gw; x++) {
            int lit = *c == ':' ? (r == 1 || r == 3) : g[r * 3 + x] == '#';

            for (k = 0; k < pw; k++)
                put_raw(line, lit ? on : " ");
        }
        if (c[1])
            put_pad(line, pw);
    }
    if (*sgr)
        put_raw(line, "\033[0m");
}

enum item_kind { ITEM_TEXT, ITEM_BLANK, ITEM_BIG };

struct item {
    enum item_kind kind;
    const char *text;
    const char *sgr;
};

static const char *clock_sgr(const struct term_screen *s, int color)
{
    /* Quiet cues: a change of colour, never a flash (DOMAIN.md). */
    if (s->paused)
        return "2";
    if (s->overtime)
        return color ? "36" : "1";
    if (s->level <= 0)
        return "";
    if (!color)
        return "1";
    return s->level == 1 ? "33" : s->level == 2 ? "33;1" : "35;1";
}

void term_layout(const struct term_screen *s, int rows, int cols, int utf8,
                 int color, char (*lines)[TERM_LINE_MAX])
{
    struct item items[32];
    char phase[256];
    const char *csgr = clock_sgr(s, color);
    int n = 0, i, height, blanks = 0, big = 1, row, pw;

    if (rows > TERM_MAX_ROWS)
        rows = TERM_MAX_ROWS;
    for (i = 0; i < rows; i++)
        lines[i][0] = '\0';
    if (rows <= 0 || cols <= 0)
        return;
    phase[0] = '\0';
    if (s->phase)
        snprintf(phase, sizeof(phase), "now: %s%s%s", s->phase,
                 s->phase_left ? "  " : "", s->phase_left ? s->phase_left : "");

#define ADD(k, t, g)                                                           \
    do {                                                                       \
        items[n].kind = (k);                                                   \
        items[n].text = (t);                                                   \
        items[n].sgr = (g);                                                    \
        n++;                                                                   \
    } while (0)
    if (s->title) {
        ADD(ITEM_TEXT, s->title, "2");
        ADD(ITEM_BLANK, NULL, "");
    }
    if (s->clock) {
        ADD(ITEM_BIG, s->clock, csgr);
        ADD(ITEM_BLANK, NULL, "");
    }
    if (s->status)
        ADD(ITEM_TEXT, s->status, s->paused ? "1" : "");
    if (s->zones)
        ADD(ITEM_TEXT, s->zones, "2");
    ADD(ITEM_BLANK, NULL, "");
    if (s->phase)
        ADD(ITEM_TEXT, phase, "1");
    if (s->next)
        ADD(ITEM_TEXT, s->next, "");
    if (s->notice) {
        ADD(ITEM_BLANK, NULL, "");
        ADD(ITEM_TEXT, s->notice, *csgr ? csgr : "");
    }
    if (s->remind[0]) {
        ADD(ITEM_BLANK, NULL, "");
        for (i = 0; i < 4; i++)
            if (s->remind[i])
                ADD(ITEM_TEXT, s->remind[i], i == 0 ? "1" : "");
    }
#undef ADD

    /* Fit: drop the blank lines first, then shrink the clock to text. The
     * key help keeps the last row when there is room for it. */
    height = 0;
    for (i = 0; i < n; i++) {
        height += items[i].kind == ITEM_BIG ? 5 : 1;
        blanks += items[i].kind == ITEM_BLANK;
    }
    row = s->keys && rows > 2 ? rows - 1 : rows;
    if (height > row) {
        height -= blanks;
        blanks = -1;
    }
    if (height > row || cols < big_width(s->clock ? s->clock : "", 1))
        big = 0;
    pw = cols >= big_width(s->clock ? s->clock : "", 2) + 8 ? 2 : 1;

    row = 0;
    for (i = 0; i < n && row < rows; i++) {
        if (items[i].kind == ITEM_BLANK) {
            if (blanks >= 0)
                row++;
        } else if (items[i].kind == ITEM_BIG && big) {
            int r;

            for (r = 0; r < 5 && row < rows; r++, row++)
                big_row(lines[row], items[i].text, r, pw, utf8, items[i].sgr,
                        cols);
        } else {
            centred(lines[row++], items[i].text,
                    items[i].kind == ITEM_BIG
                        ? (*items[i].sgr ? items[i].sgr : "1")
                        : items[i].sgr,
                    cols);
        }
    }
    if (s->keys && rows > 2 && row < rows)
        centred(lines[rows - 1], s->keys, "2", cols);
}

int term_draw(struct term *t, const struct term_screen *s, int force,
              struct err *err)
{
    struct buf out;
    int rows, cols, i, ret = -1;

    term_size(t, &rows, &cols);
    if (rows != t->rows || cols != t->cols) {
        t->rows = rows;
        t->cols = cols;
        force = 1;
    }
    term_layout(s, rows, cols, t->utf8, t->color, t->next);
    buf_init(&out);
    if (force || !t->have_prev) {
        if (buf_adds(&out, "\033[0m\033[H\033[2J") < 0)
            goto out;
    }
    for (i = 0; i < rows; i++) {
        if (!force && t->have_prev && strcmp(t->prev[i], t->next[i]) == 0)
            continue;
        /* Overwrite in place and erase the rest of the line: no clear of
         * the whole screen, so nothing flickers. */
        if (buf_printf(&out, "\033[%d;1H%s\033[0m\033[K", i + 1, t->next[i]) <
            0)
            goto out;
        memcpy(t->prev[i], t->next[i], TERM_LINE_MAX);
    }
    t->have_prev = 1;
    if (out.len > 0 && write_all(t->fd, out.data, out.len, err) < 0)
        goto out;
    ret = 0;
out:
    if (ret < 0 && err && err->kind == ERR_NONE)
        err_set(err, ERR_NOMEM, "out of memory");
    buf_release(&out);
    return ret;
}
