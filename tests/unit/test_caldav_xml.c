/* SPDX-License-Identifier: MIT */
/* test_caldav_xml.c - multistatus parsing, fed answers captured from
 * Radicale and Xandikos (tests/data/caldav/capture.sh makes them) */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caldav.h"
#include "check.h"
#include "util.h"

static const char *data_dir;

struct seen {
    int n;
    char href[8][128];
    char etag[8][96];
    int status[8];
    char data[8][512];
    char name[8][64];
    unsigned comps[8];
    int calendar[8];
    char principal[128];
    char home[128];
    char ctag[128];
    char token[160];
    int sync;
};

static int collect(const struct caldav_item *it, void *ctx)
{
    struct seen *s = ctx;

    if (s->n >= 8)
        return 0;
    snprintf(s->href[s->n], sizeof(s->href[0]), "%s", it->href);
    snprintf(s->etag[s->n], sizeof(s->etag[0]), "%s", it->etag ? it->etag : "");
    snprintf(s->data[s->n], sizeof(s->data[0]), "%s",
             it->calendar_data ? it->calendar_data : "");
    snprintf(s->name[s->n], sizeof(s->name[0]), "%s",
             it->displayname ? it->displayname : "");
    s->status[s->n] = it->status;
    s->comps[s->n] = it->components;
    s->calendar[s->n] = it->is_calendar;
    if (it->principal)
        snprintf(s->principal, sizeof(s->principal), "%s", it->principal);
    if (it->home_set)
        snprintf(s->home, sizeof(s->home), "%s", it->home_set);
    if (it->ctag)
        snprintf(s->ctag, sizeof(s->ctag), "%s", it->ctag);
    if (it->sync_token)
        snprintf(s->token, sizeof(s->token), "%s", it->sync_token);
    s->sync |= it->supports_sync;
    s->n++;
    return 0;
}

static int parse_file(const char *name, struct seen *s,
                      struct caldav_multistatus *ms, struct err *e)
{
    char path[512];
    int fd, rc;

    memset(s, 0, sizeof(*s));
    snprintf(path, sizeof(path), "%s/%s", data_dir, name);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    rc = caldav_xml_parse_fd(fd, name, collect, s, ms, e);
    close(fd);
    return rc;
}

static int find(const struct seen *s, const char *suffix)
{
    int i;
    size_t k = strlen(suffix);

    for (i = 0; i < s->n; i++) {
        size_t n = strlen(s->href[i]);
        if (n >= k && strcmp(s->href[i] + n - k, suffix) == 0)
            return i;
    }
    return -1;
}

