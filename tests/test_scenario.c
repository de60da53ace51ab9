#define _POSIX_C_SOURCE 200809L
/* Scenario parsing: defaults, the schema of DESIGN §3, --set, and bad input with
 * file:line:column messages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/scenario.h"
#include "testutil.h"

static void test_default_is_valid(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_error err;
    mn_scenario_default(&sc);
    assert_int_equal(mn_scenario_validate(&sc, &err), MN_OK);
    assert_int_equal(sc.treatment.session_count, 3);
    assert_true(sc.treatment.adjuncts & MN_ADJUNCT_PRP);
    assert_int_equal(sc.patient.site, MN_SITE_PERIORBITAL);
    assert_close(mn_scenario_session_hour(&sc, 2), 2 * 4 * 7 * 24.0, 1e-12);
    assert_close(mn_scenario_end_hour(&sc), (8 + 26) * 7 * 24.0, 1e-12);
}

/* The full example of DESIGN §3 parses, with the session list form. */
static void test_design_example(void **state)
{
    (void)state;
    const char *yaml =
        "mnsim: 1\n"
        "patient:   {age_years: 60, sex: male, skin_type: IV, photoaging: 3, site: forehead, "
        "smoker: true}\n"
        "device:    {kind: roller, needles: 192, needle_length_mm: 1.0, needle_diameter_mm: "
        "0.25,\n            drum_diameter_mm: 20, drum_width_mm: 20, passes: 8}\n"
        "treatment:\n"
        "  sessions: [{week: 0, needle_length_mm: 1.0}, {week: 4, passes: 6}, {week: 10.5}]\n"
        "  interval_weeks: 4\n"
        "  anesthetic: none\n"
        "  adjuncts: [prp, vitamin_c]\n"
        "aftercare: {uv_index: 6, sun_hours_per_day: 2.0, sunscreen_spf: 50, "
        "sunscreen_adherence: 0.5, retinoid: true}\n"
        "simulate:  {follow_up_weeks: 12, model: column, resolution_um: 10, patch_mm: 2.0, "
        "seed: 7}\n"
        "output:    {dir: out-x, images: false, every_days: 2}\n";
    mn_scenario sc;
    mn_error err;
    mn_scenario_default(&sc);
    int rc = mn_scenario_load_string(&sc, yaml, "example.yaml", &err);
    assert_int_equal_msg(rc, MN_OK, err.message);
    assert_int_equal(sc.patient.sex, MN_SEX_MALE);
    assert_int_equal(sc.patient.skin_type, 4);
    assert_true(sc.patient.smoker);
    assert_int_equal(sc.device.kind, MN_DEVICE_ROLLER);
    assert_int_equal(sc.treatment.session_count, 3);
    assert_true(sc.treatment.sessions_listed);
    assert_close(mn_scenario_session_hour(&sc, 2), 10.5 * 168.0, 1e-12);
    assert_close(mn_scenario_session_needle_mm(&sc, 1), 1.0, 1e-12);
    assert_int_equal(mn_scenario_session_passes(&sc, 1), 6);
    assert_int_equal(mn_scenario_session_passes(&sc, 2), 8);
    assert_int_equal(sc.treatment.adjuncts, MN_ADJUNCT_PRP | MN_ADJUNCT_VITAMIN_C);
    assert_string_equal(sc.output.dir, "out-x");
    assert_false(sc.output.images);
    assert_int_equal((int)sc.simulate.seed, 7);
}

static void test_yaml_round_trip(void **state)
{
    (void)state;
    mn_scenario a, b;
    mn_error err;
    mn_scenario_default(&a);
    assert_int_equal(
        mn_scenario_set(&a, "treatment.sessions=[{week: 0}, {week: 6, passes: 2}]", &err), MN_OK);
    assert_int_equal(mn_scenario_set(&a, "aftercare.sunscreen_adherence=0.35", &err), MN_OK);
    char buf[16384];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    assert_int_equal(mn_scenario_write_yaml(&a, f), MN_OK);
    fclose(f);
    mn_scenario_default(&b);
    int rc = mn_scenario_load_string(&b, buf, "roundtrip", &err);
    assert_int_equal_msg(rc, MN_OK, err.message);
    assert_true(b.treatment.sessions_listed);
    assert_int_equal(b.treatment.session_count, 2);
    assert_int_equal(b.treatment.sessions[1].passes, 2);
    assert_true(b.aftercare.sunscreen_adherence == 0.35);
    assert_true(b.patient.age_years == a.patient.age_years);
}

