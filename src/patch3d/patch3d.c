/* The 3-D skin patch (docs/3d.md). Reactions: the column model's kinetics (MPRK22), a row of
 * voxels at a time (mn_kinetics_step_row: the same bits as mn_kinetics_step per voxel).
 * Transport: implicit LOD diffusion (lod*.c) of growth factor, MMP, fibroblasts (migration) and
 * the topical agent. Lie splitting, reactions then transport, as in the column, so the two
 * models differ only in geometry. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/mn_math.h"
#include "kinetics/diffusivity.h"
#include "model/model_ops.h"
#include "patch3d/patch3d_impl.h"

/* Keep transporting the topical agent until what is left of it has decayed below this
 * fraction of the applied concentration; after that its (negligible) transport is skipped. */
#define MN_TOPICAL_NEGLIGIBLE 1e-7
/* Largest grid the patch accepts (memory: 64 bytes a voxel). */
#define MN_PATCH3D_MAX_VOXELS 300000000.0

static int thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

static void patch_destroy(void *self)
{
    mn_patch3d *m = self;
    if (!m)
        return;
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        free(m->field[s]);
        if (m->op[s].xk)
            mn__lod_op_free(&m->op[s]);
    }
    mn__lod_free(&m->lod);
    free(m->h_um);
    free(m->topical_g0);
    free(m->topical_g1);
    free(m->fib0);
    free(m->punct);
    free(m->cell_head);
    free(m->cell_next);
    free(m);
}

float mn_patch3d_value(const mn_patch3d *m, mn_species s, int k, int j, int i)
{
    if (!m->field[s] || k < m->kbeg[s] || k >= m->kend[s])
        return mn_kinetics_env_at(m->envs, k)->baseline[s];
    return m->field[s][(size_t)(k - m->kbeg[s]) * m->plane + (size_t)j * m->nx + i];
}

/* Depth range where a species can differ from its baseline. Keratinocytes live only in the
 * viable epidermis: they have no source elsewhere (basal density 0, no injury term, no
 * transport), so storing them for the whole depth would spend 4 bytes a voxel on zeros. The
 * topical agent exists only when the protocol has an adjunct. */
static void storage_ranges(mn_patch3d *m, const mn_scenario *sc)
{
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        m->kbeg[s] = 0;
        m->kend[s] = m->nz;
    }
    int first, end;
    mn_tissue_layer_range(m->tissue, MN_LAYER_EPIDERMIS, &first, &end);
    m->kbeg[MN_SP_KERATINOCYTE] = first;
    m->kend[MN_SP_KERATINOCYTE] = end;
    if (!sc->treatment.adjuncts)
        m->kbeg[MN_SP_TOPICAL] = m->kend[MN_SP_TOPICAL] = 0;
}

/* Operator coefficients of a diffusible species from the shared layer rules. Horizontal faces
 * join voxels of one layer. The topical agent's horizontal and tissue part uses pore = 0: the
 * open lumen is a vertical tube, and what leaves it sideways crosses tissue. */
static void op_coefficients(mn_patch3d *m, mn_species s)
{
    mn__lod_op *op = &m->op[s];
    for (int k = 0; k < m->nz; ++k) {
        mn_layer l = mn_tissue_layer(m->tissue, k);
        op->dxy_um2_h[k] = mn__face_diffusivity(m->p, s, l, l, 0.0);
        if (k + 1 < m->nz) {
            mn_layer d = mn_tissue_layer(m->tissue, k + 1);
            double dist = 0.5 * (m->h_um[k] + m->h_um[k + 1]);
            op->gz_um_h[k] = mn__face_diffusivity(m->p, s, l, d, 0.0) / dist;
            if (s == MN_SP_TOPICAL) {
                m->topical_g0[k] = op->gz_um_h[k];
                m->topical_g1[k] =
                    mn__face_diffusivity(m->p, s, l, d, 1.0) / dist - m->topical_g0[k];
            }
        }
    }
}

