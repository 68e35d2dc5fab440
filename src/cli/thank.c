/* SPDX-License-Identifier: MIT */
/* thank.c - 'tiara thank': the thank-you email, drafted from the interview
 * and its notes; printed, as a mailto: link, as an .eml file, or sent */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "tz.h"
#include "util.h"

extern char **environ;

static const char thank_usage[] =
    "usage: tiara thank INTERVIEW [--mailto | -o FILE.eml | --send]\n"
    "\n"
    "Draft the thank-you email for an interview that took place: to the\n"
    "host, mentioning the start of your notes, signed with [mail] name\n"
    "from the settings (your address: TIARA_EMAIL or [defaults] email).\n"
    "\n"
    "  --mailto       print a mailto: link that opens it in your mail app\n"
    "  -o FILE        write it as an email file (.eml, RFC 5322)\n"
    "  --send         hand it to [mail] command (msmtp -t, sendmail -t);\n"
    "                 the thank-you is marked done when that succeeds\n"
    "\n"
    "Without an option it is printed.\n";

struct draft {
    char *to_name, *to_addr; /* the host */
    const char *from_name, *from_addr;
    struct buf subject, body; /* body lines end in LF */
};

/* "Ana" of "Ana Pérez": people are thanked by their first name. */
static void first_name(const char *name, struct buf *out)
{
    size_t n = strcspn(name, " ");

    buf_add(out, name, n ? n : strlen(name));
}

/* Append 'text' wrapped at 72 columns on spaces, as one paragraph. */
static void wrapped(struct buf *b, const char *text)
{
    int col = 0;

    while (*text) {
        size_t word = strcspn(text, " "), spaces = 0;
        int w;
        char *piece = strndup(text, word);

        w = piece ? util_display_width(piece) : (int)word;
        free(piece);
        if (col && col + 1 + w > 72) {
            buf_adds(b, "\n");
            col = 0;
        } else if (col) {
            buf_adds(b, " ");
            col++;
        }
        buf_add(b, text, word);
        col += w;
        text += word;
        while (text[spaces] == ' ')
            spaces++;
        text += spaces;
    }
    buf_adds(b, "\n");
}

static int build(struct cli *cli, const struct interview *iv,
                 const struct contact *host, const struct contact *referrer,
                 struct draft *d)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    static const char *const days[] = {"Sunday",    "Monday",   "Tuesday",
                                       "Wednesday", "Thursday", "Friday",
                                       "Saturday"};
    struct civil c;
    struct buf p;

    memset(d, 0, sizeof(*d));
    buf_init(&d->subject);
    buf_init(&d->body);
    buf_init(&p);
    d->to_name = util_strdup(host->name);
    d->to_addr = util_strdup(host->email);
    d->from_name = cli->cfg->mail_name;
    d->from_addr = config_email(cli->cfg);
    buf_adds(&d->subject, "Thank you, ");
    first_name(host->name, &d->subject);
    if (tz_from_utc(iv->tz, iv->start, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(iv->start, &c);
    buf_adds(&d->body, "Dear ");
    first_name(host->name, &d->body);
    buf_adds(&d->body, ",\n\n");
    buf_printf(&p,
               "Thank you for taking the time to speak with me on %s %d %s. "
               "I learned a great deal",
               days[tz_weekday(&c)], c.day, months[c.month - 1]);
    if (host->company)
        buf_printf(&p, " about your work at %s", host->company);
    if (p.len && p.data[p.len - 1] != '.')
        buf_adds(&p, "."); /* "Acme Inc." ends the sentence itself */
    if (!util_empty(iv->notes)) {
        /* the first line of the notes: what stayed with the user */
        size_t n = strcspn(iv->notes, "\n");
        buf_adds(&p, " I especially appreciated what you said about: ");
        buf_add(&p, iv->notes, n);
        if (n && !strchr(".!?", iv->notes[n - 1]))
            buf_adds(&p, ".");
    }
    wrapped(&d->body, p.data ? p.data : "");
    if (referrer) {
        p.len = 0;
        buf_printf(&p, "Thank you also to %s for putting us in touch.",
                   referrer->name);
        buf_adds(&d->body, "\n");
        wrapped(&d->body, p.data);
    }
    buf_adds(&d->body, "\nI will keep you posted on how things develop.\n\n"
                       "Best regards,\n");
    buf_printf(&d->body, "%s\n",
               d->from_name   ? d->from_name
               : d->from_addr ? d->from_addr
                              : "");
    buf_release(&p);
    return d->subject.failed || d->body.failed || !d->to_name ? -1 : 0;
}

static void draft_release(struct draft *d)
{
    free(d->to_name);
    free(d->to_addr);
    buf_release(&d->subject);
    buf_release(&d->body);
}

/* RFC 2047: a header text with anything but printable ASCII becomes
 * UTF-8 base64 encoded-words, each under 76 characters and cut between
 * characters. */
static void encoded_words(struct buf *out, const char *s)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)s;
    int plain = 1;

    for (const unsigned char *q = p; *q; q++)
        plain &= *q >= 0x20 && *q < 0x7f;
    if (plain) {
        buf_adds(out, s);
        return;
    }
    while (*p) {
        size_t n = 0;

        /* 45 bytes give 60 base64 characters, inside the 75 allowed */
        while (p[n] && n < 45) {
            size_t len = (p[n] & 0x80) == 0      ? 1
                         : (p[n] & 0xe0) == 0xc0 ? 2
                         : (p[n] & 0xf0) == 0xe0 ? 3
                                                 : 4;
            if (n + len > 45)
                break;
            n += len;
        }
        if (n == 0)
            n = 1;
        if (p != (const unsigned char *)s)
            buf_adds(out, "\n ");
        buf_adds(out, "=?UTF-8?B?");
        for (size_t i = 0; i < n; i += 3) {
            unsigned v = (unsigned)p[i] << 16 |
                         (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                         (i + 2 < n ? p[i + 2] : 0);
            char q[4] = {b64[v >> 18 & 63], b64[v >> 12 & 63],
                         i + 1 < n ? b64[v >> 6 & 63] : '=',
                         i + 2 < n ? b64[v & 63] : '='};
            buf_add(out, q, 4);
        }
        buf_adds(out, "?=");
        p += n;
    }
}

