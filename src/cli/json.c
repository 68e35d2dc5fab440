/* SPDX-License-Identifier: MIT */
/* json.c - the --json output of the listing and show commands, written
 * with jansson; the field names are a promise kept in docs/json.md */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rules.h"
#include "tz.h"
#include "util.h"

/* One process prints one document, so one flag is enough to carry a
 * failed allocation from any setter to the print. */
static int json_failed;

static json_t *J(struct cli_json *j)
{
    return (json_t *)j;
}

static struct cli_json *wrap(json_t *j)
{
    if (!j)
        json_failed = 1;
    return (struct cli_json *)j;
}

struct cli_json *cli_json_object(void)
{
    return wrap(json_object());
}

struct cli_json *cli_json_array(void)
{
    return wrap(json_array());
}

void cli_json_free(struct cli_json *j)
{
    json_decref(J(j));
}

/* Set 'key' to 'v', which the object takes (also when it fails). */
static void put(struct cli_json *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(J(o), key, v) < 0) {
        json_failed = 1;
        if (!o)
            json_decref(v);
    }
}

/* jansson takes only UTF-8; stored text is that unless an older tiara or
 * a hand edit put something else there. */
static json_t *text(const char *s)
{
    json_t *v;
    char *copy;

    if (!s)
        return json_null();
    if ((v = json_string(s)))
        return v;
    if (!(copy = strdup(s)))
        return NULL;
    util_text_clean_lines(copy, strlen(copy));
    v = json_string(copy);
    free(copy);
    return v;
}

void cli_json_str(struct cli_json *o, const char *key, const char *v)
{
    put(o, key, text(v));
}

void cli_json_int(struct cli_json *o, const char *key, int64_t v)
{
    put(o, key, json_integer((json_int_t)v));
}

void cli_json_bool(struct cli_json *o, const char *key, int v)
{
    put(o, key, json_boolean(v));
}

void cli_json_id(struct cli_json *o, const char *key, int64_t id)
{
    put(o, key, id ? json_integer((json_int_t)id) : json_null());
}

void cli_json_time(struct cli_json *o, const char *key, utc_t t)
{
    struct civil c;
    char s[32];

    tz_civil_from_epoch(t, &c);
    snprintf(s, sizeof(s), "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month,
             c.day, c.hour, c.minute, c.second);
    put(o, key, json_string(s));
}

void cli_json_time_or_null(struct cli_json *o, const char *key, utc_t t)
{
    if (t)
        cli_json_time(o, key, t);
    else
        put(o, key, json_null());
}

void cli_json_set(struct cli_json *o, const char *key, struct cli_json *v)
{
    put(o, key, J(v));
}

void cli_json_push(struct cli_json *a, struct cli_json *v)
{
    if (!a || !v || json_array_append_new(J(a), J(v)) < 0) {
        json_failed = 1;
        if (!a)
            json_decref(J(v));
    }
}

void cli_json_push_str(struct cli_json *a, const char *s)
{
    cli_json_push(a, wrap(text(s)));
}

