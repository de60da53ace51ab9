#include "numerics/tridiag.h"

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
    for (size_t i = 1; i < n; ++i) {
        const double *ai = a + i * K, *bi = b + i * K, *ci = c + (i - 1) * K, *ri = r + i * K;
        double *wi = work + i * K, *xi = x + i * K, *xp = x + (i - 1) * K;
        for (int k = 0; k < K; ++k) {
            wi[k] = ci[k] / beta[k];
            beta[k] = bi[k] - ai[k] * wi[k];
            zero |= beta[k] == 0.0;
            xi[k] = (ri[k] - ai[k] * xp[k]) / beta[k];
        }
    }
    if (zero)
        return -1;
    for (size_t i = n - 1; i > 0; --i)
        for (int k = 0; k < K; ++k)
            x[(i - 1) * K + k] -= work[i * K + k] * x[i * K + k];
    return 0;
}
