/* A tissue model that the time stepper drives: the column model (depth-resolved, punctures
 * homogenised) or the 3-D patch (every channel resolved). Both use the per-voxel kinetics of
 * kinetics.h and the depth grid of tissue.h, and report horizontally averaged depth profiles,
 * so outcomes are computed the same way for both. */
#ifndef MNSIM_MODEL_H
#define MNSIM_MODEL_H

#include "mnsim/device.h"
#include "mnsim/kinetics.h"
#include "mnsim/scenario.h"
#include "mnsim/tissue.h"

typedef struct mn_model mn_model;

typedef struct mn_model_ops {
    const char *name;
    /* Applies one session's injury; `session` indexes the session (for seeded placement). */
    int (*injure)(void *self, const mn_injury *injury, int session, mn_error *err);
    /* Advances by dt hours under the drivers; `topical_applied` is 1 while an adjunct sits on
     * the skin (it enters through open channels), else 0. Must not allocate. */
    int (*advance)(void *self, double dt_h, const mn_drivers *drivers, int topical_applied,
                   mn_error *err);
    /* Horizontally averaged profile of a species over the depth grid: out[nz]. */
    void (*profile)(const void *self, mn_species species, double *out);
    void (*destroy)(void *self);
    /* Optional (checkpoints): the model's whole state as arrays saved byte for byte; fills
     * arrays[i] and bytes[i] for at most `max` arrays and returns how many. */
    int (*state)(void *self, void **arrays, size_t *bytes, int max);
    /* Optional (error-controlled steps): the local error estimate of the last advance, the
     * largest over species of max_voxels |y − y_low| / (MN_STEP_ERROR_FLOOR + max_voxels |y|),
     * where y_low is the embedded first-order solution. */
    double (*step_error)(const void *self);
} mn_model_ops;

/* Absolute floor of the relative step error: 1 % of the young-skin level the state variables
 * are scaled to (a species whose whole column stays below it is held to that absolute error;
 * 10⁻³ took a few per cent more steps for the same accuracy of the outcomes, docs/cohort.md). */
#define MN_STEP_ERROR_FLOOR 1e-2

/* Creates the model the scenario asks for (simulate.model). The tissue is borrowed and must
 * outlive the model. */
int mn_model_create(const mn_scenario *sc, const mn_tissue *tissue, const mn_params *p,
                    mn_model **out, mn_error *err);
void mn_model_free(mn_model **m);

int mn_model_injure(mn_model *m, const mn_injury *injury, int session, mn_error *err);
int mn_model_advance(mn_model *m, double dt_h, const mn_drivers *drivers, int topical_applied,
                     mn_error *err);
void mn_model_profile(const mn_model *m, mn_species species, double *out);
const char *mn_model_name(const mn_model *m);
/* The model's state arrays (see mn_model_ops.state); 0 when the model has none. */
int mn_model_state(mn_model *m, void **arrays, size_t *bytes, int max);
/* The last step's error estimate (mn_model_ops.step_error); NaN when the model has none. */
double mn_model_step_error(const mn_model *m);
/* The implementation behind a model when it was made with `ops`, else NULL. */
void *mn_model_impl(const mn_model *m, const mn_model_ops *ops);

/* Wraps an implementation (used by the model constructors). Takes ownership of self. */
int mn_model_wrap(const mn_model_ops *ops, void *self, mn_model **out, mn_error *err);

/* The column model's constructor. */
int mn_column_create(const mn_tissue *tissue, const mn_params *p, void **self, mn_error *err);
extern const mn_model_ops mn_column_ops;

#endif
