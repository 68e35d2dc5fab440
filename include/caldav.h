/* SPDX-License-Identifier: MIT */
/* caldav.h - CalDAV: WebDAV XML, discovery and two-way sync */
#ifndef TIARA_CALDAV_H
#define TIARA_CALDAV_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "http.h"
#include "model.h"
#include "store_sync.h"

/* ---- WebDAV multistatus (RFC 4918 13, RFC 6578, RFC 4791) ---- */

enum {
    CALDAV_COMP_VEVENT = 1 << 0,
    CALDAV_COMP_VTODO = 1 << 1,
    CALDAV_COMP_VJOURNAL = 1 << 2,
    CALDAV_COMP_OTHER = 1 << 3,
};

/* What one <response> says; strings are borrowed for the callback only.
 * Properties come only from a propstat whose status is 2xx. */
struct caldav_item {
    const char *href; /* as the server wrote it */
    int status;       /* response-level status, 0 when absent */
    const char *etag;
    const char *ctag;       /* CS:getctag */
    const char *sync_token; /* the DAV:sync-token property */
    const char *displayname;
    const char *calendar_data;
    const char *principal; /* current-user-principal/href */
    const char *home_set;  /* calendar-home-set/href */
    int is_collection;
    int is_calendar;
    unsigned components; /* CALDAV_COMP_*; 0 when not listed */
    int supports_sync;   /* sync-collection in supported-report-set */
};
typedef int (*caldav_item_fn)(const struct caldav_item *it, void *ctx);

struct caldav_multistatus {
    char *sync_token; /* the top-level sync-token (RFC 6578 6.4) or NULL */
    int truncated;    /* a 507 for the request URI: ask again (RFC 6578 3.6) */
    int responses;
};
void caldav_multistatus_release(struct caldav_multistatus *ms);

/* Parse a multistatus with libxml2's streaming reader, calling 'fn' for
 * each <response>, so memory does not grow with the listing. 'what'
 * names the source in messages. A non-zero return from 'fn' stops the
 * walk and is returned. Malformed XML is an ERR_PARSE. */
int caldav_xml_parse_mem(const char *data, size_t len, const char *what,
                         caldav_item_fn fn, void *ctx,
                         struct caldav_multistatus *ms, struct err *err);
int caldav_xml_parse_fd(int fd, const char *what, caldav_item_fn fn, void *ctx,
                        struct caldav_multistatus *ms, struct err *err);

/* Escape '&', '<', '>' and quotes for XML text; caller frees. */
char *caldav_xml_escape(const char *s);

/* ---- hrefs ---- */

/* The canonical form of an href or URL: its path only, percent-decoded
 * and then encoded again the same way every time, so "a b@c" and
 * "a%20b%40c" compare equal. Caller frees; NULL on OOM. */
char *caldav_href_normalise(const char *href);
/* The href tiara uses for a new resource 'uid' in 'collection' (a
 * canonical path ending in '/'): safe characters kept, the rest folded,
 * with a short hash when anything was folded. Caller frees. */
char *caldav_href_for_uid(const char *collection, const char *uid);

/* ---- discovery (RFC 6764, RFC 4791 6.2) ---- */

struct caldav_calendar_info {
    char *url;           /* absolute URL of the collection */
    char *display_name;  /* or NULL */
    unsigned components; /* CALDAV_COMP_*; 0 when the server does not say */
    int supports_sync;
    char *sync_token; /* when the server gave one */
    char *ctag;
};
void caldav_calendar_info_release(struct caldav_calendar_info *ci);
typedef int (*caldav_calendar_fn)(const struct caldav_calendar_info *ci,
                                  void *ctx);

/* Find the calendars reachable from 'start': a URL (a calendar, a home,
 * a principal or a server root), or a domain or email address for DNS
 * SRV/TXT and /.well-known/caldav. Calls 'fn' once per calendar. A 401 is
 * an ERR_AUTH; finding none is ERR_NOT_FOUND. */
int caldav_discover(struct http *h, const char *start, caldav_calendar_fn fn,
                    void *ctx, struct err *err);
/* Read one calendar's properties (Depth 0); ERR_NOT_FOUND if 'url' is not
 * a calendar. */
int caldav_probe(struct http *h, const char *url,
                 struct caldav_calendar_info *out, struct err *err);

/* ---- content identity ---- */

#define CALDAV_HASH_LEN 33 /* 32 hex digits and a NUL */

