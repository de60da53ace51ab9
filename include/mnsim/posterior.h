/* A posterior sample of model parameters (what `mnsim calibrate` writes, docs/uncertainty.md):
 * the names of the sampled parameters, the draws, their log densities, per-parameter
 * convergence diagnostics and how the sample was made. `run --uncertainty`, `cohort` and
 * `validate --posterior` read it; the parameters not in the sample keep their table values.
 *
 * File: JSON, {"mnsim_posterior": 1, "params": [{"name", "unit", "low", "high", "prior",
 * "rhat", "tau", "ess"}...], "draws": [[v0, v1, ...], ...], "log_density": [...],
 * "calibration": {...}} (the last is free-form: sampler settings, surrogate error, targets). */
#ifndef MNSIM_POSTERIOR_H
#define MNSIM_POSTERIOR_H

#include "mnsim/export.h"

#include "mnsim/error.h"
#include "mnsim/params.h"

typedef struct mn_posterior mn_posterior;

/* Convergence diagnostics of one parameter (mcmc.h). */
typedef struct mn_posterior_diag {
    double rhat; /* split R-hat over the walkers */
    double tau;  /* integrated autocorrelation time, in ensemble steps */
    double ess;  /* effective sample size */
} mn_posterior_diag;

/* A posterior of `nparams` parameters with `ndraws` draws values[draw·nparams + i] (copied). */
MN_EXPORT int mn_posterior_create(int nparams, const mn_param_info *const *params, int ndraws,
                                  const double *values, const double *log_density,
                                  mn_posterior **out, mn_error *err);
MN_EXPORT void mn_posterior_free(mn_posterior **post);
MN_EXPORT int mn_posterior_param_count(const mn_posterior *post);
MN_EXPORT const mn_param_info *mn_posterior_param(const mn_posterior *post, int i);
MN_EXPORT int mn_posterior_draw_count(const mn_posterior *post);
MN_EXPORT double mn_posterior_value(const mn_posterior *post, int draw, int i);
MN_EXPORT void mn_posterior_set_diag(mn_posterior *post, int i, const mn_posterior_diag *d);
MN_EXPORT const mn_posterior_diag *mn_posterior_diag_of(const mn_posterior *post, int i);
/* The free-form "calibration" object (a jansson json_t *; the posterior takes the reference). */
struct json_t;
MN_EXPORT void mn_posterior_set_info(mn_posterior *post, struct json_t *info);
MN_EXPORT const struct json_t *mn_posterior_info(const mn_posterior *post);

/* Sets the sampled parameters of `draw` on *p (the others are left as they are). */
MN_EXPORT int mn_posterior_apply(const mn_posterior *post, int draw, mn_params *p, mn_error *err);
/* The stored draw used as the k-th of n predictive draws: evenly spaced over the stored ones
 * (the sampler's thinned output is already in random order of the chains), so a prediction
 * with n draws is the same for every run and thread count. */
MN_EXPORT int mn_posterior_pick(const mn_posterior *post, int k, int n);

/* Reads a posterior file; errors name the file and the field. Parameters must exist in the
 * table and every value lie within its literature range (MN_EFORMAT otherwise). */
MN_EXPORT int mn_posterior_read(const char *path, mn_posterior **out, mn_error *err);
/* Writes it atomically. */
MN_EXPORT int mn_posterior_write(const mn_posterior *post, const char *path, mn_error *err);

#endif
