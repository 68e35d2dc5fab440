/* SPDX-License-Identifier: MIT */
/* config.h - settings that are not data: the INI file under XDG_CONFIG_HOME */
#ifndef TIARA_CONFIG_H
#define TIARA_CONFIG_H

#include <stddef.h>

#include "err.h"

/* Who wins when both sides changed an entry since the last sync. */
enum config_conflict {
    CONFIG_CONFLICT_NEWEST, /* the later LAST-MODIFIED (the default) */
    CONFIG_CONFLICT_LOCAL,
    CONFIG_CONFLICT_REMOTE,
    CONFIG_CONFLICT_BOTH, /* keep both, the remote one under a new UID */
};

/* How deadlines (VTODO) go to a calendar. */
enum config_todo {
    CONFIG_TODO_AUTO, /* VTODO when the calendar accepts it */
    CONFIG_TODO_VTODO,
    CONFIG_TODO_VEVENT,
};

/* [calendar NAME] */
struct config_calendar {
    char *name;
    char *user;
    char *password_command; /* run by /bin/sh; its first line is the password */
    char *password_env;     /* name of an environment variable */
    char *ca_file;
    enum config_todo todo;
    int notes;       /* -1: as [sync] says */
    int conflict;    /* -1: as [sync] says, else enum config_conflict */
    int adopt;       /* -1: as [sync] says */
    int timeout_s;   /* 0: as [sync] says */
    int connections; /* 0: as [sync] says */
};

/* [defaults]: DOMAIN.md's rules of thumb, which the user may change. */
struct config_defaults {
    int minutes;             /* interview length when --for is not given */
    int cadence;             /* enum cadence for new contacts */
    int thanks_in_host_zone; /* thank-you due at the end of the host's day */
    int agenda_busy;         /* the agenda shows the calendar's other events */
    int color;               /* enum config_color */
};

/* [defaults] color: whether terminal output is coloured. */
enum config_color {
    CONFIG_COLOR_AUTO, /* on a terminal, unless NO_COLOR is set */
    CONFIG_COLOR_ALWAYS,
    CONFIG_COLOR_NEVER,
};

/* "auto", "always" or "never" into *out; -1 for anything else. */
int config_color_parse(const char *s, int *out);

/* A line of the file as read. */
struct config_pair {
    char *section, *key, *value;
};

/* A password variable taken out of the environment. */
struct config_secret {
    char *name, *value;
};

struct config {
    char *path; /* the file read, or the one that would be */
    int read;   /* the file was there and read */
    struct config_defaults defaults;
    enum config_conflict conflict;
    int notes;       /* send private notes: off unless asked */
    int adopt;       /* invitations found in a calendar become interviews */
    int timeout_s;   /* a server silent this long has failed */
    int connections; /* requests in flight at once to one server */
    int max_delete;  /* deletions per sync without --force-delete */
    char *password_command; /* for calendars without their own */
    char *mail_name;        /* [mail] name: who thank-you notes are from */
    char *mail_command;     /* [mail] command: sendmail-like, reads stdin */
    char *email;            /* [defaults] email: the user's own address */
    struct config_calendar *cals;
    size_t ncals;
    struct config_pair *pairs; /* what the file said, in order */
    size_t npairs, cappairs;
    struct config_secret *secrets; /* config_take_env_secrets */
    size_t nsecrets, capsecrets;
};

/* $TIARA_CONFIG, else $XDG_CONFIG_HOME/tiara/config.ini, else
 * ~/.config/tiara/config.ini. Caller frees. */
char *config_default_path(void);

/* Read 'path' (NULL for the default). A missing file gives the defaults,
 * unless TIARA_CONFIG named it: then it is an error. A bad line is an ERR_INPUT
 * naming the file, the line and the key. */
int config_load(const char *path, struct config *out, struct err *err);
void config_release(struct config *c); /* NULL is allowed */

/* The [calendar NAME] section, or NULL. */
const struct config_calendar *config_calendar(const struct config *c,
                                              const char *name);

/* The value the file gave section.key, or NULL when it gave none. */
const char *config_from_file(const struct config *c, const char *section,
                             const char *key);

/* The user's own address: $TIARA_EMAIL, else [defaults] email, else
 * NULL. Borrowed. */
const char *config_email(const struct config *c);

/* Move $TIARA_PASSWORD and each calendar's password_env variable out of
 * the environment into 'c', so that no program tiara runs (a
 * password_command, the mail command, notify-send) inherits a password.
 * config_password and config_getenv still see them. Fails only when out
 * of memory. */
int config_take_env_secrets(struct config *c, struct err *err);

/* $name as tiara started with it, a variable taken by
 * config_take_env_secrets included; NULL when unset. Borrowed. */
const char *config_getenv(const struct config *c, const char *name);

/* The password for calendar 'name' from its environment variable, else
 * $TIARA_PASSWORD, else its password_command (or the global one). *out
 * is NULL when none is configured (libcurl may still find ~/.netrc).
 * The secret never appears in an error message. Caller frees *out. */
int config_password(const struct config *c, const char *name, char **out,
                    struct err *err);

#endif
