/* SPDX-License-Identifier: MIT */
/* caldav.h - CalDAV: WebDAV XML, discovery and two-way sync */
#ifndef TIARA_CALDAV_H
#define TIARA_CALDAV_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "http.h"
#include "model.h"
#include "store.h"

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
    const char *href;          /* as the server wrote it */
    int status;                /* response-level status, 0 when absent */
    const char *etag;
    const char *ctag;          /* CS:getctag */
    const char *sync_token;    /* the DAV:sync-token property */
    const char *displayname;
    const char *calendar_data;
    const char *principal;     /* current-user-principal/href */
    const char *home_set;      /* calendar-home-set/href */
    int is_collection;
    int is_calendar;
    unsigned components;       /* CALDAV_COMP_*; 0 when not listed */
    int supports_sync;         /* sync-collection in supported-report-set */
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
int caldav_xml_parse_fd(int fd, const char *what, caldav_item_fn fn,
                        void *ctx, struct caldav_multistatus *ms,
                        struct err *err);

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

#endif
