/* The column model (simulate.model: column): one voxel per depth, the punctures of a session
 * homogenised into the damaged area fraction at each depth. docs/model.md §Numerics. */
#ifndef MNSIM_COLUMN_H
#define MNSIM_COLUMN_H

#include "mnsim/export.h"

#include "mnsim/model.h"

/* Creates the column model of the setup (scenario unused: everything is in tissue, envs and
 * parameters). */
MN_EXPORT int mn_column_model_create(const mn_model_setup *setup, mn_model **out, mn_error *err);

#endif
