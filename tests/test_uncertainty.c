/* Posterior files, predictive bands and Bayesian calibration on small problems with known
 * answers: a posterior round-trips through its file and bad files are refused naming the field;
 * a posterior whose every draw is the nominal parameter set gives a band collapsed onto the
 * nominal course (lo = hi = value); a band does not depend on the thread count and widens when
 * a parameter that drives the observable varies; calibration of the pore-closure rate to a
 * published TEWL half-life puts the posterior's half-life inside the band, converged, with a
 * small measured surrogate error, deterministic for a seed; predictive intervals cover what
 * they should. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/posterior.h"
#include "mnsim/simulate.h"
#include "mnsim/study.h"
#include "testutil.h"

static mn_posterior *make_posterior(const char *const *names, int np, int nd, const double *v)
{
    const mn_param_info *info[8];
    for (int i = 0; i < np; ++i) {
        info[i] = mn_params_find(names[i]);
        assert_non_null(info[i]);
    }
    mn_posterior *post = NULL;
    mn_error err;
    assert_int_equal_msg(mn_posterior_create(np, info, nd, v, NULL, &post, &err), MN_OK,
                         err.message);
    return post;
}

static void test_posterior_file_round_trip(void **state)
{
    (void)state;
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/post.json", dir);
    const char *names[] = {"k_pore", "synth_collagen1"};
    const double v[] = {0.03, 1.2e-4, 0.04, 1.5e-4, 0.05, 2e-4};
    mn_posterior *post = make_posterior(names, 2, 3, v);
    mn_posterior_diag d = {1.01, 12.5, 800};
    mn_posterior_set_diag(post, 1, &d);
    mn_error err;
    assert_int_equal_msg(mn_posterior_write(post, path, &err), MN_OK, err.message);
    mn_posterior *back = NULL;
    assert_int_equal_msg(mn_posterior_read(path, &back, &err), MN_OK, err.message);
    assert_int_equal(mn_posterior_param_count(back), 2);
    assert_int_equal(mn_posterior_draw_count(back), 3);
    assert_string_equal(mn_posterior_param(back, 1)->name, "synth_collagen1");
    for (int dr = 0; dr < 3; ++dr)
        for (int i = 0; i < 2; ++i)
            assert_close(mn_posterior_value(back, dr, i), v[dr * 2 + i], 1e-9);
    assert_close(mn_posterior_diag_of(back, 1)->tau, 12.5, 1e-9);
    assert_true(isnan(mn_posterior_diag_of(back, 0)->rhat));
    /* A draw applied sets exactly the sampled parameters. */
    mn_params p, q;
    mn_params_default(&p);
    q = p;
    assert_int_equal(mn_posterior_apply(back, 2, &q, &err), MN_OK);
    assert_close(q.k_pore, 0.05, 1e-12);
    assert_close(q.synth_collagen1, 2e-4, 1e-9);
    q.k_pore = p.k_pore, q.synth_collagen1 = p.synth_collagen1;
    assert_memory_equal(&p, &q, sizeof p);
    assert_int_equal(mn_posterior_apply(back, 3, &q, &err), MN_EINVAL);
    /* n picks spread evenly over the stored draws. */
    assert_int_equal(mn_posterior_pick(back, 0, 3), 0);
    assert_int_equal(mn_posterior_pick(back, 2, 3), 2);
    assert_int_equal(mn_posterior_pick(back, 0, 1), 1);
    mn_posterior_free(&back);
    mn_posterior_free(&post);
    mn_test_rmtree(dir);
}

static void expect_bad(const char *dir, const char *text, const char *needle)
{
    char path[512];
    mn_test_write(path, sizeof path, dir, "bad.json", text);
    mn_posterior *post = NULL;
    mn_error err;
    int rc = mn_posterior_read(path, &post, &err);
    assert_int_equal_msg(rc, MN_EFORMAT, text);
    assert_null(post);
    assert_non_null(strstr(err.message, path));
    if (!strstr(err.message, needle))
        fail_msg("'%s' does not name '%s'", err.message, needle);
}

