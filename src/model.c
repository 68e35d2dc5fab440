/* SPDX-License-Identifier: MIT */
/* model.c - record lifecycles and the checks every stored value passes */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "util.h"

void model_contact_init(struct contact *c)
{
    memset(c, 0, sizeof(*c));
}

void model_contact_release(struct contact *c)
{
    if (!c)
        return;
    free(c->uid);
    free(c->name);
    free(c->email);
    free(c->company);
    free(c->role);
    free(c->phone);
    free(c->linkedin);
    free(c->notes);
    free(c->tz);
    model_contact_init(c);
}

void model_interview_init(struct interview *iv)
{
    memset(iv, 0, sizeof(*iv));
}

void model_interview_release(struct interview *iv)
{
    if (!iv)
        return;
    free(iv->uid);
    free(iv->tz);
    free(iv->location);
    free(iv->video_url);
    free(iv->agenda);
    free(iv->notes);
    free(iv->thanks_tz);
    free(iv->title);
    model_interview_init(iv);
}

static int same_text(const char *a, const char *b)
{
    return util_empty(a) ? util_empty(b) : !util_empty(b) && !strcmp(a, b);
}

int model_interview_same(const struct interview *a, const struct interview *b)
{
    return a->contact_id == b->contact_id && a->start == b->start &&
           a->minutes == b->minutes && a->mode == b->mode &&
           a->status == b->status && a->prep_done == b->prep_done &&
           a->thanked == b->thanked && a->actual_start == b->actual_start &&
           a->actual_end == b->actual_end && same_text(a->tz, b->tz) &&
           same_text(a->location, b->location) &&
           same_text(a->video_url, b->video_url) &&
           same_text(a->agenda, b->agenda) && same_text(a->notes, b->notes) &&
           same_text(a->thanks_tz, b->thanks_tz) &&
           same_text(a->title, b->title);
}

int model_contact_same(const struct contact *a, const struct contact *b)
{
    return a->referred_by == b->referred_by && a->cadence == b->cadence &&
           a->checkin_stopped == b->checkin_stopped &&
           same_text(a->name, b->name) && same_text(a->email, b->email) &&
           same_text(a->company, b->company) && same_text(a->role, b->role) &&
           same_text(a->phone, b->phone) &&
           same_text(a->linkedin, b->linkedin) &&
           same_text(a->notes, b->notes) && same_text(a->tz, b->tz);
}

int model_interview_copy(struct interview *dst, const struct interview *src)
{
    *dst = *src;
    dst->uid = util_strdup(src->uid);
    dst->tz = util_strdup(src->tz);
    dst->location = util_strdup(src->location);
    dst->video_url = util_strdup(src->video_url);
    dst->agenda = util_strdup(src->agenda);
    dst->notes = util_strdup(src->notes);
    dst->thanks_tz = util_strdup(src->thanks_tz);
    dst->title = util_strdup(src->title);
    if ((src->uid && !dst->uid) || (src->tz && !dst->tz) ||
        (src->location && !dst->location) ||
        (src->video_url && !dst->video_url) || (src->agenda && !dst->agenda) ||
        (src->notes && !dst->notes) || (src->thanks_tz && !dst->thanks_tz) ||
        (src->title && !dst->title)) {
        model_interview_release(dst);
        return -1;
    }
    return 0;
}

void model_followup_init(struct followup *f)
{
    memset(f, 0, sizeof(*f));
}

void model_followup_release(struct followup *f)
{
    if (!f)
        return;
    free(f->uid);
    free(f->note);
    model_followup_init(f);
}

/* One field: fit to keep (util_text_problem) and no longer than 'max'. */
static int check_field(const char *what, const char *v, size_t max, int lines,
                       struct err *err)
{
    const char *why;

    if (util_empty(v))
        return 0;
    if ((why = util_text_problem(v, lines)))
        return err_set(err, ERR_INPUT, "the %s %s", what, why);
    if (strlen(v) > max)
        return err_set(err, ERR_INPUT, "the %s is longer than %zu bytes", what,
                       max);
    return 0;
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ')
            return 0;
    return 1;
}

int model_contact_validate(const struct contact *c, struct err *err)
{
    const char *at;

    if (util_empty(c->name) || blank(c->name))
        return err_set(err, ERR_INPUT, "a contact needs a name");
    if (check_field("contact name", c->name, 200, 0, err) < 0 ||
        check_field("email", c->email, 254, 0, err) < 0 ||
        check_field("company", c->company, 200, 0, err) < 0 ||
        check_field("role", c->role, 200, 0, err) < 0 ||
        check_field("phone number", c->phone, 64, 0, err) < 0 ||
        check_field("LinkedIn URL", c->linkedin, 500, 0, err) < 0 ||
        check_field("text of the notes", c->notes, 65536, 1, err) < 0)
        return -1;
    if (!util_empty(c->email)) {
        at = strchr(c->email, '@');
        if (!at || at == c->email || !at[1] || strchr(at + 1, '@') ||
            strpbrk(c->email, " \t\r\n<>,;:\""))
            return err_set(err, ERR_INPUT, "'%s' is not an email address",
                           c->email);
    }
    if (!util_empty(c->linkedin) && strncmp(c->linkedin, "https://", 8) &&
        strncmp(c->linkedin, "http://", 7))
        return err_set(err, ERR_INPUT,
                       "LinkedIn URL '%s' must start with https://",
                       c->linkedin);
    return 0;
}

