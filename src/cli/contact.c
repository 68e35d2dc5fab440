/* SPDX-License-Identifier: MIT */
/* contact.c - 'tiara contact add|list|show|edit|rm' */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tz.h"
#include "util.h"

static const char contact_usage[] =
    "usage: tiara contact add NAME [options]\n"
    "       tiara contact list\n"
    "       tiara contact show CONTACT\n"
    "       tiara contact edit CONTACT [--name NAME] [options]\n"
    "       tiara contact rm CONTACT [--force]\n"
    "\n"
    "CONTACT is an id (3 or #3), a name or an email; part of a name is\n"
    "enough when it is unique.\n"
    "\n"
    "Options:\n"
    "  --email ADDR         email address (becomes the ATTENDEE)\n"
    "  --company TEXT       company\n"
    "  --role TEXT          role or title\n"
    "  --phone NUMBER       phone number\n"
    "  --linkedin URL       LinkedIn profile\n"
    "  --notes TEXT         private notes (never exported unless asked)\n"
    "  --tz ZONE            the host's time zone, e.g. America/New_York\n"
    "  --referred-by C      the contact who referred this one\n"
    "  --cadence C          check-ins: quarterly (default), semiannual, none\n"
    "                       ([defaults] cadence in the settings file)\n";

enum {
    OPT_EMAIL = 256,
    OPT_COMPANY,
    OPT_ROLE,
    OPT_PHONE,
    OPT_LINKEDIN,
    OPT_NOTES,
    OPT_TZ,
    OPT_REFERRED,
    OPT_CADENCE,
    OPT_NAME,
    OPT_FORCE,
};

