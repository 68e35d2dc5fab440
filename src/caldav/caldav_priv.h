/* SPDX-License-Identifier: MIT */
/* caldav_priv.h - what the CalDAV source files share; not a public header */
#ifndef TIARA_CALDAV_PRIV_H
#define TIARA_CALDAV_PRIV_H

#include "caldav.h"
#include "http.h"

/* Send a WebDAV request whose answer should be a multistatus, spool the
 * answer to a temporary file and parse it there, so memory does not grow
 * with the listing. *status gets the HTTP status; only a 207 is parsed
 * (anything else returns 0 with no callbacks: the caller judges). */
int caldav_dav(struct http *h, const char *method, const char *url,
               const char *depth, const char *body, caldav_item_fn fn,
               void *ctx, struct caldav_multistatus *ms, long *status,
               struct err *err);

/* The URL for an href (a path) on the server of 'base'; caller frees. */
char *caldav_url_for(const char *base, const char *href);

/* RFC 6764 6: the URL that the answers to the SRV and TXT queries for
 * _caldavs._tcp.DOMAIN name ("https://target:port/path"; the well-known
 * path when no TXT record gives one). 'srv' and 'txt' are whole DNS
 * messages as res_query returns them; 'txt' may be NULL. NULL when the
 * SRV answer names no host, or on OOM. Caller frees. */
char *caldav_srv_url(const unsigned char *srv, size_t srv_len,
                     const unsigned char *txt, size_t txt_len);

/* 'local' (tiara's rendering now) applied to 'remote' (what the server
 * holds): a property or alarm set tiara changed since 'base' (its
 * rendering when the two last agreed; NULL when unknown) takes its local
 * lines, everything else keeps the server's bytes, components tiara added
 * or removed since 'base' are added or removed. Caller frees; NULL when a
 * text cannot be read (then send 'local'). */
char *caldav_merge(const char *base, const char *local, const char *remote);
/* A copy of 'text' whose UID lines say 'uid'; caller frees. */
char *caldav_ics_with_uid(const char *text, const char *uid);

#endif
