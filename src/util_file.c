/* SPDX-License-Identifier: MIT */
/* util_file.c - writing a file whole or not at all, where the user
 * pointed: through a symlink, keeping the mode, or as a stream */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int fail(struct err *err, const char *what, const char *path)
{
    return err_set(err, ERR_IO, "%s '%s': %s", what, path, strerror(errno));
}

/* Where a write to 'path' lands: a symlink's target, resolved. */
static int resolve_target(const char *path, char **out, struct err *err)
{
    struct stat st;
    char *real;

    if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
        return (*out = strdup(path)) ? 0
                                     : err_set(err, ERR_NOMEM, "out of memory");
    if (!(real = realpath(path, NULL)))
        return err_set(err, ERR_IO, "'%s' is a link to nowhere: %s", path,
                       strerror(errno));
    *out = real;
    return 0;
}

/* An unnamed file in the target's folder (O_TMPFILE): a kill leaves
 * nothing behind. Else a named one beside the target. */
static int open_temp(struct util_output *o, struct err *err)
{
    char *copy = strdup(o->target);
    const char *dir;

    if (!copy)
        return err_set(err, ERR_NOMEM, "out of memory");
    dir = dirname(copy);
    o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    free(copy);
    if (o->fd >= 0)
        return 0;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
        errno != ENOENT)
        return fail(err, "cannot write beside", o->target);
    return util_temp_beside(o->target, &o->tmp, &o->fd, err);
}

int util_output_open(const char *path, struct util_output *o, struct err *err)
{
    struct stat st;
    mode_t mask;

    memset(o, 0, sizeof(*o));
    o->fd = -1;
    if (resolve_target(path, &o->target, err) < 0)
        return -1;
    if (stat(o->target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            err_set(err, ERR_IO, "'%s' is a folder: give a file name", path);
            goto fail;
        }
        if (!S_ISREG(st.st_mode)) {
            /* a device, a pipe: written as a stream, never replaced */
            o->stream = 1;
            o->fd = open(o->target, O_WRONLY | O_CLOEXEC);
            if (o->fd < 0)
                goto fail_open;
            goto stream;
        }
        if (!(st.st_mode & 0222)) {
            err_set(err, ERR_IO, "'%s' is read-only: not replaced", path);
            goto fail;
        }
        o->mode = st.st_mode & 07777;
    } else {
        mask = umask(0);
        umask(mask);
        o->mode = 0666 & ~mask;
    }
    if (open_temp(o, err) < 0)
        goto fail;
stream:
    if (!(o->out = fdopen(o->fd, "w"))) {
        close(o->fd);
        goto fail_open;
    }
    return 0;
fail_open:
    fail(err, "cannot write", path);
fail:
    free(o->target);
    free(o->tmp);
    memset(o, 0, sizeof(*o));
    return -1;
}

/* Give the unnamed file a name beside the target, to rename from. */
static int name_it(struct util_output *o, struct err *err)
{
    char proc[64];
    struct buf b;

    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fileno(o->out));
    for (int tries = 0; tries < 20; tries++) {
        char *hex = util_random_hex(6);

        buf_init(&b);
        if (!hex || buf_printf(&b, "%s.tmp-%s", o->target, hex) < 0) {
            free(hex);
            buf_release(&b);
            return err_set(err, ERR_NOMEM, "out of memory");
        }
        free(hex);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, b.data, AT_SYMLINK_FOLLOW) == 0) {
            o->tmp = buf_steal(&b);
            return 0;
        }
        buf_release(&b);
        if (errno != EEXIST)
            return fail(err, "cannot write beside", o->target);
    }
    return fail(err, "cannot write beside", o->target);
}

int util_output_commit(struct util_output *o, struct err *err)
{
    int ret = -1;

    if (fflush(o->out) == EOF)
        goto io;
    if (o->stream) {
        /* a device reports its errors at the close */
        int rc = fclose(o->out);

        o->out = NULL;
        if (rc == EOF)
            goto io;
        ret = 0;
        goto out;
    }
    if (fsync(fileno(o->out)) < 0 || fchmod(fileno(o->out), o->mode) < 0)
        goto io;
    if (!o->tmp && name_it(o, err) < 0)
        goto out;
    if (rename(o->tmp, o->target) < 0) {
        fail(err, "cannot replace", o->target);
        goto out;
    }
    free(o->tmp);
    o->tmp = NULL;
    ret = 0;
    goto out;
io:
    fail(err, "cannot write", o->target);
out:
    util_output_abort(o);
    return ret;
}

void util_output_abort(struct util_output *o)
{
    if (o->out)
        fclose(o->out);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->target);
    memset(o, 0, sizeof(*o));
}
