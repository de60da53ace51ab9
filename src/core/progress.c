#define _POSIX_C_SOURCE 200809L
#include "mnsim/progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mn_progress {
    char label[64];
    char unit[16];
    double total;
    /* Lines instead of a bar (mn_progress_start_lines): one each `every`, last = the last one
     * printed (0: none yet). */
    double every;
    long last;
    char every_name[16], done_name[16];
    double start_s;
    double last_draw_s;
    int drawn;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static mn_progress *progress_new(const char *label, double total)
{
    if (getenv("MNSIM_NO_PROGRESS") || !(total > 0))
        return NULL;
    mn_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    p->total = total;
    p->start_s = now_s();
    p->last_draw_s = -1.0;
    return p;
}

mn_progress *mn_progress_start(const char *label, double total)
{
    return isatty(STDERR_FILENO) ? progress_new(label, total) : NULL;
}

mn_progress *mn_progress_start_lines(const char *label, double total, double every,
                                     const char *every_name, const char *done_name)
{
    if (!(every > 0) || !every_name || !done_name)
        return NULL;
    mn_progress *p = progress_new(label, total);
    if (p) {
        p->every = every;
        snprintf(p->every_name, sizeof p->every_name, "%s", every_name);
        snprintf(p->done_name, sizeof p->done_name, "%s", done_name);
    }
    return p;
}

/* "mnsim run: week 3 of 34 (day 21.0)" once a period, flushed (a log may be followed live). */
static void progress_line(mn_progress *p, double done)
{
    long k = (long)floor(done / p->every + 1e-9);
    if (k <= p->last)
        return;
    p->last = k;
    fprintf(stderr, "%s: %s %ld of %ld (%s %.1f)\n", p->label, p->every_name, k,
            (long)ceil(p->total / p->every - 1e-9), p->done_name, done);
    fflush(stderr);
}

void mn_progress_update(mn_progress *p, double done, const char *unit)
{
    if (!p)
        return;
    if (p->every > 0) {
        progress_line(p, done);
        return;
    }
    double t = now_s();
    /* Redraw at most 10 times a second: terminal output is slower than the model. */
    if (p->last_draw_s >= 0 && t - p->last_draw_s < 0.1 && done < p->total)
        return;
    p->last_draw_s = t;
    if (unit)
        snprintf(p->unit, sizeof p->unit, "%s", unit);
    double frac = done / p->total;
    frac = frac < 0 ? 0 : (frac > 1 ? 1 : frac);
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    int filled = (int)(frac * WIDTH);
    for (int i = 0; i < WIDTH; ++i)
        bar[i] = i < filled ? '#' : '-';
    bar[WIDTH] = '\0';
    double elapsed = t - p->start_s;
    double eta = frac > 0.01 ? elapsed * (1.0 - frac) / frac : 0.0;
    fprintf(stderr, "\r%s [%s] %5.1f%%  %.0f/%.0f %s  ETA %.0fs ", p->label, bar, 100.0 * frac,
            done, p->total, p->unit, eta);
    fflush(stderr);
    p->drawn = 1;
}

void mn_progress_finish(mn_progress **pp)
{
    if (!pp || !*pp)
        return;
    mn_progress *p = *pp;
    if (p->drawn) {
        mn_progress_update(p, p->total, NULL);
        fputc('\n', stderr);
    }
    free(p);
    *pp = NULL;
}
