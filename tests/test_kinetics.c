/* Laws of the per-voxel kinetics: steady state, positivity, second-order accuracy of the
 * MPRK22 step, analytic decay, mass balance of collagen maturation. */
#include <math.h>
#include <string.h>

#include "mnsim/kinetics.h"
#include "mnsim/rng.h"
#include "testutil.h"

typedef struct fixture {
    mn_scenario sc;
    mn_params p;
    mn_patient pt;
    mn_drivers d;
} fixture;

static void setup(fixture *f)
{
    mn_error err;
    mn_scenario_default(&f->sc);
    mn_params_default(&f->p);
    assert_int_equal(mn_patient_init(&f->pt, &f->sc, &f->p, &err), MN_OK);
    f->d = (mn_drivers){.capacity_rel = 1.0,
                        .capacity_induced = f->pt.capacity,
                        .uv_med_per_day = f->pt.uv_med_per_day,
                        .uv_mmp_factor = 1.0,
                        .gf_potency = f->p.prp_gf_potency,
                        .vitamin_c_boost = f->p.vitamin_c_boost,
                        .hydration = f->p.hyaluronic_hydration};
}

static void test_baseline_is_steady(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    const double dts[] = {0.01, 1.0, 24.0, 1000.0};
    for (int layer = 0; layer < MN_LAYER_COUNT; ++layer) {
        mn_voxel_env env;
        mn_kinetics_env_init(&env, (mn_layer)layer, &f.pt, &f.p, &f.d);
        for (size_t k = 0; k < sizeof dts / sizeof dts[0]; ++k) {
            float y[MN_SP_COUNT];
            memcpy(y, env.baseline, sizeof y);
            for (int step = 0; step < 100; ++step)
                mn_kinetics_step(&f.p, &env, &f.d, y, dts[k]);
            for (int s = 0; s < MN_SP_COUNT; ++s) {
                /* Solar elastosis accrues under UV by design (photoaging): exclude it here. */
                if (s == MN_SP_ELASTOSIS)
                    continue;
                double b = env.baseline[s];
                assert_true_msg(fabs(y[s] - b) <= 1e-5 * fmax(fabs(b), 1e-3),
                                "layer %d species %s: %g drifted from %g (dt %g)", layer,
                                mn_species_name((mn_species)s), y[s], b, dts[k]);
            }
        }
    }
}

static void test_positivity_any_step(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    mn_rng rng;
    mn_rng_init(&rng, 42, 1);
    for (int trial = 0; trial < 2000; ++trial) {
        mn_voxel_env env;
        mn_kinetics_env_init(&env, (mn_layer)(trial % MN_LAYER_COUNT), &f.pt, &f.p, &f.d);
        float y[MN_SP_COUNT];
        for (int s = 0; s < MN_SP_COUNT; ++s)
            y[s] = (float)(3.0 * mn_rng_uniform(&rng) * (trial % 7 == 0 ? 0.0 : 1.0));
        double dt = pow(10.0, -3.0 + 7.0 * mn_rng_uniform(&rng));
        mn_kinetics_step(&f.p, &env, &f.d, y, dt);
        for (int s = 0; s < MN_SP_COUNT; ++s)
            assert_true_msg(isfinite(y[s]) && y[s] >= 0.0f, "trial %d: %s = %g after dt %g", trial,
                            mn_species_name((mn_species)s), y[s], dt);
    }
}

/* Integrates one injured papillary voxel for 12 h (well inside the inflammatory phase, away
 * from the kinks where a signal returns to baseline) with a given step. */
static void integrate(const fixture *f, double dt, float out[MN_SP_COUNT])
{
    mn_voxel_env env;
    mn_kinetics_env_init(&env, MN_LAYER_PAPILLARY, &f->pt, &f->p, &f->d);
    memcpy(out, env.baseline, sizeof(float) * MN_SP_COUNT);
    mn_kinetics_injure(&f->p, &env, out, 0.4);
    out[MN_SP_TOPICAL] = 0.5f;
    int steps = (int)lround(12.0 / dt);
    for (int i = 0; i < steps; ++i)
        mn_kinetics_step(&f->p, &env, &f->d, out, dt);
}

