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

#include "mnsim/model.h"
#include "healing/diffusivity.h"
#include "numerics/diffusion1d.h"

enum { MOVING = MN__D1_LANES }; /* diffusing species, one per lane of the transport solver */

typedef struct column {
    const mn_tissue *tissue;
    const mn_params *p;
    int nz;
    /* Blocks of MN_SP_COUNT species rows of nz voxels (row s starts at s·nz), each row also
     * reachable as e.g. field[s]. */
    double *block[7];
    double *field[MN_SP_COUNT]; /* the state */
    double *start[MN_SP_COUNT]; /* state at the start of a step */
    double *stage[MN_SP_COUNT]; /* first-stage state: the embedded first-order solution */
    double *prod0[MN_SP_COUNT], *loss0[MN_SP_COUNT]; /* rates at the start of a step */
    double *prod[MN_SP_COUNT], *loss[MN_SP_COUNT];   /* stage terms of the transported */
    mn_species moving[MOVING];                       /* the diffusing species, by lane */
    double *offset[MOVING];          /* transport acts on y − offset (resident fibroblasts) */
    double *conductance[MOVING];     /* face conductances (state-independent ones: once) */
    double *conductance1;            /* topical conductances at the first stage */
    double *topical_d0, *topical_d1; /* topical face conductances of closed / open pores */
    double *v0[MOVING], *v1[MOVING]; /* transported values at the start and the first stage */
    double *height;                  /* cell heights */
    double *voxel;                   /* scratch state of one voxel */
    mn__diffusion1d solver;
    int topical_lane;
} column;

static void column_destroy(void *self)
{
    column *col = self;
    if (!col)
        return;
    for (int b = 0; b < 7; ++b)
        free(col->block[b]);
    for (int k = 0; k < MOVING; ++k) {
        free(col->offset[k]);
        free(col->conductance[k]);
        free(col->v0[k]);
        free(col->v1[k]);
    }
    mn__diffusion1d_free(&col->solver);
    free(col->conductance1);
    free(col->topical_d0);
    free(col->topical_d1);
    free(col->height);
    free(col->voxel);
    free(col);
}

/* Face conductances D/distance (µm/h) of species s between voxels i and i+1 with all pores
 * closed (open = 0) or open (1): the shared layer rules (diffusivity.c), linear in the open
 * fraction. */
static void face_conductances(const column *col, mn_species s, double open, double *g)
{
    for (int i = 0; i + 1 < col->nz; ++i) {
        double d = mn__face_diffusivity(col->p, s, mn_tissue_layer(col->tissue, i),
                                        mn_tissue_layer(col->tissue, i + 1), open);
        g[i] = d / (0.5 * (col->height[i] + col->height[i + 1]));
    }
}

/* Topical conductances for the open-pore fraction of the state y (mean of the two voxels). */
static void topical_conductances(const column *col, const double *pore, double *g)
{
    for (int i = 0; i + 1 < col->nz; ++i) {
        double open = 0.5 * (pore[i] + pore[i + 1]);
        g[i] = col->topical_d0[i] + open * (col->topical_d1[i] - col->topical_d0[i]);
    }
}

