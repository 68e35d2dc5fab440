/* SPDX-License-Identifier: MIT */
/* edit.c - change an interview's place, link, mode, agenda, title or notes
 * without moving it; the notes can be written in the user's editor */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

extern char **environ;

static const char edit_usage[] =
    "usage: tiara edit INTERVIEW [options]\n"
    "\n"
    "Change an interview's details, each on its own; its time stays\n"
    "('tiara reschedule' moves it). INTERVIEW is an id (#3) or a contact\n"
    "(their next interview).\n"
    "\n"
    "Options:\n"
    "  --where TEXT       the place (by phone: the number); \"\" clears it\n"
    "  --video URL        the video link; \"\" clears it\n"
    "  --mode MODE        in-person, video or phone\n"
    "  --agenda SPEC      phases as for schedule; \"\" for the default\n"
    "  --title TEXT       your own title (\"\" for tiara's)\n"
    "  -e, --notes[=TEXT] the notes: TEXT, or without a value in your\n"
    "                     editor ($VISUAL, else $EDITOR, else vi)\n"
    "  --notes-file FILE  the notes from FILE ('-': standard input)\n"
    "\n"
    "An editor that fails or leaves the notes as they were changes\n"
    "nothing. The same values again are no change: nothing is sent.\n";

/* What the command line asks for; NULL is "leave it". */
struct edit_opts {
    const char *where, *video, *mode, *agenda, *title;
    const char *notes;      /* "" asks for the editor */
    const char *notes_file; /* "-" for stdin */
    enum interview_mode mode_v;
};

/* What the editor left: 1 with new text in *out and its length in
 * *len, 0 when the file is as it was, -1 with 'err'. */
static int editor_result(const char *path, const struct buf *before, char **out,
                         size_t *len, struct err *err)
{
    char *text;

    if (util_read_file(path, &text, len, err) < 0)
        return -1;
    if (*len == before->len && memcmp(text, before->data, *len) == 0) {
        free(text);
        return 0;
    }
    *out = text;
    return 1;
}

/* Run 'editor' on 'path' as git does, through the shell, so that a
 * setting such as "code --wait" works. Ctrl-C is the editor's: tiara
 * waits it out, then cleans up. */
static int run_editor(const char *editor, const char *path, struct err *err)
{
    struct buf cmd;
    char *argv[6];
    posix_spawnattr_t attr;
    sigset_t dflt;
    struct sigaction ign, old_int, old_quit;
    pid_t pid;
    int status = 0, rc;

    buf_init(&cmd);
    if (buf_printf(&cmd, "%s \"$@\"", editor) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    argv[0] = (char *)"sh";
    argv[1] = (char *)"-c";
    argv[2] = cmd.data;
    argv[3] = (char *)editor; /* $0 */
    argv[4] = (char *)path;
    argv[5] = NULL;
    posix_spawnattr_init(&attr);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGINT);
    sigaddset(&dflt, SIGQUIT);
    posix_spawnattr_setsigdefault(&attr, &dflt);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    memset(&ign, 0, sizeof(ign));
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    fflush(stdout);
    rc = posix_spawn(&pid, "/bin/sh", NULL, &attr, argv, environ);
    if (rc == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    posix_spawnattr_destroy(&attr);
    buf_release(&cmd);
    if (rc != 0)
        return err_set(err, ERR_IO, "cannot run the editor '%s': %s", editor,
                       strerror(rc));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status))
            return err_set(err, ERR_INPUT,
                           "the editor '%s' exited with status %d: nothing "
                           "changed",
                           editor, WEXITSTATUS(status));
        return err_set(err, ERR_INPUT,
                       "the editor '%s' was killed: nothing changed", editor);
    }
    return 0;
}

/* The notes in the user's editor, on a 0600 file in $TMPDIR that is
 * always removed: 1 with the new text in *out, 0 when left unchanged. */
static int edit_in_editor(const char *notes, char **out, size_t *len,
                          struct err *err)
{
    const char *editor = getenv("VISUAL");
    struct buf path, text;
    int fd, ret = -1;

