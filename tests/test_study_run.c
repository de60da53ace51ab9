/* Validation, calibration and sensitivity on small studies with known answers: endpoints read
 * off a run agree with the run itself, first-order pore closure has t½ = ln 2 / k_pore, the
 * Nelder-Mead fit recovers that rate from a published half-life, and Morris ranks the rate
 * that sets an outcome first. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/device.h"
#include "mnsim/simulate.h"
#include "mnsim/study.h"
#include "testutil.h"

static const char *study_text =
    "study: small\n"
    "title: small\n"
    "citation: test\n"
    "scenario:\n"
    "  mnsim: 1\n"
    "  treatment: {sessions: 1, adjuncts: []}\n"
    "  simulate: {follow_up_weeks: 1}\n"
    "arms:\n"
    "  roller: [\"device.kind=roller\", \"device.needles=192\", \"device.needle_length_mm=0.5\"]\n"
    "  old: [\"patient.age_years=72\"]\n"
    "endpoints:\n"
    "  - {id: half_life, observable: tewl_rel, measure: half_life_days, low: 0.9, high: 1.0,\n"
    "     role: calibrate, evidence: t, source: t}\n"
    "  - {id: tewl_d2, observable: tewl_rel, measure: change, day: 2, direction: up,\n"
    "     role: holdout, evidence: t, source: t}\n"
    "  - {id: depth, observable: penetration_um, measure: device, arm: roller, low: 0,\n"
    "     high: 1000, role: holdout, evidence: t, source: t}\n"
    "  - {id: epi_age, observable: epidermis_um, measure: baseline, arm: old, versus: base,\n"
    "     compare: ratio_pct, per: 2, low: -50, high: 0, role: holdout, evidence: t,\n"
    "     source: t}\n";

static mn_study_set *load(char *dir, size_t size)
{
    char path[512];
    mn_test_tmpdir(dir, size);
    mn_test_write(path, sizeof path, dir, "small.yaml", study_text);
    mn_study_set *set = NULL;
    mn_error err;
    assert_int_equal(mn_study_set_create(&set, &err), MN_OK);
    assert_int_equal_msg(mn_study_set_add_file(set, path, &err), MN_OK, err.message);
    return set;
}

static const mn_validation_row *row(const mn_validation *v, const char *id)
{
    for (int i = 0; i < mn_validation_count(v); ++i)
        if (!strcmp(mn_validation_row_at(v, i)->endpoint->id, id))
            return mn_validation_row_at(v, i);
    fail_msg("no row %s", id);
    return NULL;
}

static void test_endpoints_agree_with_the_runs(void **state)
{
    (void)state;
    char dir[256];
    mn_study_set *set = load(dir, sizeof dir);
    const mn_study *st = mn_study_set_get(set, 0);
    mn_params p;
    mn_params_default(&p);
    mn_validation *v = NULL;
    mn_error err;
    assert_int_equal_msg(mn_validate(set, &p, NULL, &v, &err), MN_OK, err.message);
    assert_int_equal(mn_validation_count(v), 4);
    /* Pores close first-order (docs/model.md §3), so the TEWL excess halves in ln 2 / k_pore. */
    double t_half = log(2.0) / p.k_pore / 24.0;
    assert_close(row(v, "half_life")->simulated, t_half, 0.02);
    /* A day-2 change read off the validation equals the run's own sample. */
    const mn_results *r = mn_validation_results(v, st, 0);
    assert_non_null(r);
    assert_close(row(v, "tewl_d2")->simulated,
                 mn_results_at_day(r, MN_OBS_TEWL_REL, 2.0) -
                     mn_results_baseline(r, MN_OBS_TEWL_REL),
                 1e-12);
    /* Device endpoints come from the injury of the arm's device. */
    mn_injury inj;
    assert_int_equal(mn_device_injury(&st->arms[1].scenario.device, 0.5, 1, &p, &inj, &err), MN_OK);
    assert_close(row(v, "depth")->simulated, inj.penetration_um, 1e-12);
    /* Arm comparison: (old / young − 1) in %, divided by `per`. */
    const mn_results *old = mn_validation_results(v, st, 2);
    double expect = 100.0 *
                    (mn_results_baseline(old, MN_OBS_EPIDERMIS_UM) /
                         mn_results_baseline(r, MN_OBS_EPIDERMIS_UM) -
                     1.0) /
                    2.0;
    assert_close(row(v, "epi_age")->simulated, expect, 1e-12);
    assert_true(row(v, "epi_age")->simulated < 0); /* older skin is thinner */
    /* Only the selected endpoints, and only the runs they need. */
    mn_validation_free(&v);
    const char *only[] = {"depth"};
    mn_validate_options opt = {.only = only, .only_count = 1};
    assert_int_equal(mn_validate(set, &p, &opt, &v, &err), MN_OK);
    assert_int_equal(mn_validation_count(v), 1);
    assert_null(mn_validation_results(v, st, 0));
    mn_validation_free(&v);
    const char *nope[] = {"nope"};
    opt.only = nope;
    assert_int_equal(mn_validate(set, &p, &opt, &v, &err), MN_EINVAL);
    assert_null(v);
    mn_study_set_free(&set);
    mn_test_rmtree(dir);
}

