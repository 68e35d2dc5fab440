/* SPDX-License-Identifier: MIT */
/* schedule.c - book, move and cancel interviews: schedule, reschedule, cancel
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ics.h"
#include "rules.h"
#include "tz.h"
#include "util.h"
#include "when.h"

static const char schedule_usage[] =
    "usage: tiara schedule CONTACT --at WHEN [options]\n"
    "\n"
    "Book an informational interview. WHEN is '2026-12-03 10:00' (T, an\n"
    "offset such as +01:00 or a zone name may follow), 'today 15:00',\n"
    "'tomorrow 10:00' or 'tue 14:30' (the next Tuesday).\n"
    "\n"
    "Options:\n"
    "  --at WHEN        when it starts (required)\n"
    "  --for LENGTH     how long: 30m (default), 45m, 1h; 30-60 minutes\n"
    "  --tz ZONE        the zone WHEN is in (default: yours)\n"
    "  --where TEXT     in person, at this place\n"
    "  --video URL      by video, at this link\n"
    "  --phone[=NUMBER] by phone\n"
    "  --title TEXT     your own title for it (\"\" for tiara's)\n"
    "  --agenda SPEC    phases, e.g. 'intro:5,questions:20,next:5' (lengths\n"
    "                   in minutes, or as '7m30s'; at most 12 phases)\n"
    "  --thanks-in Z    the thank-you is due at the end of the next day in\n"
    "                   'mine' (this interview's zone) or 'host' (theirs)\n"
    "  --force          book outside 30-60 minutes, or over a clash\n"
    "\n"
    "Defaults for --for and --thanks-in come from [defaults] length and\n"
    "thanks_zone in the settings file (tiara contact --help: cadence).\n";

static const char reschedule_usage[] =
    "usage: tiara reschedule INTERVIEW --at WHEN [--for LENGTH] [--tz ZONE]\n"
    "                        [--thanks-in mine|host] [--title TEXT]\n"
    "                        [--where/--video/--phone/--agenda as for\n"
    "                        schedule] [--force]\n"
    "\n"
    "Move an interview; its preparation, thank-you and check-ins move too.\n"
    "INTERVIEW is an id (#3) or a contact (their next interview).\n";

/* What schedule and reschedule read from the command line. */
struct booking {
    const char *at, *length, *zone, *where, *video, *agenda, *thanks_in;
    const char *title;
    const char *phone;
    int phone_set, force;
};

static int read_minutes(const char *text, long *minutes, struct err *err)
{
    long secs;

    if (util_parse_duration(text, &secs, err) < 0)
        return -1;
    if (secs % 60)
        return err_set(err, ERR_INPUT, "length '%s' is not whole minutes",
                       text);
    *minutes = secs / 60;
    return 0;
}

/* The user's own events count as much as interviews. */
static int busy_check(struct cli *cli, const struct interview *iv,
                      const char *how, struct err *err)
{
    struct ics_busy b;
    char summary[128], when[32];
    int clash =
        cli_busy_clash(cli, iv->start, iv->start + (utc_t)iv->minutes * 60, &b,
                       summary, sizeof(summary), err);

    if (clash <= 0)
        return clash;
    tz_format_time(cli->zone, b.start, when, sizeof(when));
    return err_set(err, ERR_INPUT,
                   "clashes with '%s' at %s (%lld min) in your calendar; %s",
                   summary, when, (long long)(b.end - b.start) / 60, how);
}

/* Work out start, length and zone. */
static int plan(struct cli *cli, const struct booking *b, struct interview *iv,
                struct err *err)
{
    struct when w;
    long minutes = iv->minutes ? iv->minutes : cli->cfg->defaults.minutes;
    const char *zone = b->zone ? b->zone : (iv->tz ? iv->tz : cli->zone);

