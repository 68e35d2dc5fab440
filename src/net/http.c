/* SPDX-License-Identifier: MIT */
/* http.c - one kept-alive libcurl handle: requests, retries, auth, stats */
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http_priv.h"
#include "util.h"

/* An answer larger than this is refused rather than buffered. */
#define HTTP_MAX_BODY (256L * 1024 * 1024)
#define HTTP_MAX_SPOOL (1024L * 1024 * 1024)
/* All the header lines of one answer: a server may not send them
 * without end (libcurl's own limit is reported as a receive error, and
 * would be retried). */
#define HTTP_MAX_HEADERS (256L * 1024)

static int curl_ready;

int http_global_init(struct err *err)
{
    if (curl_ready)
        return 0;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return err_set(err, ERR_NET, "cannot start libcurl");
    curl_ready = 1;
    return 0;
}

void http_global_cleanup(void)
{
    if (curl_ready)
        curl_global_cleanup();
    curl_ready = 0;
}

int http_open(const struct http_options *opt, struct http **out,
              struct err *err)
{
    struct http *h;

    if (http_global_init(err) < 0)
        return -1;
    h = calloc(1, sizeof(*h));
    if (!h)
        return err_set(err, ERR_NOMEM, "out of memory");
    h->curl = curl_easy_init();
    if (!h->curl || util_set_str(&h->user, opt ? opt->user : NULL) < 0 ||
        util_set_str(&h->password, opt ? opt->password : NULL) < 0 ||
        util_set_str(&h->ca_file, opt ? opt->ca_file : NULL) < 0) {
        http_close(h);
        return err_set(err, ERR_NOMEM, "cannot start an HTTP session");
    }
    if (opt) {
        h->use_netrc = opt->use_netrc;
        h->timeout_s = opt->timeout_s;
        h->retries = opt->retries;
        h->backoff_ms = opt->backoff_ms;
        h->connections = opt->connections;
    }
    if (h->connections < 1)
        h->connections = 1;
    if (h->timeout_s <= 0)
        h->timeout_s = 30;
    if (h->retries < 0)
        h->retries = 0;
    if (h->backoff_ms <= 0)
        h->backoff_ms = 200;
    *out = h;
    return 0;
}

static void pool_release(struct http *h)
{
    if (h->pool)
        for (int k = 0; k < h->connections; k++)
            if (h->pool[k])
                curl_easy_cleanup(h->pool[k]);
    free(h->pool);
    h->pool = NULL;
    if (h->multi)
        curl_multi_cleanup(h->multi);
    h->multi = NULL;
}

/* The multi handle and its easy handles, made once per connection
 * handle: the connections and each handle's Digest nonce then last
 * from one call to the next. */
int http_pool_ready(struct http *h)
{
    long n = h->connections;

    if (h->multi) {
        if (h->pool_forget)
            for (int k = 0; k < h->connections; k++)
                curl_easy_reset(h->pool[k]);
        h->pool_forget = 0;
        return 0;
    }
    h->pool_forget = 0;
    h->multi = curl_multi_init();
    h->pool = calloc((size_t)n, sizeof(*h->pool));
    if (!h->multi || !h->pool)
        goto fail;
    for (int k = 0; k < n; k++)
        if (!(h->pool[k] = curl_easy_init()))
            goto fail;
    /* HTTP/2 streams share one connection where the server offers it;
     * HTTP/1.1 gets one connection per request in flight, never more */
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, n);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, n);
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, n);
    return 0;
fail:
    pool_release(h);
    return -1;
}

void http_close(struct http *h)
{
    if (!h)
        return;
    pool_release(h);
    if (h->curl)
        curl_easy_cleanup(h->curl);
    if (h->password) {
        /* Do not leave the secret in freed memory. */
        memset(h->password, 0, strlen(h->password));
        free(h->password);
    }
    free(h->user);
    free(h->ca_file);
    free(h);
}

void http_response_init(struct http_response *r)
{
    memset(r, 0, sizeof(*r));
    buf_init(&r->body);
}

void http_response_release(struct http_response *r)
{
    if (!r)
        return;
    free(r->etag);
    free(r->location);
    free(r->content_type);
    free(r->url);
    buf_release(&r->body);
    http_response_init(r);
}

void http_set_auth(struct http *h, enum http_auth a)
{
    h->auth_pinned = a == HTTP_AUTH_BASIC    ? (long)CURLAUTH_BASIC
                     : a == HTTP_AUTH_DIGEST ? (long)CURLAUTH_DIGEST
                                             : 0;
    h->auth_given = h->auth_pinned != 0;
}

