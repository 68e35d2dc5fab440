/* SPDX-License-Identifier: MIT */
/* contact_import.c - 'tiara contact import FILE': LinkedIn's
 * Connections.csv or any CSV with a header row, in one transaction */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvin.h"
#include "util.h"

enum field {
    F_NAME,
    F_FIRST,
    F_LAST,
    F_EMAIL,
    F_COMPANY,
    F_ROLE,
    F_PHONE,
    F_LINKEDIN,
    F_NOTES,
    F_CONNECTED,
    F_COUNT
};

/* A field's key in --map, and the headers that name it without one. */
static const struct {
    const char *key;
    const char *headers[5];
} fields[F_COUNT] = {
    [F_NAME] = {"name", {"name", "full name", "display name"}},
    [F_FIRST] = {"first", {"first name", "given name", "first"}},
    [F_LAST] = {"last", {"last name", "family name", "surname", "last"}},
    [F_EMAIL] = {"email",
                 {"email", "e-mail", "email address", "e-mail address"}},
    [F_COMPANY] = {"company", {"company", "organization", "organisation"}},
    [F_ROLE] = {"role", {"role", "title", "position", "job title"}},
    [F_PHONE] = {"phone", {"phone", "phone number", "mobile"}},
    [F_LINKEDIN] = {"linkedin", {"linkedin", "url", "linkedin url"}},
    [F_NOTES] = {"notes", {"notes", "note"}},
    [F_CONNECTED] = {"connected", {"connected on", "connected"}},
};

/* LinkedIn's notes take two records; a header later than this is none. */
#define MAX_BEFORE_HEADER 10

/* Keys seen (a lower-cased email, or name and company) and who has each:
 * "#3 Ana Pérez" for a stored contact, "line 7" for a row. */
struct keyset {
    char **keys; /* NULL in a free slot */
    char **whos;
    size_t n, cap; /* cap is 0 or a power of two */
};

enum outcome { ROW_ADD, ROW_SKIP, ROW_REFUSE };

struct row_result {
    enum outcome what;
    long line;
    struct contact c;
    char *why; /* skipped: whose twin it is; refused: the reason */
};

struct import {
    struct cli *cli;
    const char *path;
    const char *map[F_COUNT]; /* --map's columns, NULL when not given */
    int col[F_COUNT];         /* each field's column, -1 for none */
    int header;               /* the header row has been read */
    long before_header;
    enum cadence cadence;
    struct keyset seen;
    struct row_result *rows;
    size_t nrows, cap;
    int added, skipped, refused;
};

