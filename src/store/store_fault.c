/* SPDX-License-Identifier: MIT */
/* store_fault.c - the tests' tiara-fault: a SQLite VFS over the default
 * one that fails the Nth write or fsync of the database, as a full or
 * failing disk would. Linked into tiara-fault only, never into tiara. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util.h"

/* TIARA_FAULT is 'count' (print the writes and fsyncs made, at exit), or
 * 'OP:N:KIND': the Nth OP ('write' or 'fsync') on the main database, its
 * WAL or its journal fails with KIND ('full': no space, 'eio': an I/O
 * error). 'OP:N+:KIND' fails that one and every later one, as a disk
 * that stays full does. The first failure is told on stderr. */
enum { OP_WRITE, OP_FSYNC, OP_COUNT };

static struct {
    int counting;
    int op;     /* the OP to fail; -1 for none */
    long at;    /* ... the Nth one */
    int sticky; /* ... and every one after it */
    int full;   /* SQLITE_FULL / ENOSPC rather than EIO */
    long seen[OP_COUNT];
    int last_errno; /* what xGetLastError says after a failure */
    sqlite3_vfs *real;
} f = {.op = -1};

struct fault_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
    int counted;        /* main database, WAL or journal */
    const char *name;   /* SQLite keeps it until the close */
};

static sqlite3_io_methods methods;

#define REAL(file) (((struct fault_file *)(file))->real)

/* Is this the OP that fails? Counts it either way. */
static int fails(sqlite3_file *file, int op)
{
    long n;

    if (!((struct fault_file *)file)->counted)
        return 0;
    n = ++f.seen[op];
    if (op != f.op || n < f.at || (n > f.at && !f.sticky))
        return 0;
    if (n == f.at) { /* so that a test knows the fault came, and where */
        const char *name = ((struct fault_file *)file)->name;
        const char *slash = name ? strrchr(name, '/') : NULL;

        fprintf(stderr, "tiara-fault: %s %ld fails (%s) in %s\n",
                op == OP_WRITE ? "write" : "fsync", n, f.full ? "full" : "eio",
                slash ? slash + 1 : "?");
    }
    f.last_errno = f.full ? ENOSPC : EIO;
    errno = f.last_errno;
    return 1;
}

static int x_close(sqlite3_file *file)
{
    int rc = REAL(file)->pMethods->xClose(REAL(file));

    file->pMethods = NULL;
    return rc;
}

static int x_read(sqlite3_file *file, void *buf, int n, sqlite3_int64 off)
{
    return REAL(file)->pMethods->xRead(REAL(file), buf, n, off);
}

static int x_write(sqlite3_file *file, const void *buf, int n,
                   sqlite3_int64 off)
{
    if (fails(file, OP_WRITE))
        return f.full ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    return REAL(file)->pMethods->xWrite(REAL(file), buf, n, off);
}

static int x_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    return REAL(file)->pMethods->xTruncate(REAL(file), size);
}

static int x_sync(sqlite3_file *file, int flags)
{
    if (fails(file, OP_FSYNC))
        return SQLITE_IOERR_FSYNC;
    return REAL(file)->pMethods->xSync(REAL(file), flags);
}

static int x_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    return REAL(file)->pMethods->xFileSize(REAL(file), size);
}

static int x_lock(sqlite3_file *file, int level)
{
    return REAL(file)->pMethods->xLock(REAL(file), level);
}

static int x_unlock(sqlite3_file *file, int level)
{
    return REAL(file)->pMethods->xUnlock(REAL(file), level);
}

static int x_check_reserved(sqlite3_file *file, int *out)
{
    return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}

static int x_file_control(sqlite3_file *file, int op, void *arg)
{
    return REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}

static int x_sector_size(sqlite3_file *file)
{
    return REAL(file)->pMethods->xSectorSize(REAL(file));
}

static int x_device(sqlite3_file *file)
{
    return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file));
}

static int x_shm_map(sqlite3_file *file, int page, int size, int extend,
                     void volatile **out)
{
    return REAL(file)->pMethods->xShmMap(REAL(file), page, size, extend, out);
}

static int x_shm_lock(sqlite3_file *file, int off, int n, int flags)
{
    return REAL(file)->pMethods->xShmLock(REAL(file), off, n, flags);
}

