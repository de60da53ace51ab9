/* Cohorts (cohort.h) and protocol studies (sweep.h): the draws follow the distributions asked
 * for, each patient's stream is independent of order and threads, parameter uncertainty stays
 * in the literature range, downtime integrates a known erythema course exactly, the responder
 * rule, resume gives the same records as an uninterrupted run, a population without spread has
 * no band, and the protocol score behaves (more sessions improve more, deeper needles are not
 * shallower). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "cohort/cohort_impl.h"
#include "mnsim/cohort.h"
#include "mnsim/outcome.h"
#include "mnsim/simulate.h"
#include "mnsim/sweep.h"
#include "testutil.h"

static void small_scenario(mn_scenario *sc)
{
    mn_scenario_default(sc);
    /* Short courses keep the test quick; the laws tested do not depend on the length. */
    sc->treatment.session_count = 2;
    sc->treatment.interval_weeks = 2;
    sc->simulate.follow_up_weeks = 2;
    sc->cohort.size = 12;
    sc->cohort.resolution_um = 50;
    sc->cohort.time_step_scale = 2;
}

static void test_draws_follow_distributions(void **state)
{
    (void)state;
    mn_scenario base, sc;
    mn_params p0, p;
    mn_error err;
    mn_scenario_default(&base);
    mn_params_default(&p0);
    assert_int_equal(mn_scenario_set(&base, "cohort.skin_type={II: 1, IV: 3}", &err), 0);
    assert_int_equal(mn_scenario_set(&base, "cohort.age_years={min: 30, max: 70}", &err), 0);
    assert_int_equal(mn_scenario_set(&base, "cohort.sex=male", &err), 0);
    const int n = 4000;
    int iv = 0, other = 0;
    double age_sum = 0, age_min = 1e9, age_max = -1e9;
    for (int i = 0; i < n; ++i) {
        assert_int_equal(mn_cohort_patient(&base, &p0, i, &sc, &p, &err), 0);
        iv += sc.patient.skin_type == 4;
        other += sc.patient.skin_type != 2 && sc.patient.skin_type != 4;
        age_sum += sc.patient.age_years;
        age_min = fmin(age_min, sc.patient.age_years);
        age_max = fmax(age_max, sc.patient.age_years);
        assert_int_equal(sc.patient.sex, MN_SEX_MALE);
        /* Unspecified attributes keep the patient section's value. */
        assert_int_equal(sc.patient.photoaging, base.patient.photoaging);
        assert_int_equal(sc.patient.site, base.patient.site);
    }
    assert_int_equal(other, 0);
    /* Binomial: 0.75 ± 4 σ, σ = sqrt(0.75·0.25/4000) ≈ 0.0068. */
    assert_true(fabs((double)iv / n - 0.75) < 4 * 0.0069);
    /* Uniform on [30, 70]: mean 50 ± 4 σ, σ = 40/sqrt(12·4000) ≈ 0.18. */
    assert_true(fabs(age_sum / n - 50.0) < 4 * 0.19);
    assert_true(age_min >= 30 && age_max <= 70);
    assert_true(age_min < 31 && age_max > 69);
}

static void test_streams_are_order_independent(void **state)
{
    (void)state;
    mn_scenario base, a, b;
    mn_params p0, pa, pb;
    mn_error err;
    mn_scenario_default(&base);
    mn_params_default(&p0);
    assert_int_equal(mn_scenario_set(&base, "cohort.age_years={mean: 50, sd: 12}", &err), 0);
    /* Patient 7 is the same whether drawn first or after others. */
    assert_int_equal(mn_cohort_patient(&base, &p0, 7, &a, &pa, &err), 0);
    for (int i = 0; i < 7; ++i)
        assert_int_equal(mn_cohort_patient(&base, &p0, i, &b, &pb, &err), 0);
    assert_int_equal(mn_cohort_patient(&base, &p0, 7, &b, &pb, &err), 0);
    assert_true(a.patient.age_years == b.patient.age_years);
    assert_memory_equal(&pa, &pb, sizeof pa);
    /* Different patients differ. */
    assert_int_equal(mn_cohort_patient(&base, &p0, 8, &b, &pb, &err), 0);
    assert_true(a.patient.age_years != b.patient.age_years);
    assert_true(memcmp(&pa, &pb, sizeof pa) != 0);
}

