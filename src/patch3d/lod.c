#include "patch3d/lod.h"

#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

static int thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

int mn__lod_init(mn__lod *l, const mn__lod_grid *g)
{
    memset(l, 0, sizeof *l);
    if (g->nx < 3 || g->ny < 3 || g->nz < 1 || !(g->dx_um > 0) || !g->h_um)
        return -1;
    l->g = *g;
#ifdef _OPENMP
    l->nthreads = omp_get_max_threads();
#else
    l->nthreads = 1;
#endif
    size_t plane = (size_t)g->nx * (size_t)g->ny + (size_t)(g->nx > g->ny ? g->nx : g->ny);
    size_t column = 2 * (size_t)g->nz * (size_t)g->nx + (size_t)g->nx;
    l->scratch_len = plane > column ? plane : column;
    /* The 3-D patch borrows the scratch for a row of voxel states (16 floats = 8 doubles each). */
    if (l->scratch_len < 8 * (size_t)g->nx)
        l->scratch_len = 8 * (size_t)g->nx;
    l->scratch = calloc((size_t)l->nthreads, sizeof(double *));
    if (!l->scratch)
        return -1;
    for (int t = 0; t < l->nthreads; ++t)
        if (!(l->scratch[t] = malloc(l->scratch_len * sizeof(double)))) {
            mn__lod_free(l);
            return -1;
        }
    return 0;
}

void mn__lod_free(mn__lod *l)
{
    if (l->scratch)
        for (int t = 0; t < l->nthreads; ++t)
            free(l->scratch[t]);
    free(l->scratch);
    l->scratch = NULL;
}

size_t mn__lod_bytes(const mn__lod *l)
{
    return (size_t)l->nthreads * l->scratch_len * sizeof(double);
}

static int cyclic_alloc(mn__lod_cyclic *c, int n)
{
    c->r = 0;
    c->inv = malloc((size_t)n * sizeof(double));
    c->cp = malloc((size_t)n * sizeof(double));
    c->zc = malloc((size_t)n * sizeof(double));
    return (c->inv && c->cp && c->zc) ? 0 : -1;
}

static void cyclic_free(mn__lod_cyclic *c)
{
    free(c->inv);
    free(c->cp);
    free(c->zc);
}

int mn__lod_op_init(mn__lod_op *op, const mn__lod_grid *g)
{
    memset(op, 0, sizeof *op);
    op->dt_h = -1.0;
    op->nz = g->nz;
    size_t nz = (size_t)g->nz;
    int ok = (op->dxy_um2_h = calloc(nz, sizeof(double))) != NULL;
    ok &= (op->gz_um_h = calloc(nz, sizeof(double))) != NULL;
    ok &= (op->xk = calloc(nz, sizeof *op->xk)) != NULL;
    ok &= (op->yk = calloc(nz, sizeof *op->yk)) != NULL;
    ok &= (op->z_a = malloc(nz * sizeof(double))) != NULL;
    ok &= (op->z_inv = malloc(nz * sizeof(double))) != NULL;
    ok &= (op->z_cp = malloc(nz * sizeof(double))) != NULL;
    for (size_t k = 0; ok && k < nz; ++k)
        ok &= cyclic_alloc(&op->xk[k], g->nx) == 0 && cyclic_alloc(&op->yk[k], g->ny) == 0;
    if (!ok) {
        mn__lod_op_free(op);
        return -1;
    }
    return 0;
}

void mn__lod_op_free(mn__lod_op *op)
{
    for (int k = 0; k < op->nz; ++k) {
        if (op->xk)
            cyclic_free(&op->xk[k]);
        if (op->yk)
            cyclic_free(&op->yk[k]);
    }
    free(op->dxy_um2_h);
    free(op->gz_um_h);
    free(op->xk);
    free(op->yk);
    free(op->z_a);
    free(op->z_inv);
    free(op->z_cp);
    memset(op, 0, sizeof *op);
}

size_t mn__lod_op_bytes(const mn__lod_op *op, const mn__lod_grid *g)
{
    (void)op;
    size_t nz = (size_t)g->nz;
    return nz * (5 * sizeof(double) + 2 * sizeof(mn__lod_cyclic)) +
           nz * 3 * sizeof(double) * (size_t)(g->nx + g->ny);
}

/* Factors the cyclic system with off-diagonals −r and diagonal 1 + 2r: Thomas pivots of the
 * matrix with its corners removed (diagonal modified as in Press et al., Numerical Recipes
 * §2.7, "cyclic tridiagonal systems") and the Sherman–Morrison vector that restores them. */
