/* SPDX-License-Identifier: MIT */
/* caldav_discover.c - RFC 6764 discovery: SRV/TXT, well-known, principal,
 * calendar home, and the calendars found there */
#include <arpa/nameser.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caldav_priv.h"
#include "util.h"

char *caldav_url_for(const char *base, const char *href)
{
    return http_resolve(base, href);
}

int caldav_dav(struct http *h, const char *method, const char *url,
               const char *depth, const char *body, caldav_item_fn fn,
               void *ctx, struct caldav_multistatus *ms, long *status,
               struct err *err)
{
    int ret = -1;
    FILE *spool = NULL;
    struct http_request rq;
    struct http_response rs;
    char where[512];

    http_response_init(&rs);
    memset(ms, 0, sizeof(*ms));
    spool = util_tmpfile();
    if (!spool) {
        err_set(err, ERR_IO, "cannot make a temporary file in %s: %s",
                util_tmpdir(), strerror(errno));
        goto out;
    }
    memset(&rq, 0, sizeof(rq));
    rq.method = method;
    rq.url = url;
    rq.depth = depth;
    rq.content_type = "application/xml; charset=utf-8";
    rq.body = body;
    rq.body_len = body ? strlen(body) : 0;
    rq.sink = spool;
    if (http_request(h, &rq, &rs, err) < 0)
        goto out;
    *status = rs.status;
    if (rs.status != 207) {
        ret = 0;
        goto out;
    }
    if (fflush(spool) != 0 || fseek(spool, 0, SEEK_SET) != 0) {
        err_set(err, ERR_IO,
                "cannot keep the answer in a temporary file in %s: %s",
                util_tmpdir(), strerror(errno));
        goto out;
    }
    http_redact_url(url, where, sizeof(where));
    /* the reader gets its own descriptor: it closes what it is given */
    {
        int fd = dup(fileno(spool));
        if (fd < 0) {
            err_set(err, ERR_IO, "cannot read back a temporary file: %s",
                    strerror(errno));
            goto out;
        }
        ret = caldav_xml_parse_fd(fd, where, fn, ctx, ms, err);
        close(fd);
    }
out:
    if (spool)
        fclose(spool);
    http_response_release(&rs);
    return ret;
}

static const char propfind_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\" "
    "xmlns:CS=\"http://calendarserver.org/ns/\"><D:prop>"
    "<D:resourcetype/><D:displayname/>"
    "<C:calendar-home-set/><C:supported-calendar-component-set/>"
    "<D:supported-report-set/><CS:getctag/><D:sync-token/>"
    "</D:prop></D:propfind>";

/* Asked on its own: Radicale answers 401 to the whole PROPFIND when an
 * anonymous client asks for it. */
static const char principal_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:current-user-principal/>"
    "</D:prop></D:propfind>";

struct found {
    char *principal;
    char *home_set;
    int self_calendar;
    struct caldav_calendar_info self;
    caldav_calendar_fn fn;
    void *ctx;
    const char *base;
    int calendars;
    int rc;
};

static void info_release(struct caldav_calendar_info *ci)
{
    free(ci->url);
    free(ci->display_name);
    free(ci->sync_token);
    free(ci->ctag);
    memset(ci, 0, sizeof(*ci));
}

static int fill_info(const struct caldav_item *it, const char *base,
                     struct caldav_calendar_info *ci)
{
    memset(ci, 0, sizeof(*ci));
    ci->url = caldav_url_for(base, it->href);
    ci->components = it->components;
    ci->supports_sync = it->supports_sync;
    if (!ci->url || util_set_str(&ci->display_name, it->displayname) < 0 ||
        util_set_str(&ci->sync_token, it->sync_token) < 0 ||
        util_set_str(&ci->ctag, it->ctag) < 0) {
        info_release(ci);
        return -1;
    }
    return 0;
}

/* Depth 0 on the starting point: is it a calendar, or does it point on? */
static int on_self(const struct caldav_item *it, void *ctx)
{
    struct found *f = ctx;

    if (it->principal && !f->principal &&
        !(f->principal = strdup(it->principal)))
        return -1;
    if (it->home_set && !f->home_set && !(f->home_set = strdup(it->home_set)))
        return -1;
    if (it->is_calendar && !f->self_calendar) {
        if (fill_info(it, f->base, &f->self) < 0)
            return -1;
        f->self_calendar = 1;
    }
    return 0;
}

