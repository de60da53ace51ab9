/* One backward-Euler step of 1-D finite-volume diffusion on cells of unequal height
 * (private; used by the column model and its tests). */
#ifndef MN_DIFFUSION1D_H
#define MN_DIFFUSION1D_H

#include <stddef.h>

typedef struct mn__diffusion1d {
    size_t n;
    double *a, *b, *c, *r, *x, *work; /* scratch, n each */
} mn__diffusion1d;

int mn__diffusion1d_init(mn__diffusion1d *d, size_t n);
void mn__diffusion1d_free(mn__diffusion1d *d);

/* Advances y (n cells of height h[i]) by dt under face conductances g[i] = D/distance between
 * cells i and i+1 (n − 1 faces; 0 = no flux), zero flux at both ends, an optional Robin
 * inflow at the top, J = beta·(y_out − y[0]) (beta = 0 for none), and optional local
 * production/loss dy/dt = prod[i] − loss[i]·y (NULL for none) solved in the same implicit
 * system, so fast reactions and fast diffusion are not split apart. Unconditionally stable,
 * positive (M-matrix, prod and loss ≥ 0) and, without inflow and reactions, exactly
 * conservative: Σ h·y is unchanged. Returns 0, or -1 on a singular system. */
int mn__diffusion1d_step(mn__diffusion1d *d, const double *h, const double *g, double dt,
                         const double *prod, const double *loss, double beta, double y_out,
                         float *y);

#endif