static int place_all(mn_patch3d *m, const mn_scenario *sc, mn_error *err)
{
    size_t total = 0, n;
    m->nsessions = sc->treatment.session_count;
    for (int i = 0; i < m->nsessions; ++i) {
        int rc = mn_device_place(&sc->device, m->p, mn_scenario_session_passes(sc, i), m->patch_um,
                                 sc->simulate.seed, i, NULL, 0, &n, err);
        if (rc)
            return rc;
        m->first[i] = total;
        total += n;
    }
    m->first[m->nsessions] = total;
    m->npunct = total;
    m->punct = malloc((total ? total : 1) * sizeof *m->punct);
    m->cell_next = malloc((total ? total : 1) * sizeof(int));
    if (!m->punct || !m->cell_next)
        return mn_error_set(err, MN_ENOMEM, "out of memory for %zu punctures", total);
    for (int i = 0; i < m->nsessions; ++i) {
        int rc = mn_device_place(&sc->device, m->p, mn_scenario_session_passes(sc, i), m->patch_um,
                                 sc->simulate.seed, i, m->punct + m->first[i],
                                 m->first[i + 1] - m->first[i], &n, err);
        if (rc)
            return rc;
    }
    m->bytes += total * (sizeof *m->punct + sizeof(int));
    return MN_OK;
}

static const mn_model_ops patch3d_ops;

int mn_patch3d_model_create(const mn_model_setup *setup, mn_model **out, mn_error *err)
{
    if (!setup || !setup->scenario || !setup->tissue || !setup->envs || !setup->params || !out)
        return mn_error_set(err, MN_EINVAL, "mn_patch3d_model_create: NULL argument");
    *out = NULL;
    const mn_scenario *sc = setup->scenario;
    const mn_tissue *tissue = setup->tissue;
    const mn_params *p = setup->params;
    if (mn_kinetics_envs_nz(setup->envs) != mn_tissue_nz(tissue))
        return mn_error_set(err, MN_EINVAL,
                            "mn_patch3d_model_create: environments made for another tissue");
    const double patch_um = sc->simulate.patch_mm * 1000.0, res = sc->simulate.resolution_um;
    const int n = (int)lround(patch_um / res), nz = mn_tissue_nz(tissue);
    if (n < 3)
        return mn_error_set(err, MN_ERANGE,
                            "%s: simulate.patch_mm %g is less than 3 voxels of %g um", sc->source,
                            sc->simulate.patch_mm, res);
    if ((double)n * n * nz > MN_PATCH3D_MAX_VOXELS)
        return mn_error_set(
            err, MN_ERANGE, "%s: simulate: a %g mm patch at %g um is %.3g voxels (at most %.3g)",
            sc->source, sc->simulate.patch_mm, res, (double)n * n * nz, MN_PATCH3D_MAX_VOXELS);
    mn_patch3d *m = calloc(1, sizeof *m);
    if (!m)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the 3-D patch");
    m->tissue = tissue;
    m->envs = setup->envs;
    m->p = p;
    m->nx = m->ny = n;
    m->nz = nz;
    m->patch_um = patch_um;
    m->dx_um = patch_um / n; /* exactly periodic */
    m->plane = (size_t)n * n;
    m->nvox = m->plane * (size_t)nz;
    m->topical_idle.h = INFINITY;
    m->bytes = sizeof *m;
    storage_ranges(m, sc);
    int ok = (m->h_um = malloc((size_t)nz * sizeof(double))) != NULL;
    ok &= (m->topical_g0 = calloc((size_t)nz, sizeof(double))) != NULL;
    ok &= (m->topical_g1 = calloc((size_t)nz, sizeof(double))) != NULL;
    ok &= (m->fib0 = calloc((size_t)nz, sizeof(double))) != NULL;
    for (int s = 0; ok && s < MN_SP_COUNT; ++s) {
        size_t len = (size_t)(m->kend[s] - m->kbeg[s]) * m->plane;
        if (len == 0)
            continue;
        ok &= (m->field[s] = malloc(len * sizeof(float))) != NULL;
        m->bytes += len * sizeof(float);
    }
    if (!ok) {
        patch_destroy(m);
        return mn_error_set(err, MN_ENOMEM, "out of memory for a %d x %d x %d patch", n, n, nz);
    }
    for (int k = 0; k < nz; ++k) {
        m->h_um[k] = mn_tissue_height_um(tissue, k);
        m->fib0[k] = mn_kinetics_env_at(m->envs, k)->baseline[MN_SP_FIBROBLAST];
    }
    mn__lod_grid g = {.nx = n, .ny = n, .nz = nz, .dx_um = m->dx_um, .h_um = m->h_um};
    ok = mn__lod_init(&m->lod, &g) == 0;
    for (int s = 0; ok && s < MN_SP_COUNT; ++s) {
        if (!mn_species_diffuses((mn_species)s) || !m->field[s])
            continue;
        ok = mn__lod_op_init(&m->op[s], &g) == 0;
        if (ok) {
            op_coefficients(m, (mn_species)s);
            m->bytes += mn__lod_op_bytes(&m->op[s], &g);
        }
    }
    if (!ok) {
        patch_destroy(m);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the 3-D transport solver");
    }
    m->bytes += mn__lod_bytes(&m->lod) + (size_t)nz * 4 * sizeof(double);
    /* Baseline: every voxel at its layer's homeostatic state. */
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        if (!m->field[s])
            continue;
        for (int k = m->kbeg[s]; k < m->kend[s]; ++k) {
            float v = mn_kinetics_env_at(m->envs, k)->baseline[s];
            float *f = m->field[s] + (size_t)(k - m->kbeg[s]) * m->plane;
            for (size_t i = 0; i < m->plane; ++i)
                f[i] = v;
        }
    }
    int rc = place_all(m, sc, err);
    if (!rc) {
        /* Cell list for carving: cells at least one channel footprint wide. */
        double reach_um = 0.5 * sc->device.needle_diameter_mm * 1000.0 + m->dx_um;
        int cells = (int)floor(patch_um / fmax(reach_um, m->dx_um));
        m->cells = cells < 1 ? 1 : (cells > n ? n : cells);
        m->cell_head = malloc((size_t)m->cells * m->cells * sizeof(int));
        if (!m->cell_head)
            rc = mn_error_set(err, MN_ENOMEM, "out of memory for the puncture cell list");
        else
            m->bytes += (size_t)m->cells * m->cells * sizeof(int);
    }
    if (rc) {
        patch_destroy(m);
        return rc;
    }
    return mn__model_wrap(&patch3d_ops, m, out, err);
}

