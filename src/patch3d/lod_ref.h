/* Reference implementation of the 3-D patch's LOD diffusion (private; used only by
 * tests/test_lod_reference.c to check the tuned solver of lod.c). The same discretisation as
 * lod.h describes: one step of (I − dt·Lz)(I − dt·Ly)(I − dt·Lx) u' = u, three backward-Euler
 * finite-volume sweeps (Yanenko 1971, "The method of fractional steps"; Douglas & Peaceman
 * 1955), each line solved by the Thomas algorithm, the periodic x and y lines by Sherman–Morrison
 * on the matrix with its corners removed (Press et al., Numerical Recipes §2.7). Written for
 * clarity, not speed: plain double precision, every line's system assembled and solved on its
 * own, no factorisation kept between calls, one thread.
 *
 * Fields are nz planes of ny rows of nx doubles (x fastest), as in lod.h. The coefficients are
 * those of an mn__lod_op: dxy_um2_h (nz horizontal diffusivities) and gz_um_h (nz − 1 face
 * conductances). Each function returns 0, or −1 if its scratch could not be allocated (u is
 * then unchanged). */
#ifndef MN_LOD_REF_H
#define MN_LOD_REF_H

#include "patch3d/lod.h"

/* The x sweep (r = D·dt/dx² per plane), then the y sweep: mn__lod_sweep_xy. */
int mn__lod_ref_sweep_xy(const mn__lod_grid *g, const double *dxy_um2_h, double dt_h, double *u);
/* The z sweep on u − offset[k] (offset may be NULL): mn__lod_sweep_z. */
int mn__lod_ref_sweep_z(const mn__lod_grid *g, const double *gz_um_h, const double *offset,
                        double dt_h, double *u);
/* x, y, then z: mn__lod_step. */
int mn__lod_ref_step(const mn__lod_grid *g, const double *dxy_um2_h, const double *gz_um_h,
                     const double *offset, double dt_h, double *u);
/* The z sweep with per-column conductances and the Robin inflow at the top:
 * mn__lod_sweep_z_var (lod.h gives the formulas). */
int mn__lod_ref_sweep_z_var(const mn__lod_grid *g, const double *g0, const double *g1,
                            const float *p, double beta, double u_out, double dt_h, double *u);

#endif
