/* SPDX-License-Identifier: MIT */
/* ics.h - the iCalendar entries each interview implies, export and import */
#ifndef TIARA_ICS_H
#define TIARA_ICS_H

#include <stdio.h>

#include "err.h"
#include "model.h"
#include "store.h"

/* What a calendar resource holds. Each kind has a stable UID:
 * the interview's own UID, "<uid>-prep", "<uid>-thanks", the contact's
 * "<contact uid>-checkin" and the follow-up's UID. */
enum ics_kind {
    ICS_KIND_INTERVIEW, /* VEVENT with VALARM */
    ICS_KIND_PREP,      /* VTODO due before the interview */
    ICS_KIND_THANKS,    /* VTODO due at the end of the next day */
    ICS_KIND_CHECKIN,   /* VEVENT with RRULE, one series per contact */
    ICS_KIND_LANDED,    /* VTODO "tell them I landed a job" */
};

/* Told of an entry left out because it cannot be written (a date
 * stored before tiara bounded them); 'what' names it. */
typedef void (*ics_skip_fn)(void *ctx, const char *what, const char *why);

struct ics_options {
    int todo_as_event; /* deadlines as short VEVENTs, for VEVENT-only calendars
                        */
    int with_notes;    /* include private notes (off for anything shared) */
    /* With 'skip', an entry that cannot be written is left out and told
     * of, and the rest goes on; without (sync: a missing entry would be
     * deleted from the server), it fails the whole walk. */
    ics_skip_fn skip;
    void *skip_ctx;
};

/* One resource: a whole VCALENDAR with the VTIMEZONE it needs. */
struct ics_entry {
    enum ics_kind kind;
    const char *uid;
    const char *text;     /* RFC 5545 text, CRLF line ends */
    int64_t interview_id; /* 0 for check-ins and follow-ups */
    int64_t contact_id;
};
typedef int (*ics_entry_fn)(const struct ics_entry *e, void *ctx);

/* Call 'fn' for every entry the store implies now: scheduled interviews
 * and their tasks, live check-in series, follow-ups. A non-zero return
 * from 'fn' stops the walk and is returned. */
int ics_each_entry(struct store *st, const struct ics_options *opt,
                   ics_entry_fn fn, void *ctx, struct err *err);

struct ics_filter {
    utc_t from, to;     /* interviews starting in [from, to); 0, 0 for all */
    int64_t contact_id; /* 0 for all */
    utc_t now;          /* for removed contacts' entries; 0 keeps all */
};

/* How long a removed contact's entries stay in exports, cancelled. */
#define ICS_REMOVED_KEPT ((utc_t)365 * 86400)

/* Write one VCALENDAR with everything matching 'f' to 'out', streaming:
 * memory does not grow with the number of interviews. What was
 * cancelled comes too, as STATUS:CANCELLED with a higher SEQUENCE, so
 * that a calendar that imported an earlier file drops it: a cancelled
 * interview's tasks, a check-in series stopped before its first
 * check-in or with no interview left, and for ICS_REMOVED_KEPT after
 * 'f->now' the entries of removed contacts (ics_remove_contact). */
int ics_export(struct store *st, const struct ics_filter *f,
               const struct ics_options *opt, FILE *out, struct err *err);

/* Keep what contact 'contact_id' (or the one interview) implies now,
 * cancelled at 'now', for later exports; call it before removing it, in
 * the same transaction. */
int ics_remove_interview(struct store *st, const struct interview *iv,
                         utc_t now, struct err *err);
int ics_remove_contact(struct store *st, int64_t contact_id, utc_t now,
                       struct err *err);

struct ics_import_report {
    int interviews_added;
    int interviews_updated;
    int interviews_cancelled;
    int contacts_added;
    int tasks_updated; /* thank-you or preparation ticked off */
    int answers;       /* a host's REPLY recorded */
    int proposals;     /* a host's COUNTER recorded */
    int skipped;       /* components tiara does not keep, each told of */
    int refused;       /* events that could not be read, each told of */
    int entries;       /* components read (VTIMEZONE aside) */
};

/* A span of time the user's own calendar holds (an event not tiara's). */
struct ics_busy {
    const char *summary; /* or NULL */
    utc_t start, end;
};
typedef int (*ics_busy_fn)(const struct ics_busy *b, void *ctx);
/* Call 'fn' for every busy span in 'text' that overlaps [from, to): the
 * timed instances of opaque VEVENTs that are not cancelled, series
 * expanded (EXDATE skipped, a RECURRENCE-ID override in place of its
 * instance). All-day events are not busy. Unreadable text has none. A
 * non-zero return from 'fn' stops the walk and is returned. */
int ics_busy_each(const char *text, utc_t from, utc_t to, ics_busy_fn fn,
                  void *ctx);

enum ics_note_kind {
    ICS_NOTE_TAKEN,   /* taken, with something the user should know */
    ICS_NOTE_SKIPPED, /* left out on purpose: not an interview, older */
    ICS_NOTE_REFUSED, /* could not be read: the reason says what to fix */
};
/* One line about one event: "event 'UID' (\"Summary\", 2026-12-10):
 * reason". */
typedef void (*ics_note_fn)(void *ctx, enum ics_note_kind kind,
                            const char *line);

struct ics_import_options {
    const char *me;      /* the user's own address, or NULL */
    int default_minutes; /* an event with neither DTEND nor DURATION; 0: 30 */
    /* The text is newer than the store (sync: only the server changed it
     * since the last agreement), so what it says wins even when the
     * client that changed it left LAST-MODIFIED alone. */
    int newer;
    int strict;       /* the first event refused refuses the whole text */
    int dry_run;      /* report, then roll everything back */
    int plain_events; /* events with no one but the user on them are
                         interviews too (sync and adopt: already chosen) */
    ics_note_fn note; /* may be NULL */
    void *note_ctx;
};

/* Read iCalendar text: tiara's own export (restored exactly), an
 * invitation from someone else (an interview with its host), or a host's
 * iTIP message about one (RFC 5546: a newer REQUEST, CANCEL, REPLY,
 * COUNTER). One transaction: each usable event is taken, each other one
 * is told of through opt->note and counted; with opt->strict the first
 * refusal fails the whole text with 'err' set. A text that cannot be read
 * at all, or a store failure, returns -1 and stores nothing. 'now'
 * stamps new records. */
int ics_import(struct store *st, const char *text, const char *source,
               utc_t now, const struct ics_import_options *opt,
               struct ics_import_report *rep, struct err *err);
/* ics_import of the file open as 'f' (seekable, read from its start),
 * with the same outcome, read one component at a time so that memory
 * does not grow with the file; an invitation taken by an earlier import
 * and unchanged since, in the file and in the store, is only looked up.
 * The notes come when the import has ended. */
int ics_import_file(struct store *st, FILE *f, const char *source, utc_t now,
                    const struct ics_import_options *opt,
                    struct ics_import_report *rep, struct err *err);

#endif
