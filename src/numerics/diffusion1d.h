/* Implicit 1-D finite-volume transport on cells of unequal height (private; used by the column
 * model and its tests). Up to MN__D1_LANES independent species are solved together, one per
 * SIMD lane of an interleaved Thomas sweep: the sweeps are chains of dependent divisions, and
 * four chains side by side cost about as much as one. */
#ifndef MN_DIFFUSION1D_H
#define MN_DIFFUSION1D_H

#include <stddef.h>

#define MN__D1_LANES 4

typedef struct mn__diffusion1d {
    size_t n;
    double *a, *b, *c, *r, *x, *work, *face; /* scratch, n × MN__D1_LANES each, interleaved */
} mn__diffusion1d;

int mn__diffusion1d_init(mn__diffusion1d *d, size_t n);
void mn__diffusion1d_free(mn__diffusion1d *d);

/* The lane functions work on interleaved arrays: value i of lane k is at [i·MN__D1_LANES + k]
 * (per-cell arrays: n cells; per-face arrays: n − 1 faces, face i between cells i and i+1). */

/* One backward-Euler (Patankar–Euler) step. Each lane advances its y (n cells of height h[i])
 * by dt under face conductances g = D/distance (0 = no flux), zero flux at both ends, a Robin
 * inflow at the top, J = beta[k]·(y_out − y[0]) (0 for none), and local production/loss
 * dy/dt = prod − loss·y solved in the same implicit system, so fast reactions and fast
 * diffusion are not split apart. Unconditionally stable, positive (M-matrix, prod and
 * loss ≥ 0) and, without inflow and reactions, exactly conservative: Σ h·y is unchanged.
 * y is read and overwritten. Returns 0, or -1 on a singular system. */
int mn__diffusion1d_step_lanes(mn__diffusion1d *d, const double *h, const double *g, double dt,
                               const double *prod, const double *loss,
                               const double beta[MN__D1_LANES], double y_out, double *y);

/* The second stage of the modified Patankar–Runge–Kutta scheme MPRK22 (Burchard,
 * Deleersnijder & Meister, Appl Numer Math 2003;47:1) for the same transport, whose first stage
 * is mn__diffusion1d_step_lanes. Diffusion is written as a conservative production–destruction
 * system: the transfer from cell i to a neighbour is a destruction of i and a production of the
 * neighbour, and the mean of its rates at the start (conductances g0, values v0) and at the
 * first stage (g1, v1) is weighted by v^{n+1}_i / v1_i. With the caller's local production and
 * loss rate on v^{n+1} (prod, loss: MPRK22's weighted reaction terms), each lane solves
 *   h_i (v_i − v0_i)/dt = Σ_faces (α_{f,j} v_j − α_{f,i} v_i) + h_i (prod_i − loss_i v_i),
 *   α_{f,i} = (g0_f v0_i + g1_f v1_i) / (2 v1_i),
 * a tridiagonal system whose transpose is an M-matrix: second order in time, unconditionally
 * positive for v0 ≥ 0 and exactly conservative without reactions. Where the weight is undefined
 * (v1_i ≤ 1e-30) or would be negative (v is an excess that may be negative), α_{f,i} =
 * (g0_f + g1_f)/2, the trapezoidal rate. Writes v^{n+1} to y. Returns 0, or -1 on a singular
 * system. */
int mn__diffusion1d_mprk_stage2_lanes(mn__diffusion1d *d, const double *h, const double *g0,
                                      const double *g1, double dt, const double *v0,
                                      const double *v1, const double *prod, const double *loss,
                                      double *y);

/* One species alone (lane 0 of the above; plain arrays, prod and loss may be NULL). */
int mn__diffusion1d_step(mn__diffusion1d *d, const double *h, const double *g, double dt,
                         const double *prod, const double *loss, double beta, double y_out,
                         double *y);
int mn__diffusion1d_mprk_stage2(mn__diffusion1d *d, const double *h, const double *g0,
                                const double *g1, double dt, const double *v0, const double *v1,
                                const double *prod, const double *loss, double *y);

#endif
