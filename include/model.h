/* SPDX-License-Identifier: MIT */
/* model.h - contact and interview records and their validation; no I/O */
#ifndef TIARA_MODEL_H
#define TIARA_MODEL_H

#include <stdint.h>

#include "err.h"

/* Seconds since the Unix epoch, UTC. */
typedef int64_t utc_t;

enum cadence {
    CADENCE_QUARTERLY,  /* every 3 months: the DOMAIN.md default */
    CADENCE_SEMIANNUAL, /* every 6 months */
    CADENCE_NONE,
};

struct contact {
    int64_t id;
    char *uid; /* stable, used for the check-in series */
    char *name;
    char *email;
    char *company;
    char *role;
    char *phone;
    char *linkedin;
    char *notes;         /* private: never exported unless asked */
    char *tz;            /* host's zone (IANA name) or NULL if unknown */
    int64_t referred_by; /* contact id or 0 */
    enum cadence cadence;
    utc_t checkin_stopped; /* 0 while check-ins recur */
    int seq;               /* bumped on every change to it or its interviews */
    utc_t created;
    utc_t modified;
};

enum interview_mode {
    MODE_IN_PERSON,
    MODE_VIDEO,
    MODE_PHONE,
};

enum interview_status {
    STATUS_SCHEDULED,
    STATUS_CANCELLED,
};

struct interview {
    int64_t id;
    char *uid; /* the VEVENT's UID; derived entries build on it */
    int64_t contact_id;
    utc_t start;
    int minutes;
    char *tz; /* zone the interview was booked in */
    enum interview_mode mode;
    char *location; /* in person: a place; phone: a number */
    char *video_url;
    char *agenda; /* "intro:5,questions:20,next:5" or NULL */
    enum interview_status status;
    utc_t prep_done;    /* 0 while the preparation task is open */
    utc_t thanked;      /* 0 while the thank-you note is due */
    utc_t actual_start; /* from the timer; 0 if not timed */
    utc_t actual_end;
    char *notes; /* private meeting notes */
    /* The zone whose day the thank-you is due by, when not the
     * interview's own (see rules_thanks_zone). */
    char *thanks_tz;
    char *title; /* the user's own title (a phone's), or NULL for tiara's */
    int seq;     /* RFC 5545 SEQUENCE, bumped on every change */
    utc_t created;
    utc_t modified;
};

/* "I landed a job": one follow-up per host met. */
struct followup {
    int64_t id;
    char *uid;
    int64_t contact_id;
    utc_t due;
    utc_t done; /* 0 while open */
    char *note;
    int seq;
    utc_t created;
    utc_t modified;
};

/* Shortest and longest interview accepted without --force (DOMAIN.md). */
#define MODEL_MIN_MINUTES 30
#define MODEL_MAX_MINUTES 60
/* Longest slot accepted even with --force: anything beyond is a typo. */
#define MODEL_ABSURD_MINUTES (12 * 60)

void model_contact_init(struct contact *c);
void model_contact_release(struct contact *c);
void model_interview_init(struct interview *iv);
void model_interview_release(struct interview *iv);
/* A deep copy of 'src' into 'dst' (not initialised); -1 on out of memory,
 * with 'dst' left empty. */
int model_interview_copy(struct interview *dst, const struct interview *src);
/* Equal in everything a user can set (ids, counters and stamps aside):
 * a change that leaves a record the same is no change at all. */
int model_interview_same(const struct interview *a, const struct interview *b);
int model_contact_same(const struct contact *a, const struct contact *b);
void model_followup_init(struct followup *f);
void model_followup_release(struct followup *f);

/* Check a contact before it is stored: a name, a plausible email and URL. */
int model_contact_validate(const struct contact *c, struct err *err);
/* The same for an interview's own text: place, video link, agenda, title
 * and notes. */
int model_interview_validate(const struct interview *iv, struct err *err);

/* Check an interview's length: 30-60 minutes unless 'force', never
 * zero, negative or absurd. */
int model_check_minutes(long minutes, int force, struct err *err);
/* Dates tiara keeps: 1970-01-01 up to the end of 2099, so that every
 * deadline and check-in derived from them is a real date too (a booking
 * in 9999 made every export fail). */
#define MODEL_FIRST_TIME ((utc_t)0)
#define MODEL_END_TIME ((utc_t)4102444800) /* 2100-01-01T00:00Z */
int model_check_start(utc_t start, struct err *err);

const char *model_cadence_name(enum cadence c);
int model_cadence_parse(const char *s, enum cadence *out, struct err *err);
/* Months between check-ins, 0 for none. */
int model_cadence_months(enum cadence c);

const char *model_mode_name(enum interview_mode m);
int model_mode_parse(const char *s, enum interview_mode *out);
const char *model_status_name(enum interview_status s);
int model_status_parse(const char *s, enum interview_status *out);

#endif