static void cyclic_factor(mn__lod_cyclic *c, int n, double r)
{
    c->r = r;
    if (!(r > 0))
        return;
    const double a = -r, cc = -r, b = 1.0 + 2.0 * r;
    const double alpha = cc, beta = a, gamma = -b;
    double w = b - gamma;
    c->inv[0] = 1.0 / w;
    c->cp[0] = cc * c->inv[0];
    for (int i = 1; i < n; ++i) {
        double bi = (i == n - 1) ? b - alpha * beta / gamma : b;
        w = bi - a * c->cp[i - 1];
        c->inv[i] = 1.0 / w;
        c->cp[i] = cc * c->inv[i];
    }
    double *z = c->zc;
    z[0] = gamma * c->inv[0];
    for (int i = 1; i < n; ++i)
        z[i] = ((i == n - 1 ? alpha : 0.0) - a * z[i - 1]) * c->inv[i];
    for (int i = n - 2; i >= 0; --i)
        z[i] -= c->cp[i] * z[i + 1];
    c->q = beta / gamma;
    c->s = 1.0 / (1.0 + z[0] + c->q * z[n - 1]);
}

void mn__lod_op_factor(mn__lod_op *op, const mn__lod_grid *g, double dt_h)
{
    if (dt_h == op->dt_h)
        return;
    op->dt_h = dt_h;
    const double inv_dx2 = 1.0 / (g->dx_um * g->dx_um);
    for (int k = 0; k < g->nz; ++k) {
        double r = op->dxy_um2_h[k] * dt_h * inv_dx2;
        cyclic_factor(&op->xk[k], g->nx, r);
        cyclic_factor(&op->yk[k], g->ny, r);
    }
    /* z: finite volumes on cells of height h[k]; rows scaled by h so a_k, c_k are −dt·g/h. */
    const double *h = g->h_um;
    double cp_prev = 0.0;
    for (int k = 0; k < g->nz; ++k) {
        double up = k > 0 ? op->gz_um_h[k - 1] : 0.0;
        double down = k + 1 < g->nz ? op->gz_um_h[k] : 0.0;
        double a = -dt_h * up / h[k], c = -dt_h * down / h[k];
        double b = 1.0 + dt_h * (up + down) / h[k];
        double w = b - (k > 0 ? a * cp_prev : 0.0);
        op->z_a[k] = a;
        op->z_inv[k] = 1.0 / w;
        op->z_cp[k] = c / w;
        cp_prev = op->z_cp[k];
    }
}

/* Solves the ny cyclic x-lines of a plane S[ny][nx] at once. The recurrence runs along x;
 * the inner loop runs across rows, so independent lines fill the pipeline instead of one
 * line's latency chain. `f` holds ny doubles. */
static void cyclic_solve_cols(const mn__lod_cyclic *c, int ny, int nx, double *S, double *f)
{
    const double r = c->r;
    for (int y = 0; y < ny; ++y)
        S[(size_t)y * nx] *= c->inv[0];
    for (int x = 1; x < nx; ++x) {
        const double inv = c->inv[x];
        for (int y = 0; y < ny; ++y) {
            double *row = S + (size_t)y * nx;
            row[x] = (row[x] + r * row[x - 1]) * inv;
        }
    }
    for (int x = nx - 2; x >= 0; --x) {
        const double cp = c->cp[x];
        for (int y = 0; y < ny; ++y) {
            double *row = S + (size_t)y * nx;
            row[x] -= cp * row[x + 1];
        }
    }
    for (int y = 0; y < ny; ++y) {
        double *row = S + (size_t)y * nx;
        f[y] = (row[0] + c->q * row[nx - 1]) * c->s;
    }
    for (int y = 0; y < ny; ++y) {
        double *row = S + (size_t)y * nx;
        const double fy = f[y];
        for (int x = 0; x < nx; ++x)
            row[x] -= fy * c->zc[x];
    }
}

/* Solves the nx cyclic y-lines of a plane S[ny][nx] at once (vectorised over x). */
static void cyclic_solve_rows(const mn__lod_cyclic *c, int ny, int nx, double *S, double *f)
{
    const double r = c->r;
    for (int x = 0; x < nx; ++x)
        S[x] *= c->inv[0];
    for (int y = 1; y < ny; ++y) {
        double *row = S + (size_t)y * nx;
        const double *prev = row - nx;
        const double inv = c->inv[y];
        for (int x = 0; x < nx; ++x)
            row[x] = (row[x] + r * prev[x]) * inv;
    }
    for (int y = ny - 2; y >= 0; --y) {
        double *row = S + (size_t)y * nx;
        const double *next = row + nx;
        const double cp = c->cp[y];
        for (int x = 0; x < nx; ++x)
            row[x] -= cp * next[x];
    }
    const double *last = S + (size_t)(ny - 1) * nx;
    for (int x = 0; x < nx; ++x)
        f[x] = (S[x] + c->q * last[x]) * c->s;
    for (int y = 0; y < ny; ++y) {
        double *row = S + (size_t)y * nx;
        const double z = c->zc[y];
        for (int x = 0; x < nx; ++x)
            row[x] -= f[x] * z;
    }
}

