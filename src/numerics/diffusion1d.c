#include "numerics/diffusion1d.h"

#include <stdlib.h>

#include "numerics/tridiag.h"

int mn__diffusion1d_init(mn__diffusion1d *d, size_t n)
{
    d->n = n;
    d->a = malloc(n * sizeof(double));
    d->b = malloc(n * sizeof(double));
    d->c = malloc(n * sizeof(double));
    d->r = malloc(n * sizeof(double));
    d->x = malloc(n * sizeof(double));
    d->work = malloc(n * sizeof(double));
    if (!d->a || !d->b || !d->c || !d->r || !d->x || !d->work) {
        mn__diffusion1d_free(d);
        return -1;
    }
    return 0;
}

void mn__diffusion1d_free(mn__diffusion1d *d)
{
    free(d->a);
    free(d->b);
    free(d->c);
    free(d->r);
    free(d->x);
    free(d->work);
    d->a = d->b = d->c = d->r = d->x = d->work = NULL;
}

int mn__diffusion1d_step(mn__diffusion1d *d, const double *h, const double *g, double dt,
                         const double *prod, const double *loss, double beta, double y_out,
                         float *y)
{
    const size_t n = d->n;
    for (size_t i = 0; i < n; ++i) {
        double up = i > 0 ? g[i - 1] : 0.0;
        double down = i + 1 < n ? g[i] : 0.0;
        d->a[i] = -dt * up / h[i];
        d->c[i] = -dt * down / h[i];
        d->b[i] = 1.0 + dt * (up + down) / h[i] + (loss ? dt * loss[i] : 0.0);
        d->r[i] = y[i] + (prod ? dt * prod[i] : 0.0);
    }
    if (beta > 0) {
        d->b[0] += dt * beta / h[0];
        d->r[0] += dt * beta * y_out / h[0];
    }
    if (mn__tridiag_solve(n, d->a, d->b, d->c, d->r, d->x, d->work) != 0)
        return -1;
    for (size_t i = 0; i < n; ++i)
        y[i] = (float)d->x[i];
    return 0;
}