static void test_second_order_in_time(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    float ref[MN_SP_COUNT], a[MN_SP_COUNT], b[MN_SP_COUNT], c[MN_SP_COUNT];
    integrate(&f, 1.0 / 256.0, ref);
    integrate(&f, 0.2, a);
    integrate(&f, 0.1, b);
    integrate(&f, 0.05, c);
    const mn_species probe[] = {MN_SP_NEUTROPHIL, MN_SP_GROWTH_FACTOR, MN_SP_VESSEL, MN_SP_EDEMA,
                                MN_SP_MACROPHAGE};
    for (size_t k = 0; k < sizeof probe / sizeof probe[0]; ++k) {
        mn_species s = probe[k];
        double ea = fabs(a[s] - ref[s]), eb = fabs(b[s] - ref[s]), ec = fabs(c[s] - ref[s]);
        double order1 = log2(ea / eb), order2 = log2(eb / ec);
        /* Second order in the asymptotic range (the coarse pair may still be pre-asymptotic). */
        assert_true_msg(order1 > 1.5 && order2 > 1.8,
                        "%s: observed orders %.2f, %.2f (errors %g %g %g)", mn_species_name(s),
                        order1, order2, ea, eb, ec);
    }
}

static void test_pore_closure_matches_exponential(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    mn_voxel_env env;
    mn_kinetics_env_init(&env, MN_LAYER_STRATUM_CORNEUM, &f.pt, &f.p, &f.d);
    for (double dt = 2.0; dt >= 0.124; dt /= 2) {
        float y[MN_SP_COUNT];
        memcpy(y, env.baseline, sizeof y);
        y[MN_SP_PORE] = 1.0f;
        int steps = (int)lround(24.0 / dt);
        for (int i = 0; i < steps; ++i)
            mn_kinetics_step(&f.p, &env, &f.d, y, dt);
        double exact = exp(-f.p.k_pore * 24.0);
        /* Local error of the (dt·k)² Taylor truncation: (dt k)^3/6 per step. */
        double x = dt * f.p.k_pore;
        double bound = steps * x * x * x / 6.0 * exact * 1.1 + 1e-6;
        assert_true_msg(fabs(y[MN_SP_PORE] - exact) <= bound, "dt %g: %g vs exact %g", dt,
                        y[MN_SP_PORE], exact);
    }
}

static void test_maturation_conserves_collagen(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    f.p.k_collagen_loss = 0.0;
    mn_voxel_env env;
    mn_kinetics_env_init(&env, MN_LAYER_RETICULAR, &f.pt, &f.p, &f.d);
    float y[MN_SP_COUNT];
    memcpy(y, env.baseline, sizeof y);
    y[MN_SP_FIBROBLAST] = 0.0f; /* no synthesis: only maturation moves mass */
    y[MN_SP_COLLAGEN3] += 0.3f;
    double total0 = (double)y[MN_SP_COLLAGEN1] + y[MN_SP_COLLAGEN3];
    double c3_0 = y[MN_SP_COLLAGEN3];
    for (int i = 0; i < 2000; ++i) {
        y[MN_SP_FIBROBLAST] = 0.0f;
        mn_kinetics_step(&f.p, &env, &f.d, y, 6.0);
    }
    double total = (double)y[MN_SP_COLLAGEN1] + y[MN_SP_COLLAGEN3];
    assert_close(total, total0, 1e-5);
    assert_true(y[MN_SP_COLLAGEN3] < c3_0 - 0.25); /* most of the excess has matured */
    assert_true(y[MN_SP_COLLAGEN3] >= env.baseline[MN_SP_COLLAGEN3] - 1e-6);
}

static void test_injury_bleeds_only_where_vascular(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    mn_voxel_env epi, pap;
    mn_kinetics_env_init(&epi, MN_LAYER_EPIDERMIS, &f.pt, &f.p, &f.d);
    mn_kinetics_env_init(&pap, MN_LAYER_PAPILLARY, &f.pt, &f.p, &f.d);
    float a[MN_SP_COUNT], b[MN_SP_COUNT];
    memcpy(a, epi.baseline, sizeof a);
    memcpy(b, pap.baseline, sizeof b);
    mn_kinetics_injure(&f.p, &epi, a, 0.3);
    mn_kinetics_injure(&f.p, &pap, b, 0.3);
    assert_close(a[MN_SP_DAMAGE], 0.3, 1e-6);
    assert_close(a[MN_SP_PORE], 0.3, 1e-6);
    assert_true(a[MN_SP_PLATELET] == 0.0f);
    assert_true(b[MN_SP_PLATELET] > 0.0f);
    /* A second hit on the same voxel covers only the untouched part: 1-(1-0.3)². */
    mn_kinetics_injure(&f.p, &pap, b, 0.3);
    assert_close(b[MN_SP_DAMAGE], 1.0 - 0.7 * 0.7, 1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_is_steady),
        cmocka_unit_test(test_positivity_any_step),
        cmocka_unit_test(test_second_order_in_time),
        cmocka_unit_test(test_pore_closure_matches_exponential),
        cmocka_unit_test(test_maturation_conserves_collagen),
        cmocka_unit_test(test_injury_bleeds_only_where_vascular),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