static void test_bad_posterior_files(void **state)
{
    (void)state;
    char dir[256];
    mn_test_tmpdir(dir, sizeof dir);
    expect_bad(dir, "{\"mnsim_posterior\": 1, \"params\": [", "1:");
    expect_bad(dir, "{\"mnsim_posterior\": 2, \"params\": [], \"draws\": []}", "mnsim_posterior");
    expect_bad(dir,
               "{\"mnsim_posterior\": 1, \"params\": [{\"name\": \"nope\"}], \"draws\": [[1]]}",
               "params[0].name: unknown parameter 'nope'");
    expect_bad(dir,
               "{\"mnsim_posterior\": 1, \"params\": [{\"name\": \"k_pore\"}], \"draws\": [[9]]}",
               "draws[0][0]: k_pore must be a number within");
    expect_bad(dir,
               "{\"mnsim_posterior\": 1, \"params\": [{\"name\": \"k_pore\"}], "
               "\"draws\": [[0.03, 1]]}",
               "draws[0]: must hold 1 numbers");
    expect_bad(dir,
               "{\"mnsim_posterior\": 1, \"params\": [{\"name\": \"k_pore\"}, "
               "{\"name\": \"k_pore\"}], \"draws\": [[0.03, 0.03]]}",
               "listed twice");
    expect_bad(dir, "{\"mnsim_posterior\": 1, \"params\": [{\"name\": \"k_pore\"}], \"draws\": []}",
               "draws");
    mn_posterior *post = NULL;
    mn_error err;
    char missing[512];
    snprintf(missing, sizeof missing, "%s/none.json", dir);
    assert_int_equal(mn_posterior_read(missing, &post, &err), MN_EIO);
    assert_non_null(strstr(err.message, missing));
    mn_test_rmtree(dir);
}

static mn_results *nominal_run(const mn_scenario *sc, const mn_params *p)
{
    mn_results *r = NULL;
    mn_error err;
    assert_int_equal_msg(mn_simulate(sc, p, NULL, &r, &err), MN_OK, err.message);
    return r;
}

static void short_scenario(mn_scenario *sc)
{
    mn_scenario_default(sc);
    sc->treatment.session_count = 1;
    sc->simulate.follow_up_weeks = 3; /* short: the sanitizer build runs this too */
    sc->output.images = false;
}

/* Every draw is the nominal parameter set: the band is the nominal course itself. */
static void test_band_of_a_point_posterior_is_the_course(void **state)
{
    (void)state;
    mn_scenario sc;
    short_scenario(&sc);
    mn_params p;
    mn_params_default(&p);
    const char *names[] = {"synth_collagen1", "k_pore"};
    double v[2 * 4];
    for (int d = 0; d < 4; ++d)
        v[2 * d] = p.synth_collagen1, v[2 * d + 1] = p.k_pore;
    mn_posterior *post = make_posterior(names, 2, 4, v);
    mn_results *r = nominal_run(&sc, &p);
    assert_false(mn_results_has_band(r));
    mn_error err;
    const mn_band_options bo = {.draws = 4};
    assert_int_equal_msg(mn_simulate_band(&sc, &p, post, &bo, r, &err), MN_OK, err.message);
    assert_true(mn_results_has_band(r));
    assert_close(mn_results_band_level(r), 0.9, 1e-12);
    assert_int_equal(mn_results_band_draws(r), 4);
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        for (int i = 0; i < mn_results_count(r); ++i) {
            const double x = mn_results_value(r, (mn_observable)o, i);
            assert_true_msg(mn_results_band_lo(r, (mn_observable)o, i) == x &&
                                mn_results_band_hi(r, (mn_observable)o, i) == x,
                            "%s day %g: band [%g, %g] vs %g", mn_observable_name((mn_observable)o),
                            mn_results_day(r, i), mn_results_band_lo(r, (mn_observable)o, i),
                            mn_results_band_hi(r, (mn_observable)o, i), x);
        }
        assert_true(mn_results_band_final_lo(r, (mn_observable)o) ==
                    mn_results_final(r, (mn_observable)o));
    }
    /* results.json gains "band" (adding only): lo/hi aligned with days. */
    char *text = NULL;
    assert_int_equal(mn_results_json_text(r, &sc, &text, &err), MN_OK);
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    json_t *c1 = json_object_get(json_object_get(root, "observables"), "collagen_I_pct");
    json_t *band = json_object_get(c1, "band");
    assert_non_null(band);
    assert_int_equal(json_array_size(json_object_get(band, "lo")),
                     json_array_size(json_object_get(c1, "days")));
    assert_non_null(json_object_get(band, "final_hi"));
    assert_non_null(json_object_get(c1, "values"));
    json_decref(root);
    mn_free(text);
    mn_results_free(&r);
    mn_posterior_free(&post);
}

