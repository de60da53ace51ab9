/* Studies: published protocols as mnsim scenarios with their reported endpoints
 * (data/studies/NAME.yaml, docs/validation.md), and the loops over them: validation against the
 * published values, calibration of named parameters to named endpoints (GSL Nelder-Mead), and
 * global sensitivity analysis (Morris elementary effects). */
#ifndef MNSIM_STUDY_H
#define MNSIM_STUDY_H

#include "mnsim/export.h"

#include <stdio.h>

#include "mnsim/error.h"
#include "mnsim/params.h"
#include "mnsim/results.h"
#include "mnsim/scenario.h"

#define MN_STUDY_MAX_ARMS 8
#define MN_STUDY_MAX_ENDPOINTS 24
#define MN_STUDY_TEXT 512

/* How an endpoint is read off a simulated course (docs/validation.md §Study files). Days count
 * from the first session. */
typedef enum mn_study_measure {
    MN_STUDY_MEASURE_BASELINE,     /* value just before the first session */
    MN_STUDY_MEASURE_VALUE,        /* value at `day` */
    MN_STUDY_MEASURE_CHANGE,       /* value at `day` − baseline */
    MN_STUDY_MEASURE_CHANGE_PCT,   /* 100 (value at `day` / baseline − 1) */
    MN_STUDY_MEASURE_DELTA,        /* value at `day` − value at `from_day` */
    MN_STUDY_MEASURE_PEAK,         /* the value departing most from the baseline */
    MN_STUDY_MEASURE_PEAK_DAY,     /* the day of that value */
    MN_STUDY_MEASURE_RECOVERY_DAY, /* days from `from_day` to the first time after the peak with
                                |value − baseline| ≤ threshold */
    MN_STUDY_MEASURE_HALF_LIFE,    /* days from the peak until the excess over baseline halves */
    MN_STUDY_MEASURE_DEVICE, /* a device quantity of the first session (penetration_um, ...) */
    MN_STUDY_MEASURE_COUNT
} mn_study_measure;

typedef enum mn_endpoint_role {
    MN_ROLE_CALIBRATE, /* a calibrated target: `mnsim fit` uses it, `validate` must pass it */
    MN_ROLE_HOLDOUT    /* held back from the fit: reported as validation, a miss is a miss */
} mn_endpoint_role;

/* Comparison of an arm with a reference arm. */
typedef enum mn_compare {
    MN_COMPARE_NONE,
    MN_COMPARE_DIFFERENCE, /* measure(arm) − measure(versus) */
    MN_COMPARE_RATIO_PCT   /* 100 (measure(arm) / measure(versus) − 1) */
} mn_compare;

typedef struct mn_endpoint {
    char id[64];
    char observable[48]; /* a results.json name, or a device quantity for MN_STUDY_MEASURE_DEVICE */
    int obs;             /* mn_observable, or -1 for a device quantity */
    mn_study_measure measure;
    int arm;    /* index into the study's arms (0: the scenario itself) */
    int versus; /* reference arm for a comparison, -1 none */
    mn_compare compare;
    double day, from_day;
    double threshold;         /* recovery: absolute excess over baseline ... */
    double threshold_of_peak; /* ... or this fraction of the peak excess (when > 0) */
    double per;               /* the result is divided by this (e.g. decades between two arms) */
    int has_value, has_band;
    double value, low, high; /* published value and band (e.g. range or 95 % CI) */
    int direction;           /* +1 up, −1 down, 0 when a value is given */
    mn_endpoint_role role;
    char unit[32];                 /* unit text for reports (default: from the observable) */
    char evidence[160];            /* abstract, table, body, secondary, animal, in vitro ... */
    char source[MN_STUDY_TEXT];    /* citation or targets.csv row */
    char if_missed[MN_STUDY_TEXT]; /* the likely reason when it misses (docs/validation.md) */
    char spread[MN_STUDY_TEXT];    /* the published spread (SD, CI) as reported, or why none */
    int n;                         /* subjects the endpoint rests on (0: not given) */
    unsigned long line;            /* line in the study file */
} mn_endpoint;

typedef struct mn_study_arm {
    char name[48];
    mn_scenario scenario;
} mn_study_arm;

typedef struct mn_study {
    char name[64];
    char title[256];
    char citation[MN_STUDY_TEXT];
    char path[MN_PATH_MAX];
    int arm_count;
    mn_study_arm arms[MN_STUDY_MAX_ARMS];
    int endpoint_count;
    mn_endpoint endpoints[MN_STUDY_MAX_ENDPOINTS];
} mn_study;

