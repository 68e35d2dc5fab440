/* SPDX-License-Identifier: MIT */
/* fuzz_config.c - libFuzzer harness for the settings file (libinih): a
 * file that loads holds only values in range, one entry per calendar
 * name, and loads the same again; a refused one names the file and
 * leaves the result untouched. Never asks for a password: that would run
 * the password_command the input wrote. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void remove_file(void)
{
    unlink(path);
}

static int in(long v, long lo, long hi)
{
    return v >= lo && v <= hi;
}

static void check_calendar(const struct config *c, size_t i)
{
    const struct config_calendar *cal = &c->cals[i];

    if (!cal->name || !cal->name[0] || config_calendar(c, cal->name) != cal ||
        !in(cal->todo, CONFIG_TODO_AUTO, CONFIG_TODO_VEVENT) ||
        !in(cal->notes, -1, 1) || !in(cal->adopt, -1, 1) ||
        !in(cal->conflict, -1, CONFIG_CONFLICT_BOTH) ||
        !in(cal->timeout_s, 0, 3600))
        abort();
}

static void check_config(const struct config *c)
{
    if (!c->path || strcmp(c->path, path) != 0 ||
        model_check_minutes(c->defaults.minutes, 1, NULL) < 0 ||
        !in(c->defaults.cadence, 0, CADENCE_NONE) ||
        !in(c->defaults.thanks_in_host_zone, 0, 1) ||
        !in(c->defaults.agenda_busy, 0, 1) ||
        !in(c->conflict, CONFIG_CONFLICT_NEWEST, CONFIG_CONFLICT_BOTH) ||
        !in(c->notes, 0, 1) || !in(c->adopt, 0, 1) ||
        !in(c->timeout_s, 1, 3600) || !in(c->max_delete, 0, 1000000) ||
        (c->ncals > 0 && !c->cals))
        abort();
    for (size_t i = 0; i < c->ncals; i++)
        check_calendar(c, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config c, again, before;
    struct err e = {0};
    FILE *f;
    int rc;

    if (!path[0]) {
        int fd;

        snprintf(path, sizeof(path), "/tmp/fuzz-config-XXXXXX");
        fd = mkstemp(path); /* 0600: a password_command is allowed */
        if (fd < 0)
            abort();
        close(fd);
        atexit(remove_file);
    }
    f = fopen(path, "w");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    memset(&c, 0x5a, sizeof(c));
    before = c;
    rc = config_load(path, &c, &e);
    if (rc < 0) {
        if (e.kind == ERR_NONE || memcmp(&c, &before, sizeof(c)) != 0 ||
            (e.kind == ERR_INPUT && strncmp(e.msg, path, strlen(path)) != 0))
            abort();
        return 0;
    }
    check_config(&c);
    if (config_load(path, &again, NULL) < 0 || again.ncals != c.ncals ||
        again.defaults.minutes != c.defaults.minutes ||
        again.max_delete != c.max_delete)
        abort();
    for (size_t i = 0; i < c.ncals; i++)
        if (strcmp(again.cals[i].name, c.cals[i].name) != 0)
            abort();
    config_release(&again);
    config_release(&c);
    return 0;
}
