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
    d->face = malloc(n * L * sizeof(double));
    if (!d->a || !d->b || !d->c || !d->r || !d->x || !d->work || !d->face) {
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
    free(d->face);
    d->a = d->b = d->c = d->r = d->x = d->work = d->face = NULL;
}

MN_CLONES int mn__diffusion1d_step_lanes(mn__diffusion1d *d, const double *h, const double *g,
                                         double dt, const double *prod, const double *loss,
                                         const double beta[L], double y_out, double *y)
{
    const size_t n = d->n;
#if defined(MN_HAVE_V4D)
    const mn_v4d zero = {0, 0, 0, 0}, one = {1, 1, 1, 1};
    mn_v4d up = zero; /* conductance of the face above the current cell */
    for (size_t i = 0; i < n; ++i) {
        const double dth = dt / h[i];
        mn_v4d down = zero, lo, pr, yi;
        if (i + 1 < n)
            MN_LOAD4(down, g + 4 * i);
        MN_LOAD4(lo, loss + 4 * i);
        MN_LOAD4(pr, prod + 4 * i);
        MN_LOAD4(yi, y + 4 * i);
        const mn_v4d a = -dth * up, c = -dth * down, b = one + dth * (up + down) + dt * lo,
                     r = yi + dt * pr;
        MN_STORE4(d->a + 4 * i, a);
        MN_STORE4(d->b + 4 * i, b);
        MN_STORE4(d->c + 4 * i, c);
        MN_STORE4(d->r + 4 * i, r);
        up = down;
    }
#else
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
#endif
    for (int k = 0; k < L; ++k)
        if (beta[k] > 0) {
            d->b[k] += dt * beta[k] / h[0];
            d->r[k] += dt * beta[k] * y_out / h[0];
        }
    return mn__tridiag_solve_lanes4(n, d->a, d->b, d->c, d->r, y, d->work);
}

/* The second stage's assembly (diffusion1d.h). The transfer rate out of cell i across a face
 * is (g0·v0_i + g1·v1_i)/(2·v1_i) = (g0·ratio_i + g1)/2 with ratio_i = v0_i/v1_i (one division
 * per cell, not per face), or the trapezoidal (g0 + g1)/2 where that is undefined or negative.
 * Four lanes as one vector. */
#if defined(MN_HAVE_V4D)
#define PATANKAR_RATE4(g0, g1, ratio, live)                                                        \
    MN_SELECT4((live) & ((g0) * (ratio) + (g1) >= 0.0), 0.5 * ((g0) * (ratio) + (g1)),             \
               0.5 * ((g0) + (g1)))

MN_CLONES int mn__diffusion1d_mprk_stage2_lanes(mn__diffusion1d *d, const double *h,
                                                const double *g0, const double *g1, double dt,
                                                const double *v0, const double *v1,
                                                const double *prod, const double *loss, double *y)
{
    const size_t n = d->n;
    const mn_v4d zero = {0, 0, 0, 0}, one = {1, 1, 1, 1};
    mn_v4d ratio_above = zero, loss_above = zero, out_up = zero, from_above = zero;
    mn_v4l live_above = (mn_v4l)zero;
    /* Cell i's ratio is computed once and carried to the next face. */
    for (size_t i = 0; i < n; ++i) {
        mn_v4d a0, a1, lo, pr;
        MN_LOAD4(a0, v0 + 4 * i);
        MN_LOAD4(a1, v1 + 4 * i);
        MN_LOAD4(lo, loss + 4 * i);
        MN_LOAD4(pr, prod + 4 * i);
        const mn_v4l live = a1 > 1e-30;
        const mn_v4d ratio = MN_SELECT4(live, a0 / MN_SELECT4(live, a1, one), zero);
        if (i > 0) {
            /* The face between i−1 and i: rates down out of i−1 and up out of i. */
            mn_v4d ga, gb;
            MN_LOAD4(ga, g0 + 4 * (i - 1));
            MN_LOAD4(gb, g1 + 4 * (i - 1));
            const mn_v4d down = PATANKAR_RATE4(ga, gb, ratio_above, live_above);
            const mn_v4d up = PATANKAR_RATE4(ga, gb, ratio, live);
            /* Row i−1 is complete now: its transfer down and the transfer up into it. */
            const double dth = dt / h[i - 1];
            mn_v4d b = one + dth * (out_up + down) + dt * loss_above, c = -dth * up;
            MN_STORE4(d->b + 4 * (i - 1), b);
            MN_STORE4(d->c + 4 * (i - 1), c);
            out_up = up;
            from_above = down;
        }
        const double dth = dt / h[i];
        mn_v4d a = -dth * from_above, r = a0 + dt * pr;
        MN_STORE4(d->a + 4 * i, a);
        MN_STORE4(d->r + 4 * i, r);
        ratio_above = ratio;
        live_above = live;
        loss_above = lo; /* the row completes at the next face */
    }
    if (n > 0) { /* the last row: no face below */
        const double dth = dt / h[n - 1];
        mn_v4d b = one + dth * out_up + dt * loss_above, c = zero;
        MN_STORE4(d->b + 4 * (n - 1), b);
        MN_STORE4(d->c + 4 * (n - 1), c);
    }
    return mn__tridiag_solve_lanes4(n, d->a, d->b, d->c, d->r, y, d->work);
}
#else
static inline double patankar_rate(double g0, double g1, double ratio, int live)
{
    double out = g0 * ratio + g1;
    return (live && out >= 0.0) ? 0.5 * out : 0.5 * (g0 + g1);
}

int mn__diffusion1d_mprk_stage2_lanes(mn__diffusion1d *d, const double *h, const double *g0,
                                      const double *g1, double dt, const double *v0,
                                      const double *v1, const double *prod, const double *loss,
                                      double *y)
{
    const size_t n = d->n;
    double *ratio = d->x, *down = d->work, *up = d->face;
    for (size_t ik = 0; ik < n * L; ++ik)
        ratio[ik] = v1[ik] > 1e-30 ? v0[ik] / v1[ik] : 0.0;
    for (size_t fk = 0; n > 0 && fk < (n - 1) * L; ++fk) {
        down[fk] = patankar_rate(g0[fk], g1[fk], ratio[fk], v1[fk] > 1e-30);
        up[fk] = patankar_rate(g0[fk], g1[fk], ratio[fk + L], v1[fk + L] > 1e-30);
    }
    for (size_t i = 0; i < n; ++i)
        for (int k = 0; k < L; ++k) {
            const size_t ik = i * L + k;
            const double dth = dt / h[i];
            const double out_up = i > 0 ? up[ik - L] : 0.0, out_down = i + 1 < n ? down[ik] : 0.0;
            d->a[ik] = -dth * (i > 0 ? down[ik - L] : 0.0);
            d->b[ik] = 1.0 + dth * (out_up + out_down) + dt * loss[ik];
            d->c[ik] = -dth * (i + 1 < n ? up[ik] : 0.0);
            d->r[ik] = v0[ik] + dt * prod[ik];
        }
    return mn__tridiag_solve_lanes4(n, d->a, d->b, d->c, d->r, y, d->work);
}
#endif

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