typedef struct mn_study_set mn_study_set;

MN_EXPORT int mn_study_set_create(mn_study_set **out, mn_error *err);
MN_EXPORT void mn_study_set_free(mn_study_set **set);
/* Adds one study file; messages name file:line:column and field, MN_ESCENARIO on bad input. */
MN_EXPORT int mn_study_set_add_file(mn_study_set *set, const char *path, mn_error *err);
/* Adds every *.yaml of a directory in name order. */
MN_EXPORT int mn_study_set_add_dir(mn_study_set *set, const char *dir, mn_error *err);
MN_EXPORT int mn_study_set_count(const mn_study_set *set);
MN_EXPORT const mn_study *mn_study_set_get(const mn_study_set *set, int i);
/* Endpoint by id over all studies (ids are unique in a set); NULL if none. */
MN_EXPORT const mn_endpoint *mn_study_set_find(const mn_study_set *set, const char *id,
                                               const mn_study **study);

/* Pass rule: inside [low, high] when a band is given; right sign when only a direction. */
MN_EXPORT int mn_endpoint_passes(const mn_endpoint *ep, double simulated);
/* Normalised residual: (sim − centre) / half-band, |r| ≤ 1 inside the band; for a direction,
 * 0 on the right side and 1 + |sim| on the wrong one. NaN sim gives a large residual. */
MN_EXPORT double mn_endpoint_residual(const mn_endpoint *ep, double simulated);
MN_EXPORT const char *mn_study_measure_name(mn_study_measure m);

/* ---- validation ---- */
typedef struct mn_validation_row {
    const mn_study *study;
    const mn_endpoint *endpoint;
    double simulated;
    double residual;
    int pass;
    /* Predictive interval (mn_validation_predict): the central `level` of the row over the
     * posterior draws, and whether it covers the published band (overlaps it; for a direction,
     * holds a value of the right sign). */
    int has_interval;
    double lo, hi;
    int covers;
    /* Leave-one-study-out (cross): the same interval with the posterior re-weighted to drop
     * the row's own study's calibrated rows (importance weights 1 / L_study), and the weights'
     * effective sample size (Kish), which says how far the re-weighting can be trusted. */
    int has_cross;
    double cross_lo, cross_hi;
    int cross_covers;
    double cross_ess;
} mn_validation_row;

typedef struct mn_validation mn_validation;

typedef struct mn_validate_options {
    const char *const *only; /* endpoint ids to evaluate (NULL: all) */
    int only_count;
    int threads; /* OpenMP threads over runs (0: the default) */
} mn_validate_options;

/* Runs every arm that an evaluated endpoint needs and reads the endpoints off the results. */
MN_EXPORT int mn_validate(const mn_study_set *set, const mn_params *p,
                          const mn_validate_options *opt, mn_validation **out, mn_error *err);
MN_EXPORT void mn_validation_free(mn_validation **v);
MN_EXPORT int mn_validation_count(const mn_validation *v);
MN_EXPORT const mn_validation_row *mn_validation_row_at(const mn_validation *v, int i);
/* The simulated course of an arm (NULL when that arm was not run). */
MN_EXPORT const mn_results *mn_validation_results(const mn_validation *v, const mn_study *study,
                                                  int arm);
/* Calibrated targets that miss. */
MN_EXPORT int mn_validation_failures(const mn_validation *v);

struct mn_posterior;
typedef struct mn_predictive_options {
    const struct mn_posterior *post;
    int draws;    /* posterior draws (mn_posterior_pick), ≥ 2 */
    double level; /* 0: 0.9 */
    int cross;    /* 1: also the leave-one-study-out intervals */
    int verbose;  /* progress lines on stderr */
} mn_predictive_options;

/* Adds predictive intervals to every row of v (made by mn_validate with the same set, p and
 * vopt): the endpoints evaluated at `draws` posterior draws applied over *p. */
MN_EXPORT int mn_validation_predict(mn_validation *v, const mn_study_set *set, const mn_params *p,
                                    const mn_validate_options *vopt,
                                    const mn_predictive_options *opt, mn_error *err);
MN_EXPORT double mn_validation_level(const mn_validation *v); /* 0 without intervals */
MN_EXPORT int mn_validation_draws(const mn_validation *v);

/* Coverage of the rows with `role` (-1: all): rows with an interval, those covered, and the
 * mean interval width in units of the published band's width (banded rows only; NaN if none).
 * With cross, of the leave-one-study-out intervals. */
