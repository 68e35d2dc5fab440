/* SPDX-License-Identifier: MIT */
/* config.c - the INI settings file, read with libinih, and credentials */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "model.h"
#include "util.h"

char *config_default_path(void)
{
    const char *p = getenv("TIARA_CONFIG");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    struct buf b;

    if (p && *p)
        return util_strdup(p);
    buf_init(&b);
    /* XDG Base Directory: a relative XDG_CONFIG_HOME is invalid, ignore it */
    if (xdg && xdg[0] == '/') {
        if (buf_printf(&b, "%s/tiara/config.ini", xdg) < 0)
            return NULL;
    } else if (buf_printf(&b, "%s/.config/tiara/config.ini",
                          home ? home : ".") < 0) {
        return NULL;
    }
    return buf_steal(&b);
}

static int parse_conflict(const char *v, int *out)
{
    static const char *const names[] = {"newest", "local", "remote", "both"};
    int i;

    for (i = 0; i < 4; i++) {
        if (util_streq_ci(v, names[i])) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

static int parse_bool(const char *v, int *out)
{
    if (util_streq_ci(v, "yes") || util_streq_ci(v, "true") ||
        util_streq_ci(v, "on") || strcmp(v, "1") == 0) {
        *out = 1;
        return 0;
    }
    if (util_streq_ci(v, "no") || util_streq_ci(v, "false") ||
        util_streq_ci(v, "off") || strcmp(v, "0") == 0) {
        *out = 0;
        return 0;
    }
    return -1;
}

struct loader {
    struct config *c;
    int line; /* counted by the reader, for messages */
    int bad_line;
    char msg[200];
    int oom;
};

static struct config_calendar *calendar_slot(struct config *c, const char *name)
{
    struct config_calendar *n;
    size_t i;

    for (i = 0; i < c->ncals; i++)
        if (strcmp(c->cals[i].name, name) == 0)
            return &c->cals[i];
    n = realloc(c->cals, (c->ncals + 1) * sizeof(*n));
    if (!n)
        return NULL;
    c->cals = n;
    n = &c->cals[c->ncals];
    memset(n, 0, sizeof(*n));
    n->notes = -1;
    n->adopt = -1;
    n->conflict = -1;
    if (!(n->name = strdup(name)))
        return NULL;
    c->ncals++;
    return n;
}

/* Keep the first complaint; inih goes on reading. */
static int bad(struct loader *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int bad(struct loader *l, const char *fmt, ...)
{
    va_list ap;

    if (!l->msg[0]) {
        va_start(ap, fmt);
        vsnprintf(l->msg, sizeof(l->msg), fmt, ap);
        va_end(ap);
        l->bad_line = l->line;
    }
    return 0;
}

int config_color_parse(const char *s, int *out)
{
    if (util_streq_ci(s, "auto"))
        *out = CONFIG_COLOR_AUTO;
    else if (util_streq_ci(s, "always"))
        *out = CONFIG_COLOR_ALWAYS;
    else if (util_streq_ci(s, "never"))
        *out = CONFIG_COLOR_NEVER;
    else
        return -1;
    return 0;
}

/* Seconds: "30", or a length such as "45s" or "2m". */
static int parse_timeout(const char *value, int *out)
{
    long secs;

    if (util_parse_long(value, 1, 3600, &secs) < 0 &&
        (util_parse_duration(value, &secs, NULL) < 0 || secs < 1 ||
         secs > 3600))
        return -1;
    *out = (int)secs;
    return 0;
}

/* Requests at once to one server: 1 (one at a time) to 16. */
static int parse_connections(const char *value, int *out)
{
    long n;

    if (util_parse_long(value, 1, 16, &n) < 0)
        return -1;
    *out = (int)n;
    return 0;
}

static int defaults_pair(struct loader *l, struct config *c,
                         const char *section, const char *key,
                         const char *value)
{
    long secs;
    enum cadence cad;

    if (strcmp(key, "length") == 0) {
        if (util_parse_duration(value, &secs, NULL) < 0 || secs % 60 ||
            model_check_minutes(secs / 60, 1, NULL) < 0)
            return bad(l, "key '%s' in [%s] must be a length such as 30m", key,
                       section);
        c->defaults.minutes = (int)(secs / 60);
    } else if (strcmp(key, "cadence") == 0) {
        if (model_cadence_parse(value, &cad, NULL) < 0)
            return bad(l,
                       "key '%s' in [%s] must be quarterly, semiannual "
                       "or none",
                       key, section);
        c->defaults.cadence = cad;
    } else if (strcmp(key, "thanks_zone") == 0) {
        if (util_streq_ci(value, "host"))
            c->defaults.thanks_in_host_zone = 1;
        else if (util_streq_ci(value, "mine"))
            c->defaults.thanks_in_host_zone = 0;
        else
            return bad(l, "key '%s' in [%s] must be mine or host", key,
                       section);
    } else if (strcmp(key, "agenda_busy") == 0) {
        if (parse_bool(value, &c->defaults.agenda_busy) < 0)
            return bad(l, "key '%s' in [%s] must be yes or no", key, section);
    } else if (strcmp(key, "color") == 0) {
        if (config_color_parse(value, &c->defaults.color) < 0)
            return bad(l, "key '%s' in [%s] must be auto, always or never", key,
                       section);
    } else if (strcmp(key, "email") == 0) {
        if (!strchr(value, '@'))
            return bad(l, "key '%s' in [%s] must be an email address", key,
                       section);
        if (util_set_str(&c->email, value) < 0)
            return bad(l, "out of memory");
    } else {
        return bad(l, "unknown key '%s' in [%s]", key, section);
    }
    return 1;
}

static int sync_pair(struct loader *l, struct config *c, const char *section,
                     const char *key, const char *value)
{
    long n;
    int b;

    if (strcmp(key, "conflict") == 0) {
        if (parse_conflict(value, &b) < 0)
            return bad(l,
                       "key '%s' in [%s] must be newest, local, remote "
                       "or both",
                       key, section);
        c->conflict = (enum config_conflict)b;
    } else if (strcmp(key, "notes") == 0) {
        if (parse_bool(value, &c->notes) < 0)
            return bad(l, "key '%s' in [%s] must be yes or no", key, section);
    } else if (strcmp(key, "adopt_invitations") == 0) {
        if (parse_bool(value, &c->adopt) < 0)
            return bad(l, "key '%s' in [%s] must be yes or no", key, section);
    } else if (strcmp(key, "timeout") == 0) {
        if (parse_timeout(value, &c->timeout_s) < 0)
            return bad(l, "key '%s' in [%s] must be 1 to 3600 seconds", key,
                       section);
    } else if (strcmp(key, "connections") == 0) {
        if (parse_connections(value, &c->connections) < 0)
            return bad(l, "key '%s' in [%s] must be 1 to 16", key, section);
    } else if (strcmp(key, "max_delete") == 0) {
        if (util_parse_long(value, 0, 1000000, &n) < 0)
            return bad(l, "key '%s' in [%s] must be a number", key, section);
        c->max_delete = (int)n;
    } else if (strcmp(key, "password_command") == 0) {
        if (util_set_str(&c->password_command, value) < 0)
            l->oom = 1;
    } else {
        return bad(l, "unknown key '%s' in [%s]", key, section);
    }
    return 1;
}

/* [mail]: who the thank-you note is from, and what sends it. */
static int mail_pair(struct loader *l, struct config *c, const char *section,
                     const char *key, const char *value)
{
    char **slot;

    if (strcmp(key, "name") == 0)
        slot = &c->mail_name;
    else if (strcmp(key, "command") == 0)
        slot = &c->mail_command;
    else
        return bad(l, "unknown key '%s' in [%s]", key, section);
    if (util_text_problem(value, 0))
        return bad(l, "key '%s' in [%s] %s", key, section,
                   util_text_problem(value, 0));
    if (util_set_str(slot, value) < 0)
        l->oom = 1;
    return 1;
}

static int calendar_pair(struct loader *l, struct config *c,
                         const char *section, const char *key,
                         const char *value)
{
    struct config_calendar *cal = calendar_slot(c, section + 9);
    char **slot = NULL;

    if (!cal) {
        l->oom = 1;
        return 0;
    }
    if (strcmp(key, "user") == 0)
        slot = &cal->user;
    else if (strcmp(key, "password_command") == 0)
        slot = &cal->password_command;
    else if (strcmp(key, "password_env") == 0)
        slot = &cal->password_env;
    else if (strcmp(key, "ca_file") == 0)
        slot = &cal->ca_file;
    else if (strcmp(key, "password") == 0)
        /* a file is copied, backed up and shown: no secret in it */
        return bad(l,
                   "key 'password' in [%s]: passwords are not kept in the "
                   "settings file (use password_command, password_env or "
                   "~/.netrc)",
                   section);
    if (slot) {
        if (util_set_str(slot, value) < 0)
            l->oom = 1;
    } else if (strcmp(key, "todo") == 0) {
        if (util_streq_ci(value, "auto"))
            cal->todo = CONFIG_TODO_AUTO;
        else if (util_streq_ci(value, "vtodo"))
            cal->todo = CONFIG_TODO_VTODO;
        else if (util_streq_ci(value, "vevent"))
            cal->todo = CONFIG_TODO_VEVENT;
        else
            return bad(l, "key '%s' in [%s] must be auto, vtodo or vevent", key,
                       section);
    } else if (strcmp(key, "notes") == 0) {
        if (parse_bool(value, &cal->notes) < 0)
            return bad(l, "key '%s' in [%s] must be yes or no", key, section);
    } else if (strcmp(key, "adopt_invitations") == 0) {
        if (parse_bool(value, &cal->adopt) < 0)
            return bad(l, "key '%s' in [%s] must be yes or no", key, section);
    } else if (strcmp(key, "timeout") == 0) {
        if (parse_timeout(value, &cal->timeout_s) < 0)
            return bad(l, "key '%s' in [%s] must be 1 to 3600 seconds", key,
                       section);
    } else if (strcmp(key, "connections") == 0) {
        if (parse_connections(value, &cal->connections) < 0)
            return bad(l, "key '%s' in [%s] must be 1 to 16", key, section);
    } else if (strcmp(key, "conflict") == 0) {
        if (parse_conflict(value, &cal->conflict) < 0)
            return bad(l,
                       "key '%s' in [%s] must be newest, local, remote "
                       "or both",
                       key, section);
    } else {
        return bad(l, "unknown key '%s' in [%s]", key, section);
    }
    return 1;
}

/* inih's handler: one key of one section. */
static int take_pair(struct loader *l, const char *section, const char *key,
                     const char *value)
{
    if (strcmp(section, "defaults") == 0)
        return defaults_pair(l, l->c, section, key, value);
    if (strcmp(section, "sync") == 0)
        return sync_pair(l, l->c, section, key, value);
    if (strcmp(section, "mail") == 0)
        return mail_pair(l, l->c, section, key, value);
    if (strncmp(section, "calendar ", 9) == 0 && section[9])
        return calendar_pair(l, l->c, section, key, value);
    return bad(l, "key '%s' in unknown section [%s]", key, section);
}

/* Each pair taken is also kept as read, so 'tiara config' can say where
 * a setting came from. */
static int on_pair(void *user, const char *section, const char *key,
                   const char *value)
{
    struct loader *l = user;
    struct config_pair *p;
    int rc = take_pair(l, section, key, value);

    if (rc != 1 || l->msg[0])
        return rc;
    if (ALLOC_GROW(l->c->pairs, l->c->npairs + 1, l->c->cappairs) < 0) {
        l->oom = 1;
        return 1;
    }
    p = &l->c->pairs[l->c->npairs];
    p->section = strdup(section);
    p->key = strdup(key);
    p->value = strdup(value);
    l->c->npairs++;
    if (!p->section || !p->key || !p->value)
        l->oom = 1;
    return 1;
}

const char *config_from_file(const struct config *c, const char *section,
                             const char *key)
{
    const char *found = NULL;

    for (size_t i = 0; c && i < c->npairs; i++)
        if (strcmp(c->pairs[i].section, section) == 0 &&
            strcmp(c->pairs[i].key, key) == 0)
            found = c->pairs[i].value; /* the last one counts */
    return found;
}

/* inih reports only the first bad line's number; counting lines in the
 * reader lets the handler name it too. */
struct readctx {
    struct loader *l;
    FILE *f;
};

/* Reads a line for inih, saying what inih would get wrong or not say: a
 * NUL byte (which would cut the line), a line too long for its buffer
 * (which would become two), a section header without its ']' (which
 * would be blamed on the next line). */
static char *read_line(char *str, int num, void *stream)
{
    struct readctx *r = stream;
    const char *p;
    int ch = 0, n = 0, nul = 0;

    while (n < num - 1 && (ch = getc(r->f)) != EOF) {
        nul |= ch == '\0';
        str[n++] = (char)(ch == '\0' ? ' ' : ch);
        if (ch == '\n')
            break;
    }
    if (n == 0)
        return NULL;
    str[n] = '\0';
    r->l->line++;
    if (nul)
        bad(r->l, "holds a NUL byte (is this a text file?)");
    if (n == num - 1 && str[n - 1] != '\n') {
        while ((ch = getc(r->f)) != EOF && ch != '\n')
            ;
        bad(r->l, "is longer than %d bytes", num - 2);
    }
    for (p = str; *p == ' ' || *p == '\t'; p++)
        ;
    if (*p == '[' && !strchr(p, ']'))
        bad(r->l, "'[' opens a section name that no ']' closes");
    return str;
}

static int has_command(const struct config *c)
{
    if (!util_empty(c->password_command) || !util_empty(c->mail_command))
        return 1;
    for (size_t i = 0; i < c->ncals; i++)
        if (!util_empty(c->cals[i].password_command))
            return 1;
    return 0;
}

/* A command anyone else could change would run with the user's rights and
 * see their password: such a file is refused (ssh does the same). */
static int writable_by_others(FILE *f)
{
    struct stat st;

    if (fstat(fileno(f), &st) < 0)
        return 1;
    return (st.st_mode & (S_IWGRP | S_IWOTH)) || st.st_uid != geteuid();
}

int config_load(const char *path, struct config *out, struct err *err)
{
    int ret = -1, rc;
    struct config c;
    struct loader l;
    struct readctx rctx;
    FILE *f = NULL;

    memset(&c, 0, sizeof(c));
    memset(&l, 0, sizeof(l));
    c.max_delete = 5;
    c.defaults.minutes = MODEL_MIN_MINUTES;
    c.defaults.cadence = CADENCE_QUARTERLY;
    c.defaults.agenda_busy = 1;
    c.timeout_s = 30;
    c.connections = 4;
    c.path = path ? strdup(path) : config_default_path();
    if (!c.path) {
        err_set(err, ERR_NOMEM, "out of memory");
        goto out;
    }
    f = fopen(c.path, "r");
    if (!f) {
        if (errno == ENOENT && (path || util_empty(getenv("TIARA_CONFIG")))) {
            ret = 0; /* no file where none was asked for: the defaults */
            goto out;
        }
        if (errno == ENOENT) {
            err_set(err, ERR_INPUT,
                    "TIARA_CONFIG names '%s', which does not exist (unset "
                    "it, or name /dev/null for no settings)",
                    c.path);
            goto out;
        }
        err_set(err, ERR_IO, "cannot read '%s': %s", c.path, strerror(errno));
        goto out;
    }
    c.read = 1;
    l.c = &c;
    rctx.l = &l;
    rctx.f = f;
    rc = ini_parse_stream(read_line, &rctx, on_pair, &l);
    if (l.oom || rc == -2) {
        err_set(err, ERR_NOMEM, "out of memory");
        goto out;
    }
    if (l.msg[0] && (rc <= 0 || l.bad_line <= rc)) {
        err_set(err, ERR_INPUT, "%s:%d: %s", c.path, l.bad_line, l.msg);
        goto out;
    }
    if (rc > 0) {
        err_set(err, ERR_INPUT, "%s:%d: not a 'key = value' line", c.path, rc);
        goto out;
    }
    if (has_command(&c) && writable_by_others(f)) {
        err_set(err, ERR_INPUT,
                "'%s' holds a command but others can write to it "
                "(chmod go-w, and own it yourself)",
                c.path);
        goto out;
    }
    ret = 0;
out:
    if (f)
        fclose(f);
    if (ret == 0)
        *out = c;
    else
        config_release(&c);
    return ret;
}

static void wipe(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

void config_release(struct config *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->ncals; i++) {
        free(c->cals[i].name);
        free(c->cals[i].user);
        free(c->cals[i].password_command);
        free(c->cals[i].password_env);
        free(c->cals[i].ca_file);
    }
    free(c->cals);
    free(c->password_command);
    free(c->mail_name);
    free(c->mail_command);
    for (i = 0; i < c->npairs; i++) {
        free(c->pairs[i].section);
        free(c->pairs[i].key);
        free(c->pairs[i].value);
    }
    free(c->pairs);
    for (i = 0; i < c->nsecrets; i++) {
        free(c->secrets[i].name);
        wipe(c->secrets[i].value);
    }
    free(c->secrets);
    free(c->email);
    free(c->path);
    memset(c, 0, sizeof(*c));
}

const struct config_calendar *config_calendar(const struct config *c,
                                              const char *name)
{
    size_t i;

    for (i = 0; c && i < c->ncals; i++)
        if (strcmp(c->cals[i].name, name) == 0)
            return &c->cals[i];
    return NULL;
}

/* Run 'cmd' and keep the first line it prints. */
static int run_command(const char *cmd, const char *name, char **out,
                       struct err *err)
{
    int ret = -1, status, oom = 0;
    FILE *p;
    struct buf b;
    char chunk[256];
    size_t n;

    buf_init(&b);
    fflush(NULL);
    p = popen(cmd, "r");
    if (!p)
        return err_set(err, ERR_AUTH,
                       "cannot run the password_command for '%s': %s", name,
                       strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
        if (!oom && buf_add(&b, chunk, n) < 0)
            oom = 1; /* keep reading so the command can finish */
    }
    memset(chunk, 0, sizeof(chunk));
    status = pclose(p);
    if (oom) {
        err_set(err, ERR_NOMEM, "out of memory");
        goto out;
    }
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* say how it failed, never what it printed */
        err_set(err, ERR_AUTH, "password_command for '%s' failed (status %d)",
                name, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        goto out;
    }
    if (b.data) {
        char *nl = strpbrk(b.data, "\r\n");
        if (nl)
            *nl = '\0';
    }
    if (!b.data || !b.data[0]) {
        err_set(err, ERR_AUTH, "password_command for '%s' printed nothing",
                name);
        goto out;
    }
    *out = buf_steal(&b);
    ret = 0;
out:
    if (b.data)
        memset(b.data, 0, b.cap);
    buf_release(&b);
    return ret;
}

const char *config_email(const struct config *c)
{
    const char *v = getenv("TIARA_EMAIL");

    if (!util_empty(v))
        return v;
    return c ? c->email : NULL;
}

const char *config_getenv(const struct config *c, const char *name)
{
    for (size_t i = 0; c && i < c->nsecrets; i++)
        if (strcmp(c->secrets[i].name, name) == 0)
            return c->secrets[i].value;
    return getenv(name);
}

static int take_one(struct config *c, const char *name, struct err *err)
{
    const char *v = getenv(name);
    struct config_secret *s;

    if (!v)
        return 0; /* unset, or taken for another calendar already */
    if (ALLOC_GROW(c->secrets, c->nsecrets + 1, c->capsecrets) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    s = &c->secrets[c->nsecrets];
    s->name = strdup(name);
    s->value = strdup(v);
    if (!s->name || !s->value) {
        free(s->name);
        free(s->value);
        return err_set(err, ERR_NOMEM, "out of memory");
    }
    c->nsecrets++;
    /* the children's environment is built from environ: gone from there,
     * it reaches none of them */
    unsetenv(name);
    return 0;
}

int config_take_env_secrets(struct config *c, struct err *err)
{
    if (take_one(c, "TIARA_PASSWORD", err) < 0)
        return -1;
    for (size_t i = 0; i < c->ncals; i++)
        if (!util_empty(c->cals[i].password_env) &&
            take_one(c, c->cals[i].password_env, err) < 0)
            return -1;
    return 0;
}

int config_password(const struct config *c, const char *name, char **out,
                    struct err *err)
{
    const struct config_calendar *cal = config_calendar(c, name);
    const char *v = NULL;
    const char *cmd;

    *out = NULL;
    if (cal && cal->password_env)
        v = config_getenv(c, cal->password_env);
    if (!v || !*v)
        v = config_getenv(c, "TIARA_PASSWORD");
    if (v && *v) {
        *out = strdup(v);
        return *out ? 0 : err_set(err, ERR_NOMEM, "out of memory");
    }
    cmd = cal && cal->password_command ? cal->password_command
                                       : (c ? c->password_command : NULL);
    if (cmd && *cmd)
        return run_command(cmd, name, out, err);
    return 0;
}
