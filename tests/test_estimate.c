/* Resource estimates before a run (docs/reliability.md, Resource limits): the sample grid and
 * 3-D grid they count, that they grow with what costs, and their argument checks. The CLI's
 * refusal and --allow-large: tests/cli/limits.sh. */
#include <math.h>
#include <string.h>

#include "mnsim/cohort.h"
#include "mnsim/report.h"
#include "mnsim/simulate.h"
#include "mnsim/sweep.h"
#include "mnsim/tissue.h"
#include "mnsim/patient.h"
#include "testutil.h"

static void scenario(mn_scenario *sc, const char *const *sets, int n)
{
    mn_error err;
    assert_int_equal(mn_scenario_from_text(sc, NULL, "estimate", sets, n, &err), MN_OK);
}

static void test_run_samples_and_growth(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_params p;
    mn_params_default(&p);
    mn_error err;
    const char *daily[] = {"output.every_days=1"}, *hourly[] = {"output.every_days=0.0416667"};
    mn_estimate a, b;
    scenario(&sc, daily, 1);
    assert_int_equal(mn_report_estimate_run(&sc, &p, 0, &a, &err), MN_OK);
    /* Every day from day 0 to the end, and the end again when the grid misses it (counted). */
    assert_close(a.samples, floor(mn_scenario_end_hour(&sc) / 24.0 + 1e-9) + 2, 0);
    assert_true(a.voxels == 0 && a.memory_bytes > 0 && a.output_bytes > 0);
    scenario(&sc, hourly, 1);
    assert_int_equal(mn_report_estimate_run(&sc, &p, 0, &b, &err), MN_OK);
    assert_true(b.samples > 23 * a.samples && b.memory_bytes > a.memory_bytes &&
                b.output_bytes > a.output_bytes);
    /* Without images the pictures are not counted. */
    const char *lean[] = {"output.every_days=1", "output.images=false"};
    scenario(&sc, lean, 2);
    assert_int_equal(mn_report_estimate_run(&sc, &p, 0, &b, &err), MN_OK);
    assert_true(b.output_bytes < a.output_bytes - 10e6);
    assert_int_equal(mn_simulate_estimate_model(NULL, &p, &b, &err), MN_EINVAL);
    assert_int_equal(mn_simulate_estimate_model(&sc, &p, NULL, &err), MN_EINVAL);
}

static void test_3d_voxels(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_params p;
    mn_params_default(&p);
    mn_error err;
    const char *sets[] = {"simulate.model=3d", "simulate.patch_mm=1", "simulate.resolution_um=20"};
    scenario(&sc, sets, 3);
    mn_patient pt;
    mn_tissue *t = NULL;
    assert_int_equal(mn_patient_init(&pt, &sc, &p, &err), MN_OK);
    assert_int_equal(mn_tissue_create(&pt, 20, &t, &err), MN_OK);
    mn_estimate e, more;
    assert_int_equal(mn_report_estimate_run(&sc, &p, 0, &e, &err), MN_OK);
    assert_close(e.voxels, 50.0 * 50.0 * mn_tissue_nz(t), 0);
    mn_tissue_free(&t);
    assert_true(e.memory_bytes >= 64.0 * e.voxels);
    /* Every asked snapshot adds one grid's .vti. */
    assert_int_equal(mn_report_estimate_run(&sc, &p, 3, &more, &err), MN_OK);
    assert_close(more.output_bytes - e.output_bytes, 3 * 48.0 * e.voxels, 1e-12);
}

static void test_cohort_and_sweep(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_error err;
    const char *small[] = {"cohort.size=100"}, *big[] = {"cohort.size=100000"};
    mn_estimate a, b;
    scenario(&sc, small, 1);
    assert_int_equal(mn_cohort_estimate(&sc, &a, &err), MN_OK);
    scenario(&sc, big, 1);
    assert_int_equal(mn_cohort_estimate(&sc, &b, &err), MN_OK);
    /* The records grow with the patients: 1000 times the patients, ~1000 times the records. */
    assert_true(b.memory_bytes > 100 * (a.memory_bytes - 32.0 * 1024 * 1024));
    assert_true(b.output_bytes > 500 * a.output_bytes / 2);
    mn_sweep_axis axes[2];
    assert_int_equal(mn_sweep_axis_parse("treatment.sessions=1,2,3", &axes[0], &err), MN_OK);
    assert_int_equal(mn_sweep_axis_parse("device.needle_length_mm=1,2", &axes[1], &err), MN_OK);
    assert_int_equal(mn_sweep_estimate(axes, 2, 32, &a, &err), MN_OK);
    assert_close(a.samples, 6, 0);
    assert_int_equal(mn_sweep_estimate(axes, 5, 32, &a, &err), MN_EINVAL);
    assert_int_equal(mn_sweep_estimate(axes, 2, 0, &a, &err), MN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_samples_and_growth),
        cmocka_unit_test(test_3d_voxels),
        cmocka_unit_test(test_cohort_and_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
