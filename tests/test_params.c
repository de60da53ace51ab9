/* The parameter table: every entry is complete and consistent (unit, source, a literature range
 * that holds the default), mn_params_default matches it, and `mnsim params` output loads back
 * as the same doubles (values written as the shortest decimal that reads back). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/params.h"
#include "testutil.h"

/* Parameters whose default lies outside [low, high], each with the reason. None today: the
 * calibrated values were fitted inside their ranges and the appended constants' ranges were
 * chosen around them. An entry here must say why (e.g. a fit that ended at a documented bound
 * the literature has since moved). */
static const char *const outside_range[][2] = {{NULL, NULL}};

static const char *outside_reason(const char *name)
{
    for (size_t i = 0; outside_range[i][0]; ++i)
        if (!strcmp(outside_range[i][0], name))
            return outside_range[i][1];
    return NULL;
}

static void test_table_is_complete(void **state)
{
    (void)state;
    const size_t n = mn_params_count();
    assert_true(n > 0);
    /* Every field of mn_params is a table entry (the struct is the X-macro's doubles). */
    assert_int_equal(n * sizeof(double), sizeof(mn_params));
    assert_null(mn_params_info(n));
    mn_params p;
    memset(&p, 0xff, sizeof p); /* NaNs: every field must be overwritten */
    mn_params_default(&p);
    unsigned char *seen = calloc(n, 1);
    assert_non_null(seen);
    for (size_t i = 0; i < n; ++i) {
        const mn_param_info *info = mn_params_info(i);
        assert_non_null(info);
        assert_true_msg(info->name && info->name[0], "parameter %zu has no name", i);
        assert_true_msg(info->unit && info->unit[0], "%s has no unit", info->name);
        assert_true_msg(info->source && info->source[0], "%s has no source", info->name);
        assert_true_msg(isfinite(info->default_value) && isfinite(info->low) &&
                            isfinite(info->high),
                        "%s: default or range not finite", info->name);
        assert_true_msg(info->low <= info->high, "%s: range %g to %g is reversed", info->name,
                        info->low, info->high);
        /* run --params accepts only values >= 0, so `mnsim params` must print none below. */
        assert_true_msg(info->default_value >= 0 && info->low >= 0, "%s: negative", info->name);
        const char *why = outside_reason(info->name);
        assert_true_msg((info->low <= info->default_value && info->default_value <= info->high) ||
                            why,
                        "%s: default %g outside its range %g to %g (add it to outside_range "
                        "with the reason if that is intended)",
                        info->name, info->default_value, info->low, info->high);
        /* Names are unique and found; offsets are distinct fields. */
        assert_ptr_equal(mn_params_find(info->name), info);
        assert_true(info->offset % sizeof(double) == 0 && info->offset < sizeof(mn_params));
        size_t field = info->offset / sizeof(double);
        assert_false(seen[field]);
        seen[field] = 1;
        /* mn_params_default gives the table's value, bit for bit. */
        const double *v = mn_params_ref(&p, info);
        assert_non_null(v);
        assert_memory_equal(v, &info->default_value, sizeof(double));
    }
    free(seen);
    assert_null(mn_params_find("no_such_parameter"));
    assert_null(mn_params_find(NULL));
}

static void check_format(double v, const char *expected)
{
    char buf[32];
    assert_int_equal(mn_params_format(v, buf, sizeof buf), MN_OK);
    assert_true_msg(strtod(buf, NULL) == v, "%s does not read back as %.17g", buf, v);
    if (expected)
        assert_string_equal(buf, expected);
}

static void test_format_is_shortest(void **state)
{
    (void)state;
    check_format(0.0347, "0.0347");
    check_format(0.1 + 0.2, "0.30000000000000004");
    check_format(0.0, "0");
    check_format(3.0, "3");
    check_format(360000.0, "360000");
    check_format(1.018e-4, "0.0001018");
    check_format(1e-5, "1e-05");
    check_format(2.5e20, "2.5e+20");
    check_format(-0.025, "-0.025");
    check_format(nextafter(0.0347, 1.0), "0.03470000000000001");
    check_format(DBL_MAX, NULL);
    check_format(DBL_MIN, NULL);
    check_format(5e-324, NULL); /* subnormal */
    char tiny[4];
    assert_int_equal(mn_params_format(0.0347, tiny, sizeof tiny), MN_ERANGE);
    assert_int_equal(mn_params_format(1.0, NULL, 8), MN_EINVAL);
}

/* Writes p with mn_params_write_yaml, loads the file into a table of other values and checks
 * that every double came back bit for bit. */
static void roundtrip(const mn_params *p, const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/params.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(mn_params_write_yaml(p, f), MN_OK);
    assert_int_equal(fclose(f), 0);
    mn_params back;
    for (size_t i = 0; i < mn_params_count(); ++i)
        *mn_params_ref(&back, mn_params_info(i)) = 12345.0; /* not any parameter's value */
    mn_error err;
    mn_error_clear(&err);
    assert_int_equal_msg(mn_params_load_file(&back, path, &err), MN_OK, err.message);
    for (size_t i = 0; i < mn_params_count(); ++i) {
        const mn_param_info *info = mn_params_info(i);
        double a = mn_params_value(p, info), b = mn_params_value(&back, info);
        assert_true_msg(memcmp(&a, &b, sizeof a) == 0, "%s: wrote %.17g, read %.17g", info->name, a,
                        b);
    }
}

static void test_yaml_reads_back(void **state)
{
    (void)state;
    char dir[256];
    mn_test_tmpdir(dir, sizeof dir);
    mn_params p;
    mn_params_default(&p);
    roundtrip(&p, dir);
    /* Values that need all 17 digits: the defaults one ulp up. */
    for (size_t i = 0; i < mn_params_count(); ++i) {
        double *v = mn_params_ref(&p, mn_params_info(i));
        *v = nextafter(*v, INFINITY);
    }
    roundtrip(&p, dir);
    /* Random positive doubles over 40 decades. */
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int rep = 0; rep < 20; ++rep) {
        for (size_t i = 0; i < mn_params_count(); ++i) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            double u = (double)(x >> 11) * 0x1.0p-53;
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            double m = 1.0 + (double)(x >> 11) * 0x1.0p-53;
            *mn_params_ref(&p, mn_params_info(i)) = m * pow(10.0, -20.0 + 40.0 * u);
        }
        roundtrip(&p, dir);
    }
    mn_test_rmtree(dir);
}

/* Each parameter line is `name: value  # unit | low to high | source`. */
static void test_yaml_lines_carry_the_table(void **state)
{
    (void)state;
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/params.yaml", dir);
    mn_params p;
    mn_params_default(&p);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(mn_params_write_yaml(&p, f), MN_OK);
    fclose(f);
    char *text = mn_test_read(path, NULL);
    assert_non_null(text);
    for (size_t i = 0; i < mn_params_count(); ++i) {
        const mn_param_info *info = mn_params_info(i);
        char v[32], lo[32], hi[32], line[1024];
        mn_params_format(info->default_value, v, sizeof v);
        mn_params_format(info->low, lo, sizeof lo);
        mn_params_format(info->high, hi, sizeof hi);
        snprintf(line, sizeof line, "\n%s: %s  # %s | %s to %s | %s\n", info->name, v, info->unit,
                 lo, hi, info->source);
        assert_true_msg(strstr(text, line) != NULL, "no line %s", line + 1);
    }
    free(text);
    mn_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_complete),
        cmocka_unit_test(test_format_is_shortest),
        cmocka_unit_test(test_yaml_reads_back),
        cmocka_unit_test(test_yaml_lines_carry_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
