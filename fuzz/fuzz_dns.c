/* SPDX-License-Identifier: MIT */
/* fuzz_dns.c - libFuzzer harness for the DNS answers of RFC 6764
 * discovery: whatever a resolver hands back gives no URL, or an https
 * URL whose host is a host name, whose port is the record's, and whose
 * path is a path (no user part, no spaces or controls) */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caldav_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_url(const char *url)
{
    const char *host = url + 8, *p;
    char *end;
    long port;

    if (strncmp(url, "https://", 8) != 0)
        abort();
    for (p = host;
         isalnum((unsigned char)*p) || *p == '-' || *p == '.' || *p == '_'; p++)
        ;
    if (p == host || *p != ':')
        abort();
    port = strtol(p + 1, &end, 10);
    if (end == p + 1 || port < 0 || port > 65535 || *end != '/')
        abort();
    for (p = end; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || *p == '#')
            abort();
}

/* Two big-endian bytes give the SRV answer's length; it follows, and
 * the rest is the TXT answer. */
/* A copy of its own, so that reading past either answer is seen. */
static unsigned char *copy_of(const uint8_t *data, size_t n)
{
    unsigned char *c = malloc(n ? n : 1);

    if (!c)
        abort();
    memcpy(c, data, n);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t srv_len;
    unsigned char *srv, *txt;
    char *url;

    if (size < 2)
        return 0;
    srv_len = (size_t)(data[0] << 8 | data[1]);
    if (srv_len > size - 2)
        srv_len = size - 2;
    srv = copy_of(data + 2, srv_len);
    txt = copy_of(data + 2 + srv_len, size - 2 - srv_len);
    url = caldav_srv_url(srv, srv_len, txt, size - 2 - srv_len);
    if (url)
        check_url(url);
    free(url);
    free(srv);
    free(txt);
    return 0;
}
