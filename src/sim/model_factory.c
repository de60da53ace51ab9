/* The model a scenario asks for (simulate.model): the one place that knows every model kind,
 * so the stepper itself stays model-agnostic. */
#include "mnsim/column.h"
#include "mnsim/patch3d.h"
#include "mnsim/simulate.h"

int mn_sim_model_create(const mn_model_setup *setup, mn_model **out, mn_error *err)
{
    if (!setup || !setup->scenario || !out)
        return mn_error_set(err, MN_EINVAL, "mn_sim_model_create: NULL argument");
    *out = NULL;
    switch (setup->scenario->simulate.model) {
    case MN_MODEL_COLUMN:
        return mn_column_model_create(setup, out, err);
    case MN_MODEL_3D:
        return mn_patch3d_model_create(setup, out, err);
    default:
        return mn_error_set(err, MN_ENOTSUP, "%s: simulate.model: unknown model %d",
                            setup->scenario->source, (int)setup->scenario->simulate.model);
    }
}
