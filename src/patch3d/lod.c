/* The LOD solver (lod.h): scratch and operators, their factorisation, and the step, which
 * runs the x–y pass (lod_xy.c) and the z pass (lod_z.c) in one parallel region. */
#include "patch3d/lod_impl.h"

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
    size_t plane = (size_t)XB * (size_t)(g->nx > g->ny ? g->nx : g->ny);
    /* The x sweep's transposed plane and its correction row (floats, two to a double). */
    size_t tplane = ((size_t)g->nx + 8) * (size_t)((g->ny < XR ? g->ny : XR) + 7) / 2 + 1;
    if (tplane > plane)
        plane = tplane;
    /* After it, nx floats of the y sweep's sums (filled while the x sweep runs). */
    plane += (size_t)g->nx / 2 + 8;
    size_t column = 2 * (size_t)g->nz * (size_t)g->nx + (size_t)g->nx;
    /* The z pass's float scratch: nz runs of up to nx + 15 columns (mn__lod_z_rows). */
    size_t zrun = (size_t)g->nz * (((size_t)g->nx + 15) & ~(size_t)15) / 2 + 1;
    if (zrun > column)
        column = zrun;
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
    c->inv = malloc((size_t)n * sizeof(float));
    c->ri = malloc((size_t)n * sizeof(float));
    c->cp = malloc((size_t)n * sizeof(float));
    c->zf = malloc((size_t)n * sizeof(float));
    c->w = malloc((size_t)n * sizeof(float));
    return (c->inv && c->ri && c->cp && c->zf && c->w) ? 0 : -1;
}

static void cyclic_free(mn__lod_cyclic *c)
{
    free(c->inv);
    free(c->ri);
    free(c->cp);
    free(c->zf);
    free(c->w);
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
    ok &= (op->z_nai = malloc(nz * sizeof(float))) != NULL;
    ok &= (op->work = malloc(3 * (size_t)(g->nx > g->ny ? g->nx : g->ny) * sizeof(double))) != NULL;
    ok &= (op->z_inv = malloc(nz * sizeof(float))) != NULL;
    ok &= (op->z_cp = malloc(nz * sizeof(float))) != NULL;
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
    free(op->z_nai);
    free(op->work);
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
static void cyclic_factor(mn__lod_cyclic *c, int n, double r, double *work)
{
    c->r = r;
    if (!(r > 0))
        return;
    const double a = -r, cc = -r, b = 1.0 + 2.0 * r;
    const double alpha = cc, beta = a, gamma = -b;
    /* Pivots and the correction vector in double, kept as float for the sweeps. */
    double *invd = work, *cpd = work + n, *zd = work + 2 * (size_t)n;
    double w = b - gamma;
    invd[0] = 1.0 / w;
    cpd[0] = cc / w;
    for (int i = 1; i < n; ++i) {
        double bi = (i == n - 1) ? b - alpha * beta / gamma : b;
        w = bi - a * cpd[i - 1];
        invd[i] = 1.0 / w;
        cpd[i] = cc / w;
    }
    /* The correction vector eliminated forward (kept: the back substitution subtracts f times
     * it), then back-substituted here only for the denominator of f. */
    zd[0] = gamma * invd[0];
    for (int i = 1; i < n; ++i)
        zd[i] = ((i == n - 1 ? alpha : 0.0) - a * zd[i - 1]) * invd[i];
    double wd = 1.0;
    for (int i = 0; i < n; ++i) {
        c->inv[i] = (float)invd[i];
        c->ri[i] = (float)(r * invd[i]);
        c->cp[i] = (float)cpd[i];
        c->zf[i] = (float)zd[i];
        /* y0 = d0 − cp0·y1 = d0 − cp0·d1 + cp0·cp1·y2 …: weight of d[i] (positive: cp < 0) */
        c->w[i] = (float)wd;
        wd *= -cpd[i];
    }
    for (int i = n - 2; i >= 0; --i)
        zd[i] -= cpd[i] * zd[i + 1];
    c->q = (float)(beta / gamma);
    c->s = (float)(1.0 / (1.0 + zd[0] + (beta / gamma) * zd[n - 1]));
}

void mn__lod_op_factor(mn__lod_op *op, const mn__lod_grid *g, double dt_h)
{
    if (dt_h == op->dt_h)
        return;
    op->dt_h = dt_h;
    const double inv_dx2 = 1.0 / (g->dx_um * g->dx_um);
    for (int k = 0; k < g->nz; ++k) {
        double r = op->dxy_um2_h[k] * dt_h * inv_dx2;
        cyclic_factor(&op->xk[k], g->nx, r, op->work);
        cyclic_factor(&op->yk[k], g->ny, r, op->work);
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
        op->z_nai[k] = (float)(-a / w);
        op->z_inv[k] = (float)(1.0 / w);
        op->z_cp[k] = (float)(c / w);
        cp_prev = c / w;
    }
}

/* One parallel region a step (one fork and join; the barrier closing the x–y pass is the only
 * one inside: the z pass needs every plane): on shared cores each synchronisation is a chance
 * to wait for a descheduled thread. */
void mn__lod_step(mn__lod *l, const mn__lod_op *op, const double *offset, float *u)
{
#ifdef _OPENMP
#pragma omp parallel if (MN_LOD_PARALLEL(l))
#endif
    {
        mn__lod_xy_planes(l, op, u);
        if (l->g.nz >= 2)
            mn__lod_z_rows(l, op, offset, u);
    }
}
