/* SPDX-License-Identifier: MIT */
/* safe_out.c - what tiara prints for people carries no terminal controls:
 * names, notes, places and invitations are other people's text, and an
 * ESC, OSC, CSI (also its C1 form), DEL or a direction override in them
 * must not reach the terminal as a command. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

/* cli_control_at, on bytes. */
static int control_at(const unsigned char *in, size_t n, size_t i)
{
    unsigned char c = in[i];

    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
        return 1;
    if (c == 0xc2) { /* U+0080-U+009F: the C1 controls, CSI among them */
        if (i + 1 >= n)
            return -1;
        return in[i + 1] >= 0x80 && in[i + 1] <= 0x9f ? 2 : 0;
    }
    if (c == 0xe2) { /* U+202A-U+202E and U+2066-U+2069: overrides */
        if (i + 2 >= n)
            return -1;
        if ((in[i + 1] == 0x80 && in[i + 2] >= 0xaa && in[i + 2] <= 0xae) ||
            (in[i + 1] == 0x81 && in[i + 2] >= 0xa6 && in[i + 2] <= 0xa9))
            return 3;
    }
    return 0;
}

int cli_control_at(const char *s, size_t n, size_t i)
{
    return control_at((const unsigned char *)s, n, i);
}

void cli_neutralise(char *s)
{
    size_t n = strlen(s), i = 0, o = 0;

    while (i < n) {
        int k = control_at((const unsigned char *)s, n, i);

        if (k > 0) {
            s[o++] = '?';
            i += (size_t)k;
        } else {
            s[o++] = s[i++];
        }
    }
    s[o] = '\0';
}

/* A stdout that neutralises as it goes; a sequence cut between two
 * writes waits in 'carry' for the rest. */
struct safe {
    FILE *real;
    unsigned char carry[3];
    size_t ncarry;
};

static struct safe safe;

static ssize_t safe_write(void *cookie, const char *buf, size_t size)
{
    struct safe *s = cookie;
    unsigned char tmp[4096 + 3];
    size_t done = 0;

    while (done < size) {
        size_t take = size - done > 4096 ? 4096 : size - done, n, i = 0;
        size_t o = 0;
        unsigned char out[sizeof(tmp)];

        memcpy(tmp, s->carry, s->ncarry);
        memcpy(tmp + s->ncarry, buf + done, take);
        n = s->ncarry + take;
        s->ncarry = 0;
        while (i < n) {
            int k = control_at(tmp, n, i);

            if (k < 0) {
                /* the rest of it is in the next write */
                memcpy(s->carry, tmp + i, n - i);
                s->ncarry = n - i;
                break;
            }
            if (k > 0) {
                out[o++] = '?';
                i += (size_t)k;
            } else {
                out[o++] = tmp[i++];
            }
        }
        /* flushed at once: a write error (a full disk) shows on stdout */
        if (o && (fwrite(out, 1, o, s->real) != o || fflush(s->real) == EOF))
            return -1;
        done += take;
    }
    return (ssize_t)size;
}

static int safe_close(void *cookie)
{
    struct safe *s = cookie;

    if (s->ncarry)
        fwrite(s->carry, 1, s->ncarry, s->real);
    return fflush(s->real);
}

/* -o: the file stdout goes to, and what stdout was before */
static struct util_output out_file;
static FILE *out_was;
static int out_active;

int cli_output_begin(const char *path, struct err *err)
{
    if (util_output_open(path, &out_file, err) < 0)
        return -1;
    fflush(stdout);
    out_active = 1;
    if (safe.real && stdout != safe.real) {
        /* through the filter still: the file is read by people too */
        out_was = safe.real;
        safe.real = out_file.out;
    } else {
        out_was = stdout;
        stdout = out_file.out;
    }
    return 0;
}

int cli_output_end(int keep, struct err *err)
{
    if (!out_active)
        return 0;
    fflush(stdout);
    if (stdout == out_file.out)
        stdout = out_was;
    else
        safe.real = out_was;
    out_active = 0;
    if (!keep) {
        util_output_abort(&out_file);
        return 0;
    }
    return util_output_commit(&out_file, err);
}

int cli_color_on(const struct cli *cli, FILE *f)
{
    int fd = f == stdout ? STDOUT_FILENO : f == stderr ? STDERR_FILENO : -1;

    if (fd < 0 || (f == stdout && out_active) ||
        cli->color == CONFIG_COLOR_NEVER)
        return 0;
    return cli->color == CONFIG_COLOR_ALWAYS || isatty(fd);
}

void cli_sgr(FILE *f, int on, const char *code)
{
    if (!on)
        return;
    if (f == stdout && safe.real && stdout != safe.real) {
        /* what went before first, then the code around the filter */
        fflush(stdout);
        if (safe.ncarry)
            fwrite(safe.carry, 1, safe.ncarry, safe.real);
        safe.ncarry = 0;
        fprintf(safe.real, "\033[%sm", code);
        fflush(safe.real);
        return;
    }
    fprintf(f, "\033[%sm", code);
}

void cli_safe_stdout(void)
{
    cookie_io_functions_t io = {NULL, safe_write, NULL, safe_close};
    FILE *f;

    safe.real = stdout;
    safe.ncarry = 0;
    if ((f = fopencookie(&safe, "w", io)))
        stdout = f;
}
