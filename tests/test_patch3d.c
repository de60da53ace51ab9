/* The 3-D patch (simulate.model: 3d): puncture placement, channel carving against the column
 * model's damage law, memory budget, determinism, and agreement with the column model on the
 * same parameters, compared at run time (the kinetics parameters are still being calibrated,
 * so nothing here is a stored number). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/column.h"
#include "mnsim/device.h"
#include "mnsim/model.h"
#include "mnsim/patch3d.h"
#include "mnsim/patient.h"
#include "mnsim/simulate.h"
#include "testutil.h"

static void scenario_3d(mn_scenario *sc, double patch_mm)
{
    mn_scenario_default(sc);
    sc->simulate.model = MN_MODEL_3D;
    sc->simulate.patch_mm = patch_mm;
    sc->output.images = false;
}

/* Punctures per pass match the device's density (Poisson-like scatter of the window count),
 * lie on the patch, and are a pure function of the seed. */
static void test_placement(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_scenario_default(&sc);
    mn_params p;
    mn_params_default(&p);
    mn_error err;
    const double L_um = 3000.0;
    for (int kind = MN_DEVICE_PEN; kind <= MN_DEVICE_STAMP; ++kind) {
        mn_device_spec dev = sc.device;
        dev.kind = (mn_device_kind)kind;
        if (kind == MN_DEVICE_ROLLER)
            dev.needles = 192;
        const int passes = 6;
        double expected = mn_device_density_per_pass(&dev) * passes * 9.0;
        size_t n = 0, n2 = 0;
        assert_int_equal(mn_device_place(&dev, &p, passes, L_um, 1, 0, NULL, 0, &n, &err), MN_OK);
        assert_true_msg(fabs((double)n - expected) < 5.0 * sqrt(expected) + 3,
                        "%s: %zu punctures, expected %.1f", mn_device_kind_name(dev.kind), n,
                        expected);
        mn_puncture *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        assert_int_equal(mn_device_place(&dev, &p, passes, L_um, 1, 0, a, n, &n2, &err), MN_OK);
        assert_int_equal(n2, n);
        for (size_t i = 0; i < n; ++i) {
            assert_true(a[i].x_um >= 0 && a[i].x_um < L_um && a[i].y_um >= 0 && a[i].y_um < L_um);
            assert_true(a[i].pass >= 0 && a[i].pass < passes && a[i].session == 0);
        }
        assert_int_equal(mn_device_place(&dev, &p, passes, L_um, 1, 0, b, n, &n2, &err), MN_OK);
        assert_memory_equal(a, b, n * sizeof *a);
        /* Another seed or another session: another pattern. */
        size_t n3 = 0;
        mn_puncture *c = malloc((n + 1000) * sizeof *c);
        assert_int_equal(mn_device_place(&dev, &p, passes, L_um, 2, 0, c, n + 1000, &n3, &err),
                         MN_OK);
        assert_true(n3 != n || memcmp(a, c, n * sizeof *a) != 0);
        free(a);
        free(b);
        free(c);
    }
    mn_device_spec bad = sc.device;
    bad.needles = 5000;
    size_t n;
    assert_int_equal(mn_device_place(&bad, &p, 1, L_um, 1, 0, NULL, 0, &n, &err), MN_ERANGE);
}

typedef struct pair {
    mn_scenario sc;
    mn_params p;
    mn_patient pt;
    mn_tissue *tissue;
    mn_kinetics_envs *envs;
    mn_model *m3, *m1;
    mn_injury inj;
} pair;

static void pair_create(pair *w, double patch_mm)
{
    mn_error err;
    scenario_3d(&w->sc, patch_mm);
    mn_params_default(&w->p);
    assert_int_equal(mn_patient_init(&w->pt, &w->sc, &w->p, &err), MN_OK);
    mn_drivers d = {1, w->pt.capacity, w->pt.uv_med_per_day, 1, 0, 0, 0};
    assert_int_equal(mn_tissue_create(&w->pt, w->sc.simulate.resolution_um, &w->tissue, &err),
                     MN_OK);
    assert_int_equal(mn_kinetics_envs_create(w->tissue, &w->pt, &w->p, &d, &w->envs, &err), MN_OK);
    mn_model_setup ms = {.scenario = &w->sc, .tissue = w->tissue, .envs = w->envs, .params = &w->p};
    assert_int_equal(mn_patch3d_model_create(&ms, &w->m3, &err), MN_OK);
    assert_int_equal(mn_column_model_create(&ms, &w->m1, &err), MN_OK);
    assert_int_equal(mn_device_injury(&w->sc.device, w->sc.device.needle_length_mm,
                                      w->sc.device.passes, &w->p, &w->inj, &err),
                     MN_OK);
}

