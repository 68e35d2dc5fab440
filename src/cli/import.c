/* SPDX-License-Identifier: MIT */
/* import.c - 'tiara import': an invitation or a tiara export into the store */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ics.h"
#include "util.h"

/* A line per event not taken as it came: skipped and noted ones to
 * stdout with the report, refused ones to stderr as errors. */
static void on_note(void *ctx, enum ics_note_kind kind, const char *line)
{
    const char *path = ctx;

    if (kind == ICS_NOTE_REFUSED)
        fprintf(stderr, "tiara: %s: %s\n", path, line);
    else
        printf("%s %s\n", kind == ICS_NOTE_SKIPPED ? "skipped" : "note:", line);
}

/* UTF-16, as some Windows programs save calendars: by its byte order
 * mark, or by the NUL beside each ASCII byte. */
static const char *utf16_kind(const unsigned char *t, size_t len)
{
    if (len < 2)
        return NULL;
    if ((t[0] == 0xff && t[1] == 0xfe) || (t[0] != 0 && t[1] == 0))
        return "UTF-16LE";
    if ((t[0] == 0xfe && t[1] == 0xff) || (t[0] == 0 && t[1] != 0))
        return "UTF-16BE";
    return NULL;
}

/* The text as UTF-8 (caller frees), or NULL. */
static char *from_utf16(const char *text, size_t len, const char *kind)
{
    iconv_t cd = iconv_open("UTF-8", kind);
    size_t cap = len * 2 + 1, left = cap - 1, inl = len;
    char *out, *o, *in = (char *)text;

    if (cd == (iconv_t)-1)
        return NULL;
    out = o = malloc(cap);
    if (out && iconv(cd, &in, &inl, &o, &left) == (size_t)-1) {
        free(out);
        out = NULL;
    }
    iconv_close(cd);
    if (out)
        *o = '\0';
    return out;
}

/* The file as a C string of UTF-8, or -1 after saying why not. */
static int read_text(const char *path, char **out)
{
    struct err err;
    char *text = NULL, *u;
    size_t len;
    const char *kind;

    err_clear(&err);
    if (util_read_file(path, &text, &len, &err) < 0) {
        cli_fail(&err);
        return -1;
    }
    if (strlen(text) == len) {
        *out = text;
        return 0;
    }
    kind = utf16_kind((const unsigned char *)text, len);
    u = kind ? from_utf16(text, len, kind) : NULL;
    free(text);
    if (!u || strlen(u) == 0) {
        free(u);
        if (kind)
            cli_errorf("'%s' is %s text that does not convert: save it as "
                       "UTF-8 and import it again",
                       path, kind);
        else
            cli_errorf("'%s' is not an iCalendar file (it has NUL bytes)",
                       path);
        return -1;
    }
    *out = u;
    return 0;
}

/* A regular file of UTF-8 text (no NUL byte, so not UTF-16), open for
 * ics_import_file, or NULL: read_text then takes it whole. */
static FILE *open_plain(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    char chunk[65536];
    size_t n;

    if (!f)
        return NULL;
    if (fstat(fileno(f), &sb) < 0 || !S_ISREG(sb.st_mode))
        goto whole;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (memchr(chunk, '\0', n))
            goto whole;
    if (ferror(f) || fseek(f, 0, SEEK_SET) < 0)
        goto whole;
    return f;
whole:
    fclose(f);
    return NULL;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara import [--strict] [--dry-run] [--all-events] FILE\n"
        "\n"
        "Read an .ics file: an invitation (an event with an organizer or\n"
        "attendee other than you) becomes an interview with its host (a new\n"
        "contact unless the email is known); a tiara export is restored with\n"
        "nothing lost; a host's later messages update it: a newer request,\n"
        "a cancellation, their answer, a time they propose. Importing again\n"
        "updates, never duplicates. Each event not taken is named with the\n"
        "reason; the exit status is 1 when any was refused.\n"
        "\n"
        "  --strict      refuse the whole file at the first problem\n"
        "  --dry-run     say what would happen, change nothing\n"
        "  --all-events  take events with no one else on them as interviews\n";
    int strict = 0, dry_run = 0, all = 0;
    const struct cli_opt opts[] = {
        {"strict", 0, CLI_FLAG, &strict},
        {"dry-run", 'n', CLI_FLAG, &dry_run},
        {"all-events", 0, CLI_FLAG, &all},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"import", usage, "one FILE", 1, 1};
    struct ics_import_options io;
    struct ics_import_report rep;
    struct err err;
    char *text = NULL;
    const char *path;
    FILE *f;
    int first, rc;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    path = argv[first];
    f = open_plain(path);
    if (!f && read_text(path, &text) < 0)
        return 1;
    cli_import_options(cli, &io);
    io.strict = strict;
    io.dry_run = dry_run;
    io.plain_events = all;
    io.note = on_note;
    io.note_ctx = (void *)path;
    err_clear(&err);
    if (f) {
        rc = ics_import_file(cli->st, f, path, cli->now, &io, &rep, &err);
        fclose(f);
    } else {
        rc = ics_import(cli->st, text, path, cli->now, &io, &rep, &err);
        free(text);
    }
    if (rc < 0) {
        if (strict && err.kind != ERR_DB && err.kind != ERR_NOMEM)
            return cli_errorf("%s (--strict: nothing imported)", err.msg);
        return cli_fail(&err);
    }
    printf("%s %s: %d interview%s added, %d updated, %d cancelled, "
           "%d contact%s added, %d task%s updated",
           dry_run ? "would import" : "imported", path, rep.interviews_added,
           rep.interviews_added == 1 ? "" : "s", rep.interviews_updated,
           rep.interviews_cancelled, rep.contacts_added,
           rep.contacts_added == 1 ? "" : "s", rep.tasks_updated,
           rep.tasks_updated == 1 ? "" : "s");
    if (rep.answers)
        printf(", %d answer%s", rep.answers, rep.answers == 1 ? "" : "s");
    if (rep.proposals)
        printf(", %d proposal%s", rep.proposals, rep.proposals == 1 ? "" : "s");
    if (rep.skipped)
        printf(", %d skipped", rep.skipped);
    if (rep.refused)
        printf(", %d refused", rep.refused);
    if (!rep.entries)
        printf(": it holds no events or tasks");
    printf("\n");
    return rep.refused ? 1 : 0;
}
