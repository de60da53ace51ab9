/* Diffusivity rules per species and layer (the kinetics module's internal header, shared by the column and the 3-D patch so
 * the two models transport the same way). docs/model.md §Transport. */
#ifndef MN_DIFFUSIVITY_H
#define MN_DIFFUSIVITY_H

#include "mnsim/kinetics.h"
#include "mnsim/params.h"
#include "mnsim/patient.h"

/* Diffusivity (µm²/h) across the face between a voxel of layer `up` and its neighbour of layer
 * `down` (below it, or beside it in the same layer: up == down). `pore` is the open-channel
 * fraction averaged over the two voxels (used by the topical agent only). 0 = no flux. */
double mn__face_diffusivity(const mn_params *p, mn_species s, mn_layer up, mn_layer down,
                            double pore);

#endif
