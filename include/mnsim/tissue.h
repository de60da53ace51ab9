/* The layered skin in depth: voxels from the surface into the hypodermis, each with its layer
 * and thickness (geometry and layer map only; the kinetic environment of each voxel is
 * kinetics.h's mn_kinetics_envs). Shared by the column and the 3-D model. */
#ifndef MNSIM_TISSUE_H
#define MNSIM_TISSUE_H

#include "mnsim/export.h"

#include "mnsim/patient.h"

typedef struct mn_tissue mn_tissue;

/* Builds the depth grid: every layer gets max(1, round(thickness/resolution)) voxels of equal
 * height within the layer, so layer boundaries fall on voxel faces. */
MN_EXPORT int mn_tissue_create(const mn_patient *pt, double resolution_um, mn_tissue **out,
                               mn_error *err);
MN_EXPORT void mn_tissue_free(mn_tissue **t);

MN_EXPORT int mn_tissue_nz(const mn_tissue *t);
/* Height of voxel i and depth of its centre / top face, µm. */
MN_EXPORT double mn_tissue_height_um(const mn_tissue *t, int i);
MN_EXPORT double mn_tissue_center_um(const mn_tissue *t, int i);
MN_EXPORT double mn_tissue_top_um(const mn_tissue *t, int i);
MN_EXPORT double mn_tissue_depth_um(const mn_tissue *t); /* total */
MN_EXPORT mn_layer mn_tissue_layer(const mn_tissue *t, int i);
/* Voxel range [first, end) of a layer. */
MN_EXPORT void mn_tissue_layer_range(const mn_tissue *t, mn_layer layer, int *first, int *end);

#endif