enum http_auth http_auth_used(const struct http *h)
{
    return h->auth_pinned == (long)CURLAUTH_BASIC    ? HTTP_AUTH_BASIC
           : h->auth_pinned == (long)CURLAUTH_DIGEST ? HTTP_AUTH_DIGEST
                                                     : HTTP_AUTH_UNKNOWN;
}

int http_connections(const struct http *h)
{
    return h->connections;
}

void http_get_stats(const struct http *h, struct http_stats *out)
{
    *out = h->stats;
}

size_t http_scheme_len(const char *url)
{
    size_t n = 0;

    /* RFC 3986 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
    if (!isalpha((unsigned char)url[0]))
        return 0;
    while (isalnum((unsigned char)url[n]) || url[n] == '+' || url[n] == '-' ||
           url[n] == '.')
        n++;
    return strncmp(url + n, "://", 3) == 0 ? n + 3 : 0;
}

/* RFC 3986 3.2: the authority ends at the first '/', '?' or '#'. */
static size_t authority_len(const char *auth)
{
    return strcspn(auth, "/?#");
}

void http_redact_url(const char *url, char *out, size_t n)
{
    size_t s = http_scheme_len(url), len;
    const char *host = url + s, *at = NULL;

    len = s ? authority_len(host) : 0;
    /* the last '@': a password may hold one (RFC 3986 3.2.1) */
    for (size_t i = 0; i < len; i++)
        if (host[i] == '@')
            at = host + i;
    if (at)
        snprintf(out, n, "%.*s%s", (int)s, url, at + 1);
    else
        snprintf(out, n, "%s", url);
}

/* "scheme", "host" and port of an http(s) URL; -1 when it is not one. */
static int origin_of(const char *url, char *scheme, size_t sn, char *host,
                     size_t hn, long *port)
{
    size_t sl = http_scheme_len(url), n;
    const char *p, *h, *end, *colon;

    if (!sl || sl - 3 >= sn)
        return -1;
    p = url + sl - 3;
    for (n = 0; url + n < p; n++)
        scheme[n] = (char)tolower((unsigned char)url[n]);
    scheme[n] = '\0';
    if (strcmp(scheme, "http") && strcmp(scheme, "https"))
        return -1;
    h = p + 3;
    end = h + strcspn(h, "/?#");
    if (memchr(h, '@', (size_t)(end - h)))
        h = (const char *)memchr(h, '@', (size_t)(end - h)) + 1;
    colon = h[0] == '[' ? memchr(h, ']', (size_t)(end - h)) : h;
    colon = colon ? memchr(colon, ':', (size_t)(end - colon)) : NULL;
    n = (size_t)((colon ? colon : end) - h);
    if (n == 0 || n >= hn)
        return -1;
    for (size_t i = 0; i < n; i++)
        host[i] = (char)tolower((unsigned char)h[i]);
    host[n] = '\0';
    *port = strcmp(scheme, "https") == 0 ? 443 : 80;
    if (colon && colon + 1 < end)
        *port = strtol(colon + 1, NULL, 10);
    return 0;
}

int http_may_move(const char *from, const char *to)
{
    char s1[8], s2[8], h1[256], h2[256];
    long p1, p2;

    if (origin_of(from, s1, sizeof(s1), h1, sizeof(h1), &p1) < 0 ||
        origin_of(to, s2, sizeof(s2), h2, sizeof(h2), &p2) < 0 ||
        strcmp(h1, h2) != 0)
        return 0;
    if (strcmp(s1, s2) == 0)
        return p1 == p2;
    /* up to https on the same host: its own port, or the default one */
    return strcmp(s1, "http") == 0 && (p2 == 443 || p2 == p1);
}

char *http_resolve(const char *base, const char *ref)
{
    size_t sl, auth, pathlen;
    const char *path;
    struct buf b;

    if (!ref)
        return NULL;
    /* only a scheme at the start makes a URL: "/a?u=https://b/" is a path
     * on this server */
    sl = http_scheme_len(ref);
    if (sl)
        return util_strdup(ref);
    sl = http_scheme_len(base);
    if (!sl)
        return util_strdup(ref);
    auth = sl + authority_len(base + sl);
    path = base + auth;
    /* RFC 3986 5.2: the base's query and fragment never carry over */
    pathlen = path[0] == '/' ? strcspn(path, "?#") : 0;
    buf_init(&b);
    buf_add(&b, base, auth);
    if (ref[0] != '/') {
        /* relative to the folder of 'base' */
        const char *last = memrchr(path, '/', pathlen);

        if (last)
            buf_add(&b, path, (size_t)(last - path + 1));
        else
            buf_adds(&b, "/");
    }
    buf_adds(&b, ref);
    return buf_steal(&b);
}

long http_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libcurl's own low-speed check averages over several seconds, so the
 * burst of a status line hides a trickle for twice the timeout or more.
 * Here each window of timeout_s must move STALL_MIN_BPS bytes a second,
 * or the request ends: silence and a trickle both end in one or two
 * windows. */
enum { STALL_MIN_BPS = 10 };

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
    struct http_sinkctx *c = p;
    long t = http_now_ms();
    curl_off_t moved = dlnow + ulnow;

    (void)dltotal;
    (void)ultotal;
    if (t - c->window_start_ms < c->window_ms)
        return 0;
    if (moved - c->window_bytes <
        (curl_off_t)STALL_MIN_BPS * c->window_ms / 1000) {
        c->stalled = 1;
        return 1;
    }
    c->window_start_ms = t;
    c->window_bytes = moved;
    return 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *p)
{
    struct http_sinkctx *c = p;
    size_t n = size * nmemb;

    if (c->sink) {
        /* spooled to disk, but not without end either */
        if ((c->sunk += n) > (size_t)HTTP_MAX_SPOOL) {
            c->too_big = 1;
            return 0;
        }
        if (fwrite(data, 1, n, c->sink) != n) {
            c->sink_errno = errno ? errno : EIO;
            return 0;
        }
        return n;
    }
    if (c->resp->body.len + n > (size_t)HTTP_MAX_BODY) {
        c->too_big = 1;
        return 0;
    }
    if (buf_add(&c->resp->body, data, n) < 0)
        return 0;
    return n;
}