static void test_set_overrides(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_error err;
    mn_scenario_default(&sc);
    assert_int_equal(mn_scenario_set(&sc, "patient.age_years=61.5", &err), MN_OK);
    assert_true(sc.patient.age_years == 61.5);
    assert_int_equal(mn_scenario_set(&sc, "patient.skin_type=V", &err), MN_OK);
    assert_int_equal(sc.patient.skin_type, 5);
    assert_int_equal(mn_scenario_set(&sc, "treatment.adjuncts=[]", &err), MN_OK);
    assert_int_equal(sc.treatment.adjuncts, 0);
    /* A failed --set leaves the scenario untouched. */
    assert_int_equal(mn_scenario_set(&sc, "patient.age_years=500", &err), MN_ESCENARIO);
    assert_true(sc.patient.age_years == 61.5);
    assert_non_null(strstr(err.message, "patient.age_years"));
    assert_int_equal(mn_scenario_set(&sc, "patient.height=3", &err), MN_ESCENARIO);
    assert_non_null(strstr(err.message, "unknown key"));
    assert_int_equal(mn_scenario_set(&sc, "novalue", &err), MN_ESCENARIO);
}

typedef struct bad_case {
    const char *yaml;
    const char *where; /* expected "file:line:col" prefix */
    const char *field; /* expected field name in the message ("" = none) */
    const char *hint;  /* expected words of what is allowed */
} bad_case;

static const bad_case bad_cases[] = {
    {"mnsim: 1\npatient: {age_years: 230}\n", "bad.yaml:2:22", "patient.age_years", "18 to 100"},
    {"mnsim: 1\npatient:\n  age_years: .nan\n", "bad.yaml:3:14", "patient.age_years", "finite"},
    {"mnsim: 1\npatient:\n  age_years: .inf\n", "bad.yaml:3:14", "patient.age_years", "finite"},
    {"mnsim: 1\npatient:\n  age_years: fifty\n", "bad.yaml:3:14", "patient.age_years",
     "not a finite number"},
    {"mnsim: 1\npatient:\n  age_years: [1, 2]\n", "bad.yaml:3:14", "patient.age_years", "a list"},
    {"mnsim: 1\npatient:\n  height_cm: 170\n", "bad.yaml:3:3", "patient.height_cm", "unknown key"},
    {"mnsim: 1\npatiens: {}\n", "bad.yaml:2:1", "patiens", "unknown section"},
    {"mnsim: 1\npatient:\n  sex: other\n", "bad.yaml:3:8", "patient.sex", "female|male"},
    {"mnsim: 1\npatient:\n  skin_type: VII\n", "bad.yaml:3:14", "patient.skin_type", "I..VI"},
    {"mnsim: 1\npatient:\n  photoaging: 2.5\n", "bad.yaml:3:15", "patient.photoaging",
     "whole number"},
    {"mnsim: 1\npatient:\n  site: nose\n", "bad.yaml:3:9", "patient.site", "periorbital"},
    {"mnsim: 1\npatient:\n  smoker: maybe\n", "bad.yaml:3:11", "patient.smoker", "true or false"},
    {"mnsim: 1\ndevice:\n  kind: laser\n", "bad.yaml:3:9", "device.kind", "pen|roller|stamp"},
    {"mnsim: 1\ndevice:\n  needle_length_mm: -1\n", "bad.yaml:3:21", "device.needle_length_mm",
     "0.1 to 3"},
    {"mnsim: 1\ndevice:\n  needle_length_mm: 0x10\n", "bad.yaml:3:21", "device.needle_length_mm",
     "finite"},
    {"mnsim: 1\ntreatment:\n  sessions: 0\n", "bad.yaml:3:13", "treatment.sessions", "1 to 64"},
    {"mnsim: 1\ntreatment:\n  sessions: [{week: 0}, {week: 8}, {week: 4}]\n", "bad.yaml:3:36",
     "treatment.sessions[2].week", "time order"},
    {"mnsim: 1\ntreatment:\n  sessions: [{week: 2}]\n", "bad.yaml:3:14",
     "treatment.sessions[0].week", "must be 0"},
    {"mnsim: 1\ntreatment:\n  sessions: [{week: 0, depth: 1}]\n", "bad.yaml:3:24",
     "treatment.sessions[0].depth", "unknown key"},
    {"mnsim: 1\ntreatment:\n  sessions: [{needle_length_mm: 1}]\n", "bad.yaml:3:14",
     "treatment.sessions[0]", "missing `week`"},
    {"mnsim: 1\ntreatment:\n  adjuncts: [prp, botox]\n", "bad.yaml:3:19", "treatment.adjuncts",
     "hyaluronic_acid"},
    {"mnsim: 1\ntreatment:\n  adjuncts: [prp, prp]\n", "bad.yaml:3:19", "treatment.adjuncts",
     "twice"},
    {"mnsim: 1\naftercare:\n  sunscreen_adherence: 1.2\n", "bad.yaml:3:24",
     "aftercare.sunscreen_adherence", "0 to 1"},
    {"mnsim: 1\nsimulate:\n  model: 2d\n", "bad.yaml:3:10", "simulate.model", "column|3d"},
    {"mnsim: 1\nsimulate:\n  seed: -4\n", "bad.yaml:3:9", "simulate.seed", "out of range"},
    {"mnsim: 1\noutput:\n  every_days: 0\n", "bad.yaml:3:15", "output.every_days", "out of range"},
    {"mnsim: 2\n", "bad.yaml:1:8", "mnsim", "reads `mnsim: 1`"},
    {"patient: {age_years: 50}\n", "bad.yaml:1:1", "mnsim", "mnsim: 1"},
    {"mnsim: 1\npatient: {age_years: 50\n", "bad.yaml:", "", "broken YAML"},
    {"mnsim: 1\npatient:\n  age_years: 50\n  age_years: 51\n", "bad.yaml:4:3", "patient.age_years",
     "given twice"},
    {"- a\n- b\n", "bad.yaml:1:1", "", "mapping at the top level"},
    {"", "bad.yaml:1:1", "", "empty scenario"},
    {"mnsim: 1\n---\nmnsim: 1\n", "bad.yaml:", "", "second YAML document"},
    {"mnsim: 1\npatient:\n\tage_years: 50\n", "bad.yaml:3:1", "", "tabs are not allowed"},
    {"mnsim: 1\npatient:\n  age_years: 52,5\n", "bad.yaml:3:14", "patient.age_years",
     "use a decimal point: 52.5"},
    {"mnsim: 1\ntreatment:\n  sessions: [{week: 0, week: 1}]\n", "bad.yaml:3:24",
     "treatment.sessions[0].week", "given twice"},
    {"mnsim: 1\nmnsim: 1\n", "bad.yaml:2:1", "mnsim", "given twice (first on line 1)"},
    {"mnsim: 1\ncohort:\n  skin_type: {ii: 1, II: 2}\n", "bad.yaml:3:22", "cohort.skin_type.II",
     "given twice"},
};

