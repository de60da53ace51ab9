/* Progress on stderr: a bar on a terminal (silent when stderr is not one: CI, pipes, files), or
 * one line a period for logs. MNSIM_NO_PROGRESS in the environment silences both. */
#ifndef MNSIM_PROGRESS_H
#define MNSIM_PROGRESS_H

#include "mnsim/export.h"

typedef struct mn_progress mn_progress;

/* `label` is shown before the bar, `total` is the amount of work (e.g. simulated days).
 * Returns NULL (a valid, silent progress) when stderr is not a terminal or on no memory. */
MN_EXPORT mn_progress *mn_progress_start(const char *label, double total);
/* One line on stderr each time `done` passes a multiple of `every` (also when stderr is not a
 * terminal), e.g. label "mnsim run", every 7, "week", "day": "mnsim run: week 3 of 34 (day
 * 21.0)". NULL (silent) with MNSIM_NO_PROGRESS, bad arguments or no memory. */
MN_EXPORT mn_progress *mn_progress_start_lines(const char *label, double total, double every,
                                               const char *every_name, const char *done_name);
/* Reports `done` of `total`; redraws at most a few times a second. Safe on NULL. */
MN_EXPORT void mn_progress_update(mn_progress *p, double done, const char *unit);
/* Finishes the line and frees; safe on NULL. */
MN_EXPORT void mn_progress_finish(mn_progress **p);

#endif