static void test_parameter_uncertainty(void **state)
{
    (void)state;
    mn_scenario base, sc;
    mn_params p0, p;
    mn_error err;
    mn_scenario_default(&base);
    mn_params_default(&p0);
    /* No spread: the calibrated values exactly. */
    base.cohort.parameter_spread = 0;
    assert_int_equal(mn_cohort_patient(&base, &p0, 3, &sc, &p, &err), 0);
    assert_memory_equal(&p, &p0, sizeof p);
    /* With spread: every value in the (widened) literature range; the median of the log-ratio
     * is ~0 (log-normal about the calibrated value). */
    base.cohort.parameter_spread = 1.0;
    const int n = 1001;
    const mn_param_info *kp = mn_params_find("k_pore");
    assert_non_null(kp);
    double *lr = malloc(n * sizeof *lr);
    for (int i = 0; i < n; ++i) {
        assert_int_equal(mn_cohort_patient(&base, &p0, i, &sc, &p, &err), 0);
        for (size_t k = 0; k < mn_params_count(); ++k) {
            const mn_param_info *info = mn_params_info(k);
            double v = *mn_params_ref(&p, info), v0 = *mn_params_ref(&p0, info);
            assert_true_msg(v >= fmin(info->low, v0) && v <= fmax(info->high, v0),
                            "%s = %g outside [%g, %g]", info->name, v, info->low, info->high);
        }
        lr[i] = log(*mn_params_ref(&p, kp) / *mn_params_ref(&p0, kp));
    }
    int below = 0;
    for (int i = 0; i < n; ++i)
        below += lr[i] < 0;
    /* Truncation is asymmetric for k_pore (0.0347 in [0.02, 0.35]), so the fraction below
     * lies between 0.3 and 0.5 rather than at 0.5: below-centre draws are cut more. */
    assert_true(below > 0.25 * n && below < 0.55 * n);
    free(lr);
}

static void test_downtime_and_responder(void **state)
{
    (void)state;
    /* Triangle 0 → 6 → 0 over days 0, 1, 2: above 3 for exactly 1 day. */
    const double ery[3] = {0, 6, 0};
    double above[3] = {0, 0, 0}, threshold[3] = {3.0, 0.0, 7.0};
    for (int k = 0; k < 3; ++k)
        for (int i = 0; i < 2; ++i)
            above[k] += mn_outcome_time_above(ery[i], ery[i + 1], 1.0, threshold[k]);
    assert_close(above[0], 1.0, 1e-12);
    assert_close(above[1], 2.0, 1e-12);
    assert_true(above[2] == 0.0);
    mn_patient_outcome o;
    mn__outcome_from(1.6, 0.9, 0, 0, &o); /* clinician: 2 → 1 */
    assert_int_equal(o.responder, 1);
    assert_close(o.improvement, 0.7, 1e-12);
    mn__outcome_from(1.4, 0.6, 0, 0, &o); /* 1 → 1 */
    assert_int_equal(o.responder, 0);
    mn__outcome_from(2.4, 2.6, 0, 0, &o); /* 2 → 3: worse */
    assert_int_equal(o.responder, 0);
}

static mn_cohort *run_cohort(const mn_scenario *sc, const char *dir, int resume, long stop,
                             int threads)
{
    mn_params p;
    mn_params_default(&p);
    mn_error err;
    mn_cohort_options opt = {.resume = resume, .ranks = 1, .stop_after = stop};
    mn_cohort *c = NULL;
#ifdef _OPENMP
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    assert_int_equal(mn_cohort_create(sc, &p, dir, &opt, &c, &err), 0);
    int rc = mn_cohort_run(c, &err);
    assert_int_equal(rc, stop ? MN_ERANGE : MN_OK);
    return c;
}

/* The lean runs' downtime, followed at every error-controlled time step with only two sample
 * days, agrees with the erythema course of a `mnsim run`-stepped run sampled every 15 minutes. */
