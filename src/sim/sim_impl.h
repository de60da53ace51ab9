/* The time loop's state (private to src/sim/): everything a checkpoint saves or a resumed run
 * restores is here, so no observer holds pointers into the loop's locals. */
#ifndef MN_SIM_IMPL_H
#define MN_SIM_IMPL_H

#include "mnsim/outcome.h"
#include "mnsim/patient.h"
#include "mnsim/simulate.h"
#include "mnsim/surface.h"

struct mn_sim {
    const mn_scenario *sc;
    const mn_params *p;
    mn_sim_settings set;
    mn_patient patient;
    mn_tissue *tissue;
    mn_kinetics_envs *envs;
    mn_model *model;
    double *buffer; /* profiles: MN_SP_COUNT × nz, then one scratch profile */
    double *scratch; /* three profiles: vessel, edema, pore (the acute observables) */
    mn_profiles prof;
    mn_outcome_ctx outcome;
    mn_results *results;
    mn_surface *surface; /* height map (surface.h), handed to the results; NULL in lean runs */
    mn_injury injury[MN_MAX_SESSIONS];
    int nsess, nsamples;
    int grid_end; /* the output grid adds the end of follow-up as its last sample */
    double end_h, step_h;
    /* The loop's variables. */
    double t, dt, pain, topical_until;
    int next_session, next_sample;
    int resumed;
    double day1_erythema; /* strongest redness of the first day so far */
    /* Dermal state at each sample (replayed into the surface on resume). */
    mn_dermal_state *dermal;
};

/* MN_ENUMERIC (err names the observable and day) unless every observable of a sample is finite
 * (Sa/Sq/Sz may be NaN without a height map). */
int mn__sim_check_obs(const mn_sim *s, const double obs[MN_OBS_COUNT], double day, mn_error *err);

/* Hour of output sample i (0 ≤ i < nsamples). */
double mn__sim_sample_hour(const mn_sim *s, int i);

/* Restores the loop's state (and the checkpointer's schedule) from cp's checkpoint. */
int mn__checkpoint_restore(mn_checkpointer *cp, mn_sim *s, mn_error *err);

#endif
