/* SPDX-License-Identifier: MIT */
/* http_multi.c - several requests at once over a bounded number of
 * connections (libcurl multi), their retries shared */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "http_priv.h"
#include "util.h"

enum xstate { X_WAIT, X_RUN, X_AGAIN, X_DONE };

/* One exchange as this file tracks it. */
struct track {
    enum xstate state;
    int started;  /* told to the event function */
    int attempts; /* answers worth a retry so far */
    int hops;
    CURLcode rc;             /* of the last attempt */
    struct http_request hop; /* the request where it goes now */
    char *owned;             /* hop.url, once a redirect set it */
};

/* One request in flight. */
struct slot {
    CURL *c; /* one of h->pool */
    size_t i;
    int busy;
    struct curl_slist *hdrs;
    struct http_sinkctx ctx;
    char errbuf[CURL_ERROR_SIZE];
};

struct run {
    struct http *h;
    struct http_exchange *x;
    struct track *t;
    size_t n;
    struct slot *slots;
    int running;
    long hold_until; /* nothing new starts before this (ms) */
    long wait;       /* the next back-off: the calendar's, not a request's */
    int streak;      /* answers worth a retry in a row, over all requests */
    int stop;        /* start nothing more */
    http_event_fn fn;
    void *ctx;
};

static void settle(struct run *r, size_t i, enum http_outcome o)
{
    r->t[i].state = X_DONE;
    r->x[i].outcome = o;
    if (o != HTTP_NOT_SENT && r->fn)
        r->fn(r->ctx, i, 1);
}

/* Nothing more starts: what waits is the caller's to send, and what
 * waits for a retry keeps the answer (or failure) it had. */
static void stop_all(struct run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct track *t = &r->t[i];
        struct http_exchange *x = &r->x[i];

        if (t->state == X_WAIT) {
            settle(r, i, HTTP_NOT_SENT);
        } else if (t->state == X_AGAIN && x->resp.status) {
            settle(r, i, HTTP_ANSWERED);
        } else if (t->state == X_AGAIN) {
            char where[512];

            http_redact_url(t->hop.url, where, sizeof(where));
            err_set(&x->err, ERR_NET, "%s '%s' failed: %s", t->hop.method,
                    where, curl_easy_strerror(t->rc));
            settle(r, i, HTTP_FAILED);
        }
    }
}

static void start(struct run *r, struct slot *s, size_t i)
{
    struct http_exchange *x = &r->x[i];
    struct track *t = &r->t[i];

    http_response_release(&x->resp);
    memset(&s->ctx, 0, sizeof(s->ctx));
    s->ctx.resp = &x->resp;
    curl_slist_free_all(s->hdrs);
    s->hdrs = NULL;
    s->errbuf[0] = '\0';
    if (http_set_options(r->h, s->c, s->errbuf, &t->hop, &s->hdrs, &s->ctx) <
        0) {
        settle(r, i, HTTP_NOT_SENT);
        return;
    }
    /* wait for the first connection to say whether it multiplexes
     * before opening another */
    curl_easy_setopt(s->c, CURLOPT_PIPEWAIT, 1L);
    if (!t->started && r->fn)
        r->fn(r->ctx, i, 0);
    t->started = 1;
    if (curl_multi_add_handle(r->h->multi, s->c) != CURLM_OK) {
        settle(r, i, HTTP_NOT_SENT);
        return;
    }
    s->i = i;
    s->busy = 1;
    t->state = X_RUN;
    r->running++;
}

/* Start the lowest-numbered requests waiting, while a slot is free. */
static void fill(struct run *r)
{
    size_t i = 0;

    for (int k = 0; k < r->h->connections && !r->stop; k++) {
        if (r->slots[k].busy)
            continue;
        while (i < r->n && r->t[i].state != X_WAIT && r->t[i].state != X_AGAIN)
            i++;
        if (i == r->n)
            return;
        start(r, &r->slots[k], i++);
    }
}

static int waiting(const struct run *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->t[i].state == X_WAIT || r->t[i].state == X_AGAIN)
            return 1;
    return 0;
}

/* The request on slot 's' ended with 'rc': judge it as request_once
 * would, with the retries and their waits shared by the calendar. */