    if (b->zone && tz_check(b->zone, err) < 0)
        return -1;
    if (b->length && read_minutes(b->length, &minutes, err) < 0)
        return -1;
    if (model_check_minutes(minutes, b->force, err) < 0)
        return -1;
    if (b->at) {
        if (when_parse(b->at, cli->now, zone, WHEN_NEED_TIME, &w, err) < 0)
            return -1;
        iv->start = w.t;
        if (w.zone_given)
            zone = w.zone;
    }
    if (model_check_start(iv->start, err) < 0)
        return -1;
    if (util_set_str(&iv->tz, zone) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    iv->minutes = (int)minutes;
    return 0;
}

/* Refuse a slot another interview or the user's own calendar holds. Run
 * inside the transaction that books it: two bookings at once then see
 * each other, and only one gets the slot. */
static int check_clash(struct cli *cli, const struct interview *iv,
                       int64_t exclude, const char *how, struct err *err)
{
    struct interview other;
    int clash;

    clash = store_interview_clash(cli->st, iv->start,
                                  iv->start + (utc_t)iv->minutes * 60, exclude,
                                  &other, err);
    if (clash < 0)
        return -1;
    if (clash) {
        char when[32];
        struct contact c;
        const char *name = "?";

        model_contact_init(&c);
        if (store_contact_get(cli->st, other.contact_id, &c, NULL) == 0)
            name = c.name;
        tz_format_time(cli->zone, other.start, when, sizeof(when));
        err_set(err, ERR_INPUT,
                "clashes with interview #%lld with %s at %s (%d min); %s",
                (long long)other.id, name, when, other.minutes, how);
        model_contact_release(&c);
        model_interview_release(&other);
        return -1;
    }
    return busy_check(cli, iv, how, err);
}

static const char force_hint[] = "use --force to book it anyway";

/* DOMAIN.md: the thank-you is due by the end of the next day, in the
 * host's zone or the user's "as set": --thanks-in, else the settings. */
static int thanks_zone(struct cli *cli, const struct booking *b,
                       const struct contact *host, struct interview *iv,
                       struct err *err)
{
    int host_zone = b->thanks_in ? strcmp(b->thanks_in, "host") == 0
                                 : cli->cfg->defaults.thanks_in_host_zone;

