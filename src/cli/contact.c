/* SPDX-License-Identifier: MIT */
/* contact.c - 'tiara contact add|list|show|edit|rm' */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ics.h"
#include "tz.h"
#include "util.h"

static const char contact_usage[] =
    "usage: tiara contact add NAME [options]\n"
    "       tiara contact list [-j|--json] [-o FILE]\n"
    "       tiara contact show CONTACT [-j|--json] [-o FILE]\n"
    "       tiara contact edit CONTACT [--name NAME] [options]\n"
    "       tiara contact rm CONTACT [--force]\n"
    "       tiara contact import FILE.csv [--dry-run] [--strict] [--map MAP]\n"
    "                            [--delimiter C] [--cadence C]\n"
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
    "                       ([defaults] cadence in the settings file)\n"
    "\n"
    "import reads LinkedIn's Connections.csv (the notes before its header\n"
    "are skipped) or any CSV with a header row: columns named Name, First\n"
    "Name, Last Name, Email, Company or Organization, Title, Position or\n"
    "Role, Phone, LinkedIn or URL, Notes and Connected On are found in\n"
    "any case; Connected On becomes the notes' last line, 'Connected on\n"
    "LinkedIn: 2024-03-12'. A row with the email of a known contact (or\n"
    "one earlier in the file), or the same name and company (in any case,\n"
    "as Unicode sees it: ÉLODIE is élodie), is skipped and listed; a bad\n"
    "row is refused, naming its line; the rest are added together or not\n"
    "at all.\n"
    "  --dry-run, -n        say what would be added and skipped; change "
    "nothing\n"
    "  --strict             add nothing when any row is refused\n"
    "  --map MAP            columns by name: 'name=Full Name,email=E-mail'\n"
    "                       (name first last email company role phone\n"
    "                       linkedin notes connected)\n"
    "  --delimiter C        ',', ';', '|', ':' or tab (default: guessed)\n"
    "\n"
    "  --json               list and show: JSON instead (docs/json.md)\n";

/* The field options of add and edit, as given: NULL when absent, "" to
 * clear. */
struct fields {
    const char *email, *company, *role, *phone, *linkedin, *notes, *tz;
    const char *referred_by, *cadence, *name;
};

/* Parse add's or edit's options (edit also has --name). Returns
 * CLI_CONTINUE with the operand at argv[*first], or an exit status. */
