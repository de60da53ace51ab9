/* Internals shared by the study sources. */
#ifndef MN_STUDY_IMPL_H
#define MN_STUDY_IMPL_H

#include "mnsim/study.h"

struct mn_study_set {
    mn_study **studies;
    int count;
};

/* Runs one scenario the way studies need it: no pictures, samples every day plus every hour
 * of the 8 days after each session and the extra days given (ascending or not). */
int mn__study_simulate(const mn_scenario *sc, const mn_params *p, const double *extra_days,
                       int extra_count, mn_results **out, mn_error *err);

#endif
