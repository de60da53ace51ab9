/* The comparison point of bench_lod: LOD diffusion written the straightforward way — the
 * voxel state as an array of structures of 16 doubles, every line's tridiagonal system
 * assembled and solved from scratch (cyclic by Sherman–Morrison), one thread. */
#ifndef MN_BENCH_LOD_AOS_H
#define MN_BENCH_LOD_AOS_H

#include <stdlib.h>

typedef struct mn__aos_voxel {
    double s[16];
} mn__aos_voxel;

typedef struct mn__aos_lod {
    int nx, ny, nz;
    double dx, D;
    const double *h;
    mn__aos_voxel *v;
    double *a, *b, *c, *r, *x, *z, *u, *w; /* one line */
} mn__aos_lod;

static inline int mn__aos_lod_init(mn__aos_lod *l, int nx, int ny, int nz, double dx,
                                   const double *h, double D)
{
    int n = nx > nz ? (nx > ny ? nx : ny) : (nz > ny ? nz : ny);
    l->nx = nx, l->ny = ny, l->nz = nz, l->dx = dx, l->D = D, l->h = h;
    l->v = malloc((size_t)nx * ny * nz * sizeof *l->v);
    double **bufs[] = {&l->a, &l->b, &l->c, &l->r, &l->x, &l->z, &l->u, &l->w};
    for (int i = 0; i < 8; ++i)
        *bufs[i] = malloc((size_t)n * sizeof(double));
    if (!l->v || !l->w)
        return -1;
    for (size_t i = 0; i < (size_t)nx * ny * nz; ++i)
        for (int s = 0; s < 16; ++s)
            l->v[i].s[s] = 1.0 + 0.001 * (double)(i % 97);
    return 0;
}

static inline void mn__aos_lod_free(mn__aos_lod *l)
{
    free(l->v);
    free(l->a), free(l->b), free(l->c), free(l->r), free(l->x), free(l->z), free(l->u), free(l->w);
}

static inline void mn__aos_thomas(int n, const double *a, const double *b, const double *c,
                                  const double *r, double *x, double *w)
{
    double beta = b[0];
    x[0] = r[0] / beta;
    for (int i = 1; i < n; ++i) {
        w[i] = c[i - 1] / beta;
        beta = b[i] - a[i] * w[i];
        x[i] = (r[i] - a[i] * x[i - 1]) / beta;
    }
    for (int i = n - 2; i >= 0; --i)
        x[i] -= w[i + 1] * x[i + 1];
}

/* Periodic line: Sherman–Morrison on the matrix with its corners removed. */
static inline void mn__aos_cyclic(mn__aos_lod *l, int n, double rr)
{
    double *a = l->a, *b = l->b, *c = l->c;
    for (int i = 0; i < n; ++i)
        a[i] = -rr, b[i] = 1 + 2 * rr, c[i] = -rr;
    double gamma = -b[0], alpha = c[n - 1], beta = a[0];
    b[0] -= gamma;
    b[n - 1] -= alpha * beta / gamma;
    mn__aos_thomas(n, a, b, c, l->r, l->x, l->w);
    for (int i = 0; i < n; ++i)
        l->u[i] = 0;
    l->u[0] = gamma, l->u[n - 1] = alpha;
    mn__aos_thomas(n, a, b, c, l->u, l->z, l->w);
    double f = (l->x[0] + beta * l->x[n - 1] / gamma) / (1 + l->z[0] + beta * l->z[n - 1] / gamma);
    for (int i = 0; i < n; ++i)
        l->x[i] -= f * l->z[i];
}

/* One LOD step of species 5 (the growth factor) with step dt. */
static inline void mn__aos_lod_step(mn__aos_lod *l, double dt)
{
    const int nx = l->nx, ny = l->ny, nz = l->nz, sp = 5;
    const double rr = l->D * dt / (l->dx * l->dx);
#define AT(i, j, k) l->v[((size_t)(k)*ny + (j)) * nx + (i)].s[sp]
    for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j) {
            for (int i = 0; i < nx; ++i)
                l->r[i] = AT(i, j, k);
            mn__aos_cyclic(l, nx, rr);
            for (int i = 0; i < nx; ++i)
                AT(i, j, k) = l->x[i];
        }
    for (int k = 0; k < nz; ++k)
        for (int i = 0; i < nx; ++i) {
            for (int j = 0; j < ny; ++j)
                l->r[j] = AT(i, j, k);
            mn__aos_cyclic(l, ny, rr);
            for (int j = 0; j < ny; ++j)
                AT(i, j, k) = l->x[j];
        }
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            for (int k = 0; k < nz; ++k) {
                double up = k > 0 ? l->D / (0.5 * (l->h[k - 1] + l->h[k])) : 0;
                double down = k + 1 < nz ? l->D / (0.5 * (l->h[k] + l->h[k + 1])) : 0;
                l->a[k] = -dt * up / l->h[k];
                l->c[k] = -dt * down / l->h[k];
                l->b[k] = 1 + dt * (up + down) / l->h[k];
                l->r[k] = AT(i, j, k);
            }
            mn__aos_thomas(nz, l->a, l->b, l->c, l->r, l->x, l->w);
            for (int k = 0; k < nz; ++k)
                AT(i, j, k) = l->x[k];
        }
#undef AT
}

#endif
