/* SPDX-License-Identifier: MIT */
/* fuzz_caldav_xml.c - libFuzzer harness for the WebDAV multistatus reader:
 * whatever a server sends must give items or a clean error */
#include <stdint.h>
#include <string.h>

#include "caldav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touch every field the sync engine reads, so sanitizers see bad ones. */
static int on_item(const struct caldav_item *it, void *ctx)
{
    size_t *sum = ctx;
    const char *fields[] = {it->href,       it->etag,        it->ctag,
                            it->sync_token, it->displayname, it->calendar_data,
                            it->principal,  it->home_set};

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (fields[i])
            *sum += strlen(fields[i]);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct caldav_multistatus ms;
    size_t sum = 0;

    memset(&ms, 0, sizeof(ms));
    caldav_xml_parse_mem((const char *)data, size, "fuzz", on_item, &sum, &ms,
                         NULL);
    caldav_multistatus_release(&ms);
    return 0;
}