int model_interview_validate(const struct interview *iv, struct err *err)
{
    if (check_field("place", iv->location, 500, 0, err) < 0 ||
        check_field("video link", iv->video_url, 2000, 0, err) < 0 ||
        check_field("agenda", iv->agenda, 500, 0, err) < 0 ||
        check_field("title", iv->title, 500, 0, err) < 0 ||
        check_field("text of the notes", iv->notes, 65536, 1, err) < 0)
        return -1;
    if (!util_empty(iv->video_url) && strpbrk(iv->video_url, " \t"))
        return err_set(err, ERR_INPUT, "the video link has a space in it");
    return 0;
}

int model_check_start(utc_t start, struct err *err)
{
    struct tm tm;
    time_t t = (time_t)start;

    if (start >= MODEL_FIRST_TIME && start < MODEL_END_TIME - 366 * 86400)
        return 0;
    if (!gmtime_r(&t, &tm))
        return err_set(err, ERR_INPUT, "that date is out of range");
    return err_set(err, ERR_INPUT,
                   "a date in %lld is out of range: tiara keeps 1970 to 2098, "
                   "so that deadlines and check-ins are real dates too",
                   (long long)tm.tm_year + 1900);
}

int model_check_minutes(long minutes, int force, struct err *err)
{
    if (minutes <= 0)
        return err_set(err, ERR_INPUT,
                       "an interview must last more than 0 minutes");
    if (minutes > MODEL_ABSURD_MINUTES)
        return err_set(err, ERR_INPUT,
                       "%ld minutes is not a plausible interview length",
                       minutes);
    if (force)
        return 0;
    if (minutes < MODEL_MIN_MINUTES)
        return err_set(
            err, ERR_INPUT,
            "%ld minutes is shorter than the usual 30-60 minute "
            "informational interview (use --force to book it anyway)",
            minutes);
    if (minutes > MODEL_MAX_MINUTES)
        return err_set(err, ERR_INPUT,
                       "%ld minutes is longer than a host usually gives "
                       "(30-60 minutes; use --force to book it anyway)",
                       minutes);
    return 0;
}

static const char *const cadence_names[] = {
    [CADENCE_QUARTERLY] = "quarterly",
    [CADENCE_SEMIANNUAL] = "semiannual",
    [CADENCE_NONE] = "none",
};

const char *model_cadence_name(enum cadence c)
{
    return cadence_names[c];
}

int model_cadence_parse(const char *s, enum cadence *out, struct err *err)
{
    if (util_streq_ci(s, "quarterly") || util_streq_ci(s, "3m")) {
        *out = CADENCE_QUARTERLY;
    } else if (util_streq_ci(s, "semiannual") || util_streq_ci(s, "6m") ||
               util_streq_ci(s, "semi-annual")) {
        *out = CADENCE_SEMIANNUAL;
    } else if (util_streq_ci(s, "none") || util_streq_ci(s, "never")) {
        *out = CADENCE_NONE;
    } else {
        return err_set(err, ERR_INPUT,
                       "unknown cadence '%s' (quarterly, semiannual or none)",
                       s ? s : "");
    }
    return 0;
}

int model_cadence_months(enum cadence c)
{
    switch (c) {
    case CADENCE_QUARTERLY:
        return 3;
    case CADENCE_SEMIANNUAL:
        return 6;
    default:
        return 0;
    }
}

static const char *const mode_names[] = {
    [MODE_IN_PERSON] = "in-person",
    [MODE_VIDEO] = "video",
    [MODE_PHONE] = "phone",
};

const char *model_mode_name(enum interview_mode m)
{
    return mode_names[m];
}

int model_mode_parse(const char *s, enum interview_mode *out)
{
    for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
        if (util_streq_ci(s, mode_names[i])) {
            *out = (enum interview_mode)i;
            return 0;
        }
    }
    return -1;
}

const char *model_status_name(enum interview_status s)
{
    return s == STATUS_CANCELLED ? "cancelled" : "scheduled";
}

int model_status_parse(const char *s, enum interview_status *out)
{
    if (util_streq_ci(s, "scheduled"))
        *out = STATUS_SCHEDULED;
    else if (util_streq_ci(s, "cancelled"))
        *out = STATUS_CANCELLED;
    else
        return -1;
    return 0;
}
