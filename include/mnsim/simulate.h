/* One simulated course: scenario → patient, device, tissue, model → sampled observables.
 *
 * The stepper takes numerical settings (mn_sim_settings) and a list of observers
 * (mn_sim_observer): whatever a run does besides stepping — a progress bar, pictures and
 * .vti snapshots of the 3-D patch, checkpoints, downtime accounting, step counting — is an
 * observer called at the start, after every step, at every session and sample, and at the end.
 * The loop's whole state is one object (mn_sim) that observers read and checkpoints save. */
#ifndef MNSIM_SIMULATE_H
#define MNSIM_SIMULATE_H

#include "mnsim/export.h"

#include "mnsim/model.h"
#include "mnsim/params.h"
#include "mnsim/results.h"
#include "mnsim/scenario.h"

/* Numerical settings of a run; all zero = a full run with the model's own step policy. */
typedef struct mn_sim_settings {
    double time_step_scale; /* multiplies every time step (0 or 1 = default; tests refine it) */
    double fixed_step_h;    /* > 0: a constant step instead of the adaptive one (benchmarks) */
    double max_step_h;  /* > 0: largest adaptive step (0: the model's own, 2 h column, 24 h 3d) */
    double step_growth; /* > 1: growth of the adaptive step per step (0: 1.2 column, 1.5 3d) */
    /* > 0: error-controlled steps for models with an error estimate (the column): each step
     * grows by at most step_growth and is set so the estimated local error of the next one is
     * about this tolerance (mn_model_step_error); 0: the geometric schedule alone. */
    double step_tolerance;
    /* Lean runs for cohorts, sweeps and optimisation (docs/cohort.md). */
    const double *sample_days; /* non-NULL: sample exactly these days (ascending, 0 to the end)
                                  instead of the output.every_days grid */
    int sample_count;          /* number of sample_days */
    int no_surface; /* 1: no height map; wrinkle depth from the representative wrinkle and
                       Sa/Sq/Sz not computed (NaN) */
    /* NULL, or a surface of the same scenario whose evaluation grid the run's height map
     * copies where its geometry is the same (mn_surface_options.like; band draws). */
    const struct mn_surface *surface_like;
} mn_sim_settings;

/* A course being simulated (opaque): what observers may read. */
typedef struct mn_sim mn_sim;

MN_EXPORT const mn_scenario *mn_sim_scenario(const mn_sim *s);
MN_EXPORT const mn_params *mn_sim_params(const mn_sim *s);
MN_EXPORT const mn_model *mn_sim_model(const mn_sim *s);
MN_EXPORT const mn_results *mn_sim_results(const mn_sim *s);
/* Hours since the first session, and the end of follow-up (hours). */
MN_EXPORT double mn_sim_time_h(const mn_sim *s);
MN_EXPORT double mn_sim_end_h(const mn_sim *s);
/* 1 when the run continues from a checkpoint (observers then skip what the first part did). */
MN_EXPORT int mn_sim_resumed(const mn_sim *s);
/* The injury of session i (0 ≤ i < session_count), NULL otherwise. */
MN_EXPORT const mn_injury *mn_sim_injury(const mn_sim *s, int session);
/* Erythema (Δa*, the observable) of the model's state now. */
MN_EXPORT double mn_sim_erythema(mn_sim *s);

/* Called in list order; a non-zero return (an mn_error code, with err set) stops the run. Any
 * callback may be NULL. */
typedef struct mn_sim_observer {
    void *user;
    int (*on_start)(void *user, mn_sim *sim, mn_error *err);
    /* After a time step of h hours (the state is at mn_sim_time_h + h until the step lands). */
    int (*on_step)(void *user, mn_sim *sim, double h, mn_error *err);
    int (*on_session)(void *user, mn_sim *sim, int session, mn_error *err);
    /* After sample `sample` (0-based) was recorded at `day`. */
    int (*on_sample)(void *user, mn_sim *sim, int sample, double day, mn_error *err);
    int (*on_finish)(void *user, mn_sim *sim, mn_error *err);
} mn_sim_observer;

/* Checkpoints (docs/3d.md §Long runs): an observer that saves the whole state into
 * DIR/checkpoint.mnck at the first sample after every `every_days` (0: never; a resumed run
 * then keeps the interval it was started with), and the source a run resumes from. */
typedef struct mn_checkpointer mn_checkpointer;
MN_EXPORT int mn_checkpointer_create(const char *dir, double every_days, mn_checkpointer **out,
                                     mn_error *err);
