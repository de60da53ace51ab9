/* The column model: one voxel per depth, punctures homogenised into the damaged area fraction
 * at each depth. One unsplit MPRK22 step a time step: the reactions of every species (kinetics.c)
 * and the transport of the diffusing ones (growth factor, MMP, fibroblasts, topical: finite
 * volumes in depth, zero flux at the bottom, Robin inflow of adjuncts at the surface, solved
 * implicitly with their own production and loss) advance together, second order in time. The
 * state is double precision: slow species change by less than a float's resolution in a short
 * step, and a float state made the rounding, not the step, the error of a fine run.
 * docs/model.md §Numerics. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/column.h"
#include "core/mn_simd.h"
#include "kinetics/diffusivity.h"
#include "kinetics/kinetics_rows.h"
#include "model/model_ops.h"
#include "numerics/diffusion1d.h"

enum { MOVING = MN__D1_LANES }; /* diffusing species, one per lane of the transport solver */

typedef struct column {
    const mn_tissue *tissue;
    const mn_kinetics_envs *envs;
    const mn_params *p;
    int nz;
    /* Blocks of MN_SP_COUNT species rows of nz voxels (row s starts at s·nz), each row also
     * reachable as e.g. field[s]; the kinetic row kernels take whole blocks. */
    struct {
        double *field, *start, *stage, *prod0, *loss0, *prod, *loss;
    } blk;
    double *field[MN_SP_COUNT]; /* the state */
    double *start[MN_SP_COUNT]; /* state at the start of a step */
    double *stage[MN_SP_COUNT]; /* first-stage state: the embedded first-order solution */
    double *prod0[MN_SP_COUNT], *loss0[MN_SP_COUNT]; /* rates at the start of a step */
    double *prod[MN_SP_COUNT], *loss[MN_SP_COUNT];   /* stage terms of the transported */
    mn_species moving[MOVING];                       /* the diffusing species, by lane */
    /* The transport solver's interleaved arrays (value i of lane k at [i·MOVING + k]). */
    double *offset;                  /* transport acts on y − offset (resident fibroblasts) */
    double *g0, *g1;                 /* face conductances at the start and the first stage */
    double *topical_d0, *topical_d1; /* topical face conductances of closed / open pores */
    double *v0, *v1;                 /* transported values at the start and the first stage */
    double *tprod, *tloss;           /* their reaction terms */
    double *height;                  /* cell heights */
    double *voxel;                   /* scratch state of one voxel */
    mn__diffusion1d solver;
    mn__env_rows env; /* the voxels' environments as arrays */
    int topical_lane;
    unsigned moving_mask; /* the diffusing species as bits (1u << species) */
} column;

static void column_destroy(void *self)
{
    column *col = self;
    if (!col)
        return;
    double *blocks[] = {col->blk.field, col->blk.start, col->blk.prod0, col->blk.loss0,
                        col->blk.stage, col->blk.prod,  col->blk.loss};
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; ++b)
        free(blocks[b]);
    double *lanes[] = {col->offset, col->g0, col->g1, col->v0, col->v1, col->tprod, col->tloss};
    for (size_t k = 0; k < sizeof lanes / sizeof lanes[0]; ++k)
        free(lanes[k]);
    mn__diffusion1d_free(&col->solver);
    mn__env_rows_free(&col->env);
    free(col->topical_d0);
    free(col->topical_d1);
    free(col->height);
    free(col->voxel);
    free(col);
}

/* Face conductances D/distance (µm/h) of species s between voxels i and i+1, to g[i·stride],
 * with all pores closed (open = 0) or open (1): the shared layer rules (diffusivity.c), linear
 * in the open fraction. */
static void face_conductances(const column *col, mn_species s, double open, double *g, int stride)
{
    for (int i = 0; i + 1 < col->nz; ++i) {
        double d = mn__face_diffusivity(col->p, s, mn_tissue_layer(col->tissue, i),
                                        mn_tissue_layer(col->tissue, i + 1), open);
        g[i * stride] = d / (0.5 * (col->height[i] + col->height[i + 1]));
    }
}

/* Topical conductances for the open-pore fraction of the state (mean of the two voxels), into
 * the topical lane of the interleaved g. */
static void topical_conductances(const column *col, const double *pore, double *g)
{
    for (int i = 0; i + 1 < col->nz; ++i) {
        double open = 0.5 * (pore[i] + pore[i + 1]);
        g[i * MOVING + col->topical_lane] =
            col->topical_d0[i] + open * (col->topical_d1[i] - col->topical_d0[i]);
    }
}

static const mn_model_ops column_ops;