    if (util_empty(editor))
        editor = getenv("EDITOR");
    if (util_empty(editor))
        editor = "vi";
    buf_init(&path);
    buf_init(&text);
    /* an editor that cares sees the last line end, as in any text file */
    if (buf_printf(&path, "%s/tiara-notes-XXXXXX.txt", util_tmpdir()) < 0 ||
        (!util_empty(notes) && buf_printf(&text, "%s\n", notes) < 0) ||
        buf_adds(&text, "") < 0) {
        err_set(err, ERR_NOMEM, "out of memory");
        goto out;
    }
    fd = mkstemps(path.data, 4); /* 0600 */
    if (fd < 0) {
        err_set(err, ERR_IO, "cannot make a file for the notes in '%s': %s",
                util_tmpdir(), strerror(errno));
        goto out;
    }
    if (write(fd, text.data, text.len) != (ssize_t)text.len) {
        err_set(err, ERR_IO, "cannot write '%s': %s", path.data,
                strerror(errno ? errno : ENOSPC));
        close(fd);
        unlink(path.data);
        goto out;
    }
    close(fd);
    if (run_editor(editor, path.data, err) == 0)
        ret = editor_result(path.data, &text, out, len, err);
    unlink(path.data);
out:
    buf_release(&path);
    buf_release(&text);
    return ret;
}

/* Notes as a file ends them: without the final newlines and spaces. */
static int take_notes(char *text, size_t len, const char *from, struct err *err)
{
    if (memchr(text, '\0', len))
        return err_set(err, ERR_INPUT, "the notes in %s have a NUL byte", from);
    while (len > 0 && strchr("\n\r \t", text[len - 1]))
        text[--len] = '\0';
    return 0;
}

/* The new notes, from --notes=TEXT, --notes-file or the editor, into
 * *out (caller frees): 1 when there are some, 0 when the editor left
 * them as they were. */
static int new_notes(const struct edit_opts *o, const char *notes, char **out,
                     struct err *err)
{
    const char *path;
    char *text = NULL;
    size_t len;
    int rc;

    if (o->notes && *o->notes) {
        *out = util_strdup(o->notes);
        return *out ? 1 : err_set(err, ERR_NOMEM, "out of memory");
    }
    if (o->notes) {
        if ((rc = edit_in_editor(notes, &text, &len, err)) <= 0)
            return rc;
        path = "the editor's file";
    } else {
        path = strcmp(o->notes_file, "-") ? o->notes_file : "/dev/stdin";
        if (util_read_file(path, &text, &len, err) < 0)
            return -1;
    }
    if (take_notes(text, len, path, err) < 0) {
        free(text);
        return -1;
    }
    *out = text;
    return 1;
}

/* Check what was given before anything is opened or asked. */
static int check_given(struct edit_opts *o, struct err *err)
{
    struct interview given;

    if (o->mode && model_mode_parse(o->mode, &o->mode_v) < 0)
        return err_set(err, ERR_INPUT,
                       "unknown mode '%s' (in-person, video or phone)",
                       o->mode);
    if (!util_empty(o->video) && cli_check_video(o->video, err) < 0)
        return -1;
    if (!util_empty(o->agenda) && cli_check_agenda(o->agenda, err) < 0)
        return -1;
    memset(&given, 0, sizeof(given));
    given.location = (char *)o->where;
    given.video_url = (char *)o->video;
    given.agenda = (char *)o->agenda;
    given.title = (char *)o->title;
    given.notes = (char *)(o->notes && *o->notes ? o->notes : NULL);
    return model_interview_validate(&given, err);
}

static int set_text(char **slot, const char *v, struct err *err)
{
    if (v && util_set_str(slot, util_empty(v) ? NULL : v) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    return 0;
}

/* Apply the options (and 'notes' when not NULL) to 'iv'. */
static int apply(const struct edit_opts *o, const char *notes,
                 struct interview *iv, struct err *err)
{
    if (set_text(&iv->location, o->where, err) < 0 ||
        set_text(&iv->video_url, o->video, err) < 0 ||
        set_text(&iv->agenda, o->agenda, err) < 0 ||
        set_text(&iv->title, o->title, err) < 0 ||
        set_text(&iv->notes, notes, err) < 0)
        return -1;
    if (o->mode)
        iv->mode = o->mode_v;
    if (iv->mode == MODE_VIDEO && util_empty(iv->video_url))
        return err_set(err, ERR_INPUT,
                       "interview #%lld is by video but has no link: give "
                       "--video URL",
                       (long long)iv->id);
    return model_interview_validate(iv, err);
}

/* "place, notes": what differs between 'a' and 'b'. */
static void changed(const struct interview *a, const struct interview *b,
                    char *out, size_t n)
{
    const char *names[] = {"mode", "place", "link", "agenda", "title", "notes"};
    int diff[] = {
        a->mode != b->mode,
        !util_empty(a->location) != !util_empty(b->location) ||
            (a->location && b->location && strcmp(a->location, b->location)),
        !util_empty(a->video_url) != !util_empty(b->video_url) ||
            (a->video_url && b->video_url &&
             strcmp(a->video_url, b->video_url)),
        !util_empty(a->agenda) != !util_empty(b->agenda) ||
            (a->agenda && b->agenda && strcmp(a->agenda, b->agenda)),
        !util_empty(a->title) != !util_empty(b->title) ||
            (a->title && b->title && strcmp(a->title, b->title)),
        !util_empty(a->notes) != !util_empty(b->notes) ||
            (a->notes && b->notes && strcmp(a->notes, b->notes)),
    };
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (diff[i] && len < n)
            len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "",
                                    names[i]);
}