static void finish(struct run *r, struct slot *s, CURLcode rc)
{
    struct http *h = r->h;
    struct http_exchange *x = &r->x[s->i];
    struct track *t = &r->t[s->i];
    int last = t->hop.no_retry || t->attempts >= h->retries ||
               r->streak >= h->retries || h->gave_up;
    enum http_verdict v;

    curl_multi_remove_handle(h->multi, s->c);
    s->busy = 0;
    r->running--;
    v = http_judge(h, s->c, s->errbuf, &t->hop, &x->resp, &s->ctx, rc, last,
                   &x->err);
    /* the handle must not keep pointers into the caller's request */
    curl_easy_setopt(s->c, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(s->c, CURLOPT_POSTFIELDS, NULL);
    curl_slist_free_all(s->hdrs);
    s->hdrs = NULL;
    t->rc = rc;
    if (v == HTTP_V_RETRY) {
        /* RFC 9110 10.2.3: Retry-After is about the server, not this
         * one request: nothing new goes out until it has passed */
        long until =
            http_now_ms() + http_retry_wait(r->wait, s->ctx.retry_after);

        if (until > r->hold_until)
            r->hold_until = until;
        r->wait *= 2;
        r->streak++;
        t->attempts++;
        t->state = X_AGAIN;
    } else if (v == HTTP_V_REPROBE) {
        /* the auth probe is http_request's: the rest go that way too */
        settle(r, s->i, HTTP_NOT_SENT);
        r->stop = 1;
    } else if (v == HTTP_V_FAIL) {
        settle(r, s->i, HTTP_FAILED);
        r->stop = 1;
    } else if (http_is_redirect(x->resp.status) && x->resp.location) {
        if (http_next_hop(x->req, &t->hop, &t->owned, &x->resp, t->hops++,
                          &x->err) < 0) {
            settle(r, s->i, HTTP_FAILED);
            r->stop = 1;
        } else {
            t->state = X_WAIT;
        }
    } else {
        if (h->gave_up) {
            r->stop = 1;
        } else {
            r->streak = 0;
            r->wait = h->backoff_ms;
        }
        settle(r, s->i, HTTP_ANSWERED);
    }
}

static struct slot *slot_of(struct run *r, CURL *c)
{
    for (int k = 0; k < r->h->connections; k++)
        if (r->slots[k].c == c)
            return &r->slots[k];
    return NULL;
}

/* Drive the transfers until each exchange is settled. */
static void drive(struct run *r)
{
    CURLM *m = r->h->multi;

    for (;;) {
        long now = http_now_ms(), timeout = 1000;
        int still = 0, left = 0, ended = 0;
        CURLMsg *msg;

        if (r->stop)
            stop_all(r);
        if (now >= r->hold_until)
            fill(r);
        if (!r->running && !waiting(r))
            return;
        if (r->running) {
            curl_multi_perform(m, &still);
            while ((msg = curl_multi_info_read(m, &left))) {
                struct slot *s = slot_of(r, msg->easy_handle);

                if (msg->msg == CURLMSG_DONE && s) {
                    finish(r, s, msg->data.result);
                    ended = 1;
                }
            }
            if (ended)
                continue;
        }
        if (waiting(r) && r->hold_until > now && r->hold_until - now < timeout)
            timeout = r->hold_until - now;
        curl_multi_poll(m, NULL, 0, (int)timeout, NULL);
    }
}

void http_request_all(struct http *h, struct http_exchange *x, size_t n,
                      http_event_fn fn, void *ctx)
{
    struct run r;

    memset(&r, 0, sizeof(r));
    for (size_t i = 0; i < n; i++) {
        x[i].outcome = HTTP_NOT_SENT;
        x[i].err.kind = ERR_NONE;
        x[i].err.msg[0] = '\0';
    }
    if (!n || http_pool_ready(h) < 0)
        return;
    r.h = h;
    r.x = x;
    r.n = n;
    r.fn = fn;
    r.ctx = ctx;
    r.wait = h->backoff_ms;
    r.t = calloc(n, sizeof(*r.t));
    r.slots = calloc((size_t)h->connections, sizeof(*r.slots));
    if (!r.t || !r.slots)
        goto out;
    for (int k = 0; k < h->connections; k++)
        r.slots[k].c = h->pool[k];
    for (size_t i = 0; i < n; i++) {
        r.t[i].hop = *x[i].req;
        /* a spooled answer is rewound between attempts: http_request's */
        r.t[i].state = x[i].req->sink ? X_DONE : X_WAIT;
    }
    drive(&r);
out:
    if (r.t)
        for (size_t i = 0; i < n; i++)
            free(r.t[i].owned);
    free(r.t);
    free(r.slots);
}
