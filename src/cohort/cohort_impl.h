/* Internals shared by the cohort, sweep and optimisation files. */
#ifndef MN_COHORT_IMPL_H
#define MN_COHORT_IMPL_H

#include <stdint.h>

#include "mnsim/cohort.h"

/* OpenMP pragmas that vanish (without a warning) in builds without OpenMP; the results do not
 * depend on them. */
#ifdef _OPENMP
#define MN__OMP(text) _Pragma(text)
#else
#define MN__OMP(text)
#endif

/* Record layout: one row of doubles per patient. */
enum {
    MN__R_INDEX,
    MN__R_AGE,
    MN__R_SEX,
    MN__R_SKIN,
    MN__R_PHOTOAGING,
    MN__R_SITE,
    MN__R_SMOKER,
    MN__R_GRADE0,
    MN__R_GRADE_FINAL,
    MN__R_IMPROVEMENT,
    MN__R_RESPONDER,
    MN__R_DOWNTIME,
    MN__R_PIH,
    MN__R_BASELINE, /* MN_OBS_COUNT baseline values, then ndays × MN_OBS_COUNT samples */
};

struct mn_cohort {
    mn_scenario sc;
    mn_params p;
    char dir[MN_PATH_MAX];
    mn_cohort_options opt;
    long size;
    int ndays;       /* summary grid */
    double *days;    /* summary grid days */
    double *samples; /* all sample days (grid + erythema windows) */
    int nsamples;
    int *grid_at; /* grid day g is sample grid_at[g] */
    int record_len;
    double *records; /* size × record_len */
    unsigned char *done;
    long done_count;
    uint64_t key; /* scenario + parameters: journals of another run are not mixed in */
};

double mn__param_log_sigma(const mn_param_info *info, double spread);
int mn__cohort_sample_days(const double *grid, int ngrid, double **out, int *nout, mn_error *err);
void mn__outcome_from(double grade0, double grade_final, double downtime, double pih,
                      mn_patient_outcome *out);

long mn__record_bad_column(const mn_cohort *c, const double *row);
int mn__cohort_remove_journals(mn_cohort *c, mn_error *err);

/* Age bands of the subgroup tables. */
#define MN__AGE_BANDS 5

/* Error-controlled steps of the lean runs: the largest step at time_step_scale 1 (h; the
 * error control keeps the steps short wherever the state moves, and in remodelling 4-day steps
 * move the mean improvement by 0.04 % against 2-day ones) and the growth of the step per
 * step. */
#define MN__LEAN_MAX_STEP_H 48.0
#define MN__LEAN_STEP_GROWTH 1.5
int mn__age_band(double age_years);
const char *mn__age_band_name(int band);

#endif