static void test_band_widens_with_the_parameter_and_ignores_threads(void **state)
{
    (void)state;
    mn_scenario sc;
    short_scenario(&sc);
    mn_params p;
    mn_params_default(&p);
    const char *names[] = {"synth_collagen1"};
    double v[6];
    for (int d = 0; d < 6; ++d)
        v[d] = p.synth_collagen1 * (0.5 + 0.2 * d); /* 0.5x to 1.5x */
    mn_posterior *post = make_posterior(names, 1, 6, v);
    mn_results *a = nominal_run(&sc, &p), *b = nominal_run(&sc, &p);
    mn_error err;
    mn_band_options bo = {.draws = 6, .threads = 1};
    assert_int_equal(mn_simulate_band(&sc, &p, post, &bo, a, &err), MN_OK);
    bo.threads = 2;
    assert_int_equal(mn_simulate_band(&sc, &p, post, &bo, b, &err), MN_OK);
    const int n = mn_results_count(a);
    for (int o = 0; o < MN_OBS_COUNT; ++o)
        for (int i = 0; i < n; ++i) {
            const double lo = mn_results_band_lo(a, (mn_observable)o, i);
            const double hi = mn_results_band_hi(a, (mn_observable)o, i);
            assert_true(lo == mn_results_band_lo(b, (mn_observable)o, i));
            assert_true(hi == mn_results_band_hi(b, (mn_observable)o, i));
            assert_true(!(lo > hi));
        }
    /* More induced collagen I synthesis, more collagen I: the final band spans a real range
     * that holds the nominal value (the draws bracket the nominal rate). */
    const double lo = mn_results_band_final_lo(a, MN_OBS_COLLAGEN_I_PCT);
    const double hi = mn_results_band_final_hi(a, MN_OBS_COLLAGEN_I_PCT);
    const double nom = mn_results_final(a, MN_OBS_COLLAGEN_I_PCT);
    assert_true_msg(hi - lo > 1e-3 * fabs(nom) && lo <= nom && nom <= hi,
                    "collagen I band [%g, %g], nominal %g", lo, hi, nom);
    /* Observables it cannot move keep a collapsed band: pain is set at the session. */
    assert_true(mn_results_band_final_lo(a, MN_OBS_PAIN_VAS) ==
                mn_results_band_final_hi(a, MN_OBS_PAIN_VAS));
    bo.draws = 1;
    assert_int_equal(mn_simulate_band(&sc, &p, post, &bo, a, &err), MN_EINVAL);
    sc.simulate.model = MN_MODEL_3D;
    bo.draws = 4;
    assert_int_equal(mn_simulate_band(&sc, &p, post, &bo, a, &err), MN_ENOTSUP);
    mn_results_free(&a);
    mn_results_free(&b);
    mn_posterior_free(&post);
}

static const char *half_life_study =
    "study: small\n"
    "title: small\n"
    "citation: test\n"
    "scenario:\n"
    "  mnsim: 1\n"
    "  treatment: {sessions: 1, adjuncts: []}\n"
    "  simulate: {follow_up_weeks: 1}\n"
    "endpoints:\n"
    "  - {id: half_life, observable: tewl_rel, measure: half_life_days, low: 0.9, high: 1.0,\n"
    "     role: calibrate, evidence: t, source: t}\n"
    "  - {id: tewl_d2, observable: tewl_rel, measure: change, day: 2, direction: up,\n"
    "     role: holdout, evidence: t, source: t}\n"
    "  - {id: tewl_d3_far, observable: tewl_rel, measure: change, day: 3, low: 50, high: 60,\n"
    "     role: holdout, evidence: t, source: t}\n";