int mn_column_create(const mn_tissue *tissue, const mn_params *p, void **self, mn_error *err)
{
    column *col = calloc(1, sizeof *col);
    if (!col)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the column model");
    col->tissue = tissue;
    col->p = p;
    col->nz = mn_tissue_nz(tissue);
    size_t n = (size_t)col->nz;
    int ok = 1, k = 0;
    for (int b = 0; b < 7; ++b)
        ok &= (col->block[b] = calloc(n * MN_SP_COUNT, sizeof(double))) != NULL;
    if (!ok) {
        column_destroy(col);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the column model");
    }
    double **rows[7] = {col->field, col->start, col->stage, col->prod0,
                        col->loss0, col->prod,  col->loss};
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        for (int b = 0; b < 7; ++b)
            rows[b][s] = col->block[b] + (size_t)s * n;
        if (mn_species_diffuses((mn_species)s) && k < MOVING) {
            if (s == MN_SP_TOPICAL)
                col->topical_lane = k;
            col->moving[k++] = (mn_species)s;
        }
    }
    if (k != MOVING) { /* the transport solver has one lane per diffusing species */
        column_destroy(col);
        return mn_error_set(err, MN_EINVAL, "column model: %d diffusing species, expected %d", k,
                            MOVING);
    }
    for (k = 0; k < MOVING; ++k) {
        ok &= (col->offset[k] = calloc(n, sizeof(double))) != NULL;
        ok &= (col->conductance[k] = calloc(n, sizeof(double))) != NULL;
        ok &= (col->v0[k] = malloc(n * sizeof(double))) != NULL;
        ok &= (col->v1[k] = malloc(n * sizeof(double))) != NULL;
    }
    ok &= mn__diffusion1d_init(&col->solver, n) == 0;
    ok &= (col->conductance1 = calloc(n, sizeof(double))) != NULL;
    ok &= (col->topical_d0 = calloc(n, sizeof(double))) != NULL;
    ok &= (col->topical_d1 = calloc(n, sizeof(double))) != NULL;
    ok &= (col->height = malloc(n * sizeof(double))) != NULL;
    ok &= (col->voxel = malloc(MN_SP_COUNT * sizeof(double))) != NULL;
    if (!ok) {
        column_destroy(col);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the column model");
    }
    for (int i = 0; i < col->nz; ++i) {
        const mn_voxel_env *env = mn_tissue_env(tissue, i);
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
                col->offset[k][i] = mn_tissue_env(tissue, i)->baseline[s];
        if (s != MN_SP_TOPICAL)
            face_conductances(col, s, 0.0, col->conductance[k]);
    }
    face_conductances(col, MN_SP_TOPICAL, 0.0, col->topical_d0);
    face_conductances(col, MN_SP_TOPICAL, 1.0, col->topical_d1);
    *self = col;
    return MN_OK;
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
        if (f <= 0)
            continue;
        for (int s = 0; s < MN_SP_COUNT; ++s)
            col->voxel[s] = col->field[s][i];
        mn_kinetics_injure_f64(col->p, mn_tissue_env(col->tissue, i), col->voxel, f);
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

/* The kinetics of every layer (its voxels share one environment: a vectorised row). Stage 1
 * reads `start` and writes the start rates and, for the species not transported, their stage
 * values to `field`; stage 2 reads the stage values in `field`, writes the new values of those
 * species there and the transported species' stage-2 reaction terms to prod/loss. */