void mn__lod_sweep_xy(mn__lod *l, const mn__lod_op *op, float *u)
{
    const int nx = l->g.nx, ny = l->g.ny, nz = l->g.nz;
    const size_t plane = (size_t)nx * ny;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int k = 0; k < nz; ++k) {
        const mn__lod_cyclic *cx = &op->xk[k], *cy = &op->yk[k];
        if (!(cx->r > 0) && !(cy->r > 0))
            continue;
        double *S = l->scratch[thread_id()];
        float *uk = u + (size_t)k * plane;
        for (size_t i = 0; i < plane; ++i)
            S[i] = uk[i];
        if (cx->r > 0)
            cyclic_solve_cols(cx, ny, nx, S, S + plane);
        if (cy->r > 0)
            cyclic_solve_rows(cy, ny, nx, S, S + plane);
        for (size_t i = 0; i < plane; ++i)
            uk[i] = (float)S[i];
    }
}

void mn__lod_sweep_z(mn__lod *l, const mn__lod_op *op, const double *offset, float *u)
{
    const int nx = l->g.nx, ny = l->g.ny, nz = l->g.nz;
    const size_t plane = (size_t)nx * ny;
    if (nz < 2)
        return;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int y = 0; y < ny; ++y) {
        double *D = l->scratch[thread_id()];
        float *u0 = u + (size_t)y * nx;
        /* Forward elimination, reading each plane's row once. */
        {
            const double inv = op->z_inv[0], o = offset ? offset[0] : 0.0;
            for (int x = 0; x < nx; ++x)
                D[x] = (u0[x] - o) * inv;
        }
        for (int k = 1; k < nz; ++k) {
            const float *uk = u0 + (size_t)k * plane;
            double *dk = D + (size_t)k * nx;
            const double *dp = dk - nx;
            const double a = op->z_a[k], inv = op->z_inv[k], o = offset ? offset[k] : 0.0;
            for (int x = 0; x < nx; ++x)
                dk[x] = (uk[x] - o - a * dp[x]) * inv;
        }
        /* Back substitution, writing each plane's row once. */
        {
            float *ul = u0 + (size_t)(nz - 1) * plane;
            const double *dl = D + (size_t)(nz - 1) * nx;
            const double o = offset ? offset[nz - 1] : 0.0;
            for (int x = 0; x < nx; ++x)
                ul[x] = (float)(dl[x] + o);
        }
        for (int k = nz - 2; k >= 0; --k) {
            float *uk = u0 + (size_t)k * plane;
            double *dk = D + (size_t)k * nx;
            const double *dn = dk + nx;
            const double cp = op->z_cp[k], o = offset ? offset[k] : 0.0;
            for (int x = 0; x < nx; ++x) {
                dk[x] -= cp * dn[x];
                uk[x] = (float)(dk[x] + o);
            }
        }
    }
}

void mn__lod_step(mn__lod *l, const mn__lod_op *op, const double *offset, float *u)
{
    mn__lod_sweep_xy(l, op, u);
    mn__lod_sweep_z(l, op, offset, u);
}

void mn__lod_sweep_z_var(mn__lod *l, const double *g0, const double *g1, const float *p,
                         double beta, double u_out, double dt_h, float *u)
{
    const int nx = l->g.nx, ny = l->g.ny, nz = l->g.nz;
    const size_t plane = (size_t)nx * ny;
    const double *h = l->g.h_um;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int y = 0; y < ny; ++y) {
        double *D = l->scratch[thread_id()];
        double *CP = D + (size_t)nz * nx;
        const size_t row = (size_t)y * nx;
        for (int k = 0; k < nz; ++k) {
            const size_t ik = (size_t)k * plane + row;
            double *dk = D + (size_t)k * nx, *ck = CP + (size_t)k * nx;
            const double *dp = dk - nx, *cpp = ck - nx;
            const double dth = dt_h / h[k];
            for (int x = 0; x < nx; ++x) {
                double up = 0.0, down = 0.0;
                if (k > 0)
                    up = g0[k - 1] + g1[k - 1] * 0.5 * (p[ik - plane + x] + p[ik + x]);
                if (k + 1 < nz)
                    down = g0[k] + g1[k] * 0.5 * (p[ik + x] + p[ik + plane + x]);
                double a = -dth * up, c = -dth * down, b = 1.0 + dth * (up + down);
                double rhs = u[ik + x];
                if (k == 0 && beta > 0) {
                    double inflow = dth * beta * p[ik + x];
                    b += inflow;
                    rhs += inflow * u_out;
                }
                double w = b - (k > 0 ? a * cpp[x] : 0.0);
                ck[x] = c / w;
                dk[x] = (rhs - (k > 0 ? a * dp[x] : 0.0)) / w;
            }
        }
        for (int k = nz - 1; k >= 0; --k) {
            double *dk = D + (size_t)k * nx;
            const double *ck = CP + (size_t)k * nx;
            float *uk = u + (size_t)k * plane + row;
            for (int x = 0; x < nx; ++x) {
                if (k + 1 < nz)
                    dk[x] -= ck[x] * dk[x + nx];
                uk[x] = (float)dk[x];
            }
        }
    }
}