/* The code point of the 1 to 3 byte UTF-8 sequence at 's'. */
static unsigned code_point(const unsigned char *s, int len)
{
    if (len == 1)
        return s[0];
    if (len == 2)
        return (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
    return (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 |
           (s[2] & 0x3f);
}

int cli_json_print(struct cli_json *doc, struct err *err)
{
    char *s = NULL;
    struct buf out;
    size_t n, i = 0;
    int ret = -1;

    buf_init(&out);
    if (json_failed || !doc || !(s = json_dumps(J(doc), JSON_INDENT(2))))
        goto out;
    /* jansson writes controls below U+0020 as \u00XX itself; the rest of
     * what a terminal obeys can only stand inside a string, where an
     * escape means the same character (RFC 8259 section 7). */
    n = strlen(s);
    while (i < n) {
        int k = cli_control_at(s, n, i);

        if (k > 0) {
            buf_printf(&out, "\\u%04X",
                       code_point((const unsigned char *)s + i, k));
            i += (size_t)k;
        } else {
            buf_add(&out, s + i, 1);
            i++;
        }
    }
    if (buf_adds(&out, "\n") < 0)
        goto out;
    fputs(out.data, stdout);
    ret = 0;
out:
    if (ret < 0)
        err_set(err, ERR_NOMEM, "out of memory writing the JSON output");
    json_failed = 0;
    free(s);
    buf_release(&out);
    cli_json_free(doc);
    return ret;
}

int cli_json_print_items(struct cli_json *items, struct err *err)
{
    struct cli_json *doc = cli_json_object();

    cli_json_set(doc, "items", items);
    return cli_json_print(doc, err);
}

/* The host's answer and a proposal not taken, from the iTIP messages. */
static void itip_fields(struct cli *cli, struct cli_json *o,
                        const struct interview *iv)
{
    struct store_itip it;

    if (store_itip_get(cli->st, iv->uid, &it, NULL) < 0)
        memset(&it, 0, sizeof(it));
    cli_json_str(o, "host_answer", it.answer[0] ? it.answer : NULL);
    cli_json_time_or_null(o, "host_proposes",
                          it.proposed_start != iv->start ? it.proposed_start
                                                         : 0);
}

struct cli_json *cli_json_interview(struct cli *cli, const struct interview *iv,
                                    const char *host_name)
{
    struct cli_json *o = cli_json_object();
    const char *thanks_zone = rules_thanks_zone(iv);
    /* a cancelled interview has no tasks left to do */
    int tasks = iv->status == STATUS_SCHEDULED;
    utc_t due;

    cli_json_int(o, "id", iv->id);
    cli_json_str(o, "uid", iv->uid);
    cli_json_int(o, "contact_id", iv->contact_id);
    cli_json_str(o, "contact", host_name);
    cli_json_str(o, "title", iv->title);
    cli_json_time(o, "start", iv->start);
    cli_json_time(o, "end", iv->start + (utc_t)iv->minutes * 60);
    cli_json_int(o, "minutes", iv->minutes);
    cli_json_str(o, "zone", iv->tz);
    cli_json_str(o, "mode", model_mode_name(iv->mode));
    cli_json_str(o, "location", iv->location);
    cli_json_str(o, "video_url", iv->video_url);
    cli_json_str(o, "agenda", iv->agenda);
    cli_json_str(o, "status", model_status_name(iv->status));
    cli_json_time_or_null(o, "prepared", iv->prep_done);
    if (!tasks || rules_prep_due(iv, &due, NULL) != 0)
        due = 0;
    cli_json_time_or_null(o, "prepare_due", due);
    cli_json_time_or_null(o, "thanked", iv->thanked);
    if (!tasks || rules_thanks_due(iv, thanks_zone, &due, NULL) != 0)
        due = 0;
    cli_json_time_or_null(o, "thanks_due", due);
    cli_json_str(o, "thanks_zone", thanks_zone);
    cli_json_time_or_null(o, "held_start", iv->actual_start);
    cli_json_time_or_null(o, "held_end", iv->actual_start ? iv->actual_end : 0);
    cli_json_str(o, "notes", iv->notes);
    itip_fields(cli, o, iv);
    cli_json_int(o, "sequence", iv->seq);
    cli_json_time(o, "created", iv->created);
    cli_json_time(o, "modified", iv->modified);
    return o;
}

struct cli_json *cli_json_contact(const struct contact *c)
{
    struct cli_json *o = cli_json_object();

    cli_json_int(o, "id", c->id);
    cli_json_str(o, "uid", c->uid);
    cli_json_str(o, "name", c->name);
    cli_json_str(o, "email", c->email);
    cli_json_str(o, "company", c->company);
    cli_json_str(o, "role", c->role);
    cli_json_str(o, "phone", c->phone);
    cli_json_str(o, "linkedin", c->linkedin);
    cli_json_str(o, "zone", c->tz);
    cli_json_str(o, "notes", c->notes);
    cli_json_id(o, "referred_by", c->referred_by);
    cli_json_str(o, "cadence", model_cadence_name(c->cadence));
    cli_json_time_or_null(o, "checkins_stopped", c->checkin_stopped);
    cli_json_int(o, "sequence", c->seq);
    cli_json_time(o, "created", c->created);
    cli_json_time(o, "modified", c->modified);
    return o;
}
