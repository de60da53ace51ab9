/* Reference LOD diffusion in plain double precision (lod_ref.h): every line gathered, its
 * tridiagonal system assembled from the coefficients, solved, and scattered back. */
#include "patch3d/lod_ref.h"

#include <stdlib.h>

/* One line's system a[i]·x[i−1] + b[i]·x[i] + c[i]·x[i+1] = d[i] and its solution. */
typedef struct ref_line {
    int n;
    double *a, *b, *c, *d; /* sub-diagonal (a[0] unused), diagonal, super (c[n−1] unused), rhs */
    double *x, *z, *cp;    /* solution, Sherman–Morrison vector, Thomas scratch */
} ref_line;

static int line_alloc(ref_line *L, int n)
{
    L->n = n;
    L->a = malloc(7 * (size_t)n * sizeof(double));
    if (!L->a)
        return -1;
    L->b = L->a + n;
    L->c = L->b + n;
    L->d = L->c + n;
    L->x = L->d + n;
    L->z = L->x + n;
    L->cp = L->z + n;
    return 0;
}

static int max3(int a, int b, int c)
{
    int m = a > b ? a : b;
    return m > c ? m : c;
}

/* Thomas algorithm: x = A⁻¹ rhs for the tridiagonal A = (a, b, c) of the first n rows. */
static void thomas(int n, const double *a, const double *b, const double *c, const double *rhs,
                   double *x, double *cp)
{
    double pivot = b[0];
    cp[0] = c[0] / pivot;
    x[0] = rhs[0] / pivot;
    for (int i = 1; i < n; ++i) {
        pivot = b[i] - a[i] * cp[i - 1];
        cp[i] = i + 1 < n ? c[i] / pivot : 0.0;
        x[i] = (rhs[i] - a[i] * x[i - 1]) / pivot;
    }
    for (int i = n - 2; i >= 0; --i)
        x[i] -= cp[i] * x[i + 1];
}

/* The periodic line with off-diagonals −r and diagonal 1 + 2r (the corners A[0][n−1] and
 * A[n−1][0] are −r too): Sherman–Morrison as in Numerical Recipes §2.7 (cyclic). A = A' + u·vᵀ
 * with u = (γ, 0, …, 0, α), v = (1, 0, …, 0, β/γ), γ = −b; A' is A with the corners removed and
 * its first and last diagonal entries changed accordingly. Then x = y − f·z with A'y = d,
 * A'z = u and f = (y0 + β/γ·y[n−1]) / (1 + z0 + β/γ·z[n−1]). */
static void solve_cyclic(ref_line *L, double r)
{
    const int n = L->n;
    const double alpha = -r, beta = -r, diag = 1.0 + 2.0 * r, gamma = -diag;
    for (int i = 0; i < n; ++i) {
        L->a[i] = -r;
        L->b[i] = diag;
        L->c[i] = -r;
    }
    L->b[0] = diag - gamma;
    L->b[n - 1] = diag - alpha * beta / gamma;
    thomas(n, L->a, L->b, L->c, L->d, L->x, L->cp);
    /* the right-hand side u, built in z, solved in place (Thomas reads rhs[i] before x[i]) */
    for (int i = 0; i < n; ++i)
        L->z[i] = 0.0;
    L->z[0] = gamma;
    L->z[n - 1] = alpha;
    thomas(n, L->a, L->b, L->c, L->z, L->z, L->cp);
    const double f =
        (L->x[0] + beta / gamma * L->x[n - 1]) / (1.0 + L->z[0] + beta / gamma * L->z[n - 1]);
    for (int i = 0; i < n; ++i)
        L->x[i] -= f * L->z[i];
}

/* The cyclic x lines (stride 1) or y lines (stride nx) of every plane, r = D·dt/dx² there. */
static void sweep_periodic(const mn__lod_grid *g, const double *dxy_um2_h, double dt_h, int along_y,
                           ref_line *L, double *u)
{
    const size_t nx = (size_t)g->nx, plane = nx * (size_t)g->ny;
    const int n = along_y ? g->ny : g->nx, lines = along_y ? g->nx : g->ny;
    const size_t stride = along_y ? nx : 1, next_line = along_y ? 1 : nx;
    L->n = n;
    for (int k = 0; k < g->nz; ++k) {
        const double r = dxy_um2_h[k] * dt_h / (g->dx_um * g->dx_um);
        for (int j = 0; j < lines; ++j) {
            double *line = u + (size_t)k * plane + (size_t)j * next_line;
            for (int i = 0; i < n; ++i)
                L->d[i] = line[(size_t)i * stride];
            solve_cyclic(L, r);
            for (int i = 0; i < n; ++i)
                line[(size_t)i * stride] = L->x[i];
        }
    }
}