int mn_column_model_create(const mn_model_setup *setup, mn_model **out, mn_error *err)
{
    if (!setup || !setup->tissue || !setup->envs || !setup->params || !out)
        return mn_error_set(err, MN_EINVAL, "mn_column_model_create: NULL argument");
    *out = NULL;
    const mn_tissue *tissue = setup->tissue;
    const mn_kinetics_envs *envs = setup->envs;
    const mn_params *p = setup->params;
    if (mn_kinetics_envs_nz(envs) != mn_tissue_nz(tissue))
        return mn_error_set(err, MN_EINVAL,
                            "mn_column_model_create: environments made for another tissue");
    column *col = calloc(1, sizeof *col);
    if (!col)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the column model");
    col->tissue = tissue;
    col->envs = envs;
    col->p = p;
    col->nz = mn_tissue_nz(tissue);
    size_t n = (size_t)col->nz;
    int ok = 1, k = 0;
    double **blocks[] = {&col->blk.field, &col->blk.start, &col->blk.stage, &col->blk.prod0,
                         &col->blk.loss0, &col->blk.prod,  &col->blk.loss};
    double **rows[] = {col->field, col->start, col->stage, col->prod0,
                       col->loss0, col->prod,  col->loss};
    enum { NBLOCKS = sizeof blocks / sizeof blocks[0] };
    for (int b = 0; b < NBLOCKS; ++b)
        ok &= (*blocks[b] = calloc(n * MN_SP_COUNT, sizeof(double))) != NULL;
    if (!ok) {
        column_destroy(col);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the column model");
    }
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        for (int b = 0; b < NBLOCKS; ++b)
            rows[b][s] = *blocks[b] + (size_t)s * n;
        if (mn_species_diffuses((mn_species)s) && k < MOVING) {
            if (s == MN_SP_TOPICAL)
                col->topical_lane = k;
            col->moving[k++] = (mn_species)s;
            col->moving_mask |= 1u << s;
        }
    }
    if (k != MOVING) { /* the transport solver has one lane per diffusing species */
        column_destroy(col);
        return mn_error_set(err, MN_EINVAL, "column model: %d diffusing species, expected %d", k,
                            MOVING);
    }
    double **lanes[] = {&col->offset, &col->g0,    &col->g1,   &col->v0,
                        &col->v1,     &col->tprod, &col->tloss};
    for (size_t a = 0; a < sizeof lanes / sizeof lanes[0]; ++a)
        ok &= (*lanes[a] = calloc(n * MOVING, sizeof(double))) != NULL;
    ok &= mn__diffusion1d_init(&col->solver, n) == 0;
    ok &= mn__env_rows_init(&col->env, envs) == 0;
    ok &= (col->topical_d0 = calloc(n, sizeof(double))) != NULL;
    ok &= (col->topical_d1 = calloc(n, sizeof(double))) != NULL;
    ok &= (col->height = malloc(n * sizeof(double))) != NULL;
    ok &= (col->voxel = malloc(MN_SP_COUNT * sizeof(double))) != NULL;
    if (!ok) {
        column_destroy(col);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the column model");
    }
    for (int i = 0; i < col->nz; ++i) {
        const mn_voxel_env *env = mn_kinetics_env_at(envs, i);
        col->height[i] = mn_tissue_height_um(tissue, i);
        for (int s = 0; s < MN_SP_COUNT; ++s)
            col->field[s][i] = env->baseline[s];
    }
    for (k = 0; k < MOVING; ++k) {
        mn_species s = col->moving[k];
        /* Fibroblasts migrate down gradients of their excess over the layer's resident
         * density (random motility of activated cells; the resident population is not
         * redistributed between layers of different cellularity, which keeps the baseline a
         * steady state). */
        if (s == MN_SP_FIBROBLAST)
            for (int i = 0; i < col->nz; ++i)
                col->offset[i * MOVING + k] = mn_kinetics_env_at(envs, i)->baseline[s];
        if (s != MN_SP_TOPICAL) { /* state-independent: the same at both stages */
            face_conductances(col, s, 0.0, col->g0 + k, MOVING);
            face_conductances(col, s, 0.0, col->g1 + k, MOVING);
        }
    }
    face_conductances(col, MN_SP_TOPICAL, 0.0, col->topical_d0, 1);
    face_conductances(col, MN_SP_TOPICAL, 1.0, col->topical_d1, 1);
    return mn__model_wrap(&column_ops, col, out, err);
}

/* Damaged fraction averaged over the voxel's height (8-point midpoint rule), so the result
 * does not hinge on where a voxel centre falls relative to the needle tip. */
static double voxel_damage(const mn_tissue *t, int i, const mn_injury *inj)
{
    enum { SAMPLES = 8 };
    double top = mn_tissue_top_um(t, i), h = mn_tissue_height_um(t, i), sum = 0;
    for (int k = 0; k < SAMPLES; ++k)
        sum += mn_injury_damage_fraction(inj, top + (k + 0.5) * h / SAMPLES);
    return sum / SAMPLES;
}

