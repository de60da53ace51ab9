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
