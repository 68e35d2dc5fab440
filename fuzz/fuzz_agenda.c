/* SPDX-License-Identifier: MIT */
/* fuzz_agenda.c - libFuzzer harness for the timer's agenda and warning
 * lists (an agenda also comes in with imported files): what is read is
 * well formed, prints back to the same plan, and a clock started on it
 * splits the slot in order; a refusal leaves the result untouched */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timer.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(const struct err *e, const void *out,
                          const void *before, size_t n)
{
    if (e->kind == ERR_NONE || !e->msg[0] || memcmp(out, before, n) != 0)
        abort();
}

/* Well formed: names trimmed, non-empty, free of the separators. */
static void check_agenda(const struct timer_agenda *ag)
{
    long total = 0;

    if (ag->n < 1 || ag->n > TIMER_MAX_PHASES)
        abort();
    for (int i = 0; i < ag->n; i++) {
        const char *name = ag->phase[i].name;
        size_t len = strnlen(name, sizeof(ag->phase[i].name));

        if (len == 0 || len == sizeof(ag->phase[i].name) ||
            strpbrk(name, ",:") || name[0] == ' ' || name[0] == '\t' ||
            name[len - 1] == ' ' || name[len - 1] == '\t' ||
            ag->phase[i].weight < 0)
            abort();
        total += ag->phase[i].weight;
    }
    if (total <= 0)
        abort();
}

/* The slot, up to the 12 hours 'tiara timer --for' allows, is split in
 * agenda order and adds up exactly. */
static void check_clock(const struct timer_agenda *ag, int64_t slot_ms)
{
    struct timer t;
    const int64_t now = 1795348800000LL;

    timer_init(&t, now, now + slot_ms, ag, NULL);
    if (t.cum[0] != 0 || t.cum[ag->n] != slot_ms)
        abort();
    for (int i = 0; i < ag->n; i++)
        if (t.cum[i] > t.cum[i + 1])
            abort();
}

static void fuzz_agenda(const char *text, int64_t slot_ms)
{
    struct timer_agenda ag, again, before;
    struct err e = {0};
    struct buf b;
    char *printed;

    memset(&ag, 0x5a, sizeof(ag));
    before = ag;
    if (timer_agenda_parse(text, &ag, &e) < 0) {
        check_refusal(&e, &ag, &before, sizeof(ag));
        return;
    }
    check_agenda(&ag);
    buf_init(&b);
    for (int i = 0; i < ag.n; i++)
        buf_printf(&b, "%s%s:%lds", i ? "," : "", ag.phase[i].name,
                   ag.phase[i].weight);
    printed = buf_steal(&b);
    if (!printed)
        abort();
    memset(&again, 0, sizeof(again));
    if (timer_agenda_parse(printed, &again, &e) < 0 ||
        memcmp(&again, &ag, sizeof(ag)) != 0) {
        fprintf(stderr, "'%s' printed as '%s': %s\n", text, printed, e.msg);
        abort();
    }
    free(printed);
    check_clock(&ag, slot_ms);
}

static void fuzz_warnings(const char *text)
{
    struct timer_warnings w, before;
    struct err e = {0};

    memset(&w, 0x5a, sizeof(w));
    before = w;
    if (timer_warnings_parse(text, &w, &e) < 0) {
        check_refusal(&e, &w, &before, sizeof(w));
        return;
    }
    /* largest first, no repeats, none at or after the end */
    if (w.n < 0 || w.n > TIMER_MAX_WARNINGS)
        abort();
    for (int i = 0; i < w.n; i++)
        if (w.offset_ms[i] <= 0 ||
            (i > 0 && w.offset_ms[i] >= w.offset_ms[i - 1]))
            abort();
}

/* The first byte chooses: bit 7 a warning list instead of an agenda;
 * bits 0-6 the slot's length, in units of about 6 minutes, up to 12 h. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (size < 1 || size > 1024)
        return 0;
    text = malloc(size);
    if (!text)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] & 0x80)
        fuzz_warnings(text);
    else
        fuzz_agenda(text, (int64_t)(data[0] & 0x7f) * 12 * 3600000 / 127 +
                              (data[0] & 1) * 777);
    free(text);
    return 0;
}