/* A hash of iCalendar text that ignores what servers rewrite without an
 * edit: line folding and line ends, property and parameter order, quotes
 * around parameter values, VTIMEZONE blocks, DTSTAMP and PRODID. */
void caldav_content_hash(const char *text, char out[CALDAV_HASH_LEN]);
/* The UID of the first component that is not a VTIMEZONE; caller frees;
 * NULL when there is none. */
char *caldav_ics_uid(const char *text);
/* The value of the first property 'name' outside VTIMEZONE, unfolded;
 * caller frees; NULL when absent. */
char *caldav_ics_prop(const char *text, const char *name);

/* ---- two-way sync ---- */

typedef void (*caldav_note_fn)(void *ctx, const char *msg);
typedef void (*caldav_progress_fn)(void *ctx, long done, long total);

/* Who wins when both sides changed an entry. */
enum caldav_conflict {
    CALDAV_CONFLICT_NEWEST, /* the later LAST-MODIFIED */
    CALDAV_CONFLICT_LOCAL,
    CALDAV_CONFLICT_REMOTE,
    CALDAV_CONFLICT_BOTH, /* keep both, the remote one under a new UID */
};
/* "newest", "local", "remote" or "both": what a kept loser records. */
const char *caldav_conflict_name(enum caldav_conflict p);

/* How deadlines go to a calendar. */
enum caldav_todo {
    CALDAV_TODO_AUTO, /* VTODO when the calendar accepts it */
    CALDAV_TODO_VTODO,
    CALDAV_TODO_VEVENT,
};

struct caldav_sync_options {
    int dry_run;      /* look, but change nothing anywhere */
    int force_delete; /* allow many or all deletions */
    enum caldav_conflict conflict;
    int notes; /* send private notes */
    /* Take an invitation found in the calendar (an event with an
     * ORGANIZER) as an interview; otherwise it is foreign, left alone. */
    int adopt_invitations;
    const char *me; /* the user's own address (not the host), or NULL */
    enum caldav_todo todo;
    int max_delete; /* deletions allowed without force */
    utc_t now;
    caldav_note_fn note;         /* one line per conflict or failed item */
    caldav_progress_fn progress; /* may be NULL */
    void *ctx;
};

struct caldav_sync_stats {
    int sent_new, sent_changed, sent_deleted;
    int got_new, got_changed, got_deleted;
    int conflicts;
    int foreign; /* objects not tiara's seen new or changed: left alone */
    int failed;  /* items that could not be sent or taken in */
    int refused_deletes; /* deletions held back without --force-delete */
    struct http_stats http;
};

/* Bring the store and calendar 'cal' into agreement (see docs/sync.md).
 * Items that fail are counted in stats->failed and named through
 * opt->note, and the rest still sync. Returns -1 (with 'err') only when
 * the calendar could not be synced at all: network, auth, the store. */
int caldav_sync(struct store *st, struct http *h,
                const struct store_sync_calendar *cal,
                const struct caldav_sync_options *opt,
                struct caldav_sync_stats *stats, struct err *err);

/* The upgrade from a database where other people's events became
 * interviews (docs/sync.md): each such interview nobody worked with goes
 * back to being foreign, with the contact made for it; the tasks tiara
 * derived go from the servers at the next sync; the events stay. */
enum caldav_review_verdict {
    CALDAV_REVIEW_UNDONE,          /* foreign again */
    CALDAV_REVIEW_KEPT_USED,       /* notes, the timer, a tick: kept */
    CALDAV_REVIEW_KEPT_INVITATION, /* an invitation the calendar adopts */
};
typedef void (*caldav_review_fn)(void *ctx, const struct interview *iv,
                                 const struct contact *host,
                                 enum caldav_review_verdict v);
struct caldav_review_options {
    int dry_run; /* count and report, change nothing */
    int adopt_invitations;
    caldav_review_fn report; /* each interview looked at; may be NULL */
    void *ctx;
};
struct caldav_review {
    int interviews; /* made foreign again */
    int contacts;   /* made-up contacts removed */
    int entries;    /* tiara's entries to delete from calendars */
    int kept;       /* looked like someone else's, kept */
};
/* Once per database, at the first sync after the upgrade; a no-op after. */
int caldav_review_upgrade(struct store *st,
                          const struct caldav_review_options *o,
                          struct caldav_review *rep, struct err *err);

#endif