static void test_bad_input_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; ++i) {
        const bad_case *c = &bad_cases[i];
        mn_scenario sc, before;
        mn_error err;
        mn_scenario_default(&sc);
        before = sc;
        int rc = mn_scenario_load_string(&sc, c->yaml, "bad.yaml", &err);
        assert_true_msg(rc == MN_ESCENARIO, "case %zu: expected MN_ESCENARIO, got %d (%s)", i, rc,
                        err.message);
        assert_true_msg(strncmp(err.message, c->where, strlen(c->where)) == 0,
                        "case %zu: message '%s' does not start with '%s'", i, err.message,
                        c->where);
        assert_true_msg(strstr(err.message, c->field) != NULL,
                        "case %zu: message '%s' does not name '%s'", i, err.message, c->field);
        assert_true_msg(strstr(err.message, c->hint) != NULL,
                        "case %zu: message '%s' does not say '%s'", i, err.message, c->hint);
        assert_true_msg(memcmp(&sc, &before, sizeof sc) == 0,
                        "case %zu: a failed load changed the scenario", i);
    }
}

static void test_missing_file_and_directory(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_error err;
    mn_scenario_default(&sc);
    assert_int_equal(mn_scenario_load_file(&sc, "/nonexistent/dir/x.yaml", &err), MN_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/dir/x.yaml"));
    assert_int_not_equal(mn_scenario_load_file(&sc, "/tmp", &err), MN_OK);
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    mn_test_write(path, sizeof path, dir, "bin.yaml", "mnsim: 1\n");
    FILE *f = fopen(path, "ab");
    fputc('\0', f);
    fclose(f);
    assert_int_equal(mn_scenario_load_file(&sc, path, &err), MN_ESCENARIO);
    assert_non_null(strstr(err.message, "binary"));
    mn_test_rmtree(dir);
}

static void test_reference_lists_every_field(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_int_equal(mn_scenario_write_reference(f), MN_OK);
    fclose(f);
    const char *fields[] = {"`age_years`",           "`needle_length_mm`", "`sessions`",
                            "`sunscreen_adherence`", "`follow_up_weeks`",  "`every_days`"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i)
        assert_non_null(strstr(buf, fields[i]));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_is_valid),
        cmocka_unit_test(test_design_example),
        cmocka_unit_test(test_yaml_round_trip),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_bad_input_messages),
        cmocka_unit_test(test_missing_file_and_directory),
        cmocka_unit_test(test_reference_lists_every_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
