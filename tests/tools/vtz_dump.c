/* SPDX-License-Identifier: MIT */
/* vtz_dump.c - the VTIMEZONEs tiara writes, for the tests: one VCALENDAR
 * holding ics_vtimezone(zone, year) for each zone named on stdin */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics.h"
#include "util.h"

int main(int argc, char **argv)
{
    char line[256];
    long year;
    int status = 0;

    if (argc != 2 || util_parse_long(argv[1], 1900, 2200, &year) < 0) {
        fprintf(stderr, "usage: vtz_dump YEAR < zone-names\n");
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
        text = ics_vtimezone(line, (int)year, &err);
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
