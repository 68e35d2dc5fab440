/* SPDX-License-Identifier: MIT */
/* http_priv.h - what http.c and http_multi.c share; not a public header */
#ifndef TIARA_HTTP_PRIV_H
#define TIARA_HTTP_PRIV_H

#include <curl/curl.h>

#include "http.h"

struct http {
    CURL *curl;
    char *user;
    char *password;
    char *ca_file;
    int use_netrc;
    long timeout_s;
    int retries;
    long backoff_ms;
    long auth_pinned; /* the scheme that worked, so later requests skip
                         the unauthenticated probe */
    int auth_given;   /* auth_pinned came from an earlier run: it may be
                         out of date */
    int forget_auth;  /* drop libcurl's auth state before the next request */
    int pool_forget;  /* the same, for the handles of http_request_all */
    int gave_up;      /* the last request used up its retries: the next
                         gets one attempt until something succeeds */
    struct http_stats stats;
    char curl_error[CURL_ERROR_SIZE]; /* libcurl's detail of the last error */
    /* http_request_all: one multi handle whose connections stay open
     * between calls, and one easy handle per request in flight */
    int connections;
    CURLM *multi;
    CURL **pool;
};

/* What one attempt's answer (or failure) calls for. */
enum http_verdict {
    HTTP_V_DONE,    /* resp holds the final answer */
    HTTP_V_FAIL,    /* err is set */
    HTTP_V_RETRY,   /* worth asking again after the back-off */
    HTTP_V_REPROBE, /* a remembered auth scheme failed: ask again now */
};

struct http_sinkctx {
    struct http_response *resp;
    FILE *sink;
    int too_big;
    int headers_too_big;
    size_t header_bytes;
    int sink_errno; /* the caller's file would not take the answer */
    int stalled;
    long answers; /* status lines seen: each is one exchange */
    size_t sunk;  /* bytes written to the sink by this attempt */
    long retry_after;
    /* stall watch: bytes moved by the start of the current window */
    long window_ms;
    long window_start_ms;
    curl_off_t window_bytes;
};

long http_now_ms(void);

/* Set every option of 'req' on 'c' ('errbuf' gets libcurl's detail);
 * *hdrs is the caller's to free after the transfer. -1 when out of
 * memory. */
int http_set_options(struct http *h, CURL *c, char *errbuf,
                     const struct http_request *req, struct curl_slist **hdrs,
                     struct http_sinkctx *ctx);

/* Count an attempt on 'c' and judge what it got ('rc'); 'last' when no
 * retry is left. Fills resp->status and resp->url. */
enum http_verdict http_judge(struct http *h, CURL *c, const char *errbuf,
                             const struct http_request *req,
                             struct http_response *resp,
                             struct http_sinkctx *ctx, CURLcode rc, int last,
                             struct err *err);

int http_is_redirect(long status);

/* Make (once) the multi handle and the easy handles of
 * http_request_all, one per request in flight; -1 when out of memory. */
int http_pool_ready(struct http *h);

/* After the redirect in 'resp' to 'hop' (the 'hops'th), point 'hop' at
 * where it leads (a string kept in *owned), or set err when it may not
 * be followed. */
int http_next_hop(const struct http_request *req, struct http_request *hop,
                  char **owned, const struct http_response *resp, int hops,
                  struct err *err);

#endif