/* Signed periodic distance in [−L/2, L/2). */
static double periodic(double d, double L)
{
    d = fmod(d, L);
    if (d >= 0.5 * L)
        d -= L;
    else if (d < -0.5 * L)
        d += L;
    return d;
}

static void gather(const mn_patch3d *m, int k, size_t off, const mn_voxel_env *env, float *y)
{
    for (int s = 0; s < MN_SP_COUNT; ++s)
        y[s] = (m->field[s] && k >= m->kbeg[s] && k < m->kend[s])
                   ? m->field[s][(size_t)(k - m->kbeg[s]) * m->plane + off]
                   : env->baseline[s];
}

static void scatter(mn_patch3d *m, int k, size_t off, const float *y)
{
    for (int s = 0; s < MN_SP_COUNT; ++s)
        if (m->field[s] && k >= m->kbeg[s] && k < m->kend[s])
            m->field[s][(size_t)(k - m->kbeg[s]) * m->plane + off] = y[s];
}

/* Carves one session's channels: for every column, the fraction of each voxel inside any
 * channel of the session, as a union 1 − Π(1 − f_p) over punctures p, which is what the column
 * model's Poisson coverage averages (mn_injury_damage_fraction); then the kinetics' injury of
 * that fraction, so both models apply the same per-voxel injury law. f_p is the volume fraction
 * inside the channel of radius r(z) (conical tip), from 4 × 4 × 4 sub-samples of the voxel. */