static void x_shm_barrier(sqlite3_file *file)
{
    REAL(file)->pMethods->xShmBarrier(REAL(file));
}

static int x_shm_unmap(sqlite3_file *file, int delete_flag)
{
    return REAL(file)->pMethods->xShmUnmap(REAL(file), delete_flag);
}

static int x_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **out)
{
    return REAL(file)->pMethods->xFetch(REAL(file), off, n, out);
}

static int x_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    return REAL(file)->pMethods->xUnfetch(REAL(file), off, p);
}

static sqlite3_io_methods methods = {
    .xClose = x_close,
    .xRead = x_read,
    .xWrite = x_write,
    .xTruncate = x_truncate,
    .xSync = x_sync,
    .xFileSize = x_file_size,
    .xLock = x_lock,
    .xUnlock = x_unlock,
    .xCheckReservedLock = x_check_reserved,
    .xFileControl = x_file_control,
    .xSectorSize = x_sector_size,
    .xDeviceCharacteristics = x_device,
    .xShmMap = x_shm_map,
    .xShmLock = x_shm_lock,
    .xShmBarrier = x_shm_barrier,
    .xShmUnmap = x_shm_unmap,
    .xFetch = x_fetch,
    .xUnfetch = x_unfetch,
};

static int x_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
                  int flags, int *out_flags)
{
    struct fault_file *ff = (struct fault_file *)file;
    int rc;

    (void)vfs;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->name = name;
    ff->counted = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL |
                            SQLITE_OPEN_MAIN_JOURNAL)) != 0;
    rc = f.real->xOpen(f.real, name, ff->real, flags, out_flags);
    if (ff->real->pMethods) {
        /* the methods' version says which of them SQLite may call */
        methods.iVersion = ff->real->pMethods->iVersion;
        file->pMethods = &methods;
    } else {
        file->pMethods = NULL;
    }
    return rc;
}

/* the errno a real failure would have left, where SQLite asks for it */
static int x_last_error(sqlite3_vfs *vfs, int n, char *buf)
{
    (void)vfs;
    if (f.last_errno)
        return f.last_errno;
    return f.real->xGetLastError(f.real, n, buf);
}

static void print_count(void)
{
    fprintf(stderr, "tiara-fault: %ld writes, %ld fsyncs\n", f.seen[OP_WRITE],
            f.seen[OP_FSYNC]);
}

static int parse(const char *spec)
{
    char op[16], kind[16], plus = 0;
    long at;

    if (strcmp(spec, "count") == 0) {
        f.counting = 1;
        return 0;
    }
    if (sscanf(spec, "%15[a-z]:%ld%15[+:a-z]", op, &at, kind) != 3 || at < 1)
        return -1;
    if (kind[0] == '+') {
        plus = 1;
        memmove(kind, kind + 1, strlen(kind));
    }
    if (kind[0] != ':')
        return -1;
    f.sticky = plus;
    f.at = at;
    if (strcmp(op, "write") == 0)
        f.op = OP_WRITE;
    else if (strcmp(op, "fsync") == 0)
        f.op = OP_FSYNC;
    else
        return -1;
    if (strcmp(kind + 1, "full") == 0)
        f.full = 1;
    else if (strcmp(kind + 1, "eio") != 0)
        return -1;
    return 0;
}

/* Before main(): the shim becomes SQLite's default VFS, so the store
 * opens through it without knowing. */
__attribute__((constructor)) static void fault_init(void)
{
    static sqlite3_vfs vfs;
    const char *spec = getenv("TIARA_FAULT");

    if (!spec)
        return;
    if (parse(spec) < 0) {
        fprintf(stderr,
                "tiara-fault: TIARA_FAULT='%s': want count, or "
                "write|fsync:N[+]:full|eio\n",
                spec);
        exit(2);
    }
    if (!(f.real = sqlite3_vfs_find(NULL)))
        abort();
    vfs = *f.real;
    vfs.zName = "tiara-fault";
    vfs.szOsFile = (int)sizeof(struct fault_file) + f.real->szOsFile;
    vfs.xOpen = x_open;
    vfs.xGetLastError = x_last_error;
    if (sqlite3_vfs_register(&vfs, 1) != SQLITE_OK)
        abort();
    if (f.counting)
        atexit(print_count);
}
