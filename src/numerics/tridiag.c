#include "numerics/tridiag.h"

#include <string.h>

#include "core/mn_simd.h"

int mn__tridiag_solve(size_t n, const double *a, const double *b, const double *c, const double *r,
                      double *x, double *work)
{
    if (n == 0)
        return 0;
    double beta = b[0];
    if (beta == 0.0)
        return -1;
    x[0] = r[0] / beta;
    for (size_t i = 1; i < n; ++i) {
        work[i] = c[i - 1] / beta;
        beta = b[i] - a[i] * work[i];
        if (beta == 0.0)
            return -1;
        x[i] = (r[i] - a[i] * x[i - 1]) / beta;
    }
    for (size_t i = n - 1; i > 0; --i)
        x[i - 1] -= work[i] * x[i];
    return 0;
}

#if defined(MN_HAVE_V4D)
/* Eliminated from both ends at once towards the middle ("burn at both ends"): the two
 * recurrences are independent, so their division chains overlap and the latency, which bounds
 * a small system, halves. Rows 0..m are reduced downwards, rows m+1..n−1 upwards, the 2×2
 * system of rows m and m+1 is solved directly, and both halves are substituted back outwards.
 * Stable without pivoting for the diagonally dominant systems of implicit transport, as the
 * one-sided sweep. */
MN_CLONES int mn__tridiag_solve_lanes4(size_t n, const double *a, const double *b, const double *c,
                                       const double *r, double *x, double *work)
{
    if (n == 0)
        return 0;
    const mn_v4d one = {1, 1, 1, 1};
    mn_v4d ai, bi, ci, ri, t;
    if (n == 1) {
        MN_LOAD4(bi, b);
        MN_LOAD4(ri, r);
        t = ri / bi;
        MN_STORE4(x, t);
        mn_v4l bad = (bi == 0.0) | (bi != bi);
        return (bad[0] | bad[1] | bad[2] | bad[3]) ? -1 : 0;
    }
    const size_t m = n / 2 - 1; /* the top half is rows 0..m, the bottom m+1..n−1 */
    mn_v4d beta, xp, inv, gamma, z, ginv;
    MN_LOAD4(beta, b);
    MN_LOAD4(xp, r);
    MN_LOAD4(gamma, b + 4 * (n - 1));
    MN_LOAD4(z, r + 4 * (n - 1));
    inv = one / beta;
    ginv = one / gamma;
    mn_v4l bad = (beta == 0.0) | (beta != beta) | (gamma == 0.0) | (gamma != gamma);
    MN_STORE4(work, inv);
    MN_STORE4(x, xp);
    MN_STORE4(work + 4 * (n - 1), ginv);
    MN_STORE4(x + 4 * (n - 1), z);
    const size_t steps = (n - 2 - m) > m ? (n - 2 - m) : m;
    for (size_t j = 1; j <= steps; ++j) {
        if (j <= m) { /* top: row j loses its sub-diagonal */
            const size_t i = j;
            MN_LOAD4(ai, a + 4 * i);
            MN_LOAD4(bi, b + 4 * i);
            MN_LOAD4(ci, c + 4 * (i - 1));
            MN_LOAD4(ri, r + 4 * i);
            const mn_v4d l = ai * inv;
            beta = bi - l * ci;
            xp = ri - l * xp;
            inv = one / beta;
            bad |= (beta == 0.0) | (beta != beta);
            MN_STORE4(work + 4 * i, inv);
            MN_STORE4(x + 4 * i, xp);
        }
        if (j <= n - 2 - m) { /* bottom: row n−1−j loses its super-diagonal */
            const size_t i = n - 1 - j;
            MN_LOAD4(ai, a + 4 * (i + 1));
            MN_LOAD4(bi, b + 4 * i);
            MN_LOAD4(ci, c + 4 * i);
            MN_LOAD4(ri, r + 4 * i);
            const mn_v4d u = ci * ginv;
            gamma = bi - u * ai;
            z = ri - u * z;
            ginv = one / gamma;
            bad |= (gamma == 0.0) | (gamma != gamma);
            MN_STORE4(work + 4 * i, ginv);
            MN_STORE4(x + 4 * i, z);
        }
    }
    /* Rows m and m+1: beta·x_m + c_m·x_{m+1} = xp, a_{m+1}·x_m + gamma·x_{m+1} = z. */
    mn_v4d cm, am1;
    MN_LOAD4(cm, c + 4 * m);
    MN_LOAD4(am1, a + 4 * (m + 1));
    const mn_v4d det = beta * gamma - cm * am1;
    bad |= (det == 0.0) | (det != det);
    if (bad[0] | bad[1] | bad[2] | bad[3])
        return -1;
    mn_v4d xm = (xp * gamma - cm * z) / det, xm1 = (beta * z - am1 * xp) / det;
    MN_STORE4(x + 4 * m, xm);
    MN_STORE4(x + 4 * (m + 1), xm1);
    /* Outwards: x_i = (xp_i − c_i·x_{i+1})/beta_i above, (z_i − a_i·x_{i−1})/gamma_i below. */
    for (size_t j = 1; j <= steps; ++j) {
        if (j <= m) {
            const size_t i = m - j;
            MN_LOAD4(ci, c + 4 * i);
            MN_LOAD4(ri, x + 4 * i);
            MN_LOAD4(inv, work + 4 * i);
            xm = (ri - ci * xm) * inv;
            MN_STORE4(x + 4 * i, xm);
        }
        if (j <= n - 2 - m) {
            const size_t i = m + 1 + j;
            MN_LOAD4(ai, a + 4 * i);
            MN_LOAD4(ri, x + 4 * i);
            MN_LOAD4(ginv, work + 4 * i);
            xm1 = (ri - ai * xm1) * ginv;
            MN_STORE4(x + 4 * i, xm1);
        }
    }
    return 0;
}
#else
int mn__tridiag_solve_lanes4(size_t n, const double *a, const double *b, const double *c,
                             const double *r, double *x, double *work)
{
    enum { K = 4 };
    if (n == 0)
        return 0;
    double beta[K];
    int zero = 0;
    for (int k = 0; k < K; ++k) {
        beta[k] = b[k];
        zero |= beta[k] == 0.0;
        x[k] = r[k] / beta[k];
    }
    for (size_t i = 1; i < n; ++i)
        for (int k = 0; k < K; ++k) {
            const size_t ik = i * K + k;
            work[ik] = c[ik - K] / beta[k];
            beta[k] = b[ik] - a[ik] * work[ik];
            zero |= beta[k] == 0.0;
            x[ik] = (r[ik] - a[ik] * x[ik - K]) / beta[k];
        }
    if (zero)
        return -1;
    for (size_t i = n - 1; i > 0; --i)
        for (int k = 0; k < K; ++k)
            x[(i - 1) * K + k] -= work[i * K + k] * x[i * K + k];
    return 0;
}
#endif