enum { SUB = 4 };

static int patch_injure(void *self, const mn_injury *inj, int session, mn_error *err)
{
    mn_patch3d *m = self;
    if (session < 0 || session >= m->nsessions)
        return mn_error_set(err, MN_EINVAL, "3-D patch: no placement for session %d", session);
    const size_t p0 = m->first[session], p1 = m->first[session + 1];
    const int C = m->cells;
    const double L = m->patch_um, cell_um = L / C, R = inj->channel_radius_um;
    for (int c = 0; c < C * C; ++c)
        m->cell_head[c] = -1;
    for (size_t q = p1; q-- > p0;) {
        int cx = (int)(m->punct[q].x_um / cell_um), cy = (int)(m->punct[q].y_um / cell_um);
        cx = cx >= C ? C - 1 : cx;
        cy = cy >= C ? C - 1 : cy;
        m->cell_next[q] = m->cell_head[cy * C + cx];
        m->cell_head[cy * C + cx] = (int)q;
    }
    /* How many neighbouring cells a channel can reach. */
    const int reach = (int)ceil((R + m->dx_um) / cell_um);
    const int nz = m->nz, nx = m->nx;
    const double dx = m->dx_um;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) if (m->nvox >= 20000)
#endif
    for (int j = 0; j < m->ny; ++j) {
        double *miss = m->lod.scratch[thread_id()];
        float y[MN_SP_COUNT];
        for (int i = 0; i < nx; ++i) {
            const double xc = (i + 0.5) * dx, yc = (j + 0.5) * dx;
            int any = 0;
            for (int k = 0; k < nz; ++k)
                miss[k] = 1.0;
            const int cx = (int)(xc / cell_um), cy = (int)(yc / cell_um);
            /* Neighbouring cells within reach, each once even when the patch is only a few
             * cells wide. */
            const int all = 2 * reach + 1 >= C;
            const int lo = all ? 0 : -reach, hi = all ? C - 1 : reach;
            for (int oy = lo; oy <= hi; ++oy)
                for (int ox = lo; ox <= hi; ++ox) {
                    int ccx = all ? ox : ((cx + ox) % C + C) % C;
                    int ccy = all ? oy : ((cy + oy) % C + C) % C;
                    for (int q = m->cell_head[ccy * C + ccx]; q >= 0; q = m->cell_next[q]) {
                        double ddx = periodic(m->punct[q].x_um - xc, L);
                        double ddy = periodic(m->punct[q].y_um - yc, L);
                        if (fabs(ddx) > R + dx || fabs(ddy) > R + dx)
                            continue;
                        double d2[SUB * SUB];
                        for (int b = 0; b < SUB; ++b)
                            for (int a = 0; a < SUB; ++a) {
                                double sx = ddx - ((a + 0.5) / SUB - 0.5) * dx;
                                double sy = ddy - ((b + 0.5) / SUB - 0.5) * dx;
                                d2[b * SUB + a] = sx * sx + sy * sy;
                            }
                        for (int k = 0; k < nz; ++k) {
                            double top = mn_tissue_top_um(m->tissue, k);
                            if (top >= inj->penetration_um)
                                break;
                            int hit = 0;
                            for (int c = 0; c < SUB; ++c) {
                                double r =
                                    mn_injury_radius_at(inj, top + (c + 0.5) * m->h_um[k] / SUB);
                                double r2 = r * r;
                                for (int e = 0; e < SUB * SUB; ++e)
                                    hit += d2[e] < r2;
                            }
                            if (hit) {
                                miss[k] *= 1.0 - (double)hit / (SUB * SUB * SUB);
                                any = 1;
                            }
                        }
                    }
                }
            if (!any)
                continue;
            const size_t off = (size_t)j * nx + i;
            for (int k = 0; k < nz; ++k) {
                if (miss[k] >= 1.0)
                    continue;
                const mn_voxel_env *env = mn_kinetics_env_at(m->envs, k);
                gather(m, k, off, env, y);
                mn_kinetics_injure(m->p, env, y, 1.0 - miss[k]);
                scatter(m, k, off, y);
            }
        }
    }
    /* The axon-reflex flare (mn_injury.flare_fraction): its millimetre radius is of the
     * order of the patch itself, so it is applied as the same area fraction to every voxel
     * the needles reached, as in the column model. */
    for (int k = 0; k < nz && mn_injury_flare_reaches(inj, mn_tissue_top_um(m->tissue, k)); ++k) {
        const mn_voxel_env *env = mn_kinetics_env_at(m->envs, k);
        if (!(env->vascular > 0))
            continue;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (m->nvox >= 20000)
#endif
        for (int j = 0; j < m->ny; ++j) {
            float y[MN_SP_COUNT];
            for (int i = 0; i < nx; ++i) {
                const size_t off = (size_t)j * nx + i;
                gather(m, k, off, env, y);
                mn_kinetics_flare(m->p, env, y, inj->flare_fraction);
                scatter(m, k, off, y);
            }
        }
    }
    return MN_OK;
}

