/* The column model: one voxel per depth, punctures homogenised into the damaged area fraction
 * at each depth. Non-diffusing species: MPRK22 per voxel (kinetics.c). Diffusing species
 * (growth factor, MMP, fibroblasts, topical): backward-Euler finite volumes in depth with their
 * local production and loss in the same implicit solve (zero flux at the bottom, Robin inflow
 * of adjuncts at the surface); the two groups are coupled by Lie splitting. Solving fast decay
 * and fast diffusion together avoids the order reduction of splitting two stiff operators.
 * docs/model.md §Numerics. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/model.h"
#include "healing/diffusivity.h"
#include "numerics/diffusion1d.h"

typedef struct column {
    const mn_tissue *tissue;
    const mn_params *p;
    int nz;
    float *field[MN_SP_COUNT]; /* structure of arrays: field[s][i] */
    mn__diffusion1d solver;
    double *height, *conductance;                  /* cell heights; face conductances (scratch) */
    double *prod[MN_SP_COUNT], *loss[MN_SP_COUNT]; /* reaction rates of diffusing species */
    float *voxel;                                  /* scratch state of one voxel */
} column;

static void column_destroy(void *self)
{
    column *col = self;
    if (!col)
        return;
    for (int s = 0; s < MN_SP_COUNT; ++s)
        free(col->field[s]);
    mn__diffusion1d_free(&col->solver);
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        free(col->prod[s]);
        free(col->loss[s]);
    }
    free(col->height);
    free(col->conductance);
    free(col->voxel);
    free(col);
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
    int ok = 1;
    for (int s = 0; s < MN_SP_COUNT; ++s)
        ok &= (col->field[s] = malloc(n * sizeof(float))) != NULL;
    ok &= mn__diffusion1d_init(&col->solver, n) == 0;
    ok &= (col->height = malloc(n * sizeof(double))) != NULL;
    ok &= (col->conductance = malloc(n * sizeof(double))) != NULL;
    for (int s = 0; s < MN_SP_COUNT; ++s)
        if (mn_species_diffuses((mn_species)s)) {
            ok &= (col->prod[s] = malloc(n * sizeof(double))) != NULL;
            ok &= (col->loss[s] = malloc(n * sizeof(double))) != NULL;
        }
    ok &= (col->voxel = malloc(MN_SP_COUNT * sizeof(float))) != NULL;
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
        mn_kinetics_injure(col->p, mn_tissue_env(col->tissue, i), col->voxel, f);
        for (int s = 0; s < MN_SP_COUNT; ++s)
            col->field[s][i] = col->voxel[s];
    }
    return MN_OK;
}

/* Diffusivity across the face between voxels i and i+1 (µm²/h): the shared layer rules. */
static double face_diffusivity(const column *col, mn_species s, int i)
{
    double pore = 0.5 * (col->field[MN_SP_PORE][i] + col->field[MN_SP_PORE][i + 1]);
    return mn__face_diffusivity(col->p, s, mn_tissue_layer(col->tissue, i),
                                mn_tissue_layer(col->tissue, i + 1), pore);
}

static int diffuse(column *col, mn_species s, double dt, int topical_applied, mn_error *err)
{
    for (int i = 0; i + 1 < col->nz; ++i)
        col->conductance[i] =
            face_diffusivity(col, s, i) / (0.5 * (col->height[i] + col->height[i + 1]));
    /* Topical inflow at the surface through the open pores: J = β Ω (1 − S). */
    double beta = (s == MN_SP_TOPICAL && topical_applied)
                      ? col->p->topical_entry * col->field[MN_SP_PORE][0]
                      : 0.0;
    /* Fibroblasts migrate down gradients of their excess over the layer's resident density
     * (random motility of activated cells; the resident population is not redistributed
     * between layers of different cellularity, which keeps the baseline a steady state). */
    float *y = col->field[s];
    const int excess = s == MN_SP_FIBROBLAST;
    if (excess)
        for (int i = 0; i < col->nz; ++i) {
            /* d(F−F0)/dt = (P − L·F0) − L·(F−F0) */
            double f0 = mn_tissue_env(col->tissue, i)->baseline[s];
            y[i] -= (float)f0;
            col->prod[s][i] -= col->loss[s][i] * f0;
        }
    int rc = mn__diffusion1d_step(&col->solver, col->height, col->conductance, dt, col->prod[s],
                                  col->loss[s], beta, 1.0, y);
    if (excess)
        for (int i = 0; i < col->nz; ++i)
            y[i] += mn_tissue_env(col->tissue, i)->baseline[s];
    return rc ? mn_error_set(err, MN_ENUMERIC, "column transport: singular system") : MN_OK;
}

static int column_advance(void *self, double dt_h, const mn_drivers *d, int topical_applied,
                          mn_error *err)
{
    column *col = self;
    const unsigned moving = mn_species_diffusing_mask();
    double prod[MN_SP_COUNT], loss[MN_SP_COUNT];
    for (int i = 0; i < col->nz; ++i) {
        const mn_voxel_env *env = mn_tissue_env(col->tissue, i);
        for (int s = 0; s < MN_SP_COUNT; ++s)
            col->voxel[s] = col->field[s][i];
        /* Diffusing species: rates at the start of the step, integrated with transport in one
         * implicit solve below; the others: MPRK22 with the diffusing ones held. */
        mn_kinetics_rates(col->p, env, d, col->voxel, prod, loss);
        for (int s = 0; s < MN_SP_COUNT; ++s)
            if (moving & (1u << s)) {
                col->prod[s][i] = prod[s];
                col->loss[s][i] = loss[s];
            }
        mn_kinetics_step_frozen_rates(col->p, env, d, col->voxel, dt_h, moving, prod, loss);
        for (int s = 0; s < MN_SP_COUNT; ++s)
            col->field[s][i] = col->voxel[s];
    }
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        if (!mn_species_diffuses((mn_species)s))
            continue;
        int rc = diffuse(col, (mn_species)s, dt_h, topical_applied, err);
        if (rc)
            return rc;
    }
    return MN_OK;
}

static void column_profile(const void *self, mn_species s, double *out)
{
    const column *col = self;
    for (int i = 0; i < col->nz; ++i)
        out[i] = col->field[s][i];
}

static int column_state(void *self, float **arrays, size_t *lens, int max)
{
    column *col = self;
    int n = 0;
    for (int s = 0; s < MN_SP_COUNT && n < max; ++s, ++n) {
        arrays[n] = col->field[s];
        lens[n] = (size_t)col->nz;
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
};
