#define _POSIX_C_SOURCE 200809L
/* Scenario parsing: defaults, the schema of docs/scenario.md, --set, and bad input with
 * file:line:column messages. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/scenario.h"
#include "mnsim/yaml.h"
#include "scenario/scenario_fields.h"
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

/* The full example of the schema (docs/scenario.md) parses, with the session list form. */
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
    assert_non_null(strstr(err.message, "unknown field"));
    /* A typo gets the nearest field, not the list of all 48. */
    assert_int_equal(mn_scenario_set(&sc, "patient.agee_years=3", &err), MN_ESCENARIO);
    assert_string_equal(
        err.message, "--set: patient.agee_years: unknown field; did you mean patient.age_years?");
    assert_int_equal(mn_scenario_set(&sc, "devcie.passes=3", &err), MN_ESCENARIO);
    assert_string_equal(err.message,
                        "--set: devcie.passes: unknown field; did you mean device.passes?");
    const char *near[3];
    assert_int_equal(mn__field_nearest("patient.sexx", near, 3), 1);
    assert_string_equal(near[0], "patient.sex");
    assert_int_equal(mn__field_nearest("frobnicate", near, 3), 0);
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

/* ---- property: any valid scenario written as YAML reads back equal, field by field ---- */

static uint64_t rng_state;

static uint64_t next_u64(void) /* splitmix64: seeded, the same sequence on every machine */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double uniform(void) /* [0, 1) */
{
    return (double)(next_u64() >> 11) * 0x1.0p-53;
}

static int below(int n)
{
    return (int)(next_u64() % (uint64_t)n);
}

/* A value in [lo, hi]: often an end or a short decimal, else any double between. */
static double draw(double lo, double hi)
{
    switch (below(4)) {
    case 0:
        return below(2) ? lo : hi;
    case 1: {
        double v = round((lo + (hi - lo) * uniform()) * 100) / 100;
        return v < lo ? lo : v > hi ? hi : v;
    }
    default:
        return lo + (hi - lo) * uniform();
    }
}

/* Text that a YAML writer must quote and escape: quotes, backslashes, `: `, `#`, flow and
 * anchor characters, line breaks, tabs, controls, words YAML reads as null or bool, and UTF-8
 * from two to four bytes, including the line separators that would fold. */
static void random_text(char *buf, size_t size)
{
    static const char *const pieces[] = {
        "out", "dir/", "\"",     "\\",      ": ",      "#",        " # x",   "'",    "\n",
        "\t",  "\r",   " ",      "~",       "null",    "true",     "- ",     "[",    "]{",
        "&a",  "*a",   "!tag",   "%",       "@",       "`",        ",",      "?",    "|",
        ">",   "é",    "日本語", "😀",       "\u2028",  "\xc2\x85", "\uFEFF", "\x01", "\x7f",
        "\\n", "...",  "---",    "C:\\dir", "a\"b\\c",
    };
    const int count = (int)(sizeof pieces / sizeof pieces[0]);
    size_t used = 0;
    int n = 1 + below(8);
    buf[0] = '\0';
    for (int i = 0; i < n; ++i) {
        const char *p = pieces[below(count)];
        size_t len = strlen(p);
        if (used + len >= size)
            break;
        memcpy(buf + used, p, len + 1);
        used += len;
    }
}

static int name_count(const mn__field *f)
{
    int n = 0;
    while (f->names[n])
        ++n;
    return n;
}

static void random_field(const mn__field *f, mn_scenario *sc)
{
    char *base = (char *)sc + f->offset;
    switch (f->type) {
    case MN__F_DOUBLE:
        *(double *)base = draw(f->min, f->max);
        break;
    case MN__F_INT:
    case MN__F_SKIN:
    case MN__F_ENUM: /* min and max bound the index (and skin type) as validate wants */
        *(int *)base = (int)f->min + below((int)(f->max - f->min) + 1);
        break;
    case MN__F_BOOL:
        *(bool *)base = below(2);
        break;
    case MN__F_ADJUNCTS:
        *(unsigned *)base = (unsigned)below(1 << name_count(f));
        break;
    case MN__F_STRING:
        random_text(base, 200);
        break;
    case MN__F_SEED:
        *(unsigned long *)base =
            below(8) ? (unsigned long)(next_u64() >> 11) : (unsigned long)9007199254740992.0;
        break;
    case MN__F_SESSIONS: {
        mn_treatment_spec *t = (mn_treatment_spec *)base;
        memset(t->sessions, 0, sizeof t->sessions);
        t->session_count = 1 + below(MN_MAX_SESSIONS);
        t->sessions_listed = below(2);
        if (!t->sessions_listed)
            break;
        for (int i = 0; i < t->session_count; ++i) {
            mn_session *s = &t->sessions[i];
            s->week = i ? t->sessions[i - 1].week + draw(0.01, 520.0 / MN_MAX_SESSIONS) : 0;
            s->needle_length_mm = below(2) ? 0 : draw(0.1, 3.0);
            s->passes = below(2) ? 0 : 1 + below(50);
        }
        break;
    }
    case MN__F_DIST: {
        mn_dist *d = (mn_dist *)base;
        double a = draw(f->min, f->max), b = draw(f->min, f->max);
        double lo = fmin(a, b), hi = fmax(a, b);
        switch (below(4)) {
        case 0:
            *d = (mn_dist){.kind = MN_DIST_PATIENT};
            break;
        case 1:
            *d = (mn_dist){.kind = MN_DIST_FIXED, .mean = a, .min = a, .max = a};
            break;
        case 2:
            *d = (mn_dist){.kind = MN_DIST_UNIFORM, .mean = 0.5 * (lo + hi), .min = lo, .max = hi};
            break;
        default:
            *d = (mn_dist){.kind = MN_DIST_NORMAL,
                           .mean = draw(lo, hi),
                           .sd = draw(0, f->max - f->min),
                           .min = lo,
                           .max = hi};
        }
        break;
    }
    case MN__F_WEIGHTS: {
        mn_weights *w = (mn_weights *)base;
        memset(w, 0, sizeof *w);
        if (below(3))
            for (int i = 0; i < name_count(f); ++i)
                w->w[i] = below(2) ? 0 : draw(1e-3, 1e9);
        break;
    }
    }
}

