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
} mn_run_options;

/* Runs the scenario with the given parameters; on success *out holds the results (caller
 * frees with mn_results_free). */
int mn_simulate(const mn_scenario *sc, const mn_params *p, const mn_run_options *opt,
                mn_results **out, mn_error *err);

/* Runs and writes results.json, timeseries.csv and (with output.images) timecourse.svg into
 * dir (created). */
int mn_simulate_write(const mn_results *r, const mn_scenario *sc, const char *dir, mn_error *err);

#endif