static void test_server(const char *server)
{
    struct seen s;
    struct caldav_multistatus ms;
    struct err e;
    char name[64];
    int i, j;

    snprintf(name, sizeof(name), "%s-collection.xml", server);
    CHECK(parse_file(name, &s, &ms, &e) == 0);
    CHECK_INT(s.n, 1);
    CHECK(s.calendar[0]);
    CHECK_STR(s.name[0], "tiara test");
    CHECK(s.comps[0] & CALDAV_COMP_VTODO);
    CHECK(s.comps[0] & CALDAV_COMP_VEVENT);
    CHECK(s.ctag[0] != '\0');
    CHECK(s.token[0] != '\0');
    caldav_multistatus_release(&ms);

    snprintf(name, sizeof(name), "%s-etags.xml", server);
    CHECK(parse_file(name, &s, &ms, &e) == 0);
    CHECK_INT(s.n, 4);
    i = find(&s, "/b%20c%40d%25e.ics");
    CHECK(i >= 0);
    if (i >= 0)
        CHECK(s.etag[i][0] == '"');
    caldav_multistatus_release(&ms);

    snprintf(name, sizeof(name), "%s-sync-initial.xml", server);
    CHECK(parse_file(name, &s, &ms, &e) == 0);
    CHECK_INT(s.n, 3);
    CHECK(ms.sync_token != NULL);
    CHECK(!ms.truncated);
    caldav_multistatus_release(&ms);

    snprintf(name, sizeof(name), "%s-sync-delta.xml", server);
    CHECK(parse_file(name, &s, &ms, &e) == 0);
    CHECK_INT(s.n, 2);
    i = find(&s, "/c.ics");
    j = find(&s, "/a.ics");
    CHECK(i >= 0 && j >= 0);
    if (i >= 0)
        CHECK_INT(s.status[i], 404);
    if (j >= 0) {
        CHECK_INT(s.status[j], 0);
        CHECK(s.etag[j][0] == '"');
    }
    CHECK(ms.sync_token != NULL);
    caldav_multistatus_release(&ms);

    snprintf(name, sizeof(name), "%s-multiget.xml", server);
    CHECK(parse_file(name, &s, &ms, &e) == 0);
    CHECK_INT(s.n, 3);
    i = find(&s, "/b%20c%40d%25e.ics");
    j = find(&s, "/missing.ics");
    CHECK(i >= 0 && j >= 0);
    if (i >= 0) {
        CHECK(strstr(s.data[i], "UID:b c@d%e") != NULL);
        CHECK(strstr(s.data[i], "BEGIN:VCALENDAR") == s.data[i]);
    }
    if (j >= 0)
        CHECK_INT(s.status[j], 404);
    caldav_multistatus_release(&ms);

    snprintf(name, sizeof(name), "%s-home.xml", server);
    CHECK(parse_file(name, &s, &ms, &e) == 0);
    i = find(&s, "/tiara-test/");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK(s.calendar[i]);
        CHECK_STR(s.name[i], "tiara test");
    }
    /* the home itself is not a calendar, and its 404 propstat is ignored */
    CHECK(!s.calendar[0]);
    CHECK_INT(s.comps[0], 0);
    caldav_multistatus_release(&ms);
}

static void test_badtoken(void)
{
    struct seen s;
    struct caldav_multistatus ms;
    struct err e;

    /* Radicale's <error> and Xandikos' plain text are not multistatus */
    CHECK(parse_file("radicale-sync-badtoken.xml", &s, &ms, &e) < 0);
    CHECK_INT(e.kind, ERR_PARSE);
    CHECK(parse_file("xandikos-sync-badtoken.xml", &s, &ms, &e) < 0);
    CHECK_INT(e.kind, ERR_PARSE);
}

static void test_memory_cases(void)
{
    struct seen s;
    struct caldav_multistatus ms;
    struct err e;
    const char *principal =
        "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\" "
        "xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:response>"
        "<d:href>/dav/</d:href><d:propstat><d:prop>"
        "<d:current-user-principal><d:href>/dav/principals/me/</d:href>"
        "</d:current-user-principal><c:calendar-home-set><d:href>"
        "/dav/cal/me/</d:href></c:calendar-home-set>"
        "<d:supported-report-set><d:supported-report><d:report>"
        "<d:sync-collection/></d:report></d:supported-report>"
        "</d:supported-report-set></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "</d:multistatus>";
    const char *truncated =
        "<multistatus xmlns=\"DAV:\"><response><href>/c/a.ics</href>"
        "<propstat><prop><getetag>\"1\"</getetag></prop><status>HTTP/1.1 "
        "200 OK</status></propstat></response><response><href>/c/</href>"
        "<status>HTTP/1.1 507 Insufficient Storage</status></response>"
        "<sync-token>t2</sync-token></multistatus>";
    const char *broken = "<multistatus xmlns=\"DAV:\"><response><href>/c/a"
                         "</hrf></response></multistatus>";
    const char *cdata =
        "<multistatus xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:"
        "caldav\"><response><href>/c/x.ics</href><propstat><prop>"
        "<C:calendar-data><![CDATA[BEGIN:VCALENDAR\r\nUID:a&b\r\n]]>"
        "</C:calendar-data></prop><status>HTTP/1.1 200 OK</status>"
        "</propstat></response></multistatus>";

    memset(&s, 0, sizeof(s));
    CHECK(caldav_xml_parse_mem(principal, strlen(principal), "t", collect, &s,
                               &ms, &e) == 0);
    CHECK_STR(s.principal, "/dav/principals/me/");
    CHECK_STR(s.home, "/dav/cal/me/");
    CHECK_STR(s.href[0], "/dav/");
    CHECK(s.sync);
    caldav_multistatus_release(&ms);

    memset(&s, 0, sizeof(s));
    CHECK(caldav_xml_parse_mem(truncated, strlen(truncated), "t", collect, &s,
                               &ms, &e) == 0);
    CHECK_INT(s.n, 1);
    CHECK(ms.truncated);
    CHECK_STR(ms.sync_token, "t2");
    caldav_multistatus_release(&ms);

    memset(&s, 0, sizeof(s));
    CHECK(caldav_xml_parse_mem(broken, strlen(broken), "https://x/c/", collect,
                               &s, &ms, &e) < 0);
    CHECK_INT(e.kind, ERR_PARSE);
    CHECK(strstr(e.msg, "https://x/c/") != NULL);

    memset(&s, 0, sizeof(s));
    CHECK(caldav_xml_parse_mem(cdata, strlen(cdata), "t", collect, &s, &ms,
                               &e) == 0);
    CHECK(strstr(s.data[0], "UID:a&b\r\n") != NULL);
    caldav_multistatus_release(&ms);

    CHECK(caldav_xml_parse_mem("", 0, "t", collect, &s, &ms, &e) < 0);
}

