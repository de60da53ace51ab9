/* Internals shared by the study sources. */
#ifndef MN_STUDY_IMPL_H
#define MN_STUDY_IMPL_H

#include "mnsim/study.h"

/* One simulated arm of a validation. */
typedef struct run_job {
    const mn_study *study;
    int arm;
    mn_results *results;
    int rc;
    mn_error err;
} run_job;

struct mn_validation {
    mn_validation_row *rows;
    int count;
    double level; /* of the predictive intervals (0: none) */
    int draws;
    run_job *jobs;
    int job_count;
};

struct mn_study_set {
    mn_study **studies;
    int count;
};

/* Runs one scenario the way studies need it: no pictures, samples every day plus every hour
 * of the 8 days after each session and the extra days given (ascending or not). */
int mn__study_simulate(const mn_scenario *sc, const mn_params *p, const double *extra_days,
                       int extra_count, mn_results **out, mn_error *err);

/* The ids of every endpoint with role calibrate, in study order, in a new array *out (the
 * caller frees it); MN_EINVAL when there is none. */
int mn__calibrated_targets(const mn_study_set *set, const char ***out, int *count, mn_error *err);

/* The unbounded coordinate z of a parameter within its literature range [low, high]: the
 * logit of its fraction u of the range, on a log scale when the range spans a decade or more
 * (fit.c: every z is a value within the bounds; calibrate.c: the priors are uniform in u). */
int mn__param_log_scaled(const mn_param_info *pi);
/* The value at fraction u of the range (linear or log). */
double mn__param_from_u(const mn_param_info *pi, double u);
double mn__param_from_z(const mn_param_info *pi, double z);
/* A value on (or beyond) a bound maps to u = 0.001 or 0.999. */
double mn__param_to_z(const mn_param_info *pi, double v);

#endif