typedef struct mn_coverage {
    int rows, covered, banded;
    double mean_width;
    double min_ess; /* cross: the smallest weight ESS of the rows counted */
} mn_coverage;
MN_EXPORT mn_coverage mn_validation_coverage(const mn_validation *v, int role, int cross);

/* Writers: the table for people, JSON for machines, Markdown + SVG for docs/validation.md. */
MN_EXPORT void mn_validation_print(const mn_validation *v, FILE *out);
MN_EXPORT int mn_validation_write_json(const mn_validation *v, FILE *out);
MN_EXPORT int mn_validation_write_markdown(const mn_validation *v, const char *svg_name, FILE *out);
MN_EXPORT int mn_validation_write_svg(const mn_validation *v, FILE *out);

/* ---- calibration ---- */
typedef struct mn_fit_options {
    const char *const *params; /* names of the parameters to fit */
    int param_count;
    const char *const *targets; /* endpoint ids (NULL: every calibrated endpoint of the set) */
    int target_count;
    int max_iterations; /* Nelder-Mead iterations (each one a few objective evaluations) */
    double tolerance;   /* stop when the simplex size (in transformed units) falls below */
    int threads;
    int verbose; /* progress lines on stderr */
} mn_fit_options;

typedef struct mn_fit_report {
    int iterations, evaluations;
    double objective_start, objective; /* mean squared normalised residual */
    int converged;
} mn_fit_report;

/* Calibrates the named parameters (bounded by their literature range in params.h, through a
 * logit transform) to the targets with GSL's Nelder-Mead simplex (nmsimplex2). *p is the
 * starting point and receives the fitted values. */
MN_EXPORT int mn_fit(const mn_study_set *set, mn_params *p, const mn_fit_options *opt,
                     mn_fit_report *report, mn_error *err);

/* ---- Bayesian calibration (docs/uncertainty.md) ---- */
struct mn_posterior;

/* What a posterior says of the parameters `mnsim calibrate` does not sample (docs/uncertainty.md):
 * MN_REST_TABLE keeps their table values; MN_REST_PRIOR draws every one from its prior (its
 * literature range); MN_REST_UNSEEN draws from their priors those the targets cannot see — a
 * parameter whose move to either end of its range (2 % and 98 % of it) changes no target's
 * residual by more than a twentieth of a half-band — and keeps the others at their table
 * values (the targets constrain them, but the sampler does not explore them). */
typedef enum mn_calibrate_rest {
    MN_REST_TABLE = 0,
    MN_REST_PRIOR = 1,
    MN_REST_UNSEEN = 2
} mn_calibrate_rest;

typedef struct mn_calibrate_options {
    const char *const *params; /* the parameters to sample; NULL: the `screen` parameters of the
                                  table that the targets inform most (finite-difference
                                  screening of every parameter with a literature range) */
    int param_count;
    int screen;                 /* with params NULL (0: 10) */
    const char *const *targets; /* endpoint ids (NULL: every calibrated endpoint of the set) */
    int target_count;
    int design_runs; /* model runs per surrogate design stage (0: 2.5 x the quadratic's terms) */
    int stages;      /* design stages (0: 3): the first around the Laplace approximation, each
                        next one at the previous surrogate's posterior */
    int walkers;     /* ensemble walkers (0: max(4 dim, 32)) */
    int steps, burn; /* ensemble steps per sampling stage and those discarded (0: 20000, 5000) */
    int draws;       /* posterior draws stored (0: 1000) */
    int verify_runs; /* model runs at posterior draws that measure the surrogate's error (0: 40) */
    /* The parameters not sampled (mn_calibrate_rest; 0: MN_REST_TABLE). */
    int rest;
    /* Model runs of a final importance resampling (0: none, the default): the surrogate
     * posterior re-weighted by the real model's likelihood over the surrogate's, then
     * resampled (docs/uncertainty.md; its weights degenerate when the surrogate is poor). */
    int sir_runs;
    unsigned long seed;
    int threads;
    int verbose; /* progress lines on stderr */
} mn_calibrate_options;

typedef struct mn_calibrate_report {
    int params, targets, model_runs, failed_runs;
    double acceptance;             /* of the final ensemble */
    double max_rhat, min_ess;      /* over the sampled parameters */
    double max_tau;                /* integrated autocorrelation time, ensemble steps */
    double surrogate_rms;          /* model − surrogate at the verification draws, half-bands */
    double surrogate_max;          /* its largest absolute value */
    double surrogate_previous_rms; /* the last-but-one surrogate's error on the last design */
    int design_runs;               /* successful design runs over all stages */
    double verify_pass_fraction;   /* verification draws whose model run passes every target */
    int rest_params;               /* parameters drawn from their priors (not sampled) */
    int rest_checked;              /* parameters checked for MN_REST_UNSEEN (two runs each) */
    int sir_runs;                  /* importance-resampling runs made (0: none) */
    double sir_ess;                /* the importance weights' effective sample size (Kish) */
    double sir_pass_fraction;      /* resampled draws whose model run passes every target */
} mn_calibrate_report;

