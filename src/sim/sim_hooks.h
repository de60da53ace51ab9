/* What the time loop does besides stepping (private to src/sim/): pictures of the 3-D patch,
 * .vti snapshots at chosen days, checkpoints and resuming from one (docs/3d.md §Long runs).
 * Checkpoints are taken only at output samples, where the loop's state is complete. */
#ifndef MN_SIM_HOOKS_H
#define MN_SIM_HOOKS_H

#include "mnsim/model.h"
#include "mnsim/outcome.h"
#include "mnsim/results.h"
#include "mnsim/simulate.h"
#include "mnsim/surface.h"

typedef struct mn__sim_hooks {
    const mn_run_options *opt;
    const mn_scenario *sc;
    const mn_params *p;
    mn_model *model;
    mn_results *results;
    mn_surface *surface; /* may be NULL */
    mn_outcome_ctx *outcome;
    const mn_profiles *prof;
    /* The loop's variables (borrowed). */
    double *t, *dt, *pain, *topical_until;
    int *next_session, *next_sample;
    /* Dermal state at each sample (replayed into the surface on resume). */
    mn_dermal_state *dermal;
    int capacity;
    double checkpoint_every_days, next_checkpoint_day;
    int next_vti;
} mn__sim_hooks;

/* Before the loop: histology_before.png (3-D, images on); on resume, restores the state. */
int mn__sim_hooks_start(mn__sim_hooks *h, int nsamples, mn_error *err);
/* After sample `next_sample − 1` was recorded at `day`. */
int mn__sim_hooks_sample(mn__sim_hooks *h, double day, mn_error *err);
/* After the loop: histology_after.png, the puncture map, the last .vti. */
int mn__sim_hooks_finish(mn__sim_hooks *h, const mn_injury *last_injury, mn_error *err);
void mn__sim_hooks_free(mn__sim_hooks *h);

#endif
