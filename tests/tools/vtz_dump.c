/* SPDX-License-Identifier: MIT */
/* vtz_dump.c - tiara's zones, for the tests. "vtz_dump YEAR": one
 * VCALENDAR holding tz_vtimezone(zone, YEAR) for each zone named on
 * stdin. "vtz_dump --offsets": for each "ZONE SECONDS" line, the offset
 * tz.c gives that UTC instant in that zone. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"
#include "tzif.h"
#include "util.h"

static int offsets(void)
{
    char line[256], zone[128];
    int64_t t;
    int status = 0;

    while (fgets(line, sizeof(line), stdin)) {
        struct civil c;
        struct err err = {0};
        int off;

        if (sscanf(line, "%127s %" SCNd64, zone, &t) != 2) {
            fprintf(stderr, "vtz_dump: bad line '%s'\n", line);
            return 2;
        }
        if (tz_from_utc(zone, t, &c, &off, &err) < 0) {
            fprintf(stderr, "vtz_dump: %s\n", err.msg);
            status = 1;
            off = -1;
        }
        printf("%d\n", off);
    }
    return status;
}

int main(int argc, char **argv)
{
    char line[256];
    long year;
    int status = 0;

    if (argc == 2 && strcmp(argv[1], "--offsets") == 0)
        return offsets();
    if (argc != 2 || util_parse_long(argv[1], 1900, 2200, &year) < 0) {
        fprintf(stderr, "usage: vtz_dump YEAR < zone-names\n"
                        "       vtz_dump --offsets < zone-and-seconds\n");
        return 2;
    }
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tiara//vtz_dump//EN\r\n",
          stdout);
    while (fgets(line, sizeof(line), stdin)) {
        struct err err = {0};
        char *text;

        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        text = tz_vtimezone(line, (int)year, &err);
        if (!text) {
            fprintf(stderr, "vtz_dump: %s: %s\n", line, err.msg);
            status = 1;
            continue;
        }
        fputs(text, stdout);
        free(text);
    }
    fputs("END:VCALENDAR\r\n", stdout);
    return status;
}
