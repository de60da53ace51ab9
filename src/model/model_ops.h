/* The model interface's table of operations: what a model implementation (src/column/,
 * src/patch3d/) provides. Not installed; included only by the implementations, which link
 * the model module. */
#ifndef MN_MODEL_OPS_H
#define MN_MODEL_OPS_H

#include "mnsim/model.h"

typedef struct mn_model_ops {
    const char *name;
    mn_model_step_policy step_policy;
    int (*injure)(void *self, const mn_injury *injury, int session, mn_error *err);
    int (*advance)(void *self, double dt_h, const mn_drivers *drivers, int topical_applied,
                   mn_error *err);
    void (*profile)(const void *self, mn_species species, double *out);
    void (*destroy)(void *self);
    /* Optional (NULL): checkpoints. */
    int (*state)(void *self, void **arrays, size_t *bytes, int max);
    /* Optional (NULL): the index of the first value of the state that is not finite, or −1. */
    long (*bad_state)(const void *self);
    /* Optional (NULL): error-controlled steps. */
    double (*step_error)(const void *self);
} mn_model_ops;

/* Wraps an implementation. Takes ownership of self (destroyed on failure). */
int mn__model_wrap(const mn_model_ops *ops, void *self, mn_model **out, mn_error *err);
/* The implementation behind a model when it was made with `ops`, else NULL. */
void *mn__model_impl(const mn_model *m, const mn_model_ops *ops);

#endif
