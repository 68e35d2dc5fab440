/* SPDX-License-Identifier: MIT */
/* http.h - one reusable HTTP connection for CalDAV (the only libcurl user) */
#ifndef TIARA_HTTP_H
#define TIARA_HTTP_H

#include <stdio.h>

#include "err.h"
#include "util.h"

struct http; /* opaque: a libcurl handle whose connection is kept alive */

/* How a server wants credentials; remembered per calendar so that a run
 * sends them with its first request instead of probing. */
enum http_auth {
    HTTP_AUTH_UNKNOWN,
    HTTP_AUTH_BASIC,
    HTTP_AUTH_DIGEST,
};

struct http_options {
    const char *user;     /* NULL: no credentials unless ~/.netrc has some */
    const char *password; /* copied; never logged or put in a message */
    const char *ca_file;  /* extra trust anchor; verification stays on */
    int use_netrc;        /* let libcurl read ~/.netrc (NETRC env overrides) */
    long timeout_s;       /* silent this long, a server has failed; 0: 30 s */
    int retries;          /* extra attempts on http_retry_status answers
                             and on network errors */
    long backoff_ms;      /* first wait, doubled on each retry; 0 for 200 */
    int connections;      /* requests in flight at once to the server, for
                             http_request_all; 0 for 1 */
};

/* Start and stop the HTTP library for the whole process, before any
 * thread and around every connection (main.c does it for the commands
 * that use the network). http_open starts it too when nobody did. */
int http_global_init(struct err *err);
void http_global_cleanup(void);

/* An answer worth asking again: 429, 502, 503 and 504. Not 500 (usually
 * the request is wrong) nor 501 (it will not change). */
int http_retry_status(long status);
/* How long to wait before the next attempt: the server's Retry-After
 * (seconds, 0 when absent), at most 5 s, else the back-off. */
long http_retry_wait(long backoff_ms, long retry_after_s);

/* Open a connection handle. Options are copied. */
int http_open(const struct http_options *opt, struct http **out,
              struct err *err);
void http_close(struct http *h); /* NULL is allowed */

struct http_request {
    const char *method; /* "GET", "PUT", "PROPFIND", ... */
    const char *url;
    const char *depth;        /* Depth header (RFC 4918 10.2) or NULL */
    const char *content_type; /* of the body, or NULL */
    const char *if_match;     /* an ETag, or NULL */
    int if_none_match_any;    /* send If-None-Match: * */
    const char *body;
    size_t body_len;
    FILE *sink;   /* write the answer here instead of 'body' */
    int no_retry; /* one attempt only, whatever the answer */
};

struct http_response {
    long status;
    char *etag;         /* ETag header, quotes kept; NULL if absent */
    char *location;     /* Location header or NULL */
    char *content_type; /* or NULL */
    char *url;          /* where the answer came from, after redirects */
    struct buf body;    /* unless the request named a sink */
};

void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r); /* NULL is allowed */

/* Send 'req' and fill 'resp' (released first). Network failures, 5xx
 * (except 500 and 501) and 429 are retried with a doubling wait; then
 * the last answer is returned or ERR_NET is set. An HTTP error status is
 * not a failure here: callers judge resp->status. */
int http_request(struct http *h, const struct http_request *req,
                 struct http_response *resp, struct err *err);

/* What became of one request of http_request_all. */
enum http_outcome {
    HTTP_NOT_SENT, /* not done there: send it with http_request (the
                      server was failing, or the answer needs a redirect
                      or a new auth probe, which that path handles) */
    HTTP_ANSWERED, /* 'resp' holds the final answer */
    HTTP_FAILED,   /* no answer: 'err' says why, as http_request would */
};

struct http_exchange {
    const struct http_request *req; /* borrowed; no sink */
    struct http_response resp;      /* initialised by the caller */
    enum http_outcome outcome;
    struct err err;
};

/* Told just before request 'i' goes out (done 0) and when its answer is
 * final (done 1), so a caller can place crash points as around
 * http_request. */
typedef void (*http_event_fn)(void *ctx, size_t i, int done);

/* Send the 'n' requests at once, at most 'connections' in flight (over
 * that many connections, or multiplexed on one where the server speaks
 * HTTP/2), and fill each exchange. Retries are as http_request's but
 * shared: an answer worth asking again (429, 503 with or without
 * Retry-After, ...) holds back every request not yet sent for its wait,
 * and once the retries are used up nothing more starts here (the rest
 * are HTTP_NOT_SENT). Never fails as a whole. */
void http_request_all(struct http *h, struct http_exchange *x, size_t n,
                      http_event_fn fn, void *ctx);
/* The requests http_request_all has in flight at most (1 or more). */
int http_connections(const struct http *h);

/* Send credentials with the first request, by the scheme that worked
 * last time (HTTP_AUTH_UNKNOWN: probe); a 401 probes again once. */
void http_set_auth(struct http *h, enum http_auth a);
/* The scheme credentials went with, once a server asked for them. */
enum http_auth http_auth_used(const struct http *h);

struct http_stats {
    long requests;        /* HTTP exchanges, redirects and retries included */
    long long bytes_sent; /* headers and bodies */
    long long bytes_received;
};
void http_get_stats(const struct http *h, struct http_stats *out);

/* The length of the "scheme://" that begins 'url', or 0 when it does not
 * begin with one (RFC 3986 3.1): "/a?u=https://b/" is a path. */
size_t http_scheme_len(const char *url);

/* Copy 'url' into 'out' (size n) without any user:password@ part, so it
 * can go into a message. */
void http_redact_url(const char *url, char *out, size_t n);

/* Is 'to' a place credentials and data given for 'from' may go: the same
 * scheme, host and port, or the same host moving up from http to https
 * (default ports spelt out or not)? */
int http_may_move(const char *from, const char *to);

/* Resolve 'ref' (an absolute URL, an absolute path or a path relative to
 * the folder of 'base') against 'base'; anything but an absolute URL stays
 * on the origin of 'base' ("//host/" too is a path there). Caller frees;
 * NULL on OOM. */
char *http_resolve(const char *base, const char *ref);

#endif