static mn_study_set *load_study(char *dir, size_t size, const char *name, const char *text)
{
    char path[512];
    mn_test_tmpdir(dir, size);
    mn_test_write(path, sizeof path, dir, name, text);
    mn_study_set *set = NULL;
    mn_error err;
    assert_int_equal(mn_study_set_create(&set, &err), MN_OK);
    assert_int_equal_msg(mn_study_set_add_file(set, path, &err), MN_OK, err.message);
    return set;
}

static mn_study_set *load_half_life(char *dir, size_t size)
{
    return load_study(dir, size, "small.yaml", half_life_study);
}

static void test_calibration_recovers_a_half_life(void **state)
{
    (void)state;
    char dir[256];
    mn_study_set *set = load_half_life(dir, sizeof dir);
    mn_params p;
    mn_params_default(&p);
    const char *names[] = {"k_pore"};
    mn_calibrate_options opt = {.params = names,
                                .param_count = 1,
                                .steps = 1500,
                                .draws = 200,
                                .verify_runs = 10,
                                .seed = 5};
    mn_posterior *post = NULL, *again = NULL;
    mn_calibrate_report rep;
    mn_error err;
    assert_int_equal_msg(mn_calibrate(set, &p, &opt, &post, &rep, &err), MN_OK, err.message);
    assert_int_equal(rep.params, 1);
    assert_int_equal(rep.targets, 1);
    assert_true_msg(rep.max_rhat < 1.05, "R-hat %g", rep.max_rhat);
    assert_true_msg(rep.surrogate_rms < 0.1, "surrogate error %g half-bands", rep.surrogate_rms);
    /* The model at the posterior's draws: most half-lives inside the published band. */
    assert_true_msg(rep.verify_pass_fraction >= 0.6, "pass %g", rep.verify_pass_fraction);
    /* Same seed, other thread count: the same draws. */
    opt.threads = 1;
    assert_int_equal(mn_calibrate(set, &p, &opt, &again, NULL, &err), MN_OK);
    for (int d = 0; d < mn_posterior_draw_count(post); ++d)
        assert_true(mn_posterior_value(post, d, 0) == mn_posterior_value(again, d, 0));
    mn_posterior_free(&again);

    /* Predictive intervals: the calibrated row is covered, the far band is not, and the
     * direction row (TEWL up after needling) is. */
    mn_validation *v = NULL;
    mn_validate_options vo = {0};
    assert_int_equal(mn_validate(set, &p, &vo, &v, &err), MN_OK);
    const mn_predictive_options po = {.post = post, .draws = 8, .cross = 1};
    assert_int_equal_msg(mn_validation_predict(v, set, &p, &vo, &po, &err), MN_OK, err.message);
    for (int i = 0; i < mn_validation_count(v); ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        assert_true(r->has_interval && r->has_cross && r->lo <= r->hi);
        const int expect = strcmp(r->endpoint->id, "tewl_d3_far") != 0;
        assert_int_equal_msg(r->covers, expect, r->endpoint->id);
        assert_true(r->cross_ess >= 1.0 && r->cross_ess <= 8.0 + 1e-9);
    }
    const mn_coverage h = mn_validation_coverage(v, MN_ROLE_HOLDOUT, 0);
    assert_int_equal(h.rows, 2);
    assert_int_equal(h.covered, 1);
    assert_int_equal(h.banded, 1);
    assert_true(h.mean_width >= 0);
    mn_validation_free(&v);

    /* Bad requests. */
    opt.burn = opt.steps;
    assert_int_equal(mn_calibrate(set, &p, &opt, &again, NULL, &err), MN_EINVAL);
    const char *unknown[] = {"no_such_parameter"};
    mn_calibrate_options bad = {.params = unknown, .param_count = 1};
    assert_int_equal(mn_calibrate(set, &p, &bad, &again, NULL, &err), MN_EINVAL);
    assert_non_null(strstr(err.message, "no_such_parameter"));
    mn_posterior_free(&post);
    mn_posterior_free(&again);
    mn_study_set_free(&set);
    mn_test_rmtree(dir);
}

/* The parameters not sampled, with MN_REST_UNSEEN: one no target sees (the pain scale, for
 * TEWL and redness rows) is drawn from its prior, uniform over its range; one the targets see
 * (the channel width sets TEWL and redness) is not drawn; and the draws stay a good proposal
 * for the real posterior, unlike prior draws of every parameter: the importance weights on the
 * real model keep a large effective sample size (Kish). */
