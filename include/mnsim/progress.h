/* A progress bar on a terminal; silent when stderr is not a terminal (CI, pipes, files). */
#ifndef MNSIM_PROGRESS_H
#define MNSIM_PROGRESS_H

#include "mnsim/export.h"

typedef struct mn_progress mn_progress;

/* `label` is shown before the bar, `total` is the amount of work (e.g. simulated days).
 * Returns NULL (a valid, silent progress) when stderr is not a terminal or on no memory. */
MN_EXPORT mn_progress *mn_progress_start(const char *label, double total);
/* Reports `done` of `total`; redraws at most a few times a second. Safe on NULL. */
MN_EXPORT void mn_progress_update(mn_progress *p, double done, const char *unit);
/* Finishes the line and frees; safe on NULL. */
MN_EXPORT void mn_progress_finish(mn_progress **p);

#endif