/* "Name <addr>": a name in plain ASCII as it is, one with specials
 * quoted, one with anything else as encoded-words (RFC 5322 3.4). */
static void address(struct buf *out, const char *name, const char *addr)
{
    if (!util_empty(name)) {
        int ascii = 1;

        for (const char *q = name; *q; q++)
            ascii &= (unsigned char)*q >= 0x20 && (unsigned char)*q < 0x7f;
        if (!ascii) {
            encoded_words(out, name);
        } else if (strpbrk(name, "()<>[]:;@\\,.\"")) {
            buf_adds(out, "\"");
            for (const char *q = name; *q; q++) {
                if (*q == '"' || *q == '\\')
                    buf_adds(out, "\\");
                buf_add(out, q, 1);
            }
            buf_adds(out, "\"");
        } else {
            buf_adds(out, name);
        }
        buf_adds(out, " ");
    }
    buf_printf(out, "<%s>", addr);
}

/* The whole message, LF line ends; 'crlf' for a file (RFC 5322 2.3). */
static char *message(struct cli *cli, const struct draft *d, int crlf)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed",
                                     "Thu", "Fri", "Sat"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct buf m, out;
    struct civil c;
    int off = 0;
    char *id = util_random_hex(12);

    buf_init(&m);
    if (tz_from_utc(cli->zone, cli->now, &c, &off, NULL) < 0)
        tz_civil_from_epoch(cli->now, &c);
    if (d->from_addr) {
        buf_adds(&m, "From: ");
        address(&m, d->from_name, d->from_addr);
        buf_adds(&m, "\n");
    }
    buf_adds(&m, "To: ");
    address(&m, d->to_name, d->to_addr);
    buf_adds(&m, "\nSubject: ");
    encoded_words(&m, d->subject.data);
    buf_printf(&m, "\nDate: %s, %02d %s %04d %02d:%02d:%02d %c%02d%02d\n",
               wd[tz_weekday(&c)], c.day, mon[c.month - 1], c.year, c.hour,
               c.minute, c.second, off < 0 ? '-' : '+', abs(off) / 3600,
               abs(off) % 3600 / 60);
    buf_printf(&m, "Message-ID: <%s@tiara.invalid>\n", id ? id : "x");
    buf_adds(&m, "MIME-Version: 1.0\n"
                 "Content-Type: text/plain; charset=UTF-8\n"
                 "Content-Transfer-Encoding: 8bit\n\n");
    buf_adds(&m, d->body.data);
    free(id);
    if (!crlf || m.failed)
        return buf_steal(&m);
    buf_init(&out);
    for (size_t i = 0; i < m.len; i++)
        buf_adds(&out, m.data[i] == '\n' ? "\r\n" : (char[]){m.data[i], 0});
    buf_release(&m);
    return buf_steal(&out);
}

/* RFC 6068: mailto:ADDR?subject=...&body=..., UTF-8 percent-encoded and
 * line ends as %0D%0A. */
static void print_mailto(const struct draft *d)
{
    const char *parts[] = {d->subject.data, d->body.data};
    const char *names[] = {"subject", "body"};

    printf("mailto:%s", d->to_addr);
    for (int k = 0; k < 2; k++) {
        printf("%c%s=", k ? '&' : '?', names[k]);
        for (const unsigned char *p = (const unsigned char *)parts[k]; *p;
             p++) {
            if (*p == '\n')
                printf("%%0D%%0A");
            else if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                     (*p >= '0' && *p <= '9') || strchr("-._~", *p))
                putchar(*p);
            else
                printf("%%%02X", *p);
        }
    }
    putchar('\n');
}

