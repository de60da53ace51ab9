/* One simulated course: scenario → patient, device, tissue, model → sampled observables. */
#ifndef MNSIM_SIMULATE_H
#define MNSIM_SIMULATE_H

#include "mnsim/params.h"
#include "mnsim/results.h"
#include "mnsim/scenario.h"

typedef struct mn_run_options {
    int show_progress;      /* progress bar on a terminal */
    double time_step_scale; /* multiplies every time step (1 = default; tests refine it) */
    double fixed_step_h;    /* > 0: a constant step instead of the adaptive one (benchmarks) */
    double max_step_h;  /* > 0: largest adaptive step (0: the model's own, 2 h column, 24 h 3d) */
    double step_growth; /* > 1: growth of the adaptive step per step (0: 1.2 column, 1.5 3d) */
    /* > 0: error-controlled steps for models with an error estimate (the column): each step
     * grows by at most step_growth and is set so the estimated local error of the next one is
     * about this tolerance (mn_model_step_error); 0: the geometric schedule alone. */
    double step_tolerance;
    /* > 0: *downtime_days receives the days the erythema (Δa*) spends at or above this value,
     * the course taken as linear between the ends of the time steps (finer than any sample
     * grid after a session; lean runs, not saved in checkpoints). */
    double downtime_threshold;
    double *downtime_days;
    /* Files written during the run (docs/3d.md): with image_dir, the 3-D model's histology,
     * puncture map and a .vti at each of vti_days (and at the end); with checkpoint_every_days
     * > 0, a checkpoint in checkpoint_dir at the first sample after each such interval; with
     * resume, the run continues from the checkpoint in checkpoint_dir. */
    const char *image_dir;
    const double *vti_days;
    int vti_count;
    double checkpoint_every_days;
    const char *checkpoint_dir;
    int resume;
    long *steps_taken; /* non-NULL: receives the number of time steps (benchmarks) */
    /* Lean runs for cohorts, sweeps and optimisation (docs/cohort.md); all zero = a full run. */
    const double *sample_days; /* non-NULL: sample exactly these days (ascending, 0 to the end)
                                  instead of the output.every_days grid */
    int sample_count;          /* number of sample_days */
    int no_surface; /* 1: no height map; wrinkle depth from the representative wrinkle and
                       Sa/Sq/Sz not computed (NaN) */
} mn_run_options;

/* Runs the scenario with the given parameters; on success *out holds the results (caller
 * frees with mn_results_free). */
int mn_simulate(const mn_scenario *sc, const mn_params *p, const mn_run_options *opt,
                mn_results **out, mn_error *err);

/* Reads the scenario and parameters saved in the checkpoint of a run directory (for
 * `mnsim resume DIR`; then call mn_simulate with resume = 1 and checkpoint_dir = DIR). */
int mn_simulate_checkpoint_load(const char *dir, mn_scenario *sc, mn_params *p, mn_error *err);

/* Runs and writes results.json, timeseries.csv and (with output.images) timecourse.svg into
 * dir (created). */
int mn_simulate_write(const mn_results *r, const mn_scenario *sc, const char *dir, mn_error *err);

#endif