static size_t hash_key(const char *s)
{
    size_t h = 2166136261u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static size_t slot_of(char **keys, size_t cap, const char *key)
{
    size_t i = hash_key(key) & (cap - 1);

    while (keys[i] && strcmp(keys[i], key))
        i = (i + 1) & (cap - 1);
    return i;
}

static const char *keyset_get(const struct keyset *k, const char *key)
{
    size_t i;

    if (!k->cap)
        return NULL;
    i = slot_of(k->keys, k->cap, key);
    return k->keys[i] ? k->whos[i] : NULL;
}

static int keyset_grow(struct keyset *k)
{
    size_t cap = k->cap ? k->cap * 2 : 64;
    char **keys = calloc(cap, sizeof(*keys));
    char **whos = calloc(cap, sizeof(*whos));

    if (!keys || !whos) {
        free(keys);
        free(whos);
        return -1;
    }
    for (size_t i = 0; i < k->cap; i++) {
        if (k->keys[i]) {
            size_t j = slot_of(keys, cap, k->keys[i]);

            keys[j] = k->keys[i];
            whos[j] = k->whos[i];
        }
    }
    free(k->keys);
    free(k->whos);
    k->keys = keys;
    k->whos = whos;
    k->cap = cap;
    return 0;
}

/* Keep 'key' for 'who' (both taken, even on failure); the first holder
 * of a key keeps it. */
static int keyset_put(struct keyset *k, char *key, char *who)
{
    size_t i;

    if (!key || !who || ((k->n + 1) * 2 > k->cap && keyset_grow(k) < 0)) {
        free(key);
        free(who);
        return -1;
    }
    i = slot_of(k->keys, k->cap, key);
    if (k->keys[i]) {
        free(key);
        free(who);
        return 0;
    }
    k->keys[i] = key;
    k->whos[i] = who;
    k->n++;
    return 0;
}

static void keyset_release(struct keyset *k)
{
    for (size_t i = 0; i < k->cap; i++) {
        free(k->keys[i]);
        free(k->whos[i]);
    }
    free(k->keys);
    free(k->whos);
}

/* "e:" and the email, or "n:" and name and company, case-folded the
 * Unicode way (util_fold), so "ÉLODIE" is "élodie"; NULL without an
 * email. */
static char *dup_key(const struct contact *c, int by_email)
{
    struct buf b;
    char *key;

    if (by_email && util_empty(c->email))
        return NULL;
    buf_init(&b);
    if (by_email)
        buf_printf(&b, "e:%s", c->email);
    else
        buf_printf(&b, "n:%s\x1f%s", c->name, c->company ? c->company : "");
    if (!b.data)
        return NULL;
    key = util_fold(b.data);
    buf_release(&b);
    return key;
}

static int remember(struct keyset *k, const struct contact *c, const char *who)
{
    char *email = dup_key(c, 1);

    if (email && keyset_put(k, email, util_strdup(who)) < 0)
        return -1;
    return keyset_put(k, dup_key(c, 0), util_strdup(who));
}

static int remember_stored(const struct contact *c, void *arg)
{
    struct import *imp = arg;
    char who[256];

    snprintf(who, sizeof(who), "#%lld %s", (long long)c->id, c->name);
    return remember(&imp->seen, c, who) < 0 ? -1 : 0;
}

/* Who already has c's email, or its name and company; NULL if nobody.
 * 'how' says which. */
static const char *twin_of(const struct import *imp, const struct contact *c,
                           const char **how)
{
    const char *who = NULL;
    char *key = dup_key(c, 1);

    *how = "email";
    if (key)
        who = keyset_get(&imp->seen, key);
    free(key);
    if (!who) {
        *how = "name and company";
        key = dup_key(c, 0);
        who = key ? keyset_get(&imp->seen, key) : NULL;
        free(key);
    }
    return who;
}

/* Space, tab and line ends around a cell are not part of it. */
static size_t trimmed(const char **s)
{
    size_t n;

    *s += strspn(*s, " \t\r\n");
    n = strlen(*s);
    while (n && strchr(" \t\r\n", (*s)[n - 1]))
        n--;
    return n;
}

static int cell_is(const char *cell, const char *name)
{
    size_t n = trimmed(&cell);

    return strlen(name) == n && !strncasecmp(cell, name, n);
}

/* The first column named 'name' that no --map took; -1 if none. */
static int find_column(const struct import *imp, const struct csvin_row *row,
                       const char *name, int mapped)
{
    for (size_t i = 0; i < row->n; i++) {
        int taken = 0;

        for (int f = 0; !mapped && f < F_COUNT; f++)
            taken |= imp->map[f] && imp->col[f] == (int)i;
        if (!taken && cell_is(row->fields[i], name))
            return (int)i;
    }
    return -1;
}

static int auto_column(const struct import *imp, const struct csvin_row *row,
                       int f)
{
    const char *const *names = fields[f].headers;
    int col = -1;

    for (size_t h = 0; col < 0 && h < ARRAY_SIZE(fields[f].headers); h++)
        if (names[h])
            col = find_column(imp, row, names[h], 0);
    return col;
}

/* Take 'row' as the header if it names a column for the name: 1 if it
 * does, 0 if it does not, -1 when a --map column is missing from it. */
static int read_header(struct import *imp, const struct csvin_row *row,
                       struct err *err)
{
    int named = 0, by_parts;

    /* --map's columns first: the others are looked for among the rest */
    for (int f = 0; f < F_COUNT; f++)
        imp->col[f] = imp->map[f] ? find_column(imp, row, imp->map[f], 1) : -1;
    for (int f = F_NAME; f <= F_LAST; f++)
        named |= (imp->map[f] ? imp->col[f] : auto_column(imp, row, f)) >= 0;
    if (!named)
        return 0;
    for (int f = 0; f < F_COUNT; f++) {
        if (imp->map[f] && imp->col[f] < 0)
            return err_set(err, ERR_INPUT,
                           "--map: no column '%s' in the header on line %ld "
                           "of '%s'",
                           imp->map[f], row->line, imp->path);
    }
    /* a name given whole or in parts by --map overrides the other way */
    by_parts = imp->map[F_FIRST] || imp->map[F_LAST];
    for (int f = 0; f < F_COUNT; f++) {
        if (imp->map[f] || (f == F_NAME && by_parts) ||
            (f != F_NAME && f <= F_LAST && imp->map[F_NAME]))
            continue;
        imp->col[f] = auto_column(imp, row, f);
    }
    imp->header = 1;
    return 1;
}

/* The cleaned cell of field 'f' into *out (caller frees), NULL when
 * empty: controls become spaces, and only the notes keep line breaks. */
static int cell(const struct import *imp, const struct csvin_row *row, int f,
                char **out)
{
    const char *s;
    size_t n;
    struct buf b;

    *out = NULL;
    if (imp->col[f] < 0 || (size_t)imp->col[f] >= row->n)
        return 0;
    s = row->fields[imp->col[f]];
    if (!(n = trimmed(&s)))
        return 0;
    buf_init(&b);
    while (n) {
        size_t len = strcspn(s, "\n"), keep;
        char *part;

        len = len < n ? len : n;
        keep = len && s[len - 1] == '\r' ? len - 1 : len; /* CRLF */
        if (!(part = strndup(s, keep))) {
            buf_release(&b);
            return -1;
        }
        util_text_clean(part, keep);
        buf_adds(&b, part);
        free(part);
        if (len < n)
            buf_adds(&b, f == F_NOTES ? "\n" : " ");
        s += len < n ? len + 1 : len;
        n -= len < n ? len + 1 : len;
    }
    return (*out = buf_steal(&b)) ? 0 : -1;
}

/* LinkedIn's "Connected On" ("12 Mar 2024") kept as the last line of
 * the notes, "Connected on LinkedIn: 2024-03-12"; a date written some
 * other way is kept as written. */
static int connected_note(struct contact *c, const char *when)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char mon[4], iso[32], tail;
    int day, year;
    const char *m;
    struct buf b;

    if (sscanf(when, "%d %3s %d%c", &day, mon, &year, &tail) == 3 && day >= 1 &&
        day <= 31 && year >= 1900 && year <= 9999 && strlen(mon) == 3 &&
        (m = strstr(months, mon)) && (m - months) % 3 == 0) {
        snprintf(iso, sizeof(iso), "%04d-%02d-%02d", year,
                 (int)(m - months) / 3 + 1, day);
        when = iso;
    }
    buf_init(&b);
    buf_printf(&b, "%s%sConnected on LinkedIn: %s", c->notes ? c->notes : "",
               c->notes ? "\n" : "", when);
    free(c->notes);
    return (c->notes = buf_steal(&b)) ? 0 : -1;
}