/* A hostile answer with one endless value (17 MiB, in pieces) is
 * refused by the reader's limits, not held. */
static void test_huge_value(void)
{
    static const char head[] =
        "<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\">"
        "<D:response><D:href>/c/a.ics</D:href><D:propstat><D:prop>"
        "<D:getetag>";
    static const char tail[] =
        "</D:getetag></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
        "</D:propstat></D:response></D:multistatus>";
    struct caldav_multistatus ms;
    struct seen s;
    struct err e;
    struct buf doc;
    char *piece = malloc(1u << 20);

    CHECK(piece != NULL);
    if (!piece)
        return;
    memset(piece, 'x', 1u << 20);
    buf_init(&doc);
    buf_adds(&doc, head);
    for (int i = 0; i < 17; i++) {
        buf_adds(&doc, "<![CDATA[");
        buf_add(&doc, piece, 1u << 20);
        buf_adds(&doc, "]]>");
    }
    buf_adds(&doc, tail);
    CHECK(!doc.failed);
    memset(&s, 0, sizeof(s));
    CHECK(caldav_xml_parse_mem(doc.data, doc.len, "https://x/c/", collect, &s,
                               &ms, &e) < 0);
    CHECK_INT(e.kind, ERR_PARSE);
    CHECK_INT(s.n, 0);
    buf_release(&doc);
    free(piece);
}

static void test_hrefs(void)
{
    char *a = caldav_href_normalise("/c/b%20c%40d%25e.ics");
    char *b = caldav_href_normalise("http://h:1/c/b c@d%25e.ics");
    char *c = caldav_href_normalise("/c/b%20c@d%25e.ics?x");
    char *d = caldav_href_for_uid("/c/", "1234-abcd@tiara-thanks");
    char *f = caldav_href_for_uid("/c/", "plain-uid");
    char *x = caldav_xml_escape("a<&>\"b");

    CHECK_STR(a, "/c/b%20c%40d%25e.ics");
    CHECK_STR(b, a);
    CHECK_STR(c, a);
    CHECK(d && strncmp(d, "/c/1234-abcd_tiara-thanks-", 26) == 0);
    CHECK_STR(f, "/c/plain-uid.ics");
    /* found by fuzz/fuzz_url.c: a URL in the query is not the href's */
    free(f);
    f = caldav_href_normalise("/c/a.ics?u=https://evil.example/b");
    CHECK_STR(f, "/c/a.ics");
    free(f);
    f = caldav_href_normalise("https://h?q=/c/");
    CHECK_STR(f, "/");
    CHECK_STR(x, "a&lt;&amp;&gt;&quot;b");
    free(a);
    free(b);
    free(c);
    free(d);
    free(f);
    free(x);
}

int main(int argc, char **argv)
{
    data_dir = argc > 1 ? argv[1] : "tests/data/caldav";
    test_server("radicale");
    test_server("xandikos");
    test_badtoken();
    test_memory_cases();
    test_huge_value();
    test_hrefs();
    return CHECK_DONE();
}