static double u_of(const mn_param_info *pi, double v)
{
    return pi->high >= 10 * pi->low && pi->low > 0 ? log(v / pi->low) / log(pi->high / pi->low)
                                                   : (v - pi->low) / (pi->high - pi->low);
}

/* Three calibrated rows around the model's own values: the half-life (the pore-closure rate)
 * and the day-1 TEWL and redness (other parameters). */
static const char *three_rows_study =
    "study: three\n"
    "title: three\n"
    "citation: test\n"
    "scenario:\n"
    "  mnsim: 1\n"
    "  treatment: {sessions: 1, adjuncts: []}\n"
    "  simulate: {follow_up_weeks: 1}\n"
    "endpoints:\n"
    "  - {id: half_life, observable: tewl_rel, measure: half_life_days, low: 0.75, high: 0.9,\n"
    "     role: calibrate, evidence: t, source: t}\n"
    "  - {id: tewl_d1, observable: tewl_rel, measure: change, day: 1, low: 2.0, high: 2.6,\n"
    "     role: calibrate, evidence: t, source: t}\n"
    "  - {id: ery_d1, observable: erythema, measure: value, day: 1, low: 1.0, high: 1.35,\n"
    "     role: calibrate, evidence: t, source: t}\n";

static void test_unseen_rest(void **state)
{
    (void)state;
    char dir[256];
    mn_study_set *set = load_study(dir, sizeof dir, "three.yaml", three_rows_study);
    mn_error err;
    mn_params p;
    mn_params_default(&p);
    const char *names[] = {"k_pore"};
    mn_calibrate_options opt = {.params = names,
                                .param_count = 1,
                                .steps = 1500,
                                .draws = 400,
                                .verify_runs = 10,
                                .rest = MN_REST_UNSEEN,
                                .sir_runs = 40,
                                .seed = 7};
    mn_posterior *uns = NULL, *pri = NULL;
    mn_calibrate_report ru, rp;
    assert_int_equal_msg(mn_calibrate(set, &p, &opt, &uns, &ru, &err), MN_OK, err.message);
    opt.rest = MN_REST_PRIOR;
    assert_int_equal_msg(mn_calibrate(set, &p, &opt, &pri, &rp, &err), MN_OK, err.message);
    int ranged = 0;
    for (size_t i = 0; i < mn_params_count(); ++i)
        ranged += mn_params_info(i)->high > mn_params_info(i)->low;
    print_message("unseen: %d of %d checked drawn, weight ESS %.1f of 40 (every parameter "
                  "from its prior: %.1f)\n",
                  ru.rest_params, ru.rest_checked, ru.sir_ess, rp.sir_ess);
    assert_int_equal(ru.params, 1);
    assert_true(ru.rest_checked >= ru.rest_params && ru.rest_checked == ranged - 1);
    assert_true_msg(ru.rest_params >= 10, "%d unseen", ru.rest_params);
    assert_int_equal(rp.rest_params, ranged - 1);
    assert_true_msg(ru.sir_ess >= 20 && ru.sir_ess > rp.sir_ess, "ESS unseen %g, prior %g",
                    ru.sir_ess, rp.sir_ess);
    /* The 40 resampled draws (nearly every one kept: the weights are nearly equal). */
    assert_int_equal(mn_posterior_draw_count(uns), 40);
    int pain = -1;
    for (int i = 0; i < mn_posterior_param_count(uns); ++i) {
        assert_string_not_equal(mn_posterior_param(uns, i)->name, "channel_width_fraction");
        if (!strcmp(mn_posterior_param(uns, i)->name, "pain_scale"))
            pain = i;
    }
    assert_true(pain > 0);
    /* Uniform on [0, 1] in u: SD 1/sqrt(12) = 0.289 (of 40 draws: ± 0.06), reaching towards
     * both ends. */
    const mn_param_info *pi = mn_posterior_param(uns, pain);
    const int nd = mn_posterior_draw_count(uns);
    double s = 0, s2 = 0, lo = 1, hi = 0;
    for (int d = 0; d < nd; ++d) {
        const double u = u_of(pi, mn_posterior_value(uns, d, pain));
        assert_true_msg(u >= -1e-12 && u <= 1 + 1e-12, "u %g", u);
        s += u, s2 += u * u, lo = fmin(lo, u), hi = fmax(hi, u);
    }
    const double sd = sqrt(fmax(s2 / nd - (s / nd) * (s / nd), 0));
    print_message("unseen: pain_scale u SD %.3f over [%.3f, %.3f]\n", sd, lo, hi);
    assert_true_msg(fabs(sd - 0.2887) < 0.06 && lo < 0.1 && hi > 0.9, "SD %g over [%g, %g]", sd, lo,
                    hi);
    mn_posterior_free(&uns);
    mn_posterior_free(&pri);
    mn_study_set_free(&set);
    mn_test_rmtree(dir);
}