/* Fill 'c' from a data row: the name is the Name column or, failing
 * that, First and Last Name (LinkedIn's). */
static int row_contact(const struct import *imp, const struct csvin_row *row,
                       struct contact *c, struct err *err)
{
    char *first = NULL, *last = NULL, *connected = NULL;
    char **slot[F_COUNT] = {
        [F_NAME] = &c->name,       [F_FIRST] = &first,
        [F_LAST] = &last,          [F_EMAIL] = &c->email,
        [F_COMPANY] = &c->company, [F_ROLE] = &c->role,
        [F_PHONE] = &c->phone,     [F_LINKEDIN] = &c->linkedin,
        [F_NOTES] = &c->notes,     [F_CONNECTED] = &connected,
    };
    int ret = -1;

    for (int f = 0; f < F_COUNT; f++)
        if (cell(imp, row, f, slot[f]) < 0)
            goto out;
    if (!c->name && (first || last)) {
        struct buf b;

        buf_init(&b);
        buf_printf(&b, "%s%s%s", first ? first : "", first && last ? " " : "",
                   last ? last : "");
        if (!(c->name = buf_steal(&b)))
            goto out;
    }
    if (connected && connected_note(c, connected) < 0)
        goto out;
    ret = 0;
out:
    free(first);
    free(last);
    free(connected);
    return ret < 0 ? err_set(err, ERR_NOMEM, "out of memory") : 0;
}