static int header_value(const char *line, size_t n, const char *name,
                        char **slot)
{
    size_t k = strlen(name);
    const char *v, *end;

    if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
        return 0;
    v = line + k + 1;
    end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    free(*slot);
    *slot = strndup(v, (size_t)(end - v));
    return 1;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *p)
{
    struct http_sinkctx *c = p;
    size_t n = size * nmemb;
    char *ra = NULL;

    if ((c->header_bytes += n) > (size_t)HTTP_MAX_HEADERS) {
        c->headers_too_big = 1;
        return 0;
    }

    /* A new status line starts another answer (redirect, auth, 100):
     * only the last answer's headers count. */
    if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {
        c->answers++;
        free(c->resp->etag);
        free(c->resp->location);
        free(c->resp->content_type);
        c->resp->etag = c->resp->location = c->resp->content_type = NULL;
        c->retry_after = 0;
        return n;
    }
    if (header_value(data, n, "ETag", &c->resp->etag) ||
        header_value(data, n, "Location", &c->resp->location) ||
        header_value(data, n, "Content-Type", &c->resp->content_type))
        return n;
    if (header_value(data, n, "Retry-After", &ra)) {
        long s;
        if (util_parse_long(ra, 0, 3600, &s) == 0)
            c->retry_after = s;
        free(ra);
    }
    return n;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int http_retry_status(long status)
{
    /* RFC 9110 15.6: 502, 503 and 504 say "try again", as 429 does (RFC
     * 6585); 500 usually means the request itself is wrong (Xandikos on a
     * bad sync-token) and 501 never changes. */
    return status == 429 || status == 502 || status == 503 || status == 504;
}

/* A hostile or confused server must not park a sync for minutes. */
#define RETRY_AFTER_CAP_MS 5000L

long http_retry_wait(long backoff_ms, long retry_after_s)
{
    if (retry_after_s <= 0)
        return backoff_ms;
    if (retry_after_s > RETRY_AFTER_CAP_MS / 1000)
        return RETRY_AFTER_CAP_MS;
    return retry_after_s * 1000;
}

static int transient_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return 1;
    default:
        return 0;
    }
}

/* Set 'url' with 'user' as its userinfo on 'c'. */
static int url_with_user(const char *url, const char *user, CURL *c)
{
    CURLU *u = curl_url();
    char *full = NULL;
    int ret = -1;

    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_USER, user, CURLU_URLENCODE) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK) {
        /* libcurl copies the string */
        curl_easy_setopt(c, CURLOPT_URL, full);
        ret = 0;
    }
    curl_free(full);
    curl_url_cleanup(u);
    return ret;
}

