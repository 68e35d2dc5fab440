/* SPDX-License-Identifier: MIT */
/* util.c - string buffers, number parsing and careful file helpers */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unistd.h>
#include <wchar.h>

#include "util.h"

int util_grow(void *arrp, size_t *cap, size_t need, size_t size)
{
    size_t want = *cap + *cap / 2;
    void *old, *p;

    if (want < 16)
        want = 16;
    if (want < need)
        want = need;
    if (size && want > SIZE_MAX / size)
        return -1;
    /* memcpy: *arrp is a T *, read and written without aliasing it. */
    memcpy(&old, arrp, sizeof(old));
    p = realloc(old, want * size);
    if (!p)
        return -1;
    memcpy(arrp, &p, sizeof(p));
    *cap = want;
    return 0;
}

void buf_init(struct buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void buf_release(struct buf *b)
{
    if (!b)
        return;
    free(b->data);
    buf_init(b);
}

static int buf_reserve(struct buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > SIZE_MAX - b->len - 1 ||
        ALLOC_GROW(b->data, b->len + extra + 1, b->cap) < 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

int buf_add(struct buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int buf_adds(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        b->failed = 1;
    if (n < 0 || buf_reserve(b, (size_t)n) < 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *buf_steal(struct buf *b)
{
    char *p = b->data;

    if (b->failed) {
        free(p);
        p = NULL;
    } else if (!p) {
        p = calloc(1, 1);
    }
    buf_init(b);
    return p;
}

char *util_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

int util_set_str(char **slot, const char *s)
{
    char *copy = NULL;

    if (s && !(copy = strdup(s)))
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

int util_empty(const char *s)
{
    return !s || !*s;
}

int util_streq_ci(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

int util_contains_ci(const char *hay, const char *needle)
{
    size_t n;

    if (!hay || !needle)
        return 0;
    n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

int util_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    if (util_empty(s) || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int util_parse_duration(const char *s, long *seconds, struct err *err)
{
    const char *p = s;
    long total = 0;
    int parts = 0;

    if (util_empty(s))
        return err_set(err, ERR_INPUT, "empty length");
    if (*s == '-')
        return err_set(err, ERR_INPUT, "length '%s' is negative", s);
    while (*p) {
        long v = 0, unit;
        int digits = 0;

        while (isdigit((unsigned char)*p)) {
            if (v > 100000000L)
                return err_set(err, ERR_INPUT, "length '%s' is absurd", s);
            v = v * 10 + (*p++ - '0');
            digits++;
        }
        if (!digits)
            return err_set(err, ERR_INPUT,
                           "cannot read length '%s' (try 30m, 1h or 1h30m)", s);
        switch (*p) {
        case 'h':
            unit = 3600;
            p++;
            break;
        case 'm':
            unit = 60;
            p += strncmp(p, "min", 3) == 0 ? 3 : 1;
            break;
        case 's':
            unit = 1;
            p++;
            break;
        case '\0':
            if (parts)
                return err_set(err, ERR_INPUT,
                               "cannot read length '%s' (unit missing)", s);
            unit = 60; /* a bare number is minutes */
            break;
        default:
            return err_set(err, ERR_INPUT,
                           "cannot read length '%s' (try 30m, 1h or 1h30m)", s);
        }
        if (v > (LONG_MAX - total) / unit || v * unit + total > 366L * 86400)
            return err_set(err, ERR_INPUT, "length '%s' is absurd", s);
        total += v * unit;
        parts++;
    }
    *seconds = total;
    return 0;
}

char *util_random_hex(size_t nbytes)
{
    unsigned char raw[64];
    char *out;
    size_t i;

    if (nbytes > sizeof(raw))
        return NULL;
    if (getrandom(raw, nbytes, 0) != (ssize_t)nbytes)
        return NULL;
    out = malloc(nbytes * 2 + 1);
    if (!out)
        return NULL;
    for (i = 0; i < nbytes; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return out;
}

int util_temp_beside(const char *path, char **tmp, int *fd, struct err *err)
{
    struct buf b;
    int f;

    buf_init(&b);
    if (buf_printf(&b, "%s.tmp-XXXXXX", path) < 0)
        return err_set(err, ERR_NOMEM, "out of memory");
    f = mkstemp(b.data);
    if (f < 0) {
        err_set(err, ERR_IO, "cannot write beside '%s': %s", path,
                strerror(errno));
        buf_release(&b);
        return -1;
    }
    *tmp = buf_steal(&b);
    *fd = f;
    return 0;
}

int util_mkdirs(const char *dir, struct err *err)
{
    char *copy = util_strdup(dir);
    char *p;
    int ret = -1;

    if (!copy)
        return err_set(err, ERR_NOMEM, "out of memory");
    for (p = copy + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;

            *p = '\0';
            if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
                err_set(err, ERR_IO, "cannot create '%s': %s", copy,
                        strerror(errno));
                goto out;
            }
            *p = saved;
            if (!saved)
                break;
        }
    }
    ret = 0;
out:
    free(copy);
    return ret;
}

int util_read_file(const char *path, char **out, size_t *len, struct err *err)
{
    FILE *f = fopen(path, "rb");
    struct buf b;
    char chunk[65536];
    size_t n;

    if (!f)
        return err_set(err, ERR_IO, "cannot read '%s': %s", path,
                       strerror(errno));
    buf_init(&b);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (buf_add(&b, chunk, n) < 0) {
            fclose(f);
            buf_release(&b);
            return err_set(err, ERR_NOMEM, "out of memory reading '%s'", path);
        }
    }
    if (ferror(f)) {
        err_set(err, ERR_IO, "cannot read '%s': %s", path, strerror(errno));
        fclose(f);
        buf_release(&b);
        return -1;
    }
    fclose(f);
    if (len)
        *len = b.len;
    *out = buf_steal(&b);
    return 0;
}

/* The code point at 's' and its length in bytes, or -1 when the bytes
 * there are not UTF-8 (overlong forms, surrogates and beyond U+10FFFF
 * included). */
static long utf8_at(const unsigned char *s, int *len)
{
    long cp;
    int n, i;

    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    if ((s[0] & 0xe0) == 0xc0)
        n = 2, cp = s[0] & 0x1f;
    else if ((s[0] & 0xf0) == 0xe0)
        n = 3, cp = s[0] & 0x0f;
    else if ((s[0] & 0xf8) == 0xf0)
        n = 4, cp = s[0] & 0x07;
    else
        return -1;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
        (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *len = n;
    return cp;
}

/* What may not stand in a kept text: C0 and C1 controls and DEL (a
 * terminal obeys them), and the direction overrides and isolates that
 * make a name read as something else. */
static int unfit(long cp, int lines)
{
    if (cp == '\n' || cp == '\t')
        return !lines;
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

const char *util_text_problem(const char *s, int lines)
{
    const unsigned char *p = (const unsigned char *)s;
    int n;

    while (p && *p) {
        long cp = utf8_at(p, &n);

        if (cp < 0)
            return "is not valid UTF-8";
        if (unfit(cp, lines))
            return cp >= 0x202a ? "has a text-direction override"
                                : "has control characters";
        p += n;
    }
    return NULL;
}

static void text_clean(char *s, size_t max, int lines)
{
    unsigned char *p = (unsigned char *)s, *out = p;
    int n;

    if (!s)
        return;
    while (*p) {
        long cp = utf8_at(p, &n);

        if (cp < 0 || unfit(cp, lines)) {
            n = cp < 0 ? 1 : n;
            if ((size_t)(out - (unsigned char *)s) + 1 > max)
                break;
            *out++ = ' ';
        } else {
            if ((size_t)(out - (unsigned char *)s) + (size_t)n > max)
                break;
            memmove(out, p, (size_t)n);
            out += n;
        }
        p += n;
    }
    *out = '\0';
}

void util_text_clean(char *s, size_t max)
{
    text_clean(s, max, 0);
}

void util_text_clean_lines(char *s, size_t max)
{
    text_clean(s, max, 1);
}

size_t util_utf8_prefix(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int n;

    while (*p && utf8_at(p, &n) >= 0)
        p += n;
    return (size_t)(p - (const unsigned char *)s);
}

/* Columns of one code point: wcwidth knows wide and combining characters
 * only under a UTF-8 locale, so one is used here whatever the process's
 * locale; without one, each code point is a column. */
static int cp_width(long cp)
{
    static locale_t utf8 = (locale_t)0;
    static int tried;
    locale_t old;
    int w;

    if (!tried) {
        tried = 1;
        utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    if (!utf8)
        return 1;
    old = uselocale(utf8);
    w = wcwidth((wchar_t)cp);
    uselocale(old);
    return w < 0 ? 1 : w;
}

size_t util_display_cut(const char *s, int cols, int *used)
{
    const unsigned char *p = (const unsigned char *)s;
    int n, w, total = 0;

    while (p && *p) {
        long cp = utf8_at(p, &n);

        w = cp < 0 ? 1 : cp_width(cp);
        if (cp < 0)
            n = 1;
        if (total + w > cols)
            break;
        total += w;
        p += n;
    }
    if (used)
        *used = total;
    return p ? (size_t)(p - (const unsigned char *)s) : 0;
}

int util_display_width(const char *s)
{
    int used;

    util_display_cut(s, INT_MAX, &used);
    return used;
}

const char *util_tmpdir(void)
{
    const char *d = getenv("TMPDIR");

    return d && d[0] == '/' ? d : "/tmp";
}

FILE *util_tmpfile(void)
{
    struct buf path;
    FILE *f = NULL;
    int fd, saved;

    buf_init(&path);
    if (buf_printf(&path, "%s/tiara-XXXXXX", util_tmpdir()) < 0 ||
        path.failed) {
        errno = ENOMEM;
        return NULL;
    }
    fd = mkostemp(path.data, O_CLOEXEC);
    if (fd >= 0) {
        unlink(path.data); /* gone with the last descriptor, even on kill */
        if (!(f = fdopen(fd, "w+"))) {
            saved = errno;
            close(fd);
            errno = saved;
        }
    }
    buf_release(&path);
    return f;
}

char *util_find_in_path(const char *name)
{
    const char *path = getenv("PATH");
    struct buf b;

    if (!path || !*path)
        path = "/usr/bin:/bin";
    buf_init(&b);
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);

        b.len = 0;
        if (len > 0 && buf_add(&b, path, len) == 0 &&
            buf_printf(&b, "/%s", name) == 0 && access(b.data, X_OK) == 0)
            return buf_steal(&b);
        path += len + (colon ? 1 : 0);
    }
    buf_release(&b);
    return NULL;
}

/* UTF-8 into UTF-16 (caller frees), as ICU wants it. */
static UChar *to_utf16(const char *s, int32_t *len)
{
    UErrorCode e = U_ZERO_ERROR;
    UChar *u;

    u_strFromUTF8WithSub(NULL, 0, len, s, -1, 0xfffd, NULL, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        return NULL;
    if (!(u = malloc(((size_t)*len + 1) * sizeof(*u))))
        return NULL;
    e = U_ZERO_ERROR;
    u_strFromUTF8WithSub(u, *len + 1, len, s, -1, 0xfffd, NULL, &e);
    if (U_FAILURE(e)) {
        free(u);
        return NULL;
    }
    return u;
}

char *util_fold(const char *s)
{
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
    UChar *in, *folded = NULL;
    char *out = NULL;
    int32_t n, m = 0, bytes;

    if (U_FAILURE(e) || !(in = to_utf16(s ? s : "", &n)))
        return NULL;
    /* a fold may grow the text (U+FB03 is "ffi"): ask, then do */
    m = unorm2_normalize(nfkc_cf, in, n, NULL, 0, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        goto out;
    e = U_ZERO_ERROR;
    if (!(folded = malloc(((size_t)m + 1) * sizeof(*folded))))
        goto out;
    unorm2_normalize(nfkc_cf, in, n, folded, m + 1, &e);
    if (U_FAILURE(e))
        goto out;
    u_strToUTF8(NULL, 0, &bytes, folded, m, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        goto out;
    e = U_ZERO_ERROR;
    if (!(out = malloc((size_t)bytes + 1)))
        goto out;
    u_strToUTF8(out, bytes + 1, NULL, folded, m, &e);
    if (U_FAILURE(e)) {
        free(out);
        out = NULL;
    }
out:
    free(in);
    free(folded);
    return out;
}
