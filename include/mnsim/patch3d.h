/* The 3-D skin patch (simulate.model: 3d): a periodic square patch of the layered skin on the
 * tissue's depth grid, every needle channel carved into it, the same per-voxel kinetics as
 * the column model and implicit LOD transport. docs/3d.md. */
#ifndef MNSIM_PATCH3D_H
#define MNSIM_PATCH3D_H

#include "mnsim/export.h"

#include <stddef.h>

#include "mnsim/model.h"

/* The 3-D patch behind a model (a typed view; the model owns it). */
typedef struct mn_patch3d mn_patch3d;

/* Creates the patch for the setup's scenario (simulate.patch_mm, resolution_um, seed; device
 * and sessions for the puncture placement). */
MN_EXPORT int mn_patch3d_model_create(const mn_model_setup *setup, mn_model **out, mn_error *err);

/* The 3-D patch behind a model, or NULL when the model is another kind. */
MN_EXPORT const mn_patch3d *mn_patch3d_of(const mn_model *m);

/* Grid size (voxels) and horizontal voxel width; side of the patch (µm). */
MN_EXPORT void mn_patch3d_dims(const mn_patch3d *patch, int *nx, int *ny, int *nz, double *dx_um);
MN_EXPORT double mn_patch3d_size_um(const mn_patch3d *patch);
/* The depth grid the patch was made on. */
MN_EXPORT const mn_tissue *mn_patch3d_tissue(const mn_patch3d *patch);
/* The bytes the patch holds (fields, solver scratch, punctures). */
MN_EXPORT size_t mn_patch3d_bytes(const mn_patch3d *patch);
/* Value of species s at voxel (k, j, i) (depth, row, column; 0 ≤ k < nz, 0 ≤ j < ny,
 * 0 ≤ i < nx), whether stored or structurally at its baseline. */
MN_EXPORT float mn_patch3d_value(const mn_patch3d *patch, mn_species s, int k, int j, int i);
/* Sessions and punctures placed for all sessions (valid while the patch lives). */
MN_EXPORT int mn_patch3d_session_count(const mn_patch3d *patch);
MN_EXPORT const mn_puncture *mn_patch3d_punctures(const mn_patch3d *patch, size_t *count);

/* The fields as a VTK XML image (.vti, raw appended float32) resampled to uniform z. */
MN_EXPORT int mn_patch3d_write_vti(const mn_patch3d *patch, const char *path, double day,
                                   mn_error *err);

#endif
