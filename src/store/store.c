/* SPDX-License-Identifier: MIT */
/* store.c - opening the database, schema migrations and transactions */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crash.h"
#include "store_priv.h"
#include "util.h"

/* Each entry moves the schema from version i to i + 1. Never edit a
 * released step: add a new one. */
static const char *const migrations[] = {
    /* 1: contacts, interviews, follow-ups */
    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL CHECK (length(name) > 0),"
    "  email TEXT, company TEXT, role TEXT, phone TEXT, linkedin TEXT,"
    "  notes TEXT, tz TEXT,"
    "  referred_by INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
    "  cadence TEXT NOT NULL DEFAULT 'quarterly'"
    "    CHECK (cadence IN ('quarterly', 'semiannual', 'none')),"
    "  checkin_stopped INTEGER NOT NULL DEFAULT 0,"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL,"
    "  modified INTEGER NOT NULL);"
    "CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE);"
    "CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);"
    "CREATE TABLE interviews ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,"
    "  start INTEGER NOT NULL,"
    "  minutes INTEGER NOT NULL CHECK (minutes > 0),"
    "  tz TEXT NOT NULL,"
    "  mode TEXT NOT NULL CHECK (mode IN ('in-person', 'video', 'phone')),"
    "  location TEXT, video_url TEXT, agenda TEXT,"
    "  status TEXT NOT NULL DEFAULT 'scheduled'"
    "    CHECK (status IN ('scheduled', 'cancelled')),"
    "  prep_done INTEGER NOT NULL DEFAULT 0,"
    "  thanked INTEGER NOT NULL DEFAULT 0,"
    "  actual_start INTEGER NOT NULL DEFAULT 0,"
    "  actual_end INTEGER NOT NULL DEFAULT 0,"
    "  notes TEXT,"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL,"
    "  modified INTEGER NOT NULL);"
    "CREATE INDEX interviews_start ON interviews(start);"
    "CREATE INDEX interviews_contact ON interviews(contact_id, start);"
    "CREATE TABLE followups ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL DEFAULT 'landed',"
    "  due INTEGER NOT NULL,"
    "  done INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT,"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL,"
    "  modified INTEGER NOT NULL,"
    "  UNIQUE (contact_id, kind));"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",
    /* 2: CalDAV sync state (store_sync.c). Every row is written before
     * and after each remote step, so a sync killed at any point resumes
     * from what is recorded here. */
    "CREATE TABLE sync_calendars ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),"
    "  url TEXT NOT NULL,"
    "  user TEXT,"
    "  display_name TEXT,"
    "  components INTEGER NOT NULL DEFAULT 0,"
    "  sync_token TEXT,"
    "  ctag TEXT,"
    "  local_mark TEXT);"
    "CREATE TABLE sync_items ("
    "  calendar_id INTEGER NOT NULL"
    "    REFERENCES sync_calendars(id) ON DELETE CASCADE,"
    "  uid TEXT NOT NULL,"
    "  href TEXT,"
    "  etag TEXT,"
    "  lhash TEXT,"
    "  rhash TEXT,"
    "  pending TEXT CHECK (pending IN ('put', 'delete')),"
    "  pending_hash TEXT,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (calendar_id, uid));"
    "CREATE INDEX sync_items_href ON sync_items(calendar_id, href);"
    "CREATE TABLE sync_conflicts ("
    "  id INTEGER PRIMARY KEY,"
    "  calendar_id INTEGER REFERENCES sync_calendars(id) ON DELETE SET NULL,"
    "  uid TEXT NOT NULL,"
    "  side TEXT NOT NULL CHECK (side IN ('local', 'remote')),"
    "  policy TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  at INTEGER NOT NULL);",
    /* 3: the agenda's queries: open thank-you notes, and interviews in
     * the (start, uid) order every listing uses */
    "CREATE INDEX interviews_unthanked ON interviews(start)"
    "  WHERE thanked = 0 AND status = 'scheduled';"
    "DROP INDEX interviews_start;"
    "CREATE INDEX interviews_start ON interviews(start, uid);",
    /* 4: the zone a thank-you deadline follows, when not the interview's */
    "ALTER TABLE interviews ADD COLUMN thanks_tz TEXT;",
    /* 5: the text of what a server holds that is not tiara's, kept as it
     * came, read-only */
    "ALTER TABLE sync_items ADD COLUMN rtext TEXT;",
    /* 6: tiara's own text at the last agreement, the base that a local
     * change is merged from, and the local hash a pending PUT stands
     * for */
    "ALTER TABLE sync_items ADD COLUMN ltext TEXT;"
    "ALTER TABLE sync_items ADD COLUMN pending_lhash TEXT;",
    /* 7: an interview's own title, when the user gave it one */
    "ALTER TABLE interviews ADD COLUMN title TEXT;",
    /* 8: a database from before ownership may hold interviews made of
     * other people's events: rows agreed then have neither text. The
     * next sync reviews them (store_review.c). */
    "INSERT OR REPLACE INTO meta (key, value)"
    " SELECT 'foreign_review', 'pending' WHERE EXISTS (SELECT 1 FROM"
    " sync_items WHERE rhash IS NOT NULL AND ltext IS NULL AND rtext IS NULL"
    " AND flags & 4 = 0);",
    /* 9: how each calendar's server takes credentials, so that a run
     * sends them with its first request */
    "ALTER TABLE sync_calendars ADD COLUMN auth INTEGER NOT NULL DEFAULT 0;",
    /* 10: the entries of removed contacts, so that exports cancel them in
     * calendars that imported an earlier file (store_removed.c) */
    "CREATE TABLE removed_entries ("
    "  uid TEXT PRIMARY KEY,"
    "  owner_uid TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  summary TEXT NOT NULL,"
    "  tz TEXT NOT NULL,"
    "  start INTEGER NOT NULL,"
    "  minutes INTEGER NOT NULL DEFAULT 0,"
    "  seq INTEGER NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  removed INTEGER NOT NULL);",
    /* 11: what the host's iTIP messages said of an invitation (RFC 5546):
     * the newest request applied, their answer, a time they proposed */
    "CREATE TABLE itip ("
    "  uid TEXT PRIMARY KEY,"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  stamp INTEGER NOT NULL DEFAULT 0,"
    "  answer TEXT,"
    "  answered INTEGER NOT NULL DEFAULT 0,"
    "  proposed_start INTEGER NOT NULL DEFAULT 0,"
    "  proposed_minutes INTEGER NOT NULL DEFAULT 0);",
    /* 12: a career centre's years of interviews. The overdue thank-you
     * notes come in (start, uid) order from their partial index alone
     * instead of a walk of every past interview, and each contact's
     * check-in anchor is found in an index that covers the search. */
    "DROP INDEX interviews_unthanked;"
    "CREATE INDEX interviews_unthanked ON interviews(start, uid)"
    "  WHERE thanked = 0 AND status = 'scheduled';"
    "CREATE INDEX interviews_anchor ON interviews(contact_id, status, start);",
    /* 13: invitations an import took, so that importing the same file
     * again reads only what changed (store_seen.c) */
    "CREATE TABLE import_seen ("
    "  uid TEXT PRIMARY KEY,"
    "  hash INTEGER NOT NULL,"
    "  state TEXT NOT NULL);"
    "CREATE INDEX import_seen_hash ON import_seen(hash);",
    /* 14: the record of what an import took is dropped by the write that
     * changes what it stood for, so the next import checks it with one
     * probe of the text's hash instead of rebuilding the rows' state.
     * The columns are those an invitation's take reads and writes. */
    "DROP TABLE import_seen;"
    "CREATE TABLE import_seen ("
    "  uid TEXT PRIMARY KEY,"
    "  hash INTEGER NOT NULL);"
    "CREATE INDEX import_seen_hash ON import_seen(hash);"
    "CREATE TRIGGER import_seen_interview AFTER UPDATE ON interviews"
    "  WHEN old.uid IS NOT new.uid OR old.seq IS NOT new.seq"
    "  OR old.modified IS NOT new.modified OR old.start IS NOT new.start"
    "  OR old.minutes IS NOT new.minutes OR old.tz IS NOT new.tz"
    "  OR old.mode IS NOT new.mode OR old.location IS NOT new.location"
    "  OR old.video_url IS NOT new.video_url OR old.status IS NOT new.status"
    "  OR old.title IS NOT new.title OR old.thanks_tz IS NOT new.thanks_tz"
    "  OR old.contact_id IS NOT new.contact_id"
    "  BEGIN DELETE FROM import_seen WHERE uid IN (old.uid, new.uid); END;"
    "CREATE TRIGGER import_seen_interview_gone AFTER DELETE ON interviews"
    "  BEGIN DELETE FROM import_seen WHERE uid = old.uid; END;"
    "CREATE TRIGGER import_seen_contact AFTER UPDATE ON contacts"
    "  WHEN old.modified IS NOT new.modified OR old.name IS NOT new.name"
    "  OR old.company IS NOT new.company"
    "  BEGIN DELETE FROM import_seen WHERE uid IN"
    "  (SELECT uid FROM interviews WHERE contact_id = old.id); END;"
    /* INSERT OR REPLACE fires no DELETE trigger: the insert stands for it */
    "CREATE TRIGGER import_seen_itip AFTER INSERT ON itip"
    "  BEGIN DELETE FROM import_seen WHERE uid = new.uid; END;"
    "CREATE TRIGGER import_seen_itip_set AFTER UPDATE ON itip"
    "  WHEN old.seq IS NOT new.seq OR old.stamp IS NOT new.stamp"
    "  OR old.uid IS NOT new.uid"
    "  BEGIN DELETE FROM import_seen WHERE uid IN (old.uid, new.uid); END;"
    "CREATE TRIGGER import_seen_itip_gone AFTER DELETE ON itip"
    "  BEGIN DELETE FROM import_seen WHERE uid = old.uid; END;",
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* SQLite says only "disk I/O error", and its errno is often not kept:
 * the extended code tells a failed write from a failed fsync or read. */
static int io_err(struct store *st, struct err *err, const char *what, int sys)
{
    int ext = sqlite3_extended_errcode(st->db);
    const char *doing = "on";

    if (ext == SQLITE_IOERR_WRITE || ext == SQLITE_IOERR_TRUNCATE)
        doing = "writing";
    else if (ext == SQLITE_IOERR_FSYNC || ext == SQLITE_IOERR_DIR_FSYNC)
        doing = "flushing to disk";
    else if (ext == SQLITE_IOERR_READ || ext == SQLITE_IOERR_SHORT_READ)
        doing = "reading";
    if (sys)
        return err_set(err, ERR_DB, "%s: I/O error %s '%s': %s", what, doing,
                       st->path, strerror(sys));
    return err_set(err, ERR_DB, "%s: I/O error %s '%s'", what, doing, st->path);
}

int store_db_err(struct store *st, struct err *err, const char *what)
{
    const char *msg = sqlite3_errmsg(st->db);
    int code = sqlite3_errcode(st->db), sys = sqlite3_system_errno(st->db);

    if (code == SQLITE_NOTADB)
        return err_set(err, ERR_DB, "'%s' is not a tiara database", st->path);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return err_set(err, ERR_DB,
                       "database '%s' is busy (another tiara running?)",
                       st->path);
    if (code == SQLITE_FULL ||
        (code == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT)))
        /* SQLite says "disk I/O error" when the WAL index cannot grow */
        return err_set(err, ERR_DB,
                       "the disk holding '%s' is full: nothing was changed "
                       "(free some space and run it again)",
                       st->path);
    if (code == SQLITE_READONLY)
        return err_set(err, ERR_DB, "'%s' is read-only: %s", st->path, what);
    if (code == SQLITE_IOERR)
        return io_err(st, err, what, sys);
    return err_set(err, ERR_DB, "%s: %s", what, msg);
}