int http_set_options(struct http *h, CURL *c, char *errbuf,
                     const struct http_request *req, struct curl_slist **hdrs,
                     struct http_sinkctx *ctx)
{
    char line[512];
    struct curl_slist *l = NULL, *t;

    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    /* libcurl would send "Expect: 100-continue" on bodies over 1 KiB and
     * wait a second for a 100 that Radicale never sends. */
    l = curl_slist_append(l, "Expect:");
    if (l && req->content_type) {
        snprintf(line, sizeof(line), "Content-Type: %s", req->content_type);
        l = (t = curl_slist_append(l, line)) ? t : NULL;
    }
    if (l && req->depth) {
        snprintf(line, sizeof(line), "Depth: %s", req->depth);
        l = (t = curl_slist_append(l, line)) ? t : NULL;
    }
    if (l && req->if_match) {
        /* RFC 9110 13.1.1: change only the version we last saw */
        snprintf(line, sizeof(line), "If-Match: %s", req->if_match);
        l = (t = curl_slist_append(l, line)) ? t : NULL;
    }
    if (l && req->if_none_match_any) {
        /* RFC 9110 13.1.2: a new resource never overwrites another */
        l = (t = curl_slist_append(l, "If-None-Match: *")) ? t : NULL;
    }
    if (!l)
        return -1;
    *hdrs = l;
    if (h->use_netrc && !h->password && h->user) {
        /* libcurl reads netrc only when no CURLOPT_USERNAME is set; with
         * the user in the URL it looks up that login's password */
        if (url_with_user(req->url, h->user, c) < 0) {
            curl_slist_free_all(l);
            *hdrs = NULL;
            return -1;
        }
    } else {
        curl_easy_setopt(c, CURLOPT_URL, req->url);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, l);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "tiara/" TIARA_VERSION);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    /* Silence or a trickle for timeout_s ends a request; a long listing
     * that keeps coming does not (the total is only a backstop). */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                     h->timeout_s < 10 ? h->timeout_s : 10L);
    ctx->window_ms = h->timeout_s * 1000;
    ctx->window_start_ms = http_now_ms();
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, ctx);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, h->timeout_s * 20);
    /* redirects are followed by http_request, origin by origin */
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    /* TLS verification is never turned off; a CA file only adds trust. */
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_file);
    if (h->user && (h->password || !h->use_netrc))
        curl_easy_setopt(c, CURLOPT_USERNAME, h->user);
    if (h->password)
        curl_easy_setopt(c, CURLOPT_PASSWORD, h->password);
    if (h->use_netrc && !h->password) {
        const char *nf = getenv("NETRC");
        curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
        if (nf && *nf)
            curl_easy_setopt(c, CURLOPT_NETRC_FILE, nf);
    }
    curl_easy_setopt(c, CURLOPT_HTTPAUTH,
                     h->auth_pinned ? h->auth_pinned
                                    : (long)(CURLAUTH_BASIC | CURLAUTH_DIGEST));
    /* back to a plain GET first: no body, no custom method */
    curl_easy_setopt(c, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
    if (strcmp(req->method, "GET") == 0) {
        /* as set */
    } else if (strcmp(req->method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
        if (req->body) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                             (curl_off_t)req->body_len);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
        }
    }
    /* an answer announced as too large is refused before it comes */
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)(req->sink ? HTTP_MAX_SPOOL : HTTP_MAX_BODY));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, ctx);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, ctx);
    return 0;
}

/* 'answers' counts every exchange, the 401 of an auth probe and each
 * redirect included; a request that got no answer still was one. */
static void count(struct http *h, CURL *c, long answers)
{
    curl_off_t up = 0, down = 0;
    long hdr = 0, reqsize = 0;

    curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &down);
    curl_easy_getinfo(c, CURLINFO_HEADER_SIZE, &hdr);
    curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &reqsize);
    h->stats.requests += answers > 0 ? answers : 1;
    h->stats.bytes_sent += up + reqsize;
    h->stats.bytes_received += down + hdr;
}

/* Start the answer again from where this attempt began. */
static int rewind_sink(FILE *sink, long at, struct err *err)
{
    if (fseek(sink, at, SEEK_SET) < 0 || ftruncate(fileno(sink), at) < 0)
        return err_set(err, ERR_IO, "cannot rewind a temporary file");
    return 0;
}

