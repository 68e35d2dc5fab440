/* SPDX-License-Identifier: MIT */
/* test_caldav_discover.c - the URL that RFC 6764 SRV and TXT answers
 * name, from DNS messages written here (no resolver) */
#include <stdlib.h>
#include <string.h>

#include "caldav_priv.h"
#include "check.h"

struct msg {
    unsigned char b[512];
    size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void put16(struct msg *m, unsigned v)
{
    unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};

    put(m, b, 2);
}

/* "a.b" as length-prefixed labels; raw bytes are allowed in a label. */
static void put_name(struct msg *m, const char *name)
{
    while (*name) {
        size_t n = strcspn(name, ".");
        unsigned char len = (unsigned char)n;

        put(m, &len, 1);
        put(m, name, n);
        name += n + (name[n] == '.');
    }
    put(m, "", 1);
}

/* A response with one question and 'an' answers still to be added. */
static void start(struct msg *m, unsigned type, unsigned an)
{
    m->n = 0;
    put16(m, 0x1234);
    put16(m, 0x8180);
    put16(m, 1);
    put16(m, an);
    put16(m, 0);
    put16(m, 0);
    put_name(m, "_caldavs._tcp.example.test");
    put16(m, type);
    put16(m, 1);
}

/* An answer record for the question's name (a compression pointer). */
static void record(struct msg *m, unsigned type, const struct msg *rdata)
{
    put16(m, 0xc00c);
    put16(m, type);
    put16(m, 1);
    put16(m, 0);
    put16(m, 60);
    put16(m, (unsigned)rdata->n);
    put(m, rdata->b, rdata->n);
}

static void srv(struct msg *m, unsigned prio, unsigned port, const char *to)
{
    struct msg r = {.n = 0};

    put16(&r, prio);
    put16(&r, 5);
    put16(&r, port);
    put_name(&r, to);
    record(m, 33, &r);
}

static void txt(struct msg *m, const char *s)
{
    struct msg r = {.n = 0};
    unsigned char len = (unsigned char)strlen(s);

    put(&r, &len, 1);
    put(&r, s, len);
    record(m, 16, &r);
}

static void check_url(const struct msg *s, const struct msg *t,
                      const char *want)
{
    char *url = caldav_srv_url(s->b, s->n, t ? t->b : NULL, t ? t->n : 0);

    if (want)
        CHECK_STR(url, want);
    else
        CHECK(url == NULL);
    free(url);
}

int main(void)
{
    struct msg s, t;

    start(&s, 33, 1);
    srv(&s, 10, 8443, "dav.example.test");
    start(&t, 16, 1);
    txt(&t, "path=/dav/cal/");
    check_url(&s, &t, "https://dav.example.test:8443/dav/cal/");
    check_url(&s, NULL, "https://dav.example.test:8443/.well-known/caldav");

    /* the lowest priority wins; "." says there is no such service */
    start(&s, 33, 3);
    srv(&s, 20, 443, "b.example.test");
    srv(&s, 10, 8443, "a.example.test");
    srv(&s, 0, 443, "");
    check_url(&s, NULL, "https://a.example.test:8443/.well-known/caldav");
    start(&s, 33, 1);
    srv(&s, 0, 0, "");
    check_url(&s, NULL, NULL);

    /* found by fuzz/fuzz_dns.c: a target that is no host name named
     * another place in the URL; such a record is passed over */
    start(&s, 33, 2);
    srv(&s, 0, 443, "evil.example/x?");
    srv(&s, 5, 8443, "good.example.test");
    check_url(&s, NULL, "https://good.example.test:8443/.well-known/caldav");
    start(&s, 33, 1);
    srv(&s, 0, 443, "caldav.exam\377le.test");
    check_url(&s, NULL, NULL);
    start(&s, 33, 1);
    srv(&s, 0, 443, "me@evil.example");
    check_url(&s, NULL, NULL);

    /* a path that is not a path: as if there were no TXT record */
    start(&s, 33, 1);
    srv(&s, 10, 8443, "dav.example.test");
    start(&t, 16, 1);
    txt(&t, "path=@evil.example/");
    check_url(&s, &t, "https://dav.example.test:8443/.well-known/caldav");
    start(&t, 16, 1);
    txt(&t, "path=/dav cal/\n");
    check_url(&s, &t, "https://dav.example.test:8443/.well-known/caldav");

    /* cut short anywhere: no URL, and nothing read past the end */
    start(&s, 33, 1);
    srv(&s, 10, 8443, "dav.example.test");
    for (size_t n = 0; n < s.n; n++) {
        unsigned char *cut = malloc(n ? n : 1);

        memcpy(cut, s.b, n);
        CHECK(caldav_srv_url(cut, n, NULL, 0) == NULL);
        free(cut);
    }
    return CHECK_DONE();
}
