/* mn_field and the Gwyddion Simple Field reader/writer: round trip and malformed files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/field.h"
#include "testutil.h"

/* Builds a GSF in memory: header text, NUL padding, n float32 values (LE on x86). */
static size_t make_gsf(unsigned char *buf, const char *keys, const float *v, size_t n)
{
    size_t hl = (size_t)sprintf((char *)buf, "Gwyddion Simple Field 1.0\n%s", keys);
    size_t pad = 4 - hl % 4;
    memset(buf + hl, 0, pad);
    memcpy(buf + hl + pad, v, 4 * n);
    return hl + pad + 4 * n;
}

static void test_round_trip(void **state)
{
    (void)state;
    mn_error err;
    mn_field *f = NULL, *g = NULL;
    assert_int_equal(mn_field_create(&f, 7, 5, 7e-4, 5e-4, MN_FIELD_HEIGHT, &err), 0);
    double *z = mn_field_data(f);
    for (size_t i = 0; i < 35; ++i)
        z[i] = 1e-6 * ((double)i - 17.0);
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/a.gsf", dir);
    assert_int_equal(mn_field_write_gsf(f, path, &err), 0);
    assert_int_equal(mn_field_read_gsf(path, &g, &err), 0);
    assert_int_equal(mn_field_xres(g), 7);
    assert_int_equal(mn_field_yres(g), 5);
    assert_close(mn_field_xreal_m(g), 7e-4, 1e-12);
    assert_close(mn_field_dy_m(g), 1e-4, 1e-12);
    assert_int_equal(mn_field_get_kind(g), MN_FIELD_HEIGHT);
    for (size_t i = 0; i < 35; ++i)
        assert_true(fabs(mn_field_cdata(g)[i] - z[i]) < 1e-12);
    assert_close(mn_field_get(g, 100, 100), z[34], 1e-6); /* clamped */
    mn_field_free(&g);
    mn_field_set_kind(f, MN_FIELD_INTENSITY);
    assert_int_equal(mn_field_write_gsf(f, path, &err), 0);
    assert_int_equal(mn_field_read_gsf(path, &g, &err), 0);
    assert_int_equal(mn_field_get_kind(g), MN_FIELD_INTENSITY);
    mn_field_free(&g);
    mn_field_free(&f);
    mn_field_free(&f); /* safe twice */
    assert_null(f);
    mn_test_rmtree(dir);
}

static void test_units(void **state)
{
    (void)state;
    unsigned char buf[512];
    float v[4] = {1, 2, 3, 4};
    size_t n = make_gsf(buf,
                        "XRes = 2\nYRes = 2\nXReal = 40\nYReal = 20\nXYUnits = um\n"
                        "ZUnits = nm\n",
                        v, 4);
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(mn_field_read_gsf_memory(buf, n, "u.gsf", &f, &err), 0);
    assert_close(mn_field_dx_m(f), 20e-6, 1e-12);
    assert_close(mn_field_dy_m(f), 10e-6, 1e-12);
    assert_close(mn_field_get(f, 1, 1), 4e-9, 1e-7);
    mn_field_free(&f);
}

static void expect_error(const char *keys, const float *v, size_t nv, size_t cut, int code,
                         const char *needle)
{
    unsigned char buf[1024];
    size_t n = make_gsf(buf, keys, v, nv);
    if (cut)
        n -= cut;
    mn_field *f = (mn_field *)buf; /* must be reset to NULL */
    mn_error err;
    mn_error_clear(&err);
    int rc = mn_field_read_gsf_memory(buf, n, "bad.gsf", &f, &err);
    assert_int_equal(rc, code);
    assert_null(f);
    assert_non_null(strstr(err.message, "bad.gsf"));
    assert_true_msg(strstr(err.message, needle) != NULL, "message '%s' lacks '%s'", err.message,
                    needle);
}

static void test_malformed_cases(void **state)
{
    (void)state;
    float v[4] = {1, 2, 3, 4};
    float nanv[4] = {1, NAN, 3, 4};
    expect_error("XRes = 2\nYRes = 2\n", v, 4, 5, MN_EFORMAT, "truncated");
    expect_error("XRes = 2\nYRes = 2\n", v, 3, 0, MN_EFORMAT, "truncated");
    expect_error("XRes = 2\nYRes = 2\n", nanv, 4, 0, MN_EFORMAT, "not finite");
    expect_error("YRes = 2\n", v, 4, 0, MN_EFORMAT, "XRes");
    expect_error("XRes = -2\nYRes = 2\n", v, 4, 0, MN_EFORMAT, "XRes");
    expect_error("XRes = 2x\nYRes = 2\n", v, 4, 0, MN_EFORMAT, "XRes");
    expect_error("XRes = 20000\nYRes = 20000\n", v, 4, 0, MN_ERANGE, "too large");
    expect_error("XRes = 2\nYRes = 2\nXReal = nan\n", v, 4, 0, MN_EFORMAT, "XReal");
    expect_error("XRes = 2\nYRes = 2\nZUnits = V\n", v, 4, 0, MN_EFORMAT, "ZUnits");
    expect_error("XRes = 2\nYRes = 2\ngarbage\n", v, 4, 0, MN_EFORMAT, "'='");
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(mn_field_read_gsf_memory("PNG", 3, "bad.gsf", &f, &err), MN_EFORMAT);
    assert_int_equal(mn_field_read_gsf("/nonexistent/x.gsf", &f, &err), MN_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/x.gsf"));
}

static void test_create_limits(void **state)
{
    (void)state;
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(mn_field_create(&f, 0, 5, 1, 1, MN_FIELD_HEIGHT, &err), MN_ERANGE);
    assert_int_equal(mn_field_create(&f, 20001, 5, 1, 1, MN_FIELD_HEIGHT, &err), MN_ERANGE);
    assert_int_equal(mn_field_create(&f, 20000, 20000, 1, 1, MN_FIELD_HEIGHT, &err), MN_ERANGE);
    assert_int_equal(mn_field_create(&f, 5, 5, -1, 1, MN_FIELD_HEIGHT, &err), MN_ERANGE);
    assert_int_equal(mn_field_create(&f, 5, 5, 1, INFINITY, MN_FIELD_HEIGHT, &err), MN_ERANGE);
    assert_null(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_malformed_cases),
        cmocka_unit_test(test_create_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
