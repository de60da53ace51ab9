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
 * cells i and i+1 (n − 1 faces; 0 = no flux), zero flux at both ends, plus an optional Robin
 * inflow at the top, J = beta·(y_out − y[0]) (beta = 0 for none). Unconditionally stable,
 * positive (M-matrix) and, without inflow, exactly conservative: Σ h·y is unchanged.
 * Returns 0, or -1 on a singular system. */
int mn__diffusion1d_step(mn__diffusion1d *d, const double *h, const double *g, double dt,
                         double beta, double y_out, float *y);

#endif
