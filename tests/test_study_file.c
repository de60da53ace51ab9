/* Study files: the shipped studies load, bad input is refused with file:line:column, the pass
 * and residual rules give the documented answers, and the Lemperle grade map is linear. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mnsim/mechanics.h"
#include "mnsim/study.h"
#include "testutil.h"

static void test_shipped_studies_load(void **state)
{
    (void)state;
    mn_study_set *set = NULL;
    mn_error err;
    assert_int_equal(mn_study_set_create(&set, &err), MN_OK);
    int rc = mn_study_set_add_dir(set, MNSIM_SOURCE_DIR "/data/studies", &err);
    assert_int_equal_msg(rc, MN_OK, err.message);
    assert_true(mn_study_set_count(set) >= 10);
    int calibrate = 0, holdout = 0;
    for (int s = 0; s < mn_study_set_count(set); ++s) {
        const mn_study *st = mn_study_set_get(set, s);
        assert_true_msg(st->citation[0] != '\0', "%s has no citation", st->name);
        for (int k = 0; k < st->endpoint_count; ++k) {
            const mn_endpoint *ep = &st->endpoints[k];
            assert_true_msg(ep->source[0] != '\0', "%s has no source", ep->id);
            assert_true_msg(ep->evidence[0] != '\0', "%s has no evidence level", ep->id);
            calibrate += ep->role == MN_ROLE_CALIBRATE;
            holdout += ep->role == MN_ROLE_HOLDOUT;
            const mn_study *found = NULL;
            assert_ptr_equal(mn_study_set_find(set, ep->id, &found), ep);
            assert_ptr_equal(found, st);
        }
    }
    /* The issue asks for rows kept out of the fit. */
    assert_true(calibrate > 0 && holdout > 0);
    mn_study_set_free(&set);
    assert_null(set);
    mn_study_set_free(&set); /* safe on NULL */
}

static const char *good_study = "study: tiny\n"
                                "title: t\n"
                                "citation: c\n"
                                "scenario:\n"
                                "  mnsim: 1\n"
                                "  treatment: {sessions: 1}\n"
                                "  simulate: {follow_up_weeks: 1}\n"
                                "arms:\n"
                                "  old: [\"patient.age_years=80\"]\n"
                                "endpoints:\n"
                                "  - id: e1\n"
                                "    observable: tewl_rel\n"
                                "    measure: peak_day\n"
                                "    low: 0\n"
                                "    high: 1\n"
                                "    role: calibrate\n"
                                "    evidence: x\n"
                                "    source: y\n";

/* Loads `text` (good_study with one line replaced) and expects `pattern` in the message. */
static void expect_bad(const char *dir, const char *from, const char *to, const char *pattern)
{
    char text[4096], path[512];
    const char *at = strstr(good_study, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good_study), good_study, to,
             at + strlen(from));
    mn_test_write(path, sizeof path, dir, "bad.yaml", text);
    mn_study_set *set = NULL;
    mn_error err;
    mn_error_clear(&err);
    assert_int_equal(mn_study_set_create(&set, &err), MN_OK);
    int rc = mn_study_set_add_file(set, path, &err);
    assert_int_equal_msg(rc, MN_ESCENARIO, to);
    assert_true_msg(strstr(err.message, pattern) != NULL, "'%s' not in '%s'", pattern, err.message);
    assert_int_equal(mn_study_set_count(set), 0);
    mn_study_set_free(&set);
}