static const struct option field_opts[] = {
    {"email", required_argument, NULL, OPT_EMAIL},
    {"company", required_argument, NULL, OPT_COMPANY},
    {"role", required_argument, NULL, OPT_ROLE},
    {"phone", required_argument, NULL, OPT_PHONE},
    {"linkedin", required_argument, NULL, OPT_LINKEDIN},
    {"notes", required_argument, NULL, OPT_NOTES},
    {"tz", required_argument, NULL, OPT_TZ},
    {"referred-by", required_argument, NULL, OPT_REFERRED},
    {"cadence", required_argument, NULL, OPT_CADENCE},
    {"name", required_argument, NULL, OPT_NAME},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Apply field options to 'c'. Returns 0, 1 when --help was asked, 2 on
 * a usage error, or -1 with 'err' set. */
static int read_fields(struct cli *cli, int argc, char **argv, int allow_name,
                       struct contact *c, struct err *err)
{
    int opt;
    char **slot;
    struct contact ref;

    while ((opt = getopt_long(argc, argv, "h", field_opts, NULL)) != -1) {
        slot = NULL;
        switch (opt) {
        case OPT_EMAIL:
            slot = &c->email;
            break;
        case OPT_COMPANY:
            slot = &c->company;
            break;
        case OPT_ROLE:
            slot = &c->role;
            break;
        case OPT_PHONE:
            slot = &c->phone;
            break;
        case OPT_LINKEDIN:
            slot = &c->linkedin;
            break;
        case OPT_NOTES:
            slot = &c->notes;
            break;
        case OPT_NAME:
            if (!allow_name)
                return 2;
            slot = &c->name;
            break;
        case OPT_TZ:
            if (!util_empty(optarg) && tz_check(optarg, err) < 0)
                return -1;
            slot = &c->tz;
            break;
        case OPT_CADENCE:
            if (model_cadence_parse(optarg, &c->cadence, err) < 0)
                return -1;
            break;
        case OPT_REFERRED:
            if (util_empty(optarg)) {
                c->referred_by = 0;
                break;
            }
            if (store_contact_find(cli->st, optarg, &ref, err) < 0)
                return -1;
            if (c->id && ref.id == c->id) {
                model_contact_release(&ref);
                return err_set(err, ERR_INPUT,
                               "a contact cannot refer themselves");
            }
            c->referred_by = ref.id;
            model_contact_release(&ref);
            break;
        case 'h':
            return 1;
        default:
            return 2;
        }
        /* An empty value clears the field. */
        if (slot && util_set_str(slot, util_empty(optarg) ? NULL : optarg) < 0)
            return err_set(err, ERR_NOMEM, "out of memory");
    }
    return 0;
}

static int contact_add(struct cli *cli, int argc, char **argv)
{
    struct contact c;
    struct err err;
    int rc, status = 1;

    model_contact_init(&c);
    err_clear(&err);
    c.cadence = (enum cadence)cli->cfg->defaults.cadence;
    rc = read_fields(cli, argc, argv, 0, &c, &err);
    if (rc == 1) {
        fputs(contact_usage, stdout);
        status = 0;
        goto out;
    }
    if (rc == 2) {
        status = cli_usage_error("contact", "bad option for 'contact add'");
        goto out;
    }
    if (rc < 0) {
        status = cli_fail(&err);
        goto out;
    }
    if (optind != argc - 1) {
        status = cli_usage_error("contact", "'contact add' takes one NAME "
                                            "(quote names with spaces)");
        goto out;
    }
    c.name = strdup(argv[optind]);
    c.created = c.modified = cli->now;
    if (model_contact_validate(&c, &err) < 0 ||
        store_begin(cli->st, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    if (store_contact_add(cli->st, &c, &err) < 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        status = cli_fail(&err);
        goto out;
    }
    printf("added contact #%lld %s\n", (long long)c.id, c.name);
    status = 0;
out:
    model_contact_release(&c);
    return status;
}

struct list_ctx {
    struct store *st;
    int count;
};

static int print_contact_row(const struct contact *c, void *arg)
{
    struct list_ctx *l = arg;
    struct contact ref;
    const char *ref_name = "";

    if (l->count++ == 0)
        printf("%-4s %-24s %-20s %-28s %-10s %s\n", "ID", "NAME", "COMPANY",
               "EMAIL", "CHECK-INS", "REFERRED BY");
    model_contact_init(&ref);
    if (c->referred_by &&
        store_contact_get(l->st, c->referred_by, &ref, NULL) == 0)
        ref_name = ref.name;
    printf("%-4lld ", (long long)c->id);
    cli_print_padded(c->name, 24);
    putchar(' ');
    cli_print_padded(c->company ? c->company : "-", 20);
    putchar(' ');
    cli_print_padded(c->email ? c->email : "-", 28);
    printf(" %-10s %s\n",
           c->checkin_stopped ? "stopped" : model_cadence_name(c->cadence),
           ref_name);
    model_contact_release(&ref);
    return 0;
}

static int contact_list(struct cli *cli, int argc, char **argv)
{
    struct list_ctx l = {cli->st, 0};
    struct err err;

    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0) {
            fputs(contact_usage, stdout);
            return 0;
        }
        return cli_usage_error("contact", "'contact list' takes no arguments");
    }
    err_clear(&err);
    if (store_contact_each(cli->st, print_contact_row, &l, &err) < 0)
        return cli_fail(&err);
    if (l.count == 0)
        printf("no contacts yet: add one with 'tiara contact add NAME'\n");
    return 0;
}

struct show_ctx {
    const char *zone;
    int count;
};

static int print_interview_line(const struct interview *iv, void *arg)
{
    struct show_ctx *s = arg;
    char when[32];

    tz_format_time(s->zone, iv->start, when, sizeof(when));
    printf("  #%-4lld %s  %d min  %s%s%s\n", (long long)iv->id, when,
           iv->minutes, model_mode_name(iv->mode),
           iv->status == STATUS_CANCELLED ? "  (cancelled)" : "",
           iv->status == STATUS_SCHEDULED && iv->thanked ? "  thanked" : "");
    s->count++;
    return 0;
}

static int print_referred(const struct contact *c, void *arg)
{
    const struct contact *parent = arg;

    if (c->referred_by == parent->id)
        printf("  #%lld %s\n", (long long)c->id, c->name);
    return 0;
}

static int contact_show(struct cli *cli, int argc, char **argv)
{
    struct contact c, ref;
    struct err err;
    struct show_ctx s = {cli->zone, 0};
    int64_t next, depth = 0;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(contact_usage, stdout);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error("contact", "'contact show' takes one CONTACT");
    err_clear(&err);
    if (store_contact_find(cli->st, argv[1], &c, &err) < 0)
        return cli_fail(&err);
    printf("#%lld %s\n", (long long)c.id, c.name);
    if (c.role || c.company)
        printf("  %s%s%s\n", c.role ? c.role : "",
               c.role && c.company ? " at " : "", c.company ? c.company : "");
    if (c.email)
        printf("  email:     %s\n", c.email);
    if (c.phone)
        printf("  phone:     %s\n", c.phone);
    if (c.linkedin)
        printf("  linkedin:  %s\n", c.linkedin);
    if (c.tz)
        printf("  zone:      %s\n", c.tz);
    printf("  check-ins: %s\n",
           c.checkin_stopped ? "stopped" : model_cadence_name(c.cadence));
    /* The referral chain, nearest first; a cap guards against cycles. */
    for (next = c.referred_by; next && depth < 20; depth++) {
        if (store_contact_get(cli->st, next, &ref, NULL) < 0)
            break;
        printf("  %s #%lld %s\n",
               depth ? "  who was referred by" : "referred by",
               (long long)ref.id, ref.name);
        next = ref.referred_by;
        model_contact_release(&ref);
    }
    if (c.notes)
        printf("  notes:     %s\n", c.notes);
    printf("referred:\n");
    store_contact_each(cli->st, print_referred, &c, NULL);
    printf("interviews:\n");
    if (store_interview_each(cli->st, INT64_MIN, INT64_MAX, c.id,
                             STORE_WITH_CANCELLED, print_interview_line, &s,
                             &err) < 0) {
        model_contact_release(&c);
        return cli_fail(&err);
    }
    if (!s.count)
        printf("  none yet\n");
    model_contact_release(&c);
    return 0;
}

static int contact_edit(struct cli *cli, int argc, char **argv)
{
    struct contact c;
    struct err err;
    int rc, status = 1;

    err_clear(&err);
    model_contact_init(&c);
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        fputs(contact_usage, stdout);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        return cli_usage_error("contact", "'contact edit' needs a CONTACT "
                                          "first");
    /* Every field option takes a value, so anything else that is not an
     * option is a second operand: refuse it before looking anything up. */
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++) {
        if (argv[i][0] != '-')
            return cli_usage_error("contact",
                                   "'contact edit' takes one "
                                   "CONTACT, not also '%s'",
                                   argv[i]);
        if (argv[i][1] == '-' && !strchr(argv[i], '=') &&
            strcmp(argv[i], "--help"))
            i++; /* its value */
    }
    if (store_contact_find(cli->st, argv[1], &c, &err) < 0)
        return cli_fail(&err);
    rc = read_fields(cli, argc - 1, argv + 1, 1, &c, &err);
    if (rc == 1) {
        fputs(contact_usage, stdout);
        status = 0;
        goto out;
    }
    if (rc == 2 || optind != argc - 1) {
        status = cli_usage_error("contact", "bad arguments for 'contact edit'");
        goto out;
    }
    if (rc < 0) {
        status = cli_fail(&err);
        goto out;
    }
    c.seq++;
    c.modified = cli->now;
    if (model_contact_validate(&c, &err) < 0 ||
        store_begin(cli->st, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    if (store_contact_update(cli->st, &c, &err) < 0 ||
        store_contact_touch_interviews(cli->st, c.id, cli->now, &err) < 0 ||
        store_commit(cli->st, &err) < 0) {
        store_rollback(cli->st);
        status = cli_fail(&err);
        goto out;
    }
    printf("updated contact #%lld %s\n", (long long)c.id, c.name);
    status = 0;
out:
    model_contact_release(&c);
    return status;
}

static int contact_rm(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct contact c;
    struct err err;
    int opt, force = 0, count = 0;

    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_FORCE) {
            force = 1;
        } else if (opt == 'h') {
            fputs(contact_usage, stdout);
            return 0;
        } else {
            return cli_usage_error("contact", "bad option for 'contact rm'");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("contact", "'contact rm' takes one CONTACT");
    err_clear(&err);
    if (store_contact_find(cli->st, argv[optind], &c, &err) < 0)
        return cli_fail(&err);
    if (store_begin(cli->st, &err) < 0)
        goto fail;
    if (force &&
        store_contact_purge_interviews(cli->st, c.id, &count, &err) < 0)
        goto rollback;
    if (store_contact_delete(cli->st, c.id, &err) < 0 ||
        store_commit(cli->st, &err) < 0)
        goto rollback;
    printf("removed contact #%lld %s", (long long)c.id, c.name);
    if (count)
        printf(" and %d interview%s", count, count == 1 ? "" : "s");
    printf("\n");
    model_contact_release(&c);
    return 0;
rollback:
    store_rollback(cli->st);
fail:
    model_contact_release(&c);
    return cli_fail(&err);
}

int cmd_contact(struct cli *cli, int argc, char **argv)
{
    static const struct cmd verbs[] = {
        {"add", contact_add, NEED_STORE, "add a contact"},
        {"list", contact_list, NEED_STORE, "list contacts"},
        {"show", contact_show, NEED_STORE, "show a contact"},
        {"edit", contact_edit, NEED_STORE, "change a contact"},
        {"rm", contact_rm, NEED_STORE, "remove a contact"},
    };

    return cli_dispatch_verb(cli, "contact", verbs,
                             sizeof(verbs) / sizeof(verbs[0]), contact_usage,
                             argc, argv);
}
