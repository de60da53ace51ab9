/* The surface through whole simulated courses: treatment smooths it, years of UV without
 * sunscreen deepen it, the written height maps measure smoother after, and the pictures are
 * the same bytes for the same seed. Relations computed at run time, no stored numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/field.h"
#include "mnsim/measure.h"
#include "mnsim/report.h"
#include "mnsim/simulate.h"
#include "mnsim/surface.h"
#include "testutil.h"

static mn_results *run(const mn_scenario *sc)
{
    mn_params p;
    mn_params_default(&p);
    mn_results *r = NULL;
    mn_error err;
    mn_sim_settings opt = {.time_step_scale = 1.0};
    int rc = mn_simulate(sc, &p, &opt, &r, &err);
    assert_int_equal_msg(rc, MN_OK, err.message);
    return r;
}

static double at_day(const mn_results *r, mn_observable o, double day)
{
    int best = 0;
    for (int i = 0; i < mn_results_count(r); ++i)
        if (fabs(mn_results_day(r, i) - day) < fabs(mn_results_day(r, best) - day))
            best = i;
    return mn_results_value(r, o, best);
}

/* The default course: the map's wrinkles are shallower and the surface smoother at the end,
 * and the surface recorded every sample. */
static void test_treatment_smooths(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_scenario_default(&sc);
    mn_results *r = run(&sc);
    const mn_surface *s = mn_results_surface(r);
    assert_non_null(s);
    assert_int_equal(mn_surface_record_count(s), mn_results_count(r));
    const mn_observable obs[] = {MN_OBS_WRINKLE_DEPTH_UM, MN_OBS_SA_UM, MN_OBS_SQ_UM,
                                 MN_OBS_WRINKLE_GRADE};
    for (size_t i = 0; i < sizeof obs / sizeof obs[0]; ++i)
        assert_true_msg(mn_results_final(r, obs[i]) < mn_results_baseline(r, obs[i]),
                        "%s: final %g, baseline %g", mn_observable_name(obs[i]),
                        mn_results_final(r, obs[i]), mn_results_baseline(r, obs[i]));
    mn_results_free(&r);
}

/* Years of sun without sunscreen leave deeper wrinkles than the same years with it, and the
 * gap widens with the years (photoaging accumulates). */
static void test_uv_without_sunscreen_deepens(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_scenario_default(&sc);
    sc.treatment.session_count = 1;
    sc.simulate.follow_up_weeks = 156;
    sc.output.every_days = 7;
    sc.aftercare.uv_index = 8;
    sc.aftercare.sun_hours_per_day = 3;
    sc.aftercare.sunscreen_adherence = 0.0;
    mn_results *bare = run(&sc);
    sc.aftercare.sunscreen_adherence = 1.0;
    sc.aftercare.sunscreen_spf = 50;
    mn_results *prot = run(&sc);
    const mn_observable obs[] = {MN_OBS_WRINKLE_DEPTH_UM, MN_OBS_SA_UM, MN_OBS_SZ_UM};
    for (size_t i = 0; i < sizeof obs / sizeof obs[0]; ++i) {
        double gap3 = mn_results_final(bare, obs[i]) - mn_results_final(prot, obs[i]);
        double gap1 = at_day(bare, obs[i], 365) - at_day(prot, obs[i], 365);
        assert_true_msg(gap3 > 0, "%s: no sunscreen %g, sunscreen %g after 3 years",
                        mn_observable_name(obs[i]), mn_results_final(bare, obs[i]),
                        mn_results_final(prot, obs[i]));
        assert_true_msg(gap3 > gap1, "%s: gap %g at 3 years, %g at 1 year",
                        mn_observable_name(obs[i]), gap3, gap1);
    }
    mn_results_free(&bare);
    mn_results_free(&prot);
}

static double measured_sq(const char *path)
{
    mn_field *f = NULL;
    mn_error err;
    mn_texture t;
    assert_int_equal_msg(mn_field_read_gsf(path, &f, &err), 0, err.message);
    assert_int_equal(mn_field_xres(f), 1000);
    assert_close(mn_field_xreal_m(f), 0.02, 1e-9);
    assert_int_equal(mn_measure_texture(f, &t, &err), 0);
    mn_field_free(&f);
    return t.sq_um;
}

/* The written pictures are the same bytes for the same seed, and a surface tool measuring
 * after.gsf finds it smoother than before.gsf. */
static void test_outputs(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_scenario_default(&sc);
    sc.simulate.follow_up_weeks = 8;
    char dir[256], d1[300], d2[300];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(d1, sizeof d1, "%s/a", dir);
    snprintf(d2, sizeof d2, "%s/b", dir);
    mn_error err;
    mn_results *r = run(&sc);
    assert_int_equal_msg(mn_report_write_run(r, &sc, d1, &err), 0, err.message);
    mn_results_free(&r);
    r = run(&sc);
    assert_int_equal_msg(mn_report_write_run(r, &sc, d2, &err), 0, err.message);
    const char *files[] = {"before.png",       "day1.png",   "after.png",
                           "before_after.png", "before.gsf", "after.gsf"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) {
        char p1[400], p2[400];
        snprintf(p1, sizeof p1, "%s/%s", d1, files[i]);
        snprintf(p2, sizeof p2, "%s/%s", d2, files[i]);
        size_t n1 = 0, n2 = 0;
        char *b1 = mn_test_read(p1, &n1), *b2 = mn_test_read(p2, &n2);
        assert_non_null(b1);
        assert_non_null(b2);
        assert_true_msg(n1 == n2 && memcmp(b1, b2, n1) == 0, "%s differs between runs", files[i]);
        if (strstr(files[i], ".png"))
            assert_memory_equal(b1, "\x89PNG\r\n\x1a\n", 8);
        free(b1);
        free(b2);
    }
    char pb[400], pa[400];
    snprintf(pb, sizeof pb, "%s/before.gsf", d1);
    snprintf(pa, sizeof pa, "%s/after.gsf", d1);
    double before = measured_sq(pb), after = measured_sq(pa);
    assert_true_msg(after < before, "Sq after %g, before %g", after, before);
    /* The map's Sq in results.json is the same quantity (coarse grid: within 5 %). */
    assert_close(mn_results_baseline(r, MN_OBS_SQ_UM), before, 0.05);
    mn_results_free(&r);
    mn_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_treatment_smooths),
        cmocka_unit_test(test_uv_without_sunscreen_deepens),
        cmocka_unit_test(test_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