static int column_injure(void *self, const mn_injury *injury, int session, mn_error *err)
{
    (void)session;
    (void)err;
    column *col = self;
    for (int i = 0; i < col->nz; ++i) {
        double f = voxel_damage(col->tissue, i, injury);
        const int flare = mn_injury_flare_reaches(injury, mn_tissue_top_um(col->tissue, i));
        if (f <= 0 && !flare)
            continue;
        const mn_voxel_env *env = mn_kinetics_env_at(col->envs, i);
        for (int s = 0; s < MN_SP_COUNT; ++s)
            col->voxel[s] = col->field[s][i];
        mn_kinetics_injure_f64(col->p, env, col->voxel, f);
        if (flare)
            mn_kinetics_flare_f64(col->p, env, col->voxel, injury->flare_fraction);
        for (int s = 0; s < MN_SP_COUNT; ++s)
            col->field[s][i] = col->voxel[s];
    }
    return MN_OK;
}

/* Topical inflow at the surface through the open pores, J = β·(1 − S), β = entry·Ω (µm/h). */
static double topical_beta(const column *col, const double *pore, int topical_applied)
{
    return topical_applied ? col->p->topical_entry * pore[0] : 0.0;
}

/* The kinetics of the whole column as one vectorised row, each voxel with its environment.
 * Stage 1 reads `start` and writes the start rates and, for the species not transported, their
 * stage values to `field`; stage 2 reads the stage values in `field`, writes the new values of
 * those species there and the transported species' stage-2 reaction terms to prod/loss. */
static void react(column *col, const mn_drivers *d, double dt_h, int stage2)
{
    const unsigned moving = col->moving_mask;
    const int nz = col->nz;
    if (!stage2)
        mn__kinetics_stage1_rows(col->p, &col->env, d, col->blk.start, nz, nz, dt_h, moving,
                                 col->blk.field, col->blk.prod0, col->blk.loss0);
    else
        mn__kinetics_stage2_rows(col->p, &col->env, d, col->blk.start, col->blk.field, nz, nz, dt_h,
                                 moving, col->blk.prod0, col->blk.loss0, col->blk.prod,
                                 col->blk.loss);
}

/* One unsplit MPRK22 step of reactions and transport together (Burchard, Deleersnijder &
 * Meister 2003): every species' reactions and the diffusing species' transport see the others
 * at the same stage, so the step is second order in time (no splitting error), positive, and
 * conserves what the reactions conserve. */
static int column_advance(void *self, double dt_h, const mn_drivers *d, int topical_applied,
                          mn_error *err)
{
    column *col = self;
    const int nz = col->nz, tl = col->topical_lane;
    const size_t bytes = (size_t)nz * sizeof(double);
    /* The state becomes the start of the step; the stages overwrite every value of field. */
    double *swap = col->blk.field;
    col->blk.field = col->blk.start;
    col->blk.start = swap;
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        swap = col->field[s];
        col->field[s] = col->start[s];
        col->start[s] = swap;
    }

    /* Stage 1: Patankar–Euler for all; the transport of the diffusing species is implicit
     * with their own reactions, d(y − o)/dt = (P − L·o) − L·(y − o) + transport. Topical
     * entry and conductances follow the open pores at the start. */
    react(col, d, dt_h, 0);
    topical_conductances(col, col->start[MN_SP_PORE], col->g0);
    const double beta0 = topical_beta(col, col->start[MN_SP_PORE], topical_applied);
    double beta[MOVING] = {0};
    beta[tl] = beta0;
    for (int k = 0; k < MOVING; ++k) {
        const double *y0 = col->start[col->moving[k]], *p0 = col->prod0[col->moving[k]];
        const double *l0 = col->loss0[col->moving[k]];
        for (int i = 0, ik = k; i < nz; ++i, ik += MOVING) {
            const double o = col->offset[ik];
            col->v0[ik] = y0[i] - o;
            col->v1[ik] = col->v0[ik]; /* the solve's input and output */
            col->tprod[ik] = p0[i] - l0[i] * o;
            col->tloss[ik] = l0[i];
        }
    }
    if (mn__diffusion1d_step_lanes(&col->solver, col->height, col->g0, dt_h, col->tprod, col->tloss,
                                   beta, 1.0, col->v1))
        return mn_error_set(err, MN_ENUMERIC, "column transport: singular system");
    for (int k = 0; k < MOVING; ++k) {
        double *y = col->field[col->moving[k]];
        for (int i = 0, ik = k; i < nz; ++i, ik += MOVING)
            y[i] = col->v1[ik] + col->offset[ik];
    }
    memcpy(col->blk.stage, col->blk.field, bytes * MN_SP_COUNT); /* stage = field */

    /* Stage 2: rates at the first stage; conductances and entry at the first stage too. */
    const double beta1 = topical_beta(col, col->field[MN_SP_PORE], topical_applied);
    topical_conductances(col, col->field[MN_SP_PORE], col->g1);
    react(col, d, dt_h, 1);
    if (beta0 > 0 || beta1 > 0) {
        /* The surface inflow as the top voxel's production β/h and loss β/h·y, weighted as
         * MPRK22 weights the reactions. */
        double h = col->height[0], a = col->start[MN_SP_TOPICAL][0];
        double b = col->stage[MN_SP_TOPICAL][0];
        col->prod[MN_SP_TOPICAL][0] += 0.5 * (beta0 + beta1) / h;
        col->loss[MN_SP_TOPICAL][0] +=
            (b > 1e-30 ? 0.5 * (beta0 * a + beta1 * b) / b : 0.5 * (beta0 + beta1)) / h;
    }
    for (int k = 0; k < MOVING; ++k) {
        const double *pe = col->prod[col->moving[k]], *le = col->loss[col->moving[k]];
        for (int i = 0, ik = k; i < nz; ++i, ik += MOVING) {
            col->tloss[ik] = le[i];
            col->tprod[ik] = pe[i] - le[i] * col->offset[ik];
        }
    }
    /* The solution is written over tprod, which the assembly consumes before the solve. */
    if (mn__diffusion1d_mprk_stage2_lanes(&col->solver, col->height, col->g0, col->g1, dt_h,
                                          col->v0, col->v1, col->tprod, col->tloss, col->tprod))
        return mn_error_set(err, MN_ENUMERIC, "column transport: singular system");
    for (int k = 0; k < MOVING; ++k) {
        double *y = col->field[col->moving[k]];
        for (int i = 0, ik = k; i < nz; ++i, ik += MOVING)
            y[i] = col->tprod[ik] + col->offset[ik];
    }
    return MN_OK;
}

