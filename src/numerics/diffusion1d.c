#include "numerics/diffusion1d.h"

#include <stdlib.h>

#include "core/mn_simd.h"
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

MN_CLONES int mn__diffusion1d_step_lanes(mn__diffusion1d *d, const double *h, const double *g,
                                         double dt, const double *prod, const double *loss,
                                         const double beta[L], double y_out, double *y)
{
    const size_t n = d->n;
    for (size_t i = 0; i < n; ++i) {
        const double dth = dt / h[i];
        for (int k = 0; k < L; ++k) {
            const size_t ik = i * L + k;
            double up = i > 0 ? g[ik - L] : 0.0;
            double down = i + 1 < n ? g[ik] : 0.0;
            d->a[ik] = -dth * up;
            d->c[ik] = -dth * down;
            d->b[ik] = 1.0 + dth * (up + down) + dt * loss[ik];
            d->r[ik] = y[ik] + dt * prod[ik];
        }
    }
    for (int k = 0; k < L; ++k)
        if (beta[k] > 0) {
            d->b[k] += dt * beta[k] / h[0];
            d->r[k] += dt * beta[k] * y_out / h[0];
        }
    return mn__tridiag_solve_lanes4(n, d->a, d->b, d->c, d->r, y, d->work);
}

/* Rate of the transfer out of a cell across one face (diffusion1d.h), with ratio = v0/v1 of
 * the cell (one division per cell, not per face): (g0·v0 + g1·v1)/(2·v1) = (g0·ratio + g1)/2. */
static inline double patankar_rate(double g0, double g1, double ratio, int live)
{
    double out = g0 * ratio + g1;
    return (live && out >= 0.0) ? 0.5 * out : 0.5 * (g0 + g1);
}

MN_CLONES int mn__diffusion1d_mprk_stage2_lanes(mn__diffusion1d *d, const double *h,
                                                const double *g0, const double *g1, double dt,
                                                const double *v0, const double *v1,
                                                const double *prod, const double *loss, double *y)
{
    const size_t n = d->n;
    /* The cells' ratios v0/v1 go to the scratch x (the solve overwrites it afterwards). */
    double *ratio = d->x;
    for (size_t ik = 0; ik < n * L; ++ik)
        ratio[ik] = v1[ik] > 1e-30 ? v0[ik] / (v1[ik] > 1e-30 ? v1[ik] : 1.0) : 0.0;
    /* Per lane: the transfer rates out of the current cell through the face above it and into
     * it from above, carried from the previous cell (each face's pair is computed once). */
    double out_up[L] = {0}, in_from_above[L] = {0};
    for (size_t i = 0; i < n; ++i) {
        const double dth = dt / h[i];
        const int last = i + 1 == n;
        for (int k = 0; k < L; ++k) {
            const size_t ik = i * L + k, jk = last ? ik : ik + L;
            const double ga = last ? 0.0 : g0[ik], gb = last ? 0.0 : g1[ik];
            const double out_down = patankar_rate(ga, gb, ratio[ik], v1[ik] > 1e-30);
            const double in_from_below = patankar_rate(ga, gb, ratio[jk], v1[jk] > 1e-30);
            d->a[ik] = -dth * in_from_above[k];
            d->c[ik] = -dth * in_from_below;
            d->b[ik] = 1.0 + dth * (out_up[k] + out_down) + dt * loss[ik];
            d->r[ik] = v0[ik] + dt * prod[ik];
            /* The face below i is the face above i + 1. */
            out_up[k] = in_from_below;
            in_from_above[k] = out_down;
        }
    }
    return mn__tridiag_solve_lanes4(n, d->a, d->b, d->c, d->r, y, d->work);
}

/* Single species: lane 0 of interleaved copies (the other lanes solve zero systems). */
typedef struct single {
    double *g0, *g1, *v0, *v1, *prod, *loss, *y;
} single;

static int single_alloc(single *s, size_t n)
{
    double **all[] = {&s->g0, &s->g1, &s->v0, &s->v1, &s->prod, &s->loss, &s->y};
    int ok = 1;
    for (size_t k = 0; k < sizeof all / sizeof all[0]; ++k)
        ok &= (*all[k] = calloc(n * L, sizeof(double))) != NULL;
    return ok ? 0 : -1;
}

static void single_free(single *s)
{
    double *all[] = {s->g0, s->g1, s->v0, s->v1, s->prod, s->loss, s->y};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; ++k)
        free(all[k]);
}

static void spread(double *dst, const double *src, size_t n)
{
    for (size_t i = 0; src && i < n; ++i)
        dst[i * L] = src[i];
}

int mn__diffusion1d_step(mn__diffusion1d *d, const double *h, const double *g, double dt,
                         const double *prod, const double *loss, double beta, double y_out,
                         double *y)
{
    const size_t n = d->n;
    single s;
    int rc = single_alloc(&s, n);
    if (!rc) {
        spread(s.g0, g, n > 0 ? n - 1 : 0);
        spread(s.prod, prod, n);
        spread(s.loss, loss, n);
        spread(s.y, y, n);
        const double bs[L] = {beta};
        rc = mn__diffusion1d_step_lanes(d, h, s.g0, dt, s.prod, s.loss, bs, y_out, s.y);
        for (size_t i = 0; !rc && i < n; ++i)
            y[i] = s.y[i * L];
    }
    single_free(&s);
    return rc;
}

int mn__diffusion1d_mprk_stage2(mn__diffusion1d *d, const double *h, const double *g0,
                                const double *g1, double dt, const double *v0, const double *v1,
                                const double *prod, const double *loss, double *y)
{
    const size_t n = d->n;
    single s;
    int rc = single_alloc(&s, n);
    if (!rc) {
        spread(s.g0, g0, n > 0 ? n - 1 : 0);
        spread(s.g1, g1, n > 0 ? n - 1 : 0);
        spread(s.v0, v0, n);
        spread(s.v1, v1, n);
        spread(s.prod, prod, n);
        spread(s.loss, loss, n);
        rc = mn__diffusion1d_mprk_stage2_lanes(d, h, s.g0, s.g1, dt, s.v0, s.v1, s.prod, s.loss,
                                               s.y);
        for (size_t i = 0; !rc && i < n; ++i)
            y[i] = s.y[i * L];
    }
    single_free(&s);
    return rc;
}
