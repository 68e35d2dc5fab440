/* SPDX-License-Identifier: MIT */
/* fuzz_url.c - libFuzzer harness for URLs and hrefs: a path a server
 * gives resolves onto the origin it came from, an absolute URL stays as
 * it is, a URL made fit for a message keeps no user or password, and an
 * href's canonical form is canonical */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caldav.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* RFC 3986 3.1 and 3.2: "scheme://"; its length, or 0 for none. */
static size_t scheme_len(const char *s)
{
    size_t n = 0;

    if (!isalpha((unsigned char)s[0]))
        return 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-' ||
           s[n] == '.')
        n++;
    return strncmp(s + n, "://", 3) == 0 ? n + 3 : 0;
}

/* The authority: from "scheme://" to the first '/', '?' or '#'. */
static size_t authority(const char *url, const char **start)
{
    size_t n = scheme_len(url);

    *start = url + n;
    return n ? strcspn(url + n, "/?#") : 0;
}

static int canonical_char(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    if (*s == '%')
        return s[1] && strchr(hex, s[1]) && s[2] && strchr(hex, s[2]);
    return isalnum((unsigned char)*s) || strchr("-._~/", *s);
}

static void check_canonical(const char *href)
{
    char *n = caldav_href_normalise(href), *again;

    if (!n)
        abort();
    for (const char *p = n; *p; p += *p == '%' ? 3 : 1)
        if (!canonical_char(p))
            abort();
    again = caldav_href_normalise(n);
    if (!again || strcmp(again, n) != 0)
        abort();
    free(again);
    free(n);
}

static void check_redacted(const char *url)
{
    char out[2048];
    const char *a, *b;
    size_t na = authority(url, &a), nb;

    http_redact_url(url, out, sizeof(out));
    nb = authority(out, &b);
    if (memchr(b, '@', nb))
        abort();
    if (!memchr(a, '@', na) && strcmp(out, url) != 0)
        abort();
}

static void check_resolved(const char *base, const char *ref)
{
    char *r = http_resolve(base, ref), *nr, *nref;

    if (!r)
        abort();
    if (scheme_len(ref)) {
        if (strcmp(r, ref) != 0)
            abort();
    } else if (http_may_move(base, base)) {
        /* a path, however it is spelt, stays on the origin */
        if (!http_may_move(base, r) || strncmp(r, base, scheme_len(base)))
            abort();
        if (ref[0] == '/') {
            nr = caldav_href_normalise(r);
            nref = caldav_href_normalise(ref);
            if (!nr || !nref || strcmp(nr, nref) != 0)
                abort();
            free(nr);
            free(nref);
        }
    }
    check_redacted(r);
    free(r);
}

/* The href tiara makes for a new entry is already in canonical form, or
 * sync would not know its own. */
static void check_new_href(const char *collection, const char *uid)
{
    char *coll = caldav_href_normalise(collection), *h, *n;
    size_t len;

    if (!coll)
        abort();
    len = strlen(coll);
    if (len == 0 || coll[len - 1] != '/') {
        free(coll);
        return;
    }
    h = caldav_href_for_uid(coll, uid);
    n = h ? caldav_href_normalise(h) : NULL;
    if (!n || strcmp(n, h) != 0)
        abort();
    free(n);
    free(h);
    free(coll);
}

/* "base\nref": the URL a server was asked at and what it answered. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *ref;

    if (size > 1024)
        return 0;
    text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    ref = strchr(text, '\n');
    if (ref)
        *ref++ = '\0';
    else
        ref = text + size;
    check_redacted(text);
    check_canonical(text);
    check_canonical(ref);
    check_resolved(text, ref);
    check_new_href(ref, text);
    free(text);
    return 0;
}