static void test_downtime_from_steps_matches_sampled_course(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_params p;
    mn_error err;
    mn_scenario_default(&sc);
    mn_params_default(&p);
    sc.treatment.session_count = 1;
    sc.simulate.follow_up_weeks = 2;
    const double end = mn_scenario_end_hour(&sc) / 24.0;
    int n = (int)floor(end * 96.0) + 1;
    double *days = malloc((size_t)n * sizeof *days), lean = -1.0;
    assert_non_null(days);
    for (int i = 0; i < n; ++i)
        days[i] = fmin(i / 96.0, end);
    mn_sim_settings fine = {
        .time_step_scale = 1.0, .sample_days = days, .sample_count = n, .no_surface = 1};
    mn_results *r = NULL;
    assert_int_equal_msg(mn_simulate(&sc, &p, &fine, &r, &err), MN_OK, err.message);
    double sampled = 0;
    for (int i = 0; i + 1 < mn_results_count(r); ++i)
        sampled += mn_outcome_time_above(
            mn_results_value(r, MN_OBS_ERYTHEMA, i), mn_results_value(r, MN_OBS_ERYTHEMA, i + 1),
            mn_results_day(r, i + 1) - mn_results_day(r, i), sc.cohort.erythema_visible);
    mn_results_free(&r);
    const double two[2] = {0.0, end};
    assert_int_equal_msg(mn_cohort_simulate_lean(&sc, &p, two, 2, &r, &lean, &err), MN_OK,
                         err.message);
    assert_true(sampled > 0.25); /* visible redness lasts hours to days (Chu 2021) */
    assert_true_msg(fabs(lean - sampled) < 0.02 * sampled, "lean %g, sampled %g", lean, sampled);
    mn_results_free(&r);
    free(days);
}

static void test_threads_and_resume_give_same_records(void **state)
{
    (void)state;
    char tbuf[256];
    const char *tmp = mn_test_tmpdir(tbuf, sizeof tbuf);
    char d1[512], d2[512];
    snprintf(d1, sizeof d1, "%s/one", tmp);
    snprintf(d2, sizeof d2, "%s/two", tmp);
    mn_scenario sc;
    small_scenario(&sc);
    mn_cohort *serial = run_cohort(&sc, d1, 0, 0, 1);
    assert_int_equal(mn_cohort_done_count(serial), sc.cohort.size);
    /* Interrupted after 5 patients with two threads, then resumed in a new process-like
     * object: the journal supplies the first ones. */
    mn_cohort *part = run_cohort(&sc, d2, 0, 5, 2);
    long done = mn_cohort_done_count(part);
    assert_true(done >= 5 && done < sc.cohort.size);
    mn_cohort_free(&part);
    mn_cohort *resumed = run_cohort(&sc, d2, 1, 0, 2);
    assert_int_equal(mn_cohort_done_count(resumed), sc.cohort.size);
    for (long i = 0; i < sc.cohort.size; ++i)
        assert_memory_equal(mn_cohort_record(serial, i), mn_cohort_record(resumed, i),
                            (size_t)mn_cohort_record_len(serial) * sizeof(double));
    mn_error err;
    assert_int_equal(mn_cohort_write(serial, &err), 0);
    assert_int_equal(mn_cohort_write(resumed, &err), 0);
    const char *files[] = {"summary.json", "patients.csv.gz", "subgroups.csv", "fan_chart.svg",
                           "cohort.html"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; ++f) {
        char a[600], b[600];
        snprintf(a, sizeof a, "%s/%s", d1, files[f]);
        snprintf(b, sizeof b, "%s/%s", d2, files[f]);
        size_t na, nb;
        char *x = mn_test_read(a, &na), *y = mn_test_read(b, &nb);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(files[f], "summary.json") != 0) { /* summary embeds output.dir */
            assert_int_equal(na, nb);
            assert_memory_equal(x, y, na);
        }
        free(x);
        free(y);
    }
    /* The journal is gone once the outputs are written. */
    char j[600];
    snprintf(j, sizeof j, "%s/cohort-journal.0.bin", d2);
    assert_null(fopen(j, "rb"));
    mn_cohort_free(&serial);
    mn_cohort_free(&resumed);
    mn_test_rmtree(tmp);
}

