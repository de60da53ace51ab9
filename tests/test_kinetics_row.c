/* The row step of the 3-D patch (mn_kinetics_step_row, vectorised over voxels) gives every
 * voxel the same bits as the per-voxel step, and the column's rows (every voxel with its own
 * environment) the same rates: the models share their kinetics (docs/3d.md). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <stdlib.h>

#include "kinetics/kinetics_rows.h"
#include "mnsim/kinetics.h"
#include "mnsim/tissue.h"
#include "testutil.h"

/* Voxels in the row: not a multiple of the SIMD block, so the tail is exercised too. */
enum { N = 53 };

/* xorshift64*: a fixed stream of test states (no dependence on the library's RNG). */
static double next_unit(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ull) >> 11) * 0x1.0p-53;
}

/* The default patient under drivers with every adjunct active, so the topical terms count. */
static void setup(mn_params *p, mn_patient *pt, mn_drivers *d)
{
    mn_scenario sc;
    mn_error err;
    mn_scenario_default(&sc);
    mn_params_default(p);
    assert_int_equal(mn_patient_init(pt, &sc, p, &err), MN_OK);
    *d = (mn_drivers){.capacity_rel = 0.93,
                      .capacity_induced = pt->capacity,
                      .uv_med_per_day = pt->uv_med_per_day,
                      .uv_mmp_factor = 0.7,
                      .gf_potency = p->prp_gf_potency,
                      .vitamin_c_boost = p->vitamin_c_boost,
                      .hydration = p->hyaluronic_hydration};
}

static void test_row_matches_voxel_bits(void **state)
{
    (void)state;
    mn_params p;
    mn_patient pt;
    mn_drivers d;
    setup(&p, &pt, &d);
    const double dts[] = {0.01, 0.7, 24.0};
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int layer = 0; layer < MN_LAYER_COUNT; ++layer) {
        mn_voxel_env env;
        mn_kinetics_env_init(&env, (mn_layer)layer, &pt, &p, &d);
        for (size_t t = 0; t < sizeof dts / sizeof dts[0]; ++t) {
            float rows[MN_SP_COUNT][N], ref[N][MN_SP_COUNT];
            for (int i = 0; i < N; ++i)
                for (int s = 0; s < MN_SP_COUNT; ++s) {
                    /* Baseline, zero, tiny (the step's 1e-30 branch), injured and scaled
                     * values (collagen III above and below its baseline). */
                    double u = next_unit(&seed), v;
                    if (u < 0.15)
                        v = env.baseline[s];
                    else if (u < 0.25)
                        v = 0.0;
                    else if (u < 0.3)
                        v = 1e-35;
                    else
                        v = 3.0 * next_unit(&seed) * fmax(env.baseline[s], 0.3);
                    rows[s][i] = ref[i][s] = (float)v;
                }
            for (int i = 0; i < N; ++i)
                mn_kinetics_step(&p, &env, &d, ref[i], dts[t]);
            float *ptr[MN_SP_COUNT];
            for (int s = 0; s < MN_SP_COUNT; ++s)
                ptr[s] = rows[s];
            mn_kinetics_step_row(&p, &env, &d, ptr, N, dts[t]);
            for (int i = 0; i < N; ++i)
                for (int s = 0; s < MN_SP_COUNT; ++s)
                    assert_true_msg(memcmp(&rows[s][i], &ref[i][s], sizeof(float)) == 0,
                                    "layer %d dt %g voxel %d %s: row %.9g, voxel %.9g", layer,
                                    dts[t], i, mn_species_name((mn_species)s), rows[s][i],
                                    ref[i][s]);
        }
    }
}

/* The column's rows (each voxel with its own environment, the whole column at once) give
 * every voxel the rates mn_kinetics_rates gives it, bit for bit. */
static void test_column_rows_match_voxel_rates(void **state)
{
    (void)state;
    mn_params p;
    mn_patient pt;
    mn_drivers d;
    mn_error err;
    mn_tissue *t = NULL;
    mn_kinetics_envs *env = NULL;
    setup(&p, &pt, &d);
    assert_int_equal(mn_tissue_create(&pt, 20.0, &t, &err), MN_OK);
    assert_int_equal(mn_kinetics_envs_create(t, &pt, &p, &d, &env, &err), MN_OK);
    const int nz = mn_tissue_nz(t);
    mn__env_rows ev;
    assert_int_equal(mn__env_rows_init(&ev, env), 0);
    double *y = malloc(sizeof(double) * MN_SP_COUNT * (size_t)nz);
    double *prod = malloc(sizeof(double) * MN_SP_COUNT * (size_t)nz);
    double *loss = malloc(sizeof(double) * MN_SP_COUNT * (size_t)nz);
    assert_non_null(y);
    assert_non_null(prod);
    assert_non_null(loss);
    uint64_t seed = 0x2545f4914f6cdd1dull;
    for (int i = 0; i < nz; ++i)
        for (int s = 0; s < MN_SP_COUNT; ++s) {
            double u = next_unit(&seed), b = mn_kinetics_env_at(env, i)->baseline[s];
            y[s * nz + i] = u < 0.2 ? b : (float)(3.0 * next_unit(&seed) * fmax(b, 0.3));
        }
    /* Every species "implicit": stage 1 writes the rates only. */
    mn__kinetics_stage1_rows(&p, &ev, &d, y, nz, nz, 1.0, ~0u, NULL, prod, loss);
    for (int i = 0; i < nz; ++i) {
        float yv[MN_SP_COUNT];
        double pr[MN_SP_COUNT], lo[MN_SP_COUNT];
        for (int s = 0; s < MN_SP_COUNT; ++s)
            yv[s] = (float)y[s * nz + i];
        mn_kinetics_rates(&p, mn_kinetics_env_at(env, i), &d, yv, pr, lo);
        for (int s = 0; s < MN_SP_COUNT; ++s) {
            assert_true_msg(prod[s * nz + i] == pr[s] && loss[s * nz + i] == lo[s],
                            "voxel %d %s: rows %.17g %.17g, voxel %.17g %.17g", i,
                            mn_species_name((mn_species)s), prod[s * nz + i], loss[s * nz + i],
                            pr[s], lo[s]);
        }
    }
    free(y);
    free(prod);
    free(loss);
    mn__env_rows_free(&ev);
    mn_kinetics_envs_free(&env);
    mn_tissue_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_matches_voxel_bits),
        cmocka_unit_test(test_column_rows_match_voxel_rates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