static void test_fit_recovers_pore_closure_rate(void **state)
{
    (void)state;
    char dir[256];
    mn_study_set *set = load(dir, sizeof dir);
    mn_params p;
    mn_params_default(&p);
    p.k_pore = 0.1; /* t½ 7 h: far from the target of 0.95 days */
    const char *names[] = {"k_pore"}, *targets[] = {"half_life"};
    mn_fit_options opt = {.params = names,
                          .param_count = 1,
                          .targets = targets,
                          .target_count = 1,
                          .max_iterations = 40,
                          .tolerance = 1e-4};
    mn_fit_report rep;
    mn_error err;
    assert_int_equal_msg(mn_fit(set, &p, &opt, &rep, &err), MN_OK, err.message);
    assert_true(rep.objective < rep.objective_start);
    /* The band's centre, 0.95 days, is t½ = ln 2 / k. */
    assert_close(p.k_pore, log(2.0) / (0.95 * 24.0), 0.03);
    /* Bounds hold whatever the start, and bad requests are refused. */
    const mn_param_info *pi = mn_params_find("k_pore");
    assert_true(p.k_pore >= pi->low && p.k_pore <= pi->high);
    const char *unknown[] = {"k_nothing"};
    opt.params = unknown;
    assert_int_equal(mn_fit(set, &p, &opt, &rep, &err), MN_EINVAL);
    mn_study_set_free(&set);
    mn_test_rmtree(dir);
}

static void test_morris_ranks_the_rate_that_sets_the_outcome(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_params p;
    mn_scenario_default(&sc);
    mn_params_default(&p);
    sc.treatment.session_count = 1;
    sc.treatment.adjuncts = 0;
    sc.simulate.follow_up_weeks = 9;
    const char *names[] = {"k_vessel", "k_pore", "synth_collagen1"};
    mn_sensitivity_options opt = {.params = names,
                                  .param_count = 3,
                                  .trajectories = 3,
                                  .levels = 4,
                                  .seed = 7,
                                  .horizon_days = 60};
    mn_sensitivity *s = NULL, *again = NULL;
    mn_error err;
    assert_int_equal_msg(mn_sensitivity_run(&sc, &p, &opt, &s, &err), MN_OK, err.message);
    assert_int_equal(mn_sensitivity_count(s), 3);
    const mn_sensitivity_row *vessel = mn_sensitivity_row_at(s, 0);
    const mn_sensitivity_row *pore = mn_sensitivity_row_at(s, 1);
    const mn_sensitivity_row *c1 = mn_sensitivity_row_at(s, 2);
    /* Erythema lasts as long as vasodilation: its clearance rate matters most and shortens it;
     * the collagen gain is set by synthesis, not by the redness or the pores. */
    assert_true(vessel->mu_star[MN_SENS_ERYTHEMA_DAYS] > pore->mu_star[MN_SENS_ERYTHEMA_DAYS]);
    assert_true(vessel->mu_star[MN_SENS_ERYTHEMA_DAYS] > c1->mu_star[MN_SENS_ERYTHEMA_DAYS]);
    assert_true(vessel->mu[MN_SENS_ERYTHEMA_DAYS] < 0);
    assert_true(c1->mu_star[MN_SENS_COLLAGEN_GAIN] > vessel->mu_star[MN_SENS_COLLAGEN_GAIN]);
    assert_true(c1->mu[MN_SENS_COLLAGEN_GAIN] > 0);
    for (int o = 0; o < MN_SENS_OUTCOMES; ++o)
        assert_true(vessel->sigma[o] >= 0 && isfinite(vessel->mu_star[o]));
    /* Same seed, same numbers, whatever the threads. */
    opt.threads = 1;
    assert_int_equal(mn_sensitivity_run(&sc, &p, &opt, &again, &err), MN_OK);
    for (int i = 0; i < 3; ++i)
        for (int o = 0; o < MN_SENS_OUTCOMES; ++o)
            assert_true(mn_sensitivity_row_at(s, i)->mu_star[o] ==
                        mn_sensitivity_row_at(again, i)->mu_star[o]);
    /* Writers produce a CSV row per parameter and a closed SVG. */
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/s.svg", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(mn_sensitivity_write_svg(s, 10, f), MN_OK);
    fclose(f);
    char *svg = mn_test_read(path, NULL);
    assert_non_null(strstr(svg, "</svg>"));
    assert_non_null(strstr(svg, "k_vessel"));
    free(svg);
    mn_test_rmtree(dir);
    mn_sensitivity_free(&s);
    mn_sensitivity_free(&again);
    assert_null(s);
    /* Bad designs are refused. */
    opt.levels = 3;
    assert_int_equal(mn_sensitivity_run(&sc, &p, &opt, &s, &err), MN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endpoints_agree_with_the_runs),
        cmocka_unit_test(test_fit_recovers_pore_closure_rate),
        cmocka_unit_test(test_morris_ranks_the_rate_that_sets_the_outcome),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