static void pair_free(pair *w)
{
    mn_model_free(&w->m3);
    mn_model_free(&w->m1);
    mn_kinetics_envs_free(&w->envs);
    mn_tissue_free(&w->tissue);
}

/* Carved channels: the horizontally averaged damage at each depth is the column model's
 * Poisson coverage of the same device (both apply the kinetics' injury law to the union of
 * channels), within the scatter of a finite number of punctures. */
static void test_carving_matches_column_damage(void **state)
{
    (void)state;
    pair w;
    pair_create(&w, 1.2);
    mn_error err;
    assert_int_equal(mn_model_injure(w.m3, &w.inj, 0, &err), MN_OK);
    assert_int_equal(mn_model_injure(w.m1, &w.inj, 0, &err), MN_OK);
    const int nz = mn_tissue_nz(w.tissue);
    double *a = malloc((size_t)nz * sizeof(double)), *b = malloc((size_t)nz * sizeof(double));
    mn_model_profile(w.m3, MN_SP_DAMAGE, a);
    mn_model_profile(w.m1, MN_SP_DAMAGE, b);
    for (int k = 0; k < nz; ++k) {
        assert_true_msg(fabs(a[k] - b[k]) < 0.04 + 0.12 * b[k], "depth %d: 3-D %.4f column %.4f", k,
                        a[k], b[k]);
        if (b[k] == 0)
            assert_true(a[k] == 0);
    }
    /* Channels are local: some voxels of the top dermis are untouched, some fully hit. */
    int first, end;
    mn_tissue_layer_range(w.tissue, MN_LAYER_RETICULAR, &first, &end);
    mn_model_profile(w.m3, MN_SP_PORE, a);
    assert_true(a[first] > 0 && a[first] < 1);
    free(a);
    free(b);
    pair_free(&w);
}

/* Memory: ≤ 64 bytes a voxel for the default 2 × 2 mm patch (fields, solver, punctures). */
static void test_memory_budget(void **state)
{
    (void)state;
    pair w;
    pair_create(&w, 2.0);
    const mn_patch3d *patch = mn_patch3d_of(w.m3);
    assert_non_null(patch);
    assert_null(mn_patch3d_of(w.m1));
    int nx, ny, nz;
    mn_patch3d_dims(patch, &nx, &ny, &nz, NULL);
    double per_voxel = (double)mn_patch3d_bytes(patch) / ((double)nx * ny * nz);
    print_message("3-D patch %d x %d x %d: %.2f bytes per voxel\n", nx, ny, nz, per_voxel);
    assert_int_equal(nx, 100);
    assert_true_msg(per_voxel <= 64.0, "%.2f bytes per voxel", per_voxel);
    pair_free(&w);
}

/* Without injury the patch is the column: every horizontal average stays at the column's
 * value (same kinetics, transport of a horizontally uniform field is 1-D). */
static void test_uninjured_equals_column(void **state)
{
    (void)state;
    pair w;
    pair_create(&w, 0.2);
    mn_error err;
    mn_drivers d = {0.97, 0.9 * w.pt.capacity, w.pt.uv_med_per_day, 1, 0, 0, 0};
    for (int i = 0; i < 20; ++i) {
        assert_int_equal(mn_model_advance(w.m3, 3.0, &d, 0, &err), MN_OK);
        assert_int_equal(mn_model_advance(w.m1, 3.0, &d, 0, &err), MN_OK);
    }
    const int nz = mn_tissue_nz(w.tissue);
    double a[512], b[512];
    assert_true(nz <= 512);
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        if (mn_species_diffuses((mn_species)s) && s != MN_SP_FIBROBLAST)
            continue; /* column couples their reactions with transport: compare below */
        mn_model_profile(w.m3, (mn_species)s, a);
        mn_model_profile(w.m1, (mn_species)s, b);
        for (int k = 0; k < nz; ++k)
            assert_close(a[k], b[k], 1e-4);
    }
    pair_free(&w);
}

static double gain(const mn_results *r, mn_observable o)
{
    return mn_results_final(r, o) - mn_results_baseline(r, o);
}

