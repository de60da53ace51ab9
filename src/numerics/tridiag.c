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

#if defined(__GNUC__)
/* Four doubles as one vector (GCC/Clang vector extension); loads and stores through memcpy,
 * as the arrays need not be 32-byte aligned (macros: a function returning a vector would
 * change the ABI between the clones). */
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));
#define LOAD4(v, p) memcpy(&(v), (p), sizeof(v4d))
#define STORE4(p, v) memcpy((p), &(v), sizeof(v4d))

MN_CLONES int mn__tridiag_solve_lanes4(size_t n, const double *a, const double *b, const double *c,
                                       const double *r, double *x, double *work)
{
    if (n == 0)
        return 0;
    v4d beta, xp, ai, bi, ci, ri, w;
    LOAD4(beta, b);
    LOAD4(ri, r);
    xp = ri / beta;
    STORE4(x, xp);
    v4l bad = (beta == 0.0) | (beta != beta); /* a zero (or NaN) pivot in a lane */
    for (size_t i = 1; i < n; ++i) {
        LOAD4(ai, a + 4 * i);
        LOAD4(bi, b + 4 * i);
        LOAD4(ci, c + 4 * (i - 1));
        LOAD4(ri, r + 4 * i);
        w = ci / beta;
        beta = bi - ai * w;
        xp = (ri - ai * xp) / beta;
        STORE4(work + 4 * i, w);
        STORE4(x + 4 * i, xp);
        bad |= (beta == 0.0) | (beta != beta);
    }
    if (bad[0] | bad[1] | bad[2] | bad[3])
        return -1;
    for (size_t i = n - 1; i > 0; --i) {
        v4d xi;
        LOAD4(xp, x + 4 * (i - 1));
        LOAD4(w, work + 4 * i);
        LOAD4(xi, x + 4 * i);
        xp -= w * xi;
        STORE4(x + 4 * (i - 1), xp);
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
