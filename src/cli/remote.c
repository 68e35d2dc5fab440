/* SPDX-License-Identifier: MIT */
/* remote.c - what calendar and sync share: credentials and a connection */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "caldav.h"
#include "cli.h"
#include "config.h"
#include "http.h"
#include "util.h"

/* Read a password from the terminal without echo; NULL if there is no
 * terminal. Caller frees. */
static char *prompt_password(const char *user, const char *url)
{
    struct termios old, quiet;
    char line[512], where[256];
    FILE *tty = fopen("/dev/tty", "r+");
    char *pw = NULL;
    size_t n;

    if (!tty)
        return NULL;
    http_redact_url(url, where, sizeof(where));
    if (tcgetattr(fileno(tty), &old) < 0) {
        fclose(tty);
        return NULL;
    }
    /* echo off before the prompt shows: what is typed after it is
     * neither echoed nor flushed away */
    quiet = old;
    quiet.c_lflag &= (tcflag_t)~ECHO;
    tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    fprintf(tty, "Password for %s at %s: ", user ? user : "(netrc)", where);
    fflush(tty);
    if (fgets(line, sizeof(line), tty)) {
        n = strcspn(line, "\r\n");
        line[n] = '\0';
        pw = strdup(line);
    }
    tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    memset(line, 0, sizeof(line));
    return pw;
}

static void wipe(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

/* libcurl reads a netrc file that others can read without a word; ftp(1)
 * and Python's netrc refuse one. Said once a run. */
static void warn_open_netrc(void)
{
    static int warned;
    const char *nf = getenv("NETRC"), *home = getenv("HOME");
    char path[1024];
    struct stat st;

    if (!util_empty(nf))
        snprintf(path, sizeof(path), "%s", nf);
    else if (!util_empty(home))
        snprintf(path, sizeof(path), "%s/.netrc", home);
    else
        return;
    if (!warned && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        (st.st_mode & 077)) {
        fprintf(stderr,
                "tiara: warning: '%s' holds passwords and others can read "
                "it (chmod 600 it)\n",
                path);
        warned = 1;
    }
}

/* Open a connection for calendar 'name' (may be NULL) with the password
 * from the config or environment, or 'typed'. */
static int open_http(const struct config *cfg, const char *name,
                     const char *user, const char *typed, struct http **out,
                     struct err *err)
{
    struct http_options o;
    const struct config_calendar *cc = name ? config_calendar(cfg, name) : NULL;
    char *pw = NULL;
    int ret;

    if (!typed && config_password(cfg, name ? name : "", &pw, err) < 0)
        return -1;
    if (!typed && !pw)
        warn_open_netrc();
    memset(&o, 0, sizeof(o));
    o.user = user ? user : (cc ? cc->user : NULL);
    o.password = typed ? typed : pw;
    o.ca_file = cc ? cc->ca_file : NULL;
    o.use_netrc = 1;
    o.timeout_s = cc && cc->timeout_s ? cc->timeout_s : cfg->timeout_s;
    o.connections = cc && cc->connections ? cc->connections : cfg->connections;
    o.retries = 3;
    o.backoff_ms = 200;
    ret = http_open(&o, out, err);
    wipe(pw);
    return ret;
}

void cli_components(unsigned c, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s%s", c & CALDAV_COMP_VEVENT ? "VEVENT " : "",
             c & CALDAV_COMP_VTODO ? "VTODO " : "",
             c & CALDAV_COMP_VJOURNAL ? "VJOURNAL " : "",
             c ? "" : "(not said) ");
    if (strlen(out))
        out[strlen(out) - 1] = '\0';
}

int cli_with_http(const struct config *cfg, const char *name, const char *user,
                  const char *url, cli_http_fn fn, void *ctx, struct err *err)
{
    struct http *h = NULL;
    char *typed = NULL;
    int rc;

    if (open_http(cfg, name, user, NULL, &h, err) < 0)
        return -1;
    rc = fn(h, ctx, err);
    http_close(h);
    h = NULL;
    if (rc < 0 && err->kind == ERR_AUTH && isatty(STDIN_FILENO) &&
        (typed = prompt_password(user, url))) {
        if (open_http(cfg, name, user, typed, &h, err) == 0)
            rc = fn(h, ctx, err);
        http_close(h);
        wipe(typed);
    }
    return rc;
}