/* Field by field through the table; fails naming the field and showing the YAML. */
static void assert_same_fields(const mn_scenario *a, const mn_scenario *b, const char *yaml)
{
    for (size_t i = 0; i < mn__scenario_field_count; ++i) {
        const mn__field *f = &mn__scenario_fields[i];
        const char *x = (const char *)a + f->offset, *y = (const char *)b + f->offset;
        int same;
        switch (f->type) {
        case MN__F_DOUBLE:
            same = *(const double *)x == *(const double *)y;
            break;
        case MN__F_INT:
        case MN__F_SKIN:
        case MN__F_ENUM:
            same = *(const int *)x == *(const int *)y;
            break;
        case MN__F_BOOL:
            same = *(const bool *)x == *(const bool *)y;
            break;
        case MN__F_ADJUNCTS:
            same = *(const unsigned *)x == *(const unsigned *)y;
            break;
        case MN__F_STRING:
            same = strcmp(x, y) == 0;
            break;
        case MN__F_SEED:
            same = *(const unsigned long *)x == *(const unsigned long *)y;
            break;
        case MN__F_SESSIONS: {
            const mn_treatment_spec *s = (const mn_treatment_spec *)x,
                                    *t = (const mn_treatment_spec *)y;
            same = s->session_count == t->session_count && s->sessions_listed == t->sessions_listed;
            for (int k = 0; same && s->sessions_listed && k < s->session_count; ++k)
                same = s->sessions[k].week == t->sessions[k].week &&
                       s->sessions[k].needle_length_mm == t->sessions[k].needle_length_mm &&
                       s->sessions[k].passes == t->sessions[k].passes;
            break;
        }
        case MN__F_DIST: {
            const mn_dist *d = (const mn_dist *)x, *e = (const mn_dist *)y;
            same = d->kind == e->kind && d->mean == e->mean && d->sd == e->sd && d->min == e->min &&
                   d->max == e->max;
            break;
        }
        case MN__F_WEIGHTS:
            same = memcmp(x, y, sizeof(mn_weights)) == 0;
            break;
        default:
            same = 0;
        }
        assert_true_msg(same, "%s differs after the round trip through:\n%s", f->path, yaml);
    }
}

static void test_yaml_round_trip_property(void **state)
{
    (void)state;
    rng_state = 20240613;
    for (int run = 0; run < 400; ++run) {
        mn_scenario a, b;
        mn_error err;
        mn_scenario_default(&a);
        for (size_t i = 0; i < mn__scenario_field_count; ++i)
            random_field(&mn__scenario_fields[i], &a);
        assert_int_equal_msg(mn_scenario_validate(&a, &err), MN_OK, err.message);
        char *yaml = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&yaml, &size);
        assert_non_null(f);
        assert_int_equal(mn_scenario_write_yaml(&a, f), MN_OK);
        fclose(f);
        mn_scenario_default(&b);
        int rc = mn_scenario_load_string(&b, yaml, "roundtrip.yaml", &err);
        assert_true_msg(rc == MN_OK, "run %d: %s\n%s", run, err.message, yaml);
        assert_same_fields(&a, &b, yaml);
        free(yaml);
    }
}

/* Quoting on its own: every piece above alone, an empty string, a cut buffer, and bytes that
 * are not UTF-8 (written visibly, as \xHH). */
static void test_yaml_quote(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(mn_yaml_quote(buf, sizeof buf, ""), 2);
    assert_string_equal(buf, "\"\"");
    assert_int_equal(mn_yaml_quote(buf, sizeof buf, "a\"b\\c: d\n"), 14);
    assert_string_equal(buf, "\"a\\\"b\\\\c: d\\n\"");
    mn_yaml_quote(buf, sizeof buf, "\t\r\x01\x7f\xc2\x85\u2028\uFEFF é😀");
    assert_string_equal(buf, "\"\\t\\r\\x01\\x7F\\x85\\u2028\\uFEFF é😀\"");
    assert_int_equal(mn_yaml_quote(buf, 4, "abcdef"), 8); /* cut, but says what it needs */
    assert_string_equal(buf, "\"ab");
    mn_yaml_quote(buf, sizeof buf, "a\xff\xc3(\xed\xa0\x80");
    assert_string_equal(buf, "\"a\\xFF\\xC3(\\xED\\xA0\\x80\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_is_valid),
        cmocka_unit_test(test_design_example),
        cmocka_unit_test(test_yaml_round_trip),
        cmocka_unit_test(test_yaml_round_trip_property),
        cmocka_unit_test(test_yaml_quote),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_bad_input_messages),
        cmocka_unit_test(test_missing_file_and_directory),
        cmocka_unit_test(test_reference_lists_every_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
