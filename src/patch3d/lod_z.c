/* The z pass of the LOD solver (lod.h): the columns' tridiagonal systems, constant
 * coefficients (factored) or per-column ones (mn__lod_sweep_z_var). */
#include "patch3d/lod_impl.h"

/* One run of nx consecutive columns (mn__lod_z_rows): forward elimination reading each plane's run
 * once into the float scratch D[nz][nx] (one multiply and one fused multiply–add an update), back
 * substitution writing each run once. */
MN_CLONES static void z_row(const mn__lod_op *op, const double *offset, int nx, int nz,
                            size_t plane, float *u0, float *D, int prefetch)
{
    const size_t seg = (size_t)nx * sizeof(float);
    {
        const float inv = op->z_inv[0], oi = offset ? (float)offset[0] * inv : 0.0f;
        MN_SIMD
        for (int x = 0; x < nx; ++x)
            D[x] = u0[x] * inv - oi;
    }
    for (int k = 1; k < nz; ++k) {
        const float *uk = u0 + (size_t)k * plane;
        float *dk = D + (size_t)k * nx;
        const float *dp = dk - nx;
        const float nai = op->z_nai[k], inv = op->z_inv[k];
        const float oi = offset ? (float)offset[k] * inv : 0.0f;
        if (prefetch) /* this plane's segment of the next run of columns */
            for (size_t b = 0; b < seg; b += 64)
                __builtin_prefetch((const char *)(uk + nx) + b, 1, 3);
        MN_SIMD
        for (int x = 0; x < nx; ++x)
            dk[x] = nai * dp[x] + (uk[x] * inv - oi);
    }
    if (!offset) { /* u is the solution itself: the back substitution reads it back */
        float *ul = u0 + (size_t)(nz - 1) * plane;
        const float *dl = D + (size_t)(nz - 1) * nx;
        MN_SIMD
        for (int x = 0; x < nx; ++x)
            ul[x] = dl[x];
        for (int k = nz - 2; k >= 0; --k) {
            float *uk = u0 + (size_t)k * plane;
            const float *un = uk + plane, *dk = D + (size_t)k * nx;
            const float cp = op->z_cp[k];
            MN_SIMD
            for (int x = 0; x < nx; ++x)
                uk[x] = dk[x] - cp * un[x];
        }
        return;
    }
    {
        float *ul = u0 + (size_t)(nz - 1) * plane;
        const float *dl = D + (size_t)(nz - 1) * nx;
        const float o = (float)offset[nz - 1];
        MN_SIMD
        for (int x = 0; x < nx; ++x)
            ul[x] = dl[x] + o;
    }
    for (int k = nz - 2; k >= 0; --k) {
        float *uk = u0 + (size_t)k * plane;
        float *dk = D + (size_t)k * nx;
        const float *dn = dk + nx;
        const float cp = op->z_cp[k], o = (float)offset[k];
        MN_SIMD
        for (int x = 0; x < nx; ++x) {
            dk[x] = dk[x] - cp * dn[x];
            uk[x] = dk[x] + o;
        }
    }
}

/* The z pass: rows of columns shared out statically (orphaned work-sharing, as the x–y pass). */
void mn__lod_z_rows(mn__lod *l, const mn__lod_op *op, const double *offset, float *u)
{
    const int nx = l->g.nx, ny = l->g.ny, nz = l->g.nz;
    const size_t plane = (size_t)nx * ny;
    float *D = (float *)l->scratch[mn__lod_thread_id()];
    /* The columns are independent: the plane is cut into runs of W consecutive columns, W the
     * row length rounded up to 16 floats (a cache line), not into rows, so that every run but
     * the last is a whole number of SIMD vectors (no scalar tail a row) and the threads' shares
     * meet on a line boundary. */
    const size_t W = ((size_t)nx + 15) & ~(size_t)15;
    const long nrun = (long)((plane + W - 1) / W);
    (void)ny;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (long r = 0; r < nrun; ++r) {
        const size_t i0 = (size_t)r * W;
        z_row(op, offset, (int)(plane - i0 < W ? plane - i0 : W), nz, plane, u + i0, D,
              r + 1 < nrun);
    }
}

void mn__lod_sweep_z(mn__lod *l, const mn__lod_op *op, const double *offset, float *u)
{
    if (l->g.nz < 2)
        return;
#ifdef _OPENMP
#pragma omp parallel if (MN_LOD_PARALLEL(l))
#endif
    mn__lod_z_rows(l, op, offset, u);
}

void mn__lod_sweep_z_var(mn__lod *l, const double *g0, const double *g1, const float *p,
                         double beta, double u_out, double dt_h, float *u)
{
    const int nx = l->g.nx, ny = l->g.ny, nz = l->g.nz;
    const size_t plane = (size_t)nx * ny;
    const double *h = l->g.h_um;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (MN_LOD_PARALLEL(l))
#endif
    for (int y = 0; y < ny; ++y) {
        double *D = l->scratch[mn__lod_thread_id()];
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