/* Morris on the posterior: a parameter the posterior pins to one value has no effect (its range
 * collapses), the same parameter over its literature range has one; a parameter the posterior
 * does not sample keeps its literature range. */
static void test_sensitivity_over_the_posterior(void **state)
{
    (void)state;
    mn_scenario sc;
    short_scenario(&sc);
    mn_params p;
    mn_params_default(&p);
    const char *names[] = {"synth_collagen1"};
    double v[3] = {p.synth_collagen1, p.synth_collagen1, p.synth_collagen1};
    mn_posterior *post = make_posterior(names, 1, 3, v);
    const char *factors[] = {"synth_collagen1", "k_pore"};
    mn_sensitivity_options o = {.params = factors,
                                .param_count = 2,
                                .trajectories = 2,
                                .levels = 4,
                                .seed = 3,
                                .horizon_days = 20};
    mn_sensitivity *lit = NULL, *pos = NULL;
    mn_error err;
    assert_int_equal_msg(mn_sensitivity_run(&sc, &p, &o, &lit, &err), MN_OK, err.message);
    o.posterior = post;
    assert_int_equal_msg(mn_sensitivity_run(&sc, &p, &o, &pos, &err), MN_OK, err.message);
    const mn_sensitivity_row *a = mn_sensitivity_row_at(lit, 0), *b = mn_sensitivity_row_at(pos, 0);
    assert_string_equal(b->param->name, "synth_collagen1");
    assert_true(b->from_posterior && !a->from_posterior);
    assert_true(b->low == p.synth_collagen1 && b->high == p.synth_collagen1);
    assert_true(a->mu_star[MN_SENS_COLLAGEN_GAIN] > 0);
    assert_true(b->mu_star[MN_SENS_COLLAGEN_GAIN] == 0);
    const mn_sensitivity_row *c = mn_sensitivity_row_at(pos, 1);
    assert_false(c->from_posterior);
    assert_true(c->low == c->param->low && c->high == c->param->high);
    mn_sensitivity_free(&lit);
    mn_sensitivity_free(&pos);
    mn_posterior_free(&post);
}

/* A call that cannot be given a posterior refuses a scenario asking for bands, naming the field,
 * rather than returning a run without them. */
static void test_run_json_refuses_bands(void **state)
{
    (void)state;
    char *json = NULL;
    mn_error err;
    const char *text = "mnsim: 1\nsimulate: {follow_up_weeks: 1, uncertainty: 4}\n";
    assert_int_equal(mn_run_json(text, "s.yaml", NULL, 0, &json, &err), MN_ENOTSUP);
    assert_null(json);
    assert_non_null(strstr(err.message, "s.yaml: simulate.uncertainty"));
    const char *plain = "mnsim: 1\nsimulate: {follow_up_weeks: 1, uncertainty: 0}\n";
    assert_int_equal_msg(mn_run_json(plain, "s.yaml", NULL, 0, &json, &err), MN_OK, err.message);
    assert_null(strstr(json, "\"band\""));
    mn_free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_posterior_file_round_trip),
        cmocka_unit_test(test_bad_posterior_files),
        cmocka_unit_test(test_band_of_a_point_posterior_is_the_course),
        cmocka_unit_test(test_band_widens_with_the_parameter_and_ignores_threads),
        cmocka_unit_test(test_calibration_recovers_a_half_life),
        cmocka_unit_test(test_unseen_rest),
        cmocka_unit_test(test_run_json_refuses_bands),
        cmocka_unit_test(test_sensitivity_over_the_posterior),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