/* The server's certificate is not trusted: say so, and how to trust it. */
static void tls_refused(const struct http *h, const char *errbuf,
                        const char *method, const char *where, struct err *err)
{
    err_set(err, ERR_NET, "%s '%s': certificate verification failed (%s)%s%s",
            method, where, errbuf,
            h->ca_file ? ", with ca_file "
                       : ": if you trust this server, "
                         "name its CA with ca_file in "
                         "[calendar NAME]",
            h->ca_file ? h->ca_file : "");
}

enum http_verdict http_judge(struct http *h, CURL *c, const char *errbuf,
                             const struct http_request *req,
                             struct http_response *resp,
                             struct http_sinkctx *ctx, CURLcode rc, int last,
                             struct err *err)
{
    char where[512];

    count(h, c, ctx->answers);
    http_redact_url(req->url, where, sizeof(where));
    if (ctx->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        err_set(err, ERR_NET, "answer from '%s' is too large", where);
        return HTTP_V_FAIL;
    }
    if (ctx->headers_too_big) {
        err_set(err, ERR_NET,
                "%s '%s': the answer's header lines run past %ld KB",
                req->method, where, HTTP_MAX_HEADERS / 1024);
        return HTTP_V_FAIL;
    }
    if (rc == CURLE_PEER_FAILED_VERIFICATION) {
        tls_refused(h, errbuf, req->method, where, err);
        return HTTP_V_FAIL;
    }
    if (ctx->sink_errno) {
        /* not the server's fault, and not worth a retry */
        err_set(err, ERR_IO, "cannot keep the answer from '%s': %s", where,
                strerror(ctx->sink_errno));
        return HTTP_V_FAIL;
    }
    if (rc == CURLE_OK) {
        char *eff = NULL;
        long avail = 0;

        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
        curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff);
        /* without the user a netrc lookup put there */
        if (eff && !(resp->url = malloc(strlen(eff) + 1))) {
            err_set(err, ERR_NOMEM, "out of memory");
            return HTTP_V_FAIL;
        }
        if (eff)
            http_redact_url(eff, resp->url, strlen(eff) + 1);
        if (resp->status == 401 && h->auth_given) {
            /* the scheme remembered from an earlier run is not the
             * server's now: probe again, once */
            h->auth_pinned = 0;
            h->auth_given = 0;
            h->forget_auth = 1;
            h->pool_forget = 1;
            return HTTP_V_REPROBE;
        }
        /* Remember which scheme the server asked for, so the next
         * request sends credentials at once instead of probing. */
        curl_easy_getinfo(c, CURLINFO_HTTPAUTH_AVAIL, &avail);
        if (!h->auth_pinned && avail && resp->status != 401)
            h->auth_pinned =
                (avail & CURLAUTH_DIGEST) ? CURLAUTH_DIGEST : CURLAUTH_BASIC;
        if (last || !http_retry_status(resp->status)) {
            /* retried in vain: a server this unwell is not asked
             * twice per request until it answers well again */
            h->gave_up = http_retry_status(resp->status) && !req->no_retry;
            return HTTP_V_DONE;
        }
        return HTTP_V_RETRY;
    }
    if (rc == CURLE_OPERATION_TIMEDOUT ||
        (rc == CURLE_ABORTED_BY_CALLBACK && ctx->stalled)) {
        /* not retried: the server has had its time */
        err_set(err, ERR_NET,
                "%s '%s': no answer within %ld s (timeout in [sync] or "
                "[calendar NAME])",
                req->method, where, h->timeout_s);
        return HTTP_V_FAIL;
    }
    if (rc == CURLE_OUT_OF_MEMORY) {
        /* libcurl caps each header at 100 KB and reports a larger one
         * as out of memory, with no more said */
        err_set(err, ERR_NET,
                "%s '%s': the answer could not be taken (a header over "
                "100 KB?)%s%s",
                req->method, where, errbuf[0] ? ": " : "", errbuf);
        return HTTP_V_FAIL;
    }
    if (last || !transient_curl(rc)) {
        h->gave_up = transient_curl(rc) && !req->no_retry;
        err_set(err, ERR_NET, "%s '%s' failed: %s", req->method, where,
                curl_easy_strerror(rc));
        return HTTP_V_FAIL;
    }
    return HTTP_V_RETRY;
}

/* One request at one URL, retried as http_retry_status says; redirects
 * are the caller's. */