/* Depth 1 on a calendar home: report each calendar in it. */
static int on_member(const struct caldav_item *it, void *ctx)
{
    struct found *f = ctx;
    struct caldav_calendar_info ci;
    int rc;

    if (!it->is_calendar)
        return 0;
    if (fill_info(it, f->base, &ci) < 0)
        return -1;
    f->calendars++;
    rc = f->fn(&ci, f->ctx);
    info_release(&ci);
    return rc;
}

static int propfind_with(struct http *h, const char *url, const char *depth,
                         const char *body, caldav_item_fn fn, struct found *f,
                         long *status, struct err *err)
{
    struct caldav_multistatus ms;
    int rc;

    rc = caldav_dav(h, "PROPFIND", url, depth, body, fn, f, &ms, status, err);
    caldav_multistatus_release(&ms);
    if (rc > 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    return rc;
}

/* What any WebDAV resource can answer: DAViCal fails the whole PROPFIND
 * with a 500 when sync-token is asked outside a collection. */
static const char minimal_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
    "<D:prop><D:resourcetype/><D:displayname/><C:calendar-home-set/>"
    "<C:supported-calendar-component-set/></D:prop></D:propfind>";

/* The full PROPFIND, and on a refusal other than of the credentials the
 * minimal one: a server that cannot answer a property says so with a
 * 4xx or 5xx for the whole request. */
static int propfind(struct http *h, const char *url, const char *depth,
                    caldav_item_fn fn, struct found *f, long *status,
                    struct err *err)
{
    if (propfind_with(h, url, depth, propfind_body, fn, f, status, err) < 0)
        return -1;
    if (*status == 207 || *status == 401 || *status < 400)
        return 0;
    return propfind_with(h, url, depth, minimal_body, fn, f, status, err);
}

static int auth_error(long status, const char *url, struct err *err)
{
    char where[512];

    http_redact_url(url, where, sizeof(where));
    if (status == 401)
        return err_set(err, ERR_AUTH,
                       "'%s' refused the credentials (HTTP 401): check the "
                       "user and password_command",
                       where);
    return err_set(err, ERR_NET, "'%s' answered HTTP %ld to PROPFIND", where,
                   status);
}

/* A host name (RFC 952, RFC 1123 2.1; '_' as DNS allows): dn_expand
 * gives any other byte as it came, or as an escape, and either would
 * make the URL name another place. The root, ".", means "no service"
 * (RFC 2782). */
static int host_name(const char *t)
{
    if (!isalnum((unsigned char)*t))
        return 0;
    for (; *t; t++)
        if (!isalnum((unsigned char)*t) && *t != '-' && *t != '.' && *t != '_')
            return 0;
    return 1;
}

/* A context path (RFC 6764 4): absolute, and nothing a URL would read
 * as more than a path. */
static int context_path(const char *p)
{
    if (p[0] != '/')
        return 0;
    for (; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || *p == '#')
            return 0;
    return 1;
}

/* The SRV record with the lowest priority in answer 'ans': its target and
 * port; target stays "" when there is none. */
static void srv_best(const unsigned char *ans, size_t n, char *target,
                     size_t tn, unsigned *port)
{
    const unsigned char *p, *end = ans + n;
    unsigned best_prio = 0x10000;
    int i, qd, an, len;

    target[0] = '\0';
    qd = ans[4] << 8 | ans[5];
    an = ans[6] << 8 | ans[7];
    p = ans + NS_HFIXEDSZ;
    for (i = 0; i < qd && p < end; i++) {
        if ((len = dn_skipname(p, end)) < 0)
            goto malformed;
        p += len + NS_QFIXEDSZ;
    }
    for (i = 0; i < an && p < end; i++) {
        unsigned type, rdlen, prio;

        if ((len = dn_skipname(p, end)) < 0 || p + len + 10 > end)
            goto malformed;
        p += len;
        type = (unsigned)(p[0] << 8 | p[1]);
        rdlen = (unsigned)(p[8] << 8 | p[9]);
        p += 10;
        if (p + rdlen > end)
            goto malformed;
        if (type == ns_t_srv && rdlen > 6) {
            char t[NS_MAXDNAME];
            prio = (unsigned)(p[0] << 8 | p[1]);
            if (dn_expand(ans, end, p + 6, t, sizeof(t)) >= 0 &&
                prio < best_prio && host_name(t)) {
                best_prio = prio;
                *port = (unsigned)(p[4] << 8 | p[5]);
                snprintf(target, tn, "%s", t);
            }
        }
        p += rdlen;
    }
    return;
malformed:
    target[0] = '\0'; /* a malformed answer names nobody */
}

/* The "path=" of a TXT record in answer 'ans' (RFC 6764 4), if any. */
static void txt_path(const unsigned char *ans, size_t n, char *path, size_t pn)
{
    const unsigned char *p, *end = ans + n;
    int i, an, len;

    an = ans[6] << 8 | ans[7];
    p = ans + NS_HFIXEDSZ;
    if ((len = dn_skipname(p, end)) < 0)
        return;
    p += len + NS_QFIXEDSZ;
    for (i = 0; i < an && p < end; i++) {
        unsigned type, rdlen;
        if ((len = dn_skipname(p, end)) < 0 || p + len + 10 > end)
            break;
        p += len;
        type = (unsigned)(p[0] << 8 | p[1]);
        rdlen = (unsigned)(p[8] << 8 | p[9]);
        p += 10;
        if (p + rdlen > end)
            break;
        if (type == ns_t_txt && rdlen > 0 && p[0] + 1u <= rdlen && p[0] > 5 &&
            memcmp(p + 1, "path=", 5) == 0)
            snprintf(path, pn, "%.*s", p[0] - 5, (const char *)p + 6);
        p += rdlen;
    }
}

char *caldav_srv_url(const unsigned char *srv, size_t srv_len,
                     const unsigned char *txt, size_t txt_len)
{
    char target[NS_MAXDNAME], path[512] = "";
    unsigned port = 0;
    struct buf b;

    if (srv_len < NS_HFIXEDSZ)
        return NULL;
    srv_best(srv, srv_len, target, sizeof(target), &port);
    if (!target[0])
        return NULL;
    if (txt && txt_len >= NS_HFIXEDSZ)
        txt_path(txt, txt_len, path, sizeof(path));
    if (!context_path(path))
        path[0] = '\0'; /* the record is optional: as if absent */
    buf_init(&b);
    if (buf_printf(&b, "https://%s:%u%s", target, port,
                   path[0] ? path : "/.well-known/caldav") < 0)
        return NULL;
    return buf_steal(&b);
}

/* What res_query left in a buffer of 'cap' bytes: it returns the whole
 * answer's length even when it kept only what fits. */
static size_t kept(int n, size_t cap)
{
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap;
}

/* RFC 6764 6: the SRV record names the host and port, a TXT "path=" the
 * context path; no SRV leaves the caller to try the domain itself. */
static char *srv_lookup(const char *domain)
{
    unsigned char srv[4096], txt[4096];
    char name[NS_MAXDNAME];
    int n, m;

    snprintf(name, sizeof(name), "_caldavs._tcp.%s", domain);
    n = res_query(name, ns_c_in, ns_t_srv, srv, sizeof(srv));
    if (n < NS_HFIXEDSZ)
        return NULL;
    /* the TXT record is optional (RFC 6764 4) */
    m = res_query(name, ns_c_in, ns_t_txt, txt, sizeof(txt));
    return caldav_srv_url(srv, kept(n, sizeof(srv)), txt, kept(m, sizeof(txt)));
}

/* Where discovery starts: a URL as given, else RFC 6764's SRV record for
 * the domain of a name or address, else its well-known URI. */
static char *start_url(const char *start)
{
    const char *at, *domain;
    char *url;
    struct buf b;

    if (strstr(start, "://"))
        return strdup(start);
    at = strrchr(start, '@');
    domain = at ? at + 1 : start;
    if ((url = srv_lookup(domain)))
        return url;
    buf_init(&b);
    if (buf_printf(&b, "https://%s/.well-known/caldav", domain) < 0)
        return NULL;
    return buf_steal(&b);
}

/* The first PROPFIND was refused: RFC 6764 5 says the context root may only
 * answer at the well-known URI, so try that once before giving up. */
static int context_root(struct http *h, char **url, struct found *f,
                        long *status, struct err *err)
{
    char *wk;
    long first = *status;

    if (*status == 401)
        return auth_error(*status, *url, err);
    if (!(wk = caldav_url_for(*url, "/.well-known/caldav")))
        return err_set(err, ERR_NOMEM, "out of memory");
    if (strcmp(wk, *url) == 0) {
        free(wk);
        return auth_error(*status, *url, err);
    }
    f->base = wk;
    if (propfind(h, wk, "0", on_self, f, status, err) < 0) {
        free(wk);
        return -1;
    }
    if (*status != 207) {
        /* name what was given first, then what was tried */
        char given[512], tried[512];
        http_redact_url(*url, given, sizeof(given));
        http_redact_url(wk, tried, sizeof(tried));
        err_set(err, *status == 401 ? ERR_AUTH : ERR_NET,
                "'%s' answered HTTP %ld to PROPFIND, and '%s' HTTP %ld", given,
                first, tried, *status);
        free(wk);
        return -1;
    }
    free(*url);
    *url = wk;
    f->base = wk;
    return 0;
}

int caldav_discover(struct http *h, const char *start, caldav_calendar_fn fn,
                    void *ctx, struct err *err)
{
    int ret = -1;
    struct found f;
    long status = 0;
    char *url = NULL, *next = NULL;

    memset(&f, 0, sizeof(f));
    f.fn = fn;
    f.ctx = ctx;
    url = start_url(start);
    if (!url) {
        err_set(err, ERR_NOMEM, "out of memory");
        goto out;
    }
    f.base = url;
    if (propfind(h, url, "0", on_self, &f, &status, err) < 0)
        goto out;
    if (status != 207 && context_root(h, &url, &f, &status, err) < 0)
        goto out;
    if (!f.self_calendar && !f.home_set) {
        /* RFC 5397: who am I here? A refusal only means "no principal" */
        long st2 = 0;
        if (propfind_with(h, url, "0", principal_body, on_self, &f, &st2, err) <
            0)
            goto out;
    }
    if (f.self_calendar) {
        /* the URL names a calendar: that is the answer */
        f.calendars = 1;
        ret = fn(&f.self, ctx);
        goto out;
    }
    if (!f.home_set && f.principal) {
        /* RFC 4791 6.2.1: the home set is a property of the principal */
        next = caldav_url_for(url, f.principal);
        if (!next) {
            err_set(err, ERR_NOMEM, "out of memory");
            goto out;
        }
        if (propfind(h, next, "0", on_self, &f, &status, err) < 0)
            goto out;
        if (status != 207) {
            auth_error(status, next, err);
            goto out;
        }
        f.base = next;
    }
    {
        /* the home set, or else the starting point as a plain folder */
        char *home =
            f.home_set ? caldav_url_for(f.base, f.home_set) : strdup(f.base);
        if (!home) {
            err_set(err, ERR_NOMEM, "out of memory");
            goto out;
        }
        f.base = home;
        ret = propfind(h, home, "1", on_member, &f, &status, err);
        if (ret == 0 && status != 207)
            ret = auth_error(status, home, err);
        free(home);
        f.base = NULL;
    }
    if (ret == 0 && f.calendars == 0) {
        char where[512];
        http_redact_url(start, where, sizeof(where));
        ret = err_set(err, ERR_NOT_FOUND, "no calendars found at '%s'", where);
    }
out:
    free(url);
    free(next);
    free(f.principal);
    free(f.home_set);
    info_release(&f.self);
    return ret;
}

int caldav_probe(struct http *h, const char *url,
                 struct caldav_calendar_info *out, struct err *err)
{
    struct found f;
    long status = 0;
    int ret = -1;

    memset(&f, 0, sizeof(f));
    f.base = url;
    if (propfind(h, url, "0", on_self, &f, &status, err) < 0)
        goto out;
    if (status != 207) {
        auth_error(status, url, err);
        goto out;
    }
    if (!f.self_calendar) {
        char where[512];
        http_redact_url(url, where, sizeof(where));
        err_set(err, ERR_NOT_FOUND, "'%s' is not a calendar", where);
        goto out;
    }
    *out = f.self;
    memset(&f.self, 0, sizeof(f.self));
    ret = 0;
out:
    free(f.principal);
    free(f.home_set);
    info_release(&f.self);
    return ret;
}

void caldav_calendar_info_release(struct caldav_calendar_info *ci)
{
    if (ci)
        info_release(ci);
}
