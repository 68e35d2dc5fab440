/* SPDX-License-Identifier: MIT */
/* show.c - one interview: when, where, its tasks, timer results, notes */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tz.h"
#include "util.h"

static const char show_usage[] =
    "usage: tiara show INTERVIEW [-j|--json] [-o FILE]\n"
    "\n"
    "Show an interview: when, where, its tasks, timer results, notes.\n"
    "\n"
    "  --json   one JSON object instead (docs/json.md)\n";

int cmd_show(struct cli *cli, int argc, char **argv)
{
    struct interview iv;
    struct contact host;
    struct err err;
    char when[32], when2[32], said[96], *next;
    int json = 0, first, rc;
    const struct cli_opt opts[] = {
        {"json", 'j', CLI_FLAG, &json},
        CLI_OUTPUT_OPT,
        {NULL, 0, 0, NULL},
    };
    const struct cli_args args = {"show", show_usage, "one INTERVIEW", 1, 1};

    err_clear(&err);
    rc = cli_parse(&args, opts, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (store_interview_find(cli->st, argv[first], cli->now, &iv, &err) < 0)
        return cli_fail(&err);
    if (store_contact_get(cli->st, iv.contact_id, &host, &err) < 0) {
        model_interview_release(&iv);
        return cli_fail(&err);
    }
    if (json) {
        rc = cli_json_print(cli_json_interview(cli, &iv, host.name), &err);
        model_interview_release(&iv);
        model_contact_release(&host);
        return rc < 0 ? cli_fail(&err) : 0;
    }
    printf("interview #%lld with %s%s\n", (long long)iv.id, host.name,
           iv.status == STATUS_CANCELLED ? " (cancelled)" : "");
    cli_print_plan(cli, &iv, &host);
    if (iv.title)
        printf("  title:     %s\n", iv.title);
    printf("  how:       %s%s%s\n", model_mode_name(iv.mode),
           iv.location ? ", " : "", iv.location ? iv.location : "");
    if (iv.video_url)
        printf("  link:      %s\n", iv.video_url);
    cli_itip_hint(cli, &iv, said, sizeof(said));
    /* ", host accepted, host proposes ...": one line each */
    for (char *p = said; *p; p = next) {
        next = strstr(p + 2, ", ");
        next = next ? next : p + strlen(p);
        printf("  host:      %.*s\n", (int)(next - p - 7), p + 7);
    }
    if (iv.agenda)
        printf("  agenda:    %s\n", iv.agenda);
    printf("  prepared:  %s\n", iv.prep_done ? "yes" : "not yet");
    printf("  thanked:   %s\n", iv.thanked ? "yes" : "not yet");
    if (iv.actual_start) {
        tz_format_time(cli->zone, iv.actual_start, when, sizeof(when));
        tz_format_time(cli->zone, iv.actual_end, when2, sizeof(when2));
        long long secs = (long long)(iv.actual_end - iv.actual_start);

        /* to the second: a 2:29 meeting is not "3 min" */
        printf("  held:      %s to %s (%lld min %02lld s)\n", when, when2 + 11,
               secs / 60, secs % 60);
    }
    if (iv.notes) {
        /* each line of the notes under the first, not at the margin */
        const char *line = iv.notes, *nl;

        printf("  notes:     ");
        while ((nl = strchr(line, '\n'))) {
            printf("%.*s\n             ", (int)(nl - line), line);
            line = nl + 1;
        }
        printf("%s\n", line);
    }
    printf("  uid:       %s (sequence %d)\n", iv.uid, iv.seq);
    model_interview_release(&iv);
    model_contact_release(&host);
    return 0;
}