/* Spreadsheets pad a sheet with rows of empty cells: no contact there. */
static int blank_row(const struct csvin_row *row)
{
    for (size_t i = 0; i < row->n; i++) {
        const char *s = row->fields[i];

        if (trimmed(&s))
            return 0;
    }
    return 1;
}

/* Decide one data row: refused (invalid), skipped (a twin) or added. */
static int judge(struct import *imp, struct row_result *r, struct err *err)
{
    struct err why;
    const char *twin, *how;
    char who[32];
    struct buf b;

    err_clear(&why);
    if (model_contact_validate(&r->c, &why) < 0) {
        r->what = ROW_REFUSE;
        imp->refused++;
        r->why = strdup(why.msg);
    } else if ((twin = twin_of(imp, &r->c, &how))) {
        r->what = ROW_SKIP;
        imp->skipped++;
        buf_init(&b);
        buf_printf(&b, "same %s as %s", how, twin);
        r->why = buf_steal(&b);
    } else {
        r->what = ROW_ADD;
        imp->added++;
        snprintf(who, sizeof(who), "line %ld", r->line);
        return remember(&imp->seen, &r->c, who) < 0
                   ? err_set(err, ERR_NOMEM, "out of memory")
                   : 0;
    }
    return r->why ? 0 : err_set(err, ERR_NOMEM, "out of memory");
}

/* No row near the top names a column for the name. */
static int no_header(const struct import *imp, struct err *err)
{
    for (int f = F_NAME; f <= F_LAST; f++)
        if (imp->map[f])
            return err_set(err, ERR_INPUT,
                           "'%s' has no header row with the column '%s' "
                           "(--map %s)",
                           imp->path, imp->map[f], fields[f].key);
    return err_set(err, ERR_INPUT,
                   "'%s' has no header row: it needs a column Name, or First "
                   "Name and Last Name (or --map name=COLUMN)",
                   imp->path);
}

