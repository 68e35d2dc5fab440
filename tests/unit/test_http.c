/* SPDX-License-Identifier: MIT */
/* test_http.c - URL helpers of the HTTP module: no secret in messages */
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

    http_redact_url("https://me:s3cret@dav.example.com/cal/", out, sizeof(out));
    CHECK_STR(out, "https://dav.example.com/cal/");
    CHECK(strstr(out, "s3cret") == NULL);
    http_redact_url("http://h:8080/a@b/", out, sizeof(out));
    CHECK_STR(out, "http://h:8080/a@b/"); /* an @ in the path stays */

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