static int patch_advance(void *self, double dt_h, const mn_drivers *d, int topical_applied,
                         mn_error *err)
{
    (void)err;
    mn_patch3d *m = self;
    const int nz = m->nz, ny = m->ny, nx = m->nx;
    /* Reactions with the column model's kinetics, a row (all x at one y and depth) at a time,
     * vectorised over x on the stored rows themselves; species not stored at this depth step
     * a scratch row of their baseline (their change is discarded: they have no source there). */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (m->nvox >= 20000)
#endif
    for (int row = 0; row < nz * ny; ++row) {
        const int k = row / ny, j = row % ny;
        const mn_voxel_env *env = mn_kinetics_env_at(m->envs, k);
        float *buf = (float *)m->lod.scratch[thread_id()]; /* nx × MN_SP_COUNT floats */
        float *rows[MN_SP_COUNT];
        for (int s = 0; s < MN_SP_COUNT; ++s) {
            if (m->field[s] && k >= m->kbeg[s] && k < m->kend[s]) {
                rows[s] = m->field[s] + (size_t)(k - m->kbeg[s]) * m->plane + (size_t)j * nx;
            } else {
                rows[s] = buf + (size_t)s * nx;
                for (int i = 0; i < nx; ++i)
                    rows[s][i] = env->baseline[s];
            }
        }
        mn_kinetics_step_row(m->p, env, d, rows, nx, dt_h);
    }
    /* Transport. */
    static const mn_species constant[] = {MN_SP_GROWTH_FACTOR, MN_SP_MMP, MN_SP_FIBROBLAST};
    for (size_t c = 0; c < sizeof constant / sizeof constant[0]; ++c) {
        mn__lod_op *op = &m->op[constant[c]];
        mn__lod_op_factor(op, &m->lod.g, dt_h);
        /* Fibroblasts migrate by their excess over the resident density of each layer, as in
         * the column model (the resident population is not redistributed between layers). */
        mn__lod_step(&m->lod, op, constant[c] == MN_SP_FIBROBLAST ? m->fib0 : NULL,
                     m->field[constant[c]]);
    }
    if (m->field[MN_SP_TOPICAL]) {
        m->topical_idle.h = topical_applied ? 0.0 : m->topical_idle.h + dt_h;
        if (m->topical_idle.h * m->p->k_topical < -log(MN_TOPICAL_NEGLIGIBLE)) {
            mn__lod_op *op = &m->op[MN_SP_TOPICAL];
            mn__lod_op_factor(op, &m->lod.g, dt_h);
            mn__lod_sweep_xy(&m->lod, op, m->field[MN_SP_TOPICAL]);
            /* Topical inflow at the surface through the open pores: J = β Ω (1 − S), as in
             * the column model. */
            double beta = topical_applied ? m->p->topical_entry : 0.0;
            mn__lod_sweep_z_var(&m->lod, m->topical_g0, m->topical_g1, m->field[MN_SP_PORE], beta,
                                1.0, dt_h, m->field[MN_SP_TOPICAL]);
        }
    }
    return MN_OK;
}