static int request_once(struct http *h, const struct http_request *req,
                        struct http_response *resp, struct err *err)
{
    int ret = -1, attempt;
    long wait = h->backoff_ms;
    struct curl_slist *hdrs = NULL;
    struct http_sinkctx ctx;

    for (attempt = 0;; attempt++) {
        long sink_at = req->sink ? ftell(req->sink) : 0;
        int last = req->no_retry || attempt >= h->retries || h->gave_up;
        enum http_verdict v;

        http_response_release(resp);
        memset(&ctx, 0, sizeof(ctx));
        ctx.resp = resp;
        ctx.sink = req->sink;
        curl_slist_free_all(hdrs);
        hdrs = NULL;
        /* No curl_easy_reset but to forget a scheme that failed: it drops
         * the Digest nonce, and each request would be challenged and its
         * body sent twice. Every option that varies is set every time. */
        if (h->forget_auth) {
            curl_easy_reset(h->curl); /* keeps the connection cache */
            h->forget_auth = 0;
        }
        if (http_set_options(h, h->curl, h->curl_error, req, &hdrs, &ctx) < 0) {
            err_set(err, ERR_NOMEM, "out of memory");
            goto out;
        }
        h->curl_error[0] = '\0';
        v = http_judge(h, h->curl, h->curl_error, req, resp, &ctx,
                       curl_easy_perform(h->curl), last, err);
        if (v == HTTP_V_FAIL)
            goto out;
        if (v == HTTP_V_DONE) {
            ret = 0;
            goto out;
        }
        if (req->sink && rewind_sink(req->sink, sink_at, err) < 0)
            goto out;
        if (v == HTTP_V_REPROBE) {
            attempt--;
            continue;
        }
        sleep_ms(http_retry_wait(wait, ctx.retry_after));
        wait *= 2;
    }
out:
    curl_slist_free_all(hdrs);
    /* the handle must not keep pointers into the caller's request */
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
    if (ret < 0)
        http_response_release(resp);
    return ret;
}

int http_is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 ||
           status == 308;
}

int http_next_hop(const struct http_request *req, struct http_request *hop,
                  char **owned, const struct http_response *resp, int hops,
                  struct err *err)
{
    char *next;

    if (hops >= 5) {
        char where[512];
        http_redact_url(req->url, where, sizeof(where));
        return err_set(err, ERR_NET, "%s '%s': more than 5 redirects",
                       req->method, where);
    }
    if (!(next = http_resolve(hop->url, resp->location)))
        return err_set(err, ERR_NOMEM, "out of memory");
    if (!http_may_move(hop->url, next)) {
        char where[512], to[512];
        http_redact_url(hop->url, where, sizeof(where));
        http_redact_url(next, to, sizeof(to));
        err_set(err, ERR_NET,
                strncasecmp(hop->url, "https:", 6) == 0 &&
                        strncasecmp(next, "http:", 5) == 0
                    ? "%s '%s' was redirected to plain http ('%s'): not "
                      "followed, nothing was sent there"
                    : "%s '%s' was redirected to another server ('%s'): "
                      "not followed, nothing was sent there",
                req->method, where, to);
        free(next);
        return -1;
    }
    free(*owned);
    *owned = next;
    hop->url = next;
    /* RFC 9110 15.4.4: a 303 is answered with a GET, without the body */
    if (resp->status == 303 && strcmp(hop->method, "HEAD") != 0) {
        hop->method = "GET";
        hop->body = NULL;
        hop->body_len = 0;
        hop->content_type = NULL;
    }
    return 0;
}

/* Follow redirects only where the credentials and the body may go
 * (http_may_move): the same origin, or up from http to https. Never to
 * another host, and never from https down to http, where the entries
 * (names, places, emails) and the password would go in clear. */
int http_request(struct http *h, const struct http_request *req,
                 struct http_response *resp, struct err *err)
{
    struct http_request hop = *req;
    char *owned = NULL;
    int hops, ret = -1;

    for (hops = 0;; hops++) {
        long sink_at = req->sink ? ftell(req->sink) : 0;

        if (request_once(h, &hop, resp, err) < 0)
            goto out;
        if (!http_is_redirect(resp->status) || !resp->location) {
            ret = 0;
            goto out;
        }
        if (http_next_hop(req, &hop, &owned, resp, hops, err) < 0)
            goto out;
        if (req->sink && rewind_sink(req->sink, sink_at, err) < 0)
            goto out;
    }
out:
    free(owned);
    if (ret < 0)
        http_response_release(resp);
    return ret;
}