static void react(column *col, const mn_drivers *d, double dt_h, int stage2)
{
    const unsigned moving = mn_species_diffusing_mask();
    const int nz = col->nz;
    for (int l = 0; l < MN_LAYER_COUNT; ++l) {
        int first, end;
        mn_tissue_layer_range(col->tissue, (mn_layer)l, &first, &end);
        if (end <= first)
            continue;
        const mn_voxel_env *env = mn_tissue_env(col->tissue, first);
        double *y = col->block[0] + first, *y0 = col->block[1] + first;
        double *p0 = col->block[3] + first, *l0 = col->block[4] + first;
        if (!stage2)
            mn_kinetics_stage1_row(col->p, env, d, y0, nz, end - first, dt_h, moving, y, p0, l0);
        else
            mn_kinetics_stage2_row(col->p, env, d, y0, y, nz, end - first, dt_h, moving, p0, l0,
                                   col->block[5] + first, col->block[6] + first);
    }
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
    for (int s = 0; s < MN_SP_COUNT; ++s)
        memcpy(col->start[s], col->field[s], bytes);

    /* Stage 1: Patankar–Euler for all; the transport of the diffusing species is implicit
     * with their own reactions, d(y − o)/dt = (P − L·o) − L·(y − o) + transport. Topical
     * entry and conductances follow the open pores at the start. */
    react(col, d, dt_h, 0);
    topical_conductances(col, col->start[MN_SP_PORE], col->conductance[tl]);
    const double beta0 = topical_beta(col, col->start[MN_SP_PORE], topical_applied);
    const double *g[MOVING], *prod[MOVING], *loss[MOVING];
    double *y[MOVING], beta[MOVING] = {0};
    for (int k = 0; k < MOVING; ++k) {
        const mn_species s = col->moving[k];
        const double *o = col->offset[k];
        for (int i = 0; i < nz; ++i) {
            col->v0[k][i] = col->start[s][i] - o[i];
            col->prod[s][i] = col->prod0[s][i] - col->loss0[s][i] * o[i];
            col->v1[k][i] = col->v0[k][i]; /* the solve's input and output */
        }
        g[k] = col->conductance[k];
        prod[k] = col->prod[s];
        loss[k] = col->loss0[s];
        y[k] = col->v1[k];
    }
    beta[tl] = beta0;
    if (mn__diffusion1d_step_lanes(&col->solver, col->height, g, dt_h, prod, loss, beta, 1.0, y))
        return mn_error_set(err, MN_ENUMERIC, "column transport: singular system");
    for (int k = 0; k < MOVING; ++k)
        for (int i = 0; i < nz; ++i)
            col->field[col->moving[k]][i] = col->v1[k][i] + col->offset[k][i];
    for (int s = 0; s < MN_SP_COUNT; ++s)
        memcpy(col->stage[s], col->field[s], bytes);

    /* Stage 2: rates at the first stage; conductances and entry at the first stage too. */
    const double beta1 = topical_beta(col, col->field[MN_SP_PORE], topical_applied);
    topical_conductances(col, col->field[MN_SP_PORE], col->conductance1);
    react(col, d, dt_h, 1);
    const double *g1[MOVING], *v0[MOVING], *v1[MOVING];
    for (int k = 0; k < MOVING; ++k) {
        const double *o = col->offset[k];
        double *pk = col->prod[col->moving[k]], *lk = col->loss[col->moving[k]];
        if (k == tl && (beta0 > 0 || beta1 > 0)) {
            /* The surface inflow as the top voxel's production β/h and loss β/h·y, weighted
             * as MPRK22 weights the reactions. */
            double h = col->height[0], a = col->start[MN_SP_TOPICAL][0];
            double b = col->stage[MN_SP_TOPICAL][0];
            pk[0] += 0.5 * (beta0 + beta1) / h;
            lk[0] += (b > 1e-30 ? 0.5 * (beta0 * a + beta1 * b) / b : 0.5 * (beta0 + beta1)) / h;
        }
        for (int i = 0; i < nz; ++i)
            pk[i] -= lk[i] * o[i];
        g1[k] = k == tl ? col->conductance1 : col->conductance[k];
        v0[k] = col->v0[k];
        v1[k] = col->v1[k];
        prod[k] = pk;
        loss[k] = lk;
        y[k] = col->field[col->moving[k]];
    }
    if (mn__diffusion1d_mprk_stage2_lanes(&col->solver, col->height, g, g1, dt_h, v0, v1, prod,
                                          loss, y))
        return mn_error_set(err, MN_ENUMERIC, "column transport: singular system");
    for (int k = 0; k < MOVING; ++k)
        for (int i = 0; i < nz; ++i)
            y[k][i] += col->offset[k][i];
    return MN_OK;
}

/* The first stage is the embedded first-order (Patankar–Euler) solution: its distance from the
 * second-order one estimates the local error of the step (computed only when asked for). */
static double column_step_error(const void *self)
{
    const column *col = self;
    double worst = 0.0;
    for (int s = 0; s < MN_SP_COUNT; ++s)
        for (int i = 0; i < col->nz; ++i) {
            double y = col->field[s][i];
            double e = fabs(y - col->stage[s][i]) / (MN_STEP_ERROR_FLOOR + fabs(y));
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

const mn_model_ops mn_column_ops = {
    .name = "column",
    .injure = column_injure,
    .advance = column_advance,
    .profile = column_profile,
    .destroy = column_destroy,
    .state = column_state,
    .step_error = column_step_error,
};