static int parse_fields(const char *cmd, int with_name, int argc, char **argv,
                        struct fields *f, int *first)
{
    const struct cli_opt opts[] = {
        {"email", 0, CLI_STRING, &f->email},
        {"company", 0, CLI_STRING, &f->company},
        {"role", 0, CLI_STRING, &f->role},
        {"phone", 0, CLI_STRING, &f->phone},
        {"linkedin", 0, CLI_STRING, &f->linkedin},
        {"notes", 0, CLI_STRING, &f->notes},
        {"tz", 0, CLI_STRING, &f->tz},
        {"referred-by", 0, CLI_STRING, &f->referred_by},
        {"cadence", 0, CLI_STRING, &f->cadence},
        {with_name ? "name" : NULL, 0, CLI_STRING, &f->name},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {
        cmd, contact_usage,
        with_name ? "one CONTACT" : "one NAME (quote names with spaces)", 1, 1};

    memset(f, 0, sizeof(*f));
    return cli_parse(&args, opts, argc, argv, first);
}

/* An empty value clears the field. */
static int set_field(char **slot, const char *value, struct err *err)
{
    if (!value)
        return 0;
    if (util_set_str(slot, util_empty(value) ? NULL : value) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    return 0;
}

/* Apply the given fields to 'c', checking each value. */
static int apply_fields(struct cli *cli, const struct fields *f,
                        struct contact *c, struct err *err)
{
    struct contact ref;

    if (f->tz && !util_empty(f->tz) && tz_check(f->tz, err) < 0)
        return -1;
    if (f->cadence && model_cadence_parse(f->cadence, &c->cadence, err) < 0)
        return -1;
    if (f->referred_by && util_empty(f->referred_by)) {
        c->referred_by = 0;
    } else if (f->referred_by) {
        if (store_contact_find(cli->st, f->referred_by, &ref, err) < 0)
            return -1;
        if (c->id && ref.id == c->id) {
            model_contact_release(&ref);
            return err_set(err, ERR_INPUT, "a contact cannot refer themselves");
        }
        c->referred_by = ref.id;
        /* up the chain from the referrer: meeting this contact again is
         * a circle, which 'contact show' would follow for ever */
        /* (bounded: a circle stored by an older tiara must not hang) */
        int64_t up = ref.referred_by;
        for (int depth = 0; c->id && up && depth < 10000; depth++) {
            struct contact next;

            if (up == c->id) {
                err_set(err, ERR_INPUT,
                        "%s was referred by %s, directly or through others: "
                        "referrals cannot go in a circle",
                        ref.name, c->name);
                model_contact_release(&ref);
                return -1;
            }
            model_contact_init(&next);
            if (store_contact_get(cli->st, up, &next, NULL) < 0)
                break;
            up = next.referred_by;
            model_contact_release(&next);
        }
        model_contact_release(&ref);
    }
    return set_field(&c->email, f->email, err) |
           set_field(&c->company, f->company, err) |
           set_field(&c->role, f->role, err) |
           set_field(&c->phone, f->phone, err) |
           set_field(&c->linkedin, f->linkedin, err) |
           set_field(&c->notes, f->notes, err) | set_field(&c->tz, f->tz, err) |
           set_field(&c->name, f->name, err);
}

/* Two contacts may share a name or an email (people do); say so, and how
 * to tell them apart from now on. */
static void note_twins(struct cli *cli, const struct contact *c)
{
    struct buf twins;

    buf_init(&twins);
    if (store_contact_twins(cli->st, c, &twins, NULL) > 0) {
        printf("note: also %s", twins.data);
        if (strstr(twins.data, "same name)"))
            printf("; name this one as #%lld", (long long)c->id);
        putchar('\n');
    }
    buf_release(&twins);
}

static int contact_add(struct cli *cli, int argc, char **argv)
{
    struct fields f;
    struct contact c;
    struct err err;
    int first, status;

    status = parse_fields("contact add", 0, argc, argv, &f, &first);
    if (status != CLI_CONTINUE)
        return status;
    status = 1;
    model_contact_init(&c);
    err_clear(&err);
    c.cadence = (enum cadence)cli->cfg->defaults.cadence;
    if (apply_fields(cli, &f, &c, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    c.name = strdup(argv[first]);
    c.created = c.modified = cli->now;
    if (!c.name)
        err_set(&err, ERR_NOMEM, "out of memory");
    if (!c.name || model_contact_validate(&c, &err) < 0 ||
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
    note_twins(cli, &c);
    status = 0;
out:
    model_contact_release(&c);
    return status;
}

struct list_ctx {
    struct store *st;
    int count;
    int json;
    struct cli_json *items;
};

static int print_contact_row(const struct contact *c, void *arg)
{
    struct list_ctx *l = arg;
    struct contact ref;
    const char *ref_name = "";

    if (l->json) {
        cli_json_push(l->items, cli_json_contact(c));
        return 0;
    }
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
    int json = 0, first, rc;
    const struct cli_opt opts[] = {
        {"json", 'j', CLI_FLAG, &json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"contact list", contact_usage, "no arguments",
                                  0, 0};
    struct list_ctx l = {cli->st, 0, 0, NULL};
    struct err err;

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    err_clear(&err);
    l.json = json;
    if (json)
        l.items = cli_json_array();
    if (store_contact_each(cli->st, print_contact_row, &l, &err) < 0) {
        cli_json_free(l.items);
        return cli_fail(&err);
    }
    if (json)
        return cli_json_print_items(l.items, &err) < 0 ? cli_fail(&err) : 0;
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

struct json_show {
    struct cli *cli;
    const struct contact *c;
    struct cli_json *arr;
};

static struct cli_json *contact_ref(const struct contact *c)
{
    struct cli_json *o = cli_json_object();

    cli_json_int(o, "id", c->id);
    cli_json_str(o, "name", c->name);
    return o;
}

static int json_referred(const struct contact *c, void *arg)
{
    struct json_show *j = arg;

    if (c->referred_by == j->c->id)
        cli_json_push(j->arr, contact_ref(c));
    return 0;
}

static int json_interview(const struct interview *iv, void *arg)
{
    struct json_show *j = arg;

    cli_json_push(j->arr, cli_json_interview(j->cli, iv, j->c->name));
    return 0;
}

/* 'contact show --json': the contact, its chain, whom it referred and
 * its interviews. */
static int show_json(struct cli *cli, const struct contact *c, struct err *err)
{
    struct cli_json *o = cli_json_contact(c), *chain = cli_json_array();
    struct json_show j = {cli, c, NULL};
    struct contact ref;
    int64_t next = c->referred_by;

    /* the same cap as the text: a circle stored by an older tiara */
    for (int depth = 0; next && depth < 20; depth++) {
        if (store_contact_get(cli->st, next, &ref, NULL) < 0)
            break;
        cli_json_push(chain, contact_ref(&ref));
        next = ref.referred_by;
        model_contact_release(&ref);
    }
    cli_json_set(o, "referral_chain", chain);
    j.arr = cli_json_array();
    if (store_contact_each(cli->st, json_referred, &j, err) < 0)
        goto fail;
    cli_json_set(o, "referred", j.arr);
    j.arr = cli_json_array();
    if (store_interview_each(cli->st, INT64_MIN, INT64_MAX, c->id,
                             STORE_WITH_CANCELLED, json_interview, &j, err) < 0)
        goto fail;
    cli_json_set(o, "interviews", j.arr);
    return cli_json_print(o, err);
fail:
    cli_json_free(j.arr);
    cli_json_free(o);
    return -1;
}

static int contact_show(struct cli *cli, int argc, char **argv)
{
    struct contact c, ref;
    struct err err;
    struct show_ctx s = {cli->zone, 0};
    int64_t next, depth = 0;
    int json = 0, first, rc;
    const struct cli_opt opts[] = {
        {"json", 'j', CLI_FLAG, &json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"contact show", contact_usage, "one CONTACT",
                                  1, 1};

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    err_clear(&err);
    if (store_contact_find(cli->st, argv[first], &c, &err) < 0)
        return cli_fail(&err);
    if (json) {
        rc = show_json(cli, &c, &err) < 0 ? cli_fail(&err) : 0;
        model_contact_release(&c);
        return rc;
    }
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
    struct fields f;
    struct contact c;
    struct err err;
    int first, status;

    status = parse_fields("contact edit", 1, argc, argv, &f, &first);
    if (status != CLI_CONTINUE)
        return status;
    status = 1;
    err_clear(&err);
    if (store_contact_find(cli->st, argv[first], &c, &err) < 0)
        return cli_fail(&err);
    if (apply_fields(cli, &f, &c, &err) < 0) {
        status = cli_fail(&err);
        goto out;
    }
    {
        /* the same again is no change: no new SEQUENCE, nothing to send */
        struct contact was;
        int same;

        model_contact_init(&was);
        if (store_contact_get(cli->st, c.id, &was, &err) < 0) {
            status = cli_fail(&err);
            goto out;
        }
        same = model_contact_same(&was, &c);
        model_contact_release(&was);
        if (same) {
            printf("contact #%lld %s is already so: nothing changed\n",
                   (long long)c.id, c.name);
            status = 0;
            goto out;
        }
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
    note_twins(cli, &c);
    status = 0;
out:
    model_contact_release(&c);
    return status;
}

static int contact_import(struct cli *cli, int argc, char **argv)
{
    return cli_contact_import(cli, argc, argv, contact_usage);
}

static int contact_rm(struct cli *cli, int argc, char **argv)
{
    struct contact c;
    struct err err;
    int force = 0, count = 0, first, rc;
    const struct cli_opt opts[] = {
        {"force", 0, CLI_FLAG, &force},
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"contact rm", contact_usage, "one CONTACT", 1,
                                  1};

    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    err_clear(&err);
    if (store_contact_find(cli->st, argv[first], &c, &err) < 0)
        return cli_fail(&err);
    if (store_begin(cli->st, &err) < 0)
        goto fail;
    /* calendars that imported an earlier export must hear they are gone */
    if (ics_remove_contact(cli->st, c.id, cli->now, &err) < 0)
        goto rollback;
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
        {"import", contact_import, NEED_STORE,
         "add contacts from a CSV file (LinkedIn's export)"},
    };

    return cli_dispatch_verb(cli, "contact", verbs,
                             sizeof(verbs) / sizeof(verbs[0]), contact_usage,
                             argc, argv);
}