/* Re-read the interview inside the transaction (the editor may have taken
 * minutes, and a sync may have run), apply, and save a real change. */
static int save(struct cli *cli, int64_t id, const struct edit_opts *o,
                const char *notes, struct err *err)
{
    struct interview was, iv;
    struct contact host;
    char what[96];
    int ret = -1;

    model_interview_init(&was);
    model_interview_init(&iv);
    model_contact_init(&host);
    if (store_begin(cli->st, err) < 0)
        return -1;
    if (store_interview_get(cli->st, id, &was, err) < 0 ||
        model_interview_copy(&iv, &was) < 0 || apply(o, notes, &iv, err) < 0 ||
        store_contact_get(cli->st, iv.contact_id, &host, err) < 0)
        goto out;
    if (model_interview_same(&was, &iv)) {
        printf("interview #%lld is already so: nothing changed\n",
               (long long)id);
        ret = 0;
        goto out;
    }
    if (cli_touch_interview(cli, &iv, err) < 0 ||
        store_commit(cli->st, err) < 0)
        goto out;
    changed(&was, &iv, what, sizeof(what));
    printf("edited interview #%lld with %s: %s\n", (long long)id, host.name,
           what);
    ret = 1;
out:
    if (ret < 1)
        store_rollback(cli->st);
    if (ret < 0 && !err->msg[0])
        err_set(err, ERR_NOMEM, "out of memory");
    model_interview_release(&was);
    model_interview_release(&iv);
    model_contact_release(&host);
    return ret < 0 ? -1 : 0;
}

int cmd_edit(struct cli *cli, int argc, char **argv)
{
    struct edit_opts o;
    const struct cli_opt opts[] = {
        {"where", 0, CLI_STRING, &o.where},
        {"video", 0, CLI_STRING, &o.video},
        {"mode", 0, CLI_STRING, &o.mode},
        {"agenda", 0, CLI_STRING, &o.agenda},
        {"title", 0, CLI_STRING, &o.title},
        {"notes", 'e', CLI_OPTIONAL, &o.notes},
        {"notes-file", 0, CLI_STRING, &o.notes_file},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"edit", edit_usage, "one INTERVIEW", 1, 1};
    struct interview iv;
    struct err err;
    char *notes = NULL;
    int first, rc;

    memset(&o, 0, sizeof(o));
    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (!o.where && !o.video && !o.mode && !o.agenda && !o.title && !o.notes &&
        !o.notes_file)
        return cli_usage_error("edit", "nothing to change: give --where, "
                                       "--video, --mode, --agenda, --title, "
                                       "--notes or --notes-file");
    if (o.notes && o.notes_file)
        return cli_usage_error("edit", "choose one of --notes, --notes-file");
    err_clear(&err);
    if (check_given(&o, &err) < 0)
        return cli_fail(&err);
    if (store_interview_find(cli->st, argv[first], cli->now, &iv, &err) < 0)
        return cli_fail(&err);
    rc = 1;
    if (o.notes || o.notes_file)
        rc = new_notes(&o, iv.notes ? iv.notes : "", &notes, &err);
    if (rc == 0 && !o.where && !o.video && !o.mode && !o.agenda && !o.title)
        printf("the notes were left as they were: nothing changed\n");
    else if (rc >= 0)
        rc = save(cli, iv.id, &o, notes, &err);
    model_interview_release(&iv);
    free(notes);
    return rc < 0 ? cli_fail(&err) : 0;
}