static void test_identical_patients_have_no_band(void **state)
{
    (void)state;
    char tbuf[256];
    const char *tmp = mn_test_tmpdir(tbuf, sizeof tbuf);
    mn_scenario sc;
    small_scenario(&sc);
    sc.cohort.size = 4;
    sc.cohort.parameter_spread = 0;
    mn_cohort *c = run_cohort(&sc, tmp, 0, 0, 2);
    const int len = mn_cohort_record_len(c);
    for (long i = 1; i < sc.cohort.size; ++i) {
        const double *a = mn_cohort_record(c, 0), *b = mn_cohort_record(c, i);
        /* Everything but the index is the same. */
        assert_memory_equal(a + 1, b + 1, (size_t)(len - 1) * sizeof(double));
    }
    /* Treatment improves the wrinkle (the model's main law) and reddens the skin. */
    const double *r = mn_cohort_record(c, 0);
    assert_true(r[MN__R_IMPROVEMENT] > 0);
    assert_true(r[MN__R_DOWNTIME] > 0);
    mn_cohort_free(&c);
    mn_test_rmtree(tmp);
}

static void test_protocol_score_laws(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_params p;
    mn_error err;
    small_scenario(&sc);
    mn_params_default(&p);
    const double horizon = 8;
    mn_protocol_stats one, three, shallow, infeasible;
    sc.treatment.session_count = 1;
    assert_int_equal(mn_protocol_evaluate(&sc, &p, 4, horizon, &one, NULL, &err), 0);
    sc.treatment.session_count = 3;
    assert_int_equal(mn_protocol_evaluate(&sc, &p, 4, horizon, &three, NULL, &err), 0);
    sc.device.needle_length_mm = 0.25;
    assert_int_equal(mn_protocol_evaluate(&sc, &p, 4, horizon, &shallow, NULL, &err), 0);
    assert_true(one.feasible && three.feasible);
    /* More sessions: more collagen induction, more improvement, more redness days. */
    assert_true(three.improvement_mean > one.improvement_mean);
    assert_true(three.downtime_mean > one.downtime_mean);
    /* Shallow needles barely reach the dermis: less improvement. */
    assert_true(shallow.improvement_mean < three.improvement_mean);
    assert_true(three.improvement_p5 <= three.improvement_mean &&
                three.improvement_mean <= three.improvement_p95);
    /* Sessions that end after the horizon cannot be scored. */
    sc.treatment.session_count = 6;
    assert_int_equal(mn_protocol_evaluate(&sc, &p, 4, horizon, &infeasible, NULL, &err), 0);
    assert_int_equal(infeasible.feasible, 0);
}

static void test_sweep_axis_parse(void **state)
{
    (void)state;
    mn_sweep_axis a;
    mn_error err;
    assert_int_equal(mn_sweep_axis_parse("treatment.adjuncts=[],[prp, vitamin_c],[prp]", &a, &err),
                     0);
    assert_string_equal(a.key, "treatment.adjuncts");
    assert_int_equal(a.count, 3);
    assert_string_equal(a.values[1], "[prp, vitamin_c]");
    assert_int_equal(mn_sweep_axis_parse("novalue", &a, &err), MN_ESCENARIO);
    assert_int_equal(mn_sweep_axis_parse("device.passes=2,,4", &a, &err), MN_ESCENARIO);
}

