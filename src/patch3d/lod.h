/* Implicit locally one-dimensional (LOD) diffusion on a periodic-in-x,y, layered-in-z grid
 * (private to the 3-D patch). One step of (I − dt·Lz)(I − dt·Ly)(I − dt·Lx) u' = u: three
 * backward-Euler sweeps, each a set of independent tridiagonal (x, y: cyclic) systems solved
 * with the Thomas algorithm (Yanenko 1971, "The method of fractional steps"; Douglas &
 * Peaceman 1955). Finite volumes: cells of width dx in x and y and height h[k] in z, so each
 * sweep conserves Σ h·u exactly and is an M-matrix (positivity for any dt).
 *
 * Coefficients are constant along each line of a species (they depend only on the depth), so a
 * species' operator is factored once per time-step size (in double precision, stored as
 * float32) and reused for every line. The sweeps run in float32 on SIMD lanes: the x–y pass
 * works in place on one plane at a time (cache-resident), the z pass on runs of columns
 * with a float scratch, so each update moves 16 bytes of field from and to memory. */
#ifndef MN_LOD_H
#define MN_LOD_H

#include <stddef.h>

typedef struct mn__lod_grid {
    int nx, ny, nz;     /* nx, ny ≥ 3 (periodic), nz ≥ 1 */
    double dx_um;       /* horizontal cell width */
    const double *h_um; /* nz cell heights (borrowed) */
} mn__lod_grid;

/* Thomas factors of one constant-coefficient cyclic line (off-diagonals −r, diagonal 1 + 2r),
 * with the Sherman–Morrison correction for the periodic corners folded into the sweeps: the
 * forward elimination d[i] = ri[i]·d[i−1] + in[i]·inv[i] also sums y0 = Σ w[i]·d[i] (the first
 * unknown of the uncorrected solution), so the correction factor f = (y0 + q·d[n−1])·s is known
 * before the back substitution, which then yields the corrected solution directly:
 * x[i] = (d[i] − f·zf[i]) − cp[i]·x[i+1]. */
typedef struct mn__lod_cyclic {
    double r; /* 0 = identity (no transport in this direction) */
    /* n each: 1/pivot, r/pivot, modified super-diagonal, forward-eliminated correction vector,
     * weights of y0 (products of −cp) */
    float *inv, *ri, *cp, *zf, *w;
    float q, s; /* correction: f = (y0 + q·d[n−1])·s */
} mn__lod_cyclic;

/* One species' operator: horizontal diffusivity per depth, face conductances in depth. */
typedef struct mn__lod_op {
    double dt_h;                 /* step size the factors are for (< 0: not factored) */
    double *dxy_um2_h;           /* nz: horizontal diffusivity at each depth */
    double *gz_um_h;             /* nz−1: conductance D/distance of the face between k and k+1 */
    mn__lod_cyclic *xk, *yk;     /* nz each */
    float *z_nai, *z_inv, *z_cp; /* nz each: z sweep −sub-diagonal/pivot, 1/pivot, super/pivot */
    int nz;
    double *work; /* 3·max(nx, ny): factorisation scratch */
} mn__lod_op;

typedef struct mn__lod {
    mn__lod_grid g;
    int nthreads;
    double **scratch; /* per thread: max(nx·ny, 2·nz·nx) doubles */
    size_t scratch_len;
} mn__lod;

int mn__lod_init(mn__lod *l, const mn__lod_grid *g);
void mn__lod_free(mn__lod *l);
/* Bytes the solver itself holds (scratch), for the memory budget. */
size_t mn__lod_bytes(const mn__lod *l);

int mn__lod_op_init(mn__lod_op *op, const mn__lod_grid *g);
void mn__lod_op_free(mn__lod_op *op);
/* (Re)factors the operator for step dt if it changed since the last call. */
void mn__lod_op_factor(mn__lod_op *op, const mn__lod_grid *g, double dt_h);
size_t mn__lod_op_bytes(const mn__lod_op *op, const mn__lod_grid *g);

/* One LOD step of u (nz planes of ny rows of nx, x fastest) with a factored operator. With
 * `offset` (nz values, may be NULL) the operator acts on u − offset[k] (fibroblasts migrate by
 * their excess over the layer's resident density); the x, y sweeps need no offset because
 * they map a constant plane onto itself. */
void mn__lod_step(mn__lod *l, const mn__lod_op *op, const double *offset, float *u);

/* Sweeps separately (for tests and the x, y part of variable-coefficient species). */
void mn__lod_sweep_xy(mn__lod *l, const mn__lod_op *op, float *u);
void mn__lod_sweep_z(mn__lod *l, const mn__lod_op *op, const double *offset, float *u);

/* z sweep with face conductances that vary per column: g(k, column) = g0[k] + g1[k]·(p(k) +
 * p(k+1))/2 with p a per-voxel field (the open-pore fraction for the topical agent), plus a
 * Robin inflow J = beta·p(0)·(u_out − u(0)) at the top (beta = 0 for none). */
void mn__lod_sweep_z_var(mn__lod *l, const double *g0, const double *g1, const float *p,
                         double beta, double u_out, double dt_h, float *u);

#endif
