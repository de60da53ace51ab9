/* The 3-D skin patch (simulate.model: 3d): a periodic square patch of the layered skin on the
 * tissue's depth grid, every needle channel carved into it, the same per-voxel kinetics as
 * the column model and implicit LOD transport. docs/3d.md. */
#ifndef MNSIM_PATCH3D_H
#define MNSIM_PATCH3D_H

#include <stddef.h>

#include "mnsim/model.h"

/* Creates the patch for the scenario (simulate.patch_mm, resolution_um, seed; device and
 * sessions for the puncture placement). The tissue is borrowed. */
int mn_patch3d_create(const mn_scenario *sc, const mn_tissue *tissue, const mn_params *p,
                      void **self, mn_error *err);
extern const mn_model_ops mn_patch3d_ops;

/* The 3-D patch behind a model, or NULL when the model is another kind. */
const void *mn_patch3d_of(const mn_model *m);

/* Grid size and the bytes the patch holds (fields, solver scratch, punctures). */
void mn_patch3d_dims(const void *patch, int *nx, int *ny, int *nz, double *dx_um);
size_t mn_patch3d_bytes(const void *patch);
/* Punctures placed for all sessions (valid while the patch lives). */
const mn_puncture *mn_patch3d_punctures(const void *patch, size_t *count);

/* Virtual histology: an x–z section through the middle of the patch, stained as Masson's
 * trichrome (collagen blue, elastin dark, keratinocytes pink), with a scale bar; PNG. */
int mn_patch3d_write_histology(const void *patch, const char *path, const char *title,
                               mn_error *err);
/* Top view of the punctures (colour per session, disc = channel at the surface); PNG. */
int mn_patch3d_write_puncture_map(const void *patch, double channel_radius_um, const char *path,
                                  mn_error *err);
/* The fields as a VTK XML image (.vti, raw appended float32) resampled to uniform z. */
int mn_patch3d_write_vti(const void *patch, const char *path, double day, mn_error *err);

#endif