/* Largest |y − y1| and |y| over the n values of one species row. */
static inline __attribute__((always_inline)) void row_extent(const double *y, const double *y1,
                                                             int n, double *dmax, double *ymax)
{
    double d = 0.0, m = 0.0;
    /* GCC vectorises the max reductions only when told; clang 14 cannot honour the request
     * (-Wpass-failed under -Werror) and vectorises what it can without it. */
#if defined(_OPENMP) && !defined(__clang__)
#pragma omp simd reduction(max : d, m)
#endif
    for (int i = 0; i < n; ++i) {
        double e = fabs(y[i] - y1[i]), a = fabs(y[i]);
        d = e > d ? e : d;
        m = a > m ? a : m;
    }
    *dmax = d;
    *ymax = m;
}

/* The first stage is the embedded first-order (Patankar–Euler) solution: its distance from the
 * second-order one estimates the local error of the step (computed only when asked for). Each
 * species' error is measured against its largest value in the column (plus a floor), so a
 * species is resolved where it matters, not in the far tail of its profile. */
MN_CLONES static double column_step_error(const void *self)
{
    const column *col = self;
    double worst = 0.0;
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        double dmax, ymax;
        row_extent(col->field[s], col->stage[s], col->nz, &dmax, &ymax);
        double e = dmax / (MN_STEP_ERROR_FLOOR + ymax);
        worst = e > worst ? e : worst;
    }
    return worst;
}

static void column_profile(const void *self, mn_species s, double *out)
{
    const column *col = self;
    memcpy(out, col->field[s], (size_t)col->nz * sizeof(double));
}

static int column_state(void *self, void **arrays, size_t *bytes, int max)
{
    column *col = self;
    int n = 0;
    for (int s = 0; s < MN_SP_COUNT && n < max; ++s, ++n) {
        arrays[n] = col->field[s];
        bytes[n] = (size_t)col->nz * sizeof(double);
    }
    return n;
}

static long column_bad_state(const void *self)
{
    const column *col = self;
    for (int s = 0; s < MN_SP_COUNT; ++s)
        for (int k = 0; k < col->nz; ++k)
            if (!isfinite(col->field[s][k]))
                return (long)s * col->nz + k;
    return -1;
}

/* Step policy: from 0.01 h after an event the step grows by 1.2 a step to at most 2 h
 * (docs/model.md §Numerics; the first steps resolve clot release, t½ ~3 h, and channel closure
 * with >= 100 steps per half-life). */
static const mn_model_ops column_ops = {
    .name = "column",
    .step_policy = {.dt_max_h = 2.0, .growth = 1.2},
    .injure = column_injure,
    .advance = column_advance,
    .profile = column_profile,
    .destroy = column_destroy,
    .state = column_state,
    .bad_state = column_bad_state,
    .step_error = column_step_error,
};
