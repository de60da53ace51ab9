/* The row step of the 3-D patch (mn_kinetics_step_row, vectorised over voxels) gives every
 * voxel the same bits as the per-voxel step the column model uses: the two models differ only
 * in geometry (docs/3d.md). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mnsim/kinetics.h"
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

static void test_row_matches_voxel_bits(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_params p;
    mn_patient pt;
    mn_error err;
    mn_scenario_default(&sc);
    mn_params_default(&p);
    assert_int_equal(mn_patient_init(&pt, &sc, &p, &err), MN_OK);
    /* Every adjunct active so the topical terms count too. */
    const mn_drivers d = {.capacity_rel = 0.93,
                          .capacity_induced = pt.capacity,
                          .uv_med_per_day = pt.uv_med_per_day,
                          .uv_mmp_factor = 0.7,
                          .gf_potency = p.prp_gf_potency,
                          .vitamin_c_boost = p.vitamin_c_boost,
                          .hydration = p.hyaluronic_hydration};
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_matches_voxel_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