/* Samples the posterior of the parameters given the targets: priors uniform on each
 * parameter's literature range (log-uniform when it spans a decade or more), likelihood
 * Gaussian with the published band as ±2 SD (direction rows: 0 on the right side, the fit's
 * residual on the wrong one), the model replaced by a quadratic surrogate fitted to designed
 * runs around the Laplace approximation, then around each posterior in turn, and sampled with
 * the affine-invariant ensemble (mcmc.h). *p gives the values of the parameters not sampled.
 * Deterministic for a seed, whatever the thread count. */
MN_EXPORT int mn_calibrate(const mn_study_set *set, const mn_params *p,
                           const mn_calibrate_options *opt, struct mn_posterior **out,
                           mn_calibrate_report *report, mn_error *err);

/* ---- sensitivity ---- */
enum { MN_SENS_GRADE_CHANGE, MN_SENS_COLLAGEN_GAIN, MN_SENS_ERYTHEMA_DAYS, MN_SENS_OUTCOMES };

typedef struct mn_sensitivity_options {
    const char *const *params; /* NULL: every parameter */
    int param_count;
    int trajectories; /* r */
    int levels;       /* p (even) */
    unsigned long seed;
    double horizon_days; /* outcome day for grade change and collagen gain (182 = 6 months) */
    int threads;
    int verbose;
    /* Non-NULL: the parameters this posterior samples range over its central 90 % (their
     * marginal 5th to 95th percentile, by the quantile function of the draws) instead of the
     * literature range; the others keep theirs (docs/uncertainty.md). */
    const struct mn_posterior *posterior;
} mn_sensitivity_options;

typedef struct mn_sensitivity_row {
    const mn_param_info *param;
    double low, high;   /* the range explored (the literature's, or the posterior's 5-95 %) */
    int from_posterior; /* 1 when that range is the posterior's */
    double mu_star[MN_SENS_OUTCOMES]; /* mean |elementary effect| (outcome units per range) */
    double mu[MN_SENS_OUTCOMES];
    double sigma[MN_SENS_OUTCOMES];
} mn_sensitivity_row;

typedef struct mn_sensitivity mn_sensitivity;

/* Morris elementary effects (Morris 1991, Technometrics 33:161; μ* of Campolongo et al.
 * 2007, Environ Model Softw 22:1509) of the outcomes of `sc` over each parameter's range. */
MN_EXPORT int mn_sensitivity_run(const mn_scenario *sc, const mn_params *p,
                                 const mn_sensitivity_options *opt, mn_sensitivity **out,
                                 mn_error *err);
MN_EXPORT void mn_sensitivity_free(mn_sensitivity **s);
MN_EXPORT int mn_sensitivity_count(const mn_sensitivity *s);
MN_EXPORT const mn_sensitivity_row *mn_sensitivity_row_at(const mn_sensitivity *s, int i);
/* Outcomes at the nominal parameters. */
MN_EXPORT void mn_sensitivity_nominal(const mn_sensitivity *s, double out[MN_SENS_OUTCOMES]);
MN_EXPORT const char *mn_sensitivity_outcome_name(int k);
/* Ranked table (by μ* of `outcome`), CSV of all rows, SVG bar chart of the top `top` per
 * outcome. */
MN_EXPORT void mn_sensitivity_print(const mn_sensitivity *s, int outcome, int top, FILE *out);
MN_EXPORT int mn_sensitivity_write_csv(const mn_sensitivity *s, FILE *out);
MN_EXPORT int mn_sensitivity_write_svg(const mn_sensitivity *s, int top, FILE *out);

/* The outcomes of one run (shared by sensitivity and the tests). Erythema days: time after the
 * first session until Δa* falls below MN_ERYTHEMA_VISIBLE. */
#define MN_ERYTHEMA_VISIBLE 1.0
MN_EXPORT int mn_study_outcomes(const mn_scenario *sc, const mn_params *p, double horizon_days,
                                double out[MN_SENS_OUTCOMES], mn_error *err);

/* Reads an observable off results by the endpoint rules (exposed for tests). */
MN_EXPORT double mn_results_at_day(const mn_results *r, int obs, double day);

#endif