/* Mean of one plane in double: eight interleaved partial sums (vectorised; the sequential sum
 * was a chain of dependent additions, 13 % of the default 3-D run), combined in a fixed order
 * so the result does not depend on threads or machine. */
static double plane_mean(const float *f, size_t n)
{
    double acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; ++l)
            acc[l] += f[i + l];
    for (int l = 0; i < n; ++i, ++l)
        acc[l] += f[i];
    return (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))) /
           (double)n;
}

static void patch_profile(const void *self, mn_species s, double *out)
{
    const mn_patch3d *m = self;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (m->nvox >= 200000)
#endif
    for (int k = 0; k < m->nz; ++k) {
        if (!m->field[s] || k < m->kbeg[s] || k >= m->kend[s])
            out[k] = mn_kinetics_env_at(m->envs, k)->baseline[s];
        else
            out[k] = plane_mean(m->field[s] + (size_t)(k - m->kbeg[s]) * m->plane, m->plane);
    }
}

static int patch_state(void *self, void **arrays, size_t *bytes, int max)
{
    mn_patch3d *m = self;
    int n = 0;
    for (int s = 0; s < MN_SP_COUNT && n < max; ++s) {
        if (!m->field[s])
            continue;
        arrays[n] = m->field[s];
        bytes[n] = (size_t)(m->kend[s] - m->kbeg[s]) * m->plane * sizeof(float);
        ++n;
    }
    if (n < max) {
        arrays[n] = m->topical_idle.bits;
        bytes[n] = 2 * sizeof m->topical_idle.bits[0];
        ++n;
    }
    return n;
}

static long patch_bad_state(const void *self)
{
    const mn_patch3d *m = self;
    long base = 0;
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        if (!m->field[s])
            continue;
        const size_t n = (size_t)(m->kend[s] - m->kbeg[s]) * m->plane;
        for (size_t k = 0; k < n; ++k)
            if (!isfinite(m->field[s][k]))
                return base + (long)k;
        base += (long)n;
    }
    return -1;
}

/* Step policy: the patch runs the kinetics in ~10^6 voxels a step, so its step grows faster
 * after a session (1.5 a step) and reaches a day in remodelling (MPRK22 stays positive for any
 * step; the error this costs is measured in docs/3d.md §Time steps). */
static const mn_model_ops patch3d_ops = {
    .name = "3d",
    .step_policy = {.dt_max_h = 24.0, .growth = 1.5},
    .injure = patch_injure,
    .advance = patch_advance,
    .profile = patch_profile,
    .destroy = patch_destroy,
    .state = patch_state,
    .bad_state = patch_bad_state,
};

const mn_patch3d *mn_patch3d_of(const mn_model *m)
{
    return mn__model_impl(m, &patch3d_ops);
}

void mn_patch3d_dims(const mn_patch3d *m, int *nx, int *ny, int *nz, double *dx_um)
{
    if (nx)
        *nx = m ? m->nx : 0;
    if (ny)
        *ny = m ? m->ny : 0;
    if (nz)
        *nz = m ? m->nz : 0;
    if (dx_um)
        *dx_um = m ? m->dx_um : 0.0;
}

double mn_patch3d_size_um(const mn_patch3d *m)
{
    return m ? m->patch_um : 0.0;
}

const mn_tissue *mn_patch3d_tissue(const mn_patch3d *m)
{
    return m ? m->tissue : NULL;
}

size_t mn_patch3d_bytes(const mn_patch3d *m)
{
    return m ? m->bytes : 0;
}

int mn_patch3d_session_count(const mn_patch3d *m)
{
    return m ? m->nsessions : 0;
}

const mn_puncture *mn_patch3d_punctures(const mn_patch3d *m, size_t *count)
{
    if (count)
        *count = m ? m->npunct : 0;
    return m ? m->punct : NULL;
}