int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out,
                  struct err *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
        return store_db_err(st, err, "cannot query the database");
    return 0;
}

int store_prepare_kept(struct store *st, const char *sql, sqlite3_stmt **out,
                       struct err *err)
{
    int i;

    for (i = 0; i < st->nkept; i++)
        if (st->kept[i].sql == sql && !st->kept[i].busy) {
            st->kept[i].busy = 1;
            *out = st->kept[i].s;
            return 0;
        }
    if (store_prepare(st, sql, out, err) < 0)
        return -1;
    if (st->nkept < STORE_KEPT) { /* in use twice at once: the second goes */
        st->kept[st->nkept].sql = sql;
        st->kept[st->nkept].s = *out;
        st->kept[st->nkept++].busy = 1;
    }
    return 0;
}

void store_finalize(struct store *st, sqlite3_stmt *s)
{
    int i;

    for (i = 0; i < st->nkept; i++)
        if (st->kept[i].s == s) {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            st->kept[i].busy = 0;
            return;
        }
    sqlite3_finalize(s);
}

int store_bind_text(sqlite3_stmt *s, int idx, const char *v)
{
    if (util_empty(v))
        return sqlite3_bind_null(s, idx);
    return sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT);
}

int store_column_dup(sqlite3_stmt *s, int col, char **out)
{
    const unsigned char *t = sqlite3_column_text(s, col);

    *out = NULL;
    if (!t)
        return 0;
    *out = strdup((const char *)t);
    return *out ? 0 : -1;
}

