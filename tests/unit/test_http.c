/* SPDX-License-Identifier: MIT */
/* test_http.c - the HTTP module without a network: the retry rule, URL
 * helpers (no secret in messages) */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "http.h"

int main(void)
{
    char out[256];
    char *r;
    struct http *h = NULL;
    struct http_options o;
    struct http_stats st;
    struct err e;

    /* The retry rule: what is asked again, and how long it waits. */
    for (long code = 100; code < 600; code++)
        CHECK_INT(http_retry_status(code),
                  code == 429 || code == 502 || code == 503 || code == 504);
    CHECK_INT(http_retry_wait(200, 0), 200);
    CHECK_INT(http_retry_wait(800, 0), 800);
    CHECK_INT(http_retry_wait(200, 2), 2000);
    CHECK_INT(http_retry_wait(200, 5), 5000);
    CHECK_INT(http_retry_wait(200, 6), 5000);
    CHECK_INT(http_retry_wait(200, 86400L * 365), 5000);

    /* Where credentials may follow. */
    CHECK(http_may_move("https://dav.example.com/a/",
                        "https://DAV.example.com:443/b/"));
    CHECK(http_may_move("http://h:8080/a/", "http://h:8080/c/"));
    CHECK(http_may_move("http://h/a/", "https://h/a/"));
    CHECK(http_may_move("http://h:5232/a/", "https://h:5232/a/"));
    CHECK(!http_may_move("https://h/a/", "http://h/a/"));
    CHECK(!http_may_move("https://h/a/", "https://evil.example/a/"));
    CHECK(!http_may_move("https://h/a/", "https://h:8443/a/"));
    CHECK(!http_may_move("https://h/a/", "https://h.evil.example/a/"));
    CHECK(!http_may_move("https://h/a/", "https://x@evil.example/a/"));
    CHECK(http_may_move("https://me@h/a/", "https://h/a/"));
    CHECK(!http_may_move("https://h/a/", "ftp://h/a/"));
    CHECK(!http_may_move("https://h/a/", "/a/"));

    http_redact_url("https://me:s3cret@dav.example.com/cal/", out, sizeof(out));
    CHECK_STR(out, "https://dav.example.com/cal/");
    CHECK(strstr(out, "s3cret") == NULL);
    http_redact_url("http://h:8080/a@b/", out, sizeof(out));
    CHECK_STR(out, "http://h:8080/a@b/"); /* an @ in the path stays */
    /* a password with an '@' in it: all of it goes */
    http_redact_url("https://me:p@ss@h/cal/", out, sizeof(out));
    CHECK_STR(out, "https://h/cal/");
    /* an '@' in the query is not a user part */
    http_redact_url("https://h?to=a@b", out, sizeof(out));
    CHECK_STR(out, "https://h?to=a@b");

    r = http_resolve("http://h:1/a/b/", "/c/d.ics");
    CHECK_STR(r, "http://h:1/c/d.ics");
    free(r);
    r = http_resolve("http://h:1/a/b/", "e.ics");
    CHECK_STR(r, "http://h:1/a/b/e.ics");
    free(r);
    r = http_resolve("http://h:1/a/b/", "https://other/x/");
    CHECK_STR(r, "https://other/x/");
    free(r);
    r = http_resolve("http://h:1", "/x/");
    CHECK_STR(r, "http://h:1/x/");
    free(r);
    /* found by fuzz/fuzz_url.c: "://" in a path's query made it a URL */
    r = http_resolve("http://h:1", "/x:///");
    CHECK_STR(r, "http://h:1/x:///");
    free(r);
    r = http_resolve("https://h/cal/", "/a.ics?u=https://evil.example/b");
    CHECK_STR(r, "https://h/a.ics?u=https://evil.example/b");
    free(r);
    /* the base's query is not part of its path (RFC 3986 5.2) */
    r = http_resolve("https://h?q=/x/", "/a.ics");
    CHECK_STR(r, "https://h/a.ics");
    free(r);
    r = http_resolve("https://h/a/b?q=/x/y", "c.ics");
    CHECK_STR(r, "https://h/a/c.ics");
    free(r);
    CHECK_INT(http_scheme_len("https://h/"), 8);
    CHECK_INT(http_scheme_len("/a?u=https://h/"), 0);
    CHECK_INT(http_scheme_len("://h/"), 0);

    memset(&o, 0, sizeof(o));
    o.user = "me";
    o.password = "s3cret";
    CHECK(http_open(&o, &h, &e) == 0);
    http_get_stats(h, &st);
    CHECK_INT(st.requests, 0);
    http_close(h);
    http_close(NULL);
    return CHECK_DONE();
}