MN_EXPORT void mn_checkpointer_free(mn_checkpointer **cp);
MN_EXPORT mn_sim_observer mn_checkpointer_observer(mn_checkpointer *cp);
/* A checkpoint that cannot be written (disk full, directory gone) does not stop the run: the
 * last good checkpoint stays in place and warn(user, err) is called when set (the CLI prints
 * it); mn_checkpointer_failures counts them. */
MN_EXPORT void mn_checkpointer_on_failure(mn_checkpointer *cp,
                                          void (*warn)(void *user, const mn_error *err),
                                          void *user);
MN_EXPORT int mn_checkpointer_failures(const mn_checkpointer *cp);

/* Ready-made observers. Downtime: the days the erythema spends at or above `threshold`, the
 * course taken as linear between the ends of the time steps (finer than any sample grid after
 * a session; lean runs). Steps: counts the time steps (benchmarks). */
typedef struct mn_sim_downtime {
    double threshold; /* Δa* */
    double days;      /* result */
    double last;      /* erythema at the end of the last step */
} mn_sim_downtime;
MN_EXPORT mn_sim_observer mn_sim_downtime_observer(mn_sim_downtime *d);
MN_EXPORT mn_sim_observer mn_sim_step_counter(long *steps);

/* Runs the scenario with the given parameters (settings may be NULL: defaults); on success
 * *out holds the results (caller frees with mn_results_free). */
MN_EXPORT int mn_simulate(const mn_scenario *sc, const mn_params *p,
                          const mn_sim_settings *settings, mn_results **out, mn_error *err);

/* mn_simulate with observers, and with `resume` (may be NULL) continuing from the checkpoint
 * in that checkpointer's directory (the scenario and parameters must be the checkpoint's:
 * mn_simulate_checkpoint_load). */
MN_EXPORT int mn_simulate_observed(const mn_scenario *sc, const mn_params *p,
                                   const mn_sim_settings *settings,
                                   const mn_sim_observer *observers, int observer_count,
                                   mn_checkpointer *resume, mn_results **out, mn_error *err);

/* Predictive band of a finished run (docs/uncertainty.md): the scenario simulated at `draws`
 * posterior draws (mn_posterior_pick, each applied over *p), the central `level` of each
 * observable at every sample day of `res` and of its final value, stored in `res`
 * (mn_results_set_band). The draws run in parallel; the band does not depend on the thread
 * count. The column model only (MN_ENOTSUP for 3d). */
struct mn_posterior;
typedef struct mn_band_options {
    int draws;    /* ≥ 2 */
    double level; /* 0: 0.9 (5th to 95th percentile) */
    int threads;  /* 0: the default (mn_threads_for) */
} mn_band_options;
MN_EXPORT int mn_simulate_band(const mn_scenario *sc, const mn_params *p,
                               const struct mn_posterior *post, const mn_band_options *opt,
                               mn_results *res, mn_error *err);

/* Resource estimates made from the scenario before anything is allocated (docs/reliability.md,
 * Resource limits): the peak memory of the process and the bytes written into the output
 * directory, from the sample count, the 3-D grid and per-unit costs measured on the shipped
 * code (an estimate, within a factor of about 2; the CLI refuses beyond 60 % of the available
 * memory or 512 MiB of output unless --allow-large). */
typedef struct mn_estimate {
    double memory_bytes; /* peak resident memory */
    double output_bytes; /* written into output.dir */
    double samples;      /* output samples of one run (the output.every_days grid) */
    double voxels;       /* 3-D grid cells (0: the column model) */
} mn_estimate;

/* The memory of one run of sc (model, samples, surface; 3-D grid); output_bytes 0. */
MN_EXPORT int mn_simulate_estimate_model(const mn_scenario *sc, const mn_params *p,
                                         mn_estimate *out, mn_error *err);

/* Reads the scenario and parameters saved in the checkpoint of a run directory (for
 * `mnsim resume DIR`). */
MN_EXPORT int mn_simulate_checkpoint_load(const char *dir, mn_scenario *sc, mn_params *p,
                                          mn_error *err);

/* One run for bindings (the Python module): the scenario of mn_scenario_from_text(text, name,
 * sets, nsets) simulated with the built-in parameters as `mnsim run` does, and in *json_out
 * the text of its results.json (free with mn_free). Errors as the CLI prints them
 * ("name:3:22: patient.age_years: ..."). */
MN_EXPORT int mn_run_json(const char *text, const char *name, const char *const *sets, int nsets,
                          char **json_out, mn_error *err);

/* The model the scenario asks for (simulate.model), for callers that drive a model
 * themselves. */
MN_EXPORT int mn_sim_model_create(const mn_model_setup *setup, mn_model **out, mn_error *err);

#endif