static int on_row(const struct csvin_row *row, void *arg, struct err *err)
{
    struct import *imp = arg;
    struct row_result *r;
    int rc;

    if (!imp->header) {
        if ((rc = read_header(imp, row, err)) != 0)
            return rc < 0 ? -1 : 0;
        if (++imp->before_header < MAX_BEFORE_HEADER)
            return 0;
        return no_header(imp, err);
    }
    if (blank_row(row))
        return 0;
    if (ALLOC_GROW(imp->rows, imp->nrows + 1, imp->cap) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    r = &imp->rows[imp->nrows++];
    memset(r, 0, sizeof(*r));
    model_contact_init(&r->c);
    r->line = row->line;
    if (row_contact(imp, row, &r->c, err) < 0)
        return -1;
    return judge(imp, r, err);
}

/* Trim spaces around 's' in place. */
static char *trim(char *s)
{
    size_t n = trimmed((const char **)&s);

    s[n] = '\0';
    return s;
}

/* --map 'name=Full Name,email=E-mail': the columns point into 'spec'. */
static int parse_map(struct import *imp, char *spec, struct err *err)
{
    char *item, *next, *eq, *key;
    int f;

    for (item = spec; item; item = next) {
        if ((next = strchr(item, ',')))
            *next++ = '\0';
        if (!*trim(item))
            continue;
        if (!(eq = strchr(item, '=')))
            return err_set(err, ERR_INPUT, "--map: '%s' is not FIELD=COLUMN",
                           item);
        *eq = '\0';
        key = trim(item);
        for (f = 0; f < F_COUNT && strcasecmp(key, fields[f].key); f++)
            ;
        if (f == F_COUNT)
            return err_set(err, ERR_INPUT,
                           "--map: unknown field '%s' (name, first, last, "
                           "email, company, role, phone, linkedin, notes, "
                           "connected)",
                           key);
        if (!*(imp->map[f] = trim(eq + 1)))
            return err_set(err, ERR_INPUT, "--map: no column named for '%s'",
                           key);
    }
    return 0;
}

static int parse_delimiter(const char *s, char *out, struct err *err)
{
    if (!strcasecmp(s, "tab") || !strcmp(s, "\\t") || !strcmp(s, "\t"))
        *out = '\t';
    else if (strlen(s) == 1 && strchr(",;|:", s[0]))
        *out = s[0];
    else
        return err_set(err, ERR_INPUT,
                       "--delimiter: '%s' is not a separator (',', ';', '|', "
                       "':' or tab)",
                       s);
    return 0;
}

/* The file as text: no NUL bytes, and UTF-8 throughout (a Latin-1 file
 * would read as other names), naming the first line that is not. */
static int read_text(const char *path, char **text, size_t *len,
                     struct err *err)
{
    size_t ok;
    long line = 1;

    if (util_read_file(path, text, len, err) < 0)
        return -1;
    if (strlen(*text) != *len) {
        err_set(err, ERR_INPUT, "'%s' is not a CSV file (it has NUL bytes)",
                path);
        goto fail;
    }
    if ((ok = util_utf8_prefix(*text)) == *len)
        return 0;
    for (size_t i = 0; i < ok; i++)
        line += (*text)[i] == '\n';
    err_set(err, ERR_INPUT,
            "'%s' line %ld is not UTF-8 text; if the file is Latin-1, "
            "convert it first: iconv -f latin1 -t utf8 '%s' > utf8.csv",
            path, line, path);
fail:
    free(*text);
    *text = NULL;
    return -1;
}

/* Add every row judged ROW_ADD, all in one transaction or none. */
static int save_all(struct import *imp, struct err *err)
{
    struct store *st = imp->cli->st;

    if (store_begin(st, err) < 0)
        return -1;
    for (size_t i = 0; i < imp->nrows; i++) {
        struct contact *c = &imp->rows[i].c;

        if (imp->rows[i].what != ROW_ADD)
            continue;
        c->cadence = imp->cadence;
        c->created = c->modified = imp->cli->now;
        if (store_contact_add(st, c, err) < 0) {
            store_rollback(st);
            return -1;
        }
    }
    if (store_commit(st, err) < 0) {
        store_rollback(st);
        return -1;
    }
    return 0;
}

static void print_contact(const char *verb, const struct contact *c)
{
    printf("%s", verb);
    if (c->id)
        printf(" #%lld", (long long)c->id);
    printf(" %s", c->name);
    if (c->company)
        printf(" (%s)", c->company);
    printf("\n");
}

/* One line per row, the refused on stderr, then the summary. */
static void report(const struct import *imp, int dry_run, int saved)
{
    for (size_t i = 0; i < imp->nrows; i++) {
        const struct row_result *r = &imp->rows[i];

        if (r->what == ROW_ADD && (dry_run || saved))
            print_contact(saved ? "added" : "would add", &r->c);
        else if (r->what == ROW_SKIP)
            printf("%s line %ld %s: %s\n", dry_run ? "would skip" : "skipped",
                   r->line, r->c.name, r->why);
        else if (r->what == ROW_REFUSE)
            cli_errorf("'%s' line %ld: %s", imp->path, r->line, r->why);
    }
    if (dry_run)
        printf("dry run: would add %d, skip %d (duplicates), refuse %d; "
               "nothing changed\n",
               imp->added, imp->skipped, imp->refused);
    else
        printf("added %d, skipped %d (duplicates), refused %d%s\n",
               saved ? imp->added : 0, imp->skipped, imp->refused,
               !saved && imp->added ? ": nothing added (--strict)" : "");
}

static void import_release(struct import *imp)
{
    for (size_t i = 0; i < imp->nrows; i++) {
        model_contact_release(&imp->rows[i].c);
        free(imp->rows[i].why);
    }
    free(imp->rows);
    keyset_release(&imp->seen);
}

/* Options into 'imp' and the separator; the map points into *spec. */
static int setup(struct import *imp, const char *map, const char *delimiter,
                 const char *cadence, char **spec, char *delim, struct err *err)
{
    if (cadence && model_cadence_parse(cadence, &imp->cadence, err) < 0)
        return -1;
    if (delimiter && parse_delimiter(delimiter, delim, err) < 0)
        return -1;
    if (map && !(*spec = strdup(map)))
        return err_set(err, ERR_NOMEM, "out of memory");
    return map ? parse_map(imp, *spec, err) : 0;
}

int cli_contact_import(struct cli *cli, int argc, char **argv,
                       const char *usage)
{
    const char *map = NULL, *delimiter = NULL, *cadence = NULL;
    int dry_run = 0, strict = 0, first, status, saved = 0;
    const struct cli_opt opts[] = {
        {"dry-run", 'n', CLI_FLAG, &dry_run},
        {"strict", 0, CLI_FLAG, &strict},
        {"map", 0, CLI_STRING, &map},
        {"delimiter", 0, CLI_STRING, &delimiter},
        {"cadence", 0, CLI_STRING, &cadence},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"contact import", usage, "one FILE", 1, 1};
    struct import imp;
    struct err err;
    char *text = NULL, *spec = NULL, delim = 0;
    size_t len;

    status = cli_parse(&args, opts, argc, argv, &first);
    if (status != CLI_CONTINUE)
        return status;
    memset(&imp, 0, sizeof(imp));
    imp.cli = cli;
    imp.path = argv[first];
    imp.cadence = (enum cadence)cli->cfg->defaults.cadence;
    err_clear(&err);
    if (setup(&imp, map, delimiter, cadence, &spec, &delim, &err) < 0 ||
        read_text(imp.path, &text, &len, &err) < 0 ||
        store_contact_each(cli->st, remember_stored, &imp, &err) < 0) {
        if (err.kind == ERR_NONE) /* remember_stored ran out */
            err_set(&err, ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (!delim)
        delim = csvin_guess_delim(text, len);
    if (csvin_each(text, len, delim, on_row, &imp, &err) < 0) {
        if (err.kind == ERR_PARSE)
            err_prefix(&err, "'%s'", imp.path);
        goto fail;
    }
    if (!imp.header) {
        no_header(&imp, &err);
        goto fail;
    }
    if (!dry_run && imp.added && !(strict && imp.refused)) {
        if (save_all(&imp, &err) < 0)
            goto fail;
        saved = 1;
    }
    report(&imp, dry_run, saved || !imp.added);
    status = imp.refused ? 1 : 0;
    goto out;
fail:
    status = cli_fail(&err);
out:
    free(text);
    free(spec);
    import_release(&imp);
    return status;
}
