#include "numerics/diffusion1d.h"

#include <stdlib.h>

#include "numerics/tridiag.h"

enum { L = MN__D1_LANES };

int mn__diffusion1d_init(mn__diffusion1d *d, size_t n)
{
    d->n = n;
    d->a = malloc(n * L * sizeof(double));
    d->b = malloc(n * L * sizeof(double));
    d->c = malloc(n * L * sizeof(double));
    d->r = malloc(n * L * sizeof(double));
    d->x = malloc(n * L * sizeof(double));
    d->work = malloc(n * L * sizeof(double));
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

/* An unused lane solves the identity system x = 0. */
static void identity_lane(mn__diffusion1d *d, int k)
{
    for (size_t i = 0; i < d->n; ++i) {
        d->a[i * L + k] = d->c[i * L + k] = d->r[i * L + k] = 0.0;
        d->b[i * L + k] = 1.0;
    }
}

static int solve_and_store(mn__diffusion1d *d, double *const y[L])
{
    if (mn__tridiag_solve_lanes4(d->n, d->a, d->b, d->c, d->r, d->x, d->work) != 0)
        return -1;
    for (int k = 0; k < L; ++k)
        if (y[k])
            for (size_t i = 0; i < d->n; ++i)
                y[k][i] = d->x[i * L + k];
    return 0;
}

int mn__diffusion1d_step_lanes(mn__diffusion1d *d, const double *h, const double *const g[L],
                               double dt, const double *const prod[L], const double *const loss[L],
                               const double beta[L], double y_out, double *const y[L])
{
    const size_t n = d->n;
    for (int k = 0; k < L; ++k) {
        if (!y[k]) {
            identity_lane(d, k);
            continue;
        }
        const double *gk = g[k];
        for (size_t i = 0; i < n; ++i) {
            double up = i > 0 ? gk[i - 1] : 0.0;
            double down = i + 1 < n ? gk[i] : 0.0;
            d->a[i * L + k] = -dt * up / h[i];
            d->c[i * L + k] = -dt * down / h[i];
            d->b[i * L + k] = 1.0 + dt * (up + down) / h[i] + (loss[k] ? dt * loss[k][i] : 0.0);
            d->r[i * L + k] = y[k][i] + (prod[k] ? dt * prod[k][i] : 0.0);
        }
        if (beta[k] > 0) {
            d->b[k] += dt * beta[k] / h[0];
            d->r[k] += dt * beta[k] * y_out / h[0];
        }
    }
    return solve_and_store(d, y);
}

/* Rate of the transfer out of a cell across one face (diffusion1d.h). */
static double patankar_rate(double g0, double g1, double v0, double v1)
{
    double out = g0 * v0 + g1 * v1;
    return (v1 > 1e-30 && out >= 0.0) ? 0.5 * out / v1 : 0.5 * (g0 + g1);
}

int mn__diffusion1d_mprk_stage2_lanes(mn__diffusion1d *d, const double *h,
                                      const double *const g0[L], const double *const g1[L],
                                      double dt, const double *const v0[L],
                                      const double *const v1[L], const double *const prod[L],
                                      const double *const loss[L], double *const y[L])
{
    const size_t n = d->n;
    for (int k = 0; k < L; ++k) {
        if (!y[k]) {
            identity_lane(d, k);
            continue;
        }
        const double *ga = g0[k], *gb = g1[k], *va = v0[k], *vb = v1[k];
        /* Transfer rates out of cell i through the face below it (down) and, from the
         * previous cell, through the face above it (up): each face's pair is computed once. */
        double out_up = 0.0, in_from_above = 0.0;
        for (size_t i = 0; i < n; ++i) {
            double out_down = 0.0, in_from_below = 0.0;
            if (i + 1 < n) {
                out_down = patankar_rate(ga[i], gb[i], va[i], vb[i]);
                in_from_below = patankar_rate(ga[i], gb[i], va[i + 1], vb[i + 1]);
            }
            d->a[i * L + k] = -dt * in_from_above / h[i];
            d->c[i * L + k] = -dt * in_from_below / h[i];
            d->b[i * L + k] =
                1.0 + dt * (out_up + out_down) / h[i] + (loss[k] ? dt * loss[k][i] : 0.0);
            d->r[i * L + k] = va[i] + (prod[k] ? dt * prod[k][i] : 0.0);
            /* The face below i is the face above i + 1. */
            out_up = in_from_below;
            in_from_above = out_down;
        }
    }
    return solve_and_store(d, y);
}

int mn__diffusion1d_step(mn__diffusion1d *d, const double *h, const double *g, double dt,
                         const double *prod, const double *loss, double beta, double y_out,
                         double *y)
{
    const double *gs[L] = {g}, *ps[L] = {prod}, *ls[L] = {loss};
    const double bs[L] = {beta};
    double *ys[L] = {y};
    return mn__diffusion1d_step_lanes(d, h, gs, dt, ps, ls, bs, y_out, ys);
}

int mn__diffusion1d_mprk_stage2(mn__diffusion1d *d, const double *h, const double *g0,
                                const double *g1, double dt, const double *v0, const double *v1,
                                const double *prod, const double *loss, double *y)
{
    const double *g0s[L] = {g0}, *g1s[L] = {g1}, *v0s[L] = {v0}, *v1s[L] = {v1};
    const double *ps[L] = {prod}, *ls[L] = {loss};
    double *ys[L] = {y};
    return mn__diffusion1d_mprk_stage2_lanes(d, h, g0s, g1s, dt, v0s, v1s, ps, ls, ys);
}