/* Run the configured command with the message on its standard input. */
static int send_with(const char *command, const char *msg, struct err *err)
{
    char *argv[] = {(char *)"sh", (char *)"-c", (char *)command, NULL};
    posix_spawn_file_actions_t fa;
    int fds[2], status = 0;
    size_t len = strlen(msg), off = 0;
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0)
        return err_set(err, ERR_IO, "cannot start the mail command");
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    if (posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        close(fds[0]);
        close(fds[1]);
        return err_set(err, ERR_IO, "cannot run the mail command");
    }
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    while (off < len) {
        ssize_t w = write(fds[1], msg + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(fds[1]);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0 || off < len)
        return err_set(err, ERR_IO,
                       "the mail command ([mail] command) failed%s: the "
                       "thank-you is still open",
                       WIFEXITED(status) && WEXITSTATUS(status)
                           ? " with a non-zero exit"
                           : "");
    return 0;
}

static int deliver(struct cli *cli, struct interview *iv, struct draft *d,
                   int mailto, const char *out_path, int do_send,
                   struct err *err)
{
    struct util_output o;
    char *msg;
    int ret = 0;

    if ((mailto || out_path || do_send) && util_empty(d->to_addr))
        return err_set(err, ERR_INPUT,
                       "%s has no email: 'tiara contact edit' with --email "
                       "adds one",
                       d->to_name);
    if (do_send && util_empty(cli->cfg->mail_command))
        return err_set(err, ERR_INPUT,
                       "--send needs [mail] command in the settings, such as "
                       "'msmtp -t'");
    if (do_send && util_empty(d->from_addr))
        return err_set(err, ERR_INPUT,
                       "--send needs your address: TIARA_EMAIL or [defaults] "
                       "email");
    if (mailto) {
        print_mailto(d);
        return 0;
    }
    if (!(msg = message(cli, d, out_path != NULL)))
        return err_set(err, ERR_NOMEM, "out of memory");
    if (out_path) {
        if (util_output_open(out_path, &o, err) < 0) {
            ret = -1;
        } else if (fputs(msg, o.out) == EOF) {
            util_output_abort(&o);
            ret = err_set(err, ERR_IO, "cannot write '%s'", out_path);
        } else {
            ret = util_output_commit(&o, err);
        }
    } else if (do_send) {
        ret = send_with(cli->cfg->mail_command, msg, err);
        if (ret == 0) {
            iv->thanked = cli->now;
            ret = cli_save_interview(cli, iv, err);
            if (ret == 0)
                printf("sent to %s; the thank-you for interview #%lld is "
                       "done\n",
                       d->to_addr, (long long)iv->id);
        }
    } else {
        fputs(msg, stdout);
    }
    free(msg);
    return ret;
}

int cmd_thank(struct cli *cli, int argc, char **argv)
{
    const char *out_path = NULL;
    int mailto = 0, do_send = 0, first, rc;
    const struct cli_opt opts[] = {
        {"mailto", 0, CLI_FLAG, &mailto},
        {"output", 'o', CLI_STRING, &out_path},
        {"send", 0, CLI_FLAG, &do_send},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"thank", thank_usage, "one INTERVIEW", 1, 1};
    struct interview iv;
    struct contact host, ref;
    struct draft d;
    struct err err;
    int have_ref = 0;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (mailto + do_send + (out_path != NULL) > 1)
        return cli_usage_error("thank", "--mailto, -o and --send: one of them");
    err_clear(&err);
    if (store_interview_find(cli->st, argv[first], cli->now, &iv, &err) < 0)
        return cli_fail(&err);
    if (iv.status == STATUS_CANCELLED || iv.start > cli->now) {
        rc =
            cli_errorf("interview #%lld %s: no thank-you yet", (long long)iv.id,
                       iv.status == STATUS_CANCELLED ? "was cancelled"
                                                     : "has not taken place");
        model_interview_release(&iv);
        return rc;
    }
    if (store_contact_get(cli->st, iv.contact_id, &host, &err) < 0) {
        model_interview_release(&iv);
        return cli_fail(&err);
    }
    have_ref = host.referred_by &&
               store_contact_get(cli->st, host.referred_by, &ref, NULL) == 0;
    if (build(cli, &iv, &host, have_ref ? &ref : NULL, &d) < 0)
        rc = cli_errorf("out of memory");
    else if (deliver(cli, &iv, &d, mailto, out_path, do_send, &err) < 0)
        rc = cli_fail(&err);
    else
        rc = 0;
    draft_release(&d);
    if (have_ref)
        model_contact_release(&ref);
    model_contact_release(&host);
    model_interview_release(&iv);
    return rc;
}
