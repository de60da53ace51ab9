/* Thomas algorithm for tridiagonal systems (private; shared by the column and 3-D solvers). */
#ifndef MN_TRIDIAG_H
#define MN_TRIDIAG_H

#include <stddef.h>

/* Solves a[i] x[i-1] + b[i] x[i] + c[i] x[i+1] = r[i], i = 0..n-1 (a[0], c[n-1] unused).
 * `work` holds n doubles. Stable without pivoting for the diagonally dominant matrices of
 * implicit diffusion. Returns 0, or -1 on a zero pivot. x may alias r. */
int mn__tridiag_solve(size_t n, const double *a, const double *b, const double *c, const double *r,
                      double *x, double *work);

/* Four independent systems at once, interleaved: a[4i + k] is a[i] of system k (likewise b, c,
 * r, x, work: 4n doubles each). The four recurrences run side by side in SIMD lanes. */
int mn__tridiag_solve_lanes4(size_t n, const double *a, const double *b, const double *c,
                             const double *r, double *x, double *work);

#endif