static void test_bad_study_files(void **state)
{
    (void)state;
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    /* The good one loads, with its arm. */
    mn_test_write(path, sizeof path, dir, "good.yaml", good_study);
    mn_study_set *set = NULL;
    mn_error err;
    assert_int_equal(mn_study_set_create(&set, &err), MN_OK);
    assert_int_equal_msg(mn_study_set_add_file(set, path, &err), MN_OK, err.message);
    const mn_study *st = mn_study_set_get(set, 0);
    assert_int_equal(st->arm_count, 2);
    assert_true(st->arms[1].scenario.patient.age_years == 80);
    assert_true(st->arms[0].scenario.patient.age_years != 80);
    /* Twice: the study name and ids must be unique in a set. */
    assert_int_equal(mn_study_set_add_file(set, path, &err), MN_ESCENARIO);
    assert_non_null(strstr(err.message, "also in"));
    mn_study_set_free(&set);

    /* A scenario error points at the study file's own line and column. */
    expect_bad(dir, "  simulate: {follow_up_weeks: 1}\n", "  simulate: {follow_up_weeks: -3}\n",
               "bad.yaml:7:");
    expect_bad(dir, "    role: calibrate\n", "    role: sometimes\n", "role: 'sometimes'");
    expect_bad(dir, "    role: calibrate\n", "", "role: missing");
    expect_bad(dir, "    observable: tewl_rel\n", "    observable: shine\n",
               "bad.yaml:12:17: e1: observable: 'shine'");
    expect_bad(dir, "    low: 0\n", "    low: 2\n", "low 2 is above high 1");
    expect_bad(dir, "    low: 0\n", "", "give both low and high");
    expect_bad(dir, "    measure: peak_day\n", "    measure: change\n", "day: missing");
    expect_bad(dir, "    measure: peak_day\n", "    measure: peak_day\n    arm: young\n",
               "arm: 'young'");
    expect_bad(dir, "    evidence: x\n", "    evidence: x\n    colour: red\n",
               "unknown endpoint key");
    expect_bad(dir, "  old: [\"patient.age_years=80\"]\n", "  old: [\"patient.age_years=800\"]\n",
               "bad.yaml:9:");
    expect_bad(dir, "title: t\n", "title: t\nauthor: me\n", "author: unknown key");
    expect_bad(dir, "    high: 1\n", "    high: nan\n", "not a finite number");
    expect_bad(dir, "study: tiny\n", "", "study: missing");
    /* Endpoint days outside the simulated course (1 session + 1 week: days 0 to 7) are bad
     * input naming the day and the arm, not a NaN that reads as a miss of the model. */
    expect_bad(dir, "    measure: peak_day\n", "    measure: value\n    day: 30\n",
               "bad.yaml:14:10: e1: day: 30 is after the end of the simulated course of arm base "
               "(day 7: the last session plus simulate.follow_up_weeks)");
    expect_bad(dir, "    measure: peak_day\n", "    measure: peak_day\n    from_day: -2\n",
               "bad.yaml:14:15: e1: from_day: -2 is before the first session (day 0)");
    expect_bad(dir, "    measure: peak_day\n",
               "    measure: value\n    day: 7\n    arm: old\n    versus: base\n    day: 8\n",
               "bad.yaml:17:5: endpoints[0].day: given twice (first on line 14)");
    expect_bad(dir, "    source: y\n", "    source: y\n---\nstudy: other\n",
               "bad.yaml:19:1: a second YAML document");
    expect_bad(dir, "  old: [\"patient.age_years=80\"]\n",
               "  old: [\"patient.age_years=80\"]\n  old: []\n",
               "bad.yaml:10:3: arms.old: given twice (first on line 9)");
    expect_bad(dir, "    low: 0\n", "    low: 0,5\n",
               "bad.yaml:14:10: low: '0,5' is not a number; use a decimal point: 0.5");
    mn_test_rmtree(dir);
}

static void test_pass_and_residual_rules(void **state)
{
    (void)state;
    mn_endpoint band = {.has_band = 3, .has_value = 1, .value = 2.0, .low = 1.0, .high = 4.0};
    assert_true(mn_endpoint_passes(&band, 1.0) && mn_endpoint_passes(&band, 4.0));
    assert_false(mn_endpoint_passes(&band, 0.99) || mn_endpoint_passes(&band, NAN));
    /* Residual: 0 at the published value, ±1 at the band's edges on either side. */
    assert_close(mn_endpoint_residual(&band, 2.0) + 1.0, 1.0, 1e-12);
    assert_close(mn_endpoint_residual(&band, 4.0), 1.0, 1e-12);
    assert_close(mn_endpoint_residual(&band, 1.0), -1.0, 1e-12);
    assert_close(mn_endpoint_residual(&band, 7.0), 2.5, 1e-12); /* (7 − 2) / (4 − 2) */
    mn_endpoint down = {.direction = -1};
    assert_true(mn_endpoint_passes(&down, -0.1));
    assert_false(mn_endpoint_passes(&down, 0.0) || mn_endpoint_passes(&down, 0.5));
    assert_true(mn_endpoint_residual(&down, -3.0) == 0.0);
    assert_true(mn_endpoint_residual(&down, 0.5) > 1.0);
    assert_true(mn_endpoint_residual(&down, NAN) >= 100.0);
}

static void test_lemperle_grade_is_linear_in_depth(void **state)
{
    (void)state;
    mn_params p;
    mn_params_default(&p);
    const double s = p.wrinkle_grade_scale_um;
    assert_close(mn_mechanics_wrinkle_grade(&p, s), 1.0, 1e-12);
    assert_close(mn_mechanics_wrinkle_grade(&p, 2.5 * s), 2.5, 1e-12);
    /* Equal depth steps give equal grade steps (Lemperle 2001: grade ~ depth, r = 0.87). */
    assert_close(mn_mechanics_wrinkle_grade(&p, 3 * s) - mn_mechanics_wrinkle_grade(&p, 2 * s),
                 mn_mechanics_wrinkle_grade(&p, 2 * s) - mn_mechanics_wrinkle_grade(&p, s), 1e-12);
    assert_true(mn_mechanics_wrinkle_grade(&p, 0.0) == 0.0 && mn_mechanics_wrinkle_grade(&p, -5.0) == 0.0);
    /* Continued linearly past the photographic scale (5) so change stays visible. */
    assert_close(mn_mechanics_wrinkle_grade(&p, 7 * s), 7.0, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_studies_load),
        cmocka_unit_test(test_bad_study_files),
        cmocka_unit_test(test_pass_and_residual_rules),
        cmocka_unit_test(test_lemperle_grade_is_linear_in_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