    if (b->thanks_in && host_zone && util_empty(host->tz))
        return err_set(err, ERR_INPUT,
                       "the zone of %s is not known: set it with 'tiara "
                       "contact edit --tz ZONE'",
                       host->name);
    if (util_set_str(&iv->thanks_tz, host_zone ? host->tz : NULL) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    return 0;
}

/* Returns CLI_CONTINUE with the operand at argv[*first], or an exit
 * status after printing the help or the error. */
static int parse_booking(int argc, char **argv, struct booking *b,
                         const char *cmd, const char *usage, int *first)
{
    const struct cli_opt opts[] = {
        {"at", 0, CLI_STRING, &b->at},
        {"for", 0, CLI_STRING, &b->length},
        {"tz", 0, CLI_STRING, &b->zone},
        {"where", 0, CLI_STRING, &b->where},
        {"video", 0, CLI_STRING, &b->video},
        {"phone", 0, CLI_OPTIONAL, &b->phone},
        {"agenda", 0, CLI_STRING, &b->agenda},
        {"thanks-in", 0, CLI_STRING, &b->thanks_in},
        {"title", 0, CLI_STRING, &b->title},
        {"force", 0, CLI_FLAG, &b->force},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {
        cmd, usage, strcmp(cmd, "schedule") ? "one INTERVIEW" : "one CONTACT",
        1, 1};
    int status;

    memset(b, 0, sizeof(*b));
    status = cli_parse(&args, opts, argc, argv, first);
    if (status != CLI_CONTINUE)
        return status;
    b->phone_set = b->phone != NULL;
    if (b->phone && !*b->phone)
        b->phone = NULL; /* --phone alone: the number is the host's */
    if (!!b->where + !!b->video + b->phone_set > 1)
        return cli_usage_error(cmd, "choose one of --where, --video, --phone");
    if (b->thanks_in && strcmp(b->thanks_in, "mine") &&
        strcmp(b->thanks_in, "host"))
        return cli_errorf("--thanks-in is 'mine' or 'host', not '%s'",
                          b->thanks_in);
    return CLI_CONTINUE;
}

int cmd_schedule(struct cli *cli, int argc, char **argv)
{
    struct booking b;
    struct interview iv;
    struct contact host;
    struct err err;
    int first, status;

    status = parse_booking(argc, argv, &b, "schedule", schedule_usage, &first);
    if (status != CLI_CONTINUE)
        return status;
    if (!b.at)
        return cli_usage_error("schedule", "--at WHEN is required");
    err_clear(&err);
    model_interview_init(&iv);
    model_contact_init(&host);
    if (store_contact_find(cli->st, argv[first], &host, &err) < 0)
        goto fail;
    if (b.video && cli_check_video(b.video, &err) < 0)
        goto fail;
    if (b.agenda && cli_check_agenda(b.agenda, &err) < 0)
        goto fail;
    if (plan(cli, &b, &iv, &err) < 0)
        goto fail;
    iv.contact_id = host.id;
    iv.mode = b.video ? MODE_VIDEO : b.phone_set ? MODE_PHONE : MODE_IN_PERSON;
    iv.location = util_strdup(b.where ? b.where : b.phone);
    iv.video_url = util_strdup(b.video);
    iv.agenda = util_strdup(b.agenda);
    iv.title = util_empty(b.title) ? NULL : util_strdup(b.title);
    if (model_interview_validate(&iv, &err) < 0 ||
        thanks_zone(cli, &b, &host, &iv, &err) < 0)
        goto fail;
    iv.created = iv.modified = cli->now;
    if (store_begin(cli->st, &err) < 0)
        goto fail;
    host.seq++;
    host.modified = cli->now;
    if ((!b.force && check_clash(cli, &iv, 0, force_hint, &err) < 0) ||
        store_interview_add(cli->st, &iv, &err) < 0 ||
        store_contact_update(cli->st, &host, &err) < 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        goto fail;
    }
    printf("scheduled interview #%lld with %s\n", (long long)iv.id, host.name);
    cli_print_plan(cli, &iv, &host);
    if (iv.start < cli->now)
        printf("note: that time is in the past\n");
    model_interview_release(&iv);
    model_contact_release(&host);
    return 0;
fail:
    model_interview_release(&iv);
    model_contact_release(&host);
    return cli_fail(&err);
}

int cmd_reschedule(struct cli *cli, int argc, char **argv)
{
    struct booking b;
    struct interview iv;
    struct contact host;
    struct err err;
    int first, status, was_cancelled;

    status =
        parse_booking(argc, argv, &b, "reschedule", reschedule_usage, &first);
    if (status != CLI_CONTINUE)
        return status;
    if (!b.at && !b.length && !b.zone && !b.thanks_in && !b.where && !b.video &&
        !b.phone_set && !b.agenda && !b.title)
        return cli_usage_error("reschedule",
                               "nothing to change: give --at, --for, --tz, "
                               "--where, --video, --phone, --agenda, "
                               "--title or --thanks-in");
    err_clear(&err);
    if (b.video && cli_check_video(b.video, &err) < 0)
        return cli_fail(&err);
    model_contact_init(&host);
    if (store_interview_find(cli->st, argv[first], cli->now, &iv, &err) < 0)
        return cli_fail(&err);
    if (b.zone && !b.at) {
        /* A new zone alone keeps the instant: only the display changes. */
        if (tz_check(b.zone, &err) < 0)
            goto fail;
    }
    if (plan(cli, &b, &iv, &err) < 0)
        goto fail;
    was_cancelled = iv.status == STATUS_CANCELLED;
    iv.status = STATUS_SCHEDULED;
    if (b.where) {
        iv.mode = MODE_IN_PERSON;
        util_set_str(&iv.location, b.where);
    } else if (b.video) {
        iv.mode = MODE_VIDEO;
        util_set_str(&iv.video_url, b.video);
    } else if (b.phone_set) {
        iv.mode = MODE_PHONE;
        util_set_str(&iv.location, b.phone);
    }
    if (b.agenda) {
        if (cli_check_agenda(b.agenda, &err) < 0)
            goto fail;
        util_set_str(&iv.agenda, b.agenda);
    }
    if (b.title &&
        util_set_str(&iv.title, util_empty(b.title) ? NULL : b.title) < 0) {
        err_set(&err, ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (b.thanks_in) {
        struct contact who;

        if (store_contact_get(cli->st, iv.contact_id, &who, &err) < 0)
            goto fail;
        if (thanks_zone(cli, &b, &who, &iv, &err) < 0) {
            model_contact_release(&who);
            goto fail;
        }
        model_contact_release(&who);
    }
    {
        /* only what was given now: text kept from before is not blamed */
        struct interview given;

        memset(&given, 0, sizeof(given));
        given.location = (char *)(b.where ? b.where : b.phone);
        given.video_url = (char *)b.video;
        given.agenda = (char *)b.agenda;
        given.title = (char *)b.title;
        if (model_interview_validate(&given, &err) < 0)
            goto fail;
    }
    {
        /* the same again is no change: no new SEQUENCE, nothing to send */
        struct interview was;
        int same;

        if (store_interview_get(cli->st, iv.id, &was, &err) < 0)
            goto fail;
        same = model_interview_same(&was, &iv);
        model_interview_release(&was);
        if (same) {
            printf("interview #%lld is already so: nothing changed\n",
                   (long long)iv.id);
            model_interview_release(&iv);
            return 0;
        }
    }
    if (store_begin(cli->st, &err) < 0)
        goto fail;
    if ((!b.force && check_clash(cli, &iv, iv.id, force_hint, &err) < 0) ||
        cli_touch_interview(cli, &iv, &err) < 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        goto fail;
    }
    if (store_contact_get(cli->st, iv.contact_id, &host, &err) < 0)
        goto fail;
    printf("moved interview #%lld with %s\n", (long long)iv.id, host.name);
    if (was_cancelled)
        printf("note: it was cancelled; it is booked again\n");
    cli_print_plan(cli, &iv, &host);
    model_interview_release(&iv);
    model_contact_release(&host);
    return 0;
fail:
    model_interview_release(&iv);
    model_contact_release(&host);
    return cli_fail(&err);
}

int cmd_cancel(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara cancel INTERVIEW [--undo]\n"
        "\n"
        "Cancel an interview. It stays in the store (tiara contact show),\n"
        "its tasks and check-ins go; --undo books it again.\n";
    struct interview iv;
    struct err err;
    char hint[128];
    int undo, rc;

    err_clear(&err);
    rc = cli_one_interview(cli, argc, argv, "cancel", usage, &undo, &iv, &err);
    if (rc != CLI_CONTINUE)
        return rc;
    if ((iv.status == STATUS_CANCELLED) == !undo) {
        printf("interview #%lld is already %s\n", (long long)iv.id,
               undo ? "scheduled" : "cancelled");
        model_interview_release(&iv);
        return 0;
    }
    iv.status = undo ? STATUS_SCHEDULED : STATUS_CANCELLED;
    snprintf(hint, sizeof(hint),
             "'tiara reschedule %lld --at WHEN' books it elsewhere, with "
             "--force over the clash",
             (long long)iv.id);
    /* booked again, it must find its slot free, as schedule would */
    if (store_begin(cli->st, &err) < 0 ||
        (undo && check_clash(cli, &iv, iv.id, hint, &err) < 0) ||
        cli_save_interview(cli, &iv, &err) < 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        model_interview_release(&iv);
        return cli_fail(&err);
    }
    printf("%s interview #%lld\n", undo ? "restored" : "cancelled",
           (long long)iv.id);
    model_interview_release(&iv);
    return 0;
}

int cmd_rm(struct cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: tiara rm INTERVIEW [--force]\n"
        "\n"
        "Remove an interview for good, with its tasks. A later export tells\n"
        "calendars that imported an earlier one that it was cancelled; the\n"
        "next sync deletes tiara's copies on the server. One with notes or\n"
        "timer times, which would be lost, needs --force ('tiara cancel'\n"
        "keeps them).\n";
    int force = 0, first, rc;
    const struct cli_opt opts[] = {
        {"force", 0, CLI_FLAG, &force},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"rm", usage, "one INTERVIEW", 1, 1};
    struct interview iv;
    struct contact host;
    struct err err;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    err_clear(&err);
    if (store_interview_find(cli->st, argv[first], cli->now, &iv, &err) < 0)
        return cli_fail(&err);
    if (!force && (!util_empty(iv.notes) || iv.actual_start)) {
        rc = cli_errorf("interview #%lld has %s that would be lost: "
                        "--force removes it anyway, 'tiara cancel' keeps it",
                        (long long)iv.id,
                        util_empty(iv.notes) ? "timer times" : "notes");
        model_interview_release(&iv);
        return rc;
    }
    if (store_contact_get(cli->st, iv.contact_id, &host, &err) < 0) {
        model_interview_release(&iv);
        return cli_fail(&err);
    }
    /* the check-in series may follow another interview now: a revision */
    host.seq++;
    host.modified = cli->now;
    if (store_begin(cli->st, &err) < 0 ||
        ics_remove_interview(cli->st, &iv, cli->now, &err) < 0 ||
        store_interview_delete(cli->st, iv.id, &err) < 0 ||
        store_contact_update(cli->st, &host, &err) < 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        rc = cli_fail(&err);
    } else {
        printf("removed interview #%lld with %s\n", (long long)iv.id,
               host.name);
        rc = 0;
    }
    model_interview_release(&iv);
    model_contact_release(&host);
    return rc;
}