int mn__lod_ref_sweep_xy(const mn__lod_grid *g, const double *dxy_um2_h, double dt_h, double *u)
{
    ref_line L;
    if (line_alloc(&L, max3(g->nx, g->ny, g->nz)) != 0)
        return -1;
    sweep_periodic(g, dxy_um2_h, dt_h, 0, &L, u);
    sweep_periodic(g, dxy_um2_h, dt_h, 1, &L, u);
    free(L.a);
    return 0;
}

/* Solves column i (stride: one plane) with L's a, b, c already assembled: the operator acts on
 * u − offset[k] (offset may be NULL), and u' = solution + offset[k]. A single layer (nz = 1)
 * is the 1 × 1 identity. */
static void solve_column(const mn__lod_grid *g, const double *offset, size_t i, ref_line *L,
                         double *u)
{
    const int nz = g->nz;
    const size_t plane = (size_t)g->nx * (size_t)g->ny;
    L->n = nz;
    for (int k = 0; k < nz; ++k)
        L->d[k] += u[(size_t)k * plane + i] - (offset ? offset[k] : 0.0);
    thomas(nz, L->a, L->b, L->c, L->d, L->x, L->cp);
    for (int k = 0; k < nz; ++k)
        u[(size_t)k * plane + i] = L->x[k] + (offset ? offset[k] : 0.0);
}

/* Row k of a z system: finite volumes of height h[k], faces of conductance up (to k − 1) and
 * down (to k + 1), the row scaled by h[k] (so the sweep conserves Σ h·u). */
static void z_row_coefficients(ref_line *L, int k, double up, double down, double dt_h, double h)
{
    L->a[k] = -dt_h * up / h;
    L->c[k] = -dt_h * down / h;
    L->b[k] = 1.0 + dt_h * (up + down) / h;
    L->d[k] = 0.0;
}

/* The vertical faces of a sweep: constant per depth (gz[k] between k and k + 1), or, where gz
 * is NULL, g0[k] + g1[k] · (the mean of p on the face's two sides) per column. */
typedef struct ref_faces {
    const double *gz;
    const double *g0, *g1;
    const float *p;
} ref_faces;

/* Conductance of the face between k and k + 1 of column i. */
static double face(const ref_faces *f, size_t plane, size_t i, int k)
{
    if (f->gz)
        return f->gz[k];
    const size_t ik = (size_t)k * plane + i;
    return f->g0[k] + f->g1[k] * 0.5 * ((double)f->p[ik] + (double)f->p[ik + plane]);
}

/* Every column's system assembled and solved; beta > 0 adds the Robin inflow
 * J = beta·p(0)·(u_out − u(0)) into the top cell (faces with p only). */
static int sweep_columns(const mn__lod_grid *g, const ref_faces *f, double beta, double u_out,
                         const double *offset, double dt_h, double *u)
{
    ref_line L;
    if (line_alloc(&L, max3(g->nx, g->ny, g->nz)) != 0)
        return -1;
    const int nz = g->nz;
    const size_t plane = (size_t)g->nx * (size_t)g->ny;
    for (size_t i = 0; i < plane; ++i) {
        for (int k = 0; k < nz; ++k)
            z_row_coefficients(&L, k, k > 0 ? face(f, plane, i, k - 1) : 0.0,
                               k + 1 < nz ? face(f, plane, i, k) : 0.0, dt_h, g->h_um[k]);
        if (beta > 0) {
            /* the inflow's implicit part on the diagonal, the rest on the right-hand side
             * (which solve_column adds u to) */
            const double inflow = dt_h * beta * f->p[i] / g->h_um[0];
            L.b[0] += inflow;
            L.d[0] = inflow * u_out;
        }
        solve_column(g, offset, i, &L, u);
    }
    free(L.a);
    return 0;
}

int mn__lod_ref_sweep_z(const mn__lod_grid *g, const double *gz_um_h, const double *offset,
                        double dt_h, double *u)
{
    const ref_faces f = {.gz = gz_um_h};
    return sweep_columns(g, &f, 0.0, 0.0, offset, dt_h, u);
}

int mn__lod_ref_step(const mn__lod_grid *g, const double *dxy_um2_h, const double *gz_um_h,
                     const double *offset, double dt_h, double *u)
{
    if (mn__lod_ref_sweep_xy(g, dxy_um2_h, dt_h, u) != 0)
        return -1;
    return mn__lod_ref_sweep_z(g, gz_um_h, offset, dt_h, u);
}

int mn__lod_ref_sweep_z_var(const mn__lod_grid *g, const double *g0, const double *g1,
                            const float *p, double beta, double u_out, double dt_h, double *u)
{
    const ref_faces f = {.g0 = g0, .g1 = g1, .p = p};
    return sweep_columns(g, &f, beta, u_out, NULL, dt_h, u);
}
