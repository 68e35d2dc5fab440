/* SPDX-License-Identifier: MIT */
/* ics_lint.c - libical's strict reading of an .ics file, for the tests:
 * parse errors, RFC 5545 restrictions, UIDs and VTIMEZONE references */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int problems;

static void problem(const char *what, const char *detail)
{
    fprintf(stderr, "ics_lint: %s: %s\n", what, detail ? detail : "");
    problems++;
}

static int has_vtimezone(icalcomponent *cal, const char *tzid)
{
    icalcompiter it;
    icalcomponent *z;

    /* An external iterator: the caller is walking cal's own iterator. */
    for (it = icalcomponent_begin_component(cal, ICAL_VTIMEZONE_COMPONENT);
         (z = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
        icalproperty *p =
            icalcomponent_get_first_property(z, ICAL_TZID_PROPERTY);

        if (p && strcmp(icalproperty_get_tzid(p), tzid) == 0)
            return 1;
    }
    return 0;
}

static void check_tree(icalcomponent *cal, icalcomponent *c)
{
    icalproperty *p;
    icalcomponent *sub;
    icalcomponent_kind k = icalcomponent_isa(c);

    for (p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
        icalparameter *tz;

        if (icalproperty_isa(p) == ICAL_XLICERROR_PROPERTY)
            problem("parse error", icalproperty_get_xlicerror(p));
        tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
        if (tz && k != ICAL_VTIMEZONE_COMPONENT &&
            !has_vtimezone(cal, icalparameter_get_tzid(tz)))
            problem("TZID without VTIMEZONE", icalparameter_get_tzid(tz));
    }
    if (k == ICAL_VEVENT_COMPONENT || k == ICAL_VTODO_COMPONENT) {
        if (!icalcomponent_get_first_property(c, ICAL_UID_PROPERTY))
            problem("component without UID", icalcomponent_get_summary(c));
        if (!icalcomponent_get_first_property(c, ICAL_DTSTAMP_PROPERTY))
            problem("component without DTSTAMP", icalcomponent_get_uid(c));
    }
    for (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub;
         sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
        check_tree(cal, sub);
}

int main(int argc, char **argv)
{
    FILE *f;
    char *text;
    long n;
    icalcomponent *cal;
    int count = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: ics_lint FILE\n");
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0) {
        perror(argv[1]);
        return 2;
    }
    rewind(f);
    text = malloc((size_t)n + 1);
    if (!text || fread(text, 1, (size_t)n, f) != (size_t)n)
        return 2;
    text[n] = '\0';
    fclose(f);
    /* RFC 5545 3.1: lines end in CRLF. */
    for (long i = 0; i < n; i++)
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            problem("bare LF line ending", "");
    cal = icalparser_parse_string(text);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        problem("not a VCALENDAR", argv[1]);
        return 1;
    }
    /* libical's RFC 5545 restriction table: property counts and values. */
    icalrestriction_check(cal);
    check_tree(cal, cal);
    for (icalcomponent *c =
             icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT);
         c; c = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT))
        count++;
    icalcomponent_free(cal);
    free(text);
    if (problems)
        return 1;
    printf("ok %d components\n", count);
    return 0;
}
