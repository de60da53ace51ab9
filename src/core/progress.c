#define _POSIX_C_SOURCE 200809L
#include "mnsim/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mn_progress {
    char label[64];
    char unit[16];
    double total;
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

mn_progress *mn_progress_start(const char *label, double total)
{
    if (!isatty(STDERR_FILENO) || getenv("MNSIM_NO_PROGRESS") || !(total > 0))
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

void mn_progress_update(mn_progress *p, double done, const char *unit)
{
    if (!p)
        return;
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