static mn_results *run(const mn_scenario *sc, const mn_params *p, double max_step_h)
{
    mn_sim_settings opt = {.time_step_scale = 1.0, .max_step_h = max_step_h, .step_growth = 1.2};
    mn_results *r = NULL;
    mn_error err;
    int rc = mn_simulate(sc, p, &opt, &r, &err);
    assert_int_equal_msg(rc, MN_OK, err.message);
    return r;
}

/* Column vs 3-D on the same parameters and time steps. Where channels cover nearly all of the
 * tissue the homogenised column is the right average, and the layer-averaged collagen gains
 * agree within 10 %. At the default density the channels are separate and the 3-D gain is
 * lower by design: inflammatory recruitment saturates inside each channel (logistic 1 − N),
 * so the column's average damage overstates the average response (docs/3d.md §Validation);
 * the test pins that direction and bounds its size. */
static void test_agreement_with_column(void **state)
{
    (void)state;
    mn_params p;
    mn_params_default(&p);
    mn_scenario sc;
    scenario_3d(&sc, 0.4);
    sc.treatment.session_count = 1;
    sc.simulate.follow_up_weeks = 6;
    sc.device.needles = 36;
    sc.device.passes = 8;
    mn_scenario col = sc;
    col.simulate.model = MN_MODEL_COLUMN;
    mn_results *r3 = run(&sc, &p, 6.0), *r1 = run(&col, &p, 6.0);
    double g3 = gain(r3, MN_OBS_COLLAGEN_TOTAL_REL), g1 = gain(r1, MN_OBS_COLLAGEN_TOTAL_REL);
    print_message("dense: collagen gain 3-D %.4f, column %.4f\n", g3, g1);
    assert_true(g1 > 0);
    assert_true_msg(fabs(g3 - g1) <= 0.10 * fabs(g1), "3-D %.4f vs column %.4f", g3, g1);
    mn_results_free(&r3);
    mn_results_free(&r1);

    sc.device.needles = 12;
    sc.device.passes = 4;
    sc.simulate.patch_mm = 0.6;
    col = sc;
    col.simulate.model = MN_MODEL_COLUMN;
    r3 = run(&sc, &p, 6.0);
    r1 = run(&col, &p, 6.0);
    g3 = gain(r3, MN_OBS_COLLAGEN_TOTAL_REL);
    g1 = gain(r1, MN_OBS_COLLAGEN_TOTAL_REL);
    print_message("default density: collagen gain 3-D %.4f, column %.4f\n", g3, g1);
    assert_true_msg(g3 > 0.5 * g1 && g3 <= 1.02 * g1, "3-D %.4f vs column %.4f", g3, g1);
    mn_results_free(&r3);
    mn_results_free(&r1);
}

/* Same inputs and seed: identical results. */
static void test_deterministic(void **state)
{
    (void)state;
    mn_params p;
    mn_params_default(&p);
    mn_scenario sc;
    scenario_3d(&sc, 0.3);
    sc.treatment.session_count = 2;
    sc.treatment.interval_weeks = 1;
    sc.simulate.follow_up_weeks = 1;
    mn_results *a = run(&sc, &p, 0), *b = run(&sc, &p, 0);
    assert_int_equal(mn_results_count(a), mn_results_count(b));
    for (int o = 0; o < MN_OBS_COUNT; ++o)
        for (int i = 0; i < mn_results_count(a); ++i) {
            double x = mn_results_value(a, (mn_observable)o, i);
            double y = mn_results_value(b, (mn_observable)o, i);
            assert_true(memcmp(&x, &y, sizeof x) == 0);
        }
    mn_results_free(&a);
    mn_results_free(&b);
}

static void test_bad_grid(void **state)
{
    (void)state;
    mn_params p;
    mn_params_default(&p);
    mn_scenario sc;
    scenario_3d(&sc, 0.2);
    sc.simulate.resolution_um = 100; /* 2 voxels across: too few for a periodic grid */
    mn_results *r = NULL;
    mn_error err;
    assert_int_equal(mn_simulate(&sc, &p, NULL, &r, &err), MN_ERANGE);
    assert_non_null(strstr(err.message, "patch_mm"));
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placement),
        cmocka_unit_test(test_carving_matches_column_damage),
        cmocka_unit_test(test_memory_budget),
        cmocka_unit_test(test_uninjured_equals_column),
        cmocka_unit_test(test_agreement_with_column),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_bad_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
