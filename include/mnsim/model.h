/* A tissue model that the time stepper drives: the column model (depth-resolved, punctures
 * homogenised; column.h) or the 3-D patch (every channel resolved; patch3d.h). Both use the
 * per-voxel kinetics of kinetics.h on the depth grid of tissue.h and report horizontally
 * averaged depth profiles, so outcomes are computed the same way for both. The model is an
 * opaque handle; how it steps (largest step, growth of the step after an event) is part of the
 * model (mn_model_step_policy), not of the stepper. */
#ifndef MNSIM_MODEL_H
#define MNSIM_MODEL_H

#include "mnsim/export.h"

#include <stddef.h>

#include "mnsim/device.h"
#include "mnsim/kinetics.h"
#include "mnsim/scenario.h"
#include "mnsim/tissue.h"

typedef struct mn_model mn_model;

/* What every model is made from (all borrowed; they must outlive the model). */
typedef struct mn_model_setup {
    const mn_scenario *scenario;
    const mn_tissue *tissue;
    const mn_kinetics_envs *envs; /* made for `tissue` */
    const mn_params *params;
} mn_model_setup;

/* How the stepper should grow the step for this model (hours; growth per step > 1). */
typedef struct mn_model_step_policy {
    double dt_max_h;
    double growth;
} mn_model_step_policy;

/* Absolute floor of the relative step error: 1 % of the young-skin level the state variables
 * are scaled to (a species whose whole column stays below it is held to that absolute error;
 * 10⁻³ took a few per cent more steps for the same accuracy of the outcomes, docs/cohort.md). */
#define MN_STEP_ERROR_FLOOR 1e-2

MN_EXPORT void mn_model_free(mn_model **m);

/* Applies one session's injury; `session` indexes the session (for seeded placement). */
MN_EXPORT int mn_model_injure(mn_model *m, const mn_injury *injury, int session, mn_error *err);
/* Advances by dt hours under the drivers; `topical_applied` is 1 while an adjunct sits on the
 * skin (it enters through open channels), else 0. Does not allocate. */
MN_EXPORT int mn_model_advance(mn_model *m, double dt_h, const mn_drivers *drivers,
                               int topical_applied, mn_error *err);
/* Horizontally averaged profile of a species over the depth grid: out[nz]. */
MN_EXPORT void mn_model_profile(const mn_model *m, mn_species species, double *out);
MN_EXPORT const char *mn_model_name(const mn_model *m);
/* The model's whole state as arrays saved byte for byte (checkpoints): fills arrays[i] and
 * bytes[i] for at most `max` arrays and returns how many; 0 when the model has none. */
MN_EXPORT int mn_model_state(mn_model *m, void **arrays, size_t *bytes, int max);
/* After the arrays were restored from a checkpoint: MN_OK when the state is sound (every value
 * finite), MN_EFORMAT with err naming the first bad value otherwise. */
MN_EXPORT int mn_model_check_state(const mn_model *m, mn_error *err);
/* The local error estimate of the last advance, the largest over species of
 * max_voxels |y − y_low| / (MN_STEP_ERROR_FLOOR + max_voxels |y|), where y_low is the embedded
 * first-order solution; NaN when the model has none. */
MN_EXPORT double mn_model_step_error(const mn_model *m);
/* How the stepper should grow the step for this model. */
MN_EXPORT mn_model_step_policy mn_model_step_policy_of(const mn_model *m);

#endif