static void test_cohort_section_round_trip_and_errors(void **state)
{
    (void)state;
    const char *yaml = "mnsim: 1\n"
                       "cohort:\n"
                       "  size: 50\n"
                       "  age_years: {mean: 50, sd: 10, min: 30, max: 75}\n"
                       "  sex: {female: 0.8, male: 0.2}\n"
                       "  skin_type: {II: 1, IV: 3}\n"
                       "  photoaging: 3\n"
                       "  site: patient\n"
                       "  smoker: {false: 0.85, true: 0.15}\n";
    mn_scenario a, b;
    mn_error err;
    mn_scenario_default(&a);
    assert_int_equal(mn_scenario_load_string(&a, yaml, "c.yaml", &err), 0);
    assert_int_equal(a.cohort.age_years.kind, MN_DIST_NORMAL);
    assert_true(a.cohort.skin_type.w[3] == 3.0 && a.cohort.skin_type.w[1] == 1.0);
    assert_true(a.cohort.photoaging.w[2] == 1.0); /* grade 3 is index 2 */
    /* The resolved scenario written as YAML reads back to the same values. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(mn_scenario_write_yaml(&a, f), 0);
    fclose(f);
    mn_scenario_default(&b);
    assert_int_equal(mn_scenario_load_string(&b, text, "written", &err), 0);
    free(text);
    assert_memory_equal(&a.cohort, &b.cohort, sizeof a.cohort);
    /* Bad input names file:line:column and the field. */
    const char *bad[][2] = {
        {"mnsim: 1\ncohort:\n  skin_type: {VII: 1}\n", "c.yaml:3:15: cohort.skin_type.VII"},
        {"mnsim: 1\ncohort:\n  age_years: {min: 60, max: 40}\n", "c.yaml:3:14: cohort.age_years"},
        {"mnsim: 1\ncohort:\n  age_years: {mean: 50}\n", "needs both `mean` and `sd`"},
        {"mnsim: 1\ncohort:\n  sex: {female: 0}\n", "sum to 0"},
        {"mnsim: 1\ncohort:\n  size: 0\n", "cohort.size"},
        {"mnsim: 1\ncohort:\n  colour: blue\n", "cohort.colour: unknown key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        mn_scenario_default(&b);
        assert_int_equal(mn_scenario_load_string(&b, bad[i][0], "c.yaml", &err), MN_ESCENARIO);
        assert_true_msg(strstr(err.message, bad[i][1]) != NULL, "'%s' lacks '%s'", err.message,
                        bad[i][1]);
    }
}

/* The optimiser recommends what a clinic can schedule, within the site's skin, scored on the
 * same day for every plan and leaving the asked follow-up after the last session. */
static void test_optimizer_schedulable_plans(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_params p;
    mn_error err;
    small_scenario(&sc);
    mn_params_default(&p);
    sc.simulate.follow_up_weeks = 12;
    mn_optimize_spec spec;
    mn_optimize_spec_default(&spec);
    spec.patients = 2;
    spec.max_sessions = 3;
    spec.max_iterations = 3;
    mn_optimize_result res;
    assert_int_equal_msg(mn_optimize_protocol(&sc, &p, &spec, 0, &res, &err), MN_OK, err.message);
    const mn_scenario *b = &res.best;
    const double step = b->device.needle_length_mm / 0.25;
    assert_true_msg(fabs(step - round(step)) < 1e-9, "needle %g mm", b->device.needle_length_mm);
    assert_true_msg(fabs(b->treatment.interval_weeks - round(b->treatment.interval_weeks)) < 1e-9,
                    "interval %g weeks", b->treatment.interval_weeks);
    assert_true(b->device.needle_length_mm <= res.site_needle_max_mm + 1e-9);
    /* Same day: the recommended plan ends when the scenario's does. */
    assert_close(mn_scenario_end_hour(b), mn_scenario_end_hour(&sc), 1e-6);
    const double last = mn_scenario_session_hour(b, b->treatment.session_count - 1) / 168.0;
    if (res.found)
        assert_true_msg(mn_scenario_end_hour(b) / 168.0 - last >= 12.0 - 1e-9,
                        "only %g weeks after the last session",
                        mn_scenario_end_hour(b) / 168.0 - last);
    /* The site's limit follows its skin: a thin periorbital dermis allows less than a cheek. */
    double eye, cheek;
    sc.patient.site = MN_SITE_PERIORBITAL;
    assert_int_equal(mn_optimize_site_needle_max(&sc, &p, &eye, &err), MN_OK);
    sc.patient.site = MN_SITE_CHEEK;
    assert_int_equal(mn_optimize_site_needle_max(&sc, &p, &cheek, &err), MN_OK);
    assert_true_msg(eye < cheek, "periorbital %g mm, cheek %g mm", eye, cheek);
    assert_true(eye > 0.25 && cheek < 2.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draws_follow_distributions),
        cmocka_unit_test(test_streams_are_order_independent),
        cmocka_unit_test(test_parameter_uncertainty),
        cmocka_unit_test(test_downtime_and_responder),
        cmocka_unit_test(test_downtime_from_steps_matches_sampled_course),
        cmocka_unit_test(test_threads_and_resume_give_same_records),
        cmocka_unit_test(test_identical_patients_have_no_band),
        cmocka_unit_test(test_protocol_score_laws),
        cmocka_unit_test(test_optimizer_schedulable_plans),
        cmocka_unit_test(test_sweep_axis_parse),
        cmocka_unit_test(test_cohort_section_round_trip_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