int store_each_row(struct store *st, sqlite3_stmt *s, store_row_fn row,
                   void *ctx, const char *what, struct err *err)
{
    int rc, ret = 0;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((ret = row(s, ctx, err)) != 0)
            break;
    if (!ret && rc != SQLITE_DONE)
        ret = store_db_err(st, err, what);
    store_finalize(st, s);
    return ret;
}

int store_step_done(struct store *st, sqlite3_stmt *s, const char *what,
                    struct err *err)
{
    int rc = sqlite3_step(s);

    if (rc != SQLITE_DONE)
        rc = store_db_err(st, err, what);
    store_finalize(st, s);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_step_one(struct store *st, sqlite3_stmt *s, const char *what,
                   struct err *err)
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return 1;
    return store_db_err(st, err, what);
}

static int exec(struct store *st, const char *sql, struct err *err)
{
    char *msg = NULL;

    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int code = sqlite3_errcode(st->db);

        if (code == SQLITE_NOTADB || code == SQLITE_FULL ||
            code == SQLITE_IOERR || code == SQLITE_BUSY ||
            code == SQLITE_READONLY) {
            sqlite3_free(msg);
            return store_db_err(st, err, "cannot change the database");
        }
        err_set(err, ERR_DB, "database '%s': %s", st->path,
                msg ? msg : "unknown error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int user_version(struct store *st, int *out, struct err *err)
{
    sqlite3_stmt *s;
    int rc;

    if (store_prepare(st, "PRAGMA user_version", &s, err) < 0)
        return -1;
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return store_db_err(st, err, "cannot read the schema version");
    }
    *out = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return 0;
}

static int migrate(struct store *st, struct err *err)
{
    int version = 0;
    char pragma[64];

    if (user_version(st, &version, err) < 0)
        return -1;
    if (version > SCHEMA_VERSION)
        return err_set(err, ERR_DB,
                       "database '%s' is from a newer tiara (schema %d, this "
                       "build knows up to %d); upgrade tiara",
                       st->path, version, SCHEMA_VERSION);
    if (version == SCHEMA_VERSION)
        return 0;
    /* All steps in one transaction: a failed upgrade leaves the old file. */
    if (exec(st, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    for (; version < SCHEMA_VERSION; version++) {
        if (exec(st, migrations[version], err) < 0)
            goto fail;
        crash_point("migrate-between-steps");
    }
    snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
    if (exec(st, pragma, err) < 0)
        goto fail;
    crash_point("migrate-before-commit");
    if (exec(st, "COMMIT", err) < 0)
        goto fail;
    return 0;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* PRAGMA application_id of tiara's databases ("TIAR"). */
#define TIARA_APP_ID 0x54494152

static int pragma_int(struct store *st, const char *sql, int *out,
                      struct err *err)
{
    sqlite3_stmt *s;
    int rc;

    if (store_prepare(st, sql, &s, err) < 0)
        return -1;
    rc = store_step_one(st, s, "cannot read the database", err);
    *out = rc == 0 ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc < 0 ? -1 : 0;
}

/* Another program's SQLite file is refused before anything is written
 * to it (tables, WAL mode). Ours carry TIARA_APP_ID; an empty file
 * becomes ours; one from before the mark is known by its tables. */
static int check_ours(struct store *st, struct err *err)
{
    int app = 0, tables = 0, older = 0;

    if (pragma_int(st, "PRAGMA application_id", &app, err) < 0)
        return -1;
    if (app == TIARA_APP_ID)
        return 0;
    if (pragma_int(st, "SELECT count(*) FROM sqlite_master", &tables, err) <
            0 ||
        pragma_int(st,
                   "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                   " AND name IN ('contacts', 'interviews', 'followups',"
                   " 'meta')",
                   &older, err) < 0)
        return -1;
    if (app == 0 && (tables == 0 || older == 4)) {
        char mark[64];
        if (st->readonly)
            return 0; /* marked when next opened for writing */
        snprintf(mark, sizeof(mark), "PRAGMA application_id = %d",
                 TIARA_APP_ID);
        return exec(st, mark, err);
    }
    return err_set(err, ERR_DB,
                   "'%s' is not a tiara database (another program's file?): "
                   "left as it is; give tiara a file of its own with --db",
                   st->path);
}

/* Create the file ourselves so it starts 0600: SQLite would use the umask,
 * and the WAL and shm files copy the main file's mode. */
static int create_private(const char *path, struct err *err)
{
    int fd;

    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    if (errno == EEXIST)
        return 0;
    return err_set(err, ERR_IO, "cannot create '%s': %s", path,
                   strerror(errno));
}

/* Can this process change the file, and make the journal files beside it
 * that WAL needs? A read-only folder, file or file system says no. */
static int writable(const char *path)
{
    char *dir = strdup(path), *slash;
    int ok;

    if (!dir)
        return 1; /* let the read-write open report it */
    slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, strlen(dir) + 1, ".");
    else
        slash[slash == dir] = '\0'; /* "/db" keeps its "/" */
    ok = access(path, W_OK) == 0 && access(dir, W_OK) == 0;
    free(dir);
    return ok;
}

/* "file:" URI for 'path' with the characters URIs reserve escaped, and
 * the query 'q'. */
static char *file_uri(const char *path, const char *q)
{
    struct buf b;

    buf_init(&b);
    buf_adds(&b, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            buf_printf(&b, "%%%02X", (unsigned char)*p);
        else
            buf_add(&b, p, 1);
    }
    buf_printf(&b, "?%s", q);
    return buf_steal(&b);
}

/* WAL readers share an index beside the file; without write access to the
 * folder it cannot be made, and only an immutable open reads the file.
 * That is safe only while no log holds pages the file lacks. */
static int open_read_only(struct store *st, struct err *err)
{
    const int flags =
        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    char *uri = file_uri(st->path, "mode=ro"), *wal = NULL;
    struct stat sb;
    int version = 0, rc;

    st->readonly = 1;
    if (!uri)
        return err_set(err, ERR_NOMEM, "out of memory");
    rc = sqlite3_open_v2(uri, &st->db, flags, NULL);
    free(uri);
    if (rc == SQLITE_OK && user_version(st, &version, NULL) == 0)
        return 0;
    sqlite3_close(st->db);
    st->db = NULL;
    {
        struct buf b;
        buf_init(&b);
        buf_printf(&b, "%s-wal", st->path);
        if (!(wal = buf_steal(&b)))
            return err_set(err, ERR_NOMEM, "out of memory");
    }
    rc = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    if (rc)
        return err_set(err, ERR_DB,
                       "cannot read '%s' without write access: its "
                       "write-ahead log has changes not yet in the file",
                       st->path);
    if (!(uri = file_uri(st->path, "immutable=1")))
        return err_set(err, ERR_NOMEM, "out of memory");
    rc = sqlite3_open_v2(uri, &st->db, flags, NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return err_set(err, ERR_DB, "cannot open '%s': %s", st->path,
                       st->db ? sqlite3_errmsg(st->db) : "out of memory");
    return 0;
}

/* A database that cannot be written can still be read, if it needs no
 * upgrade: the reading commands work, the others say why they cannot. */
static int check_read_only(struct store *st, struct err *err)
{
    int version = 0;

    if (user_version(st, &version, err) < 0)
        return -1;
    if (version > SCHEMA_VERSION)
        return migrate(st, err); /* the newer-tiara message */
    if (version < SCHEMA_VERSION)
        return err_set(err, ERR_DB,
                       "'%s' is read-only and from an older tiara (schema "
                       "%d): open it once with write access to upgrade it",
                       st->path, version);
    return 0;
}

int store_open(const char *path, struct store **out, struct err *err)
{
    struct store *st;
    int memory = strcmp(path, ":memory:") == 0;
    int ro = !memory && access(path, F_OK) == 0 && !writable(path);

    if (!memory && !ro && create_private(path, err) < 0)
        return -1;
    st = calloc(1, sizeof(*st));
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return err_set(err, ERR_NOMEM, "out of memory");
    }
    if (ro) {
        if (open_read_only(st, err) < 0 || check_ours(st, err) < 0 ||
            check_read_only(st, err) < 0) {
            store_close(st);
            return -1;
        }
        sqlite3_extended_result_codes(st->db, 0);
        *out = st;
        return 0;
    }
    if (sqlite3_open_v2(path, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        err_set(err, ERR_DB, "cannot open '%s': %s", path,
                st->db ? sqlite3_errmsg(st->db) : "out of memory");
        store_close(st);
        return -1;
    }
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_extended_result_codes(st->db, 0);
    if (check_ours(st, err) < 0 ||
        exec(st, "PRAGMA foreign_keys = ON", err) < 0 ||
        (!memory && exec(st, "PRAGMA journal_mode = WAL", err) < 0) ||
        exec(st, "PRAGMA synchronous = NORMAL", err) < 0 ||
        exec(st, "PRAGMA temp_store = MEMORY", err) < 0 ||
        exec(st, "PRAGMA cache_size = -16384", err) < 0 ||
        migrate(st, err) < 0) {
        store_close(st);
        return -1;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    while (st->nkept > 0)
        sqlite3_finalize(st->kept[--st->nkept].s);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

int store_writable(const struct store *st, struct err *err)
{
    if (st->readonly)
        return err_set(err, ERR_DB,
                       "'%s' is read-only: this command would change it "
                       "(reading commands such as agenda and export work)",
                       st->path);
    return 0;
}

int store_begin(struct store *st, struct err *err)
{
    if (store_writable(st, err) < 0)
        return -1;
    if (st->depth++ > 0)
        return 0;
    if (exec(st, "BEGIN IMMEDIATE", err) < 0) {
        st->depth--;
        return -1;
    }
    return 0;
}

int store_commit(struct store *st, struct err *err)
{
    if (st->depth == 0 || --st->depth > 0)
        return 0;
    if (exec(st, "COMMIT", err) < 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* A statement of its own, kept: an import takes a step per entry. */
static int exec_kept(struct store *st, const char *sql, struct err *err)
{
    sqlite3_stmt *s;

    if (store_prepare_kept(st, sql, &s, err) < 0)
        return -1;
    return store_step_done(st, s, "cannot change the database", err);
}

int64_t store_changes(struct store *st)
{
    return sqlite3_total_changes64(st->db);
}

int store_savepoint(struct store *st, struct err *err)
{
    return exec_kept(st, "SAVEPOINT one_step", err);
}

int store_savepoint_release(struct store *st, struct err *err)
{
    return exec_kept(st, "RELEASE one_step", err);
}

void store_savepoint_rollback(struct store *st)
{
    sqlite3_exec(st->db, "ROLLBACK TO one_step; RELEASE one_step", NULL, NULL,
                 NULL);
}

void store_rollback(struct store *st)
{
    if (!st || st->depth == 0)
        return;
    st->depth = 0;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}
